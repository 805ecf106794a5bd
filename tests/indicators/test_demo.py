from datetime import date
from decimal import Decimal

from luoshi.indicators import demo, queries
from luoshi.indicators.models import Figure, Target
from luoshi.orgs import demo as org_demo


def test_demo_has_jiyang_first_quarter_fdi_and_is_idempotent(db):
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
