"""Every task's judged rows kept in the database (work.judged, JudgedPart): the daily job judges every task, a fresh
process of any server reads them instead of judging, a write after the job has its task judged anew (and stored for
the others), a year's 放假安排 loaded judges everything again, and the chart is byte for byte the one judged from
scratch."""

from datetime import date

import orjson
import pytest
import time_machine
from django.core.management import call_command

from luoshi.core import workdays
from luoshi.jobs import runner
from luoshi.web import dashboard
from luoshi.work import judged, queries, rules, services
from luoshi.work.gantt import gantt_rows, judged_parts
from luoshi.work.models import JudgedPart, Task

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

MAY_7 = date(2020, 5, 7)


@pytest.fixture
def may_7():
    """Thursday 7 May 2020, 10:00 in 济南: the day the charts are asked about is today."""
    with time_machine.travel("2020-05-07 10:00 +0800", tick=False):
        yield MAY_7


@pytest.fixture
def judging(monkeypatch):
    """The tasks judged in this process, by number, one list per call of queries.chart_parts."""
    calls = []
    real = queries.chart_parts

    def spy(as_of, tasks_qs, cycle_of, scoped=True, against=None):
        parts = real(as_of, tasks_qs, cycle_of, scoped, against)
        calls.append(sorted(Task.objects.get(pk=pk).number for pk in parts))
        return parts

    monkeypatch.setattr(queries, "chart_parts", spy)
    return calls


def fresh_process():
    """What a newly started server process holds: nothing judged in its memory."""
    judged_parts.forget()


def from_scratch(user, as_of=MAY_7, **filters):
    """The chart judged with nothing kept, in memory or in the database (rolled back afterwards)."""
    from django.db import transaction

    class Undo(Exception):
        pass

    fresh_process()
    try:
        with transaction.atomic():
            JudgedPart.objects.all().delete()
            chart = gantt_rows(as_of, user, **filters)
            raise Undo
    except Undo:
        pass
    fresh_process()
    return chart


def stored_numbers(as_of=MAY_7):
    return sorted(JudgedPart.objects.filter(as_of=as_of).values_list("task__number", flat=True))


def test_the_job_stores_every_tasks_rows_for_the_day(cast, plan, may_7):
    assert runner.run("judge") == "重点工作判定：3 项任务，保存 3 项，清理 0 项"
    assert stored_numbers() == ["1", "2", "3"]
    row = JudgedPart.objects.get(task=plan.t1)
    assert (row.against, row.revision, row.cycle, row.code) == (queries.CURRENT, Task.objects.get(pk=plan.t1.pk).revision,
                                                                rules.MONTHLY, judged.CODE)


def test_the_command_judges_the_day_it_is_given(cast, plan, capsys):
    call_command("work", "judge", "--on", "2020-05-08")
    assert "已判定 3 项任务（2020-05-08），保存 3 项判定结果，清理 0 项过期结果" in capsys.readouterr().out
    assert stored_numbers(date(2020, 5, 8)) == ["1", "2", "3"]


def test_a_fresh_process_serves_the_chart_and_the_home_page_from_the_database_without_judging(
        cast, plan, may_7, judging):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = cast.wang_admin
    expected = from_scratch(admin)
    home = dashboard.work(admin, MAY_7)
    judged.judge_day(MAY_7)
    judging.clear()
    fresh_process()
    with CaptureQueriesContext(connection) as queried:
        assert gantt_rows(MAY_7, admin) == expected
    read = " ".join(q["sql"] for q in queried.captured_queries)
    # The revisions and the stored parts (one query each); no milestone, report or task unit read, nothing written.
    assert sum('FROM "work_judgedpart"' in q["sql"] for q in queried.captured_queries) == 1
    assert not any(table in read for table in ("work_milestone", "work_progressreport", "work_taskunit", "INSERT"))
    fresh_process()
    assert dashboard.work(admin, MAY_7) == home
    for user in (cast.li_ducha, cast.zhou_shangwu):  # other scopes: the same stored parts
        fresh_process()
        gantt_rows(MAY_7, user)
    assert judging == []


def test_the_stored_chart_equals_the_one_judged_from_scratch(cast, plan, may_7):
    services.submit_report(None, plan.t1, percent=30, done_text="洽谈推进中", reported_on=date(2020, 4, 10))
    services.rebaseline_milestone(None, plan.m13, date(2020, 7, 31), "疫情影响顺延")
    judged.judge_day(MAY_7)
    judged.judge_day(MAY_7, against=queries.BASELINE)
    admin = cast.wang_admin
    for filters in ({}, {"light": "red"}, {"campaign_id": plan.hc.pk}, {"unit_id": cast.units.caizheng.pk},
                    {"against": "baseline"}):
        expected = from_scratch(admin, **filters)
        fresh_process()
        assert gantt_rows(MAY_7, admin, **filters) == expected, filters
    expected = from_scratch(cast.zhou_shangwu)
    fresh_process()
    assert gantt_rows(MAY_7, cast.zhou_shangwu) == expected


