"""Notices through their services: numbers, the reason, the reply → return → reply → accept path, bad input."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.notify.models import Message
from luoshi.supervision import services
from luoshi.supervision.models import Notice, NoticeCounter, NoticeStep

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


def test_notices_are_numbered_without_gaps_per_year_and_a_second_open_notice_on_a_task_is_refused(plan, cast):
    first = services.open_notice(cast.li_ducha, plan.t1, on=date(2020, 5, 12))
    with pytest.raises(Rejected, match="已有未办结的督办单（督办〔2020〕1号）"):
        services.open_notice(cast.li_ducha, plan.t1, on=date(2020, 5, 13))
    second = services.open_notice(cast.li_ducha, plan.t2, on=date(2020, 5, 13))
    next_year = services.open_notice(None, plan.t3, on=date(2021, 1, 4))
    assert [first.number, second.number, next_year.number] == ["督办〔2020〕1号", "督办〔2020〕2号", "督办〔2021〕1号"]
    assert NoticeCounter.objects.get(year=2020).last == 2  # the refused one took no number
    assert Notice.objects.count() == 3


def test_a_new_notice_goes_to_the_lead_unit_copied_to_the_responsible_units_with_a_reason_from_the_red_light(plan, cast):
    notice = services.open_notice(cast.li_ducha, plan.t1, on=date(2020, 5, 12))
    assert notice.unit == cast.units.shangwu and list(notice.copied_units.all()) == [cast.units.town]
    assert notice.leader_name == "孙区长" and notice.leader.user == cast.sun_leader
    assert notice.region == cast.jiyang and notice.state == "pending" and notice.source == "manual"
    # Tue 12 May + 5 working days = Tue 19 May 2020
    assert notice.opened_on == date(2020, 5, 12) and notice.reply_due == date(2020, 5, 19)
    # 1.1 due Thu 30 Apr: working days after it through 12 May are 6 (五一 1–5 May off, Sat 9 May worked)
    assert "节点「1.1 完成项目洽谈」完成时限2020年4月30日" in notice.reason
    assert "已滞后 6 个工作日" in notice.reason
    assert "已连续 2 期未报送进度" in notice.reason  # March and April, no report at all
    step = notice.steps.get()
    assert (step.kind, step.by, step.on, step.text) == ("opened", cast.li_ducha, date(2020, 5, 12), notice.reason)
    assert AuditEntry.objects.filter(action="开具督办单", object_id=str(notice.pk)).count() == 1
    assert set(Message.objects.filter(subject__startswith="收到督办单").values_list("recipient__username", flat=True)) \
        == {"zhou_shangwu"}


def test_a_notice_on_one_milestone_names_only_that_milestone(plan, cast):
    notice = services.open_notice(cast.li_ducha, plan.t1, milestone=plan.m12, on=date(2020, 5, 12))
    assert "1.2 签订合作协议" in notice.reason and "1.1" not in notice.reason


def test_a_milestone_of_another_task_an_empty_reason_or_a_reply_due_not_after_opening_is_refused(plan, cast):
    with pytest.raises(Rejected, match="不属于该重点任务"):
        services.open_notice(cast.li_ducha, plan.t1, milestone=plan.m21, on=date(2020, 5, 12))
    with pytest.raises(Rejected, match="督办事由不能为空"):
        services.open_notice(cast.li_ducha, plan.t1, reason="   ", on=date(2020, 5, 12))
    with pytest.raises(Rejected, match="答复时限"):
        services.open_notice(cast.li_ducha, plan.t1, reply_due=date(2020, 5, 12), on=date(2020, 5, 12))
    assert not Notice.objects.exists() and not NoticeCounter.objects.filter(last__gt=0).exists()


def test_a_notice_is_answered_sent_back_answered_again_and_accepted_each_step_kept(notice, cast):
    services.reply(cast.zhou_shangwu, notice, "已约谈企业，5月底前签约。", on=date(2020, 5, 14))
    notice.refresh_from_db()
    assert (notice.state, notice.replied_on, notice.first_replied_on) == ("replied", date(2020, 5, 14), date(2020, 5, 14))
    services.return_notice(cast.li_ducha, notice, "整改措施不具体，请列明时间表。", on=date(2020, 5, 15))
    notice.refresh_from_db()
    assert notice.state == "returned"
    assert Message.objects.filter(recipient=cast.zhou_shangwu, subject__contains="被退回").count() == 1
    services.reply(cast.zhou_shangwu, notice, "5月20日签约，6月开工。", on=date(2020, 5, 18))
    notice.refresh_from_db()
    assert (notice.state, notice.replied_on, notice.first_replied_on) == ("replied", date(2020, 5, 18), date(2020, 5, 14))
    services.accept(cast.li_ducha, notice, on=date(2020, 5, 19))
    notice.refresh_from_db()
    assert notice.state == "closed"
    steps = list(notice.steps.values_list("kind", "on", "by__username"))
    assert steps == [("opened", date(2020, 5, 12), "li_ducha"), ("replied", date(2020, 5, 14), "zhou_shangwu"),
                     ("returned", date(2020, 5, 15), "li_ducha"), ("replied", date(2020, 5, 18), "zhou_shangwu"),
                     ("accepted", date(2020, 5, 19), "li_ducha")]
    actions = list(AuditEntry.objects.filter(object_id=str(notice.pk), object_type="supervision.Notice")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["开具督办单", "答复督办单", "退回督办单", "答复督办单", "办结督办单"]
    # closed: a new notice on the task may be opened again
    assert services.open_notice(cast.li_ducha, notice.task, on=date(2020, 5, 20)).number == "督办〔2020〕2号"


def test_an_empty_reply_is_refused_and_nothing_is_saved(notice, cast):
    with pytest.raises(Rejected, match="答复内容不能为空"):
        services.reply(cast.zhou_shangwu, notice, "  \n ")
    notice.refresh_from_db()
    assert notice.state == "pending" and notice.steps.count() == 1


def test_a_unit_cannot_answer_another_units_notice_nor_a_copied_unit_the_lead_units(notice, cast):
    for user in (cast.zheng_caizheng, cast.sun_jiedao, cast.li_ducha, cast.sun_leader):
        with pytest.raises(PermissionDenied):
            services.reply(user, notice, "代为答复")
    assert notice.steps.count() == 1 and Notice.objects.get().state == "pending"


def test_accepting_twice_returning_a_closed_notice_and_accepting_before_any_answer_are_refused(notice, cast):
    with pytest.raises(Rejected, match="尚未收到答复"):
        services.accept(cast.li_ducha, notice)
    services.reply(cast.zhou_shangwu, notice, "已整改。")
    services.accept(cast.li_ducha, notice)
    with pytest.raises(Rejected, match="已办结，不能再办结"):
        services.accept(cast.li_ducha, notice)
    with pytest.raises(Rejected, match="已办结，不能再退回"):
        services.return_notice(cast.li_ducha, notice, "再查")
    with pytest.raises(Rejected, match="已办结，不能再答复"):
        services.reply(cast.zhou_shangwu, notice, "补充")
    assert NoticeStep.objects.filter(kind="accepted").count() == 1


def test_a_return_needs_a_reason_and_only_the_office_returns_or_accepts(notice, cast):
    services.reply(cast.zhou_shangwu, notice, "已整改。")
    with pytest.raises(Rejected, match="退回理由不能为空"):
        services.return_notice(cast.li_ducha, notice, "")
    for user in (cast.zhou_shangwu, cast.sun_leader, cast.zheng_caizheng):
        with pytest.raises(PermissionDenied):
            services.accept(user, notice)
        with pytest.raises(PermissionDenied):
            services.return_notice(user, notice, "不行")
    assert Notice.objects.get().state == "replied"


def test_a_unit_answering_twice_before_review_is_refused(notice, cast):
    services.reply(cast.zhou_shangwu, notice, "已整改。")
    with pytest.raises(Rejected, match="已答复，等待督查室审核"):
        services.reply(cast.zhou_shangwu, notice, "再补充一点")


def test_only_the_office_of_the_tasks_region_opens_a_notice(plan, cast, lixia_office):
    for user in (cast.sun_leader, cast.zhou_shangwu, cast.zhao_fagai, cast.liu_ducha):
        with pytest.raises(PermissionDenied):
            services.open_notice(user, plan.t1, on=date(2020, 5, 12))
    assert services.open_notice(cast.liu_ducha, plan.t3, on=date(2020, 5, 12)).region == cast.lixia
    assert Notice.objects.count() == 1


def test_notice_messages_reach_only_people_who_may_open_the_notice(plan, cast, may_12):
    """赵发改 is a person of 区发展和改革局 in the analysis role, which does not read notices: a message linking to a
    notice on a task 发改局 leads would answer him 403, so he gets none; 周商务 (unit role) gets his unit's."""
    from luoshi.notify.models import Message
    from luoshi.supervision import services
    from luoshi.work import services as work_services

    task, _ = work_services.save_task(None, campaign=plan.zs, number="9", title="外资招引专班", lead_unit=cast.units.fagai,
                                      start=date(2020, 3, 1), deadline=date(2020, 6, 30))
    work_services.save_milestone(None, task=task, number="9.1", title="组建专班", due=date(2020, 4, 10))
    notice = services.open_notice(cast.li_ducha, task, on=may_12)
    services.remind_awaiting(notice, may_12, "opened")
    assert not Message.objects.filter(recipient=cast.zhao_fagai).exists()
    other = services.open_notice(cast.li_ducha, plan.t1, on=may_12)
    services.remind_awaiting(other, may_12, "opened")
    assert Message.objects.filter(recipient=cast.zhou_shangwu, link__contains=f"/supervision/notices/{other.pk}/").exists()


