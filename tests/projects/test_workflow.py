"""The pools' workflow (issue 24): each project in key work (a task with its 开工 and 竣工 nodes), 增补 and 退库
under a leader's approval with the history kept, the nodes' dates only through 调整计划, 要素保障 problems, the
sweep's notices, and what waits for the leader. The pool of tests/projects/conftest.py, as of 14 April 2020."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.projects import queries, rules, services
from luoshi.projects.models import PoolMove, Problem, Project
from luoshi.projects.sweep import judged_period, report_lines, sweep
from luoshi.supervision.models import Notice
from luoshi.work.models import Campaign, ProgressReport, Rebaseline
from luoshi.work import services as work_services

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]  # partial unique constraints, locks, notices

MARCH = date(2020, 3, 1)


def nodes(project):
    project.refresh_from_db()
    return {m.number[len(project.task.number):]: m for m in project.task.milestones.all()}


def test_each_project_is_a_task_of_the_regions_key_projects_with_its_start_and_completion_nodes(pool, cast):
    campaign = Campaign.objects.get(name="济阳区2020年重点项目")
    assert campaign.source == "project" and campaign.plan_set_at is not None
    p1 = Project.objects.get(pk=pool.p1.pk)
    task = p1.task
    assert task.campaign == campaign and task.title == "年产10万吨新材料项目"
    assert task.lead_unit == cast.units.shangwu and task.leader == cast.sun_leader.person
    assert task.start == date(2020, 4, 1)  # entered key work in April: it owes key work's reports from then on
    first, second = nodes(p1)[".1"], nodes(p1)[".2"]
    assert (first.title, first.due, first.done_on) == ("开工：年产10万吨新材料项目", date(2020, 2, 29), date(2020, 2, 20))
    assert (second.due, second.done_on) == (date(2021, 12, 31), None)  # 建设终止年 2021
    p3 = nodes(pool.p3)
    assert (p3[".1"].due, p3[".1"].done_on) == (date(2019, 12, 31), None)  # planned December 2019, not started
    p2 = nodes(pool.p2)  # 续建 with a recorded start and no planned start: its node is the start, done
    assert (p2[".1"].due, p2[".1"].done_on) == (date(2019, 5, 1), date(2019, 5, 1))


def test_a_monthly_report_is_also_the_tasks_progress_report_in_the_units_name(pool, cast, frozen):
    before = ProgressReport.objects.filter(task=pool.p3.task).count()
    services.submit_report(cast.sun_jiedao, Project.objects.get(pk=pool.p3.pk), period=MARCH, amount=D("120"),
                           progress="场地平整", problems="施工许可待批")
    report = ProgressReport.objects.filter(task=Project.objects.get(pk=pool.p3.pk).task).latest("id")
    assert ProgressReport.objects.filter(task=report.task).count() == before + 1
    assert report.unit == cast.units.town and report.source == "project"
    assert report.done_text == "2020年3月调度：本月完成投资120.00万元；形象进度：场地平整"
    assert report.problems == "施工许可待批"
    assert report.percent == 2  # 120 of 6000 万元


def test_recording_a_start_marks_the_start_node_done_and_moves_the_pool_with_its_history(pool, cast, frozen):
    p3 = Project.objects.get(pk=pool.p3.pk)
    services.save_project(cast.zhao_fagai, region=cast.jiyang, name=p3.name, kind=p3.kind, unit=p3.unit,
                          total_investment=p3.total_investment, planned_start=p3.planned_start, pool=rules.PLANNING)
    services.mark(cast.zhao_fagai, Project.objects.get(pk=p3.pk), started_on=date(2020, 4, 10))
    p3.refresh_from_db()
    assert p3.pool == rules.BUILDING
    assert nodes(p3)[".1"].done_on == date(2020, 4, 10)
    history = [(m.kind, m.from_pool, m.to_pool) for m in queries.moves(p3)]
    assert history == [("enter", "", "building"), ("change", "building", "planning"), ("start", "planning", "building")]


def test_withdrawal_is_asked_by_the_office_and_approved_by_a_leader_and_closes_the_task(pool, cast, frozen):
    p1 = Project.objects.get(pk=pool.p1.pk)
    move = services.request_move(cast.zhao_fagai, p1, kind=rules.WITHDRAW, reason="企业投资计划调整，暂缓建设")
    p1.refresh_from_db()
    assert (p1.pool, move.status, move.from_pool, move.to_pool) == ("building", "pending", "building", "withdrawn")
    with pytest.raises(Rejected, match="已有一项待审批的退库申请"):
        services.request_move(cast.zhao_fagai, p1, kind=rules.WITHDRAW, reason="again")
    services.approve_move(cast.sun_leader, move, "同意退库")
    p1.refresh_from_db()
    assert p1.pool == rules.WITHDRAWN
    move.refresh_from_db()
    assert (move.status, move.decided_by, move.moved_on, move.decision_note) == (
        "approved", cast.sun_leader, date(2020, 4, 14), "同意退库")
    assert p1.task.closed_on == date(2020, 4, 14)  # 销号: it leaves the red lists and stays in the ledger
    assert [(m.kind, m.to_pool, m.status) for m in queries.moves(p1)] == [
        ("enter", "building", "approved"), ("withdraw", "withdrawn", "approved")]
    assert p1.pk not in [r["id"] for r in queries.status(cast.jiyang, MARCH)["projects"]]
    assert AuditEntry.objects.filter(action="批准项目退库").count() == 1
    with pytest.raises(Rejected, match="已由 孙区长 审批"):
        services.refuse_move(cast.sun_leader, move, "晚了")


def test_a_refused_request_moves_nothing_and_needs_a_reason(pool, cast, frozen):
    p2 = Project.objects.get(pk=pool.p2.pk)
    move = services.request_move(cast.zhao_fagai, p2, kind=rules.WITHDRAW, reason="资金未落实")
    with pytest.raises(Rejected, match="不予批准请填写理由"):
        services.refuse_move(cast.sun_leader, move, " ")
    services.refuse_move(cast.sun_leader, move, "继续推进，年内开工")
    p2.refresh_from_db()
    assert p2.pool == rules.BUILDING and p2.task.closed_on is None
    assert PoolMove.objects.get(pk=move.pk).status == rules.REFUSED


def test_who_may_ask_and_who_may_decide(pool, cast, frozen):
    p1 = Project.objects.get(pk=pool.p1.pk)
    for person in (cast.zhou_shangwu, cast.sun_leader, cast.li_ducha):
        with pytest.raises(PermissionDenied):
            services.request_move(person, p1, kind=rules.WITHDRAW, reason="理由")
    move = services.request_move(cast.zhao_fagai, p1, kind=rules.WITHDRAW, reason="理由")
    for person, message in ((cast.zhao_fagai, "不能审批自己提出的申请"), (cast.li_ducha, "只有济阳区的区领导"),
                            (cast.zhou_shangwu, "只有济阳区的区领导"), (cast.ma_lixia, "只有济阳区的区领导")):
        with pytest.raises(PermissionDenied, match=message):
            services.approve_move(person, move)
    assert PoolMove.objects.get(pk=move.pk).status == rules.PENDING


def test_a_request_that_does_not_fit_the_pool_is_refused_in_chinese(pool, cast, frozen):
    p1 = Project.objects.get(pk=pool.p1.pk)
    with pytest.raises(Rejected) as refused:
        services.request_move(cast.zhao_fagai, p1, kind=rules.ADD, reason="")
    assert refused.value.messages == ["项目在「在建」库中，只有谋划储备或已退库的项目可以申请增补", "请填写申请理由"]
    assert not PoolMove.objects.filter(status=rules.PENDING).exists()
    with pytest.raises(Rejected, match="退库、增补须由发改局提出申请"):
        services.save_project(cast.zhao_fagai, region=cast.jiyang, name=p1.name, kind=p1.kind, unit=p1.unit,
                              total_investment=p1.total_investment, pool=rules.WITHDRAWN)


def test_a_withdrawn_project_added_again_gets_a_new_task(pool, cast, frozen):
    p2 = Project.objects.get(pk=pool.p2.pk)
    services.approve_move(cast.sun_leader, services.request_move(cast.zhao_fagai, p2, kind=rules.WITHDRAW, reason="停建"))
    old_task = Project.objects.get(pk=p2.pk).task
    services.approve_move(cast.sun_leader, services.request_move(cast.zhao_fagai, Project.objects.get(pk=p2.pk),
                                                                 kind=rules.ADD, reason="复工"))
    p2.refresh_from_db()
    assert p2.pool == rules.BUILDING and p2.task != old_task and p2.task.number == f"XM{p2.pk}-2"
    assert [m.kind for m in queries.moves(p2)] == ["enter", "withdraw", "add"]


def test_a_new_planned_start_waits_for_a_leader_as_a_rebaseline_of_its_node(pool, cast, frozen):
    p3 = Project.objects.get(pk=pool.p3.pk)
    services.save_project(cast.zhao_fagai, region=cast.jiyang, name=p3.name, kind=p3.kind, unit=p3.unit,
                          total_investment=p3.total_investment, planned_start=date(2020, 5, 1), reason="规划调整")
    request = Rebaseline.objects.get(milestone=nodes(p3)[".1"], status="pending")
    assert (request.old_due, request.new_due, request.reason) == (date(2019, 12, 31), date(2020, 5, 31), "规划调整")
    p3.refresh_from_db()
    assert p3.planned_start == date(2019, 12, 1)  # as approved until a leader approves
    row = queries.status(cast.jiyang, MARCH)["projects"][2]
    assert row["light"] == rules.RED and row["planned_start"] == date(2019, 12, 1)
    work_services.approve_rebaseline(cast.sun_leader, request)
    row = queries.status(cast.jiyang, MARCH)["projects"][2]
    assert row["planned_start"] == date(2020, 5, 1) and row["light"] == rules.GREEN  # not due to start yet
    assert nodes(p3)[".1"].original_due == date(2019, 12, 31)


def test_problems_are_raised_listed_by_age_solved_and_refused_when_bad(pool, cast):
    with time_machine.travel("2020-04-01 09:00 +0800", tick=False):
        old = services.raise_problem(cast.zhou_shangwu, pool.p1, kind="land", level="district", unit=cast.units.shangwu,
                                     deadline="2020-04-10", text="用地指标未落实")
    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        new = services.raise_problem(cast.zhao_fagai, pool.p2, kind="utilities", level="unit",
                                     unit=cast.units.caizheng, deadline=date(2020, 4, 30), text="施工用电待接入")
        with pytest.raises(Rejected) as refused:
            services.raise_problem(cast.zhao_fagai, pool.p2, kind="weather", level="province", unit=cast.units.lixia_gov,
                                   deadline="2020-04-01", text="")
        assert refused.value.messages == [
            "问题类型应为 土地、规划、环评、能评、资金、征迁、水电气、其他 之一", "解决层级应为 单位、区级、市级以上 之一",
            "「历下区政府办公室」不是济阳区或其上级的单位", "解决时限 2020年4月1日 早于今天", "请填写问题描述"]
        with pytest.raises(PermissionDenied):
            services.raise_problem(cast.zheng_caizheng, pool.p1, kind="land", level="unit", unit=cast.units.shangwu,
                                   deadline="2020-05-01", text="x")
        state = queries.problem_list(cast.jiyang, date(2020, 4, 14))
        assert [(r["id"], r["age"], r["overdue"], r["number"]) for r in state["rows"]] == [
            (old.pk, 13, True, 1), (new.pk, 0, False, 2)]
        with pytest.raises(PermissionDenied):
            services.solve_problem(cast.zhou_shangwu, new, solution="已接入")
        services.solve_problem(cast.zheng_caizheng, new, solution="已接入临时用电", solved_on="2020-04-14")
        with pytest.raises(Rejected, match="已于 2020年4月14日 解决"):
            services.solve_problem(cast.zhao_fagai, new, solution="again")
        assert Problem.objects.get(pk=new.pk).state == rules.SOLVED
        assert [r["id"] for r in queries.problem_list(cast.jiyang, date(2020, 4, 14), solved=True)["rows"]] == [
            old.pk, new.pk]
        assert queries.problem_list(cast.jiyang, date(2020, 4, 14))["open"] == 1


def test_the_sweep_opens_a_notice_on_a_red_project_and_escalates_an_overdue_problem_once(pool, cast):
    with time_machine.travel("2020-04-01 09:00 +0800", tick=False):
        problem = services.raise_problem(cast.zhou_shangwu, pool.p1, kind="land", level="district",
                                         unit=cast.units.shangwu, deadline="2020-04-04", text="用地指标未落实")
    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        assert judged_period(date(2020, 4, 14)) == MARCH and judged_period(date(2020, 1, 5)) == date(2019, 12, 1)
        result = sweep(date(2020, 4, 14))
        p3 = Project.objects.get(pk=pool.p3.pk)
        notice = Notice.objects.get(task=p3.task)
        assert notice.reason == ("重点项目「济阳街道社区服务中心」2020年1-3月调度亮红灯：投资完成率0.0%，低于序时进度"
                                 "25个百分点；计划2019年12月开工，尚未开工。请说明原因和整改措施。")
        assert notice.unit == cast.units.town and notice.source == "sweep"
        problem.refresh_from_db()
        p1_notice = Notice.objects.get(task=Project.objects.get(pk=pool.p1.pk).task)
        assert problem.notice == p1_notice and problem.escalated_on == date(2020, 4, 14)
        assert "要素保障问题" in p1_notice.reason and "用地指标未落实" in p1_notice.reason
        lines = report_lines(result)
        assert lines[0] == "重点项目巡查：2020年4月14日（按2020年1-3月调度）"
        assert any(line.startswith(f"开具督办单 {notice.number}") for line in lines)
        count = Notice.objects.count()
        again = sweep(date(2020, 4, 14))
        assert Notice.objects.count() == count and not again.opened and not again.escalated
        with pytest.raises(Rejected, match="晚于今天"):
            sweep(date(2020, 4, 15))


def test_an_overdue_problem_of_a_task_under_a_notice_joins_that_notice(pool, cast):
    with time_machine.travel("2020-04-01 09:00 +0800", tick=False):
        problem = services.raise_problem(cast.zhao_fagai, pool.p3, kind="planning", level="city",
                                         unit=cast.units.fagai, deadline="2020-04-03", text="规划许可待市里批复")
    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        sweep(date(2020, 4, 14))
        problem.refresh_from_db()
        assert problem.notice.task == Project.objects.get(pk=pool.p3.pk).task
        assert Notice.objects.filter(task=problem.notice.task).count() == 1


def test_a_problem_due_on_a_rest_day_is_not_overdue_before_the_next_working_day(pool, cast):
    with time_machine.travel("2020-04-01 09:00 +0800", tick=False):
        services.raise_problem(cast.zhao_fagai, pool.p2, kind="funds", level="unit", unit=cast.units.caizheng,
                               deadline="2020-04-04", text="资金")  # Saturday; 4-6 清明 holiday: due Tuesday 4-7
    row = queries.problem_list(cast.jiyang, date(2020, 4, 7))["rows"][0]
    assert row["overdue"] is False
    assert queries.problem_list(cast.jiyang, date(2020, 4, 8))["rows"][0]["overdue"] is True


def test_what_waits_for_the_leader(pool, cast, frozen, client_for):
    move = services.request_move(cast.zhao_fagai, Project.objects.get(pk=pool.p2.pk), kind=rules.WITHDRAW,
                                 reason="资金未落实")
    items = queries.pending_for_leader(cast.sun_leader)
    assert [(i.kind, i.kind_label, i.title, i.since, i.url) for i in items] == [
        ("pool_move", "项目退库", "智能装备产业园：申请退库（资金未落实）", date(2020, 4, 14),
         f"/projects/p/{pool.p2.pk}/#pool")]
    for person in (cast.zhao_fagai, cast.li_ducha, cast.zhou_shangwu, cast.ma_lixia, cast.wang_admin):
        assert queries.pending_for_leader(person) == []
    home = client_for("sun_leader").get("/").content.decode()
    assert "智能装备产业园：申请退库（资金未落实）" in home and f"/projects/p/{pool.p2.pk}/#pool" in home  # the 驾驶舱
    services.approve_move(cast.sun_leader, move)
    assert queries.pending_for_leader(cast.sun_leader) == []


# Pure rules, by hand ---------------------------------------------------------------------------------------------

def test_which_moves_may_be_asked_from_which_pool():
    assert rules.move_target(rules.ADD, rules.PLANNING) == (rules.BUILDING, None)
    assert rules.move_target(rules.ADD, rules.WITHDRAWN) == (rules.BUILDING, None)
    assert rules.move_target(rules.ADD, rules.DONE)[1] == "项目在「竣工投产」库中，只有谋划储备或已退库的项目可以申请增补"
    assert rules.move_target(rules.WITHDRAW, rules.BUILDING) == (rules.WITHDRAWN, None)
    assert rules.move_target(rules.WITHDRAW, rules.PLANNING) == (rules.WITHDRAWN, None)
    assert rules.move_target(rules.WITHDRAW, rules.WITHDRAWN)[0] is None
    assert rules.move_target("start", rules.PLANNING) == (None, "申请类型应为「增补」或「退库」")


def test_the_nodes_dates_and_the_tasks_span():
    dates = rules.milestone_dates(kind=rules.NEW, planned_start=date(2026, 2, 1), started_on=None,
                                  planned_completion=None, end_year=2027, year=2026)
    assert dates == (date(2026, 2, 28), date(2027, 12, 31))
    assert rules.milestone_dates(kind=rules.CONTINUING, planned_start=None, started_on=date(2025, 5, 3),
                                 planned_completion=date(2026, 9, 30), end_year=2027, year=2026) == (
        date(2025, 5, 3), date(2026, 9, 30))
    assert rules.milestone_dates(kind=rules.NEW, planned_start=None, started_on=None, planned_completion=None,
                                 end_year=None, year=2026) == (None, date(2026, 12, 31))
    assert rules.month_end(date(2024, 2, 10)) == date(2024, 2, 29) and rules.month_end(date(2026, 12, 5)) == date(2026, 12, 31)
    assert rules.task_span(date(2026, 2, 28), date(2027, 12, 31), None, date(2026, 4, 14)) == (
        date(2026, 4, 1), date(2027, 12, 31))
    assert rules.task_span(date(2026, 8, 31), date(2027, 12, 31), None, date(2026, 4, 14)) == (
        date(2026, 8, 1), date(2027, 12, 31))
    assert rules.task_span(None, date(2026, 3, 31), None, date(2026, 4, 14)) == (date(2026, 3, 31), date(2026, 3, 31))


def test_a_projects_percent_in_key_work_and_a_problems_age_and_order():
    assert rules.task_percent(D("2999.99"), D("6000")) == 49
    assert rules.task_percent(D("7000"), D("6000")) == 100
    assert rules.task_percent(D("1"), D("0")) == 0
    assert rules.problem_overdue(rules.OPEN, date(2026, 4, 7), date(2026, 4, 8))
    assert not rules.problem_overdue(rules.OPEN, date(2026, 4, 7), date(2026, 4, 7))
    assert not rules.problem_overdue(rules.SOLVED, date(2026, 4, 7), date(2026, 5, 1))
    assert rules.problem_age(date(2026, 4, 1), date(2026, 4, 14)) == 13
    assert rules.problem_age(date(2026, 4, 1), date(2026, 4, 14), date(2026, 4, 3)) == 2
    items = [{"id": 1, "state": "open", "raised_on": date(2026, 4, 10), "solved_on": None},
             {"id": 2, "state": "solved", "raised_on": date(2026, 3, 1), "solved_on": date(2026, 3, 5)},
             {"id": 3, "state": "open", "raised_on": date(2026, 4, 1), "solved_on": None},
             {"id": 4, "state": "solved", "raised_on": date(2026, 3, 2), "solved_on": date(2026, 4, 2)},
             {"id": 5, "state": "open", "raised_on": date(2026, 4, 1), "solved_on": None}]
    assert [i["id"] for i in rules.meeting_order(items, date(2026, 4, 14))] == [3, 5, 1, 4, 2]
