"""luoshi projects import|status|export — the project pools' 调度表 and status from the command line (issue 24).

    luoshi projects import FILE.xlsx --region CODE --period YYYY-MM [--dry-run] [--json]
    luoshi projects status --region CODE --period YYYY-MM [--json]
    luoshi projects export FILE.xlsx --region CODE --period YYYY-MM
    luoshi projects ranking --city CODE --period YYYY-MM [--json]
    luoshi projects sweep [--on YYYY-MM-DD]
    luoshi projects problems --region CODE [--on YYYY-MM-DD] [--all] [--output FILE.xlsx]
"""

from django.core.management.base import CommandError

from luoshi.core.commands import SubcommandTable, add_on_argument, day_on, write_json
from luoshi.core.exports import write_file
from luoshi.core.problems import Rejected
from luoshi.core.wording import amount, percent
from luoshi.orgs.models import Region, RegionLevel
from luoshi.projects import queries, rules, services, transfers
from luoshi.projects.pipeline import cli as pipeline_cli
from luoshi.projects.exports import ScheduleTable


def _region(code):
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise CommandError(f"地区 {code} 不存在（--region 为行政区划代码，如 370115）")
    return region


def _period(raw):
    try:
        return services.parse_month(raw, "调度月份（--period）")
    except Rejected as rejected:
        raise CommandError("；".join(rejected.messages)) from None


def _region_and_period(parser):
    parser.add_argument("--region", required=True, metavar="CODE", help="地区的行政区划代码，如 370115")
    parser.add_argument("--period", required=True, metavar="YYYY-MM", help="调度月份，如 2026-09（1-9月）")


def _import_arguments(parser):
    parser.add_argument("file", metavar="FILE", help="调度表文件（xlsx 或 csv）")
    _region_and_period(parser)
    parser.add_argument("--dry-run", action="store_true", help="只校验，不保存")
    parser.add_argument("--json", action="store_true", help="输出 JSON：导入结果，或问题列表（每个问题的行、列）")


def _import(command, file=None, region=None, period=None, dry_run=False, json=False, **options):
    region, period = _region(region), _period(period)
    try:
        result = transfers.run_import(file, region=region, period=period, dry_run=dry_run)
    except Rejected as rejected:
        if json:
            write_json(command, {"ok": False, "total": rejected.total, "problems": [p.as_dict() for p in rejected.problems]})
            raise CommandError("调度表未导入（见上面的问题列表）", returncode=1) from None
        raise CommandError("调度表未导入，未保存任何数据：\n" + "\n".join(rejected.messages)) from None
    if json:
        write_json(command, {"ok": True, **result})
    else:
        command.stdout.write(transfers.summary_text(result))


def _status_arguments(parser):
    _region_and_period(parser)
    parser.add_argument("--json", action="store_true", help="输出 JSON（period、pace、projects、summary）")


def _status(command, region=None, period=None, json=False, **options):
    state = queries.status(_region(region), _period(period))
    if json:
        write_json(command, queries.contract(state))
        return
    s = state["summary"]
    command.stdout.write(f"{state['region'].name} {state['period'].year}年1-{state['period'].month}月重点项目调度："
                         f"{s['count']}个项目，序时进度{percent(state['pace'])}")
    for row in state["projects"]:
        command.stdout.write(f"[{rules.LIGHT_LABELS[row['light']]}] {row['name']}（{row['kind_label']}，{row['unit']}）"
                             f"本年计划{amount(row['year_plan'], '万元')}，完成{amount(row['done_ytd'], '万元')}，"
                             f"完成率{percent(row['completion'])}" + ("；" + "；".join(row["reasons"]) if row["reasons"] else ""))
    command.stdout.write(f"合计：本年计划{amount(s['year_plan'], '万元')}，完成{amount(s['done_ytd'], '万元')}，"
                         f"完成率{percent(s['completion_rate'])}；开工率{percent(s['start_rate'])}"
                         f"（{s['started']}/{s['to_start']}）；开工未入库 {len(s['started_not_in_statistics'])} 个")
    for missing in state["missing"]:
        command.stdout.write(f"未报送：{missing['unit']}（{'、'.join(missing['projects'])}）")


