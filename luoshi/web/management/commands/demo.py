"""luoshi demo [--reset] — build the illustrative demo district (idempotent)."""

import importlib

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from luoshi.orgs.demo import accounts_text
from luoshi.web.models import SiteFlag


def demo_builders():
    """Each installed luoshi app may have a demo.py with build(ctx); they run in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("luoshi."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name == f"{config.name}.demo":
                continue
            raise
        yield config.name, module.build


class Command(BaseCommand):
    help = "生成演示区县（济南市济阳区，示意数据）。可重复执行；--reset 清空后重建。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="清空数据库中的全部数据后重建演示数据")
        parser.add_argument("--if-empty", action="store_true", help="仅在数据库中还没有任何地区时生成")

    def handle(self, reset=False, if_empty=False, **options):
        from luoshi.orgs.models import Region

        if if_empty and Region.objects.exists():
            self.stdout.write("数据库已有数据，未生成演示数据。")
            return
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("已清空数据库。")
        ctx = {}
        with transaction.atomic():
            for name, build in demo_builders():
                build(ctx)
                self.stdout.write(f"  演示数据：{name} 完成")
            SiteFlag.set(SiteFlag.DEMO_LOADED)
        self.stdout.write("演示区县已就绪（数据为示意，不代表真实统计）。演示账号：")
        self.stdout.write(accounts_text())
