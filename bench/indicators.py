"""Benchmark the indicator module: 150 regions × 60 indicators × 60 months (540,000 figures).

Prints the server time of the indicator table for one region and period, of the city matrix (the query; the page
with and without a period, the JSON API and the xlsx export, in-process through the test client), and of importing a
100,000-row file (xlsx and csv). Run on a throwaway PostgreSQL:

    scripts/with-postgres.sh .venv/bin/python bench/indicators.py

BENCH_SCALE=0.1 shrinks the data for a quick check. Uses its own database (DATABASE_URL or a temporary SQLite file).
"""

import csv
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
REGIONS, INDICATORS, MONTHS = max(3, int(150 * SCALE)), max(3, int(60 * SCALE)), 60
IMPORT_ROWS = int(100_000 * SCALE)


def timed(func, repeat=15):
    for _ in range(3):  # warm up
        func()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs)


def main():
    from django.db import transaction
    from django.utils import timezone

    from luoshi.indicators import queries, services
    from luoshi.indicators.models import Figure, Indicator, Target
    from luoshi.indicators.transfers import import_indicators
    from luoshi.orgs.models import Region, RegionLevel

    call_command("migrate", verbosity=0)
    if Figure.objects.exists():
        sys.exit("基准需要一个空数据库")
    print(f"数据库：{connection.vendor}；{REGIONS} 个地区 × {INDICATORS} 个指标 × {MONTHS} 个月")
    start = time.perf_counter()
    city = Region.objects.create(code="379900", name="基准市", level=RegionLevel.CITY)
    regions = Region.objects.bulk_create([Region(code=f"3799{n:02d}" if n < 100 else f"37{n:04d}", name=f"基准区{n}",
                                                 level=RegionLevel.COUNTY, parent=city) for n in range(1, REGIONS + 1)])
    indicators = Indicator.objects.bulk_create([Indicator(code=f"bench_{n:02d}", name=f"基准指标{n}", unit="亿元",
                                                          frequency="monthly", kind="total", jan_with_feb=False, order=200 + n)
                                                for n in range(1, INDICATORS + 1)])
    periods = [date(2016 + m // 12, m % 12 + 1, 1) for m in range(MONTHS)]
    now = timezone.now()
    with transaction.atomic():  # the same fast insert the import uses (COPY on PostgreSQL)
        services._insert([(region.pk, indicator.pk, period, 1, True, Decimal(100 + r + p), Decimal((r * 7 + i * 3 + p) % 25 - 5),
                           "基准", now, None)
                          for r, region in enumerate(regions) for i, indicator in enumerate(indicators)
                          for p, period in enumerate(periods)])
    Target.objects.bulk_create([Target(region=region, indicator=indicator, year=2020, value=Decimal(2000), growth=Decimal(6))
                                for region in regions for indicator in indicators])
    # The figures went in through the import's raw insert, so the peers' growth summaries that save_figures keeps
    # are built here, all at once (what `luoshi indicators rebuild-peers` does).
    from luoshi.indicators import peers

    summaries_start = time.perf_counter()
    with transaction.atomic():
        summaries = peers.rebuild_all()
    print(f"同级地区增速汇总：{summaries} 组，用时 {time.perf_counter() - summaries_start:.1f} 秒")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a table after a bulk load
    print(f"准备数据：{Figure.objects.count()} 条指标数据，用时 {time.perf_counter() - start:.0f} 秒")

    region, period = regions[len(regions) // 2], date(2020, 6, 1)
    with CaptureQueriesContext(connection) as queries_used:
        rows = queries.table(region, period)
    # 45 runs (about 2 s): on a shared 2-core host a burst of 15 could fall entirely into a slow second or two.
    median, best = timed(lambda: queries.table(region, period), repeat=45)
    print(f"指标表（一个地区一个期间，{len(rows)} 行，{len(queries_used)} 次查询）：中位数 {median:.1f} ms，最快 {best:.1f} ms（目标 ≤ 50 ms）")
    with CaptureQueriesContext(connection) as queries_used:
        data = queries.matrix(city, period)
    median, best = timed(lambda: queries.matrix(city, period), repeat=7)
    print(f"全市对比（{len(data['rows'])} 个地区 × {len(data['indicators'])} 个指标，{len(queries_used)} 次查询）："
          f"中位数 {median:.1f} ms，最快 {best:.1f} ms（目标 ≤ 200 ms）")

    from django.test import Client
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("bench", password="bench-password-1")
    from django.conf import settings

    client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".").replace("*", "localhost"))
    client.force_login(admin)
    for label, url, goal, repeat in [
            ("指标表页面（含模板渲染）", f"/indicators/?region={region.code}&period=2020-06", "", 7),
            ("全市对比页面（含模板渲染）", f"/indicators/matrix/?city={city.code}&period=2020-06", "（目标 ≤ 150 ms）", 7),
            ("全市对比页面（默认期间）", f"/indicators/matrix/?city={city.code}", "", 7),
            ("全市对比 API", f"/api/v1/indicators/matrix?city={city.code}&period=2020-06", "", 7),
            ("全市对比 Excel 导出", f"/indicators/matrix/export.xlsx?city={city.code}&period=2020-06", "", 3)]:
        assert client.get(url).status_code == 200, url
        median, best = timed(lambda: client.get(url), repeat=repeat)
        print(f"{label}：中位数 {median:.1f} ms，最快 {best:.1f} ms{goal}")

    header = ["地区代码", "地区名称", "指标代码", "指标名称", "单位", "期间", "累计值", "同比增长(%)"]
    rows = []
    for region_ in regions:
        for indicator in indicators:
            for month in range(1, 13):
                if len(rows) < IMPORT_ROWS:
                    rows.append([region_.code, region_.name, indicator.code, indicator.name, "万元", f"2021-{month:02d}",
                                 str(10000 + month), f"{month % 9 - 3}.5"])
    folder = Path(tempfile.mkdtemp(prefix="luoshi-bench-files-"))
    csv_path = folder / "figures.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header] + rows)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("指标数据")
    sheet.append(header)
    for row in rows:
        sheet.append(row[:6] + [float(row[6]), float(row[7])])
    xlsx_path = folder / "figures.xlsx"
    book.save(xlsx_path)
    rows_2021 = Figure.objects.filter(period__year=2021)
    start = time.perf_counter()
    summary = import_indicators(str(xlsx_path), filename=str(xlsx_path))
    print(f"导入 {len(rows)} 行 xlsx：{time.perf_counter() - start:.2f} 秒（目标 ≤ 10 秒）— {summary}")
    start = time.perf_counter()
    summary = import_indicators(str(xlsx_path), filename=str(xlsx_path))
    print(f"再次导入同一 xlsx（不产生变化）：{time.perf_counter() - start:.2f} 秒 — {summary}")
    rows_2021.delete()
    start = time.perf_counter()
    summary = import_indicators(str(csv_path), filename=str(csv_path))
    print(f"导入 {len(rows)} 行 csv：{time.perf_counter() - start:.2f} 秒 — {summary}")


if __name__ == "__main__":
    main()
