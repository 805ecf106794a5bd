"""The home page's figures (驾驶舱): a few counts from each app's own queries and access rules, each with the page
behind it. Read only; no per-task loops beyond the work board's own."""

import re
from collections import Counter
from datetime import date, timedelta
from urllib.parse import urlencode

import orjson
from django.urls import reverse
from django.utils import timezone

from luoshi.core import wording
from luoshi.orgs.models import Role

DASHBOARD_ROLES = {Role.LEADER, Role.ANALYSIS, Role.SUPERVISION, Role.STATISTICS}
TOP_OVERDUE = 5
# The headline indicators a leader asks for first, in this order (indicator catalog codes; a code the catalog lacks is
# left out). A constant for now; a deployment may want its own list later.
HEADLINE = ("gdp", "industry_va", "fai", "retail", "budget_revenue", "fdi")
TREND_MONTHS = 12
TOP_RED = 5  # the region's red tasks listed (the leader's own: TOP_MINE)
TOP_MINE = 8
TOP_DECISIONS = 6
EPOCH = date(1970, 1, 1)  # the Gantt rows' day numbers count from here
DUE_SOON_DAYS = 14


def is_dashboard_reader(access):
    return access.is_admin or bool(access.roles & DASHBOARD_ROLES)


def _url(name, *args, **params):
    url = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def indicators(user):
    """The region's indicator lights and the 双过半 outlook (or the verdict, from June on) of its latest period, and the
    headline cards (HEADLINE: value, growth, 全市位次 and its change, light, a 12-month trend) from the same table."""
    from luoshi.core.periods import period_code, period_label
    from luoshi.indicators import access, queries, rules
    from luoshi.indicators.models import Figure, Indicator

    if not access.readable_regions(user).exists():
        return None
    region = access.default_region(user)
    this_month = timezone.localdate().replace(day=1)
    period = (Figure.objects.filter(region=region, current=True, period__lte=this_month).order_by("-period")
              .values_list("period", flat=True).first())
    if period is None:
        return {"region": region, "period": None, "url": _url("indicators:index", region=region.code), "headline": [],
                "trend": None}
    catalog = list(Indicator.objects.all())
    rows = queries.table(region, period, catalog)
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
    by_code = {i.code: i for i in catalog}
    headline_indicators = [by_code[code] for code in HEADLINE if code in by_code]
    trend, months = queries.growth_trend(region, headline_indicators, period, TREND_MONTHS)
    row_of = {r["indicator"]: r for r in rows}
    headline = [headline_card(i, row_of.get(i.code), _url("indicators:indicator", i.code, region=region.code))
                for i in headline_indicators]
    return {
        "region": region, "period": period, "period_label": period_label(period), "url": url, "rows": len(rows),
        "lights": [(light, rules.LIGHT_LABELS[light], lights.get(light, 0)) for light in (rules.GREEN, rules.YELLOW, rules.RED)],
        "half_label": half_label, "on_course": verdicts.count(True), "off_course": verdicts.count(False),
        "behind": [r for r in rows if r["light"] == rules.RED][:TOP_OVERDUE],
        "headline": headline,
        "trend": {"cards": [{"id": f"spark-{card['code']}", "growth": trend[card["code"]],
                             "words": [wording.growth(g) for g in trend[card["code"]]]} for card in headline],
                  "labels": [period_label(m) for m in months]},
    }


