"""Read side: the plan judged as of a date, roll-ups and Gantt rows. A handful of values() queries, then Python.

No writes here.
"""

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

import orjson
from django.db.models import Max, Q

from luoshi.audit import queries as audit_queries
from luoshi.core import workdays
from luoshi.core.sql import DayNumber, all_rows, day_number_sql, list_rows
from luoshi.orgs.models import Unit
from luoshi.work import rules
from luoshi.work.models import (REPORTING_ROLES, Campaign, Milestone, ProgressReport, Rebaseline, Task, TaskRole,
                                TaskUnit)


@dataclass
class Board:
    """Every visible task and milestone, judged as of one date."""

    as_of: date
    campaigns: dict  # id → {"id", "name", "report_cycle"}
    units: dict  # id → short name
    tasks: list = field(default_factory=list)  # dicts, plan order
    milestones: list = field(default_factory=list)  # dicts, plan order
    fallback_years: list = field(default_factory=list)

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


# Judge lateness against the current dates (the default) or against the first planned dates (调整计划前的基线).
CURRENT, BASELINE = "current", "baseline"
AGAINST = {CURRENT: "按现行计划", BASELINE: "按原定计划（基线）"}


def board(as_of, task_q=Q(), **filters):
    with paused_gc():
        return _board(as_of, task_q, **filters)


def tasks_in_view(task_q=Q(), campaign_id=None, unit_id=None):
    """The tasks matching `task_q` (a permission filter from access.task_filter) and the filters, and whether that
    is fewer than all tasks (then the other queries keep only their rows)."""
    tasks_qs = Task.objects.filter(task_q)
    if campaign_id:
        tasks_qs = tasks_qs.filter(campaign_id=campaign_id)
    if unit_id:
        tasks_qs = tasks_qs.filter(pk__in=TaskUnit.objects.filter(unit_id=unit_id).values("task_id"))
    return tasks_qs, not (task_q == Q() and not campaign_id and not unit_id)


def _board(as_of, task_q=Q(), *, campaign_id=None, unit_id=None, light=None, with_units=False, against=None):
    """Judge the tasks matching `task_q` (a permission filter from access.task_filter) as of `as_of`.

    against="baseline": lateness is judged against each milestone's first planned date (original_due, where a
    re-baseline was approved) instead of its current due date; the rows still show the current dates.

    Filters: a campaign, a unit (any part in the task), a light (applied after judging).
    """
    tasks_qs, scoped = tasks_in_view(task_q, campaign_id, unit_id)
    campaigns = {c["id"]: c for c in Campaign.objects.values("id", "name", "report_cycle", "report_due_day", "order", "plan_set_at")}
    task_rows = sorted(tasks_qs.order_by().values_list("id", "number", "title", "campaign_id", "lead_unit_id", "leader_name", "start",
                                            "deadline", "order", "original_deadline"),
                       key=lambda r: (campaigns[r[3]]["order"], r[3], r[8], r[0]))
    result = Board(as_of=as_of, campaigns=campaigns, units=_unit_names(tasks_qs) if task_rows else {})
    if not task_rows:
        return result
    subquery = tasks_qs.values("id") if scoped else None
    milestones_by_task = _milestone_rows_by_task(subquery)
    last_reports = _last_reports_by_cycle(as_of, subquery)
    task_units = _task_unit_roles(subquery) if with_units else {}
    years = set()
    baseline = against == BASELINE
    for row in task_rows:
        task_id = row[0]
        task = _judge_task_row(row, campaigns[row[3]], milestones_by_task.get(task_id, []),
                               last_reports.get(task_id, {}), as_of, baseline, years)
        task["lead_unit"] = result.units.get(task["lead_unit_id"], "")
        task["units"] = task_units.get(task_id, [])
        result.tasks.append(task)
        result.milestones.extend(task["milestones"])
    follow_indicators(result, tasks_qs, as_of)
    if light:
        result.tasks = [t for t in result.tasks if t["light"] == light]
        keep = {t["id"] for t in result.tasks}
        result.milestones = [m for m in result.milestones if m["task_id"] in keep]
    result.fallback_years = workdays.fallback_years(date(y, 1, 1) for y in years | {as_of.year})
    return result


