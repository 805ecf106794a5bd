"""The triggers on the small 2020 plan: a unit that answered late twice gets 约谈 proposed, a task red at the end of
three report periods running gets 通报批评 proposed; once per occurrence, by the daily sweep and by the command;
thresholds per county.

Red period ends (monthly reports, none filed; tests/work/conftest.py):
  task 2 区财政局 (from 1 Feb, 2.1 due Fri 3 Apr): Feb green, Mar yellow (Feb missed), Apr–… red (2.1 seriously late)
  task 1 区商务局 (from 1 Mar, 1.1 due 30 Apr):     Mar green, Apr yellow (Mar missed), May–… red
  task 3 历下区府办 (from 1 Mar, 3.1 due 30 Apr):   as task 1, in 历下区 (its own county and settings)
So on 1 Jul 2020 (Apr, May, Jun ended) only task 2 has three red ends; on 1 Aug tasks 1 and 3 follow; task 2's
periods Apr–Jun are spent, and its next occurrence is Jul–Sep (proposed on 1 Oct)."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from luoshi.notify.models import Message
from luoshi.supervision import sweep
from luoshi.supervision.consequences import services, triggers
from luoshi.supervision.consequences.models import Consequence

pytestmark = pytest.mark.django_db


def keys(consequences):
    return sorted((c.unit.short_name, c.get_kind_display(), c.trigger_key.split(":")[0] if c.source == "red_periods"
                   else c.source) for c in consequences)


@pytest.mark.both_databases
def test_a_unit_that_answered_late_twice_gets_one_interview_proposed_by_the_sweep(late_twice, cast):
    result = sweep.sweep(date(2020, 5, 12))
    assert [(c.unit, c.kind, c.source) for c in result.proposals] == [(cast.units.caizheng, "interview", "late_notices")]
    proposal = result.proposals[0]
    assert proposal.region == cast.jiyang and proposal.task.number == "2" and proposal.proposed_on == date(2020, 5, 12)
    assert set(proposal.notices.all()) == {late_twice.first, late_twice.second}
    assert proposal.fact_lines == [
        "督办〔2020〕1号（重点任务「2 合村并点安置区建设」）：2020年3月2日开具，答复时限2020年3月9日，2020年3月11日答复，逾期 2 个工作日",
        "督办〔2020〕2号（重点任务「2 合村并点安置区建设」）：2020年3月16日开具，答复时限2020年3月23日，2020年3月24日答复，逾期 1 个工作日",
    ]
    assert "365 天内有 2 份督办单逾期答复（督办〔2020〕1号、督办〔2020〕2号）" in proposal.reason
    told = Message.objects.filter(subject="待决定：对区财政局的处理建议（约谈）", channel="inapp")
    assert [m.recipient.username for m in told] == ["sun_leader"]  # the region's leader (also task 1's, not task 2's)
    assert "提出处理建议：对区财政局约谈（督办单多次逾期答复，2020年5月12日），待领导决定" in sweep.report_lines(result)
    again = sweep.sweep(date(2020, 5, 12))
    later = sweep.sweep(date(2020, 5, 13))
    assert again.proposals == [] and later.proposals == []
    assert Consequence.objects.count() == 1 and told.count() == 1


def test_one_late_answer_proposes_nothing_and_a_third_waits_for_a_fourth(late_twice, cast, plan):
    from luoshi.supervision import services as notice_services

    assert triggers.evaluate(date(2020, 3, 23)) == []  # the second is not late yet on its deadline
    assert len(triggers.evaluate(date(2020, 3, 24))) == 1
    notice_services.accept(cast.li_ducha, late_twice.second, on=date(2020, 3, 25))
    third = notice_services.open_notice(cast.li_ducha, plan.t2, on=date(2020, 3, 25), reason="再次督办")
    assert third.reply_due == date(2020, 4, 1)
    assert triggers.evaluate(date(2020, 4, 2)) == []  # 1 and 2 are spent; 3 alone is no occurrence


def test_a_county_sets_its_own_threshold_and_zero_turns_the_trigger_off(late_twice, cast):
    services.save_settings(cast.li_ducha, cast.jiyang, {"late_notices": 3, "late_window_days": 365,
                                                        "late_kind": "talk", "red_periods": 0, "red_kind": "criticism"})
    assert triggers.evaluate(date(2020, 7, 1)) == []  # 2 late answers < 3; red periods off in 济阳区
    services.save_settings(cast.li_ducha, cast.jiyang, {"late_notices": 2, "late_window_days": 10,
                                                        "late_kind": "talk", "red_periods": 3, "red_kind": "accountability"})
    made = triggers.evaluate(date(2020, 7, 1))  # deadlines 14 days apart: not within 10 days
    assert keys(made) == [("财政局", "问责（移送纪委监委）", "t2")]


def test_red_three_period_ends_running_propose_a_criticism_once_per_run(cast, plan):
    first = triggers.evaluate(date(2020, 7, 1))
    assert keys(first) == [("财政局", "通报批评", "t2")]
    c = first[0]
    assert c.periods == ["2020-04-01", "2020-05-01", "2020-06-01"] and c.task == plan.t2
    assert list(c.milestones.all()) == [plan.m21]
    assert c.fact_lines[0] == "重点任务「2 合村并点安置区建设」连续 3 个报送周期末亮红灯：2020年4月、2020年5月、2020年6月"
    assert "节点「2.1 完成选址」（重点任务「2 合村并点安置区建设」）完成时限2020年4月3日，截至2020年7月1日严重滞后，已滞后 60 个工作日" \
        in c.fact_lines
    assert triggers.evaluate(date(2020, 7, 1)) == []
    august = triggers.evaluate(date(2020, 8, 1))
    assert keys(august) == [("历下区府办", "通报批评", "t3"), ("商务局", "通报批评", "t1")]
    lixia = next(x for x in august if x.task == plan.t3)
    assert lixia.region == cast.lixia  # 历下区's own county
    assert Message.objects.filter(recipient=cast.ma_lixia, subject__contains="历下区政府办公室").count() == 1
    assert not Message.objects.filter(recipient=cast.sun_leader, subject__contains="历下区政府办公室").exists()
    assert triggers.evaluate(date(2020, 9, 1)) == []  # task 2: Jun is spent; tasks 1 and 3: Jun, Jul spent
    october = triggers.evaluate(date(2020, 10, 1))
    assert keys(october) == [("财政局", "通报批评", "t2")]
    assert october[0].periods == ["2020-07-01", "2020-08-01", "2020-09-01"]


def test_the_command_proposes_as_of_a_day_and_says_so_in_chinese(late_twice):
    out = io.StringIO()
    call_command("supervision", "consequences", "--on", "2020-05-12", stdout=out)
    text = out.getvalue()
    assert "判定日期：2020年5月12日" in text and "对区财政局约谈" in text and "新提出处理建议 1 条" in text
    out = io.StringIO()
    call_command("supervision", "consequences", "--on", "2020-05-12", stdout=out)
    assert "新提出处理建议 0 条" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不是真实的日期|无法识别"):
        call_command("supervision", "consequences", "--on", "2020-02-30")
    with pytest.raises(CommandError, match="晚于今天"):
        call_command("supervision", "consequences", "--on", "2099-01-01")
