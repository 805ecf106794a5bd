"""The indicators API with personal tokens, per role."""

import json

import pytest
from django.test import Client

from luoshi.indicators.models import Figure
from luoshi.indicators.queries import CONTRACT_KEYS
from luoshi.orgs import services as org_services
from tests.indicators.test_table import scene  # noqa: F401  (fixture)


@pytest.fixture
def api(cast):
    def make(username):
        user = getattr(cast, username)
        _, raw = org_services.create_api_token(user, user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def post(client, body):
    return client.post("/api/v1/indicators/figures", json.dumps(body), content_type="application/json")


BODY = {"source": "区统计局月报", "figures": [
    {"region": "370115", "indicator": "fdi", "period": "2020年1-3月", "value": 2000, "growth": "增长35.2", "unit": "万美元"},
    {"region": "370115", "indicator": "budget_revenue", "period": "2020-06", "value": "83400", "growth": -3.2, "unit": "万元"},
]}


@pytest.mark.parametrize("username", ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "sun_jiedao"])
def test_table_reads_the_contract_for_everyone_in_scope(api, scene, username):
    response = api(username).get("/api/v1/indicators/table?region=370115&period=2020-03")
    assert response.status_code == 200
    retail = next(r for r in response.json() if r["indicator"] == "retail")
    assert set(CONTRACT_KEYS) <= set(retail)
    assert (retail["rank"], retail["rank_change"], retail["gap"], retail["light"]) == (2, 3, 6.7, "green")


@pytest.mark.parametrize("username", ["wu_cunju", "ma_lixia", "nobody"])
def test_table_refused_outside_scope_with_json_error(api, scene, username):
    response = api(username).get("/api/v1/indicators/table?region=370115&period=2020-03")
    assert response.status_code == 403 and "error" in response.json()


def test_unauthenticated_and_bad_period(api, scene):
    assert Client().get("/api/v1/indicators/table?region=370115&period=2020-03").status_code == 401
    response = api("sun_leader").get("/api/v1/indicators/table?region=370115&period=2020-13")
    assert response.status_code == 400 and "月份不正确" in response.json()["error"]
    assert api("sun_leader").get("/api/v1/indicators/table?region=999999&period=2020-03").status_code == 404


def test_matrix_and_series(api, scene):
    data = api("ma_lixia").get("/api/v1/indicators/matrix?city=370100&period=2020-03").json()
    jiyang = next(r for r in data["rows"] if r["region"] == "370115")
    retail = next(c for c in jiyang["cells"] if c["indicator"] == "retail")
    assert (retail["growth"], retail["rank"]) == (3.5, 2)
    assert api("wu_cunju").get("/api/v1/indicators/matrix?city=370100&period=2020-03").status_code == 403
    series = api("sun_leader").get("/api/v1/indicators/series/retail?region=370115&year=2020").json()
    assert series["actual"][:3] == [None, 12.85, 31.7] and series["ranks"][:3] == [None, 5, 2]
    assert api("sun_leader").get("/api/v1/indicators/series/steel?region=370115").status_code == 404
    assert len(api("zhou_shangwu").get("/api/v1/indicators/catalog").json()) >= 11


@pytest.mark.parametrize("username", ["wang_admin", "zhao_fagai", "qian_tongji"])
def test_statistics_and_analysis_post_figures_in_bulk(api, city, username):
    response = post(api(username), BODY)
    assert response.status_code == 200 and response.json() == {"created": 2, "revised": 0, "unchanged": 0}
    assert float(Figure.objects.get(indicator__code="budget_revenue").value) == 8.34
    assert post(api(username), BODY).json() == {"created": 0, "revised": 0, "unchanged": 2}


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha", "zhou_shangwu", "sun_jiedao", "wu_cunju", "ma_lixia"])
def test_others_cannot_post_figures(api, city, username):
    assert post(api(username), BODY).status_code == 403
    assert not Figure.objects.exists()


def test_bad_bulk_post_lists_every_problem_and_saves_nothing(api, city):
    body = {"figures": BODY["figures"] + [
        {"region": "370199", "indicator": "retail", "period": "2020-06", "value": 1},
        {"region": "370115", "indicator": "gdp", "period": "2020-05", "value": 1},
    ]}
    response = post(api("qian_tongji"), body)
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "地区代码"), (4, "期间")]  # the 3rd and 4th figures
    assert not Figure.objects.exists()


READERS = ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "sun_jiedao"]


@pytest.mark.parametrize("username", READERS)
def test_everyone_in_scope_reads_matrix_series_and_catalog(api, scene, username):
    client = api(username)
    assert client.get("/api/v1/indicators/matrix?city=370100&period=2020-03").status_code == 200
    series = client.get("/api/v1/indicators/series/retail?region=370115&period=2020-03").json()
    assert series["bars"][0]["rank"] == 1 and [b["self"] for b in series["bars"]].count(True) == 1
    assert client.get("/api/v1/indicators/catalog").status_code == 200


@pytest.mark.parametrize("username", ["wu_cunju", "chen_cunju", "nobody"])
def test_non_readers_get_403_everywhere(api, scene, username):
    client = api(username)
    for url in ("/api/v1/indicators/matrix?city=370100&period=2020-03", "/api/v1/indicators/series/retail?region=370115",
                "/api/v1/indicators/catalog", "/api/v1/indicators/table?region=370115&period=2020-03"):
        assert client.get(url).status_code == 403, url


def test_peer_leader_cannot_read_jiyang_series(api, scene):
    assert api("ma_lixia").get("/api/v1/indicators/series/retail?region=370115").status_code == 403
    assert api("ma_lixia").get("/api/v1/indicators/series/retail?region=370102&year=2020").json()["ranks"][2] == 2
