"""The 调度表 import's writes for a thousand rows at once: the same projects, pool moves, year plans, funding, key-work
tasks and nodes, monthly reports and their mirrored progress reports, and the same audit entries, as
services.save_project and services.submit_report write one by one — in a few statements for the whole table.

What is not plain goes through services.py row by row: a project that changed or has no task yet, a number already
taken in key work."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from luoshi.audit.services import new_entry, snapshot
from luoshi.core.problems import Rejected
from luoshi.core.sql import insert_many
from luoshi.projects import access, rules, services
from luoshi.projects.models import Funding, MonthlyReport, PoolMove, Project, YearPlan
from luoshi.projects.services import (COMPLETION_NODE, PROJECT_FIELDS, START_NODE, _check_manager, _normalised, _person,
                                      _today)
from luoshi.work import bulk as work_bulk
from luoshi.work import services as work_services
from luoshi.work.models import Task


def _money(amounts):
    return {k: rules.money(a) if isinstance(a, Decimal) and a.is_finite() else a for k, a in (amounts or {}).items()}


@transaction.atomic
def save_projects(actor, region, items):
    """Create or update the region's projects: `items` are (values, year_plans, funding) as save_project takes them.
    Returns [(project, outcome)] in the order given ("created", "updated" or "unchanged")."""
    _check_manager(actor, region)
    existing = {p.name: p for p in Project.objects.filter(region=region).select_related("task")
                .prefetch_related("year_plans", "funding")}
    out, new = [None] * len(items), []
    for index, (values, year_plans, funding) in enumerate(items):
        values, year_plans, funding = _normalised(values), _money(year_plans), _money(funding)
        project = existing.get(values.get("name"))
        if project is None:
            new.append((index, values, year_plans, funding))
        elif _unchanged(project, values, year_plans, funding):
            out[index] = (project, "unchanged")
        else:
            out[index] = services.save_project(actor, year_plans=year_plans, funding=funding or None, **values)
    names = [v["name"] for _, v, _, _ in new]
    if len(set(names)) != len(names):
        raise Rejected("同一批项目中有重名的项目")
    for index, project in zip((i for i, _, _, _ in new), _create(actor, region, new)):
        out[index] = (project, "created")
    return out


def _unchanged(project, values, year_plans, funding):
    """Whether save_project would write nothing for these values."""
    if project.task_id is None:
        return False
    fields = [f for f in PROJECT_FIELDS if f in values]
    if any(getattr(project, project._meta.get_field(f).attname) != _id(values[f]) for f in fields):
        return False
    plans = {p.year: p.planned for p in project.year_plans.all()}
    if any(plans.get(year) != planned for year, planned in year_plans.items()):
        return False
    return not funding or {f.source: f.amount for f in project.funding.all()} == funding


def _id(value):
    return value.pk if hasattr(value, "_meta") else value


def _create(actor, region, new):
    problems = []
    for _, values, year_plans, funding in new:
        problems += [m for _, m in services.project_problems(values, year_plans, funding)]
    if problems:
        raise Rejected(problems)
    order = Project.objects.filter(region=region).count()
    projects = []
    for offset, (_, values, _, _) in enumerate(new):
        project = Project(**{f: values[f] for f in PROJECT_FIELDS if f in values})
        if "order" not in values:
            project.order = order + offset
        projects.append(project)
    Project.objects.bulk_create(projects, batch_size=500)
    today, person = _today(), actor if _person(actor) else None
    now = timezone.now()
    moves = PoolMove.objects.bulk_create([
        PoolMove(project=p, kind=rules.ENTER, from_pool="", to_pool=p.pool, reason="", status=rules.APPROVED,
                 requested_by=person, requested_at=now, decided_by=person, decided_at=now, moved_on=p.pooled_on or today)
        for p in projects], batch_size=500)
    insert_many([YearPlan(project_id=p.pk, year=y, planned=a)
                 for p, (_, _, plans, _) in zip(projects, new) for y, a in plans.items()])
    insert_many([Funding(project_id=p.pk, source=s, amount=a)
                 for p, (_, _, _, funding) in zip(projects, new) for s, a in funding.items()])
    entries = []
    for project, move, (_, values, plans, funding) in zip(projects, moves, new):
        entries.append(new_entry(actor, rules.MOVES[rules.ENTER], move, after={
            "project": project.name, "from": "", "to": project.pool, "on": move.moved_on, "reason": ""}))
        after = snapshot(project, [f for f in PROJECT_FIELDS if f in values])
        after.update(year_plans={str(y): str(a) for y, a in plans.items()}, funding={s: str(a) for s, a in funding.items()})
        entries.append(new_entry(actor, "新增重点项目", project, after=after))
    insert_many(entries)
    _create_tasks(actor, region, [p for p in projects if p.pool != rules.WITHDRAWN],
                  {p.pk: plans for p, (_, _, plans, _) in zip(projects, new)})
    return projects


def _create_tasks(actor, region, projects, plans):
    """services.sync_task for new projects: their tasks in the year's campaign, 开工 and 竣工 nodes, a recorded start
    or completion as the ledger report that completes its node."""
    today = _today()
    by_year = defaultdict(list)
    for project in projects:
        years = sorted(y for y, a in plans[project.pk].items() if a > 0)
        by_year[years[0] if years else (project.planned_start or project.started_on or today).year].append(project)
    taken = set(Task.objects.filter(number__in=[f"XM{p.pk}" for p in projects]).values_list("number", flat=True))
    ledger = []
    for year, group in sorted(by_year.items()):
        campaign = work_services.save_campaign(actor, name=services.campaign_name(region, year), order=900,
                                               source="project")
        if campaign.source != "project":
            raise Rejected(f"已有同名的攻坚战「{campaign.name}」，不能用作重点项目")
        if campaign.plan_set_at is None:
            work_services.set_plan(actor, campaign)
        plain, specs = [], []
        for project in group:
            if f"XM{project.pk}" in taken:  # a withdrawn project's old number: the one-by-one path numbers it anew
                services.sync_task(actor, project)
                continue
            start_due, completion_due = rules.milestone_dates(
                kind=project.kind, planned_start=project.planned_start, started_on=project.started_on,
                planned_completion=project.planned_completion, end_year=project.end_year, year=year)
            task_start, deadline = rules.task_span(start_due, completion_due, project.started_on, today)
            number = f"XM{project.pk}"
            nodes = []
            if start_due is not None:
                nodes.append((f"{number}{START_NODE}", f"开工：{project.name}"[:300], start_due, len(nodes) + 1))
            nodes.append((f"{number}{COMPLETION_NODE}", f"竣工（投产）：{project.name}"[:300], completion_due,
                          len(nodes) + 1))
            specs.append({"number": number, "title": project.name[:300], "lead_unit": project.unit, "start": task_start,
                          "deadline": deadline, "leader_name": project.leader_label or "", "leader": project.leader,
                          "order": project.order, "milestones": nodes})
            plain.append(project)
        for project, task in zip(plain, work_bulk.create_tasks(actor, campaign, specs)):
            project.task = task
            done = [(m, d) for m, d in zip(task.new_milestones, _done_days(project, task.new_milestones)) if d]
            if done:
                ledger.append({"task": task, "percent": rules.task_percent(project.done_before, project.total_investment),
                               "done_text": "；".join(f"{m.title.split('：')[0]}于{d.year}年{d.month}月{d.day}日"
                                                     for m, d in done) + "（发改局记录）",
                               "completions": done, "ledger": True, "reported_on": today, "source": "web"})
        # Each task's number is XM<project id>: one UPDATE links them all (bulk_update's CASE is slow on 1,000 rows).
        Project.objects.filter(pk__in=[p.pk for p in plain]).update(task=Subquery(
            Task.objects.filter(number=Concat(Value("XM"), Cast(OuterRef("pk"), CharField()))).values("pk")[:1]))
    work_bulk.submit_reports(actor if _person(actor) else None, ledger)


def _done_days(project, milestones):
    """The recorded start and completion days, node by node (as sync_task marks them)."""
    by_suffix = {START_NODE: project.started_on, COMPLETION_NODE: project.completed_on}
    return [by_suffix[m.number[len(f"XM{project.pk}"):]] for m in milestones]


@transaction.atomic
def submit_reports(actor, region, period, items, *, source="import", correction_note=""):
    """services.submit_report for many projects of one region and month: `items` are (project, amount, progress,
    problems, corrects) — corrects the current report being corrected (a new version) or None. Returns the
    reports."""
    if not items:
        return []
    if _person(actor) and not access.can_manage_region(actor, region):
        refused = [p.name for p, *_ in items if not access.can_report(actor, p)]
        if refused:
            raise PermissionDenied("只有项目的责任单位或本地区发展和改革局可以报送该项目的调度情况")
    current = {r.project_id: r for r in MonthlyReport.objects.filter(project__in=[p for p, *_ in items], period=period,
                                                                     is_current=True)}
    problems, reports = [], []
    for project, amount, progress, problems_text, corrects in items:
        progress, problems_text = (progress or "").strip(), (problems_text or "").strip()
        note = correction_note if corrects is not None else ""
        errors = services.report_problems(project, period, amount, progress, problems_text, [], corrects, note,
                                          current=current.get(project.pk))
        if errors:
            problems += [f"{project.name}：{e}" for e in errors]
            continue
        report = MonthlyReport(project=project, unit=project.unit, period=period, amount=rules.money(amount),
                               progress=progress, problems=problems_text, correction_note=note[:300], source=source,
                               submitted_by=actor if _person(actor) else None)
        if corrects is not None:
            report.series, report.version = corrects.series, corrects.version + 1
        reports.append(report)
    if problems:
        raise Rejected(problems)
    superseded = [c.pk for *_, c in items if c is not None]
    MonthlyReport.objects.filter(pk__in=superseded).update(is_current=False)
    MonthlyReport.objects.bulk_create(reports, batch_size=1000)
    MonthlyReport.objects.filter(pk__in=[r.pk for r in reports], series__isnull=True).update(series=F("pk"))
    for report in reports:
        report.series = report.series or report.pk
    _mirror(reports)
    entries = [new_entry(actor, "更正项目调度" if r.version > 1 else "报送项目调度", r, after={
        "project": r.project.name, "period": f"{period:%Y-%m}", "version": r.version, "amount": str(r.amount),
        "progress": r.progress, "problems": r.problems, "photos": [], "correction_note": r.correction_note,
        "source": source}) for r in reports]
    insert_many(entries)
    return reports


def _mirror(reports):
    """services._mirror_report for many: each month's 调度 as its project's task's progress report."""
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=[r.project.task_id for r in reports if r.project.task_id],
                                                  closed_on__isnull=True).select_related("lead_unit")}
    sums = dict(MonthlyReport.objects.filter(project__in=[r.project_id for r in reports], is_current=True)
                .values("project_id").annotate(s=Sum("amount")).values_list("project_id", "s"))
    today, items = _today(), []
    for report in reports:
        task = tasks.get(report.project.task_id)
        if task is None:
            continue
        project = report.project
        lines = [f"{report.period.year}年{report.period.month}月调度：本月完成投资{report.amount}万元"]
        if report.progress:
            lines.append(f"形象进度：{report.progress}")
        if report.correction_note:
            lines.append(f"更正说明：{report.correction_note}")
        items.append({"task": task, "unit": task.lead_unit, "source": "project", "reported_on": today,
                      "percent": rules.task_percent(project.done_before + (sums.get(project.pk) or 0),
                                                    project.total_investment),
                      "done_text": "；".join(lines)[:5000], "problems": report.problems})
    work_bulk.submit_reports(None, items)

