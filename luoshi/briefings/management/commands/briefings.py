"""luoshi briefings pack --region CODE --period YYYY-MM --out FILE.docx — the meeting pack as a Word file.
Other subcommands plug in below, one line each (subcommand -> help, add_arguments, handle)."""

from django.core.management.base import BaseCommand

from luoshi.briefings.cli_pack import SUBCOMMAND as PACK
from luoshi.briefings.cli_remind import SUBCOMMAND as REMIND

SUBCOMMANDS = {
    "pack": PACK,
    "remind": REMIND,
}


class Command(BaseCommand):
    help = "会议材料：生成某地区某期间的会议材料（pack）等。"
    requires_system_checks = []  # a read-only report: the model checks cost a fresh process a third of its time

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, (help_text, add_arguments, _) in SUBCOMMANDS.items():
            add_arguments(sub.add_parser(name, help=help_text))

    def handle(self, action, **options):
        SUBCOMMANDS[action][2](self, **options)
