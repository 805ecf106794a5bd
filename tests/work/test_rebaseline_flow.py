"""调整计划 under approval (issue #12 item 7): who asks, who decides, what moves and when, the import, the baseline.

On the plan of tests/work/conftest.py with 双招双引's plan set. Task 1 (lead 商务局 zhou_shangwu, responsible 济阳街道
sun_jiedao, cooperating 财政局 zheng_caizheng) is 济阳区's; 孙区长 (sun_leader) leads 济阳区, 李督查 (li_ducha) is its
supervision office; 刘督查 (liu_ducha) and 马 (ma_lixia) are 历下区's office and leader.
"""

import json
from datetime import date
from io import StringIO

import orjson
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.orgs import services as org_services
from luoshi.work import queries, rules, services
from luoshi.work.gantt import gantt_rows
from luoshi.work.models import Milestone, Rebaseline, Task
from luoshi.work.transfers import import_schedule
from tests.work.test_transfers import GOOD, row, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]


@pytest.fixture
def set_plan(cast, plan):
    services.set_plan(cast.li_ducha, plan.zs)
    return plan


def ask(client, milestone, new_due="2020-05-29", reason="外商行程推迟"):
    return client.post(f"/work/milestones/{milestone.pk}/rebaseline", {"new_due": new_due, "reason": reason})


def due(milestone):
    return Milestone.objects.get(pk=milestone.pk).due


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


# Who asks

def test_lead_unit_asks_and_nothing_moves_until_a_leader_approves(client_for, set_plan):
    p = set_plan
    revision = Task.objects.get(pk=p.t1.pk).revision
    assert ask(client_for("zhou_shangwu"), p.m12).status_code == 302
    request = Rebaseline.objects.get()
    assert (request.status, request.unit.name, request.requested_by.username) == ("pending", "区商务局", "zhou_shangwu")
    assert due(p.m12) == date(2020, 5, 1) and Task.objects.get(pk=p.t1.pk).revision == revision
    task_page = client_for("zhou_shangwu").get(f"/work/tasks/{p.t1.pk}/").content.decode()
    assert "待审批：调整为 2020-05-29" in task_page and "外商行程推迟" in task_page
    listing = client_for("sun_leader").get("/work/rebaselines/").content.decode()
    assert "外商行程推迟" in listing and f"/work/rebaselines/{request.pk}/approve" in listing
    assert "外商行程推迟" in client_for("zhou_shangwu").get("/work/rebaselines/").content.decode()  # its own
    assert client_for("sun_leader").post(f"/work/rebaselines/{request.pk}/approve", {"note": "同意"}).status_code == 302
    m = Milestone.objects.get(pk=p.m12.pk)
    assert (m.due, m.original_due) == (date(2020, 5, 29), date(2020, 5, 1))
    assert Task.objects.get(pk=p.t1.pk).revision != revision
    request.refresh_from_db()
    assert (request.status, request.decided_by.username, request.decision_note) == ("approved", "sun_leader", "同意")
    assert [e.action for e in AuditEntry.objects.filter(action__in=["申请调整计划", "调整节点计划", "批准调整计划"])
            .order_by("id")] == ["申请调整计划", "调整节点计划", "批准调整计划"]


def test_responsible_unit_may_ask_but_a_cooperating_unit_may_not(client_for, set_plan):
    assert ask(client_for("sun_jiedao"), set_plan.m11).status_code == 302
    assert Rebaseline.objects.get().unit.name == "济阳街道办事处"
    assert ask(client_for("zheng_caizheng"), set_plan.m12).status_code == 403  # 财政局 only cooperates on task 1
    assert Rebaseline.objects.count() == 1


def test_unit_cannot_ask_on_another_units_task(cast, client_for, set_plan):
    services.set_plan(cast.wang_admin, set_plan.hc)
    assert ask(client_for("zhou_shangwu"), set_plan.m21).status_code == 403  # 2 is 财政局's task
    with pytest.raises(PermissionDenied):
        services.request_rebaseline(cast.sun_jiedao, task=set_plan.t2, new_due=date(2020, 5, 29), reason="x")
    assert not Rebaseline.objects.exists()


