"""Pure rules of the 招商 pipeline (双招双引). No ORM; stated in docs/rules.md §9 (招商) and pinned by
tests/projects/pipeline/test_rules.py with hand-computed cases.

A period is a month, date(year, month, 1); "as of the period" means at the end of that month.

- Stages in order: 线索 → 在谈 → 签约 → 注册 → 开工 → 投产. A lead moves forward only, may skip 在谈 (signed at the
  first meeting) and 注册 or 开工 where there is none (an expansion of a company already there), but nothing after 签约
  comes without it; a stage's day is not before the day of the stage before it, nor after today. From 签约 on each
  stage needs its evidence (合同, 营业执照, 施工许可 or photos …, at least one file) and 签约 a 合同投资额.
- A lead's stage as of a period is the furthest stage whose day falls in or before the period's month.
- Year to date, among the leads signed in the year by the end of the period (签约 day from 1 January):
  履约率 = registered or later / signed; 开工率 = started or later / signed; 投产率 = producing / signed;
  资金到位率 = their 到位资金 up to the end of the period / their 合同投资额 (万元). Percent, two decimals.
- 外资 is counted in US dollars (实际利用外资, 万美元, the months of the year up to the period) and converted to 万元 at
  the rate recorded with it for the 资金到位率.
- A signed lead not yet producing with no progress (no stage reached, no 到位资金, no monthly 调度 of the project it
  became) in the 3 months before the end of the period: months from its last progress's month to the period ≥ 3
  (signed in January, nothing since: listed from April).
- The funnel: the year's pipeline (leads recorded by the end of the period, less those producing before the year),
  how many reached each stage or a later one.
"""

from datetime import date
from decimal import Decimal

from luoshi.projects.rules import money, rate

LEAD, TALKS, SIGNED, REGISTERED, STARTED, PRODUCING = "lead", "talks", "signed", "registered", "started", "producing"
STAGES = [LEAD, TALKS, SIGNED, REGISTERED, STARTED, PRODUCING]
STAGE_LABELS = {LEAD: "线索", TALKS: "在谈", SIGNED: "签约", REGISTERED: "注册", STARTED: "开工", PRODUCING: "投产"}
STAGE_BY_LABEL = {label: code for code, label in STAGE_LABELS.items()}
EVIDENCE_NEEDED = {SIGNED: "合同", REGISTERED: "营业执照", STARTED: "施工许可或开工照片", PRODUCING: "投产照片或证明"}

DOMESTIC, FOREIGN = "domestic", "foreign"
CAPITALS = {DOMESTIC: "内资", FOREIGN: "外资"}
CAPITAL_BY_LABEL = {label: code for code, label in CAPITALS.items()}

STALL_MONTHS = 3
# 折算汇率 (元 per 美元) accepted: a number outside is a typing error (万元 typed as the rate, or the rate upside down).
RATE_RANGE = (Decimal("5"), Decimal("9"))


def index(stage) -> int:
    return STAGES.index(stage)


def months_after(start: date, period: date) -> int:
    """Months from `start`'s month to `period`'s (the same month: 0)."""
    return (period.year - start.year) * 12 + period.month - start.month


def by_period(day, period: date) -> bool:
    return day is not None and (day.year, day.month) <= (period.year, period.month)


def furthest(reached: dict, period: date | None = None):
    """(stage, day) of the furthest stage reached ({stage: day}), as of the period when given; (None, None) when none."""
    found = [(index(s), s, d) for s, d in reached.items() if d is not None and (period is None or by_period(d, period))]
    if not found:
        return None, None
    _, stage, day = max(found)
    return stage, day


def stage_problems(*, reached: dict, stage, day, today: date, evidence: int, contract_investment=None):
    """Chinese messages against moving a lead (its current stages {stage: day}) to `stage` on `day`, else []."""
    if stage not in STAGE_LABELS:
        return ["阶段应为 " + "、".join(STAGE_LABELS.values()) + " 之一"]
    label = STAGE_LABELS[stage]
    problems = []
    if day is None:
        return [f"请填写{label}日期"]
    if day > today:
        problems.append(f"{label}日期 {day.year}年{day.month}月{day.day}日晚于今天")
    if stage in reached:
        return problems + [f"该项目已记录{label}，如需修改日期或说明请点「更正」"]
    top, top_day = furthest(reached)
    if top is not None and index(stage) < index(top):
        problems.append(f"该项目已到{STAGE_LABELS[top]}阶段，不能再记录{label}（阶段只能向前推进）")
    elif top_day is not None and day < top_day:
        problems.append(f"{label}日期早于上一阶段（{STAGE_LABELS[top]}，{top_day.year}年{top_day.month}月{top_day.day}日）")
    if index(stage) > index(SIGNED) and SIGNED not in reached:
        problems.append(f"项目尚未签约，不能记录{label}")
    if stage == SIGNED and not (contract_investment and contract_investment > 0):
        problems.append("签约须填写合同投资额（万元）")
    if stage in EVIDENCE_NEEDED and evidence < 1:
        problems.append(f"{label}须上传佐证材料（{EVIDENCE_NEEDED[stage]}）")
    return problems


