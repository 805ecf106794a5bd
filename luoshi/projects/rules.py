"""Pure rules of the project pools (重点项目): pace, completion, lights, start and 入库 lights, rates and roll-ups,
the 调度表's arithmetic checks. No ORM here; every threshold comes in a Thresholds (defaults below, changed per region
by the analysis office: models.PoolThresholds). Stated in docs/rules.md §9 and pinned by tests/projects/test_rules.py.

A period is the month a 调度 is about, as date(year, month, 1); "as of the period" means at the end of that month
(1-9月: everything up to 30 September).

- pace (序时进度) after month X = X / 12 × 100 %, to two decimals (1-9月 75 %, 1-2月 16.67 %);
- completion (投资完成率) = 1-X月完成投资 / 本年计划投资 × 100 %, two decimals (may pass 100 %); none without a plan;
- gap = pace − completion, in points: green when gap ≤ 10, yellow when 10 < gap ≤ 30, red when gap > 30;
  a 新建 project before its planned start month is not judged on investment (nothing is due yet);
- a 新建 project not started by the end of its planned start month is yellow, three months later red;
- a started project not counted by the statistics bureau (入库) one month after the month it started is yellow,
  two months after red;
- a project's light is the worst of the three; a group's (unit, town, 包保领导, region) light is its completion's;
- start rate (开工率) = 新建 projects started by the period / 新建 projects in the year's list.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from luoshi.core.wording import fixed, trimmed

NEW, CONTINUING = "new", "continuing"
KINDS = {NEW: "新建", CONTINUING: "续建"}
KIND_BY_LABEL = {label: code for code, label in KINDS.items()}

PLANNING, BUILDING, DONE, WITHDRAWN = "planning", "building", "done", "withdrawn"
POOLS = {PLANNING: "谋划储备", BUILDING: "在建", DONE: "竣工投产", WITHDRAWN: "已退库"}

GREEN, YELLOW, RED = "green", "yellow", "red"
LIGHTS = (GREEN, YELLOW, RED)
LIGHT_LABELS = {GREEN: "绿灯", YELLOW: "黄灯", RED: "红灯"}
_SEVERITY = {None: -1, GREEN: 0, YELLOW: 1, RED: 2}

# 资金构成: the sources a funding breakdown may name, in the 调度表's order.
FUNDING_SOURCES = ["自有资金", "银行贷款", "专项债券", "上级资金", "外资", "其他"]

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# The largest amount accepted anywhere, in 万元 (10 万亿元): a bigger number is a typing error, not a project.
MAX_AMOUNT = Decimal("1000000000")


@dataclass(frozen=True)
class Thresholds:
    """The region's rules (defaults per DOMAIN.md §6). Gaps in percentage points, delays in whole months."""

    yellow_gap: Decimal = Decimal(10)
    red_gap: Decimal = Decimal(30)
    start_yellow_months: int = 0
    start_red_months: int = 3
    statistics_yellow_months: int = 1
    statistics_red_months: int = 2


DEFAULTS = Thresholds()


def threshold_problems(t: Thresholds):
    """Chinese messages when the thresholds do not make sense together, else []."""
    problems = []
    if not (Decimal(0) <= t.yellow_gap < t.red_gap <= HUNDRED):
        problems.append("黄灯差距应小于红灯差距，且都在 0 到 100 个百分点之间")
    if not (0 <= t.start_yellow_months < t.start_red_months <= 24):
        problems.append("未开工转黄灯的月数应小于转红灯的月数（0 到 24 个月）")
    if not (0 <= t.statistics_yellow_months < t.statistics_red_months <= 24):
        problems.append("未入库转黄灯的月数应小于转红灯的月数（0 到 24 个月）")
    return problems


def money(value) -> Decimal:
    """An amount in 万元 to two decimals, rounded half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(value):
    """(Decimal to two decimals, None) or (None, Chinese problem) for a typed or cell amount in 万元; blank → (None,
    None). Negative, not finite or beyond MAX_AMOUNT is a problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    shown = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)[:20]
    if isinstance(value, bool):
        return None, "应为数字（万元）"
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        return None, f"「{str(value)[:20]}」不是数字（万元）"
    if not number.is_finite():
        return None, "应为有限的数字（万元）"
    if number < 0:
        return None, f"金额不能为负数（{shown}）"
    if number > MAX_AMOUNT:
        return None, f"金额 {shown} 万元超出合理范围（最多 {MAX_AMOUNT} 万元）"
    return money(number), None


