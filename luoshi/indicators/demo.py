"""Demo figures for the twelve county-level regions of 济南: 2019–2020 monthly (or quarterly) figures and
2020 targets for ten indicators. Illustrative only (generated, not real statistics), except that 济阳区's
first-quarter 2020 实际利用外资 is the 2,000 万美元 reported at its analysis meeting.

Built around a later day (`ctx["as_of"]`, the day `luoshi demo` runs), the demo adds that year's targets and
figures up to the last complete month (and the whole year before, so January and February show last year's
results): growth around each year's target, drawn by a generator seeded by the year, so that each region has
green, yellow and red indicators; values chained from 2020 by those growth rates. The 2020 history is the same
whatever the day.
"""

import random
from datetime import date
from decimal import Decimal

from luoshi.core.periods import previous_month
from luoshi.indicators import services
from luoshi.indicators.models import Frequency, Indicator

SOURCE = "演示数据（示意）"
CODES = ["gdp", "industry_va", "fai", "retail", "budget_revenue", "tax_revenue", "fdi", "trade", "income", "new_entities"]
# A typical 济南 county's 2019 annual value in the catalog unit, and its usual growth (%).
BASE = {"gdp": (550, 6.5), "retail": (260, 7.0), "budget_revenue": (40, 5.0), "tax_revenue": (32, 4.5), "fdi": (9000, 10.0),
        "trade": (60, 6.0), "income": (36000, 7.5), "new_entities": (14000, 12.0), "industry_va": (None, 6.0), "fai": (None, 8.0)}
# 2020: the epidemic's dent in cumulative growth by month, recovering through the year.
DENT_2020 = {1: -20, 2: -22, 3: -14, 4: -10, 5: -7, 6: -5, 7: -4, 8: -3, 9: -2, 10: -1.5, 11: -1, 12: -0.5}
SEASON = [0.06, 0.13, 0.22, 0.30, 0.38, 0.48, 0.56, 0.64, 0.73, 0.82, 0.90, 1.0]  # share of the year by month end
JIYANG, FDI_Q1_2020 = "370115", Decimal(2000)
DEMO_DAY = date(2020, 5, 12)  # the day the 2020 demo is built around


def _months(indicator):
    if indicator.frequency == Frequency.QUARTERLY:
        return [3, 6, 9, 12]
    return list(range(2 if indicator.jan_with_feb else 1, 13))


def build(ctx):
    """Idempotent: figures equal to the stored ones and unchanged targets are left alone."""
    services.ensure_catalog()
    counties = [r for code, r in sorted(ctx["regions"].items()) if r.level == "county"]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    rng = random.Random(20200414)
    figures, targets = [], []
    history = {}  # (region, code) → the 2020 values by month and the indicator's usual growth, for later years
    for region in counties:
        size = Decimal(str(round(rng.uniform(0.5, 1.8), 2)))
        for code in CODES:
            indicator = indicators[code]
            annual, usual = BASE[code]
            lean = rng.uniform(-3, 3)
            target_growth = Decimal(str(round(usual + rng.choice([-0.5, 0, 0.5, 1]), 1)))
            annual_2019 = Decimal(annual) * size if annual else None
            if code == "income":
                annual_2019 = Decimal(annual) * Decimal(str(round(rng.uniform(0.8, 1.25), 2)))
            if code == "fdi" and region.code == JIYANG:
                annual_2019 = FDI_Q1_2020 / Decimal("1.352") / Decimal(str(SEASON[2]))  # 2019 Q1 so that 2020 Q1 is +35.2 %
            step = Decimal("1") if indicator.unit in ("元", "户") else Decimal("0.01")
            for month in _months(indicator):
                growth_2019 = Decimal(str(round(usual + lean + rng.uniform(-1.5, 1.5), 1)))
                growth_2020 = Decimal(str(round(usual + lean + DENT_2020[month] + rng.uniform(-2, 2), 1)))
                value_2019 = value_2020 = None
                if annual_2019 is not None:
                    value_2019 = (annual_2019 * Decimal(SEASON[month - 1])).quantize(step)
                    value_2020 = (value_2019 * (1 + growth_2020 / 100)).quantize(step)
                if code == "fdi" and region.code == JIYANG and month == 3:
                    value_2020, growth_2020 = FDI_Q1_2020, Decimal("35.2")
                figures.append(_entry(region, indicator, date(2019, month, 1), value_2019, growth_2019))
                figures.append(_entry(region, indicator, date(2020, month, 1), value_2020, growth_2020))
                history.setdefault((region.pk, code), {"usual": usual, "step": step, "values": {}})["values"][month] = value_2020
            targets.append({"region_id": region.pk, "indicator_id": indicator.pk, "year": 2020,
                            "value": (annual_2019 * (1 + target_growth / 100)).quantize(step) if annual_2019 else None,
                            "growth": target_growth, "trajectory": []})
    later_figures, later_targets = _later_years(ctx.get("as_of") or DEMO_DAY, counties, indicators, history)
    services.save_figures(None, figures + later_figures, source=SOURCE)
    services.save_targets(None, targets + later_targets, source=SOURCE)
    _responsibilities(ctx, indicators)
    ctx["indicators"] = indicators
    return ctx


