"""The Gantt chart's JSON for a small plan, pinned value for value (ids shown by name): the computed path may be
made faster, never different. Written before the speed work of 29 November 2026 from the output of that time."""

from datetime import date

import orjson
import pytest

from luoshi.work import access as work_access
from luoshi.work import services
from luoshi.work.gantt import gantt_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]


@pytest.fixture
def busy_plan(plan, cast):
    """The plan with something of everything: a completion on time, one late, one after the date judged, a re-baseline,
    a milestone with its own start, a task without milestones, reports that leave task 1 one period short."""
    p = plan
    services.save_milestone(None, task=p.t3, number="3.2", title="协作验收", start=date(2020, 5, 11), due=date(2020, 5, 29),
                            follows=p.m31, order=1)
    services.submit_report(None, p.t1, percent=40, completions=[(p.m11, date(2020, 4, 29))], reported_on=date(2020, 3, 20))
    services.submit_report(None, p.t2, percent=100, completions=[(p.m21, date(2020, 4, 20))], reported_on=date(2020, 4, 21))
    services.submit_report(None, p.t3, percent=100, completions=[(p.m31, date(2020, 5, 11))], reported_on=date(2020, 5, 11))
    services.rebaseline_milestone(None, p.m13, date(2020, 7, 31), "疫情影响顺延")
    services.save_task(None, campaign=p.zs, number="4", title="空任务", lead_unit=cast.units.town,
                       start=date(2020, 4, 1), deadline=date(2020, 12, 31))
    return p


def symbolic(payload, plan, cast):
    """The payload with the database ids replaced by names (ids differ between runs and databases)."""
    from luoshi.work.models import Milestone, Task

    names = {}
    for task in Task.objects.all():
        names[("task", task.pk)] = f"t{task.number}"
    for m in Milestone.objects.all():
        names[("milestone", m.pk)] = f"m{m.number}"
    names.update({("campaign", plan.zs.pk): "zs", ("campaign", plan.hc.pk): "hc"})
    units = {("unit", u.pk): name for name, u in vars(cast.units).items()}
    names.update(units)
    n = lambda kind, value: None if value is None else names[(kind, value)]
    return {
        **{k: v for k, v in payload.items() if k not in {"tasks", "milestones", "campaigns", "units"}},
        "campaigns": [[n("campaign", c), name] for c, name in payload["campaigns"]],
        "units": [[n("unit", u), name] for u, name in payload["units"]],
        "tasks": [[n("task", t[0]), n("campaign", t[1]), *t[2:4], n("unit", t[4]), *t[5:8], [n("unit", u) for u in t[8]], *t[9:]]
                  for t in payload["tasks"]],
        "milestones": [[n("milestone", m[0]), n("task", m[1]), *m[2:6], n("milestone", m[6]), m[7]]
                       for m in payload["milestones"]],
    }


def chart(user, as_of, plan, cast, **filters):
    data, years = gantt_rows(as_of, user, **filters)
    return symbolic(orjson.loads(data), plan, cast), years


T1 = ["t1", "zs", "1", "招商引资项目签约", "shangwu", 18322, 18443]
T4 = ["t4", "zs", "4", "空任务", "town", 18353, 18627]
T2 = ["t2", "hc", "2", "合村并点安置区建设", "caizheng", 18293, 18355]
T3 = ["t3", "hc", "3", "历下区协作事项", "lixia_gov", 18322, 18382]
M11 = ["m1.1", "t1", "完成项目洽谈", 18382]  # due Thu 30 Apr, done Wed 29 Apr (reported in March)
M12 = ["m1.2", "t1", "签订合作协议", 18383]  # due Fri 1 May
M13 = ["m1.3", "t1", "项目开工", 18474]  # due Fri 31 Jul, first 30 Jun
M21 = ["m2.1", "t2", "完成选址", 18355]  # due Fri 3 Apr, done Mon 20 Apr
M31 = ["m3.1", "t3", "对接协作", 18382]  # due Thu 30 Apr, done Mon 11 May
M32 = ["m3.2", "t3", "协作验收", 18411]  # starts Mon 11 May, due Fri 29 May
UNITS_ALL = [["lixia_gov", "历下区府办"], ["shangwu", "商务局"], ["town", "济阳街道"], ["caizheng", "财政局"]]
T1_UNITS, T4_UNITS, T2_UNITS, T3_UNITS = ["shangwu", "caizheng", "town"], ["town"], ["caizheng"], ["lixia_gov"]
NS, IP, DONE, LATE, OVER, SERIOUS = range(6)
GREEN, YELLOW, RED = range(3)

