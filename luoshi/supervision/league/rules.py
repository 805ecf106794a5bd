"""Supervision rules as pure functions: the month judged, the league table's score, bands and rank change, a late
notice. No ORM. Stated in docs/rules.md §5 (督查督办); pinned by tests/supervision/test_league_rules.py."""

import re
from datetime import date, timedelta

from luoshi.core.problems import Rejected
from luoshi.core.ranking import competition_ranks

# 考核 by points: every unit starts from BASE; each item below adds its weight once per count.
BASE = 100
WEIGHTS = {
    "done": 1,                 # a milestone due in the month and done on time: +1 (多干多得)
    "done_late": -2,           # done after its effective due date
    "overdue": -5,             # 滞后 on the day of judgement
    "seriously_overdue": -10,  # 严重滞后 on the day of judgement
    "reports_late": -1,        # a report filed after its period's due day
    "reports_missing": -3,     # no report by the end of the period
    "notices": -2,             # a 督办单 received
    "notices_late": -3,        # answered after reply_due (or not answered by then)
}
SHORTFALLS = [key for key, weight in WEIGHTS.items() if weight < 0]
BAND_SIZE = 3  # 先进 and 后进: the top three and the bottom three
TOP, BOTTOM = "top", "bottom"
BAND_LABELS = {TOP: "先进", BOTTOM: "后进"}


def parse_month(value, label="月份") -> date:
    """A month a person asks about (`--period 2020-04`, `?period=2020-04`): its first day. Years 2000–2100.
    Raises Rejected with a Chinese message."""
    raw = "" if value is None else str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?", raw, re.ASCII)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise Rejected(f"无法识别的{label}「{raw[:40]}」，请写成 2020-04 的形式")
    year = int(m.group(1))
    if not 2000 <= year <= 2100:
        raise Rejected(f"{label}「{raw[:40]}」超出可查询的范围（2000年至2100年）")
    return date(year, int(m.group(2)), 1)


def month_last(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1) - timedelta(days=1)


def judgement_day(first: date, today: date) -> date:
    """The day a month is judged as of: its last day, or today while the month runs. A month that has not begun
    cannot be judged."""
    if first > today:
        raise Rejected(f"{first.year}年{first.month}月尚未开始，无法排名")
    return min(month_last(first), today)


def score(counts: dict) -> int:
    """BASE plus each count times its weight (WEIGHTS); counts missing from `counts` are 0. Higher is better."""
    return BASE + sum(weight * int(counts.get(key) or 0) for key, weight in WEIGHTS.items())


def has_shortfall(counts: dict) -> bool:
    """Whether anything counted against the unit this month (only such a unit may be called 后进)."""
    return any(counts.get(key) for key in SHORTFALLS)


# What gives a month something to judge a unit by; a unit with none of these is 本期无考核内容, not ranked.
ASSESSED_BY = ["milestones_due", "reports_due", "notices", "overdue", "seriously_overdue"]
# What keeps a unit from being commended (先进) whatever its rank: lagging work, a missing report, a late answer
# (and a month with no milestone done on time: see `commendable`).
UNCOMMENDABLE = ["overdue", "seriously_overdue", "reports_missing", "notices_late"]
NOT_ASSESSED_LABEL = "本期无考核内容"


def assessed(counts: dict) -> bool:
    """Whether the month held anything to judge the unit by: a milestone due in it, a report period due, a notice
    received, or a milestone still 滞后 / 严重滞后 on the day of judgement (whenever it fell due). A unit with nothing
    due is not ranked: a clean sheet of nothing is no achievement (and no failing either)."""
    return any(counts.get(key) for key in ASSESSED_BY)


def commendable(counts: dict) -> bool:
    """Whether the unit may be called 先进: at least one milestone done on time in the month (多干多得: a month of
    reports alone is no achievement), and nothing lagging on the day of judgement, no report missing, no notice
    answered late."""
    return bool(counts.get("done")) and not any(counts.get(key) for key in UNCOMMENDABLE)


def ranks(scores: dict) -> dict:
    """{unit: score} → {unit: rank}, competition ranking (equal scores share a rank, the next is skipped)."""
    return competition_ranks(scores, descending=True)


def bands(scores: dict, shortfall: dict, size=BAND_SIZE, commendable_units: dict | None = None) -> dict:
    """{unit: "top" / "bottom" / None}. With n units ranked and k = min(size, n // 2) (so the two ends never overlap
    in a small table: 5 units → 2 each, 3 → 1, 1 → none): 先进 (top) when the unit's rank is k or better and it is
    commendable (`commendable_units`, default all: see `commendable`), 后进 (bottom) when its rank from the bottom is
    k or better and something counted against it (a unit with a clean month is never 后进). Ties share a rank, so a
    tie at the edge brings all tied units in; a unit that would be both (all scores equal across the middle) is
    neither."""
    k = min(size, len(scores) // 2)
    from_top = competition_ranks(scores, descending=True)
    from_bottom = competition_ranks(scores, descending=False)
    result = {}
    for unit in scores:
        top = from_top[unit] <= k and (commendable_units is None or bool(commendable_units.get(unit)))
        bottom = from_bottom[unit] <= k and bool(shortfall.get(unit))
        result[unit] = TOP if top and not bottom else BOTTOM if bottom and not top else None
    return result


def rank_change(previous_rank, rank):
    """Previous month's rank − this month's (positive: moved up); None when the unit was not ranked then."""
    if previous_rank is None or rank is None:
        return None
    return previous_rank - rank


def notice_late(reply_due: date, first_replied_on, as_of: date) -> bool:
    """A notice counts as answered late when its first reply came after reply_due, or when, on the day of
    judgement, reply_due has passed without a reply (a reply dated after that day is not known yet)."""
    replied = first_replied_on if first_replied_on is not None and first_replied_on <= as_of else None
    if replied is not None:
        return replied > reply_due
    return reply_due < as_of
