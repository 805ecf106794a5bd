"""Read-side assembly of the project pools: a region's 调度 status for a month (every project judged, the roll-ups
per unit, town and 包保领导, who has not reported), a project's history. No writes.

Totals are computed from the current monthly reports, never typed: 1-X月完成投资 is the sum of the year's months up to
X, 开工以来累计 adds the investment before the first recorded month (Project.done_before)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from luoshi.projects import rules
from luoshi.projects.models import CountedInvestment, MonthlyReport, PoolMove, PoolThresholds, Problem, Project

ZERO = Decimal("0.00")


def thresholds_for(region):
    """The region's thresholds, else the nearest region above it that has its own, else the defaults in code."""
    codes = []
    while region is not None:
        codes.append(region.pk)
        region = region.parent
    found = {t.region_id: t for t in PoolThresholds.objects.filter(region_id__in=codes)}
    for pk in codes:
        if pk in found:
            return found[pk].as_rules()
    return rules.DEFAULTS


def year_projects(region, year):
    """The projects with investment planned in that year (not 退库), in the 调度表's order."""
    return (Project.objects.filter(region=region, year_plans__year=year, year_plans__planned__gt=0)
            .exclude(pool=rules.WITHDRAWN).select_related("unit", "town", "leader")
            .annotate(year_plan=Sum("year_plans__planned", filter=Q(year_plans__year=year)))
            .order_by("order", "id"))


def sums(project_ids, period):
    """{project id: (1-X月, all months up to X, month X or None)} from the current reports."""
    january = date(period.year, 1, 1)
    rows = (MonthlyReport.objects.filter(project_id__in=project_ids, is_current=True, period__lte=period)
            .values("project_id").annotate(ytd=Sum("amount", filter=Q(period__gte=january)), total=Sum("amount"),
                                           month=Sum("amount", filter=Q(period=period))))
    return {r["project_id"]: (r["ytd"] or ZERO, r["total"] or ZERO, r["month"]) for r in rows}


def unit_label(unit):
    return unit.short_name or unit.name


def status(region, period, projects=None):
    """The region's 调度 status as of the end of the period's month (see the module's docstring).

    `projects`: a queryset narrowing the rows (a unit's own), else every project of the year's list."""
    t = thresholds_for(region)
    listed = list(year_projects(region, period.year) if projects is None else
                  year_projects(region, period.year).filter(pk__in=projects.values("pk")))
    ids = [p.pk for p in listed]
    totals = sums(ids, period)
    current = {r.project_id: r for r in MonthlyReport.objects.filter(project_id__in=ids, period=period, is_current=True)
               .select_related("unit")}
    counted = dict(CountedInvestment.objects.filter(project_id__in=ids, period=period).values_list("project_id", "amount"))
    starts = planned_starts(listed)
    rows = []
    for p in listed:
        ytd, total, month = totals.get(p.pk, (ZERO, ZERO, None))
        planned_start = starts.get(p.pk, p.planned_start)
        judged = rules.judge(kind=p.kind, year_plan=p.year_plan, done_ytd=ytd, planned_start=planned_start,
                             started_on=p.started_on, statistics_on=p.statistics_on, period=period, t=t)
        report = current.get(p.pk)
        rows.append({
            "id": p.pk, "name": p.name, "category": p.category, "kind": p.kind, "kind_label": p.kind_label, "industry": p.industry,
            "unit": unit_label(p.unit), "unit_id": p.unit_id, "unit_name": p.unit.name, "unit_code": p.unit.code,
            "town": p.town.name if p.town_id else "", "town_id": p.town_id, "leader": p.leader_label,
            "leader_id": p.leader_id, "owner": p.owner, "content": p.content, "start_year": p.start_year,
            "end_year": p.end_year, "total_investment": p.total_investment, "year_plan": p.year_plan, "done_ytd": ytd,
            "done_month": month, "since_start": p.done_before + total, "counted_ytd": counted.get(p.pk),
            "planned_start": planned_start, "started_on": p.started_on, "statistics_on": p.statistics_on,
            "pool": p.pool, "reported": report is not None, "progress": report.progress if report else "",
            "problems": report.problems if report else "", "report_id": report.pk if report else None, **judged,
            "light_label": rules.LIGHT_LABELS[judged["light"]]})
    summary = rules.rollup(rows, period, t)
    summary["started_not_in_statistics"] = [r["name"] for r in rows if r["started"] and not r["in_statistics"]]
    return {"region": region, "period": period, "pace": rules.pace(period.month), "thresholds": t, "projects": rows,
            "summary": summary, "by_unit": _groups(rows, "unit", period, t), "by_town": _groups(rows, "town", period, t),
            "by_leader": _groups(rows, "leader", period, t), "missing": missing(rows)}


