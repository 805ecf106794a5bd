"""Running a job once per scheduled time, and what each job does.

The scheduler (django-q2, `luoshi worker`) passes the scheduled time; `run` first claims (job, scheduled_for) by
inserting a JobRun row under a unique constraint, so a second scheduler, a redelivered task or a cron line on
another server with the same time finds the claim and does nothing. A claim left unfinished for STALE (a worker
killed mid-run) may be taken over by the next delivery of the same run.
"""

import logging
import os
import socket
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.jobs import schedule
from luoshi.jobs.models import JobRun

log = logging.getLogger("luoshi.jobs")
STALE = timedelta(hours=1)
KEEP = timedelta(days=30)


def _dispatch(scheduled_for):
    from luoshi.notify import services

    result = services.dispatch()
    if all(hasattr(result, key) for key in ("sent", "retrying", "failed")):
        return f"发件箱：已发送 {result.sent} 条，待重试 {result.retrying} 条，失败 {result.failed} 条"
    return f"发件箱：{result}"


def _daily_remind(scheduled_for):
    from luoshi.daily import services

    return f"村居日报提醒：新排队 {services.send_reminders()} 条"


def _supervision_sweep(scheduled_for):
    from luoshi.projects import sweep as projects_sweep
    from luoshi.supervision.sweep import report_lines, sweep

    today = timezone.localdate()
    lines = report_lines(sweep(today))
    # The projects' sweep after it: a red project, an overdue 要素保障 problem → a notice on the project's task.
    return "；".join(lines + projects_sweep.report_lines(projects_sweep.sweep(today)))


def _briefings_remind(scheduled_for):
    from luoshi.briefings.services import remind_sections

    return f"会议材料提醒：新排队 {remind_sections()} 条"


def _inputs_remind(scheduled_for):
    from luoshi.work.services import remind_inputs

    return f"配合单位报送提醒：新排队 {remind_inputs()} 条"


def _judge(scheduled_for):
    from luoshi.work.judged import judge_day

    result = judge_day(timezone.localdate())
    return f"重点工作判定：{result.tasks} 项任务，保存 {result.stored} 项，清理 {result.pruned} 项"


ACTIONS = {"judge": _judge, "dispatch": _dispatch, "daily_remind": _daily_remind, "supervision_sweep": _supervision_sweep,
           "briefings_remind": _briefings_remind, "inputs_remind": _inputs_remind}


def _worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def claim(name, scheduled_for, now=None):
    """The JobRun claimed for this run, or None when another worker has it (running or done)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=name, scheduled_for=scheduled_for, started_at=now, worker=_worker_name())
    except IntegrityError:
        pass
    # Taken over only if it was claimed long ago and never finished (the worker died); one taker wins the update.
    taken = JobRun.objects.filter(job=name, scheduled_for=scheduled_for, finished_at__isnull=True,
                                  started_at__lt=now - STALE).update(started_at=now, worker=_worker_name())
    return JobRun.objects.get(job=name, scheduled_for=scheduled_for) if taken else None


def run(name, scheduled_for=None):
    """Run job `name` for its scheduled time (an ISO string from the scheduler, a datetime, or None: the current
    slot, as a cron line would). Returns the outcome text, or None when the run was already claimed."""
    job = schedule.BY_NAME[name]
    if isinstance(scheduled_for, str):
        scheduled_for = datetime.fromisoformat(scheduled_for)
    if scheduled_for is None:
        plan = next((p for p in schedule.planned() if p.job is job), None)
        scheduled_for = plan.slot(timezone.now()) if plan else timezone.now().replace(second=0, microsecond=0)
    scheduled_for = scheduled_for.replace(microsecond=0)
    row = claim(name, scheduled_for)
    if row is None:
        log.info("%s %s: already claimed", name, scheduled_for)
        return None
    try:
        outcome = ACTIONS[name](scheduled_for)
    except Exception as exc:
        JobRun.objects.filter(pk=row.pk).update(finished_at=timezone.now(), ok=False, outcome=f"失败：{exc}"[:500])
        raise
    JobRun.objects.filter(pk=row.pk).update(finished_at=timezone.now(), ok=True, outcome=str(outcome)[:500])
    JobRun.objects.filter(job=name, scheduled_for__lt=scheduled_for - KEEP).delete()
    return outcome
