"""luoshi supervision sweep [--on YYYY-MM-DD] — the daily sweep; other subcommands (league) plug in below."""

from luoshi.core.commands import SubcommandTable


def _sweep_arguments(parser):
    parser.add_argument("--on", help="巡查日期，YYYY-MM-DD（默认今天）")


def _sweep(command, on=None, **options):
    from luoshi.supervision.sweep import run_sweep_command

    run_sweep_command(command, on)


# subcommand -> (help, add_arguments(parser), handle(command, **options)). Other modules add one line each.
SUBCOMMANDS = {
    "sweep": ("每日巡查：开具督办单、升级督办、排队提醒", _sweep_arguments, _sweep),
}

from luoshi.supervision.cli_league import SUBCOMMAND as LEAGUE  # noqa: E402  (league's own module)

SUBCOMMANDS["league"] = LEAGUE


class Command(SubcommandTable):
    help = "督查督办：每日巡查（sweep）等。"
    subcommands = SUBCOMMANDS