def test_leaders_and_analysis_offices_do_not_ask(cast, set_plan):
    for user in (cast.sun_leader, cast.zhao_fagai):
        with pytest.raises(PermissionDenied):
            services.request_rebaseline(user, milestone=set_plan.m12, new_due=date(2020, 5, 29), reason="x")
    assert not Rebaseline.objects.exists()


# Who decides

def test_the_unit_that_asked_cannot_approve_and_nothing_moves(cast, client_for, set_plan):
    request = services.request_rebaseline(cast.zhou_shangwu, milestone=set_plan.m12, new_due=date(2020, 5, 29), reason="x")
    response = client_for("zhou_shangwu").post(f"/work/rebaselines/{request.pk}/approve")
    assert response.status_code == 403 and "不能审批自己提出的" in response.content.decode()
    with pytest.raises(PermissionDenied, match="不能审批自己提出的"):
        services.approve_rebaseline(cast.zhou_shangwu, request)
    # Another account of the same unit is refused as such.
    colleague = org_services.create_account(None, username="zhou_2", password=cast.password, full_name="周二")
    org_services.assign_role(None, user=colleague, role="unit", unit=cast.units.shangwu)
    with pytest.raises(PermissionDenied, match="申请单位「区商务局」的人员不能审批本单位"):
        services.approve_rebaseline(colleague, request)
    with pytest.raises(PermissionDenied):
        services.approve_rebaseline(cast.sun_jiedao, request)  # another unit of the task is no approver either
    assert due(set_plan.m12) == date(2020, 5, 1) and Rebaseline.objects.get().status == "pending"


def test_the_office_approves_a_units_request_but_its_own_needs_a_leader(cast, client_for, set_plan):
    p = set_plan
    from_unit = services.request_rebaseline(cast.zhou_shangwu, milestone=p.m12, new_due=date(2020, 5, 29), reason="x")
    from_office = services.request_rebaseline(cast.li_ducha, milestone=p.m13, new_due=date(2020, 7, 31), reason="y")
    listing = client_for("li_ducha").get("/work/rebaselines/").content.decode()
    assert f"/work/rebaselines/{from_unit.pk}/approve" in listing
    assert f"/work/rebaselines/{from_office.pk}/approve" not in listing and "待区领导审批" in listing
    response = client_for("li_ducha").post(f"/work/rebaselines/{from_office.pk}/approve")
    assert response.status_code == 403 and "不能审批自己提出的" in response.content.decode()
    # Another account of the same office is refused too: the office's requests need a leader.
    colleague = org_services.create_account(None, username="li_ducha_2", password=cast.password, full_name="李二")
    org_services.assign_role(None, user=colleague, role="supervision", region=cast.jiyang)
    with pytest.raises(PermissionDenied, match="须由区领导审批"):
        services.approve_rebaseline(colleague, from_office)
    assert due(p.m13) == date(2020, 6, 30)
    assert client_for("li_ducha").post(f"/work/rebaselines/{from_unit.pk}/approve").status_code == 302
    assert client_for("sun_leader").post(f"/work/rebaselines/{from_office.pk}/approve").status_code == 302
    assert (due(p.m12), due(p.m13)) == (date(2020, 5, 29), date(2020, 7, 31))


def test_another_districts_office_and_leader_cannot_decide_or_see(cast, client_for, lixia_office, set_plan):
    request = services.request_rebaseline(cast.zhou_shangwu, milestone=set_plan.m12, new_due=date(2020, 5, 29), reason="x")
    for name in ("liu_ducha", "ma_lixia"):
        assert client_for(name).post(f"/work/rebaselines/{request.pk}/approve").status_code == 403
        assert client_for(name).post(f"/work/rebaselines/{request.pk}/refuse", {"note": "不同意"}).status_code == 403
        assert "外商" not in client_for(name).get("/work/rebaselines/").content.decode()
    assert client_for("zhao_fagai").get("/work/rebaselines/").status_code == 403
    assert due(set_plan.m12) == date(2020, 5, 1) and Rebaseline.objects.get().status == "pending"


