"""倒查 tracing: a task's or milestone's chain as a timeline, and the list of seriously overdue items with theirs.
Read side, no writes.

The chain is put together from what luoshi already keeps: what work keeps about the task (work.queries.task_records:
the plan's history — who led the task and who was its responsible leader at each point, as `work.services.save_task`
records the task's fields before and after every change —, every progress report version, every re-baseline request
with its reason and decision) and every notice with each of its steps. Data that came in without a history entry (the
demo, very old rows) still shows: the task's current lead unit and leader then hold "since the plan was entered".
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from luoshi.core import workdays
from luoshi.orgs.models import Unit
from luoshi.supervision.models import Notice
from luoshi.work import queries
from luoshi.work import rules as work_rules
from luoshi.work.models import Milestone, Task

KINDS = {
    "plan": "计划录入", "start": "计划开始", "plan_set": "确定计划", "lead": "牵头单位变更", "leader": "责任领导变更",
    "report": "进度报告", "rebaseline": "调整计划", "notice": "督办", "due": "完成时限", "done": "完成",
}
# Within one day: the plan first, then dates, reports, plan changes, notices.
KIND_ORDER = {kind: i for i, kind in enumerate(["plan", "plan_set", "lead", "leader", "start", "report", "done",
                                                   "rebaseline", "due", "notice"])}


@dataclass
class Event:
    on: date
    kind: str
    title: str
    text: str = ""
    unit: str = ""  # the unit acting or concerned
    person: str = ""  # who did it (an account's name, a leader)
    milestone: str = ""  # the milestone it concerns, when it concerns one
    at: datetime | None = None  # when it was recorded, where known

    @property
    def kind_label(self):
        return KINDS[self.kind]

    def as_json(self):
        return {"on": self.on.isoformat(), "kind": self.kind, "kind_label": self.kind_label, "title": self.title,
                "text": self.text, "unit": self.unit, "person": self.person, "milestone": self.milestone,
                "at": timezone.localtime(self.at).isoformat(timespec="seconds") if self.at else None}


@dataclass
class Responsibility:
    """Who led the task from `since` (None: from the plan's entry, date not recorded) until the next change."""

    since: date | None
    lead_unit: str
    leader_name: str
    lead_unit_id: int | None = None
    until: date | None = None

    def as_json(self):
        return {"since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "lead_unit": self.lead_unit, "leader_name": self.leader_name}


@dataclass
class Chain:
    task: Task
    milestone: Milestone | None
    events: list
    responsibility: list  # of Responsibility, oldest first
    unit_ids: set = field(default_factory=set)  # the units on the chain (chain.access)

    def responsible_on(self, day: date) -> Responsibility | None:
        """Who led the task on that day (the first holder for a day before any recorded change)."""
        current = self.responsibility[0] if self.responsibility else None
        for period in self.responsibility:
            if period.since is None or period.since <= day:
                current = period
        return current

    def as_json(self):
        return {"task": {"id": self.task.pk, "number": self.task.number, "title": self.task.title},
                "milestone": ({"id": self.milestone.pk, "number": self.milestone.number, "title": self.milestone.title}
                              if self.milestone else None),
                "responsibility": [r.as_json() for r in self.responsibility],
                "events": [e.as_json() for e in self.events]}


def _local_day(at):
    return timezone.localtime(at).date() if at is not None else None


def _user_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.username


class _Loaded:
    """Everything the chains of these tasks need: work's records of them, their notices and the names of the units
    that led them."""

    def __init__(self, task_ids):
        self.records = queries.task_records(task_ids)
        self.notices = defaultdict(list)
        for notice in (Notice.objects.filter(task_id__in=list(self.records.tasks)).select_related("unit", "milestone")
                       .prefetch_related("steps__by", "copied_units").order_by("opened_on", "year", "serial")):
            self.notices[notice.task_id].append(notice)
        unit_ids = set().union(*(self.records.reporting_unit_ids(pk) for pk in self.records.tasks))
        self.unit_names = {u.pk: u.short_name or u.name for u in Unit.objects.filter(pk__in=unit_ids)}


def _holders(task, entries):
    """(entry, before, after) with before/after = (lead unit id, leader name) for each history entry, oldest first;
    before is None for the entry that put the task into the plan. An entry holds only the fields that changed
    (work.services records what really changed), so a missing field keeps the value it had."""
    current = None
    for entry in entries:
        before, after = entry.before, entry.after
        if entry.entered:
            current = (after.get("lead_unit"), after.get("leader_name") or "")
            yield entry, None, current
            continue
        if current is None:  # no entry of its creation: what the first change found
            current = (before.get("lead_unit", task.lead_unit_id), before.get("leader_name", task.leader_name) or "")
        old = (before.get("lead_unit", current[0]), before.get("leader_name", current[1]) or "")
        current = (after.get("lead_unit", old[0]), after.get("leader_name", old[1]) or "")
        yield entry, old, current


def _responsibility(task, entries, names):
    """The lead unit and responsible leader at each point, from the task's history (oldest first)."""
    periods = []
    for entry, before, after in _holders(task, entries):
        day = _local_day(entry.at)
        if before is None:
            periods = [Responsibility(day, names.get(after[0], ""), after[1], after[0])]
            continue
        if not periods:
            periods.append(Responsibility(None, names.get(before[0], ""), before[1], before[0]))
        if after != (periods[-1].lead_unit_id, periods[-1].leader_name):
            periods[-1].until = day
            periods.append(Responsibility(day, names.get(after[0], ""), after[1], after[0]))
    current = (task.lead_unit_id, task.leader_name or "")
    if not periods or (periods[-1].lead_unit_id, periods[-1].leader_name) != current:
        # Changed without a history entry (or never recorded): the current holder, date unknown.
        periods.append(Responsibility(None, names.get(task.lead_unit_id, task.lead_unit.short_name or task.lead_unit.name),
                                      task.leader_name or "", task.lead_unit_id))
    return periods


def _plan_events(loaded, task):
    """The task's entry into the plan, each change of its lead unit or leader, its campaign's plan set, its start."""
    names = loaded.unit_names
    events = []
    for entry, before, after in _holders(task, loaded.records.history.get(task.pk, [])):
        day = _local_day(entry.at)
        if before is None:
            events.append(Event(day, "plan", "重点任务列入计划",
                                f"{task.number} {task.title}；牵头单位 {names.get(after[0], '')}，责任领导 {after[1] or '未定'}，"
                                f"完成时限 {entry.after.get('deadline', '')}", unit=names.get(after[0], ""),
                                person=entry.actor_label, at=entry.at))
            continue
        if before[0] != after[0]:
            events.append(Event(day, "lead", "牵头单位变更", f"{names.get(before[0], '')} → {names.get(after[0], '')}",
                                unit=names.get(after[0], ""), person=entry.actor_label, at=entry.at))
        if before[1] != after[1]:
            events.append(Event(day, "leader", "责任领导变更", f"{before[1] or '未定'} → {after[1] or '未定'}",
                                unit=names.get(after[0], ""), person=entry.actor_label, at=entry.at))
    plan_set = loaded.records.plans_set.get(task.campaign_id)
    if plan_set is not None:
        events.append(Event(_local_day(plan_set.at), "plan_set", "攻坚战计划确定",
                            f"「{task.campaign.name}」计划确定，此后调整完成时限须经审批", person=plan_set.actor_label,
                            at=plan_set.at))
    events.append(Event(task.start, "start", "任务计划开始", f"计划 {task.start} 开始，{task.deadline} 完成"))
    return events


def _milestone_events(loaded, milestones, single):
    """Each milestone's due date and completion (and, for one milestone's chain, its entry into the plan)."""
    events = []
    for m in milestones:
        entered = loaded.records.milestones_entered.get(m.pk)
        if entered is not None and single:
            events.append(Event(_local_day(entered.at), "plan", "节点列入计划",
                                f"{m.number} {m.title}，完成时限 {entered.after.get('due', m.due)}",
                                milestone=m.title, person=entered.actor_label, at=entered.at))
        effective = workdays.effective_due(m.due)
        text = f"完成时限 {m.due}" + (f"（原定 {m.original_due}）" if m.original_due and m.original_due != m.due else "")
        if effective != m.due:
            text += f"，逢节假日顺延至 {effective}"
        events.append(Event(effective, "due", "节点应完成", text, milestone=m.title))
        if m.done_on:
            events.append(Event(m.done_on, "done", "节点完成", f"完成日期 {m.done_on}", milestone=m.title))
    return events


def _report_event(report, milestone_ids):
    """One version of a progress report (what it says it completed: of these milestones only)."""
    completes = [c for c in report.completions.all() if c.milestone_id in milestone_ids]
    on = report.reported_on
    if report.version > 1 and report.submitted_at is not None:
        on = max(on, _local_day(report.submitted_at))
    title = f"进度报告（{report.reported_on}）" + (f" 第{report.version}版·更正" if report.version > 1 else "")
    text = f"完成 {report.percent}%"
    if report.done_text:
        text += f"；{report.done_text[:200]}"
    if report.problems:
        text += f"；存在问题：{report.problems[:200]}"
    if report.correction_note:
        text += f"；更正说明：{report.correction_note}"
    if report.proxy_label:
        text += f"；{report.proxy_text}" + (f"，{report.proxy_source}" if report.proxy_source else "")
    if completes:
        text += "；报完成：" + "、".join(f"{c.done_on}" for c in completes)
    if not report.is_current:
        text += "（已被更正）"
    return Event(on, "report", title, text, unit=report.unit.short_name or report.unit.name,
                 person=_user_name(report.submitted_by), at=report.submitted_at)


def _notice_events(notice):
    """Each step of a notice; its opening says to whom, about what, by when."""
    target = f"（节点「{notice.milestone.title}」）" if notice.milestone_id else ""
    unit = notice.unit.short_name or notice.unit.name
    events = []
    for step in notice.steps.all():
        text = step.text
        if step.kind == "opened":
            text = f"发往{unit}{target}，责任领导 {notice.leader_name or '未定'}，" \
                   f"{notice.reply_due} 前答复。{notice.reason}" + (f"；{step.text}" if step.text and step.text != notice.reason else "")
        events.append(Event(step.on, "notice", f"{notice.number} {step.get_kind_display()}", text, unit=unit,
                            person=_user_name(step.by), milestone=notice.milestone.title if notice.milestone_id else "",
                            at=step.at))
    return events


def _concerns(row, milestone):
    """Whether a re-baseline or notice belongs to a milestone's chain (its own, or the whole task's)."""
    return milestone is None or row.milestone_id in (milestone.pk, None)


def _chain(loaded, task, milestone=None):
    records = loaded.records
    milestones = [milestone] if milestone is not None else records.milestones.get(task.pk, [])
    milestone_ids = {m.pk for m in milestones}
    reports = records.reports.get(task.pk, [])
    notices = [n for n in loaded.notices.get(task.pk, []) if _concerns(n, milestone)]
    events = [*_plan_events(loaded, task), *_milestone_events(loaded, milestones, milestone is not None),
              *(_report_event(report, milestone_ids) for report in reports)]
    for rb in records.rebaselines.get(task.pk, []):
        if _concerns(rb, milestone):
            events.extend(_rebaseline_events(rb))
    for notice in notices:
        events.extend(_notice_events(notice))
    events.sort(key=lambda e: (e.on, KIND_ORDER[e.kind], e.at or datetime.min.replace(tzinfo=timezone.get_current_timezone())))
    unit_ids = records.reporting_unit_ids(task.pk) | {report.unit_id for report in reports}
    for notice in notices:
        unit_ids |= {notice.unit_id, *(u.pk for u in notice.copied_units.all())}
    return Chain(task=task, milestone=milestone, events=events,
                 responsibility=_responsibility(task, records.history.get(task.pk, []), loaded.unit_names),
                 unit_ids=unit_ids)


def _rebaseline_events(rb):
    target = f"节点「{rb.milestone.title}」" if rb.milestone_id else "任务完成时限"
    milestone = rb.milestone.title if rb.milestone_id else ""
    requested_at = rb.requested_at or rb.changed_at
    requester = _user_name(rb.requested_by) or _user_name(rb.changed_by)
    unit_name = (rb.unit.short_name or rb.unit.name) if rb.unit is not None else ""
    decided_by = _user_name(rb.decided_by)
    change = f"{target}：{rb.old_due} → {rb.new_due}；原因：{rb.reason}"
    if rb.status == "approved" and rb.decided_at is None:
        # Approved at once (the office's own change before the approval flow): one event with its approver.
        approver = rb.approved_by or decided_by or requester
        return [Event(_local_day(requested_at), "rebaseline", "调整计划（已批准）", f"{change}；批准人 {approver or '未记录'}",
                      unit=unit_name, person=requester, milestone=milestone, at=requested_at)]
    events = [Event(_local_day(requested_at), "rebaseline", "申请调整计划", change, unit=unit_name, person=requester,
                    milestone=milestone, at=requested_at)]
    if rb.status in ("approved", "refused") and rb.decided_at is not None:
        verdict = "批准调整计划" if rb.status == "approved" else "不予调整计划"
        text = f"{target}：{rb.old_due} → {rb.new_due}" + (f"；审批意见：{rb.decision_note}" if rb.decision_note else "")
        events.append(Event(_local_day(rb.decided_at), "rebaseline", verdict,
                            f"{text}；审批人 {decided_by or rb.approved_by or '未记录'}",
                            person=decided_by or rb.approved_by, milestone=milestone, at=rb.decided_at))
    return events


def task_chain(task, milestone=None) -> Chain:
    """The chain of one task, or of one of its milestones (then: that milestone's dates, plan changes and notices, and
    the task's plan entry, leaders and reports)."""
    loaded = _Loaded([task.pk])
    return _chain(loaded, loaded.records.tasks[task.pk], milestone)


def chain_units(task) -> set:
    """The ids of the units on the task's chain (lead or responsible now or before, a reporting unit, a notice's
    addressee or copy)."""
    return task_chain(task).unit_ids


@dataclass
class OverdueItem:
    task: dict  # work.queries.board's task dict
    milestone: dict  # its milestone dict (status seriously_overdue)
    chain: Chain

    @property
    def due_holder(self):
        """Who led the task when the milestone fell due."""
        return self.chain.responsible_on(self.milestone["effective_due"])

    def as_json(self):
        holder = self.due_holder
        m = self.milestone
        return {"task": {"id": self.task["id"], "number": self.task["number"], "title": self.task["title"],
                         "campaign": self.task["campaign"], "lead_unit": self.task["lead_unit"],
                         "leader_name": self.task["leader_name"], "light": self.task["light"],
                         "missed_periods": self.task["missed_periods"]},
                "milestone": {"id": m["id"], "number": m["number"], "title": m["title"], "due": m["due"].isoformat(),
                              "effective_due": m["effective_due"].isoformat(), "status": m["status"],
                              "working_days_late": m["working_days_late"]},
                "lead_unit_when_due": holder.lead_unit if holder else "", "leader_when_due": holder.leader_name if holder else "",
                "chain": self.chain.as_json()}


def seriously_overdue(as_of: date, task_q) -> list[OverdueItem]:
    """Every milestone 严重滞后 as of the day among the tasks `task_q` keeps, in plan order, each with its chain."""
    board = queries.board(as_of, task_q)
    overdue = [m for m in board.milestones if m["status"] == work_rules.SERIOUSLY_OVERDUE]
    if not overdue:
        return []
    tasks = {t["id"]: t for t in board.tasks}
    loaded = _Loaded({m["task_id"] for m in overdue})
    milestones = {m.pk: m for ms in loaded.records.milestones.values() for m in ms}
    return [OverdueItem(task=tasks[m["task_id"]], milestone=m,
                        chain=_chain(loaded, loaded.records.tasks[m["task_id"]], milestones[m["id"]])) for m in overdue]
