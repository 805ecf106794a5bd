"""API: the league table (考核排名), GET /api/v1/supervision/league; luoshi/api.py mounts the router."""

from django.utils import timezone
from ninja import Router

from luoshi.core.dbrouter import reads_replica
from luoshi.core.periods import previous_month
from luoshi.supervision.league import access, rules
from luoshi.supervision.league.queries import league as league_table

router = Router(tags=["督查督办"])


@router.get("/league", summary="单位考核排名：某月各牵头单位的节点、报送、督办与得分（与 luoshi supervision league --json 同样的字段）")
@reads_replica
def league(request, period: str | None = None, region: str | None = None):
    today = timezone.localdate()
    region_obj = access.get_league_region_for_user(request.user, region)
    first = rules.parse_month(period, "考核月份") if period else previous_month(today.replace(day=1))
    table = league_table(first, region=region_obj, today=today)
    return {"period": table.period_code, "as_of": table.as_of, "region": {"code": region_obj.code, "name": region_obj.name},
            "fallback_years": table.fallback_years, "units": table.as_json()}
