"""济阳区's 招商 ledger for the demo: the 2020 pipeline of the seed — the foreign capital that arrived in 1-3月 2020
adds up to the 2,000 万美元 reported at the analysis meeting, the figure the indicator 实际利用外资 shows for 2020-03
(indicators/demo.py) — or, when the demo's day is in a later year, the same story for that year instead. Leads at every stage: 线索 and
在谈, 签约 with a contract, 注册, projects that started (each is the pool's project of that year, linked, not entered
twice), one producing, one signed in January with nothing since (listed as without progress from April). Called by
projects/demo.py. Illustrative: names and amounts are made up. Idempotent: a lead is found again by its investor,
and only the stages and months not yet recorded are added."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from luoshi.projects import rules as pool_rules
from luoshi.projects.models import Project
from luoshi.projects.pipeline import rules, services
from luoshi.projects.pipeline.models import Arrival, Lead

L, T, S, R, ST, P = rules.LEAD, rules.TALKS, rules.SIGNED, rules.REGISTERED, rules.STARTED, rules.PRODUCING
FX = {2020: Decimal("7.0"), "later": Decimal("7.1")}
# name, investor, country, unit, town, industry, contract 万元, contract 万美元, stage days (2020), 外资 by month (万美元).
# 2020's 1-3月: 800 + 400 + 300 + 200 + 300 = 2000 万美元.
FOREIGN = [
    ("丰树智慧物流园", "新加坡丰树集团", "新加坡", "370115D03", "370115001", "现代物流", 70000, 10000,
     {L: (2019, 6, 10), T: (2019, 8, 20), S: (2019, 11, 18), R: (2019, 12, 20), ST: (2020, 9, 15), P: (2021, 10, 20)}, {1: 800, 3: 400, 4: 350, 6: 500}),
    ("晓星高性能纤维项目", "韩国晓星集团", "韩国", "370115D25", "370115101", "新材料", 42000, 6000,
     {L: (2019, 3, 5), T: (2019, 5, 10), S: (2019, 9, 6), R: (2019, 10, 15), ST: (2020, 6, 1), P: (2021, 6, 18)}, {1: 300, 3: 200, 4: 150, 7: 300}),
    ("华润智能制造产业园", "华润（集团）有限公司", "中国香港", "370115D09", "370115002", "智能制造", 56000, 8000,
     {L: (2019, 9, 1), T: (2019, 11, 12), S: (2020, 1, 8), R: (2020, 2, 25), ST: (2020, 8, 3), P: (2021, 12, 1)}, {3: 300, 5: 600, 8: 400}),
]
# name, investor, unit, town, industry, contract 万元, stage days (2020), 内资 by month (万元)
DOMESTIC = [
    ("新能源专用车项目", "中国重汽集团", "370115D03", "370115003", "汽车制造", 150000,
     {L: (2019, 10, 8), T: (2019, 12, 3), S: (2020, 2, 20), R: (2020, 3, 10), ST: (2020, 7, 1), P: (2021, 9, 1)}, {3: 8000, 4: 12000, 6: 9000}),
    ("智能物流中心", "京东集团", "370115D25", "370115004", "现代物流", 80000,
     {L: (2019, 8, 1), T: (2019, 10, 1), S: (2020, 1, 15), R: (2020, 11, 2), ST: (2021, 3, 1), P: (2022, 5, 10)}, {}),  # signed in January, nothing till November
    ("云数据中心", "华为技术有限公司", "370115D03", "370115005", "数字经济", None, {L: (2020, 1, 6), T: (2020, 3, 18)}, {}),
    ("动力电池配套项目", "比亚迪股份有限公司", "370115D09", "370115101", "新能源", None, {L: (2020, 4, 9)}, {}),
    ("预制菜加工项目", "山东鲁花集团", "370115001", "370115001", "食品加工", None, {L: (2020, 2, 12), T: (2020, 4, 2)}, {}),
]
# Leads that started: the pool's projects of the year when the pool is that year's (name, start from the project),
# else these names and days. investor, own name, unit, town, industry, kind of pool project, start (2020), producing.
STARTED = [
    ("济南欣锐新能源科技有限公司", "储能电池项目", "370115D03", "370115001", "新能源", pool_rules.NEW, (2020, 3, 16), None),
    ("山东海晟智能装备有限公司", "智能装备产业园", "370115D25", "370115002", "智能制造", pool_rules.NEW, (2020, 4, 8), None),
    ("鲁商集团有限公司", "鲁商健康食品产业园", "370115D03", "370115101", "食品加工", pool_rules.CONTINUING, (2019, 10, 9),
     (2020, 4, 28)),
]
PHASE = "一二三四五六七八九十"


def _day(spec, year):
    y, m, d = spec
    return date(y + year - 2020, m, d)


def _name(name, year):
    return name if year == 2020 else f"{name}{PHASE[min(year - 2020, 9)]}期"


def _evidence(stage):
    return [ContentFile(b"%PDF-1.4 demo", name=f"{rules.EVIDENCE_NEEDED[stage]}（示意）.pdf")] if stage in rules.EVIDENCE_NEEDED else []


def _content(industry, year):
    """The lead's 项目内容, which also tells the demo's leads of each year apart (found again by investor and it)."""
    return f"{industry}项目，{year}年度招商（演示）"


def _find(district, investor, industry, year):
    return Lead.objects.filter(region=district, investor=investor, content=_content(industry, year)).first()


def _lead(district, units, regions, investor, name, unit, town, capital, year, industry, **details):
    lead = _find(district, investor, industry, year)
    if lead is not None:
        return lead
    lead, _ = services.save_lead(None, region=district, name=name, unit=units[unit], town=regions.get(town),
                                 capital=capital, investor=investor, industry=industry,
                                 content=_content(industry, year), source="demo", **details)
    return lead


def _stages(lead, days, as_of, contract):
    have = services.reached(lead)
    for stage in rules.STAGES[1:]:
        day = days.get(stage)
        if day is None or stage in have or day > as_of:
            continue
        services.advance(None, lead, stage=stage, day=day, note=f"{rules.STAGE_LABELS[stage]}（演示）",
                         files=_evidence(stage), contract_investment=contract if stage == S else None, source="demo")
        have[stage] = day


def _arrivals(lead, year, months, as_of, capital, fx):
    done = set(Arrival.objects.filter(lead=lead, is_current=True, capital=capital).values_list("period", flat=True))
    signed = services.reached(lead).get(S)
    for month, value in months.items():
        period = date(year, month, 1)
        if period in done or period >= as_of.replace(day=1) or signed is None or (signed.year, signed.month) > (year, month):
            continue
        if capital == rules.FOREIGN:
            services.record_arrival(None, lead, period=period, capital=capital, usd=Decimal(value), fx=fx, source="demo")
        else:
            services.record_arrival(None, lead, period=period, capital=capital, amount=Decimal(value), source="demo")


def _pool_match(district, year, as_of, kind):
    """A project of the pool of `year` (the demo's year) for a started lead: not linked yet, 产业项目, started by the
    demo's day (a 新建 one in that year), 商务局's and 投促中心's first."""
    found = Project.objects.filter(region=district, source="", kind=kind, category="产业项目", started_on__lte=as_of,
                                   year_plans__year=year)
    if kind == pool_rules.NEW:
        found = found.filter(started_on__year=year)
    found = sorted(found, key=lambda p: (p.unit.code not in ("370115D03", "370115D25"), p.order, p.pk))
    return found[0] if found else None


def pipeline_for(year, ctx):
    as_of, district, units, regions = ctx["as_of"], ctx["district"], ctx["units"], ctx.get("regions", {})
    fx = FX[2020] if year == 2020 else FX["later"]
    for name, investor, country, unit, town, industry, contract, usd, days, months in FOREIGN:
        days = {s: _day(d, year) for s, d in days.items()}
        if days[L] > as_of:
            continue
        lead = _lead(district, units, regions, investor, _name(name, year), unit, town, rules.FOREIGN, year, industry,
                     country=country, contract_usd=Decimal(usd), lead_on=days[L], note="客商来访（演示）")
        _stages(lead, days, as_of, Decimal(contract))
        _arrivals(lead, year, months, as_of, rules.FOREIGN, fx)
    for name, investor, unit, town, industry, contract, days, months in DOMESTIC:
        days = {s: _day(d, year) for s, d in days.items()}
        if days[L] > as_of:
            continue
        lead = _lead(district, units, regions, investor, _name(name, year), unit, town, rules.DOMESTIC, year,
                     industry, lead_on=days[L], note="招商推介会对接（演示）")
        _stages(lead, days, as_of, Decimal(contract) if contract else None)
        _arrivals(lead, year, months, as_of, rules.DOMESTIC, fx)
    for investor, name, unit, town, industry, kind, start, producing in STARTED:
        lead = _find(district, investor, industry, year)
        match = _pool_match(district, year, as_of, kind) if lead is None and as_of.year == year else None
        if lead is not None:
            start_day = services.reached(lead).get(ST) or _day(start, year)
            contract = lead.contract_investment or Decimal(60000)
        else:
            start_day = match.started_on if match else _day(start, year)
            contract = match.total_investment if match else Decimal(60000)
        days = {L: start_day - timedelta(days=240), T: start_day - timedelta(days=150),
                S: start_day - timedelta(days=90), R: start_day - timedelta(days=40), ST: start_day}
        if producing:
            days[P] = _day(producing, year)
        elif match is None:
            days[P] = start_day + timedelta(days=400)
        if days[L] > as_of:
            continue
        lead = lead or _lead(district, units, regions, investor, match.name if match else _name(name, year), unit,
                             town, rules.DOMESTIC, year, industry, lead_on=days[L], note="以商招商（演示）")
        _stages(lead, days, as_of, contract)
        monthly = (contract * Decimal("0.04")).quantize(Decimal("0.01"))
        _arrivals(lead, year, {m: monthly for m in range(1, 13)}, as_of, rules.DOMESTIC, fx)


def build(ctx):
    """The demo's year only: 2020's is the seed's (its 1-3月 外资 the indicator's 2,000 万美元); a demo of a later day
    has that year's ledger (2020's leads would have become projects years overdue in key work)."""
    pipeline_for(ctx["as_of"].year, ctx)
    return ctx
