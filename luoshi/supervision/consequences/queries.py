"""结果运用, read side (no writes): a county's trigger settings, the facts a proposal states, what waits for a leader
(pending_for_leader: the 驾驶舱 shows it), a unit's history, a task's proposals, the month's 通报."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.urls import reverse

from luoshi.core import workdays
from luoshi.core.periods import day_label
from luoshi.orgs.models import Role, RoleAssignment
from luoshi.supervision.consequences import access, rules
from luoshi.supervision.consequences.models import (Consequence, ConsequenceDecision, Experience, LeagueAdjustment,
                                                    TriggerSettings)
from luoshi.supervision.league import rules as league_rules
from luoshi.work import rules as work_rules

SETTING_KEYS = ["late_notices", "late_window_days", "late_kind", "red_periods", "red_kind"]


# --- trigger settings ----------------------------------------------------------------------------------------------

def settings_for(region) -> dict:
    """The county's trigger settings in force: its latest saved row, else rules.DEFAULTS."""
    row = TriggerSettings.objects.filter(region=region).order_by("-saved_at", "-id").first()
    if row is None:
        return dict(rules.DEFAULTS)
    return {key: getattr(row, key) for key in SETTING_KEYS}


def settings_history(region):
    return TriggerSettings.objects.filter(region=region).select_related("saved_by").order_by("-saved_at", "-id")


# --- facts (what a proposal states, and its document's body) ---------------------------------------------------------

def notice_fact(notice, on: date) -> str:
    """督办〔2020〕1号（重点任务「1 招商引资项目签约」）：2020年5月1日开具，答复时限2020年5月11日，2020年5月14日答复，逾期 3 个
    工作日 — or 截至…仍未答复，已逾期 N 个工作日; answered in time: 按时答复."""
    task = notice.task
    head = (f"{notice.number}（重点任务「{task.number} {task.title}」）：{day_label(notice.opened_on)}开具，"
            f"答复时限{day_label(notice.reply_due)}")
    replied = notice.first_replied_on if notice.first_replied_on and notice.first_replied_on <= on else None
    if replied is not None:
        late = workdays.working_days_late(notice.reply_due, replied)
        return head + f"，{day_label(replied)}答复" + (f"，逾期 {late} 个工作日" if late else "，按时答复")
    late = workdays.working_days_late(notice.reply_due, on)
    if late:
        return head + f"，截至{day_label(on)}仍未答复，已逾期 {late} 个工作日"
    return head + f"，截至{day_label(on)}尚未答复"


def milestone_fact(task_row, milestone_row, on: date) -> str:
    """节点「1.1 完成项目洽谈」（重点任务「1 招商引资项目签约」）完成时限2020年4月30日，截至2020年5月12日严重滞后，已滞后 8 个
    工作日 (from work.queries' judged rows)."""
    m = milestone_row
    status = work_rules.STATUS_LABELS[m["status"]]
    late = f"，已滞后 {m['working_days_late']} 个工作日" if m["working_days_late"] else ""
    return (f"节点「{m['number']} {m['title']}」（重点任务「{task_row['number']} {task_row['title']}」）完成时限"
            f"{day_label(m['due'])}，截至{day_label(on)}{status}{late}")


LAGGING = (work_rules.OVERDUE, work_rules.SERIOUSLY_OVERDUE)


def lagging_milestones(task_row):
    return [m for m in task_row["milestones"] if m["status"] in LAGGING]


def period_label(first: date, last: date) -> str:
    """A report period as a person says it: 2020年4月 for a whole month, else 2020年4月1日至2020年4月15日."""
    if first.day == 1 and last == league_rules.month_last(first):
        return f"{first.year}年{first.month}月"
    return f"{day_label(first)}至{day_label(last)}"


def task_facts(task_row, on: date, milestone_ids=None) -> list[str]:
    """The lagging milestones (of `milestone_ids` when given) and the missed reports of a judged task."""
    lines = [milestone_fact(task_row, m, on) for m in lagging_milestones(task_row)
             if milestone_ids is None or m["id"] in milestone_ids]
    if task_row["missed_periods"]:
        lines.append(f"重点任务「{task_row['number']} {task_row['title']}」截至{day_label(on)}已连续 "
                     f"{task_row['missed_periods']} 期未报送进度")
    return lines


# --- lists ---------------------------------------------------------------------------------------------------------

def _with_decision(qs):
    return qs.select_related("region", "unit", "person", "task", "decision", "decision__decided_by", "proposed_by")


def consequences_for(user, state=""):
    """The proposals the user may read, newest first; state: pending / approved / rejected / "" (all)."""
    qs = access.visible_consequences(user)
    if state == "pending":
        qs = qs.filter(decision__isnull=True)
    elif state == "approved":
        qs = qs.filter(decision__approved=True)
    elif state == "rejected":
        qs = qs.filter(decision__approved=False)
    return _with_decision(qs).order_by("-proposed_on", "-id")


def for_task(user, task):
    """The proposals about a task that the user may read (the 倒查 chain's 结果运用 card)."""
    return _with_decision(access.visible_consequences(user).filter(task=task)).order_by("proposed_on", "id")