def test_a_write_after_the_job_has_its_task_judged_anew_and_stored_for_the_other_processes(cast, plan, may_7, judging):
    admin = cast.wang_admin
    judged.judge_day(MAY_7)
    judging.clear()
    fresh_process()
    gantt_rows(MAY_7, admin)
    services.submit_report(None, plan.t2, percent=100, completions=[(plan.m21, date(2020, 4, 20))])
    chart = gantt_rows(MAY_7, admin)
    assert judging == [["2"]]  # only the task written to
    assert chart == from_scratch(admin)
    assert stored_numbers() == ["1", "2", "2", "3"]  # task 2 under its new revision beside the old one
    judging.clear()
    fresh_process()  # another server's process: it finds task 2's new part in the database
    assert gantt_rows(MAY_7, admin) == chart
    assert judging == []


def test_a_request_stores_what_it_judged_today_only_and_a_few_parts_only(cast, plan, may_7, judging, monkeypatch):
    admin = cast.wang_admin
    monkeypatch.setattr(judged, "MOST_FROM_REQUEST", 2)
    gantt_rows(MAY_7, admin)  # no job ran: this process judges every task, more than a request stores
    assert judging == [["1", "2", "3"]] and stored_numbers() == []
    monkeypatch.setattr(judged, "MOST_FROM_REQUEST", 3)
    fresh_process()
    gantt_rows(MAY_7, admin)
    assert stored_numbers() == ["1", "2", "3"]
    gantt_rows(date(2020, 5, 6), admin)  # another day than today: judged here, not stored
    assert judging[2:] == [["1", "2", "3"]] and not JudgedPart.objects.filter(as_of=date(2020, 5, 6)).exists()


def test_a_part_of_another_calendar_or_judging_code_is_not_used(cast, plan, may_7, judging, monkeypatch):
    judged.judge_day(MAY_7)
    JudgedPart.objects.update(calendar=12345)  # judged with a 放假安排 this process does not count with
    judging.clear()
    fresh_process()
    gantt_rows(MAY_7, cast.wang_admin)
    assert judging == [["1", "2", "3"]]
    monkeypatch.setattr(judged, "CODE", "another-release")
    judging.clear()
    fresh_process()
    gantt_rows(MAY_7, cast.wang_admin)
    assert judging == [["1", "2", "3"]]


def test_the_job_prunes_earlier_days_other_calendars_and_moved_revisions(cast, plan, may_7):
    for day in (date(2020, 5, 3), date(2020, 5, 4), date(2020, 5, 5)):
        judged.judge_day(day)
    assert judged.judge_day(MAY_7).pruned == 6  # 3 and 4 May: two days before 7 May are kept
    JudgedPart.objects.filter(as_of=date(2020, 5, 5), task=plan.t3).update(calendar=777)
    services.submit_report(None, plan.t2, percent=100, completions=[(plan.m21, date(2020, 4, 20))])
    result = judged.judge_day(date(2020, 5, 7))
    # On 5 May task 3's part of another calendar and task 2's of its old revision; on 7 May task 2's old one.
    assert result.pruned == 3
    assert stored_numbers(date(2020, 5, 5)) == ["1"] and stored_numbers() == ["1", "2", "3"]
    assert not JudgedPart.objects.filter(as_of__lt=date(2020, 5, 5)).exists()


def test_a_year_of_holidays_loaded_judges_every_task_again_for_every_process(
        cast, django_capture_on_commit_callbacks, judging):
    from luoshi.holidays import rules as holiday_rules
    from luoshi.holidays import services as holiday_services
    from tests.holidays.conftest import NOTICE_2027
    from tests.holidays.test_cache import DUE, ON

    campaign = services.save_campaign(None, name="2027年重点工作", order=0)
    task, _ = services.save_task(None, campaign=campaign, number="1", title="春节前签约", lead_unit=cast.units.shangwu,
                                 start=date(2027, 2, 1), deadline=date(2027, 12, 31))
    milestone, _ = services.save_milestone(None, task=task, number="1.1", title="签订协议", due=DUE, order=0)
    admin = cast.wang_admin
    status = lambda: next(rules.STATUSES[m[5]] for m in orjson.loads(gantt_rows(ON, admin)[0])["milestones"]
                          if m[0] == milestone.pk)
    workdays.forget()
    try:
        with time_machine.travel("2027-02-23 09:00:00 +0800", tick=False):
            judged.judge_day(ON)
            before = workdays.stamp()
            fresh_process()
            assert status() == rules.SERIOUSLY_OVERDUE  # Monday–Friday: 11 working days late
            judging.clear()
            with django_capture_on_commit_callbacks(execute=True):
                holiday_services.load_year(admin, holiday_rules.read_text(NOTICE_2027, 2027))
            assert judging == [["1"]]  # judged again at once, in the process that loaded it
            assert workdays.stamp() != before
            assert JudgedPart.objects.filter(as_of=ON, calendar=workdays.stamp()).count() == 1
            judging.clear()
            fresh_process()  # another process, counting with the new calendar
            assert status() == rules.OVERDUE  # with 春节: 8 working days late
            assert judging == []
    finally:
        workdays.forget()
