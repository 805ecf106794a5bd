"""Read-side assembly: the indicator table, the city matrix and an indicator's series. No writes.

Ranks in the table and the series come from the peers' growth summaries (indicators.peers, rules.peer_rank: the
same competition ranking as core.ranking, which the matrix uses on the figures; a test holds the two together).
"""

from collections import defaultdict
from datetime import date

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from luoshi.core.periods import period_code, period_label
from luoshi.core.ranking import competition_ranks
from luoshi.core.sql import read_connection
from luoshi.indicators import rules
from luoshi.indicators.models import Figure, Frequency, Indicator, PeerGrowth, Target
from luoshi.indicators.peers import ranks_of
from luoshi.orgs.models import Region

def thresholds():
    """The light and 双过半 thresholds; a deployment may override them in settings (LUOSHI_INDICATOR_*)."""
    from django.conf import settings

    default = rules.DEFAULT
    return rules.Thresholds(
        yellow_gap=rules.dec(getattr(settings, "LUOSHI_INDICATOR_RED_GAP", default.yellow_gap)),
        yellow_growth=rules.dec(getattr(settings, "LUOSHI_INDICATOR_RED_GROWTH_GAP", default.yellow_growth)),
        half_half=rules.dec(getattr(settings, "LUOSHI_INDICATOR_HALF_HALF", default.half_half)))


def peer_ids(region):
    """The region and its peers (same parent, same level); just the region when it has no parent."""
    if region.parent_id is None:
        return [region.pk]
    return list(Region.objects.filter(parent_id=region.parent_id, level=region.level).values_list("pk", flat=True))


def read_period(indicator, period):
    """The period an indicator's figure is read for in the month `period`: the month itself, or for a quarterly
    indicator (GDP, 居民收入) its latest quarter up to that month in the same year (1-11月 → 1-9月); None before the
    year's first quarter has ended."""
    if indicator.frequency != Frequency.QUARTERLY or period.month % 3 == 0:
        return period
    return date(period.year, period.month - period.month % 3, 1) if period.month > 3 else None


def table(region, period, indicators=None):
    """One row per indicator with a figure or a target: the figures and every judgement (the CLI's JSON keys). A
    quarterly indicator is read at its latest quarter (`read_period`): its row's period says which, `latest_quarter`
    is true and `period_note` labels it (1-9月)."""
    indicators = indicators if indicators is not None else list(Indicator.objects.all())
    targets = {t.indicator_id: t for t in Target.objects.filter(region=region, year=period.year)}
    groups = defaultdict(list)
    for indicator in indicators:
        groups[read_period(indicator, period) or period].append(indicator)
    rows = {}
    for read, group in groups.items():
        for row in _rows(region, read, group, targets):
            row["latest_quarter"] = read != period
            row["period_note"] = f"1-{read.month}月" if read != period else ""  # how pages and the pack label it
            rows[row["indicator"]] = row
    return [rows[i.code] for i in indicators if i.code in rows]


