"""API: the league table (考核排名), the 倒查 chain of a task or milestone, and the seriously overdue items with their
chains. A ninja Router added to the supervision API (luoshi/supervision/api.py) with one line."""

from django.utils import timezone
from ninja import Router

from luoshi.core.dbrouter import reads_replica
from luoshi.core.periods import parse_day
from luoshi.supervision import access_league, chain, rules
from luoshi.supervision import league as league_queries

router = Router(tags=["督查督办"])


def _today():
    return timezone.localdate()


@router.get("/league", summary="单位考核排名：某月各牵头单位的节点、报送、督办与得分（与 luoshi supervision league --json 同样的字段）")
@reads_replica
def league(request, period: str | None = None, region: str | None = None):
    region_obj = access_league.get_league_region_for_user(request.user, region)
    first = rules.parse_month(period, "考核月份") if period else rules.previous_month(_today().replace(day=1))
    table = league_queries.league(first, region=region_obj, today=_today())
    return {"period": table.period_code, "as_of": table.as_of, "region": {"code": region_obj.code, "name": region_obj.name},
            "fallback_years": table.fallback_years, "units": table.as_json()}


@router.get("/chain/tasks/{task_id}", summary="倒查：重点任务的全过程（计划、牵头单位与责任领导、进度报告、调整计划、督办）")
def task_chain(request, task_id: int):
    task = access_league.get_chain_task_for_user(request.user, task_id, chain.chain_units)
    return chain.task_chain(task).as_json()


@router.get("/chain/milestones/{milestone_id}", summary="倒查：节点的全过程")
def milestone_chain(request, milestone_id: int):
    milestone = access_league.get_chain_milestone_for_user(request.user, milestone_id, chain.chain_units)
    return chain.task_chain(milestone.task, milestone).as_json()


@router.get("/overdue", summary="严重滞后事项清单（截至某日），每项附倒查记录")
def overdue(request, on: str | None = None):
    access_league.require_chain_reader(request.user)
    as_of = parse_day(on, "判定日期") if on else _today()
    items = chain.seriously_overdue(as_of, access_league.chain_task_filter(request.user))
    return {"on": as_of, "items": [item.as_json() for item in items]}
