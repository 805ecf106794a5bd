"""Daily-report benchmark: 20,000 villages send their day's report to the real server from 50 concurrent clients.

    LUOSHI_DATA_DIR=/tmp/daily-bench scripts/with-postgres.sh .venv/bin/python bench/daily.py [--villages N]

Needs PostgreSQL (DATABASE_URL, as scripts/with-postgres.sh exports). Starts two gunicorn servers on 127.0.0.1:
luoshi itself, and a bare Django view that only upserts one row (bench/daily_bare.py), and measures both in the
same run. Each village's reporter has its own API token; 2 % of the reports are sent a second time with the same
idempotency key (a retry), which must not make a second report. Then the day's status for the whole district
is read through the API. Prints reports/s, p50 and p99 latency, lost and duplicated reports, the bare rate and the
ratio (goal ≥ 0.8), and the status read time (goal ≤ 100 ms); last, the same figures as one JSON line.
"""

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-daily-"))
os.environ.setdefault("LUOSHI_HTTPS", "0")

CLIENTS = 50
ROUNDS = 10
TOWNS = 100
RETRY_SHARE = 0.02
GOALS = {"ratio": 0.8, "status_ms": 100}  # issue #26 (before: 0.6 and 200 ms)
FIELDS = """new_cases | 新增病例 | 整数 | 必填 | 0-1000
returnees | 返乡人员 | 整数 | 必填 | 0-
quarantine | 居家观察 | 整数 | 必填 | 0-
checkpoint | 卡口值守 | 是否 | 必填
risk | 风险等级 | 选项 | 必填 | 低/中/高
note | 其他情况 | 文本"""


