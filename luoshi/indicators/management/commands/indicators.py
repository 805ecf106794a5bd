"""luoshi indicators table --region CODE --period YYYY-MM [--json] — the indicator table of a region.
luoshi indicators rebuild-peers — rebuild the peers' growth summaries from the current figures."""

import sys

from django.core.management.base import CommandError
from django.db import transaction

from luoshi.core.commands import SubcommandTable, no_arguments, write_json
from luoshi.core.periods import PeriodError, parse_period, period_label
from luoshi.indicators import queries, rules
from luoshi.orgs.models import Region


def _table_arguments(parser):
    parser.add_argument("--region", required=True, help="地区代码，如 370115")
    parser.add_argument("--period", required=True, help="期间，YYYY-MM（累计至该月）")
    parser.add_argument("--json", action="store_true", help="输出 JSON 数组，每个指标一个对象")


def _table(command, region, period, json=False, **options):
    found = Region.objects.select_related("parent").filter(code=region).first()
    if found is None:
        command.stderr.write(f"地区 {region} 不存在")
        sys.exit(1)
    try:
        month = parse_period(period)
    except PeriodError as error:
        raise CommandError(str(error))
    rows = queries.table(found, month)
    if json:
        write_json(command, [{k: r[k] for k in queries.CONTRACT_KEYS} | _extra(r) for r in rows])
        return
    command.stdout.write(f"{found.name} {period_label(month)} 主要经济指标")
    for r in rows:
        parts = [f"{r['name']}（{r['unit']}）", f"累计 {_show(r['value'])}", f"增长 {_show(r['growth'])}%",
                 f"位次 {_show(r['rank'])}/{_show(r['peers'])}", f"完成 {_show(r['completion'])}%",
                 f"序时 {_show(r['time_progress'])}%", f"差 {_show(r['gap'])}", rules.LIGHT_LABELS[r['light']],
                 rules.BAND_LABELS[r['band']]]
        command.stdout.write("  " + " · ".join(parts))


def _extra(row):
    return {k: row[k] for k in ("trajectory_progress", "trajectory_gap", "trajectory_light", "previous_period")}


def _show(value):
    return "—" if value is None else value


def _rebuild_peers(command, **options):
    from luoshi.indicators import peers

    with transaction.atomic():
        count = peers.rebuild_all()
    command.stdout.write(f"已重建 {count} 组同级地区增速汇总")


# subcommand -> (help, add_arguments(parser), handle(command, **options))
SUBCOMMANDS = {
    "table": ("指标表", _table_arguments, _table),
    "rebuild-peers": ("按最新数据重建同级地区增速汇总（位次所用；保存数据时自动维护）", no_arguments, _rebuild_peers),
}


class Command(SubcommandTable):
    help = "经济运行：某地区某期间的指标表（累计值、增长、全市位次、完成进度、序时进度、亮灯）。"
    subcommands = SUBCOMMANDS