def test_a_returned_notice_gets_a_new_deadline_and_escalates_past_it(notice, cast, client_for):
    import io

    import time_machine
    from django.core.management import call_command

    services.reply(cast.zhou_shangwu, notice, "已约谈企业。", on=date(2020, 5, 14))
    services.return_notice(cast.li_ducha, notice, "整改措施不具体。", on=date(2020, 5, 15))  # Friday
    notice.refresh_from_db()
    # five working days from the return: Mon 18 … Fri 22 May; the first answer's deadline (Tue 19 May) is kept
    assert (notice.reply_due, notice.returned_on, notice.redo_due) == (date(2020, 5, 19), date(2020, 5, 15), date(2020, 5, 22))
    assert notice.answer_due == date(2020, 5, 22)
    assert notice.steps.get(kind="returned").text == "整改措施不具体。（请于2020年5月22日前重新答复）"
    assert Message.objects.filter(recipient=cast.zhou_shangwu, subject=f"{notice.number}被退回，请于2020年5月22日前重新答复").exists()
    assert not services.is_overdue_for_reply(notice, date(2020, 5, 22))
    assert services.is_overdue_for_reply(notice, date(2020, 5, 25))
    with time_machine.travel("2020-05-25 09:00 +0800", tick=False):
        page = client_for("li_ducha").get("/supervision/notices/?overdue=1").content.decode()
        assert notice.number in page and "退回后" in page and '<span class="status overdue">逾期未答复</span>' in page
        api = client_for("zhou_shangwu").get(f"/api/v1/supervision/notices/{notice.pk}").json()
        assert (api["reply_due"], api["redo_due"], api["answer_due"]) == ("2020-05-19", "2020-05-22", "2020-05-22")
        overdue = client_for("li_ducha").get("/api/v1/supervision/notices?overdue=1").json()
        assert notice.number in str(overdue)
        call_command("supervision", "sweep", "--on", "2020-05-25", stdout=io.StringIO())
    notice.refresh_from_db()
    assert notice.escalated_on == date(2020, 5, 25)
    assert "退回后逾期未答复（答复时限2020年5月22日），升级督办" in notice.steps.get(kind="escalated").text
    # once per round: the next sweep does not escalate it again
    with time_machine.travel("2020-05-26 09:00 +0800", tick=False):
        call_command("supervision", "sweep", "--on", "2020-05-26", stdout=io.StringIO())
    assert notice.steps.filter(kind="escalated").count() == 1


