"""The indicator table and the CLI contract: figures, targets, ranks with ties, rank change, bands."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from luoshi.core.ranking import competition_ranks
from luoshi.indicators import queries, services
from luoshi.indicators.models import Figure
from luoshi.indicators.queries import CONTRACT_KEYS

pytestmark = pytest.mark.both_databases

FEB, MAR, APR, JUN = date(2020, 2, 1), date(2020, 3, 1), date(2020, 4, 1), date(2020, 6, 1)


def figures(catalog, regions, code, period, growths, values=None):
    entries = []
    for n, (region_code, growth) in enumerate(growths.items()):
        value = values.get(region_code) if values else None
        entries.append({"region_id": regions[region_code].pk, "indicator_id": catalog[code].pk, "period": period,
                        "value": value, "growth": None if growth is None else Decimal(str(growth))})
    services.save_figures(None, entries, source="测试")


@pytest.fixture
def scene(city, catalog):
    return make_scene(city, catalog)


def make_scene(city, catalog):
    """Retail growth across six regions in 1-2月 and 1-3月 (ties in 1-3月), with 济阳区's targets."""
    figures(catalog, city, "retail", FEB, {"370115": -8.0, "370102": -5.0, "370103": -6.0, "370104": -9.0, "370105": -7.0, "370112": -4.0},
            {"370115": Decimal("12.85")})
    figures(catalog, city, "retail", MAR, {"370115": 3.5, "370102": 3.5, "370103": 5.0, "370104": -1.0, "370105": 2.0, "370112": 1.0},
            {"370115": Decimal("31.7")})
    figures(catalog, city, "fdi", MAR, {"370115": 35.2, "370102": 10.0}, {"370115": Decimal(2000)})
    figures(catalog, city, "industry_va", MAR, {"370115": -3.0, "370102": 1.0, "370103": 2.0})
    services.save_targets(None, [
        {"region_id": city["370115"].pk, "indicator_id": catalog["retail"].pk, "year": 2020, "value": Decimal(100), "growth": Decimal(6)},
        {"region_id": city["370115"].pk, "indicator_id": catalog["industry_va"].pk, "year": 2020, "value": None, "growth": Decimal("7.5")},
        {"region_id": city["370115"].pk, "indicator_id": catalog["tax_revenue"].pk, "year": 2020, "value": Decimal(9), "growth": None},
    ])
    return city


def by_code(rows):
    return {r["indicator"]: r for r in rows}


def test_table_ranks_with_ties_and_rank_change_against_the_previous_period(scene):
    rows = by_code(queries.table(scene["370115"], MAR))
    retail = rows["retail"]
    assert (retail["rank"], retail["peers"], retail["rank_change"]) == (2, 6, 3)  # 1-2月 5th of 6 → 1-3月 2nd (tied)
    assert retail["peer_avg_growth"] == 2.33  # (3.5+3.5+5-1+2+1)/6
    assert (retail["completion"], retail["time_progress"], retail["gap"], retail["light"]) == (31.7, 25.0, 6.7, "green")
    assert retail["band"] == "strength" and retail["required_monthly"] == 7.59
    lixia = by_code(queries.table(scene["370102"], MAR))["retail"]
    assert lixia["rank"] == 2 and lixia["rank_change"] == 0  # 1-2月 2nd → tied 2nd


def test_first_period_has_no_rank_change(scene):
    retail = by_code(queries.table(scene["370115"], FEB))["retail"]
    assert retail["rank"] == 5 and retail["rank_change"] is None
    assert (retail["completion"], retail["gap"], retail["light"]) == (12.85, -3.82, "yellow")


def test_missing_previous_period_uses_the_last_one_with_figures(scene, catalog):
    figures(catalog, scene, "retail", JUN, {"370115": 1.0, "370102": 9.0, "370103": 8.0})
    retail = by_code(queries.table(scene["370115"], JUN))["retail"]
    assert retail["rank"] == 3 and retail["rank_change"] == -1  # 1-3月 tied 2nd, no April or May figures
    assert retail["previous_period"] == "2020-03"
    assert retail["half_half"] is None  # a value target but no value in June


def test_growth_only_indicator_and_growth_target(scene):
    row = by_code(queries.table(scene["370115"], MAR))["industry_va"]
    assert row["completion"] is None and row["time_progress"] is None
    assert (row["gap"], row["light"], row["band"], row["rank"], row["peers"]) == (-10.5, "red", "weakness", 3, 3)


