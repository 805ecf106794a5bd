"""luoshi demo [--reset] [--on YYYY-MM-DD] — build the illustrative demo district (idempotent).

The demo is dated around one day, ``as_of`` (today unless --on says otherwise; its old name --as-of is still
accepted): every app's demo.py reads ``ctx["as_of"]`` (a datetime.date). ``luoshi demo --on 2020-05-12`` (or
``--as-of 2020-05-12``) rebuilds the original 2020 demo that tests and scripts pin. The day is recorded in the SiteFlag
``demo_as_of``.
"""

import importlib

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from luoshi.core.commands import add_on_argument, day_on
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
        parser.add_argument("--no-accounts", action="store_true",
                            help="不列出演示账号（make run 随后用 luoshi accounts 列出）")
        add_on_argument(parser, "演示数据以哪一天为“今天”（默认今天；2020-05-12 为测试所用的 2020 年演示；旧名 --as-of 仍可用）",
                        "--as-of")

    def handle(self, reset=False, if_empty=False, on=None, no_accounts=False, **options):
        from luoshi.orgs.models import Region

        as_of = day_on(on, "演示日期（--on）")

        if if_empty and Region.objects.exists():
            self.stdout.write("数据库已有数据，未生成演示数据。")
            return
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("已清空数据库。")
        ctx = {"as_of": as_of}
        with transaction.atomic():
            for name, build in demo_builders():
                build(ctx)
                self.stdout.write(f"  演示数据：{name} 完成")
            SiteFlag.set(SiteFlag.DEMO_LOADED)
            SiteFlag.set(SiteFlag.DEMO_AS_OF, as_of.isoformat())
        self.stdout.write(f"演示区县已就绪（以 {as_of.isoformat()} 为“今天”；数据为示意，不代表真实统计）。")
        if not no_accounts:
            self.stdout.write("演示账号：")
            self.stdout.write(accounts_text())
