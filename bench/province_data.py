"""The province benchmark's data (bench/province.py), written straight into the primary in big batches.

Province size (issue #16): 14 cities → 140 counties → 1,800 towns → 70,000 villages (each with a reporter account
and its own API token), 60 indicators × 60 months of figures for every county, 20,000 key-work tasks with 100,000
milestones (5 each, chained) and their monthly progress reports. County size: one county's share of that (13 towns,
500 villages, 143 tasks), with the figures of the 10 counties of its city (the peers its ranks and the city matrix
compare it with). Services are called only where correctness needs them (the forms and their villages, the leader
account and token); everything else goes in with bulk_create or COPY, as bench/daily.py, bench/work.py and
bench/indicators.py build their data.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from bench.daily import FIELDS as FORM_FIELDS  # the same form as the county daily bench

PROVINCE = {"cities": 14, "counties": 140, "figure_counties": 140, "towns": 1800, "villages": 70000, "tasks": 20000}
COUNTY = {"cities": 1, "counties": 1, "figure_counties": 10, "towns": 13, "villages": 500, "tasks": 143}
INDICATORS, MONTHS, MILESTONES_PER_TASK, DEPARTMENTS = 60, 60, 5, 20
CAMPAIGNS = 8
# One form per city and per submission run, so the run with one app server and the run with two each send every
# village's first report of the day (the fast path), on the same data.
RUNS = ("a", "b")
BATCH = 5000


def sizes(size, scale):
    base = PROVINCE if size == "province" else COUNTY
    out = {k: max(1, round(v * scale)) for k, v in base.items()}
    out["cities"] = min(out["cities"], out["counties"]) if size == "province" else 1
    out["figure_counties"] = max(out["figure_counties"], out["counties"])
    out["towns"] = max(out["towns"], out["counties"])
    out["villages"] = max(out["villages"], out["towns"])
    return out


@dataclass
class Built:
    counts: dict
    today: date
    period: date  # the newest month of figures (the pack's and the matrix's period)
    cities: list = field(default_factory=list)  # city codes
    county: str = ""  # the measured county (the first)
    county_city: str = ""
    villages: list = field(default_factory=list)  # (village code, form code prefix)
    tokens: dict = field(default_factory=dict)  # village code → raw token
    leader_token: str = ""
    county_tasks: int = 0
    county_villages: int = 0
    county_towns: int = 0


def spread(total, parts):
    """`total` items over `parts` holders as evenly as possible: the count for each holder."""
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


def build(size="province", scale=1.0, log=print):
    import time

    from django.db import connection, transaction
    from django.utils import timezone

    n = sizes(size, scale)
    today = timezone.localdate()
    period = date(today.year, today.month, 1)
    built = Built(counts=n, today=today, period=period)
    step = time.perf_counter()

    def done(what):
        nonlocal step
        now = time.perf_counter()
        log(f"  {what}：{now - step:.1f} 秒")
        step = now

    with transaction.atomic():
        counties, figure_counties, towns = _regions(built, n)
        done(f"地区 {n['cities']} 市、{len(figure_counties)} 县、{len(towns)} 镇")
        villages = _villages(built, n, towns)
        done(f"{len(villages)} 个村（社区）、村委会、填报员账号和令牌")
        _figures(built, figure_counties, period)
        done(f"指标数据 {len(figure_counties)} × {INDICATORS} × {MONTHS} 及同级增速汇总")
        _work(built, n, counties, today)
        done(f"{n['tasks']} 项任务、{n['tasks'] * MILESTONES_PER_TASK} 个节点和进度报告")
        _daily(built, today)
        done(f"日报表单 {len(built.cities) * len(RUNS)} 张，派发到全部村")
        _leader(built, counties[0])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does within a minute of a bulk load (as the other benches)
    done("VACUUM ANALYZE")
    return built


def _regions(built, n):
    from luoshi.orgs.models import Region, RegionLevel

    cities = Region.objects.bulk_create([Region(code=f"37{c + 1:02d}00", name=f"基准{c + 1}市", level=RegionLevel.CITY)
                                         for c in range(n["cities"])])
    per_city = spread(n["figure_counties"], n["cities"])
    counties = []
    for city, count in zip(cities, per_city):
        counties += [Region(code=f"{city.code[:4]}{k + 1:02d}", name=f"{city.name}第{k + 1}区", level=RegionLevel.COUNTY,
                            parent=city) for k in range(count)]
    counties = Region.objects.bulk_create(counties)
    active = counties[:n["counties"]]  # a county-size run: one county measured, its peers have figures only
    towns = []
    for county, count in zip(active, spread(n["towns"], len(active))):
        towns += [Region(code=f"{county.code}{t + 1:03d}", name=f"{county.name}第{t + 1}镇", level=RegionLevel.TOWN,
                         parent=county) for t in range(count)]
    towns = Region.objects.bulk_create(towns, batch_size=BATCH)
    built.cities = [c.code for c in cities]
    built.county = active[0].code
    built.county_city = next(c.code for c in cities if c.pk == active[0].parent_id)
    built.county_towns = sum(1 for t in towns if t.parent_id == active[0].pk)
    return active, counties, towns


def _villages(built, n, towns):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from luoshi.orgs.models import ApiToken, Region, RegionLevel, Role, RoleAssignment, Unit, UnitKind

    villages = []
    for town, count in zip(towns, spread(n["villages"], len(towns))):
        villages += [Region(code=f"{town.code}{v + 1:03d}", name=f"{town.name}第{v + 1}村", level=RegionLevel.VILLAGE,
                            parent=town) for v in range(count)]
    villages = Region.objects.bulk_create(villages, batch_size=BATCH)
    units = Unit.objects.bulk_create([Unit(code=v.code, name=f"{v.name}村民委员会", kind=UnitKind.VILLAGE, region=v)
                                      for v in villages], batch_size=BATCH)
    User = get_user_model()
    unusable = make_password(None)
    users = User.objects.bulk_create([User(username=f"r{v.code}", password=unusable) for v in villages], batch_size=BATCH)
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=Role.REPORTER, unit=unit) for u, unit in zip(users, units)],
                                       batch_size=BATCH)
    rows = []
    for user, village in zip(users, villages):
        raw = f"ls_prov_{village.code}"
        built.tokens[village.code] = raw
        rows.append(ApiToken(user=user, name="bench", prefix=raw[:10], digest=ApiToken.digest_of(raw)))
    ApiToken.objects.bulk_create(rows, batch_size=BATCH)
    built.villages = [(v.code, v.code[:4] + "00") for v in villages]
    built.county_villages = sum(1 for v in villages if v.code.startswith(built.county))
    return villages


def _figures(built, counties, period):
    from django.utils import timezone

    from luoshi.indicators import peers, services
    from luoshi.indicators.models import Indicator, Target

    indicators = Indicator.objects.bulk_create([Indicator(code=f"prov_{k:02d}", name=f"基准指标{k}", unit="亿元",
                                                          frequency="monthly", kind="total", jan_with_feb=False, order=200 + k)
                                                for k in range(1, INDICATORS + 1)])
    periods = []
    y, m = period.year, period.month
    for _ in range(MONTHS):
        periods.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    periods.reverse()
    now = timezone.now()
    rows = ((region.pk, indicator.pk, p, 1, True, Decimal(100 + r % 50 + k), Decimal((r * 7 + i * 3 + k) % 25 - 5), "基准", now, None)
            for r, region in enumerate(counties) for i, indicator in enumerate(indicators) for k, p in enumerate(periods))
    services._insert(rows)  # COPY, the import's own fast insert
    # This year's targets near where each county stands (from 6 % behind to 8 % ahead), so that, as in a real county,
    # some indicators are on track and some are not (the pack draws a chart for each 短板 indicator).
    last = len(periods) - 1
    Target.objects.bulk_create([Target(region=region, indicator=indicator, year=period.year,
                                       value=Decimal(100 + r % 50 + last) * Decimal(100 + (r * 5 + i * 3) % 15 - 6) / 100,
                                       growth=Decimal(6))
                                for r, region in enumerate(counties) for i, indicator in enumerate(indicators)], batch_size=BATCH)
    peers.rebuild_all()  # what `luoshi indicators rebuild-peers` does after a raw load


def _work(built, n, counties, today):
    from luoshi.orgs.models import Unit, UnitKind
    from luoshi.work.models import Campaign, Milestone, ProgressReport, ReportCompletion, Task, TaskRole, TaskUnit

    rng = random.Random(20000)
    departments = {}
    rows = []
    for county in counties:
        rows += [Unit(code=f"{county.code}D{d:02d}", name=f"{county.name}部门{d:02d}", short_name=f"部门{d:02d}",
                      kind=UnitKind.DEPARTMENT, region=county) for d in range(1, DEPARTMENTS + 1)]
    for unit in Unit.objects.bulk_create(rows, batch_size=BATCH):
        departments.setdefault(unit.region_id, []).append(unit)
    campaigns = Campaign.objects.bulk_create([Campaign(name=f"攻坚战{k + 1}", order=k) for k in range(CAMPAIGNS)])
    tasks = []
    for county, count in zip(counties, spread(n["tasks"], len(counties))):
        units = departments[county.pk]
        for k in range(count):
            start = today - timedelta(days=200 + rng.randrange(90))
            tasks.append(Task(campaign=campaigns[k % CAMPAIGNS], number=f"{county.code}-{k + 1}",
                              title=f"重点任务{k + 1}：推进某项工作落实", lead_unit=units[k % DEPARTMENTS], start=start,
                              deadline=start + timedelta(days=180 + rng.randrange(150)), order=k))
    tasks = Task.objects.bulk_create(tasks, batch_size=BATCH)
    built.county_tasks = sum(1 for t in tasks if t.number.startswith(built.county + "-"))
    links = []
    for k, task in enumerate(tasks):
        units = departments[task.lead_unit.region_id]
        links += [TaskUnit(task=task, unit=task.lead_unit, role=TaskRole.LEAD),
                  TaskUnit(task=task, unit=units[(k + 7) % DEPARTMENTS], role=TaskRole.RESPONSIBLE),
                  TaskUnit(task=task, unit=units[(k + 13) % DEPARTMENTS], role=TaskRole.COOPERATING)]
    TaskUnit.objects.bulk_create(links, batch_size=BATCH)
    # Monthly progress reports from the start up to today, 85 % of months; `series` is each report's own id.
    reports = []
    for task in tasks:
        day = task.start + timedelta(days=30)
        while day < today:
            if rng.random() < 0.85:
                reports.append(ProgressReport(task=task, unit=task.lead_unit, reported_on=day, percent=rng.randrange(101),
                                              done_text="按计划推进", source="bench"))
            day += timedelta(days=30)
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE work_progressreport SET series = id WHERE series IS NULL")
    last_report = {}
    for r in reports:
        last_report[r.task_id] = r
    # Milestones in plan order, each following the one before it: one insert per position, so that `follows`
    # can be given at insert time.
    previous = {}
    completions = []
    for k in range(MILESTONES_PER_TASK):
        rows = []
        for task in tasks:
            span = (task.deadline - task.start).days
            due = task.start + timedelta(days=span * (k + 1) // MILESTONES_PER_TASK)
            done_on = None
            if due < today and rng.random() < 0.8:
                done_on = min(due + timedelta(days=rng.randrange(-5, 15)), today)
            rows.append(Milestone(task=task, number=f"{task.number}.{k + 1}", title=f"节点{k + 1}", due=due, order=k,
                                  follows=previous.get(task.pk), done_on=done_on))
        rows = Milestone.objects.bulk_create(rows, batch_size=BATCH)
        for m in rows:
            previous[m.task_id] = m
            report = last_report.get(m.task_id)
            if m.done_on and report is not None:
                completions.append(ReportCompletion(report=report, milestone=m, done_on=m.done_on))
    ReportCompletion.objects.bulk_create(completions, batch_size=BATCH)


def _daily(built, today):
    from luoshi.daily import services as daily_services
    from luoshi.orgs.models import Region

    for city in Region.objects.filter(code__in=built.cities):
        if not Region.objects.filter(code__startswith=city.prefix, level="village").exists():
            continue
        for run in RUNS:
            form = daily_services.define_form(None, code=f"prov-{run}-{city.code}", title=f"疫情防控日报{run.upper()}",
                                              region=city, fields=FORM_FIELDS, deadline="23:59")
            daily_services.assign_villages(None, form, [city.code], today)


def _leader(built, county):
    from luoshi.orgs import services as org_services
    from luoshi.orgs.models import Role

    leader = org_services.create_account(None, username="prov_leader", password="prov-leader-pw-1", full_name="区长")
    org_services.assign_role(None, user=leader, role=Role.LEADER, region=county)
    _, built.leader_token = org_services.create_api_token(None, leader, "bench")
