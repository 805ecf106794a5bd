"""The Gantt chart's judged parts kept in the database (models.JudgedPart), so that every process of every server
reads them instead of judging 5,000 tasks on its first request of a day (docs/benchmarks.md, bench/work.py).

Who writes them: the daily job (`luoshi work judge`, jobs "judge" just after midnight) judges every task as of the
day; the process that loads a year's 放假安排 does the same after its commit (core.workdays.listen, from
WorkConfig.ready()); a request on the primary that had to judge a few tasks as of today (those written since the job)
stores them for the others, INSERT … ON CONFLICT DO NOTHING. A request that judged more (no job ran today) keeps them in
its own process only: storing 5,000 parts costs more than judging them. A view reading from the replica writes
nothing.

What keys them, so that a stored part is the part this process would judge now: the task's revision (every write to
a task moves it: services.touch_tasks), its campaign's report cycle, the stored calendar (core.workdays.stamp: the
loaded 放假安排) and the judging code (CODE: a hash of the modules that judge). Parts of earlier days, of another
calendar or code, and of revisions that have moved on, are pruned by the job.

Derived data: it may be deleted at any time; a process then judges for itself. No writes of domain data here."""

import hashlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import chinese_calendar
import orjson
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from luoshi.core import workdays
from luoshi.core.dbrouter import read_alias
from luoshi.core.sql import all_rows
from luoshi.work import queries, rules
from luoshi.work.models import Campaign, JudgedPart, Task

log = logging.getLogger(__name__)

KEEP_DAYS = 2  # parts of the two days before the one judged are kept (a chart asked for yesterday after midnight)
# A request stores at most this many parts (the tasks written since the job judged; a few ms). More means the job has
# not judged today (no worker, another calendar or judging code since): 5,000 parts took 0.6-0.9 s to insert on
# PostgreSQL on the development machine, more than judging them, so that is left to the job.
MOST_FROM_REQUEST = 500
BATCH = 500  # rows per INSERT (10 parameters each: under SQLite's and PostgreSQL's limits)
FIELDS = ["task_id", "as_of", "against", "calendar", "code", "revision", "cycle", "task_row", "milestones", "uncovered"]


def _code():
    """A hash of what decides a part's content: the modules that judge (and build the rows) and the calendar
    package's version. Any release that changes them makes the stored parts unused until judged again."""
    digest = hashlib.sha256()
    for module in (rules, queries, workdays):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(str(getattr(chinese_calendar, "__version__", "")).encode())
    return digest.hexdigest()[:16]


CODE = _code()


def calendar_key(calendar):
    """The stored calendar a process's Calendar (core.workdays.current()) counts with, as JudgedPart.calendar."""
    return calendar.stamp or 0


def stored(as_of, against, calendar, wanted):
    """{task id: queries.ChartPart} stored for these tasks as of a day, judged against `against` with this calendar
    and this code; `wanted`: {task id: (revision, report cycle)}, only parts under those are returned. One query: by
    the ids when they are few, else every part of the day (read where reads go: the replica in a replica-read view)."""
    rows = JudgedPart.objects.filter(as_of=as_of, against=against, calendar=calendar_key(calendar), code=CODE)
    if len(wanted) <= 500:
        rows = rows.filter(task_id__in=list(wanted))
    found = {}
    make, none = queries._chart_part, queries.NO_YEARS
    loads = orjson.loads
    for task_id, revision, cycle, task_row, milestones, uncovered in all_rows(rows.order_by().values_list(
            "task_id", "revision", "cycle", "task_row", "milestones", "uncovered")):
        if wanted.get(task_id) == (revision, cycle):
            found[task_id] = make((revision, cycle, loads(task_row), milestones.encode(),
                                   frozenset(loads(uncovered)) if uncovered else none))
    return found


