"""督办单 API: list, open, one notice with its steps, reply, accept, return; luoshi/api.py mounts it under
/api/v1/supervision/ beside the league table's and the 倒查 chain's routers (league/api.py, chain/api.py). Errors as
everywhere: {"error": "…"}."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema, Status

from luoshi.core.problems import Rejected
from luoshi.supervision import access, services
from luoshi.supervision.views import filtered_notices
from luoshi.work import access as work_access

router = Router(tags=["督查督办"])


class OpenIn(Schema):
    task: int  # task id
    milestone: int | None = None  # milestone id (optional: the whole task)
    reason: str | None = None  # omitted: pre-filled from the red light's cause
    reply_due: date | None = None  # omitted: 5 working days after today


class TextIn(Schema):
    text: str = ""


def notice_out(n, steps=False):
    out = {"id": n.id, "number": n.number, "year": n.year, "serial": n.serial, "task": n.task_id,
           "task_number": n.task.number, "task_title": n.task.title, "milestone": n.milestone_id,
           "unit": n.unit.code, "unit_name": n.unit.name, "copied_units": [u.code for u in n.copied_units.all()],
           "leader": n.leader_name, "region": n.region.code, "reason": n.reason, "opened_on": n.opened_on,
           "reply_due": n.reply_due, "state": n.state, "state_label": n.get_state_display(),
           "escalated_on": n.escalated_on, "replied_on": n.replied_on, "first_replied_on": n.first_replied_on,
           "source": n.source, "returned_on": n.returned_on, "redo_due": n.redo_due, "answer_due": n.answer_due}
    if steps:
        out["steps"] = [{"kind": s.kind, "label": s.get_kind_display(), "text": s.text, "on": s.on,
                         "by": s.by.username if s.by else None, "at": s.at} for s in n.steps.select_related("by")]
    return out


@router.get("/notices", summary="督办单列表（state: pending/replied/returned/closed；unit: 单位 id；overdue: 逾期未答复）")
def notices(request, state: str | None = None, unit: int | None = None, task: int | None = None,
            overdue: bool = False):
    access.require_reader(request.user)
    params = {"state": state, "unit": unit, "task": task, "overdue": overdue}
    rows = filtered_notices(request.user, params, timezone.localdate()).select_related("region", "milestone")
    return [notice_out(n) for n in rows.prefetch_related("copied_units")[:1000]]


@router.post("/notices", response={201: dict}, summary="开具督办单（督查室）")
def open_notice(request, payload: OpenIn):
    task = work_access.get_task_for_user(request.user, payload.task)
    access.require_opener(request.user, task)
    milestone = None
    if payload.milestone is not None:
        milestone = task.milestones.filter(pk=payload.milestone).first()
        if milestone is None:
            raise Rejected(f"节点 {payload.milestone} 不属于该重点任务")
    notice = services.open_notice(request.user, task, milestone=milestone, reason=payload.reason,
                                  reply_due=payload.reply_due)
    return Status(201, notice_out(access.get_notice_for_user(request.user, notice.pk), steps=True))


@router.get("/notices/{notice_id}", summary="一份督办单及其办理过程")
def notice(request, notice_id: int):
    return notice_out(access.get_notice_for_user(request.user, notice_id), steps=True)


def _act(request, notice_id, action, run):
    notice = access.get_notice_for_user(request.user, notice_id, action=action)
    run(notice)
    return notice_out(access.get_notice_for_user(request.user, notice_id), steps=True)


@router.post("/notices/{notice_id}/reply", summary="答复督办单（承办单位）")
def reply(request, notice_id: int, payload: TextIn):
    return _act(request, notice_id, "reply", lambda n: services.reply(request.user, n, payload.text))


@router.post("/notices/{notice_id}/accept", summary="同意办结（督查室）")
def accept(request, notice_id: int, payload: TextIn):
    return _act(request, notice_id, "decide", lambda n: services.accept(request.user, n, payload.text))


@router.post("/notices/{notice_id}/return", summary="退回重新答复（督查室，须写明理由）")
def return_notice(request, notice_id: int, payload: TextIn):
    return _act(request, notice_id, "decide", lambda n: services.return_notice(request.user, n, payload.text))



@router.post("/notices/{notice_id}/escalate", summary="升级督办（督查室：逾期未答复的督办单报责任领导）")
def escalate(request, notice_id: int):
    return _act(request, notice_id, "decide", lambda n: services.escalate(request.user, n))
