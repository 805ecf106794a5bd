"""/api/v1/briefings: meetings (list, open, close, publish), sections (list, submit), follow-ups (list, add).
The pack's routes are the pack's own router (pack/api.py), mounted beside this one by luoshi/api.py."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema

from luoshi.briefings import access, queries, services
from luoshi.briefings.models import MeetingState, Overview
from luoshi.core.problems import Rejected
from luoshi.indicators.models import Indicator
from luoshi.indicators.responsibility import responsible_units
from luoshi.orgs.access import access_for
from luoshi.orgs.models import Region, Unit

router = Router(tags=["会议材料"])


class MeetingIn(Schema):
    title: str
    region: str
    period: str
    held_on: str
    sections_due: str


class SectionIn(Schema):
    indicator: str
    unit: str | None = None  # the unit's code; needed only by someone writing for several units
    completion_text: str = ""
    reasons_text: str = ""
    measures_text: str = ""
    on_behalf: bool = False  # 代报: the office writes for `unit`, which has no account
    proxy_source: str = ""  # 代报: how the unit sent it (据…电话报送), optional


class OverviewIn(Schema):
    issuer: str
    doc_number: str = ""
    features_text: str
    problems_text: str
    suggestions_text: str


class FollowUpIn(Schema):
    title: str
    lead_unit: str
    deadline: str
    leader_name: str = ""


def _meeting(m):
    return {"id": m.pk, "title": m.title, "region": m.region.code, "region_name": m.region.name, "period": m.period,
            "held_on": m.held_on.isoformat(), "sections_due": m.sections_due.isoformat(), "state": m.state,
            "published": m.published}


def _section(s):
    return {"id": s.pk, "indicator": s.indicator.code, "unit": s.unit.code, "version": s.version,
            "is_current": s.is_current, "completion_text": s.completion_text, "reasons_text": s.reasons_text,
            "measures_text": s.measures_text, "submitted_at": s.submitted_at.isoformat(),
            "proxy": {"text": s.proxy_text, "by": s.proxy_by.username if s.proxy_by_id else None, "label": s.proxy_label,
                      "source": s.proxy_source} if s.proxy_label else None}


@router.get("/meetings", summary="会议列表（本人可见的）")
def meetings(request):
    access.require_reader(request.user)
    return [_meeting(m) for m in access.visible_meetings(request.user).order_by("-held_on", "-id")]


@router.post("/meetings", summary="召开会议、征集材料（领导、发改局、督查室）")
def open_meeting(request, body: MeetingIn):
    access.require_reader(request.user)
    region = Region.objects.filter(code=body.region.strip()).first()
    if region is None:
        raise Http404(f"地区 {body.region[:20]} 不存在")
    access.require_organiser(request.user, region)
    meeting = services.open_meeting(request.user, title=body.title, held_on=body.held_on, region=region,
                                    period=body.period, sections_due=body.sections_due)
    return _meeting(meeting)


@router.get("/meetings/{pk}", summary="一次会议：各指标的责任单位、数据和当前材料")
def meeting(request, pk: int):
    found = access.get_meeting_for_user(request.user, pk)
    whole = access.reads_whole(request.user, found)
    rows = queries.overview(found, None if whole else {u.pk for u in access.writing_units(request.user, found)})
    return {**_meeting(found), "indicators": [
        {"indicator": r["indicator"].code, "name": r["indicator"].name, "unit": r["unit"].code, "unit_name": r["unit"].name,
         "figures": r["figures"], "submitted": r["section"] is not None,
         "section": _section(r["section"]) if r["section"] else None} for r in rows]}


def _set_state(request, pk, state):
    found = access.get_meeting_for_user(request.user, pk, write=True)
    return _meeting(services.set_state(request.user, found, state))


@router.post("/meetings/{pk}/close", summary="结束材料征集")
def close(request, pk: int):
    return _set_state(request, pk, MeetingState.CLOSED)


@router.post("/meetings/{pk}/publish", summary="向责任单位发布会议材料")
def publish(request, pk: int):
    found = access.get_meeting_for_user(request.user, pk, write=True)
    return _meeting(services.publish(request.user, found, True))


@router.get("/meetings/{pk}/sections", summary="会议材料（当前版本；history=true 含全部版本）")
def sections(request, pk: int, history: bool = False):
    found = access.get_meeting_for_user(request.user, pk)
    qs = found.sections.select_related("indicator", "unit", "proxy_by").order_by("indicator__order", "unit__code", "version")
    if not history:
        qs = qs.filter(is_current=True)
    if not access.reads_whole(request.user, found):
        qs = qs.filter(unit__in=access.writing_units(request.user, found))
    return [_section(s) for s in qs]


@router.post("/meetings/{pk}/sections",
             summary="报送一个指标的材料（责任单位；修改即新版本）；发改局、督查室以 on_behalf 为未开通账号的单位代报")
def submit(request, pk: int, body: SectionIn):
    found = access.get_meeting_for_user(request.user, pk)
    indicator = Indicator.objects.filter(code=body.indicator).first()
    if indicator is None:
        raise Http404(f"指标 {body.indicator[:40]} 不存在")
    own = access.writing_units(request.user, found)
    if body.unit:
        unit = Unit.objects.select_related("region").filter(code=body.unit).first()
        if unit is None:
            raise Http404(f"单位 {body.unit[:40]} 不存在")
    elif len(own) == 1 and not body.on_behalf:
        unit = own[0]
    else:
        raise Rejected("请指明报送单位（unit）")
    if body.on_behalf:
        access.require_section_proxy(request.user, found, unit)
    elif not access_for(request.user).is_admin and unit not in own:
        raise PermissionDenied(f"您不能以{unit.name}的名义报送材料")
    owner = responsible_units(found.region).get(indicator.pk)
    if owner is None or owner.pk != unit.pk:
        raise PermissionDenied(f"{unit.name}不是{found.region.name}{indicator.name}的责任单位，不能报送该指标的材料")
    section, changed = services.submit_section(request.user, found, indicator, unit, completion_text=body.completion_text,
                                               reasons_text=body.reasons_text, measures_text=body.measures_text,
                                               on_behalf=body.on_behalf, proxy_source=body.proxy_source)
    return {**_section(section), "changed": changed}


@router.get("/meetings/{pk}/follow-ups", summary="会议确定事项")
def follow_ups(request, pk: int):
    found = access.get_meeting_for_user(request.user, pk)
    if not access.reads_whole(request.user, found):
        raise PermissionDenied("本会议材料尚未向您的单位发布")
    return [{"number": r["follow_up"].number, "title": r["follow_up"].title, "task": r["task"].pk,
             "lead_unit": r["task"].lead_unit.code, "deadline": r["task"].deadline.isoformat(),
             "light": r["light"], "status": r["status"]} for r in queries.follow_up_rows(found, timezone.localdate())]


@router.post("/meetings/{pk}/follow-ups", summary="记录会议确定事项（发改局、督查室），列入重点工作")
def add_follow_up(request, pk: int, body: FollowUpIn):
    found = access.get_meeting_for_user(request.user, pk)
    access.require_follow_up_recorder(request.user, found)
    lead = Unit.objects.select_related("region").filter(code=body.lead_unit).first()
    if lead is None:
        raise Rejected(f"未知的牵头单位「{body.lead_unit[:40]}」")
    item = services.add_follow_up(request.user, found, title=body.title, lead_unit=lead, deadline=body.deadline,
                                  leader_name=body.leader_name.strip()[:100])
    return {"number": item.number, "title": item.title, "task": item.task_id}


def _overview(o):
    return {"id": o.pk, "version": o.version, "is_current": o.is_current, "issuer": o.issuer, "doc_number": o.doc_number,
            "features_text": o.features_text, "problems_text": o.problems_text, "suggestions_text": o.suggestions_text,
            "written_by": o.written_by.username if o.written_by_id else None, "written_at": o.written_at.isoformat()}


@router.get("/meetings/{pk}/overview", summary="会议材料综述的各版本（最新在前；没有时会议材料使用根据数据起草的文稿）")
def overview_versions(request, pk: int):
    found = access.get_overview_meeting_for_user(request.user, pk)
    return [_overview(o) for o in Overview.objects.filter(meeting=found).select_related("written_by").order_by("-version")]


@router.post("/meetings/{pk}/overview", summary="保存会议材料的封面和综述（发改局；修改即新版本，会议材料采用最新版）")
def save_overview(request, pk: int, body: OverviewIn):
    found = access.get_overview_meeting_for_user(request.user, pk, write=True)
    overview, changed = services.save_overview(request.user, found, issuer=body.issuer, doc_number=body.doc_number,
                                               features_text=body.features_text, problems_text=body.problems_text,
                                               suggestions_text=body.suggestions_text)
    return {**_overview(overview), "changed": changed}
