"""API of 结果运用: proposals (list, what waits for me, one, propose, decide) and league adjustments (propose,
decide), under /api/v1/supervision/; luoshi/api.py mounts the router. Same services and access helpers as the pages;
errors as everywhere: {"error": "…"}."""

from datetime import date

from django.http import Http404
from ninja import Router, Schema, Status

from luoshi.core.problems import Rejected
from luoshi.orgs.models import Person, Unit
from luoshi.supervision.consequences import access, queries, services
from luoshi.supervision.league import access as league_access
from luoshi.supervision.league import rules as league_rules
from luoshi.supervision.models import Notice
from luoshi.work import access as work_access

router = Router(tags=["督查督办"])


class ProposeIn(Schema):
    unit: str  # unit code
    kind: str  # talk / interview / criticism / accountability
    reason: str
    person: int | None = None  # a person of the unit (id)
    task: int | None = None
    milestones: list[int] = []
    notices: list[int] = []


class DecideIn(Schema):
    approve: bool
    kind: str | None = None  # another kind than proposed (with a note)
    note: str = ""


class AdjustmentIn(Schema):
    region: str | None = None  # county code (default: the user's)
    unit: str  # unit code
    period: str  # YYYY-MM
    points: int
    reason: str


class AdjustmentDecideIn(Schema):
    approve: bool
    note: str = ""


def _day(value: date | None):
    return value.isoformat() if value else None


def consequence_out(c):
    decision = c.decision if c.decided else None
    return {"id": c.pk, "region": c.region.code, "unit": c.unit.code, "unit_name": c.unit.name,
            "person": c.person_name, "kind": c.kind, "kind_label": c.get_kind_display(), "source": c.source,
            "source_label": c.get_source_display(), "task": c.task_id, "reason": c.reason, "facts": c.fact_lines,
            "notices": [n.number for n in c.notices.order_by("year", "serial")], "proposed_on": _day(c.proposed_on),
            "state": "pending" if decision is None else ("approved" if decision.approved else "rejected"),
            "decision": None if decision is None else {
                "approved": decision.approved, "kind": decision.kind or None, "note": decision.note,
                "decided_on": _day(decision.decided_on), "decided_by": decision.decider_name,
                "number": decision.number or None}}


@router.get("/consequences", summary="结果运用：处理建议列表（state: pending/approved/rejected）")
def consequences(request, state: str = ""):
    access.require_reader(request.user)
    return [consequence_out(c) for c in queries.consequences_for(request.user, state)[:1000]]


@router.get("/consequences/pending", summary="待我决定：处理建议和考核加减分（区领导）")
def pending(request):
    return [item.as_json() for item in queries.pending_for_leader(request.user)]


@router.get("/consequences/{consequence_id}", summary="一条处理建议及其决定")
def consequence(request, consequence_id: int):
    return consequence_out(access.get_consequence_for_user(request.user, consequence_id))


@router.post("/consequences", response={201: dict}, summary="提出处理建议（督查室）")
def propose(request, payload: ProposeIn):
    access.require_reader(request.user)
    unit = Unit.objects.select_related("region").filter(code=payload.unit[:32]).first()
    if unit is None:
        raise Http404(f"单位 {payload.unit[:32]} 不存在")
    access.require_proposer(request.user, access.county_of(unit))
    task = work_access.get_task_for_user(request.user, payload.task) if payload.task is not None else None
    person = None
    if payload.person is not None:
        person = Person.objects.filter(pk=payload.person, unit=unit).first()
        if person is None:
            raise Rejected(f"人员 {payload.person} 不是{unit.name}的人员")
    milestones = list(task.milestones.filter(pk__in=payload.milestones)) if task is not None else []
    if len(milestones) != len(set(payload.milestones)):
        raise Rejected("所选节点不属于该重点任务")
    notices = list(Notice.objects.filter(pk__in=payload.notices))
    if len(notices) != len(set(payload.notices)):
        raise Rejected("所选督办单不存在")
    created = services.propose(request.user, unit=unit, kind=payload.kind, reason=payload.reason, person=person,
                               task=task, milestones=milestones, notices=notices)
    return Status(201, consequence_out(access.get_consequence_for_user(request.user, created.pk)))


@router.post("/consequences/{consequence_id}/decide", summary="决定处理建议（区领导：同意，可改处理方式并写明意见；不同意须写明理由）")
def decide(request, consequence_id: int, payload: DecideIn):
    target = access.get_consequence_for_user(request.user, consequence_id, write=True)
    services.decide(request.user, target, approve=payload.approve, kind=payload.kind, note=payload.note)
    return consequence_out(access.get_consequence_for_user(request.user, consequence_id))


def adjustment_out(a):
    decision = a.decision if a.decided else None
    return {"id": a.pk, "region": a.region.code, "unit": a.unit.code, "unit_name": a.unit.name,
            "period": f"{a.period:%Y-%m}", "points": a.points, "reason": a.reason, "proposed_on": _day(a.proposed_on),
            "state": "pending" if decision is None else ("approved" if decision.approved else "rejected"),
            "note": decision.note if decision else ""}


@router.post("/league/adjustments", response={201: dict}, summary="提出考核加减分（督查室；经区领导批准后计入调整后得分）")
def propose_adjustment(request, payload: AdjustmentIn):
    region = league_access.get_league_region_for_user(request.user, payload.region)
    access.require_adjustment_proposer(request.user, region)
    period = league_rules.parse_month(payload.period, "考核月份")
    unit = Unit.objects.select_related("region").filter(code=payload.unit[:32]).first()
    if unit is None:
        raise Http404(f"单位 {payload.unit[:32]} 不存在")
    created = services.propose_adjustment(request.user, region=region, unit=unit, period=period, points=payload.points,
                                          reason=payload.reason)
    return Status(201, adjustment_out(access.get_adjustment_for_user(request.user, created.pk)))


@router.post("/league/adjustments/{adjustment_id}/decide", summary="批准或不同意考核加减分（区领导）")
def decide_adjustment(request, adjustment_id: int, payload: AdjustmentDecideIn):
    target = access.get_adjustment_for_user(request.user, adjustment_id, write=True)
    services.decide_adjustment(request.user, target, approve=payload.approve, note=payload.note)
    return adjustment_out(access.get_adjustment_for_user(request.user, adjustment_id))
