"""Every write to the 招商 pipeline: atomic, audited, Chinese errors. `actor` None is the system (the demo, the
command line); a signed-in person is checked through pipeline/access.py.

A stage is a row added (LeadStage), a correction a new version; 到位资金 likewise (Arrival). A signed lead that
starts becomes a project of the pools through projects.services.save_project (source "pipeline", source_id the
lead's id): no second entry; a project of the same name already in the pool is linked instead."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from luoshi.audit.services import record, snapshot
from luoshi.core.problems import Rejected
from luoshi.orgs.models import RegionLevel
from luoshi.projects import rules as pool_rules
from luoshi.projects import services as pool
from luoshi.projects.models import Project
from luoshi.projects.pipeline import access, rules
from luoshi.projects.pipeline.models import Arrival, Lead, LeadStage, StageEvidence
from luoshi.work.services import attachment_problems

SOURCE = "pipeline"  # Project.source of a project that came from the pipeline
LEAD_FIELDS = ["region", "name", "investor", "industry", "content", "unit", "town", "capital", "country",
               "contract_investment", "contract_usd"]
TEXT_LIMITS = {"name": 200, "investor": 200, "industry": 50, "content": 2000, "country": 50}
NOTE_LIMIT = 2000


def _person(actor):
    return getattr(actor, "is_authenticated", False)


def _today():
    return pool._today()  # the pools' day (projects.services.dated in the demo)


def month_of(day):
    return date(day.year, day.month, 1)


def reached(lead):
    """{stage: day} of the lead's current stage rows."""
    return dict(LeadStage.objects.filter(lead=lead, is_current=True).values_list("stage", "day"))


def _amount(value, label, problems):
    if value is None:
        return None
    if not isinstance(value, Decimal):
        number, message = pool_rules.parse_amount(value)
        if message:
            problems.append(f"{label}：{message}")
        return number
    if not value.is_finite() or value < 0 or value > pool_rules.MAX_AMOUNT:
        problems.append(f"{label}应为不小于0的数字")
        return None
    return pool_rules.money(value)


# Leads -----------------------------------------------------------------------------------------------------------

def lead_problems(values):
    problems = []
    region = values.get("region")
    if not values.get("name"):
        problems.append("项目名称不能为空")
    for field, limit in TEXT_LIMITS.items():
        text = values.get(field) or ""
        if len(text) > limit:
            problems.append(f"{Lead._meta.get_field(field).verbose_name}过长（{len(text)} 个字，最多 {limit} 个字）")
    unit = values.get("unit")
    if unit is None:
        problems.append("责任单位不能为空")
    elif region is not None and not region.contains(unit.region):
        problems.append(f"责任单位「{unit.name}」不属于{region.name}")
    town = values.get("town")
    if town is not None and region is not None and (town.level != RegionLevel.TOWN or not region.contains(town)):
        problems.append(f"「{town.name}」不是{region.name}的镇（街道）")
    if values.get("capital") not in rules.CAPITALS:
        problems.append("资金来源应为「内资」或「外资」")
    elif values["capital"] == rules.FOREIGN and not values.get("country"):
        problems.append("外资项目请填写外资来源国家（地区）")
    if values.get("contract_usd") is not None and values.get("capital") != rules.FOREIGN:
        problems.append("合同外资额只用于外资项目")
    return problems


