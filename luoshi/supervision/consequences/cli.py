"""luoshi supervision consequences [--on YYYY-MM-DD] — evaluate the 结果运用 triggers as of the day (the daily sweep
does the same) and print what was proposed; running it again for the same day proposes nothing new. A line of the
supervision command's table (SUBCOMMANDS["consequences"])."""

from django.core.management.base import CommandError
from django.utils import timezone

from luoshi.core.commands import add_on_argument, day_on
from luoshi.core.periods import day_label


def add_arguments(parser):
    add_on_argument(parser, "判定日期，YYYY-MM-DD（默认今天）")


def handle(command, on=None, **options):
    from luoshi.supervision.consequences import triggers

    day = day_on(on, "判定日期")
    today = timezone.localdate()
    if day > today:
        raise CommandError(f"判定日期（{day_label(day)}）晚于今天（{day_label(today)}），不能按尚未到来的日子提出处理建议")
    command.stdout.write(f"判定日期：{day_label(day)}")
    for line in triggers.report_lines(triggers.evaluate(day)):
        command.stdout.write(line)


SUBCOMMAND = ("结果运用：按触发条件提出处理建议（督办单多次逾期答复、连续多期亮红灯）", add_arguments, handle)
