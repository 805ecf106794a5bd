"""Two-tier reporting and 销号 on the task page: a cooperating unit's input to the lead unit (向牵头单位报送), the lead
unit's request to close the task with evidence, the office's approval or return, the list of pending requests and
the evidence files. The rules are in work.access and work.services (docs/rules.md §3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.core.problems import Rejected
from luoshi.work import access as work_access
from luoshi.work import rules, services
from luoshi.work.models import Closure, ClosureAttachment, ClosureStatus, CoopInput, TaskRole


def _who(user):
    return "系统" if user is None else (user.get_full_name() or user.username)


def chain_context(user, task, as_of):
    """The task page's part: the cooperating units' inputs (current ones of the period first), what this user may send,
    the 销号 requests and what this user may do with them."""
    campaign = task.campaign
    cooperating = task.task_units.filter(role=TaskRole.COOPERATING).exists()
    first, last = rules.period_of(as_of, campaign.report_cycle)
    input_due = rules.report_due_date(first, last, campaign.report_cycle,
                                      rules.input_due_day(campaign.report_cycle, campaign.report_due_day,
                                                          campaign.input_due_day))
    inputs = list(CoopInput.objects.filter(task=task).select_related("unit", "submitted_by")
                  .order_by("-reported_on", "-series", "-version"))
    current = [i for i in inputs if i.is_current]
    closures = list(Closure.objects.filter(task=task).select_related("unit", "requested_by", "decided_by")
                    .prefetch_related("attachments").order_by("-requested_at", "-id"))
    for c in closures:
        c.requester = f"{c.unit.name}（{_who(c.requested_by)}）"
        c.decider = _who(c.decided_by) if c.decided_at else ""
        c.may_decide = c.status == ClosureStatus.PENDING and work_access.closure_decision_refusal(user, c) is None
    pending = next((c for c in closures if c.status == ClosureStatus.PENDING), None)
    return {
        "has_cooperating": cooperating,
        "two_tier_text": rules.input_due_text(campaign.report_cycle, campaign.report_due_day, campaign.input_due_day)
        if cooperating else "",
        "input_due": input_due, "input_period": (first, last),
        "inputs": inputs, "current_inputs": current,
        "period_inputs": [i for i in current if first <= i.reported_on <= last],
        "input_units": work_access.input_units(user, task),
        "closures": closures, "closure_pending": pending,
        "can_request_closure": task.closed_on is None and pending is None and bool(work_access.closure_units(user, task)),
    }


@login_required
@require_POST
def send_input(request, pk):
    """A cooperating unit sends (or corrects) its input to the lead unit."""
    task = work_access.get_task_for_input(request.user, pk)
    corrects = None
    if request.POST.get("corrects"):
        corrects = CoopInput.objects.filter(task=task, pk=_int(request.POST["corrects"])).select_related("unit").first()
        if corrects is None:
            raise Http404("要更正的报送不存在")
    try:
        services.submit_input(request.user, task, done_text=request.POST.get("done_text", ""),
                              problems=request.POST.get("problems", ""), corrects=corrects,
                              correction_note=request.POST.get("correction_note", ""))
    except Rejected as rejected:
        return _task_page(request, task, status=400, input_problems=rejected.messages, input_posted=request.POST)
    messages.success(request, f"已向牵头单位{task.lead_unit.name}报送。" if corrects is None else "更正已保存为新版本，原版本仍可查阅。")
    return redirect("work:task", pk=task.pk)


@login_required
@require_POST
def request_closure(request, pk):
    """The lead unit asks to close the task with evidence."""
    task = work_access.get_task_for_user(request.user, pk)
    work_access.require_closure_requester(request.user, task)
    try:
        services.request_closure(request.user, task, note=request.POST.get("note", ""),
                                 attachments=request.FILES.getlist("attachments"))
    except Rejected as rejected:
        return _task_page(request, task, status=400, closure_problems=rejected.messages, closure_posted=request.POST)
    messages.success(request, "销号申请已提交，待督查室审核。")
    return redirect("work:task", pk=task.pk)


@login_required
@require_POST
def decide_closure(request, pk, action):
    closure = work_access.get_closure_for_user(request.user, pk)
    work_access.require_closure_decider(request.user, closure)
    note = request.POST.get("note", "")
    try:
        if action == "approve":
            services.approve_closure(request.user, closure, note)
            messages.success(request, f"已批准销号：{closure.task.number} {closure.task.title}")
        else:
            services.return_closure(request.user, closure, note)
            messages.success(request, f"已退回销号申请：{closure.task.number} {closure.task.title}")
    except Rejected as rejected:
        return _task_page(request, closure.task, status=400, closure_problems=rejected.messages)
    if request.POST.get("next") == "list":
        return redirect("work:closures")
    return redirect("work:task", pk=closure.task_id)


@login_required
def closures(request):
    """The office's list: pending 销号 requests of its region, and the latest decided."""
    if not work_access.can_manage_plan(request.user):
        work_access.require_plan_manager(request.user)
    rows = list(Closure.objects.filter(work_access.closure_filter(request.user))
                .select_related("task__campaign", "task__lead_unit__region", "unit", "requested_by", "decided_by")
                .prefetch_related("attachments").order_by("-requested_at", "-id")[:300])
    for c in rows:
        c.requester = f"{c.unit.name}（{_who(c.requested_by)}）"
        c.decider = _who(c.decided_by) if c.decided_at else ""
        c.may_decide = c.status == ClosureStatus.PENDING and work_access.closure_decision_refusal(request.user, c) is None
    return render(request, "work/closures.html", {
        "pending": [c for c in rows if c.status == ClosureStatus.PENDING][::-1],
        "decided": [c for c in rows if c.status != ClosureStatus.PENDING][:50]})


@login_required
def closure_attachment(request, pk):
    item = ClosureAttachment.objects.select_related("closure").filter(pk=pk).first()
    if item is None:
        raise Http404("附件不存在")
    work_access.get_task_for_user(request.user, item.closure.task_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _task_page(request, task, status, **extra):
    from django.utils import timezone

    from luoshi.work.views import _task_context

    context = _task_context(request, task, timezone.localdate())
    context.update(extra)
    return render(request, "work/task.html", context, status=status)
