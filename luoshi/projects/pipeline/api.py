"""招商 pipeline API (mounted under /api/v1/projects by luoshi/api.py): the board (the CLI's contract and more), a
lead with every stage and 到位资金 version, a new lead, a stage reached (multipart, with its evidence), 到位资金."""

from datetime import date

from django.http import Http404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from luoshi.core.dbrouter import reads_replica
from luoshi.core.exports import http_response
from luoshi.core.problems import Rejected
from luoshi.orgs.access import get_region_for_user
from luoshi.orgs.models import Region, Unit
from luoshi.projects.pipeline import access, queries, rules, services
from luoshi.projects.pipeline.exports import Ledger
from luoshi.projects.pipeline.models import Arrival, LeadStage
from luoshi.projects.services import parse_month

router = Router(tags=["双招双引"])

Amount = str | float | int


class LeadIn(Schema):
    region: str
    name: str
    unit: str  # unit code
    capital: str = "内资"  # 内资 / 外资 (or domestic / foreign)
    town: str | None = None  # town code
    investor: str = ""
    industry: str = ""
    content: str = ""
    country: str = ""
    contract_investment: Amount | None = None  # 万元
    contract_usd: Amount | None = None  # 万美元
    lead_on: date | None = None
    note: str = ""


class LeadEdit(Schema):
    name: str
    unit: str  # unit code
    capital: str = "内资"
    town: str | None = None
    investor: str = ""
    industry: str = ""
    content: str = ""
    country: str = ""
    contract_investment: Amount | None = None
    contract_usd: Amount | None = None


class ArrivalIn(Schema):
    period: str  # YYYY-MM
    capital: str  # 内资 / 外资
    amount: Amount | None = None  # 万元 (内资)
    usd: Amount | None = None  # 万美元 (外资)
    rate: Amount | None = None  # 元 per 美元 (外资)
    note: str = ""
    corrects: int | None = None
    correction_note: str = ""


def _num(value):
    return None if value is None else float(value)


def _period(raw):
    return parse_month(raw, "月份（period）")


def _capital(text):
    return rules.CAPITAL_BY_LABEL.get(text, text)


def _stage(text):
    return rules.STAGE_BY_LABEL.get(text, text)


def _row_out(r):
    return {"id": r["id"], "name": r["name"], "investor": r["investor"], "unit": r["unit"], "town": r["town"],
            "capital": r["capital_label"], "country": r["country"], "contract_investment": _num(r["contract"]),
            "contract_usd": _num(r["contract_usd"]), "stage": r["stage_label"],
            "stages": {rules.STAGE_LABELS[s]: d for s, d in r["days"].items()}, "funds": _num(r["funds"]),
            "funds_ytd": _num(r["funds_ytd"]), "fdi_usd": _num(r["usd_ytd"]), "stalled": r["stalled"],
            "project": r["project_id"]}


def _group_out(g):
    return {"name": g["name"], "count": g["count"], "signed": g["signed"], "contract_total": _num(g["contract_total"]),
            "registered": g["registered"], "started": g["started"], "producing": g["producing"],
            "funds_arrived": _num(g["funds_arrived"]), "rates": {k: _num(v) for k, v in g["rates"].items()}}


@router.get("/pipeline", summary="某地区某月的招商项目台账：luoshi projects pipeline --json 的字段，另加各项目、分单位、分镇、无进展项目和漏斗")
@reads_replica
def board(request, region: str, period: str):
    access.require_reader(request.user)
    place = get_region_for_user(request.user, region)
    access.require_board_reader(request.user, place)
    state = queries.board(place, _period(period))
    return {**queries.contract(state), "region": place.code, "registered": state["summary"]["registered"],
            "funds_ytd": _num(state["summary"]["funds_ytd"]), "leads": [_row_out(r) for r in state["rows"]],
            "by_unit": [_group_out(g) for g in state["by_unit"]], "by_town": [_group_out(g) for g in state["by_town"]],
            "stalled": [r["name"] for r in state["stalled"]],
            "funnel": [{"stage": label, "count": count} for _, label, count in state["funnel"]]}


@router.get("/pipeline/export", summary="导出某地区某月的招商项目台账（format=xlsx 或 csv）")
@reads_replica
def export(request, region: str, period: str, format: str = "xlsx"):
    access.require_reader(request.user)
    place = get_region_for_user(request.user, region)
    access.require_board_reader(request.user, place)
    return http_response(Ledger(queries.board(place, _period(period))), format)


def _stage_out(s):
    return {"id": s.id, "stage": s.stage_label, "day": s.day, "note": s.note, "version": s.version,
            "is_current": s.is_current, "correction_note": s.correction_note, "recorded_at": s.recorded_at,
            "evidence": [{"id": e.id, "name": e.name, "size": e.size} for e in s.evidence.all()]}


def _arrival_out(a):
    return {"id": a.id, "period": f"{a.period:%Y-%m}", "capital": a.capital_label, "amount": float(a.amount),
            "usd": _num(a.usd), "rate": _num(a.rate), "note": a.note, "version": a.version, "is_current": a.is_current,
            "correction_note": a.correction_note, "recorded_at": a.recorded_at}


