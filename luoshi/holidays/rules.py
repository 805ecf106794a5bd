"""Reading a year's 放假安排 (pure: no ORM). docs/rules.md §3, "Holidays loaded by an administrator".

Two forms, line by line (they may be mixed):
- the State Council notice's own lines: "二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，
  共9天。2月14日（周六）、2月28日（周六）上班。" — the name before the colon; each date or range (至) before 放假 is
  rest, each date before 上班 (补班) a working day; "共N天" / "放假N天" must match the days of the range; a weekday
  written beside a date (周六, 星期六) must be that date's; a date without a month takes the one before it; "2026年12月
  31日" names another year, which is left out with a note when it is next to the year (元旦 across the new year), else a
  problem. The notice's other lines (title, 文号, closing text) are read for the 文号 and the year, and otherwise shown
  as not read.
- a simple table: date, 放假/上班, name ("2027-01-01,放假,元旦", or the cells of a csv/xlsx sheet with the header
  日期, 类型, 名称).
Checked: a 上班 day must be a Saturday or Sunday (a weekday is a working day already); a day may be read once (a
repeat or a day both 放假 and 上班 is a problem); the year must have at least one rest day. Every problem names its line.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from luoshi.core import text as core_text
from luoshi.core.problems import Problem

REST, WORK = "rest", "work"
KIND_LABELS = {REST: "放假", WORK: "上班"}
KIND_WORDS = {"放假": REST, "休息": REST, "休假": REST, "放假调休": REST, "休": REST, "rest": REST, "holiday": REST,
              "上班": WORK, "调休上班": WORK, "补班": WORK, "班": WORK, "work": WORK, "workday": WORK}
NAME_MAX = 20
TEXT_MAX = 20_000  # characters: the notice is about 1,000
LINES_MAX = 400
RANGE_MAX = 15  # days of one holiday: the longest, 春节 or 国庆, is 8–9
SHOWN_MAX = 200  # characters of a line shown in the review
WEEKDAYS = "一二三四五六日"

HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*[、.．]\s*([^:]{1,40}?)\s*:\s*(.*)")
DATE = (r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日"
        r"(?:\s*\((?P<paren>[^)]{0,40})\))?")
TOKENS = re.compile(
    rf"(?P<date>{DATE})|(?P<to>至|到|~|-|—|–)|(?P<restn>放假(?P<n1>\d{{1,2}})天)|(?P<rest>放假|休假|休息)"
    r"|(?P<work>上班|补班)|(?P<total>共(?P<n2>\d{1,2})天)")
WEEKDAY_IN = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
TABLE_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?")
TABLE_SPLIT = re.compile(r"[\s,;|]+")
NOTICE_NUMBER = re.compile(r"(国办发明电|国办发)\s*[〔\[【(]\s*(\d{4})\s*[〕\]】)]\s*(\d{1,4})\s*号")
TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年[^,。]{0,12}?节假日")
HEADER_NAMES = {"date": ("日期",), "kind": ("类型", "安排", "放假/上班", "放假或上班", "放假上班"),
                "name": ("名称", "节日", "节假日", "假日", "节日名称", "节假日名称")}


@dataclass(frozen=True)
class Day:
    day: date
    kind: str
    name: str

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def weekday_label(self):
        return "周" + WEEKDAYS[self.day.weekday()]


@dataclass
class Line:
    """One line of the text (one row of a sheet) as the review shows it."""

    number: int
    text: str
    days: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    note: str = ""

    @property
    def state(self):
        return "problem" if self.problems else ("read" if self.days else "skipped")


@dataclass
class Reading:
    """What was read for a year: each line with its days, problems and notes; the notice's 文号 when it says one."""

    year: int
    lines: list = field(default_factory=list)
    notice_number: str = ""
    overall: list = field(default_factory=list)  # problems of the whole text (no line)

    @property
    def days(self):
        return sorted((d for line in self.lines if not line.problems for d in line.days), key=lambda d: d.day)

    @property
    def problems(self):
        return ([Problem(p, row=line.number) for line in self.lines for p in line.problems]
                + [Problem(p) for p in self.overall])

    @property
    def rest_count(self):
        return sum(1 for d in self.days if d.kind == REST)

    @property
    def work_count(self):
        return sum(1 for d in self.days if d.kind == WORK)

    def as_table(self):
        """The days as the simple table's text (what the review hands on for a file, and `luoshi holidays show`)."""
        return "\n".join(table_line(d) for d in self.days)


