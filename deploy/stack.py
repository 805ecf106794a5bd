"""A throwaway multi-server luoshi on 127.0.0.1, built from the files in deploy/ (docs/deploy.md).

    from deploy.stack import Stack

    with Stack(servers=2) as s:          # everything started, migrated, ready
        s.url                            # nginx in front: "http://127.0.0.1:PORT"
        s.server_urls                    # each gunicorn app server directly: ["http://127.0.0.1:P1", ...]
        s.database_url, s.replica_url    # PostgreSQL primary and its streaming replica
        s.env                            # environment for `luoshi` commands / Django code against the primary
        s.env_file                       # the same, as /etc/luoshi/luoshi.env would hold it (without the data folder)
        s.run_luoshi("demo", "--no-accounts")   # a `luoshi` command with s.env; its stdout (StackError on failure)
        s.kill_server(0)                 # SIGKILL app server 0 (its whole process group), as if its host died
        s.start_server(0)                # start it again on the same port, wait until it answers
        s.server_alive(0)                # whether app server 0 is running
        s.route_to([1])                  # nginx's upstream list rewritten to these servers and nginx reloaded
        s.s3                             # S3Info(endpoint_url, bucket, region, access_key, secret_key, prefix)
        s.s3_client()                    # a boto3 client for the bucket's server
        with s.replica_paused(): ...     # the replica stops applying WAL inside the block (lags), then catches up
        s.replica_lag_bytes(), s.wait_replica_caught_up()
        s.nginx_access_log               # path of nginx's access log (names the upstream of every request)
        s.server_log(i), s.folder        # app server i's log; the temporary folder holding everything
    # on leaving (also on an exception): every process stopped, the temporary folder removed
    # a part that does not start raises StackError with the tail of its log

Stack(servers=2, synchronous_replica=True, replica=True, s3=True, web_workers=2, web_threads=2, job_workers=0,
      extra_env=None, pg_settings=None, keep=False)

- PostgreSQL: the machine's server binaries (apt-installed when missing, like scripts/with-postgres.sh), run as the
  `postgres` user when we are root. The primary has wal_level=replica; the replica is made with
  `pg_basebackup -R` and streams from it. synchronous_replica=True (the default) sets synchronous_standby_names and
  synchronous_commit=remote_apply: a commit returns only once the replica has applied it, so any reader of the
  replica sees it at once (what the test's "on server B at once" needs; it costs one round trip per commit).
  synchronous_replica=False is the usual production set-up: asynchronous streaming, lag of milliseconds, covered
  for the writer by the replica pin (docs/deploy.md). replica=False leaves the replica out (DATABASE_REPLICA_URL
  unset). fsync is off: the data is thrown away.
- Object storage: moto's S3 server (`moto_server`), a bucket created with boto3; s3=False keeps files local.
- migrate runs once (the ExecStart of deploy/systemd/luoshi-migrate.service), collectstatic once
  (luoshi-collectstatic.service) and its result copied into each app server's data folder; each app server is the
  ExecStart of luoshi-web@.service with its own LUOSHI_DATA_DIR and the shared environment, written as an env file
  (the stack's luoshi.env) as systemd would read it.
- nginx: the Debian package (apt-installed when missing), deploy/nginx/luoshi.conf rendered with the upstreams,
  run as `nginx -p PREFIX -c CONF -g 'daemon off;'` with pid, temp and logs in the temporary folder.
- job_workers=N starts N `luoshi worker` processes (luoshi-worker.service's ExecStart).
- web_workers, web_threads: gunicorn processes per app server and threads per process (LUOSHI_WEB_WORKERS/THREADS).
  extra_env: more variables for every host (e.g. {"LUOSHI_REPLICA_PIN_SECONDS": "2"}); pg_settings: more
  postgresql.conf lines for the primary (e.g. {"fsync": "on"}); keep=True leaves the folder behind for reading.

Command line:
    .venv/bin/python deploy/stack.py up --servers 2        # start, print the URLs, wait for Ctrl-C
    .venv/bin/python deploy/stack.py nginx-conf --listen 80 --server-name luoshi.example.gov.cn \\
        --upstream 10.0.0.11:8001 --upstream 10.0.0.12:8001   # render deploy/nginx/luoshi.conf for a real host
"""

