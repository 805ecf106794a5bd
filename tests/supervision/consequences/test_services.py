"""结果运用's writes: proposing, the leader's one decision (its 文号, a change of kind with a note, a refusal with a
reason), who is told; 典型经验 versions and adoption; league adjustments beside the score. Refused writes change
nothing and say why in Chinese."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.notify.models import Message
from luoshi.orgs import services as org_services
from luoshi.orgs.models import Person
from luoshi.supervision.consequences import services
from luoshi.supervision.consequences.models import (AdjustmentDecision, Consequence, ConsequenceDecision, Experience,
                                                    LeagueAdjustment)
from luoshi.supervision.league.queries import league
from luoshi.work.models import Task
from tests.supervision.test_league import build_april

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(cast, plan, may_12):
    """The office proposes 约谈 for 区财政局 from task 2's chain on 12 May 2020."""
    return services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="interview", reason="完成选址严重滞后，建议约谈",
                            task=plan.t2, milestones=[plan.m21])


def inbox(user):
    return list(Message.objects.filter(recipient=user, channel="inapp").values_list("subject", flat=True))


def test_the_office_proposes_from_the_chain_with_the_facts_as_of_the_day(proposal, cast, plan):
    assert (proposal.region, proposal.unit, proposal.kind, proposal.source) == (cast.jiyang, cast.units.caizheng,
                                                                                "interview", "manual")
    assert proposal.fact_lines == [
        "节点「2.1 完成选址」（重点任务「2 合村并点安置区建设」）完成时限2020年4月3日，截至2020年5月12日严重滞后，已滞后 25 个工作日",
        "重点任务「2 合村并点安置区建设」截至2020年5月12日已连续 3 期未报送进度"]
    assert proposal.proposed_by == cast.li_ducha and not proposal.decided
    assert inbox(cast.sun_leader) == ["待决定：对区财政局的处理建议（约谈）"]
    assert inbox(cast.zheng_caizheng) == []  # a unit hears of a decision, not of a proposal
    assert AuditEntry.objects.filter(action="提出处理建议", object_id=str(proposal.pk)).count() == 1


@pytest.mark.parametrize("username", ["sun_leader", "zhou_shangwu", "zheng_caizheng", "zhao_fagai", "ma_lixia", "nobody"])
def test_only_the_countys_office_proposes(username, cast, plan, may_12):
    with pytest.raises(PermissionDenied, match="只有济阳区督查室可以提出处理建议"):
        services.propose(getattr(cast, username), unit=cast.units.caizheng, kind="interview", reason="x", task=plan.t2)
    assert Consequence.objects.count() == 0


def test_another_countys_office_proposes_nothing_about_jiyang(cast, plan, may_12, lixia_office):
    with pytest.raises(PermissionDenied):
        services.propose(lixia_office, unit=cast.units.caizheng, kind="interview", reason="x")
    with pytest.raises(Rejected, match="不属于历下区"):  # its own county's proposal about a task of 济阳区
        services.propose(lixia_office, unit=cast.units.lixia_gov, kind="talk", reason="x", task=plan.t2)
    assert Consequence.objects.count() == 0


@pytest.mark.parametrize("change, message", [
    ({"kind": "fine"}, "处理方式应为"), ({"reason": "  "}, "建议理由不能为空"), ({"reason": "长" * 5001}, "建议理由过长"),
])
def test_a_bad_proposal_is_refused_in_chinese(change, message, cast, plan, may_12):
    with pytest.raises(Rejected, match=message):
        services.propose(cast.li_ducha, **{"unit": cast.units.caizheng, "kind": "interview", "reason": "理由", **change})
    assert Consequence.objects.count() == 0


def test_a_person_must_belong_to_the_unit_and_milestones_to_the_task(cast, plan, may_12):
    other = Person.objects.get(user=cast.zhou_shangwu)  # 区商务局's
    with pytest.raises(Rejected, match="周商务不是区财政局的人员"):
        services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="talk", reason="x", person=other)
    with pytest.raises(Rejected, match="不属于所选重点任务"):
        services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="talk", reason="x", task=plan.t2,
                         milestones=[plan.m11])
    own = Person.objects.get(user=cast.zheng_caizheng)
    made = services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="talk", reason="x", person=own)
    assert made.person_name == "郑财政"


