"""Every write to the project pools goes through these functions: atomic, audited, Chinese errors.

`actor` None is the system (the command line, the demo); a signed-in person is checked through access.py."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core import wording
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.orgs.models import Person, RegionLevel
from luoshi.projects import access, rules
from luoshi.projects.models import (CountedInvestment, Funding, MonthlyReport, PoolMove, PoolThresholds, Problem,
                                    Project, ReportPhoto, YearPlan)
from luoshi.work import services as work_services
from luoshi.work.services import attachment_problems

PROJECT_FIELDS = ["region", "name", "category", "kind", "industry", "content", "start_year", "end_year",
                  "total_investment", "done_before", "unit", "town", "owner", "leader", "leader_name", "planned_start",
                  "started_on", "completed_on", "planned_completion", "pool", "pooled_on", "statistics_on", "source", "source_id",
                  "order"]
TEXT_LIMITS = {"name": 200, "category": 50, "industry": 50, "content": 2000, "owner": 200, "leader_name": 50}
REPORT_TEXT_LIMIT = 2000
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _person(actor):
    return getattr(actor, "is_authenticated", False)


_DAY = ContextVar("projects_day", default=None)


@contextmanager
def dated(day):
    """Inside the block the projects' writes take `day` for today (the demo builds the pools as of its own day, and
    key work's reports and nodes it files are dated then, not on the machine's date)."""
    token = _DAY.set(day)
    try:
        yield
    finally:
        _DAY.reset(token)


def _today():
    return _DAY.get() or timezone.localdate()


def _name(user):
    if user is None:
        return "系统"
    return user.get_full_name() or user.username


def month_of(day):
    return date(day.year, day.month, 1)


def _check_manager(actor, region):
    if _person(actor):
        access.require_region_manager(actor, region)


# Thresholds -------------------------------------------------------------------------------------------------------

@transaction.atomic
def save_thresholds(actor, region, **values):
    """The region's own thresholds for the lights (rules.Thresholds); the analysis office of the region."""
    _check_manager(actor, region)
    current = PoolThresholds.objects.filter(region=region).first()
    base = current.as_rules() if current else rules.DEFAULTS
    try:
        merged = rules.Thresholds(
            yellow_gap=Decimal(str(values.get("yellow_gap", base.yellow_gap))),
            red_gap=Decimal(str(values.get("red_gap", base.red_gap))),
            start_yellow_months=int(values.get("start_yellow_months", base.start_yellow_months)),
            start_red_months=int(values.get("start_red_months", base.start_red_months)),
            statistics_yellow_months=int(values.get("statistics_yellow_months", base.statistics_yellow_months)),
            statistics_red_months=int(values.get("statistics_red_months", base.statistics_red_months)))
    except (ArithmeticError, TypeError, ValueError):
        raise Rejected("阈值应为数字：差距为个百分点（可带小数），月数为整数")
    if not merged.yellow_gap.is_finite() or not merged.red_gap.is_finite():
        raise Rejected("阈值应为有限的数字")
    problems = rules.threshold_problems(merged)
    if problems:
        raise Rejected(problems)
    fields = {"yellow_gap": merged.yellow_gap.quantize(rules.CENT), "red_gap": merged.red_gap.quantize(rules.CENT),
              "start_yellow_months": merged.start_yellow_months, "start_red_months": merged.start_red_months,
              "statistics_yellow_months": merged.statistics_yellow_months,
              "statistics_red_months": merged.statistics_red_months}
    before = snapshot(current, list(fields)) if current else None
    thresholds, _ = PoolThresholds.objects.update_or_create(region=region, defaults=fields)
    record(actor, "设置项目亮灯阈值", thresholds, before=before, after=snapshot(thresholds, list(fields)),
           object_repr=f"{region.name}项目亮灯阈值")
    return thresholds


# Projects ---------------------------------------------------------------------------------------------------------

