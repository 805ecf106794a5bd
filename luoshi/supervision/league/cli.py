"""luoshi supervision league --period YYYY-MM [--region CODE] [--json] — the unit league table (考核排名).

With --json: a list, one object per unit, ordered by rank then unit short name, with the keys of league.queries.JSON_KEYS
(issue #12); deterministic (no timestamps). A line of the supervision command's table (SUBCOMMANDS["league"]).
"""

import json as _json  # handle() takes an option named json

from django.core.management.base import CommandError

from luoshi.core.commands import warn_fallback
from luoshi.core.problems import Rejected
from luoshi.orgs.models import Region, RegionLevel
from luoshi.supervision.league import queries as league_queries
from luoshi.supervision.league import rules


def add_arguments(parser):
    parser.add_argument("--period", required=True, help="考核月份，YYYY-MM（按该月最后一天判定；本月按今天）")
    parser.add_argument("--region", help="区县的行政区划代码（默认：全部牵头单位）")
    parser.add_argument("--json", action="store_true", help="输出 JSON 数组，每个单位一个对象")


def handle(command, period=None, region=None, json=False, **options):
    try:
        first = rules.parse_month(period, "考核月份")
        region_obj = None
        if region:
            region_obj = Region.objects.filter(code=region.strip()[:12], level=RegionLevel.COUNTY).first()
            if region_obj is None:
                raise Rejected(f"区县「{region.strip()[:12]}」不存在（请用区县的行政区划代码，如 370115）")
        table = league_queries.league(first, region=region_obj)
    except Rejected as exc:
        raise CommandError("；".join(exc.messages))
    if json:
        command.stdout.write(_json.dumps(table.as_json(), ensure_ascii=False, indent=1))
        return
    warn_fallback(command, table.fallback_years)
    where = table.region.name if table.region else "全部单位"
    command.stdout.write(f"{table.period_label}单位考核排名（{where}，截至 {table.as_of}）")
    labels = [league_queries.COLUMN_LABELS[k] for k in league_queries.COUNT_KEYS]
    command.stdout.write("\t".join(["名次", "升降", "单位", "得分", "加减分", "调整后得分", *labels, "区分"]))
    for row in table.rows:
        change = "—" if row.rank_change is None else f"{row.rank_change:+d}" if row.rank_change else "0"
        adjustment = f"{row.adjustment:+d}" if row.adjustment else "—"  # approved 加分/减分 (结果运用), beside the score
        command.stdout.write("\t".join([str(row.rank or "—"), change, row.unit, str(row.score), adjustment,
                                        str(row.adjusted_score), *map(str, row.count_list), row.band_label]))
    if not table.rows:
        command.stdout.write("没有牵头重点任务的单位。")


SUBCOMMAND = ("单位考核排名（考核月份，--json 输出）", add_arguments, handle)
