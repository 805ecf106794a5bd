"""Indicator rules as pure functions (no ORM). Stated with worked examples in docs/rules.md §2.

Percentages are computed exactly (Decimal) and rounded to 2 decimals only when reported.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

GREEN, YELLOW, RED = "green", "yellow", "red"
STRENGTH, MIDDLE, WEAKNESS = "strength", "middle", "weakness"
LIGHT_LABELS = {GREEN: "绿灯", YELLOW: "黄灯", RED: "红灯", None: "—"}  # as key work names its lights
BAND_LABELS = {STRENGTH: "长项", MIDDLE: "中档", WEAKNESS: "短板", None: "—"}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Thresholds:
    yellow_gap: Decimal = Decimal(-10)  # value target: red when gap ≤ this, yellow between it and 0
    yellow_growth: Decimal = Decimal(-2)  # growth target: yellow when growth − target is within this below 0
    half_half: Decimal = Decimal(50)  # 双过半: completion on the 1-6月 figure


DEFAULT = Thresholds()


def dec(value):
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def r2(value):
    """Round half up to 2 decimals, as a float for JSON (None stays None)."""
    if value is None:
        return None
    return float(dec(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- units ---------------------------------------------------------------------------------------

UNIT_FAMILIES = [
    {"元": Decimal(1), "万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8},
    {"美元": Decimal(1), "万美元": Decimal(10) ** 4, "亿美元": Decimal(10) ** 8},
    {"户": Decimal(1), "万户": Decimal(10) ** 4},
    {"个": Decimal(1), "万个": Decimal(10) ** 4},
    {"人": Decimal(1), "万人": Decimal(10) ** 4},
    {"%": Decimal(1)},
]


def normalize_unit(unit):
    return (unit or "").strip().replace("（", "").replace("）", "").replace("(", "").replace(")", "").replace("％", "%")


def convert(value, from_unit, to_unit):
    """Convert between units of one family (万元 → 亿元). Raises ValueError with a Chinese message."""
    source, target = normalize_unit(from_unit), normalize_unit(to_unit)
    if value is None or not source or source == target:
        return value
    for family in UNIT_FAMILIES:
        if source in family and target in family:
            return dec(value) * family[source] / family[target]
    known = any(source in family for family in UNIT_FAMILIES)
    if not known:
        raise ValueError(f"未知的单位「{from_unit}」，无法换算为「{to_unit}」")
    raise ValueError(f"单位「{from_unit}」无法换算为「{to_unit}」")


# --- reading numbers -----------------------------------------------------------------------------

EMPTY = {"", "—", "-", "－", "--", "——", "…", "/", "无"}

# What the columns hold (indicators.models): values are DecimalField(24, 6), |x| < 10^18; growth DecimalField(10, 3),
# |x| < 10^7. One digit is kept back for rounding. A number read from input is finite and within 10^±30 before any
# arithmetic (unit conversion), so that nothing overflows on the way to these checks.
VALUE_LIMIT = Decimal(10) ** 17
GROWTH_LIMIT = Decimal(10) ** 6
READ_EXPONENT = 30
# A growth target is a planned rate: a fall of at most 100 %, a rise of at most 1000 %.
TARGET_GROWTH_RANGE = (Decimal(-100), Decimal(1000))


def _readable(number, raw):
    """The number, unless it is not finite or absurdly large or small (ValueError with a Chinese message)."""
    if not number.is_finite():
        raise ValueError(f"「{raw}」不是有效的数字")
    if number and not -READ_EXPONENT <= number.adjusted() <= READ_EXPONENT:
        raise ValueError(f"「{str(raw)[:40]}」超出可保存的范围")
    return number


def parse_number(value):
    """A cumulative value: a number, possibly written with thousands separators. None when empty."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return _readable(dec(value), value)
    text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
    if text in EMPTY:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"「{str(value)[:40]}」不是数字")
    return _readable(number, value)