def pace(month: int) -> Decimal:
    """序时进度 after month X, in percent: X / 12 × 100, two decimals."""
    return (Decimal(month) * HUNDRED / 12).quantize(CENT, rounding=ROUND_HALF_UP)


def rate(part, whole):
    """part / whole × 100 in percent, two decimals; None when the whole is missing or zero."""
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def months_after(start: date, period: date) -> int:
    """How many months `period` lies after the month of `start` (the same month: 0; earlier: negative)."""
    return (period.year - start.year) * 12 + period.month - start.month


def by_period(day, period: date) -> bool:
    """Whether `day` falls in the period's month or before it (done as of the end of that month)."""
    return day is not None and (day.year, day.month) <= (period.year, period.month)


def worst(*lights):
    found = [light for light in lights if light is not None]
    return max(found, key=_SEVERITY.__getitem__) if found else None


def gap_light(gap, t: Thresholds = DEFAULTS):
    """The light of a gap (pace − completion, points): green ≤ yellow_gap < yellow ≤ red_gap < red."""
    if gap is None:
        return None
    if gap <= t.yellow_gap:
        return GREEN
    if gap <= t.red_gap:
        return YELLOW
    return RED


def investment_light(completion, period_pace, t: Thresholds = DEFAULTS):
    """(light, gap) of a completion rate against the pace; (None, None) without a completion."""
    if completion is None:
        return None, None
    gap = period_pace - completion
    return gap_light(gap, t), gap


def start_light(kind, planned_start, started_on, period, t: Thresholds = DEFAULTS):
    """A 新建 project not started by the end of its planned start month: yellow, `start_red_months` later red."""
    if kind != NEW or planned_start is None or by_period(started_on, period):
        return None
    late = months_after(planned_start, period)
    if late >= t.start_red_months:
        return RED
    if late >= t.start_yellow_months:
        return YELLOW
    return None


def statistics_light(started_on, statistics_on, period, t: Thresholds = DEFAULTS):
    """A project started by the period but not counted (入库) as of it: yellow one month after the month it
    started, red two months after (the thresholds')."""
    if not by_period(started_on, period) or by_period(statistics_on, period):
        return None
    months = months_after(started_on, period)
    if months >= t.statistics_red_months:
        return RED
    if months >= t.statistics_yellow_months:
        return YELLOW
    return None


def is_started(kind, started_on, period) -> bool:
    """Started as of the period: a 续建 project always (it began in an earlier year), a 新建 one by its start date."""
    return kind == CONTINUING or by_period(started_on, period)


def awaiting_start(kind, planned_start, started_on, period) -> bool:
    """A 新建 project, not started, whose planned start month is still to come: its investment is not judged."""
    return (kind == NEW and not by_period(started_on, period) and planned_start is not None
            and months_after(planned_start, period) < 0)


def judge(*, kind, year_plan, done_ytd, planned_start, started_on, statistics_on, period, t: Thresholds = DEFAULTS):
    """A project's judgement as of the period: {completion, gap, light, started, in_statistics, reasons}."""
    period_pace = pace(period.month)
    completion = rate(done_ytd, year_plan)
    reasons = []
    invest, gap = (None, None) if awaiting_start(kind, planned_start, started_on, period) else \
        investment_light(completion, period_pace, t)
    if invest in (YELLOW, RED):
        reasons.append(f"投资完成率{fixed(completion, 1)}%，低于序时进度{trimmed(gap, 2)}个百分点")
    start = start_light(kind, planned_start, started_on, period, t)
    if start:
        reasons.append(f"计划{planned_start.year}年{planned_start.month}月开工，尚未开工")
    counted = statistics_light(started_on, statistics_on, period, t)
    if counted:
        reasons.append(f"开工{months_after(started_on, period)}个月未入库")
    return {"completion": completion, "gap": gap, "light": worst(invest, start, counted) or GREEN,
            "started": is_started(kind, started_on, period), "in_statistics": by_period(statistics_on, period),
            "reasons": reasons}