def _ranking_arguments(parser):
    parser.add_argument("--city", required=True, metavar="CODE", help="市的行政区划代码，如 370100")
    parser.add_argument("--period", required=True, metavar="YYYY-MM", help="调度月份，如 2026-09（1-9月）")
    parser.add_argument("--json", action="store_true", help="输出 JSON（city、period、counties）")


def _ranking(command, city=None, period=None, json=False, **options):
    city = _region(city)
    if city.level != RegionLevel.CITY:
        raise CommandError(f"{city.name}不是市（--city 为市的行政区划代码，如 370100）")
    data = queries.ranking_contract(city, _period(period))
    if json:
        write_json(command, data)
        return
    command.stdout.write(f"{city.name}各区县 {data['period']} 重点项目投资完成率、开工率排名：")
    for row in data["counties"]:
        if not row["count"]:
            command.stdout.write(f"{row['name']}：没有列入计划的重点项目")
            continue
        command.stdout.write(f"{row['name']}：{row['count']}个项目，完成率{percent(row['completion_rate'])}"
                             f"（第{row['completion_rank']}位），开工率{percent(row['start_rate'])}"
                             + (f"（第{row['start_rank']}位）" if row["start_rank"] else ""))


def _export_arguments(parser):
    parser.add_argument("file", metavar="FILE", help="输出文件（.xlsx 或 .csv）")
    _region_and_period(parser)


def _export(command, file=None, region=None, period=None, **options):
    try:
        write_file(ScheduleTable(queries.status(_region(region), _period(period))), file)
    except ValueError as error:
        raise CommandError(str(error)) from None
    command.stdout.write(f"已导出调度表：{file}")


def _sweep_arguments(parser):
    add_on_argument(parser, "巡查日期，YYYY-MM-DD（默认今天）")


def _sweep(command, on=None, **options):
    from luoshi.projects.sweep import run_sweep_command

    run_sweep_command(command, day_on(on, "巡查日期（--on）"))


def _problems_arguments(parser):
    parser.add_argument("--region", required=True, metavar="CODE", help="地区的行政区划代码，如 370115")
    add_on_argument(parser, "日期，YYYY-MM-DD（默认今天）：按此日计算问题的等待天数")
    parser.add_argument("--all", action="store_true", help="连同已解决的问题")
    parser.add_argument("--output", metavar="FILE", help="导出到文件（.xlsx 或 .csv）")


def _problems(command, region=None, on=None, all=False, output=None, **options):
    from luoshi.projects.exports import ProblemList

    state = queries.problem_list(_region(region), day_on(on, "日期（--on）"), solved=all)
    if output:
        try:
            write_file(ProblemList(state), output)
        except ValueError as error:
            raise CommandError(str(error)) from None
        command.stdout.write(f"已导出要素保障问题清单：{output}")
        return
    command.stdout.write(state["title"])
    for row in state["rows"]:
        command.stdout.write(f"{row['number']}. [{row['state_label']}] {row['project']}：{row['kind_label']}，"
                             f"{row['level_label']}，{row['unit']}，时限{row['deadline_text']}，已{row['age']}天"
                             + ("（逾期）" if row["overdue"] else "") + f"——{row['text']}")


# subcommand -> (help, add_arguments(parser), handle(command, **options)); other rooms add their lines (pipeline).
SUBCOMMANDS = {
    "import": ("导入重点项目调度表（先校验每一行，全部无误才保存）", _import_arguments, _import),
    "status": ("某地区某月的重点项目调度情况：亮灯、完成率、开工率", _status_arguments, _status),
    "export": ("导出某地区某月的重点项目调度表", _export_arguments, _export),
    "ranking": ("某市各区县某月的重点项目投资完成率、开工率排名", _ranking_arguments, _ranking),
    "pipeline": ("某地区某月的双招双引（招商项目）：签约、开工、投产、到位资金、实际利用外资", pipeline_cli.arguments,
                 pipeline_cli.handle),
    "sweep": ("重点项目巡查：红灯项目开具督办单，逾期的要素保障问题提请督办", _sweep_arguments, _sweep),
    "problems": ("某地区的要素保障问题清单（调度会用，按等待时间排序）", _problems_arguments, _problems),
}


class Command(SubcommandTable):
    help = "重点项目：调度表导入导出、调度情况。"
    subcommands = SUBCOMMANDS
