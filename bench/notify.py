"""Outbox benchmark: 10,000 queued messages (5,000 to 100 企业微信 group robots, 5,000 in-app to 1,000 people)
dispatched by two worker processes at once, against fake robot servers on 127.0.0.1.

    LUOSHI_DATA_DIR=/tmp/notify-bench scripts/with-postgres.sh .venv/bin/python bench/notify.py [--robots N] [--users N]

Needs PostgreSQL (DATABASE_URL): two dispatchers claim with FOR UPDATE SKIP LOCKED. The messages are written with
bulk_create (queuing is not what is measured). Each worker process runs `notify.services.dispatch()` in a loop until
nothing is left to send. The fake robots (one threaded http.server, a key per robot, 5 ms per answer) record every
message number they receive inside the digests. Prints the time, messages per second, robot calls, and whether every
robot message reached its robot exactly once and every in-app message was marked sent once.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-notify-"))
os.environ.setdefault("LUOSHI_HTTPS", "0")
NUMBER = re.compile(r"〔B(\d{6})〕")


class FakeRobots:
    def __init__(self, delay=0.005):
        self.received = Counter()  # message number → times received
        self.calls = Counter()  # robot key → calls
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
                key = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("key", [""])[0]
                time.sleep(delay)
                with fake.lock:
                    fake.calls[key] += 1
                    for number in NUMBER.findall(body["markdown"]["content"]):
                        fake.received[int(number)] += 1
                data = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.host = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def worker():
    """One dispatcher process: dispatch until nothing is due or being sent; print its totals as JSON."""
    import django

    django.setup()
    from luoshi.notify.models import Message
    from luoshi.notify.services import dispatch

    totals = Counter()
    while True:
        result = dispatch(limit=500)
        totals.update(result._asdict())
        if not Message.objects.exclude(status__in=[Message.Status.SENT, Message.Status.FAILED]).exists():
            break
        if result.sent == 0:
            time.sleep(0.5)  # the rest is claimed by the other worker, or waits for a robot's per-minute limit
    print(json.dumps(dict(totals)))


def build(fake, robots_n, users_n, messages_n):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from luoshi.notify.models import Message, Robot
    from luoshi.orgs.models import Region, RegionLevel, Unit, UnitKind

    call_command("migrate", verbosity=0, interactive=False)
    Message.objects.all().delete()
    Robot.objects.all().delete()
    region, _ = Region.objects.get_or_create(code="379901", defaults={"name": "基准区", "level": RegionLevel.COUNTY})
    units = [Unit.objects.get_or_create(code=f"3799D{i:04d}", defaults={
        "name": f"基准单位{i}", "kind": UnitKind.DEPARTMENT, "region": region})[0] for i in range(robots_n)]
    robots = Robot.objects.bulk_create([Robot(kind="wecom", name=f"工作群{i}", unit=u,
                                              url=f"{fake.host}/cgi-bin/webhook/send?key=k{i:04d}")
                                        for i, u in enumerate(units)])
    User = get_user_model()
    User.objects.filter(username__startswith="bench_notify_").delete()
    users = User.objects.bulk_create([User(username=f"bench_notify_{i:04d}", password="!") for i in range(users_n)])
    half = messages_n // 2
    rows = [Message(robot=robots[n % robots_n], channel="wecom", subject=f"〔B{n:06d}〕进度报送提醒",
                    body="请于明天前报送本周进度。") for n in range(half)]
    rows += [Message(recipient=users[n % users_n], channel="inapp", subject=f"〔B{n:06d}〕村居日报提醒",
                     body="请在17:00前报送今天的日报。") for n in range(half, messages_n)]
    Message.objects.bulk_create(rows, batch_size=2000)
    return half


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--robots", type=int, default=100)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/notify.py 需要 PostgreSQL：scripts/with-postgres.sh .venv/bin/python bench/notify.py")
    fake = FakeRobots()
    os.environ["LUOSHI_WEBHOOK_HOSTS"] = fake.host
    import django

    django.setup()
    from luoshi.notify.models import Message

    robot_messages = build(fake, args.robots, args.users, args.messages)
    env = {**os.environ, "LUOSHI_WEBHOOK_HOSTS": fake.host}
    started = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, __file__, "--worker"], env=env, stdout=subprocess.PIPE, text=True)
               for _ in range(2)]
    totals = [json.loads(w.communicate()[0].strip().splitlines()[-1]) for w in workers]
    seconds = time.perf_counter() - started

    statuses = Counter(Message.objects.values_list("status", flat=True))
    robot_ok = (set(fake.received) == set(range(robot_messages))
                and all(count == 1 for count in fake.received.values()))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{args.messages} messages ({robot_messages} to {args.robots} robots, {args.messages - robot_messages} in-app to "
          f"{args.users} people), 2 workers: {seconds:.2f} s, {args.messages / seconds:.0f} messages/s")
    print(f"workers' totals: {totals}")
    print(f"robot calls: {sum(fake.calls.values())} (max per robot {max(fake.calls.values())}); "
          f"robot messages received {sum(fake.received.values())}, distinct {len(fake.received)}")
    print(f"statuses: {dict(statuses)}")
    print(f"each robot message received exactly once: {'yes' if robot_ok else 'NO'}; "
          f"every message sent once: {'yes' if statuses == Counter({'sent': args.messages}) and sum(t['sent'] for t in totals) == args.messages else 'NO'}")


if __name__ == "__main__":
    main()