def rollup(rows, period, t: Thresholds = DEFAULTS):
    """The figures of a group of judged project rows (each with kind, year_plan, done_ytd, started, light):
    count, year_plan, done_ytd, completion_rate, light (its completion's against the pace), the lights' counts,
    to_start (新建 in the list), started (of those), start_rate."""
    rows = list(rows)
    plan = sum((r["year_plan"] for r in rows), Decimal(0))
    done = sum((r["done_ytd"] for r in rows), Decimal(0))
    completion = rate(done, plan)
    new = [r for r in rows if r["kind"] == NEW]
    started = sum(1 for r in new if r["started"])
    light, gap = investment_light(completion, pace(period.month), t)
    return {"count": len(rows), "year_plan": plan, "done_ytd": done, "completion_rate": completion, "gap": gap,
            "light": light, "lights": {light_: sum(1 for r in rows if r["light"] == light_) for light_ in LIGHTS},
            "to_start": len(new), "started": started, "start_rate": rate(started, len(new))}


# The 调度表's arithmetic -----------------------------------------------------------------------------------------

def funding_problem(total, parts):
    """A Chinese message when the funding breakdown (source → amount, None left out) does not add up to the total
    investment, else None. No breakdown at all is no problem."""
    given = [amount for amount in parts.values() if amount is not None]
    if not given or total is None:
        return None
    added = sum(given, Decimal(0))
    if money(added) != money(total):
        return f"资金构成合计 {added} 万元与总投资 {total} 万元不一致"
    return None


def percent_agrees(given, done, plan) -> bool:
    """Whether a typed 占年计划（%） agrees with the amounts: the computed rate rounded to the decimals written (at
    most two), or the same written as a fraction (0.65 for 65 %: a cell formatted as percent)."""
    if not plan:
        return given == 0
    exact = Decimal(done) * HUNDRED / Decimal(plan)
    for value in (given, given * HUNDRED):
        places = max(0, min(2, -value.normalize().as_tuple().exponent))
        if abs(value - exact) <= Decimal(1).scaleb(-places) / 2:
            return True
    return False


def month_amount(done_ytd, earlier_months):
    """本月完成投资 from a 1-X月 total and the months before X already reported (may be negative: the caller
    refuses it)."""
    return money(done_ytd - earlier_months)


# Unit names as offices write them ---------------------------------------------------------------------------------

# Long words of department names and the short forms offices write for them (区工业和信息化局 = 区工信局).
UNIT_WORDS = [
    ("工业和信息化", "工信"), ("发展和改革", "发改"), ("发展改革", "发改"), ("住房和城乡建设", "住建"),
    ("住房城乡建设", "住建"), ("人力资源和社会保障", "人社"), ("人力资源社会保障", "人社"), ("教育和体育", "教体"),
    ("文化和旅游", "文旅"), ("文化旅游", "文旅"), ("市场监督管理", "市场监管"), ("行政审批服务", "审批"),
    ("卫生健康", "卫健"), ("综合行政执法", "执法"), ("退役军人事务", "退役军人"), ("应急管理", "应急"),
    ("医疗保障", "医保"), ("投资促进", "投促"), ("科学技术", "科技"), ("城市管理", "城管"), ("自然资源和规划", "自然资源"),
    ("大数据", "大数据"), ("人民政府", ""), ("办事处", ""),
]
_UNIT_PUNCTUATION = str.maketrans("", "", " \u3000·")


def unit_key(text, region_names=()):
    """One key for the ways offices write a unit: without the region's name or the leading 区/县, long words
    shortened (工业和信息化 → 工信), 人民政府 and 办事处 dropped. 区工信局, 区工业和信息化局, 济阳区工业和信息化局 → 工信局;
    济阳街道办事处, 济阳街道 → 济阳街道; 曲堤镇人民政府 → 曲堤镇."""
    key = str(text or "").translate(_UNIT_PUNCTUATION).replace("（", "(").replace("）", ")")
    for name in sorted(region_names, key=len, reverse=True):
        if name and key.startswith(name) and len(key) > len(name):
            key = key[len(name):]
            break
    if key[:1] in "区县" and len(key) > 2:
        key = key[1:]
    for long, short in UNIT_WORDS:
        key = key.replace(long, short)
    return key


# The pools' workflow (issue 24: docs/rules.md §9) ---------------------------------------------------------------

# How a project changes pool. 增补 and 退库 are requests a leader of the region approves; a start or a completion
# recorded by the analysis office moves the project by itself; ENTER is the pool a project was first put in.
ENTER, ADD, WITHDRAW, START, COMPLETE, CHANGE = "enter", "add", "withdraw", "start", "complete", "change"
MOVES = {ENTER: "入项目库", ADD: "增补", WITHDRAW: "退库", START: "开工转入在建", COMPLETE: "竣工转入竣工投产",
         CHANGE: "调整项目库"}