def _unit_names(tasks_qs):
    """{unit id: short name} of the units taking part in these tasks only: a province has tens of thousands."""
    unit_qs = Unit.objects.filter(Q(pk__in=tasks_qs.values("lead_unit_id"))
                                  | Q(pk__in=TaskUnit.objects.filter(task__in=tasks_qs.values("id")).values("unit_id")))
    return {u["id"]: u["short_name"] or u["name"] for u in unit_qs.values("id", "name", "short_name")}


def _milestone_rows_by_task(task_ids):
    """{task id: [milestone rows in plan order]}; task_ids: a values("id") queryset, or None for every task."""
    milestone_qs = Milestone.objects.all() if task_ids is None else Milestone.objects.filter(task_id__in=task_ids)
    milestones_by_task = defaultdict(list)
    for row in milestone_qs.order_by("task_id", "order", "id").values_list(
            "id", "task_id", "number", "title", "start", "due", "original_due", "done_on", "follows_id"):
        milestones_by_task[row[1]].append(row)
    return milestones_by_task


def _last_reports_by_cycle(as_of, task_ids):
    """{task id: {report cycle: the latest report day before that cycle's current period}}. Missed periods count
    back to that day, so it is all we need: one grouped query with a column per cycle instead of every report."""
    period_starts = {cycle: rules.period_of(as_of, cycle)[0] for cycle in rules.CYCLES}
    report_qs = ProgressReport.objects.filter(is_current=True, reported_on__lt=max(period_starts.values()))
    if task_ids is not None:
        report_qs = report_qs.filter(task_id__in=task_ids)
    return {row["task_id"]: row for row in report_qs.order_by().values("task_id").annotate(
        **{cycle: Max("reported_on", filter=Q(reported_on__lt=first)) for cycle, first in period_starts.items()})}


def _task_unit_roles(task_ids):
    """{task id: [(unit id, role)]}."""
    unit_qs = TaskUnit.objects.all() if task_ids is None else TaskUnit.objects.filter(task_id__in=task_ids)
    task_units = defaultdict(list)
    for task_id, unit_id, role in unit_qs.values_list("task_id", "unit_id", "role").order_by():
        task_units[task_id].append((unit_id, role))
    return task_units


def _judge_task_row(row, campaign, ms, last_report, as_of, baseline, years):
    """One task's dict with its milestones judged as of `as_of` ("lead_unit" and "units" left for the caller to
    fill); adds the years of its due dates to `years`."""
    task_id, number, title, campaign_id, lead_unit_id, leader_name, start, deadline, _, original_deadline = row
    finished = bool(ms) and all(m[7] is not None and m[7] <= as_of for m in ms)
    missed = rules.missed_since(last_report.get(campaign["report_cycle"]), campaign["report_cycle"], start, as_of,
                                finished)
    judge, planned_start = rules.judge_fast, rules.planned_start
    judged, statuses = [], []
    next_due = previous_due = None
    for (mid, _, mnumber, mtitle, mstart, due, original_due, done_on, follows_id) in ms:
        judged_due = original_due if baseline and original_due is not None else due
        status, effective, late = judge(judged_due, as_of, done_on, planned_start(mstart, previous_due, start), missed)
        previous_due = judged_due
        statuses.append(status)
        known_done = done_on if done_on is not None and done_on <= as_of else None
        years.add(due.year)
        m = {
            "id": mid, "task_id": task_id, "number": mnumber, "title": mtitle, "start": mstart, "due": due,
            "original_due": original_due, "effective_due": effective, "done_on": known_done,
            "status": status, "working_days_late": late, "follows_id": follows_id,
            "campaign_id": campaign_id, "lead_unit_id": lead_unit_id,
        }
        judged.append(m)
        if next_due is None and status not in DONE_STATUSES:
            next_due = m
    task_light = rules.task_light(statuses, missed)
    for m in judged:
        m["task_light"] = task_light
    return {
        "id": task_id, "number": number, "title": title, "campaign_id": campaign_id, "campaign": campaign["name"],
        "lead_unit_id": lead_unit_id, "lead_unit": "", "leader_name": leader_name,
        "start": start, "deadline": deadline, "original_deadline": original_deadline, "light": task_light,
        "missed_periods": missed, "milestones": judged, "units": [], "next_due": next_due,
    }


