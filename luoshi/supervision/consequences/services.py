"""Every write of 结果运用: one atomic function per action, each with its audit entry and Chinese refusals. An actor
None is the system (the triggers in the daily sweep, the CLI). Nothing is changed in place: a proposal's decision, a
new 典型经验 version, an adjustment's decision and new trigger settings are rows of their own."""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core.periods import day_label
from luoshi.core.problems import Rejected
from luoshi.notify.models import Kind
from luoshi.notify.services import queue_message
from luoshi.orgs.models import Person, Role
from luoshi.orgs.queries import people_with_role
from luoshi.supervision.consequences import access, queries, rules
from luoshi.supervision.consequences.models import (AdjustmentDecision, Consequence, ConsequenceDecision,
                                                    DecisionCounter, Experience, LeagueAdjustment, ProposalSource,
                                                    TriggerSettings)
from luoshi.supervision.league import rules as league_rules

MAX_TEXT = 5000
MAX_EXPERIENCE = 3000
CONSEQUENCE_FIELDS = ["region", "unit", "person", "person_name", "task", "kind", "reason", "facts", "source",
                      "trigger_key", "periods", "proposed_on"]
DECISION_FIELDS = ["consequence", "approved", "kind", "note", "decided_on", "number"]
# A person may take these by e-mail too (消息设置). They never go to a unit's group robot: a 约谈 or a 通报批评 is told
# to the people concerned, not to a work group.
MESSAGE_KIND = Kind.CONSEQUENCE


def _today():
    return timezone.localdate()


def _person(actor):
    return getattr(actor, "is_authenticated", False)


def _name(user):
    return (user.get_full_name() or user.username) if user is not None else ""


def _text(value, label, required=True, limit=MAX_TEXT):
    value = (value or "").strip()
    if required and not value:
        raise Rejected(f"{label}不能为空")
    if len(value) > limit:
        raise Rejected(f"{label}过长（最多 {limit} 字）")
    return value


# --- who is told -----------------------------------------------------------------------------------------------------

def leaders_of(region):
    """The active accounts of the leaders whose region holds the county."""
    return people_with_role(Role.LEADER, region)


def deciders_of(consequence):
    """Who is told a proposal waits: the county's leaders and the task's responsible leader (with an account)."""
    users = {u.pk: u for u in leaders_of(consequence.region)}
    task = consequence.task
    if task is not None and task.leader_id:
        leader = Person.objects.select_related("user").filter(pk=task.leader_id).first()
        if leader is not None and leader.user_id and leader.user.is_active:
            users.setdefault(leader.user_id, leader.user)
    return [users[pk] for pk in sorted(users)]


def unit_users(unit):
    from luoshi.supervision.services import unit_users as people_of_units

    return [u for u in people_of_units([unit.pk]) if access.can_read(u)]


def office_users(region):
    return people_with_role(Role.SUPERVISION, region)


def _tell(users, subject, body, *, key, link, actor):
    new = 0
    for user in users:
        _, created = queue_message(user, subject, body, link=link, dedupe_key=f"cq:{key}:u{user.pk}", actor=actor,
                                   kind=MESSAGE_KIND)
        new += created
    return new


def _link(consequence):
    return reverse("supervision:consequence", args=[consequence.pk])


# --- trigger settings --------------------------------------------------------------------------------------------------

@transaction.atomic
def save_settings(actor, region, values: dict):
    """New trigger settings for a county (a new row; the earlier stay listed)."""
    if _person(actor) and not access.can_change_settings(actor, region):
        raise Rejected(f"只有{region.name}督查室或系统管理员可以修改触发条件")
    problems = rules.settings_problems(values)
    if problems:
        raise Rejected(problems)
    before = queries.settings_for(region)
    row = TriggerSettings.objects.create(region=region, saved_by=actor if _person(actor) else None,
                                         **{key: values[key] for key in queries.SETTING_KEYS})
    record(actor, "修改结果运用触发条件", row, before=before, after=queries.settings_for(region),
           object_repr=f"{region.name}结果运用触发条件")
    return row