# (as_of, day number, {task: light}, milestone rows' (done_on, status, follows, original_due))
EXPECTED = {
    date(2020, 2, 1): (18293, {"t1": GREEN, "t4": GREEN, "t2": GREEN, "t3": GREEN},
                       [(None, NS, None, None), (None, NS, "m1.1", None), (None, NS, "m1.2", 18443), (None, IP, None, None),
                        (None, NS, None, None), (None, NS, "m3.1", None)]),
    date(2020, 4, 20): (18372, {"t1": GREEN, "t4": GREEN, "t2": GREEN, "t3": YELLOW},
                        [(None, IP, None, None), (None, NS, "m1.1", None), (None, NS, "m1.2", 18443), (18372, LATE, None, None),
                         (None, IP, None, None), (None, NS, "m3.1", None)]),
    date(2020, 5, 7): (18389, {"t1": YELLOW, "t4": YELLOW, "t2": GREEN, "t3": RED},
                       [(18381, DONE, None, None), (None, OVER, "m1.1", None), (None, IP, "m1.2", 18443), (18372, LATE, None, None),
                        (None, SERIOUS, None, None), (None, NS, "m3.1", None)]),
    # Issue #12's corrected rule, by hand for Mon 15 Jun 2020: task 1 (monthly, started 1 Mar, last report 20 Mar)
    # missed May and April → 2 in a row, silent. 1.2 (due Fri 1 May, effective Wed 6 May) is past due → 严重滞后; 1.3
    # (due Fri 31 Jul) is not due yet → 推进中 (planned start 2 May), no longer 严重滞后. Task 4 (no milestones, started
    # 1 Apr, no report) missed April and May → 2 in a row: its own flag makes it red (was yellow).
    date(2020, 6, 15): (18428, {"t1": RED, "t4": RED, "t2": GREEN, "t3": RED},
                        [(18381, DONE, None, None), (None, SERIOUS, "m1.1", None), (None, IP, "m1.2", 18443),
                         (18372, LATE, None, None), (18393, LATE, None, None), (None, SERIOUS, "m3.1", None)]),
}


def expected_chart(as_of, tasks=("t1", "t4", "t2", "t3")):
    day, lights, judged = EXPECTED[as_of]
    # The last item of a task row is its original deadline (null: never re-baselined).
    task_rows = {"t1": T1 + [lights["t1"], T1_UNITS, None], "t4": T4 + [lights["t4"], T4_UNITS, None],
                 "t2": T2 + [lights["t2"], T2_UNITS, None], "t3": T3 + [lights["t3"], T3_UNITS, None]}
    milestones = [base + [done, status, follows, original] for base, (done, status, follows, original)
                  in zip([M11, M12, M13, M21, M31, M32], judged) if base[1] in tasks]
    unit_ids = {u for t in tasks for u in task_rows[t][8]}
    return {
        "as_of": day, "against": "current",
        "campaigns": [c for c in [["zs", "双招双引"], ["hc", "合村并点"]] if any(task_rows[t][1] == c[0] for t in tasks)],
        "units": [u for u in UNITS_ALL if u[0] in unit_ids],
        "lights": ["green", "yellow", "red"], "light_labels": ["绿灯", "黄灯", "红灯"],
        "statuses": ["not_started", "in_progress", "done", "done_late", "overdue", "seriously_overdue"],
        "status_labels": ["未开始", "推进中", "已完成", "逾期完成", "滞后", "严重滞后"],
        "tasks": [task_rows[t] for t in ("t1", "t4", "t2", "t3") if t in tasks],
        "milestones": milestones, "fallback_years": [],
    }


@pytest.mark.parametrize("as_of", list(EXPECTED))
def test_the_administrators_chart_is_pinned_value_for_value(busy_plan, cast, as_of):
    assert chart(cast.wang_admin, as_of, busy_plan, cast) == (expected_chart(as_of), [])


@pytest.mark.parametrize("as_of", list(EXPECTED))
def test_scoped_charts_are_the_same_rows_for_fewer_tasks(busy_plan, cast, as_of):
    assert chart(cast.li_ducha, as_of, busy_plan, cast) == (expected_chart(as_of, ("t1", "t4", "t2")), [])
    assert chart(cast.zhou_shangwu, as_of, busy_plan, cast) == (expected_chart(as_of, ("t1",)), [])
    assert chart(cast.ma_lixia, as_of, busy_plan, cast) == (expected_chart(as_of, ("t3",)), [])


def test_filtered_charts_are_the_same_rows_for_fewer_tasks(busy_plan, cast):
    p, admin, may_7 = busy_plan, cast.wang_admin, date(2020, 5, 7)
    assert chart(admin, may_7, p, cast, light="red") == (expected_chart(may_7, ("t3",)), [])
    assert chart(admin, may_7, p, cast, light="yellow") == (expected_chart(may_7, ("t1", "t4")), [])
    assert chart(admin, may_7, p, cast, light="green") == (expected_chart(may_7, ("t2",)), [])
    assert chart(admin, may_7, p, cast, campaign_id=p.hc.pk) == (expected_chart(may_7, ("t2", "t3")), [])
    assert chart(admin, may_7, p, cast, unit_id=cast.units.caizheng.pk) == (expected_chart(may_7, ("t1", "t2")), [])
    assert chart(admin, may_7, p, cast, campaign_id=p.zs.pk, light="red") == (expected_chart(may_7, ()), [])
    # Only the tasks a scoped user may read, then the filter.
    assert chart(cast.li_ducha, may_7, p, cast, light="red") == (expected_chart(may_7, ()), [])


def test_the_json_is_the_bytes_orjson_writes(busy_plan, cast):
    data, _ = gantt_rows(date(2020, 5, 7), cast.wang_admin)
    assert orjson.dumps(orjson.loads(data)) == data