def test_a_request_is_decided_once(cast, client_for, set_plan):
    request = services.request_rebaseline(cast.zhou_shangwu, milestone=set_plan.m12, new_due=date(2020, 5, 29), reason="x")
    services.approve_rebaseline(cast.sun_leader, request)
    entries = AuditEntry.objects.count()
    response = client_for("li_ducha").post(f"/work/rebaselines/{request.pk}/refuse", {"note": "不同意"}, follow=True)
    assert any("不能重复审批" in m for m in messages_of(response))
    with pytest.raises(Rejected, match="不能重复审批"):
        services.approve_rebaseline(cast.li_ducha, request)
    request.refresh_from_db()
    assert (request.status, request.decided_by, due(set_plan.m12)) == ("approved", cast.sun_leader, date(2020, 5, 29))
    assert AuditEntry.objects.count() == entries


def test_a_refusal_needs_a_note_and_moves_nothing(cast, client_for, set_plan):
    request = services.request_rebaseline(cast.zhou_shangwu, milestone=set_plan.m12, new_due=date(2020, 5, 29), reason="x")
    revision = Task.objects.get(pk=set_plan.t1.pk).revision
    with pytest.raises(Rejected, match="请填写理由"):
        services.refuse_rebaseline(cast.sun_leader, request, "  ")
    assert client_for("sun_leader").post(f"/work/rebaselines/{request.pk}/refuse", {"note": "理由不充分"}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_note) == ("refused", "理由不充分")
    m = Milestone.objects.get(pk=set_plan.m12.pk)
    assert (m.due, m.original_due) == (date(2020, 5, 1), None)
    assert Task.objects.get(pk=set_plan.t1.pk).revision == revision
    page = client_for("zhou_shangwu").get(f"/work/tasks/{set_plan.t1.pk}/").content.decode()
    assert "未批准" in page and "理由不充分" in page and "孙区长" in page
    # Refused, the unit may ask again.
    services.request_rebaseline(cast.zhou_shangwu, milestone=set_plan.m12, new_due=date(2020, 5, 15), reason="补充理由")


# Bad input: a Chinese message and nothing saved

@pytest.mark.parametrize("new_due, reason, message", [
    ("2020-05-29", "", "请填写调整原因"),
    ("2020-05-29", "   ", "请填写调整原因"),
    ("2020-02-29", "提前", "早于任务的开始日期 2020-03-01"),
    ("1999-12-31", "很早", "超出可查询的范围"),
    ("2101-01-01", "很晚", "超出可查询的范围"),
    ("2020-02-30", "x", "不是真实的日期"),
    ("明年", "x", "无法识别的新的完成时限"),
    ("2020-05-01", "x", "与现在的完成时限 2020-05-01 相同"),
])
def test_bad_requests_are_refused_in_chinese_and_save_nothing(cast, client_for, set_plan, new_due, reason, message):
    with pytest.raises(Rejected) as refused:
        services.request_rebaseline(cast.zhou_shangwu, milestone=set_plan.m12, new_due=new_due, reason=reason)
    assert any(message in m for m in refused.value.messages)
    response = ask(client_for("zhou_shangwu"), set_plan.m12, new_due, reason)
    assert response.status_code == 302 and any(message in m for m in messages_of(response))
    assert not Rebaseline.objects.exists() and due(set_plan.m12) == date(2020, 5, 1)
    assert not AuditEntry.objects.filter(action="申请调整计划").exists()