@transaction.atomic
def save_lead(actor, *, region, name, unit, capital=rules.DOMESTIC, town=None, investor="", industry="", content="",
              country="", contract_investment=None, contract_usd=None, lead_on=None, note="", source="web"):
    """Add a lead to the county's ledger (its 线索 stage on `lead_on`, today without it) or change the details of the
    lead of that name. The ledger's keepers. Returns (lead, outcome): "created", "updated" or "unchanged"."""
    if _person(actor):
        access.require_keeper(actor, region)
    problems = []
    values = {"region": region, "name": (name or "").strip(), "unit": unit, "town": town, "capital": capital,
              "investor": (investor or "").strip(), "industry": (industry or "").strip(),
              "content": (content or "").strip(), "country": (country or "").strip(),
              "contract_investment": _amount(contract_investment, "合同投资额", problems),
              "contract_usd": _amount(contract_usd, "合同外资额", problems)}
    problems += lead_problems(values)
    lead_on = lead_on or _today()
    if lead_on > _today():
        problems.append("线索日期晚于今天")
    if problems:
        raise Rejected(problems)
    lead = Lead.objects.select_for_update().filter(region=region, name=values["name"]).first()
    if lead is None:
        lead = Lead.objects.create(**values, stage=rules.LEAD, stage_on=lead_on,
                                   created_by=actor if _person(actor) else None)
        _add_stage(actor, lead, rules.LEAD, lead_on, note, (), source)
        record(actor, "登记招商项目", lead, after={**snapshot(lead, LEAD_FIELDS), "lead_on": lead_on.isoformat()})
        return lead, "created"
    return lead, _update(actor, lead, values)


def _update(actor, lead, values):
    """Write the changed details of a lead ("updated", recorded with before and after) or nothing ("unchanged")."""
    before = snapshot(lead, LEAD_FIELDS)
    if values["contract_investment"] is None:  # not given: kept (set at 签约)
        values["contract_investment"] = lead.contract_investment
    if values["contract_usd"] is None:
        values["contract_usd"] = lead.contract_usd
    for field, value in values.items():
        setattr(lead, field, value)
    if snapshot(lead, LEAD_FIELDS) == before:
        return "unchanged"
    if lead.capital != rules.FOREIGN and lead.arrivals.filter(is_current=True, capital=rules.FOREIGN).exists():
        raise Rejected("该项目已有外资到位记录，资金来源不能改为内资")
    lead.save()
    record(actor, "修改招商项目", lead, before=before, after=snapshot(lead, LEAD_FIELDS))
    return "updated"


@transaction.atomic
def edit_lead(actor, lead, *, name, unit, capital, town=None, investor="", industry="", content="", country="",
              contract_investment=None, contract_usd=None):
    """Change a lead's details, its name included (a name another lead of the county has is refused); the ledger's
    keepers. The stages, their evidence and the funds stay as they are. Returns "updated" or "unchanged"."""
    if _person(actor):
        access.require_keeper(actor, lead.region)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    problems = []
    values = {"region": lead.region, "name": (name or "").strip(), "unit": unit, "town": town, "capital": capital,
              "investor": (investor or "").strip(), "industry": (industry or "").strip(),
              "content": (content or "").strip(), "country": (country or "").strip(),
              "contract_investment": _amount(contract_investment, "合同投资额", problems),
              "contract_usd": _amount(contract_usd, "合同外资额", problems)}
    problems += lead_problems(values)
    if values["name"] and Lead.objects.filter(region=lead.region, name=values["name"]).exclude(pk=lead.pk).exists():
        problems.append(f"{lead.region.name}的招商台账中已有「{values['name']}」")
    if problems:
        raise Rejected(problems)
    return _update(actor, lead, values)


# Stages ----------------------------------------------------------------------------------------------------------

def _check_writer(actor, lead):
    if _person(actor) and not access.can_write(actor, lead):
        raise PermissionDenied("只有商务局（投资促进中心）或该项目的责任单位可以推进该招商项目")


def _add_stage(actor, lead, stage, day, note, files, source, corrects=None, correction_note=""):
    row = LeadStage(lead=lead, stage=stage, day=day, note=note, source=source, correction_note=correction_note[:300],
                    recorded_by=actor if _person(actor) else None)
    if corrects is not None:
        LeadStage.objects.filter(pk=corrects.pk).update(is_current=False)
        row.series, row.version = corrects.series, corrects.version + 1
    row.save()
    if row.series is None:
        row.series = row.pk
        row.save(update_fields=["series"])
    for upload in files:
        item = StageEvidence(stage=row, name=upload.name[:200], size=upload.size)
        item.file.save(Path(upload.name).name, upload, save=False)
        item.save()
    return row


def _refresh_stage(lead):
    lead.stage, lead.stage_on = rules.furthest(reached(lead))
    Lead.objects.filter(pk=lead.pk).update(stage=lead.stage, stage_on=lead.stage_on)


