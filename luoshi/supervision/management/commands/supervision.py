"""luoshi supervision sweep [--on YYYY-MM-DD] — the daily sweep; other subcommands (league) plug in below."""

from django.core.management.base import BaseCommand


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


class Command(BaseCommand):
    help = "督查督办：每日巡查（sweep）等。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, (help_text, add_arguments, _) in SUBCOMMANDS.items():
            add_arguments(sub.add_parser(name, help=help_text))

    def handle(self, action, **options):
        SUBCOMMANDS[action][2](self, **options)
