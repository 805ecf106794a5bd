from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from luoshi.indicators import demo, queries
from luoshi.indicators.models import Figure, Target
from luoshi.orgs import demo as org_demo

pytestmark = pytest.mark.both_databases


def test_demo_has_jiyang_first_quarter_fdi_and_is_idempotent(empty_database):
    ctx = org_demo.build({})
    demo.build(ctx)
    count = Figure.objects.count()
    fdi = Figure.objects.get(region__code="370115", indicator__code="fdi", period=date(2020, 3, 1))
    assert fdi.value == Decimal(2000) and fdi.source == "演示数据（示意）"
    assert Target.objects.filter(year=2020).values("region").distinct().count() == 12
    assert Figure.objects.filter(period__year=2019).exists()
    demo.build(ctx)
    assert Figure.objects.count() == count and not Figure.objects.filter(current=False).exists()
    rows = {r["indicator"]: r for r in queries.table(ctx["regions"]["370115"], date(2020, 3, 1))}
    assert rows["fdi"]["rank"] == 1 and rows["fdi"]["peers"] == 12
    assert not Figure.objects.filter(indicator__code="gdp", period__month__in=[1, 2, 4, 5]).exists()


def _months(code, year):
    return sorted(set(Figure.objects.filter(indicator__code=code, period__year=year).values_list("period__month", flat=True)))


def test_demo_for_a_later_day_adds_that_year_through_the_last_complete_month_and_keeps_2020(empty_database):
    ctx = org_demo.build({})
    demo.build(ctx)
    history = set(Figure.objects.values_list("region_id", "indicator_id", "period", "value", "growth"))
    ctx["as_of"] = date(2026, 6, 15)
    demo.build(ctx)
    assert _months("retail", 2026) == [2, 3, 4, 5]
    ctx["as_of"] = date(2026, 12, 1)
    demo.build(ctx)
    assert not Figure.objects.filter(current=False).exists()  # June's build and December's agree on the months both have
    assert set(Figure.objects.filter(period__year__lte=2020)
               .values_list("region_id", "indicator_id", "period", "value", "growth")) == history
    assert _months("retail", 2026) == list(range(2, 12))  # 1-2月 together, through November
    assert _months("budget_revenue", 2026) == list(range(1, 12))  # published for January on its own
    assert _months("gdp", 2026) == _months("income", 2026) == [3, 6, 9]
    assert _months("retail", 2025) == list(range(2, 13)) and _months("gdp", 2025) == [3, 6, 9, 12]
    assert not Figure.objects.filter(period__year__in=range(2021, 2025)).exists()
    assert Figure.objects.filter(indicator__code="retail", period=date(2026, 11, 1)).count() == 12
    assert Target.objects.filter(year=2026).values("region").distinct().count() == 12
    now, before = (Figure.objects.get(region__code="370115", indicator__code="retail", period=date(y, 11, 1)) for y in (2026, 2025))
    assert abs(now.value / before.value - 1 - now.growth / 100) < Decimal("0.001")  # values follow the growth rates
    lights = Counter(r["light"] for region in ctx["regions"].values() if region.level == "county"
                     for r in queries.table(region, date(2026, 11, 1)) if r["light"])
    assert set(lights) == {"green", "yellow", "red"} and min(lights.values()) >= 10
    count = Figure.objects.count()
    demo.build(ctx)
    assert Figure.objects.count() == count and not Figure.objects.filter(current=False).exists()


def test_table_for_a_demo_built_today_opens_on_last_month_with_lights_of_several_colours(empty_database, client):
    ctx = org_demo.build({})
    ctx["as_of"] = date(2026, 12, 1)
    demo.build(ctx)
    client.force_login(ctx["users"]["fagai"])
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        html = client.get("/indicators/").content.decode()
        matrix = client.get("/indicators/matrix/").content.decode()
    assert "济阳区 2026年1-11月 主要经济指标" in html and "2026年1-11月" in matrix
    assert len({light for light in ("green", "yellow", "red") if f'data-light="{light}"' in html}) >= 2


def test_table_opens_on_the_latest_period_up_to_this_month_not_on_figures_of_later_months(empty_database, client):
    ctx = org_demo.build({})
    demo.build(ctx)  # the 2020 demo has figures for the whole of 2020
    client.force_login(ctx["users"]["fagai"])
    with time_machine.travel("2020-05-12 09:00 +0800", tick=False):
        html = client.get("/indicators/").content.decode()
        matrix = client.get("/indicators/matrix/").content.decode()
    assert "济阳区 2020年1-5月 主要经济指标" in html and "2020年1-5月" in matrix