def project_problems(values, year_plans=None, funding=None):
    """[(field, Chinese message)] for a project's values (before anything is saved): the importer maps fields to
    its columns, the services raise them. `values` as save_project takes them."""
    problems = []
    region = values.get("region")
    name = (values.get("name") or "").strip()
    if not name:
        problems.append(("name", "项目名称不能为空"))
    for field, limit in TEXT_LIMITS.items():
        text = values.get(field) or ""
        if len(text) > limit:
            problems.append((field, f"{Project._meta.get_field(field).verbose_name}过长（{len(text)} 个字，最多 {limit} 个字）"))
    if values.get("kind") not in rules.KINDS:
        problems.append(("kind", "项目性质应为「新建」或「续建」"))
    if values.get("pool", rules.BUILDING) not in rules.POOLS:
        problems.append(("pool", "项目库应为 " + "、".join(rules.POOLS.values()) + " 之一"))
    total = values.get("total_investment")
    if total is None:
        problems.append(("total_investment", "总投资不能为空"))
    else:
        problems += [("total_investment", m) for m in _amount_problems(total, "总投资")]
    problems += [("done_before", m) for m in _amount_problems(values.get("done_before", Decimal(0)), "以前年度完成投资")]
    unit = values.get("unit")
    if unit is None:
        problems.append(("unit", "责任单位不能为空"))
    elif region is not None and not region.contains(unit.region):
        problems.append(("unit", f"责任单位「{unit.name}」不属于{region.name}"))
    town = values.get("town")
    if town is not None and region is not None and (town.level != RegionLevel.TOWN or not region.contains(town)):
        problems.append(("town", f"「{town.name}」不是{region.name}的镇（街道）"))
    start, end = values.get("start_year"), values.get("end_year")
    for field, year in (("start_year", start), ("end_year", end)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            problems.append((field, f"年份 {year} 不正确（应在{FIRST_YEAR}年至{LAST_YEAR}年之间）"))
    if start and end and end < start:
        problems.append(("end_year", f"建设终止年 {end} 早于起始年 {start}"))
    for field in ("planned_start", "started_on", "completed_on", "pooled_on", "statistics_on", "planned_completion"):
        day = values.get(field)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.append((field, f"日期 {day} 不正确"))
    today = _today()
    for field in ("started_on", "completed_on", "statistics_on"):
        day = values.get(field)
        if day is not None and day > today:
            problems.append((field, f"{Project._meta.get_field(field).verbose_name} {day} 晚于今天"))
    if values.get("started_on") and values.get("completed_on") and values["completed_on"] < values["started_on"]:
        problems.append(("completed_on", "竣工日期早于开工日期"))
    if values.get("planned_start") and values.get("planned_completion") and \
            values["planned_completion"] < values["planned_start"]:
        problems.append(("planned_completion", "计划竣工日期早于计划开工月份"))
    if values.get("statistics_on") and not values.get("started_on") and values.get("kind") == rules.NEW:
        problems.append(("statistics_on", "新建项目未开工，不能入库"))
    for year, planned in (year_plans or {}).items():
        if not FIRST_YEAR <= year <= LAST_YEAR:
            problems.append(("year_plan", f"计划年度 {year} 不正确"))
        messages = _amount_problems(planned, "本年计划投资")
        problems += [("year_plan", m) for m in messages]
        if not messages and total is not None and planned > total:
            problems.append(("year_plan", f"{year}年计划投资 {planned} 万元超过总投资 {total} 万元"))
    if funding:
        unknown = [s for s in funding if s not in rules.FUNDING_SOURCES]
        if unknown:
            problems.append(("funding", "资金来源应为 " + "、".join(rules.FUNDING_SOURCES) + " 之一：" + "、".join(unknown)))
        for source, amount in funding.items():
            problems += [("funding", m) for m in _amount_problems(amount, source)]
        message = rules.funding_problem(total, funding)
        if message and not any(f == "funding" for f, _ in problems):
            problems.append(("funding", message))
    return problems


def _amount_problems(value, label):
    if not isinstance(value, Decimal) or not value.is_finite():
        return [f"{label}应为数字（万元）"]
    if value < 0:
        return [f"{label}不能为负数"]
    if value > rules.MAX_AMOUNT:
        return [f"{label} {value} 万元超出合理范围"]
    return []


def _normalised(values):
    values = dict(values)
    for field in ("name", "category", "industry", "content", "owner", "leader_name"):
        values[field] = (values.get(field) or "").strip()
    for field in ("total_investment", "done_before"):
        if isinstance(values.get(field), Decimal) and values[field].is_finite():
            values[field] = rules.money(values[field])
    values.setdefault("done_before", Decimal("0.00"))
    if values.get("planned_start"):
        values["planned_start"] = month_of(values["planned_start"])
    if values.get("leader") is not None and not values.get("leader_name"):
        values["leader_name"] = values["leader"].name[:50]
    return values


@transaction.atomic
def save_project(actor, *, year_plans=None, funding=None, reason="", **values):
    """Create or update the project named `name` in `region` (the analysis office of the region), with its year
    plans ({year: 万元}) and funding breakdown ({source: 万元}, replaced as a whole when given). Returns
    (project, outcome): "created", "updated" or "unchanged" (nothing written, nothing recorded).

    The pool it is first put in and every later change are PoolMove rows; 退库 and 增补 only by request
    (request_move). Once the project is in key work (its task: sync_task), a new planned start or completion is a
    调整计划 request on its node (`reason`), and the dates stay as approved until a leader approves it."""
    region = values["region"]
    _check_manager(actor, region)
    values = _normalised(values)
    existing = Project.objects.filter(region=region, name=(values.get("name") or "").strip()).select_related("task").first()
    if existing is not None and "pool" in values and values["pool"] != existing.pool and \
            rules.WITHDRAWN in (values["pool"], existing.pool):
        raise Rejected(f"项目「{existing.name}」的退库、增补须由发改局提出申请，经区领导批准后生效")
    moved_dates = {}
    if existing is not None and existing.task_id:
        for field in ("planned_start", "planned_completion"):
            if field in values and values[field] != getattr(existing, field):
                moved_dates[field] = values.pop(field)
    year_plans = {y: rules.money(a) if isinstance(a, Decimal) and a.is_finite() else a for y, a in (year_plans or {}).items()}
    funding = {s: rules.money(a) if isinstance(a, Decimal) and a.is_finite() else a for s, a in (funding or {}).items()}
    problems = project_problems(values, year_plans, funding)
    if problems:
        raise Rejected([m for _, m in problems])
    project = Project.objects.select_for_update().filter(region=region, name=values["name"]).first()
    fields = [f for f in PROJECT_FIELDS if f in values]
    if project is None:
        project = Project(**{f: values[f] for f in fields})
        if "order" not in values:
            project.order = Project.objects.filter(region=region).count()
        project.save()
        outcome, before = "created", None
        _record_move(actor, project, rules.ENTER, "", project.pool, project.pooled_on or _today())
    else:
        before = snapshot(project, fields)
        old_pool = project.pool
        for f in fields:
            setattr(project, f, values[f])
        outcome = "updated" if snapshot(project, fields) != before else "unchanged"
        if outcome == "updated":
            project.save()
        if project.pool != old_pool:
            kind = {rules.BUILDING: rules.START, rules.DONE: rules.COMPLETE}.get(project.pool, rules.CHANGE)
            on = {rules.START: project.started_on, rules.COMPLETE: project.completed_on}.get(kind) or _today()
            _record_move(actor, project, kind, old_pool, project.pool, on)
    plans_changed = _save_year_plans(project, year_plans)
    funding_changed = _save_funding(project, funding) if funding else False
    if outcome == "unchanged" and (plans_changed or funding_changed):
        outcome = "updated"
    if outcome != "unchanged":
        after = snapshot(project, fields)
        after.update(year_plans={str(y): str(a) for y, a in year_plans.items()},
                     funding={s: str(a) for s, a in funding.items()})
        record(actor, "新增重点项目" if outcome == "created" else "修改重点项目", project, before=before, after=after)
    if outcome != "unchanged" or moved_dates or project.task_id is None:
        sync_task(actor, project, moved_dates=moved_dates, reason=reason)
    return project, outcome


def _save_year_plans(project, year_plans):
    changed = False
    existing = {p.year: p for p in project.year_plans.all()}
    for year, planned in year_plans.items():
        plan = existing.get(year)
        if plan is None:
            YearPlan.objects.create(project=project, year=year, planned=planned)
            changed = True
        elif plan.planned != planned:
            YearPlan.objects.filter(pk=plan.pk).update(planned=planned)
            changed = True
    return changed


def _save_funding(project, funding):
    existing = {f.source: f.amount for f in project.funding.all()}
    if existing == funding:
        return False
    project.funding.all().delete()
    Funding.objects.bulk_create([Funding(project=project, source=s, amount=a) for s, a in funding.items()])
    return True


@transaction.atomic
def mark(actor, project, *, started_on=KeyError, statistics_on=KeyError, completed_on=KeyError):
    # The start and completion also mark the project's nodes in key work done (sync_task).
    """Record a project's start, 入库 (statistics) or completion day (None clears it); the analysis office. A start
    moves a 谋划储备 project into 在建, a completion into 竣工投产."""
    values = {f.name: getattr(project, f.name) for f in Project._meta.concrete_fields if f.name in PROJECT_FIELDS}
    for field, value in (("started_on", started_on), ("statistics_on", statistics_on), ("completed_on", completed_on)):
        if value is not KeyError:
            values[field] = value
    if values["started_on"] and values["pool"] == rules.PLANNING:
        values["pool"] = rules.BUILDING
    if values["completed_on"]:
        values["pool"] = rules.DONE
    return save_project(actor, **values)[0]


# Monthly 调度 ------------------------------------------------------------------------------------------------------

def report_problems(project, period, amount, progress, problems, photos, corrects, correction_note, today=None,
                    current=KeyError):
    """Chinese messages for a monthly report, before anything is saved (`current`: the month's current report or
    None, when the caller has read it)."""
    today = today or _today()
    errors = []
    if period is None:
        errors.append("请填写调度月份")
    elif period > month_of(today):
        errors.append(f"调度月份 {period:%Y-%m} 晚于本月，不能填报未来的月份")
    elif not FIRST_YEAR <= period.year <= LAST_YEAR:
        errors.append(f"调度月份 {period:%Y-%m} 不正确")
    if amount is None:
        errors.append("请填写本月完成投资（万元）")
    else:
        errors += [m.replace("金额", "本月完成投资") for m in _amount_problems(amount, "本月完成投资")]
    for label, text in (("形象进度", progress), ("存在问题", problems)):
        if len(text) > REPORT_TEXT_LIMIT:
            errors.append(f"{label}过长（{len(text)} 个字，最多 {REPORT_TEXT_LIMIT} 个字）")
    errors += attachment_problems(photos)
    if current is KeyError:
        current = None if period is None else \
            MonthlyReport.objects.filter(project=project, period=period, is_current=True).first()
    if corrects is not None:
        if corrects.project_id != project.pk or corrects.period != period:
            errors.append("更正的报告不属于该项目的该月份")
        elif not corrects.is_current:
            errors.append("只能更正报告的最新版本")
        if not correction_note:
            errors.append("更正报告请填写更正说明")
    elif current is not None:
        errors.append(f"{period.year}年{period.month}月已报送（第{current.version}版），如需修改请点「更正」")
    return errors


def parse_month(value, label="调度月份"):
    """date(year, month, 1) from 2026-09 / 2026-9 / 2026年9月 / a date; Rejected in Chinese."""
    from luoshi.core.periods import PeriodError, parse_period

    if isinstance(value, date):
        return month_of(value)
    text = str(value or "").strip()
    if not text:
        raise Rejected(f"请填写{label}（如 2026-09）")
    try:
        period = parse_period(text)
    except PeriodError as error:
        raise Rejected(f"{label}：{error}")
    if not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise Rejected(f"{label} {text[:20]} 不正确（应在{FIRST_YEAR}年至{LAST_YEAR}年之间）")
    return period


@transaction.atomic
def submit_report(actor, project, *, period, amount, progress="", problems="", photos=(), corrects=None,
                  correction_note="", source="web", unit=None, reported_on=None):
    """Save a project's 调度 for a month: 本月完成投资 (万元), 形象进度 (text and photos), 存在问题. A correction is a
    new version of `corrects` (the earlier stays, no longer current). The 责任单位 reports (or the region's analysis
    office, an administrator); it is saved in the 责任单位's name. It is also the month's progress report of the
    project's task in key work (_mirror_report): units report a project once. `reported_on` (the system only: the
    demo) is the day that report counts as sent."""
    if _person(actor) and not access.can_report(actor, project):
        raise PermissionDenied("只有项目的责任单位或本地区发展和改革局可以报送该项目的调度情况")
    if isinstance(amount, str):
        amount, message = rules.parse_amount(amount)
        if message:
            raise Rejected(f"本月完成投资：{message}")
    elif isinstance(amount, (int, float)) and not isinstance(amount, bool):
        amount, message = rules.parse_amount(amount)
        if message:
            raise Rejected(f"本月完成投资：{message}")
    progress, problems = (progress or "").strip(), (problems or "").strip()
    correction_note = (correction_note or "").strip()
    errors = report_problems(project, period, amount, progress, problems, list(photos), corrects, correction_note)
    if errors:
        raise Rejected(errors)
    report = MonthlyReport(project=project, unit=unit or project.unit, period=period, amount=rules.money(amount),
                           progress=progress, problems=problems, correction_note=correction_note[:300], source=source,
                           submitted_by=actor if _person(actor) else None)
    if corrects is not None:
        MonthlyReport.objects.filter(pk=corrects.pk).update(is_current=False)
        report.series, report.version = corrects.series, corrects.version + 1
    report.save()
    if report.series is None:
        report.series = report.pk
        report.save(update_fields=["series"])
    for upload in photos:
        photo = ReportPhoto(report=report, name=upload.name[:200], size=upload.size)
        photo.file.save(Path(upload.name).name, upload, save=False)
        photo.save()
    _mirror_report(project, report, (reported_on if not _person(actor) else None) or _today())
    record(actor, "更正项目调度" if corrects is not None else "报送项目调度", report,
           after={"project": project.name, "period": f"{period:%Y-%m}", "version": report.version,
                  "amount": str(report.amount), "progress": progress, "problems": problems,
                  "photos": [p.name for p in photos], "correction_note": report.correction_note, "source": source})
    return report


@transaction.atomic
def save_counted(actor, project, *, period, amount):
    """The statistics bureau's counted investment of a project, 1-X月 (the statistics or analysis office)."""
    from luoshi.orgs.access import access_for
    from luoshi.orgs.models import Role

    if _person(actor) and not access_for(actor).covers_region(project.region, roles={Role.STATISTICS, Role.ANALYSIS}):
        raise PermissionDenied(f"只有{project.region.name}的统计局或发展和改革局可以填写统计入库投资")
    errors = _amount_problems(amount, "统计入库投资") if amount is not None else ["请填写统计入库投资"]
    if errors:
        raise Rejected(errors)
    current = CountedInvestment.objects.filter(project=project, period=period).first()
    before = {"amount": str(current.amount)} if current else None
    counted, _ = CountedInvestment.objects.update_or_create(project=project, period=period,
                                                            defaults={"amount": rules.money(amount)})
    record(actor, "填写统计入库投资", counted, before=before, after={"project": project.name,
                                                            "period": f"{period:%Y-%m}", "amount": str(counted.amount)})
    return counted


def resolve_leader(name, region):
    """The person named as 包保领导 in the region (None when not found or ambiguous)."""
    if not name:
        return None
    people = list(Person.objects.filter(name=name, unit__region__code__startswith=region.prefix)[:2])
    return people[0] if len(people) == 1 else None



# The pools' workflow: moves and 增补/退库 requests (docs/rules.md §9) ---------------------------------------------

def _record_move(actor, project, kind, from_pool, to_pool, on, reason=""):
    """A move that happened (the first pool, a start, a completion): a row, approved as it is recorded."""
    now = timezone.now()
    move = PoolMove.objects.create(project=project, kind=kind, from_pool=from_pool, to_pool=to_pool, reason=reason[:300],
                                   status=rules.APPROVED, requested_by=actor if _person(actor) else None,
                                   requested_at=now, decided_by=actor if _person(actor) else None, decided_at=now,
                                   moved_on=on)
    record(actor, rules.MOVES[kind], move, after={"project": project.name, "from": from_pool, "to": to_pool,
                                                  "on": on, "reason": move.reason})
    return move


@transaction.atomic
def request_move(actor, project, *, kind, reason):
    """The analysis office asks to 增补 (into 在建) or 退库 (out of the pools) a project, with a reason: nothing moves
    until a leader of the region approves (decide_move). One pending request per project."""
    project = Project.objects.select_for_update().select_related("region").get(pk=project.pk)
    if _person(actor):
        access.require_move_requester(actor, project)
    reason = (reason or "").strip()
    problems = []
    target, refusal = rules.move_target(kind, project.pool)
    if refusal:
        problems.append(refusal)
    if not reason:
        problems.append("请填写申请理由")
    elif len(reason) > 300:
        problems.append(f"申请理由过长（{len(reason)} 个字，最多 300 个字）")
    pending = PoolMove.objects.filter(project=project, status=rules.PENDING).first()
    if pending is not None:
        problems.append(f"该项目已有一项待审批的{pending.get_kind_display()}申请，请等待区领导审批")
    if problems:
        raise Rejected(problems)
    move = PoolMove.objects.create(project=project, kind=kind, from_pool=project.pool, to_pool=target, reason=reason,
                                   status=rules.PENDING, requested_by=actor if _person(actor) else None,
                                   requested_at=timezone.now())
    record(actor, f"申请项目{rules.MOVES[kind]}", move, after={"project": project.name, "from": move.from_pool,
                                                             "to": target, "reason": reason, "status": move.status})
    return move


def _decidable_move(actor, move, note):
    move = PoolMove.objects.select_for_update().get(pk=move.pk)
    move = PoolMove.objects.select_related("project__region", "decided_by", "requested_by").get(pk=move.pk)
    if move.status != rules.PENDING:
        who = _name(move.decided_by) if move.decided_by_id else "系统"
        raise Rejected(f"该申请已由 {who} 审批（{move.get_status_display()}），不能重复审批")
    if _person(actor):
        access.require_move_decider(actor, move)
    if len((note or "").strip()) > 300:
        raise Rejected(f"审批意见过长（{len(note.strip())} 个字，最多 300 个字）")
    return move


@transaction.atomic
def approve_move(actor, move, note=""):
    """A leader of the region approves a 增补 or 退库 request: the project moves that day, the earlier pool stays in
    its history (the request's from_pool). 退库 closes its task in key work (销号, the decision as its evidence), so it
    leaves the red lists and stays in the ledger; 增补 of a withdrawn project gives it a task again."""
    move = _decidable_move(actor, move, note)
    project = Project.objects.select_for_update().get(pk=move.project_id)
    if project.pool != move.from_pool:
        raise Rejected(f"项目已在「{project.get_pool_display()}」库中，与申请时（{rules.POOLS.get(move.from_pool)}）不同，"
                       "请不予批准后重新申请")
    today = _today()
    move.status, move.decided_by, move.decided_at = rules.APPROVED, actor if _person(actor) else None, timezone.now()
    move.decision_note, move.moved_on = (note or "").strip(), today
    move.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "moved_on"])
    before = {"pool": project.pool}
    project.pool = move.to_pool
    project.save(update_fields=["pool"])
    record(actor, f"批准项目{move.get_kind_display()}", move, before={"status": rules.PENDING, "pool": move.from_pool},
           after={"status": move.status, "pool": move.to_pool, "note": move.decision_note})
    record(actor, "调整项目库", project, before=before, after={"pool": project.pool, "request": move.pk})
    if move.kind == rules.WITHDRAW:
        _close_task(project, move)
    else:
        sync_task(None, project)
    return move


