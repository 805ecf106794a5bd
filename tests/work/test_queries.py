from datetime import date

import orjson
import pytest

from luoshi.work import queries, rules, services
from luoshi.work.access import task_filter
from luoshi.work.gantt import gantt_rows

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db, pytest.mark.usefixtures("may_12")]


def test_later_steps_of_a_task_are_not_started_until_the_previous_step_is_due(plan):
    board = queries.board(date(2020, 4, 20))
    task = next(t for t in board.tasks if t["number"] == "1")
    assert [m["status"] for m in task["milestones"]] == ["in_progress", "not_started", "not_started"]
    # March had no report (the task started 1 March): one missed period makes the light yellow.
    assert task["missed_periods"] == 1 and task["light"] == "yellow"
    assert task["next_due"]["number"] == "1.1"


def test_a_report_in_each_period_keeps_the_light_green(plan):
    services.submit_report(None, plan.t1, percent=10, reported_on=date(2020, 3, 20))
    task = next(t for t in queries.board(date(2020, 4, 20)).tasks if t["number"] == "1")
    assert task["missed_periods"] == 0 and task["light"] == "green"


def test_a_correction_does_not_count_twice_and_only_current_versions_count(plan):
    first = services.submit_report(None, plan.t1, percent=10, reported_on=date(2020, 3, 20),
                                   completions=[(plan.m11, date(2020, 3, 25))])
    services.submit_report(None, plan.t1, percent=10, corrects=first, correction_note="撤回",
                           completions=[])
    task = next(t for t in queries.board(date(2020, 5, 7)).tasks if t["number"] == "1")
    assert task["milestones"][0]["done_on"] is None  # the completion was withdrawn by the correction
    assert task["missed_periods"] == 1  # the March report still counts (its current version), April is missed


def test_board_filters_and_scope(cast, plan):
    assert [t["number"] for t in queries.board(date(2020, 5, 7), task_filter(cast.zhou_shangwu)).tasks] == ["1"]
    assert [t["number"] for t in queries.board(date(2020, 5, 7), campaign_id=plan.hc.pk).tasks] == ["2", "3"]
    assert [t["number"] for t in queries.board(date(2020, 5, 7), unit_id=cast.units.caizheng.pk).tasks] == ["1", "2"]
    red = queries.board(date(2020, 5, 7), light="red")
    assert {t["light"] for t in red.tasks} == {"red"} and {m["task_id"] for m in red.milestones} <= {t["id"] for t in red.tasks}


@pytest.mark.parametrize("as_of", [date(2020, 2, 1), date(2020, 4, 20), date(2020, 5, 7), date(2020, 6, 15)])
def test_the_charts_compact_rows_judge_as_the_board_does(cast, plan, as_of):
    services.submit_report(None, plan.t1, percent=40, completions=[(plan.m11, date(2020, 4, 29))], reported_on=date(2020, 3, 20))
    services.submit_report(None, plan.t2, percent=100, completions=[(plan.m21, date(2020, 4, 20))], reported_on=date(2020, 4, 21))
    admin, shangwu = cast.wang_admin, cast.zhou_shangwu
    for user, filters in [(admin, {}), (shangwu, {}), (admin, {"light": "red"}), (admin, {"light": "yellow"}),
                          (admin, {"campaign_id": plan.hc.pk}), (admin, {"unit_id": cast.units.caizheng.pk})]:
        board = queries.board(as_of, task_filter(user), with_units=True, **filters)
        data, fallback_years = gantt_rows(as_of, user, **filters)
        compact = orjson.loads(data)
        assert [[t["id"], t["campaign_id"], t["number"], t["title"], t["lead_unit_id"], day(t["start"]), day(t["deadline"]),
                 rules.LIGHTS.index(t["light"]), sorted({u for u, _ in t["units"]} | {t["lead_unit_id"]}),
                 day(t["original_deadline"])] for t in board.tasks
                ] == compact["tasks"]
        assert [[m["id"], m["task_id"], m["title"], day(m["due"]), day(m["done_on"]), rules.STATUSES.index(m["status"]),
                 m["follows_id"], day(m["original_due"])] for m in board.milestones] == compact["milestones"]
        assert board.fallback_years == fallback_years == compact["fallback_years"]


def day(value):
    return None if value is None else (value - date(1970, 1, 1)).days
