"""The one style of luoshi's own commands: a command made of subcommands, each a line in a table that other modules
can add to, and one name for the day a command is about, `--on` (the old names of some commands kept as aliases)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from luoshi.core import workdays
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected


class SubcommandTable(BaseCommand):
    """Subclasses set `subcommands`: name -> (help, add_arguments(parser), handle(command, **options))."""

    subcommands: dict = {}

    def add_arguments(self, parser):
        # Not required by argparse, whose message would be English: handle() says it in Chinese.
        sub = parser.add_subparsers(dest="action", metavar="子命令", title="子命令")
        for name, (help_text, add_arguments, _) in self.subcommands.items():
            add_arguments(sub.add_parser(name, help=help_text, description=help_text))

    def handle(self, action=None, **options):
        if action is None:
            raise CommandError("请指定子命令：" + "、".join(self.subcommands))
        self.subcommands[action][2](self, **options)


def no_arguments(parser):
    """The add_arguments of a subcommand that takes none."""


def add_on_argument(parser, help_text, *old_names):
    """`--on YYYY-MM-DD`, the day the command is about; `old_names` (`--date`, `--as-of`) are kept as aliases of it.
    Without it the command reads the day as None (day_on: today)."""
    parser.add_argument("--on", *old_names, dest="on", metavar="YYYY-MM-DD", help=help_text)


def day_on(on, label="日期"):
    """The day `--on` names, or today (Asia/Shanghai) without it; a text that is not a date stops the command with
    the reason in Chinese (exit status 1)."""
    if not on:
        return timezone.localdate()
    try:
        return parse_day(on, label)
    except Rejected as rejected:
        raise CommandError("；".join(rejected.messages)) from None


def warn_fallback(command, years):
    """Say once per command run, on standard error, which years are judged Monday–Friday because their 放假安排 is not
    loaded (core.workdays.fallback_note); later calls in the same run say nothing."""
    note = workdays.fallback_note(years)
    if note and not getattr(command, "_fallback_warned", False):
        command._fallback_warned = True
        command.stderr.write(note)


def write_json(command, data):
    """A command's --json output: the characters as they are (not \\u escapes), indented by one space."""
    command.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
