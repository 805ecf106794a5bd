"""Read side of the breakdown: finding the units an office wrote, evaluating a reading's items (units, deadlines, the
nodes they give, their problems) and comparing them with the plan already imported. No writes."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from luoshi.breakdown import rules
from luoshi.breakdown.models import Item, Plan, UnitAlias
from luoshi.core import workdays
from luoshi.orgs.models import Person, Unit, UnitKind
from luoshi.work import rules as work_rules

STATUS_LABELS = {"added": "新增", "changed": "有变化", "unchanged": "无变化"}
ROLE_LABELS = {"lead": "牵头单位", "responsible": "责任单位", "cooperating": "配合单位"}


class UnitNames:
    """The units of a region (and the towns under it) by every name offices write: code, name, short name, the
    region's aliases, and rules.name_key of each (区发改局 = 区发展和改革局 = 发改局). Sets (各镇（街道）…) expand.
    The 配档表 import (work.transfers.UnitLookup) matches code, name and short name exactly; this adds the keys,
    the aliases and the sets, within one region."""

    def __init__(self, region):
        self.region = region
        self.units = list(Unit.objects.filter(region__code__startswith=region.prefix).select_related("region")
                          .order_by("kind", "code"))
        self.by_id = {u.pk: u for u in self.units}
        self.region_names = [region.name]
        self.exact, self.keyed = {}, {}
        for unit in self.units:
            for name in (unit.code, unit.name, unit.short_name):
                if name:
                    self.exact.setdefault(rules.clean_name(name), set()).add(unit.pk)
            for name in (unit.name, unit.short_name):
                if name:
                    self.keyed.setdefault(rules.name_key(name, self.region_names), set()).add(unit.pk)
        self.aliases = {rules.clean_name(a.alias): a.unit_id for a in
                        UnitAlias.objects.filter(region=region, unit_id__in=list(self.by_id))}
        self._cache = {}

    def members(self, kind):
        townships = [u for u in self.units if u.kind == UnitKind.TOWNSHIP]
        if kind == rules.TOWNSHIPS:
            return townships
        if kind == rules.STREETS:
            return [u for u in townships if "街道" in (u.short_name or u.name)]
        if kind == rules.TOWNS:
            return [u for u in townships if "街道" not in (u.short_name or u.name)]
        return [u for u in self.units if u.kind == UnitKind.DEPARTMENT and u.region_id == self.region.pk]

    def resolve(self, name):
        """([units], problem or None) for one written name."""
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name):
        clean = rules.clean_name(name)
        if kind := rules.unit_set(clean):
            members = self.members(kind)
            if not members:
                return [], f"「{name}」在{self.region.name}没有对应的单位"
            return members, None
        if clean in rules.VAGUE:
            return [], f"「{name}」不是确定的单位，请写明具体单位"
        if clean in self.aliases:
            return [self.by_id[self.aliases[clean]]], None
        for index in (self.exact.get(clean), self.keyed.get(rules.name_key(clean, self.region_names))):
            if index and len(index) == 1:
                return [self.by_id[next(iter(index))]], None
            if index:
                names = "、".join(self.by_id[i].name for i in sorted(index))
                return [], f"「{name}」对应多个单位（{names}），请写单位全称，或由管理员添加别名"
        other = (Unit.objects.filter(Q(code=clean) | Q(name=clean) | Q(short_name=clean))
                 .exclude(region__code__startswith=self.region.prefix).select_related("region").first())
        if other is not None:
            return [], f"「{name}」是{other.region.name}的单位（{other.name}），不属于{self.region.name}"
        return [], f"未知的单位「{name}」（请写单位全称或简称，或由管理员在「单位别名」中添加）"


@dataclass
class Evaluated:
    """One item of a reading, as it would be saved."""

    index: int
    source: dict
    lead: list = field(default_factory=list)
    responsible: list = field(default_factory=list)
    cooperating: list = field(default_factory=list)
    deadline: rules.Deadline = None
    nodes: list = field(default_factory=list)  # [(due, title)]
    problems: list = field(default_factory=list)
    status: str = "added"  # added / changed / unchanged (against the plan imported before)
    changes: list = field(default_factory=list)
    item: Item | None = None
    targets: list = field(default_factory=list)  # [rules.TargetRead]: the 主要预期目标 it states

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def skip(self):
        return bool(self.source.get("skip"))

    @property
    def due(self):
        return max((d for d, _ in self.nodes), default=None)

    @property
    def where(self):
        number = self.source.get("number")
        return f"{self.source.get('where', '')}（序号 {number}）" if number else self.source.get("where", "")

    @property
    def node_rows(self):
        """(due, effective due when a rest day moves it, title) of each node, for the page."""
        return [(d, workdays.effective_due(d) if workdays.effective_due(d) != d else None, t) for d, t in self.nodes]

    def comparable(self):
        return {"section": self.source.get("section", ""), "number": self.source.get("number", ""),
                "title": self.source.get("title", ""), "text": self.source.get("text", ""),
                "lead": [u.code for u in self.lead], "responsible": [u.code for u in self.responsible],
                "cooperating": [u.code for u in self.cooperating], "leader": self.source.get("leader", ""),
                "dues": [d.isoformat() for d, _ in self.nodes], "quarterly": bool(self.deadline and self.deadline.quarterly)}


def stored(item):
    """An imported item in the shape of Evaluated.comparable."""
    return {"section": item.section, "number": item.number, "title": item.title, "text": item.text, "lead": item.lead,
            "responsible": item.responsible, "cooperating": item.cooperating, "leader": item.leader, "dues": item.dues,
            "quarterly": item.quarterly}


def evaluate(source, index, names, year, first_day):
    """The item's units found, its deadline read, its nodes planned and every problem listed."""
    found = Evaluated(index=index, source=source)
    seen = set()
    for role in ("lead", "responsible", "cooperating"):
        units = []
        for name in source.get(role) or []:
            matched, problem = names.resolve(name)
            if problem:
                found.problems.append(f"{ROLE_LABELS[role]}：{problem}")
            for unit in matched:
                if unit.pk not in seen:
                    seen.add(unit.pk)
                    units.append(unit)
        setattr(found, role, units)
    if not source.get("lead") and not source.get("responsible"):
        found.problems.append("没有牵头单位或责任单位")
    phrase = source.get("deadline") or ""
    found.deadline = rules.read_deadline(phrase, year) if phrase else rules.search_deadline(source.get("text", ""), year)
    if found.deadline.problem:
        found.problems.append(found.deadline.problem)
    else:
        found.nodes = rules.milestone_plan(source.get("title", ""), found.deadline, year, first_day)
    if not source.get("title"):
        found.problems.append("任务内容为空")
    if len(source.get("leader") or "") > 100:
        found.problems.append("牵头负责领导过长（最多 100 个字）")
    return found


