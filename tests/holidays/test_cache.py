"""Several app servers: each process asks for the stored calendar's stamp at most every
LUOSHI_HOLIDAY_CHECK_SECONDS, so a year loaded on one server counts on another within that time, and no request
queries it in between. What a process keeps from judging with the old calendar (work.rules' caches, the Gantt
chart's judged parts, the home page's seriously overdue rows) is not used after the check.

"Another process" is this one after a load whose commit did not refresh it (the load's on_commit refresh belongs to
the server that loaded); time is frozen and moved by hand."""

from datetime import date

import orjson
import pytest
import time_machine

from luoshi.core import workdays
from luoshi.holidays import rules, services
from luoshi.web import dashboard
from luoshi.work import queries
from luoshi.work import rules as work_rules
from luoshi.work import services as work_services
from luoshi.work.gantt import gantt_rows
from tests.holidays.conftest import NOTICE_2027

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]

DUE = date(2027, 2, 8)  # Monday in 春节 2027: effective Sunday 14 Feb once the year is loaded
ON = date(2027, 2, 23)  # Monday–Friday: 11 working days late (seriously); with 春节: 8 (15–20, 22, 23 Feb)


@pytest.fixture
def spring_task(cast):
    campaign = work_services.save_campaign(None, name="2027年重点工作", order=0)
    task, _ = work_services.save_task(None, campaign=campaign, number="1", title="春节前签约", lead_unit=cast.units.shangwu,
                                      start=date(2027, 2, 1), deadline=date(2027, 12, 31))
    # Seriously overdue whatever the calendar: the task stays red, its other rows are judged again.
    work_services.save_milestone(None, task=task, number="1.0", title="完成洽谈", due=date(2027, 1, 4), order=0)
    milestone, _ = work_services.save_milestone(None, task=task, number="1.1", title="签订协议", due=DUE, order=1)
    return milestone


def chart_status(user, milestone):
    data = orjson.loads(gantt_rows(ON, user)[0])
    return next(work_rules.STATUSES[m[5]] for m in data["milestones"] if m[0] == milestone.pk)


def test_a_year_loaded_elsewhere_counts_here_after_the_interval_and_not_a_query_before(
        cast, spring_task, settings, django_assert_num_queries):
    settings.LUOSHI_HOLIDAY_CHECK_SECONDS = 30
    admin = cast.wang_admin
    with time_machine.travel("2027-02-23 09:00:00 +0800", tick=False) as clock:
        # This process judges with Monday–Friday: 9–12, 15–19, 22, 23 Feb = 11 working days late.
        assert work_rules.milestone_status(due=DUE, as_of=ON).working_days_late == 11
        assert chart_status(admin, spring_task) == work_rules.SERIOUSLY_OVERDUE
        assert dashboard.work(admin, ON)["serious"] == 2
        version = workdays.version()

        services.load_year(admin, rules.read_text(NOTICE_2027, 2027))  # on another server: no refresh here

        clock.shift(29)
        with django_assert_num_queries(0):  # within the interval: no query, the calendar this process has
            assert not workdays.covers(2027) and workdays.effective_due(DUE) == DUE
            assert work_rules.milestone_status(due=DUE, as_of=ON).status == work_rules.SERIOUSLY_OVERDUE
        assert chart_status(admin, spring_task) == work_rules.SERIOUSLY_OVERDUE

        clock.shift(1)  # 30 s after this process last checked: it reads the stored calendar once
        assert workdays.version() != version and workdays.covers(2027)
        judged = work_rules.milestone_status(due=DUE, as_of=ON)
        assert (judged.status, judged.effective_due, judged.working_days_late) == (work_rules.OVERDUE, date(2027, 2, 14), 8)
        assert chart_status(admin, spring_task) == work_rules.OVERDUE  # the task's revision did not move
        assert dashboard.work(admin, ON)["serious"] == 1  # the home page's rows of the red task, judged again
        assert [m["status"] for m in queries.board(ON).milestones] == [work_rules.SERIOUSLY_OVERDUE, work_rules.OVERDUE]

        clock.shift(5)
        with django_assert_num_queries(0):
            assert workdays.is_workday(date(2027, 2, 20))


def test_a_check_that_finds_nothing_new_keeps_the_caches(cast, spring_task, settings):
    settings.LUOSHI_HOLIDAY_CHECK_SECONDS = 30
    with time_machine.travel("2027-02-23 09:00:00 +0800", tick=False) as clock:
        version = workdays.version()
        chart_status(cast.wang_admin, spring_task)
        clock.shift(31)
        assert workdays.version() == version  # the stamp is unchanged: the same calendar, caches kept


def test_a_clock_gone_back_checks_again(cast, settings):
    settings.LUOSHI_HOLIDAY_CHECK_SECONDS = 30
    with time_machine.travel("2027-02-23 09:00:00 +0800", tick=False) as clock:
        workdays.version()
        services.load_year(cast.wang_admin, rules.read_text(NOTICE_2027, 2027))
        clock.shift(-60)
        assert workdays.covers(2027)


def test_a_calendar_that_cannot_be_read_leaves_the_process_on_the_one_it_has(cast, settings, monkeypatch, caplog):
    settings.LUOSHI_HOLIDAY_CHECK_SECONDS = 30
    from luoshi.holidays import queries as holiday_queries

    with time_machine.travel("2027-02-23 09:00:00 +0800", tick=False) as clock:
        services.load_year(cast.wang_admin, rules.read_text(NOTICE_2027, 2027))
        assert workdays.covers(2027)

        def broken():
            raise holiday_queries.Arrangement.DoesNotExist("数据库连接中断")

        monkeypatch.setattr(workdays, "_source", (broken, holiday_queries.loaded_calendar))
        clock.shift(31)
        assert workdays.covers(2027) and not workdays.is_workday(DUE)  # kept
        assert "无法读取已录入的放假安排" in caplog.text
