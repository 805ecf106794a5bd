"""The demo's 2020年一季度经济形势分析会 for 济阳区: responsible units for every indicator, sections from all but one,
closed and published, three follow-up items in key work; a second run changes nothing."""

from luoshi.audit.models import AuditEntry
from luoshi.briefings import demo, queries
from luoshi.briefings.models import FollowUp, Meeting, Section
from luoshi.indicators import demo as indicator_demo
from luoshi.indicators.models import Responsibility
from luoshi.orgs import demo as org_demo
from luoshi.work.models import Task


def test_demo_meeting_has_sections_follow_ups_and_is_idempotent(db):
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
