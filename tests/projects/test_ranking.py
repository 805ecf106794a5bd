"""The city's ranking of its counties by 投资完成率 and 开工率 (issue 24 "Speed": the city's ranking; the page, the API
and `luoshi projects ranking`), read by each role. 济阳区 as in tests/projects/conftest.py (15.45 %, 1 of 2 新建
started); 历下区 one 新建 project, 500 of 1,000 done, started."""

import json
from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.projects import services
from luoshi.projects.rules import NEW
from tests.projects.conftest import MARCH
from tests.projects.test_api import api

RANKING = "/projects/ranking/?city=370100&period=2020-03"


@pytest.fixture
def lixia(cast, pool, frozen):
    project, _ = services.save_project(None, region=cast.lixia, name="历下区数字经济产业园", kind=NEW,
                                       unit=cast.units.lixia_gov, total_investment=D("3000"),
                                       year_plans={2020: D("1000")}, started_on=date(2020, 2, 1), start_year=2020,
                                       end_year=2021)
    services.submit_report(None, project, period=MARCH, amount=D("500"))
    return project


EXPECTED = {"wang_admin": 200, "zhao_fagai": 200, "sun_leader": 200, "li_ducha": 200, "qian_tongji": 200,
            "ma_lixia": 200, "zhou_shangwu": 403, "sun_jiedao": 403, "wu_cunju": 403, "nobody": 403}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_role_opens_the_city_ranking_or_is_refused(client_for, lixia, username):
    assert client_for(username).get(RANKING).status_code == EXPECTED[username]


def test_the_ranking_shows_each_countys_totals_and_places(client_for, lixia):
    body = client_for("sun_leader").get(RANKING).content.decode()
    assert "济南市各区县重点项目排名" in body and 'id="ranking-data"' in body
    jiyang = body.split('data-county="370115"')[1].split("</tr>")[0]
    lixia_row = body.split('data-county="370102"')[1].split("</tr>")[0]
    assert "15.5%" in jiyang and "第2位" in jiyang and "1/2" in jiyang
    assert "50.0%" in lixia_row and "第1位" in lixia_row and "1/1" in lixia_row and "100.0%" in lixia_row
    # 孙区长 reads 济阳区's table, not 历下区's: only his county is a link, and no project of 历下区 is named
    assert 'href="/projects/table/?region=370115' in jiyang and "href=" not in lixia_row
    assert "历下区数字经济产业园" not in body


def test_a_county_page_leads_to_its_citys_ranking(client_for, pool, frozen):
    body = client_for("zhao_fagai").get("/projects/table/?region=370115&period=2020-03").content.decode()
    assert 'id="to-ranking" href="/projects/ranking/?city=370100&amp;period=2020-03"' in body
    assert client_for("zhao_fagai").get("/projects/ranking/?period=2020-03").status_code == 200  # his own city


def test_a_county_or_an_unknown_code_is_not_a_city(client_for, pool, frozen):
    client = client_for("wang_admin")
    assert client.get("/projects/ranking/?city=370115&period=2020-03").status_code == 404
    assert client.get("/projects/ranking/?city=999999&period=2020-03").status_code == 404


def test_a_hostile_county_name_stays_text(client_for, cast, lixia):
    cast.lixia.name = '<img src=x onerror=alert(1)>区'
    cast.lixia.save()
    body = client_for("wang_admin").get(RANKING).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;区" in body
    assert "\\u003Cimg src=x" in body  # the chart's names go through json_script (the tooltip escapes them again)


def test_the_api_and_the_command_give_the_same_ranking(cast, lixia):
    data = api(cast, "sun_leader").get("/api/v1/projects/ranking?city=370100&period=2020-03").json()
    out = StringIO()
    call_command("projects", "ranking", "--city", "370100", "--period", "2020-03", "--json", stdout=out)
    assert json.loads(out.getvalue()) == data
    assert (data["city"], data["period"]) == ("370100", "2020-03")
    rows = {r["code"]: r for r in data["counties"]}
    assert (rows["370102"]["completion_rate"], rows["370102"]["completion_rank"], rows["370102"]["start_rank"]) == (50.0, 1, 1)
    assert (rows["370115"]["completion_rate"], rows["370115"]["completion_rank"], rows["370115"]["start_rate"]) == (15.45, 2, 50.0)
    assert api(cast, "zhou_shangwu").get("/api/v1/projects/ranking?city=370100&period=2020-03").status_code == 403


def test_the_command_in_words_and_a_county_code_refused(cast, lixia):
    out = StringIO()
    call_command("projects", "ranking", "--city", "370100", "--period", "2020-03", stdout=out)
    assert "历下区：1个项目，完成率50.0%（第1位），开工率100.0%（第1位）" in out.getvalue()
    with pytest.raises(CommandError, match="济阳区不是市"):
        call_command("projects", "ranking", "--city", "370115", "--period", "2020-03", stdout=StringIO())
