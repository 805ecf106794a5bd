"""The daily sweep over a sequence of days on the 2020 plan (no progress report at all, so every task is red from
May): each notice opened once, escalated once, each reminder queued once; the CLI's output."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from luoshi.notify.models import Message
from luoshi.supervision import services, sweep
from luoshi.supervision.models import Notice, NoticeStep
from luoshi.work import services as work_services

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


def run(day):
    out = StringIO()
    call_command("supervision", "sweep", "--on", day, stdout=out)
    return out.getvalue()


def counts():
    return Notice.objects.count(), NoticeStep.objects.count(), Message.objects.count()


def messages(username, contains=""):
    return list(Message.objects.filter(recipient__username=username, subject__contains=contains)
                .order_by("id").values_list("subject", flat=True))


def test_the_sweep_opens_escalates_and_reminds_once_over_a_sequence_of_days(plan, cast):
    out = run("2020-05-12")
    assert "开具督办单 督办〔2020〕1号：1 招商引资项目签约（区商务局），答复时限 2020年5月19日" in out
    assert "督办〔2020〕2号：2 合村并点安置区建设" in out and "督办〔2020〕3号：3 历下区协作事项" in out
    notices = {n.task.number: n for n in Notice.objects.select_related("task")}
    assert {n.source for n in notices.values()} == {"sweep"} and {n.state for n in notices.values()} == {"pending"}
    assert notices["3"].region == cast.lixia and notices["1"].opened_by is None
    # on opening, each lead unit's people are told; April ended with no report: one 缺报 reminder per task
    assert messages("zhou_shangwu") == ["收到督办单督办〔2020〕1号，请于2020年5月19日前答复",
                                        "缺报提醒：「1 招商引资项目签约」2020年4月1日至2020年4月30日未报送进度"]
    assert len(messages("zheng_caizheng")) == 2 and len(messages("ma_lixia")) == 2
    assert "合计：开具督办单 3 份，升级督办 0 份，新排队提醒 6 条。" in out
    after_first = counts()

    again = run("2020-05-12")
    assert "合计：开具督办单 0 份，升级督办 0 份，新排队提醒 0 条。" in again
    assert counts() == after_first
    run("2020-05-13")
    assert counts() == after_first  # still red, notices open; the April reminder is once per period

    # Mon 18 May is the working day before reply_due (Tue 19 May): each unit is reminded, once
    out = run("2020-05-18")
    assert "督办单待答复 3 条" in out
    assert messages("zhou_shangwu", "明日到期") == ["督办单督办〔2020〕1号明日到期，请于2020年5月19日前答复"]
    assert NoticeStep.objects.filter(kind="reminded", on=date(2020, 5, 18)).count() == 3
    reminded = counts()
    run("2020-05-18")
    assert counts() == reminded

    # 区财政局 answers in time; the other two are not answered by Tue 19 May
    services.reply(cast.zheng_caizheng, notices["2"], "选址已报批。", on=date(2020, 5, 19))
    assert "升级督办 0 份" in run("2020-05-19")  # reply_due itself is not past yet
    out = run("2020-05-20")
    assert "升级督办 督办〔2020〕1号：区商务局逾期未答复，报孙区长" in out  # the task's leader
    assert "升级督办 督办〔2020〕3号：历下区政府办公室逾期未答复，报马区长" in out  # no leader: the region's leaders
    assert "督办〔2020〕2号" not in out
    for number in ("1", "3"):
        notices[number].refresh_from_db()
        assert notices[number].escalated_on == date(2020, 5, 20)
    assert messages("sun_leader", "升级督办") == ["升级督办：督办〔2020〕1号 招商引资项目签约"]
    assert messages("ma_lixia", "升级督办") == ["升级督办：督办〔2020〕3号 历下区协作事项"]
    assert messages("zhou_shangwu", "已升级督办") == ["督办单督办〔2020〕1号逾期未答复，已升级督办"]
    escalated = counts()
    for day in ("2020-05-20", "2020-05-21", "2020-05-22"):
        assert "升级督办 0 份" in run(day)
    assert counts() == escalated
    assert NoticeStep.objects.filter(kind="escalated").count() == 2


def test_a_task_whose_notice_is_still_open_gets_no_second_one_and_a_closed_one_does_not_stop_the_next_day(plan, cast):
    notice = services.open_notice(cast.li_ducha, plan.t1, on=date(2020, 5, 11))
    run("2020-05-12")
    assert Notice.objects.filter(task=plan.t1).count() == 1
    services.reply(cast.zhou_shangwu, notice, "已整改。", on=date(2020, 5, 12))
    services.accept(cast.li_ducha, notice, on=date(2020, 5, 12))
    run("2020-05-13")  # still red the next day: a new notice
    assert list(Notice.objects.filter(task=plan.t1).values_list("serial", "state")) == [(4, "pending"), (1, "closed")]


def test_milestones_due_in_7_and_3_working_days_are_reminded_to_the_lead_unit(plan, cast, settings):
    settings.LUOSHI_REMIND_BEFORE_DAYS = "7,3"
    # 1.3 due Tue 30 Jun 2020; 端午 Thu 25 – Sat 27 Jun off, Sun 28 Jun worked. Working days after Thu 18 Jun through
    # 30 Jun: 19, 22, 23, 24, 28, 29, 30 = 7; after Wed 24 Jun: 28, 29, 30 = 3.
    run("2020-06-17")
    assert messages("zhou_shangwu", "1.3") == []
    run("2020-06-18")
    run("2020-06-18")
    assert messages("zhou_shangwu", "1.3") == ["节点「1.3 项目开工」还有 7 个工作日到期（2020年6月30日）"]
    run("2020-06-24")
    assert messages("zhou_shangwu", "1.3")[-1] == "节点「1.3 项目开工」还有 3 个工作日到期（2020年6月30日）"
    assert messages("sun_jiedao", "1.3") == []  # the lead unit's people only


def test_a_report_due_tomorrow_is_reminded_unless_the_period_has_its_report(plan, cast):
    # May 2020, monthly, no due day set: due on the last working day, Fri 29 May; reminded on Thu 28 May
    work_services.submit_report(cast.zheng_caizheng, plan.t2, percent=50, done_text="选址推进中")
    Message.objects.all().delete()
    from luoshi.work.models import ProgressReport
    ProgressReport.objects.filter(task=plan.t2).update(reported_on=date(2020, 5, 20))
    run("2020-05-27")
    assert messages("zhou_shangwu", "报送提醒") == []
    run("2020-05-28")
    run("2020-05-28")
    assert messages("zhou_shangwu", "报送提醒") == ["报送提醒：「1 招商引资项目签约」本期进度请于2020年5月29日前报送"]
    assert messages("zheng_caizheng", "报送提醒") == []


def test_a_sweep_in_a_year_the_holiday_calendar_does_not_cover_says_so_once_on_standard_error(plan, cast):
    out, err = StringIO(), StringIO()
    with time_machine.travel("2031-03-04 07:30 +0800", tick=False):
        call_command("supervision", "sweep", "--on", "2031-03-04", stdout=out, stderr=err)
    assert err.getvalue().count("放假安排尚未录入") == 1
    assert "注意：2031年放假安排尚未录入，截止日期按周末计算" in err.getvalue() and "放假安排" not in out.getvalue()
    # Tue 4 Mar 2031 + 5 working days, Monday to Friday: Tue 11 Mar
    assert Notice.objects.filter(year=2031).first().reply_due == date(2031, 3, 11)


def test_a_sweep_of_a_day_still_to_come_is_refused_in_chinese_and_nothing_happens(plan, cast):
    with time_machine.travel("2020-05-12 07:30 +0800", tick=False):
        with pytest.raises(CommandError, match="巡查日期（2020年5月13日）晚于今天（2020年5月12日）"):
            run("2020-05-13")
        assert counts() == (0, 0, 0)
        run("2020-05-12")  # today's is the sweep of every morning
    assert counts()[0] > 0


def test_a_sweep_date_that_is_not_a_date_is_refused_in_chinese_and_nothing_happens(plan, cast):
    with pytest.raises(CommandError, match="无法识别的巡查日期「2020-13-45」|巡查日期「2020-13-45」不是真实的日期"):
        run("2020-13-45")
    assert counts() == (0, 0, 0)


def test_the_sweep_result_lists_the_reminders_by_kind(plan, cast):
    result = sweep.sweep(date(2020, 5, 12))
    assert dict(result.reminders) == {"notice": 3, "missing": 3}
