"""责任单位: who answers for an indicator in a region — set on the indicator page, in the targets import, through the API."""

import pytest

from luoshi.indicators.models import Responsibility, Target
from luoshi.indicators.transfers import import_targets
from luoshi.core.problems import Rejected
from tests.indicators.conftest import write

HEADER = ["地区代码", "指标代码", "年度", "目标值", "目标增速(%)", "单位", "责任单位"]


def owner(region, code):
    found = Responsibility.objects.filter(region=region, indicator__code=code).select_related("unit").first()
    return found and found.unit.code


def test_targets_import_sets_the_responsible_unit_by_code_or_name(tmp_path, city, cast):
    path = tmp_path / "targets.xlsx"
    write(path, [HEADER, ["370115", "gdp", 2020, 320, 6.5, "亿元", "统计局"],
                 ["370115", "budget_revenue", 2020, 18, 5, "亿元", "370115D04"],
                 ["370115", "retail", 2020, 150, 7, "亿元", None]])
    summary = import_targets(path, filename="targets.xlsx", actor=cast.zhao_fagai)
    assert "责任单位 2 个：新设 2" in summary
    assert owner(cast.jiyang, "gdp") == "370115D02" and owner(cast.jiyang, "budget_revenue") == "370115D04"
    assert owner(cast.jiyang, "retail") is None
    assert "未变化 2" in import_targets(path, filename="targets.xlsx", actor=cast.zhao_fagai)


@pytest.mark.parametrize("unit, message", [
    ("不存在的局", "未知的责任单位「不存在的局」"),
    ("历下区府办", "单位「历下区府办」不属于济阳区，不能作为其指标的责任单位"),
])
def test_an_unknown_or_foreign_responsible_unit_is_a_row_error_and_nothing_is_saved(tmp_path, city, cast, unit, message):
    path = tmp_path / "targets.xlsx"
    write(path, [HEADER, ["370115", "gdp", 2020, 320, 6.5, "亿元", "统计局"],
                 ["370115", "retail", 2020, 150, 7, "亿元", unit]])
    with pytest.raises(Rejected) as caught:
        import_targets(path, filename="targets.xlsx", actor=cast.zhao_fagai)
    problem = caught.value.problems[0]
    assert message in problem.message and problem.row == 3 and problem.column == "责任单位"
    assert not Responsibility.objects.exists() and not Target.objects.exists()


def test_analysis_office_sets_the_responsible_unit_on_the_indicator_page(client_for, city, cast):
    client = client_for("zhao_fagai")
    page = client.get("/indicators/i/fdi/?region=370115").content.decode()
    assert "尚未设定" in page and 'action="/indicators/i/fdi/responsible"' in page
    response = client.post("/indicators/i/fdi/responsible", {"region": "370115", "unit": "370115D03"}, follow=True)
    assert "已设定济阳区实际利用外资的责任单位：区商务局" in response.content.decode()
    assert owner(cast.jiyang, "fdi") == "370115D03"
    assert "<strong>区商务局</strong>" in client.get("/indicators/i/fdi/?region=370115").content.decode()


def test_a_unit_sees_the_responsible_unit_but_cannot_set_it(client_for, city, cast):
    client = client_for("zhou_shangwu")
    assert 'action="/indicators/i/fdi/responsible"' not in client.get("/indicators/i/fdi/?region=370115").content.decode()
    assert client.post("/indicators/i/fdi/responsible", {"region": "370115", "unit": "370115D03"}).status_code == 403
    assert not Responsibility.objects.exists()


def test_the_api_sets_and_lists_responsible_units_and_refuses_a_foreign_unit(client_for, city, cast):
    client = client_for("qian_tongji")
    ok = client.post("/api/v1/indicators/responsibilities",
                     {"region": "370115", "indicator": "gdp", "unit": "区统计局"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["unit"] == "370115D02"
    bad = client.post("/api/v1/indicators/responsibilities",
                      {"region": "370115", "indicator": "fdi", "unit": "370102B02"}, content_type="application/json")
    assert bad.status_code == 400 and "不属于济阳区" in bad.json()["error"]
    listed = {r["indicator"]: r["unit"] for r in client.get("/api/v1/indicators/responsibilities?region=370115").json()}
    assert listed["gdp"] == "370115D02" and listed["fdi"] is None


def test_a_unit_cannot_set_responsible_units_through_the_api(client_for, city, cast):
    response = client_for("zhou_shangwu").post("/api/v1/indicators/responsibilities",
                                               {"region": "370115", "indicator": "gdp", "unit": "370115D02"},
                                               content_type="application/json")
    assert response.status_code == 403 and "统计局和发改局" in response.json()["error"]
    assert not Responsibility.objects.exists()