class ChartPart(NamedTuple):
    """One task's rows in the Gantt chart as of a date (work.gantt puts the parts of the shown tasks together), with
    what decides whether they are still current: the task's revision and the report cycle its campaign had. Dates
    are day numbers (days since 1970-01-01); light and status are indexes into rules.LIGHTS and rules.STATUSES."""

    revision: int
    cycle: str
    task: list  # [id, campaign_id, number, title, lead_unit_id, start, deadline, light, [unit ids, lead included],
    #              original_deadline (the first planned deadline where a re-baseline moved it, else null)]
    # The milestones' rows [id, task_id, title, due, done_on, status, follows_id, original_due] in plan order, as JSON
    # written while they are fresh in the processor's cache, comma-separated without brackets (b"" when none).
    milestones: bytes
    uncovered_years: frozenset  # the years of its due dates that the working-day calendar does not cover


# tuple.__new__ makes a ChartPart without the Python-level call of ChartPart(…) (5,000 of them for a chart).
_chart_part = partial(tuple.__new__, ChartPart)
NO_YEARS = frozenset()


LIGHT_INDEX = {light: i for i, light in enumerate(rules.LIGHTS)}
STATUS_INDEX = {status: i for i, status in enumerate(rules.STATUSES)}


# Tasks in plan order are the campaigns in their order, and in each campaign the tasks by (order, id); the database
# gives them by (campaign id, order, id), from the index work_task_chart_order.
TASK_ORDER = ("campaign_id", "order", "id")


def chart_order(cycle_of, tasks_qs):
    """(id, revision, campaign id) of these tasks in plan order. `cycle_of`: {campaign id: report cycle}, every
    campaign in campaign order. On PostgreSQL read from the index alone."""
    return in_plan_order(cycle_of, all_rows(tasks_qs.order_by(*TASK_ORDER).values_list("id", "revision", "campaign_id")))


def in_plan_order(cycle_of, rows):
    """Rows whose third item is the campaign id, given in TASK_ORDER, put in plan order."""
    by_campaign = {cid: list(group) for cid, group in groupby(rows, itemgetter(2))}
    return [row for cid in cycle_of for row in by_campaign.get(cid, ())]


def chart_parts(as_of, tasks_qs, cycle_of, scoped=True, against=None):
    """{task id: ChartPart} for these tasks as of a date, judged as board() judges them (tests/work/test_queries.py),
    built straight from day numbers without the dicts the other pages use (25,000 milestones), in TASK_ORDER.
    `cycle_of`: {campaign id: report cycle}; `scoped`: False when tasks_qs is every task, so that the other queries
    need no filter."""
    with paused_gc():
        return _chart_parts(as_of, tasks_qs, cycle_of, scoped, against == BASELINE)