@dataclass
class Review:
    reading: object
    plan: Plan | None
    items: list  # [Evaluated], the reading's order
    withdrawn: list  # [Item] of the plan that the reading no longer lists

    @property
    def problems(self):
        """[(where, message)] of the items to import."""
        return [(e.where, p) for e in self.items if not e.skip for p in e.problems]

    @property
    def counts(self):
        kept = [e for e in self.items if not e.skip]
        return {"items": len(self.items), "skipped": len(self.items) - len(kept),
                "problem_items": sum(1 for e in kept if e.problems),
                "added": sum(1 for e in kept if e.status == "added"),
                "changed": sum(1 for e in kept if e.status == "changed"),
                "unchanged": sum(1 for e in kept if e.status == "unchanged"), "withdrawn": len(self.withdrawn)}

    @property
    def unchanged(self):
        return self.plan is not None and not self.withdrawn and all(e.status == "unchanged" for e in self.items if not e.skip)


def plan_of(region, year):
    return Plan.objects.select_related("campaign", "region").filter(region=region, year=year).first()


def review(region, year, sources, reading=None, today=None):
    """Every item evaluated and compared with the plan of that region and year, if one was imported."""
    plan = plan_of(region, year)
    first_day = plan.first_imported_on if plan else (today or timezone.localdate())
    names = UnitNames(region)
    evaluated = [evaluate(s, i, names, year, first_day) for i, s in enumerate(sources)]
    indicator_names = catalog()
    for entry in evaluated:
        entry.targets = targets_read(entry.source, indicator_names)
    withdrawn = []
    if plan is not None:
        old = list(Item.objects.filter(plan=plan).select_related("task").order_by("order", "seq"))
        kept = [e for e in evaluated if not e.skip]
        pairs = rules.match_items([stored(i) for i in old], [e.comparable() for e in kept])
        for i, j in pairs:
            if j is None:
                if old[i].withdrawn_on is None:
                    withdrawn.append(old[i])
                continue
            entry = kept[j]
            if i is None:
                continue
            entry.item = old[i]
            entry.changes = [rules.FIELD_LABELS[f] for f in rules.changed_fields(stored(old[i]), entry.comparable())]
            if old[i].withdrawn_on is not None:
                entry.changes.insert(0, "恢复（曾撤回）")
            entry.status = "changed" if entry.changes else "unchanged"
    return Review(reading, plan, evaluated, withdrawn)


