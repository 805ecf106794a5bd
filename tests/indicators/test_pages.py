"""Pages per role: the table, the matrix, the indicator page, imports, templates, exports, the catalog."""

import io

import pytest
from openpyxl import load_workbook

from luoshi.indicators.models import Figure, Indicator, Target
from tests.indicators.conftest import write
from tests.indicators.test_table import scene  # noqa: F401  (fixture)

READERS = ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "sun_jiedao"]
NON_READERS = ["wu_cunju", "chen_cunju", "nobody"]
WRITERS = ["wang_admin", "zhao_fagai", "qian_tongji"]
NON_WRITERS = ["sun_leader", "li_ducha", "zhou_shangwu", "sun_jiedao", "wu_cunju", "ma_lixia", "nobody"]


@pytest.mark.parametrize("username", READERS)
def test_everyone_in_scope_reads_the_jiyang_table(client_for, scene, username):
    response = client_for(username).get("/indicators/?region=370115&period=2020-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert "济阳区 2020年1-3月 主要经济指标" in html and 'data-indicator="retail"' in html
    assert 'data-light="red"' in html and 'id="weaknesses"' in html


@pytest.mark.parametrize("username", NON_READERS + ["ma_lixia"])
def test_outside_scope_cannot_read_the_jiyang_table(client_for, scene, username):
    assert client_for(username).get("/indicators/?region=370115&period=2020-03").status_code == 403


def test_peer_leader_reads_own_district_by_default(client_for, scene):
    response = client_for("ma_lixia").get("/indicators/?period=2020-03")
    assert response.status_code == 200 and "历下区 2020年1-3月" in response.content.decode()


def test_table_defaults_to_own_district_and_latest_period(client_for, scene):
    html = client_for("qian_tongji").get("/indicators/").content.decode()
    assert "济阳区 2020年1-3月" in html


def test_table_shows_weakness_and_revision_tag(client_for, scene, catalog):
    from decimal import Decimal
    from datetime import date

    from luoshi.indicators import services

    services.save_figures(None, [{"region_id": scene["370115"].pk, "indicator_id": catalog["retail"].pk,
                                  "period": date(2020, 3, 1), "value": Decimal("33"), "growth": None}])
    html = client_for("sun_leader").get("/indicators/?region=370115&period=2020-03").content.decode()
    assert "第2版" in html
    weaknesses = html.split('id="weaknesses"')[1].split("</div>")[0]
    assert "规模以上工业增加值" in weaknesses and "社会消费品零售总额" not in weaknesses


def test_unknown_region_is_404_and_bad_period_falls_back_with_message(client_for, scene):
    client = client_for("wang_admin")
    assert client.get("/indicators/?region=999999").status_code == 404
    response = client.get("/indicators/?region=370115&period=明年")
    assert response.status_code == 200 and "无法识别的期间" in response.content.decode()


@pytest.mark.parametrize("username", READERS + ["ma_lixia"])
def test_city_matrix_readable_by_anyone_reading_a_county_of_the_city(client_for, scene, username):
    response = client_for(username).get("/indicators/matrix/?city=370100&period=2020-03&sort=retail")
    assert response.status_code == 200
    html = response.content.decode()
    order = [html.index(f'data-region="{c}"') for c in ("370103", "370102", "370115", "370104")]
    assert order[0] < order[1] < order[3] and order[0] < order[2] < order[3]


@pytest.mark.parametrize("username", NON_READERS)
def test_matrix_refused_outside_scope(client_for, scene, username):
    assert client_for(username).get("/indicators/matrix/?city=370100&period=2020-03").status_code == 403


def test_table_and_matrix_export_to_xlsx(client_for, scene):
    client = client_for("zhao_fagai")
    response = client.get("/indicators/table/export.xlsx?region=370115&period=2020-03")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:11] == ["指标", "单位", "累计值", "同比增长%", "全市位次", "位次变化", "年度目标", "完成进度%",
                                                "序时进度%", "差(百分点)", "状态"]
    retail = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "社会消费品零售总额")
    assert retail[2:11] == (31.7, 3.5, "2/6", 3, "100亿元，增长6%", 31.7, 25, 6.7, "绿灯")
    response = client.get("/indicators/matrix/export.xlsx?city=370100&period=2020-03")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "地区" and sheet.max_row == 7
    assert client_for("nobody").get("/indicators/table/export.xlsx?region=370115&period=2020-03").status_code == 403


