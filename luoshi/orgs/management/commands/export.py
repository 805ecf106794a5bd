"""luoshi export KIND FILE — writes xlsx or csv by the file's extension (core.exports.write_file)."""

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.exports import write_file
from luoshi.core.registry import EXPORTERS, discover


class Command(BaseCommand):
    help = "导出数据为 xlsx 或 csv（按文件扩展名）。"

    def add_arguments(self, parser):
        discover()
        kinds = ", ".join(f"{k}（{d}）" for k, (_, d) in sorted(EXPORTERS.items()))
        parser.add_argument("kind", help=f"导出的种类：{kinds}")
        parser.add_argument("file", help="输出文件，.xlsx 或 .csv")

    def handle(self, kind, file, **options):
        discover()
        if kind not in EXPORTERS:
            raise CommandError(f"未知的导出种类：{kind}。可用：{', '.join(sorted(EXPORTERS))}")
        exporter, _ = EXPORTERS[kind]
        try:
            write_file(exporter(actor=None), file)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已导出到 {file}")
