"""Read side: the plan judged as of a date, roll-ups and Gantt rows. A handful of values() queries, then Python.

No writes here.
"""

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Q

from luoshi.core import workdays
from luoshi.core.sql import day_number_sql
from luoshi.orgs.models import Unit
from luoshi.work import rules
from luoshi.work.models import Campaign, Milestone, ProgressReport, Task, TaskUnit


@dataclass
class Board:
    """Every visible task and milestone, judged as of one date."""

    as_of: date
    campaigns: dict  # id → {"id", "name", "report_cycle"}
    units: dict  # id → short name
    tasks: list = field(default_factory=list)  # dicts, plan order
    milestones: list = field(default_factory=list)  # dicts, plan order
    fallback_years: list = field(default_factory=list)
    lean: bool = False

    def by_campaign(self):
        return _rollup(self, lambda t: t["campaign_id"], lambda m: m["campaign_id"])

    def by_unit(self):
        return _rollup(self, lambda t: t["lead_unit_id"], lambda m: m["lead_unit_id"])


def _rollup(board, task_key, milestone_key):
    items = [(task_key(t), "light", t["light"]) for t in board.tasks]
    items += [(milestone_key(m), "status", m["status"]) for m in board.milestones]
    return rules.rollup(items)


DONE_STATUSES = (rules.DONE, rules.DONE_LATE)