def parse_growth(value):
    """A growth rate in %: -3.2, 下降3.2, 增长5.1, 3.2%, 持平. None when empty."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return _readable(dec(value), value)
    text = str(value).strip().replace(" ", "").replace("％", "%").replace("－", "-").replace("＋", "+")
    if text in EMPTY:
        return None
    if text == "持平":
        return Decimal(0)
    m = re.fullmatch(r"(下降|降低|减少|增长|增加|提高|上升)?([+-]?\d+(?:\.\d+)?)(?:%|个百分点)?", text)
    if m is None:
        raise ValueError(f"「{str(value)[:40]}」不是增长率（应为 -3.2、下降3.2、增长5.1 或 3.2% 这样的数字）")
    number = _readable(Decimal(m.group(2)), value)
    if m.group(1) in ("下降", "降低", "减少"):
        number = -abs(number)
    return number


def target_problems(value, growth, trajectory):
    """What is wrong with an annual target (values already in the catalog's unit): (field, Chinese message) pairs.

    The value is an amount to reach, so never negative; a growth target may be a planned fall, within
    TARGET_GROWTH_RANGE; a trajectory gives, for each month, the share (%) of the annual target expected by its end:
    12 shares from 0 to 100, never falling."""
    problems = []
    if value is not None and value < 0:
        problems.append(("value", "目标值不能为负数"))
    elif value is not None and abs(value) >= VALUE_LIMIT:
        problems.append(("value", "目标值过大，超出可保存的范围"))
    low, high = TARGET_GROWTH_RANGE
    if growth is not None and not low <= growth <= high:
        problems.append(("growth", f"目标增速应在 {low}% 到 {high}% 之间"))
    if trajectory:
        if len(trajectory) != 12 or any(v is None for v in trajectory) or any(b < a for a, b in zip(trajectory, trajectory[1:])):
            problems.append(("trajectory", "月度目标轨迹应填满 1月-12月，为累计占全年目标的百分比，且逐月不减"))
        elif any(not 0 <= v <= HUNDRED for v in trajectory):
            problems.append(("trajectory", "月度目标轨迹的每个月应为 0 到 100 之间的百分比"))
    return problems


# --- judgements ----------------------------------------------------------------------------------

def time_progress(month):
    """序时进度 at the end of month m: m / 12 × 100 (1-2月 → 16.67, 一季度 → 25, 1-6月 → 50)."""
    return Decimal(month) * HUNDRED / 12


def day_time_progress(day: date):
    """The day-based option: day of the year / days in the year × 100."""
    days = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    return Decimal(day.timetuple().tm_yday) * HUNDRED / days


def completion(value, target_value):
    """完成进度 = cumulative value / annual value target × 100 (may exceed 100); None without both."""
    if value is None or target_value is None or dec(target_value) <= 0:
        return None
    return dec(value) * HUNDRED / dec(target_value)


def gap(completion_pct, progress_pct):
    """超/低于序时进度, in percentage points."""
    if completion_pct is None or progress_pct is None:
        return None
    return dec(completion_pct) - dec(progress_pct)


def light_for_gap(gap_points, thresholds=DEFAULT):
    if gap_points is None:
        return None
    g = dec(r2(gap_points))
    if g >= 0:
        return GREEN
    return YELLOW if g > thresholds.yellow_gap else RED


def light_for_growth(growth, target_growth, thresholds=DEFAULT):
    if growth is None or target_growth is None:
        return None
    diff = dec(growth) - dec(target_growth)
    if diff >= 0:
        return GREEN
    return YELLOW if diff >= thresholds.yellow_growth else RED


def half_half(month, completion_pct=None, growth=None, target_growth=None, thresholds=DEFAULT):
    """双过半 on the 1-6月 figure: completion ≥ 50 %, or for a growth target growth ≥ target. None otherwise."""
    if month != 6:
        return None
    if completion_pct is not None:
        return dec(completion_pct) >= thresholds.half_half
    if growth is not None and target_growth is not None:
        return dec(growth) >= dec(target_growth)
    return None


def peer_rank(growth, growths, total):
    """A region's place among its peers by growth (`growths`: every peer's growth, the region's own included, lowest
    first; `total`: their exact sum): (rank, how many were ranked, the average growth), or None when no other peer
    has a growth. Highest growth first; equal growth shares a rank and the next is skipped (competition ranking,
    as core.ranking), so rank = 1 + how many peers grew strictly faster."""
    if len(growths) < 2:
        return None
    return 1 + len(growths) - bisect_right(growths, growth), len(growths), total / len(growths)


def rank_change(previous_rank, rank):
    """Positive: moved up (前移). None when either rank is missing."""
    if previous_rank is None or rank is None:
        return None
    return previous_rank - rank


def band(rank, peers, light=None):
    """长项 / 中档 / 短板: top third of the ranking, middle, bottom third (k = peers // 3 at each end);
    always 短板 when the light is red. None without a rank (unless red)."""
    if light == RED:
        return WEAKNESS
    if rank is None or not peers:
        return None
    k = peers // 3
    if rank <= k:
        return STRENGTH
    if rank > peers - k:
        return WEAKNESS
    return MIDDLE


def average(values):
    values = [dec(v) for v in values if v is not None]
    if not values:
        return None
    return sum(values) / len(values)


def required_monthly(value, target_value, month):
    """Average still needed per remaining month to reach the annual value target (0 when reached)."""
    if target_value is None or value is None or month >= 12:
        return None
    remaining = dec(target_value) - dec(value)
    return max(Decimal(0), remaining / (12 - month))


def judge(*, month, value=None, growth=None, target_value=None, target_growth=None, trajectory=None,
          growth_only=False, rank=None, previous_rank=None, peers=None, peer_avg_growth=None, thresholds=DEFAULT):
    """Every judgement of one indicator for one region and period, rounded for reporting.

    A value target decides the light when there is one; otherwise a growth target does.
    An indicator published as growth only, or with a growth target only, never gets a completion.
    """
    has_value_target = target_value is not None and not growth_only
    done = completion(value, target_value) if has_value_target else None
    progress = time_progress(month) if has_value_target else None
    if has_value_target:
        g = gap(done, progress)
        light = light_for_gap(g, thresholds)
    elif target_growth is not None:
        g = None if growth is None else dec(growth) - dec(target_growth)
        light = light_for_growth(growth, target_growth, thresholds)
    else:
        g, light = None, None
    trajectory_progress = trajectory_gap = trajectory_light = None
    if has_value_target and trajectory and len(trajectory) == 12:
        trajectory_progress = dec(trajectory[month - 1])
        trajectory_gap = gap(done, trajectory_progress)
        trajectory_light = light_for_gap(trajectory_gap, thresholds)
    return {
        "completion": r2(done),
        "time_progress": r2(progress),
        "gap": r2(g),
        "light": light,
        "trajectory_progress": r2(trajectory_progress),
        "trajectory_gap": r2(trajectory_gap),
        "trajectory_light": trajectory_light,
        "rank": rank,
        "rank_change": rank_change(previous_rank, rank),
        "peers": peers,
        "peer_avg_growth": r2(peer_avg_growth),
        "band": band(rank, peers, light),
        "half_half": half_half(month, done, growth if not has_value_target else None,
                               target_growth if not has_value_target else None, thresholds),
        "required_monthly": r2(required_monthly(value, target_value, month)) if has_value_target else None,
    }


# --- the meeting pack (briefings) ----------------------------------------------------------------

def half_half_outlook(month, completion_pct=None, time_progress_pct=None, growth=None, target_growth=None):
    """Before June: is the indicator on course for 双过半? A value target (a completion and its time progress
    given): completion ≥ time progress; a growth target only: growth ≥ target growth. None from June on (June has
    the verdict itself, half_half) or without the figures to judge."""
    if month >= 6:
        return None
    if completion_pct is not None and time_progress_pct is not None:
        return dec(completion_pct) >= dec(time_progress_pct)
    if growth is not None and target_growth is not None:
        return dec(growth) >= dec(target_growth)
    return None


def chase_gaps(growth, peer_growths):
    """争先进位: (points behind the first place, points behind the next rank up) by growth among the peers
    (`peer_growths`: every ranked peer's growth, the region's own included). First place: (0, None). None for both
    without a growth or without another peer."""
    if growth is None or len(peer_growths) < 2:
        return None, None
    own = dec(growth)
    values = [dec(g) for g in peer_growths]
    above = [g for g in values if g > own]
    if not above:
        return Decimal(0), None
    return max(values) - own, min(above) - own
