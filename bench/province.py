"""Province benchmark (issue #16): one installation for a province, measured through nginx with 1 and 2 app servers.

    .venv/bin/python bench/province.py                      # the province: 140 counties, 70,000 villages (~15 min)
    .venv/bin/python bench/province.py --size county        # one county's share, for the growth county → province
    .venv/bin/python bench/province.py --scale 0.02         # a quick development run

Starts a throwaway stack (deploy/stack.py: PostgreSQL primary and streaming replica, moto S3, gunicorn app servers,
nginx on 127.0.0.1), builds the data straight into the primary (bench/province_data.py; the build is timed), then,
with one app server and again with two (the same data; only the app tier is restarted):

- every village sends its day's report through nginx (`POST /api/v1/daily/reports`, its own Bearer token and
  idempotency key; 2 % sent a second time with the same key) from 50 concurrent clients; the primary is then asked
  how many villages have a report and how many rows there are: lost and duplicated must both be 0;
- in freshly started app servers, the first request (cold) and the median of 5 after every worker has served one
  (warm) of: the city matrix (`/api/v1/indicators/matrix`), one county's Gantt rows (`/api/v1/work/gantt`), the
  county's daily status (`/api/v1/daily/status`) and its meeting pack (`/api/v1/briefings/pack`, .docx), all as the
  county's leader;
- meanwhile the CPU time of PostgreSQL, the app servers, nginx, this load generator and everything else on the
  machine, read from /proc.

Prints a table; `--json FILE` also writes the figures. Exits 0 only when both runs lost and duplicated nothing.
"""

import argparse
import http.client
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-province-"))
os.environ.setdefault("LUOSHI_HTTPS", "0")

from bench.daily import percentile, send_all  # noqa: E402  (the daily bench's 50 clients, retrying with the same key)

RETRY_SHARE = 0.02
WARM_RUNS = 5
READS = ("matrix", "gantt", "status", "pack")
READ_LABELS = {"matrix": "全市对比（一个市的各区县 × 60 指标）", "gantt": "一个县的横道图数据",
               "status": "一个县的当日日报状态", "pack": "一个县的会议材料（docx）"}


# --- CPU by process group, from /proc ------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        raw = f.read().decode(errors="replace")
    comm = raw[raw.index("(") + 1:raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2:].split()
    return comm, int(rest[1]), int(rest[11]) + int(rest[12])  # comm, ppid, utime + stime (ticks)


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _postmaster_port(pid):
    try:
        with open(f"/proc/{pid}/cwd/postmaster.pid") as f:
            return int(f.read().split("\n")[3])
    except (OSError, ValueError, IndexError):
        return None


