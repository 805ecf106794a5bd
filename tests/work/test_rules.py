"""Milestone status, task light and report periods, with hand-computed dates around 2020's holidays."""

from datetime import date

from luoshi.work import rules
from luoshi.work.rules import (DONE, DONE_LATE, GREEN, HALF_MONTHLY, IN_PROGRESS, MONTHLY, NOT_STARTED, OVERDUE, RED,
                               SERIOUSLY_OVERDUE, WEEKLY, YELLOW)

DUE = date(2020, 4, 30)  # Thursday before the 五一 break (1–5 May 2020)


def judge(as_of, **kw):
    kw.setdefault("due", DUE)
    return rules.milestone_status(as_of=as_of, **kw)


def test_milestone_before_its_start_is_not_started():
    assert judge(date(2020, 3, 1), start=date(2020, 3, 15)).status == NOT_STARTED


def test_milestone_after_its_start_and_before_its_due_date_is_in_progress():
    result = judge(date(2020, 4, 20), start=date(2020, 3, 15))
    assert result.status == IN_PROGRESS and result.working_days_late == 0


def test_due_date_in_the_holiday_is_still_on_time_on_the_first_working_day_after():
    result = judge(date(2020, 5, 6), due=date(2020, 5, 1))
    assert result.status == IN_PROGRESS and result.effective_due == date(2020, 5, 6)
    done = judge(date(2020, 5, 20), due=date(2020, 5, 1), done_on=date(2020, 5, 6))
    assert done.status == DONE and done.working_days_late == 0


def test_past_due_during_the_break_is_not_yet_overdue():
    assert judge(date(2020, 5, 5)).status == IN_PROGRESS


def test_first_working_day_after_the_break_is_one_day_overdue():
    result = judge(date(2020, 5, 6))
    assert result.status == OVERDUE and result.working_days_late == 1


def test_ten_working_days_late_is_overdue_and_eleven_is_seriously_overdue():
    assert judge(date(2020, 5, 18)).status == OVERDUE
    assert judge(date(2020, 5, 18)).working_days_late == 10
    result = judge(date(2020, 5, 19))
    assert result.status == SERIOUSLY_OVERDUE and result.working_days_late == 11


def test_done_after_the_effective_due_date_is_done_late_with_the_working_days_counted():
    result = judge(date(2020, 6, 1), done_on=date(2020, 5, 9))
    assert result.status == DONE_LATE and result.working_days_late == 4


def test_done_on_the_due_date_is_done():
    result = judge(date(2020, 6, 1), done_on=DUE)
    assert result.status == DONE and result.working_days_late == 0


def test_a_completion_after_the_judging_day_is_not_known_yet():
    assert judge(date(2020, 5, 7), done_on=date(2020, 5, 9)).status == OVERDUE
    assert judge(date(2020, 5, 9), done_on=date(2020, 5, 9)).status == DONE_LATE


def test_a_milestone_not_yet_due_is_never_late_however_silent_its_task():
    # Issue #12's corrected rule. Due Thu 30 Apr 2020 (a working day, so the effective due date too); judged Mon 20
    # Apr, the task having missed 2 and then 5 report periods in a row: still 推进中 with 0 working days late (the old
    # rule said 严重滞后, "滞后工作日 0"). Before the planned start (1 Mar, judged 20 Feb) it is 未开始.
    for missed in (2, 5):
        result = judge(date(2020, 4, 20), start=date(2020, 3, 1), missed_periods=missed)
        assert result.status == IN_PROGRESS and result.working_days_late == 0
    assert judge(date(2020, 2, 20), start=date(2020, 3, 1), missed_periods=2).status == NOT_STARTED


