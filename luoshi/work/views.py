"""Key-work pages: overview, a unit's tasks, a task with its report form and history, the Gantt chart, import/export."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.core.dbrouter import reads_replica
from luoshi.core.exports import http_response
from luoshi.core.import_view import import_page
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.orgs.access import access_for
from luoshi.orgs.models import REGION_ROLES, Role, Unit
from luoshi.orgs.queries import acting_label
from luoshi.work import access as work_access
from luoshi.work import exports, queries, rules, services
from luoshi.work.gantt import gantt_response, gantt_rows, gantt_script
from luoshi.work.models import ProgressReport, ReportAttachment, TaskRole, TaskUnit
from luoshi.work.transfers import COLUMNS, import_schedule
from luoshi.work.views_chain import chain_context
from luoshi.work.views_rebaseline import task_requests


def _as_of(request):
    raw = request.GET.get("on")
    if raw:
        try:
            return parse_day(raw, "判定日期")
        except Rejected as rejected:
            messages.error(request, f"{rejected}，已按今天显示")
    return timezone.localdate()


def _against(request):
    """Judge lateness against the current plan (default) or the first planned dates (?against=baseline)."""
    raw = request.GET.get("against") or queries.CURRENT
    if raw not in queries.AGAINST:
        messages.error(request, f"无法识别的判定依据「{raw[:20]}」，已按现行计划判定")
        return queries.CURRENT
    return raw


def _latest_report(user):
    """The newest report date the user can see: a quick way to judge an old plan (the 2020 demo) as of its last report."""
    return ProgressReport.objects.filter(task__in=work_access.visible_tasks(user).values("id")).aggregate(
        latest=Max("reported_on"))["latest"]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@reads_replica
def index(request):
    work_access.require_reader(request.user)
    access = access_for(request.user)
    if not access.is_admin and access.roles <= {Role.UNIT, Role.REPORTER}:
        return redirect("work:mine")
    as_of, against = _as_of(request), _against(request)
    board = queries.board(as_of, work_access.task_filter(request.user), against=against)
    by_campaign = board.by_campaign()
    manageable = work_access.manageable_campaign_ids(request.user, list(by_campaign))
    campaigns = [{"name": c["name"], "id": cid, "plan_set_at": c["plan_set_at"], "report_cycle": c["report_cycle"], "tasks": sum(by_campaign[cid]["light"].values()),
                  "status_list": [by_campaign[cid]["status"][s] for s in rules.STATUSES], "can_manage": cid in manageable,
                  "report_cycle_label": rules.CYCLES.get(c["report_cycle"], ""),
                  "report_due_day": c["report_due_day"], "due_day_text": rules.due_day_text(c["report_cycle"], c["report_due_day"]),
                  **by_campaign[cid]}
                 for cid, c in board.campaigns.items() if cid in by_campaign]
    by_unit = board.by_unit()
    units = sorted(({"name": board.units.get(uid, ""), "id": uid, "tasks": sum(v["light"].values()), **v}
                    for uid, v in by_unit.items()), key=lambda u: (-u["light"]["red"], -u["light"]["yellow"], u["name"]))
    tasks = {t["id"]: t for t in board.tasks}
    overdue = sorted((m for m in board.milestones if m["status"] in (rules.OVERDUE, rules.SERIOUSLY_OVERDUE)),
                     key=lambda m: (-m["working_days_late"], m["number"]))
    for m in overdue:
        m["task"] = tasks[m["task_id"]]
    silent = sorted((t for t in board.tasks if t["missed_periods"]), key=lambda t: (-t["missed_periods"], t["number"]))
    mine = []
    if access.has_role(Role.LEADER) and not access.is_admin:
        led = set(work_access.visible_tasks(request.user).filter(leader__user=request.user).values_list("id", flat=True))
        mine = [t for t in board.tasks if t["id"] in led]
    return render(request, "work/index.html", {
        "as_of": as_of, "board": board, "fallback_years": board.fallback_years, "campaigns": campaigns,
        "against": against, "against_choices": queries.AGAINST,
        "latest_report": _latest_report(request.user), "units": units, "overdue": overdue, "mine": mine,
        "silent": silent, "serious_missed": rules.SERIOUS_MISSED_PERIODS,
        "is_leader": access.has_role(Role.LEADER) and not access.is_admin, "can_manage": work_access.can_manage_plan(request.user),
        "can_read_region": bool(access.regions_for(*REGION_ROLES)),
        "status_labels": rules.STATUS_LABELS, "light_labels": rules.LIGHT_LABELS, "cycles": rules.CYCLES,
    })


@login_required
def mine(request):
    work_access.require_reader(request.user)
    as_of = _as_of(request)
    access = access_for(request.user)
    unit_ids = [u.pk for u in access.units_for(Role.UNIT)]
    board = queries.board(as_of, work_access.task_filter(request.user))
    roles = {}
    for task_id, role in TaskUnit.objects.filter(unit_id__in=unit_ids).values_list("task_id", "role"):
        if roles.get(task_id) not in (TaskRole.LEAD, TaskRole.RESPONSIBLE):
            roles[task_id] = role
    reportable = set(work_access.reporting_task_ids(request.user).values_list("task_id", flat=True))
    last_reports = dict(ProgressReport.objects.filter(task_id__in=[t["id"] for t in board.tasks], is_current=True,
                                                       unit_id__in=unit_ids).order_by("reported_on")
                        .values_list("task_id", "reported_on"))
    rows = []
    for task in board.tasks:
        if task["id"] not in roles and not access.is_admin:
            continue
        task["my_role"] = TaskRole(roles[task["id"]]).label if task["id"] in roles else ""
        task["can_report"] = task["id"] in reportable
        task["last_report"] = last_reports.get(task["id"])
        rows.append(task)
    rows.sort(key=lambda t: (not t["can_report"], {"red": 0, "yellow": 1, "green": 2}[t["light"]],
                             t["next_due"]["effective_due"] if t["next_due"] else date.max))
    return render(request, "work/mine.html", {"as_of": as_of, "tasks": rows, "units": access.units_for(Role.UNIT),
                                              "fallback_years": board.fallback_years, "status_labels": rules.STATUS_LABELS,
                                              "latest_report": _latest_report(request.user),
                                              "light_labels": rules.LIGHT_LABELS,
                                              "serious_missed": rules.SERIOUS_MISSED_PERIODS})


def _task_context(request, task, as_of):
    board = queries.board(as_of, work_access.task_filter(request.user) & Q(pk=task.pk))
    judged = board.tasks[0]
    series = {}
    reports = (task.reports.select_related("unit", "submitted_by").prefetch_related("completions__milestone", "attachments", "inputs__unit")
               .order_by("-reported_on", "-series", "-version"))
    for report in reports:
        series.setdefault(report.series, []).append(report)
    units = {role: [] for role in TaskRole}
    for tu in task.task_units.select_related("unit"):
        units[tu.role].append(tu.unit)
    milestones = {m.pk: m for m in task.milestones.prefetch_related("rebaselines")}
    reporting = work_access.reporting_units(request.user, task)
    proxy = work_access.proxy_units(request.user, task)
    for m in judged["milestones"]:
        m["rebaselines"] = list(milestones[m["id"]].rebaselines.all())
    return {
        "task": task, "judged": judged, "as_of": as_of, "report_series": list(series.values()),
        "lead": units[TaskRole.LEAD], "responsible": units[TaskRole.RESPONSIBLE], "cooperating": units[TaskRole.COOPERATING],
        "can_report": bool(reporting) or bool(proxy), "reporting_units": reporting, "proxy_units": proxy,
        "proxy_unit_ids": {u.pk for u in proxy}, "correctable_unit_ids": {u.pk for u in reporting + proxy},
        "proxy_label": acting_label(request.user) if proxy else "",
        "can_manage": work_access.can_manage_plan(request.user, task.campaign) and work_access.can_manage_task(request.user, task),
        "fallback_years": board.fallback_years,
        "status_labels": rules.STATUS_LABELS, "light_labels": rules.LIGHT_LABELS, "today": timezone.localdate(),
        "cycle": rules.CYCLES[task.campaign.report_cycle],
        "due_day_text": rules.due_day_text(task.campaign.report_cycle, task.campaign.report_due_day),
        "report_periods": [{"first": first, "last": last, "due": due, "state": state, "label": rules.REPORT_STATES[state]}
                           for first, last, due, state in queries.task_report_periods(task, as_of)[:6]],
        "serious_missed": rules.SERIOUS_MISSED_PERIODS,
        "accept": ",".join(services.ALLOWED_ATTACHMENTS), "max_mb": services.MAX_ATTACHMENT_BYTES // 1024 // 1024,
        **task_requests(request.user, task),
        **chain_context(request.user, task, as_of),
    }


@login_required
def task_detail(request, pk):
    task = work_access.get_task_for_user(request.user, pk)
    context = _task_context(request, task, _as_of(request))
    corrects = _int(request.GET.get("corrects"))
    if corrects and context["can_report"]:
        report = task.reports.filter(pk=corrects, is_current=True).first()
        if report is not None and work_access.can_correct_report(request.user, report):
            context["corrects"] = report
        _prefill(context)
    return render(request, "work/task.html", context)


def _prefill(context):
    """A correction form starts from the corrected version's completions (a correction replaces them all)."""
    if context.get("corrects") is None:
        return
    dates = dict(context["corrects"].completions.values_list("milestone_id", "done_on"))
    for m in context["judged"]["milestones"]:
        m["prefill"] = dates.get(m["id"])