class CpuSampler:
    """Every second, the CPU time of each process, grouped: PostgreSQL (the postmasters on our ports and their
    children), gunicorn and nginx (this process's descendants, or processes whose command line names the stack's
    folder), the load generator (this process, every thread) and the rest of the machine (/proc/stat minus those).
    A process seen for the first time counts from 0, so workers started during a phase count whole; one that
    exits between two samples loses at most a second."""

    GROUPS = ("postgres", "gunicorn", "nginx", "load", "other")

    def __init__(self, db_ports, marker=None):
        self.db_ports, self.marker = set(db_ports), marker
        self._last, self._first, self._seen_group = {}, {}, {}
        self._ports = {}
        self._stop = threading.Event()
        self._thread = None

    def _classify(self, procs):
        me = os.getpid()
        groups = {}
        children = {}
        for pid, (comm, ppid, _) in procs.items():
            children.setdefault(ppid, []).append(pid)

        def below(root):
            out, todo = [], [root]
            while todo:
                p = todo.pop()
                out.append(p)
                todo += children.get(p, [])
            return out

        for pid in below(me):
            if pid == me:
                groups[pid] = "load"
                continue
            comm = procs[pid][0]
            if comm.startswith("postgres"):
                groups[pid] = "postgres"
            elif comm.startswith("nginx"):
                groups[pid] = "nginx"
            elif "gunicorn" in comm or "luoshi-web" in comm or "gunicorn" in _cmdline(pid):
                groups[pid] = "gunicorn"
        for pid, (comm, ppid, _) in procs.items():
            if pid in groups:
                continue
            if comm == "postgres" and procs.get(ppid, ("",))[0] != "postgres":
                if pid not in self._ports:
                    self._ports[pid] = _postmaster_port(pid)
                if self._ports[pid] in self.db_ports:
                    for p in below(pid):
                        groups[p] = "postgres"
            elif self.marker and comm.startswith("nginx") and procs.get(ppid, ("",))[0] != "nginx" \
                    and self.marker in _cmdline(pid):
                for p in below(pid):
                    groups[p] = "nginx"
        return groups

    def sample(self):
        procs = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    procs[int(name)] = _stat(name)
                except (OSError, ValueError, IndexError):
                    pass
        for pid, group in self._classify(procs).items():
            key = (pid, procs[pid][0])
            self._first.setdefault(key, 0 if self._thread_started else procs[pid][2])
            self._last[key] = procs[pid][2]
            self._seen_group[key] = group
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        busy = sum(fields) - fields[3] - (fields[4] if len(fields) > 4 else 0)  # all but idle and iowait
        self._busy_first = getattr(self, "_busy_first", busy)
        self._busy_last = busy

    def __enter__(self):
        self._thread_started = False
        self.sample()  # the baseline: processes alive now count from their current time
        self._thread_started = True
        self._started = time.perf_counter()

        def loop():
            while not self._stop.wait(1.0):
                self.sample()

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()
        self.seconds = time.perf_counter() - self._started

    def result(self):
        """{group: CPU seconds} and 'cores' (seconds / wall seconds) for the phase."""
        out = {g: 0.0 for g in self.GROUPS}
        for key, last in self._last.items():
            out[self._seen_group[key]] += (last - self._first[key]) / TICK
        total = (self._busy_last - self._busy_first) / TICK
        out["other"] = max(0.0, total - sum(out[g] for g in self.GROUPS if g != "other"))
        out["total"] = total
        out["wall"] = self.seconds
        return out


# --- the stack ---------------------------------------------------------------------------------------------------

class LocalStack:
    """Used only while deploy/stack.py is missing: app servers straight on the database of DATABASE_URL
    (scripts/with-postgres.sh), no nginx; the clients spread over the servers themselves."""

    def __init__(self, servers):
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            sys.exit("没有 deploy/stack.py 时需要 PostgreSQL：scripts/with-postgres.sh .venv/bin/python bench/province.py")
        self.servers, self.procs, self.server_urls = servers, [], []
        self.database_url = os.environ["DATABASE_URL"]
        self.env = {"DATABASE_URL": self.database_url}
        self.replica_url = None

    def __enter__(self):
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        self.start_app(self.servers)
        return self

    def start_app(self, servers):
        from bench.daily import start_server

        self.stop_app()
        for _ in range(servers):
            proc, port = start_server("luoshi.settings", 4)
            self.procs.append(proc)
            self.server_urls.append(f"http://127.0.0.1:{port}")
        self.url = self.server_urls[0]

    def stop_app(self):
        from bench.daily import stop_server

        for proc in self.procs:
            stop_server(proc)
        self.procs, self.server_urls = [], []

    def __exit__(self, *exc):
        self.stop_app()


def open_stack(args, servers):
    try:
        from deploy.stack import Stack
    except ImportError:
        Stack = None
    if args.local or Stack is None:
        print("（不用 deploy/stack.py：直接连接 gunicorn，不经 nginx）")
        return LocalStack(servers)
    # Asynchronous streaming, the usual production set-up (docs/deploy.md); the multi-server test uses synchronous.
    return Stack(servers=servers, synchronous_replica=args.sync_replica, web_workers=args.workers, web_threads=args.threads)


