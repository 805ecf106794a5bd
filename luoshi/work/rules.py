"""Key-work rules as pure functions: milestone status, task light, report periods, roll-ups. No ORM.

Stated in docs/rules.md §3; pinned by tests/work/test_rules.py with hand-computed 2020 dates.
"""

from bisect import bisect_left
from collections import Counter
from typing import NamedTuple
from datetime import date, timedelta
from functools import lru_cache

from luoshi.core import workdays

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
DONE_LATE = "done_late"
OVERDUE = "overdue"
SERIOUSLY_OVERDUE = "seriously_overdue"

STATUSES = [NOT_STARTED, IN_PROGRESS, DONE, DONE_LATE, OVERDUE, SERIOUSLY_OVERDUE]
STATUS_LABELS = {
    NOT_STARTED: "未开始", IN_PROGRESS: "推进中", DONE: "已完成", DONE_LATE: "逾期完成",
    OVERDUE: "滞后", SERIOUSLY_OVERDUE: "严重滞后",
}

GREEN, YELLOW, RED = "green", "yellow", "red"
LIGHTS = [GREEN, YELLOW, RED]
LIGHT_LABELS = {GREEN: "绿灯", YELLOW: "黄灯", RED: "红灯"}

# Defaults from DOMAIN.md §3.
SERIOUS_DAYS_LATE = 10
SERIOUS_MISSED_PERIODS = 2

WEEKLY, HALF_MONTHLY, MONTHLY = "weekly", "half_monthly", "monthly"
CYCLES = {WEEKLY: "每周", HALF_MONTHLY: "每半月", MONTHLY: "每月"}


class Judgement(NamedTuple):  # a NamedTuple: tens of thousands are made per page
    status: str
    effective_due: date
    working_days_late: int

    @property
    def label(self):
        return STATUS_LABELS[self.status]


def milestone_status(*, due, as_of, done_on=None, start=None, missed_periods=0,
                     serious_days=SERIOUS_DAYS_LATE, serious_missed=SERIOUS_MISSED_PERIODS) -> Judgement:
    """Judge one milestone as of a date.

    A completion dated after `as_of` is not known yet on that day. `start` is the planned start (the
    milestone's own, else its task's); `missed_periods` the task's report periods missed in a row.
    """
    known_done = done_on if done_on is not None and done_on <= as_of else None
    started = start is None or start <= as_of
    return _judge(due, as_of, known_done, started, missed_periods >= serious_missed, serious_days)


def judge_fast(due, as_of, done_on, start, missed_periods):
    """milestone_status with the default thresholds and positional arguments, for loops over thousands."""
    return _judge(due, as_of, done_on if done_on is not None and done_on <= as_of else None,
                  start is None or start <= as_of, missed_periods >= SERIOUS_MISSED_PERIODS, SERIOUS_DAYS_LATE)


@lru_cache(maxsize=131072)
def _judge(due, as_of, done_on, started, silent, serious_days):
    # Cached: a page judges tens of thousands of milestones that share few distinct (due, done) pairs.
    effective = workdays.effective_due(due)
    if done_on is not None:
        late = workdays.working_days_between(effective, done_on)
        return Judgement(DONE_LATE if late > 0 else DONE, effective, late)
    late = workdays.working_days_between(effective, as_of)
    if late > serious_days:
        return Judgement(SERIOUSLY_OVERDUE, effective, late)
    if started and silent:
        return Judgement(SERIOUSLY_OVERDUE, effective, late)
    if late > 0:
        return Judgement(OVERDUE, effective, late)
    return Judgement(IN_PROGRESS if started else NOT_STARTED, effective, 0)


EPOCH = date(1970, 1, 1)


@lru_cache(maxsize=131072)
def status_on_days(due, as_of, done_on, started, silent):
    """The status milestone_status gives, with dates as day numbers (days since 1970-01-01), for the Gantt
    chart's loop over tens of thousands of milestones: `started` is whether the planned start is on or before
    `as_of`, `silent` whether the task missed SERIOUS_MISSED_PERIODS report periods in a row."""
    known_done = EPOCH + timedelta(days=done_on) if done_on is not None and done_on <= as_of else None
    return _judge(EPOCH + timedelta(days=due), EPOCH + timedelta(days=as_of), known_done, started, silent,
                  SERIOUS_DAYS_LATE).status


