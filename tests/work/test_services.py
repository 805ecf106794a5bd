from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.work import services
from luoshi.work.access import get_task_for_user
from luoshi.work.models import Milestone, ProgressReport, Rebaseline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]


def report(actor, task, **kw):
    kw.setdefault("percent", 40)
    kw.setdefault("done_text", "完成两轮洽谈")
    return services.submit_report(actor, task, **kw)


def test_unit_report_is_version_1_and_sets_the_milestone_completion_date(cast, plan):
    first = report(cast.zhou_shangwu, plan.t1, completions=[(plan.m11, date(2020, 4, 29))])
    assert (first.version, first.is_current, first.series, first.unit) == (1, True, first.pk, cast.units.shangwu)
    assert first.reported_on == date(2020, 5, 12)
    assert Milestone.objects.get(pk=plan.m11.pk).done_on == date(2020, 4, 29)
    entry = AuditEntry.objects.filter(action="报送进度").get()
    assert entry.actor == cast.zhou_shangwu and entry.after["completions"] == [["1.1", "2020-04-29"]]


def test_correction_is_a_new_version_and_the_earlier_stays_visible(cast, plan):
    first = report(cast.zhou_shangwu, plan.t1, completions=[(plan.m11, date(2020, 4, 29))])
    second = report(cast.zhou_shangwu, plan.t1, percent=45, corrects=first, correction_note="完成日期填错",
                    completions=[(plan.m11, date(2020, 5, 7))])
    versions = list(ProgressReport.objects.filter(series=first.pk).order_by("version").values_list("version", "is_current", "percent"))
    assert versions == [(1, False, 40), (2, True, 45)]
    assert second.reported_on == first.reported_on
    assert Milestone.objects.get(pk=plan.m11.pk).done_on == date(2020, 5, 7)


def test_correction_without_a_note_or_of_an_old_version_is_rejected(cast, plan):
    first = report(cast.zhou_shangwu, plan.t1)
    with pytest.raises(Rejected, match="更正说明"):
        report(cast.zhou_shangwu, plan.t1, corrects=first)
    report(cast.zhou_shangwu, plan.t1, corrects=first, correction_note="补充")
    first.refresh_from_db()
    with pytest.raises(Rejected, match="只能更正报告的最新版本"):
        report(cast.zhou_shangwu, plan.t1, corrects=first, correction_note="再补充")
    assert ProgressReport.objects.count() == 2


def test_responsible_unit_reports_in_its_own_name(cast, plan):
    saved = report(cast.sun_jiedao, plan.t1)
    assert saved.unit == cast.units.town


def test_unit_cannot_report_on_another_units_task(cast, plan):
    with pytest.raises(Rejected, match="不是该任务的牵头单位或责任单位"):
        report(cast.zhou_shangwu, plan.t2)
    with pytest.raises(PermissionDenied):
        get_task_for_user(cast.zhou_shangwu, plan.t2.pk, write=True)
    assert not ProgressReport.objects.exists()


def test_cooperating_unit_reads_the_task_but_cannot_report(cast, plan):
    assert get_task_for_user(cast.zheng_caizheng, plan.t1.pk) == plan.t1
    with pytest.raises(PermissionDenied):
        get_task_for_user(cast.zheng_caizheng, plan.t1.pk, write=True)
    with pytest.raises(Rejected):
        report(cast.zheng_caizheng, plan.t1)


@pytest.mark.parametrize("percent", [-1, 101, "abc"])
def test_percentage_outside_0_to_100_is_rejected_and_nothing_saved(cast, plan, percent):
    with pytest.raises(Rejected, match="完成百分比"):
        report(cast.zhou_shangwu, plan.t1, percent=percent, completions=[(plan.m11, date(2020, 4, 29))])
    assert not ProgressReport.objects.exists() and Milestone.objects.get(pk=plan.m11.pk).done_on is None
    assert not AuditEntry.objects.filter(action="报送进度").exists()


