"""The `luoshi` command: Django's manage.py under a better name."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "luoshi"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
