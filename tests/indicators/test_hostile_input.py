"""Hostile numbers, periods, years and lengths: a 4xx with a Chinese message (JSON on the API), nothing saved."""

from decimal import Decimal

import pytest
from django.test import Client

from luoshi.indicators import rules, services
from luoshi.indicators.models import Figure, Indicator, Target
from luoshi.indicators.transfers import import_targets
from luoshi.orgs import services as org_services
from tests.indicators.conftest import write
from tests.indicators.test_imports import TARGET_HEADER, rejected

MONTHS = [f"{m}月" for m in range(1, 13)]


@pytest.fixture
def admin_api(cast, catalog):
    _, raw = org_services.create_api_token(cast.wang_admin, cast.wang_admin, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post_raw(client, value_json):
    body = '{"figures": [{"region": "370115", "indicator": "budget_revenue", "period": "2020-06", "value": %s}]}' % value_json
    return client.post("/api/v1/indicators/figures", body, content_type="application/json")


# JSON as Python's json module writes it (NaN, Infinity are not JSON, but clients send them), numbers and strings.
@pytest.mark.parametrize("value_json", ["NaN", "Infinity", "-Infinity", '"NaN"', '"Infinity"', "1e999999999",
                                        '"1e999999999"', '"-1e999999999"', '"1e-999999999"', '"1e30"', "1e30"])
def test_non_finite_or_huge_figures_over_the_api_are_a_400_with_row_and_column(admin_api, value_json):
    response = post_raw(admin_api, value_json)
    assert response.status_code == 400, response.content
    body = response.json()
    assert "第1行「累计值」列" in body["error"]
    assert body["problems"][0]["row"] == 1 and body["problems"][0]["column"] == "累计值"
    assert not Figure.objects.exists()


def test_the_largest_value_the_column_holds_is_saved_and_one_more_digit_is_refused(admin_api):
    # Value column: DecimalField(24, 6); one digit is kept back for rounding (rules.VALUE_LIMIT = 10^17).
    # (SQLite keeps decimals as floats: 99 × 10^15 is one it holds exactly.)
    assert post_raw(admin_api, '"99000000000000000.5"').status_code == 200
    assert Figure.objects.get().value.quantize(Decimal(1)) in (Decimal("99000000000000000"), Decimal("99000000000000001"))
    response = post_raw(admin_api, '"100000000000000000"')
    assert response.status_code == 400 and "超出可保存的范围" in response.json()["error"]


@pytest.mark.parametrize("growth", ["NaN", "Infinity", '"1e999999999"', '"1000000"'])
def test_non_finite_or_huge_growth_over_the_api_is_a_400(admin_api, growth):
    body = '{"figures": [{"region": "370115", "indicator": "industry_va", "period": "2020-06", "growth": %s}]}' % growth
    response = admin_api.post("/api/v1/indicators/figures", body, content_type="application/json")
    assert response.status_code == 400 and "「同比增长(%)」列" in response.json()["error"]
    assert not Figure.objects.exists()


@pytest.mark.parametrize("year", ["99999", "0", "1989", "2101", "-1"])
def test_series_for_a_year_outside_1990_to_2100_is_a_400(admin_api, year):
    response = admin_api.get(f"/api/v1/indicators/series/gdp?region=370115&year={year}")
    assert response.status_code == 400 and "年份" in response.json()["error"]


def test_series_year_is_checked_after_the_region_access(cast, catalog):
    _, raw = org_services.create_api_token(cast.ma_lixia, cast.ma_lixia, "测试")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/indicators/series/gdp?region=370115&year=99999")
    assert response.status_code == 403


@pytest.mark.parametrize("period", ["2031-02-30", "2031-04-99"])
def test_a_period_that_is_no_real_day_is_a_400_on_the_api(admin_api, period):
    response = admin_api.get(f"/api/v1/indicators/table?region=370115&period={period}")
    assert response.status_code == 400 and "不是真实的日期" in response.json()["error"]


def test_a_period_that_is_no_real_day_on_the_page_says_so_and_shows_the_latest(client_for, catalog):
    response = client_for("sun_leader").get("/indicators/?region=370115&period=2031-04-99")
    assert response.status_code == 200
    assert "期间「2031-04-99」不是真实的日期" in response.content.decode()


def test_typing_nan_on_the_indicator_page_saves_nothing_and_says_why(client_for, catalog):
    response = client_for("qian_tongji").post("/indicators/i/budget_revenue/figure", {
        "region": "370115", "period": "2020-06", "value": "NaN"}, follow=True)
    assert response.status_code == 200 and "累计值「NaN」不是有效的数字" in response.content.decode()
    assert not Figure.objects.exists()


# --- targets --------------------------------------------------------------------------------------

@pytest.mark.parametrize("row, message", [
    (["370115", "gdp", 2020, "1e30", "", ""], "第2行「目标值」列：目标值过大，超出可保存的范围"),
    (["370115", "gdp", 2020, 1e30, "", ""], "第2行「目标值」列：目标值过大，超出可保存的范围"),
    (["370115", "gdp", 2020, "1e999999999", "", ""], "第2行「目标值」列：目标值「1e999999999」超出可保存的范围"),
    (["370115", "gdp", 2020, "NaN", "", ""], "第2行「目标值」列：目标值「NaN」不是有效的数字"),
    (["370115", "gdp", 2020, -300, "", ""], "第2行「目标值」列：目标值不能为负数"),
    (["370115", "gdp", 2020, "", -150, ""], "第2行「目标增速(%)」列：目标增速应在 -100% 到 1000% 之间"),
    (["370115", "gdp", 2020, "", 5000, ""], "第2行「目标增速(%)」列：目标增速应在 -100% 到 1000% 之间"),
    (["370115", "gdp", "２０２０", 1, "", ""], "第2行「年度」列：无法识别的年度「２０２０」"),
])
def test_hostile_target_values_are_row_errors_and_nothing_is_saved(tmp_path, city, row, message):
    path = write(tmp_path / "t.xlsx", [TARGET_HEADER, row, ["370102", "gdp", 2020, 500, 6, "亿元"]])
    messages = rejected(path, importer=import_targets)
    assert len(messages) == 1 and message in messages[0], messages
    assert not Target.objects.exists()


def test_a_planned_fall_is_a_valid_growth_target(tmp_path, city):
    path = write(tmp_path / "t.csv", [TARGET_HEADER, ["370115", "gdp", 2020, "", "-5", ""]])
    import_targets(path, filename=str(path))
    assert Target.objects.get().growth == Decimal("-5.000")


@pytest.mark.parametrize("shares", [[-5, 12, 20, 28, 36, 48, 55, 62, 71, 80, 89, 100],
                                    [5, 12, 20, 28, 36, 48, 55, 62, 71, 80, 89, 150]])
def test_a_trajectory_outside_0_to_100_percent_is_a_row_error(tmp_path, city, shares):
    path = write(tmp_path / "t.xlsx", [TARGET_HEADER + MONTHS, ["370115", "budget_revenue", 2020, 150000, 5, "万元"] + shares])
    messages = rejected(path, importer=import_targets)
    assert messages == ["工作表「数据」第2行「1月」列：月度目标轨迹的每个月应为 0 到 100 之间的百分比"]
    assert not Target.objects.exists()


def test_target_rules_by_hand():
    assert rules.target_problems(Decimal(0), Decimal(-100), None) == []
    assert rules.target_problems(Decimal("-0.01"), None, None) == [("value", "目标值不能为负数")]
    assert rules.target_problems(None, Decimal("1000.001"), None)[0][0] == "growth"
    assert rules.target_problems(None, None, [Decimal(0)] * 11 + [Decimal(100)]) == []
    assert rules.target_problems(None, None, [Decimal(10)] * 11)[0][0] == "trajectory"


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), "sNaN", "1e31", "-1e31", "1e-31", Decimal("Infinity")])
def test_numbers_read_from_input_are_finite_and_within_ten_to_the_thirty(raw):
    with pytest.raises(ValueError):
        rules.parse_number(raw)


@pytest.mark.parametrize("raw", [float("nan"), float("-inf"), Decimal("NaN"), "1" + "0" * 40, "下降" + "9" * 40])
def test_growth_read_from_input_is_finite_and_within_ten_to_the_thirty(raw):
    with pytest.raises(ValueError):
        rules.parse_growth(raw)


# --- catalog lengths -------------------------------------------------------------------------------

def test_catalog_names_longer_than_their_columns_are_refused_in_chinese(client_for, catalog):
    response = client_for("wang_admin").post("/indicators/catalog/", {
        "code": "steel", "name": "钢" * 101, "unit": "吨" * 21, "frequency": "monthly", "kind": "total", "aliases": "a" * 301})
    text = response.content.decode()
    assert response.status_code == 400
    assert "指标名称最长100个字符，填写了101个" in text and "单位最长20个字符" in text and "别名最长300个字符" in text
    assert not Indicator.objects.filter(code="steel").exists()
    with pytest.raises(Exception, match="指标名称最长100个字符"):
        services.save_indicator(None, code="steel", name="钢" * 101)
