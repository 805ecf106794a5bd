"""The same submission sent at once from several connections makes one report (real transactions, threads)."""

import threading

import pytest
from django.db import connection

from luoshi.daily.models import DailyReport
from tests.conftest import build_cast
from tests.daily.conftest import DAY, at, build_form, submit

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True)]


def run_at_once(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def work(i):
        try:
            barrier.wait()
            results.append(target(i))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_eight_simultaneous_double_taps_make_one_report():
    cast = build_cast()
    build_form(cast)
    results, errors = run_at_once(8, lambda i: submit(cast, idempotency_key="double-tap", now=at(DAY, 9)))
    assert errors == []
    assert DailyReport.objects.count() == 1
    assert sum(1 for _, created in results if created) == 1


def test_simultaneous_corrections_with_different_keys_each_get_their_own_version():
    cast = build_cast()
    build_form(cast)
    results, errors = run_at_once(4, lambda i: submit(cast, idempotency_key=f"k{i}", now=at(DAY, 9)))
    assert errors == []
    versions = sorted(DailyReport.objects.values_list("version", flat=True))
    assert versions == [1, 2, 3, 4]
    assert DailyReport.objects.filter(is_current=True).count() == 1
