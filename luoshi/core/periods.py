"""Reporting periods: the month that ends a cumulative period (1-n月), read from what statisticians write.

A period is a `date` on the first day of its last month: 2020年1-6月 → date(2020, 6, 1).
Accepted: `2020-06`, `2020-6`, `2020/06`, `202006`, `2020年6月`, `2020年1-6月`, `1-2月` (needs a year),
`2020年一季度` / `2020Q1` (→ March), `上半年` (→ June), `前三季度` (→ September), `全年` / `2020年` (→ December),
and Excel dates. A range that does not start in January (`3-6月`) is not cumulative and is refused.
"""

import re
from datetime import date, datetime

from luoshi.core.problems import Rejected

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十一": 11, "十二": 12}
QUARTER_WORDS = {"一季度": 3, "第一季度": 3, "1季度": 3, "上半年": 6, "前三季度": 9, "1-3季度": 9, "一至三季度": 9,
                 "全年": 12, "四季度": 12, "第四季度": 12}
DASH = r"[-—–~－至到]"


# Statistical periods may reach back to the 1990s (historical series); the days a person asks about (`?on=`,
# `?date=`, a report's day) stay within the working-day calendar's reach and its Monday–Friday fallback.
PERIOD_YEARS = (1990, 2100)
DAY_YEARS = (2000, 2100)


class PeriodError(ValueError):
    """The text cannot be read as a period; the message is Chinese and names the text."""


def _month_number(token):
    token = token.strip()
    if token.isdigit():
        return int(token)
    return CN_DIGITS.get(token)


def _normalize(raw):
    return re.sub(r"\s+", "", raw).replace("份", "").replace("（", "(").replace("）", ")")


def parse_period(value, year=None) -> date:
    """The period `value` stands for; `year` fills in a text without one (`1-2月`). Raises PeriodError."""
    if isinstance(value, date):  # a datetime too (an Excel date cell)
        if not PERIOD_YEARS[0] <= value.year <= PERIOD_YEARS[1]:
            raise PeriodError(f"期间「{value:%Y-%m-%d}」的年份不正确（应在{PERIOD_YEARS[0]}年至{PERIOD_YEARS[1]}年之间）")
        return date(value.year, value.month, 1)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and 190001 <= value <= 299912:
        value = str(int(value))
    full = "" if value is None else str(value)
    raw = _shown(full)  # as messages quote it
    text = _normalize(full)
    if not text:
        raise PeriodError("期间不能为空")
    found_year, month = None, None
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?", text) or re.fullmatch(r"(\d{4})(\d{2})()", text)
    if m:
        found_year, month = int(m.group(1)), int(m.group(2))
        if m.group(3) and not _real_day(found_year, month, int(m.group(3))):
            raise PeriodError(f"期间「{raw}」不是真实的日期")
    else:
        m = re.fullmatch(r"(\d{4})[Qq]([1-4])|[Qq]([1-4])", text)
        if m:
            found_year = int(m.group(1)) if m.group(1) else None
            month = int(m.group(2) or m.group(3)) * 3
        else:
            m = re.fullmatch(r"(?:(\d{4})年)?(.*)", text)
            found_year = int(m.group(1)) if m.group(1) else None
            rest = m.group(2)
            if rest in QUARTER_WORDS:
                month = QUARTER_WORDS[rest]
            elif rest == "" and found_year:
                month = 12
            else:
                r = re.fullmatch(rf"(?:([0-9一二三四五六七八九十]+)月?{DASH})?([0-9一二三四五六七八九十]+)月(?:累计)?", rest)
                if r is None:
                    raise PeriodError(f"无法识别的期间「{raw}」，应写成 2020-06、2020年1-6月 或 2020年6月")
                start = _month_number(r.group(1)) if r.group(1) else None
                month = _month_number(r.group(2))
                if r.group(1) and start != 1:
                    raise PeriodError(f"期间「{raw}」不是从1月开始的累计期间")
    if month is None or not 1 <= month <= 12:
        raise PeriodError(f"期间「{raw}」中的月份不正确")
    found_year = found_year or year
    if found_year is None:
        raise PeriodError(f"期间「{raw}」没有年份")
    if not PERIOD_YEARS[0] <= found_year <= PERIOD_YEARS[1]:
        raise PeriodError(f"期间「{raw}」的年份不正确（应在{PERIOD_YEARS[0]}年至{PERIOD_YEARS[1]}年之间）")
    return date(found_year, month, 1)


def _shown(raw, limit=40):
    """The text as an error message quotes it: a long one is cut (it is refused anyway)."""
    return raw if len(raw) <= limit else raw[:limit] + "…"


def _real_day(year, month, day):
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def find_period(text, year=None):
    """The first period mentioned inside a longer text (a sheet title), or None."""
    if not text:
        return None
    text = _normalize(str(text))
    patterns = [rf"\d{{4}}年(?:[0-9一二三四五六七八九十]+月?{DASH})?[0-9一二三四五六七八九十]+月",
                r"\d{4}年(?:第?一季度|上半年|前三季度|全年)", r"\d{4}[-/.]\d{1,2}", r"\d{4}[Qq][1-4]",
                rf"(?:[0-9一二三四五六七八九十]+月?{DASH})?[0-9一二三四五六七八九十]+月"]
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            try:
                return parse_period(m.group(0), year=year)
            except PeriodError:
                continue
    return None


def period_code(period: date) -> str:
    return f"{period.year}-{period.month:02d}"


def period_label(period: date, jan_with_feb=False) -> str:
    """How the period is written in Chinese releases: 1月, 1-2月, 1-6月."""
    if period.month == 1:
        return f"{period.year}年1月"
    return f"{period.year}年1-{period.month}月"


def day_label(day) -> str:
    """A day as Chinese documents and messages write it: 2020年5月12日 ("" for None)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def is_quarter_end(period: date) -> bool:
    return period.month in (3, 6, 9, 12)


def previous_month(period: date) -> date:
    return date(period.year - 1, 12, 1) if period.month == 1 else date(period.year, period.month - 1, 1)


def parse_day(value, label="日期") -> date:
    """A day a person may ask about or report on (`?on=`, `?date=`, a form's date field): a real calendar date
    written 2020-04-14 (or 2020/4/14), in DAY_YEARS. Raises Rejected with a Chinese message naming the text."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        raw = "" if value is None else str(value).strip()
        m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw, re.ASCII)
        if m is None:
            raise Rejected(f"无法识别的{label}「{_shown(raw)}」，请写成 2020-04-14 的形式")
        if not _real_day(*(int(g) for g in m.groups())):
            raise Rejected(f"{label}「{_shown(raw)}」不是真实的日期")
        day = date(*(int(g) for g in m.groups()))
    if not DAY_YEARS[0] <= day.year <= DAY_YEARS[1]:
        raise Rejected(f"{label}「{day:%Y-%m-%d}」超出可查询的范围（{DAY_YEARS[0]}年至{DAY_YEARS[1]}年）")
    return day


def parse_year(value, label="年度", years=PERIOD_YEARS) -> int:
    """A year a person asks about (`?year=`): an integer in `years`. Raises Rejected."""
    text = "" if value is None else str(value).strip().removesuffix("年")
    if not text.isascii() or not text.isdigit() or not years[0] <= int(text) <= years[1]:
        raise Rejected(f"{label}「{_shown(text)}」不正确，应为{years[0]}至{years[1]}之间的四位年份")
    return int(text)