def headline_card(indicator, row, url):
    """One headline indicator as the 驾驶舱 writes it (core.wording): the value with its unit (an indicator published
    as growth only has its growth as the figure), growth (下降3.0%), 全市位次 (第3位) and its change (前移2位), the
    light and how far from 序时进度 or the target growth; a quarterly one at its latest quarter, labelled (1-9月);
    without a figure, 暂无数据."""
    from luoshi.indicators import rules

    card = {"code": indicator.code, "name": indicator.name, "url": url, "growth_only": indicator.growth_only,
            "note": "", "missing": True, "value": wording.MISSING, "growth": "", "rank": "", "peers": None,
            "rank_change": "", "change": "", "light": None, "light_label": "", "gap": "", "gap_parts": ("", ""), "sign": ""}
    if row is None or (row["value"] is None and row["growth"] is None):
        return card
    card["missing"] = False
    card["note"] = row["period_note"]  # a quarterly indicator read at its latest quarter: 1-9月
    card["growth"] = wording.growth(row["growth"])
    card["sign"] = "" if row["growth"] is None or card["growth"] == "持平" else "neg" if row["growth"] < 0 else "pos"
    card["value"] = card["growth"] if indicator.growth_only else wording.amount(row["value"], indicator.unit)
    if row["rank"] is not None:
        card["rank"] = f"全市{wording.rank(row['rank'])}"
        card["peers"] = row["peers"]
    if row["rank_change"] is not None:
        card["rank_change"] = wording.rank_change(row["rank_change"])
        card["change"] = "up" if row["rank_change"] > 0 else "down" if row["rank_change"] < 0 else "same"
    if row["light"]:
        card["light"], card["light_label"] = row["light"], rules.LIGHT_LABELS[row["light"]]
    if row["gap"] is not None:
        has_value_target = row["completion"] is not None
        card["gap"] = wording.gap(row["gap"], against="序时进度" if has_value_target else "目标")
        # Where a narrow card may break the line: before the number (低于序时进度 | 6.05个百分点).
        card["gap_parts"] = re.match(r"(\D*)(.*)", card["gap"]).groups()
    return card


# (as of, task id, revision, report cycle, the part's milestone rows) → that task's seriously overdue milestone rows: a
# part of the Gantt rows is replaced when its task's revision moves or the working-day calendar's version does (a
# year's 放假安排 loaded: core.workdays), so an entry's key says whether it is still the task's judgement. The rows
# themselves (bytes, whose hash Python keeps) in the key: whatever calendar judged the part, this is what it said.
_serious_rows = {}
SERIOUS_CACHE = 20000


def _serious_of(as_of, part, serious_index):
    key = (as_of, part.task[0], part.revision, part.cycle, part.milestones)
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
    red_tasks = []  # (task id, its seriously overdue milestones), plan order
    for part in parts:  # task: [id, campaign_id, number, title, lead_unit_id, start, deadline, light, …]
        task = part.task
        light = lights[task[7]]
        by_campaign.setdefault(task[1], Counter())[light] += 1
        totals[light] += 1
        if task[7] == red:
            found = _serious_of(today, part, serious_index)
            red_tasks.append((task[0], len(found)))
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
            "serious": len(serious), "serious_top": top, "overdue_url": overdue_url,
            "red": red_tasks_of(user, red_tasks)}


def red_tasks_of(user, red_tasks):
    """The red tasks: those whose responsible leader (包保/分管) is this user first ("mine", work.queries.led_task_ids),
    then the rest of the region's; each list the most seriously overdue milestones first, then in plan order.
    `red_tasks`: [(task id, seriously overdue milestones)] in plan order, as work() found them."""
    from luoshi.work import queries, rules

    led = queries.led_task_ids(user) if red_tasks else set()
    ranked = sorted(red_tasks, key=lambda t: -t[1])  # stable: plan order among equals
    mine = [t for t in ranked if t[0] in led]
    others = [t for t in ranked if t[0] not in led]
    shown = mine[:TOP_MINE] + others[:TOP_RED]
    tasks = queries.tasks_by_id([t[0] for t in shown]) if shown else {}

    def row(task_id, serious):
        task = tasks.get(task_id)
        if task is None:  # gone since the chart judged it
            return None
        leader = task.leader.name if task.leader_id else task.leader_name
        return {"number": task.number, "title": task.title, "unit": task.lead_unit.short_name or task.lead_unit.name,
                "leader": leader, "url": reverse("work:task", args=[task_id]),
                "why": f"严重滞后节点{serious}个" if serious else f"连续{rules.SERIOUS_MISSED_PERIODS}期以上缺报"}

    mine_rows = [r for r in (row(*t) for t in mine[:TOP_MINE]) if r]
    other_rows = [r for r in (row(*t) for t in others[:TOP_RED]) if r]
    return {"count": len(red_tasks), "mine": mine_rows, "mine_count": len(mine), "others": other_rows,
            "others_count": len(others), "leads": bool(led), "url": reverse("work:gantt") + f"#light={rules.RED}"}


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


