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
        as_of = SiteFlag.objects.filter(key=SiteFlag.DEMO_AS_OF).values_list("value", flat=True).first()
        built = f"，以 {as_of} 为“今天”生成" if as_of else ""
        self.stdout.write(f"演示账号（数据为示意{built}）：")
        self.stdout.write(accounts_text())