def test_the_leader_approves_and_the_decision_gets_the_next_number_and_the_unit_is_told(proposal, cast, plan):
    decided = services.decide(cast.sun_leader, proposal, approve=True, note="请区财政局主要负责同志来谈")
    d = decided.decision
    assert (d.approved, d.kind, d.number, d.decided_on, d.decider_name) == (True, "interview", "济阳督查〔2020〕1号",
                                                                            date(2020, 5, 12), "孙区长")
    assert inbox(cast.zheng_caizheng) == ["关于对区财政局进行约谈的通知（济阳督查〔2020〕1号）"]
    assert "处理建议已决定：对区财政局同意约谈（济阳督查〔2020〕1号）" in inbox(cast.li_ducha)
    second = services.propose(cast.li_ducha, unit=cast.units.shangwu, kind="talk", reason="洽谈滞后", task=plan.t1)
    refused = services.propose(cast.li_ducha, unit=cast.units.shangwu, kind="criticism", reason="再议", task=plan.t1)
    services.decide(cast.sun_leader, refused, approve=False, note="已整改")
    assert services.decide(cast.sun_leader, second, approve=True).decision.number == "济阳督查〔2020〕2号"
    assert ConsequenceDecision.objects.get(consequence=refused).number == ""  # a refusal takes no number


def test_a_decision_is_final_a_change_of_mind_is_a_new_proposal(proposal, cast):
    services.decide(cast.sun_leader, proposal, approve=False, note="已约谈过")
    with pytest.raises(Rejected, match="该处理建议已决定，不能更改"):
        services.decide(cast.sun_leader, proposal, approve=True)
    assert ConsequenceDecision.objects.get().approved is False
    assert ConsequenceDecision.objects.count() == 1


def test_the_leader_may_change_the_kind_with_a_note_and_refuses_with_a_reason(proposal, cast):
    with pytest.raises(Rejected, match="改为通报批评须写明意见"):
        services.decide(cast.sun_leader, proposal, approve=True, kind="criticism")
    with pytest.raises(Rejected, match="不同意须写明理由"):
        services.decide(cast.sun_leader, proposal, approve=False, note=" ")
    assert not ConsequenceDecision.objects.exists()
    services.decide(cast.sun_leader, proposal, approve=True, kind="criticism", note="情节较重，予以通报批评")
    proposal.refresh_from_db()
    assert proposal.kind == "interview" and proposal.decision.kind == "criticism"  # the proposal is kept as it was


@pytest.mark.parametrize("username", ["wang_admin", "li_ducha", "zheng_caizheng", "ma_lixia", "zhao_fagai", "nobody"])
def test_only_the_countys_leader_decides(username, proposal, cast):
    with pytest.raises(PermissionDenied, match="只有济阳区的领导可以决定处理建议"):
        services.decide(getattr(cast, username), proposal, approve=True)
    assert not ConsequenceDecision.objects.exists()


def test_the_tasks_responsible_leader_decides_a_proposal_about_it(cast, plan, may_12):
    deputy = org_services.create_account(None, username="chen_fuqu", password=cast.password, full_name="陈副区长")
    person = org_services.save_person(None, name="陈副区长", title="副区长", unit=cast.units.ducha, user=deputy)
    person = person[0] if isinstance(person, tuple) else person
    Task.objects.filter(pk=plan.t2.pk).update(leader=person)  # scene: task 2's responsible leader
    task = Task.objects.get(pk=plan.t2.pk)
    made = services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="talk", reason="x", task=task)
    assert "待决定：对区财政局的处理建议（提醒谈话）" in inbox(deputy)
    services.decide(deputy, made, approve=True)
    other = services.propose(cast.li_ducha, unit=cast.units.shangwu, kind="talk", reason="x", task=plan.t1)
    with pytest.raises(PermissionDenied):
        services.decide(deputy, other, approve=True)  # not task 1's leader, no leader role


# --- 典型经验 ---------------------------------------------------------------------------------------------------------

APRIL = date(2020, 4, 1)


@pytest.fixture
def april(cast, plan):
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        build_april(cast, plan)
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        yield APRIL


def test_the_top_unit_writes_its_experience_in_versions_and_the_office_adopts_one(april, cast):
    first = services.write_experience(cast.zhou_shangwu, cast.units.shangwu, april, title="专班推进招商",
                                      text="成立招商专班，一企一策。")
    second = services.write_experience(cast.zhou_shangwu, cast.units.shangwu, april, title="专班推进招商",
                                       text="成立招商专班，一企一策，周调度。")
    first.refresh_from_db()
    assert (first.version, first.is_current, second.version, second.is_current) == (1, False, 2, True)
    adopted = services.adopt_experience(cast.li_ducha, second)
    assert adopted.adopted_on == date(2020, 5, 12) and adopted.adopted_by == cast.li_ducha
    with pytest.raises(Rejected, match="该版本已于2020年5月12日采用"):
        services.adopt_experience(cast.li_ducha, second)
    with pytest.raises(Rejected, match="只能采用现行版本"):
        services.adopt_experience(cast.li_ducha, first)
    third = services.write_experience(cast.zhou_shangwu, cast.units.shangwu, april, title="专班推进招商（修订）", text="……")
    second.refresh_from_db()
    assert third.adopted_on is None and second.adopted_on == date(2020, 5, 12)  # the adopted version stays adopted


