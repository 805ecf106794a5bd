"""重点项目 pages: the region's 调度表 (发改局, leaders, the offices), a unit's own projects, a project with its
monthly report form and history, the import, the export and the thresholds. Views parse, authorize, render."""

from django.contrib import messages
from django.db.models import Q
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.core.dbrouter import reads_replica
from luoshi.core.exports import http_response
from luoshi.core.import_view import import_page
from luoshi.core.problems import Rejected
from luoshi.orgs.access import access_for, get_region_for_user
from luoshi.orgs.models import Region, RegionLevel
from luoshi.projects import access, queries, rules, services
from luoshi.projects.exports import ProblemList, ScheduleTable
from luoshi.projects.models import MonthlyReport, PoolMove, Problem, ReportPhoto
from luoshi.projects.transfers import importer_for
from luoshi.work.services import ALLOWED_ATTACHMENTS


def _period(request, source=None):
    raw = (source or request.GET).get("period", "")
    if raw:
        try:
            return services.parse_month(raw)
        except Rejected as rejected:
            messages.error(request, f"{rejected}，已按本月显示")
    return services.month_of(timezone.localdate())


def _default_region(user):
    """The county the person works in: the first county-level scope of a region role, else their unit's county."""
    for region in access_for(user).scope_regions:
        while region is not None and region.level in (RegionLevel.TOWN, RegionLevel.VILLAGE):
            region = region.parent
        if region is not None and region.level == RegionLevel.COUNTY:
            return region
    return Region.objects.filter(level=RegionLevel.COUNTY, projects__isnull=False).first()


def _region(request, source=None):
    code = ((source or request.GET).get("region") or "").strip()[:12]
    if code:
        return get_region_for_user(request.user, code)
    region = _default_region(request.user)
    if region is None:
        raise Http404("没有可查看的地区")
    return region


@login_required
def index(request):
    access.require_reader(request.user)
    region = _default_region(request.user)
    if region is not None and access.can_read_region(request.user, region):
        return redirect(f"{_url('projects:table')}?region={region.code}")
    return redirect("projects:mine")


def _url(name):
    from django.urls import reverse

    return reverse(name)


@login_required
@reads_replica
def table(request):
    """The region's 调度表 for a month: every project judged, the rates, who has not reported, the groups."""
    access.require_reader(request.user)
    region = _region(request)
    access.require_region_reader(request.user, region)
    period = _period(request)
    state = queries.status(region, period)
    person = getattr(request.user, "person", None)
    mine = [r for r in state["projects"] if person is not None and r["leader_id"] == person.pk]
    return render(request, "projects/table.html", {
        "state": state, "region": region, "period": period, "summary": state["summary"],
        "red": [r for r in state["projects"] if r["light"] == rules.RED], "mine": mine,
        "can_manage": access.can_manage_region(request.user, region), "light_labels": rules.LIGHT_LABELS,
        "chart": queries.chart(state), "regions": access.managed_regions(request.user)})


@login_required
@reads_replica
def ranking(request):
    """The city's counties ranked by 投资完成率 and 开工率 for a month (queries.county_ranking): totals and rates per
    county; a county links to its table when the reader may open it."""
    access.require_reader(request.user)
    code = request.GET.get("city")
    if not code:
        region = _default_region(request.user)
        code = region.parent.code if region is not None and region.parent_id else ""
    city = access.get_city_for_user(request.user, code)
    period = _period(request)
    rows = queries.county_ranking(city, period)
    counties = {county.code: county for county in Region.objects.filter(parent=city)}
    for row in rows:
        row["may_open"] = access.can_read_region(request.user, counties[row["code"]])
    return render(request, "projects/ranking.html", {
        "city": city, "period": period, "rows": rows, "pace": rules.pace(period.month),
        "chart": {"title": f"各区县投资完成率和开工率（1-{period.month}月）",
                  "names": [r["name"] for r in rows if r["count"]],
                  "completion": [_float(r["completion_rate"]) for r in rows if r["count"]],
                  "start": [_float(r["start_rate"]) for r in rows if r["count"]]}})


