"""China's working days (调休 included): deadlines and days late.

Where a year's days come from, first that knows the year:
1. the year's 放假安排 an administrator loaded (luoshi.holidays; its latest version): core knows no models, so that
   app registers two functions from its AppConfig.ready() (`register(stamp, load)`): `stamp()` says which version of
   the stored calendar there is (a value that changes with every load), `load()` gives {year: (rest days, working
   days)}. A loaded year overrides chinesecalendar for that year: its rest days are rest, its 调休 working days work,
   every other day is Monday–Friday.
2. the `chinesecalendar` package, 2004–2026 (it raises for other years).
3. Monday to Friday; such years are reported through `fallback_years()` so that administrators are told.

Several processes (app servers, the worker): each process keeps one `Calendar` and asks `stamp()` at most every
LUOSHI_HOLIDAY_CHECK_SECONDS (30) seconds, when some working-day question comes; a load therefore takes effect in
every process within that time, without a query on every request. A changed stamp makes a new Calendar (with empty
caches) and a new `version()`: caches elsewhere that hold judgements made with working days key them by the version
(`cached`, the Gantt chart's judged parts, the home page's rows). A calendar that cannot be read (a database not
migrated yet, a broken connection) leaves the process on the calendar it has, and it asks again after the interval.

Counting uses a prefix sum over days, so "working days between" is two lookups (thousands of milestones
are judged per page).
"""

import calendar
import logging
import threading
import time
from datetime import date, timedelta
from functools import lru_cache, wraps

import chinese_calendar

FIRST_COVERED = 2004  # chinesecalendar's years
LAST_COVERED = 2026
CHECK_SECONDS = 30  # default of LUOSHI_HOLIDAY_CHECK_SECONDS

log = logging.getLogger(__name__)
PACKAGE_REST, PACKAGE_WORK = chinese_calendar.constants.holidays, chinese_calendar.constants.workdays


def package_covers(year: int) -> bool:
    """Whether chinesecalendar knows this year's holidays and 调休 working days."""
    return FIRST_COVERED <= year <= LAST_COVERED


def _weekdays_before(ordinal: int) -> int:
    """Monday–Friday days from 1 January of year 1 (a Monday) up to, not including, the day with this ordinal."""
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest, 5)


def _first_ordinal(year: int) -> int:
    return date(year, 1, 1).toordinal() if year <= 9999 else date(9999, 12, 31).toordinal() + 1


