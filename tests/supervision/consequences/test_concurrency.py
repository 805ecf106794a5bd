"""Two sweeps proposing at once, two leaders deciding at once, on PostgreSQL: one proposal per trigger occurrence,
one decision per proposal, 文号 without gaps. (SQLite serializes writers: the race needs PostgreSQL.)"""

from datetime import date

import pytest
import time_machine
from django.db import connection

from luoshi.core.problems import Rejected
from luoshi.supervision import sweep
from luoshi.supervision.consequences import services, triggers
from luoshi.supervision.consequences.models import Consequence, ConsequenceDecision, DecisionCounter
from tests.conftest import build_cast
from tests.supervision.consequences.conftest import answer_late_twice
from tests.supervision.test_concurrency import together
from tests.work.conftest import build_plan

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="SQLite serializes writers (BEGIN IMMEDIATE): the race needs PostgreSQL")]


def test_two_sweeps_at_once_propose_each_occurrence_once():
    cast = build_cast()
    plan = build_plan(cast)
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        answer_late_twice(cast, plan)
    for day in (date(2020, 5, 12), date(2020, 7, 1)):
        results = together(lambda: sweep.sweep(day), lambda: sweep.sweep(day))
        assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(Consequence.objects.values_list("source", "unit__short_name")) == [
        ("late_notices", "财政局"), ("red_periods", "财政局")]
    results = together(lambda: triggers.evaluate(date(2020, 8, 1)), lambda: triggers.evaluate(date(2020, 8, 1)))
    assert sum(len(r) for r in results) == 2  # tasks 1 and 3, each proposed by one of the two
    assert Consequence.objects.count() == 4


def test_two_leaders_deciding_at_once_make_one_decision_and_numbers_have_no_gaps():
    cast = build_cast()
    plan = build_plan(cast)
    day = date(2020, 5, 12)
    first = services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="talk", reason="x", task=plan.t2, on=day)
    second = services.propose(cast.li_ducha, unit=cast.units.shangwu, kind="talk", reason="y", task=plan.t1, on=day)
    results = together(lambda: services.decide(cast.sun_leader, first, approve=True, on=day),
                       lambda: services.decide(cast.sun_leader, first, approve=False, note="不必", on=day))
    assert len([r for r in results if isinstance(r, Rejected)]) == 1, results
    assert ConsequenceDecision.objects.filter(consequence=first).count() == 1
    results = together(lambda: services.decide(cast.sun_leader, second, approve=True, on=day),
                       lambda: services.propose(cast.li_ducha, unit=cast.units.town, kind="talk", reason="z", on=day))
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(ConsequenceDecision.objects.exclude(number="").values_list("serial", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert DecisionCounter.objects.get(year=2020).last == len(numbers)
