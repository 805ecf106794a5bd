"""Gunicorn settings for one luoshi app server (deploy/systemd/luoshi-web@.service; deploy/stack.py uses the same file).

    gunicorn --config deploy/gunicorn.conf.py --bind 127.0.0.1:8001 luoshi.wsgi:application

Every value can be set from the environment (the systemd units read /etc/luoshi/luoshi.env), so one file serves
every host; docs/deploy.md explains the choices.
"""

import os

# The unit passes --bind 127.0.0.1:%i (one instance per port); LUOSHI_BIND is the default when it does not.
bind = os.environ.get("LUOSHI_BIND", "127.0.0.1:8000")
# Sync workers with a few threads: luoshi's requests wait mostly on PostgreSQL, and a thread is cheaper than a
# process. Rule of thumb: 2 workers per core, 2-4 threads each.
workers = int(os.environ.get("LUOSHI_WEB_WORKERS", "3"))
threads = int(os.environ.get("LUOSHI_WEB_THREADS", "2"))
# The meeting pack and large exports take seconds, not minutes; a worker stuck longer is killed and restarted.
# nginx's proxy_read_timeout (deploy/nginx/luoshi.conf) is a little longer, so nginx sees the worker's end first.
timeout = int(os.environ.get("LUOSHI_WEB_TIMEOUT", "120"))
# On SIGTERM (systemctl stop/restart, a new release) requests in flight have this long to finish.
graceful_timeout = int(os.environ.get("LUOSHI_WEB_GRACEFUL_TIMEOUT", "30"))
# With threads > 1 gunicorn runs the gthread worker, which keeps nginx's upstream connections open between requests;
# a little longer than nginx keeps them idle (keepalive_timeout 60s), so gunicorn never closes one nginx reuses.
keepalive = int(os.environ.get("LUOSHI_WEB_KEEPALIVE", "75"))
backlog = int(os.environ.get("LUOSHI_WEB_BACKLOG", "2048"))
# A worker is replaced after this many requests (with jitter, so they do not all restart at once): bounds any
# slow growth of memory (per-process caches such as the Gantt chart's judged rows).
max_requests = int(os.environ.get("LUOSHI_WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The app is loaded in each worker, not the master: a worker's database connections are its own.
preload_app = False
# Behind nginx on the same host: trust its X-Forwarded-* headers (Django reads them through LUOSHI_TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("LUOSHI_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "luoshi-web"

# Logs go to stdout/stderr (the journal under systemd) unless a file is given; "-" is stdout.
accesslog = os.environ.get("LUOSHI_WEB_ACCESS_LOG", "-") or None
errorlog = os.environ.get("LUOSHI_WEB_ERROR_LOG", "-")
loglevel = os.environ.get("LUOSHI_WEB_LOG_LEVEL", "info")
# Client address as nginx saw it (X-Forwarded-For), time, request, status, bytes, duration in ms.
access_log_format = '%({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms'


def post_worker_init(worker):
    """A worker leaves SIGINT to the master. Ctrl-C in a terminal (`make run`) reaches every process of the group: the
    master then sends each worker SIGQUIT as well, and gunicorn's threaded worker, quitting on the first signal while
    the second arrives, waits on a lock its own first handler holds (gthread handle_quit → ThreadPoolExecutor.shutdown,
    twice) until the master kills it after graceful_timeout: make run took 30 s to stop, some of the time. The master's
    SIGQUIT (and SIGTERM, from systemd) still stops the worker at once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