import argparse
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = ROOT / ".venv" / "bin"
INSTALL_PREFIX = "/opt/luoshi"  # the path the systemd units name; replaced by this checkout
START_TIMEOUT = 90


class StackError(RuntimeError):
    """A part of the stack did not start; the message carries the tail of its log."""


@dataclass(frozen=True)
class S3Info:
    endpoint_url: str
    bucket: str
    region: str
    access_key: str
    secret_key: str
    prefix: str


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _as_root(cmd):
    if os.geteuid() == 0:
        return cmd
    if shutil.which("sudo"):
        return ["sudo", *cmd]
    raise StackError("需要 root 或 sudo 才能安装：" + " ".join(cmd))


def apt_install(*packages):
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = _as_root(["apt-get", "install", "-y", "-qq", *packages])
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(_as_root(["apt-get", "update", "-qq"]), env=env, capture_output=True)
        done = subprocess.run(install, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise StackError(f"apt-get install {' '.join(packages)} 失败：{done.stderr[-2000:]}")


def pg_bindir():
    """The machine's PostgreSQL server binaries (the newest installed), installed through apt when missing."""
    def find():
        config = shutil.which("pg_config")
        if config:
            bindir = subprocess.run([config, "--bindir"], capture_output=True, text=True).stdout.strip()
            if bindir and (Path(bindir) / "initdb").exists():
                return Path(bindir)
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
                       if p.parent.parent.name.isdigit() else 0)
        return found[-1].parent if found else None

    if find() is None:
        apt_install("postgresql")
    bindir = find()
    if bindir is None:
        raise StackError("找不到 PostgreSQL（initdb）")
    return bindir


def nginx_binary():
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if path is None:
        apt_install("nginx")
        path = shutil.which("nginx") or "/usr/sbin/nginx"
    return path


def render_nginx(*, listen, upstreams, server_name="_", access_log="/var/log/nginx/luoshi.access.log"):
    """deploy/nginx/luoshi.conf with its placeholders filled. upstreams: "host:port" strings."""
    text = (DEPLOY / "nginx" / "luoshi.conf").read_text()
    lines = "\n".join(f"    server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    for key, value in {"@UPSTREAMS@": lines, "@LISTEN@": str(listen), "@SERVER_NAME@": server_name,
                       "@ACCESS_LOG@": str(access_log)}.items():
        text = text.replace(key, value)
    return text


def unit_command(unit, **values):
    """The ExecStart line of a unit in deploy/systemd as a list: this checkout for /opt/luoshi, %i etc. filled in."""
    for line in (DEPLOY / "systemd" / unit).read_text().splitlines():
        if line.startswith("ExecStart="):
            command = line.split("=", 1)[1].replace(INSTALL_PREFIX, str(ROOT))
            for key, value in values.items():
                command = command.replace(key, str(value))
            return shlex.split(command)
    raise StackError(f"{unit} 没有 ExecStart")


def write_env_file(path, env):
    """KEY=VALUE lines as systemd's EnvironmentFile reads them (the stack's /etc/luoshi/luoshi.env)."""
    path.write_text("".join(f"{k}={v}\n" for k, v in sorted(env.items())))


def read_env_file(path):
    env = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip()
    return env


