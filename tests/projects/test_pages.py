"""Each role on each page of 重点项目 (as of 1-3月 2020, tests/projects/conftest.py)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.projects.models import MonthlyReport
from tests.projects.tables import project, workbook

TABLE = "/projects/table/?region=370115&period=2020-03"
PAGES = ["index", "table", "mine", "p1", "p2", "export", "import", "thresholds"]
OFFICE = {"index": 302, "table": 200, "mine": 200, "p1": 200, "p2": 200, "export": 200, "import": 403,
          "thresholds": 403}
EXPECTED = {
    "wang_admin": {**OFFICE, "import": 200, "thresholds": 200},
    "zhao_fagai": {**OFFICE, "import": 200, "thresholds": 200},
    "sun_leader": OFFICE, "li_ducha": OFFICE, "qian_tongji": OFFICE,
    "zhou_shangwu": {"index": 302, "table": 403, "mine": 200, "p1": 200, "p2": 404, "export": 403, "import": 403,
                     "thresholds": 403},
    "sun_jiedao": {"index": 302, "table": 403, "mine": 200, "p1": 200, "p2": 404, "export": 403, "import": 403,
                   "thresholds": 403},
    "wu_cunju": {"index": 403, "table": 403, "mine": 403, "p1": 404, "p2": 404, "export": 403, "import": 403,
                 "thresholds": 403},
    "ma_lixia": {"index": 302, "table": 403, "mine": 200, "p1": 404, "p2": 404, "export": 403, "import": 403,
                 "thresholds": 403},
    "nobody": {"index": 403, "table": 403, "mine": 403, "p1": 404, "p2": 404, "export": 403, "import": 403,
               "thresholds": 403},
}


def url(page, pool):
    return {"index": "/projects/", "table": TABLE, "mine": "/projects/mine/?period=2020-03",
            "p1": f"/projects/p/{pool.p1.pk}/?period=2020-03", "p2": f"/projects/p/{pool.p2.pk}/?period=2020-03",
            "export": "/projects/export?region=370115&period=2020-03", "import": "/projects/import/",
            "thresholds": "/projects/thresholds/?region=370115"}[page]


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_role_opens_only_its_pages(client_for, pool, frozen, username):
    client = client_for(username)
    got = {page: client.get(url(page, pool)).status_code for page in PAGES}
    assert got == EXPECTED[username]


def test_the_office_sees_the_table_the_rates_and_who_has_not_reported(client_for, pool, frozen):
    body = client_for("zhao_fagai").get(TABLE).content.decode()
    assert "投资完成率（序时进度 25.0%）" in body and "15.5%" in body
    assert "<strong>济阳街道</strong>：济阳街道社区服务中心" in body
    assert 'id="red-list"' in body and "计划2019年12月开工，尚未开工" in body
    assert "年产10万吨新材料项目" in body and "未入库" in body
    assert 'id="chart-data"' in body and "导入调度表" in body


def test_a_leader_sees_the_projects_he_sponsors(client_for, pool, frozen):
    body = client_for("sun_leader").get(TABLE).content.decode()
    assert 'id="my-projects"' in body and "我包保的项目（1个）" in body
    assert "导入调度表" not in body


def test_a_unit_sees_its_own_projects_and_what_it_still_has_to_report(client_for, pool, frozen):
    body = client_for("sun_jiedao").get("/projects/mine/?period=2020-03").content.decode()
    assert "济阳街道社区服务中心" in body and "年产10万吨新材料项目" in body  # its own, and one in its town
    assert "本月还有 1 个项目未报送：济阳街道社区服务中心" in body
    assert "智能装备产业园" not in body


def test_a_unit_reports_its_month_with_a_photo_on_the_form(client_for, pool, frozen):
    client = client_for("sun_jiedao")
    response = client.post(f"/projects/p/{pool.p3.pk}/report", {
        "period": "2020-03", "amount": "120.5", "progress": "完成地基处理", "problems": "用地手续待批",
        "photos": [SimpleUploadedFile("地基.jpg", b"\xff\xd8\xff photo")]})
    assert response.status_code == 302
    report = MonthlyReport.objects.get(project=pool.p3)
    assert (str(report.amount), report.progress, report.photos.get().name) == ("120.50", "完成地基处理", "地基.jpg")
    body = client.get(f"/projects/p/{pool.p3.pk}/?period=2020-03").content.decode()
    assert "完成地基处理" in body and "地基.jpg" in body
    photo = report.photos.get()
    assert client.get(f"/projects/photos/{photo.pk}/").status_code == 200
    assert client_for("zheng_caizheng").get(f"/projects/photos/{photo.pk}/").status_code == 404


def test_a_bad_report_is_refused_in_chinese_and_keeps_what_was_typed(client_for, pool, frozen):
    response = client_for("sun_jiedao").post(f"/projects/p/{pool.p3.pk}/report",
                                             {"period": "2020-03", "amount": "-3", "progress": "已平整场地"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "本月完成投资：金额不能为负数（-3）" in body and "已平整场地" in body
    assert not MonthlyReport.objects.filter(project=pool.p3).exists()


def test_a_correction_on_the_page_is_a_new_version(client_for, pool, frozen):
    client = client_for("zhou_shangwu")
    current = MonthlyReport.objects.get(project=pool.p1, period=date(2020, 3, 1))
    page = client.get(f"/projects/p/{pool.p1.pk}/?period=2020-03&corrects={current.pk}").content.decode()
    assert "更正2020年3月调度" in page
    response = client.post(f"/projects/p/{pool.p1.pk}/report", {"period": "2020-03", "amount": "3100",
                                                               "corrects": current.pk, "correction_note": "补报"})
    assert response.status_code == 302
    assert MonthlyReport.objects.filter(project=pool.p1, period=date(2020, 3, 1)).count() == 2
    body = client.get(f"/projects/p/{pool.p1.pk}/?period=2020-03").content.decode()
    assert 'class="report superseded"' in body


def test_the_office_imports_the_table_on_the_page(client_for, cast, frozen):
    data = workbook([(None, [project("新材料产业园", unit="区工业和信息化局", plan=500, done=100)])])
    client = client_for("zhao_fagai")
    response = client.post("/projects/import/", {"region": "370115", "period": "2020-03",
                                                 "file": SimpleUploadedFile("调度表.xlsx", data)})
    assert response.status_code == 400  # 济阳区 of the cast has no 工信局
    assert "单位「区工业和信息化局」不存在" in response.content.decode()
    data = workbook([(None, [project("新材料产业园", unit="区商务局", plan=500, done=100)])])
    response = client.post("/projects/import/", {"region": "370115", "period": "2020-03",
                                                 "file": SimpleUploadedFile("调度表.xlsx", data)})
    assert response.status_code == 302


def test_the_export_downloads_the_offices_layout(client_for, pool, frozen):
    response = client_for("sun_leader").get("/projects/export?region=370115&period=2020-03")
    assert response["Content-Disposition"].endswith(".xlsx")
    assert client_for("sun_leader").get("/projects/export?region=370115&period=2020-03&format=csv").status_code == 200


def test_the_office_sets_its_thresholds(client_for, pool, frozen):
    client = client_for("zhao_fagai")
    assert client.post("/projects/thresholds/", {"region": "370115", "yellow_gap": "30", "red_gap": "20",
                                                 "start_yellow_months": "0", "start_red_months": "3",
                                                 "statistics_yellow_months": "1",
                                                 "statistics_red_months": "2"}).status_code == 400
    assert client.post("/projects/thresholds/", {"region": "370115", "yellow_gap": "5", "red_gap": "10",
                                                 "start_yellow_months": "0", "start_red_months": "3",
                                                 "statistics_yellow_months": "1",
                                                 "statistics_red_months": "2"}).status_code == 302
    assert "超过10个百分点为红灯" in client.get(TABLE).content.decode()


def test_a_bad_period_falls_back_to_this_month_with_a_message(client_for, pool, frozen):
    body = client_for("zhao_fagai").get("/projects/table/?region=370115&period=2020-13").content.decode()
    assert "已按本月显示" in body and "2020年1-4月" in body
