"""招商 pipeline pages: the county's board (投促/商务, leaders and offices read it; a unit its own leads), a new lead,
a lead with its stages, evidence and 到位资金 and the forms to move it (on a phone too), the ledger's download.
Views parse, authorize (pipeline/access.py), render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.core.dbrouter import reads_replica
from luoshi.core.exports import http_response
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.orgs.access import access_for, get_region_for_user
from luoshi.orgs.models import Region, RegionLevel, Unit
from luoshi.projects.pipeline import access, queries, rules, services
from luoshi.projects.pipeline.exports import Ledger
from luoshi.projects.pipeline.models import Arrival, LeadStage, StageEvidence
from luoshi.projects.services import month_of, parse_month
from luoshi.work.services import ALLOWED_ATTACHMENTS


def _period(request, source=None):
    raw = (source or request.GET).get("period", "")
    if raw:
        try:
            return parse_month(raw, "月份")
        except Rejected as rejected:
            messages.error(request, f"{rejected}，已按本月显示")
    return month_of(timezone.localdate())


def _county(region):
    while region is not None and region.level in (RegionLevel.TOWN, RegionLevel.VILLAGE):
        region = region.parent
    return region if region is not None and region.level == RegionLevel.COUNTY else None


def _region(request, source=None):
    code = ((source or request.GET).get("region") or "").strip()[:12]
    if code:
        return get_region_for_user(request.user, code)
    for region in [*access.keeper_regions(request.user), *access_for(request.user).scope_regions]:
        county = _county(region)
        if county is not None:
            return county
    county = Region.objects.filter(level=RegionLevel.COUNTY, leads__isnull=False).first()
    if county is None:
        raise Http404("没有可查看的地区")
    return county


def _day(raw, label):
    return parse_day((raw or "").strip(), label) if (raw or "").strip() else None


def _board_url(region, period):
    return f"{reverse('projects:pipeline')}?region={region.code}&period={period:%Y-%m}"


@login_required
@reads_replica
def board(request):
    """The county's 招商 board for a month: the rates, the funnel, the funds by month, per unit and town, the signed
    leads without progress, every lead. A unit without the whole county's board sees its own leads."""
    access.require_reader(request.user)
    code = request.GET.get("region", "").strip()[:12]
    region = Region.objects.filter(code=code).first() if code else _region(request)
    if region is None:
        raise Http404(f"地区 {code} 不存在")
    whole = access.can_read_board(request.user, region)
    if not whole and not access.is_unit(request.user):
        raise PermissionDenied(f"您无权查看{region.name}的招商项目台账")
    period = _period(request)
    state = queries.board(region, period, leads=None if whole else access.visible_leads(request.user))
    return render(request, "projects/pipeline/board.html", {
        "state": state, "summary": state["summary"], "region": region, "period": period, "whole": whole,
        "chart": queries.chart(state), "can_add": access.keeps(request.user, region), "stages": rules.STAGE_LABELS,
        "stall_months": rules.STALL_MONTHS})


@login_required
@reads_replica
def export(request):
    access.require_reader(request.user)
    region = _region(request)
    access.require_board_reader(request.user, region)
    return http_response(Ledger(queries.board(region, _period(request))), request.GET.get("format", "xlsx"))


def _choices(region):
    units = Unit.objects.filter(region__code__startswith=region.prefix).exclude(kind="village").order_by("code")
    towns = Region.objects.filter(parent=region, level=RegionLevel.TOWN).order_by("code")
    return {"units": units, "towns": towns, "capitals": rules.CAPITALS}


def _unit_and_town(data):
    """The posted 责任单位 and town (None where the code names none: the service says what is missing)."""
    unit = Unit.objects.filter(code=data.get("unit", "")[:32]).select_related("region").first()
    town = Region.objects.filter(code=data.get("town", "")[:12]).first() if data.get("town") else None
    return unit, town