def _lead_out(lead):
    history = queries.lead_history(lead)
    from luoshi.projects.models import Project

    project = Project.objects.filter(source=services.SOURCE, source_id=lead.pk).values_list("pk", flat=True).first()
    return {"id": lead.id, "region": lead.region.code, "name": lead.name, "investor": lead.investor,
            "industry": lead.industry, "content": lead.content, "unit": lead.unit.code,
            "town": lead.town.code if lead.town_id else None, "capital": lead.capital_label, "country": lead.country,
            "contract_investment": _num(lead.contract_investment), "contract_usd": _num(lead.contract_usd),
            "stage": lead.stage_label, "stage_on": lead.stage_on, "project": project,
            "stages": [_stage_out(s) for s in history["stages"]],
            "arrivals": [_arrival_out(a) for a in history["arrivals"]]}


@router.get("/pipeline/leads/{lead_id}", summary="一个招商项目：基本情况、各阶段（含被更正的版本和佐证材料）、到位资金")
def lead(request, lead_id: int):
    return _lead_out(access.get_lead_for_user(request.user, lead_id))


def _unit_and_town(payload):
    """A lead's 责任单位 and town by their codes; Rejected when a code names none."""
    unit = Unit.objects.filter(code=payload.unit[:32]).select_related("region").first()
    if unit is None:
        raise Rejected(f"单位 {payload.unit[:32]} 不存在")
    town = None
    if payload.town:
        town = Region.objects.filter(code=payload.town[:12]).first()
        if town is None:
            raise Rejected(f"镇（街道） {payload.town[:12]} 不存在")
    return unit, town


@router.post("/pipeline/leads", response={201: dict, 200: dict},
             summary="登记招商项目（按地区和项目名称；已有则修改基本情况）；商务局（投资促进中心）")
def save_lead(request, payload: LeadIn):
    place = get_region_for_user(request.user, payload.region)
    access.require_keeper(request.user, place)
    unit, town = _unit_and_town(payload)
    item, outcome = services.save_lead(
        request.user, region=place, name=payload.name, unit=unit, town=town, capital=_capital(payload.capital),
        investor=payload.investor, industry=payload.industry, content=payload.content, country=payload.country,
        contract_investment=payload.contract_investment, contract_usd=payload.contract_usd, lead_on=payload.lead_on,
        note=payload.note, source="api")
    return Status(201 if outcome == "created" else 200, {"id": item.id, "outcome": outcome})


@router.put("/pipeline/leads/{lead_id}", summary="修改招商项目的基本情况（名称也可改；各阶段和到位资金不变）；商务局（投资促进中心）")
def edit_lead(request, lead_id: int, payload: LeadEdit):
    item = access.get_lead_for_user(request.user, lead_id)
    access.require_keeper(request.user, item.region)
    unit, town = _unit_and_town(payload)
    outcome = services.edit_lead(
        request.user, item, name=payload.name, unit=unit, town=town, capital=_capital(payload.capital),
        investor=payload.investor, industry=payload.industry, content=payload.content, country=payload.country,
        contract_investment=payload.contract_investment, contract_usd=payload.contract_usd)
    return {"id": item.id, "outcome": outcome}


@router.post("/pipeline/leads/{lead_id}/stages", response={201: dict},
             summary="记录招商项目到达一个阶段（multipart：stage、day、note、contract_investment、contract_usd、evidence 文件；签约起须有佐证材料）")
def post_stage(request, lead_id: int, stage: Form[str], day: Form[date], note: Form[str] = "",
               contract_investment: Form[str] = "", contract_usd: Form[str] = "",
               evidence: File[list[UploadedFile]] = None):
    item = access.get_lead_for_user(request.user, lead_id, write=True)
    row, project = services.advance(request.user, item, stage=_stage(stage), day=day, note=note, files=evidence or [],
                                    contract_investment=contract_investment or None, contract_usd=contract_usd or None,
                                    source="api")
    return Status(201, {**_stage_out(row), "project": project.pk if project else None})


@router.post("/pipeline/stages/{stage_id}/correct", response={201: dict},
             summary="更正一个阶段的日期或说明（multipart：day、note、correction_note、evidence）：保存为新版本")
def correct_stage(request, stage_id: int, day: Form[date], correction_note: Form[str], note: Form[str | None] = None,
                  evidence: File[list[UploadedFile]] = None):
    row = LeadStage.objects.filter(pk=stage_id).first()
    if row is None:
        raise Http404("阶段记录不存在")
    access.get_lead_for_user(request.user, row.lead_id, write=True)
    new = services.correct_stage(request.user, row, day=day, note=note, files=evidence or [],
                                 correction_note=correction_note, source="api")
    return Status(201, _stage_out(new))


@router.post("/pipeline/leads/{lead_id}/arrivals", response={201: dict},
             summary="记录（或更正）招商项目某月到位资金：内资 amount（万元）；外资 usd（万美元）和 rate（元/美元）")
def post_arrival(request, lead_id: int, payload: ArrivalIn):
    item = access.get_lead_for_user(request.user, lead_id, write=True)
    corrects = None
    if payload.corrects is not None:
        corrects = Arrival.objects.filter(pk=payload.corrects, lead=item).first()
        if corrects is None:
            raise Http404("要更正的记录不存在")
    row = services.record_arrival(request.user, item, period=_period(payload.period), capital=_capital(payload.capital),
                                  amount=payload.amount, usd=payload.usd, fx=payload.rate, note=payload.note,
                                  corrects=corrects, correction_note=payload.correction_note, source="api")
    return Status(201, _arrival_out(row))
