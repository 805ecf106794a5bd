"""Demo daily reports: 疫情防控日报 for every demo village, two weeks ending on the demo's day (ctx["as_of"], today
unless `luoshi demo --as-of` says otherwise), some late and some missing; on that day only those sent by now (by noon
on a day other than today).

Illustrative data. The form and its villages go through the services; the reports are bulk-created (one audit
entry) so that `luoshi demo` stays fast. Idempotent: a second run only adds the days that are not there yet.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from luoshi.audit.services import record
from luoshi.daily import rules, services
from luoshi.daily.models import DailyForm, DailyReport
from luoshi.work.demo import demo_day

DAYS = 14
FIELDS = """new_cases | 新增确诊病例 | 整数 | 必填 | 0-100
suspected | 新增疑似病例 | 整数 | 必填 | 0-100
returnees | 当日返乡人员 | 整数 | 必填 | 0-5000
home_quarantine | 居家观察人数 | 整数 | 必填 | 0-5000
checkpoint | 卡口是否24小时值守 | 是否 | 必填
risk | 风险等级 | 选项 | 必填 | 低/中/高
note | 其他需要报告的情况 | 文本"""
# Villages (by index in ctx["villages"]) that often miss, to make "缺报最多" worth looking at.
OFTEN_MISSING = {5, 17, 30}


def build(ctx):
    district = ctx["district"]
    villages = ctx["villages"]
    today = demo_day(ctx)
    start = today - timedelta(days=DAYS - 1)
    form = DailyForm.objects.filter(code="yiqing").first()
    if form is None:
        form = services.define_form(None, code="yiqing", title="疫情防控日报", region=district, fields=FIELDS)
        services.assign_villages(None, form, [district.code], start)
    version = form.current_version
    specs = services.specs_of(version)
    reporter = ctx.get("users", {}).get("cunju")
    have = set(DailyReport.objects.filter(form=form, day__gte=start).values_list("village_id", "day"))
    now = timezone.now() if today == timezone.localdate() else timezone.make_aware(datetime.combine(today, time(12)))
    reports = []
    for index, village in enumerate(villages):
        last = None  # the village's latest values: a zero report keeps its yes/no and 选项 answers (rules.zero_values)
        for offset in range(DAYS):
            day = start + timedelta(days=offset)
            if (village.pk, day) in have:
                continue
            rng = random.Random(f"{village.code}{day}")
            if rng.random() < (0.35 if index in OFTEN_MISSING else 0.04):
                continue
            late = rng.random() < 0.1
            minutes = rng.randint(605, 900) if late else rng.randint(420, 595)
            at = timezone.make_aware(datetime.combine(day, time(0)) + timedelta(minutes=minutes))
            if at > now:
                continue
            zero = rng.random() < 0.25
            values = rules.zero_values(specs, last) if zero else {
                "new_cases": 0, "suspected": int(rng.random() < 0.05), "returnees": rng.randint(0, 30),
                "home_quarantine": rng.randint(0, 12), "checkpoint": rng.random() < 0.9, "risk": "低", "note": None}
            last = values
            reports.append(DailyReport(
                form=form, form_version=version, village=village, day=day, version=1, is_current=True, values=values,
                zero_report=zero, late=rules.is_late(day, timezone.localtime(at), version.deadline), first_submitted_at=at,
                submitted_at=at, submitted_by=reporter if village.code == "370115001201" else None,
                idempotency_key=f"demo-{village.code}-{day}"))
    DailyReport.objects.bulk_create(reports, batch_size=500)
    if reports:
        record(None, "生成演示村居日报", form, after={"reports": len(reports), "from": start, "to": today})
    ctx["daily_form"] = form
    return ctx