def test_completion_date_in_the_future_is_rejected(cast, plan):
    with pytest.raises(Rejected, match="晚于今天"):
        report(cast.zhou_shangwu, plan.t1, completions=[(plan.m11, date(2020, 5, 13))])
    assert not ProgressReport.objects.exists()


def test_completion_of_another_tasks_milestone_is_rejected(cast, plan):
    with pytest.raises(Rejected, match="不属于该任务"):
        report(cast.zhou_shangwu, plan.t1, completions=[(plan.m21, date(2020, 4, 1))])


def test_attachment_too_large_or_of_forbidden_type_is_rejected(cast, plan, media, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 1024)
    big = SimpleUploadedFile("照片.png", b"\x89PNG" + b"0" * 2000, content_type="image/png")
    exe = SimpleUploadedFile("病毒.exe", b"MZ....", content_type="application/octet-stream")
    fake = SimpleUploadedFile("报告.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(Rejected) as info:
        report(cast.zhou_shangwu, plan.t1, attachments=[big, exe, fake])
    text = "；".join(info.value.messages)
    assert "附件「照片.png」超过" in text and "附件「病毒.exe」的类型不允许" in text and "附件「报告.pdf」的内容与扩展名不符" in text
    assert not ProgressReport.objects.exists()


def test_good_attachment_is_stored_with_the_report(cast, plan, media):
    pdf = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    saved = report(cast.zhou_shangwu, plan.t1, attachments=[pdf])
    attachment = saved.attachments.get()
    assert attachment.name == "会议纪要.pdf" and attachment.size == 13
    assert attachment.file.read() == b"%PDF-1.4 test"


def test_due_date_change_before_the_plan_is_set_is_a_plain_edit(cast, plan):
    services.save_milestone(None, task=plan.t1, number="1.1", title="完成项目洽谈", due=date(2020, 5, 15))
    m = Milestone.objects.get(pk=plan.m11.pk)
    assert m.due == date(2020, 5, 15) and m.original_due is None and not Rebaseline.objects.exists()


def test_due_date_change_after_the_plan_is_set_is_a_request_that_moves_the_date_only_once_approved(cast, plan):
    services.set_plan(cast.li_ducha, plan.zs)
    with pytest.raises(Rejected, match="必须填写原因"):
        services.save_milestone(cast.li_ducha, task=plan.t1, number="1.1", title="完成项目洽谈", due=date(2020, 5, 15))
    assert not Rebaseline.objects.exists()
    services.save_milestone(cast.li_ducha, task=plan.t1, number="1.1", title="完成项目洽谈", due=date(2020, 5, 15),
                            reason="疫情影响，外商无法来访")
    assert Milestone.objects.get(pk=plan.m11.pk).due == date(2020, 4, 30)  # asked, not moved
    with pytest.raises(PermissionDenied, match="经区领导或督查室批准"):
        services.rebaseline_milestone(cast.li_ducha, plan.m11, date(2020, 5, 15), "疫情影响")  # no direct path for people
    services.approve_rebaseline(cast.sun_leader, Rebaseline.objects.get())  # the office's own request: a leader
    again = services.request_rebaseline(cast.zhou_shangwu, milestone=plan.m11, new_due=date(2020, 5, 29), reason="再次延期")
    services.approve_rebaseline(cast.li_ducha, again)  # a unit's request: the office
    m = Milestone.objects.get(pk=plan.m11.pk)
    assert (m.due, m.original_due) == (date(2020, 5, 29), date(2020, 4, 30))
    assert list(m.rebaselines.values_list("old_due", "new_due", "status", "approved_by")) == [
        (date(2020, 4, 30), date(2020, 5, 15), "approved", "孙区长"), (date(2020, 5, 15), date(2020, 5, 29), "approved", "李督查")]
    assert AuditEntry.objects.filter(action="调整节点计划").count() == 2


def test_task_with_deadline_before_start_is_rejected(cast, plan):
    with pytest.raises(Rejected, match="早于开始日期"):
        services.save_task(None, campaign=plan.zs, number="9", title="x", lead_unit=cast.units.shangwu,
                           start=date(2020, 5, 1), deadline=date(2020, 4, 1))
