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
    A milestone whose effective due date is on or after `as_of` is never late (未开始 or 推进中), whatever the
    task's reports; one already past due in a task that missed `serious_missed` periods is 严重滞后.
    """
    known_done = done_on if done_on is not None and done_on <= as_of else None
    started = start is None or start <= as_of
    return _judge(due, as_of, known_done, started, missed_periods >= serious_missed, serious_days)


def judge_fast(due, as_of, done_on, start, missed_periods):
    """milestone_status with the default thresholds and positional arguments, for loops over thousands."""
    return _judge(due, as_of, done_on if done_on is not None and done_on <= as_of else None,
                  start is None or start <= as_of, missed_periods >= SERIOUS_MISSED_PERIODS, SERIOUS_DAYS_LATE)


@workdays.cached(maxsize=131072)  # judged with working days: keyed by the calendar's version too
def _judge(due, as_of, done_on, started, silent, serious_days):
    # Cached: a page judges tens of thousands of milestones that share few distinct (due, done) pairs.
    effective = workdays.effective_due(due)
    if done_on is not None:
        late = workdays.working_days_between(effective, done_on)
        return Judgement(DONE_LATE if late > 0 else DONE, effective, late)
    if effective >= as_of:  # not due yet: silence is the task's flag (task_light), never a milestone's lateness
        return Judgement(IN_PROGRESS if started else NOT_STARTED, effective, 0)
    late = workdays.working_days_between(effective, as_of)
    if late > serious_days or silent:  # silent: past due in a task that missed its reports, whatever the days late
        return Judgement(SERIOUSLY_OVERDUE, effective, late)
    if late > 0:
        return Judgement(OVERDUE, effective, late)
    return Judgement(IN_PROGRESS if started else NOT_STARTED, effective, 0)


EPOCH = date(1970, 1, 1)


@workdays.cached(maxsize=131072)
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
    """Red when any milestone is seriously overdue or the task missed SERIOUS_MISSED_PERIODS report periods in a row
    (its own flag, missed_label); yellow when a milestone is overdue or a report is missing; else green."""
    statuses = set(statuses)
    if SERIOUSLY_OVERDUE in statuses or missed_periods >= SERIOUS_MISSED_PERIODS:
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


def missed_label(missed_periods) -> str:
    """The task's own flag beside its light: "缺报 2 期" (empty when no period was missed)."""
    return f"缺报 {missed_periods} 期" if missed_periods > 0 else ""


# Report due days (docs/rules.md §3): Campaign.report_due_day is a day of the month (monthly) or a weekday 1–7 with
# Monday = 1 (weekly); half-monthly periods are due on their last day (the 15th and the month's last day).
DEFAULT_WEEKDAY = 5  # Friday
ON_TIME, LATE, MISSING, OPEN = "on_time", "late", "missing", "open"
REPORT_STATES = {ON_TIME: "按时报送", LATE: "逾期报送", MISSING: "缺报", OPEN: "尚未报送"}
WEEKDAY_NAMES = "一二三四五六日"


def due_day_error(cycle, due_day) -> str:
    """A Chinese message when `due_day` does not fit the cycle, else ""."""
    if due_day is None:
        return ""
    if cycle == WEEKLY and not 1 <= due_day <= 7:
        return "按周报送的截止日是星期几，填 1–7（1 为星期一，7 为星期日）"
    if cycle == MONTHLY and not 1 <= due_day <= 31:
        return "按月报送的截止日是每月几日，填 1–31"
    return ""


@workdays.cached(maxsize=8192)
def report_due_date(period_first: date, period_last: date, cycle: str, due_day: int | None = None) -> date:
    """The day a period's report is due, moved to the next working day when it falls on a rest day.

    Monthly: the `due_day`-th of the month (the month's last day when it is shorter), default the period's last
    working day. Weekly: weekday `due_day` (Monday = 1), default Friday. Half-monthly: the period's last day (the 15th
    or the month's end); `due_day` is ignored."""
    if cycle == MONTHLY:
        if due_day is None:
            day = period_last
            while not workdays.is_workday(day) and day > period_first:
                day -= timedelta(days=1)
        else:
            day = period_first.replace(day=min(due_day, period_last.day))
    elif cycle == WEEKLY:
        day = period_first + timedelta(days=min(max(due_day or DEFAULT_WEEKDAY, 1), 7) - 1)
    elif cycle == HALF_MONTHLY:
        day = period_last
    else:
        raise ValueError(f"未知的报送周期：{cycle}")
    return workdays.effective_due(day)


