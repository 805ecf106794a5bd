"""The meeting pack (会议材料汇编): everything it shows, assembled from the other apps' read side. No writes.

The indicator table is `indicators.queries.table` — the code behind `luoshi indicators table --json` — so the pack's
numbers, lights and ranks are the table's. The .docx (word.py), the print page (views.py) and the API's JSON (api.py)
only lay out what `build` returns.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from luoshi.briefings.pack import rules
from luoshi.briefings.pack.rules import LIGHT_TEXT, summary  # noqa: F401  (summary: the API's one paragraph)
from luoshi.core import wording
from luoshi.core.periods import period_code, period_label
from luoshi.core.problems import Rejected
from luoshi.indicators import queries as indicator_queries
from luoshi.indicators import rules as indicator_rules

WEAKNESS = indicator_rules.WEAKNESS
OVERVIEW_PARTS = (("features", "运行特点"), ("problems", "存在问题"), ("suggestions", "下步建议"))


@dataclass
class Pack:
    region: object
    period: date
    meeting: object = None
    generated_on: date | None = None
    rows: list = field(default_factory=list)  # the indicator table's rows, plus the pack's keys (see _extend)
    summary: str = ""
    value_chart: dict | None = None  # {"names", "completion", "time_progress"}
    weakness_charts: list = field(default_factory=list)  # [{"name", "unit", "regions", "growths", "own"}]
    sections: list = field(default_factory=list)  # [{"row", "sections": [{"unit", "completion", "reasons", "measures", "proxy"}]}]
    work: dict | None = None
    daily: dict | None = None
    follow_ups: dict | None = None
    projects: dict | None = None  # 项目建设: projects.queries.status's figures (None when the region has none)
    pipeline: dict | None = None  # 双招双引: projects.pipeline.queries.board's figures (None when it has no leads)
    draft: dict | None = None  # the overview drafted from the data (rules.draft_overview)
    overview: dict | None = None  # what the pack shows: the analysis office's current edit, else the draft
    outlook: list = field(default_factory=list)  # rules.outlook
    peers_note: str = ""

    @property
    def has_figures(self):
        return any(r["value"] is not None or r["growth"] is not None for r in self.rows)

    @property
    def period_label(self):
        return period_label(self.period)

    @property
    def period_code(self):
        return period_code(self.period)

    @property
    def title(self):
        if self.meeting is not None:
            return self.meeting.title
        return f"{self.region.name}{self.period_label}经济运行分析材料"

    @property
    def no_figures_text(self):
        return f"{self.region.name}{self.period_label}暂无指标数据，本材料不含指标表、图表和形势分析。"

    @property
    def dated(self):
        """The cover's date: the meeting's day, or the day the pack was generated."""
        return self.meeting.held_on if self.meeting is not None else self.generated_on

    @property
    def date_text(self):
        return wording.day(self.dated)

    @property
    def classification(self):
        return rules.CLASSIFICATION

    @property
    def overview_parts(self):
        """[(key, heading, paragraphs)] of the overview the pack shows."""
        return [(key, label, self.overview[key]) for key, label in OVERVIEW_PARTS] if self.overview else []


def period_end(period: date) -> date:
    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def build(region, period: date, meeting=None, today: date | None = None) -> Pack:
    from luoshi.indicators.models import Indicator, Kind

    today = today or timezone.localdate()
    pack = Pack(region=region, period=period, meeting=meeting, generated_on=today)
    growth_only = set(Indicator.objects.filter(kind=Kind.GROWTH).values_list("code", flat=True))
    pack.rows = [_extend(row, period.month, row["indicator"] in growth_only)
                 for row in indicator_queries.table(region, period)]
    growths = indicator_queries.peer_growths(region, period) if pack.has_figures else {}
    for row in pack.rows:
        peers = growths.get(row["indicator"], [])
        first, next_up = indicator_rules.chase_gaps(row["growth"], [g for _, _, g in peers])
        row["gap_first"], row["gap_next"] = indicator_rules.r2(first), indicator_rules.r2(next_up)
    if pack.has_figures:
        pack.summary = summary(region.name, period, pack.rows)
        pack.value_chart = value_chart(pack.rows)
        pack.weakness_charts = weakness_charts(pack.rows, growths, region)
        pack.outlook = rules.outlook(pack.rows)
        pack.peers_note = rules.peers_note(pack.rows)
    if meeting is not None:
        pack.sections = _sections(meeting, pack.rows)
    as_of = min(period_end(period), today)
    pack.work = _work(region, period, as_of, today)
    pack.daily = _daily(region, period, as_of)
    pack.follow_ups = _follow_ups(region, period, meeting, today)
    pack.projects = _projects(region, period)
    pack.pipeline = _pipeline(region, period)
    pack.draft = {"issuer": rules.default_issuer(region.name, _analysis_office(region)), "doc_number": "",
                  **rules.draft_overview(region.name, period, pack.rows, pack.sections, pack.work, pack.follow_ups),
                  "version": None, "edited": False}
    pack.overview = current_overview(meeting) or pack.draft
    return pack


def _analysis_office(region):
    """The name of the unit whose people are the region's analysis office (区发展和改革局), or ""."""
    from luoshi.orgs.models import Role, Unit

    unit = (Unit.objects.filter(region=region, people__user__role_assignments__role=Role.ANALYSIS,
                                people__user__role_assignments__region=region).order_by("code").first())
    return unit.name if unit else ""