def _completions(post, task):
    pairs, problems = [], []
    for milestone in task.milestones.all():
        if post.get(f"done_{milestone.pk}"):
            raw = post.get(f"done_on_{milestone.pk}", "")
            try:
                pairs.append((milestone, parse_day(raw, "完成日期")))
            except Rejected as rejected:
                problems.append(f"节点「{milestone.title}」：{rejected}" if raw else f"节点「{milestone.title}」请填写完成日期")
    return pairs, problems


def _proxy_unit(request, task):
    """The unit the office reports for (代报: the form's on_behalf, a unit code), after the check that it may
    (403 in Chinese otherwise); None for a unit's own report."""
    code = request.POST.get("on_behalf", "").strip()
    if not code:
        return None
    unit = Unit.objects.select_related("region").filter(code=code[:32]).first()
    if unit is None:
        raise Http404(f"单位 {code[:32]} 不存在")
    work_access.require_proxy_reporter(request.user, task, unit)
    return unit


@login_required
def report(request, pk):
    """A unit reports on its task (or corrects its report); the office reports for a unit without an account (代报)."""
    proxying = request.method == "POST" and bool(request.POST.get("on_behalf", "").strip())
    task = work_access.get_task_for_user(request.user, pk, write=not proxying)
    if request.method != "POST":
        return redirect("work:task", pk=task.pk)
    on_behalf = _proxy_unit(request, task)
    completions, problems = _completions(request.POST, task)
    corrects = None
    if request.POST.get("corrects"):
        corrects = task.reports.filter(pk=_int(request.POST["corrects"])).first()
        if corrects is None:
            problems.append("要更正的报告不存在")
    inputs = list(task.coop_inputs.filter(pk__in=[i for i in map(_int, request.POST.getlist("inputs")) if i],
                                          is_current=True))
    try:
        if problems:
            raise Rejected(problems)
        services.submit_report(request.user, task, percent=request.POST.get("percent"), inputs=inputs,
                               done_text=request.POST.get("done_text", ""), problems=request.POST.get("problems", ""),
                               completions=completions, attachments=request.FILES.getlist("attachments"),
                               corrects=corrects, correction_note=request.POST.get("correction_note", ""),
                               unit=on_behalf, on_behalf=on_behalf is not None,
                               proxy_source=request.POST.get("proxy_source", ""))
    except Rejected as rejected:
        context = _task_context(request, task, timezone.localdate())
        context.update(report_problems=rejected.messages, posted=request.POST, corrects=corrects)
        for m in context["judged"]["milestones"]:
            m["checked"] = bool(request.POST.get(f"done_{m['id']}"))
            m["prefill_text"] = request.POST.get(f"done_on_{m['id']}", "")
        return render(request, "work/task.html", context, status=400)
    if on_behalf is not None:
        messages.success(request, f"已为{on_behalf.name}代报进度（记录为代报）。" if corrects is None
                         else f"已为{on_behalf.name}代报更正，原版本仍可查阅。")
    else:
        messages.success(request, "进度已报送。" if corrects is None else "更正已保存为新版本，原版本仍可查阅。")
    return redirect("work:task", pk=task.pk)


