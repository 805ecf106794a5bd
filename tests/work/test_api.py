"""The key-work JSON API with personal tokens, for each role."""

import json
from datetime import date

import pytest
from django.test import Client

from luoshi.orgs import services as org_services
from luoshi.work.models import Milestone, ProgressReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]


@pytest.fixture
def api(cast):
    def make(username):
        user = getattr(cast, username)
        _, raw = org_services.create_api_token(user, user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_plan_lists_visible_tasks_with_units_and_milestones(api, plan):
    data = api("li_ducha").get("/api/v1/work/plan").json()
    assert [t["number"] for t in data] == ["1", "2"]
    first = data[0]
    assert first["lead_unit"] == "370115D03" and first["responsible_units"] == ["370115001"]
    assert first["cooperating_units"] == ["370115D04"] and first["indicator_codes"] == ["sjlywz"]
    assert [m["number"] for m in first["milestones"]] == ["1.1", "1.2", "1.3"]
    assert first["milestones"][1]["follows"] == plan.m11.pk


def test_unit_sees_only_tasks_it_takes_part_in(api, plan):
    assert [t["number"] for t in api("zhou_shangwu").get("/api/v1/work/plan").json()] == ["1"]
    assert [t["number"] for t in api("ma_lixia").get("/api/v1/work/plan").json()] == ["3"]
    assert api("wang_admin").get("/api/v1/work/plan").json().__len__() == 3


def test_status_as_of_a_date_has_the_cli_keys(api, plan):
    data = api("li_ducha").get("/api/v1/work/status?on=2020-05-07").json()
    rows = {r["milestone_number"]: r for r in data["milestones"]}
    assert rows["1.2"]["effective_due"] == "2020-05-06" and rows["1.2"]["working_days_late"] == 1
    assert rows["2.1"]["status"] == "seriously_overdue" and rows["2.1"]["task_light"] == "red"
    assert data["on"] == "2020-05-07" and data["fallback_years"] == []


def test_rollup_counts_by_campaign_and_unit(api, plan):
    data = api("li_ducha").get("/api/v1/work/rollup?on=2020-05-07").json()
    assert {c["name"]: c["lights"] for c in data["by_campaign"]} == {"双招双引": {"red": 1}, "合村并点": {"red": 1}}
    assert {u["name"] for u in data["by_unit"]} == {"商务局", "财政局"}


def test_gantt_rows_follow_filters(api, plan):
    client = api("li_ducha")
    data = client.get(f"/api/v1/work/gantt?on=2020-05-07&campaign={plan.hc.pk}").json()
    assert [t[2] for t in data["tasks"]] == ["2"] and data["milestones"][0][2] == "完成选址"
    assert data["as_of"] == (date(2020, 5, 7) - date(1970, 1, 1)).days


def test_unit_posts_a_report_and_a_correction_over_the_api(api, plan):
    client = api("zhou_shangwu")
    response = post(client, f"/api/v1/work/tasks/{plan.t1.pk}/reports",
                    {"percent": 60, "done_text": "签约两个项目", "completions": [{"milestone": plan.m11.pk, "done_on": "2020-04-29"}]})
    assert response.status_code == 201, response.content
    first = response.json()
    assert first["version"] == 1 and first["unit"] == "370115D03"
    response = post(client, f"/api/v1/work/tasks/{plan.t1.pk}/reports",
                    {"percent": 65, "corrects": first["id"], "correction_note": "补充"})
    assert response.status_code == 201 and response.json()["version"] == 2
    detail = client.get(f"/api/v1/work/tasks/{plan.t1.pk}").json()
    assert [(r["version"], r["is_current"]) for r in detail["reports"]] == [(1, False), (2, True)]
    # A correction replaces the version it corrects, completions included: this one withdrew 1.1.
    assert Milestone.objects.get(pk=plan.m11.pk).done_on is None


def test_bad_report_over_the_api_is_400_with_chinese_problems(api, plan):
    response = post(api("zhou_shangwu"), f"/api/v1/work/tasks/{plan.t1.pk}/reports",
                    {"percent": 101, "completions": [{"milestone": plan.m11.pk, "done_on": "2020-05-20"}]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "完成百分比 101 超出范围" in error and "晚于今天" in error
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("username,status", [("zheng_caizheng", 403), ("li_ducha", 403), ("sun_leader", 403),
                                             ("ma_lixia", 403), ("wu_cunju", 403)])
def test_only_lead_or_responsible_units_may_post_reports(api, plan, username, status):
    response = post(api(username), f"/api/v1/work/tasks/{plan.t1.pk}/reports", {"percent": 10})
    assert response.status_code == status and "error" in response.json()
    assert not ProgressReport.objects.exists()


def test_reading_another_districts_task_is_403_and_a_missing_task_404(api, plan):
    assert api("ma_lixia").get(f"/api/v1/work/tasks/{plan.t1.pk}").status_code == 403
    assert api("li_ducha").get("/api/v1/work/tasks/999999").status_code == 404


def test_reporter_cannot_read_key_work_and_anonymous_gets_401(api, plan):
    assert api("wu_cunju").get("/api/v1/work/plan").status_code == 403
    assert Client().get("/api/v1/work/plan").status_code == 401