def test_target_without_figure_is_listed_and_indicators_without_either_are_not(scene):
    rows = by_code(queries.table(scene["370115"], MAR))
    assert rows["tax_revenue"]["value"] is None and rows["tax_revenue"]["target_value"] == 9
    assert rows["tax_revenue"]["light"] is None
    assert "gdp" not in rows and "fdi" in rows


def test_table_uses_the_latest_version(scene, catalog):
    services.save_figures(None, [{"region_id": scene["370115"].pk, "indicator_id": catalog["retail"].pk, "period": MAR,
                                  "value": Decimal("33.0"), "growth": None}], source="修订")
    retail = by_code(queries.table(scene["370115"], MAR))["retail"]
    assert retail["value"] == 33 and retail["growth"] == 3.5
    assert Figure.objects.filter(region=scene["370115"], indicator=catalog["retail"], period=MAR).count() == 2


def test_table_ranks_agree_with_ranking_all_current_figures(scene, catalog):
    growths = dict(Figure.objects.filter(indicator=catalog["retail"], period=MAR, current=True).values_list("region_id", "growth"))
    expected = competition_ranks(growths)
    for region in scene.values():
        got = queries.ranks_of(region, [catalog["retail"].pk], [MAR])[(catalog["retail"].pk, MAR)][0]
        assert got == expected[region.pk]


def test_cli_table_json_has_exactly_the_contract_keys(scene, capsys):
    call_command("indicators", "table", "--region", "370115", "--period", "2020-03", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [r["indicator"] for r in rows] == ["industry_va", "retail", "tax_revenue", "fdi"]  # catalog order
    for row in rows:
        assert set(CONTRACT_KEYS) <= set(row)
    retail = rows[1]
    assert {k: retail[k] for k in CONTRACT_KEYS} == {
        "indicator": "retail", "name": "社会消费品零售总额", "unit": "亿元", "period": "2020-03", "value": 31.7,
        "growth": 3.5, "target_value": 100, "target_growth": 6.0, "completion": 31.7, "time_progress": 25.0, "gap": 6.7,
        "light": "green", "rank": 2, "rank_change": 3, "peers": 6, "peer_avg_growth": 2.33, "band": "strength",
        "half_half": None, "required_monthly": 7.59}
    fdi = rows[3]
    assert (fdi["value"], fdi["rank"], fdi["peers"], fdi["band"], fdi["light"]) == (2000, 1, 2, "middle", None)


def test_cli_table_text_and_errors(scene, capsys):
    call_command("indicators", "table", "--region", "370115", "--period", "2020-03")
    out = capsys.readouterr().out
    assert "济阳区 2020年1-3月" in out and "社会消费品零售总额" in out
    with pytest.raises(SystemExit) as info:
        call_command("indicators", "table", "--region", "999999", "--period", "2020-03")
    assert info.value.code == 1


def test_thresholds_can_be_changed_per_deployment(scene, settings):
    settings.LUOSHI_INDICATOR_RED_GAP = -3
    retail = by_code(queries.table(scene["370115"], FEB))["retail"]
    assert (retail["gap"], retail["light"], retail["band"]) == (-3.82, "red", "weakness")


def test_a_quarterly_indicator_shows_its_latest_quarter_in_a_monthly_table_labelled(scene, catalog, client_for):
    # GDP is quarterly: 1-3月's figures stand in the April and May tables, ranked as in 1-3月, and say so
    figures(catalog, scene, "gdp", MAR, {"370115": -3.2, "370102": 1.5, "370103": -5.0}, {"370115": Decimal("78.5")})
    may = by_code(queries.table(scene["370115"], date(2020, 5, 1)))
    gdp = may["gdp"]
    assert (gdp["period"], gdp["value"], gdp["growth"], gdp["rank"], gdp["peers"]) == ("2020-03", 78.5, -3.2, 2, 3)
    assert gdp["latest_quarter"] is True and gdp["period_note"] == "1-3月"
    march = by_code(queries.table(scene["370115"], MAR))["gdp"]
    assert march["latest_quarter"] is False and march["period_note"] == "" and march["rank"] == 2
    assert "gdp" not in by_code(queries.table(scene["370115"], FEB))  # before the first quarter has ended: nothing
    page = client_for("zhao_fagai").get("/indicators/?region=370115&period=2020-05").content.decode()
    row = page[page.index(">地区生产总值</a>"):]
    assert "（1-3月）</small>" in row[:row.index("</td>")]