def test_only_a_top_unit_writes_and_only_its_own(april, cast):
    with pytest.raises(Rejected, match="区财政局不是2020年4月考核的先进单位"):
        services.write_experience(cast.zheng_caizheng, cast.units.caizheng, april, title="t", text="x")
    with pytest.raises(Rejected, match="只有区商务局可以报送本单位的典型经验"):
        services.write_experience(cast.zheng_caizheng, cast.units.shangwu, april, title="t", text="x")
    with pytest.raises(Rejected, match="只有区商务局可以报送"):
        services.write_experience(cast.li_ducha, cast.units.shangwu, april, title="t", text="x")
    assert not Experience.objects.exists()
    written = services.write_experience(cast.zhou_shangwu, cast.units.shangwu, april, title="t", text="x")
    for username in ("zhou_shangwu", "sun_leader", "zheng_caizheng"):
        with pytest.raises(Rejected, match="只有该区督查室可以采用"):
            services.adopt_experience(getattr(cast, username), written)


# --- league adjustments -----------------------------------------------------------------------------------------------

def rows(period):
    return {r.unit: r for r in league(period, today=date(2020, 5, 12)).rows}


def test_an_adjustment_waits_for_the_leader_then_shows_beside_the_score_without_moving_the_rank(april, cast):
    adjustment = services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng, period=april,
                                             points=20, reason="承办区委交办急难任务成效突出")
    pending = rows(april)["财政局"]
    assert (pending.score, pending.adjustment, pending.adjusted_score, pending.adjustment_pending) == (82, 0, 82, 20)
    assert "待批准：区财政局2020年4月考核＋20分" in inbox(cast.sun_leader)
    services.decide_adjustment(cast.sun_leader, adjustment, approve=True)
    after = rows(april)["财政局"]
    assert (after.score, after.adjustment, after.adjusted_score, after.adjustment_pending, after.rank) == (82, 20, 102, 0, 4)
    assert after.as_json()["score"] == 82 and after.as_json()["adjusted_score"] == 102
    refused = services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng, period=april,
                                          points=-5, reason="材料报送不及时")
    services.decide_adjustment(cast.sun_leader, refused, approve=False, note="已在报送项扣分，不重复扣分")
    assert rows(april)["财政局"].adjustment == 20  # a refused adjustment counts nowhere
    with pytest.raises(Rejected, match="该加减分已决定"):
        services.decide_adjustment(cast.sun_leader, refused, approve=True)
    assert AdjustmentDecision.objects.count() == 2


def test_adjustments_are_the_offices_to_propose_and_the_leaders_to_approve(april, cast, lixia_office):
    for user in (cast.sun_leader, cast.zhou_shangwu, lixia_office, cast.zhao_fagai):
        with pytest.raises(PermissionDenied):
            services.propose_adjustment(user, region=cast.jiyang, unit=cast.units.caizheng, period=april, points=2,
                                        reason="x")
    with pytest.raises(Rejected, match="加减分应为 -20 至 20"):
        services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng, period=april,
                                    points=21, reason="x")
    with pytest.raises(Rejected, match="加减分理由不能为空"):
        services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng, period=april,
                                    points=2, reason="")
    with pytest.raises(Rejected, match="不属于济阳区"):
        services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.lixia_gov, period=april,
                                    points=2, reason="x")
    with pytest.raises(Rejected, match="尚未开始"):
        services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng,
                                    period=date(2020, 6, 1), points=2, reason="x")
    assert not LeagueAdjustment.objects.exists()
    made = services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng, period=april,
                                       points=2, reason="x")
    for username in ("li_ducha", "wang_admin", "zheng_caizheng", "ma_lixia"):
        with pytest.raises(Rejected, match="只有济阳区的领导可以批准考核加减分"):
            services.decide_adjustment(getattr(cast, username), made, approve=True)
    assert not AdjustmentDecision.objects.exists()
