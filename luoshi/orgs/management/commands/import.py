"""luoshi import KIND FILE — exit 0 when saved, 1 with the list of problems when rejected."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from luoshi.core.problems import Rejected
from luoshi.core.registry import IMPORTERS, discover


class Command(BaseCommand):
    help = "导入数据文件（xlsx 或 csv）。先校验每一行，全部无误才保存。"

    def add_arguments(self, parser):
        discover()
        kinds = ", ".join(f"{k}（{d}）" for k, (_, d) in sorted(IMPORTERS.items()))
        parser.add_argument("kind", help=f"导入的种类：{kinds}")
        parser.add_argument("file", help="xlsx 或 csv 文件")
        parser.add_argument("--user", help="记入审计日志的操作账号（默认：系统）")

    def handle(self, kind, file, user=None, **options):
        discover()
        if kind not in IMPORTERS:
            raise CommandError(f"未知的导入种类：{kind}。可用：{', '.join(sorted(IMPORTERS))}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"账号 {user} 不存在")
        importer, _ = IMPORTERS[kind]
        try:
            summary = importer(file, filename=file, actor=actor)
        except FileNotFoundError:
            self.stderr.write(f"文件不存在：{file}")
            sys.exit(1)
        except Rejected as rejected:
            self.stderr.write(f"导入被拒绝，共 {rejected.total} 个问题，未保存任何数据：")
            for message in rejected.messages:
                self.stderr.write(f"  - {message}")
            sys.exit(1)
        self.stdout.write(summary)
