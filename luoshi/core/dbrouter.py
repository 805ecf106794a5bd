"""Heavy read-only pages read from the streaming replica (DATABASE_REPLICA_URL); everything else, and every write,
goes to the primary.

A view opts in with @reads_replica. Reads then go to "replica" only while all of these hold: the alias is configured,
the request is a GET or HEAD, the browser is not pinned to the primary (the cookie luoshi.web.replica sets after any
write, so whoever just wrote reads it back at once), and no transaction is open on the primary (what a transaction
reads, it may write back). Writes never leave the primary. See docs/configuration.md "Read replica".
"""

import contextvars
from functools import wraps

from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "luoshi_primary"

_replica_reads = contextvars.ContextVar("luoshi_replica_reads", default=False)


def replica_configured():
    return REPLICA in connections.settings


def read_alias():
    """The database alias reads go to now."""
    if _replica_reads.get() and replica_configured() and not connections["default"].in_atomic_block:
        return REPLICA
    return "default"


class replica_reads:
    """Context in which reads may go to the replica (read_alias decides)."""

    def __enter__(self):
        self._token = _replica_reads.set(True)
        return self

    def __exit__(self, *exc):
        _replica_reads.reset(self._token)


def may_read_replica(request):
    return request.method in ("GET", "HEAD") and PIN_COOKIE not in request.COOKIES


def reads_replica(view):
    """For a function view or a django-ninja operation (request first): its reads go to the replica when
    may_read_replica(request). The view must not write."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_read_replica(request):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
