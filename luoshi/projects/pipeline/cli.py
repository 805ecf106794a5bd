"""`luoshi projects pipeline --region CODE --period YYYY-MM [--json]`: a county's 招商 pipeline as of a month; a line
of the projects command's table (projects/management/commands/projects.py)."""

from django.core.management.base import CommandError

from luoshi.core.commands import write_json
from luoshi.core.problems import Rejected
from luoshi.core.wording import amount, percent
from luoshi.orgs.models import Region
from luoshi.projects.pipeline import queries, rules
from luoshi.projects.services import parse_month


def arguments(parser):
    parser.add_argument("--region", required=True, metavar="CODE", help="地区的行政区划代码，如 370115")
    parser.add_argument("--period", required=True, metavar="YYYY-MM", help="月份，如 2020-03（本年1-3月）")
    parser.add_argument("--json", action="store_true",
                        help="输出 JSON（period、signed、contract_total、started、producing、funds_arrived、fdi_usd、rates）")


def handle(command, region=None, period=None, json=False, **options):
    place = Region.objects.filter(code=(region or "").strip()).first()
    if place is None:
        raise CommandError(f"地区 {region} 不存在（--region 为行政区划代码，如 370115）")
    try:
        month = parse_month(period, "月份（--period）")
    except Rejected as rejected:
        raise CommandError("；".join(rejected.messages)) from None
    state = queries.board(place, month)
    if json:
        write_json(command, queries.contract(state))
        return
    s = state["summary"]
    command.stdout.write(f"{place.name} {month.year}年1-{month.month}月双招双引：签约项目{s['signed']}个，"
                         f"合同投资额{amount(s['contract_total'], '万元')}；履约率{percent(s['rates']['performance'])}，"
                         f"开工率{percent(s['rates']['start'])}（{s['started']}个），投产率{percent(s['rates']['production'])}"
                         f"（{s['producing']}个），到位资金{amount(s['funds_arrived'], '万元')}，"
                         f"资金到位率{percent(s['rates']['funds'])}；实际利用外资{amount(s['fdi_usd'], '万美元')}")
    command.stdout.write("招商漏斗：" + " → ".join(f"{label}{count}个" for _, label, count in state["funnel"]))
    for row in state["stalled"]:
        command.stdout.write(f"签约后{rules.STALL_MONTHS}个月无进展：{row['name']}（{row['unit']}，{row['stage_label']}于"
                             f"{row['stage_on'].year}年{row['stage_on'].month}月{row['stage_on'].day}日）")
