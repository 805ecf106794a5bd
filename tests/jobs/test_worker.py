"""`make run`'s worker sends what is queued without any cron: scripts/run.sh (the command `make run` ends with) is
started against the test database, a reminder is queued to a village, and it reaches the village's 企业微信 group
(a fake robot on 127.0.0.1) and its reporter's inbox; Ctrl-C stops the server and the worker together."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from luoshi.notify import services as notify
from luoshi.notify.models import Message
from tests.notify.conftest import FakeRobot

pytestmark = pytest.mark.both_databases

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s.get('PASSWORD') or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Output:
    """The started script's output, read in a thread so the pipe never fills."""

    def __init__(self, stream):
        self.lines = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line)

    def wait_for(self, text, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return True
            time.sleep(0.2)
        return False

    def __str__(self):
        return "".join(self.lines[-60:])


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def wecom_group(settings):
    robot = FakeRobot("wecom")
    settings.LUOSHI_WEBHOOK_HOSTS = f"qyapi.weixin.qq.com,oapi.dingtalk.com,{robot.host}"
    yield robot
    robot.close()


@pytest.fixture
def make_run_server(tmp_path, transactional_db, wecom_group):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "LUOSHI_DATA_DIR": str(tmp_path), "LUOSHI_HTTPS": "0",
           "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1", "BIN": str(Path(sys.executable).parent),
           "LUOSHI_WORKER_LOG_LEVEL": "INFO", "LUOSHI_WEBHOOK_HOSTS": f"qyapi.weixin.qq.com,{wecom_group.host}"}
    # The same script and worker command as `make run` (Makefile: the run target's last line).
    assert "scripts/run.sh" in (ROOT / "Makefile").read_text()
    process = subprocess.Popen(["scripts/run.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    output = Output(process.stdout)
    yield process, output, port
    if group_alive(process.pid):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_the_worker_make_run_starts_sends_a_queued_reminder_to_the_robot_and_inbox_without_cron_and_stops_on_ctrl_c(
        cast, make_run_server, wecom_group, client_for):
    process, output, port = make_run_server
    notify.add_robot(cast.wang_admin, kind="wecom", url=wecom_group.url, unit=cast.units.village, name="东关村工作群")
    assert output.wait_for("定时任务已启动", 60), f"the worker did not start:\n{output}"
    assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).status == 200
    subject = "请在17:00前报送今天的「防汛日报」"
    assert notify.send_to_unit(cast.units.village, subject, "东关村还没有报送。") == (1, 1)
    queued = list(Message.objects.filter(subject=subject))
    assert {m.status for m in queued} == {Message.Status.QUEUED} and wecom_group.received == []

    deadline = time.monotonic() + 150  # the scheduler looks every 30 s; dispatch runs every minute
    while time.monotonic() < deadline:
        if not Message.objects.filter(subject=subject).exclude(status=Message.Status.SENT).exists():
            break
        time.sleep(1)
    assert set(Message.objects.filter(subject=subject).values_list("status", flat=True)) == {Message.Status.SENT}, \
        f"not sent by the worker:\n{output}"
    assert len(wecom_group.received) == 1 and subject in wecom_group.texts()[0]
    assert subject in client_for("wu_cunju").get("/inbox/").content.decode()
    from luoshi.jobs.models import JobRun

    assert JobRun.objects.filter(job="dispatch", ok=True).exists()

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends to `make run`'s processes
    # Within 20 s: a gunicorn worker that deadlocks on the second quit signal is killed by the master only after
    # graceful_timeout (30 s; deploy/gunicorn.conf.py's post_worker_init keeps workers out of it).
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        alive = subprocess.run(["ps", "-o", "pid,stat,etime,args", "-g", str(process.pid)], capture_output=True,
                               text=True).stdout
        pytest.fail(f"make run did not stop within 20 s of Ctrl-C; still running:\n{alive}\n{output}")
    deadline = time.monotonic() + 10
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not group_alive(process.pid), f"a process of make run outlived Ctrl-C:\n{output}"
