"""The demo builder: two weeks of reports ending today, some late and some missing, idempotent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.daily import demo as daily_demo
from luoshi.daily.models import DailyReport
from luoshi.orgs import demo as orgs_demo

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db, pytest.mark.usefixtures("empty_database")]


def test_demo_builds_two_weeks_with_late_and_missing_and_runs_twice_without_duplicates():
    ctx = orgs_demo.build({})
    daily_demo.build(ctx)
    reports = DailyReport.objects.all()
    today = timezone.localdate()
    days = set(reports.values_list("day", flat=True))
    assert min(days) == today - timedelta(days=13) and max(days) <= today
    full = 40 * 14
    count = reports.count()
    assert 0.8 * full < count < full  # some missing
    assert reports.filter(late=True).exists() and reports.filter(zero_report=True).exists()
    assert reports.filter(village__code="370115001201", submitted_by=ctx["users"]["cunju"]).exists()
    daily_demo.build(ctx)
    assert DailyReport.objects.count() == count


def test_the_demos_zero_reports_keep_the_yes_no_and_level_answers_of_the_villages_last_report():
    ctx = orgs_demo.build({})
    daily_demo.build(ctx)
    checked = 0
    for village_id in DailyReport.objects.values_list("village_id", flat=True).distinct():
        previous = None
        for report in DailyReport.objects.filter(village_id=village_id).order_by("day"):
            if report.zero_report and previous is not None:
                assert report.values["returnees"] == 0
                assert report.values["checkpoint"] == previous["checkpoint"] and report.values["risk"] == previous["risk"]
                checked += 1
            previous = report.values
    assert checked > 10