def correction_problems(*, reached: dict, stage, day, today: date):
    """Messages against correcting the day of a stage already reached: still after the stage before it and before the
    stage after it (of those reached), not after today."""
    label = STAGE_LABELS.get(stage, stage)
    if day is None:
        return [f"请填写{label}日期"]
    problems = [f"{label}日期晚于今天"] if day > today else []
    for other, other_day in reached.items():
        if other == stage or other_day is None:
            continue
        if index(other) < index(stage) and day < other_day:
            problems.append(f"{label}日期早于{STAGE_LABELS[other]}（{other_day.year}年{other_day.month}月{other_day.day}日）")
        if index(other) > index(stage) and day > other_day:
            problems.append(f"{label}日期晚于{STAGE_LABELS[other]}（{other_day.year}年{other_day.month}月{other_day.day}日）")
    return problems


def to_wan(usd, fx):
    """万美元 at `fx` 元 per 美元 → 万元 (two decimals, half up)."""
    return money(Decimal(usd) * Decimal(fx))


def arrival_problems(*, capital, lead_capital, amount, usd, fx, period: date, this_month: date, signed_on):
    """Messages against 到位资金 (amount 万元 for 内资; usd 万美元 and fx for 外资) of a lead in a month, else []."""
    problems = []
    if capital not in CAPITALS:
        return ["资金来源应为「内资」或「外资」"]
    if period > this_month:
        problems.append(f"到位月份 {period.year}年{period.month}月晚于本月")
    if signed_on is None or not by_period(signed_on, period):
        problems.append("到位资金只能记在签约当月及以后（项目在该月尚未签约）")
    if capital == FOREIGN:
        if lead_capital != FOREIGN:
            problems.append("内资项目不能记录外资到位，请先将项目的资金来源改为外资")
        if usd is None or usd <= 0:
            problems.append("外资到位请填写金额（万美元，大于0）")
        if fx is None or not RATE_RANGE[0] <= fx <= RATE_RANGE[1]:
            problems.append(f"折算汇率应为每美元 {RATE_RANGE[0]} 至 {RATE_RANGE[1]} 元")
    elif amount is None or amount <= 0:
        problems.append("内资到位请填写金额（万元，大于0）")
    return problems


def stalled(*, stage, signed_on, last_progress, period: date, months: int = STALL_MONTHS) -> bool:
    """A signed lead not producing, whose last progress (a stage's day, a month of 到位资金 or of its project's 调度)
    lies `months` or more months before the period's month."""
    if stage is None or index(stage) < index(SIGNED) or stage == PRODUCING or not by_period(signed_on, period):
        return False
    last = last_progress or signed_on
    return months_after(last, period) >= months


def summary(rows, period: date):
    """The year-to-date figures of a group of lead rows, each {signed_on, stage (as of the period), contract,
    funds (万元 up to the period)}: signed, contract_total, registered, started, producing, funds_arrived and the
    rates {performance 履约率, start 开工率, production 投产率, funds 资金到位率}."""
    january = date(period.year, 1, 1)
    signed = [r for r in rows if r["signed_on"] is not None and january <= r["signed_on"] and by_period(r["signed_on"], period)]
    at_least = lambda stage: sum(1 for r in signed if r["stage"] is not None and index(r["stage"]) >= index(stage))  # noqa: E731
    contract = money(sum((r["contract"] or Decimal(0) for r in signed), Decimal(0)))
    funds = money(sum((r["funds"] for r in signed), Decimal(0)))
    registered, started, producing = at_least(REGISTERED), at_least(STARTED), at_least(PRODUCING)
    return {"signed": len(signed), "contract_total": contract, "registered": registered, "started": started,
            "producing": producing, "funds_arrived": funds,
            "rates": {"performance": rate(registered, len(signed)), "start": rate(started, len(signed)),
                      "production": rate(producing, len(signed)), "funds": rate(funds, contract)}}


def in_years_pipeline(*, first_day, producing_on, period: date) -> bool:
    """Whether a lead is in the year's funnel: recorded by the end of the period, not producing before the year."""
    return by_period(first_day, period) and not (producing_on is not None and producing_on.year < period.year)


def funnel(rows):
    """[(stage, label, how many reached it or a later one)] for rows {stage} (as of the period)."""
    return [(s, STAGE_LABELS[s], sum(1 for r in rows if r["stage"] is not None and index(r["stage"]) >= index(s)))
            for s in STAGES]
