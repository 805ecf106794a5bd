"""luoshi briefings pack --region CODE --period YYYY-MM --out FILE.docx — the meeting pack as a Word file.
Other subcommands plug in below, one line each (subcommand -> help, add_arguments, handle)."""

from luoshi.briefings.pack.cli import SUBCOMMAND as PACK
from luoshi.briefings.cli_remind import SUBCOMMAND as REMIND
from luoshi.core.commands import SubcommandTable

SUBCOMMANDS = {
    "pack": PACK,
    "remind": REMIND,
}


class Command(SubcommandTable):
    help = "会议材料：生成某地区某期间的会议材料（pack）等。"
    requires_system_checks = []  # a read-only report: the model checks cost a fresh process a third of its time
    subcommands = SUBCOMMANDS