@login_required
def new_lead(request):
    """A new lead in the county's ledger (商务局 / 投资促进中心)."""
    source = request.POST if request.method == "POST" else request.GET
    region = _region(request, source)
    access.require_keeper(request.user, region)
    problems = None
    if request.method == "POST":
        data = request.POST
        try:
            unit, town = _unit_and_town(data)
            lead, outcome = services.save_lead(
                request.user, region=region, name=data.get("name", ""), unit=unit, town=town,
                capital=data.get("capital", ""), investor=data.get("investor", ""), industry=data.get("industry", ""),
                content=data.get("content", ""), country=data.get("country", ""),
                contract_investment=data.get("contract_investment", "").strip() or None,
                contract_usd=data.get("contract_usd", "").strip() or None,
                lead_on=_day(data.get("lead_on"), "线索日期"), note=data.get("note", ""))
        except Rejected as rejected:
            problems = rejected.messages
        else:
            messages.success(request, f"已登记招商项目「{lead.name}」。" if outcome == "created" else
                             f"「{lead.name}」已在台账中，{'已保存修改' if outcome == 'updated' else '没有变化'}。")
            return redirect("projects:pipeline_lead", pk=lead.pk)
    return render(request, "projects/pipeline/new.html", {
        "region": region, "problems": problems, "posted": request.POST if problems else {},
        "today": timezone.localdate(), **_choices(region)}, status=400 if problems else 200)


@login_required
def edit_lead(request, pk):
    """Change a lead's details (its name too); the ledger's keepers."""
    item = access.get_lead_for_user(request.user, pk)
    access.require_keeper(request.user, item.region)
    problems = None
    if request.method == "POST":
        data = request.POST
        try:
            unit, town = _unit_and_town(data)
            outcome = services.edit_lead(
                request.user, item, name=data.get("name", ""), unit=unit, town=town, capital=data.get("capital", ""),
                investor=data.get("investor", ""), industry=data.get("industry", ""), content=data.get("content", ""),
                country=data.get("country", ""), contract_investment=data.get("contract_investment", "").strip() or None,
                contract_usd=data.get("contract_usd", "").strip() or None)
        except Rejected as rejected:
            problems = rejected.messages
        else:
            messages.success(request, "已保存修改。" if outcome == "updated" else "没有变化。")
            return redirect("projects:pipeline_lead", pk=item.pk)
    posted = request.POST if problems else {
        "name": item.name, "investor": item.investor, "industry": item.industry, "content": item.content,
        "unit": item.unit.code, "town": item.town.code if item.town_id else "", "capital": item.capital,
        "country": item.country, "contract_investment": item.contract_investment if item.contract_investment is not None else "",
        "contract_usd": item.contract_usd if item.contract_usd is not None else ""}
    return render(request, "projects/pipeline/new.html", {
        "region": item.region, "lead": item, "problems": problems, "posted": posted, "today": timezone.localdate(),
        **_choices(item.region)}, status=400 if problems else 200)


def _lead_context(request, lead, **extra):
    today = timezone.localdate()
    reached = services.reached(lead)
    top, _ = rules.furthest(reached)
    history = queries.lead_history(lead)
    next_stages = [(s, rules.STAGE_LABELS[s]) for s in rules.STAGES if top is None or rules.index(s) > rules.index(top)]
    from luoshi.projects.models import Project

    return {"lead": lead, "history": history, "reached": [(rules.STAGE_LABELS[s], reached.get(s)) for s in rules.STAGES],
            "next_stages": next_stages, "can_write": access.can_write(request.user, lead),
            "can_edit": access.keeps(request.user, lead.region),
            "accept": ",".join(ALLOWED_ATTACHMENTS), "today": today, "this_month": f"{today:%Y-%m}",
            "project": Project.objects.filter(source=services.SOURCE, source_id=lead.pk).first(),
            "capitals": rules.CAPITALS if lead.capital == rules.FOREIGN else {rules.DOMESTIC: "内资"},
            "evidence_needed": rules.EVIDENCE_NEEDED, **extra}