def test_a_milestone_due_on_the_day_of_judgement_is_not_late_in_a_silent_task():
    # Judged on its effective due date Thu 30 Apr 2020: on or after the day of judgement, so never late.
    assert judge(DUE, start=date(2020, 3, 1), missed_periods=2).status == IN_PROGRESS
    # Due Fri 1 May (五一) moves to Wed 6 May: judged Tue 5 May, a silent task's milestone is still 推进中.
    result = judge(date(2020, 5, 5), due=date(2020, 5, 1), start=date(2020, 3, 1), missed_periods=3)
    assert result.status == IN_PROGRESS and result.effective_due == date(2020, 5, 6)


def test_a_past_due_milestone_of_a_silent_task_is_seriously_overdue_whatever_its_days_late():
    # Due Thu 30 Apr 2020, judged Wed 6 May: 1 working day late (1–5 May is the 五一 break). With 1 missed period it is
    # 滞后; with 2 in a row 严重滞后, though only 1 working day late.
    assert judge(date(2020, 5, 6), start=date(2020, 3, 1), missed_periods=1).status == OVERDUE
    result = judge(date(2020, 5, 6), start=date(2020, 3, 1), missed_periods=2)
    assert result.status == SERIOUSLY_OVERDUE and result.working_days_late == 1
    # Judged Tue 5 May, still in the break: past the effective due date (30 Apr) with 0 working days late. Not silent:
    # 推进中 as before; silent: 严重滞后 with 0 working days late.
    assert judge(date(2020, 5, 5), missed_periods=0).status == IN_PROGRESS
    result = judge(date(2020, 5, 5), missed_periods=2)
    assert result.status == SERIOUSLY_OVERDUE and result.working_days_late == 0
    # Silence does not reopen a completed milestone.
    assert judge(date(2020, 6, 1), done_on=DUE, missed_periods=3).status == DONE


def test_duanwu_due_date_moves_to_working_sunday_28_june():
    assert judge(date(2020, 6, 28), due=date(2020, 6, 25)).status == IN_PROGRESS
    result = judge(date(2020, 6, 29), due=date(2020, 6, 25))
    assert result.status == OVERDUE and result.working_days_late == 1


def test_qingming_due_date_is_on_time_on_tuesday_7_april():
    assert judge(date(2020, 4, 10), due=date(2020, 4, 4), done_on=date(2020, 4, 7)).status == DONE
    assert judge(date(2020, 4, 10), due=date(2020, 4, 4), done_on=date(2020, 4, 8)).status == DONE_LATE


def test_fallback_year_counts_monday_to_friday():
    result = rules.milestone_status(due=date(2027, 1, 1), as_of=date(2027, 1, 4))
    assert result.status == OVERDUE and result.working_days_late == 1


def test_task_light_is_green_when_every_due_milestone_is_done():
    assert rules.task_light([DONE, DONE_LATE, IN_PROGRESS, NOT_STARTED]) == GREEN
    assert rules.task_light([]) == GREEN


def test_task_light_is_yellow_when_one_milestone_is_overdue_or_a_report_is_missing():
    assert rules.task_light([DONE, OVERDUE]) == YELLOW
    assert rules.task_light([DONE, IN_PROGRESS], missed_periods=1) == YELLOW


def test_task_light_is_red_when_any_milestone_is_seriously_overdue():
    assert rules.task_light([DONE, OVERDUE, SERIOUSLY_OVERDUE]) == RED


def test_task_light_is_red_when_two_report_periods_in_a_row_were_missed_whatever_its_milestones():
    # The task's own flag: every milestone on time or not yet due, yet 2 periods missed in a row → 红灯.
    assert rules.task_light([DONE, IN_PROGRESS, NOT_STARTED], missed_periods=2) == RED
    assert rules.task_light([], missed_periods=3) == RED
    assert rules.task_light([DONE, IN_PROGRESS], missed_periods=1) == YELLOW
    assert rules.missed_label(2) == "缺报 2 期" and rules.missed_label(0) == ""


