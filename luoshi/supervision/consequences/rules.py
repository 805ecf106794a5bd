"""结果运用 rules as pure functions: the kinds of consequence, the two triggers, the settings' bounds, the decision's
title and 文号, league adjustments. No ORM, no calendar: the callers give dates and days already counted. Stated in
docs/rules.md §5 (督查督办, 结果运用); pinned by tests/supervision/consequences/test_rules.py."""

from datetime import date

# The four consequences 倒查 ends in (DOMAIN §8), mildest first.
TALK, INTERVIEW, CRITICISM, ACCOUNTABILITY = "talk", "interview", "criticism", "accountability"
KINDS = [TALK, INTERVIEW, CRITICISM, ACCOUNTABILITY]
KIND_LABELS = {TALK: "提醒谈话", INTERVIEW: "约谈", CRITICISM: "通报批评", ACCOUNTABILITY: "问责（移送纪委监委）"}

# Where a proposal comes from.
MANUAL, LATE_NOTICES, RED_PERIODS = "manual", "late_notices", "red_periods"
SOURCE_LABELS = {MANUAL: "督查室提出", LATE_NOTICES: "督办单多次逾期答复", RED_PERIODS: "连续多期亮红灯"}

RED = "red"  # work.rules.RED, the light

# The triggers' defaults (DOMAIN §8): a unit whose notices were answered late twice within a year → 约谈; a task red at
# the end of three report periods in a row → 通报批评. A region's office may change them (TriggerSettings); 0 turns a
# trigger off.
DEFAULTS = {"late_notices": 2, "late_window_days": 365, "late_kind": INTERVIEW, "red_periods": 3, "red_kind": CRITICISM}
BOUNDS = {"late_notices": (0, 20), "late_window_days": (7, 1096), "red_periods": (0, 24)}
SETTING_LABELS = {"late_notices": "督办单逾期答复次数", "late_window_days": "统计天数", "late_kind": "逾期答复的处理建议",
                  "red_periods": "连续亮红灯期数", "red_kind": "连续亮红灯的处理建议"}


def settings_problems(values: dict) -> list[str]:
    """Why these trigger settings cannot be saved (Chinese), or []: whole numbers within BOUNDS, known kinds."""
    problems = []
    for key, (low, high) in BOUNDS.items():
        value = values.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(f"{SETTING_LABELS[key]}应为 {low} 至 {high} 的整数")
    for key in ("late_kind", "red_kind"):
        if values.get(key) not in KINDS:
            problems.append(f"{SETTING_LABELS[key]}应为{'、'.join(KIND_LABELS[k] for k in KINDS)}之一")
    return problems


def late_notice_groups(events, *, threshold: int, window_days: int, used=frozenset()) -> list[tuple]:
    """The occurrences of "answered late `threshold` times within `window_days` days" for one unit.

    events: (deadline missed, notice id) of the unit's notices answered late (after their reply deadline, or not by
    the day judged). Notices in `used` (already behind an earlier proposal of this trigger) are left out: a notice
    counts towards one occurrence at most. Walking the rest by deadline, a notice joins those whose deadlines lie less
    than `window_days` days before its own; when they reach `threshold` they are one occurrence (their ids in order)
    and counting starts again. threshold 0: the trigger is off."""
    if threshold < 1:
        return []
    groups, pending = [], []
    for day, ident in sorted((d, i) for d, i in events if i not in used):
        pending = [(d, i) for d, i in pending if (day - d).days < window_days]
        pending.append((day, ident))
        if len(pending) >= threshold:
            groups.append(tuple(i for _, i in pending))
            pending = []
    return groups


def red_run(periods, *, threshold: int, used=frozenset()) -> list | None:
    """The occurrence of "red at the end of `threshold` report periods in a row" for one task, or None.

    periods: (first day, light at the period's last day) of the task's report periods that have ended, oldest first.
    The last `threshold` of them, all red and none in `used` (the periods behind an earlier proposal of this trigger),
    are an occurrence: their first days. So a task red six periods running is proposed twice (after the third and the
    sixth), one red three periods once. threshold 0: the trigger is off."""
    if threshold < 1 or len(periods) < threshold:
        return None
    last = periods[-threshold:]
    if all(light == RED for _, light in last) and not any(first in used for first, _ in last):
        return [first for first, _ in last]
    return None


# --- the decision's document -----------------------------------------------------------------------------------------

# (title's verb phrase, document type, closing): 提醒谈话 and 约谈 call the unit in (通知), the other two decide (决定).
TITLES = {
    TALK: ("关于对{unit}进行提醒谈话的通知", "通知"),
    INTERVIEW: ("关于对{unit}进行约谈的通知", "通知"),
    CRITICISM: ("关于对{unit}予以通报批评的决定", "决定"),
    ACCOUNTABILITY: ("关于将{unit}有关问题线索移送纪委监委的决定", "决定"),
}


def decision_title(kind: str, unit_name: str) -> str:
    """关于对区财政局进行约谈的通知 / 关于对区财政局予以通报批评的决定 …"""
    return TITLES[kind][0].format(unit=unit_name)


def document_type(kind: str) -> str:
    return TITLES[kind][1]


def office_code(region_name: str) -> str:
    """The 机关代字 of a region's supervision office: the region's name less its level (济阳区 → 济阳督查)."""
    name = region_name.strip()
    for suffix in ("自治县", "区", "县", "市", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return f"{name}督查"


def document_number(region_name: str, year: int, serial: int) -> str:
    """The decision's 文号: 济阳督查〔2026〕3号."""
    return f"{office_code(region_name)}〔{year}〕{serial}号"


def chinese_date(day: date) -> str:
    """2026年5月13日 (no leading zeros), as the 落款 writes it."""
    return f"{day.year}年{day.month}月{day.day}日"


def decision_problems(*, approve: bool, proposed_kind: str, kind: str | None, note: str) -> list[str]:
    """Why a decision cannot be taken as given: a rejection needs its reason; an approval that changes the kind
    needs a note saying why; the kind must be one of the four."""
    if not approve:
        return [] if note.strip() else ["不同意须写明理由"]
    kind = kind or proposed_kind
    if kind not in KINDS:
        return [f"处理方式应为{'、'.join(KIND_LABELS[k] for k in KINDS)}之一"]
    if kind != proposed_kind and not note.strip():
        return [f"改为{KIND_LABELS[kind]}须写明意见"]
    return []


# --- league adjustments (加分/减分) ---------------------------------------------------------------------------------

MAX_ADJUSTMENT = 20  # points one adjustment may add or take


def adjustment_problems(points) -> list[str]:
    if not isinstance(points, int) or isinstance(points, bool) or points == 0 or abs(points) > MAX_ADJUSTMENT:
        return [f"加减分应为 -{MAX_ADJUSTMENT} 至 {MAX_ADJUSTMENT} 之间且不为 0 的整数"]
    return []


def adjusted_score(score: int, approved: int) -> int:
    """The computed score plus the approved adjustments (the rank stays by the computed score)."""
    return score + approved


def signed(points: int) -> str:
    """+3 / -2 as the table writes them (full-width signs: ＋3, －2)."""
    return f"＋{points}" if points >= 0 else f"－{-points}"


def adjustment_text(score: int, approved: int) -> str:
    """得分 92 ＋调整 3 ＝ 95 in short: "92 ＋3 ＝ 95"; the score alone without an adjustment."""
    if not approved:
        return str(score)
    return f"{score} {signed(approved)} ＝ {adjusted_score(score, approved)}"