def leader_person(region, name):
    """The person of the region with this name (the task's 责任领导), or None."""
    if not name:
        return None
    return (Person.objects.filter(name=name, unit__region__code__startswith=region.prefix).order_by("id").first())


def plans_of(regions):
    return Plan.objects.filter(region__in=regions).select_related("region", "campaign")


def readings_of(regions, limit=20):
    from luoshi.breakdown.models import Reading

    return Reading.objects.filter(region__in=regions).select_related("region", "uploaded_by")[:limit]


def aliases_of(regions):
    return UnitAlias.objects.filter(region__in=regions).select_related("region", "unit", "created_by")


def year_default():
    return timezone.localdate().year


def task_start(year, imported_on, due):
    """The day an item's task starts in key work: the first day of the month the plan was first imported in its
    year (reports are owed from then on: a 方案 published in March owes no January report), 1 January for a plan
    imported after its year; never after the item's first due day."""
    start = date(year, imported_on.month, 1) if imported_on.year == year else date(year, 1, 1)
    return min(start, due) if due is not None else start


# --- the plan's ledger, its 主要预期目标 and its 通报 ---------------------------------------------------------------

def catalog():
    """[(code, name, [aliases])] of the indicator catalog, for rules.read_targets."""
    from luoshi.indicators.models import Indicator

    return [(i.code, i.name, [a for a in (i.aliases or "").replace("，", "、").split("、") if a])
            for i in Indicator.objects.all()]


def targets_read(source, names=None):
    """The 主要预期目标 an item's title and text state (rules.read_targets)."""
    text = source.get("text") or source.get("title") or ""
    return rules.read_targets(text, names if names is not None else catalog())


@dataclass
class LedgerRow:
    item: Item
    task: object
    judged: dict | None
    state: str
    closure_pending: bool
    targets: list  # [rules.TargetRead] not yet proposed or confirmed
    links: list  # [TargetLink]

    @property
    def state_label(self):
        return rules.STATE_LABELS[self.state]


def _state(task, judged, as_of):
    closed = task.closed_on is not None and task.closed_on <= as_of
    if judged is None:
        return rules.item_state(closed=closed, overdue=False, missed_periods=0, light="green")
    overdue = any(m["status"] in (work_rules.OVERDUE, work_rules.SERIOUSLY_OVERDUE) for m in judged["milestones"])
    return rules.item_state(closed=closed, overdue=overdue, missed_periods=judged["missed_periods"], light=judged["light"])