def _chart_parts(as_of, tasks_qs, cycle_of, scoped, baseline=False):
    task_rows = all_rows(tasks_qs.order_by(*TASK_ORDER).values_list(
        "id", "campaign_id", "number", "title", "lead_unit_id", DayNumber("start"), DayNumber("deadline"), "revision",
        DayNumber("original_deadline")))
    if not task_rows:
        return {}
    subquery = tasks_qs.values("id") if scoped else None
    last_reports, column = _last_report_days(as_of, {cycle_of[cid] for cid in {r[1] for r in task_rows}}, subquery)
    task_units = _task_unit_ids(subquery)

    # [id, task_id, title, due, done_on, own start, follows_id, original_due]: the chart's milestone rows once the
    # done date is dropped where it is not known yet and the start's place holds the status.
    rows = _chart_milestone_rows(subquery)
    by_task = {task_id: list(group) for task_id, group in groupby(rows, itemgetter(1))}
    del rows

    status_on_days, started_on_days = rules.status_on_days, rules.started_on_days
    missed_since_days, task_light = rules.missed_since_days, rules.task_light
    serious_missed = rules.SERIOUS_MISSED_PERIODS
    status_index, light_index = STATUS_INDEX, LIGHT_INDEX
    done_in_time = rules.DONE
    as_of_day = (as_of - rules.EPOCH).days
    covered = range((date(workdays.FIRST_COVERED, 1, 1) - rules.EPOCH).days,
                    (date(workdays.LAST_COVERED + 1, 1, 1) - rules.EPOCH).days)
    dumps = orjson.dumps
    parts = {}
    for task_id, campaign_id_, number, title, lead_unit_id, start, deadline, revision, original_deadline in task_rows:
        ms = by_task.get(task_id, ())
        finished = bool(ms)  # every milestone known done by as_of
        for m in ms:
            if m[4] is None or m[4] > as_of_day:
                finished = False
                break
        cycle = cycle_of[campaign_id_]
        reports = last_reports.get(task_id)
        missed = missed_since_days(reports[column[cycle]] if reports is not None and cycle in column else None, cycle,
                                   start, as_of_day, finished)
        silent = missed >= serious_missed
        task_started = start is None or start <= as_of_day
        previous_due = None
        statuses = set()
        uncovered = NO_YEARS
        for m in ms:
            done_on = m[4]
            if done_on is not None and done_on > as_of_day:
                m[4] = done_on = None  # not known yet on that day
            due = m[7] if baseline and m[7] is not None else m[3]  # against="baseline": the first planned date
            if done_on is not None and done_on <= due:
                status = done_in_time  # status_on_days's first case: done by the planned (so the effective) due date
            else:
                status = status_on_days(due, as_of_day, done_on,
                                        started_on_days(m[5], previous_due, task_started, as_of_day), silent)
            previous_due = due
            statuses.add(status)
            m[5] = status_index[status]
            if due not in covered:
                uncovered = uncovered | {(rules.EPOCH + timedelta(days=due)).year}
        task = [task_id, campaign_id_, number, title, lead_unit_id, start, deadline,
                light_index[task_light(statuses, missed)], sorted({*task_units.get(task_id, ()), lead_unit_id}),
                original_deadline]
        parts[task_id] = _chart_part((revision, cycle, task, dumps(ms)[1:-1] if ms else b"", uncovered))
    return parts


def _last_report_days(as_of, cycles, task_ids):
    """({task id: (task id, day number, …)}, {cycle: the index of its column}): the latest report before the current
    period of each of `cycles`, as a day number, in one grouped query with a column per distinct first day among
    those cycles (usually one). task_ids: a values("id") queryset, or None for every task."""
    period_starts = {cycle: rules.period_of(as_of, cycle)[0] for cycle in rules.CYCLES}
    cycles = cycles & period_starts.keys()
    firsts = sorted({period_starts[cycle] for cycle in cycles})
    column = {cycle: firsts.index(period_starts[cycle]) + 1 for cycle in cycles}
    if not firsts:
        return {}, column
    report_qs = ProgressReport.objects.filter(is_current=True, reported_on__lt=firsts[-1])
    if task_ids is not None:
        report_qs = report_qs.filter(task_id__in=task_ids)
    latest = {f"before_{i}": DayNumber(Max("reported_on", filter=Q(reported_on__lt=first) if len(firsts) > 1 else None))
              for i, first in enumerate(firsts)}
    # Ordered by task, PostgreSQL aggregates straight off the (task, is_current, reported_on) index.
    return {row[0]: row for row in all_rows(report_qs.order_by("task_id").values_list("task_id").annotate(**latest))}, column


