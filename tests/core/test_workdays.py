"""China's working days around 2020's holidays (hand-checked against the State Council notice)."""

from datetime import date

from luoshi.core import workdays


def test_may_day_2020_break_is_rest_and_its_weekend_swaps_are_working_days():
    for day in range(1, 6):
        assert not workdays.is_workday(date(2020, 5, day))
    assert workdays.is_workday(date(2020, 4, 26))  # Sunday, 调休
    assert workdays.is_workday(date(2020, 5, 9))  # Saturday, 调休
    assert not workdays.is_workday(date(2020, 5, 10))  # an ordinary Sunday


def test_due_date_in_the_may_day_break_moves_to_wednesday_6_may():
    assert workdays.effective_due(date(2020, 5, 1)) == date(2020, 5, 6)
    assert workdays.effective_due(date(2020, 5, 5)) == date(2020, 5, 6)


def test_due_date_on_a_swapped_working_weekend_day_stays():
    assert workdays.effective_due(date(2020, 4, 26)) == date(2020, 4, 26)
    assert workdays.effective_due(date(2020, 5, 9)) == date(2020, 5, 9)
    assert workdays.effective_due(date(2020, 5, 10)) == date(2020, 5, 11)


def test_qingming_2020_due_date_moves_from_saturday_to_tuesday_7_april():
    assert workdays.effective_due(date(2020, 4, 4)) == date(2020, 4, 7)
    assert workdays.effective_due(date(2020, 4, 6)) == date(2020, 4, 7)


def test_duanwu_2020_due_date_moves_to_the_working_sunday_28_june():
    assert workdays.effective_due(date(2020, 6, 25)) == date(2020, 6, 28)


def test_working_days_late_skip_the_may_day_break_and_count_saturday_9_may():
    due = date(2020, 4, 30)  # Thursday
    assert workdays.working_days_late(due, date(2020, 4, 30)) == 0
    assert workdays.working_days_late(due, date(2020, 5, 5)) == 0
    assert workdays.working_days_late(due, date(2020, 5, 6)) == 1
    assert workdays.working_days_late(due, date(2020, 5, 9)) == 4  # 6, 7, 8, 9 May
    assert workdays.working_days_late(due, date(2020, 5, 11)) == 5  # Sunday 10 May is rest
    assert workdays.working_days_late(due, date(2020, 5, 18)) == 10
    assert workdays.working_days_late(due, date(2020, 5, 19)) == 11


def test_working_days_late_count_from_the_effective_due_date_not_the_planned_one():
    # Due Saturday 4 April (清明): effective Tuesday 7 April, so Wednesday 8 April is 1 day late.
    assert workdays.working_days_late(date(2020, 4, 4), date(2020, 4, 7)) == 0
    assert workdays.working_days_late(date(2020, 4, 4), date(2020, 4, 8)) == 1


def test_working_sunday_26_april_counts_when_late():
    assert workdays.working_days_late(date(2020, 4, 24), date(2020, 4, 27)) == 2  # 26 and 27 April


def test_years_outside_the_calendar_fall_back_to_monday_to_friday_and_say_so():
    assert not workdays.covers(2027) and not workdays.covers(2003) and workdays.covers(2020)
    assert workdays.is_workday(date(2027, 1, 1))  # a Friday: the fallback knows no holidays
    assert workdays.effective_due(date(2027, 1, 2)) == date(2027, 1, 4)
    assert workdays.working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 2
    assert workdays.fallback_years([date(2020, 5, 1), date(2027, 3, 1), None, date(2003, 1, 1)]) == [2003, 2027]
    assert workdays.fallback_years([date(2020, 5, 1)]) == []


def test_new_year_2026_is_a_holiday_from_the_calendar_not_the_fallback():
    assert not workdays.is_workday(date(2026, 1, 1))


def test_add_working_days_skips_rest_days():
    assert workdays.add_working_days(date(2020, 4, 30), 1) == date(2020, 5, 6)
    assert workdays.add_working_days(date(2020, 4, 30), 5) == date(2020, 5, 11)


def test_working_days_reach_year_3000_and_9999_without_recursion():
    # Monday–Friday from Friday 1 January 2027 through Wednesday 31 December 3000 (the fallback beyond 2026),
    # counted by hand: 355,746 days = 50,820 weeks and 6 days (Fri, Sat, Sun, Mon, Tue, Wed) → 254,100 + 4.
    assert workdays.working_days_between(date(2026, 12, 31), date(3000, 12, 31)) == 254_104
    assert workdays.working_days_late(date(2020, 5, 6), date(9999, 12, 31)) > 0
    assert workdays.working_days_between(date(1, 1, 1), date(1, 1, 8)) == 5  # 2–8 January of year 1: Tue–Mon


def test_the_last_representable_day_does_not_overflow():
    assert workdays.effective_due(date(9999, 12, 31)) == date(9999, 12, 31)
    assert workdays.add_working_days(date(9999, 12, 30), 10) == date(9999, 12, 31)
    assert workdays.is_workday(date(9999, 12, 31))  # a Friday


def test_every_covered_day_is_what_chinese_calendar_says():
    import chinese_calendar

    day, last = date(workdays.FIRST_COVERED, 1, 1), date(workdays.LAST_COVERED, 12, 31)
    different = []
    while day <= last:
        if workdays.is_workday(day) != chinese_calendar.is_workday(day):
            different.append(day)
        day = date.fromordinal(day.toordinal() + 1)
    assert different == []
