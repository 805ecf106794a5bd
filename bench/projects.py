"""Projects benchmark (issue 24 "Speed"): a province-size pool and 招商 ledger.

    LUOSHI_DATA_DIR=/tmp/projects-bench .venv/bin/python bench/projects.py [--runs N]

The build: 14 cities × 10 counties = 140 counties, each with 10 units, 150 projects (half 新建, half 续建; a year
plan for 2020) and 12 monthly reports per project (2020-01…12: 252,000 reports), and 20,000 招商 leads with their
stages and 到位资金 — all written with bulk_create, NOT through projects.services (which would create the key-work
tasks, PoolMoves and audit entries one by one and make the build take hours); the queries read the same rows either
way. For the import, a county of 1,000 projects (also bulk_create) is exported as its March 调度表 and that file imported
through the importer (projects.transfers.run_import, the code behind `luoshi projects import`) into an empty county
with units of the same short names: 1,000 projects created with their key-work tasks, nodes and reports (projects.bulk:
the rows and audit entries services.py would write one by one). Then the same file again (nothing changes), and the
April table (1,000 projects unchanged, every started project's April reported: the monthly case).
`--import-only` builds just the two counties of the import (a quick run); `--profile` adds a cProfile of the first
import.

Measures, warm (one warm-up, then N runs, median and worst): a county's status for 2020-12 (projects.queries.status,
the query behind `luoshi projects status`; goal ≤ 100 ms), the county's 调度表 export (status + xlsx; goal ≤ 100 ms),
the city's ranking of 开工率 and 投资完成率 over its 10 counties (projects.queries.county_ranking; goal ≤ 150 ms); once:
the 1,000-row imports (goal ≤ 2 s each).
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-projects-"))
os.environ.setdefault("LUOSHI_HTTPS", "0")
GOALS = {"status_ms": 100, "export_ms": 100, "ranking_ms": 150, "import_s": 2.0}
CITIES, COUNTIES, UNITS, PROJECTS, LEADS = 14, 10, 10, 150, 20_000
YEAR = 2020
UNIT_NAMES = [("发展和改革局", "发改局"), ("工业和信息化局", "工信局"), ("商务局", "商务局"), ("住房和城乡建设局", "住建局"),
              ("交通运输局", "交通局"), ("农业农村局", "农业农村局"), ("文化和旅游局", "文旅局"), ("教育和体育局", "教体局"),
              ("卫生健康局", "卫健局"), ("水务局", "水务局")]


def _units(county, prefix=True):
    from luoshi.orgs.models import Unit, UnitKind

    # the import's two counties: the same unit names, as one county's table is written for the other
    return [Unit(code=f"{county.code}-{i:02d}", name=f"{county.name if prefix else ''}{name}", short_name=short, kind=UnitKind.DEPARTMENT,
                 region=county) for i, (name, short) in enumerate(UNIT_NAMES)]


def _projects(county, units, count, tag=""):
    from luoshi.projects.models import Project
    from luoshi.projects.rules import CONTINUING, NEW

    out = []
    for n in range(count):
        new = n % 2 == 0
        started = date(YEAR, 1 + n % 9, 10) if new and n % 3 else (None if new else date(YEAR - 1, 5, 1))
        out.append(Project(region=county, name=f"{county.name}{tag}重点项目{n + 1}", category="产业项目",
                           kind=NEW if new else CONTINUING, total_investment=Decimal(20000 + n * 10),
                           unit=units[n % len(units)], planned_start=date(YEAR, 1 + n % 9, 1) if new else None,
                           started_on=started, statistics_on=started if started and n % 4 else None,
                           start_year=YEAR if new else YEAR - 1, end_year=YEAR + 1, order=n + 1))
    return out


def _plans_and_reports(projects, months=12):
    from luoshi.projects.models import MonthlyReport, YearPlan

    plans = [YearPlan(project=p, year=YEAR, planned=Decimal(12000)) for p in projects]
    reports = [MonthlyReport(project=p, unit_id=p.unit_id, period=date(YEAR, m, 1), amount=Decimal(800 + (p.pk % 7) * 50),
                             progress=f"{m}月形象进度", source="import")
               for p in projects for m in range(1, months + 1) if not (p.started_on is None and p.kind == "new")]
    return plans, reports


def build(log=print):
    from luoshi.orgs.models import Region, RegionLevel, Unit
    from luoshi.projects.models import MonthlyReport, Project, YearPlan
    from luoshi.projects.pipeline import rules as lead_rules
    from luoshi.projects.pipeline.models import Arrival, Lead, LeadStage

    started = time.perf_counter()
    cities = Region.objects.bulk_create([Region(code=f"37{c + 1:02d}00", name=f"基准{c + 1}市", level=RegionLevel.CITY)
                                         for c in range(CITIES)])
    counties = Region.objects.bulk_create([Region(code=f"{city.code[:4]}{k + 1:02d}", name=f"基准{c + 1}市第{k + 1}区",
                                                  level=RegionLevel.COUNTY, parent=city)
                                           for c, city in enumerate(cities) for k in range(COUNTIES)])
    units = {}
    for county in counties:
        units[county.pk] = _units(county)
    Unit.objects.bulk_create([u for us in units.values() for u in us], batch_size=2000)
    projects = Project.objects.bulk_create([p for c in counties for p in _projects(c, units[c.pk], PROJECTS)],
                                           batch_size=2000)
    plans, reports = _plans_and_reports(projects)
    YearPlan.objects.bulk_create(plans, batch_size=5000)
    MonthlyReport.objects.bulk_create(reports, batch_size=5000)
    log(f"pool: {len(counties)} counties, {len(projects)} projects, {len(reports)} monthly reports "
        f"({time.perf_counter() - started:.0f} s)")
    leads, stages, arrivals = [], [], []
    for n in range(LEADS):
        county = counties[n % len(counties)]
        foreign = n % 5 == 0
        leads.append(Lead(region=county, name=f"{county.name}招商项目{n + 1}", unit=units[county.pk][2],
                          capital=lead_rules.FOREIGN if foreign else lead_rules.DOMESTIC,
                          country="新加坡" if foreign else "", contract_investment=Decimal(10000 + n % 50 * 100),
                          contract_usd=Decimal(1000) if foreign else None))
    Lead.objects.bulk_create(leads, batch_size=5000)
    for n, lead in enumerate(leads):
        reached = lead_rules.STAGES[:1 + n % len(lead_rules.STAGES)]
        for i, stage in enumerate(reached):
            stages.append(LeadStage(lead=lead, stage=stage, day=date(YEAR, 1 + i, 5 + n % 20), source="import"))
        if lead_rules.SIGNED in reached:
            for m in (2, 3, 4):
                arrivals.append(Arrival(lead=lead, period=date(YEAR, m, 1), capital=lead.capital, amount=Decimal(700),
                                        usd=Decimal(100) if lead.capital == lead_rules.FOREIGN else None,
                                        rate=Decimal(7) if lead.capital == lead_rules.FOREIGN else None, source="import"))
        lead.stage, lead.stage_on = reached[-1], stages[-1].day
    Lead.objects.bulk_update(leads, ["stage", "stage_on"], batch_size=5000)
    LeadStage.objects.bulk_create(stages, batch_size=5000)
    Arrival.objects.bulk_create(arrivals, batch_size=5000)
    log(f"ledger: {len(leads)} leads, {len(stages)} stages, {len(arrivals)} 到位资金 rows; build "
        f"{time.perf_counter() - started:.0f} s in all (bulk_create)")


def build_import_counties():
    """The import's source (1,000 projects) and target (empty) counties, in a city of their own (not in the
    ranking)."""
    from luoshi.orgs.models import Region, RegionLevel, Unit
    from luoshi.projects.models import MonthlyReport, Project, YearPlan

    city = Region.objects.create(code="379900", name="基准导入市", level=RegionLevel.CITY)
    source = Region.objects.create(code="379901", name="基准导入源区", level=RegionLevel.COUNTY, parent=city)
    target = Region.objects.create(code="379902", name="基准导入区", level=RegionLevel.COUNTY, parent=city)
    source_units = Unit.objects.bulk_create(_units(source, prefix=False))
    Unit.objects.bulk_create(_units(target, prefix=False))
    big = Project.objects.bulk_create(_projects(source, source_units, 1000), batch_size=2000)
    plans, reports = _plans_and_reports(big, months=4)  # the import takes March, then April
    YearPlan.objects.bulk_create(plans, batch_size=5000)
    MonthlyReport.objects.bulk_create(reports, batch_size=5000)


def timed(function, runs):
    function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--import-only", action="store_true",
                        help="build only the import's two counties and time the imports (a quick run)")
    parser.add_argument("--profile", action="store_true", help="cProfile the first import (top 25 by cumulative time)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from luoshi.orgs.models import Region
    from luoshi.projects import queries, transfers
    from luoshi.projects.exports import ScheduleTable

    call_command("migrate", "--noinput", verbosity=0)
    if not Region.objects.filter(code="379901").exists():
        build_import_counties()
    if not args.import_only and not Region.objects.filter(code="370101").exists():
        build()
    from django.db import connection

    if connection.vendor == "postgresql":  # what autovacuum does to a live database: the planner's statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results = {}
    period = date(YEAR, 12, 1)
    if not args.import_only:
        county, city = Region.objects.get(code="370101"), Region.objects.get(code="370100")
        results["status_ms"] = timed(lambda: queries.status(county, period), args.runs)
        results["export_ms"] = timed(lambda: ScheduleTable(queries.status(county, period)).render("xlsx"), args.runs)
        results["ranking_ms"] = timed(lambda: queries.county_ranking(city, period), args.runs)
    source, target = Region.objects.get(code="379901"), Region.objects.get(code="379902")
    march, april = date(YEAR, 3, 1), date(YEAR, 4, 1)
    _, _, data = ScheduleTable(queries.status(source, march)).render("xlsx")
    _, _, next_month = ScheduleTable(queries.status(source, april)).render("xlsx")
    if target.projects.exists():
        sys.exit("the target county 379902 already holds projects: use a fresh LUOSHI_DATA_DIR")

    cpu = {}

    def run(data, month):
        started, cpu_started = time.perf_counter(), time.process_time()
        outcome = transfers.run_import(data, region=target, period=month, filename="调度表.xlsx")
        cpu.setdefault(month, time.process_time() - cpu_started)  # this process's CPU: less sensitive to a busy machine
        return outcome, time.perf_counter() - started

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    first, results["import_s"] = run(data, march)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("TOP", 25)))
    again, again_s = run(data, march)
    monthly, results["monthly_s"] = run(next_month, april)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.2f}")
    ok = True
    if not args.import_only:
        state = queries.status(county, period)
        print(f"county 370101: {state['summary']['count']} projects; city 370100: "
              f"{len(queries.county_ranking(city, period))} counties")
        for key, label in (("status_ms", "county status (2020-12)"), ("export_ms", "调度表 export (xlsx)"),
                           ("ranking_ms", "city ranking (10 counties)")):
            median, worst = results[key]
            ok &= median <= GOALS[key]
            print(f"{label}: median {median:.1f} ms, worst {worst:.1f} ms (goal ≤ {GOALS[key]} ms)")
    for key, outcome, label in (("import_s", first, "first (projects created)"),
                                ("monthly_s", monthly, "next month (April)")):
        ok &= results[key] <= GOALS["import_s"]
        print(f"1,000-row 调度表 import, {label}: {results[key]:.2f} s (goal ≤ {GOALS['import_s']} s; CPU "
              f"{cpu[march if key == 'import_s' else april]:.2f} s): "
              f"{outcome['created']} created, {outcome['updated']} updated, {outcome['unchanged']} unchanged, "
              f"{outcome['reports']} reports, {outcome['corrected']} corrected")
    print(f"the March table again: {again_s:.2f} s ({again['unchanged']} projects unchanged, "
          f"{again['reports_unchanged']} reports unchanged)")
    print("OK" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