def report_periods(report_dates, *, cycle, due_day, task_start, as_of, finished=False):
    """The task's report periods up to the one holding `as_of`: (first, last, due, state), oldest first.

    From the period holding the task's start (periods that ended before it do not count, as for
    missed_periods_in_a_row). state: "on_time" (the earliest report dated in the period is on or before its due
    date), "late" (filed inside the period but after the due date: late, not missing), "missing" (the period ended
    before `as_of` with none), "open" (the period has not ended and has no report yet). A finished task owes none:
    []. `report_dates`: the task's current report dates, sorted ascending; a report dated after `as_of` is not
    known yet."""
    if finished or task_start is None or task_start > as_of:
        return []
    result = []
    first, last = period_of(task_start, cycle)
    while first <= as_of:
        due = report_due_date(first, last, cycle, due_day)
        index = bisect_left(report_dates, first)
        filed = report_dates[index] if index < len(report_dates) else None
        if filed is not None and filed <= last and filed <= as_of:
            state = ON_TIME if filed <= due else LATE
        else:
            state = MISSING if last < as_of else OPEN
        result.append((first, last, due, state))
        first, last = period_of(last + timedelta(days=1), cycle)
    return result


def due_day_text(cycle, due_day) -> str:
    """How the task page states the rule: "每月28日前报送", "每月最后一个工作日前报送", "每周五前报送",
    "每月15日和月末前报送"."""
    if cycle == MONTHLY:
        return f"每月{due_day}日前报送" if due_day else "每月最后一个工作日前报送"
    if cycle == WEEKLY:
        return f"每周{WEEKDAY_NAMES[(due_day or DEFAULT_WEEKDAY) - 1]}前报送"
    if cycle == HALF_MONTHLY:
        return "每月15日和月末前报送"
    return ""


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


# Two-tier reporting (docs/rules.md §3): the cooperating units' inputs are due by Campaign.input_due_day, read as the
# report's due day is (report_due_date), the lead unit's report by report_due_day; without an input day the inputs are
# due with the report. An input day falls no later than the report's day.

def input_due_day(cycle, report_due_day, input_day):
    """The due day report_due_date takes for the cooperating units' inputs of a campaign."""
    if cycle == HALF_MONTHLY:
        return None
    return input_day if input_day is not None else report_due_day


def input_due_day_error(cycle, report_due_day, input_day) -> str:
    """A Chinese message when the inputs' due day does not fit the cycle or falls after the report's, else ""."""
    if input_day is None:
        return ""
    if cycle == HALF_MONTHLY:
        return "每半月报送的任务，配合单位与牵头单位同日报送，不单设配合单位报送截止日"
    if problem := due_day_error(cycle, input_day):
        return f"配合单位报送截止日：{problem}"
    report_day = report_due_day if report_due_day is not None else (DEFAULT_WEEKDAY if cycle == WEEKLY else 31)
    if input_day > report_day:
        return "配合单位报送截止日不能晚于牵头单位的报送截止日"
    return ""


def input_due_text(cycle, report_due_day, input_day) -> str:
    """"配合单位每月20日前报牵头单位，牵头单位每月25日前报督查室"."""
    day = input_due_day(cycle, report_due_day, input_day)
    first = due_day_text(cycle, day).removesuffix("前报送")
    return f"配合单位{first}前报牵头单位，牵头单位{due_day_text(cycle, report_due_day).removesuffix('前报送')}前报督查室"


def completion_day(reported, closed):
    """A milestone's completion date: the earliest one its task's current reports give, else (the task closed, 销号)
    the day the closure was asked for; None while neither."""
    days = [d for d in (reported, closed) if d is not None]
    return min(days) if days else None


def follow_indicators(task_light, indicator_lights):
    """The light of a task that serves indicators (Task.indicator_codes): the worst of its own (milestones and
    reports) and its indicators' 序时 lights (indicators.rules: green / yellow / red; None, no judgement, ignored)."""
    lights = [task_light] + [light for light in indicator_lights if light in LIGHTS]
    return max(lights, key=LIGHTS.index)
