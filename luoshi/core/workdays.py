"""China's working days (调休 included) from chinesecalendar, with a Monday–Friday fallback.

chinesecalendar covers 2004–2026 and raises for other years; for those we count Monday to Friday as
working days and report the year through `fallback_years()` so pages can say so.

Counting uses a prefix sum over days, so "working days between" is two lookups (thousands of milestones
are judged per page).
"""

import calendar
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

FIRST_COVERED = 2004
LAST_COVERED = 2026


def covers(year: int) -> bool:
    """Whether chinesecalendar knows this year's holidays and 调休 working days."""
    return FIRST_COVERED <= year <= LAST_COVERED


def fallback_years(dates) -> list[int]:
    """The years among these dates that are judged Monday–Friday (the calendar does not cover them)."""
    return sorted({d.year for d in dates if d is not None and not covers(d.year)})


@lru_cache(maxsize=None)
def _year_table(year: int):
    """For one year: a tuple of is-working-day flags and the running count up to and including each day."""
    start = date(year, 1, 1)
    days = 366 if calendar.isleap(year) else 365
    flags, counts, running = [], [], 0
    for offset in range(days):
        day = start + timedelta(days=offset)
        if covers(year):
            working = chinese_calendar.is_workday(day)
        else:
            working = day.weekday() < 5
        flags.append(working)
        running += working
        counts.append(running)
    return tuple(flags), tuple(counts)


def _weekdays_before(ordinal: int) -> int:
    """Monday–Friday days from 1 January of year 1 (a Monday) up to, not including, the day with this ordinal."""
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest, 5)


def _first_ordinal(year: int) -> int:
    return date(year, 1, 1).toordinal() if year <= 9999 else date(9999, 12, 31).toordinal() + 1


@lru_cache(maxsize=None)
def _covered_surplus(year: int) -> int:
    """How many more working days the calendar counts than Monday–Friday in the covered years before `year`."""
    surplus = 0
    for covered in range(FIRST_COVERED, min(year, LAST_COVERED + 1)):
        monday_to_friday = _weekdays_before(_first_ordinal(covered + 1)) - _weekdays_before(_first_ordinal(covered))
        surplus += _year_table(covered)[1][-1] - monday_to_friday
    return surplus


@lru_cache(maxsize=None)
def _before_year(year: int) -> int:
    """Working days from 1 January 2000 up to the end of the previous year (negative before 2000).

    Counted, not summed year by year: any year of a `date` (1–9999) costs the same."""
    return (_weekdays_before(_first_ordinal(year)) - _weekdays_before(_first_ordinal(2000))
            + _covered_surplus(year))


def is_workday(day: date) -> bool:
    return _year_table(day.year)[0][day.timetuple().tm_yday - 1]


@lru_cache(maxsize=65536)
def _count_through(day: date) -> int:
    """Working days from 1 January 2000 through this day (a monotone index; only differences matter)."""
    return _before_year(day.year) + _year_table(day.year)[1][day.timetuple().tm_yday - 1]


def working_days_between(after: date, through: date) -> int:
    """Working days strictly after `after` up to and including `through` (0 when through <= after)."""
    if through <= after:
        return 0
    return _count_through(through) - _count_through(after)


@lru_cache(maxsize=4096)
def effective_due(due: date) -> date:
    """A due date on a rest day moves to the next working day."""
    day = due
    while not is_workday(day) and day < date.max:
        day += timedelta(days=1)
    return day


def working_days_late(due: date, on: date) -> int:
    """Working days strictly after the effective due date up to and including `on`; 0 when not late."""
    return working_days_between(effective_due(due), on)


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (start itself not counted)."""
    day = start
    while count > 0 and day < date.max:
        day += timedelta(days=1)
        if is_workday(day):
            count -= 1
    return day
