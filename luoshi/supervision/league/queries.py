"""The unit league table (考核排名): read side, no writes. Rules (score, bands) in league/rules.py.

Milestone counts come from work.queries.board, the code `luoshi work status --on <day>` prints, so the two agree;
report periods from work.queries.report_periods_by_unit; notices from supervision.models.Notice.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from luoshi.core.periods import previous_month
from luoshi.orgs.models import Unit
from luoshi.supervision.league import rules
from luoshi.supervision.models import Notice
from luoshi.work import queries
from luoshi.work import rules as work_rules

# The keys of `luoshi supervision league --json`, in this order (issue #12; add, never rename).
COUNT_KEYS = ["milestones_due", "done", "done_late", "overdue", "seriously_overdue", "reports_due", "reports_late",
              "reports_missing", "notices", "notices_late"]
# Added by 结果运用 (issue #23): the approved 加分/减分 beside the score, the score with them, the points still waiting
# for a leader. The rank stays by the computed score.
ADJUSTMENT_KEYS = ["adjustment", "adjusted_score", "adjustment_pending"]
JSON_KEYS = ["unit", "rank", "rank_change", "score", *COUNT_KEYS, "band", "assessed", *ADJUSTMENT_KEYS]
MILESTONE_KEYS = {work_rules.DONE: "done", work_rules.DONE_LATE: "done_late", work_rules.OVERDUE: "overdue",
                  work_rules.SERIOUSLY_OVERDUE: "seriously_overdue"}
COLUMN_LABELS = {
    "milestones_due": "本月到期节点", "done": "按时完成", "done_late": "逾期完成", "overdue": "滞后", "seriously_overdue": "严重滞后",
    "reports_due": "应报期数", "reports_late": "逾期报送", "reports_missing": "缺报", "notices": "收到督办单",
    "notices_late": "逾期答复",
}


@dataclass
class LeagueRow:
    unit_id: int
    unit: str  # short name, as `work status` prints lead_unit
    unit_name: str
    counts: dict
    score: int = 0
    rank: int | None = None
    rank_change: int | None = None
    band: str | None = None
    adjustment: int = 0  # approved 加分/减分 (consequences.LeagueAdjustment), never in `score`
    adjustment_pending: int = 0  # proposed, not yet decided

    def as_json(self):
        return {"unit": self.unit, "rank": self.rank, "rank_change": self.rank_change, "score": self.score,
                **{key: self.counts[key] for key in COUNT_KEYS}, "band": self.band, "assessed": self.assessed,
                "adjustment": self.adjustment, "adjusted_score": self.adjusted_score,
                "adjustment_pending": self.adjustment_pending}

    @property
    def adjusted_score(self):
        return self.score + self.adjustment

    @property
    def assessed(self):
        return rules.assessed(self.counts)

    @property
    def band_label(self):
        return rules.BAND_LABELS.get(self.band, "") if self.assessed else rules.NOT_ASSESSED_LABEL

    @property
    def count_list(self):
        return [self.counts[key] for key in COUNT_KEYS]


@dataclass
class League:
    period: date  # the month's first day
    as_of: date  # the day it is judged as of
    region: object = None  # a county-level orgs.Region, or None for every unit
    rows: list = field(default_factory=list)
    previous_as_of: date | None = None
    fallback_years: list = field(default_factory=list)

    @property
    def period_code(self):
        return f"{self.period:%Y-%m}"

    @property
    def period_label(self):
        return f"{self.period.year}年{self.period.month}月"

    @property
    def running(self):
        """Whether the month had not ended on the day it was judged."""
        return self.as_of < rules.month_last(self.period)

    def as_json(self):
        return [row.as_json() for row in self.rows]

    @property
    def top(self):
        return [r for r in self.rows if r.band == rules.TOP]

    @property
    def bottom(self):
        return [r for r in self.rows if r.band == rules.BOTTOM]


def region_filter(region, field="region__code") -> Q:
    """A Q keeping objects whose region (by `field`) is inside this region (everything for None)."""
    return Q() if region is None else Q(**{f"{field}__startswith": region.prefix})


def month_counts(first: date, as_of: date, region=None) -> tuple[dict, dict, list]:
    """({unit id: counts}, {unit id: short name}, fallback years) for one month judged as of `as_of`: every unit that
    leads a task started by `as_of` or with a milestone due in the month."""
    last = rules.month_last(first)
    task_q = region_filter(region, "lead_unit__region__code")
    board = queries.board(as_of, task_q)
    leading = queries.leading_unit_ids(as_of, task_q)
    counts = {}

    def entry(unit_id):
        return counts.setdefault(unit_id, dict.fromkeys(COUNT_KEYS, 0))

    for unit_id in leading:
        entry(unit_id)
    for m in board.milestones:
        key = MILESTONE_KEYS.get(m["status"])
        if first <= m["effective_due"] <= last:
            row = entry(m["lead_unit_id"])
            row["milestones_due"] += 1
            if key:
                row[key] += 1
        elif m["effective_due"] < first and key in ("overdue", "seriously_overdue"):
            entry(m["lead_unit_id"])[key] += 1  # due earlier and still lagging on the day of judgement
    for unit_id, periods in queries.report_periods_by_unit(first, last, as_of, task_q).items():
        if unit_id in counts:
            row = counts[unit_id]
            row["reports_due"], row["reports_late"], row["reports_missing"] = periods["due"], periods["late"], periods["missing"]
    notices = Notice.objects.filter(unit_id__in=list(counts), opened_on__gte=first, opened_on__lte=min(last, as_of))
    for unit_id, reply_due, first_replied_on in notices.order_by().values_list("unit_id", "reply_due", "first_replied_on"):
        row = counts[unit_id]
        row["notices"] += 1
        row["notices_late"] += rules.notice_late(reply_due, first_replied_on, as_of)
    names = {uid: board.units.get(uid) or "" for uid in counts}
    missing = [uid for uid, name in names.items() if not name]
    if missing:
        names.update({u.pk: u.short_name or u.name for u in Unit.objects.filter(pk__in=missing)})
    return counts, names, board.fallback_years


def adjustment_totals(period: date, region=None) -> tuple[dict, dict]:
    """({unit id: approved points}, {unit id: points waiting for a decision}) of the month's league adjustments
    (加分/减分, supervision.consequences) in the region (every county for None); refused ones count nowhere."""
    from luoshi.supervision.consequences.models import LeagueAdjustment

    qs = LeagueAdjustment.objects.filter(period=period)
    if region is not None:
        qs = qs.filter(region__code__startswith=region.prefix)
    approved, pending = {}, {}
    for unit_id, points, decided, ok in qs.order_by().values_list("unit_id", "points", "decision__id",
                                                                  "decision__approved"):
        if decided is None:
            pending[unit_id] = pending.get(unit_id, 0) + points
        elif ok:
            approved[unit_id] = approved.get(unit_id, 0) + points
    return approved, pending


def month_ranks(first: date, as_of: date, region=None) -> dict:
    """{unit id: rank} of the units assessed in the month."""
    counts, _, _ = month_counts(first, as_of, region)
    return rules.ranks({uid: rules.score(c) for uid, c in counts.items() if rules.assessed(c)})


def league(period: date, *, region=None, today: date | None = None) -> League:
    """The league table of the month starting `period`, judged as of its last day (or today while it runs), for the
    units inside `region` (a county-level region; None: every unit). Raises Rejected for a month not begun."""
    today = today or timezone.localdate()
    as_of = rules.judgement_day(period, today)
    counts, names, fallback = month_counts(period, as_of, region)
    scores = {uid: rules.score(c) for uid, c in counts.items()}
    ranked = {uid: scores[uid] for uid, c in counts.items() if rules.assessed(c)}
    ranks = rules.ranks(ranked)
    bands = rules.bands(ranked, {uid: rules.has_shortfall(counts[uid]) for uid in ranked},
                        commendable_units={uid: rules.commendable(counts[uid]) for uid in ranked})
    previous = previous_month(period)
    previous_as_of = rules.month_last(previous)
    previous_ranks = month_ranks(previous, previous_as_of, region)
    full_names = dict(Unit.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    rows = [LeagueRow(unit_id=uid, unit=names[uid], unit_name=full_names.get(uid, names[uid]), counts=c,
                      score=scores[uid], rank=ranks.get(uid), band=bands.get(uid),
                      rank_change=rules.rank_change(previous_ranks.get(uid), ranks.get(uid)))
            for uid, c in counts.items()]
    approved, pending = adjustment_totals(period, region)
    for row in rows:
        row.adjustment, row.adjustment_pending = approved.get(row.unit_id, 0), pending.get(row.unit_id, 0)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit, r.unit_id))  # the units not assessed last
    return League(period=period, as_of=as_of, region=region, rows=rows, previous_as_of=previous_as_of,
                  fallback_years=fallback)
