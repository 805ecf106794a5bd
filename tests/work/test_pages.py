"""The key-work pages through the Django test client, for each role."""

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from luoshi.work import services
from luoshi.work.models import Milestone, ProgressReport, Rebaseline, Task
from tests.work.test_transfers import GOOD, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]

READERS = ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji"]


@pytest.fixture
def april_report(plan):
    """商务局 reported on task 1 in April, so it missed no monthly period by early May."""
    return services.submit_report(None, plan.t1, percent=30, done_text="洽谈推进中", reported_on=date(2020, 4, 10))


@pytest.mark.parametrize("username", READERS)
def test_district_roles_see_the_overview_with_campaign_lights_and_the_overdue_list(client_for, plan, april_report, username):
    response = client_for(username).get("/work/?on=2020-05-07")
    assert response.status_code == 200
    html = response.content.decode()
    assert "双招双引" in html and "合村并点" in html
    # 2.1 due Fri 3 Apr, judged 7 May: 7–10 Apr 4, 13–24 Apr 10, Sun 26 Apr 1, 27–30 Apr 4, 6–7 May 2 = 21.
    # 1.1 due Thu 30 Apr: 6 and 7 May = 2. 1.2 due Fri 1 May (effective Wed 6 May): 1. 1.3 is not due yet.
    overdue = [(m["number"], m["status"], m["working_days_late"]) for m in response.context["overdue"]]
    expected = [("2.1", "seriously_overdue", 21), ("1.1", "overdue", 2), ("1.2", "overdue", 1)]
    if username == "wang_admin":  # 历下区's task 3 is in every scope only for the administrator
        expected.insert(2, ("3.1", "seriously_overdue", 2))
    assert overdue == expected


def test_overview_counts_lights_per_campaign(client_for, plan, april_report):
    response = client_for("li_ducha").get("/work/?on=2020-05-07")
    campaigns = {c["name"]: c for c in response.context["campaigns"]}
    assert campaigns["双招双引"]["light"] == {"yellow": 1}
    assert campaigns["合村并点"]["light"] == {"red": 1}  # task 3 is 历下区's, outside the scope


def test_leader_of_another_district_sees_only_tasks_in_their_region(client_for, plan):
    response = client_for("ma_lixia").get("/work/?on=2020-05-07")
    assert [c["name"] for c in response.context["campaigns"]] == ["合村并点"]
    assert client_for("ma_lixia").get(f"/work/tasks/{plan.t1.pk}/").status_code == 403
    assert client_for("ma_lixia").get(f"/work/tasks/{plan.t3.pk}/").status_code == 200


def test_unit_silent_for_two_report_periods_turns_its_task_red(client_for, plan):
    response = client_for("li_ducha").get("/work/?on=2020-05-07")
    campaigns = {c["name"]: c for c in response.context["campaigns"]}
    assert campaigns["双招双引"]["light"] == {"red": 1}  # no report in March or April


def test_leader_sees_the_tasks_they_are_responsible_for(client_for, plan):
    response = client_for("sun_leader").get("/work/?on=2020-05-07")
    assert [t["number"] for t in response.context["mine"]] == ["1"]
    assert "我负责的任务" in response.content.decode()


def test_unit_index_goes_to_its_own_tasks_with_what_is_due_next(client_for, plan):
    client = client_for("zhou_shangwu")
    assert client.get("/work/").url == "/work/mine/"
    response = client.get("/work/mine/?on=2020-05-07")
    rows = response.context["tasks"]
    assert [t["number"] for t in rows] == ["1"]
    assert rows[0]["can_report"] and rows[0]["next_due"]["title"] == "完成项目洽谈"
    assert "报送进度" in response.content.decode()


def test_cooperating_unit_sees_the_task_without_a_report_button(client_for, plan):
    response = client_for("zheng_caizheng").get("/work/mine/?on=2020-05-07")
    rows = {t["number"]: t for t in response.context["tasks"]}
    assert rows["1"]["my_role"] == "配合单位" and not rows["1"]["can_report"]
    assert rows["2"]["can_report"]
    page = client_for("zheng_caizheng").get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert 'id="report-form"' not in page