def _groups(rows, key, period, t):
    grouped = defaultdict(list)
    for row in rows:
        if row[key]:
            grouped[row[key]].append(row)
    out = [{"name": name, **rules.rollup(members, period, t)} for name, members in grouped.items()]
    for group in out:
        group["light_label"] = rules.LIGHT_LABELS.get(group["light"], "")
    return sorted(out, key=lambda g: (g["completion_rate"] is None, -(g["completion_rate"] or 0), g["name"]))


def missing(rows):
    """Who has not reported the month: [{unit, unit_code, projects: [names]}], by unit, most projects first."""
    grouped = defaultdict(list)
    codes = {}
    for row in rows:
        if not row["reported"]:
            grouped[row["unit"]].append(row["name"])
            codes[row["unit"]] = row["unit_code"]
    return sorted(({"unit": unit, "unit_code": codes[unit], "projects": names} for unit, names in grouped.items()),
                  key=lambda m: (-len(m["projects"]), m["unit"]))


def month_series(project_ids, year):
    """[(month, sum of the current reports' amounts)] for the months 1–12 of a year: the chart's bars."""
    totals = dict((r["period"].month, r["amount"]) for r in
                  MonthlyReport.objects.filter(project_id__in=list(project_ids), is_current=True, period__year=year)
                  .values("period").annotate(amount=Sum("amount")))
    return [(m, totals.get(m, ZERO)) for m in range(1, 13)]


def chart(state):
    """The investment-by-month chart of a status: cumulative completion per month against the pace."""
    period = state["period"]
    plan = state["summary"]["year_plan"]
    series = month_series([r["id"] for r in state["projects"]], period.year)
    running, points = ZERO, []
    for month, amount in series[:period.month]:
        running += amount
        points.append({"month": f"{month}月", "amount": float(amount), "completion": _float(rules.rate(running, plan)),
                       "pace": float(rules.pace(month))})
    return {"title": f"{period.year}年1-{period.month}月完成投资与序时进度", "points": points}


def _float(value):
    return None if value is None else float(value)


def _amount(value):
    return None if value is None else float(rules.money(value))


def contract(state):
    """`luoshi projects status --json` exactly as its contract says (issue 24): amounts in 万元, percents."""
    s = state["summary"]
    return {
        "period": f"{state['period']:%Y-%m}",
        "pace": float(state["pace"]),
        "projects": [{"name": r["name"], "kind": r["kind_label"], "unit": r["unit"],
                      "total_investment": _amount(r["total_investment"]), "year_plan": _amount(r["year_plan"]),
                      "done_ytd": _amount(r["done_ytd"]), "completion_rate": _float(r["completion"]),
                      "light": r["light"], "started": r["started"], "in_statistics": r["in_statistics"]}
                     for r in state["projects"]],
        "summary": {"count": s["count"], "year_plan": _amount(s["year_plan"]), "done_ytd": _amount(s["done_ytd"]),
                    "completion_rate": _float(s["completion_rate"]), "to_start": s["to_start"], "started": s["started"],
                    "start_rate": _float(s["start_rate"]), "started_not_in_statistics": s["started_not_in_statistics"]},
    }


def project_history(project):
    """Every report version of a project, newest month first, each month's versions newest first."""
    return list(project.reports.select_related("unit", "submitted_by").prefetch_related("photos")
                .order_by("-period", "-version"))