def _rows(region, period, indicators, targets):
    """table()'s rows of these indicators, all read for one period."""
    figures = {f[0]: f[1:] for f in Figure.objects.filter(region=region, period=period, current=True,
                                                           indicator__in=[i.pk for i in indicators])
               .values_list("indicator_id", "value", "growth", "version", "arrived_at", "source")}
    shown = [i for i in indicators if i.pk in figures or i.pk in targets]
    # The latest earlier period with a growth figure, per indicator: one backward probe of the (region, indicator,
    # period) index each, instead of grouping all of the region's history.
    latest_before = Figure.objects.filter(region=region, indicator=OuterRef("pk"), current=True, growth__isnull=False,
                                          period__lt=period).order_by("-period").values("period")[:1]
    previous = {pk: last for pk, last in Indicator.objects.filter(pk__in=[i.pk for i in shown])
                .annotate(last=Subquery(latest_before)).values_list("pk", "last") if last is not None}
    periods = {period} | set(previous.values())
    ranks = ranks_of(region, [i.pk for i in shown], periods)
    limits = thresholds()
    rows = []
    for indicator in shown:
        value, growth, version, arrived_at, source = figures.get(indicator.pk, (None, None, None, None, None))
        target = targets.get(indicator.pk)
        rank, count, avg = ranks.get((indicator.pk, period), (None, None, None))
        prev_period = previous.get(indicator.pk)
        prev_rank = ranks.get((indicator.pk, prev_period), (None,))[0] if prev_period else None
        judged = rules.judge(month=period.month, value=value, growth=growth,
                             target_value=target.value if target else None, target_growth=target.growth if target else None,
                             trajectory=target.trajectory if target else None, growth_only=indicator.growth_only,
                             rank=rank, previous_rank=prev_rank, peers=count, peer_avg_growth=avg, thresholds=limits)
        rows.append({
            "indicator": indicator.code, "name": indicator.name, "unit": indicator.unit, "period": period_code(period),
            "value": _num(value), "growth": rules.r2(growth),
            "target_value": _num(target.value) if target else None,
            "target_growth": rules.r2(target.growth) if target else None,
            **judged,
            "previous_period": period_code(prev_period) if prev_period else None,
            "version": version, "arrived_at": arrived_at.isoformat() if arrived_at else None, "source": source,
        })
    return rows


CONTRACT_KEYS = ["indicator", "name", "unit", "period", "value", "growth", "target_value", "target_growth", "completion",
                 "time_progress", "gap", "light", "rank", "rank_change", "peers", "peer_avg_growth", "band", "half_half",
                 "required_monthly"]


