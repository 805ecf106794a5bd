"""A region's 调度 status as of 1-3月 2020 (tests/projects/conftest.py), and the CLI contract's shape."""

from decimal import Decimal as D

from luoshi.projects import queries
from tests.projects.conftest import MARCH


def test_each_project_is_judged_with_its_totals_computed_from_the_monthly_reports(cast, pool, frozen):
    state = queries.status(cast.jiyang, MARCH)
    rows = {r["name"]: r for r in state["projects"]}
    p1, p2, p3 = rows["年产10万吨新材料项目"], rows["智能装备产业园"], rows["济阳街道社区服务中心"]
    assert (p1["done_ytd"], p1["completion"], p1["light"]) == (D("5000"), D("25.00"), "yellow")
    assert p1["reasons"] == ["开工1个月未入库"] and p1["done_month"] == D("3000.00")
    assert (p2["done_ytd"], p2["completion"], p2["light"]) == (D("3500"), D("11.67"), "yellow")
    assert p2["since_start"] == D("23500.00")
    assert (p3["light"], p3["started"], p3["reported"]) == ("red", False, False)
    assert p3["reasons"] == ["投资完成率0.0%，低于序时进度25个百分点", "计划2019年12月开工，尚未开工"]


def test_the_summary_gives_the_rates_and_who_has_not_reported(cast, pool, frozen):
    state = queries.status(cast.jiyang, MARCH)
    s = state["summary"]
    assert (s["count"], s["year_plan"], s["done_ytd"], s["completion_rate"]) == (3, D("55000"), D("8500"), D("15.45"))
    assert (s["to_start"], s["started"], s["start_rate"]) == (2, 1, D("50.00"))
    assert s["started_not_in_statistics"] == ["年产10万吨新材料项目"]
    assert state["missing"] == [{"unit": "济阳街道", "unit_code": "370115001", "projects": ["济阳街道社区服务中心"]}]
    assert [g["name"] for g in state["by_leader"]] == ["孙区长"]
    assert {g["name"] for g in state["by_town"]} == {"济阳街道", "曲堤镇"}


def test_the_contract_has_exactly_its_keys(cast, pool, frozen):
    data = queries.contract(queries.status(cast.jiyang, MARCH))
    assert set(data) == {"period", "pace", "projects", "summary"}
    assert data["period"] == "2020-03" and data["pace"] == 25.0
    assert set(data["projects"][0]) == {"name", "kind", "unit", "total_investment", "year_plan", "done_ytd",
                                        "completion_rate", "light", "started", "in_statistics"}
    assert data["projects"][0] == {"name": "年产10万吨新材料项目", "kind": "新建", "unit": "商务局",
                                   "total_investment": 50000.0, "year_plan": 20000.0, "done_ytd": 5000.0,
                                   "completion_rate": 25.0, "light": "yellow", "started": True, "in_statistics": False}
    assert data["summary"] == {"count": 3, "year_plan": 55000.0, "done_ytd": 8500.0, "completion_rate": 15.45,
                               "to_start": 2, "started": 1, "start_rate": 50.0,
                               "started_not_in_statistics": ["年产10万吨新材料项目"]}


def test_a_regions_own_thresholds_change_the_lights(cast, pool, frozen):
    from luoshi.projects import services

    services.save_thresholds(cast.zhao_fagai, cast.jiyang, yellow_gap="5", red_gap="10")
    rows = {r["name"]: r for r in queries.status(cast.jiyang, MARCH)["projects"]}
    assert rows["智能装备产业园"]["light"] == "red"  # gap 13.33 > 10


def test_the_citys_ranking_has_each_countys_status_figures(cast, pool):
    from luoshi.projects.queries import county_ranking, status

    rows = {r["code"]: r for r in county_ranking(cast.city, MARCH)}
    jiyang, s = rows["370115"], status(cast.jiyang, MARCH)["summary"]
    assert (jiyang["count"], jiyang["year_plan"], jiyang["done_ytd"], jiyang["completion_rate"], jiyang["to_start"],
            jiyang["started"], jiyang["start_rate"]) == (s["count"], s["year_plan"], s["done_ytd"], s["completion_rate"],
                                                         s["to_start"], s["started"], s["start_rate"])
    assert (jiyang["completion_rank"], jiyang["start_rank"]) == (1, 1)
    assert rows["370102"]["count"] == 0 and rows["370102"]["completion_rank"] is None