@login_required
@require_POST
def set_plan(request, pk):
    campaign = work_access.get_campaign_for_user(request.user, pk, write=True)
    services.set_plan(request.user, campaign)
    messages.success(request, f"「{campaign.name}」的计划已确定，此后调整节点日期须填写原因，原定日期保留。")
    return redirect("work:index")


@login_required
@require_POST
def set_cycle(request, pk):
    campaign = work_access.get_campaign_for_user(request.user, pk, write=True)
    raw_day = request.POST.get("report_due_day", "").strip()
    try:
        if raw_day and not (raw_day.isascii() and raw_day.isdigit() and len(raw_day) <= 3):
            raise Rejected(f"报送截止日「{raw_day[:20]}」应为整数：按月填每月几日（1–31），按周填星期几（1–7）；留空为默认")
        campaign = services.save_campaign(request.user, name=campaign.name, order=campaign.order,
                                          report_cycle=request.POST.get("report_cycle") or "?",
                                          report_due_day=int(raw_day) if raw_day else None)
    except Rejected as rejected:
        messages.error(request, "；".join(rejected.messages))
    else:
        messages.success(request, f"「{campaign.name}」的报送周期已设为{rules.CYCLES[campaign.report_cycle]}，"
                                  f"{rules.due_day_text(campaign.report_cycle, campaign.report_due_day)}。")
    return redirect("work:index")


