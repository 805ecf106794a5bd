"""luoshi briefings remind [--on YYYY-MM-DD] — remind the units whose sections are due tomorrow and still missing
(run daily by the scheduler, next to `luoshi supervision sweep`; running it twice a day queues nothing more)."""

import sys

from luoshi.core.commands import add_on_argument
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected


def _arguments(parser):
    add_on_argument(parser, "按哪一天提醒（默认今天），如 2020-04-14")


def _remind(command, on=None, **options):
    from luoshi.briefings.services import remind_sections  # here: `luoshi briefings pack` need not load notify

    try:
        day = parse_day(on, "日期") if on else None
    except Rejected as rejected:
        command.stderr.write("；".join(rejected.messages))
        sys.exit(1)
    queued = remind_sections(on=day)
    command.stdout.write(f"已提醒 {queued} 人（材料明天截止、尚未报送的责任单位）")


SUBCOMMAND = ("提醒明天截止、尚未报送会议材料的责任单位", _arguments, _remind)