def _task_unit_ids(task_ids):
    """{task id: [unit ids]}; task_ids: a values("id") queryset, or None for every task."""
    unit_qs = TaskUnit.objects.all() if task_ids is None else TaskUnit.objects.filter(task_id__in=task_ids)
    task_units = defaultdict(list)
    for task_id, unit_id in all_rows(unit_qs.order_by().values_list("task_id", "unit_id")):
        task_units[task_id].append(unit_id)
    return task_units


def _chart_milestone_rows(task_ids=None):
    """Milestones in plan order as lists [id, task_id, title, due, done_on, start, follows_id, original_due] with
    the dates as day numbers (days since 1970-01-01) computed by the database: the Gantt chart needs no date objects
    for its 25,000 milestones. task_ids: a values("id") queryset of the tasks to keep, or None for all.
    On PostgreSQL the covering index work_milestone_plan_order gives them in this order without a sort."""
    from django.db import connection

    day = day_number_sql
    table = Milestone._meta.db_table
    sql = (f"SELECT id, task_id, title, {day('due')}, {day('done_on')}, {day('start')}, follows_id, {day('original_due')} "
           f"FROM {table}")
    params = []
    if task_ids is not None:
        subquery, params = task_ids.query.sql_with_params()
        sql += f" WHERE task_id IN ({subquery})"
    sql += f' ORDER BY task_id, {connection.ops.quote_name("order")}, id'
    return list_rows(sql, params)


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
            "missed_periods": task["missed_periods"],
        })
    return rows


def task_report_periods(task, as_of):
    """The task's report periods up to `as_of` (rules.report_periods, newest first) from its current reports."""
    dates = sorted(set(ProgressReport.objects.filter(task=task, is_current=True, reported_on__lte=as_of)
                       .values_list("reported_on", flat=True)))
    milestones = list(task.milestones.values_list("done_on", flat=True))
    finished = bool(milestones) and all(d is not None and d <= as_of for d in milestones)
    campaign = task.campaign
    return rules.report_periods(dates, cycle=campaign.report_cycle, due_day=campaign.report_due_day,
                                task_start=task.start, as_of=as_of, finished=finished)[::-1]


def report_periods_by_unit(first_day, last_day, as_of, task_q=Q()):
    """{unit id: {"due": n, "late": n, "missing": n}} over the report periods whose due date
    (rules.report_due_date) falls in [first_day, last_day], for the tasks each unit LEADS (Task.lead_unit; responsible
    and cooperating units are not counted), judged as of `as_of` (rules.report_periods: a report dated after `as_of`
    is not known; a period not ended by `as_of` counts as due but neither late nor missing; a task whose milestones are
    all done by `as_of` owes none). "late": filed inside the period after its due date; "missing": none by the end of
    the period. Units leading tasks with no period due in the span are absent. For the league table (supervision).
    task_q keeps only some tasks (e.g. a county's: supervision.league.region_filter)."""
    campaigns = {cid: (cycle, due_day) for cid, cycle, due_day in
                 Campaign.objects.values_list("id", "report_cycle", "report_due_day")}
    task_qs = Task.objects.filter(task_q, start__isnull=False, start__lte=as_of).order_by()
    tasks = list(task_qs.values_list("id", "lead_unit_id", "campaign_id", "start"))
    if not tasks:
        return {}
    ids = task_qs.values("id")
    reports = defaultdict(set)
    for task_id, day in ProgressReport.objects.filter(task__in=ids, is_current=True, reported_on__lte=as_of).order_by(
            ).values_list("task_id", "reported_on"):
        reports[task_id].add(day)
    done = defaultdict(list)
    for task_id, done_on in Milestone.objects.filter(task__in=ids).order_by().values_list("task_id", "done_on"):
        done[task_id].append(done_on is not None and done_on <= as_of)
    result = {}
    for task_id, unit_id, campaign_id, start in tasks:
        cycle, due_day = campaigns[campaign_id]
        finished = bool(done[task_id]) and all(done[task_id])
        counts = None
        for _, _, due, state in rules.report_periods(sorted(reports[task_id]), cycle=cycle, due_day=due_day,
                                                     task_start=start, as_of=as_of, finished=finished):
            if first_day <= due <= last_day:
                counts = counts or result.setdefault(unit_id, {"due": 0, "late": 0, "missing": 0})
                counts["due"] += 1
                if state == rules.LATE:
                    counts["late"] += 1
                elif state == rules.MISSING:
                    counts["missing"] += 1
    return result


