"""The projects' daily sweep (luoshi projects sweep [--on DAY], and the worker's daily sweep after supervision's):
a red project opens a 督办单 on its task like a red task does, and an overdue 要素保障 problem escalates through one.

Which light: the project's task in key work carries key work's light (its 开工 and 竣工 nodes late → yellow, red; and
its monthly reports, which are the projects' 调度); supervision's sweep opens a notice on it when it is red. The
project's own light (investment pace, a late start, not 入库: docs/rules.md §9) is not fed into the task's light —
key work judges dates, not money, and the Gantt chart and the league table stay comparable between tasks — but a
project red by its own light as of the last full month's 调度 opens a notice on its task here, its reasons as the
notice's reason. One open notice per task either way (supervision's rule): a task already under a notice is not given
a second. Running it again for the same day does nothing new."""

from dataclasses import dataclass, field
from datetime import date

from django.core.management.base import CommandError

from luoshi.core import workdays
from luoshi.core.periods import day_label
from luoshi.core.problems import Rejected
from luoshi.projects import queries, rules, services
from luoshi.projects.models import Problem, Project


@dataclass
class SweepResult:
    on: date
    period: date = None
    opened: list = field(default_factory=list)  # (project name, notice)
    escalated: list = field(default_factory=list)  # (problem, notice or None, opened)
    skipped: list = field(default_factory=list)  # Chinese lines: why a red project got no notice


def judged_period(on):
    """The last full month's 调度 as of a day: the month before."""
    return date(on.year - (on.month == 1), (on.month - 2) % 12 + 1, 1)


def sweep(on):
    from django.utils import timezone

    today = timezone.localdate()
    if on > today:
        raise Rejected(f"巡查日期（{day_label(on)}）晚于今天（{day_label(today)}），不能按尚未到来的日子开具督办单")
    result = SweepResult(on=on, period=judged_period(on))
    _red_projects(result)
    _overdue_problems(result)
    return result


def _red_projects(result):
    from luoshi.supervision import services as supervision_services
    from luoshi.supervision.models import OPEN_STATES, Notice, NoticeSource

    regions = {p.region_id: p.region for p in Project.objects.filter(task__isnull=False).select_related("region")
               .exclude(pool=rules.WITHDRAWN)}
    for region in regions.values():
        state = queries.status(region, result.period)
        red = [r for r in state["projects"] if r["light"] == rules.RED]
        if not red:
            continue
        tasks = dict(Project.objects.filter(pk__in=[r["id"] for r in red], task__closed_on__isnull=True)
                     .values_list("pk", "task_id"))
        busy = set(Notice.objects.filter(task_id__in=tasks.values()).filter(state__in=OPEN_STATES)
                   .values_list("task_id", flat=True))
        busy |= set(Notice.objects.filter(task_id__in=tasks.values(), opened_on=result.on).values_list("task_id", flat=True))
        for row in red:
            task_id = tasks.get(row["id"])
            if task_id is None:
                result.skipped.append(f"{row['name']}：未列入重点工作，未开具督办单")
                continue
            if task_id in busy:
                continue
            from luoshi.work.models import Task

            task = Task.objects.select_related("lead_unit__region", "leader", "campaign").get(pk=task_id)
            reason = (f"重点项目「{row['name']}」{result.period.year}年1-{result.period.month}月调度亮红灯："
                      + "；".join(row["reasons"]) + "。请说明原因和整改措施。")
            try:
                notice = supervision_services.open_notice(None, task, on=result.on, reason=reason[:2000],
                                                          source=NoticeSource.SWEEP)
            except Rejected as rejected:
                result.skipped.append(f"{row['name']}：{'；'.join(rejected.messages)}")
                continue
            result.opened.append((row["name"], notice))


def _overdue_problems(result):
    for problem in Problem.objects.filter(state=rules.OPEN, escalated_on__isnull=True, deadline__lt=result.on) \
            .select_related("project", "unit").order_by("deadline", "id"):
        if not rules.problem_overdue(problem.state, workdays.effective_due(problem.deadline), result.on):
            continue
        notice, opened = services.escalate_problem(problem, result.on)
        result.escalated.append((problem, notice, opened))


def report_lines(result):
    lines = [f"重点项目巡查：{day_label(result.on)}（按{result.period.year}年1-{result.period.month}月调度）"]
    for name, notice in result.opened:
        lines.append(f"开具督办单 {notice.number}：重点项目「{name}」亮红灯")
    for problem, notice, opened in result.escalated:
        head = f"要素保障问题逾期：{problem.project.name}（{problem.get_kind_display()}，{problem.unit.name}）"
        if notice is None:
            lines.append(head + "，项目未列入重点工作，未能开具督办单")
        elif opened:
            lines.append(head + f"，开具督办单 {notice.number}")
        else:
            lines.append(head + f"，并入在办的督办单 {notice.number}")
    lines += result.skipped
    if len(lines) == 1:
        lines.append("没有需要开具的督办单")
    return lines


def run_sweep_command(command, on):
    try:
        result = sweep(on)
    except Rejected as exc:
        raise CommandError("；".join(exc.messages))
    for line in report_lines(result):
        command.stdout.write(line)