# A year's performance of one indicator in one region: growth above or below the year's target growth (points),
# by fate. A value target's light compares completion with linear time progress, and a county's cumulative value
# runs a little behind it through the year (SEASON), so green takes growth some points above target.
FATES = [("green", 45), ("yellow", 35), ("red", 20)]
OFFSET = {"value": {"green": (2.5, 6), "yellow": (-6, 1), "red": (-16, -10.5)},
          "growth": {"green": (0.2, 3), "yellow": (-1.8, -0.2), "red": (-6, -2.5)}}


def _later_years(as_of, counties, indicators, history):
    """Targets and figures of the year before `as_of` (when after 2020) and of `as_of`'s year up to its last complete
    month. Every year from 2021 on is drawn (seeded by the year) so a year's figures are the same whatever day in
    it the demo is built."""
    last = previous_month(as_of.replace(day=1))  # the last complete month
    shown = [y for y in (as_of.year - 1, as_of.year) if y > 2020]
    figures, targets = [], []
    values = {key: dict(h["values"]) for key, h in history.items()}
    for year in range(2021, as_of.year + 1):
        rng = random.Random(year)
        for region in counties:
            for code in CODES:
                indicator, h = indicators[code], history[(region.pk, code)]
                before = values[(region.pk, code)]
                growth_only = before.get(12) is None
                target_growth = Decimal(str(round(h["usual"] + rng.choice([-0.5, 0, 0.5, 1]), 1)))
                fate = rng.choices([f for f, _ in FATES], weights=[w for _, w in FATES])[0]
                offset = rng.uniform(*OFFSET["growth" if growth_only else "value"][fate])
                now = {}
                for month in _months(indicator):
                    growth = Decimal(str(round(float(target_growth) + offset + rng.uniform(-0.8, 0.8), 1)))
                    value = None if growth_only else (before[month] * (1 + growth / 100)).quantize(h["step"])
                    now[month] = value
                    if year in shown and date(year, month, 1) <= last:
                        figures.append(_entry(region, indicator, date(year, month, 1), value, growth))
                if year in shown:
                    targets.append({"region_id": region.pk, "indicator_id": indicator.pk, "year": year,
                                    "value": None if growth_only else (before[12] * (1 + target_growth / 100)).quantize(h["step"]),
                                    "growth": target_growth, "trajectory": []})
                values[(region.pk, code)] = now
    return figures, targets


# 济阳区: who answers for each indicator at the economic analysis meeting (luoshi.briefings).
RESPONSIBLE = {"gdp": "370115D02", "industry_va": "370115D09", "fai": "370115D01", "retail": "370115D03",
               "budget_revenue": "370115D04", "tax_revenue": "370115D28", "fdi": "370115D03", "trade": "370115D03",
               "income": "370115D02", "new_entities": "370115D21", "investment_funds": "370115D25"}


def _responsibilities(ctx, indicators):
    from luoshi.orgs.models import Unit

    region = ctx["regions"].get(JIYANG)
    if region is None:
        return
    units = {u.code: u for u in Unit.objects.filter(code__in=set(RESPONSIBLE.values()))}
    services.save_responsibilities(None, [
        {"region_id": region.pk, "indicator_id": indicators[code].pk, "unit_id": units[unit].pk}
        for code, unit in RESPONSIBLE.items() if code in indicators and unit in units], source=SOURCE)


def _entry(region, indicator, period, value, growth):
    return {"region_id": region.pk, "indicator_id": indicator.pk, "period": period,
            "value": value.quantize(Decimal("0.000001")) if value is not None else None,
            "growth": growth.quantize(Decimal("0.001"))}
