"""luoshi work status --on YYYY-MM-DD [--json] [--against baseline] — every milestone judged as of a date."""

import json

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.work import queries, rules


class Command(BaseCommand):
    help = "重点工作：按指定日期判定每个节点的状态和任务亮灯。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="按日期列出每个节点的状态")
        status.add_argument("--on", required=True, help="判定日期，YYYY-MM-DD")
        status.add_argument("--json", action="store_true", help="输出 JSON 数组，每个节点一个对象")
        status.add_argument("--against", choices=list(queries.AGAINST), default=queries.CURRENT,
                            help="滞后判定依据：current 现行计划（默认），baseline 原定计划（调整计划前的日期）")

    def handle(self, action, on, json=False, against=queries.CURRENT, **options):
        try:
            as_of = parse_day(on, "判定日期")
        except Rejected as rejected:
            raise CommandError(str(rejected))
        board = queries.board(as_of, against=against)
        rows = queries.status_rows(board)
        if json:
            self.stdout.write(_json.dumps(rows, ensure_ascii=False, indent=1))
            return
        if against == queries.BASELINE:
            self.stderr.write("按原定计划（调整计划前的日期）判定滞后；完成时限列为现行日期。")
        for year in board.fallback_years:
            self.stderr.write(f"注意：{year} 年不在节假日日历范围内，按周一至周五计算工作日。")
        for row in rows:
            late = f"（{row['working_days_late']} 个工作日）" if row["working_days_late"] else ""
            missed = f" {rules.missed_label(row['missed_periods'])}" if row["missed_periods"] else ""
            self.stdout.write(f"[{rules.LIGHT_LABELS[row['task_light']]}{missed}] {row['campaign']} / {row['task']} / {row['milestone']}"
                              f"（{row['lead_unit']}）完成时限 {row['due']}：{rules.STATUS_LABELS[row['status']]}{late}")
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in rules.STATUSES}
        self.stdout.write("合计：" + "，".join(f"{rules.STATUS_LABELS[s]} {n}" for s, n in counts.items()))


_json = json
