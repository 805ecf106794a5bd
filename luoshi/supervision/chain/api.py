"""API: the 倒查 chain of a task or milestone, and the seriously overdue items with their chains,
GET /api/v1/supervision/chain/… and /overdue; luoshi/api.py mounts the router."""

from django.utils import timezone
from ninja import Router

from luoshi.core.periods import parse_day
from luoshi.supervision.chain import access, queries

router = Router(tags=["督查督办"])


@router.get("/chain/tasks/{task_id}", summary="倒查：重点任务的全过程（计划、牵头单位与责任领导、进度报告、调整计划、督办）")
def task_chain(request, task_id: int):
    task = access.get_chain_task_for_user(request.user, task_id)
    return queries.task_chain(task).as_json()


@router.get("/chain/milestones/{milestone_id}", summary="倒查：节点的全过程")
def milestone_chain(request, milestone_id: int):
    milestone = access.get_chain_milestone_for_user(request.user, milestone_id)
    return queries.task_chain(milestone.task, milestone).as_json()


@router.get("/overdue", summary="严重滞后事项清单（截至某日），每项附倒查记录")
def overdue(request, on: str | None = None):
    task_q = access.chain_list_filter(request.user)
    as_of = parse_day(on, "判定日期") if on else timezone.localdate()
    return {"on": as_of, "items": [item.as_json() for item in queries.seriously_overdue(as_of, task_q)]}
