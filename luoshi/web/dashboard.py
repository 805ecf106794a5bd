"""The home page's figures (驾驶舱): a few counts from each app's own queries and access rules, each with the page
behind it. Read only; no per-task loops beyond the work board's own."""

from collections import Counter
from datetime import date, timedelta
from urllib.parse import urlencode

import orjson
from django.urls import reverse
from django.utils import timezone

from luoshi.orgs.models import Role

DASHBOARD_ROLES = {Role.LEADER, Role.ANALYSIS, Role.SUPERVISION, Role.STATISTICS}
TOP_OVERDUE = 5
EPOCH = date(1970, 1, 1)  # the Gantt rows' day numbers count from here
DUE_SOON_DAYS = 14


def is_dashboard_reader(access):
    return access.is_admin or bool(access.roles & DASHBOARD_ROLES)


def _url(name, *args, **params):
    url = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def indicators(user):
    """The region's indicator lights and the 双过半 outlook (or the verdict, from June on) of its latest period."""
    from luoshi.core.periods import period_code, period_label
    from luoshi.indicators import access, queries, rules
    from luoshi.indicators.models import Figure

    if not access.readable_regions(user).exists():
        return None
    region = access.default_region(user)
    this_month = timezone.localdate().replace(day=1)
    period = (Figure.objects.filter(region=region, current=True, period__lte=this_month).order_by("-period")
              .values_list("period", flat=True).first())
    if period is None:
        return {"region": region, "period": None, "url": _url("indicators:index", region=region.code)}
    rows = queries.table(region, period)
    lights = Counter(r["light"] for r in rows)
    if period.month < 6:
        verdicts = [rules.half_half_outlook(period.month, r["completion"], r["time_progress"], r["growth"],
                                            r["target_growth"]) for r in rows]
        half_label = "双过半预判"
    elif period.month == 6:
        verdicts = [r["half_half"] for r in rows]
        half_label = "双过半（1-6月）"
    else:  # the half year is judged on its own figure; later months have no 双过半 line
        verdicts, half_label = [], None
    url = _url("indicators:index", region=region.code, period=period_code(period))
    return {
        "region": region, "period": period, "period_label": period_label(period), "url": url, "rows": len(rows),
        "lights": [(light, rules.LIGHT_LABELS[light], lights.get(light, 0)) for light in (rules.GREEN, rules.YELLOW, rules.RED)],
        "half_label": half_label, "on_course": verdicts.count(True), "off_course": verdicts.count(False),
        "behind": [r for r in rows if r["light"] == rules.RED][:TOP_OVERDUE],
    }


# (as of, task id, revision, report cycle) → that task's seriously overdue milestone rows: a part of the Gantt rows is
# replaced when its task's revision moves, so an entry's key says whether it is still the task's judgement.
_serious_rows = {}
SERIOUS_CACHE = 20000


def _serious_of(as_of, part, serious_index):
    key = (as_of, part.task[0], part.revision, part.cycle)
    rows = _serious_rows.get(key)
    if rows is None:
        # [id, task_id, title, due, done_on, status, …] (queries.ChartPart)
        rows = [m for m in orjson.loads(b"[" + part.milestones + b"]") if m[5] == serious_index] if part.milestones else []
        if len(_serious_rows) >= SERIOUS_CACHE:
            _serious_rows.clear()
        _serious_rows[key] = rows
    return rows


def work(user, today):
    """Key-work lights per campaign and the seriously overdue milestones (count and the longest late few).

    From the Gantt chart's judged parts (work.gantt.shown_parts): judged as work.queries.board judges, kept between
    requests per task revision, so 5,000 tasks cost one query of revisions once the chart or this page has judged
    them today (docs/benchmarks.md, bench/home.py). Only red tasks can hold a seriously overdue milestone."""
    from luoshi.core import workdays
    from luoshi.orgs.models import Unit
    from luoshi.supervision.access import can_read_supervision
    from luoshi.work import access, queries, rules
    from luoshi.work.gantt import shown_parts
    from luoshi.work.models import Milestone

    if not access.can_read_work(user):
        return None
    with queries.paused_gc():
        campaigns_, parts = shown_parts(today, user)
    lights = rules.LIGHTS
    red = queries.LIGHT_INDEX[rules.RED]
    serious_index = queries.STATUS_INDEX[rules.SERIOUSLY_OVERDUE]
    by_campaign = {}
    totals = Counter()
    serious = []
    lead_of = {}
    for part in parts:  # task: [id, campaign_id, number, title, lead_unit_id, start, deadline, light, …]
        task = part.task
        light = lights[task[7]]
        by_campaign.setdefault(task[1], Counter())[light] += 1
        totals[light] += 1
        if task[7] == red:
            found = _serious_of(today, part, serious_index)
            if found:
                serious.extend(found)
                lead_of[task[0]] = task[4]
    # The longest late first: the earliest due date (day numbers).
    serious.sort(key=lambda m: (m[3], m[0]))
    top_rows = serious[:TOP_OVERDUE]
    numbers = dict(Milestone.objects.filter(pk__in=[m[0] for m in top_rows]).values_list("id", "number"))
    units = {u: short or name for u, name, short in
             Unit.objects.filter(pk__in=[lead_of[m[1]] for m in top_rows]).values_list("id", "name", "short_name")}
    top = [{"number": numbers.get(m[0], ""), "title": m[2], "unit": units.get(lead_of[m[1]], ""),
            "late": workdays.working_days_between(workdays.effective_due(EPOCH + timedelta(days=m[3])), today),
            "url": reverse("work:task", args=[m[1]])} for m in top_rows]
    campaigns = [{"name": name, "url": _url("work:gantt", campaign=cid), "tasks": sum(by_campaign[cid].values()),
                  "lights": [(light, rules.LIGHT_LABELS[light], by_campaign[cid].get(light, 0)) for light in lights]}
                 for cid, name, _ in campaigns_ if cid in by_campaign]
    overdue_url = reverse("supervision:chain_overdue") if can_read_supervision(user) else reverse("work:index")
    return {"campaigns": campaigns, "tasks": len(parts), "url": reverse("work:index"),
            "lights": [(light, rules.LIGHT_LABELS[light], totals.get(light, 0)) for light in lights],
            "serious": len(serious), "serious_top": top, "overdue_url": overdue_url}