# --- proposals ------------------------------------------------------------------------------------------------------

def _check_proposal(region, unit, person, task, milestones, notices, kind):
    if kind not in rules.KINDS:
        raise Rejected(f"处理方式应为{'、'.join(rules.KIND_LABELS[k] for k in rules.KINDS)}之一")
    if access.county_of(unit) != region:
        raise Rejected(f"{unit.name}不属于{region.name}")
    if person is not None and person.unit_id != unit.pk:
        raise Rejected(f"{person.name}不是{unit.name}的人员")
    if task is not None and access.county_of(task.lead_unit) != region:
        raise Rejected(f"重点任务「{task.number} {task.title}」不属于{region.name}")
    for m in milestones:
        if task is None or m.task_id != task.pk:
            raise Rejected(f"节点「{m.number} {m.title}」不属于所选重点任务")
    for n in notices:
        if n.region_id != region.pk:
            raise Rejected(f"{n.number}不是{region.name}的督办单")


def propose(actor, *, unit, kind, reason, person=None, task=None, milestones=(), notices=(), facts=None, on=None,
            source=ProposalSource.MANUAL, trigger_key="", periods=()):
    """A proposal (处理建议) about a unit, optionally one person of it, with the task, milestones and notices it stems
    from; the facts (one a line) are stated from those as of the day unless given. The county's leaders (and the
    task's responsible leader) are told it waits. A trigger's proposal (actor None, a trigger_key) is made once per
    occurrence: a second returns None (the constraint decides when two sweeps run at once)."""
    on = on or _today()
    region = access.county_of(unit)
    if _person(actor):
        access.require_proposer(actor, region)
    reason = _text(reason, "建议理由")
    milestones, notices = list(milestones), list(notices)
    _check_proposal(region, unit, person, task, milestones, notices, kind)
    if facts is None:
        facts = facts_for(task, milestones, notices, on)
    try:
        with transaction.atomic():
            consequence = Consequence.objects.create(
                region=region, unit=unit, person=person, person_name=person.name if person else "", task=task,
                kind=kind, reason=reason, facts="\n".join(facts) if isinstance(facts, (list, tuple)) else facts,
                source=source, trigger_key=trigger_key, periods=[p.isoformat() if isinstance(p, date) else p
                                                                   for p in periods],
                proposed_on=on, proposed_by=actor if _person(actor) else None)
            consequence.milestones.set(milestones)
            consequence.notices.set(notices)
            record(actor, "提出处理建议", consequence, after={**snapshot(consequence, CONSEQUENCE_FIELDS),
                                                          "notices": [n.number for n in notices],
                                                          "milestones": [m.pk for m in milestones]})
            label = rules.KIND_LABELS[kind]
            _tell(deciders_of(consequence), f"待决定：对{unit.name}的处理建议（{label}）",
                  f"{rules.SOURCE_LABELS[source]}。{reason}", key=f"{consequence.pk}:proposed", link=_link(consequence),
                  actor=actor)
    except IntegrityError:
        if trigger_key and Consequence.objects.filter(region=region, source=source, trigger_key=trigger_key).exists():
            return None  # another sweep proposed this occurrence meanwhile
        raise
    return consequence


def facts_for(task, milestones, notices, on):
    """The facts a proposal states (one a line): the notices, then the task's lagging milestones (of `milestones` when
    given) and missed reports, as of the day."""
    from luoshi.work import queries as work_queries

    lines = [queries.notice_fact(n, on) for n in sorted(notices, key=lambda n: (n.year, n.serial))]
    if task is not None:
        row = work_queries.judged_task(task, on)
        if row is not None:
            lines += queries.task_facts(row, on, {m.pk for m in milestones} if milestones else None)
    return lines


