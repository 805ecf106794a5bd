"""督办单 pages: the list, one notice with its steps and the forms its viewer may use, opening from a task, the
print view and the .docx."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.core.periods import day_label, parse_day
from luoshi.core.problems import Rejected
from luoshi.orgs.models import Unit
from luoshi.supervision import access, documents, services
from luoshi.supervision.models import NoticeState, StepAttachment, overdue_for_reply
from luoshi.work import access as work_access

PER_PAGE = 50


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def filtered_notices(user, params, today):
    """The notices the user may read, filtered by state, unit (lead or copied), task and overdue-for-reply."""
    notices = access.visible_notices(user)
    state = params.get("state") or ""
    if state in NoticeState.values:
        notices = notices.filter(state=state)
    unit = _int(params.get("unit"))
    if unit:
        notices = notices.filter(Q(unit_id=unit) | Q(copied_units=unit)).distinct()
    task = _int(params.get("task"))
    if task:
        notices = notices.filter(task_id=task)
    if params.get("overdue"):
        notices = notices.filter(overdue_for_reply(today))
    return notices.select_related("task", "unit").order_by("-year", "-serial")


@login_required
def notice_list(request):
    access.require_reader(request.user)
    today = timezone.localdate()
    notices = filtered_notices(request.user, request.GET, today)
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    for notice in page.object_list:
        notice.overdue = services.is_overdue_for_reply(notice, today)
    task = None
    task_pk = _int(request.GET.get("task"))
    if task_pk:
        task = work_access.visible_tasks(request.user).select_related("lead_unit__region").filter(pk=task_pk).first()
    units = Unit.objects.filter(pk__in=access.visible_notices(request.user).values("unit_id")).order_by("code")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/list.html", {
        "page": page, "notices": page.object_list, "today": today, "states": NoticeState.choices, "units": units,
        "filters": {"state": request.GET.get("state", ""), "unit": _int(request.GET.get("unit")),
                    "overdue": bool(request.GET.get("overdue"))},
        "task": task, "can_open": task is not None and access.can_open_notice(request.user, task),
        "query": query.urlencode(),
    })


def _open_context(request, task, posted=None, problems=None):
    today = timezone.localdate()
    milestone = None
    milestone_pk = _int((posted or request.GET).get("milestone"))
    if milestone_pk:
        milestone = task.milestones.filter(pk=milestone_pk).first()
    open_now = task.notices.filter(state__in=["pending", "replied", "returned"]).first()
    return {"task": task, "today": today, "milestones": task.milestones.all(), "milestone": milestone,
            "reason": posted.get("reason") if posted else services.default_reason(task, today, milestone),
            "reply_due": posted.get("reply_due") if posted else services.reply_due_for(today).isoformat(),
            "problems": problems, "open_now": open_now}


@login_required
def notice_open(request, task_pk):
    task = work_access.get_task_for_user(request.user, task_pk)
    access.require_opener(request.user, task)
    if request.method != "POST":
        return render(request, "supervision/open.html", _open_context(request, task))
    try:
        milestone = None
        if request.POST.get("milestone"):
            milestone = task.milestones.filter(pk=_int(request.POST["milestone"])).first()
            if milestone is None:
                raise Rejected("所选节点不属于该重点任务")
        reply_due = parse_day(request.POST.get("reply_due"), "答复时限") if request.POST.get("reply_due") else None
        notice = services.open_notice(request.user, task, milestone=milestone, reply_due=reply_due,
                                      reason=request.POST.get("reason", ""))
    except Rejected as rejected:
        return render(request, "supervision/open.html", _open_context(request, task, request.POST, rejected.messages),
                      status=400)
    messages.success(request, f"已开具{notice.number}，发{notice.unit.name}。")
    return redirect("supervision:notice", pk=notice.pk)


def _detail_context(request, notice):
    user = request.user
    can_answer = access.can_answer(user, notice) and notice.state in (NoticeState.PENDING, NoticeState.RETURNED)
    can_decide = access.can_decide(user, notice)
    return {"notice": notice, "steps": notice.steps.select_related("by").prefetch_related("attachments"), "copied": notice.copied_units.all(),
            "can_answer": can_answer, "can_decide": can_decide and notice.state == NoticeState.REPLIED,
            "can_remind": can_decide and notice.state in (NoticeState.PENDING, NoticeState.RETURNED),
            "can_escalate": can_decide and services.escalatable(notice, timezone.localdate()),
            "overdue": services.is_overdue_for_reply(notice, timezone.localdate())}


@login_required
def notice_detail(request, pk):
    notice = access.get_notice_for_user(request.user, pk)
    return render(request, "supervision/notice.html", _detail_context(request, notice))


def _act(request, pk, action, run, done):
    notice = access.get_notice_for_user(request.user, pk, action=action)
    try:
        run(notice)
    except Rejected as rejected:
        context = _detail_context(request, notice)
        context.update(problems=rejected.messages, posted=request.POST)
        return render(request, "supervision/notice.html", context, status=400)
    messages.success(request, done.format(number=notice.number))
    return redirect("supervision:notice", pk=notice.pk)


@login_required
@require_POST
def notice_reply(request, pk):
    return _act(request, pk, "reply", lambda n: services.reply(request.user, n, request.POST.get("text", ""),
                                                              attachments=request.FILES.getlist("attachments")),
                "{number}已答复，等待督查室审核。")


@login_required
def step_attachment(request, pk):
    """A file sent with a step, to whoever may read the notice."""
    item = StepAttachment.objects.select_related("step").filter(pk=pk).first()
    if item is None:
        raise Http404("附件不存在")
    access.get_notice_for_user(request.user, item.step.notice_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@require_POST
def notice_return(request, pk):
    return _act(request, pk, "decide", lambda n: services.return_notice(request.user, n, request.POST.get("text", "")),
                "{number}已退回，请承办单位重新答复。")


@login_required
@require_POST
def notice_accept(request, pk):
    return _act(request, pk, "decide", lambda n: services.accept(request.user, n, request.POST.get("text", "")),
                "{number}已办结。")


@login_required
@require_POST
def notice_escalate(request, pk):
    return _act(request, pk, "decide", lambda n: services.escalate(request.user, n), "{number}已升级督办，已通知责任领导。")


@login_required
@require_POST
def notice_remind(request, pk):
    return _act(request, pk, "decide", lambda n: services.remind(request.user, n), "已提醒承办单位答复{number}。")


@login_required
def notice_print(request, pk):
    notice = access.get_notice_for_user(request.user, pk)
    return render(request, "supervision/print.html", {
        "notice": notice, "facts": documents.facts(notice), "steps": documents.step_lines(notice),
        "office": documents.office_name(notice), "opened": day_label(notice.opened_on),
        "reply_due": day_label(notice.answer_due)})


@login_required
def notice_docx(request, pk):
    notice = access.get_notice_for_user(request.user, pk)
    response = HttpResponse(documents.notice_docx(notice), content_type=documents.DOCX_TYPE)
    name = f"{notice.number}.docx"
    response["Content-Disposition"] = f"attachment; filename=\"notice-{notice.year}-{notice.serial}.docx\"; filename*=UTF-8''{quote(name)}"
    return response
