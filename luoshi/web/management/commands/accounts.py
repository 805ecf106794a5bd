"""luoshi accounts — print the demo accounts (used by make run)."""

from django.core.management.base import BaseCommand

from luoshi.orgs.demo import accounts_text
from luoshi.web.models import SiteFlag


class Command(BaseCommand):
    help = "显示演示账号"

    def handle(self, **options):
        if not SiteFlag.is_set(SiteFlag.DEMO_LOADED):
            self.stdout.write("未加载演示数据；请用 luoshi createsuperuser 创建管理员账号。")
            return
        self.stdout.write("演示账号（数据为示意）：")
        self.stdout.write(accounts_text())