def current_overview(meeting):
    """The analysis office's current edit of the meeting's overview as the pack uses it, or None."""
    if meeting is None:
        return None
    from luoshi.briefings.models import Overview

    found = Overview.objects.filter(meeting=meeting, is_current=True).select_related("written_by").first()
    return overview_dict(found) if found else None


def overview_dict(overview):
    by = overview.written_by
    return {"issuer": overview.issuer, "doc_number": overview.doc_number,
            "features": paragraphs(overview.features_text), "problems": paragraphs(overview.problems_text),
            "suggestions": paragraphs(overview.suggestions_text), "version": overview.version, "edited": True,
            "written_by": (by.get_full_name() or by.username) if by else "系统", "written_at": overview.written_at}


def paragraphs(text):
    """Stored text as the pack's paragraphs: one per non-empty line."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


# --- the indicator table -------------------------------------------------------------------------

def _extend(row, month, growth_only=False):
    row = dict(row)
    row["growth_only"] = growth_only
    row["rank_text"] = wording.rank(row["rank"])
    row["rank_change_text"] = wording.rank_change(row["rank_change"]) if row["rank"] is not None else wording.MISSING_CELL
    row["light_text"] = LIGHT_TEXT[row["light"]]
    row["band_text"] = indicator_rules.BAND_LABELS[row["band"]]
    has_value_target = row["completion"] is not None
    row["outlook"] = indicator_rules.half_half_outlook(
        month, row["completion"], row["time_progress"] if has_value_target else None,
        None if has_value_target else row["growth"], None if has_value_target else row["target_growth"])
    return row


# --- charts --------------------------------------------------------------------------------------

def value_chart(rows):
    """Completion against 序时进度, every indicator with a value target."""
    shown = [r for r in rows if r["completion"] is not None]
    if not shown:
        return None
    return {"title": "主要指标完成进度与序时进度（%）", "names": [r["name"] for r in shown],
            "series": [("完成进度", [r["completion"] for r in shown]), ("序时进度", [r["time_progress"] for r in shown])]}


def weakness_charts(rows, growths, region):
    charts = []
    for r in rows:
        peers = growths.get(r["indicator"], [])
        if r["band"] != WEAKNESS or len(peers) < 2:
            continue
        ordered = sorted(peers, key=lambda p: (-p[2], p[0]))
        charts.append({"title": f"{r['name']}增速全市比较（%）", "indicator": r["indicator"],
                       "names": [p[1] for p in ordered],
                       "series": [("增速", [indicator_rules.r2(p[2]) for p in ordered])],
                       "own": next(i for i, p in enumerate(ordered) if p[0] == region.code)})
    return charts


# --- sections, key work, daily reports, follow-ups ----------------------------------------------

def _sections(meeting, rows):
    from luoshi.briefings.models import Section
    from luoshi.indicators.models import Indicator
    from luoshi.indicators.responsibility import responsible_units

    codes = dict(Indicator.objects.values_list("pk", "code"))
    owners = {codes[pk]: unit.name for pk, unit in responsible_units(meeting.region).items()}
    by_indicator = {}
    for s in (Section.objects.filter(meeting=meeting, is_current=True).select_related("indicator", "unit")
              .order_by("indicator__order", "unit__code")):
        by_indicator.setdefault(s.indicator.code, []).append(
            {"unit": s.unit.name, "completion": s.completion_text, "reasons": s.reasons_text, "measures": s.measures_text,
             "proxy": s.proxy_text})  # 代报（发改局 赵磊）, or "" for the unit's own
    ordered = [r for r in rows if r["band"] == WEAKNESS] + [r for r in rows if r["band"] != WEAKNESS]
    return [{"row": r, "weakness": r["band"] == WEAKNESS, "owner": owners.get(r["indicator"], ""),
             "sections": by_indicator.get(r["indicator"], [])} for r in ordered]


def _work(region, period, as_of, today):
    from luoshi.work import queries as work_queries
    from luoshi.work import rules as work_rules

    # Only the tasks that had begun by the period's end: a plan made later is no part of that period's delivery.
    board = work_queries.board(as_of, Q(lead_unit__region__code__startswith=region.prefix, start__lte=as_of))
    campaigns = []
    for campaign_id, counts in board.by_campaign().items():
        lights = counts["light"]
        campaigns.append({"name": board.campaigns[campaign_id]["name"], "green": lights.get("green", 0),
                          "yellow": lights.get("yellow", 0), "red": lights.get("red", 0),
                          "tasks": sum(lights.values())})
    tasks = {t["id"]: t for t in board.tasks}
    overdue = []
    for m in board.milestones:
        if m["status"] == work_rules.SERIOUSLY_OVERDUE:
            t = tasks[m["task_id"]]
            overdue.append({"task": f"{t['number']} {t['title']}", "milestone": f"{m['number']} {m['title']}",
                            "due": m["due"], "days_late": m["working_days_late"], "lead_unit": t["lead_unit"],
                            "leader": t["leader_name"] or "—"})
    league = None
    try:
        from luoshi.supervision.league import league as league_of  # supervision.league gives the table

        table = league_of(date(period.year, period.month, 1), region=region, today=today)
        league = {"label": table.period_label,
                  "top": [{"unit": r.unit_name, "rank": r.rank, "score": r.score} for r in table.top],
                  "bottom": [{"unit": r.unit_name, "rank": r.rank, "score": r.score} for r in table.bottom]}
    except Rejected:
        league = None
    return {"as_of": as_of, "campaigns": campaigns, "overdue": overdue, "league": league}


def _daily(region, period, as_of):
    """The towns' on-time rates over the days of the year up to `as_of` that have reports: the range claimed runs from
    the first such day to the last (None when there is none), `days` says on how many days reports came in."""
    from luoshi.daily import queries as daily_queries

    villages = Q(village__code__startswith=region.prefix)
    found = daily_queries.report_days(date(period.year, 1, 1), as_of, villages)
    if found is None:
        return None
    first, last, days = found
    towns, total = daily_queries.town_rollup_range(first, last, villages)
    if not total.expected:
        return None
    return {"first": first, "last": last, "days": days,
            "towns": [{"name": name, "expected": t.expected, "on_time": t.on_time, "late": t.late,
                       "missing": t.missing, "rate": t.on_time_rate} for _, name, t in towns],
            "total": {"expected": total.expected, "on_time": total.on_time, "late": total.late,
                      "missing": total.missing, "rate": total.on_time_rate}}


def _projects(region, period):
    """项目建设: the period's projects as `luoshi projects status` counts them (projects.queries.status): count, year
    plan, done, 投资完成率 against the pace, 开工率, and the red list with each project's reasons; None when the region
    has no project with investment planned in the year."""
    from luoshi.projects import queries as project_queries

    state = project_queries.status(region, period)
    if not state["projects"]:
        return None
    s = state["summary"]
    red = [{"name": r["name"], "unit": r["unit"], "completion": r["completion"], "reasons": r["reasons"]}
           for r in state["projects"] if r["light"] == "red"]
    return {"count": s["count"], "year_plan": s["year_plan"], "done_ytd": s["done_ytd"],
            "completion_rate": s["completion_rate"], "pace": state["pace"], "gap": s["gap"], "to_start": s["to_start"],
            "started": s["started"], "start_rate": s["start_rate"], "lights": s["lights"], "red": red,
            "started_not_in_statistics": s["started_not_in_statistics"]}


def _pipeline(region, period):
    """双招双引: the year-to-date figures of `luoshi projects pipeline` (projects.pipeline.queries.board): signed,
    contract total, started, producing, 到位资金, 外资 in 万美元; None when the region has no lead by the period."""
    from luoshi.projects.pipeline import queries as pipeline_queries

    state = pipeline_queries.board(region, period)
    if not state["rows"]:
        return None
    s = state["summary"]
    return {"signed": s["signed"], "contract_total": s["contract_total"], "started": s["started"],
            "producing": s["producing"], "funds_arrived": s["funds_arrived"], "fdi_usd": s["fdi_usd"],
            "rates": dict(s["rates"]), "stalled": [{"name": r["name"], "unit": r["unit"], "stage": r["stage_label"],
                                                    "stage_on": r["stage_on"]} for r in state["stalled"]]}


def previous_meeting(region, period, meeting=None):
    from luoshi.briefings.models import Meeting

    earlier = Meeting.objects.filter(region=region)
    if meeting is not None:
        earlier = earlier.filter(Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, pk__lt=meeting.pk))
    else:
        earlier = earlier.filter(period__lt=period_code(period))
    return earlier.order_by("-held_on", "-pk").first()


def _follow_ups(region, period, meeting, today):
    from luoshi.work import queries as work_queries
    from luoshi.work import rules as work_rules

    previous = previous_meeting(region, period, meeting)
    if previous is None:
        return None
    items = list(previous.follow_ups.select_related("task", "task__lead_unit").order_by("id"))
    as_of = meeting.held_on if meeting is not None else today
    tasks = {t["id"]: t for t in work_queries.board(as_of, Q(pk__in=[f.task_id for f in items])).tasks} if items else {}
    rows = []
    for f in items:
        t = tasks.get(f.task_id)
        milestones = t["milestones"] if t else []
        done = bool(milestones) and all(m["status"] in work_queries.DONE_STATUSES for m in milestones)
        if done:
            standing = "已完成"
        elif t and t["next_due"]:
            m = t["next_due"]
            status = work_rules.STATUS_LABELS[m["status"]]
            own = m["title"] == f"完成：{f.title}"[:300]  # the item's own closing milestone (services.add_follow_up)
            standing = status if own else f"{status}（{m['title']}，时限{wording.day(m['due'])}）"
        else:
            standing = "—"
        rows.append({"number": f.number, "title": f.title, "lead_unit": f.task.lead_unit.name,
                     "deadline": f.task.deadline, "light": LIGHT_TEXT.get(t["light"] if t else None, "—"),
                     "standing": standing})
    return {"meeting": previous.title, "held_on": previous.held_on, "as_of": as_of, "items": rows}