def test_a_date_before_the_milestones_own_start_is_refused(cast, set_plan):
    services.save_milestone(None, task=set_plan.t1, number="1.4", title="竣工验收", start=date(2020, 6, 1), due=date(2020, 6, 20),
                            order=3)
    m14 = Milestone.objects.get(number="1.4")
    with pytest.raises(Rejected, match="早于节点的开始日期 2020-06-01"):
        services.request_rebaseline(cast.zhou_shangwu, milestone=m14, new_due=date(2020, 5, 31), reason="提前")
    assert not Rebaseline.objects.exists()


def test_a_second_pending_request_for_the_same_milestone_is_refused(cast, set_plan):
    services.request_rebaseline(cast.zhou_shangwu, milestone=set_plan.m12, new_due=date(2020, 5, 29), reason="x")
    with pytest.raises(Rejected, match="已有一项待审批的调整计划申请"):
        services.request_rebaseline(cast.sun_jiedao, milestone=set_plan.m12, new_due=date(2020, 6, 5), reason="y")
    assert Rebaseline.objects.count() == 1


def test_before_the_plan_is_set_nobody_asks_and_the_office_changes_dates_directly(cast, client_for, plan):
    with pytest.raises(Rejected, match="计划尚未确定"):
        services.request_rebaseline(cast.zhou_shangwu, milestone=plan.m12, new_due=date(2020, 5, 29), reason="x")
    assert ask(client_for("zhou_shangwu"), plan.m12).status_code == 403
    assert ask(client_for("li_ducha"), plan.m12).status_code == 302
    m = Milestone.objects.get(pk=plan.m12.pk)
    assert (m.due, m.original_due) == (date(2020, 5, 29), None) and not Rebaseline.objects.exists()


# The task's deadline

def test_a_deadline_request_approved_moves_the_deadline_and_keeps_the_original(cast, client_for, set_plan):
    p = set_plan
    revision = Task.objects.get(pk=p.t1.pk).revision
    response = client_for("zhou_shangwu").post(f"/work/tasks/{p.t1.pk}/rebaseline", {"new_due": "2020-02-01", "reason": "提前"})
    assert any("早于任务的开始日期 2020-03-01" in m for m in messages_of(response)) and not Rebaseline.objects.exists()
    client_for("zhou_shangwu").post(f"/work/tasks/{p.t1.pk}/rebaseline", {"new_due": "2020-07-31", "reason": "开工推迟"})
    request = Rebaseline.objects.get()
    assert (request.task_id, request.milestone_id, request.old_due) == (p.t1.pk, None, date(2020, 6, 30))
    assert Task.objects.get(pk=p.t1.pk).deadline == date(2020, 6, 30)
    client_for("li_ducha").post(f"/work/rebaselines/{request.pk}/approve")
    task = Task.objects.get(pk=p.t1.pk)
    assert (task.deadline, task.original_deadline) == (date(2020, 7, 31), date(2020, 6, 30)) and task.revision != revision
    assert AuditEntry.objects.filter(action="调整任务完成时限", object_id=str(task.pk)).exists()
    page = client_for("zhou_shangwu").get(f"/work/tasks/{p.t1.pk}/").content.decode()
    assert "（原定 2020-06-30）" in page and "任务完成时限" in page and "开工推迟" in page


# The 配档表 import

def changed(rows, number, due):
    return [r[:9] + [due] + r[10:] if r[0] == number else r for r in rows]


