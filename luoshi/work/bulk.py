"""Writes of many tasks at once, for the importers that bring hundreds of rows (the 重点项目调度表): the same rows,
checks and audit entries as services.save_task / save_milestone / submit_report one by one, in a few statements.

Only the plain cases are here — new tasks with their nodes, and new reports (or a report's next version) in the
lead unit's name; anything else goes through services.py one by one."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F, Min

from luoshi.audit.services import new_entry, snapshot
from luoshi.core.problems import Rejected
from luoshi.core.sql import insert_many
from luoshi.work import rules
from luoshi.work.access import require_plan_manager, require_task_manager
from luoshi.work.models import (Closure, ClosureStatus, Milestone, ProgressReport, ReportCompletion, Task, TaskRole,
                                TaskUnit)
from luoshi.work.services import (MILESTONE_FIELDS, TASK_FIELDS, _check_units, _person, _report_problems, _today,
                                  touch_tasks)


@transaction.atomic
def create_tasks(actor, campaign, specs):
    """Create new tasks in `campaign`, each with its lead unit and nodes. `specs`: dicts with number, title,
    lead_unit, start, deadline, leader_name, leader, order and milestones [(number, title, due, order)]. Every
    number must be new (Rejected otherwise). Returns the tasks in the order given, their milestones prefetched as
    `.new_milestones`."""
    if not specs:
        return []
    if _person(actor):
        require_plan_manager(actor, campaign)
        _check_units(actor, list({s["lead_unit"].pk: s["lead_unit"] for s in specs}.values()), campaign)
    problems = []
    for spec in specs:
        if not spec["title"]:
            problems.append("重点任务名称不能为空")
        if spec["lead_unit"] is None:
            problems.append("牵头单位不能为空")
        if spec["start"] and spec["deadline"] and spec["deadline"] < spec["start"]:
            problems.append(f"完成时限 {spec['deadline']} 早于开始日期 {spec['start']}")
        for _, title, due, _ in spec["milestones"]:
            if not title:
                problems.append("节点内容不能为空")
            if due is None:
                problems.append("节点的完成时限不能为空")
    numbers = [s["number"] for s in specs] + [m[0] for s in specs for m in s["milestones"]]
    taken = set(Task.objects.filter(number__in=[s["number"] for s in specs]).values_list("number", flat=True))
    taken |= set(Milestone.objects.filter(number__in=numbers).values_list("number", flat=True))
    if taken or len(set(numbers)) != len(numbers):
        problems.append("序号已存在：" + "、".join(sorted(taken)[:10]) if taken else "序号重复")
    if problems:
        raise Rejected(problems)
    tasks = Task.objects.bulk_create([
        Task(number=s["number"], campaign=campaign, title=s["title"], lead_unit=s["lead_unit"],
             leader_name=s.get("leader_name") or "", leader=s.get("leader"), start=s["start"], deadline=s["deadline"],
             indicator_codes=[], order=s.get("order", 0)) for s in specs])
    insert_many([TaskUnit(task_id=t.pk, unit_id=t.lead_unit_id, role=TaskRole.LEAD) for t in tasks])
    milestones = Milestone.objects.bulk_create([
        Milestone(task=task, number=number, title=title, due=due, start=None, planned_months=[], follows=None,
                  order=order)
        for task, spec in zip(tasks, specs) for number, title, due, order in spec["milestones"]])
    entries = []
    by_task = defaultdict(list)
    for milestone in milestones:
        by_task[milestone.task_id].append(milestone)
    for task in tasks:
        units = [(task.lead_unit_id, TaskRole.LEAD)]
        entries.append(new_entry(actor, "新增重点任务", task, after={**snapshot(task, TASK_FIELDS), "units": units}))
        task.new_milestones = by_task[task.pk]
        entries += [new_entry(actor, "新增节点", m, after=snapshot(m, MILESTONE_FIELDS)) for m in task.new_milestones]
    insert_many(entries)
    return tasks


@transaction.atomic
def submit_reports(actor, items):
    """Save many progress reports, each in the name of its task's lead unit (`unit` when given): the system's (actor
    None, e.g. a project's monthly 调度 mirrored) or a ledger record of the plan's manager (`ledger`). `items`: dicts
    with task, percent, done_text, problems, completions [(milestone, day)], reported_on, source, ledger (new
    reports only: a correction goes through services.submit_report)
    The milestones' completion dates follow, as with services.submit_report. Returns the reports."""
    if not items:
        return []
    today = _today()
    task_ids = {item["task"].pk for item in items}
    own = defaultdict(set)
    for task_id, milestone_id in Milestone.objects.filter(task_id__in=task_ids).values_list("task_id", "id"):
        own[task_id].add(milestone_id)
    reports, problems = [], []
    for item in items:
        task = item["task"]
        if item.get("ledger") and _person(actor):
            require_task_manager(actor, task)
        elif _person(actor):
            raise Rejected("批量报送只用于系统记录和台账记录")
        unit = item.get("unit") or task.lead_unit
        try:  # services.submit_report's checks, the task's milestone ids read once for all items
            percent = _report_problems(task, unit, item["percent"], item.get("completions", ()), (),
                                       item.get("reported_on"), None, "", today, milestone_ids=own[task.pk])
        except Rejected as refused:
            problems += refused.problems
            continue
        report = ProgressReport(task=task, unit=unit, percent=percent, done_text=(item.get("done_text") or "").strip(),
                                problems=(item.get("problems") or "").strip(), source=item.get("source", "web"),
                                submitted_by=actor if _person(actor) else None,
                                reported_on=item.get("reported_on") or today)
        reports.append(report)
    if problems:
        raise Rejected(problems)
    ProgressReport.objects.bulk_create(reports, batch_size=1000)
    ProgressReport.objects.filter(pk__in=[r.pk for r in reports]).update(series=F("pk"))
    for report in reports:
        report.series = report.pk
    insert_many([ReportCompletion(report_id=r.pk, milestone_id=m.pk, done_on=d)
                 for r, item in zip(reports, items) for m, d in item.get("completions", ())])
    changed = refresh_completions({item["task"].pk for item in items if item.get("completions")})
    touch_tasks(*task_ids)
    entries = []
    for report, item in zip(reports, items):
        after = {"task": item["task"].number, "unit": report.unit.code, "version": report.version,
                 "percent": report.percent, "completions": [(m.number, d) for m, d in item.get("completions", ())],
                 "attachments": [], "milestones_changed": changed.get(report.task_id, []),
                 "correction_note": ""}
        entries.append(new_entry(actor, "报送进度", report, after=after))
    insert_many(entries)
    return reports


def refresh_completions(task_ids):
    """services.refresh_completions for many tasks in three reads and one write: {task id: [changed numbers]}."""
    if not task_ids:
        return {}
    dates = dict(ReportCompletion.objects.filter(report__task_id__in=task_ids, report__is_current=True)
                 .values("milestone_id").annotate(first=Min("done_on")).values_list("milestone_id", "first"))
    closed = dict(Closure.objects.filter(task_id__in=task_ids, status=ClosureStatus.APPROVED)
                  .values_list("task_id", "requested_on"))
    changed, by_day = defaultdict(list), defaultdict(list)
    for milestone in Milestone.objects.filter(task_id__in=task_ids).only("id", "task_id", "number", "done_on"):
        done_on = rules.completion_day(dates.get(milestone.pk), closed.get(milestone.task_id))
        if milestone.done_on != done_on:
            by_day[done_on].append(milestone.pk)
            changed[milestone.task_id].append(milestone.number)
    for day, ids in by_day.items():  # one UPDATE per day: far fewer than milestones (bulk_update's CASE is slow)
        Milestone.objects.filter(pk__in=ids).update(done_on=day)
    return changed
