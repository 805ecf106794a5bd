"""Key-work benchmark: 5,000 tasks and 25,000 milestones.

    scripts/with-postgres.sh .venv/bin/python bench/work.py      (PostgreSQL, the figures in docs/benchmarks.md)
    .venv/bin/python bench/work.py                                (SQLite in a temporary data folder)

Prints: the time to judge every milestone as of a date, the time to build the Gantt rows for all tasks (server
side: queries, rules, JSON) — the request right after a progress report (the goal's figure), with nothing changed,
the first request for a date in a fresh server process with nothing stored (every task judged), and the first request
of the day in a fresh process once the worker has judged every task (`luoshi work judge`: the parts read from the
database, work.judged; the job's own time is printed too) — and the time until the Gantt page
has drawn in headless Chromium (from navigation start to ECharts' "finished" event). Goals on the 2-core
development machine: ≤ 2 s, ≤ 200 ms, ≤ 2 s.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-work-"))
os.environ.setdefault("LUOSHI_HTTPS", "0")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

TASKS = 5000
MILESTONES_PER_TASK = 5
AS_OF = date(2020, 6, 15)
GOALS = {"status": 2.0, "gantt_rows": 0.2, "drawn": 2.0, "first_of_day": 0.15}


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build():
    from luoshi.orgs import services as org_services
    from luoshi.orgs.models import RegionLevel, Unit, UnitKind
    from luoshi.work.models import Campaign, Milestone, ProgressReport, ReportCompletion, Task, TaskRole, TaskUnit

    rng = random.Random(5000)
    city, _ = org_services.save_region(None, code="370100", name="济南市", level=RegionLevel.CITY)
    district, _ = org_services.save_region(None, code="370115", name="济阳区", level=RegionLevel.COUNTY, parent=city)
    units = Unit.objects.bulk_create([Unit(code=f"370115D{i:02d}", name=f"区部门{i:02d}", short_name=f"部门{i:02d}",
                                           kind=UnitKind.DEPARTMENT, region=district) for i in range(1, 41)])
    campaigns = Campaign.objects.bulk_create([Campaign(name=f"攻坚战{i + 1}", order=i) for i in range(8)])
    tasks = []
    for n in range(TASKS):
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(90))
        tasks.append(Task(campaign=campaigns[n % 8], number=str(n + 1), title=f"重点任务{n + 1}：推进某项工作落实",
                          lead_unit=units[n % 40], start=start, deadline=start + timedelta(days=180 + rng.randrange(150)),
                          order=n))
    Task.objects.bulk_create(tasks, batch_size=1000)
    links = []
    for n, task in enumerate(tasks):
        links.append(TaskUnit(task=task, unit=units[n % 40], role=TaskRole.LEAD))
        links.append(TaskUnit(task=task, unit=units[(n + 7) % 40], role=TaskRole.RESPONSIBLE))
        links.append(TaskUnit(task=task, unit=units[(n + 13) % 40], role=TaskRole.COOPERATING))
    TaskUnit.objects.bulk_create(links, batch_size=2000)
    milestones = []
    for task in tasks:
        span = (task.deadline - task.start).days
        for k in range(MILESTONES_PER_TASK):
            due = task.start + timedelta(days=span * (k + 1) // MILESTONES_PER_TASK)
            milestones.append(Milestone(task=task, number=f"{task.number}.{k + 1}", title=f"节点{k + 1}", due=due, order=k))
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    for previous, m in zip(milestones, milestones[1:]):
        if previous.task_id == m.task_id:
            m.follows = previous
    Milestone.objects.bulk_update([m for m in milestones if m.follows_id], ["follows"], batch_size=2000)
    reports, completions = [], []
    for task in tasks:
        for month in range(task.start.month, AS_OF.month + 1):
            if rng.random() < 0.85:
                reports.append(ProgressReport(task=task, unit=task.lead_unit, reported_on=date(2020, month, 10),
                                              percent=rng.randrange(101), done_text="按计划推进", source="bench"))
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    by_task = {}
    for r in reports:
        by_task.setdefault(r.task_id, []).append(r)
    done = []
    for m in milestones:
        if m.due < AS_OF and rng.random() < 0.8:
            m.done_on = m.due + timedelta(days=rng.randrange(-5, 15))
            m.done_on = min(m.done_on, AS_OF)
            report = (by_task.get(m.task_id) or [None])[-1]
            if report is not None:
                completions.append(ReportCompletion(report=report, milestone=m, done_on=m.done_on))
            done.append(m)
    Milestone.objects.bulk_update(done, ["done_on"], batch_size=2000)
    ReportCompletion.objects.bulk_create(completions, batch_size=2000)
    for r in reports:
        r.series = r.pk
    ProgressReport.objects.bulk_update(reports, ["series"], batch_size=2000)
    return len(tasks), len(milestones), len(reports)


def timed(func, repeat=5, before=None):
    times, result = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def bench_server():
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from django.contrib.auth import get_user_model

    from luoshi.work import judged, queries, services
    from luoshi.work.gantt import gantt_rows, judged_parts
    from luoshi.work.models import JudgedPart, Milestone, Task

    # Everything, as the supervision office's or an administrator's chart shows it.
    reader = get_user_model().objects.create_superuser("bench_reader", password="bench-password-123")
    rng = random.Random(25000)
    task_ids = list(Task.objects.values_list("id", flat=True))

    def status():
        return queries.status_rows(queries.board(AS_OF))

    def gantt_first():
        """The first request for a date in a server process (judged_parts.forget() before it, not timed, as in a
        fresh process) with nothing stored in the database: every task judged (queries, rules, JSON)."""
        return gantt_rows(AS_OF, reader)[0]

    def nothing_kept():
        judged_parts.forget()
        JudgedPart.objects.all().delete()

    def judge_day():
        return judged.judge_day(AS_OF)

    def report_on_a_task():
        """A unit reports progress on a random task, completing its first open milestone (not timed)."""
        task = Task.objects.get(pk=rng.choice(task_ids))
        open_ = Milestone.objects.filter(task=task, done_on__isnull=True).order_by("order").first()
        services.submit_report(None, task, percent=rng.randrange(101), done_text="按计划推进", reported_on=AS_OF,
                               completions=[(open_, AS_OF)] if open_ else [])

    def gantt_now():
        return gantt_rows(AS_OF, reader)[0]

    status_median, status_min, rows = timed(status)
    first_median, first_min, payload = timed(gantt_first, repeat=7, before=nothing_kept)
    # The worker's job just after midnight (every task judged and stored), then a fresh process's first request.
    job_median, job_min, _ = timed(judge_day, repeat=3, before=nothing_kept)
    stored_median, stored_min, from_db = timed(gantt_first, repeat=7, before=judged_parts.forget)
    if from_db != payload:
        raise SystemExit("从数据库读取的横道图数据与全部重新判定的结果不一致")
    changed_median, changed_min, _ = timed(gantt_now, repeat=15, before=report_on_a_task)
    unchanged_median, unchanged_min, _ = timed(gantt_now, repeat=15)
    report_on_a_task()
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        kept = gantt_now()
    judged_parts.forget()
    stored = gantt_first()  # a fresh process: the stored parts, the tasks reported on since judged again
    nothing_kept()
    if not kept == stored == gantt_first():
        raise SystemExit("横道图数据与全部重新判定的结果不一致")
    return {"status_s": status_median, "status_min_s": status_min, "status_rows": len(rows),
            "gantt_s": changed_median, "gantt_min_s": changed_min, "gantt_bytes": len(payload),
            "gantt_queries": len(captured.captured_queries), "unchanged_s": unchanged_median,
            "unchanged_min_s": unchanged_min, "first_s": first_median, "first_min_s": first_min,
            "job_s": job_median, "job_min_s": job_min, "stored_s": stored_median, "stored_min_s": stored_min}


def bench_browser():
    from django.contrib.auth import get_user_model
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    User = get_user_model()
    User.objects.create_superuser("bench", password="bench-password-123")
    server = LiveServerThread("127.0.0.1", static_handler=_static_handler(), connections_override={})
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    url = f"http://127.0.0.1:{server.port}"
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(60000)
            page.goto(f"{url}/login/")
            page.fill("#id_username", "bench")
            page.fill("#id_password", "bench-password-123")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for _ in range(4):
                page.goto(f"{url}/work/gantt/?on={AS_OF.isoformat()}")
                page.wait_for_function("document.getElementById('gantt').dataset.drawn")
                times.append(float(page.get_attribute("#gantt", "data-drawn")) / 1000)
            tasks = page.get_attribute("#gantt", "data-tasks")
            started = time.perf_counter()
            page.select_option("#filter-light", "red")
            page.wait_for_function("document.getElementById('gantt').dataset.drawn")
            filter_s = time.perf_counter() - started
            browser.close()
    finally:
        server.terminate()
    # The first load warms the server and the browser cache; report the median of the others.
    return {"drawn_s": statistics.median(times[1:]), "drawn_first_s": times[0], "drawn_tasks": int(tasks),
            "filter_redraw_s": filter_s}


def _load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f"（{os.cpu_count()} 核）"


def _static_handler():
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    return StaticFilesHandler


def main():
    setup()
    from django.db import connection

    started = time.perf_counter()
    tasks, milestones, reports = build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does to tables after a bulk load (as bench/indicators.py)
    print(f"数据：{tasks} 项任务、{milestones} 个节点、{reports} 份报告（生成用时 {time.perf_counter() - started:.1f} s）；"
          f"数据库 {connection.vendor}")
    server = bench_server()
    print(f"按日期判定全部节点：中位数 {server['status_s'] * 1000:.0f} ms（最快 {server['status_min_s'] * 1000:.0f} ms，"
          f"{server['status_rows']} 行）目标 ≤ {GOALS['status'] * 1000:.0f} ms")
    print(f"横道图数据（5,000 项任务，一份进度报告后的请求：查询+判定+JSON）：中位数 {server['gantt_s'] * 1000:.0f} ms"
          f"（最快 {server['gantt_min_s'] * 1000:.0f} ms，{server['gantt_bytes'] / 1024 / 1024:.1f} MB，{server['gantt_queries']} 次查询）"
          f"目标 ≤ {GOALS['gantt_rows'] * 1000:.0f} ms")
    print(f"横道图数据（计划未改动）：中位数 {server['unchanged_s'] * 1000:.0f} ms（最快 {server['unchanged_min_s'] * 1000:.0f} ms）")
    print(f"横道图数据（服务进程当日首次请求，数据库中无判定结果，全部任务重新判定）：中位数 {server['first_s'] * 1000:.0f} ms"
          f"（最快 {server['first_min_s'] * 1000:.0f} ms）")
    print(f"横道图数据（服务进程当日首次请求，定时任务已判定并保存）：中位数 {server['stored_s'] * 1000:.0f} ms"
          f"（最快 {server['stored_min_s'] * 1000:.0f} ms）目标 ≤ {GOALS['first_of_day'] * 1000:.0f} ms；"
          f"定时任务 luoshi work judge 用时 {server['job_s'] * 1000:.0f} ms（最快 {server['job_min_s'] * 1000:.0f} ms）")
    print(f"机器负载（uptime）：{_load()}")
    browser = bench_browser()
    print(f"横道图页面在无头 Chromium 中绘制完成：中位数 {browser['drawn_s'] * 1000:.0f} ms（首次 {browser['drawn_first_s'] * 1000:.0f} ms，"
          f"{browser['drawn_tasks']} 项任务）目标 ≤ {GOALS['drawn'] * 1000:.0f} ms；按亮灯筛选后重绘 {browser['filter_redraw_s'] * 1000:.0f} ms")
    ok = (server["status_s"] <= GOALS["status"] and server["gantt_s"] <= GOALS["gantt_rows"]
          and server["stored_s"] <= GOALS["first_of_day"] and browser["drawn_s"] <= GOALS["drawn"])
    print("结论：" + ("全部达标" if ok else "未全部达标"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
