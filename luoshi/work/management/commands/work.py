"""luoshi work status [--on YYYY-MM-DD] [--json] [--against baseline] — every milestone judged as of a day (default
today, Asia/Shanghai)."""

from luoshi.core.commands import SubcommandTable, add_on_argument, day_on, warn_fallback, write_json
from luoshi.work import queries, rules


def _status_arguments(parser):
    add_on_argument(parser, "判定日期，YYYY-MM-DD（默认今天）")
    parser.add_argument("--json", action="store_true", help="输出 JSON 数组，每个节点一个对象")
    parser.add_argument("--against", choices=list(queries.AGAINST), default=queries.CURRENT,
                        help="滞后判定依据：current 现行计划（默认），baseline 原定计划（调整计划前的日期）")


def _status(command, on=None, json=False, against=queries.CURRENT, **options):
    board = queries.board(day_on(on, "判定日期"), against=against)
    rows = queries.status_rows(board)
    if json:
        write_json(command, rows)
        return
    if against == queries.BASELINE:
        command.stderr.write("按原定计划（调整计划前的日期）判定滞后；完成时限列为现行日期。")
    warn_fallback(command, board.fallback_years)
    for row in rows:
        late = f"（{row['working_days_late']} 个工作日）" if row["working_days_late"] else ""
        missed = f" {rules.missed_label(row['missed_periods'])}" if row["missed_periods"] else ""
        command.stdout.write(f"[{rules.LIGHT_LABELS[row['task_light']]}{missed}] {row['campaign']} / {row['task']} / "
                             f"{row['milestone']}（{row['lead_unit']}）完成时限 {row['due']}："
                             f"{rules.STATUS_LABELS[row['status']]}{late}")
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in rules.STATUSES}
    command.stdout.write("合计：" + "，".join(f"{rules.STATUS_LABELS[s]} {n}" for s, n in counts.items()))


def _remind_arguments(parser):
    add_on_argument(parser, "提醒日期，YYYY-MM-DD（默认今天）")


def _remind_inputs(command, on=None, **options):
    from luoshi.work import services

    sent = services.remind_inputs(day_on(on, "提醒日期"))
    command.stdout.write(f"已提醒 {sent} 个逾期未向牵头单位报送的配合单位")


def _judge_arguments(parser):
    add_on_argument(parser, "判定日期，YYYY-MM-DD（默认今天）")


def _judge(command, on=None, **options):
    from luoshi.work import judged

    day = day_on(on, "判定日期")
    result = judged.judge_day(day)
    command.stdout.write(f"已判定 {result.tasks} 项任务（{day:%Y-%m-%d}），保存 {result.stored} 项判定结果，"
                         f"清理 {result.pruned} 项过期结果")


# subcommand -> (help, add_arguments(parser), handle(command, **options))
SUBCOMMANDS = {
    "status": ("按日期列出每个节点的状态", _status_arguments, _status),
    "remind-inputs": ("提醒逾期未向牵头单位报送的配合单位（两级报送）", _remind_arguments, _remind_inputs),
    "judge": ("按日期判定全部任务并保存结果，供各服务进程的横道图和驾驶舱直接读取（每日定时任务）", _judge_arguments, _judge),
}


class Command(SubcommandTable):
    help = "重点工作：按指定日期判定每个节点的状态和任务亮灯。"
    subcommands = SUBCOMMANDS