def test_an_import_after_the_plan_is_set_makes_pending_requests_listed_in_its_summary(cast, client_for):
    import_schedule(xlsx(GOOD), filename="配档表.xlsx", actor=cast.li_ducha)
    moved = changed(changed(GOOD, "1.2", "2020-05-29"), "2", "2021-03-31")
    # Before the plan is set, an import sets the dates as given.
    before = import_schedule(xlsx(changed(GOOD, "2.1", "2020-04-10")), filename="配档表.xlsx", actor=cast.li_ducha)
    assert "待审批" not in before and Milestone.objects.get(number="2.1").due == date(2020, 4, 10)
    for task in Task.objects.all():
        services.set_plan(cast.li_ducha, task.campaign)
    response = client_for("li_ducha").post("/work/schedule/import/", {"file": _upload(xlsx(changed(moved, "2.1", "2020-04-10")))},
                                           follow=True)
    summary = " ".join(messages_of(response))
    assert "待审批的调整计划 2 项" in summary
    assert "1.2 签订合作协议 2020-05-01 → 2020-05-29" in summary and "2 合村并点安置区建设（任务完成时限） 2020-12-31 → 2021-03-31" in summary
    assert Milestone.objects.get(number="1.2").due == date(2020, 5, 1)
    assert Task.objects.get(number="2").deadline == date(2020, 12, 31)
    assert {(r.status, r.requested_by.username, r.unit) for r in Rebaseline.objects.all()} == {("pending", "li_ducha", None)}
    # The same file again lists the same requests and makes no new ones; the office's requests wait for a leader.
    again = import_schedule(xlsx(changed(moved, "2.1", "2020-04-10")), filename="配档表.xlsx", actor=cast.li_ducha)
    assert "待审批的调整计划 2 项" in again and Rebaseline.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.approve_rebaseline(cast.li_ducha, Rebaseline.objects.first())
    # Another new date for a milestone with a pending request is refused as a whole: nothing saved.
    with pytest.raises(Rejected, match="已有一项待审批的调整计划申请"):
        import_schedule(xlsx(changed(moved, "1.2", "2020-06-05")), filename="配档表.xlsx", actor=cast.li_ducha)
    assert Rebaseline.objects.count() == 2 and Milestone.objects.get(number="1.2").due == date(2020, 5, 1)


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("配档表.xlsx", data)


# The baseline: shown beside the plan, and lateness judged against it on request

@pytest.fixture
def moved_plan(cast, set_plan):
    """1.1 done on Wed 29 Apr (reported that day: no period missed by 12 May); 1.2 (due Fri 1 May) moved to Fri 29 May
    by an approved request."""
    p = set_plan
    services.submit_report(None, p.t1, percent=40, completions=[(p.m11, date(2020, 4, 29))], reported_on=date(2020, 4, 29))
    request = services.request_rebaseline(cast.zhou_shangwu, milestone=p.m12, new_due=date(2020, 5, 29), reason="外商行程推迟")
    services.approve_rebaseline(cast.sun_leader, request)
    return p


def day(value):
    return (value - date(1970, 1, 1)).days


def test_the_gantt_payload_carries_the_baseline_and_judges_against_it_on_request(cast, moved_plan):
    """By hand, Tue 12 May 2020: 1.2 is now due Fri 29 May → 推进中, task 1 green. Against the baseline it was due Fri
    1 May, moved by 五一 (1–5 May) to Wed 6 May; late by the working days 7, 8, 9 (调休 Saturday), 11 and 12 May = 5,
    not more than 10 → 滞后, task 1 yellow."""
    p, may_12 = moved_plan, date(2020, 5, 12)
    current = orjson.loads(gantt_rows(may_12, cast.wang_admin)[0])
    baseline = orjson.loads(gantt_rows(may_12, cast.wang_admin, against="baseline")[0])
    row = lambda data: next(m for m in data["milestones"] if m[0] == p.m12.pk)
    task = lambda data: next(t for t in data["tasks"] if t[0] == p.t1.pk)
    assert (current["against"], baseline["against"]) == ("current", "baseline")
    assert row(current)[3] == row(baseline)[3] == day(date(2020, 5, 29))  # the bar shows the current plan
    assert row(current)[7] == row(baseline)[7] == day(date(2020, 5, 1))  # and the baseline beside it
    assert current["statuses"][row(current)[5]] == rules.IN_PROGRESS and current["lights"][task(current)[7]] == rules.GREEN
    assert baseline["statuses"][row(baseline)[5]] == rules.OVERDUE and baseline["lights"][task(baseline)[7]] == rules.YELLOW
    judged = queries.board(may_12, against="baseline")
    m12 = next(m for m in judged.milestones if m["id"] == p.m12.pk)
    assert (m12["status"], m12["effective_due"], m12["working_days_late"]) == (rules.OVERDUE, date(2020, 5, 6), 5)
    assert m12["due"] == date(2020, 5, 29)


