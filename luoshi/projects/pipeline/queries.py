"""Read-side assembly of the 招商 pipeline: a county's board as of a month (each lead's stage then, its funds, the
year-to-date figures and rates overall, per unit and per town, the signed leads without progress, the funnel, the
funds by month), a lead's history, and the figures offered to indicators. No writes; rules in rules.py."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from luoshi.projects.models import CountedInvestment, MonthlyReport, Project
from luoshi.projects.pipeline import rules
from luoshi.projects.pipeline.models import Arrival, Lead, LeadStage

ZERO = Decimal("0.00")
SOURCE = "pipeline"


def _unit_label(unit):
    return unit.short_name or unit.name


def board(region, period, leads=None):
    """The county's pipeline as of the end of the period's month. `leads`: a queryset narrowing the rows (a unit's
    own), else every lead of the county recorded by then."""
    query = Lead.objects.filter(region=region).select_related("unit", "town").order_by("id")
    if leads is not None:
        query = query.filter(pk__in=leads.values("pk"))
    listed = list(query)
    ids = [lead.pk for lead in listed]
    stages = defaultdict(dict)
    for lead_id, stage, day in LeadStage.objects.filter(lead_id__in=ids, is_current=True).values_list("lead_id", "stage", "day"):
        stages[lead_id][stage] = day
    january = date(period.year, 1, 1)
    funds = {r["lead_id"]: r for r in Arrival.objects.filter(lead_id__in=ids, is_current=True, period__lte=period)
             .values("lead_id").annotate(total=Sum("amount"), ytd=Sum("amount", filter=Q(period__gte=january)),
                                          usd_ytd=Sum("usd", filter=Q(period__gte=january, capital=rules.FOREIGN)),
                                          month=Sum("amount", filter=Q(period=period)), last=Max("period"))}
    projects = dict(Project.objects.filter(source=SOURCE, source_id__in=ids).values_list("source_id", "pk"))
    # A started lead's project reports its month in the pools' 调度: that is progress too.
    reported = dict(MonthlyReport.objects.filter(project_id__in=list(projects.values()), is_current=True, period__lte=period)
                    .values("project_id").annotate(last=Max("period")).values_list("project_id", "last"))
    rows = []
    for lead in listed:
        reached = stages.get(lead.pk, {})
        stage, stage_on = rules.furthest(reached, period)
        if stage is None:
            continue  # recorded after the period
        signed_on = reached.get(rules.SIGNED) if rules.by_period(reached.get(rules.SIGNED), period) else None
        money = funds.get(lead.pk, {})
        last = max(d for d in (stage_on, money.get("last"), reported.get(projects.get(lead.pk))) if d is not None)
        rows.append({
            "id": lead.pk, "name": lead.name, "investor": lead.investor, "industry": lead.industry,
            "unit": _unit_label(lead.unit), "unit_id": lead.unit_id, "town": lead.town.name if lead.town_id else "",
            "town_id": lead.town_id, "capital": lead.capital, "capital_label": lead.capital_label,
            "country": lead.country, "contract": lead.contract_investment, "contract_usd": lead.contract_usd,
            "stage": stage, "stage_label": rules.STAGE_LABELS[stage], "stage_on": stage_on,
            "days": {s: reached[s] for s in rules.STAGES if rules.by_period(reached.get(s), period)},
            "stage_days": [reached.get(s) if rules.by_period(reached.get(s), period) else None for s in rules.STAGES],
            "signed_on": signed_on, "funds": money.get("total") or ZERO, "funds_ytd": money.get("ytd") or ZERO,
            "funds_month": money.get("month"), "usd_ytd": money.get("usd_ytd") or ZERO, "last_progress": last,
            "stalled": rules.stalled(stage=stage, signed_on=signed_on, last_progress=last, period=period),
            "project_id": projects.get(lead.pk),
            "in_pipeline": rules.in_years_pipeline(first_day=min(reached.values()),
                                                   producing_on=reached.get(rules.PRODUCING), period=period)})
    summary = rules.summary(rows, period)
    summary["fdi_usd"] = sum((r["usd_ytd"] for r in rows), ZERO)
    summary["funds_ytd"] = sum((r["funds_ytd"] for r in rows), ZERO)
    summary["count"] = len(rows)
    pipeline = [r for r in rows if r["in_pipeline"]]
    return {"region": region, "period": period, "rows": rows, "summary": summary,
            "by_unit": _groups(rows, "unit", period), "by_town": _groups(rows, "town", period),
            "stalled": [r for r in rows if r["stalled"]], "funnel": rules.funnel(pipeline),
            "months": month_series(ids, period)}


def _groups(rows, key, period):
    grouped = defaultdict(list)
    for row in rows:
        if row[key]:
            grouped[row[key]].append(row)
    out = [{"name": name, "count": len(members), **rules.summary(members, period)} for name, members in grouped.items()]
    return sorted(out, key=lambda g: (-g["signed"], -g["contract_total"], g["name"]))


def month_series(ids, period):
    """[{month, domestic 万元, foreign_usd 万美元, foreign 万元}] for the months 1..X of the period's year."""
    found = {(r["period"].month, r["capital"]): r for r in
             Arrival.objects.filter(lead_id__in=ids, is_current=True, period__year=period.year, period__lte=period)
             .values("period", "capital").annotate(amount=Sum("amount"), usd=Sum("usd"))}
    out = []
    for month in range(1, period.month + 1):
        domestic, foreign = found.get((month, rules.DOMESTIC), {}), found.get((month, rules.FOREIGN), {})
        out.append({"month": month, "domestic": domestic.get("amount") or ZERO, "foreign": foreign.get("amount") or ZERO,
                    "foreign_usd": foreign.get("usd") or ZERO})
    return out