def table_line(day):
    return f"{day.day:%Y-%m-%d},{KIND_LABELS[day.kind]},{day.name}"


def _normal(value):
    """Full-width digits and punctuation as ASCII (１月１日（周五）→ 1月1日(周五)), for reading only."""
    return unicodedata.normalize("NFKC", value)


def _label(day):
    return f"{day.month}月{day.day}日"


def read_text(text, year):
    """A Reading of a pasted or uploaded text: notice lines and table lines."""
    reading = Reading(year)
    if len(text) > TEXT_MAX:
        reading.overall.append(f"内容过长（{len(text)} 字），上限 {TEXT_MAX} 字，请只粘贴放假安排的部分")
        return reading
    if message := core_text.problem(text):
        reading.overall.append(f"内容{message}")
        return reading
    raw_lines = text.splitlines()
    if len(raw_lines) > LINES_MAX:
        reading.overall.append(f"内容超过 {LINES_MAX} 行，请只粘贴放假安排的部分")
        return reading
    for number, raw in enumerate(raw_lines, start=1):
        shown = raw.strip().replace("\u3000", " ").strip()
        if not shown:
            continue
        line = Line(number, shown[:SHOWN_MAX] + ("…" if len(shown) > SHOWN_MAX else ""))
        normal = _normal(shown)
        found = TABLE_DATE.match(normal)
        if found and (cells := _table_rest(normal[found.end():])) is not None:
            _read_row(line, [normal[:found.end()], *cells], year)
        elif heading := HEADING.fullmatch(normal):
            _read_notice_line(line, heading.group(1), heading.group(2), year)
        else:
            _read_other(line, normal, reading)
        reading.lines.append(line)
    return _finish(reading)


def _table_rest(rest):
    """The cells after a table line's date ([kind, name…]), or None when the date is not followed by a separator."""
    if rest and not TABLE_SPLIT.match(rest):
        return None
    return [c for c in TABLE_SPLIT.split(rest.strip(" ,;|\t")) if c] or None  # a date alone: the notice's own date


def read_rows(rows, year, first_row=1):
    """A Reading of a sheet's rows (csv or xlsx cells): date, 放假/上班, name, with or without a header row."""
    reading = Reading(year)
    columns = {"date": 0, "kind": 1, "name": 2}
    rows = list(rows)
    if len(rows) > LINES_MAX:
        reading.overall.append(f"表格超过 {LINES_MAX} 行，请只保留放假安排")
        return reading
    header_seen = False
    for index, row in enumerate(rows):
        number = first_row + index
        cells = ["" if c is None else c for c in row]
        if not any(str(c).strip() for c in cells):
            continue
        shown = "，".join(_cell_text(c) for c in cells if str(c).strip())
        line = Line(number, shown[:SHOWN_MAX] + ("…" if len(shown) > SHOWN_MAX else ""))
        if not header_seen and _parse_cell_date(cells[0]) is None:
            header_seen = True
            found = _header_columns(cells)
            if found is None:
                line.problems.append("第一行应为表头「日期、类型、名称」，或直接从日期写起")
            else:
                columns = found
                line.note = "表头"
            reading.lines.append(line)
            continue
        header_seen = True
        picked = [cells[columns[k]] if columns[k] < len(cells) else "" for k in ("date", "kind", "name")]
        _read_row(line, picked, year)
        reading.lines.append(line)
    return _finish(reading)


def _cell_text(value):
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def _header_columns(cells):
    found = {}
    for index, cell in enumerate(cells):
        name = _normal(str(cell)).strip().replace(" ", "")
        for key, names in HEADER_NAMES.items():
            if name in names and key not in found:
                found[key] = index
    return found if len(found) == 3 else None


