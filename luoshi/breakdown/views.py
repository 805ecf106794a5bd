"""The breakdown's pages: upload a 方案, review what was read (correct an item's units or deadline, or leave it out),
import it; the units' aliases. Views parse, authorize (breakdown.access) and render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.breakdown import access, queries, rules, services
from luoshi.core.limits import read_upload
from luoshi.core.problems import Rejected
from luoshi.orgs.models import Region

@login_required
def index(request, problems=None, status=200):
    """The office's upload, plans and readings; a leader, the analysis office or statistics read the plans' 落实台账."""
    if not access.can_open(request.user):
        if not access.can_read_plans(request.user):
            access.require_opener(request.user)  # 403 in Chinese
        return render(request, "breakdown/index.html",
                      {"regions": [], "plans": access.readable_plans(request.user), "readings": None})
    regions = access.importable_regions(request.user)
    context = {"regions": regions, "year": queries.year_default(), "problems": problems,
               "plans": queries.plans_of(regions), "readings": queries.readings_of(regions),
               "can_alias": bool(access.alias_regions(request.user)), "form": request.POST if problems else {}}
    return render(request, "breakdown/index.html", context, status=status)


@login_required
@require_POST
def upload(request):
    access.require_opener(request.user)
    code = (request.POST.get("region") or "").strip()
    regions = access.importable_regions(request.user)
    region = next((r for r in regions if r.code == code), regions[0] if len(regions) == 1 and not code else None)
    if region is None:
        found = Region.objects.filter(code=code).first()
        if found is not None:
            access.require_importer(request.user, found)  # 403: another region's office
        return index(request, ["请选择地区"], 400)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        return index(request, ["请选择要导入的 .docx 或 .xlsx 文件"], 400)
    try:
        reading = services.read_plan(request.user, data=read_upload(upload_file), filename=upload_file.name,
                                     region=region, year=request.POST.get("year"))
    except Rejected as rejected:
        return index(request, rejected.messages, 400)
    messages.success(request, f"已读取「{reading.filename}」中的 {len(reading.items)} 项任务，请逐项核对后导入")
    return redirect("breakdown:review", reading.pk)


def _review_context(reading, problems=None):
    review = queries.review(reading.region, reading.year, reading.items, reading)
    return {"reading": reading, "review": review, "counts": review.counts, "problems": problems, "saved": reading.saved_at is not None}


@login_required
def review(request, pk):
    reading = access.get_reading_for_user(request.user, pk)
    return render(request, "breakdown/review.html", _review_context(reading))


def _item_index(reading, raw):
    try:
        index = int(raw)
    except (TypeError, ValueError):
        raise Http404("没有这一项")
    if not 0 <= index < len(reading.items):
        raise Http404("没有这一项")
    return index


@login_required
@require_POST
def correct(request, pk, index):
    reading = access.get_reading_for_user(request.user, pk)
    index = _item_index(reading, index)
    post = request.POST
    fields = {key: post.get(key) for key in ("lead", "responsible", "cooperating", "deadline", "leader")}
    try:
        services.correct_item(request.user, reading, index, skip=post.get("skip") == "1", **fields)
    except Rejected as rejected:
        reading.refresh_from_db()
        return render(request, "breakdown/review.html", _review_context(reading, rejected.messages), status=400)
    messages.success(request, f"已更正第 {index + 1} 项")
    return redirect(reverse("breakdown:review", args=[reading.pk]) + f"#item-{index}")


@login_required
@require_POST
def save(request, pk):
    reading = access.get_reading_for_user(request.user, pk)
    try:
        summary = services.save_reading(request.user, reading)
    except Rejected as rejected:
        reading.refresh_from_db()
        return render(request, "breakdown/review.html", _review_context(reading, rejected.messages), status=400)
    text = (f"已导入「{summary['campaign']}」：新增 {summary['added']} 项，变化 {summary['changed']} 项，"
            f"无变化 {summary['unchanged']} 项，撤回 {summary['withdrawn']} 项，不导入 {summary['skipped']} 项")
    if summary["requests"]:
        text += f"；完成时限的变化已提出 {len(summary['requests'])} 项调整计划申请，经区领导批准后生效"
    messages.success(request, text)
    return redirect("work:index")


@login_required
def aliases(request):
    regions = access.alias_regions(request.user)
    if not regions:
        raise PermissionDenied("只有督查室和系统管理员可以管理单位别名")
    problems, status = None, 200
    if request.method == "POST":
        code = (request.POST.get("region") or "").strip()
        region = next((r for r in regions if r.code == code), regions[0] if len(regions) == 1 and not code else None)
        if region is None:
            found = Region.objects.filter(code=code).first()
            if found is not None:
                access.require_alias_manager(request.user, found)
            problems, status = ["请选择地区"], 400
        else:
            unit_text = (request.POST.get("unit") or "").strip()
            units, problem = queries.UnitNames(region).resolve(unit_text) if unit_text else ([], "请填写单位")
            try:
                if problem or len(units) != 1:
                    raise Rejected(problem or f"「{unit_text}」代表多个单位，请填写一个单位")
                alias = services.add_alias(request.user, region=region, alias=request.POST.get("alias"), unit=units[0])
            except Rejected as rejected:
                problems, status = rejected.messages, 400
            else:
                messages.success(request, f"已添加别名「{alias.alias}」→ {alias.unit.name}")
                return redirect("breakdown:aliases")
    context = {"regions": regions, "aliases": queries.aliases_of(regions), "problems": problems,
               "form": request.POST if problems else request.GET}
    return render(request, "breakdown/aliases.html", context, status=status)


# --- the plan's ledger (台账), 主要预期目标, 通报 ---------------------------------------------------------------------

@login_required
def plan(request, pk):
    plan = access.get_plan_for_user(request.user, pk)
    today = timezone.localdate()
    rows, board = queries.ledger(plan, today)
    return render(request, "breakdown/plan.html", {
        "plan": plan, "rows": rows, "today": today, "fallback_years": board.fallback_years,
        "periods": rules.bulletin_periods(plan.year, max(today, date(plan.year, 1, 1))),
        "can_propose": access.can_import(request.user, plan.region),
        "proposable": sum(len(r.targets) for r in rows if r.item.withdrawn_on is None),
        "can_confirm": access.can_confirm_targets(request.user, plan.region),
        "state_labels": rules.STATE_LABELS})


@login_required
@require_POST
def propose_targets(request, pk):
    plan = access.get_plan_for_user(request.user, pk)
    access.require_importer(request.user, plan.region)
    try:
        made = services.propose_targets(request.user, plan)
    except Rejected as rejected:
        messages.error(request, "；".join(rejected.messages))
    else:
        messages.success(request, f"已提请{plan.region.name}发改局确认 {len(made)} 项主要预期目标")
    return redirect("breakdown:plan", plan.pk)


@login_required
def targets(request):
    """The analysis office's list of proposed 主要预期目标 of its regions, to confirm or decline."""
    from luoshi.breakdown.models import TargetLink, TargetStatus

    regions = access.target_regions(request.user)
    if not regions:
        raise PermissionDenied("只有发改局可以确认主要预期目标")
    links = list(TargetLink.objects.filter(item__plan__region__in=regions)
                 .select_related("item__plan__region", "item__task", "proposed_by", "decided_by")
                 .order_by("status", "-proposed_at", "-id")[:500])
    return render(request, "breakdown/targets.html", {
        "pending": [l for l in links if l.status == TargetStatus.PROPOSED],
        "decided": [l for l in links if l.status != TargetStatus.PROPOSED][:100]})


