"""Peer growth summaries (models.PeerGrowth): kept when figures are saved, read to rank a region among its peers.

A region's peers are the regions of its level under its parent (the county-level regions of a city). The table
ranks a region on 60 indicators and two periods; reading the peers' figures for that took 18,000 index entries
and a sort per request, where one summary row per indicator and period is enough (docs/benchmarks.md).
"""

import json
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q

from luoshi.core.sql import read_connection
from luoshi.indicators import rules
from luoshi.indicators.models import Figure, PeerGrowth
from luoshi.orgs.models import Region


def _aggregate_sql(where):
    """One row per peer group in the given figures: parent, level, indicator, period, growths (JSON, in no
    particular order: _fetch sorts them), sum."""
    growths = ("json_agg(CAST(f.growth AS double precision))" if connection.vendor == "postgresql"
               else "json_group_array(CAST(f.growth AS REAL))")
    return (f"SELECT r.parent_id, r.level, f.indicator_id, f.period, {growths}, SUM(f.growth) "
            f"FROM {Figure._meta.db_table} f JOIN {Region._meta.db_table} r ON r.id = f.region_id "
            f"WHERE f.current AND f.growth IS NOT NULL AND r.parent_id IS NOT NULL AND {where} "
            "GROUP BY r.parent_id, r.level, f.indicator_id, f.period")


def refresh(region_ids, indicator_ids, periods):
    """Rebuild the summaries of every peer group that holds one of these regions, for these indicators and periods
    (call inside the transaction that changed their figures)."""
    region_ids, indicator_ids, periods = sorted(set(region_ids)), sorted(set(indicator_ids)), sorted(set(periods))
    if not (region_ids and indicator_ids and periods):
        return 0
    groups = sorted(set(Region.objects.filter(pk__in=region_ids, parent__isnull=False).values_list("parent_id", "level")))
    if not groups:
        return 0
    return _rebuild(groups, indicator_ids, periods)


def refresh_groups(groups):
    """Rebuild every summary of these (parent id, level) groups: after regions join, leave or change level."""
    groups = sorted({g for g in groups if g[0] is not None})
    return _rebuild(groups, None, None) if groups else 0


def rebuild_all():
    """Rebuild every summary from the current figures (`luoshi indicators rebuild-peers`). Returns the count."""
    PeerGrowth.objects.all().delete()
    return _save(_fetch("TRUE", []))


def _rebuild(groups, indicator_ids, periods):
    parents = sorted({p for p, _ in groups})
    clauses, params = [f"r.parent_id IN ({', '.join(['%s'] * len(parents))})"], list(parents)
    scope = Q()
    for parent, level in groups:
        scope |= Q(parent_id=parent, level=level)
    stale = PeerGrowth.objects.filter(scope)
    if indicator_ids is not None:
        stale = stale.filter(indicator_id__in=indicator_ids, period__in=periods)
        clauses.append(f"f.indicator_id IN ({', '.join(['%s'] * len(indicator_ids))})")
        clauses.append(f"f.period IN ({', '.join(['%s'] * len(periods))})")
        params += [*indicator_ids, *periods]
    wanted = set(groups)
    rows = [row for row in _fetch(" AND ".join(clauses), params) if (row.parent_id, row.level) in wanted]
    stale.delete()
    return _save(rows)


def _fetch(where, params):
    with connection.cursor() as cursor:
        cursor.execute(_aggregate_sql(where), params)
        found = cursor.fetchall()
    return [PeerGrowth(parent_id=parent, level=level, indicator_id=indicator, period=_as_date(period),
                       growths=sorted(json.loads(growths) if isinstance(growths, str) else growths), total=Decimal(str(total)))
            for parent, level, indicator, period, growths, total in found]


def _save(rows):
    PeerGrowth.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _as_date(value):
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


_RANKS_SQL = f"""
SELECT p.indicator_id, p.period, p.growths, p.total, f.growth
  FROM {PeerGrowth._meta.db_table} p
  JOIN {Figure._meta.db_table} f ON f.region_id = %s AND f.indicator_id = p.indicator_id AND f.period = p.period
       AND f.current AND f.growth IS NOT NULL
 WHERE p.parent_id = %s AND p.level = %s AND p.indicator_id IN ({{indicators}}) AND p.period IN ({{periods}})"""


def ranks_of(region, indicator_ids, periods):
    """{(indicator_id, period): (rank, ranked count, average growth)} for the region among its peers, where the
    region has a growth figure and at least one peer has too (rules.peer_rank)."""
    indicators, months = sorted(set(indicator_ids)), sorted(set(periods))
    if region.parent_id is None or not indicators or not months:
        return {}
    sql = _RANKS_SQL.format(indicators=", ".join(["%s"] * len(indicators)), periods=", ".join(["%s"] * len(months)))
    result = {}
    with read_connection().cursor() as cursor:  # the replica inside a @reads_replica view
        cursor.execute(sql, [region.pk, region.parent_id, region.level, *indicators, *months])
        for indicator_id, period, growths, total, growth in cursor.fetchall():
            ranked = rules.peer_rank(float(growth), json.loads(growths) if isinstance(growths, str) else growths,
                                     Decimal(str(total)))
            if ranked is not None:
                result[(indicator_id, _as_date(period))] = ranked
    return result


# A region that moves to another parent or level leaves one peer group and joins another: both are rebuilt. The
# region's service lives in orgs, which knows nothing of indicators, so this listens to the model's saves.
def remember_group(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._peer_group_before = Region.objects.filter(pk=instance.pk).values_list("parent_id", "level").first()


def refresh_moved_region(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_peer_group_before", None)
    after = (instance.parent_id, instance.level)
    if raw or created or before is None or before == after:
        return
    if Figure.objects.filter(region=instance, current=True, growth__isnull=False).exists():
        refresh_groups([before, after])
