"""Two-tier reporting (a cooperating unit's input to the lead unit, the lead unit's report drawing on it, reminders to
late cooperating units) and 销号 (the lead unit asks with evidence, the office returns or approves; a closed task leaves
the red lists and stays in the ledger). The plan: tests/work/conftest.py (task 1: lead 商务局, responsible 济阳街道,
cooperating 财政局)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.notify.models import Message
from luoshi.work import queries, rules, services
from luoshi.work.gantt import gantt_rows
from luoshi.work.models import Campaign, Closure, ClosureStatus, CoopInput, Milestone, Task

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 evidence"


def pdf(name="验收报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- rules (hand-computed) -----------------------------------------------------------------------------------------

def test_the_inputs_are_due_on_their_own_day_else_with_the_report_and_never_after_it():
    assert rules.input_due_day(rules.MONTHLY, 25, 20) == 20
    assert rules.input_due_day(rules.MONTHLY, 25, None) == 25
    assert rules.input_due_day(rules.HALF_MONTHLY, None, 10) is None
    assert rules.input_due_day_error(rules.MONTHLY, 25, 20) == ""
    assert rules.input_due_day_error(rules.MONTHLY, 25, 26) == "配合单位报送截止日不能晚于牵头单位的报送截止日"
    assert rules.input_due_day_error(rules.MONTHLY, None, 31) == ""  # the report: the month's last working day
    assert rules.input_due_day_error(rules.WEEKLY, None, 6) == "配合单位报送截止日不能晚于牵头单位的报送截止日"  # Friday
    assert rules.input_due_day_error(rules.WEEKLY, None, 8).startswith("配合单位报送截止日：按周报送的截止日是星期几")
    assert rules.input_due_text(rules.MONTHLY, 25, 20) == "配合单位每月20日前报牵头单位，牵头单位每月25日前报督查室"
    # April 2020: the 20th is a Monday; 20 June 2020 a Saturday moves to Monday the 22nd
    assert rules.report_due_date(date(2020, 4, 1), date(2020, 4, 30), rules.MONTHLY, 20) == date(2020, 4, 20)
    assert rules.report_due_date(date(2020, 6, 1), date(2020, 6, 30), rules.MONTHLY, 20) == date(2020, 6, 22)


def test_a_closed_tasks_milestone_is_done_on_the_day_asked_unless_a_report_completed_it_earlier():
    assert rules.completion_day(None, None) is None
    assert rules.completion_day(date(2020, 4, 29), None) == date(2020, 4, 29)
    assert rules.completion_day(None, date(2020, 5, 12)) == date(2020, 5, 12)
    assert rules.completion_day(date(2020, 4, 29), date(2020, 5, 12)) == date(2020, 4, 29)


def test_a_campaigns_input_day_is_kept_checked_and_audited(cast):
    campaign = services.save_campaign(None, name="政府工作报告", report_due_day=25, input_due_day=20)
    assert (campaign.report_due_day, campaign.input_due_day) == (25, 20)
    assert services.save_campaign(None, name="政府工作报告").input_due_day == 20  # left out: kept
    with pytest.raises(Rejected, match="不能晚于牵头单位的报送截止日"):
        services.save_campaign(None, name="政府工作报告", report_due_day=25, input_due_day=26)
    with pytest.raises(Rejected, match="配合单位报送截止日应为整数"):
        services.save_campaign(None, name="政府工作报告", input_due_day="20")
    assert Campaign.objects.get(name="政府工作报告").input_due_day == 20
    assert AuditEntry.objects.filter(action="新增攻坚战", after__input_due_day=20).exists()


# --- two-tier reporting --------------------------------------------------------------------------------------------

def test_a_cooperating_unit_sends_its_input_to_the_lead_unit_and_a_correction_is_a_new_version(cast, plan, may_12):
    first = services.submit_input(cast.zheng_caizheng, plan.t1, done_text="已拨付项目前期经费200万元")
    assert (first.unit, first.to_unit, first.version, first.is_current, first.reported_on) == (
        cast.units.caizheng, cast.units.shangwu, 1, True, date(2020, 5, 12))
    second = services.submit_input(cast.zheng_caizheng, plan.t1, done_text="已拨付项目前期经费300万元", corrects=first,
                                   correction_note="金额更正")
    first.refresh_from_db()
    assert (second.series, second.version, first.is_current) == (first.series, 2, False)
    assert list(CoopInput.objects.filter(task=plan.t1).values_list("version", flat=True).order_by("version")) == [1, 2]
    with pytest.raises(Rejected, match="只能更正报送的最新版本"):
        services.submit_input(cast.zheng_caizheng, plan.t1, done_text="x", corrects=first, correction_note="再改")
    with pytest.raises(Rejected, match="请填写配合完成情况"):
        services.submit_input(cast.zheng_caizheng, plan.t1, done_text="  ")
    # the lead unit, a responsible unit and the office are not cooperating units of task 1
    for user in (cast.zhou_shangwu, cast.sun_jiedao, cast.li_ducha):
        with pytest.raises(PermissionDenied, match="只有重点任务「1 招商引资项目签约」的配合单位可以向牵头单位报送"):
            services.submit_input(user, plan.t1, done_text="x")
    # the inputs are no report to the office: task 1 still missed March and April
    assert queries.judged_task(plan.t1, date(2020, 5, 12))["missed_periods"] == 2


def test_the_lead_units_report_records_the_inputs_it_drew_on(cast, plan, may_12):
    given = services.submit_input(cast.zheng_caizheng, plan.t1, done_text="已拨付经费")
    report = services.submit_report(cast.zhou_shangwu, plan.t1, percent=40, done_text="洽谈推进（含财政局配合）",
                                    inputs=[given])
    assert list(report.inputs.all()) == [given]
    assert AuditEntry.objects.get(action="报送进度", object_id=str(report.pk)).after["inputs"] == [given.pk]
    other = services.submit_report(cast.zheng_caizheng, plan.t2, percent=10)
    with pytest.raises(Rejected, match="所采用的配合单位报送不属于该任务"):
        services.submit_report(cast.zhou_shangwu, plan.t1, percent=40, inputs=[given, CoopInput(task=plan.t2, pk=0)])
    assert other.inputs.count() == 0


def test_the_lead_unit_sees_the_inputs_beside_its_draft_and_the_cooperating_unit_is_offered_its_form(client_for, plan,
                                                                                                     may_12, cast):
    services.save_campaign(None, name="双招双引", report_due_day=25, input_due_day=20)
    services.submit_input(cast.zheng_caizheng, plan.t1, done_text="已拨付经费<b>200</b>万元")
    lead = client_for("zhou_shangwu").get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert 'id="report-inputs"' in lead and "已拨付经费&lt;b&gt;200&lt;/b&gt;万元" in lead
    assert "配合单位每月20日前报牵头单位，牵头单位每月25日前报督查室" in lead
    assert 'id="input-form"' not in lead and 'id="closure-form"' in lead
    coop = client_for("zheng_caizheng").get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert 'id="input-form"' in coop and "2020年5月20日" in coop and 'id="closure-form"' not in coop
    mine = client_for("zheng_caizheng").get("/work/mine/").content.decode()
    assert "向牵头单位报送" in mine
    response = client_for("zheng_caizheng").post(f"/work/tasks/{plan.t1.pk}/input", {"done_text": "第二次报送"})
    assert response.status_code == 302
    assert client_for("zheng_caizheng").post(f"/work/tasks/{plan.t1.pk}/input", {"done_text": ""}).status_code == 400
    assert client_for("sun_jiedao").post(f"/work/tasks/{plan.t1.pk}/input", {"done_text": "x"}).status_code == 403
    assert CoopInput.objects.filter(task=plan.t1).count() == 2
    report = client_for("zhou_shangwu").post(f"/work/tasks/{plan.t1.pk}/report", {
        "percent": "40", "inputs": [str(i) for i in CoopInput.objects.values_list("pk", flat=True)]})
    assert report.status_code == 302
    assert plan.t1.reports.get().inputs.count() == 2
    assert "采用配合单位报送：区财政局" in client_for("li_ducha").get(f"/work/tasks/{plan.t1.pk}/").content.decode()


def test_late_cooperating_units_are_reminded_once_a_period(cast, plan):
    services.save_campaign(None, name="双招双引", report_due_day=25, input_due_day=20)
    with time_machine.travel("2020-04-20 10:00 +0800", tick=False):
        assert services.remind_inputs() == 0  # due today: not late yet
    with time_machine.travel("2020-04-21 10:00 +0800", tick=False):
        assert services.remind_inputs() == 1
        assert services.remind_inputs() == 0  # the same period: once
        message = Message.objects.get(recipient=cast.zheng_caizheng)
        assert message.subject == "配合单位报送提醒：1 招商引资项目签约"
        assert "区商务局" in message.body and "4月20日" in message.body
    with time_machine.travel("2020-05-21 10:00 +0800", tick=False):
        services.submit_input(cast.zheng_caizheng, plan.t1, done_text="五月配合情况")
        assert services.remind_inputs() == 0


# --- 销号 ------------------------------------------------------------------------------------------------------------

@pytest.mark.both_databases  # locked tasks and requests, the completions refreshed
def test_a_lead_unit_asks_to_close_with_evidence_and_the_office_returns_then_approves(cast, plan, media, may_12):
    assert queries.judged_task(plan.t1, date(2020, 5, 12))["light"] == rules.RED
    with pytest.raises(Rejected, match="销号须附佐证材料"):
        services.request_closure(cast.zhou_shangwu, plan.t1, note="项目已签约开工")
    for user in (cast.sun_jiedao, cast.zheng_caizheng, cast.li_ducha, cast.sun_leader):
        with pytest.raises(PermissionDenied, match="只有重点任务「1 招商引资项目签约」的牵头单位可以申请销号"):
            services.request_closure(user, plan.t1, note="x", attachments=[pdf()])
    asked = services.request_closure(cast.zhou_shangwu, plan.t1, note="项目已签约开工", attachments=[pdf()])
    assert (asked.status, asked.requested_on, asked.unit) == (ClosureStatus.PENDING, date(2020, 5, 12), cast.units.shangwu)
    with pytest.raises(Rejected, match="已有一项待审核的销号申请"):
        services.request_closure(cast.zhou_shangwu, plan.t1, note="再次申请", attachments=[pdf()])
    with pytest.raises(PermissionDenied, match="不能审核自己提出的销号申请"):
        services.approve_closure(cast.zhou_shangwu, asked)
    with pytest.raises(PermissionDenied, match="只有该任务所在地区的督查室可以审核销号申请"):
        services.approve_closure(cast.sun_leader, asked)
    with pytest.raises(Rejected, match="退回请填写理由"):
        services.return_closure(cast.li_ducha, asked, " ")
    services.return_closure(cast.li_ducha, asked, "缺少开工证明")
    assert Task.objects.get(pk=plan.t1.pk).closed_on is None
    assert Message.objects.filter(recipient=cast.zhou_shangwu, subject__startswith="销号申请被退回").exists()
    with pytest.raises(Rejected, match="不能重复审核"):
        services.approve_closure(cast.li_ducha, asked)

    again = services.request_closure(cast.zhou_shangwu, plan.t1, note="补充开工证明", attachments=[pdf("开工证明.pdf")])
    services.approve_closure(cast.li_ducha, again, "材料齐全")
    task = Task.objects.get(pk=plan.t1.pk)
    assert task.closed_on == date(2020, 5, 12)
    assert list(Milestone.objects.filter(task=task).values_list("done_on", flat=True)) == [date(2020, 5, 12)] * 3
    assert [c.status for c in Closure.objects.filter(task=task).order_by("pk")] == ["returned", "approved"]
    judged = queries.judged_task(task, date(2020, 5, 12))
    assert (judged["light"], judged["missed_periods"]) == (rules.GREEN, 0)
    assert [m["status"] for m in judged["milestones"]] == [rules.DONE_LATE, rules.DONE_LATE, rules.DONE]
    with pytest.raises(Rejected, match="该任务已于 2020-05-12 销号"):
        services.request_closure(cast.zhou_shangwu, plan.t1, note="x", attachments=[pdf()])
    # a later report keeps the closure's dates where it completes nothing
    services.submit_report(cast.zhou_shangwu, task, percent=100)
    assert Milestone.objects.filter(task=task, done_on=date(2020, 5, 12)).count() == 3


def test_a_closed_task_leaves_the_red_lists_and_stays_in_the_ledger(cast, plan, media, may_12):
    day = date(2020, 5, 12)
    red_before = {t["number"] for t in queries.board(day, light=rules.RED).tasks}
    assert "1" in red_before
    services.approve_closure(cast.li_ducha, services.request_closure(cast.zhou_shangwu, plan.t1, note="完成",
                                                                     attachments=[pdf()]))
    board = queries.board(day)
    assert "1" in {t["number"] for t in board.tasks}  # still in the ledger
    assert "1" not in {t["number"] for t in queries.board(day, light=rules.RED).tasks}
    data, _ = gantt_rows(day, cast.li_ducha, light=rules.RED)
    assert b'"\xe6\x8b\x9b\xe5\x95\x86' not in data  # 招商…: not among the chart's red tasks
    periods = queries.report_periods_by_unit(date(2020, 5, 1), date(2020, 5, 31), day, Q(pk=plan.t1.pk))
    assert periods == {}  # a finished task owes no report: nothing late or missing for the league
    page = Task.objects.get(pk=plan.t1.pk)
    assert page.closed_on == day


def test_the_closure_pages_for_each_role(client_for, cast, plan, media, may_12):
    url = f"/work/tasks/{plan.t1.pk}/closure"
    assert client_for("zhou_shangwu").post(url, {"note": "完成"}).status_code == 400  # no file
    bad = SimpleUploadedFile("x.pdf", b"not a pdf")
    assert client_for("zhou_shangwu").post(url, {"note": "完成", "attachments": [bad]}).status_code == 400
    assert client_for("sun_jiedao").post(url, {"note": "完成", "attachments": [pdf()]}).status_code == 403
    assert Closure.objects.count() == 0
    assert client_for("zhou_shangwu").post(url, {"note": "完成", "attachments": [pdf()]}).status_code == 302
    closure = Closure.objects.get()
    for username, status in (("li_ducha", 200), ("wang_admin", 200), ("zhou_shangwu", 403), ("sun_leader", 403),
                             ("nobody", 403)):
        assert client_for(username).get("/work/closures/").status_code == status, username
    page = client_for("li_ducha").get("/work/closures/").content.decode()
    assert "批准销号" in page and "验收报告.pdf" in page
    attachment = closure.attachments.get()
    assert client_for("zheng_caizheng").get(f"/work/closures/attachments/{attachment.pk}/").status_code == 200
    assert client_for("ma_lixia").get(f"/work/closures/attachments/{attachment.pk}/").status_code == 403
    assert client_for("zhou_shangwu").post(f"/work/closures/{closure.pk}/approve").status_code == 403
    assert client_for("li_ducha").post(f"/work/closures/{closure.pk}/return", {"note": ""}).status_code == 400
    assert client_for("li_ducha").post(f"/work/closures/{closure.pk}/approve", {"next": "list"}).status_code == 302
    assert Task.objects.get(pk=plan.t1.pk).closed_on == date(2020, 5, 12)
    task_page = client_for("sun_leader").get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert "已销号 2020年5月12日" in task_page and 'data-light="green"' in task_page


@pytest.mark.both_databases  # the partial unique constraints and the locked rows
def test_one_pending_and_one_approved_closure_per_task_in_the_database(cast, plan, media, may_12):
    from django.db import IntegrityError, transaction

    asked = services.request_closure(cast.zhou_shangwu, plan.t1, note="完成", attachments=[pdf()])
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(task=plan.t1, unit=cast.units.shangwu, note="x", requested_on=date(2020, 5, 12))
    services.approve_closure(cast.li_ducha, asked)
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(task=plan.t1, unit=cast.units.shangwu, note="x", requested_on=date(2020, 5, 12),
                               status=ClosureStatus.APPROVED)
    assert Task.objects.get(pk=plan.t1.pk).closed_on == date(2020, 5, 12)


def test_the_supervision_office_is_told_a_closure_request_waits_and_nobody_else(cast, plan, media, may_12):
    from luoshi.notify.models import Message

    services.request_closure(cast.zhou_shangwu, plan.t1, note="项目已签约开工", attachments=[pdf()])
    told = Message.objects.filter(subject__startswith="销号申请待审核")
    assert sorted(m.recipient.username for m in told) == ["li_ducha"]
    assert told.get().link == f"/work/tasks/{plan.t1.pk}/#closure"