def _children(pid):
    """Process ids whose parent is pid (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def http_ok(url, timeout=2.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


class Process:
    """A child process in its own process group, its output in a log file."""

    def __init__(self, name, cmd, log, env=None, cwd=ROOT, user=None):
        self.name, self.cmd, self.log = name, cmd, Path(log)
        if user:
            cmd = ["runuser", "-u", user, "--", *cmd]
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True)

    def alive(self):
        return self.popen.poll() is None

    def kill(self, sig=signal.SIGKILL):
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, sig=signal.SIGTERM, timeout=15):
        self.terminate(sig)
        self.finish(timeout)

    def terminate(self, sig=signal.SIGTERM):
        if self.alive():
            self.kill(sig)

    def finish(self, timeout=15):
        """Wait for the process to end after terminate(); then SIGKILL whatever is left of its group."""
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill(signal.SIGKILL)
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def wait_until(self, ready, what, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            if not self.alive():
                raise StackError(f"{self.name} 已退出（{self.popen.returncode}），{what}未就绪。"
                                 f"日志末尾：\n{tail(self.log)}")
            time.sleep(0.2)
        raise StackError(f"{self.name} {timeout} 秒内{what}未就绪。日志末尾：\n{tail(self.log)}")


class Stack:
    def __init__(self, servers=2, *, synchronous_replica=True, replica=True, s3=True, web_workers=2, web_threads=2,
                 job_workers=0, extra_env=None, pg_settings=None, keep=False):
        self.servers, self.synchronous_replica, self.with_replica, self.with_s3 = servers, synchronous_replica, replica, s3
        self.web_workers, self.web_threads, self.job_workers = web_workers, web_threads, job_workers
        self.extra_env, self.pg_settings, self.keep = dict(extra_env or {}), dict(pg_settings or {}), keep
        self.folder = None
        self.url = None
        self.server_urls, self.server_ports, self._servers = [], [], []
        self.database_url = self.replica_url = None
        self.env = {}
        self.s3 = None
        self._pg_dirs, self._others = [], []
        self.nginx_access_log = None

    # ---------------------------------------------------------------- lifecycle
    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        self.folder = Path(tempfile.mkdtemp(prefix="luoshi-stack-"))
        self.folder.chmod(0o755)  # the postgres user passes through it
        self._start_postgres()
        if self.with_s3:
            self._start_s3()
        self._write_env()
        self._release()
        self.server_ports = [free_port() for _ in range(self.servers)]
        self.server_urls = [f"http://127.0.0.1:{p}" for p in self.server_ports]
        self._servers = [None] * self.servers
        for i in range(self.servers):
            self._spawn_server(i)
        for i in range(self.servers):
            self._wait_server(i)
        for n in range(self.job_workers):
            self._others.append(Process(f"luoshi worker {n}", unit_command("luoshi-worker.service"),
                                        self.folder / f"worker-{n}.log", env=self._server_env(f"worker-{n}")))
        self._start_nginx()
        return self

    def stop(self):
        processes = [*self._others[::-1], *(p for p in self._servers if p)]
        for proc in processes:  # all at once: a worker finishing its job does not hold up the others
            proc.terminate()
        deadline = time.monotonic() + 15
        for proc in processes:
            proc.finish(max(0.1, deadline - time.monotonic()))
        self._others, self._servers = [], [None] * len(self._servers)
        for data in self._pg_dirs[::-1]:
            subprocess.run(self._pg_user([str(self._pgbin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                           capture_output=True)
        self._pg_dirs = []
        if self.folder and not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    # ---------------------------------------------------------------- PostgreSQL
    def _pg_user(self, cmd):
        return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd

    def _pg(self, *args, check=True):
        done = subprocess.run(self._pg_user([str(self._pgbin / args[0]), *args[1:]]), capture_output=True, text=True)
        if check and done.returncode != 0:
            raise StackError(f"{' '.join(args[:1])} 失败：{done.stdout[-1500:]}{done.stderr[-1500:]}")
        return done.stdout

    def _psql(self, port, sql):
        return self._pg("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "luoshi", "-d", "luoshi", "-XAtqc", sql).strip()

    def _start_postgres(self):
        self._pgbin = pg_bindir()
        pg = self.folder / "pg"
        pg.mkdir()
        if os.geteuid() == 0:
            if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            shutil.chown(pg, "postgres")
        primary, self.pg_port = pg / "primary", free_port()
        self._pg("initdb", "-D", str(primary), "-U", "luoshi", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        settings = {
            "listen_addresses": "'127.0.0.1'", "port": self.pg_port, "unix_socket_directories": f"'{pg}'",
            "wal_level": "replica", "max_wal_senders": 5, "max_replication_slots": 5, "hot_standby": "on",
            "wal_keep_size": "'256MB'", "max_connections": 300, "shared_buffers": "'256MB'",
            "fsync": "off", "full_page_writes": "off", **self.pg_settings}
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write("\n# deploy/stack.py\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication luoshi 127.0.0.1/32 trust\n")
        self._pg("pg_ctl", "-D", str(primary), "-l", str(pg / "primary.log"), "-w", "-t", "60", "start")
        self._pg_dirs.append(primary)
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "luoshi", "luoshi")
        self.database_url = f"postgres://luoshi@127.0.0.1:{self.pg_port}/luoshi"
        if not self.with_replica:
            return
        replica, self.replica_port = pg / "replica", free_port()
        self._pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "luoshi", "-D", str(replica),
                 "-R", "-X", "stream", "-c", "fast")
        with open(replica / "postgresql.auto.conf", "a") as conf:  # later lines win over what -R wrote
            conf.write(f"port = {self.replica_port}\n"
                       f"primary_conninfo = 'host=127.0.0.1 port={self.pg_port} user=luoshi "
                       "application_name=luoshi_replica'\n")
        self._pg("pg_ctl", "-D", str(replica), "-l", str(pg / "replica.log"), "-w", "-t", "60", "start")
        self._pg_dirs.append(replica)
        self.replica_url = f"postgres://luoshi@127.0.0.1:{self.replica_port}/luoshi"
        deadline = time.monotonic() + 60
        while self._psql(self.pg_port, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") != "1":
            if time.monotonic() > deadline:
                raise StackError("副本 60 秒内未开始流复制。日志末尾：\n" + tail(pg / "replica.log"))
            time.sleep(0.2)
        if self.synchronous_replica:
            self._set_synchronous(True)

    @contextmanager
    def replica_paused(self):
        """The replica stops applying WAL (it lags as far as one likes) inside the block, then catches up. A synchronous
        replica is made asynchronous meanwhile (else every commit would wait for it)."""
        if self.synchronous_replica:
            self._set_synchronous(False)
        self._psql(self.replica_port, "SELECT pg_wal_replay_pause()")
        try:
            yield self
        finally:
            self._psql(self.replica_port, "SELECT pg_wal_replay_resume()")
            self.wait_replica_caught_up()
            if self.synchronous_replica:
                self._set_synchronous(True)

    def _set_synchronous(self, on):
        self._psql(self.pg_port, f"ALTER SYSTEM SET synchronous_standby_names = '{'luoshi_replica' if on else ''}'")
        self._psql(self.pg_port, f"ALTER SYSTEM SET synchronous_commit = '{'remote_apply' if on else 'on'}'")
        self._psql(self.pg_port, "SELECT pg_reload_conf()")
        wanted = "sync" if on else "async"
        deadline = time.monotonic() + 30
        while self._psql(self.pg_port, "SELECT sync_state FROM pg_stat_replication") != wanted:
            if time.monotonic() > deadline:
                raise StackError(f"副本 30 秒内未切换为 {wanted}。日志末尾：\n"
                                 + tail(self.folder / "pg" / "primary.log"))
            time.sleep(0.1)

    def wait_replica_caught_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while self.replica_lag_bytes() > 0:
            if time.monotonic() > deadline:
                raise StackError(f"副本 {timeout} 秒内未追上主库")
            time.sleep(0.1)

    def replica_lag_bytes(self):
        """WAL the replica has not applied yet (0 when caught up)."""
        return int(self._psql(self.pg_port, "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)"
                                            "::bigint FROM pg_stat_replication"))

    # ---------------------------------------------------------------- object storage
    def _start_s3(self):
        port = free_port()
        proc = Process("moto_server", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                       self.folder / "s3.log")
        self._others.append(proc)
        endpoint = f"http://127.0.0.1:{port}"
        proc.wait_until(lambda: http_ok(endpoint + "/moto-api/"), "S3 服务")
        self.s3 = S3Info(endpoint_url=endpoint, bucket="luoshi-files", region="us-east-1", access_key="stack-access",
                         secret_key="stack-secret", prefix="media")
        self.s3_client().create_bucket(Bucket=self.s3.bucket)

    def s3_client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.s3.endpoint_url, region_name=self.s3.region,
                            aws_access_key_id=self.s3.access_key, aws_secret_access_key=self.s3.secret_key)

    # ---------------------------------------------------------------- environment and release steps
    def _write_env(self):
        shared = {
            "DATABASE_URL": self.database_url,
            "LUOSHI_SECRET_KEY": "stack-" + secrets.token_urlsafe(40),
            "LUOSHI_DEBUG": "0", "LUOSHI_HTTPS": "0", "LUOSHI_TRUSTED_PROXIES": "1",
            "LUOSHI_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LUOSHI_WEB_WORKERS": str(self.web_workers), "LUOSHI_WEB_THREADS": str(self.web_threads),
            "LUOSHI_LOG_LEVEL": "WARNING",
        }
        if self.replica_url:
            shared["DATABASE_REPLICA_URL"] = self.replica_url
        if self.s3:
            shared.update({"LUOSHI_S3_BUCKET": self.s3.bucket, "LUOSHI_S3_ENDPOINT_URL": self.s3.endpoint_url,
                           "LUOSHI_S3_REGION": self.s3.region, "LUOSHI_S3_ACCESS_KEY_ID": self.s3.access_key,
                           "LUOSHI_S3_SECRET_ACCESS_KEY": self.s3.secret_key, "LUOSHI_S3_PREFIX": self.s3.prefix,
                           "LUOSHI_S3_ADDRESSING_STYLE": "path"})
        shared.update(self.extra_env)
        self.env_file = self.folder / "luoshi.env"
        write_env_file(self.env_file, shared)
        self.env = self._server_env("cli")

    def _server_env(self, name):
        """The process environment of one host: this machine's PATH etc., the env file, its own data folder."""
        keep = {k: v for k, v in os.environ.items()
                if not (k.startswith("LUOSHI_") or k.startswith("DATABASE_") or k.startswith("PG")
                        or k in ("DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST"))}
        data = self.folder / "data" / name
        data.mkdir(parents=True, exist_ok=True)
        return {**keep, **read_env_file(self.env_file), "LUOSHI_DATA_DIR": str(data)}

    def run_luoshi(self, *args, env=None, timeout=600):
        """Run `luoshi ARGS` against the primary with the stack's environment; returns its stdout."""
        done = subprocess.run([str(VENV_BIN / "luoshi"), *args], env=env or self.env, cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout)
        if done.returncode != 0:
            raise StackError(f"luoshi {' '.join(args)} 失败（{done.returncode}）：\n"
                             f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def _run_unit(self, unit, env):
        done = subprocess.run(unit_command(unit), env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise StackError(f"{unit} 失败（{done.returncode}）：\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")

    def _release(self):
        """What a release does: migrate once (one host), collectstatic on every host (here: each server's folder)."""
        self._run_unit("luoshi-migrate.service", self.env)
        first = self._server_env("server-0")
        self._run_unit("luoshi-collectstatic.service", first)
        for i in range(1, self.servers):  # the same files on every host: copied rather than compressed again
            target = self.folder / "data" / f"server-{i}" / "static"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(first["LUOSHI_DATA_DIR"]) / "static", target)

    # ---------------------------------------------------------------- app servers
    def _spawn_server(self, i):
        port = self.server_ports[i]
        self._servers[i] = Process(f"app server {i} (gunicorn :{port})",
                                   unit_command("luoshi-web@.service", **{"%i": port}),
                                   self.folder / f"server-{i}.log", env=self._server_env(f"server-{i}"))

    def _wait_server(self, i):
        self._servers[i].wait_until(lambda: http_ok(self.server_urls[i] + "/healthz"), "/healthz ")

    def server_log(self, i):
        return self.folder / f"server-{i}.log"

    def kill_server(self, i):
        """SIGKILL app server i: gunicorn's master and all its workers at once, as when its host dies."""
        proc = self._servers[i]
        proc.kill(signal.SIGKILL)
        proc.popen.wait(timeout=10)

    def start_server(self, i):
        """Start app server i again (same port, same data folder) and wait until it answers /healthz."""
        if self._servers[i] is not None and self._servers[i].alive():
            return
        self._spawn_server(i)
        self._wait_server(i)

    def server_alive(self, i):
        return self._servers[i] is not None and self._servers[i].alive()

    # ---------------------------------------------------------------- nginx
    def _write_nginx_site(self, servers):
        (self.folder / "nginx" / "luoshi.conf").write_text(render_nginx(
            listen=f"127.0.0.1:{self.nginx_port}", upstreams=[f"127.0.0.1:{self.server_ports[i]}" for i in servers],
            server_name="127.0.0.1 localhost", access_log=self.nginx_access_log))

    def route_to(self, servers):
        """nginx sends requests only to these app servers (indexes) from now on: the upstream list is rewritten and
        nginx reloaded (SIGHUP; requests in flight finish on the old workers), as an operator takes a host out."""
        self._write_nginx_site(list(servers))
        nginx = self._nginx
        old = set(_children(nginx.popen.pid))
        nginx.popen.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30  # reloaded when new worker processes have replaced the old ones
        while not (set(_children(nginx.popen.pid)) - old) or old & set(_children(nginx.popen.pid)):
            if time.monotonic() > deadline or not nginx.alive():
                raise StackError("nginx 未能重新加载配置。日志末尾：\n" + tail(self.folder / "nginx" / "error.log"))
            time.sleep(0.05)

    def _start_nginx(self):
        prefix = self.folder / "nginx"
        (prefix / "temp").mkdir(parents=True)
        port = self.nginx_port = free_port()
        self.nginx_access_log = prefix / "access.log"
        self._write_nginx_site(range(self.servers))
        temp = prefix / "temp"
        user = "user root root;\n" if os.geteuid() == 0 else ""  # workers write the temp folders below
        (prefix / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    client_body_temp_path {temp}/body;\n    proxy_temp_path {temp}/proxy;\n"
            f"    fastcgi_temp_path {temp}/fastcgi;\n    uwsgi_temp_path {temp}/uwsgi;\n"
            f"    scgi_temp_path {temp}/scgi;\n"
            f"    include {prefix}/luoshi.conf;\n}}\n")
        binary = nginx_binary()
        # -e: nginx's own error log in the folder from the first moment (not /var/log/nginx, unwritable when not root)
        check = subprocess.run([binary, "-t", "-e", str(prefix / "error.log"), "-p", str(prefix),
                                "-c", str(prefix / "nginx.conf")], capture_output=True, text=True)
        if check.returncode != 0:
            raise StackError("nginx 配置有误：" + check.stderr[-2000:])
        proc = self._nginx = Process("nginx", [binary, "-e", str(prefix / "error.log"), "-p", str(prefix),
                                               "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"], prefix / "nginx.log")
        self._others.append(proc)
        self.url = f"http://127.0.0.1:{port}"
        proc.wait_until(lambda: http_ok(self.url + "/healthz"), "/healthz ")

    def describe(self):
        lines = [f"nginx:            {self.url}/"]
        lines += [f"app server {i}:     {u}/" for i, u in enumerate(self.server_urls)]
        lines += [f"PostgreSQL:       {self.database_url}"]
        if self.replica_url:
            lines += [f"replica:          {self.replica_url}"
                      f" ({'synchronous, remote_apply' if self.synchronous_replica else 'asynchronous'})"]
        if self.s3:
            lines += [f"S3 (moto):        {self.s3.endpoint_url} bucket {self.s3.bucket}"]
        lines += [f"env file:         {self.env_file}", f"folder:           {self.folder}"]
        return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="A throwaway multi-server luoshi on 127.0.0.1 (docs/deploy.md)")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the stack, print the URLs, wait for Ctrl-C")
    up.add_argument("--servers", type=int, default=2)
    up.add_argument("--async-replica", action="store_true", help="asynchronous streaming instead of remote_apply")
    up.add_argument("--no-replica", action="store_true")
    up.add_argument("--no-s3", action="store_true")
    up.add_argument("--job-workers", type=int, default=0)
    up.add_argument("--demo", action="store_true", help="build the demo (luoshi demo) after migrating")
    conf = sub.add_parser("nginx-conf", help="print deploy/nginx/luoshi.conf rendered for a real host")
    conf.add_argument("--listen", default="80")
    conf.add_argument("--server-name", default="_")
    conf.add_argument("--upstream", action="append", required=True, help="host:port of an app server (repeat)")
    conf.add_argument("--access-log", default="/var/log/nginx/luoshi.access.log")
    args = parser.parse_args(argv)
    if args.command == "nginx-conf":
        print(render_nginx(listen=args.listen, upstreams=args.upstream, server_name=args.server_name,
                           access_log=args.access_log), end="")
        return
    stack = Stack(servers=args.servers, synchronous_replica=not args.async_replica, replica=not args.no_replica,
                  s3=not args.no_s3, job_workers=args.job_workers)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print("启动中（PostgreSQL 主库与副本、对象存储、迁移、应用服务器、nginx）……", flush=True)
    try:
        with stack:
            if args.demo:
                stack.run_luoshi("demo", "--no-accounts")
                print(stack.run_luoshi("accounts"))
            print(stack.describe(), flush=True)
            print("按 Ctrl-C 停止并删除全部临时数据。", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    except StackError as error:
        sys.exit(f"启动失败：{error}")


if __name__ == "__main__":
    main()
