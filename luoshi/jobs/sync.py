"""The scheduler's table (django-q2's Schedule) made to match the settings; `luoshi worker` calls it on start.

One row per job switched on, named "luoshi:<job>"; rows of jobs switched off are removed. A row whose schedule is
unchanged keeps its next run, so restarting a worker neither skips nor repeats a run (a daily job missed while no
worker ran runs once when one starts again: catch_up is off). Several workers starting at once take turns (an
advisory lock on PostgreSQL; SQLite writers queue on BEGIN IMMEDIATE), so there is never a second row for a job.
"""

from django.db import connection, transaction
from django.utils import timezone

from luoshi.jobs import schedule

PREFIX = "luoshi:"
FUNC = "luoshi.jobs.runner.run"


def sync(now=None):
    from django_q.models import Schedule

    now = now or timezone.now()
    plans = schedule.planned()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('luoshi.jobs.sync'))")
        existing = {}
        for row in Schedule.objects.filter(name__startswith=PREFIX).order_by("id"):
            if row.name in existing:
                row.delete()  # a stray duplicate (e.g. added by hand in the admin)
            else:
                existing[row.name] = row
        wanted = set()
        for plan in plans:
            name = PREFIX + plan.job.name
            wanted.add(name)
            fields = {"func": FUNC, "args": repr(plan.job.name), "kwargs": None, "intended_date_kwarg": "scheduled_for",
                      "schedule_type": Schedule.MINUTES if plan.minutes else Schedule.DAILY,
                      "minutes": plan.minutes, "repeats": -1, "cluster": None, "cron": None, "hook": None}
            row = existing.get(name)
            if row is None:
                Schedule.objects.create(name=name, next_run=plan.first_run(now), **fields)
                continue
            same = all(getattr(row, key) == value for key, value in fields.items())
            if same and row.next_run and _on_grid(plan, row.next_run):
                continue
            for key, value in fields.items():
                setattr(row, key, value)
            row.next_run = plan.first_run(now)
            row.save()
        Schedule.objects.filter(name__startswith=PREFIX).exclude(name__in=wanted).delete()
    return plans


def _on_grid(plan, when):
    """Whether a kept next run still falls on the plan's slots (a changed daily time or interval moves it)."""
    return plan.slot(when) == when.replace(second=0, microsecond=0)
