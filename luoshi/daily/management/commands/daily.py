"""luoshi daily status [--on YYYY-MM-DD] [--town CODE] [--form CODE] [--json]; luoshi daily remind.
`--on` is the day (default today); its old name `--date` is still accepted."""

from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from luoshi.core.commands import SubcommandTable, add_on_argument, day_on, no_arguments, write_json
from luoshi.daily import queries, rules, services
from luoshi.daily.models import DailyForm
from luoshi.orgs.models import Region, RegionLevel


def _status_arguments(parser):
    add_on_argument(parser, "日期，YYYY-MM-DD（默认今天；旧名 --date 仍可用）", "--date")
    parser.add_argument("--town", help="只看一个镇（街道），行政区划代码")
    parser.add_argument("--form", help="只看一个日报表单（表单代码）；默认全部启用的表单")
    parser.add_argument("--json", action="store_true", help="输出 JSON 数组，每个村（社区）一个对象")


def _status(command, on=None, town=None, form=None, json=False, **options):
    day = day_on(on)
    rows = _status_rows(day, _village_q(town), _forms(form))
    if json:
        write_json(command, rows)
        return
    for row in rows:
        when = f" {row['submitted_at'][11:16]}" if row["submitted_at"] else ""
        zero = "（零报告）" if row["zero_report"] else ""
        command.stdout.write(f"{row['town_name']} {row['name']}（{row['village']}）[{row['form']}]："
                             f"{rules.STATUS_LABELS[row['status']]}{when}{zero}")
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in rules.STATUSES}
    command.stdout.write(f"{day:%Y-%m-%d} 合计：" + "，".join(f"{rules.STATUS_LABELS[s]} {n}" for s, n in counts.items()))


def _village_q(town_code):
    if not town_code:
        return Q()
    town = Region.objects.filter(code=town_code, level=RegionLevel.TOWN).first()
    if town is None:
        raise CommandError(f"镇（街道）{town_code} 不存在")
    return Q(village__code__startswith=town.prefix)


def _forms(code):
    if not code:
        return DailyForm.objects.filter(active=True).select_related("current_version")
    forms = DailyForm.objects.filter(code=code).select_related("current_version")
    if not forms:
        raise CommandError(f"日报表单「{code}」不存在")
    return forms


def _status_rows(day, village_q, forms):
    """One object per village and form (the JSON contract: village, name, town, status, submitted_at, zero_report)."""
    rows = []
    for form in forms:
        for row in queries.day_rows(form, day, village_q):
            submitted = row["submitted_at"]
            rows.append({
                "village": row["village"], "name": row["name"], "town": row["town"], "status": row["status"],
                "submitted_at": timezone.localtime(submitted).isoformat() if submitted else None,
                "zero_report": row["zero_report"],
                "town_name": row["town_name"], "form": form.code, "version": row["version"],
            })
    return rows


def _remind(command, **options):
    queued = services.send_reminders()
    command.stdout.write(f"已排队并发送提醒 {queued} 条")


# subcommand -> (help, add_arguments(parser), handle(command, **options))
SUBCOMMANDS = {
    "status": ("某天每个村（社区）的报送情况", _status_arguments, _status),
    "remind": ("发送截止前提醒和截止后的缺报名单（可每隔几分钟运行一次）", no_arguments, _remind),
}


class Command(SubcommandTable):
    help = "村居日报：按日期列出每个村（社区）的报送情况；发送截止前提醒和缺报名单。"
    subcommands = SUBCOMMANDS
