"""The Gantt rows are computed once per plan version, date, scope and filters, and a change shows at once."""

from datetime import date

import pytest

from luoshi.audit.services import latest_entry_id, record
from luoshi.work import access as work_access
from luoshi.work import rules, services
from luoshi.work.gantt import plan_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]


@pytest.fixture
def april_report(plan):
    """商务局 reported on task 1 in April, so task 1 is yellow and task 2 red on 7 May."""
    return services.submit_report(None, plan.t1, percent=30, done_text="洽谈推进中", reported_on=date(2020, 4, 10))


def milestone_row(client, milestone):
    data = client.get("/work/gantt/data?on=2020-05-07").json()
    row = next(m for m in data["milestones"] if m[0] == milestone.pk)
    return row, data["statuses"][row[5]]


def test_a_progress_report_changes_the_chart_at_once(client_for, plan):
    ducha = client_for("li_ducha")
    row, status = milestone_row(ducha, plan.m11)
    assert row[4] is None and status == rules.SERIOUSLY_OVERDUE  # not done by 7 May, and no report since March
    before = plan_version()
    services.submit_report(None, plan.t1, percent=40, completions=[(plan.m11, date(2020, 4, 29))],
                           reported_on=date(2020, 5, 6))
    assert plan_version() > before
    row, status = milestone_row(ducha, plan.m11)
    assert row[4] == (date(2020, 4, 29) - date(1970, 1, 1)).days and status == rules.DONE


def test_a_milestone_rebaselined_shows_its_new_due_date(client_for, plan):
    ducha = client_for("li_ducha")
    due = lambda: next(m[3] for m in ducha.get("/work/gantt/data?on=2020-05-07").json()["milestones"] if m[0] == plan.m13.pk)
    first = due()
    services.rebaseline_milestone(None, plan.m13, date(2020, 7, 31), "疫情影响顺延")
    assert due() == first + 31


def test_users_with_other_scopes_never_share_a_cached_chart(client_for, plan):
    titles = lambda name: {t[3] for t in client_for(name).get("/work/gantt/data?on=2020-05-07").json()["tasks"]}
    assert "历下区协作事项" not in titles("li_ducha")  # 济阳区's supervision office: its district only
    assert titles("wang_admin") >= {"招商引资项目签约", "合村并点安置区建设", "历下区协作事项"}
    assert titles("zhou_shangwu") == {"招商引资项目签约"}  # 商务局: the task it leads
    assert titles("ma_lixia") == {"历下区协作事项"}


def test_scope_keys_are_equal_exactly_for_the_same_reach(cast):
    key = work_access.task_scope_key
    assert key(cast.wang_admin) == "all"
    assert key(cast.li_ducha) == key(cast.sun_leader)  # both scoped to 济阳区
    assert len({key(cast.li_ducha), key(cast.zhou_shangwu), key(cast.zheng_caizheng), key(cast.ma_lixia)}) == 4


def test_the_filters_are_part_of_the_key(client_for, plan, april_report):
    ducha = client_for("li_ducha")
    everything = ducha.get("/work/gantt/data?on=2020-05-07").json()
    red = ducha.get("/work/gantt/data?on=2020-05-07&light=red").json()
    assert len(red["tasks"]) < len(everything["tasks"])
    assert all(red["lights"][t[7]] == rules.RED for t in red["tasks"])


def test_latest_entry_id_is_the_newest_entry_of_the_given_types(cast):
    first = record(None, "测试", object_type="work.Task", object_id="1")
    record(None, "测试", object_type="daily.DailyReport", object_id="1")
    assert latest_entry_id(["work.Task", "work.Milestone"]) == first.pk
    assert latest_entry_id(["work.Milestone"]) == 0
    assert latest_entry_id([]) == 0
