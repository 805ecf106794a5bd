"""Notices on the small 2020 plan (tests/work/conftest.py build_plan): with no report at all, on Tue 12 May 2020
every task is red (two monthly report periods missed in a row, milestones past due)."""

from datetime import date

import pytest

from tests.work.conftest import build_plan, lixia_office  # noqa: F401  (lixia_office: a fixture)


@pytest.fixture
def plan(cast):
    return build_plan(cast)


@pytest.fixture
def may_12():
    import time_machine

    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        yield date(2020, 5, 12)


@pytest.fixture
def notice(plan, cast, may_12):
    """督办〔2020〕1号 on task 1 (lead 区商务局, copied to 济阳街道), opened by 济阳区督查室 on 12 May 2020."""
    from luoshi.supervision import services

    return services.open_notice(cast.li_ducha, plan.t1, on=may_12)