def test_report_periods_weekly_half_monthly_monthly():
    assert rules.period_of(date(2020, 5, 13), WEEKLY) == (date(2020, 5, 11), date(2020, 5, 17))
    assert rules.period_of(date(2020, 2, 20), HALF_MONTHLY) == (date(2020, 2, 16), date(2020, 2, 29))
    assert rules.period_of(date(2020, 2, 15), HALF_MONTHLY) == (date(2020, 2, 1), date(2020, 2, 15))
    assert rules.period_of(date(2020, 12, 5), MONTHLY) == (date(2020, 12, 1), date(2020, 12, 31))


def test_missed_periods_count_back_from_the_last_finished_period():
    kw = dict(task_start=date(2020, 1, 1))
    # Monthly, judged 10 May: April and March missed, February reported.
    assert rules.missed_periods_in_a_row([date(2020, 2, 10)], cycle=MONTHLY, as_of=date(2020, 5, 10), **kw) == 2
    # Weekly, judged Wednesday 13 May: the week 4–10 May has a report.
    assert rules.missed_periods_in_a_row([date(2020, 5, 6)], cycle=WEEKLY, as_of=date(2020, 5, 13), **kw) == 0
    # Half-monthly, judged 20 May: 1–15 May missed, 16–30 April reported.
    assert rules.missed_periods_in_a_row([date(2020, 4, 20)], cycle=HALF_MONTHLY, as_of=date(2020, 5, 20), **kw) == 1


def test_periods_before_the_task_started_and_finished_tasks_owe_no_report():
    assert rules.missed_periods_in_a_row([], cycle=MONTHLY, task_start=date(2020, 5, 5), as_of=date(2020, 5, 20)) == 0
    assert rules.missed_periods_in_a_row([], cycle=MONTHLY, task_start=date(2020, 4, 30), as_of=date(2020, 5, 20)) == 1
    assert rules.missed_periods_in_a_row([], cycle=MONTHLY, task_start=date(2020, 1, 1), as_of=date(2020, 5, 20),
                                         finished=True) == 0


def test_rollup_counts_statuses_and_lights_per_group():
    result = rules.rollup([("双招双引", "status", DONE), ("双招双引", "status", OVERDUE), ("双招双引", "light", YELLOW),
                           ("合村并点", "light", GREEN)])
    assert result["双招双引"]["status"] == {DONE: 1, OVERDUE: 1}
    assert result["双招双引"]["light"][YELLOW] == 1 and result["合村并点"]["light"][GREEN] == 1
    assert list(result) == ["双招双引", "合村并点"]


def test_month_span_marks_the_planned_months_of_a_bar():
    assert rules.month_span(date(2020, 3, 10), date(2020, 5, 1)) == [3, 4, 5]
    assert rules.month_span(date(2019, 11, 1), date(2020, 2, 1)) == [1, 2]
    assert rules.month_span(None, date(2020, 2, 1)) == [1, 2]


def test_the_fast_positional_judge_agrees_with_milestone_status():
    cases = [(DUE, date(2020, 5, 19), None, None, 0), (DUE, date(2020, 6, 1), date(2020, 5, 9), None, 0),
             (DUE, date(2020, 4, 20), None, date(2020, 3, 1), 2), (DUE, date(2020, 3, 1), None, date(2020, 3, 15), 0),
             (DUE, date(2020, 5, 7), date(2020, 5, 9), None, 0), (DUE, date(2020, 5, 5), None, None, 2),
             (DUE, date(2020, 5, 6), None, date(2020, 3, 1), 2), (DUE, DUE, None, date(2020, 3, 1), 2)]
    for due, as_of, done_on, start, missed in cases:
        assert rules.judge_fast(due, as_of, done_on, start, missed) == rules.milestone_status(
            due=due, as_of=as_of, done_on=done_on, start=start, missed_periods=missed)