class Calendar:
    """One version of the calendar: the loaded years ({year: (rest days, working days)}) over chinesecalendar, and
    the counts made from them (cached per Calendar: a new version starts with empty caches)."""

    def __init__(self, loaded=None, version=0, stamp=None):
        self.loaded = {year: (frozenset(rest), frozenset(work)) for year, (rest, work) in (loaded or {}).items()}
        self.version = version
        # The stored calendar's stamp it was loaded under (None: nothing loaded or read): unlike `version`, which
        # counts per process, the same in every process that counts with the same stored calendar.
        self.stamp = stamp
        self._covered = sorted(set(range(FIRST_COVERED, LAST_COVERED + 1)) | set(self.loaded))
        self.year_table = lru_cache(maxsize=None)(self._year_table)
        self._covered_surplus = lru_cache(maxsize=None)(self._covered_surplus)
        self._before_year = lru_cache(maxsize=None)(self._before_year)
        self.count_through = lru_cache(maxsize=65536)(self._count_through)
        self.effective_due = lru_cache(maxsize=4096)(self._effective_due)

    def covers(self, year: int) -> bool:
        return year in self.loaded or package_covers(year)

    def _year_table(self, year: int):
        """For one year: a tuple of is-working-day flags and the running count up to and including each day."""
        start = date(year, 1, 1)
        days = 366 if calendar.isleap(year) else 365
        known = self.loaded.get(year)
        if known is None and package_covers(year):
            # chinese_calendar.is_workday's rule on its own tables: the function checks the year's range against
            # every holiday it knows on each call (0.4 s for the 23 covered years, in every new process).
            known = (PACKAGE_REST, PACKAGE_WORK)
        flags, counts, running = [], [], 0
        for offset in range(days):
            day = start + timedelta(days=offset)
            if known is not None:
                rest, work = known
                working = day in work or (day.weekday() < 5 and day not in rest)
            else:
                working = day.weekday() < 5
            flags.append(working)
            running += working
            counts.append(running)
        return tuple(flags), tuple(counts)

    def _covered_surplus(self, year: int) -> int:
        """How many more working days the calendar counts than Monday–Friday in the covered years before `year`."""
        surplus = 0
        for covered in self._covered:
            if covered >= year:
                break
            monday_to_friday = _weekdays_before(_first_ordinal(covered + 1)) - _weekdays_before(_first_ordinal(covered))
            surplus += self.year_table(covered)[1][-1] - monday_to_friday
        return surplus

    def _before_year(self, year: int) -> int:
        """Working days from 1 January 2000 up to the end of the previous year (negative before 2000).

        Counted, not summed year by year: any year of a `date` (1–9999) costs the same."""
        return (_weekdays_before(_first_ordinal(year)) - _weekdays_before(_first_ordinal(2000))
                + self._covered_surplus(year))

    def is_workday(self, day: date) -> bool:
        return self.year_table(day.year)[0][day.timetuple().tm_yday - 1]

    def _count_through(self, day: date) -> int:
        """Working days from 1 January 2000 through this day (a monotone index; only differences matter)."""
        return self._before_year(day.year) + self.year_table(day.year)[1][day.timetuple().tm_yday - 1]

    def _effective_due(self, due: date) -> date:
        day = due
        while not self.is_workday(day) and day < date.max:
            day += timedelta(days=1)
        return day


# --- the process's calendar and where a loaded one comes from --------------------------------------------------------

_lock = threading.Lock()
_source = None  # (stamp, load), registered by the holidays app
_listeners = []  # called after refresh() found a new calendar (listen)
_calendar = Calendar()
_NEVER = object()
_stamp = _NEVER  # the stamp _calendar was loaded under
_checked_at = float("-inf")  # time.time() of the last check (wall clock: tests move it with time_machine)
_interval = CHECK_SECONDS
_time = time.time  # the wall clock (time_machine moves it in tests, this name included)


def register(stamp, load):
    """Where loaded years come from (luoshi.holidays' AppConfig.ready()): `stamp()` → a value that changes whenever
    the stored calendar does; `load()` → {year: (rest days, working days)}. The next question checks at once."""
    global _source
    _source = (stamp, load)
    forget()


def forget():
    """Drop what the process read from the stored calendar: the next question reads it again (tests; register)."""
    global _calendar, _stamp, _checked_at
    with _lock:
        _calendar = Calendar(version=_calendar.version + 1)
        _stamp, _checked_at = _NEVER, float("-inf")


def listen(callback):
    """Call `callback()` whenever refresh() finds a new calendar: in the process that has just loaded a year, after its
    commit (an app above core that keeps judgements made with working days, such as work's judged parts in the
    database, judges again; work's AppConfig.ready()). A failing listener is logged, never raised."""
    if callback not in _listeners:
        _listeners.append(callback)


def refresh():
    """Check the stored calendar now, whatever the interval (the process that has just loaded a year), and tell the
    listeners when it changed."""
    global _checked_at
    with _lock:
        _checked_at = float("-inf")
        before = _calendar
    if current() is not before:
        for callback in list(_listeners):
            try:
                callback()
            except Exception:
                log.warning("放假安排变更后的重新计算失败", exc_info=True)


def _check_seconds():
    try:
        from django.conf import settings

        return max(1, int(getattr(settings, "LUOSHI_HOLIDAY_CHECK_SECONDS", CHECK_SECONDS)))
    except Exception:  # settings not configured: a plain script
        return CHECK_SECONDS