def planned_starts(projects):
    """{project id: planned start month} as key work holds it for the 新建 projects with a planned start that are in
    key work: the 开工 node's due month, which moves only by an approved 调整计划 (work's re-baseline)."""
    from luoshi.work.models import Milestone

    by_task = {p.task_id: p.pk for p in projects if p.task_id and p.planned_start is not None}
    if not by_task:
        return {}
    rows = Milestone.objects.filter(task_id__in=list(by_task), number__endswith=".1").values_list("task_id", "due")
    return {by_task[task_id]: date(due.year, due.month, 1) for task_id, due in rows}


def node_dates(project):
    """The project's nodes in key work, for its page: [{title, due, original_due, done_on, pending}] (pending: the
    调整计划 request waiting for a leader, with its new date), [] when it is not in key work."""
    if not project.task_id:
        return []
    from luoshi.work.models import Rebaseline, RebaselineStatus

    nodes = list(project.task.milestones.order_by("order", "id"))
    pending = {r.milestone_id: r for r in Rebaseline.objects.filter(milestone__in=nodes, status=RebaselineStatus.PENDING)}
    closed = project.task.closed_on
    # A closed task's undone nodes count as done on the day of its 销号 (key work's rule): here they read as closed.
    return [{"title": m.title.split("：")[0], "due": m.due, "original_due": m.original_due,
             "closed": closed is not None and m.done_on is not None and m.done_on >= closed,
             "done_on": m.done_on, "pending": pending.get(m.pk), "id": m.pk} for m in nodes]


def moves(project):
    """Every pool the project was put in and every 增补/退库 request, oldest first (nothing is deleted)."""
    return list(PoolMove.objects.filter(project=project).select_related("requested_by", "decided_by")
                .order_by("requested_at", "id"))


def pending_moves(q):
    """Pending 增补/退库 requests on the projects `q` keeps (a Q on PoolMove), oldest first."""
    return list(PoolMove.objects.filter(q, status=rules.PENDING).select_related("project__region", "requested_by")
                .order_by("requested_at", "id"))


def problem_list(region, on, *, solved=False, projects=None):
    """The 调度会's list of a region's 要素保障 problems as of a day: open ones first, longest waiting first (then the
    solved ones with `solved`), each with its age in days and whether it is overdue (a deadline on a rest day moved to
    the next working day). `projects` narrows it (a Q or queryset of projects the reader may see)."""
    from luoshi.core import workdays, wording

    found = Problem.objects.filter(project__region__code__startswith=region.prefix).select_related(
        "project__unit", "unit", "notice")
    if projects is not None:
        found = found.filter(project__in=projects.values("pk"))
    if not solved:
        found = found.filter(state=rules.OPEN)
    rows = []
    for p in found:
        rows.append({"id": p.pk, "project": p.project.name, "project_id": p.project_id,
                     "project_unit": unit_label(p.project.unit), "kind": p.kind, "kind_label": p.get_kind_display(),
                     "level": p.level, "level_label": p.get_level_display(), "unit": p.unit.name, "unit_id": p.unit_id,
                     "text": p.text, "raised_on": p.raised_on, "deadline": p.deadline,
                     "deadline_text": wording.day(p.deadline), "state": p.state, "state_label": p.get_state_display(),
                     "solved_on": p.solved_on, "solution": p.solution,
                     "age": rules.problem_age(p.raised_on, on, p.solved_on),
                     "overdue": rules.problem_overdue(p.state, workdays.effective_due(p.deadline), on),
                     "escalated_on": p.escalated_on, "notice": p.notice.number if p.notice_id else "",
                     "notice_id": p.notice_id})
    rows = rules.meeting_order(rows, on)
    for number, row in enumerate(rows, 1):
        row["number"] = number
    title = f"{region.name}重点项目要素保障问题清单（{on.year}年{on.month}月{on.day}日）"
    return {"region": region, "on": on, "rows": rows, "title": title,
            "open": sum(1 for r in rows if r["state"] == rules.OPEN),
            "overdue": sum(1 for r in rows if r["overdue"])}


@dataclass
class PendingItem:
    """What waits for a leader's decision, in the shape of supervision.consequences.queries.PendingItem."""

    kind: str
    kind_label: str
    title: str
    unit: str
    since: date
    url: str
    obj: object