def started_on_days(own_start, previous_due, task_started, as_of):
    """planned_start(…) <= as_of, with day numbers; `task_started` is that comparison for the task's start."""
    if own_start is not None:
        return own_start <= as_of
    if previous_due is not None:
        return previous_due < as_of  # planned to start the day after the previous milestone is due
    return task_started


def planned_start(own_start, previous_due, task_start):
    """When a milestone is planned to start: its own start date; else the day after the previous milestone of the
    task is due (the steps of a task follow each other); else the task's start."""
    if own_start is not None:
        return own_start
    if previous_due is not None:
        return previous_due + timedelta(days=1)
    return task_start


def task_light(statuses, missed_periods=0) -> str:
    """Red when any milestone is seriously overdue; yellow when one is overdue or a report is missing; else green."""
    statuses = set(statuses)
    if SERIOUSLY_OVERDUE in statuses:
        return RED
    if OVERDUE in statuses or missed_periods > 0:
        return YELLOW
    return GREEN


@lru_cache(maxsize=8192)
def period_of(day: date, cycle: str) -> tuple[date, date]:
    """The report period (first day, last day) that contains this day."""
    if cycle == WEEKLY:
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    month_end = (date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1))
    if cycle == HALF_MONTHLY:
        if day.day <= 15:
            return date(day.year, day.month, 1), date(day.year, day.month, 15)
        return date(day.year, day.month, 16), month_end
    if cycle == MONTHLY:
        return date(day.year, day.month, 1), month_end
    raise ValueError(f"未知的报送周期：{cycle}")


def missed_periods_in_a_row(report_dates, *, cycle, task_start, as_of, finished=False, limit=24) -> int:
    """How many report periods in a row, counting back from the last one that ended before `as_of`,
    had no report. Periods that ended before the task started do not count; a finished task owes none.

    `report_dates` must be sorted ascending.
    """
    if finished or task_start is None or task_start >= as_of:
        return 0
    first, last = period_of(as_of, cycle)
    missed = 0
    end = first - timedelta(days=1)
    while missed < limit:
        if end < task_start:
            break
        start, end = period_of(end, cycle)
        index = bisect_left(report_dates, start)
        if index < len(report_dates) and report_dates[index] <= end:
            break
        missed += 1
        end = start - timedelta(days=1)
    return missed


@lru_cache(maxsize=65536)
def missed_since(last_report, cycle, task_start, as_of, finished):
    """missed_periods_in_a_row when only the latest report before the current period matters (None: no report);
    cached, since thousands of tasks share a start date and a latest report date."""
    return missed_periods_in_a_row([last_report] if last_report else [], cycle=cycle, task_start=task_start,
                                   as_of=as_of, finished=finished)


@lru_cache(maxsize=65536)
def missed_since_days(last_report, cycle, task_start, as_of, finished):
    """missed_since with the dates as day numbers (days since 1970-01-01; None stays None), for the Gantt chart's
    loop over thousands of tasks."""
    day = lambda number: None if number is None else EPOCH + timedelta(days=number)
    return missed_since(day(last_report), cycle, day(task_start), day(as_of), finished)


def rollup(items):
    """Counts by group: items are (group, kind, value) with kind "status" or "light".

    Returns {group: {"status": Counter, "light": Counter}} in first-seen order.
    """
    result = {}
    for group, kind, value in items:
        entry = result.setdefault(group, {"status": Counter(), "light": Counter()})
        entry[kind][value] += 1
    return result


def month_span(start: date | None, end: date | None) -> list[int]:
    """Planned months of a bar inside one year (the end's year), for the schedule table's month columns."""
    if end is None:
        return []
    if start is None or start.year < end.year:
        start = date(end.year, 1, 1)
    if start > end:
        return [end.month]
    return list(range(start.month, end.month + 1))