@login_required
@require_POST
def decide_target(request, pk, action):
    link = access.get_target_link_for_user(request.user, pk)
    try:
        if action == "confirm":
            services.confirm_target(request.user, link, request.POST.get("note", ""))
            messages.success(request, f"已确认：{link.phrase}，已写入{link.item.plan.year}年目标并关联任务 {link.item.task.number}")
        else:
            services.decline_target(request.user, link, request.POST.get("note", ""))
            messages.success(request, f"未采纳：{link.phrase}")
    except Rejected as rejected:
        messages.error(request, "；".join(rejected.messages))
        return redirect("breakdown:targets")
    return redirect("breakdown:targets")


@login_required
def bulletin(request, pk):
    """The 通报 of a month or quarter (?period=2026-03 / 2026-Q1; default the last month begun): page, .docx, xlsx."""
    from luoshi.breakdown import exports, word
    from luoshi.core.exports import http_response

    plan = access.get_plan_for_user(request.user, pk)
    today = timezone.localdate()
    choices = rules.bulletin_periods(plan.year, max(today, date(plan.year, 1, 1)))
    raw = request.GET.get("period") or next((p.code for p in choices if "Q" not in p.code), f"{plan.year}-01")
    try:
        period = rules.bulletin_period(raw, plan.year)
    except ValueError as error:
        return render(request, "breakdown/bulletin.html", {"plan": plan, "periods": choices, "problems": [str(error)]},
                      status=400)
    found = queries.bulletin(plan, period, today)
    fmt = request.GET.get("format")
    if fmt == "docx":
        return word.http_response(word.bulletin_docx(found, today), word.filename(found))
    if fmt == "xlsx":
        return http_response(exports.BulletinExport(found))
    if fmt:
        return render(request, "breakdown/bulletin.html", {"plan": plan, "periods": choices,
                                                           "problems": [f"未知的格式「{fmt[:20]}」（应为 docx 或 xlsx）"]},
                      status=400)
    from luoshi.breakdown.word import summary_sentence, unit_table_rows

    return render(request, "breakdown/bulletin.html", {
        "plan": plan, "periods": choices, "bulletin": found, "period": period, "summary": summary_sentence(found),
        "unit_rows": unit_table_rows(found), "state_labels": rules.STATE_LABELS})