def _insert_sql(connection, rows):
    """One INSERT of `rows` rows (many rows a statement: executemany sent 5,000 statements, 300 ms on PostgreSQL)."""
    quote = connection.ops.quote_name
    row = f"({', '.join(['%s'] * len(FIELDS))})"
    return (f"INSERT INTO {quote(JudgedPart._meta.db_table)} ({', '.join(map(quote, FIELDS))}) "
            f"VALUES {', '.join([row] * rows)} ON CONFLICT DO NOTHING")


def store(as_of, against, calendar, parts):
    """Store these parts ({task id: ChartPart}, judged with `calendar`) for the other processes; the number offered.
    Not inside a replica-read view (it must not write), nor when the process's calendar changed while they were
    judged. One transaction (a savepoint inside the caller's), rows in task order (two servers storing the same
    parts wait for each other, never deadlock); a failure is logged and leaves the caller's transaction usable."""
    if not parts or read_alias() != "default" or workdays.current() is not calendar:
        return 0
    alias = router.db_for_write(JudgedPart)
    connection = connections[alias]
    day = connection.ops.adapt_datefield_value(as_of)
    key = calendar_key(calendar)
    dumps = orjson.dumps
    rows = [(task_id, day, against, key, CODE, part.revision, part.cycle, dumps(part.task).decode(),
             part.milestones.decode(), dumps(sorted(part.uncovered_years)).decode() if part.uncovered_years else "")
            for task_id, part in sorted(parts.items())]
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for first in range(0, len(rows), BATCH):
                batch = rows[first:first + BATCH]
                cursor.execute(_insert_sql(connection, len(batch)), [value for row in batch for value in row])
    except DatabaseError:
        log.warning("横道图判定结果未能保存（各进程将自行判定）", exc_info=True)
        return 0
    return len(rows)


def store_today(as_of, against, calendar, parts):
    """store() from a request: only today's parts (Asia/Shanghai: the day every process asks about, and the one the job
    judged; a chart asked for another day keeps what it judged in its own process only), and at most
    MOST_FROM_REQUEST of them."""
    if as_of != timezone.localdate() or len(parts) > MOST_FROM_REQUEST:
        return 0
    return store(as_of, against, calendar, parts)


class Judged(NamedTuple):
    tasks: int  # tasks judged
    stored: int  # parts offered to the table (those there already are kept as they are)
    pruned: int  # parts deleted: earlier days, another calendar or code, revisions moved on


def judge_day(on, against=queries.CURRENT):
    """Judge every task as of a day and store the parts; prune what is no longer used (`luoshi work judge`, the job,
    after a year's 放假安排 is loaded)."""
    calendar = workdays.current()
    cycle_of = dict(Campaign.objects.values_list("id", "report_cycle"))
    with queries.paused_gc():
        parts = queries.chart_parts(on, Task.objects.all(), cycle_of, False, against)
        offered = store(on, against, calendar, parts)
    return Judged(len(parts), offered, prune(on, calendar))


def prune(on, calendar=None):
    """Delete the parts of days before `on` - KEEP_DAYS, and of the days kept those judged with another calendar or
    code, or under a revision the task no longer has (or of a task deleted)."""
    calendar = calendar or workdays.current()
    first = on - timedelta(days=KEEP_DAYS)
    pruned = JudgedPart.objects.filter(as_of__lt=first).delete()[0]
    kept = JudgedPart.objects.filter(as_of__gte=first)
    pruned += kept.exclude(calendar=calendar_key(calendar), code=CODE).delete()[0]
    pruned += kept.exclude(Exists(Task.objects.filter(pk=OuterRef("task_id"), revision=OuterRef("revision")))).delete()[0]
    return pruned


def after_calendar_change():
    """core.workdays.listen: a year's 放假安排 was loaded in this process and committed; judge today again with it,
    so that the other processes find the parts when they count with it (within LUOSHI_HOLIDAY_CHECK_SECONDS)."""
    result = judge_day(timezone.localdate())
    log.info("放假安排变更后重新判定 %s 项任务", result.tasks)
