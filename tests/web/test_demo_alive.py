"""`luoshi demo` builds the demo around the day it runs (issue #15): the plan of that year, reports up to a few days
before, a mix of green, yellow and red that day and no milestone absurdly late; `--as-of` builds it around another."""

import io
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from luoshi.core import workdays
from luoshi.daily.models import DailyReport
from luoshi.supervision.models import Notice
from luoshi.web.models import SiteFlag
from luoshi.work import queries
from luoshi.work.demo import CAMPAIGNS
from luoshi.work.models import Milestone, ProgressReport, Rebaseline, Task

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db, pytest.mark.usefixtures("empty_database")]
CAMPAIGN_NAMES = [c[0] for c in CAMPAIGNS]


def _build_on(day, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))
    with time_machine.travel(moment, tick=False):
        call_command("demo", stdout=io.StringIO())


@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2026, 3, 18)])
def test_the_demo_built_today_has_green_yellow_and_red_tasks_and_no_milestone_more_than_60_working_days_late(
        today, settings):
    _build_on(today, settings)
    assert SiteFlag.objects.get(key=SiteFlag.DEMO_AS_OF).value == today.isoformat()
    board = queries.board(today)
    lights = Counter(t["light"] for t in board.tasks)
    assert lights["green"] > 0 and lights["yellow"] > 0 and lights["red"] > 0, lights
    assert lights["green"] > lights["red"]
    # every milestone of the demo: the plan's and the meetings' follow-up items (2020's were carried out in 2020)
    late = {m.task.title: workdays.working_days_late(m.due, today) for m in Milestone.objects.filter(
        done_on__isnull=True, due__lt=today).select_related("task")}
    assert max(late.values()) <= 60, {k: v for k, v in late.items() if v > 60}
    plan = Task.objects.filter(campaign__name__in=CAMPAIGN_NAMES)
    assert {t.start.year for t in plan} == {today.year} and {t.deadline.year for t in plan} == {today.year}
    last = ProgressReport.objects.filter(task__in=plan).order_by("-reported_on").first().reported_on
    assert today - timedelta(days=20) <= last < today
    assert DailyReport.objects.filter(day=today - timedelta(days=1)).count() >= 30
    assert DailyReport.objects.filter(day__gt=today).count() == 0
    assert all(today - timedelta(days=40) <= n.opened_on <= today for n in Notice.objects.all())
    assert Notice.objects.exists() and Rebaseline.objects.exists()


def test_demo_as_of_builds_around_that_day_and_says_so(settings, capsys):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--as-of", "2020-05-12")
    assert "以 2020-05-12 为“今天”" in capsys.readouterr().out
    assert SiteFlag.objects.get(key=SiteFlag.DEMO_AS_OF).value == "2020-05-12"
    assert Task.objects.filter(title="实际利用外资2020年突破1亿美元", start__year=2020).exists()
    plan_reports = ProgressReport.objects.filter(task__campaign__name__in=CAMPAIGN_NAMES)  # the projects' are their own
    assert plan_reports.order_by("-reported_on").first().reported_on == date(2020, 5, 10)
    assert not ProgressReport.objects.filter(reported_on__gt=date(2020, 5, 12)).exists()


def test_demo_as_of_that_is_not_a_date_is_refused_in_chinese():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="无法识别的演示日期"):
        call_command("demo", "--as-of", "明天")