@transaction.atomic
def refuse_move(actor, move, note):
    """A leader refuses a request with a reason: nothing moves."""
    if not (note or "").strip():
        raise Rejected("不予批准请填写理由")
    move = _decidable_move(actor, move, note)
    move.status, move.decided_by, move.decided_at = rules.REFUSED, actor if _person(actor) else None, timezone.now()
    move.decision_note = note.strip()
    move.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(actor, f"不批准项目{move.get_kind_display()}", move, before={"status": rules.PENDING},
           after={"status": move.status, "note": move.decision_note})
    return move


# The project in key work: a task with its 开工 and 竣工 nodes -------------------------------------------------

START_NODE, COMPLETION_NODE = ".1", ".2"


def campaign_name(region, year):
    return f"{region.name}{year}年重点项目"


def _entry_year(project):
    years = sorted(p.year for p in project.year_plans.all() if p.planned > 0)
    if years:
        return years[0]
    return (project.planned_start or project.started_on or _today()).year


def _open_task(project):
    from luoshi.work.models import Task

    if project.task_id is None:
        return None
    task = Task.objects.select_related("campaign", "lead_unit__region").get(pk=project.task_id)
    return task if task.closed_on is None else None


def effective_dates(project, task=None):
    """(planned start month or None, planned completion or None) as key work holds them now (after any approved
    调整计划), else as the project says."""
    task = task if task is not None else _open_task(project)
    if task is None:
        return project.planned_start, project.planned_completion
    nodes = {m.number[len(task.number):]: m for m in task.milestones.all()}
    start = nodes.get(START_NODE)
    completion = nodes.get(COMPLETION_NODE)
    planned_start = month_of(start.due) if start is not None and project.planned_start is not None else project.planned_start
    return planned_start, completion.due if completion is not None else project.planned_completion