def test_the_board_page_and_the_api_judge_against_the_baseline_on_request(cast, client_for, moved_plan):
    client = client_for("sun_leader")
    plain = client.get("/work/?on=2020-05-12").content.decode()
    against = client.get("/work/?on=2020-05-12&against=baseline").content.decode()
    assert "签订合作协议" not in plain.split('id="overdue"')[-1].split("</table>")[0]
    assert 'id="against-baseline"' in against and "签订合作协议" in against.split('id="overdue"')[1].split("</table>")[0]
    gantt_page = client.get("/work/gantt/?on=2020-05-12&against=baseline").content.decode()
    assert '<option value="baseline" selected>' in gantt_page and "against=baseline" in gantt_page
    api = Client(HTTP_AUTHORIZATION=f"Bearer {org_services.create_api_token(cast.sun_leader, cast.sun_leader, '测试')[1]}")
    status = lambda q: {m["milestone_number"]: m for m in api.get(f"/api/v1/work/status?on=2020-05-12{q}").json()["milestones"]}
    assert status("")["1.2"]["status"] == "in_progress" and status("&against=baseline")["1.2"]["status"] == "overdue"
    assert status("&against=current")["1.2"]["status"] == "in_progress"
    assert api.get("/api/v1/work/rollup?on=2020-05-12&against=baseline").json()["by_unit"][0]["lights"]
    gantt = api.get("/api/v1/work/gantt?on=2020-05-12&against=baseline").json()
    assert gantt["against"] == "baseline"
    bad = api.get("/api/v1/work/status?on=2020-05-12&against=原计划")
    assert bad.status_code == 400 and "判定依据" in bad.json()["error"]


def test_work_status_against_baseline_keeps_every_key_and_the_default(moved_plan):
    def status(*extra):
        out = StringIO()
        call_command("work", "status", "--on", "2020-05-12", "--json", *extra, stdout=out)
        return {r["milestone_number"]: r for r in json.loads(out.getvalue())}

    current, default, baseline = status("--against", "current"), status(), status("--against", "baseline")
    assert current == default
    assert all(set(baseline[n]) == set(default[n]) for n in default)
    assert (default["1.2"]["status"], default["1.2"]["effective_due"]) == ("in_progress", "2020-05-29")
    assert (baseline["1.2"]["status"], baseline["1.2"]["effective_due"], baseline["1.2"]["working_days_late"],
            baseline["1.2"]["due"]) == ("overdue", "2020-05-06", 5, "2020-05-29")
    text = StringIO()
    call_command("work", "status", "--on", "2020-05-12", "--against", "baseline", stdout=text, stderr=StringIO())
    assert "签订合作协议（商务局）完成时限 2020-05-29：滞后（5 个工作日）" in text.getvalue()


# The API