def red_projects(user, today):
    """The red projects this user sponsors (包保领导: Project.leader is their Person), judged as the 调度表 judges them
    this month (projects.queries.status, only those projects); None for someone who sponsors none."""
    from luoshi.orgs.models import Region
    from luoshi.projects import access, queries, rules

    if not access.can_read_projects(user):
        return None
    mine = access.visible_projects(user).filter(leader__user=user)
    regions = list(Region.objects.filter(pk__in=mine.values("region_id")).order_by("code"))  # one, in practice
    if not regions:
        return None
    month = today.replace(day=1)
    rows = []
    for region in regions:
        state = queries.status(region, month, projects=mine)
        rows += [{"name": r["name"], "unit": r["unit"], "why": "；".join(r["reasons"]),
                  "url": reverse("projects:project", args=[r["id"]])} for r in state["projects"] if r["light"] == rules.RED]
    return {"count": len(rows), "rows": rows[:TOP_MINE],
            "url": _url("projects:table", region=regions[0].code, period=f"{month:%Y-%m}")}


def decisions(user, access):
    """What waits for this user's decision, oldest first: the 调整计划 requests they may approve (work.access), the
    处理建议 and 考核加减分 of the counties they lead (supervision.consequences.queries.pending_for_leader), the projects'
    增补 and 退库 (projects.queries.pending_for_leader). None for
    someone who decides nothing and has nothing waiting (a leader always gets the card, saying when it is empty)."""
    from luoshi.projects.queries import pending_for_leader as projects_pending
    from luoshi.supervision.consequences.queries import pending_for_leader
    from luoshi.work import access as work_access
    from luoshi.work import queries as work_queries

    items = []
    if work_access.can_list_rebaselines(user):
        for r in work_queries.pending_rebaselines(work_access.rebaseline_filter(user)):
            if not work_access.can_approve_rebaseline(user, r):
                continue
            task = r.target_task
            about = "完成时限" if r.task_id else f"节点“{r.milestone.title}”"
            who = (r.unit.short_name or r.unit.name) if r.unit_id else "督查室"
            items.append({"kind": "rebaseline", "kind_label": "调整计划",
                          "title": f"{task.number} {task.title}：{about}由{wording.short_day(r.old_due)}调至"
                                   f"{wording.short_day(r.new_due)}",
                          "unit": who, "since": timezone.localtime(r.requested_at).date(),
                          "url": reverse("work:task", args=[task.pk]) + "#rebaselines"})
    for item in [*pending_for_leader(user), *projects_pending(user)]:
        items.append({"kind": item.kind, "kind_label": item.kind_label, "title": item.title, "unit": item.unit,
                      "since": item.since, "url": item.url})
    if not items and Role.LEADER not in access.roles:
        return None
    items.sort(key=lambda i: i["since"])
    counts = Counter(i["kind_label"] for i in items)
    for item in items:
        item["since_text"] = f"{wording.short_day(item['since'])}提出"
    return {"items": items[:TOP_DECISIONS], "count": len(items), "counts": sorted(counts.items()),
            "rebaselines_url": reverse("work:rebaselines"), "consequences_url": reverse("supervision:consequences")}


def build(user, access):
    """Every card of every role the person holds: an office's 驾驶舱 and, for the head of 发改局 who also holds the unit
    role of his bureau, that unit's own milestones and notices beside it (an administrator: the 驾驶舱 only)."""
    today = timezone.localdate()
    context = {"today": today}
    if is_dashboard_reader(access):
        context.update(dashboard=True, indicators=indicators(user), work=work(user, today), daily=daily(user, today),
                       supervision=supervision(user, today), decisions=decisions(user, access),
                       red_projects=red_projects(user, today))
    if Role.REPORTER in access.roles:
        context["reporter"] = reporter_home(user, today)
    if Role.UNIT in access.roles:
        context["unit"] = unit_home(user, today)
        if "daily" not in context:
            context["daily"] = daily(user, today)  # a town government: its villages' reports today
    return context
