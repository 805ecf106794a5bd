"""The daily sweep (luoshi supervision sweep [--on DAY]): judge every task as of the day, open a notice on each red
task without an open one, escalate the notices not answered by their reply_due, queue the reminders. Running it
again for the same day does nothing new: the open-notice constraint, escalated_on and the messages' dedupe keys."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.core.management.base import CommandError
from django.utils import timezone

from luoshi.core import workdays
from luoshi.core.commands import warn_fallback
from luoshi.core.periods import day_label, parse_day
from luoshi.core.problems import Rejected
from luoshi.supervision import services
from luoshi.supervision.consequences import triggers as consequence_triggers
from luoshi.supervision.models import OPEN_STATES, Notice, NoticeSource, NoticeState, overdue_for_reply
from luoshi.work import queries, rules

DEFAULT_REMIND_BEFORE = (7, 3)


@dataclass
class SweepResult:
    on: date
    opened: list = field(default_factory=list)  # notices
    escalated: list = field(default_factory=list)  # services.Escalation
    reminders: dict = field(default_factory=lambda: defaultdict(int))  # kind → messages newly queued
    fallback_years: list = field(default_factory=list)
    proposals: list = field(default_factory=list)  # 结果运用 proposals the triggers made (consequences.triggers)


REMINDER_LABELS = {"milestone": "节点即将到期", "missing": "缺报进度", "report_due": "进度报送明日截止",
                   "notice": "督办单待答复"}


def remind_before_days():
    raw = getattr(settings, "LUOSHI_REMIND_BEFORE_DAYS", DEFAULT_REMIND_BEFORE)
    if isinstance(raw, str):
        raw = [part for part in raw.replace("，", ",").split(",") if part.strip()]
    return sorted({int(n) for n in raw if int(n) > 0}, reverse=True)


def previous_workday(day):
    day -= timedelta(days=1)
    while not workdays.is_workday(day):
        day -= timedelta(days=1)
    return day


def sweep(on):
    today = timezone.localdate()
    if on > today:  # it would write notices, steps and messages dated in the future
        raise Rejected(f"巡查日期（{day_label(on)}）晚于今天（{day_label(today)}），不能按尚未到来的日子开具或升级督办单")
    result = SweepResult(on=on)
    board = queries.board(on)
    result.fallback_years = sorted(set(board.fallback_years) | set(workdays.fallback_years([on])))
    _open_notices(board, result)
    _escalate(result)
    _remind_notices(result)
    _remind_milestones(board, result)
    _remind_reports(board, result)
    result.proposals = consequence_triggers.evaluate(on, board)
    return result


def _open_notices(board, result):
    red = [t for t in board.tasks if t["light"] == rules.RED]
    busy = set(Notice.objects.filter(task_id__in=[t["id"] for t in red])
               .filter(state__in=OPEN_STATES).values_list("task_id", flat=True))
    busy |= set(Notice.objects.filter(task_id__in=[t["id"] for t in red], opened_on=result.on)
                .values_list("task_id", flat=True))  # opened and closed today already: not again the same day
    tasks = queries.tasks_by_id(t["id"] for t in red if t["id"] not in busy)
    for row in red:
        if row["id"] in busy:
            continue
        try:
            notice = services.open_notice(None, tasks[row["id"]], on=result.on, source=NoticeSource.SWEEP,
                                          reason=services.reason_text(row, result.on))
        except Rejected:
            continue  # another sweep (or the office) opened one meanwhile
        result.opened.append(notice)
        result.reminders["notice"] += notice.reminders_queued


def _escalate(result):
    # Not those escalated already for the answer they wait for (services.escalated_this_round), so the sweep does
    # not lock every long-escalated notice each morning; escalate() checks again under the lock.
    not_yet = Q(escalated_on__isnull=True) | Q(state=NoticeState.RETURNED, escalated_on__lt=F("returned_on"))
    due = Notice.objects.filter(overdue_for_reply(result.on), not_yet).order_by("year", "serial")
    for notice in due:
        escalation = services.escalate(None, notice, on=result.on)
        if escalation is not None:
            result.escalated.append(escalation)
            result.reminders["notice"] += escalation.queued


def _remind_notices(result):
    """The working day before the answer is due, for notices waiting for their first answer or for a new one after a
    return."""
    waiting = (Q(state=NoticeState.PENDING, reply_due__gt=result.on)
               | Q(state=NoticeState.RETURNED, redo_due__gt=result.on))
    for notice in Notice.objects.filter(waiting).select_related("task"):
        if previous_workday(notice.answer_due) == result.on:
            result.reminders["notice"] += services.remind_awaiting(notice, result.on, "due_tomorrow")


def _remind_milestones(board, result):
    days = remind_before_days()
    if not days:
        return
    tasks = {t["id"]: t for t in board.tasks}
    for m in board.milestones:
        if m["status"] in queries.DONE_STATUSES or m["effective_due"] <= result.on:
            continue
        left = workdays.working_days_between(result.on, m["effective_due"])
        if left not in days:
            continue
        task = tasks[m["task_id"]]
        subject = f"节点「{m['number']} {m['title']}」还有 {left} 个工作日到期（{day_label(m['effective_due'])}）"
        body = f"重点任务「{task['number']} {task['title']}」，请抓紧推进，按时完成。"
        result.reminders["milestone"] += services.notify(
            services.unit_users([task["lead_unit_id"]]), subject, body, key=f"m{m['id']}:due{left}", day=result.on,
            link=_task_link(task["id"]), units=[task["lead_unit_id"]])


def _task_link(task_id):
    from django.urls import reverse

    return reverse("work:task", args=[task_id])


def _remind_reports(board, result):
    """A report period that ended without a report (once per period), and a report due tomorrow (the working day
    before the due day, while the period has no report yet)."""
    on = result.on
    tasks = {t["id"]: t for t in board.tasks}
    for task_id, periods in queries.report_periods_of(board).items():
        ended = [p for p in periods if p.last < on]
        current = periods[-1] if periods and periods[-1].last >= on else None
        if ended and ended[-1].state == rules.MISSING:
            result.reminders["missing"] += _remind_missing(tasks[task_id], ended[-1])
        if current and current.state == rules.OPEN and current.due > on and previous_workday(current.due) == on:
            result.reminders["report_due"] += _remind_due(tasks[task_id], current, on)


def _remind_missing(task, period):
    return services.notify(
        services.unit_users([task["lead_unit_id"]]),
        f"缺报提醒：「{task['number']} {task['title']}」{day_label(period.first)}至{day_label(period.last)}未报送进度",
        "本期已结束仍未报送进度，请尽快补报。", key=f"t{task['id']}:missing:{period.first.isoformat()}", day=period.last,
        link=_task_link(task["id"]), units=[task["lead_unit_id"]])


def _remind_due(task, period, on):
    return services.notify(
        services.unit_users([task["lead_unit_id"]]),
        f"报送提醒：「{task['number']} {task['title']}」本期进度请于{day_label(period.due)}前报送",
        f"报送期间：{day_label(period.first)}至{day_label(period.last)}。", key=f"t{task['id']}:report_due:{period.first.isoformat()}",
        day=on, link=_task_link(task["id"]), units=[task["lead_unit_id"]])


def report_lines(result):
    """What the sweep did, in Chinese, one line each."""
    lines = [f"巡查日期：{day_label(result.on)}"]
    for notice in result.opened:
        lines.append(f"开具督办单 {notice.number}：{notice.task.number} {notice.task.title}（{notice.unit.name}），"
                     f"答复时限 {day_label(notice.reply_due)}")
    for escalation in result.escalated:
        names = "、".join(u.get_full_name() or u.username for u in escalation.users) or "（无可通知的领导账号）"
        lines.append(f"升级督办 {escalation.notice.number}：{escalation.notice.unit.name}逾期未答复，报{names}")
    queued = sum(result.reminders.values())
    detail = "，".join(f"{label} {result.reminders.get(kind, 0)} 条" for kind, label in REMINDER_LABELS.items())
    lines.append(f"提醒：{detail}")
    lines.append(f"合计：开具督办单 {len(result.opened)} 份，升级督办 {len(result.escalated)} 份，新排队提醒 {queued} 条。")
    lines.extend(consequence_triggers.report_lines(result.proposals))
    return lines


def run_sweep_command(command, on):
    try:
        day = parse_day(on, "巡查日期") if on else timezone.localdate()
        result = sweep(day)
    except Rejected as exc:
        raise CommandError("；".join(exc.messages))
    warn_fallback(command, result.fallback_years)  # once, on standard error: a year whose 放假安排 is not loaded
    for line in report_lines(result):
        command.stdout.write(line)