@transaction.atomic
def advance(actor, lead, *, stage, day, note="", files=(), contract_investment=None, contract_usd=None, source="web"):
    """Record that the lead reached `stage` on `day` with its evidence (`files`); 签约 with its 合同投资额 (万元; and
    合同外资额 in 万美元 for a foreign one) unless the lead has it. 开工 puts the lead in the pools as a project.
    Returns (stage row, project or None)."""
    _check_writer(actor, lead)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    files = list(files)
    note = (note or "").strip()
    problems = []
    contract = _amount(contract_investment, "合同投资额", problems)
    usd = _amount(contract_usd, "合同外资额", problems)
    if usd is not None and lead.capital != rules.FOREIGN:
        problems.append("合同外资额只用于外资项目")
    if len(note) > NOTE_LIMIT:
        problems.append(f"说明过长（{len(note)} 个字，最多 {NOTE_LIMIT} 个字）")
    problems += rules.stage_problems(reached=reached(lead), stage=stage, day=day, today=_today(), evidence=len(files),
                                     contract_investment=contract if contract is not None else lead.contract_investment)
    problems += attachment_problems(files)
    if problems:
        raise Rejected(problems)
    before = snapshot(lead, ["stage", "stage_on", "contract_investment", "contract_usd"])
    if stage == rules.SIGNED and contract is not None:
        lead.contract_investment = contract
    if usd is not None:
        lead.contract_usd = usd
    lead.save(update_fields=["contract_investment", "contract_usd"])
    row = _add_stage(actor, lead, stage, day, note, files, source)
    _refresh_stage(lead)
    record(actor, f"招商项目{rules.STAGE_LABELS[stage]}", row, before=before,
           after={"lead": lead.name, "stage": stage, "day": day.isoformat(), "note": note,
                  "evidence": [f.name for f in files], "contract_investment": _str(lead.contract_investment),
                  "contract_usd": _str(lead.contract_usd), "source": source})
    project = _into_pool(actor, lead, day) if stage == rules.STARTED else None
    return row, project


@transaction.atomic
def correct_stage(actor, row, *, day, note=None, files=(), correction_note="", source="web"):
    """A new version of a stage row (its day, note, more evidence); the earlier version stays."""
    lead = Lead.objects.select_for_update().get(pk=row.lead_id)
    _check_writer(actor, lead)
    files = list(files)
    correction_note = (correction_note or "").strip()
    note = row.note if note is None else (note or "").strip()
    problems = [] if row.is_current else ["只能更正阶段的最新版本"]
    if not correction_note:
        problems.append("更正请填写更正说明")
    problems += rules.correction_problems(reached=reached(lead), stage=row.stage, day=day, today=_today())
    problems += attachment_problems(files)
    if problems:
        raise Rejected(problems)
    new = _add_stage(actor, lead, row.stage, day, note, files, source, corrects=row, correction_note=correction_note)
    for item in row.evidence.all():  # the evidence stays with the stage: the new version lists it too
        StageEvidence.objects.create(stage=new, file=item.file.name, name=item.name, size=item.size)
    _refresh_stage(lead)
    record(actor, f"更正招商项目{row.stage_label}", new, before={"day": row.day.isoformat(), "note": row.note},
           after={"lead": lead.name, "stage": row.stage, "day": day.isoformat(), "note": note, "version": new.version,
                  "evidence": [f.name for f in files], "correction_note": correction_note})
    return new


def _str(value):
    return None if value is None else str(value)