def _float(value):
    return float(value) if value is not None else None


@login_required
def mine(request):
    """A unit's (or a town's) own projects for the month, each with its report state and the way to report."""
    access.require_reader(request.user)
    period = _period(request)
    unit_ids = access.reporting_unit_ids(request.user)
    projects = access.visible_projects(request.user)
    rows = []
    regions = {p.region_id: p.region for p in projects.select_related("region")}
    for region in regions.values():
        state = queries.status(region, period, projects=projects)
        rows += state["projects"]
    for row in rows:
        row["can_report"] = row["unit_id"] in unit_ids
    return render(request, "projects/mine.html", {"rows": rows, "period": period, "light_labels": rules.LIGHT_LABELS,
                                                  "missing": [r for r in rows if r["can_report"] and not r["reported"]]})


def _project_context(request, project, period):
    state = queries.status(project.region, period, projects=type(project).objects.filter(pk=project.pk))
    row = state["projects"][0] if state["projects"] else None
    moves = queries.moves(project)
    pending = next((m for m in moves if m.status == rules.PENDING), None)
    user = request.user
    return {"project": project, "period": period, "row": row, "history": queries.project_history(project),
            "moves": moves, "pending_move": pending, "nodes": queries.node_dates(project),
            "can_request_move": access.can_request_move(user, project) and pending is None,
            "move_choices": [(k, rules.MOVES[k]) for k in rules.REQUESTED_MOVES
                             if rules.move_target(k, project.pool)[0] is not None],
            "can_decide_move": pending is not None and access.can_decide_move(user, pending),
            "decide_refusal": access.move_decision_refusal(user, pending) if pending is not None else None,
            "problems": queries.problem_list(project.region, timezone.localdate(), solved=True,
                                             projects=type(project).objects.filter(pk=project.pk))["rows"],
            "can_raise_problem": access.can_raise_problem(user, project),
            "problem_kinds": rules.PROBLEM_KINDS, "problem_levels": rules.PROBLEM_LEVELS,
            "problem_units": _problem_units(project) if access.can_raise_problem(user, project) else [],
            "solvable": {p.pk for p in Problem.objects.filter(project=project, state=rules.OPEN)
                         if access.can_solve_problem(user, p)},
            "can_report": access.can_report(request.user, project), "light_labels": rules.LIGHT_LABELS,
            "funding": list(project.funding.all()), "year_plans": list(project.year_plans.all()),
            "accept": ",".join(ALLOWED_ATTACHMENTS), "max_month": f"{timezone.localdate():%Y-%m}",
            "pace": rules.pace(period.month),
            "current": MonthlyReport.objects.filter(project=project, period=period, is_current=True).first()}


@login_required
def project(request, pk):
    item = access.get_project_for_user(request.user, pk)
    period = _period(request)
    context = _project_context(request, item, period)
    if request.GET.get("corrects") and context["can_report"]:
        context["corrects"] = MonthlyReport.objects.filter(pk=_int(request.GET["corrects"]), project=item,
                                                           is_current=True).first()
        if context["corrects"] is not None and context["corrects"].period != period:
            context = {**_project_context(request, item, context["corrects"].period), "corrects": context["corrects"]}
    return render(request, "projects/project.html", context)


@login_required
@require_POST
def report(request, pk):
    """The unit's monthly report (or its correction): 本月完成投资, 形象进度 with photos, 存在问题."""
    item = access.get_project_for_user(request.user, pk, write=True)
    period = _period(request, request.POST)
    corrects = None
    problems = []
    if request.POST.get("corrects"):
        corrects = MonthlyReport.objects.filter(pk=_int(request.POST["corrects"]), project=item).first()
        if corrects is None:
            problems.append("要更正的报告不存在")
    try:
        if problems:
            raise Rejected(problems)
        services.submit_report(request.user, item, period=period, amount=request.POST.get("amount", "").strip() or None,
                               progress=request.POST.get("progress", ""), problems=request.POST.get("problems", ""),
                               photos=request.FILES.getlist("photos"), corrects=corrects,
                               correction_note=request.POST.get("correction_note", ""))
    except Rejected as rejected:
        context = _project_context(request, item, period)
        context.update(report_problems=rejected.messages, posted=request.POST, corrects=corrects)
        return render(request, "projects/project.html", context, status=400)
    messages.success(request, f"{period.year}年{period.month}月调度已报送。" if corrects is None
                     else "更正已保存为新版本，原版本仍可查阅。")
    return redirect(f"{_url_for(item)}?period={period:%Y-%m}")