def pending_for_leader(user) -> list[PendingItem]:
    """The 增补 and 退库 requests waiting for this leader's decision (a leader of the project's region; never the ones
    they asked themselves), oldest first; empty for anyone else. For the 驾驶舱."""
    from django.urls import reverse
    from django.utils import timezone

    from luoshi.orgs.access import access_for
    from luoshi.orgs.models import Role

    if not getattr(user, "is_authenticated", False):
        return []
    access = access_for(user)
    if Role.LEADER not in access.roles:
        return []
    q = access.region_filter("project__region__code", roles={Role.LEADER})
    items = []
    for move in pending_moves(q):
        if move.requested_by_id == user.pk:
            continue
        items.append(PendingItem("pool_move", f"项目{move.get_kind_display()}",
                                 f"{move.project.name}：申请{move.get_kind_display()}（{move.reason}）",
                                 "发改局", timezone.localdate(move.requested_at),
                                 reverse("projects:project", args=[move.project_id]) + "#pool", move))
    return items


def county_ranking(city, period):
    """A city's counties ranked by 投资完成率 and by 开工率 for the period, with the figures `status` gives each county
    (the same year list: investment planned in the year, not 退库; 1-X月 from the current reports; 开工率 over the
    新建 projects). Two aggregate queries for all the counties, not a status per county. [{code, name, count,
    year_plan, done_ytd, completion_rate, to_start, started, start_rate, completion_rank, start_rank}], in code
    order; a county without projects has count 0 and no ranks."""
    from luoshi.orgs.models import Region

    counties = list(Region.objects.filter(parent=city).order_by("code").values_list("pk", "code", "name"))
    ids = [pk for pk, _, _ in counties]
    listed = (Project.objects.filter(region_id__in=ids, year_plans__year=period.year, year_plans__planned__gt=0)
              .exclude(pool=rules.WITHDRAWN))
    plans = {r["region_id"]: r for r in listed.values("region_id").annotate(
        count=models_count("id"), year_plan=Sum("year_plans__planned"),
        to_start=models_count("id", filter=Q(kind=rules.NEW)),
        started=models_count("id", filter=Q(kind=rules.NEW, started_on__lte=_month_end(period))))}
    done = dict(MonthlyReport.objects.filter(project__in=listed.values("pk"), is_current=True,
                                             period__gte=date(period.year, 1, 1), period__lte=period)
                .values("project__region_id").annotate(done=Sum("amount")).values_list("project__region_id", "done"))
    rows = []
    for pk, code, name in counties:
        p = plans.get(pk, {})
        plan, to_start, started = p.get("year_plan") or ZERO, p.get("to_start", 0), p.get("started", 0)
        ytd = done.get(pk) or ZERO
        rows.append({"code": code, "name": name, "count": p.get("count", 0), "year_plan": plan, "done_ytd": ytd,
                     "completion_rate": rules.rate(ytd, plan), "to_start": to_start, "started": started,
                     "start_rate": rules.rate(started, to_start), "completion_rank": None, "start_rank": None})
    for key, rank in (("completion_rate", "completion_rank"), ("start_rate", "start_rank")):
        ranked = sorted((r for r in rows if r[key] is not None), key=lambda r: -r[key])
        for place, row in enumerate(ranked, 1):
            row[rank] = 1 + sum(1 for other in ranked[:place - 1] if other[key] > row[key])  # ties share a place
    return rows


def ranking_contract(city, period):
    """county_ranking as JSON (`luoshi projects ranking --json`, the API): amounts in 万元, rates in percent."""
    def number(value):
        return float(value) if value is not None else None

    return {"city": city.code, "name": city.name, "period": f"{period:%Y-%m}",
            "counties": [{**row, **{k: number(row[k]) for k in ("year_plan", "done_ytd", "completion_rate", "start_rate")}}
                         for row in county_ranking(city, period)]}


def models_count(field, **kwargs):
    from django.db.models import Count

    return Count(field, distinct=True, **kwargs)


def _month_end(period):
    import calendar

    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
