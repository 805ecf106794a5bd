"""core.workdays with years loaded from elsewhere (registered by luoshi.holidays; here a stand-in source, no database):
the loaded days override the package, the stamp is asked at most every LUOSHI_HOLIDAY_CHECK_SECONDS, and a new
version empties what `cached` keeps."""

from datetime import date

import pytest
import time_machine

from luoshi.core import workdays

SPRING_2027 = ({date(2027, 2, d) for d in range(5, 14)}, {date(2027, 2, 14), date(2027, 2, 20)})


class Source:
    """A stored calendar another server may change: counts how often it is asked."""

    def __init__(self):
        self.years, self.stamp_value, self.stamps, self.loads = {}, 0, 0, 0

    def stamp(self):
        self.stamps += 1
        return self.stamp_value

    def load(self):
        self.loads += 1
        return dict(self.years)

    def change(self, years):
        self.years, self.stamp_value = years, self.stamp_value + 1


@pytest.fixture
def source(settings):
    settings.LUOSHI_HOLIDAY_CHECK_SECONDS = 30
    registered = workdays._source
    found = Source()
    workdays.register(found.stamp, found.load)
    yield found
    workdays._source = registered
    workdays.forget()


def test_the_stamp_is_asked_at_most_every_interval_and_a_change_counts_after_it(source):
    with time_machine.travel("2027-02-01 09:00 +0800", tick=False) as clock:
        assert workdays.is_workday(date(2027, 2, 8)) and (source.stamps, source.loads) == (1, 1)
        first = workdays.version()
        source.change({2027: SPRING_2027})
        clock.shift(29)
        for _ in range(100):
            assert workdays.is_workday(date(2027, 2, 8))
        assert source.stamps == 1
        clock.shift(1)
        assert not workdays.is_workday(date(2027, 2, 8)) and workdays.is_workday(date(2027, 2, 20))
        assert (source.stamps, source.loads) == (2, 2) and workdays.version() > first
        assert workdays.covers(2027) and workdays.loaded_years() == [2027]
        assert workdays.fallback_years([date(2027, 3, 1), date(2028, 3, 1)]) == [2028]
        clock.shift(30)
        workdays.version()
        assert (source.stamps, source.loads) == (3, 2)  # the same stamp: nothing read again


def test_refresh_checks_at_once(source):
    with time_machine.travel("2027-02-01 09:00 +0800", tick=False):
        workdays.version()
        source.change({2027: SPRING_2027})
        workdays.refresh()
        assert workdays.effective_due(date(2027, 2, 8)) == date(2027, 2, 14)


def test_what_cached_keeps_is_not_used_under_a_new_version(source):
    calls = []

    @workdays.cached(maxsize=16)
    def due(day):
        calls.append(day)
        return workdays.effective_due(day)

    with time_machine.travel("2027-02-01 09:00 +0800", tick=False) as clock:
        assert due(date(2027, 2, 8)) == due(date(2027, 2, 8)) == date(2027, 2, 8)
        assert len(calls) == 1
        source.change({2027: SPRING_2027})
        clock.shift(31)
        assert due(date(2027, 2, 8)) == date(2027, 2, 14) and len(calls) == 2


def test_the_counts_carry_a_loaded_years_surplus_into_the_years_after_it(source):
    with time_machine.travel("2027-02-01 09:00 +0800", tick=False):
        before = workdays.working_days_between(date(2026, 12, 31), date(2028, 1, 3))
        source.change({2027: SPRING_2027})
        workdays.refresh()
        # 春节 as loaded, 5–13 Feb: 6 weekdays off (Fri 5, Mon 8 – Fri 12), 2 weekend days worked (Sun 14, Sat 20).
        assert before == 261 + 1  # all of 2027 Monday–Friday, and Mon 3 Jan 2028
        assert workdays.working_days_between(date(2026, 12, 31), date(2028, 1, 3)) == before - 6 + 2
        assert workdays.working_days_between(date(2028, 1, 3), date(2028, 1, 4)) == 1


def test_a_stand_alone_calendar_knows_the_package_and_monday_to_friday():
    plain = workdays.Calendar()
    assert not plain.is_workday(date(2020, 5, 1)) and plain.is_workday(date(2027, 2, 8))
    assert workdays.fallback_note([2028, 2027]) == ("注意：2027、2028年放假安排尚未录入，截止日期按周末计算（周一至周五为工作日），"
                                                   "请录入（luoshi holidays load --year 年份 文件）。")
    assert workdays.fallback_note([]) == ""