def sync_task(actor, project, *, moved_dates=None, reason=""):
    """Create or update the project's task in key work (a campaign 「<地区>N年重点项目」 per region and year, its plan
    set at once): lead unit = 责任单位, leader = 包保领导, nodes 开工 (planned start month's end) and 竣工 (planned
    completion); a recorded start or completion marks its node done. A withdrawn project has none. A new date for a
    project already there (`moved_dates`) becomes a 调整计划 request on its node (work's re-baseline: a leader
    approves), with `reason`. Returns the task or None."""
    if project.pool == rules.WITHDRAWN:
        return None
    moved_dates = moved_dates or {}
    task = _open_task(project)
    today = _today()
    year = _entry_year(project)
    planned_start = moved_dates.get("planned_start", project.planned_start)
    planned_completion = moved_dates.get("planned_completion", project.planned_completion)
    start_due, completion_due = rules.milestone_dates(
        kind=project.kind, planned_start=planned_start, started_on=project.started_on,
        planned_completion=planned_completion, end_year=project.end_year, year=year)
    if task is None:
        campaign = work_services.save_campaign(actor, name=campaign_name(project.region, year), order=900,
                                               source="project")
        if campaign.source != "project":
            raise Rejected(f"已有同名的攻坚战「{campaign.name}」，不能用作重点项目")
        if campaign.plan_set_at is None:
            work_services.set_plan(actor, campaign)
        from luoshi.work.models import Task

        number = f"XM{project.pk}"
        if Task.objects.filter(number=number).exists():  # a withdrawn project added again: a new task
            number = f"XM{project.pk}-{Task.objects.filter(number__startswith=f'XM{project.pk}-').count() + 2}"
        task_start, deadline = rules.task_span(start_due, completion_due, project.started_on, today)
    else:
        campaign, number = task.campaign, task.number
        task_start, deadline = task.start, task.deadline  # the task's own dates move only by 调整计划 in key work
    task, _ = work_services.save_task(actor, campaign=campaign, number=number, title=project.name[:300],
                                      lead_unit=project.unit, start=task_start, deadline=deadline,
                                      leader_name=project.leader_label or "", leader=project.leader, order=project.order)
    if project.task_id != task.pk:
        Project.objects.filter(pk=project.pk).update(task=task)
        project.task = task
    reason = (reason or "").strip() or "发改局调整项目库中的计划日期"
    nodes = []
    if start_due is not None:
        nodes.append((START_NODE, f"开工：{project.name}", start_due, project.started_on))
    nodes.append((COMPLETION_NODE, f"竣工（投产）：{project.name}", completion_due, project.completed_on))
    done = []
    for order, (suffix, title, due, done_on) in enumerate(nodes, 1):
        milestone, _ = work_services.save_milestone(actor, task=task, number=f"{number}{suffix}", title=title[:300],
                                                    due=due, start=None, order=order, reason=reason)
        if done_on is not None and milestone.done_on != done_on:
            done.append((milestone, done_on))
    if done:
        work_services.submit_report(actor if _person(actor) else None, task, percent=_task_percent(project),
                                    done_text="；".join(f"{m.title.split('：')[0]}于{d.year}年{d.month}月{d.day}日"
                                                       for m, d in done) + "（发改局记录）",
                                    completions=done, ledger=True, reported_on=_today())
    return task