@pytest.mark.parametrize("username", READERS)
def test_indicator_page_has_chart_data_and_history(client_for, scene, username):
    response = client_for(username).get("/indicators/i/retail/?region=370115&period=2020-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-data"' in html and 'id="chart-actual"' in html and 'id="history"' in html
    chart = response.context["chart"]
    assert chart["actual"][1:3] == [12.85, 31.7] and chart["ranks"][1:3] == [5, 2]
    assert chart["target"][2] == 25 and chart["bars"][0]["name"] == "市中区"


def test_indicator_page_refused_outside_scope_and_404_for_unknown_code(client_for, scene):
    assert client_for("ma_lixia").get("/indicators/i/retail/?region=370115").status_code == 403
    assert client_for("wu_cunju").get("/indicators/i/retail/?region=370115").status_code == 403
    assert client_for("sun_leader").get("/indicators/i/steel/?region=370115").status_code == 404


@pytest.mark.parametrize("username", WRITERS)
def test_statistics_and_analysis_offices_import_through_the_page(client_for, city, tmp_path, username):
    client = client_for(username)
    assert client.get("/indicators/import/").status_code == 200
    path = write(tmp_path / "f.csv", [["地区代码", "指标代码", "期间", "累计值", "同比增长(%)"], ["370115", "retail", "2020-06", "40", "1"]])
    with open(path, "rb") as f:
        response = client.post("/indicators/import/", {"kind": "indicators", "file": f})
    assert response.status_code == 302 and Figure.objects.count() == 1
    path = write(tmp_path / "t.csv", [["地区代码", "指标代码", "年度", "目标值", "目标增速(%)", "单位"], ["370115", "retail", 2020, 80, 5, "亿元"]])
    with open(path, "rb") as f:
        assert client.post("/indicators/import/", {"kind": "targets", "file": f}).status_code == 302
    assert Target.objects.count() == 1


def test_rejected_import_page_lists_problems_and_saves_nothing(client_for, city, tmp_path):
    path = write(tmp_path / "f.csv", [["地区代码", "指标代码", "期间", "累计值"], ["370115", "retail", "2020-13", "40"]])
    with open(path, "rb") as f:
        response = client_for("qian_tongji").post("/indicators/import/", {"kind": "indicators", "file": f})
    assert response.status_code == 400
    assert "第2行「期间」列：期间「2020-13」中的月份不正确" in response.content.decode()
    assert not Figure.objects.exists()


@pytest.mark.parametrize("username", NON_WRITERS)
def test_others_cannot_import(client_for, city, tmp_path, username):
    client = client_for(username)
    assert client.get("/indicators/import/").status_code == 403
    path = write(tmp_path / "f.csv", [["地区代码", "指标代码", "期间", "累计值"], ["370115", "retail", "2020-06", "40"]])
    with open(path, "rb") as f:
        assert client.post("/indicators/import/", {"kind": "indicators", "file": f}).status_code == 403
    assert not Figure.objects.exists()


@pytest.mark.parametrize("kind", ["long", "bulletin", "targets"])
def test_templates_download_and_import_back(client_for, city, kind):
    response = client_for("sun_leader").get(f"/indicators/templates/{kind}.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.active.max_row >= 2
    if kind == "bulletin":
        assert "B1:C1" in {str(r) for r in book.active.merged_cells.ranges}


def test_long_and_target_templates_are_valid_imports(city, client_for):
    from luoshi.indicators.exports import LongTemplate, TargetTemplate
    from luoshi.indicators.transfers import import_indicators, import_targets

    import_indicators(LongTemplate().render()[2], filename="long.xlsx")
    import_targets(TargetTemplate().render()[2], filename="targets.xlsx")
    assert Figure.objects.count() == 3 and Target.objects.count() == 3


def test_catalog_readable_and_only_administrators_add_indicators(client_for, catalog, cast):
    assert "地区生产总值" in client_for("zhou_shangwu").get("/indicators/catalog/").content.decode()
    form = {"code": "power_use", "name": "全社会用电量", "unit": "万千瓦时", "frequency": "monthly", "kind": "total", "jan_with_feb": "1"}
    assert client_for("qian_tongji").post("/indicators/catalog/", form).status_code == 403
    assert client_for("wang_admin").post("/indicators/catalog/", form).status_code == 302
    assert Indicator.objects.get(code="power_use").name == "全社会用电量"
    response = client_for("wang_admin").post("/indicators/catalog/", {**form, "code": "Bad Code"})
    assert response.status_code == 400 and "指标代码应为小写字母开头" in response.content.decode()


def test_navigation_shows_the_section_as_live(client_for, cast):
    html = client_for("sun_leader").get("/").content.decode()
    assert 'href="/indicators/"' in html


@pytest.mark.parametrize("username", READERS)
def test_everyone_in_scope_exports_the_table_and_downloads_templates(client_for, scene, username):
    client = client_for(username)
    assert client.get("/indicators/table/export.xlsx?region=370115&period=2020-03").status_code == 200
    assert client.get("/indicators/matrix/export.xlsx?city=370100&period=2020-03").status_code == 200
    assert client.get("/indicators/templates/targets.xlsx").status_code == 200


@pytest.mark.parametrize("username", NON_READERS)
def test_outside_scope_cannot_export_or_download(client_for, scene, username):
    client = client_for(username)
    assert client.get("/indicators/table/export.xlsx?region=370115&period=2020-03").status_code == 403
    assert client.get("/indicators/matrix/export.xlsx?city=370100&period=2020-03").status_code == 403
    assert client.get("/indicators/templates/long.xlsx").status_code == 403
    assert client.get("/indicators/catalog/").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, scene):
    for url in ("/indicators/", "/indicators/matrix/", "/indicators/i/retail/", "/indicators/import/", "/indicators/catalog/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_without_figures_the_table_defaults_to_last_month(client_for, city):
    import time_machine

    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        html = client_for("zhao_fagai").get("/indicators/").content.decode()
    assert "济阳区 2020年1-3月 主要经济指标" in html and "还没有指标数据或年度目标" in html


def test_import_link_shown_to_writers_only(client_for, scene):
    assert 'href="/indicators/import/"' in client_for("qian_tongji").get("/indicators/matrix/?city=370100").content.decode()
    assert 'href="/indicators/import/"' not in client_for("sun_leader").get("/indicators/matrix/?city=370100").content.decode()


@pytest.mark.parametrize("username", WRITERS)
def test_writers_enter_a_revision_on_the_indicator_page(client_for, scene, username):
    client = client_for(username)
    page = client.get("/indicators/i/retail/?region=370115&period=2020-03").content.decode()
    assert 'id="enter-figure"' in page
    response = client.post("/indicators/i/retail/figure", {"region": "370115", "period": "2020-03", "value": "3300",
                                                           "unit": "万元", "growth": ""}, follow=True)
    assert "已保存为新版本（原版本保留）" in response.content.decode()
    versions = list(Figure.objects.filter(region=scene["370115"], indicator__code="retail", period="2020-03-01")
                    .order_by("version").values_list("version", "current", "value", "growth"))
    assert [(v, c, float(x), float(g)) for v, c, x, g in versions] == [(1, False, 31.7, 3.5), (2, True, 0.33, 3.5)]
    assert "第2版（最新）" in response.content.decode() and "已被修订" in response.content.decode()


def test_bad_entry_is_refused_with_the_reason_and_saves_nothing(client_for, scene):
    response = client_for("qian_tongji").post("/indicators/i/gdp/figure", {"region": "370115", "period": "2020-05", "value": "1"},
                                              follow=True)
    assert "未保存：地区生产总值按季度发布" in response.content.decode()
    assert not Figure.objects.filter(indicator__code="gdp").exists()


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha", "zhou_shangwu", "sun_jiedao", "wu_cunju", "ma_lixia", "nobody"])
def test_others_cannot_enter_figures(client_for, scene, username):
    client = client_for(username)
    response = client.post("/indicators/i/retail/figure", {"region": "370115", "period": "2020-03", "value": "40"})
    assert response.status_code == 403
    assert Figure.objects.filter(indicator__code="retail", region=scene["370115"], period="2020-03-01").count() == 1
    if username in ("sun_leader", "zhou_shangwu"):
        assert 'id="enter-figure"' not in client.get("/indicators/i/retail/?region=370115").content.decode()
