"""Meeting pages: the list (and opening a meeting), the meeting (sections submitted or not, follow-ups), a unit's
section form with the indicator's figures beside it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.briefings import access, queries, services
from luoshi.briefings.pack.access import pack_refusal
from luoshi.briefings.pack.rules import figures_sentence
from luoshi.core.periods import parse_period, period_label
from luoshi.core.wording import MISSING
from luoshi.briefings.models import DOC_NUMBER_MAX, ISSUER_MAX, OVERVIEW_TEXT_MAX, SECTION_TEXT_MAX, MeetingState, Overview
from luoshi.core.problems import Rejected
from luoshi.indicators.models import Indicator
from luoshi.orgs.access import access_for
from luoshi.orgs.models import Region, RegionLevel, Unit, UnitKind
from luoshi.orgs.queries import acting_label


def _organised_regions(user):
    """The districts (and cities) where the user may open meetings."""
    regions = Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.CITY]).order_by("code")
    return [r for r in regions if access.can_organise(user, r)]


@login_required
def meeting_list(request, posted=None, problems=None):
    access.require_reader(request.user)
    regions = _organised_regions(request.user) if access.can_open_meetings(request.user) else []
    today = timezone.localdate()
    return render(request, "briefings/list.html", {
        "meetings": access.visible_meetings(request.user).order_by("-held_on", "-id"), "regions": regions,
        "form": posted or {"held_on": today.isoformat(), "sections_due": today.isoformat()}, "problems": problems,
    }, status=400 if problems else 200)


@login_required
@require_POST
def meeting_open(request):
    access.require_reader(request.user)
    data = request.POST
    region = Region.objects.filter(code=data.get("region", "")).first()
    if region is None:
        return meeting_list(request, posted=data, problems=["请选择地区"])
    access.require_organiser(request.user, region)
    try:
        meeting = services.open_meeting(request.user, title=data.get("title"), held_on=data.get("held_on"), region=region,
                                        period=data.get("period"), sections_due=data.get("sections_due"))
    except Rejected as rejected:
        return meeting_list(request, posted=data, problems=rejected.messages)
    messages.success(request, f"已召开{meeting.title}，已通知各责任单位报送材料")
    return redirect("briefings:meeting", meeting.pk)


LEAD_UNIT_KINDS = [UnitKind.DEPARTMENT, UnitKind.OFFICE, UnitKind.TOWNSHIP]  # a meeting's decisions go to these first


def _lead_unit_choices(region):
    """[(kind label, units)] a follow-up item may be led by: the region's departments, offices and towns, in that
    order (its village committees are not lead units of a district meeting's decisions)."""
    units = Unit.objects.filter(region__code__startswith=region.prefix, kind__in=LEAD_UNIT_KINDS).order_by("code")
    return [(kind.label, group) for kind in LEAD_UNIT_KINDS if (group := [u for u in units if u.kind == kind])]


@login_required
def meeting_detail(request, pk, problems=None, posted=None):
    meeting = access.get_meeting_for_user(request.user, pk)
    whole = access.reads_whole(request.user, meeting)
    own = access.writing_units(request.user, meeting)
    rows = queries.overview(meeting, None if whole else {u.pk for u in own})
    own_ids = {u.pk for u in own}
    open_ = meeting.state != MeetingState.CLOSED
    proxy_ids = access.proxy_unit_ids(request.user, meeting, {r["unit"] for r in rows}) if open_ else set()
    for row in rows:
        row["figures_text"] = figures_sentence(row["figures"]) if row["figures"] else f"{MISSING}。"
        row["writable"] = row["unit"].pk in own_ids and open_
        row["proxy"] = row["unit"].pk in proxy_ids and not row["writable"]  # 代报: the unit has no account
    organiser = access.can_organise(request.user, meeting.region)
    recorder = access.can_record_follow_ups(request.user, meeting)
    return render(request, "briefings/meeting.html", {
        "meeting": meeting, "rows": rows, "whole": whole, "summary": queries.submission_summary(rows) if whole else [],
        "follow_ups": queries.follow_up_rows(meeting, timezone.localdate()) if whole else [],
        "can_organise": organiser, "can_record": recorder, "closed": meeting.state == MeetingState.CLOSED,
        "units": _lead_unit_choices(meeting.region) if recorder else [],
        "pack_refusal": pack_refusal(request.user, meeting), "problems": problems, "posted": posted or {},
        "overview": Overview.objects.filter(meeting=meeting, is_current=True).select_related("written_by").first()
        if whole else None, "edits_overview": access.can_edit_overview(request.user, meeting),
        "period_label": period_label(parse_period(meeting.period)),
    }, status=400 if problems else 200)


@login_required
@require_POST
def meeting_state(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    action = request.POST.get("action", "")
    try:
        if action == "close":
            services.set_state(request.user, meeting, MeetingState.CLOSED)
            messages.success(request, "材料征集已结束，不再接收材料")
        elif action == "reopen":
            services.set_state(request.user, meeting, MeetingState.COLLECTING)
            messages.success(request, "已重新开始征集材料")
        elif action in ("publish", "unpublish"):
            services.publish(request.user, meeting, action == "publish")
            messages.success(request, "已向责任单位发布" if action == "publish" else "已撤回发布")
        else:
            raise Rejected("未知的操作")
    except Rejected as rejected:
        messages.error(request, "；".join(rejected.messages))
    return redirect("briefings:meeting", meeting.pk)


def _section_target(request, pk, indicator_code):
    meeting = access.get_meeting_for_user(request.user, pk)
    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None:
        raise Http404(f"指标 {indicator_code[:40]} 不存在")
    row = next(iter(r for r in queries.overview(meeting) if r["indicator"].pk == indicator.pk), None)
    if row is None:
        raise Http404(f"{meeting.region.name}{indicator.name}尚未设定责任单位")
    return meeting, indicator, row


@login_required
def section_edit(request, pk, indicator_code):
    """A unit's section form (its own, or 代报 by the office for a unit without an account: ?on_behalf=1 and the
    form's on_behalf field), with the indicator's figures and every version."""
    meeting, indicator, row = _section_target(request, pk, indicator_code)
    unit = row["unit"]
    admin = access_for(request.user).is_admin
    writes = admin or unit in access.writing_units(request.user, meeting)
    proxy_refusal = access.section_proxy_refusal(request.user, meeting, unit)
    proxy = proxy_refusal is None and (not writes or bool(request.GET.get("on_behalf") or request.POST.get("on_behalf")))
    if not writes and not access.reads_whole(request.user, meeting):
        raise PermissionDenied(f"{indicator.name}的材料由{unit.name}报送，您无权查看")
    problems, posted = None, None
    if request.method == "POST":
        on_behalf = bool(request.POST.get("on_behalf"))
        if on_behalf:
            access.require_section_proxy(request.user, meeting, unit)
        elif not writes:
            raise PermissionDenied(f"您的单位不是{meeting.region.name}{indicator.name}的责任单位，不能报送该指标的材料")
        posted = request.POST
        try:
            section, changed = services.submit_section(
                request.user, meeting, indicator, unit, completion_text=posted.get("completion_text", ""),
                reasons_text=posted.get("reasons_text", ""), measures_text=posted.get("measures_text", ""),
                on_behalf=on_behalf, proxy_source=posted.get("proxy_source", ""))
        except Rejected as rejected:
            problems = rejected.messages
        else:
            done = f"已为{unit.name}代报{indicator.name}材料" if on_behalf else f"已报送{indicator.name}材料"
            messages.success(request, f"{done}（第{section.version}版）" if changed else "内容未变化，未生成新版本")
            return redirect("briefings:meeting", meeting.pk)
    current = row["section"]
    form = posted or {f: getattr(current, f) if current else "" for f in services.SECTION_FIELDS}
    closed = meeting.state == MeetingState.CLOSED
    return render(request, "briefings/section.html", {
        "meeting": meeting, "indicator": indicator, "unit": unit, "figures": row["figures"], "current": current,
        "figures_text": figures_sentence(row["figures"]) if row["figures"] else f"{MISSING}。",
        "period_label": period_label(parse_period(meeting.period)),
        "history": queries.history(meeting, indicator, unit), "writes": (writes or proxy) and not closed,
        "proxy": proxy and not closed, "proxy_label": acting_label(request.user) if proxy else "",
        "closed": closed, "form": form, "problems": problems, "max": SECTION_TEXT_MAX,
    }, status=400 if problems else 200)


@login_required
@require_POST
def follow_up_add(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    access.require_follow_up_recorder(request.user, meeting)
    data = request.POST
    lead = Unit.objects.select_related("region").filter(code=data.get("lead_unit", "")).first()
    try:
        item = services.add_follow_up(request.user, meeting, title=data.get("title"), lead_unit=lead,
                                      deadline=data.get("deadline"), leader_name=(data.get("leader_name") or "").strip()[:100])
    except Rejected as rejected:
        return meeting_detail(request, pk, problems=rejected.messages, posted=data)
    messages.success(request, f"已记录会议确定事项 {item.number}，已列入重点工作")
    return redirect("briefings:meeting", meeting.pk)


def _built_pack(meeting):
    from luoshi.briefings.pack.assemble import build

    return build(meeting.region, parse_period(meeting.period), meeting=meeting)


@login_required
def overview_edit(request, pk):
    """The pack's cover and overview (综述) of a meeting: the analysis office edits it (each save a new version, the
    earlier kept below), starting from its current version or from the draft written from the data (?draft=1);
    the others who read the meeting whole read it here."""
    meeting = access.get_overview_meeting_for_user(request.user, pk, write=request.method == "POST")
    editor = access.can_edit_overview(request.user, meeting)
    built = _built_pack(meeting)
    problems, form = None, None
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in ("issuer", "doc_number", *services.OVERVIEW_FIELDS)}
        try:
            overview, changed = services.save_overview(request.user, meeting, **form)
        except Rejected as rejected:
            problems = rejected.messages
        else:
            messages.success(request, f"已保存会议材料综述（第{overview.version}版），生成会议材料时采用此版"
                             if changed else "内容未变化，未生成新版本")
            return redirect("briefings:overview", meeting.pk)
    shown = built.draft if request.GET.get("draft") else built.overview
    if form is None:
        form = {"issuer": shown["issuer"], "doc_number": shown["doc_number"],
                **{f"{key}_text": "\n".join(shown[key]) for key in ("features", "problems", "suggestions")}}
    return render(request, "briefings/overview.html", {
        "meeting": meeting, "pack": built, "editor": editor, "form": form, "problems": problems,
        "from_draft": not shown["edited"], "history": Overview.objects.filter(meeting=meeting)
        .select_related("written_by").order_by("-version"),
        "max": OVERVIEW_TEXT_MAX, "issuer_max": ISSUER_MAX, "doc_number_max": DOC_NUMBER_MAX,
    }, status=400 if problems else 200)
