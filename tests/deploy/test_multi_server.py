"""Two app servers behind nginx, a PostgreSQL primary with a streaming replica and S3 object storage, started from
the files in deploy/ (deploy/stack.py), and used only through HTTP, as people and the villages' programs use them.

Runs in the PostgreSQL stage of `make test`; it starts its own servers (it does not use DATABASE_URL's server nor
the test database). Data is written with luoshi's services through tests/deploy/seed.py against the stack's primary.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.deploy.web import Browser, request

pytestmark = [pytest.mark.both_databases, pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="多服务器部署测试只在 PostgreSQL 阶段运行（scripts/with-postgres.sh），它自己启动主库和副本")]

ROOT = Path(__file__).resolve().parents[2]
VILLAGES = 40
THREADS = 4
ROUNDS = 8
PIN_SECONDS = 2  # after a write, that browser reads from the primary this long (luoshi.web.replica)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 1200 + b"\n%%EOF\n"  # 300 KB, every byte value


@pytest.fixture(scope="module")
def stack():
    sys.path.insert(0, str(ROOT))
    from deploy.stack import Stack

    with Stack(servers=2, synchronous_replica=True, extra_env={"LUOSHI_REPLICA_PIN_SECONDS": str(PIN_SECONDS)}) as s:
        seeded = subprocess.run([str(ROOT / ".venv/bin/python"), str(ROOT / "tests/deploy/seed.py"), str(VILLAGES)],
                                env=s.env, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        s.seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        yield s


LOG_LINE = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ upstream=(?P<upstream>.*?) upstream_status=')


def upstreams_since(s, mark, path_start):
    """(app server, status) of the requests nginx logged after line `mark` whose request line starts with path_start:
    the last app server tried (nginx lists every one it tried when it moved on to the next)."""
    out = []
    for line in s.nginx_access_log.read_text().splitlines()[mark:]:
        match = LOG_LINE.search(line)
        if match and match["request"].startswith(path_start):
            out.append((match["upstream"].split(",")[-1].strip(), int(match["status"])))
    return out


def log_mark(s):
    return len(s.nginx_access_log.read_text().splitlines())


def server_addr(s, i):
    return s.server_urls[i].removeprefix("http://")


def signed_in(s, username):
    browser = Browser(s.url)
    browser.sign_in(username, s.seed["password"])
    return browser


def gantt_milestone(browser, milestone_id, base=None):
    response = browser.get("/work/gantt/data", base=base)
    assert response.status == 200, response.text[:300]
    data = response.json()
    row = next(m for m in data["milestones"] if m[0] == milestone_id)
    return {"done_on": row[4], "status": data["statuses"][row[5]]}


def epoch_days(day):
    return (day - date(1970, 1, 1)).days


def daily(s, code, key, new_cases, base=None):
    body = {"form": s.seed["form"], "village": code, "date": s.seed["today"], "idempotency_key": key,
            "values": {"new_cases": new_cases, "checkpoint": True}}
    return request(base or s.url, "POST", "/api/v1/daily/reports", json.dumps(body),
                   {"Content-Type": "application/json", "Authorization": f"Bearer {s.seed['tokens'][code]}"})


def test_one_sign_in_through_nginx_is_honoured_by_both_app_servers(stack):
    mark = log_mark(stack)
    browser = signed_in(stack, "li_ducha")  # the login page and the POST may well be answered by different servers
    for _ in range(6):
        page = browser.get("/")
        assert page.status == 200 and "李督查" in page.text
    served = upstreams_since(stack, mark, "GET / ")
    assert {u for u, status in served} == {server_addr(stack, 0), server_addr(stack, 1)}
    assert all(status == 200 for _, status in served)
    for base in stack.server_urls:  # and each server directly, with the same cookie
        page = browser.get("/", base=base)
        assert page.status == 200 and "李督查" in page.text


def test_a_progress_report_filed_on_server_a_shows_at_once_on_server_b(stack):
    a, b = stack.server_urls
    task, (m1, _) = stack.seed["task"], stack.seed["milestones"]
    leader = signed_in(stack, "sun_leader")
    before = gantt_milestone(leader, m1, base=b)  # server B has judged the chart (and keeps it per process)
    assert before["done_on"] is None and before["status"] in ("overdue", "seriously_overdue")

    writer = signed_in(stack, "zhou_shangwu")
    done_on = date.fromisoformat(stack.seed["today"]) - timedelta(days=1)
    response = writer.post(f"/work/tasks/{task}/report", {
        "percent": "60", "done_text": "已完成项目洽谈", "problems": "", f"done_{m1}": "1",
        f"done_on_{m1}": done_on.isoformat()}, base=a)
    assert response.status == 302 and response.headers["Location"] == f"/work/tasks/{task}/", response.text[:1000]

    assert gantt_milestone(leader, m1, base=b) == {"done_on": epoch_days(done_on), "status": "done_late"}
    office = signed_in(stack, "li_ducha")
    status = office.get("/api/v1/work/status", base=b).json()
    row = next(r for r in status["milestones"] if r["milestone_number"] == "1.1")
    assert (row["done_on"], row["status"]) == (done_on.isoformat(), "done_late")
    reports = office.get(f"/api/v1/work/tasks/{task}", base=b).json()["reports"]
    assert [(r["percent"], r["done_text"], r["unit"]) for r in reports] == [(60, "已完成项目洽谈", "370115D03")]


def test_an_attachment_uploaded_on_server_a_downloads_from_server_b_and_lives_in_the_bucket(stack):
    a, b = stack.server_urls
    task = stack.seed["task"]
    writer = signed_in(stack, "zhou_shangwu")
    response = writer.post(f"/work/tasks/{task}/report", {"percent": "65", "done_text": "协议文本已起草"},
                           files=[("attachments", "合作协议草案.pdf", PDF, "application/pdf")], base=a)
    assert response.status == 302, response.text[:1000]
    office = signed_in(stack, "li_ducha")
    report = next(r for r in office.get(f"/api/v1/work/tasks/{task}", base=b).json()["reports"] if r["percent"] == 65)
    [attachment] = report["attachments"]
    assert (attachment["name"], attachment["size"]) == ("合作协议草案.pdf", len(PDF))

    download = office.get(f"/work/attachments/{attachment['id']}/", base=b)
    assert download.status == 200 and download.body == PDF
    assert signed_in(stack, "sun_leader").get(f"/work/attachments/{attachment['id']}/").body == PDF  # via nginx

    objects = stack.s3_client().list_objects_v2(Bucket=stack.s3.bucket)["Contents"]
    stored = [o for o in objects if o["Key"].endswith(".pdf") and o["Size"] == len(PDF)]
    assert len(stored) == 1 and stored[0]["Key"].startswith(stack.s3.prefix + "/")
    assert stack.s3_client().get_object(Bucket=stack.s3.bucket, Key=stored[0]["Key"])["Body"].read() == PDF
    on_disk = [p for p in (stack.folder / "data").rglob("*") if p.is_file() and p.suffix == ".pdf"]
    assert on_disk == []


def test_daily_reports_are_spread_over_both_servers_and_counted_once(stack):
    mark = log_mark(stack)
    codes = sorted(stack.seed["tokens"])
    answers = {code: daily(stack, code, f"spread-{code}", 1) for code in codes}
    assert {code: r.status for code, r in answers.items()} == {code: 201 for code in codes}
    served = upstreams_since(stack, mark, "POST /api/v1/daily/reports")
    assert {u for u, _ in served} == {server_addr(stack, 0), server_addr(stack, 1)}

    # The same report sent again with its key, to each server directly: the first report comes back, nothing new.
    for i, base in enumerate(stack.server_urls):
        again = daily(stack, codes[i], f"spread-{codes[i]}", 1, base=base)
        assert (again.status, again.json()["id"], again.json()["created"]) == (200, answers[codes[i]].json()["id"], False)

    office = signed_in(stack, "li_ducha")
    for base in stack.server_urls:
        status = office.get(f"/api/v1/daily/status?form={stack.seed['form']}&town={stack.seed['town']}&date="
                            f"{stack.seed['today']}", base=base).json()
        sent = {v["village"]: v for v in status["villages"] if v["village"] in answers}
        assert len(sent) == len(codes) and all(v["version"] == 1 and v["status"] != "missing" for v in sent.values())


def test_killing_an_app_server_mid_burst_loses_no_acknowledged_report(stack):
    import psycopg

    codes = sorted(stack.seed["tokens"])
    lock = threading.Lock()
    acknowledged, failed, after_kill = {}, [], []
    killed = threading.Event()

    def client(mine):
        for round_ in range(ROUNDS):
            for code in mine:
                key = f"burst-{code}-{round_}"
                try:
                    response = daily(stack, code, key, round_)
                    ok = 200 <= response.status < 300
                except OSError:
                    ok, response = False, None
                with lock:
                    if ok:
                        acknowledged[key] = response.json()["id"]
                    else:
                        failed.append((code, key, round_))
                    if killed.is_set():
                        after_kill.append(ok)

    threads = [threading.Thread(target=client, args=(codes[t::THREADS],)) for t in range(THREADS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < len(codes) * ROUNDS // 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    stack.kill_server(0)
    killed.set()
    mark = log_mark(stack)  # what nginx logs from here was sent after the kill, or was in flight (one per client)
    for t in threads:
        t.join(timeout=120)
    total = len(codes) * ROUNDS

    # Only requests in flight on the killed server can fail (at most one per client); nginx answered the rest
    # from the survivor.
    assert len(failed) <= THREADS, failed
    assert len(acknowledged) + len(failed) == total
    assert after_kill.count(True) >= total // 2
    later = upstreams_since(stack, mark, "POST /api/v1/daily/reports")
    lost_in_flight = [(u, status) for u, status in later if status >= 300]
    assert len(lost_in_flight) <= THREADS and {u for u, _ in lost_in_flight} <= {server_addr(stack, 0)}, lost_in_flight
    answered = [u for u, status in later if status < 300]
    assert answered.count(server_addr(stack, 0)) <= THREADS  # finished just before the kill
    assert answered.count(server_addr(stack, 1)) >= total // 2
    print(f"burst: {total} reports, {len(failed)} failed in flight, {after_kill.count(True)} answered after the kill")

    # The clients retry what failed, with the same keys; and resend some acknowledged ones (a lost answer).
    for code, key, round_ in failed:
        response = daily(stack, code, key, round_)
        assert response.status in (200, 201), response.text
        acknowledged[key] = response.json()["id"]
    for key in list(acknowledged)[:20]:
        code, round_ = key.split("-")[1], int(key.split("-")[2])
        response = daily(stack, code, key, round_)
        assert (response.status, response.json()["id"]) == (200, acknowledged[key])

    with psycopg.connect(stack.database_url) as conn:
        rows = conn.execute("SELECT idempotency_key, id, village_id, version, is_current FROM daily_dailyreport "
                            "WHERE idempotency_key LIKE 'burst-%%'").fetchall()
    by_key = {}
    for key, pk, *_ in rows:
        by_key.setdefault(key, []).append(pk)
    assert by_key == {key: [pk] for key, pk in acknowledged.items()}  # every acknowledged report, each exactly once
    versions = {}
    for _, _, village, version, current in rows:
        versions.setdefault(village, []).append((version, current))
    for village, seen in versions.items():  # each village's corrections numbered without gaps, one current
        numbers = sorted(v for v, _ in seen)
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        assert sum(1 for _, c in seen if c) <= 1

    stack.start_server(0)
    assert request(stack.server_urls[0], "GET", "/healthz").status == 200


def test_nginx_refuses_in_chinese_json_for_the_api_and_a_page_for_people(stack):
    too_big = b"x" * (26 * 1024 * 1024)  # past client_max_body_size: nginx answers, no app server sees it
    api = request(stack.url, "POST", "/api/v1/daily/reports", too_big, {"Content-Type": "application/json"})
    assert (api.status, api.headers["Content-Type"]) == (413, "application/json; charset=utf-8")
    assert api.json() == {"error": "请求内容过大（不能超过 25 MB）"}
    page = request(stack.url, "POST", f"/work/tasks/{stack.seed['task']}/report", too_big,
                   {"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status == 413 and "文件过大" in page.text and page.headers["Content-Type"] == "text/html; charset=utf-8"

    stack.kill_server(0)
    stack.route_to([0])  # nginx has no app server left that answers
    try:
        api = request(stack.url, "GET", "/api/v1/daily/status")
        assert api.status == 502 and "同一幂等键" in api.json()["error"] and api.headers["Retry-After"] == "5"
        page = request(stack.url, "GET", "/")
        assert page.status == 502 and "服务暂时不可用" in page.text
    finally:
        stack.start_server(0)
        stack.route_to([0, 1])
    assert request(stack.url, "GET", "/healthz").status == 200


def test_the_replica_streams_and_heavy_pages_read_it_except_right_after_ones_own_write(stack):
    import psycopg

    leader = signed_in(stack, "sun_leader")  # signing in is a write: this browser is pinned for PIN_SECONDS
    pinned_until = time.monotonic() + PIN_SECONDS
    code = sorted(stack.seed["tokens"])[0]
    written = daily(stack, code, "replica-check", 7)
    assert written.status == 201
    with psycopg.connect(stack.replica_url, autocommit=True) as replica:
        assert replica.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
        assert replica.execute("SELECT count(*) FROM daily_dailyreport WHERE id = %s",
                               [written.json()["id"]]).fetchone()[0] == 1
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            replica.execute("DELETE FROM daily_dailyreport")

    task, (_, m2) = stack.seed["task"], stack.seed["milestones"]
    writer = signed_in(stack, "zhou_shangwu")
    time.sleep(max(0.0, pinned_until - time.monotonic()))
    assert gantt_milestone(leader, m2)["done_on"] is None
    assert "luoshi_primary" not in leader.cookies
    today = date.fromisoformat(stack.seed["today"])
    with stack.replica_paused():  # the replica stops applying: it lags as far as one likes
        response = writer.post(f"/work/tasks/{task}/report", {
            "percent": "80", "done_text": "协议已签订", f"done_{m2}": "1", f"done_on_{m2}": today.isoformat()})
        assert response.status == 302, response.text[:1000]
        assert "luoshi_primary" in writer.cookies
        # The writer reads its own report at once, on both servers (pinned to the primary) ...
        for base in stack.server_urls:
            assert gantt_milestone(writer, m2, base=base)["done_on"] == epoch_days(today)
        # ... while a reader without the pin is served from the replica, which has not applied it yet.
        for base in stack.server_urls:
            assert gantt_milestone(leader, m2, base=base)["done_on"] is None
    # Caught up (replica_paused waits for it): everyone sees it.
    for base in stack.server_urls:
        assert gantt_milestone(leader, m2, base=base) == {"done_on": epoch_days(today), "status": "done"}