def test_the_migration_gives_notices_returned_before_it_the_deadline_a_return_now_sets(notice, cast):
    import importlib

    from django.apps import apps

    services.reply(cast.zhou_shangwu, notice, "已约谈企业。", on=date(2020, 5, 14))
    services.return_notice(cast.li_ducha, notice, "整改措施不具体。", on=date(2020, 5, 15))
    Notice.objects.filter(pk=notice.pk).update(returned_on=None, redo_due=None)  # as a return left it before
    migration = importlib.import_module("luoshi.supervision.migrations.0002_notice_returned_redo_due")
    migration.date_returned_notices(apps, None)
    notice.refresh_from_db()
    assert (notice.returned_on, notice.redo_due) == (date(2020, 5, 15), date(2020, 5, 22))


def test_an_escalation_past_a_leader_without_an_account_says_to_whom_and_why(plan, cast):
    from luoshi.work.models import Task

    Task.objects.filter(pk=plan.t2.pk).update(leader_name="陈立新")  # a 分管领导 named in the plan, with no account
    plan.t2.refresh_from_db()
    notice = services.open_notice(cast.li_ducha, plan.t2, on=date(2020, 5, 12))
    assert notice.leader_name == "陈立新"
    escalation = services.escalate(None, notice, on=date(2020, 5, 20))
    assert [u.username for u in escalation.users] == ["sun_leader"]  # 济阳区's leader instead
    assert notice.steps.get(kind="escalated").text.endswith("升级督办，报济阳区领导孙区长（责任领导陈立新未开通账号）")


