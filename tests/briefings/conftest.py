from datetime import date
from decimal import Decimal

import pytest

from luoshi.briefings import services
from luoshi.indicators import services as indicator_services


@pytest.fixture
def catalog(db):
    indicator_services.ensure_catalog()
    from luoshi.indicators.models import Indicator

    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def owners(cast, catalog):
    """济阳区: 统计局 answers for GDP, 商务局 for 实际利用外资 and 进出口, 财政局 for 一般公共预算收入; with 2020 Q1
    figures for GDP and 实际利用外资 and targets for 2020."""
    units = cast.units
    indicator_services.save_responsibilities(None, [
        {"region_id": cast.jiyang.pk, "indicator_id": catalog[code].pk, "unit_id": unit.pk}
        for code, unit in [("gdp", units.tongji), ("fdi", units.shangwu), ("trade", units.shangwu),
                           ("budget_revenue", units.caizheng)]])
    indicator_services.save_figures(None, [
        {"region_id": cast.jiyang.pk, "indicator_id": catalog["fdi"].pk, "period": date(2020, 3, 1),
         "value": Decimal("2000"), "growth": Decimal("35.2")},
        {"region_id": cast.jiyang.pk, "indicator_id": catalog["gdp"].pk, "period": date(2020, 3, 1),
         "value": Decimal("78.5"), "growth": Decimal("-3.2")}])
    indicator_services.save_targets(None, [
        {"region_id": cast.jiyang.pk, "indicator_id": catalog["fdi"].pk, "year": 2020, "value": Decimal("8000"),
         "growth": Decimal("10"), "trajectory": []}])
    return catalog


@pytest.fixture
def meeting(cast, owners):
    return services.open_meeting(cast.zhao_fagai, title="2020年一季度经济形势分析会", held_on="2020-04-20",
                                 region=cast.jiyang, period="2020-03", sections_due="2020-04-15")


def api_post(client, url, body):
    return client.post(url, body, content_type="application/json")
