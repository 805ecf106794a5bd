"""One name for the day a command is about: `--on`; the old names (`daily status --date`, `demo --as-of`) are aliases
of it, read into the same option, so they give the same result."""

import pytest
from django.core.management import load_command_class

# (app, command, subcommand or None, the old names of --on)
DATED = [
    ("luoshi.work", "work", "status", []),
    ("luoshi.daily", "daily", "status", ["--date"]),
    ("luoshi.web", "demo", None, ["--as-of"]),
    ("luoshi.supervision", "supervision", "sweep", []),
    ("luoshi.supervision", "supervision", "consequences", []),
    ("luoshi.briefings", "briefings", "remind", []),
]


def parse(app, name, argv):
    parser = load_command_class(app, name).create_parser("luoshi", name)
    return vars(parser.parse_args(argv))


@pytest.mark.parametrize(("app", "name", "sub", "old"), DATED, ids=[d[1] for d in DATED])
def test_every_dated_command_reads_on_and_its_old_names_into_the_same_option(app, name, sub, old):
    head = [sub] if sub else []
    assert parse(app, name, head + ["--on", "2020-05-12"])["on"] == "2020-05-12"
    assert parse(app, name, head)["on"] is None  # the command's default: today
    for flag in old:
        assert parse(app, name, head + [flag, "2020-05-12"]) == parse(app, name, head + ["--on", "2020-05-12"])


def test_demo_as_of_keyword_still_reaches_the_day(monkeypatch):
    """call_command("demo", as_of=…) as scripts wrote it: Django maps the old name to the option."""
    from django.core.management import call_command

    from luoshi.web.management.commands import demo

    seen = []
    monkeypatch.setattr(demo.Command, "handle", lambda self, **options: seen.append(options["on"]))
    call_command("demo", as_of="2020-05-12")
    call_command("demo", on="2020-05-13")
    call_command("demo", "--as-of", "2020-05-14")
    assert seen == ["2020-05-12", "2020-05-13", "2020-05-14"]