def test_the_api_lists_asks_approves_and_refuses_per_role(cast, set_plan):
    def api(name):
        user = getattr(cast, name)
        return Client(HTTP_AUTHORIZATION=f"Bearer {org_services.create_api_token(user, user, '测试')[1]}")

    def post(client, url, body):
        return client.post(url, json.dumps(body), content_type="application/json")

    p = set_plan
    unit, leader, office = api("zhou_shangwu"), api("sun_leader"), api("li_ducha")
    assert post(api("zheng_caizheng"), "/api/v1/work/rebaselines",
                {"milestone": p.m12.pk, "new_due": "2020-05-29", "reason": "x"}).status_code == 403
    no_reason = post(unit, "/api/v1/work/rebaselines", {"milestone": p.m12.pk, "new_due": "2020-05-29"})
    assert no_reason.status_code == 400 and "请填写调整原因" in no_reason.json()["error"]
    made = post(unit, "/api/v1/work/rebaselines", {"milestone": p.m12.pk, "new_due": "2020-05-29", "reason": "外商行程推迟"})
    assert made.status_code == 201
    body = made.json()
    assert (body["status"], body["target"], body["old_due"], body["unit"], body["may_decide"]) == (
        "pending", "milestone", "2020-05-01", "370115D03", False)
    assert [r["id"] for r in leader.get("/api/v1/work/rebaselines?status=pending").json()] == [body["id"]]
    assert leader.get("/api/v1/work/rebaselines?status=pending").json()[0]["may_decide"] is True
    assert api("ma_lixia").get("/api/v1/work/rebaselines").json() == []
    assert api("zhao_fagai").get("/api/v1/work/rebaselines").status_code == 403
    assert post(unit, f"/api/v1/work/rebaselines/{body['id']}/approve", {}).status_code == 403
    assert post(api("ma_lixia"), f"/api/v1/work/rebaselines/{body['id']}/approve", {}).status_code == 403
    approved = post(office, f"/api/v1/work/rebaselines/{body['id']}/approve", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    twice = post(leader, f"/api/v1/work/rebaselines/{body['id']}/refuse", {"note": "不同意"})
    assert twice.status_code == 400 and "不能重复审批" in twice.json()["error"]
    deadline = post(unit, "/api/v1/work/rebaselines", {"task": p.t1.pk, "new_due": "2020-07-31", "reason": "开工推迟"}).json()
    refused = post(leader, f"/api/v1/work/rebaselines/{deadline['id']}/refuse", {"note": "按原计划推进"})
    assert refused.json()["status"] == "refused" and Task.objects.get(pk=p.t1.pk).deadline == date(2020, 6, 30)
    assert due(p.m12) == date(2020, 5, 29)
    spec = unit.get("/api/v1/openapi.json").json()
    assert {"/api/v1/work/rebaselines", "/api/v1/work/rebaselines/{request_id}/approve",
            "/api/v1/work/rebaselines/{request_id}/refuse"} <= set(spec["paths"])


# The migration: re-baselines made before the flow become approved requests

@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_earlier_rebaselines_into_approved_requests():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("work", "0004_campaign_report_due_day")], [("work", "0005_rebaseline_requests")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    region = old.get_model("orgs", "Region").objects.create(code="370115", name="济阳区", level="county")
    unit = old.get_model("orgs", "Unit").objects.create(code="370115D03", name="区商务局", kind="department", region=region)
    user = old.get_model("auth", "User").objects.create(username="li_ducha_old")
    campaign = old.get_model("work", "Campaign").objects.create(name="双招双引")
    task = old.get_model("work", "Task").objects.create(campaign=campaign, number="1", title="招商", lead_unit=unit,
                                                        start=date(2020, 3, 1), deadline=date(2020, 6, 30))
    milestone = old.get_model("work", "Milestone").objects.create(task=task, number="1.1", title="洽谈", due=date(2020, 5, 15),
                                                                  original_due=date(2020, 4, 30))
    OldRebaseline = old.get_model("work", "Rebaseline")
    OldRebaseline.objects.create(milestone=milestone, old_due=date(2020, 4, 30), new_due=date(2020, 5, 10), reason="一",
                                 approved_by="李督查", changed_by=user)
    OldRebaseline.objects.create(milestone=milestone, old_due=date(2020, 5, 10), new_due=date(2020, 5, 15), reason="二",
                                 approved_by="李督查", changed_by=user)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("work", "Rebaseline")
    rows = list(new.objects.order_by("id").values_list("status", "requested_by_id", "decided_by_id", "approved_by", "reason"))
    assert rows == [("approved", user.pk, user.pk, "李督查", "一"), ("approved", user.pk, user.pk, "李督查", "二")]
    assert all(r.decided_at == r.changed_at == r.requested_at for r in new.objects.all())
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
