"""倒查 pages: a task's or milestone's chain as a timeline; the seriously overdue items as of a day with their chains,
and their xlsx and .docx for the meeting."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from luoshi.core.exports import http_response
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.supervision.chain import access, queries
from luoshi.supervision.chain.exports import OverdueChainsExport, overdue_docx
from luoshi.work import queries as work_queries
from luoshi.work import rules as work_rules


def _as_of(request):
    """The day asked for (?on=), else today; (day, problems)."""
    raw = request.GET.get("on")
    if not raw:
        return timezone.localdate(), []
    try:
        return parse_day(raw, "判定日期"), []
    except Rejected as rejected:
        return timezone.localdate(), rejected.messages


def _chain_page(request, task, milestone=None):
    as_of, problems = _as_of(request)
    the_chain = queries.task_chain(task, milestone)
    judged = work_queries.judged_task(task, as_of)
    judged_milestone = None
    if judged and milestone is not None:
        judged_milestone = next((m for m in judged["milestones"] if m["id"] == milestone.pk), None)
    from luoshi.supervision.consequences.views import chain_extras

    return render(request, "supervision/chain.html", {
        "task": task, "milestone": milestone, "chain": the_chain, "judged": judged, "judged_milestone": judged_milestone,
        "as_of": as_of, "problems": problems, "status_labels": work_rules.STATUS_LABELS, "light_labels": work_rules.LIGHT_LABELS,
        **chain_extras(request, task, the_chain, judged_milestone),  # 结果运用: the proposals, 提出处理建议
    }, status=400 if problems else 200)


@login_required
def task_chain(request, pk):
    task = access.get_chain_task_for_user(request.user, pk)
    return _chain_page(request, task)


@login_required
def milestone_chain(request, pk):
    milestone = access.get_chain_milestone_for_user(request.user, pk)
    return _chain_page(request, milestone.task, milestone)


def _overdue(request):
    task_q = access.chain_list_filter(request.user)
    as_of, problems = _as_of(request)
    return as_of, problems, queries.seriously_overdue(as_of, task_q)


@login_required
def overdue_list(request):
    as_of, problems, items = _overdue(request)
    return render(request, "supervision/chain_overdue.html", {"as_of": as_of, "problems": problems, "items": items},
                  status=400 if problems else 200)


def _overdue_download(request, respond):
    """The list's items as a file (respond(items, as_of) gives the response), or the page with its problems."""
    as_of, problems, items = _overdue(request)
    if problems:
        return render(request, "supervision/chain_overdue.html", {"as_of": as_of, "problems": problems, "items": []},
                      status=400)
    return respond(items, as_of)


@login_required
def overdue_xlsx(request):
    return _overdue_download(request, lambda items, as_of: http_response(OverdueChainsExport(items, as_of)))


def _word_response(items, as_of):
    filename, mime, data = overdue_docx(items, as_of)
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def overdue_word(request):
    return _overdue_download(request, _word_response)
