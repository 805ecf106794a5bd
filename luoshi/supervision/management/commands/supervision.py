"""luoshi supervision sweep [--on YYYY-MM-DD] | league … | consequences [--on …] — the daily sweep here, the league
table and the 结果运用 triggers from their rooms (supervision/league/cli.py, supervision/consequences/cli.py); the
table below composes them."""

from luoshi.core.commands import SubcommandTable, add_on_argument
from luoshi.supervision.consequences.cli import SUBCOMMAND as CONSEQUENCES
from luoshi.supervision.league.cli import SUBCOMMAND as LEAGUE


def _sweep_arguments(parser):
    add_on_argument(parser, "巡查日期，YYYY-MM-DD（默认今天）")


def _sweep(command, on=None, **options):
    from luoshi.supervision.sweep import run_sweep_command

    run_sweep_command(command, on)


# subcommand -> (help, add_arguments(parser), handle(command, **options)); a room adds one line.
SUBCOMMANDS = {
    "sweep": ("每日巡查：开具督办单、升级督办、排队提醒、按触发条件提出处理建议", _sweep_arguments, _sweep),
    "league": LEAGUE,
    "consequences": CONSEQUENCES,
}


class Command(SubcommandTable):
    help = "督查督办：每日巡查（sweep）等。"
    subcommands = SUBCOMMANDS
