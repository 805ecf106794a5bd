"""A management command made of subcommands, each a line in a table that other modules can add to."""

from django.core.management.base import BaseCommand


class SubcommandTable(BaseCommand):
    """Subclasses set `subcommands`: name -> (help, add_arguments(parser), handle(command, **options))."""

    subcommands: dict = {}

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, (help_text, add_arguments, _) in self.subcommands.items():
            add_arguments(sub.add_parser(name, help=help_text))

    def handle(self, action, **options):
        self.subcommands[action][2](self, **options)