@pytest.mark.parametrize("username", ["wu_cunju", "nobody"])
def test_reporters_and_users_without_a_role_cannot_open_key_work(client_for, plan, username):
    assert client_for(username).get("/work/").status_code == 403
    assert client_for(username).get("/work/gantt/").status_code == 403
    assert client_for(username).get(f"/work/tasks/{plan.t1.pk}/").status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, plan):
    assert client.get("/work/").url.startswith("/login/")


def test_unit_reports_through_the_form_and_the_milestone_becomes_done(client_for, plan, media):
    client = client_for("zhou_shangwu")
    response = client.post(f"/work/tasks/{plan.t1.pk}/report", {
        "percent": "50", "done_text": "完成洽谈", "problems": "外商来访受限", f"done_{plan.m11.pk}": "1",
        f"done_on_{plan.m11.pk}": "2020-04-29", "attachments": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 x")})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.percent, report.unit.code, report.submitted_by.username) == (50, "370115D03", "zhou_shangwu")
    assert Milestone.objects.get(pk=plan.m11.pk).done_on == date(2020, 4, 29)
    page = client.get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert "完成洽谈" in page and "纪要.pdf" in page
    attachment = report.attachments.get()
    assert client.get(f"/work/attachments/{attachment.pk}/").status_code == 200
    assert client_for("zheng_caizheng").get(f"/work/attachments/{attachment.pk}/").status_code == 200  # cooperating reads
    assert client_for("ma_lixia").get(f"/work/attachments/{attachment.pk}/").status_code == 403


def test_bad_report_form_shows_chinese_errors_and_saves_nothing(client_for, plan):
    response = client_for("zhou_shangwu").post(f"/work/tasks/{plan.t1.pk}/report", {
        "percent": "120", f"done_{plan.m11.pk}": "1", f"done_on_{plan.m11.pk}": "2020-06-01"})
    assert response.status_code == 400
    problems = response.context["report_problems"]
    assert "完成百分比 120 超出范围，应在 0 到 100 之间" in problems
    assert "节点「完成项目洽谈」的完成日期 2020-06-01 晚于今天，不能填报未来的日期" in problems
    assert not ProgressReport.objects.exists()


def test_unit_cannot_post_a_report_on_another_units_task(client_for, plan):
    response = client_for("zhou_shangwu").post(f"/work/tasks/{plan.t2.pk}/report", {"percent": "10"})
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_correction_through_the_form_keeps_the_earlier_version_visible(client_for, plan):
    first = services.submit_report(None, plan.t1, percent=30, done_text="第一次报送")
    client = client_for("zhou_shangwu")
    form = client.get(f"/work/tasks/{plan.t1.pk}/?corrects={first.pk}")
    assert form.context["corrects"] == first
    client.post(f"/work/tasks/{plan.t1.pk}/report", {"percent": "35", "done_text": "更正后的内容", "corrects": first.pk,
                                                     "correction_note": "百分比有误"})
    page = client.get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert "第一次报送" in page and "更正后的内容" in page and "已被更正，仅供查阅" in page


def test_supervision_asks_to_rebaseline_a_leader_approves_and_the_original_date_stays_visible(client_for, plan):
    client = client_for("li_ducha")
    client.post(f"/work/campaigns/{plan.zs.pk}/set-plan")
    client.post(f"/work/milestones/{plan.m11.pk}/rebaseline", {"new_due": "2020-05-15", "reason": "疫情影响"})
    assert Milestone.objects.get(pk=plan.m11.pk).due == date(2020, 4, 30)  # asked: nothing moves yet
    assert "待审批：调整为 2020-05-15" in client.get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    request = Rebaseline.objects.get()
    client_for("sun_leader").post(f"/work/rebaselines/{request.pk}/approve", {"note": "同意"})
    page = client.get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert "原定 2020-04-30" in page and "疫情影响" in page
    assert Milestone.objects.get(pk=plan.m11.pk).due == date(2020, 5, 15)


def test_unit_cannot_rebaseline_or_import(client_for, plan):
    client = client_for("zhou_shangwu")
    assert client.post(f"/work/milestones/{plan.m11.pk}/rebaseline", {"new_due": "2020-06-15", "reason": "x"}).status_code == 403
    assert client.get("/work/schedule/import/").status_code == 403
    assert Milestone.objects.get(pk=plan.m11.pk).due == date(2020, 4, 30)


def test_supervision_imports_the_schedule_through_the_page(client_for, cast):
    client = client_for("li_ducha")
    bad = client.post("/work/schedule/import/", {"file": SimpleUploadedFile("配档表.xlsx", xlsx([GOOD[0][:4] + ["区招商局"] + GOOD[0][5:]]))})
    assert bad.status_code == 400 and "未知的单位「区招商局」" in bad.content.decode()
    good = client.post("/work/schedule/import/", {"file": SimpleUploadedFile("配档表.xlsx", xlsx(GOOD))})
    assert good.status_code == 302 and Task.objects.count() == 2


def test_schedule_export_contains_only_visible_tasks(client_for, plan):
    response = client_for("ma_lixia").get("/work/schedule/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"历下区协作事项"}


def test_gantt_page_embeds_the_rows_as_json(client_for, plan, april_report):
    response = client_for("li_ducha").get("/work/gantt/?on=2020-05-07")
    html = response.content.decode()
    assert "vendor/echarts.min.js" in html
    payload = embedded_gantt(html)
    assert [t[2] for t in payload["tasks"]] == ["1", "2"]
    assert payload["lights"][payload["tasks"][1][7]] == "red"


def embedded_gantt(html):
    start = html.index('<script id="gantt-data" type="application/json">') + len('<script id="gantt-data" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_gantt_page_escapes_a_title_that_would_end_the_script(client_for, plan):
    plan.t1.title = "</script><script>alert(1)</script>&"
    plan.t1.save()
    html = client_for("li_ducha").get("/work/gantt/?on=2020-05-07").content.decode()
    assert "<script>alert(1)" not in html
    assert "</script><script>alert(1)</script>&" in [t[3] for t in embedded_gantt(html)["tasks"]]


def test_gantt_data_and_xlsx_follow_the_filters(client_for, plan, april_report):
    client = client_for("li_ducha")
    data = client.get(f"/work/gantt/data?on=2020-05-07&light=red").json()
    assert [t[2] for t in data["tasks"]] == ["2"] and len(data["milestones"]) == 1
    data = client.get(f"/work/gantt/data?on=2020-05-07&unit={plan.t1.lead_unit_id}").json()
    assert [t[2] for t in data["tasks"]] == ["1"]
    response = client.get(f"/work/gantt/export.xlsx?on=2020-05-07&campaign={plan.zs.pk}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["1", "1.1", "1.2", "1.3"]
    assert rows[2][10] == "滞后" and rows[2][11] == 1 and rows[0][12] == "黄灯"


def test_key_work_pages_no_longer_warn_everyone_of_a_year_without_its_holidays(client_for, plan):
    # An administrator is told once, on the home page (tests/holidays/test_warning.py); the office's pages say nothing.
    services.save_milestone(None, task=plan.t1, number="1.9", title="明年的节点", due=date(2027, 3, 1))
    for url in ("/work/?on=2020-05-07", "/work/gantt/?on=2020-05-07"):
        html = client_for("li_ducha").get(url).content.decode()
        assert "节假日日历" not in html and "放假安排尚未录入" not in html and 'id="calendar-fallback"' not in html


def test_supervision_sets_a_campaigns_report_cycle_and_a_unit_cannot(client_for, plan):
    from luoshi.work.models import Campaign

    assert client_for("zhou_shangwu").post(f"/work/campaigns/{plan.zs.pk}/cycle", {"report_cycle": "weekly"}).status_code == 403
    client_for("li_ducha").post(f"/work/campaigns/{plan.zs.pk}/cycle", {"report_cycle": "weekly"})
    assert Campaign.objects.get(pk=plan.zs.pk).report_cycle == "weekly"
    response = client_for("li_ducha").post(f"/work/campaigns/{plan.zs.pk}/cycle", {"report_cycle": "daily"}, follow=True)
    assert "未知的报送周期" in response.content.decode()
    assert Campaign.objects.get(pk=plan.zs.pk).report_cycle == "weekly"


def test_a_silent_tasks_milestones_not_yet_due_are_not_in_the_overdue_list(client_for, plan):
    # Issue #12. Judged Thu 7 May 2020 with no report at all: task 1 (monthly, started 1 Mar) missed March and April,
    # task 2 (started 1 Feb) February, March and April. 1.1 (due Thu 30 Apr, 2 working days late: 6, 7 May) and 1.2
    # (due Fri 1 May → Wed 6 May, 1 day late) are past due in a silent task → 严重滞后. 1.3 (due Tue 30 Jun) is not due:
    # 推进中, not "严重滞后, 滞后工作日 0" as the old rule said. 2.1 (due Fri 3 Apr) is 21 working days late.
    response = client_for("li_ducha").get("/work/?on=2020-05-07")
    overdue = [(m["number"], m["status"], m["working_days_late"]) for m in response.context["overdue"]]
    assert overdue == [("2.1", "seriously_overdue", 21), ("1.1", "seriously_overdue", 2), ("1.2", "seriously_overdue", 1)]
    # The silence is the task's own flag, in its own list on the overview.
    html = response.content.decode()
    assert 'id="silent-tasks"' in html
    silent = [(t["number"], t["missed_periods"], t["light"]) for t in response.context["silent"]]
    assert silent == [("2", 3, "red"), ("1", 2, "red")]
    assert '<span class="missed serious">缺报 2 期</span>' in html and '<span class="missed serious">缺报 3 期</span>' in html


def test_a_task_silent_for_two_periods_is_red_with_its_flag_though_no_milestone_is_due(client_for, plan, cast):
    # Task 5 (双招双引 monthly, lead 商务局) started Sat 1 Feb 2020, one milestone due Thu 31 Dec, no report. Judged Thu 7
    # May it missed February, March and April: red by its own flag "缺报 3 期", its milestone 推进中 with 0 days late.
    task, _ = services.save_task(None, campaign=plan.zs, number="5", title="外资招引专班", lead_unit=cast.units.shangwu,
                                 start=date(2020, 2, 1), deadline=date(2020, 12, 31))
    services.save_milestone(None, task=task, number="5.1", title="年度目标完成", due=date(2020, 12, 31))
    client = client_for("zhou_shangwu")
    page = client.get(f"/work/tasks/{task.pk}/?on=2020-05-07")
    assert page.context["judged"]["light"] == "red"
    assert [m["status"] for m in page.context["judged"]["milestones"]] == ["in_progress"]
    assert '<span class="missed serious" id="task-missed">缺报 3 期</span>' in page.content.decode()
    mine = client.get("/work/mine/?on=2020-05-07").content.decode()
    assert '<span class="missed serious">缺报 3 期</span>' in mine
    # One report on Thu 30 Apr: no period missed any more, green.
    services.submit_report(None, task, percent=10, reported_on=date(2020, 4, 30))
    page = client.get(f"/work/tasks/{task.pk}/?on=2020-05-07")
    assert page.context["judged"]["light"] == "green" and 'id="task-missed"' not in page.content.decode()


def test_the_leaders_list_shows_the_flag_beside_the_light(client_for, plan):
    # Task 1 (孙区长 leads it) judged 7 May 2020 without reports: March and April missed.
    html = client_for("sun_leader").get("/work/?on=2020-05-07").content.decode()
    my_list = html[html.index('id="my-led-tasks"'):html.index("</table>", html.index('id="my-led-tasks"'))]
    assert '<span class="missed serious">缺报 2 期</span>' in my_list
