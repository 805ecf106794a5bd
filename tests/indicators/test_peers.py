"""Peer growth summaries: kept with every save of figures, rebuilt when a region moves, the same as a rebuild."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from luoshi.core.ranking import competition_ranks
from luoshi.indicators import peers, queries, rules, services
from luoshi.indicators.models import Figure, PeerGrowth
from luoshi.orgs import services as org_services
from luoshi.orgs.models import RegionLevel
from tests.indicators.test_table import MAR, by_code, figures, make_scene

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


@pytest.fixture
def scene(city, catalog):
    return make_scene(city, catalog)


def summaries():
    """Every summary as stored (growths lowest first, which rules.peer_rank relies on)."""
    return {(p.parent_id, p.level, p.indicator_id, p.period): (p.growths, p.total)
            for p in PeerGrowth.objects.all()}


def test_peer_rank_counts_the_peers_that_grew_strictly_faster():
    growths = [1.0, 3.2, 3.2, 5.1]  # lowest first; sum 12.5
    assert rules.peer_rank(3.2, growths, Decimal("12.5")) == (2, 4, Decimal("3.125"))  # tied 2nd
    assert rules.peer_rank(5.1, growths, Decimal("12.5"))[0] == 1
    assert rules.peer_rank(1.0, growths, Decimal("12.5"))[0] == 4  # 1, 2, 2, 4: the rank after a tie is skipped
    assert rules.peer_rank(1.0, [1.0], Decimal("1.0")) is None  # nobody to be ranked against


def test_each_save_keeps_the_summary_of_its_peer_group(scene, catalog, cast):
    retail_mar = (cast.city.pk, RegionLevel.COUNTY, catalog["retail"].pk, MAR)
    growths, total = summaries()[retail_mar]
    assert growths == [-1.0, 1.0, 2.0, 3.5, 3.5, 5.0] and total == Decimal("14.000")
    figures(catalog, scene, "retail", MAR, {"370104": 6.0})  # 槐荫区 revised from -1.0 to 6.0
    growths, total = summaries()[retail_mar]
    assert growths == [1.0, 2.0, 3.5, 3.5, 5.0, 6.0] and total == Decimal("21.000")
    retail = by_code(queries.table(scene["370115"], MAR))["retail"]
    assert (retail["rank"], retail["peers"], retail["peer_avg_growth"]) == (3, 6, 3.5)  # 6.0 and 5.0 ahead


def test_a_value_only_revision_keeps_the_ranks(scene, catalog):
    before = summaries()
    services.save_figures(None, [{"region_id": scene["370103"].pk, "indicator_id": catalog["retail"].pk, "period": MAR,
                                  "value": Decimal("40"), "growth": None}])
    assert summaries() == before


def test_ranks_from_the_summaries_agree_with_ranking_the_figures_for_every_region(scene, catalog):
    for code in ("retail", "industry_va", "fdi"):
        growths = dict(Figure.objects.filter(indicator=catalog[code], period=MAR, current=True).values_list("region_id", "growth"))
        expected = competition_ranks(growths)
        for region in scene.values():
            got = peers.ranks_of(region, [catalog[code].pk], [MAR]).get((catalog[code].pk, MAR))
            if len(growths) < 2 or region.pk not in growths:
                assert got is None
            else:
                assert got[:2] == (expected[region.pk], len(growths))


def test_a_region_moved_to_another_city_leaves_its_old_peers(scene, catalog, cast):
    other_city, _ = org_services.save_region(None, code="370200", name="青岛市", level=RegionLevel.CITY)
    moved_region, _ = org_services.save_region(None, code="370103", name="市中区", level=RegionLevel.COUNTY, parent=other_city)
    retail = by_code(queries.table(scene["370115"], MAR))["retail"]
    assert (retail["rank"], retail["peers"]) == (1, 5)  # 市中区 (5.0) no longer a peer: 济阳区 tied first
    moved = by_code(queries.table(moved_region, MAR))["retail"]
    assert moved["rank"] is None and moved["peers"] is None  # alone in its new city
    assert summaries()[(other_city.pk, RegionLevel.COUNTY, catalog["retail"].pk, MAR)] == ([5.0], Decimal("5.000"))


def test_rebuild_peers_from_the_cli_gives_what_the_saves_kept(scene, capsys):
    kept = summaries()
    PeerGrowth.objects.all().delete()
    call_command("indicators", "rebuild-peers")
    assert "已重建" in capsys.readouterr().out
    assert summaries() == kept and kept


def test_the_migration_builds_what_the_saves_kept(scene):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("luoshi.indicators.migrations.0005_peer_growth")
    kept = summaries()
    PeerGrowth.objects.all().delete()
    migration.build_summaries(apps, SimpleNamespace(connection=connection))
    assert summaries() == kept and kept