@dataclass
class PendingItem:
    """One thing waiting for a leader's decision."""

    kind: str  # "consequence" (处理建议) or "adjustment" (考核加减分)
    kind_label: str
    title: str
    unit: str
    since: date  # proposed on
    url: str
    obj: object = None

    def as_json(self):
        return {"kind": self.kind, "kind_label": self.kind_label, "title": self.title, "unit": self.unit,
                "since": self.since.isoformat(), "url": self.url, "id": self.obj.pk if self.obj is not None else None}


def pending_for_leader(user) -> list[PendingItem]:
    """What waits for this leader's decision, oldest first: the proposals (处理建议) of the counties the user leads or
    of the tasks whose responsible leader the user is, and the league adjustments (考核加减分) of the counties the
    user leads. Empty for anyone who decides nothing (an administrator, the office, a unit). For the 驾驶舱."""
    if not getattr(user, "is_authenticated", False):
        return []
    region_q = Q(pk__in=[])
    for a in RoleAssignment.objects.filter(user=user, role=Role.LEADER, region__isnull=False).select_related("region"):
        region_q |= Q(region__code__startswith=a.region.prefix)
    proposals = (Consequence.objects.filter(decision__isnull=True).filter(region_q | Q(task__leader__user=user))
                 .select_related("unit", "region", "task", "task__leader"))
    items = [PendingItem("consequence", "处理建议", f"对{c.unit.name}的处理建议：{c.get_kind_display()}",
                         c.unit.short_name or c.unit.name, c.proposed_on,
                         reverse("supervision:consequence", args=[c.pk]), c) for c in proposals]
    adjustments = LeagueAdjustment.objects.filter(decision__isnull=True).filter(region_q).select_related("unit", "region")
    items += [PendingItem("adjustment", "考核加减分",
                          f"{a.unit.name}{a.period.year}年{a.period.month}月考核{a.signed_points}分",
                          a.unit.short_name or a.unit.name, a.proposed_on,
                          reverse("supervision:league") + f"?period={a.period:%Y-%m}&region={a.region.code}#adjustments", a)
              for a in adjustments]
    items.sort(key=lambda item: (item.since, item.kind, item.obj.pk))
    return items


@dataclass
class UnitHistory:
    unit: object
    consequences: list
    experiences: list
    adjustments: list
    everything: bool  # oversight: pending and refused proposals shown too


def unit_history(user, unit) -> UnitHistory:
    everything = access.sees_everything_of(user, unit)
    consequences = _with_decision(Consequence.objects.filter(unit=unit))
    if not everything:
        consequences = consequences.filter(decision__approved=True)
    adjustments = (LeagueAdjustment.objects.filter(unit=unit).select_related("decision", "proposed_by")
                   .order_by("-period", "-id"))
    if not everything:
        adjustments = adjustments.filter(decision__approved=True)
    return UnitHistory(unit=unit, consequences=list(consequences.order_by("-proposed_on", "-id")),
                       experiences=list(Experience.objects.filter(unit=unit, is_current=True).order_by("-period")),
                       adjustments=list(adjustments), everything=everything)


# --- the league's adjustments and the month's 通报 -------------------------------------------------------------------

def adjustments_of(region, period):
    """The adjustments of a county's month (region None: every county), each with its decision, in order."""
    qs = LeagueAdjustment.objects.filter(period=period)
    if region is not None:
        qs = qs.filter(region=region)
    return list(qs.select_related("unit", "region", "decision", "decision__decided_by", "proposed_by").order_by("id"))


def decided_in(region, period):
    """The consequences approved in a county's month (by decision date), in 文号 order."""
    last = league_rules.month_last(period)
    return list(ConsequenceDecision.objects.filter(consequence__region=region, approved=True, decided_on__gte=period,
                                                   decided_on__lte=last)
                .select_related("consequence", "consequence__unit", "consequence__task").order_by("year", "serial", "id"))


def experiences_of(unit_ids, period):
    """{unit id: [its 典型经验 versions for the month, newest first]}."""
    result = {}
    for e in Experience.objects.filter(unit_id__in=list(unit_ids), period=period).select_related("written_by", "adopted_by") \
            .order_by("unit_id", "-version"):
        result.setdefault(e.unit_id, []).append(e)
    return result


def adopted_experience(versions):
    """The version the office adopted last (None when none is)."""
    adopted = [e for e in versions if e.adopted_on is not None]
    return max(adopted, key=lambda e: e.version) if adopted else None


@dataclass
class Bulletin:
    """The month's 通报 of a county: its league table (with adjustments), the 先进 with their adopted 典型经验, the
    后进, the consequences decided that month and the adjustments approved."""

    region: object
    table: object  # supervision.league.queries.League
    top: list = field(default_factory=list)  # (LeagueRow, Experience or None)
    bottom: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    adjustments: list = field(default_factory=list)  # approved
    pending_adjustments: int = 0


def bulletin(region, period, today=None) -> Bulletin:
    from luoshi.supervision.league.queries import league

    table = league(period, region=region, today=today)
    versions = experiences_of([r.unit_id for r in table.top], period)
    adjustments = adjustments_of(region, period)
    return Bulletin(region=region, table=table,
                    top=[(row, adopted_experience(versions.get(row.unit_id, []))) for row in table.top],
                    bottom=table.bottom, decisions=decided_in(region, period),
                    adjustments=[a for a in adjustments if a.decided and a.decision.approved],
                    pending_adjustments=sum(1 for a in adjustments if not a.decided))