def test_the_office_escalates_an_overdue_notice_at_once_on_the_page_and_the_api_and_nobody_else_does(
        notice, cast, client_for):
    import time_machine

    url = f"/supervision/notices/{notice.pk}"
    assert 'id="escalate-form"' not in client_for("li_ducha").get(url + "/").content.decode()  # not overdue on 12 May
    refused = client_for("li_ducha").post(url + "/escalate")
    assert refused.status_code == 400 and "未逾期（答复时限2020年5月19日），不能升级督办" in refused.content.decode()
    with time_machine.travel("2020-05-20 09:00 +0800", tick=False):
        assert client_for("zhou_shangwu").post(url + "/escalate").status_code in (403, 404)  # the unit may not
        assert client_for("zhou_shangwu").post(f"/api/v1/supervision/notices/{notice.pk}/escalate",
                                               content_type="application/json").status_code in (403, 404)
        notice.refresh_from_db()
        assert notice.escalated_on is None
        page = client_for("li_ducha").get(url + "/").content.decode()
        assert 'id="escalate-form"' in page
        done = client_for("li_ducha").post(url + "/escalate")
        assert done.status_code == 302
        notice.refresh_from_db()
        assert notice.escalated_on == date(2020, 5, 20)
        assert Message.objects.filter(recipient=cast.sun_leader, subject__startswith="升级督办").exists()
        again = client_for("li_ducha").post(f"/api/v1/supervision/notices/{notice.pk}/escalate",
                                            content_type="application/json")
        assert again.status_code == 400 and "已于2020年5月20日升级督办" in again.json()["error"]


def test_the_printed_and_word_notice_ask_for_the_answer_by_the_deadline_the_return_set(notice, cast, client_for):
    import io

    from docx import Document

    services.reply(cast.zhou_shangwu, notice, "已约谈企业。", on=date(2020, 5, 14))
    services.return_notice(cast.li_ducha, notice, "整改措施不具体。", on=date(2020, 5, 15))
    printed = client_for("li_ducha").get(f"/supervision/notices/{notice.pk}/print").content.decode()
    assert "于2020年5月22日前将办理情况书面报" in printed
    document = Document(io.BytesIO(client_for("li_ducha").get(f"/supervision/notices/{notice.pk}/docx").content))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "于2020年5月22日前将办理情况书面报" in text and "2020年5月22日（2020年5月15日退回）" in text


def test_a_unit_answers_with_a_file_that_the_office_downloads_and_others_cannot(notice, cast, client_for, settings,
                                                                                tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.supervision.models import StepAttachment

    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"
    unit = client_for("zhou_shangwu")
    refused = unit.post(f"/supervision/notices/{notice.pk}/reply", {
        "text": "见附件。", "attachments": [SimpleUploadedFile("整改方案.exe", b"MZ\x90\x00")]})
    assert refused.status_code == 400 and "附件「整改方案.exe」的类型不允许" in refused.content.decode()
    notice.refresh_from_db()
    assert notice.state == "pending" and not StepAttachment.objects.exists()  # nothing saved
    answered = unit.post(f"/supervision/notices/{notice.pk}/reply", {
        "text": "见附件。", "attachments": [SimpleUploadedFile("整改方案.pdf", pdf, content_type="application/pdf")]})
    assert answered.status_code == 302
    notice.refresh_from_db()
    item = StepAttachment.objects.get()
    assert notice.state == "replied" and item.step.kind == "replied" and (item.name, item.size) == ("整改方案.pdf", len(pdf))
    page = client_for("li_ducha").get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert f'href="/supervision/notices/attachments/{item.pk}"' in page and "整改方案.pdf" in page
    download = client_for("li_ducha").get(f"/supervision/notices/attachments/{item.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert client_for("ma_lixia").get(f"/supervision/notices/attachments/{item.pk}").status_code in (403, 404)
    assert client_for("wu_cunju").get(f"/supervision/notices/attachments/{item.pk}").status_code in (403, 404)


def test_a_notice_escalated_once_returned_and_not_answered_again_is_escalated_again_by_the_sweep(notice, cast):
    import io

    import time_machine
    from django.core.management import call_command

    def sweep(day):
        with time_machine.travel(f"{day} 07:30 +0800", tick=False):
            call_command("supervision", "sweep", "--on", day, stdout=io.StringIO())

    sweep("2020-05-20")  # past Tue 19 May unanswered: escalated
    services.reply(cast.zhou_shangwu, notice, "已约谈企业。", on=date(2020, 5, 21))
    services.return_notice(cast.li_ducha, notice, "整改措施不具体。", on=date(2020, 5, 22))  # again by Fri 29 May
    sweep("2020-05-29")
    assert notice.steps.filter(kind="escalated").count() == 1  # not yet late for the second answer
    sweep("2020-06-01")
    sweep("2020-06-02")
    assert list(notice.steps.filter(kind="escalated").values_list("on", flat=True)) == [date(2020, 5, 20), date(2020, 6, 1)]