def _into_pool(actor, lead, day):
    """The started lead as a project of the pools (no second entry): the project it already became, the pool's
    project of the same name linked to it, or a new 新建 project in 在建 (发改局 adds its year plan)."""
    project = Project.objects.filter(source=SOURCE, source_id=lead.pk).first()
    if project is not None:
        return project
    same = Project.objects.filter(region=lead.region, name=lead.name).first()
    if same is not None:
        if same.source == SOURCE:
            raise Rejected(f"项目库中的「{same.name}」已属于另一个招商项目")
        values = {f.name: getattr(same, f.name) for f in Project._meta.concrete_fields if f.name in pool.PROJECT_FIELDS}
        values.update(source=SOURCE, source_id=lead.pk, started_on=same.started_on or day)
        if values["pool"] == pool_rules.PLANNING:
            values["pool"] = pool_rules.BUILDING
        project, _ = pool.save_project(None, **values)
        action = "招商项目开工，关联项目库中的项目"
    else:
        project, _ = pool.save_project(
            None, region=lead.region, name=lead.name, category="产业项目", kind=pool_rules.NEW, unit=lead.unit,
            town=lead.town, industry=lead.industry, content=lead.content, owner=lead.investor,
            total_investment=lead.contract_investment, planned_start=day, started_on=day, start_year=day.year,
            pool=pool_rules.BUILDING, pooled_on=day, source=SOURCE, source_id=lead.pk)
        action = "招商项目开工，转入项目库"
    record(actor, action, project, after={"lead": lead.name, "lead_id": lead.pk, "project": project.name,
                                          "started_on": day.isoformat()})
    return project


# 到位资金 ---------------------------------------------------------------------------------------------------------

@transaction.atomic
def record_arrival(actor, lead, *, period, capital, amount=None, usd=None, fx=None, note="", corrects=None,
                   correction_note="", source="web"):
    """到位资金 of a lead in a month: 内资 `amount` in 万元; 外资 `usd` in 万美元 at `fx` 元 per 美元 (amount computed).
    A second record of the same month and source is a correction (`corrects`, with a note): a new version."""
    _check_writer(actor, lead)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    problems = []
    amount = _amount(amount, "到位资金", problems)
    usd = _amount(usd, "到位外资", problems)
    fx = _rate(fx, problems)
    note, correction_note = (note or "").strip()[:300], (correction_note or "").strip()
    signed_on = reached(lead).get(rules.SIGNED)
    if not problems:
        problems += rules.arrival_problems(capital=capital, lead_capital=lead.capital, amount=amount, usd=usd, fx=fx,
                                           period=period, this_month=month_of(_today()), signed_on=signed_on)
    current = Arrival.objects.filter(lead=lead, period=period, capital=capital, is_current=True).first()
    if corrects is not None:
        if corrects.lead_id != lead.pk or corrects.period != period or corrects.capital != capital:
            problems.append("更正的记录不属于该项目的该月份和资金来源")
        elif not corrects.is_current:
            problems.append("只能更正最新版本")
        if not correction_note:
            problems.append("更正请填写更正说明")
    elif current is not None:
        problems.append(f"{period.year}年{period.month}月的{rules.CAPITALS.get(capital, '')}到位资金已记录（第{current.version}版），"
                        "如需修改请点「更正」")
    if problems:
        raise Rejected(problems)
    if capital == rules.FOREIGN:
        amount = rules.to_wan(usd, fx)
    else:
        usd = fx = None
    row = Arrival(lead=lead, period=period, capital=capital, amount=amount, usd=usd, rate=fx, note=note,
                  correction_note=correction_note[:300], source=source, recorded_by=actor if _person(actor) else None)
    if corrects is not None:
        Arrival.objects.filter(pk=corrects.pk).update(is_current=False)
        row.series, row.version = corrects.series, corrects.version + 1
    row.save()
    if row.series is None:
        row.series = row.pk
        row.save(update_fields=["series"])
    record(actor, "更正招商到位资金" if corrects is not None else "记录招商到位资金", row,
           before={"amount": str(corrects.amount), "usd": _str(corrects.usd)} if corrects is not None else None,
           after={"lead": lead.name, "period": f"{period:%Y-%m}", "capital": capital, "amount": str(amount),
                  "usd": _str(usd), "rate": _str(fx), "note": note, "version": row.version,
                  "correction_note": row.correction_note, "source": source})
    return row


def _rate(value, problems):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        problems.append(f"折算汇率「{str(value)[:20]}」不是数字")
        return None
    if not number.is_finite():
        problems.append("折算汇率应为有限的数字")
        return None
    return number.quantize(Decimal("0.0001"))
