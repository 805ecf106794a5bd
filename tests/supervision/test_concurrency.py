"""Two sweeps (or an office and a sweep) at the same moment on PostgreSQL: one notice per task, numbers without gaps.

On SQLite writers take the database lock at BEGIN (transaction_mode IMMEDIATE), so two can never interleave; the
race only exists on PostgreSQL."""

import threading
from datetime import date

import pytest
from django.db import connection

from luoshi.core.problems import Rejected
from luoshi.supervision import services, sweep
from luoshi.supervision.models import Notice, NoticeCounter
from tests.conftest import build_cast
from tests.work.conftest import build_plan

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="SQLite serializes writers (BEGIN IMMEDIATE): the race needs PostgreSQL")]


def together(*jobs):
    """Run the jobs in threads released at the same instant; returns their results or exceptions."""
    from django.db import connections

    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # kept for the test to look at
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_sweeps_started_together_open_one_notice_per_red_task_numbered_without_gaps():
    build_plan(build_cast())
    day = date(2020, 5, 12)
    for _ in range(3):  # a race can go either way: try it a few times on fresh days
        results = together(lambda: sweep.sweep(day), lambda: sweep.sweep(day))
        assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(Notice.objects.values_list("task__number", flat=True)) == ["1", "2", "3"]
    assert sorted(Notice.objects.values_list("serial", flat=True)) == [1, 2, 3]
    assert NoticeCounter.objects.get(year=2020).last == 3


def test_the_office_and_the_sweep_opening_the_same_task_at_once_make_one_notice():
    cast = build_cast()
    plan = build_plan(cast)
    day = date(2020, 5, 12)
    results = together(lambda: services.open_notice(cast.li_ducha, plan.t1, on=day),
                       lambda: services.open_notice(None, plan.t1, on=day, source="sweep"))
    opened = [r for r in results if isinstance(r, Notice)]
    refused = [r for r in results if isinstance(r, Rejected)]
    assert len(opened) == 1 and len(refused) == 1, results
    assert "已有未办结的督办单（督办〔2020〕1号）" in str(refused[0])
    assert NoticeCounter.objects.get(year=2020).last == 1  # the loser's number was not used up
    assert services.open_notice(cast.li_ducha, plan.t2, on=day).number == "督办〔2020〕2号"
