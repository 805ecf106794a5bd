"""The demo's meetings. Built around 2020 (`--as-of 2020-05-12`): the 2020年一季度经济形势分析会 for 济阳区, responsible
units for every indicator, sections from all but one, closed and published, three follow-up items in key work; a
second run changes nothing. Built around a later day: only the meeting on the latest quarter, written from that
quarter's figures (no 2020 leftovers)."""

import pytest
from datetime import date

from luoshi.audit.models import AuditEntry
from luoshi.briefings import demo, queries
from luoshi.briefings.models import FollowUp, Meeting, Section
from luoshi.indicators import demo as indicator_demo
from luoshi.indicators.models import Figure, Responsibility
from luoshi.orgs import demo as org_demo
from luoshi.work.models import Task

pytestmark = pytest.mark.both_databases


def test_demo_meeting_has_sections_follow_ups_and_is_idempotent(empty_database):
    ctx = org_demo.build({})
    indicator_demo.build(ctx)
    demo.build(ctx)
    jiyang = ctx["regions"]["370115"]
    assert Responsibility.objects.filter(region=jiyang).count() == 10  # every indicator of the demo
    meeting = Meeting.objects.get(title="2020年一季度经济形势分析会")
    assert (meeting.region, meeting.period, meeting.state, meeting.published) == (jiyang, "2020-03", "closed", True)
    summary = {s["unit"].short_name: s["complete"] for s in queries.submission_summary(queries.overview(meeting))}
    assert summary.pop("市场监管局") is False and all(summary.values()) and len(summary) >= 6
    fdi = Section.objects.get(meeting=meeting, indicator__code="fdi", is_current=True)
    assert "2000万美元" in fdi.completion_text and fdi.submitted_by.username == "shangwu"
    tasks = Task.objects.filter(campaign__name="会议确定事项（2020年一季度经济形势分析会）")
    assert tasks.count() == FollowUp.objects.count() == 3
    counts = (Section.objects.count(), Task.objects.count(), AuditEntry.objects.count())
    demo.build(ctx)
    indicator_demo.build(ctx)
    assert (Section.objects.count(), Task.objects.count(), AuditEntry.objects.count()) == counts


def test_demo_built_after_2020_adds_the_latest_quarter_meeting_from_its_figures_and_is_idempotent(empty_database):
    ctx = org_demo.build({})
    ctx["as_of"] = date(2026, 12, 1)
    indicator_demo.build(ctx)
    demo.build(ctx)
    jiyang = ctx["regions"]["370115"]
    assert not Meeting.objects.filter(period__startswith="2020").exists()  # no 2020 leftovers in today's demo
    assert not Task.objects.filter(campaign__name__contains="2020年").exists()
    meeting = Meeting.objects.get(title="2026年前三季度经济形势分析会")
    assert (meeting.region, meeting.period, meeting.state, meeting.published) == (jiyang, "2026-09", "closed", True)
    assert (meeting.held_on, meeting.sections_due) == (date(2026, 10, 17), date(2026, 10, 14))
    summary = {s["unit"].short_name: s["complete"] for s in queries.submission_summary(queries.overview(meeting))}
    assert summary.pop("市场监管局") is False and all(summary.values()) and len(summary) >= 6
    sections = Section.objects.filter(meeting=meeting, is_current=True)
    assert all(date(2026, 10, 10) <= s.submitted_at.date() <= date(2026, 10, 14) for s in sections)
    retail = Figure.objects.get(region=jiyang, indicator__code="retail", period=date(2026, 9, 1))
    text = sections.get(indicator__code="retail").completion_text
    assert text.startswith("1-9月份全区社会消费品零售总额完成") and f"{abs(retail.growth):.1f}".rstrip("0").rstrip(".") + "%" in text
    follow_ups = FollowUp.objects.filter(meeting=meeting).select_related("task")
    assert follow_ups.count() == 2 and all(f.task.deadline == date(2026, 12, 31) for f in follow_ups)
    counts = (Meeting.objects.count(), Section.objects.count(), Task.objects.count(), AuditEntry.objects.count())
    demo.build(ctx)
    indicator_demo.build(ctx)
    assert (Meeting.objects.count(), Section.objects.count(), Task.objects.count(), AuditEntry.objects.count()) == counts


def test_demo_built_before_the_quarter_meeting_is_held_shows_it_still_collecting(empty_database):
    ctx = org_demo.build({})
    ctx["as_of"] = date(2026, 10, 12)
    indicator_demo.build(ctx)
    demo.build(ctx)
    meeting = Meeting.objects.get(title="2026年前三季度经济形势分析会")
    assert meeting.state == "collecting" and not meeting.published and not FollowUp.objects.filter(meeting=meeting).exists()
    written = Section.objects.filter(meeting=meeting, is_current=True)
    assert 0 < written.count() < 9 and all(s.submitted_at.date() < date(2026, 10, 12) for s in written)
    assert Meeting.objects.count() == 1  # that quarter's only: no 2020 meeting beside it