# --- Reads for the apps on top of work (supervision): what they ask of the plan, so they never query its tables. ---

def judged_task(task, as_of):
    """The task as the board judges it on that day (its dict, with its milestones'), or None."""
    judged = board(as_of, Q(pk=task.pk))
    return judged.tasks[0] if judged.tasks else None


def tasks_by_id(ids) -> dict:
    """{id: Task} with its campaign, lead unit and its region, leader and task units (for acting on tasks a board
    found, or reading their story)."""
    return (Task.objects.select_related("campaign", "lead_unit__region", "leader").prefetch_related("task_units")
            .in_bulk(list(ids)))


def responsible_unit_ids(task) -> list:
    """The task's responsible units (责任单位: neither its lead unit nor the cooperating ones), by id."""
    return list(task.task_units.filter(role=TaskRole.RESPONSIBLE).values_list("unit_id", flat=True))


def leading_unit_ids(as_of, task_q=Q()) -> set:
    """The units leading one of the tasks `task_q` keeps that has started by `as_of`."""
    return set(Task.objects.filter(task_q, start__lte=as_of).order_by().values_list("lead_unit_id", flat=True).distinct())


def latest_report_day(task_q=Q()):
    """The date of the latest progress report on the tasks `task_q` keeps (None without any)."""
    return ProgressReport.objects.filter(task__in=Task.objects.filter(task_q).values("id")).aggregate(
        latest=Max("reported_on"))["latest"]


@dataclass(frozen=True)
class ReportPeriod:
    """One report period of a task (a row of rules.report_periods, named)."""

    first: date
    last: date
    due: date
    state: str  # rules.ON_TIME, LATE, MISSING or OPEN


def report_periods_of(judged: Board) -> dict:
    """{task id: [ReportPeriod], oldest first} for every task on the board, as of its day: from the current reports
    dated by then (rules.report_periods; a task whose milestones are all known done owes none)."""
    dates = defaultdict(list)
    for task_id, day in (ProgressReport.objects.filter(is_current=True, task_id__in=[t["id"] for t in judged.tasks],
                                                       reported_on__lte=judged.as_of)
                         .order_by("reported_on").values_list("task_id", "reported_on")):
        dates[task_id].append(day)
    periods = {}
    for task in judged.tasks:
        milestones = task["milestones"]
        campaign = judged.campaigns[task["campaign_id"]]
        rows = rules.report_periods(dates[task["id"]], cycle=campaign["report_cycle"], due_day=campaign["report_due_day"],
                                    task_start=task["start"], as_of=judged.as_of,
                                    finished=bool(milestones) and all(m["done_on"] is not None for m in milestones))
        periods[task["id"]] = [ReportPeriod(*row) for row in rows]
    return periods