@contextmanager
def paused_gc():
    """Building tens of thousands of small dicts triggers the cyclic collector over and over; none of them form
    cycles, so pause it for the duration (this halves the time for 25,000 milestones)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def board(as_of, task_q=Q(), **filters):
    with paused_gc():
        return _board(as_of, task_q, **filters)


def _board(as_of, task_q=Q(), *, campaign_id=None, unit_id=None, light=None, with_units=False, lean=False):
    """Judge the tasks matching `task_q` (a permission filter from access.task_filter) as of `as_of`.

    Filters: a campaign, a unit (any part in the task), a light (applied after judging).
    `lean`: milestones come as the Gantt chart's compact lists instead of dicts (for 25,000 of them).
    """
    tasks_qs = Task.objects.filter(task_q)
    if campaign_id:
        tasks_qs = tasks_qs.filter(campaign_id=campaign_id)
    if unit_id:
        tasks_qs = tasks_qs.filter(pk__in=TaskUnit.objects.filter(unit_id=unit_id).values("task_id"))
    campaigns = {c["id"]: c for c in Campaign.objects.values("id", "name", "report_cycle", "order", "plan_set_at")}
    task_rows = sorted(tasks_qs.order_by().values_list("id", "number", "title", "campaign_id", "lead_unit_id", "leader_name", "start",
                                            "deadline", "order"),
                       key=lambda r: (campaigns[r[3]]["order"], r[3], r[8], r[0]))
    units = {u["id"]: u["short_name"] or u["name"] for u in Unit.objects.values("id", "name", "short_name")}
    result = Board(as_of=as_of, campaigns=campaigns, units=units, lean=lean)
    if not task_rows:
        return result
    scoped = not (task_q == Q() and not campaign_id and not unit_id)
    subquery = tasks_qs.values("id")

    milestone_qs = Milestone.objects.all()
    # Missed periods count back to the latest report before the current period, so that date is all we need:
    # one grouped query with a column per report cycle instead of every report.
    period_starts = {cycle: rules.period_of(as_of, cycle)[0] for cycle in rules.CYCLES}
    report_qs = ProgressReport.objects.filter(is_current=True, reported_on__lt=max(period_starts.values()))
    if scoped:
        milestone_qs = milestone_qs.filter(task_id__in=subquery)
        report_qs = report_qs.filter(task_id__in=subquery)
    milestones_by_task = defaultdict(list)
    if lean:
        rows = _lean_milestone_rows(tasks_qs.values("id") if scoped else None)
    else:
        rows = milestone_qs.order_by("task_id", "order", "id").values_list(
            "id", "task_id", "number", "title", "start", "due", "original_due", "done_on", "follows_id")
    for row in rows:
        milestones_by_task[row[1]].append(row)
    last_reports = {row["task_id"]: row for row in report_qs.order_by().values("task_id").annotate(
        **{cycle: Max("reported_on", filter=Q(reported_on__lt=first)) for cycle, first in period_starts.items()})}
    task_units = defaultdict(list)
    if with_units:
        unit_qs = TaskUnit.objects.all()
        if scoped:
            unit_qs = unit_qs.filter(task_id__in=subquery)
        for task_id, unit_id_, role in unit_qs.values_list("task_id", "unit_id", "role").order_by():
            task_units[task_id].append((unit_id_, role))

    years = set()
    judge = rules.judge_fast
    planned_start = rules.planned_start
    status_on_days, started_on_days, missed_since = rules.status_on_days, rules.started_on_days, rules.missed_since
    status_index = {status: i for i, status in enumerate(rules.STATUSES)}

    as_of_day = (as_of - rules.EPOCH).days
    dues = set()
    for (task_id, number, title, campaign_id_, lead_unit_id, leader_name, start, deadline, _) in task_rows:
        campaign = campaigns[campaign_id_]
        ms = milestones_by_task.get(task_id, [])
        if lean:
            finished = bool(ms) and all(m[6] is not None and m[6] <= as_of_day for m in ms)
        else:
            finished = bool(ms) and all(m[7] is not None and m[7] <= as_of for m in ms)
        missed = missed_since(last_reports.get(task_id, {}).get(campaign["report_cycle"]), campaign["report_cycle"], start,
                              as_of, finished)
        judged = []
        statuses = []
        next_due = None
        previous_due = None
        if lean:
            # The Gantt chart's compact rows (see gantt._payload), dates as day numbers throughout.
            task_started = start is None or start <= as_of
            silent = missed >= rules.SERIOUS_MISSED_PERIODS
            for (mid, _, mtitle, mstart, due, original_due, done_on, follows_id) in ms:
                status = status_on_days(due, as_of_day, done_on, started_on_days(mstart, previous_due, task_started, as_of_day),
                                        silent)
                previous_due = due
                dues.add(due)
                statuses.append(status)
                judged.append([mid, task_id, mtitle, due, done_on if done_on is not None and done_on <= as_of_day else None,
                               status_index[status], follows_id, original_due])
        else:
            for (mid, _, mnumber, mtitle, mstart, due, original_due, done_on, follows_id) in ms:
                status, effective, late = judge(due, as_of, done_on, planned_start(mstart, previous_due, start), missed)
                previous_due = due
                statuses.append(status)
                known_done = done_on if done_on is not None and done_on <= as_of else None
                years.add(due.year)
                m = {
                    "id": mid, "task_id": task_id, "number": mnumber, "title": mtitle, "start": mstart, "due": due,
                    "original_due": original_due, "effective_due": effective, "done_on": known_done,
                    "status": status, "working_days_late": late, "follows_id": follows_id,
                    "campaign_id": campaign_id_, "lead_unit_id": lead_unit_id,
                }
                judged.append(m)
                if next_due is None and status not in DONE_STATUSES:
                    next_due = m
        task_light = rules.task_light(statuses, missed)
        if not lean:
            for m in judged:
                m["task_light"] = task_light
        task = {
            "id": task_id, "number": number, "title": title, "campaign_id": campaign_id_, "campaign": campaign["name"],
            "lead_unit_id": lead_unit_id, "lead_unit": units.get(lead_unit_id, ""), "leader_name": leader_name,
            "start": start, "deadline": deadline, "light": task_light, "missed_periods": missed,
            "milestones": judged, "units": task_units.get(task_id, []),
            "next_due": next_due,
        }
        result.tasks.append(task)
        result.milestones.extend(judged)
    if light:
        result.tasks = [t for t in result.tasks if t["light"] == light]
        keep = {t["id"] for t in result.tasks}
        result.milestones = [m for m in result.milestones if (m[1] if lean else m["task_id"]) in keep]
    years.update({(rules.EPOCH + timedelta(days=d)).year for d in dues})
    result.fallback_years = workdays.fallback_years(date(y, 1, 1) for y in years | {as_of.year})
    return result


def _lean_milestone_rows(task_ids=None):
    """Milestones in plan order as (id, task_id, title, start, due, original_due, done_on, follows_id) with the
    dates as day numbers (days since 1970-01-01) computed by the database: the Gantt chart needs no date objects
    for its 25,000 milestones. task_ids: a values("id") queryset of the tasks to keep, or None for all."""
    from django.db import connection

    day = day_number_sql
    table = Milestone._meta.db_table
    sql = (f"SELECT id, task_id, title, {day('start')}, {day('due')}, {day('original_due')}, {day('done_on')}, follows_id "
           f"FROM {table}")
    params = []
    if task_ids is not None:
        subquery, params = task_ids.query.sql_with_params()
        sql += f" WHERE task_id IN ({subquery})"
    sql += f' ORDER BY task_id, {connection.ops.quote_name("order")}, id'
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def status_rows(judged: Board):
    """One dict per milestone with the keys of the `luoshi work status --json` contract (add, never rename)."""
    tasks = {t["id"]: t for t in judged.tasks}
    rows = []
    for m in judged.milestones:
        task = tasks[m["task_id"]]
        rows.append({
            "campaign": task["campaign"], "task": task["title"], "milestone": m["title"], "lead_unit": task["lead_unit"],
            "due": m["due"].isoformat(), "effective_due": m["effective_due"].isoformat(),
            "done_on": m["done_on"].isoformat() if m["done_on"] else None, "status": m["status"],
            "working_days_late": m["working_days_late"], "task_light": task["light"],
            "task_number": task["number"], "milestone_number": m["number"],
        })
    return rows