def _check(now):
    global _calendar, _stamp, _checked_at, _interval
    with _lock:
        if _checked_at <= now < _checked_at + _interval:
            return  # another thread has just checked
        _checked_at, _interval = now, _check_seconds()
        stamp, load = _source
        try:
            found = stamp()
            if found == _stamp:
                return
            loaded = load()
        except Exception:
            log.warning("无法读取已录入的放假安排，暂按现有日历计算工作日", exc_info=True)
            return
        _calendar = Calendar(loaded, _calendar.version + 1, found)
        _stamp = found


def current() -> Calendar:
    """The calendar this process uses now, checked against the stored one at most every LUOSHI_HOLIDAY_CHECK_SECONDS
    (and again whenever the clock has gone back)."""
    if _source is not None:
        now = _time()
        if not _checked_at <= now < _checked_at + _interval:
            _check(now)
    return _calendar


def version() -> int:
    """The version of the calendar in use: it changes whenever the working days may have (a year loaded)."""
    return current().version


def stamp():
    """The stored calendar's stamp the calendar in use was loaded under (None: none loaded, or not read): the same in
    every process counting with the same stored calendar, so judgements kept in the database are keyed by it."""
    return current().stamp


def cached(maxsize=128):
    """functools.lru_cache for a function whose answer depends on working days: keyed by the calendar's version too,
    so a judgement made with an earlier calendar is never used again (and one made while a new version came in is
    stored under the old version, never read)."""

    def wrap(function):
        by_version = lru_cache(maxsize=maxsize)(lambda _version, *args: function(*args))

        @wraps(function)
        def call(*args):
            # current(), inlined: the Gantt chart asks this for each of tens of thousands of milestones.
            if _source is not None:
                now = _time()
                if not _checked_at <= now < _checked_at + _interval:
                    _check(now)
            return by_version(_calendar.version, *args)

        call.cache_clear = by_version.cache_clear
        call.cache_info = by_version.cache_info
        return call

    return wrap


# --- questions ---------------------------------------------------------------------------------------------------

def covers(year: int) -> bool:
    """Whether this year's holidays and 调休 working days are known (loaded, or in chinesecalendar)."""
    return current().covers(year)


def loaded_years() -> list[int]:
    """The years an administrator's loaded arrangement decides (over chinesecalendar)."""
    return sorted(current().loaded)


def fallback_years(dates) -> list[int]:
    """The years among these dates that are judged Monday–Friday (no calendar covers them)."""
    cal = current()
    return sorted({d.year for d in dates if d is not None and not cal.covers(d.year)})


def fallback_note(years) -> str:
    """One line that says which years are judged Monday–Friday (the command line's warning), or ""."""
    years = sorted(set(years))
    if not years:
        return ""
    named = "、".join(str(y) for y in years)
    arg = years[0] if len(years) == 1 else "年份"
    return (f"注意：{named}年放假安排尚未录入，截止日期按周末计算（周一至周五为工作日），"
            f"请录入（luoshi holidays load --year {arg} 文件）。")


def is_workday(day: date) -> bool:
    return current().is_workday(day)


def working_days_between(after: date, through: date) -> int:
    """Working days strictly after `after` up to and including `through` (0 when through <= after)."""
    if through <= after:
        return 0
    cal = current()
    return cal.count_through(through) - cal.count_through(after)


def effective_due(due: date) -> date:
    """A due date on a rest day moves to the next working day."""
    return current().effective_due(due)


def working_days_late(due: date, on: date) -> int:
    """Working days strictly after the effective due date up to and including `on`; 0 when not late."""
    cal = current()
    effective = cal.effective_due(due)
    if on <= effective:
        return 0
    return cal.count_through(on) - cal.count_through(effective)


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (start itself not counted)."""
    cal = current()
    day = start
    while count > 0 and day < date.max:
        day += timedelta(days=1)
        if cal.is_workday(day):
            count -= 1
    return day