def test_the_day_number_judge_agrees_with_milestone_status():
    n = lambda d: None if d is None else (d - date(1970, 1, 1)).days
    task_start = date(2020, 3, 1)
    cases = [(None, None, DUE, date(2020, 5, 19), None, 0), (None, None, DUE, date(2020, 6, 1), date(2020, 5, 9), 0),
             (None, None, DUE, date(2020, 4, 20), None, 2), (date(2020, 3, 15), None, DUE, date(2020, 3, 1), None, 0),
             (None, date(2020, 4, 30), DUE, date(2020, 4, 30), None, 0), (None, date(2020, 4, 30), DUE, date(2020, 5, 1), None, 0),
             (None, None, DUE, date(2020, 5, 7), date(2020, 5, 9), 0), (None, None, DUE, date(2020, 5, 29), None, 0),
             (None, None, DUE, DUE, None, 2), (None, None, DUE, date(2020, 5, 5), None, 2),
             (date(2020, 6, 1), None, DUE, date(2020, 5, 6), None, 2)]
    for own_start, previous_due, due, as_of, done_on, missed in cases:
        expected = rules.milestone_status(due=due, as_of=as_of, done_on=done_on, missed_periods=missed,
                                          start=rules.planned_start(own_start, previous_due, task_start)).status
        started = rules.started_on_days(n(own_start), n(previous_due), task_start <= as_of, n(as_of))
        assert rules.status_on_days(n(due), n(as_of), n(done_on), started, missed >= rules.SERIOUS_MISSED_PERIODS) == expected


def test_a_milestone_is_planned_to_start_after_the_previous_one_is_due():
    task_start = date(2020, 3, 1)
    assert rules.planned_start(None, None, task_start) == task_start
    assert rules.planned_start(None, date(2020, 4, 30), task_start) == date(2020, 5, 1)
    assert rules.planned_start(date(2020, 4, 1), date(2020, 4, 30), task_start) == date(2020, 4, 1)


def test_missed_since_the_latest_report_agrees_with_the_full_count():
    for last in (None, date(2020, 3, 10), date(2020, 4, 10)):
        for as_of in (date(2020, 5, 7), date(2020, 6, 1), date(2020, 2, 15)):
            assert rules.missed_since(last, rules.MONTHLY, date(2020, 1, 10), as_of, False) == rules.missed_periods_in_a_row(
                [last] if last else [], cycle=rules.MONTHLY, task_start=date(2020, 1, 10), as_of=as_of)
    # April, March, February and January (which ended after the task started on 10 January)
    assert rules.missed_since(None, rules.MONTHLY, date(2020, 1, 10), date(2020, 5, 7), False) == 4


def test_missed_since_on_day_numbers_agrees_with_the_full_count():
    n = lambda d: None if d is None else (d - date(1970, 1, 1)).days
    for cycle in rules.CYCLES:
        for last in (None, date(2020, 3, 10), date(2020, 4, 10), date(2020, 4, 30)):
            for start in (date(2020, 1, 10), date(2020, 4, 20), date(2020, 5, 7), date(2020, 6, 1)):
                for as_of in (date(2020, 5, 7), date(2020, 6, 1), date(2020, 2, 15)):
                    for finished in (False, True):
                        assert rules.missed_since_days(n(last), cycle, n(start), n(as_of), finished) == (
                            rules.missed_periods_in_a_row([last] if last else [], cycle=cycle, task_start=start, as_of=as_of,
                                                          finished=finished))
    # Hand-counted: started 10 January, last report 10 March, judged 7 May: April missed (March had the report).
    assert rules.missed_since_days(n(date(2020, 3, 10)), rules.MONTHLY, n(date(2020, 1, 10)), n(date(2020, 5, 7)), False) == 1
    # Half-monthly from the same report: 16–31 March, 1–15 and 16–30 April missed.
    assert rules.missed_since_days(n(date(2020, 3, 10)), rules.HALF_MONTHLY, n(date(2020, 1, 10)), n(date(2020, 5, 7)), False) == 3
    assert rules.missed_since_days(None, rules.MONTHLY, n(date(2020, 1, 10)), n(date(2020, 5, 7)), True) == 0
    assert rules.missed_since(None, rules.MONTHLY, date(2020, 1, 10), date(2020, 5, 7), True) == 0