REQUESTED_MOVES = (ADD, WITHDRAW)
PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
MOVE_STATES = {PENDING: "待审批", APPROVED: "已批准", REFUSED: "未批准"}


def move_target(kind, pool):
    """(target pool, None) of a requested move from `pool`, or (None, Chinese reason) when it cannot be asked:
    增补 puts a 谋划储备 or 已退库 project into 在建 (the year's list); 退库 takes a 谋划储备 or 在建 project out of the
    pools. A 竣工投产 project moves no more."""
    label = POOLS.get(pool, pool)
    if kind == ADD:
        if pool in (PLANNING, WITHDRAWN):
            return BUILDING, None
        return None, f"项目在「{label}」库中，只有谋划储备或已退库的项目可以申请增补"
    if kind == WITHDRAW:
        if pool in (PLANNING, BUILDING):
            return WITHDRAWN, None
        return None, f"项目在「{label}」库中，只有谋划储备或在建的项目可以申请退库"
    return None, "申请类型应为「增补」或「退库」"


def month_end(day: date) -> date:
    """The last day of the month of `day`."""
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def milestone_dates(*, kind, planned_start, started_on, planned_completion, end_year, year):
    """The project's nodes in key work, (开工 due or None, 竣工 due): a 新建 project's start is due by the end of its
    planned start month (the month it turns yellow after); a project without a planned start but with a recorded start
    has its node due that day; completion is due on the planned completion day, else the last day of its 建设终止年,
    else the last day of `year` (the year the project entered key work)."""
    if planned_start is not None:
        start = month_end(planned_start)
    else:
        start = started_on
    if planned_completion is not None:
        completion = planned_completion
    elif end_year:
        completion = date(end_year, 12, 31)
    else:
        completion = date(year, 12, 31)
    if start is not None and completion < start:
        completion = month_end(start) if planned_completion is None else completion
    return start, completion


def task_span(start_due, completion_due, started_on, entered):
    """(task start, task deadline) in key work. The task starts on the first day of the month the project entered key
    work (`entered`), or of its planned start month when that is later: it owes key work's monthly reports from then
    on, not for the months before it was there. Its deadline is the completion node."""
    first = date(entered.year, entered.month, 1)
    planned = start_due or started_on
    start = max(first, date(planned.year, planned.month, 1)) if planned is not None else first
    return min(start, completion_due), completion_due


def task_percent(since_start, total):
    """The project's progress as a key-work report's whole percent: 开工以来累计 / 总投资, floored, 0–100."""
    if not total or since_start is None:
        return 0
    value = int(Decimal(since_start) * HUNDRED / Decimal(total))
    return max(0, min(100, value))


# 要素保障 problems ---------------------------------------------------------------------------------------------

PROBLEM_KINDS = {"land": "土地", "planning": "规划", "eia": "环评", "energy": "能评", "funds": "资金",
                 "relocation": "征迁", "utilities": "水电气", "other": "其他"}
PROBLEM_LEVELS = {"unit": "单位", "district": "区级", "city": "市级以上"}
OPEN, SOLVED = "open", "solved"
PROBLEM_STATES = {OPEN: "未解决", SOLVED: "已解决"}


def problem_overdue(state, effective_deadline, on) -> bool:
    """An open problem is overdue once the day after its deadline (a deadline on a rest day moved to the next working
    day: the caller passes it moved) has come."""
    return state == OPEN and effective_deadline is not None and on > effective_deadline


def problem_age(raised_on, on, solved_on=None) -> int:
    """How many days a problem has waited: from the day it was raised to the day it was solved, or to `on`."""
    end = solved_on or on
    return max(0, (end - raised_on).days)


def meeting_order(problems, on):
    """The 调度会's list: the open problems first, oldest first (by age, then by id), then the solved ones, most
    recently solved first. Each item is a dict with state, raised_on, solved_on, id."""
    open_ = sorted((p for p in problems if p["state"] == OPEN),
                   key=lambda p: (-problem_age(p["raised_on"], on), p["id"]))
    solved = sorted((p for p in problems if p["state"] != OPEN),
                    key=lambda p: (p["solved_on"] or p["raised_on"], p["id"]), reverse=True)
    return open_ + solved