def _url_for(item):
    from django.urls import reverse

    return reverse("projects:project", args=[item.pk])


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def photo(request, pk):
    item = ReportPhoto.objects.select_related("report").filter(pk=pk).first()
    if item is None:
        raise Http404("附件不存在")
    access.get_report_for_user(request.user, item.report)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@reads_replica
def export(request):
    access.require_reader(request.user)
    region = _region(request)
    access.require_region_reader(request.user, region)
    return http_response(ScheduleTable(queries.status(region, _period(request))), request.GET.get("format", "xlsx"))


@login_required
def import_view(request):
    if not access.can_manage_some_pool(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有发展和改革局可以导入重点项目调度表")
    source = request.POST if request.method == "POST" else request.GET
    regions = list(access.managed_regions(request.user))
    code = (source.get("region") or "").strip()[:12]
    region = next((r for r in regions if r.code == code), None) or (regions[0] if len(regions) == 1 else None)
    refuse = None
    period = services.month_of(timezone.localdate())
    if request.method == "POST":
        try:
            period = services.parse_month(source.get("period", ""))
        except Rejected as rejected:
            refuse = str(rejected)
        if region is None:
            refuse = refuse or "请选择地区"
    importer = importer_for(region, period, dry_run=bool(source.get("dry_run"))) if region else None
    success = f"{_url('projects:table')}?region={region.code if region else ''}&period={period:%Y-%m}"
    return import_page(request, importer, "projects/import.html", success,
                       {"regions": regions, "region": region, "period": period}, refuse=refuse)


@login_required
def thresholds(request):
    """The region's thresholds for the lights (发改局); everyone who reads the table sees them on it."""
    region = _region(request, request.POST if request.method == "POST" else None)
    access.require_region_manager(request.user, region)
    current = queries.thresholds_for(region)
    problems = None
    if request.method == "POST":
        fields = ["yellow_gap", "red_gap", "start_yellow_months", "start_red_months", "statistics_yellow_months",
                  "statistics_red_months"]
        try:
            services.save_thresholds(request.user, region, **{f: request.POST.get(f, "").strip() for f in fields})
        except Rejected as rejected:
            problems = rejected.messages
        else:
            messages.success(request, f"{region.name}的项目亮灯阈值已保存。")
            return redirect(f"{_url('projects:table')}?region={region.code}")
    fields = ["yellow_gap", "red_gap", "start_yellow_months", "start_red_months", "statistics_yellow_months",
              "statistics_red_months"]
    values = {f: (request.POST.get(f, "") if problems else str(getattr(current, f))) for f in fields}
    return render(request, "projects/thresholds.html", {"region": region, "values": values, "problems": problems},
                  status=400 if problems else 200)


# The pools' workflow: 增补/退库 requests and decisions, 要素保障 problems ---------------------------------------

def _problem_units(project):
    from luoshi.orgs.models import Unit

    return list(Unit.objects.filter(region__code__startswith=project.region.prefix).order_by("code"))


def _project_page(request, item, status, **extra):
    context = _project_context(request, item, _period(request))
    context.update(extra)
    return render(request, "projects/project.html", context, status=status)


@login_required
@require_POST
def request_move(request, pk):
    """发改局 asks to 增补 or 退库 a project, with a reason; a leader of the region decides."""
    item = access.get_project_for_user(request.user, pk)
    access.require_move_requester(request.user, item)
    try:
        move = services.request_move(request.user, item, kind=request.POST.get("kind", ""),
                                     reason=request.POST.get("reason", ""))
    except Rejected as rejected:
        return _project_page(request, item, 400, move_problems=rejected.messages, posted_move=request.POST)
    messages.success(request, f"{move.get_kind_display()}申请已提交，等待区领导审批。")
    return redirect(f"{_url_for(item)}#pool")


@login_required
@require_POST
def decide_move(request, pk):
    """A leader of the region approves or refuses a 增补/退库 request."""
    move = access.get_move_for_user(request.user, pk)
    access.require_move_decider(request.user, move)
    decision, note = request.POST.get("decision", ""), request.POST.get("note", "")
    try:
        if decision == "approve":
            services.approve_move(request.user, move, note)
        elif decision == "refuse":
            services.refuse_move(request.user, move, note)
        else:
            raise Rejected("请选择「批准」或「不予批准」")
    except Rejected as rejected:
        return _project_page(request, move.project, 400, decide_problems=rejected.messages)
    messages.success(request, f"已{'批准' if decision == 'approve' else '不予批准'}「{move.project.name}」的"
                              f"{move.get_kind_display()}申请。")
    return redirect(f"{_url_for(move.project)}#pool")


@login_required
def moves(request):
    """The 增补/退库 requests of a region: pending ones first (what the leader decides), then the decided ones."""
    access.require_reader(request.user)
    region = _region(request)
    access.require_region_reader(request.user, region)
    q = Q(project__region__code__startswith=region.prefix)
    pending = queries.pending_moves(q)
    for move in pending:
        move.may_decide = access.can_decide_move(request.user, move)
    decided = list(PoolMove.objects.filter(q, kind__in=rules.REQUESTED_MOVES).exclude(status=rules.PENDING)
                   .select_related("project", "requested_by", "decided_by").order_by("-decided_at", "-id")[:100])
    return render(request, "projects/moves.html", {"region": region, "pending": pending, "decided": decided})


@login_required
@require_POST
def raise_problem(request, pk):
    item = access.get_project_for_user(request.user, pk)
    access.require_problem_raiser(request.user, item)
    from luoshi.orgs.models import Unit

    unit = Unit.objects.filter(code=request.POST.get("unit", "")[:32]).select_related("region").first()
    try:
        services.raise_problem(request.user, item, kind=request.POST.get("kind", ""), level=request.POST.get("level", ""),
                               unit=unit, deadline=request.POST.get("deadline", ""), text=request.POST.get("text", ""))
    except Rejected as rejected:
        return _project_page(request, item, 400, problem_problems=rejected.messages, posted_problem=request.POST)
    messages.success(request, "要素保障问题已记录。")
    return redirect(f"{_url_for(item)}#problems")


@login_required
@require_POST
def solve_problem(request, pk):
    problem = access.get_problem_for_user(request.user, pk, write=True)
    try:
        services.solve_problem(request.user, problem, solution=request.POST.get("solution", ""),
                               solved_on=request.POST.get("solved_on", "") or None)
    except Rejected as rejected:
        return _project_page(request, problem.project, 400, solve_problems=rejected.messages, solving=problem.pk,
                             posted_solve=request.POST)
    messages.success(request, "问题已办结。")
    return redirect(f"{_url_for(problem.project)}#problems")


@login_required
@reads_replica
def problems(request):
    """The 调度会's list of a region's 要素保障 problems, longest waiting first; ?format=xlsx downloads it."""
    access.require_reader(request.user)
    region = _region(request)
    access.require_region_reader(request.user, region)
    state = queries.problem_list(region, timezone.localdate(), solved=request.GET.get("all") == "1")
    if request.GET.get("format") in ("xlsx", "csv"):
        return http_response(ProblemList(state), request.GET["format"])
    return render(request, "projects/problems.html", {"state": state, "region": region,
                                                      "all": request.GET.get("all") == "1"})