def _task_percent(project, extra=Decimal(0)):
    from django.db.models import Sum

    reported = MonthlyReport.objects.filter(project=project, is_current=True).aggregate(s=Sum("amount"))["s"] or 0
    return rules.task_percent(project.done_before + reported + extra, project.total_investment)


def _mirror_report(project, report, reported_on=None):
    """The month's 调度 as the progress report of the project's task (in the 责任单位's name): key work counts it as
    the unit's report for the period, and the league table with it."""
    task = _open_task(project)
    if task is None:
        return None
    lines = [f"{report.period.year}年{report.period.month}月调度：本月完成投资{report.amount}万元"]
    if report.progress:
        lines.append(f"形象进度：{report.progress}")
    if report.correction_note:
        lines.append(f"更正说明：{report.correction_note}")
    return work_services.submit_report(None, task, percent=_task_percent(project), done_text="；".join(lines)[:5000],
                                       problems=report.problems, unit=task.lead_unit, reported_on=reported_on,
                                       source="project")


def _close_task(project, move):
    """退库: the project's task is closed (销号) with the decision as its evidence."""
    from django.core.files.base import ContentFile

    task = _open_task(project)
    if task is None:
        return None
    text = (f"{project.name}退库：{move.reason}。{_name(move.decided_by) if move.decided_by_id else '系统'}"
            f"于{move.moved_on.year}年{move.moved_on.month}月{move.moved_on.day}日批准。{move.decision_note}")
    evidence = ContentFile(text.encode("utf-8"), name="项目退库审批.txt")
    closure = work_services.request_closure(None, task, note=text[:1000], attachments=[evidence])
    work_services.approve_closure(None, closure, note="项目退库，经区领导批准")
    return closure