def setup():
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/daily.py 需要 PostgreSQL：scripts/with-postgres.sh .venv/bin/python bench/daily.py")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build(villages_n):
    """20,000 villages in 100 towns, each with a reporter account and a token; one form for all; a leader token."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from bench.daily_bare import CREATE
    from luoshi.daily import services as daily_services
    from luoshi.orgs import services as org_services
    from luoshi.orgs.models import ApiToken, Region, RegionLevel, Role, RoleAssignment, Unit, UnitKind

    city, _ = org_services.save_region(None, code="370100", name="济南市", level=RegionLevel.CITY)
    district, _ = org_services.save_region(None, code="370115", name="济阳区", level=RegionLevel.COUNTY, parent=city)
    per_town = -(-villages_n // TOWNS)
    towns = Region.objects.bulk_create([Region(code=f"370115{t:03d}", name=f"第{t}镇", level=RegionLevel.TOWN, parent=district)
                                        for t in range(1, TOWNS + 1)])
    villages = []
    for n in range(villages_n):
        town = towns[n // per_town]
        villages.append(Region(code=f"{town.code}{n % per_town + 1:03d}", name=f"{town.name}第{n % per_town + 1}村",
                               level=RegionLevel.VILLAGE, parent=town))
    Region.objects.bulk_create(villages, batch_size=2000)
    units = Unit.objects.bulk_create([Unit(code=v.code, name=f"{v.name}村民委员会", kind=UnitKind.VILLAGE, region=v)
                                      for v in villages], batch_size=2000)
    User = get_user_model()
    unusable = make_password(None)
    users = User.objects.bulk_create([User(username=f"r{v.code}", password=unusable) for v in villages], batch_size=2000)
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=Role.REPORTER, unit=unit) for u, unit in zip(users, units)],
                                       batch_size=2000)
    tokens = {}
    rows = []
    for user, village in zip(users, villages):
        raw = f"ls_bench_{village.code}"
        tokens[village.code] = raw
        rows.append(ApiToken(user=user, name="bench", prefix=raw[:10], digest=ApiToken.digest_of(raw)))
    ApiToken.objects.bulk_create(rows, batch_size=2000)
    leader = org_services.create_account(None, username="bench_leader", password="bench-leader-pw", full_name="区长")
    org_services.assign_role(None, user=leader, role=Role.LEADER, region=district)
    _, leader_token = org_services.create_api_token(None, leader, "bench")
    from django.utils import timezone

    form = daily_services.define_form(None, code="bench", title="疫情防控日报", region=district, fields=FIELDS, deadline="23:59")
    daily_services.assign_villages(None, form, [district.code], timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(CREATE)
    return [v.code for v in villages], tokens, leader_token


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(settings_module, workers):
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "LUOSHI_LOG_LEVEL": "ERROR"}
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "luoshi.wsgi:application", "--bind", f"127.0.0.1:{port}",
                             "--workers", str(workers), "--worker-class", "sync", "--backlog", "2048", "--log-level", "error"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            if proc.poll() is not None:
                sys.exit("gunicorn 未能启动：" + proc.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    proc.kill()
    sys.exit("gunicorn 60 秒内未能启动")


def stop_server(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def send_all(port, path, jobs, headers_for):
    """Send every job (village code, body) once from CLIENTS threads. Returns (seconds, latencies, statuses)."""
    lock = threading.Lock()
    position = iter(range(len(jobs)))
    latencies, statuses, failures = [], {}, []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, codes = [], {}
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                break
            code, body = jobs[index]
            payload = json.dumps(body)
            started = time.perf_counter()
            for attempt in range(3):  # bounded: a dropped connection is retried with the same idempotency key
                try:
                    conn.request("POST", path, payload, {"Content-Type": "application/json", **headers_for(code)})
                    response = conn.getresponse()
                    text = response.read()
                    break
                except (ConnectionError, http.client.HTTPException, OSError):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            else:
                failures.append(code)
                continue
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
            if response.status >= 400 and len(failures) < 5:
                failures.append(f"{code}: {response.status} {text[:200]!r}")
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, statuses, failures


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers per server")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.utils import timezone

    from luoshi.daily.models import DailyReport

    t0 = time.perf_counter()
    codes, tokens, leader_token = build(args.villages)
    print(f"建立 {len(codes)} 个村（社区）、账号和令牌：{time.perf_counter() - t0:.1f} 秒")
    day = timezone.localdate().isoformat()
    jobs = []
    for n, code in enumerate(codes):
        body = {"form": "bench", "village": code, "date": day, "idempotency_key": f"{code}-{day}",
                "values": {"new_cases": n % 3, "returnees": n % 17, "quarantine": n % 5, "checkpoint": True, "risk": "低",
                           "note": ""}}
        jobs.append((code, body))
    # Retries: the same body and key again, spread over the run.
    retries = [jobs[i] for i in range(0, len(jobs), int(1 / RETRY_SHARE))]
    mixed = []
    step = max(1, len(jobs) // max(1, len(retries)))
    for i, job in enumerate(jobs):
        mixed.append(job)
        if i % step == step - 1 and retries:
            mixed.append(retries.pop(0))
    mixed.extend(retries)

    load_before = [round(x, 2) for x in os.getloadavg()]
    bare, bare_port = start_server("bench.daily_bare", args.workers)
    luoshi, luoshi_port = start_server("luoshi.settings", args.workers)
    try:
        # Alternate slices between the two servers, so that load from other work on the machine hits both alike.
        bare_s = luoshi_s = 0.0
        bare_lat, lat, bare_status, status, bare_fail, fail = [], [], {}, {}, [], []
        size = -(-len(mixed) // ROUNDS)
        for start in range(0, len(mixed), size):
            part = mixed[start:start + size]
            for port, path, headers, acc in (
                    (bare_port, "/bare/reports", lambda code: {}, (bare_lat, bare_status, bare_fail)),
                    (luoshi_port, "/api/v1/daily/reports", lambda code: {"Authorization": f"Bearer {tokens[code]}"},
                     (lat, status, fail))):
                seconds, latencies, codes_seen, failures = send_all(port, path, part, headers)
                if port == bare_port:
                    bare_s += seconds
                else:
                    luoshi_s += seconds
                acc[0].extend(latencies)
                for k, v in codes_seen.items():
                    acc[1][k] = acc[1].get(k, 0) + v
                acc[2].extend(failures)
        status_times = []
        for n in range(args.workers * 3 + 9):  # the first requests warm every worker; the last 9 are measured
            conn = http.client.HTTPConnection("127.0.0.1", luoshi_port, timeout=60)
            started = time.perf_counter()
            conn.request("GET", f"/api/v1/daily/status?date={day}&form=bench&area=370115",
                         headers={"Authorization": f"Bearer {leader_token}"})
            response = conn.getresponse()
            data = json.loads(response.read())
            if n >= args.workers * 3:
                status_times.append(time.perf_counter() - started)
            conn.close()
    finally:
        stop_server(bare)
        stop_server(luoshi)

    rows = DailyReport.objects.filter(form__code="bench", day=day)
    villages_with = rows.values("village").distinct().count()
    lost = len(codes) - villages_with
    duplicated = rows.count() - villages_with
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_bare_report")
        bare_rows = cursor.fetchone()[0]
    rate = len(mixed) / luoshi_s
    bare_rate = len(mixed) / bare_s
    print(f"机器：{platform.node()} · {os.cpu_count()} 核 · Python {platform.python_version()} · "
          f"PostgreSQL {connection.cursor().connection.info.server_version} · gunicorn {args.workers} 个同步 worker × 2 个服务 · {CLIENTS} 个并发客户端")
    print(f"请求：{len(mixed)}（{len(codes)} 份日报 + {len(mixed) - len(codes)} 次同键重试）")
    print(f"luoshi 报送：{rate:.0f} 份/秒，p50 {percentile(lat, 50) * 1000:.0f} ms，p99 {percentile(lat, 99) * 1000:.0f} ms，"
          f"HTTP {dict(sorted(status.items()))}")
    print(f"丢失 {lost} 份，重复 {duplicated} 份（目标均为 0）" + (f"；失败示例：{fail[:5]}" if fail else ""))
    print(f"裸视图 upsert：{bare_rate:.0f} 次/秒，p50 {percentile(bare_lat, 50) * 1000:.0f} ms，"
          f"p99 {percentile(bare_lat, 99) * 1000:.0f} ms，HTTP {dict(sorted(bare_status.items()))}，{bare_rows} 行"
          + (f"；失败示例：{bare_fail[:5]}" if bare_fail else ""))
    ratio = rate / bare_rate
    print(f"luoshi / 裸视图 = {ratio:.2f}（目标 ≥ {GOALS['ratio']}）{'达标' if ratio >= GOALS['ratio'] else '未达标'}")
    best, median = min(status_times) * 1000, statistics.median(status_times) * 1000
    print(f"全区当日状态（{data['counts']['expected']} 个村，{len(data['towns'])} 个镇，API 往返）：中位数 {median:.0f} ms，"
          f"最快 {best:.0f} ms（目标 ≤ {GOALS['status_ms']} ms）{'达标' if median <= GOALS['status_ms'] else '未达标'}")
    print(f"  报送 {data['counts']['on_time'] + data['counts']['late']}，未报 {data['counts']['missing']}")
    print(json.dumps({"villages": len(codes), "requests": len(mixed), "rate": round(rate, 1), "bare_rate": round(bare_rate, 1),
                      "ratio": round(ratio, 3), "p50_ms": round(percentile(lat, 50) * 1000, 1),
                      "p99_ms": round(percentile(lat, 99) * 1000, 1), "bare_p50_ms": round(percentile(bare_lat, 50) * 1000, 1),
                      "bare_p99_ms": round(percentile(bare_lat, 99) * 1000, 1), "http": {str(k): v for k, v in sorted(status.items())},
                      "lost": lost, "duplicated": duplicated, "status_median_ms": round(median, 1), "status_best_ms": round(best, 1),
                      "load_before": load_before, "load_after": [round(x, 2) for x in os.getloadavg()], "workers": args.workers,
                      "clients": CLIENTS}, ensure_ascii=False))
    ok = lost == 0 and duplicated == 0 and not fail
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
