"""Numbers and dates as Chinese government documents write them: one formatter for every page and document.

    growth(-3)            下降3.0%          growth(4)            增长4.0%          growth(0)    持平
    growth_figure(-3)     -3.0              (a table's 同比增长% column: one decimal, the sign kept)
    points(1.2)           提高1.2个百分点    points(-0.5)         回落0.5个百分点
    gap(6.7)              高于序时进度6.7个百分点                    gap(-3.82)   低于序时进度3.82个百分点
    amount(31.7, "亿元")  31.70亿元         amount(125000, "万元") 12.50亿元    amount(2000, "万美元") 2000万美元
    percent(31.7)         31.7%
    rank(11)              第11位            rank_change(2)       前移2位          rank_change(-1)  后移1位
    day(date(2026,1,1))   2026年1月1日      month(date(2026,1,1)) 2026年1月
    missing               暂无数据 in a sentence, — in a table cell (MISSING_CELL)

Rules (hand-checked in tests/core/test_wording.py): growth rates and percentages to one decimal; percentage points to
at most two (as the gap is computed) without trailing zeros; 亿元 to two decimals; 万元 of 10,000 and over in 亿元;
万元, 万美元, 元, 户 and other counts as whole numbers (rounded half up, the way statistics bureaus round). Negative zero
is 0. A value that is not a finite number is missing.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "暂无数据"
MISSING_CELL = "—"
PERCENT_UNITS = {"%", "％"}
WHOLE_UNITS = {"万元", "万美元", "元", "户", "个", "家", "人", "项"}


def _decimal(value):
    """The value as a Decimal, or None when it is missing or not a finite number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not number.is_finite():
        return None
    return number


def _round(number, digits):
    quantum = Decimal(1).scaleb(-digits)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded + 0 if rounded != 0 else abs(rounded)  # never "-0.0"


def fixed(value, digits=1, missing=MISSING_CELL):
    """A number to exactly `digits` decimals (4 → 4.0), rounded half up; `missing` when there is none."""
    number = _decimal(value)
    if number is None:
        return missing
    return f"{_round(number, digits):.{digits}f}"


def trimmed(value, digits=2, missing=MISSING_CELL):
    """A number to at most `digits` decimals without trailing zeros (3.80 → 3.8, 4.00 → 4)."""
    number = _decimal(value)
    if number is None:
        return missing
    text = f"{_round(number, digits):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def growth(value, missing=MISSING):
    """同比 growth in words: 增长4.0%, 下降3.0%, 持平."""
    number = _decimal(value)
    if number is None:
        return missing
    rounded = _round(number, 1)
    if rounded == 0:
        return "持平"
    return f"{'增长' if rounded > 0 else '下降'}{abs(rounded):.1f}%"


def growth_figure(value, missing=MISSING_CELL):
    """Growth in a table's 同比增长（%） column: -3.0, 4.0 (the column names the unit)."""
    return fixed(value, 1, missing)


def percent(value, missing=MISSING_CELL):
    """A completion or time progress: 31.7%."""
    text = fixed(value, 1, None)
    return missing if text is None else f"{text}%"


def points(value, missing=MISSING, up="提高", down="回落"):
    """A change in percentage points: 提高1.2个百分点, 回落0.5个百分点, 持平."""
    number = _decimal(value)
    if number is None:
        return missing
    if _round(number, 2) == 0:
        return "持平"
    return f"{up if number > 0 else down}{trimmed(abs(number), 2)}个百分点"


def gap(value, missing=MISSING, against="序时进度"):
    """Completion against time progress: 高于序时进度6.7个百分点, 低于序时进度3.82个百分点, 与序时进度持平."""
    number = _decimal(value)
    if number is None:
        return missing
    if _round(number, 2) == 0:
        return f"与{against}持平"
    return f"{'高于' if number > 0 else '低于'}{against}{trimmed(abs(number), 2)}个百分点"


def amount(value, unit, missing=MISSING):
    """A cumulative value with its unit, to the decimals documents use: 31.70亿元, 12.50亿元 (from 125000万元),
    2000万美元, 28000元 (no thousands separators in running text)."""
    number = _decimal(value)
    if number is None:
        return missing
    unit = unit or ""
    if unit == "万元" and abs(number) >= 10000:
        number, unit = number / 10000, "亿元"
    if unit in PERCENT_UNITS:
        return percent(number)
    if unit == "亿元":
        return f"{fixed(number, 2)}亿元"
    if unit in WHOLE_UNITS:
        return f"{fixed(number, 0)}{unit}"
    return f"{trimmed(number, 2)}{unit}"


def amount_figure(value, unit, missing=MISSING_CELL):
    """The number alone, as a table column headed with the unit writes it (31.70 under 亿元, 2000 under 万美元)."""
    number = _decimal(value)
    if number is None:
        return missing
    if unit in PERCENT_UNITS:
        return fixed(number, 1)
    if unit == "亿元":
        return fixed(number, 2)
    if unit in WHOLE_UNITS:
        return fixed(number, 0)
    return trimmed(number, 2)


def rank(value, missing=MISSING_CELL):
    """A place among peers: 第11位."""
    return missing if value is None else f"第{int(value)}位"


def rank_change(value, missing=MISSING_CELL):
    """Rank change (previous − current, positive = 前移): 前移2位, 后移1位, 持平."""
    if value is None:
        return missing
    value = int(value)
    if value == 0:
        return "持平"
    return f"前移{value}位" if value > 0 else f"后移{-value}位"


def day(value, missing=""):
    """2026年1月1日 (never 2026年01月01日)."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def month(value, missing=""):
    """2026年1月."""
    return missing if value is None else f"{value.year}年{value.month}月"


def short_day(value, missing=""):
    """1月1日: a day in a table of one year."""
    return missing if value is None else f"{value.month}月{value.day}日"


def is_missing(value):
    return _decimal(value) is None