def _next_serial(region, year):
    DecisionCounter.objects.bulk_create([DecisionCounter(region=region, year=year, last=0)], ignore_conflicts=True)
    counter = DecisionCounter.objects.select_for_update().get(region=region, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def decide(actor, consequence, *, approve: bool, kind=None, note="", on=None):
    """The leader decides a proposal, once: 同意 (the proposed kind, or another with a note; the decision gets its 文号)
    or 不同意 with a reason. The unit is told an approval, the office every decision. A decided proposal is final."""
    on = on or _today()
    consequence = (Consequence.objects.select_for_update(of=("self",))
                   .select_related("region", "unit", "task", "task__leader").get(pk=consequence.pk))
    if _person(actor):
        access.require_decider(actor, consequence)
    if ConsequenceDecision.objects.filter(consequence=consequence).exists():
        raise Rejected("该处理建议已决定，不能更改；如需改变，请督查室重新提出处理建议")
    note = _text(note, "意见", required=False)
    problems = rules.decision_problems(approve=approve, proposed_kind=consequence.kind, kind=kind or None, note=note)
    if problems:
        raise Rejected(problems)
    if on < consequence.proposed_on:
        raise Rejected(f"决定日期不能早于提出日期（{day_label(consequence.proposed_on)}）")
    decision = ConsequenceDecision(consequence=consequence, approved=approve, note=note, decided_on=on,
                                   decided_by=actor if _person(actor) else None, decider_name=_name(actor) if _person(actor) else "")
    if approve:
        decision.kind = kind or consequence.kind
        decision.year, decision.serial = on.year, _next_serial(consequence.region, on.year)
        decision.number = rules.document_number(consequence.region.name, decision.year, decision.serial)
    decision.save()
    record(actor, "决定处理建议", consequence, after=snapshot(decision, DECISION_FIELDS), note=note[:200])
    unit = consequence.unit
    if approve:
        label = rules.KIND_LABELS[decision.kind]
        title = rules.decision_title(decision.kind, unit.name)
        _tell(unit_users(unit), f"{title}（{decision.number}）",
              f"{day_label(on)}，区领导决定对{unit.name}{label}。" + (f"批示：{note}" if note else ""),
              key=f"{consequence.pk}:decided", link=_link(consequence), actor=actor)
        verdict = f"同意{label}（{decision.number}）"
    else:
        verdict = f"不同意：{note}"
    _tell(office_users(consequence.region), f"处理建议已决定：对{unit.name}{verdict}"[:200], note,
          key=f"{consequence.pk}:decided", link=_link(consequence), actor=actor)
    consequence.decision = decision
    return consequence


# --- 典型经验 --------------------------------------------------------------------------------------------------------

def band_of(unit, period, today=None):
    """The unit's band (top / bottom / None) in its county's league of the month."""
    from luoshi.supervision.league.queries import league

    table = league(period, region=access.county_of(unit), today=today or _today())
    row = next((r for r in table.rows if r.unit_id == unit.pk), None)
    return row.band if row is not None else None


@transaction.atomic
def write_experience(actor, unit, period, *, title, text):
    """The unit's 典型经验 for a month it is 先进 in: a new version (the earlier kept, no longer current)."""
    title = _text(title, "标题", limit=100)
    text = _text(text, "典型经验", limit=MAX_EXPERIENCE)
    band = band_of(unit, period)
    if _person(actor) and not access.can_write_experience(actor, unit, band):
        if unit.pk not in access.own_unit_ids(actor):
            raise Rejected(f"只有{unit.name}可以报送本单位的典型经验")
        raise Rejected(f"{unit.name}不是{period.year}年{period.month}月考核的先进单位，无需报送典型经验")
    if band != league_rules.TOP:
        raise Rejected(f"{unit.name}不是{period.year}年{period.month}月考核的先进单位，无需报送典型经验")
    current = Experience.objects.select_for_update().filter(unit=unit, period=period, is_current=True).first()
    version = (current.version + 1) if current else 1
    if current is not None:
        Experience.objects.filter(pk=current.pk).update(is_current=False)
    experience = Experience.objects.create(region=access.county_of(unit), unit=unit, period=period, version=version,
                                           title=title, text=text, written_by=actor if _person(actor) else None)
    record(actor, "报送典型经验", experience, after=snapshot(experience, ["unit", "period", "version", "title", "text"]),
           object_repr=f"{unit.name}{period.year}年{period.month}月典型经验 第{version}版")
    return experience


@transaction.atomic
def adopt_experience(actor, experience, on=None):
    """The office adopts the current version into the month's 通报 (once per version)."""
    on = on or _today()
    experience = Experience.objects.select_for_update().select_related("unit").get(pk=experience.pk)
    if _person(actor) and not access.can_adopt_experience(actor, experience.unit):
        raise Rejected("只有该区督查室可以采用典型经验")
    if not experience.is_current:
        raise Rejected("只能采用现行版本的典型经验")
    if experience.adopted_on is not None:
        raise Rejected(f"该版本已于{day_label(experience.adopted_on)}采用")
    experience.adopted_on, experience.adopted_by = on, actor if _person(actor) else None
    experience.save(update_fields=["adopted_on", "adopted_by"])
    record(actor, "采用典型经验", experience, after={"version": experience.version, "adopted_on": on},
           object_repr=f"{experience.unit.name}{experience.period.year}年{experience.period.month}月典型经验 第{experience.version}版")
    return experience


# --- league adjustments ----------------------------------------------------------------------------------------------

@transaction.atomic
def propose_adjustment(actor, *, region, unit, period, points, reason, on=None):
    """加分/减分 of a unit's league score for a month, with a reason; counted once a leader approves it."""
    on = on or _today()
    if _person(actor):
        access.require_adjustment_proposer(actor, region)
    problems = rules.adjustment_problems(points)
    if problems:
        raise Rejected(problems)
    reason = _text(reason, "加减分理由")
    if access.county_of(unit) != region:
        raise Rejected(f"{unit.name}不属于{region.name}")
    if period > on:
        raise Rejected(f"{period.year}年{period.month}月尚未开始，不能加减分")
    adjustment = LeagueAdjustment.objects.create(region=region, unit=unit, period=period, points=points, reason=reason,
                                                 proposed_on=on, proposed_by=actor if _person(actor) else None)
    record(actor, "提出考核加减分", adjustment,
           after=snapshot(adjustment, ["region", "unit", "period", "points", "reason", "proposed_on"]))
    link = reverse("supervision:league") + f"?period={period:%Y-%m}&region={region.code}#adjustments"
    _tell(leaders_of(region), f"待批准：{unit.name}{period.year}年{period.month}月考核{rules.signed(points)}分", reason,
          key=f"adj{adjustment.pk}:proposed", link=link, actor=actor)
    return adjustment


@transaction.atomic
def decide_adjustment(actor, adjustment, *, approve: bool, note="", on=None):
    on = on or _today()
    adjustment = (LeagueAdjustment.objects.select_for_update(of=("self",)).select_related("region", "unit")
                  .get(pk=adjustment.pk))
    if _person(actor) and not access.can_decide_adjustment(actor, adjustment):
        raise Rejected(f"只有{adjustment.region.name}的领导可以批准考核加减分")
    if AdjustmentDecision.objects.filter(adjustment=adjustment).exists():
        raise Rejected("该加减分已决定，不能更改；如需改变，请督查室重新提出")
    note = _text(note, "意见", required=not approve)
    if on < adjustment.proposed_on:
        raise Rejected(f"决定日期不能早于提出日期（{day_label(adjustment.proposed_on)}）")
    decision = AdjustmentDecision.objects.create(adjustment=adjustment, approved=approve, note=note, decided_on=on,
                                                 decided_by=actor if _person(actor) else None)
    record(actor, "批准考核加减分" if approve else "不同意考核加减分", adjustment,
           after=snapshot(decision, ["approved", "note", "decided_on"]), note=note[:200])
    verdict = "同意" if approve else "不同意"
    link = reverse("supervision:league") + f"?period={adjustment.period:%Y-%m}&region={adjustment.region.code}#adjustments"
    _tell(office_users(adjustment.region),
          f"考核加减分已决定：{adjustment.unit.name}{adjustment.signed_points}分，{verdict}", note,
          key=f"adj{adjustment.pk}:decided", link=link, actor=actor)
    adjustment.decision = decision
    return adjustment
