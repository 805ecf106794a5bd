"""Key-work API: read the plan, statuses as of a date, Gantt rows; post progress reports."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status

from luoshi.core.dbrouter import reads_replica
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.orgs.models import Unit
from luoshi.work import access as work_access
from luoshi.work import queries, services
from luoshi.work.gantt import gantt_response, gantt_rows
from luoshi.work.models import Milestone, Rebaseline, RebaselineStatus, TaskRole

router = Router(tags=["重点工作"])


class CompletionIn(Schema):
    milestone: int  # milestone id
    done_on: date


class ReportIn(Schema):
    percent: int
    done_text: str = ""
    problems: str = ""
    completions: list[CompletionIn] = []
    corrects: int | None = None  # id of the report version this corrects
    correction_note: str = ""
    on_behalf: str | None = None  # 代报: the code of a unit without an account the office reports for
    proxy_source: str = ""  # 代报: how the unit sent it (据…电话报送), optional


def _on(on):
    return parse_day(on, "判定日期") if on else timezone.localdate()


def _against(against):
    """current (default): lateness judged against the current dates; baseline: against the first planned dates."""
    if against in (None, ""):
        return queries.CURRENT
    if against not in queries.AGAINST:
        raise Rejected(f"判定依据「{str(against)[:20]}」不正确，应为 current（现行计划）或 baseline（原定计划）")
    return against


def _milestone_out(m):
    return {"id": m.id, "number": m.number, "title": m.title, "start": m.start, "due": m.due, "original_due": m.original_due,
            "done_on": m.done_on, "follows": m.follows_id, "planned_months": m.planned_months}


def _task_out(task):
    units = {role.value: [] for role in TaskRole}
    for tu in task.task_units.all():
        units[tu.role].append(tu.unit.code)
    return {"id": task.id, "number": task.number, "title": task.title, "campaign": task.campaign.name,
            "lead_unit": task.lead_unit.code, "responsible_units": units["responsible"],
            "cooperating_units": units["cooperating"], "leader": task.leader_name, "start": task.start,
            "deadline": task.deadline, "indicator_codes": task.indicator_codes,
            "milestones": [_milestone_out(m) for m in task.milestones.all()]}


def _report_out(r):
    return {"id": r.id, "task": r.task_id, "unit": r.unit.code, "series": r.series, "version": r.version,
            "is_current": r.is_current, "reported_on": r.reported_on, "percent": r.percent, "done_text": r.done_text,
            "problems": r.problems, "correction_note": r.correction_note, "submitted_at": r.submitted_at,
            "completions": [{"milestone": c.milestone_id, "done_on": c.done_on} for c in r.completions.all()],
            "attachments": [{"id": a.id, "name": a.name, "size": a.size} for a in r.attachments.all()],
            "proxy": _proxy_out(r)}


def _proxy_out(r):
    """代报: who entered the report for the unit, or None for the unit's own report."""
    if not r.proxy_label:
        return None
    return {"text": r.proxy_text, "by": r.proxy_by.username if r.proxy_by_id else None, "label": r.proxy_label,
            "source": r.proxy_source}


@router.get("/plan", summary="计划：可见的攻坚战、重点任务和节点")
def plan(request, campaign: str | None = None):
    work_access.require_reader(request.user)
    tasks = (work_access.visible_tasks(request.user).select_related("campaign", "lead_unit")
             .prefetch_related("task_units__unit", "milestones").order_by("campaign__order", "order", "id"))
    if campaign:
        tasks = tasks.filter(campaign__name=campaign)
    return [_task_out(t) for t in tasks]


@router.get("/status", summary="按日期判定每个节点（与 luoshi work status --json 同样的字段）；against=baseline 按原定计划判定滞后")
@reads_replica
def status(request, on: date | None = None, against: str | None = None):
    work_access.require_reader(request.user)
    against = _against(against)
    board = queries.board(_on(on), work_access.task_filter(request.user), against=against)
    return {"on": board.as_of, "against": against, "fallback_years": board.fallback_years,
            "milestones": queries.status_rows(board)}


@router.get("/rollup", summary="按攻坚战和牵头单位汇总的状态与亮灯")
@reads_replica
def rollup(request, on: date | None = None, against: str | None = None):
    work_access.require_reader(request.user)
    board = queries.board(_on(on), work_access.task_filter(request.user), against=_against(against))

    def out(groups, names):
        return [{"name": names.get(key, ""), "lights": dict(v["light"]), "statuses": dict(v["status"])} for key, v in groups.items()]

    return {"on": board.as_of, "by_campaign": out(board.by_campaign(), {k: c["name"] for k, c in board.campaigns.items()}),
            "by_unit": out(board.by_unit(), board.units)}


@router.get("/gantt", summary="横道图数据（日期为 1970-01-01 起的天数）")
@reads_replica
def gantt(request, on: date | None = None, campaign: int | None = None, unit: int | None = None, light: str | None = None,
          against: str | None = None):
    work_access.require_reader(request.user)
    data, _ = gantt_rows(_on(on), request.user, campaign_id=campaign, unit_id=unit, light=light, against=_against(against))
    return gantt_response(data)


@router.get("/tasks/{task_id}", summary="一项重点任务及其全部进度报告（含被更正的版本）")
def task(request, task_id: int):
    task = work_access.get_task_for_user(request.user, task_id)
    out = _task_out(task)
    out["reports"] = [_report_out(r) for r in task.reports.select_related("unit", "proxy_by")
                      .prefetch_related("completions", "attachments").order_by("series", "version")]
    return out


