"""Item 7: the ledger's 外资到位 offered to 实际利用外资 and the projects' counted investment to 固定资产投资, beside the
statistics bureau's figure on the indicator page (never in its place), with links to what is behind them."""

from datetime import date
from decimal import Decimal as D

import pytest

from luoshi.core.offers import PROVIDERS, offers_for
from luoshi.indicators import services as indicator_services
from luoshi.indicators.models import Figure
from luoshi.projects import services as pool_services
from tests.projects.conftest import build_projects

MARCH = date(2020, 3, 1)


@pytest.fixture
def figures(cast, ledger):
    indicator_services.ensure_catalog()
    indicator_services.save_figures(None, [
        {"region_id": cast.jiyang.pk, "indicator_id": _id("fdi"), "period": MARCH, "value": D("520"), "growth": D("35.2")},
        {"region_id": cast.jiyang.pk, "indicator_id": _id("fai"), "period": MARCH, "value": None, "growth": D("-8.1")}],
        source="统计局快报")


def _id(code):
    from luoshi.indicators.models import Indicator

    return Indicator.objects.get(code=code).pk


def test_projects_register_their_figures_at_start():
    assert set(PROVIDERS) >= {"fdi", "investment_funds", "fai"}


def test_the_fdi_page_shows_the_ledger_beside_the_statistics_and_links_to_the_leads(client_for, figures):
    body = client_for("zhao_fagai").get("/indicators/i/fdi/?region=370115&period=2020-03").content.decode()
    offers = body[body.index('id="offers"'):body.index('id="responsible"')]
    assert "统计局（本页数据）" in offers and "520万美元" in offers
    assert "招商台账外资到位（2020年1-3月累计）" in offers and "500万美元" in offers
    assert "/projects/pipeline/?region=370115&amp;period=2020-03#funds" in offers and "查看1个外资项目的到位资金" in offers
    assert "不替代统计局数据" in offers
    assert Figure.objects.get(indicator__code="fdi", region__code="370115", current=True).value == D("520")  # untouched


def test_the_fai_page_shows_the_counted_investment_beside_the_growth(client_for, cast, figures):
    pool = build_projects(cast)
    pool_services.save_counted(None, pool.p2, period=MARCH, amount=D("3500"))
    body = client_for("zhao_fagai").get("/indicators/i/fai/?region=370115&period=2020-03").content.decode()
    offers = body[body.index('id="offers"'):body.index('id="responsible"')]
    assert "同比下降8.1%" in offers and "重点项目统计入库投资（2020年1-3月）" in offers and "3500万元" in offers
    assert "/projects/table/?region=370115&amp;period=2020-03" in offers and "口径不同" in offers


def test_nothing_is_offered_to_whoever_may_not_read_it_or_where_there_is_nothing(cast, figures):
    assert offers_for(cast.zheng_caizheng, "fdi", cast.jiyang, MARCH) == []
    assert offers_for(cast.sun_leader, "fdi", cast.jiyang, date(2019, 12, 1)) == []
    assert [o.value for o in offers_for(cast.sun_leader, "fdi", cast.jiyang, MARCH)] == [D("500.00")]
    assert [o.value for o in offers_for(cast.sun_leader, "investment_funds", cast.jiyang, MARCH)] == [D("9520.00")]
    assert offers_for(cast.sun_leader, "gdp", cast.jiyang, MARCH) == []