def daily(user, today):
    """Today's missing village reports in the reader's area (the first active form): the district's for its readers,
    a town's for its government."""
    from django.db.models import Q

    from luoshi.daily import access, queries
    from luoshi.orgs.models import Region, RegionLevel

    if not (access.is_district_reader(user) or access.town_regions(user)):
        return None
    area = access.home_area(user)
    if area is None and access.access_for(user).is_admin:
        area = Region.objects.filter(level=RegionLevel.COUNTY, daily_forms__isnull=False).first()
    form = access.visible_forms(user).filter(active=True).first()
    if area is None or form is None:
        return None
    village_q = Q(village__code__startswith=area.prefix) & access.village_filter(user)
    _, total = queries.town_rollup(form, today, village_q)
    return {"form": form.title, "area": area.name, "expected": total.expected, "missing": total.missing,
            "submitted": total.submitted, "url": _url("daily:index", form=form.code, area=area.code)}


def supervision(user, today):
    """Open notices and the pending ones past their reply date."""
    from django.db.models import Count, Q

    from luoshi.supervision import access
    from luoshi.supervision.models import OPEN_STATES, NoticeState, overdue_for_reply

    if not access.can_read_supervision(user):
        return None
    counts = access.visible_notices(user).aggregate(
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("id", filter=overdue_for_reply(today)),
        replied=Count("id", filter=Q(state=NoticeState.REPLIED)))
    return {**counts, "url": reverse("supervision:notices"),
            "overdue_url": _url("supervision:notices", overdue=1),
            "replied_url": _url("supervision:notices", state=NoticeState.REPLIED)}


def unit_home(user, today):
    """A unit: its milestones already late (oldest first), those due within two weeks, and its open notices."""
    from luoshi.orgs.access import access_for
    from luoshi.supervision import access as supervision_access
    from luoshi.supervision.models import OPEN_STATES
    from luoshi.work import access, rules
    from luoshi.work.models import Milestone

    if not access.can_read_work(user):
        return None
    open_ones = list(Milestone.objects.filter(task__in=access.reporting_task_ids(user), done_on__isnull=True,
                                              due__lte=today + timedelta(days=DUE_SOON_DAYS))
                     .select_related("task").order_by("due", "number")[:40])
    for m in open_ones:  # late as key work judges it: past the effective due date (a holiday moves it)
        m.late = rules.milestone_status(due=m.due, as_of=today).status in (rules.OVERDUE, rules.SERIOUSLY_OVERDUE)
    late = [m for m in open_ones if m.late][:10]
    due = [m for m in open_ones if not m.late][:10]
    notices = []
    units = access_for(user).units_for(Role.UNIT)
    if supervision_access.can_read_supervision(user):  # those sent to the unit, not all an office of it may read
        notices = list(supervision_access.visible_notices(user).filter(state__in=OPEN_STATES, unit__in=units)
                       .select_related("task").order_by("reply_due")[:10])
    return {"late": late, "due": due, "notices": notices, "days": DUE_SOON_DAYS, "url": reverse("work:mine"),
            "names": "、".join(u.short_name or u.name for u in units)}


def reporter_home(user, today):
    """A village reporter: today's report of each of their villages."""
    from luoshi.daily import access
    from luoshi.daily.models import DailyReport

    villages = access.reporter_villages(user)
    if not villages:
        return None
    forms = list(access.visible_forms(user).filter(active=True))
    done = set(DailyReport.objects.filter(village__in=villages, day=today, is_current=True, form__in=forms)
               .values_list("village_id", "form_id"))
    rows = [{"village": v.name, "form": f.title, "done": (v.pk, f.pk) in done} for v in villages for f in forms]
    return {"rows": rows, "url": reverse("daily:report"), "all_done": bool(rows) and all(r["done"] for r in rows)}


def build(user, access):
    """Every card of every role the person holds: an office's 驾驶舱 and, for the head of 发改局 who also holds the unit
    role of his bureau, that unit's own milestones and notices beside it (an administrator: the 驾驶舱 only)."""
    today = timezone.localdate()
    context = {"today": today}
    if is_dashboard_reader(access):
        context.update(dashboard=True, indicators=indicators(user), work=work(user, today), daily=daily(user, today),
                       supervision=supervision(user, today))
    if Role.REPORTER in access.roles:
        context["reporter"] = reporter_home(user, today)
    if Role.UNIT in access.roles:
        context["unit"] = unit_home(user, today)
        if "daily" not in context:
            context["daily"] = daily(user, today)  # a town government: its villages' reports today
    return context
