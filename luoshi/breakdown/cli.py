"""`luoshi breakdown import FILE --region CODE --year YYYY [--dry-run] [--json]` (and the same as `luoshi work
import-plan`, the issue's contract): read a 方案 as published, list its items and problems, and without --dry-run
import it when there are none (exit 1 with the problems otherwise). The same service as the review page's save."""

from django.core.management.base import CommandError

from luoshi.core.commands import write_json
from luoshi.core.limits import read_path
from luoshi.core.problems import Rejected
from luoshi.orgs.models import Region


def import_arguments(parser):
    parser.add_argument("file", metavar="FILE", help="任务分解方案（.docx 或 .xlsx）")
    parser.add_argument("--region", required=True, metavar="CODE", help="地区的行政区划代码，如 370115")
    parser.add_argument("--year", required=True, metavar="YYYY", help="方案的年度，如 2026")
    parser.add_argument("--dry-run", action="store_true", help="只读取和检查，不保存")
    parser.add_argument("--json", action="store_true", help="输出 JSON：tasks、problems、saved")


def import_plan(command, file=None, region=None, year=None, dry_run=False, json=False, **options):
    from luoshi.breakdown import services  # here: BreakdownConfig.ready() imports this module in every process

    found = Region.objects.filter(code=(region or "").strip()).first()
    if found is None:
        raise CommandError(f"没有行政区划代码为 {region} 的地区")
    try:
        data = read_path(file)
    except FileNotFoundError:
        raise CommandError(f"文件不存在：{file}")
    except Rejected as rejected:
        raise CommandError("；".join(rejected.messages))
    try:
        result = services.import_document(None, data=data, filename=file, region=found, year=year, dry_run=dry_run)
    except Rejected as rejected:
        if json:
            write_json(command, {"tasks": [], "problems": [{"where": "", "message": m} for m in rejected.messages],
                                 "saved": False})
        raise CommandError("；".join(rejected.messages))
    if json:
        write_json(command, result)
    else:
        _print(command, result)
    if result["problems"] and not dry_run:
        raise CommandError(f"有 {len(result['problems'])} 个问题，未保存")


def _print(command, result):
    for task in result["tasks"]:
        command.stdout.write(f"{task['number']} {task['title']}｜牵头：{'、'.join(task['lead_units']) or '—'}｜"
                             f"其他：{'、'.join(task['units']) or '—'}｜领导：{task['leader'] or '—'}｜完成时限：{task['due'] or '—'}")
    for problem in result["problems"]:
        command.stderr.write(f"{problem['where']}：{problem['message']}")
    counts = result["counts"]
    command.stdout.write(f"共 {counts['items']} 项：新增 {counts['added']}，有变化 {counts['changed']}，无变化 {counts['unchanged']}，"
                         f"撤回 {counts['withdrawn']}；问题 {len(result['problems'])} 个")
    if result["saved"]:
        summary = result["summary"]
        command.stdout.write(f"已导入「{summary['campaign']}」" + (
            f"；提出调整计划申请 {len(summary['requests'])} 项（经区领导批准后生效）" if summary["requests"] else ""))
    elif result.get("unchanged"):
        command.stdout.write("与已导入的方案相同，没有变化")


# subcommand -> (help, add_arguments(parser), handle(command, **options))
SUBCOMMANDS = {
    "import": ("读取任务分解方案（.docx/.xlsx），检查后导入为重点工作", import_arguments, import_plan),
}