def ledger(plan, as_of):
    """Every item of the plan (withdrawn ones last) with its task judged as of the day, its state, a pending 销号, the
    targets it states and their links."""
    from luoshi.breakdown.models import TargetLink, TargetStatus
    from luoshi.work import queries as work_queries

    items = list(Item.objects.filter(plan=plan).select_related("task__lead_unit").order_by("order", "seq"))
    board = work_queries.board(as_of, Q(campaign_id=plan.campaign_id))
    judged = {t["id"]: t for t in board.tasks}
    pending = work_queries.pending_closure_task_ids([i.task_id for i in items])
    links = {}
    for link in TargetLink.objects.filter(item__plan=plan).select_related("proposed_by", "decided_by"):
        links.setdefault(link.item_id, []).append(link)
    names = catalog()
    rows = []
    for item in items:
        own = links.get(item.pk, [])
        taken = {l.indicator_code for l in own if l.status != TargetStatus.DECLINED}
        read = [t for t in rules.read_targets(item.text or item.title, names) if t.code not in taken]
        rows.append(LedgerRow(item, item.task, judged.get(item.task_id), _state(item.task, judged.get(item.task_id), as_of),
                              item.task_id in pending, read, own))
    rows.sort(key=lambda r: r.item.withdrawn_on is not None)
    return rows, board


@dataclass
class BulletinItem:
    item: Item
    unit: str
    state: str
    closed_on: date | None
    late: dict | None  # the most overdue node: {"title", "due", "working_days_late"}
    light: str
    missed_periods: int


@dataclass
class Bulletin:
    plan: Plan
    period: rules.Period
    as_of: date
    items: list  # [BulletinItem] in plan order
    units: list  # [{"name", **rules.unit_counts}] worst first
    totals: dict

    @property
    def closed(self):
        return [i for i in self.items if i.state == rules.CLOSED]

    @property
    def closed_in_period(self):
        return [i for i in self.closed if i.closed_on and self.period.first <= i.closed_on <= self.period.last]

    @property
    def overdue(self):
        return sorted((i for i in self.items if i.state == rules.OVERDUE),
                      key=lambda i: -(i.late or {}).get("working_days_late", 0))

    @property
    def behind(self):
        return [i for i in self.items if i.state == rules.BEHIND]

    @property
    def reached(self):
        return [i for i in self.items if i.state == rules.REACHED]

    @property
    def title(self):
        return f"关于{self.period.label}政府工作报告重点任务落实情况的通报"  # the label has the year: 2026年5月


def bulletin(plan, period, today=None):
    """The 通报 of a month or quarter: every item not withdrawn by the period's end (or today, when sooner) in its
    state then (rules.item_state), per lead unit and in total."""
    from luoshi.work import queries as work_queries

    as_of = min(period.last, today or timezone.localdate())
    items = [i for i in Item.objects.filter(plan=plan).select_related("task__lead_unit").order_by("order", "seq")
             if i.withdrawn_on is None or i.withdrawn_on > as_of]
    board = work_queries.board(as_of, Q(campaign_id=plan.campaign_id))
    judged = {t["id"]: t for t in board.tasks}
    rows = []
    for item in items:
        task, found = item.task, judged.get(item.task_id)
        late = None
        if found is not None:
            overdue = [m for m in found["milestones"] if m["status"] in (work_rules.OVERDUE, work_rules.SERIOUSLY_OVERDUE)]
            if overdue:
                worst = max(overdue, key=lambda m: m["working_days_late"])
                late = {"title": worst["title"], "due": worst["effective_due"], "working_days_late": worst["working_days_late"]}
        rows.append(BulletinItem(item, task.lead_unit.short_name or task.lead_unit.name, _state(task, found, as_of),
                                 task.closed_on if task.closed_on and task.closed_on <= as_of else None, late,
                                 found["light"] if found else "green", found["missed_periods"] if found else 0))
    by_unit = {}
    for row in rows:
        by_unit.setdefault(row.unit, []).append(row.state)
    units = sorted(({"name": name, **rules.unit_counts(states)} for name, states in by_unit.items()),
                   key=lambda u: (-u["overdue"], -u["not_reached"], -u["items"], u["name"]))
    return Bulletin(plan, period, as_of, rows, units, rules.unit_counts([r.state for r in rows]))
