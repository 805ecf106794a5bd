"""luoshi breakdown import FILE --region CODE --year YYYY [--dry-run] [--json] (breakdown/cli.py)."""

from luoshi.breakdown.cli import SUBCOMMANDS
from luoshi.core.commands import SubcommandTable


class Command(SubcommandTable):
    help = "政府工作要点落实：导入任务分解方案。"
    subcommands = SUBCOMMANDS