# --- measurements ------------------------------------------------------------------------------------------------

def submissions(stack, built, run, db_ports, marker):
    """Every village's report for the day through the stack's front door; lost and duplicated from the primary."""
    from django.db import connection

    from luoshi.daily.models import DailyReport

    day = built.today.isoformat()
    jobs = []
    for n, (code, city) in enumerate(built.villages):
        body = {"form": f"prov-{run}-{city}", "village": code, "date": day, "idempotency_key": f"{run}-{code}-{day}",
                "values": {"new_cases": n % 3, "returnees": n % 17, "quarantine": n % 5, "checkpoint": True, "risk": "低",
                           "note": ""}}
        jobs.append((code, body))
    retries = jobs[::int(1 / RETRY_SHARE)]
    step = max(1, len(jobs) // max(1, len(retries)))
    mixed = []
    for i, job in enumerate(jobs):
        mixed.append(job)
        if i % step == step - 1 and retries:
            mixed.append(retries.pop(0))
    mixed.extend(retries)
    size_before = _sizes()
    load = os.getloadavg()[0]
    port = urlsplit(stack.url).port
    with CpuSampler(db_ports, marker) as cpu:
        seconds, latencies, statuses, failures = send_all(
            port, "/api/v1/daily/reports", mixed, lambda code: {"Authorization": f"Bearer {built.tokens[code]}"})
    rows = DailyReport.objects.filter(form__code__startswith=f"prov-{run}-", day=built.today)
    with_report = rows.values("village").distinct().count()
    count = rows.count()
    size_after = _sizes()
    connection.close()
    return {"requests": len(mixed), "reports": len(jobs), "seconds": seconds, "rate": len(mixed) / seconds,
            "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
            "http": {str(k): v for k, v in sorted(statuses.items())}, "failures": failures[:5],
            "load": load, "lost": len(jobs) - with_report, "duplicated": count - with_report, "cpu": cpu.result(),
            "bytes_per_report": (size_after["db"] - size_before["db"]) / max(1, count),
            "table_bytes_per_report": (size_after["tables"] - size_before["tables"]) / max(1, count)}


def _sizes():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), pg_total_relation_size('daily_dailyreport') "
                       "+ pg_total_relation_size('audit_auditentry')")
        db, tables = cursor.fetchone()
    return {"db": db, "tables": tables}


def _get(stack, path, token):
    parts = urlsplit(stack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} → {response.status} {body[:300]!r}")
    return elapsed, body


def read_paths(built):
    day, month = built.today.isoformat(), built.period.strftime("%Y-%m")
    return {"matrix": f"/api/v1/indicators/matrix?city={built.county_city}&period={month}",
            "gantt": f"/api/v1/work/gantt?on={day}",
            "status": f"/api/v1/daily/status?date={day}&form=prov-a-{built.county_city}&area={built.county}",
            "pack": f"/api/v1/briefings/pack?region={built.county}&period={month}&format=docx"}


def reads(stack, built, servers, workers, db_ports, marker):
    """Cold: the first request of each kind in freshly started app servers. Warm: after enough requests for every
    worker to have served one, the median of WARM_RUNS."""
    paths = read_paths(built)
    out = {}
    with CpuSampler(db_ports, marker) as cpu:
        for name in READS:
            cold, body = _get(stack, paths[name], built.leader_token)
            out[name] = {"cold_ms": cold * 1000, "bytes": len(body), "shape": _shape(name, body)}
        for name in READS:
            for _ in range(servers * workers):
                _get(stack, paths[name], built.leader_token)
            times = [_get(stack, paths[name], built.leader_token)[0] for _ in range(WARM_RUNS)]
            out[name]["warm_ms"] = statistics.median(times) * 1000
            out[name]["warm_best_ms"] = min(times) * 1000
    out["cpu"] = cpu.result()
    _, body = _get(stack, paths["pack"].replace("format=docx", "format=json"), built.leader_token)  # what is in it
    data = json.loads(body)
    out["pack"]["shape"] += f"，{len(data['rows'])} 项指标，{len(data['charts'])} 张图"
    return out


