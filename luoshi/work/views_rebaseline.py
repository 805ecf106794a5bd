"""调整计划 pages: a request from the task page (a milestone's due date or the task's deadline), the list of requests
(approvers decide there), approve / refuse. The rules are in work.access and work.services (docs/rules.md §3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.work import access as work_access
from luoshi.work import services
from luoshi.work.models import Rebaseline, RebaselineStatus

RELATED = ("milestone__task__lead_unit__region", "task__lead_unit__region", "unit", "requested_by", "decided_by")


def _who(user):
    if user is None:
        return "系统"
    return user.get_full_name() or user.username


def decorate(user, requests):
    """Each request with what the pages show: who asked and decided, what it is about, whether this user may decide."""
    for r in requests:
        r.requester = f"{r.unit.name}（{_who(r.requested_by)}）" if r.unit_id else (
            f"督查室（{_who(r.requested_by)}）" if r.requested_by_id else "系统 / 配档表导入")
        r.decider = _who(r.decided_by) if r.decided_at else ""
        r.about = "任务完成时限" if r.task_id else f"节点 {r.milestone.number} {r.milestone.title}"
        r.owner = r.target_task
        r.may_decide = r.status == RebaselineStatus.PENDING and work_access.can_approve_rebaseline(user, r)
    return requests


def task_requests(user, task):
    """The task page's part: its requests, newest first, and what this user may ask for."""
    requests = decorate(user, list(Rebaseline.objects.filter(Q(task=task) | Q(milestone__task=task))
                                   .select_related(*RELATED).order_by("-requested_at", "-id")))
    pending = [r for r in requests if r.status == RebaselineStatus.PENDING]
    return {
        "rebaseline_requests": requests,
        "can_request_rebaseline": task.campaign.plan_set_at is not None and work_access.can_request_rebaseline(user, task),
        "pending_milestone_ids": {r.milestone_id for r in pending if r.milestone_id},
        "deadline_pending": any(r.task_id for r in pending),
        "status_choices": dict(RebaselineStatus.choices),
    }


def _back(request, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target.startswith("/"):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def request_milestone(request, pk):
    """Before the plan is set the office changes the date directly; after, anyone who may asks (a request)."""
    milestone = work_access.get_milestone_for_user(request.user, pk)
    task = milestone.task
    if task.campaign.plan_set_at is None:
        milestone = work_access.get_milestone_for_user(request.user, pk, write=True)
        try:
            new_due = parse_day(request.POST.get("new_due", ""), "新的完成时限")
            services.save_milestone(request.user, task=task, number=milestone.number, title=milestone.title, due=new_due,
                                    start=milestone.start, planned_months=milestone.planned_months,
                                    follows=milestone.follows, order=milestone.order)
        except Rejected as rejected:
            messages.error(request, "未调整：" + "；".join(rejected.messages))
        else:
            messages.success(request, f"节点「{milestone.title}」的完成时限已调整为 {new_due}（计划尚未确定，直接生效）。")
        return redirect("work:task", pk=task.pk)
    try:
        services.request_rebaseline(request.user, milestone=milestone, new_due=request.POST.get("new_due", ""),
                                    reason=request.POST.get("reason", ""))
    except Rejected as rejected:
        messages.error(request, "未提交：" + "；".join(rejected.messages))
    else:
        messages.success(request, f"已提交节点「{milestone.title}」的调整计划申请，待区领导或督查室审批；批准前完成时限不变。")
    return redirect("work:task", pk=task.pk)


@login_required
@require_POST
def request_deadline(request, pk):
    task = work_access.get_task_for_user(request.user, pk)
    try:
        services.request_rebaseline(request.user, task=task, new_due=request.POST.get("new_due", ""),
                                    reason=request.POST.get("reason", ""))
    except Rejected as rejected:
        messages.error(request, "未提交：" + "；".join(rejected.messages))
    else:
        messages.success(request, "已提交任务完成时限的调整计划申请，待区领导或督查室审批；批准前完成时限不变。")
    return redirect("work:task", pk=task.pk)


@login_required
def rebaselines(request):
    """Pending requests (approvers decide here) and the decided ones, for leaders, offices and units (their own)."""
    if not work_access.can_list_rebaselines(request.user):
        raise PermissionDenied("只有领导、督查室和责任单位可以查看调整计划申请")
    visible = Rebaseline.objects.filter(work_access.rebaseline_filter(request.user)).select_related(*RELATED)
    pending = decorate(request.user, list(visible.filter(status=RebaselineStatus.PENDING).order_by("requested_at", "id")))
    decided = decorate(request.user, list(visible.exclude(status=RebaselineStatus.PENDING)
                                          .order_by("-decided_at", "-id")[:100]))
    return render(request, "work/rebaselines.html", {
        "pending": pending, "decided": decided, "decidable": sum(1 for r in pending if r.may_decide),
    })


@login_required
@require_POST
def decide(request, pk, action):
    item = work_access.get_rebaseline_for_user(request.user, pk)
    note = request.POST.get("note", "")
    try:
        if action == "approve":
            services.approve_rebaseline(request.user, item, note)
            messages.success(request, f"已批准：{item.target_label} {item.old_due} → {item.new_due}，计划已调整，原定日期保留。")
        else:
            services.refuse_rebaseline(request.user, item, note)
            messages.success(request, f"已不予批准：{item.target_label}的完成时限不变。")
    except Rejected as rejected:
        messages.error(request, "未审批：" + "；".join(rejected.messages))
    return _back(request, "work:rebaselines")