# The audit entries work.services writes when it puts a task into the plan or changes it, enters a milestone, or
# sets a campaign's plan (their actions).
TASK_ENTERED, TASK_CHANGED, MILESTONE_ENTERED, PLAN_SET = "新增重点任务", "修改重点任务", "新增节点", "确定计划"


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded write to the plan: when, by whom, and the fields before and after as work.services records them
    (only those that changed; a task's: TASK_FIELDS and "units", [unit id, role] pairs)."""

    at: datetime
    actor_label: str
    before: dict
    after: dict
    entered: bool  # the entry that put the object into the plan


def history(model, ids, entered_action, changed_action=None) -> dict:
    """{id: [HistoryEntry], oldest first}: the entry that put each object (Task, Milestone, Campaign) into the plan
    and, given changed_action, each change."""
    rows = defaultdict(list)
    actions = [action for action in (entered_action, changed_action) if action]
    for entry in audit_queries.entries_for(model, ids, actions):
        rows[int(entry.object_id)].append(HistoryEntry(entry.at, entry.actor_label, entry.before or {},
                                                       entry.after or {}, entry.action == entered_action))
    return rows


@dataclass
class TaskRecords:
    """What work keeps about some tasks, for reading each one's whole story (supervision's 倒查 chain)."""

    tasks: dict  # id → Task (tasks_by_id)
    milestones: dict  # task id → [Milestone], plan order
    reports: dict  # task id → [ProgressReport]: every version, by date, with unit, submitter and completions
    rebaselines: dict  # task id → [Rebaseline] of its milestones and its deadline, with milestone, unit and people
    history: dict  # task id → [HistoryEntry]: its entry into the plan and each change
    milestones_entered: dict  # milestone id → the HistoryEntry that entered it
    plans_set: dict  # campaign id → the first HistoryEntry that set its plan (确定计划)

    def reporting_unit_ids(self, task_id) -> set:
        """The units that were the task's lead or responsible unit (REPORTING_ROLES), now or at a recorded point."""
        task = self.tasks[task_id]
        ids = {task.lead_unit_id} | {tu.unit_id for tu in task.task_units.all() if tu.role in REPORTING_ROLES}
        for entry in self.history.get(task_id, []):
            for values in (entry.before, entry.after):
                if values.get("lead_unit"):
                    ids.add(values["lead_unit"])
                ids.update(unit_id for unit_id, role in values.get("units", []) if role in REPORTING_ROLES)
        return ids


def _by_task(rows, task_of=lambda row: row.task_id):
    grouped = defaultdict(list)
    for row in rows:
        grouped[task_of(row)].append(row)
    return grouped


def _first(rows_by_id):
    return {pk: rows[0] for pk, rows in rows_by_id.items()}


def task_records(task_ids) -> TaskRecords:
    """Everything TaskRecords holds for these tasks, in a handful of queries."""
    task_ids = sorted(set(task_ids))
    tasks = tasks_by_id(task_ids)
    milestones = _by_task(Milestone.objects.filter(task_id__in=task_ids).order_by("task_id", "order", "id"))
    milestone_ids = [m.pk for rows in milestones.values() for m in rows]
    reports = (ProgressReport.objects.filter(task_id__in=task_ids).select_related("unit", "submitted_by")
               .prefetch_related("completions").order_by("reported_on", "series", "version", "id"))
    rebaselines = (Rebaseline.objects.filter(Q(milestone_id__in=milestone_ids) | Q(task_id__in=task_ids))
                   .select_related("milestone", "unit", "requested_by", "decided_by", "changed_by").order_by("id"))
    return TaskRecords(
        tasks=tasks, milestones=milestones, reports=_by_task(reports),
        rebaselines=_by_task(rebaselines, lambda rb: rb.task_id or rb.milestone.task_id),
        history=history(Task, task_ids, TASK_ENTERED, TASK_CHANGED),
        milestones_entered=_first(history(Milestone, milestone_ids, MILESTONE_ENTERED)),
        plans_set=_first(history(Campaign, {t.campaign_id for t in tasks.values()}, PLAN_SET)))


def led_task_ids(user) -> set:
    """The ids of the tasks whose responsible leader (责任领导, 包保/分管) is this user: Task.leader is the user's Person,
    or, on a task naming its leader only (leader_name, no Person linked: an import that found nobody), the Person's
    name. The 驾驶舱 lists these first. One query."""
    from luoshi.orgs.models import Person

    if not getattr(user, "is_authenticated", False):
        return set()
    names = Person.objects.filter(user=user).exclude(name="").values("name")
    return set(Task.objects.filter(Q(leader__user=user) | Q(leader__isnull=True, leader_name__in=names))
               .values_list("id", flat=True))


def pending_rebaselines(rebaseline_q, limit=None):
    """Pending 调整计划 requests that `rebaseline_q` (work.access.rebaseline_filter) keeps, oldest first, with what
    deciding and showing them needs (the task, its lead unit's region, the milestone, the unit, who asked)."""
    from luoshi.work.models import RebaselineStatus

    rows = (Rebaseline.objects.filter(rebaseline_q, status=RebaselineStatus.PENDING)
            .select_related("milestone__task__lead_unit__region", "task__lead_unit__region", "unit", "requested_by")
            .order_by("requested_at", "id"))
    return list(rows[:limit] if limit else rows)


# --- a task serving indicators (Task.indicator_codes) follows their 序时 judgement (docs/rules.md §3) -----------------

def indicator_period(region, as_of):
    """The month whose indicator figures judge a task as of a day: the latest month of that year before the day's
    month for which the region has figures (figures of a month arrive in the next); None in January or without any."""
    from luoshi.indicators import queries as indicator_queries

    for month in range(as_of.month - 1, 0, -1):
        period = date(as_of.year, month, 1)
        if indicator_queries.has_figures(region, period):
            return period
    return None


def indicator_judgements(region, codes, as_of):
    """{code: the indicator table's row} of these catalog codes for the region as of a day (indicator_period), only
    those with a light (a target and a figure); {} when none."""
    from luoshi.indicators import queries as indicator_queries
    from luoshi.indicators.models import Indicator

    period = indicator_period(region, as_of)
    if period is None:
        return {}
    indicators = list(Indicator.objects.filter(code__in=sorted(set(codes))))
    return {row["indicator"]: row for row in indicator_queries.table(region, period, indicators) if row.get("light")}


def indicator_rows(tasks_qs, as_of, task_ids=None) -> dict:
    """{task id: [the indicators' judged rows]} for the tasks of `tasks_qs` (of `task_ids` when given) that serve
    indicators and are not closed (销号) by `as_of`; one query when no task serves any."""
    from luoshi.orgs.models import Region

    linked = [row for row in tasks_qs.exclude(indicator_codes=[]).exclude(closed_on__lte=as_of).order_by().values_list(
        "id", "indicator_codes", "lead_unit__region_id") if row[1] and (task_ids is None or row[0] in task_ids)]
    if not linked:
        return {}
    regions = Region.objects.in_bulk({row[2] for row in linked})
    found = {}
    for region_id in regions:
        codes = {c for row in linked if row[2] == region_id for c in row[1]}
        found[region_id] = indicator_judgements(regions[region_id], codes, as_of)
    return {task_id: [found[region_id][c] for c in codes if c in found[region_id]]
            for task_id, codes, region_id in linked}


def follow_indicators(judged: Board, tasks_qs, as_of):
    """Give each judged task that serves indicators the light rules.follow_indicators takes from theirs, and the rows
    it followed ("indicators"). A task closed (销号) by then follows none. The Gantt chart's parts do the same
    (work.gantt.follow_indicators)."""
    by_id = {t["id"]: t for t in judged.tasks}
    for task_id, rows in indicator_rows(tasks_qs, as_of, set(by_id)).items():
        task = by_id[task_id]
        task["indicators"] = rows
        task["light"] = rules.follow_indicators(task["light"], [r["light"] for r in rows])
        for m in task["milestones"]:
            m["task_light"] = task["light"]


def pending_closure_task_ids(task_ids) -> set:
    """Of these tasks, those with a 销号 request waiting for the office (work.models.Closure)."""
    from luoshi.work.models import Closure, ClosureStatus

    return set(Closure.objects.filter(task_id__in=list(task_ids), status=ClosureStatus.PENDING)
               .values_list("task_id", flat=True))