@login_required
def attachment(request, pk):
    item = ReportAttachment.objects.select_related("report").filter(pk=pk).first()
    if item is None:
        raise Http404("附件不存在")
    work_access.get_task_for_user(request.user, item.report.task_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@reads_replica
def gantt(request):
    work_access.require_reader(request.user)
    as_of, against = _as_of(request), _against(request)
    data, fallback_years = gantt_rows(as_of, request.user, against=against)
    return render(request, "work/gantt.html", {"gantt_data": gantt_script(data, "gantt-data"), "as_of": as_of,
                                               "against": against, "against_choices": queries.AGAINST,
                                               "latest_report": _latest_report(request.user),
                                               "fallback_years": fallback_years})


def _filters(request):
    return {"campaign_id": _int(request.GET.get("campaign")), "unit_id": _int(request.GET.get("unit")),
            "against": request.GET.get("against") if request.GET.get("against") in queries.AGAINST else None,
            "light": request.GET.get("light") if request.GET.get("light") in rules.LIGHTS else None}


@login_required
@reads_replica
def gantt_data(request):
    work_access.require_reader(request.user)
    data, _ = gantt_rows(_as_of(request), request.user, **_filters(request))
    return gantt_response(data)


@login_required
@reads_replica
def gantt_xlsx(request):
    work_access.require_reader(request.user)
    board = queries.board(_as_of(request), work_access.task_filter(request.user), **_filters(request))
    return http_response(exports.GanttExport(board))


@login_required
def export_schedule(request):
    work_access.require_reader(request.user)
    return http_response(exports.export_schedule(request.user))


@login_required
def import_view(request):
    work_access.require_plan_manager(request.user)
    return import_page(request, import_schedule, "work/import.html", "work:index", {"columns": COLUMNS},
                       no_file="请选择要导入的配档表（xlsx）")
