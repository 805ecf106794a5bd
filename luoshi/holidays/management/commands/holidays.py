"""luoshi holidays load --year YYYY FILE [--notice 文号] [--note 说明] [--check] [--user NAME];
luoshi holidays show --year YYYY [--version N] [--json].

load reads the notice's text (txt) or a table (csv, xlsx: 日期, 类型, 名称), prints what it read, and saves it as
the year's next version; any problem: exit status 1 with the problems line by line, nothing saved. --check reads
only."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from luoshi.core import workdays
from luoshi.core.commands import SubcommandTable, write_json
from luoshi.core.limits import read_path
from luoshi.core.problems import Rejected
from luoshi.holidays import queries, rules, services
from luoshi.holidays.transfers import read_file


def _year(value):
    try:
        return services.check_year(value)
    except Rejected as rejected:
        raise CommandError("；".join(rejected.messages)) from None


def _load_arguments(parser):
    parser.add_argument("--year", required=True, help="年度，如 2027")
    parser.add_argument("file", help="通知原文（txt，UTF-8 或 GBK），或表格（csv、xlsx：日期、类型、名称）")
    parser.add_argument("--notice", default="", help="通知文号（可不填；原文中有则自动读取）")
    parser.add_argument("--note", default="", help="说明（如：更正春节调休）")
    parser.add_argument("--check", action="store_true", help="只读取核对，不保存")
    parser.add_argument("--user", help="记入审计日志的操作账号（默认：命令行）")


def _refuse(command, problems):
    command.stderr.write(f"放假安排被拒绝，共 {len(problems)} 个问题，未保存任何数据：")
    for problem in problems:
        command.stderr.write(f"  - {problem}")
    sys.exit(1)


def _load(command, year=None, file=None, notice="", note="", check=False, user=None, **options):
    year = _year(year)
    actor = None
    if user:
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"账号 {user} 不存在")
    try:
        reading = read_file(read_path(file), file, year)
    except FileNotFoundError:
        raise CommandError(f"文件不存在：{file}") from None
    except Rejected as rejected:
        _refuse(command, rejected.messages)
    if reading.problems:
        _refuse(command, [str(p) for p in reading.problems])
    _write_days(command, reading.days)
    if check:
        command.stdout.write(f"核对无误：{year}年 放假 {reading.rest_count} 天，调休上班 {reading.work_count} 天（未保存）。")
        return
    try:
        arrangement = services.load_year(actor, reading, source_name=file, source_text=_source_text(file, reading),
                                         notice_number=notice, note=note)
    except Rejected as rejected:
        _refuse(command, rejected.messages)
    command.stdout.write(f"已录入{year}年放假安排（第{arrangement.version}版）：放假 {reading.rest_count} 天，"
                         f"调休上班 {reading.work_count} 天。各服务器将在 {queries.check_seconds()} 秒内按新安排计算工作日。")


def _source_text(file, reading):
    """What is kept as the source: the notice's text for a text file, the days as a table for a sheet."""
    if file.lower().endswith((".txt", ".text")) or "." not in file.rsplit("/", 1)[-1]:
        from luoshi.core.tabular import decode_text

        return decode_text(read_path(file))
    return reading.as_table()


def _write_days(command, days):
    for day in days:
        command.stdout.write(f"{day.day:%Y-%m-%d} 周{rules.WEEKDAYS[day.day.weekday()]} {rules.KIND_LABELS[day.kind]} "
                             f"{day.name}")


def _show_arguments(parser):
    parser.add_argument("--year", required=True, help="年度，如 2027")
    parser.add_argument("--version", type=int, help="版本（默认现行版本）")
    parser.add_argument("--json", action="store_true", help="输出 JSON：年度、版本、录入人、日期列表")


def _show(command, year=None, version=None, json=False, **options):
    year = _year(year)
    versions = queries.versions(year)
    shown = versions[0] if versions else None
    if version is not None:
        shown = next((v for v in versions if v.version == version), None)
        if shown is None:
            raise CommandError(f"{year}年放假安排没有第{version}版")
    days = queries.days_of(shown) if shown else []
    if json:
        write_json(command, None if shown is None else {
            "year": year, "version": shown.version, "current": shown.version == versions[0].version,
            "loaded_at": timezone.localtime(shown.loaded_at).isoformat(), "loaded_by": shown.loaded_by_label,
            "notice_number": shown.notice_number, "note": shown.note, "versions": [v.version for v in versions],
            "days": [{"date": d.day.isoformat(), "kind": d.kind, "kind_label": rules.KIND_LABELS[d.kind], "name": d.name}
                     for d in days]})
        return
    if shown is None:
        source = "内置日历（chinesecalendar）" if workdays.package_covers(year) else "按周一至周五计算工作日"
        command.stdout.write(f"{year}年尚未录入放假安排：{source}。")
        return
    current = "现行" if shown.version == versions[0].version else f"早先版本，现行为第{versions[0].version}版"
    notice = f"，{shown.notice_number}" if shown.notice_number else ""
    command.stdout.write(f"{year}年放假安排 第{shown.version}版（{current}；{shown.loaded_by_label} "
                         f"{timezone.localtime(shown.loaded_at):%Y-%m-%d %H:%M} 录入{notice}）")
    _write_days(command, days)
    command.stdout.write(f"合计：放假 {sum(d.kind == rules.REST for d in days)} 天，"
                         f"调休上班 {sum(d.kind == rules.WORK for d in days)} 天；共 {len(versions)} 版。")


# subcommand -> (help, add_arguments(parser), handle(command, **options))
SUBCOMMANDS = {
    "load": ("录入一年的放假安排（通知原文或表格），先核对每一行，全部无误才保存为新版本", _load_arguments, _load),
    "show": ("显示一年的放假安排（默认现行版本）", _show_arguments, _show),
}


class Command(SubcommandTable):
    help = "放假安排：按国务院办公厅通知录入法定节假日和调休上班日，用于计算工作日。"
    subcommands = SUBCOMMANDS