def _shape(name, body):
    if name == "pack":
        return f"{len(body) / 1024:.0f} KiB"
    data = json.loads(body)
    if name == "matrix":
        return f"{len(data['rows'])} 区县 × {len(data['indicators'])} 指标"
    if name == "status":
        return f"{data['counts']['expected']} 村，{len(data['towns'])} 镇，已报 {data['counts']['on_time'] + data['counts']['late']}"
    if name == "gantt":
        return f"{len(body) / 1024:.0f} KiB"
    return ""


# --- the run -----------------------------------------------------------------------------------------------------

def restart_app(stack, servers):
    """The same data with `servers` freshly started app servers behind the same nginx: every app server stopped,
    the first `servers` started again (nginx finds the others refusing connections and passes requests on)."""
    if isinstance(stack, LocalStack):
        stack.start_app(servers)
        return
    for i in range(len(stack.server_urls)):
        if stack.server_alive(i):
            stack.kill_server(i)
    for i in range(servers):
        stack.start_server(i)


def _ports(stack):
    ports = {urlsplit(stack.database_url).port}
    replica = getattr(stack, "replica_url", None) or getattr(stack, "database_replica_url", None)
    if replica:
        ports.add(urlsplit(replica).port)
    return ports


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=("province", "county"), default="province")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the data for a quick run (0.02 …)")
    parser.add_argument("--servers", default="1,2", help="app-server counts to measure, in order")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--sync-replica", action="store_true", help="synchronous replica (remote_apply), as the test")
    parser.add_argument("--local", action="store_true", help="without deploy/stack.py: DATABASE_URL and gunicorn only")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    counts = [int(s) for s in args.servers.split(",")]
    started = time.perf_counter()
    with open_stack(args, max(counts)) as stack:
        os.environ.update(stack.env)
        os.environ.pop("DATABASE_REPLICA_URL", None)  # the bench reads counts from the primary only
        import django

        django.setup()
        from django.db import connection

        from bench import province_data

        print(f"== 建立数据（{args.size}，比例 {args.scale}）")
        t0 = time.perf_counter()
        built = province_data.build(args.size, args.scale)
        build_s = time.perf_counter() - t0
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database()), current_setting('server_version')")
            db_bytes, pg_version = cursor.fetchone()
        connection.close()
        print(f"建立用时 {build_s:.0f} 秒；数据库 {db_bytes / 2**20:.0f} MiB")
        db_ports = _ports(stack)
        marker = str(getattr(stack, "folder", "") or getattr(stack, "root", "") or "") or None
        workers = args.workers * 2  # requests per server before "warm": every worker process served one, likely
        results = {}
        for run, servers in zip(province_data.RUNS, counts):
            restart_app(stack, servers)
            print(f"== {servers} 个应用服务器：{len(built.villages)} 个村报送日报（表单 prov-{run}-*）")
            sent = submissions(stack, built, run, db_ports, marker)
            print(f"  {sent['rate']:.0f} 次/秒，p50 {sent['p50_ms']:.0f} ms，p99 {sent['p99_ms']:.0f} ms，HTTP {sent['http']}，"
                  f"丢失 {sent['lost']}，重复 {sent['duplicated']}" + (f"；失败示例 {sent['failures']}" if sent["failures"] else ""))
            restart_app(stack, servers)
            print(f"== {servers} 个应用服务器：读取（冷启动首次、预热后中位数）")
            read = reads(stack, built, servers, workers, db_ports, marker)
            for name in READS:
                print(f"  {READ_LABELS[name]}：首次 {read[name]['cold_ms']:.0f} ms，预热后 {read[name]['warm_ms']:.0f} ms"
                      f"（{read[name]['shape']}）")
            results[servers] = {"submissions": sent, "reads": read}
    total_s = time.perf_counter() - started
    report = {"size": args.size, "scale": args.scale, "counts": built.counts, "build_s": build_s, "db_bytes": db_bytes,
              "pg_version": pg_version, "county": built.county, "county_towns": built.county_towns,
              "county_villages": built.county_villages, "county_tasks": built.county_tasks, "total_s": total_s,
              "machine": f"{platform.node()} · {os.cpu_count()} 核 · Python {platform.python_version()}",
              "date": built.today.isoformat(), "results": results,
              "stack": ("直连 gunicorn（--local）" if args.local else
                        f"nginx → gunicorn {args.workers} worker × {args.threads} 线程/服务器；PostgreSQL 主库 + "
                        f"{'同步' if args.sync_replica else '异步'}流复制副本；moto S3")}
    print_table(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    ok = all(r["submissions"]["lost"] == 0 and r["submissions"]["duplicated"] == 0 for r in results.values())
    return 0 if ok else 1


def print_table(report):
    results = report["results"]
    servers = sorted(results)
    print()
    n = report["counts"]
    print(f"== 结果（{report['date']}，{report['machine']}，PostgreSQL {report['pg_version']}）")
    print(f"数据：{n['figure_counties']} 县 × 60 指标 × 60 月；{n['towns']} 镇，{n['villages']} 村；{n['tasks']} 项任务、"
          f"{n['tasks'] * 5} 个节点；测量的县 {report['county']}：{report['county_towns']} 镇、{report['county_villages']} 村、"
          f"{report['county_tasks']} 项任务")
    print(f"部署：{report['stack']}")
    print(f"建立数据 {report['build_s']:.0f} 秒；建成后数据库 {report['db_bytes'] / 2**20:.0f} MiB；全程 {report['total_s'] / 60:.1f} 分钟")
    head = "| 项目 | " + " | ".join(f"{s} 个应用服务器" for s in servers) + " |"
    print(head)
    print("|" + " --- |" * (len(servers) + 1))

    def row(label, fmt):
        print(f"| {label} | " + " | ".join(fmt(results[s]) for s in servers) + " |")

    row("日报报送（次/秒）", lambda r: f"{r['submissions']['rate']:.0f}")
    row("报送 p50 / p99（ms）", lambda r: f"{r['submissions']['p50_ms']:.0f} / {r['submissions']['p99_ms']:.0f}")
    row("丢失 / 重复", lambda r: f"{r['submissions']['lost']} / {r['submissions']['duplicated']}")
    row("报送用时（秒）；开始时负载", lambda r: f"{r['submissions']['seconds']:.0f}；{r['submissions']['load']:.1f}")
    for name in READS:
        row(f"{READ_LABELS[name]}：首次 / 预热后（ms）",
            lambda r, name=name: f"{r['reads'][name]['cold_ms']:.0f} / {r['reads'][name]['warm_ms']:.0f}")
    for phase, key in (("报送时", "submissions"), ("读取时", "reads")):
        row(f"{phase} CPU（核：PostgreSQL / gunicorn / nginx / 压测 / 其他）", lambda r, key=key: _cores(r[key]["cpu"]))
    row("每次报送请求的 CPU（ms：gunicorn / PostgreSQL / nginx）", lambda r: " / ".join(
        f"{r['submissions']['cpu'][g] / r['submissions']['requests'] * 1000:.1f}" for g in ("gunicorn", "postgres", "nginx")))
    row("每份日报占用（字节，库增量 / 日报+审计表增量）",
        lambda r: f"{r['submissions']['bytes_per_report']:.0f} / {r['submissions']['table_bytes_per_report']:.0f}")


def _cores(cpu):
    wall = cpu["wall"] or 1
    return " / ".join(f"{cpu[g] / wall:.2f}" for g in CpuSampler.GROUPS)


if __name__ == "__main__":
    sys.exit(main())
