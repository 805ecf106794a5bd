"""Every write to the project pools goes through these functions: atomic, audited, Chinese errors.

`actor` None is the system (the command line, the demo); a signed-in person is checked through access.py."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core.problems import Rejected
from luoshi.orgs.models import Person, RegionLevel
from luoshi.projects import access, rules
from luoshi.projects.models import (CountedInvestment, Funding, MonthlyReport, PoolThresholds, Project, ReportPhoto,
                                    YearPlan)
from luoshi.work.services import attachment_problems

PROJECT_FIELDS = ["region", "name", "category", "kind", "industry", "content", "start_year", "end_year",
                  "total_investment", "done_before", "unit", "town", "owner", "leader", "leader_name", "planned_start",
                  "started_on", "completed_on", "pool", "pooled_on", "statistics_on", "source", "source_id", "order"]
TEXT_LIMITS = {"name": 200, "category": 50, "industry": 50, "content": 2000, "owner": 200, "leader_name": 50}
REPORT_TEXT_LIMIT = 2000
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _person(actor):
    return getattr(actor, "is_authenticated", False)


def _today():
    return timezone.localdate()


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
    for field in ("planned_start", "started_on", "completed_on", "pooled_on", "statistics_on"):
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
def save_project(actor, *, year_plans=None, funding=None, **values):
    """Create or update the project named `name` in `region` (the analysis office of the region), with its year
    plans ({year: 万元}) and funding breakdown ({source: 万元}, replaced as a whole when given). Returns
    (project, outcome): "created", "updated" or "unchanged" (nothing written, nothing recorded)."""
    region = values["region"]
    _check_manager(actor, region)
    values = _normalised(values)
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
    else:
        before = snapshot(project, fields)
        for f in fields:
            setattr(project, f, values[f])
        outcome = "updated" if snapshot(project, fields) != before else "unchanged"
        if outcome == "updated":
            project.save()
    plans_changed = _save_year_plans(project, year_plans)
    funding_changed = _save_funding(project, funding) if funding else False
    if outcome == "unchanged" and (plans_changed or funding_changed):
        outcome = "updated"
    if outcome != "unchanged":
        after = snapshot(project, fields)
        after.update(year_plans={str(y): str(a) for y, a in year_plans.items()},
                     funding={s: str(a) for s, a in funding.items()})
        record(actor, "新增重点项目" if outcome == "created" else "修改重点项目", project, before=before, after=after)
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

def report_problems(project, period, amount, progress, problems, photos, corrects, correction_note, today=None):
    """Chinese messages for a monthly report, before anything is saved."""
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
    current = None
    if period is not None:
        current = MonthlyReport.objects.filter(project=project, period=period, is_current=True).first()
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
                  correction_note="", source="web", unit=None):
    """Save a project's 调度 for a month: 本月完成投资 (万元), 形象进度 (text and photos), 存在问题. A correction is a
    new version of `corrects` (the earlier stays, no longer current). The 责任单位 reports (or the region's analysis
    office, an administrator); it is saved in the 责任单位's name."""
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

