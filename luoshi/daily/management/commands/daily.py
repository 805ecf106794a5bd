"""luoshi daily status --date YYYY-MM-DD [--town CODE] [--form CODE] [--json]; luoshi daily remind."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.daily import queries, rules, services
from luoshi.daily.models import DailyForm
from luoshi.orgs.models import Region, RegionLevel


class Command(BaseCommand):
    help = "村居日报：按日期列出每个村（社区）的报送情况；发送截止前提醒和缺报名单。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="某天每个村（社区）的报送情况")
        status.add_argument("--date", required=True, help="日期，YYYY-MM-DD")
        status.add_argument("--town", help="只看一个镇（街道），行政区划代码")
        status.add_argument("--form", help="只看一个日报表单（表单代码）；默认全部启用的表单")
        status.add_argument("--json", action="store_true", help="输出 JSON 数组，每个村（社区）一个对象")
        sub.add_parser("remind", help="发送截止前提醒和截止后的缺报名单（可每隔几分钟运行一次）")

    def handle(self, action, **options):
        if action == "remind":
            queued = services.send_reminders()
            self.stdout.write(f"已排队并发送提醒 {queued} 条")
            return
        try:
            day = parse_day(options["date"])
        except Rejected as rejected:
            raise CommandError(str(rejected))
        village_q = Q()
        if options.get("town"):
            town = Region.objects.filter(code=options["town"], level=RegionLevel.TOWN).first()
            if town is None:
                raise CommandError(f"镇（街道）{options['town']} 不存在")
            village_q = Q(village__code__startswith=town.prefix)
        forms = DailyForm.objects.filter(active=True).select_related("current_version")
        if options.get("form"):
            forms = DailyForm.objects.filter(code=options["form"]).select_related("current_version")
            if not forms:
                raise CommandError(f"日报表单「{options['form']}」不存在")
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
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            when = f" {row['submitted_at'][11:16]}" if row["submitted_at"] else ""
            zero = "（零报告）" if row["zero_report"] else ""
            self.stdout.write(f"{row['town_name']} {row['name']}（{row['village']}）[{row['form']}]："
                              f"{rules.STATUS_LABELS[row['status']]}{when}{zero}")
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in rules.STATUSES}
        self.stdout.write(f"{day:%Y-%m-%d} 合计：" + "，".join(f"{rules.STATUS_LABELS[s]} {n}" for s, n in counts.items()))