# 要素保障 problems --------------------------------------------------------------------------------------------

PROBLEM_TEXT_LIMIT = 1000


@transaction.atomic
def raise_problem(actor, project, *, kind, level, unit, deadline, text):
    """A 要素保障 problem on a project: its kind, the level and the unit that must solve it, a deadline (not before
    today). The project's 责任单位 or the region's analysis office."""
    if _person(actor):
        access.require_problem_raiser(actor, project)
    text = (text or "").strip()
    problems = []
    if kind not in rules.PROBLEM_KINDS:
        problems.append("问题类型应为 " + "、".join(rules.PROBLEM_KINDS.values()) + " 之一")
    if level not in rules.PROBLEM_LEVELS:
        problems.append("解决层级应为 " + "、".join(rules.PROBLEM_LEVELS.values()) + " 之一")
    if unit is None:
        problems.append("请选择负责解决的单位")
    elif not (project.region.contains(unit.region) or unit.region.contains(project.region)):
        problems.append(f"「{unit.name}」不是{project.region.name}或其上级的单位")
    today = _today()
    try:
        deadline = parse_day(deadline, "解决时限") if not isinstance(deadline, date) else deadline
    except Rejected as rejected:
        problems += rejected.messages
        deadline = None
    if deadline is not None and deadline < today:
        problems.append(f"解决时限 {wording.day(deadline)} 早于今天")
    if not text:
        problems.append("请填写问题描述")
    elif len(text) > PROBLEM_TEXT_LIMIT:
        problems.append(f"问题描述过长（{len(text)} 个字，最多 {PROBLEM_TEXT_LIMIT} 个字）")
    if problems:
        raise Rejected(problems)
    problem = Problem.objects.create(project=project, kind=kind, level=level, unit=unit, text=text, deadline=deadline,
                                     raised_on=today, raised_by=actor if _person(actor) else None)
    record(actor, "提出要素保障问题", problem, after={"project": project.name, "kind": kind, "level": level,
                                                  "unit": unit.code, "deadline": deadline, "text": text})
    return problem