def _num(value):
    """A stored value for JSON: a float without the storage's trailing zeros."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else round(number, 6)


def latest_period(region):
    return Figure.objects.filter(region=region, current=True).aggregate(p=Max("period"))["p"]


def has_figures(region, period) -> bool:
    """Whether the region has any current figure for the period (the meeting pack's command refuses a period without)."""
    return Figure.objects.filter(region=region, period=period, current=True).exists()


_MATRIX_COLUMNS = ("SELECT f.region_id, f.indicator_id, CAST(f.value AS DOUBLE PRECISION), CAST(f.growth AS DOUBLE PRECISION), "
                   "CAST(ROUND(f.growth, 2) AS DOUBLE PRECISION) ")
# Both read the city's figures through an index that leads with the region instead of all the current figures of
# the period (docs/benchmarks.md, 150 regions × 60 indicators × 60 months). PostgreSQL, given a plain join, scans the
# whole table in parallel; the lateral subquery makes it read one_current_figure (region, indicator, period) region
# by region (54-64 ms against 73-82 for the scan and 82-95 for one probe per region and indicator, same server and
# load). SQLite, told the indicators too, seeks unique_figure_version once per region and indicator (32 ms) instead
# of walking each region's entries (82 ms).
_MATRIX_SQL = {
    "postgresql": _MATRIX_COLUMNS + """FROM orgs_region r CROSS JOIN LATERAL
        (SELECT f.region_id, f.indicator_id, f.value, f.growth FROM indicators_figure f
            WHERE f.region_id = r.id AND f.period = %s AND f.current OFFSET 0) f
        WHERE r.parent_id = %s AND r.level = %s""",
    None: _MATRIX_COLUMNS + """FROM indicators_figure f WHERE f.current = TRUE AND f.period = %s
        AND f.region_id IN (SELECT r.id FROM orgs_region r WHERE r.parent_id = %s AND r.level = %s)
        AND f.indicator_id IN (SELECT i.id FROM indicators_indicator i)""",
}


def matrix(city, period, sort=None):
    """Regions × indicators for the county-level regions of a city: growth, value and rank in each cell."""
    regions = list(Region.objects.filter(parent=city, level="county").order_by("code").values_list("pk", "code", "name"))
    # Floats straight from the database: a float keeps the order of 3-decimal growth rates, and ROUND() there
    # rounds half away from zero like rules.r2.
    connection = read_connection()  # the replica inside a @reads_replica view
    with connection.cursor() as cursor:
        cursor.execute(_MATRIX_SQL.get(connection.vendor, _MATRIX_SQL[None]), [period, city.pk, "county"])
        fetched = cursor.fetchall()
    catalog = list(Indicator.objects.all())
    # The cells' dicts go straight into a grid of rows × the catalog's columns; columns without a figure are
    # dropped afterwards. 9,000 cells: one pass, no intermediate structure per cell.
    column = {i.pk: n for n, i in enumerate(catalog)}
    codes = [i.code for i in catalog]
    line = {pk: n for n, (pk, _, _) in enumerate(regions)}
    grid = [[None] * len(catalog) for _ in regions]
    growth_by_indicator = defaultdict(dict)  # indicator id → {row: growth}
    for region_id, indicator_id, value, growth, shown in fetched:
        n, m = line.get(region_id), column.get(indicator_id)
        if n is None or m is None:  # a region or indicator added between the reads: the next request has it
            continue
        if value is not None:  # _num, inline
            value = float(value)
            value = int(value) if value.is_integer() else round(value, 6)
        grid[n][m] = {"indicator": codes[m], "value": value, "growth": shown, "rank": None}
        growth_by_indicator[indicator_id][n] = growth
    ranked = {}
    for indicator_id, values in growth_by_indicator.items():
        ranks = competition_ranks(values)
        ranked[indicator_id] = len(ranks)
        m = column[indicator_id]
        for n, rank in ranks.items():
            grid[n][m]["rank"] = rank
    shown_columns = [m for m, i in enumerate(catalog) if i.pk in growth_by_indicator]
    indicators = [catalog[m] for m in shown_columns]
    rows = []
    for (_, code, name), cells in zip(regions, grid):
        if len(shown_columns) < len(catalog):
            cells = [cells[m] for m in shown_columns]
        ranks = []
        for m, c in enumerate(cells):
            if c is None:
                cells[m] = {"indicator": indicators[m].code, "value": None, "growth": None, "rank": None}
            elif c["rank"] is not None:
                ranks.append(c["rank"])
        rows.append({"region": code, "name": name, "cells": cells,
                     "average_rank": rules.r2(sum(ranks) / len(ranks)) if ranks else None})
    if sort:
        if sort == "average":
            rows.sort(key=lambda r: (r["average_rank"] is None, r["average_rank"] or 0))
        else:
            position = next((n for n, i in enumerate(indicators) if i.code == sort), None)
            if position is not None:
                rows.sort(key=lambda r: (r["cells"][position]["rank"] is None, r["cells"][position]["rank"] or 0))
    return {"city": city.code, "city_name": city.name, "period": period_code(period), "period_label": period_label(period),
            "indicators": [{"code": i.code, "name": i.name, "unit": i.unit, "peers": ranked.get(i.pk, 0)} for i in indicators],
            "rows": rows}


def matrix_periods(city, limit=36):
    """The periods the matrix can compare, newest first: those in which some county-level region of the city has a
    growth rate, read from the peers' summaries (60 indicators × the periods) instead of every current figure of
    the city's regions (540,000 in the bench: 100-130 ms)."""
    return list(PeerGrowth.objects.filter(parent=city, level="county").values_list("period", flat=True)
                .distinct().order_by("-period")[:limit])


def matrix_latest_period(city):
    """The matrix's default period: the latest of matrix_periods up to this month (a figure entered ahead for a later
    period does not move it); None when there is none."""
    this_month = timezone.localdate().replace(day=1)
    return (PeerGrowth.objects.filter(parent=city, level="county", period__lte=this_month)
            .order_by("-period").values_list("period", flat=True).first())


def series(region, indicator, year, period=None):
    """The indicator page: cumulative actual and the target trajectory by month, the region's rank over time,
    the peers' growth at `period` (default: the latest with figures), and every version of the figures."""
    peers = peer_ids(region)
    months = [date(year, m, 1) for m in range(1, 13)]
    own = {f.period: f for f in Figure.objects.filter(region=region, indicator=indicator, current=True, period__year=year)}
    target = Target.objects.filter(region=region, indicator=indicator, year=year).first()
    if period is None or period.year != year:
        period = max(own) if own else None
    ranks = ranks_of(region, [indicator.pk], months)
    trajectory = []
    for m, month in enumerate(months, start=1):
        share = None
        if target and target.value is not None and not indicator.growth_only:
            share = rules.dec(target.trajectory[m - 1]) if len(target.trajectory or []) == 12 else rules.time_progress(m)
        trajectory.append(_num(target.value * share / 100) if share is not None else None)
    bars = []
    if period is not None:
        rows = list(Figure.objects.filter(region_id__in=peers, indicator=indicator, period=period, current=True,
                                          growth__isnull=False).select_related("region").only("growth", "region__name", "region__code"))
        ranks_now = competition_ranks({f.region.code: f.growth for f in rows})
        bars = sorted(({"region": f.region.code, "name": f.region.name, "growth": rules.r2(f.growth),
                        "rank": ranks_now[f.region.code], "self": f.region_id == region.pk} for f in rows),
                      key=lambda b: (b["rank"], b["region"]))
    history = list(Figure.objects.filter(region=region, indicator=indicator, period__year=year)
                   .select_related("entered_by").order_by("-period", "-version"))
    return {
        "region": region.code, "region_name": region.name, "indicator": indicator.code, "name": indicator.name,
        "unit": indicator.unit, "year": year, "period": period_code(period) if period else None,
        "months": [f"{m}月" for m in range(1, 13)],
        "actual": [_num(own[p].value) if p in own else None for p in months],
        "growth": [rules.r2(own[p].growth) if p in own else None for p in months],
        "target": trajectory,
        "target_value": _num(target.value) if target else None,
        "target_growth": rules.r2(target.growth) if target else None,
        "ranks": [ranks.get((indicator.pk, p), (None,))[0] for p in months],
        "peers": max((c for (_, _), (_, c, _) in ranks.items()), default=len(peers)),
        "bars": bars,
        "history": [{"period": period_code(f.period), "version": f.version, "current": f.current, "value": _num(f.value),
                     "growth": rules.r2(f.growth), "source": f.source, "arrived_at": timezone.localtime(f.arrived_at).strftime("%Y-%m-%d %H:%M"),
                     "entered_by": (f.entered_by.get_full_name() or f.entered_by.username) if f.entered_by else "系统"}
                    for f in history],
    }


def peer_growths(region, period):
    """{indicator code: [(region code, region name, growth)]} for the region and its peers with a current growth
    figure in the period (the meeting pack's 争先进位 gaps and its peer charts)."""
    found = defaultdict(list)
    rows = (Figure.objects.filter(region_id__in=peer_ids(region), period=period, current=True, growth__isnull=False)
            .values_list("indicator__code", "region__code", "region__name", "growth").order_by("region__code"))
    for code, region_code, name, growth in rows:
        found[code].append((region_code, name, growth))
    return dict(found)


def growth_trend(region, indicators, end, months=12):
    """({indicator code: [growth or None] × months}, [the months]): the region's cumulative growth (同比, 1-n月) at
    each of the `months` months up to `end`, oldest first (the 驾驶舱's sparklines), from the current figures in one
    query. A quarterly indicator has its quarters only; a month without a figure is None."""
    periods = []
    year, month = end.year, end.month
    for _ in range(months):
        periods.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    periods.reverse()
    first = periods[0]
    position = {p: n for n, p in enumerate(periods)}
    by_pk = {i.pk: i.code for i in indicators}
    trend = {code: [None] * months for code in by_pk.values()}
    rows = Figure.objects.filter(region=region, indicator_id__in=list(by_pk), current=True, growth__isnull=False,
                                 period__gte=first, period__lte=end).values_list("indicator_id", "period", "growth")
    for indicator_id, period, growth in rows:
        if period in position:
            trend[by_pk[indicator_id]][position[period]] = rules.r2(growth)
    return trend, periods