def _parse_cell_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = TABLE_DATE.fullmatch(_normal(str(value)).strip())
    if found is None:
        return None
    try:
        return date(*(int(g) for g in found.groups()))
    except ValueError:
        return False  # a date's shape, not a real date


def _read_row(line, cells, year):
    """A table row: [date, kind, name]."""
    cells = list(cells) + [""] * (3 - len(cells))
    day = _parse_cell_date(cells[0])
    kind_text = _normal(str(cells[1] or "")).strip().lower()
    name = _normal(str(cells[2] or "")).strip() if len(cells) <= 3 else "".join(_normal(str(c)).strip() for c in cells[2:])
    if day is None:
        line.problems.append(f"无法识别的日期「{_cell_text(cells[0])[:20]}」，应写成 {year}-01-01")
    elif day is False:
        line.problems.append(f"「{_cell_text(cells[0])[:20]}」不是真实的日期")
    elif day.year != year:
        line.problems.append(f"{day:%Y-%m-%d} 不在{year}年内")
    kind = KIND_WORDS.get(kind_text)
    if kind is None:
        line.problems.append(f"类型应为「放假」或「上班」，这里是「{kind_text[:10]}」" if kind_text else "缺少类型（放假或上班）")
    if not name:
        line.problems.append("缺少节日名称（如元旦、春节）")
    elif len(name) > NAME_MAX:
        line.problems.append(f"节日名称过长（{len(name)} 字，上限 {NAME_MAX} 字）")
    if line.problems:
        return
    _add(line, day, kind, name)


def _add(line, day, kind, name):
    if kind == WORK and day.weekday() < 5:
        line.problems.append(f"{_label(day)}是周{WEEKDAYS[day.weekday()]}，本来就是工作日；调休上班应在周六或周日，请核对")
        return
    line.days.append(Day(day, kind, name))


def _read_notice_line(line, name, body, year):
    name = name.strip()
    if len(name) > NAME_MAX:
        line.problems.append(f"节日名称过长（{len(name)} 字，上限 {NAME_MAX} 字）")
        return
    pending = []  # [[first day, last day or None]] not yet said to be rest or work
    awaiting_end = False
    last = None  # (year, month) of the date before
    last_rest = None
    skipped = []
    for token in TOKENS.finditer(body):
        if token.group("date"):
            day = _notice_date(line, token, last, year)
            if day is None:
                return
            last = (day.year, day.month)
            if awaiting_end and pending:
                pending[-1][1] = day
                awaiting_end = False
            else:
                pending.append([day, None])
        elif token.group("to"):
            awaiting_end = bool(pending) and pending[-1][1] is None
        elif token.group("restn") or token.group("rest"):
            days = _expand(line, pending)
            if days is None:
                return
            pending, awaiting_end = [], False
            if not days:
                continue  # "放假" without a date before it: words, not an arrangement
            last_rest = days
            if token.group("n1") and int(token.group("n1")) != len(days):
                line.problems.append(f"写明放假{token.group('n1')}天，但所列日期共 {len(days)} 天，请核对")
                return
            for day in days:
                if day.year != year:
                    skipped.append(day)
                else:
                    _add(line, day, REST, name)
        elif token.group("work"):
            days = _expand(line, pending)
            if days is None:
                return
            pending, awaiting_end = [], False
            for day in days:
                if day.year != year:
                    skipped.append(day)
                else:
                    _add(line, day, WORK, name)
        elif token.group("total"):
            if last_rest is not None and int(token.group("n2")) != len(last_rest):
                line.problems.append(f"写明共{token.group('n2')}天，但放假日期共 {len(last_rest)} 天，请核对")
                return
    if line.problems:
        return
    if pending:
        line.problems.append("、".join(_label(p[0]) for p in pending) + " 后没有写明是放假还是上班")
    elif not line.days and not skipped:
        line.problems.append("这一行没有读到放假或上班的日期，应写成「一、元旦：1月1日（周五）放假，共1天。」")
    if skipped:
        line.note = "不属于{}年、未录入：{}".format(year, "、".join(f"{d.year}年{_label(d)}" for d in skipped))


