"""The 重点项目 API: status (the CLI contract and more), a project with its versions, reports, import, projects."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.orgs import services as org_services
from luoshi.projects.models import MonthlyReport, Project
from tests.projects.tables import project, workbook


def api(cast, username):
    user = getattr(cast, username)
    _, raw = org_services.create_api_token(user, user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_status_gives_the_contract_and_the_rows_groups_and_missing_units(cast, pool, frozen):
    data = api(cast, "sun_leader").get("/api/v1/projects/status?region=370115&period=2020-03").json()
    assert data["period"] == "2020-03" and data["pace"] == 25.0 and data["summary"]["start_rate"] == 50.0
    assert [p["light"] for p in data["projects"]] == ["yellow", "yellow", "red"]
    assert data["missing"] == [{"unit": "济阳街道", "unit_code": "370115001", "projects": ["济阳街道社区服务中心"]}]
    assert data["thresholds"]["red_gap"] == 30.0
    assert api(cast, "zhou_shangwu").get("/api/v1/projects/status?region=370115&period=2020-03").status_code == 403
    assert api(cast, "ma_lixia").get("/api/v1/projects/status?region=370115&period=2020-03").status_code == 403
    bad = api(cast, "sun_leader").get("/api/v1/projects/status?region=370115&period=2020-13")
    assert bad.status_code == 400 and "调度月份" in bad.json()["error"]


def test_a_unit_reads_its_projects_and_reports_its_month(cast, pool, frozen):
    client = api(cast, "zhou_shangwu")
    assert [p["name"] for p in client.get("/api/v1/projects/mine?period=2020-03").json()["projects"]] == ["年产10万吨新材料项目"]
    response = post(client, f"/api/v1/projects/projects/{pool.p1.pk}/reports", {"period": "2020-04", "amount": "800.5",
                                                                               "progress": "设备安装"})
    assert response.status_code == 201 and response.json()["amount"] == 800.5
    current = response.json()["id"]
    again = post(client, f"/api/v1/projects/projects/{pool.p1.pk}/reports", {"period": "2020-04", "amount": 900})
    assert again.status_code == 400 and "已报送" in again.json()["error"]
    fixed = post(client, f"/api/v1/projects/projects/{pool.p1.pk}/reports",
                 {"period": "2020-04", "amount": 900, "corrects": current, "correction_note": "补录"})
    assert fixed.status_code == 201 and fixed.json()["version"] == 2
    detail = client.get(f"/api/v1/projects/projects/{pool.p1.pk}").json()
    assert [(r["period"], r["version"], r["is_current"]) for r in detail["reports"][:2]] == \
        [("2020-04", 2, True), ("2020-04", 1, False)]
    assert detail["funding"] == {"自有资金": 30000.0, "银行贷款": 20000.0}
    assert post(client, f"/api/v1/projects/projects/{pool.p2.pk}/reports", {"period": "2020-04", "amount": 1}).status_code == 404
    assert post(client, f"/api/v1/projects/projects/{pool.p1.pk}/reports", {"period": "2020-04", "amount": "NaN"}).status_code == 400


def test_the_office_saves_a_project_and_imports_the_table(cast, pool, frozen):
    client = api(cast, "zhao_fagai")
    body = {"region": "370115", "name": "城区供热管网改造", "kind": "新建", "unit": "370115D04", "total_investment": 12000,
            "year_plans": {"2020": 6000}, "funding": {"专项债券": 8000, "上级资金": 4000}, "planned_start": "2020-05"}
    response = post(client, "/api/v1/projects/projects", body)
    assert response.status_code == 200 and response.json()["outcome"] == "created"
    assert post(client, "/api/v1/projects/projects", body).json()["outcome"] == "unchanged"
    wrong = post(client, "/api/v1/projects/projects", {**body, "funding": {"专项债券": 1}})
    assert wrong.status_code == 400 and "资金构成合计" in wrong.json()["error"]
    assert post(api(cast, "sun_leader"), "/api/v1/projects/projects", body).status_code == 403
    data = workbook([(None, [project("API导入项目", unit="财政局", plan=500, done=100)])])
    result = client.post("/api/v1/projects/import", {"region": "370115", "period": "2020-03",
                                                     "file": SimpleUploadedFile("t.xlsx", data)})
    assert result.status_code == 200 and result.json()["created"] == 1
    assert Project.objects.filter(name="API导入项目").exists()
    refused = client.post("/api/v1/projects/import", {"region": "370115", "period": "2020-03",
                                                      "file": SimpleUploadedFile("t.xlsx", workbook(
                                                          [(None, [project("坏行", unit="不存在局")])]))})
    assert refused.status_code == 400 and refused.json()["problems"][0]["row"] == 5
    assert refused.json()["problems"][0]["column"] == "责任单位"


def test_the_export_downloads_through_the_api(cast, pool, frozen):
    response = api(cast, "qian_tongji").get("/api/v1/projects/export?region=370115&period=2020-03&format=csv")
    assert response.status_code == 200 and "年产10万吨新材料项目" in response.content.decode("utf-8-sig")
    assert MonthlyReport.objects.count() == 5