@login_required
def lead(request, pk):
    item = access.get_lead_for_user(request.user, pk)
    extra = {}
    if request.GET.get("correct_stage"):
        extra["correcting"] = LeadStage.objects.filter(pk=_int(request.GET["correct_stage"]), lead=item, is_current=True).first()
    if request.GET.get("correct_funds"):
        extra["correcting_funds"] = Arrival.objects.filter(pk=_int(request.GET["correct_funds"]), lead=item,
                                                           is_current=True).first()
    return render(request, "projects/pipeline/lead.html", _lead_context(request, item, **extra))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _refused(request, item, rejected, **extra):
    return render(request, "projects/pipeline/lead.html",
                  _lead_context(request, item, posted=request.POST, **extra, problems=rejected.messages), status=400)


@login_required
@require_POST
def stage(request, pk):
    """The lead reached a stage: its day, a note, the evidence (and at 签约 the 合同投资额)."""
    item = access.get_lead_for_user(request.user, pk, write=True)
    data = request.POST
    try:
        row, project = services.advance(
            request.user, item, stage=data.get("stage", ""), day=_day(data.get("day"), "日期"), note=data.get("note", ""),
            files=request.FILES.getlist("evidence"),
            contract_investment=data.get("contract_investment", "").strip() or None,
            contract_usd=data.get("contract_usd", "").strip() or None)
    except Rejected as rejected:
        return _refused(request, item, rejected, form="stage")
    text = f"已记录{row.stage_label}（{row.day.year}年{row.day.month}月{row.day.day}日）。"
    if project is not None:
        text += f"项目已转入项目库（在建）：{project.name}，请发改局补充本年计划投资。"
    messages.success(request, text)
    return redirect("projects:pipeline_lead", pk=item.pk)


@login_required
@require_POST
def correct_stage(request, pk):
    row = LeadStage.objects.filter(pk=pk).first()
    if row is None:
        raise Http404("阶段记录不存在")
    item = access.get_lead_for_user(request.user, row.lead_id, write=True)
    data = request.POST
    try:
        services.correct_stage(request.user, row, day=_day(data.get("day"), "日期"), note=data.get("note", ""),
                               files=request.FILES.getlist("evidence"), correction_note=data.get("correction_note", ""))
    except Rejected as rejected:
        return _refused(request, item, rejected, correcting=row)
    messages.success(request, f"{row.stage_label}的更正已保存为新版本，原版本仍可查阅。")
    return redirect("projects:pipeline_lead", pk=item.pk)


@login_required
@require_POST
def funds(request, pk):
    """到位资金 of a month: 内资 in 万元, 外资 in 万美元 with the rate; or a correction of one (a new version)."""
    item = access.get_lead_for_user(request.user, pk, write=True)
    data = request.POST
    corrects = None
    try:
        if data.get("corrects"):
            corrects = Arrival.objects.filter(pk=_int(data["corrects"]), lead=item).first()
            if corrects is None:
                raise Rejected("要更正的记录不存在")
        capital = rules.CAPITAL_BY_LABEL.get(data.get("capital", ""), data.get("capital", ""))
        row = services.record_arrival(
            request.user, item, period=parse_month(data.get("period", ""), "到位月份"), capital=capital,
            amount=data.get("amount", "").strip() or None, usd=data.get("usd", "").strip() or None,
            fx=data.get("rate", "").strip() or None, note=data.get("note", ""), corrects=corrects,
            correction_note=data.get("correction_note", ""))
    except Rejected as rejected:
        return _refused(request, item, rejected, form="funds", correcting_funds=corrects)
    shown = f"{row.usd}万美元" if row.capital == rules.FOREIGN else f"{row.amount}万元"
    messages.success(request, f"已记录{row.period.year}年{row.period.month}月{row.capital_label}到位资金 {shown}。"
                     if corrects is None else "更正已保存为新版本，原版本仍可查阅。")
    return redirect("projects:pipeline_lead", pk=item.pk)


@login_required
def evidence(request, pk):
    item = StageEvidence.objects.select_related("stage").filter(pk=pk).first()
    if item is None:
        raise Http404("附件不存在")
    access.get_lead_for_user(request.user, item.stage.lead_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