@transaction.atomic
def solve_problem(actor, problem, *, solution, solved_on=None):
    """The unit that must solve it (or the analysis office) says how it was solved and when: the problem is closed."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    problem = Problem.objects.select_related("project__region", "unit").get(pk=problem.pk)
    if _person(actor):
        access.require_problem_solver(actor, problem)
    solution = (solution or "").strip()
    today = _today()
    errors = []
    if problem.state != rules.OPEN:
        errors.append(f"该问题已于 {wording.day(problem.solved_on)} 解决")
    try:
        solved_on = today if solved_on in (None, "") else (
            solved_on if isinstance(solved_on, date) else parse_day(solved_on, "解决日期"))
    except Rejected as rejected:
        errors += rejected.messages
        solved_on = None
    if solved_on is not None and solved_on > today:
        errors.append(f"解决日期 {wording.day(solved_on)} 晚于今天")
    if solved_on is not None and solved_on < problem.raised_on:
        errors.append(f"解决日期 {wording.day(solved_on)} 早于问题提出日期 {wording.day(problem.raised_on)}")
    if not solution:
        errors.append("请填写解决情况")
    elif len(solution) > PROBLEM_TEXT_LIMIT:
        errors.append(f"解决情况过长（{len(solution)} 个字，最多 {PROBLEM_TEXT_LIMIT} 个字）")
    if errors:
        raise Rejected(errors)
    problem.state, problem.solved_on, problem.solution = rules.SOLVED, solved_on, solution
    problem.solved_by = actor if _person(actor) else None
    problem.save(update_fields=["state", "solved_on", "solution", "solved_by"])
    record(actor, "解决要素保障问题", problem, before={"state": rules.OPEN},
           after={"state": problem.state, "solved_on": solved_on, "solution": solution})
    return problem


def escalate_problem(problem, on):
    """An overdue open problem, once: a 督办单 on the project's task (supervision's notices), or — when the task already
    has one open — noted on that one. Returns (notice or None, opened: bool). The system (the sweep) only."""
    from luoshi.supervision import services as supervision_services
    from luoshi.supervision.models import NoticeSource

    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        if problem.state != rules.OPEN or problem.escalated_on is not None:
            return None, False
        project = Project.objects.select_related("region").get(pk=problem.project_id)
        task = _open_task(project)
        notice, opened = None, False
        if task is not None:
            from luoshi.supervision.models import OPEN_STATES, Notice

            notice = Notice.objects.filter(task=task, state__in=OPEN_STATES).first()
            if notice is None:
                reason = (f"重点项目「{project.name}」的要素保障问题（{problem.get_kind_display()}，"
                          f"{problem.get_level_display()}解决，责任单位{problem.unit.name}）逾期未解决："
                          f"{problem.text}（解决时限 {wording.day(problem.deadline)}）")
                notice = supervision_services.open_notice(None, task, on=on, reason=reason[:2000],
                                                          source=NoticeSource.SWEEP)
                opened = True
        problem.escalated_on, problem.notice = on, notice
        problem.save(update_fields=["escalated_on", "notice"])
        record(None, "要素保障问题逾期提请督办", problem, after={
            "project": project.name, "on": on, "notice": notice.number if notice else None, "opened": opened})
        return notice, opened
