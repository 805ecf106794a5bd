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

from luoshi.core.periods import period_code, period_label
from luoshi.core.problems import Rejected
from luoshi.indicators import queries as indicator_queries
from luoshi.indicators import rules as indicator_rules

WEAKNESS = indicator_rules.WEAKNESS
LIGHT_TEXT = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: "—"}


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


def period_end(period: date) -> date:
    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def build(region, period: date, meeting=None, today: date | None = None) -> Pack:
    today = today or timezone.localdate()
    pack = Pack(region=region, period=period, meeting=meeting, generated_on=today)
    pack.rows = [_extend(row, period.month) for row in indicator_queries.table(region, period)]
    growths = indicator_queries.peer_growths(region, period) if pack.has_figures else {}
    for row in pack.rows:
        peers = growths.get(row["indicator"], [])
        first, next_up = indicator_rules.chase_gaps(row["growth"], [g for _, _, g in peers])
        row["gap_first"], row["gap_next"] = indicator_rules.r2(first), indicator_rules.r2(next_up)
    if pack.has_figures:
        pack.summary = summary(region.name, period, pack.rows)
        pack.value_chart = value_chart(pack.rows)
        pack.weakness_charts = weakness_charts(pack.rows, growths, region)
    if meeting is not None:
        pack.sections = _sections(meeting, pack.rows)
    as_of = min(period_end(period), today)
    pack.work = _work(region, period, as_of, today)
    pack.daily = _daily(region, period, as_of)
    pack.follow_ups = _follow_ups(region, period, meeting, today)
    return pack


# --- the indicator table -------------------------------------------------------------------------

def rank_text(rank, peers):
    return f"第{rank}位/共{peers}个" if rank is not None and peers else "—"


def _extend(row, month):
    row = dict(row)
    row["rank_text"] = rank_text(row["rank"], row["peers"])
    row["light_text"] = LIGHT_TEXT[row["light"]]
    row["band_text"] = indicator_rules.BAND_LABELS[row["band"]]
    has_value_target = row["completion"] is not None
    row["outlook"] = indicator_rules.half_half_outlook(
        month, row["completion"], row["time_progress"] if has_value_target else None,
        None if has_value_target else row["growth"], None if has_value_target else row["target_growth"])
    return row


def number(value, digits=2):
    """A figure as the table writes it: negative growth as -7.4 (never 下降), no trailing zeros."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return text


def points(value):
    """Percentage points with a sign: +6.7, -3.82, 0."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    return ("+" if value > 0 else "") + number(value)


def _join(names):
    return "、".join(names)


def summary(region_name, period, rows):
    """The one-paragraph summary, written from the table's rows (pure: no queries). Before June each indicator's
    course for 双过半 (indicators.rules.half_half_outlook); in June the 双过半 verdict; from July on neither."""
    label = period_label(period)
    lights = {key: [r["name"] for r in rows if r["light"] == key] for key in ("green", "yellow", "red")}
    unlit = len(rows) - sum(len(v) for v in lights.values())
    text = (f"{label}，{region_name}纳入监测的{len(rows)}项指标中，绿灯{len(lights['green'])}项、"
            f"黄灯{len(lights['yellow'])}项、红灯{len(lights['red'])}项")
    text += f"、未亮灯{unlit}项。" if unlit else "。"
    top = [r for r in rows if r["rank"] is not None and r["rank"] <= 3]
    if top:
        text += "位居全市前三的有" + _join(f"{r['name']}（第{r['rank']}位）" for r in top) + "。"
    else:
        text += "没有指标位居全市前三。"
    weak = [r["name"] for r in rows if r["band"] == WEAKNESS]
    text += ("短板指标为" + _join(weak) + "。") if weak else "没有短板指标。"
    if period.month < 6:
        course = _yes_no(rows, "outlook", "进度达到要求", "尚未达到序时进度或目标增速，需加压推进")
        text += "对照“双过半”目标，" + course if course else ""
    elif period.month == 6:
        text += _yes_no(rows, "half_half", "实现“双过半”", "未实现“双过半”")
    return text


def _yes_no(rows, key, yes, no):
    """"甲、乙2项<yes>；丙1项<no>。" for the rows whose `key` is True and False; "" when none is either."""
    parts = []
    for value, says in ((True, yes), (False, no)):
        names = [r["name"] for r in rows if r[key] is value]
        if names:
            parts.append(_join(names) + f"{len(names)}项{says}")
    return "；".join(parts) + "。" if parts else ""


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

    by_indicator = {}
    for s in (Section.objects.filter(meeting=meeting, is_current=True).select_related("indicator", "unit")
              .order_by("indicator__order", "unit__code")):
        by_indicator.setdefault(s.indicator.code, []).append(
            {"unit": s.unit.name, "completion": s.completion_text, "reasons": s.reasons_text, "measures": s.measures_text,
             "proxy": s.proxy_text})  # 代报（发改局 赵磊）, or "" for the unit's own
    ordered = [r for r in rows if r["band"] == WEAKNESS] + [r for r in rows if r["band"] != WEAKNESS]
    return [{"row": r, "weakness": r["band"] == WEAKNESS, "sections": by_indicator.get(r["indicator"], [])}
            for r in ordered]


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
        league = {"label": table.period_label, "top": [r.unit_name for r in table.top],
                  "bottom": [r.unit_name for r in table.bottom]}
    except Rejected:
        league = None
    return {"as_of": as_of, "campaigns": campaigns, "overdue": overdue, "league": league}


def _daily(region, period, as_of):
    from luoshi.daily import queries as daily_queries

    first = date(period.year, 1, 1)
    towns, total = daily_queries.town_rollup_range(first, as_of, Q(village__code__startswith=region.prefix))
    if not total.expected:
        return None
    return {"first": first, "last": as_of,
            "towns": [{"name": name, "expected": t.expected, "on_time": t.on_time, "late": t.late,
                       "missing": t.missing, "rate": t.on_time_rate} for _, name, t in towns],
            "total": {"expected": total.expected, "on_time": total.on_time, "late": total.late,
                      "missing": total.missing, "rate": total.on_time_rate}}


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
            standing = f"{work_rules.STATUS_LABELS[m['status']]}（{m['title']}，时限{m['due']:%Y-%m-%d}）"
        else:
            standing = "—"
        rows.append({"number": f.number, "title": f.title, "lead_unit": f.task.lead_unit.name,
                     "deadline": f.task.deadline, "light": LIGHT_TEXT.get(t["light"] if t else None, "—"),
                     "standing": standing})
    return {"meeting": previous.title, "held_on": previous.held_on, "as_of": as_of, "items": rows}