def _num(value):
    return None if value is None else float(value)


def contract(state):
    """`luoshi projects pipeline --json` exactly as issue 24's contract says: counts, amounts in 万元, fdi_usd in 万美元
    (year to date), rates in percent."""
    s = state["summary"]
    return {"period": f"{state['period']:%Y-%m}", "signed": s["signed"], "contract_total": _num(s["contract_total"]),
            "started": s["started"], "producing": s["producing"], "funds_arrived": _num(s["funds_arrived"]),
            "fdi_usd": _num(s["fdi_usd"]),
            "rates": {key: _num(value) for key, value in s["rates"].items()}}


def chart(state):
    """The board's charts' data: the funnel and the funds by month (numbers and fixed labels only)."""
    return {"funnel": [{"name": label, "value": count} for _, label, count in state["funnel"]],
            "months": [{"month": f"{m['month']}月", "domestic": float(m["domestic"]), "foreign": float(m["foreign"]),
                        "foreign_usd": float(m["foreign_usd"])} for m in state["months"]],
            "title": f"{state['period'].year}年1-{state['period'].month}月招商项目"}


def lead_history(lead):
    """Every stage row (versions included) with its evidence, and every 到位资金 row, newest first."""
    return {"stages": list(lead.stages.select_related("recorded_by").prefetch_related("evidence")
                           .order_by("-day", "-version", "-id")),
            "arrivals": list(lead.arrivals.select_related("recorded_by").order_by("-period", "capital", "-version"))}


# Figures offered to indicators (item 7; registered with core.offers in projects' AppConfig.ready) --------------------

def fdi_usd(region, period):
    """(万美元 of foreign capital arrived in the year up to the period, leads behind it) over the region's leads."""
    data = (Arrival.objects.filter(lead__region__code__startswith=region.prefix, capital=rules.FOREIGN, is_current=True,
                                   period__year=period.year, period__lte=period)
            .aggregate(usd=Sum("usd"), leads=Count("lead", distinct=True)))
    return data["usd"], data["leads"]


def funds_ytd(region, period):
    """(万元 of 到位资金, 内资 and 外资 converted, in the year up to the period; leads behind it)."""
    data = (Arrival.objects.filter(lead__region__code__startswith=region.prefix, is_current=True,
                                   period__year=period.year, period__lte=period)
            .aggregate(amount=Sum("amount"), leads=Count("lead", distinct=True)))
    return data["amount"], data["leads"]


def counted_investment(region, period):
    """(万元 the statistics bureau counted (入库) for the region's projects 1-X月, how many projects)."""
    data = (CountedInvestment.objects.filter(project__region__code__startswith=region.prefix, period=period)
            .aggregate(amount=Sum("amount"), projects=Count("project", distinct=True)))
    return data["amount"], data["projects"]
