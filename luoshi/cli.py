"""The `luoshi` command: Django's manage.py under a better name.

Its arguments are text that may be stored (`luoshi notify send --subject …`): one holding a character core.text
refuses (a control character, or bytes of another encoding, which Python reads as lone surrogates) stops the command
before Django starts, with the reason in Chinese and exit status 1.
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.management import execute_from_command_line

    from luoshi.core import text

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "luoshi"
    for number, arg in enumerate(argv[1:], start=1):
        if message := text.problem(arg):
            sys.exit(f"第 {number} 个命令行参数{message}")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