@router.post("/tasks/{task_id}/reports", response={201: dict},
             summary="报送进度（或以 corrects 更正，生成新版本）；督查室以 on_behalf 为未开通账号的单位代报")
def post_report(request, task_id: int, payload: ReportIn):
    on_behalf = None
    if payload.on_behalf:
        task = work_access.get_task_for_user(request.user, task_id)
        on_behalf = Unit.objects.select_related("region").filter(code=payload.on_behalf.strip()[:32]).first()
        if on_behalf is None:
            raise Http404(f"单位 {payload.on_behalf[:32]} 不存在")
        work_access.require_proxy_reporter(request.user, task, on_behalf)
    else:
        task = work_access.get_task_for_user(request.user, task_id, write=True)
    milestones = {m.pk: m for m in Milestone.objects.filter(pk__in=[c.milestone for c in payload.completions])}
    missing = [c.milestone for c in payload.completions if c.milestone not in milestones]
    if missing:
        raise Rejected([f"节点 {pk} 不存在" for pk in missing])
    corrects = None
    if payload.corrects is not None:
        corrects = task.reports.filter(pk=payload.corrects).first()
        if corrects is None:
            raise Rejected(f"要更正的报告 {payload.corrects} 不属于该任务")
    report = services.submit_report(request.user, task, percent=payload.percent, done_text=payload.done_text,
                                    problems=payload.problems, corrects=corrects, correction_note=payload.correction_note,
                                    completions=[(milestones[c.milestone], c.done_on) for c in payload.completions],
                                    source="api", unit=on_behalf, on_behalf=on_behalf is not None,
                                    proxy_source=payload.proxy_source)
    return Status(201, _report_out(report))


# 调整计划 (re-baseline requests): list, ask, approve, refuse. Rules: work.access and docs/rules.md §3.

class RebaselineIn(Schema):
    milestone: int | None = None  # a milestone's id: change its due date
    task: int | None = None  # a task's id: change the task's deadline (give one of milestone and task)
    new_due: str  # YYYY-MM-DD, 2000–2100
    reason: str = ""


class DecisionIn(Schema):
    note: str = ""  # required when refusing


def _out(user, r):
    task = r.target_task
    return {"id": r.id, "task": task.id, "task_number": task.number, "milestone": r.milestone_id,
            "milestone_number": r.milestone.number if r.milestone_id else None,
            "target": "milestone" if r.milestone_id else "deadline", "old_due": r.old_due, "new_due": r.new_due,
            "reason": r.reason, "status": r.status, "unit": r.unit.code if r.unit_id else None,
            "requested_by": r.requested_by.username if r.requested_by_id else None, "requested_at": r.requested_at,
            "decided_by": r.decided_by.username if r.decided_by_id else None, "decided_at": r.decided_at,
            "decision_note": r.decision_note, "may_decide": r.status == RebaselineStatus.PENDING
            and work_access.can_approve_rebaseline(user, r)}


REBASELINE_RELATED = ("milestone__task__lead_unit__region", "task__lead_unit__region", "unit", "requested_by", "decided_by")


@router.get("/rebaselines", summary="调整计划申请：领导和督查室看本地区的，单位看本单位提出的；status=pending 只列待审批")
def rebaselines(request, status: str | None = None, task: int | None = None):
    if not work_access.can_list_rebaselines(request.user):
        raise PermissionDenied("只有领导、督查室和责任单位可以查看调整计划申请")
    rows = Rebaseline.objects.filter(work_access.rebaseline_filter(request.user)).select_related(*REBASELINE_RELATED)
    if status:
        if status not in RebaselineStatus.values:
            raise Rejected(f"状态「{status[:20]}」不正确，应为 pending、approved 或 refused")
        rows = rows.filter(status=status)
    if task is not None:
        rows = rows.filter(Q(task_id=task) | Q(milestone__task_id=task))
    return [_out(request.user, r) for r in rows.order_by("-requested_at", "-id")[:500]]


@router.post("/rebaselines", response={201: dict}, summary="申请调整计划（节点完成时限或任务完成时限），批准前日期不变")
def request_rebaseline(request, payload: RebaselineIn):
    if (payload.milestone is None) == (payload.task is None):
        raise Rejected("请指定一个节点（milestone）或一项任务（task）")
    if payload.milestone is not None:
        milestone = work_access.get_milestone_for_user(request.user, payload.milestone)
        made = services.request_rebaseline(request.user, milestone=milestone, new_due=payload.new_due, reason=payload.reason)
    else:
        task = work_access.get_task_for_user(request.user, payload.task)
        made = services.request_rebaseline(request.user, task=task, new_due=payload.new_due, reason=payload.reason)
    return Status(201, _out(request.user, work_access.get_rebaseline_for_user(request.user, made.pk)))


@router.post("/rebaselines/{request_id}/approve", summary="批准调整计划：日期调整，原定日期保留（不能审批本人或本单位的申请）")
def approve_rebaseline(request, request_id: int, payload: DecisionIn):
    item = work_access.get_rebaseline_for_user(request.user, request_id)
    services.approve_rebaseline(request.user, item, payload.note)
    return _out(request.user, work_access.get_rebaseline_for_user(request.user, request_id))


@router.post("/rebaselines/{request_id}/refuse", summary="不予批准调整计划（须填写理由），日期不变")
def refuse_rebaseline(request, request_id: int, payload: DecisionIn):
    item = work_access.get_rebaseline_for_user(request.user, request_id)
    services.refuse_rebaseline(request.user, item, payload.note)
    return _out(request.user, work_access.get_rebaseline_for_user(request.user, request_id))