def _notice_date(line, token, last, year):
    """The date a notice token names (the month and year of the date before it where it omits them), or None with a
    problem on the line."""
    y, m = token.group("y"), token.group("m")
    y = int(y) if y else (last[0] if last else year)
    if m:
        m = int(m)
    elif last and not token.group("y"):
        m = last[1]
    else:
        line.problems.append(f"「{token.group('date')}」缺少月份")
        return None
    try:
        day = date(y, m, int(token.group("d")))
    except ValueError:
        line.problems.append(f"「{token.group('date')}」不是真实的日期")
        return None
    if abs(y - year) > 1:
        line.problems.append(f"{y}年{_label(day)}不是{year}年的日期，请核对年份")
        return None
    written = WEEKDAY_IN.search(token.group("paren") or "")
    if written:
        said = WEEKDAYS.index("日" if written.group(1) == "天" else written.group(1))
        if said != day.weekday():
            line.problems.append(f"{day.year}年{_label(day)}是周{WEEKDAYS[day.weekday()]}，原文写的是周{written.group(1)}；"
                                 "请核对年份或日期")
            return None
    return day


def _expand(line, pending):
    """The days of the pending dates and ranges, or None with a problem on the line."""
    days = []
    for first, last in pending:
        last = last or first
        if last < first:
            line.problems.append(f"{_label(first)}至{_label(last)}：结束日期早于开始日期")
            return None
        if (last - first).days + 1 > RANGE_MAX:
            line.problems.append(f"{_label(first)}至{_label(last)}超过 {RANGE_MAX} 天，请核对")
            return None
        days.extend(first + timedelta(days=n) for n in range((last - first).days + 1))
    return days


def _read_other(line, normal, reading):
    """A line that is neither an arrangement nor a table row: the title (its year), the 文号, or words."""
    if number := NOTICE_NUMBER.search(normal):
        reading.notice_number = reading.notice_number or f"{number.group(1)}〔{number.group(2)}〕{number.group(3)}号"
        line.note = f"文号：{reading.notice_number}"
        return
    if (title := TITLE_YEAR.search(normal)) and int(title.group(1)) != reading.year:
        line.problems.append(f"这是{title.group(1)}年的放假安排，与录入年份{reading.year}年不符")
        return
    if re.search(r"\d{1,2}\s*月\s*\d{1,2}\s*日", normal) and re.search(r"放假|上班|补班", normal) \
            and not re.search(r"通知|经国务院批准", normal):
        line.problems.append("无法识别这一行，应写成「一、元旦：1月1日（周五）放假，共1天。」或「2027-01-01,放假,元旦」")
        return
    line.note = "未读取（说明文字）"


def _finish(reading):
    """Problems across lines: a day read twice, no rest day at all."""
    seen = {}
    for line in reading.lines:
        if line.problems:
            continue
        kept = []
        for day in line.days:
            earlier = seen.get(day.day)
            if earlier is None:
                seen[day.day] = (line.number, day)
                kept.append(day)
            elif earlier[1].kind == day.kind:
                line.problems.append(f"{_label(day.day)}重复（第{earlier[0]}行已有）")
            else:
                line.problems.append(f"{_label(day.day)}在第{earlier[0]}行是{KIND_LABELS[earlier[1].kind]}，"
                                     f"这里又是{KIND_LABELS[day.kind]}")
        if line.problems:
            for day in kept:
                seen.pop(day.day, None)
    if not reading.overall and not any(line.problems for line in reading.lines) and reading.rest_count == 0:
        reading.overall.append(f"没有读到{reading.year}年的任何放假日期")
    return reading


# The next year's notice comes out in November; from this day (month, day) on, its arrangement is asked for too.
NEXT_YEAR_FROM = (12, 1)


def years_wanted(today):
    """The years whose arrangement should be known on this day: this year, and from 1 December the next."""
    return [today.year, today.year + 1] if (today.month, today.day) >= NEXT_YEAR_FROM else [today.year]
