"""Daily-report rules as pure functions: form fields, value validation, on time / late / missing, streaks,
roll-ups and reminder times. No ORM.

Stated in docs/rules.md §4; pinned by tests/daily/test_rules.py with hand-computed cases.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from luoshi.core.problems import Problem

ON_TIME, LATE, MISSING = "on_time", "late", "missing"
STATUSES = [ON_TIME, LATE, MISSING]
STATUS_LABELS = {ON_TIME: "按时报送", LATE: "逾期报送", MISSING: "未报"}

INTEGER, BOOLEAN, CHOICE, TEXT = "integer", "boolean", "choice", "text"
KINDS = {INTEGER: "整数", BOOLEAN: "是否", CHOICE: "选项", TEXT: "文本"}
KIND_BY_LABEL = {label: kind for kind, label in KINDS.items()}

DEFAULT_DEADLINE = time(10, 0)
DEFAULT_REMIND_MINUTES = 60
TEXT_MAX = 200
INTEGER_MAX = 10**9
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
YES = {"是", "yes", "true", "1", "y", "on"}
NO = {"否", "no", "false", "0", "n", "off", ""}


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple = ()

    def as_dict(self):
        return {"key": self.key, "label": self.label, "kind": self.kind, "required": self.required,
                "minimum": self.minimum, "maximum": self.maximum, "choices": list(self.choices)}

    @property
    def range_label(self):
        if self.kind == INTEGER:
            low = "" if self.minimum is None else str(self.minimum)
            high = "" if self.maximum is None else str(self.maximum)
            return f"{low}～{high}" if (low or high) else ""
        if self.kind == CHOICE:
            return "/".join(self.choices)
        return ""


def field_from_dict(data) -> FieldSpec:
    return FieldSpec(key=data["key"], label=data["label"], kind=data["kind"], required=bool(data.get("required")),
                     minimum=data.get("minimum"), maximum=data.get("maximum"), choices=tuple(data.get("choices") or ()))


def check_fields(fields) -> list[Problem]:
    """Problems with a form definition (a list of FieldSpec)."""
    problems = []
    if not fields:
        problems.append(Problem("表单至少要有一个字段"))
    seen = set()
    for f in fields:
        where = f"字段「{f.label or f.key}」"
        if not KEY_PATTERN.match(f.key or ""):
            problems.append(Problem(f"{where}的标识「{f.key}」不合规：须以小写字母开头，只含小写字母、数字和下划线，最长40个字符"))
        if f.key in seen:
            problems.append(Problem(f"字段标识「{f.key}」重复"))
        seen.add(f.key)
        if not (f.label or "").strip():
            problems.append(Problem(f"字段「{f.key}」缺少名称"))
        if f.kind not in KINDS:
            problems.append(Problem(f"{where}的类型「{f.kind}」无法识别，应为：整数、是否、选项、文本"))
        if f.kind == INTEGER and f.minimum is not None and f.maximum is not None and f.minimum > f.maximum:
            problems.append(Problem(f"{where}的最小值 {f.minimum} 大于最大值 {f.maximum}"))
        if f.kind == CHOICE and len(f.choices) < 2:
            problems.append(Problem(f"{where}是选项类型，至少要有两个选项"))
        if f.kind == CHOICE and len(set(f.choices)) != len(f.choices):
            problems.append(Problem(f"{where}的选项有重复"))
    return problems


def parse_field_lines(text) -> tuple[list[FieldSpec], list[Problem]]:
    """Read a form definition written one field per line:

        标识 | 名称 | 类型 | 必填 | 范围或选项
        new_cases | 新增确诊 | 整数 | 必填 | 0-1000
        checkpoint | 卡口是否值守 | 是否 | 必填 |
        risk | 风险等级 | 选项 | | 低/中/高

    Lines starting with # and blank lines are skipped.
    """
    fields, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")] + [""] * 5
        key, label, kind_label, required, extra = parts[:5]
        kind = KIND_BY_LABEL.get(kind_label, kind_label)
        minimum = maximum = None
        choices = ()
        if kind == INTEGER and extra:
            m = re.fullmatch(r"(-?\d+)?\s*[-～~至]\s*(-?\d+)?", extra)
            if not m:
                problems.append(Problem(f"第{number}行：整数范围「{extra}」应写成 0-1000"))
                continue
            minimum = int(m.group(1)) if m.group(1) else None
            maximum = int(m.group(2)) if m.group(2) else None
        if kind == CHOICE:
            choices = tuple(c.strip() for c in re.split(r"[/、,，]", extra) if c.strip())
        if required not in ("", "必填", "选填", "是", "否"):
            problems.append(Problem(f"第{number}行：第4栏应为「必填」或留空，而不是「{required}」"))
            continue
        fields.append(FieldSpec(key=key, label=label, kind=kind, required=required in ("必填", "是"),
                                minimum=minimum, maximum=maximum, choices=choices))
    return fields, problems + check_fields(fields)


def field_lines(fields) -> str:
    """The inverse of parse_field_lines, to prefill the form editor with the current version."""
    lines = []
    for f in fields:
        extra = f.range_label.replace("～", "-") if f.kind == INTEGER else ("/".join(f.choices) if f.kind == CHOICE else "")
        lines.append(" | ".join([f.key, f.label, KINDS.get(f.kind, f.kind), "必填" if f.required else "", extra]).rstrip(" |"))
    return "\n".join(lines)


def zero_values(fields, previous=None) -> dict:
    """零报告 means "nothing new to report today": every count 0 and text empty, while yes/no and 选项 fields
    keep the value last reported (`previous`: the values of the village's latest report on the form, that day's
    included) — a zero report never sets a yes/no or a level to a value nobody chose. With nothing reported
    before (or a value the field no longer accepts) they stay empty."""
    previous = previous or {}
    values = {}
    for f in fields:
        if f.kind == INTEGER:
            values[f.key] = 0
        elif f.kind == BOOLEAN:
            last = previous.get(f.key)
            values[f.key] = last if isinstance(last, bool) else None
        elif f.kind == CHOICE:
            last = previous.get(f.key)
            values[f.key] = last if last in f.choices else None
        else:
            values[f.key] = None
    return values


def zero_keeps_values(fields) -> bool:
    """Whether a zero report on these fields depends on what was reported before (it has yes/no or 选项 fields)."""
    return any(f.kind in (BOOLEAN, CHOICE) for f in fields)


def zero_report_changes(fields, current) -> list[tuple[str, str, str]]:
    """What replacing the day's report `current` (its values) by a zero report would change:
    [(label, old, new)] for each field whose value differs."""
    from luoshi.core.labels import format_value

    new = zero_values(fields, current)
    return [(f.label, format_value((current or {}).get(f.key)), format_value(new[f.key]))
            for f in fields if (current or {}).get(f.key) != new[f.key]]


def clean_values(fields, raw) -> tuple[dict, list[Problem]]:
    """Check submitted values against the form's fields. Returns (clean values, problems).

    Accepts the strings of a web form or the JSON of the API. Unknown keys are refused, so that a typo
    in an API client does not silently drop a figure.
    """
    raw = dict(raw or {})
    values, problems = {}, []
    known = {f.key for f in fields}
    for key in raw:
        if key not in known:
            problems.append(Problem(f"表单中没有字段「{key}」"))
    for f in fields:
        value = raw.get(f.key)
        if isinstance(value, str):
            value = value.strip()
        empty = value is None or value == ""
        if f.kind == BOOLEAN and value is False:
            empty = False
        if empty:
            if f.required:
                problems.append(Problem(f"「{f.label}」为必填项"))
            values[f.key] = None
            continue
        if f.kind == INTEGER:
            if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
                problems.append(Problem(f"「{f.label}」应为整数，而不是「{value}」"))
                continue
            try:
                number = int(value) if not isinstance(value, str) else int(value.replace(",", ""))
            except (TypeError, ValueError):
                problems.append(Problem(f"「{f.label}」应为整数，而不是「{value}」"))
                continue
            low = f.minimum if f.minimum is not None else -INTEGER_MAX
            high = f.maximum if f.maximum is not None else INTEGER_MAX
            if not low <= number <= high:
                problems.append(Problem(f"「{f.label}」应在 {low} 到 {high} 之间，填写的是 {number}"))
                continue
            values[f.key] = number
        elif f.kind == BOOLEAN:
            if isinstance(value, bool):
                values[f.key] = value
            elif str(value).lower() in YES:
                values[f.key] = True
            elif str(value).lower() in NO:
                values[f.key] = False
            else:
                problems.append(Problem(f"「{f.label}」应填「是」或「否」，而不是「{value}」"))
        elif f.kind == CHOICE:
            if str(value) not in f.choices:
                problems.append(Problem(f"「{f.label}」只能选择：{'、'.join(f.choices)}，而不是「{value}」"))
                continue
            values[f.key] = str(value)
        else:
            text = str(value)
            if len(text) > TEXT_MAX:
                problems.append(Problem(f"「{f.label}」最多 {TEXT_MAX} 个字，填写了 {len(text)} 个字"))
                continue
            values[f.key] = text
    return values, problems


def is_late(day: date, submitted_local: datetime, deadline: time) -> bool:
    """A report for `day` is on time when sent on that day no later than the deadline (inclusive)."""
    return submitted_local > datetime.combine(day, deadline, tzinfo=submitted_local.tzinfo)


def check_day(day: date, today: date, starts_on: date | None, ends_on: date | None = None) -> list[Problem]:
    """A report may be for today or an earlier day on which the village was on the form, never the future."""
    if day > today:
        return [Problem(f"不能报送未来日期（{day:%Y-%m-%d}）的日报，今天是 {today:%Y-%m-%d}")]
    if starts_on is None:
        return [Problem("本村（社区）不在该日报的报送范围内")]
    if day < starts_on or (ends_on is not None and day > ends_on):
        until = f"至 {ends_on:%Y-%m-%d}" if ends_on else "起"
        return [Problem(f"本村（社区）报送该日报的时间为 {starts_on:%Y-%m-%d} {until}，{day:%Y-%m-%d} 不需要报送")]
    return []


def day_status(first_submitted_late: bool | None) -> str:
    """None means no report for the day. A later correction does not change the day's status."""
    if first_submitted_late is None:
        return MISSING
    return LATE if first_submitted_late else ON_TIME


def on_time_streak(statuses_newest_first) -> int:
    """Days in a row on time, counting back from the newest day given."""
    count = 0
    for status in statuses_newest_first:
        if status != ON_TIME:
            break
        count += 1
    return count


def most_missed(missed_counts: dict, limit=10) -> list[tuple]:
    """(village, missed days) for villages that missed at least once, most first, then by village."""
    rows = [(v, n) for v, n in missed_counts.items() if n > 0]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows[:limit]


@dataclass
class Tally:
    expected: int = 0
    on_time: int = 0
    late: int = 0
    zero: int = 0
    sums: dict = field(default_factory=dict)

    @property
    def submitted(self):
        return self.on_time + self.late

    @property
    def missing(self):
        return self.expected - self.submitted

    @property
    def rate(self):
        """Share of expected villages that reported (on time or late), in percent, 1 decimal."""
        return round(self.submitted * 100 / self.expected, 1) if self.expected else None

    @property
    def on_time_rate(self):
        """Share of expected reports (village-days over a range) that came on time, in percent, 1 decimal."""
        return round(self.on_time * 100 / self.expected, 1) if self.expected else None

    def add(self, other):
        self.expected += other.expected
        self.on_time += other.on_time
        self.late += other.late
        self.zero += other.zero
        for key, value in other.sums.items():
            self.sums[key] = self.sums.get(key, 0) + (value or 0)


def roll_up(tallies) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def tally_rows(rows, numeric_keys) -> Tally:
    """One Tally from per-village rows: dicts with `status`, `zero_report` and `values`."""
    tally = Tally(sums={k: 0 for k in numeric_keys})
    for row in rows:
        tally.expected += 1
        if row["status"] == ON_TIME:
            tally.on_time += 1
        elif row["status"] == LATE:
            tally.late += 1
        if row["status"] != MISSING:
            tally.zero += 1 if row.get("zero_report") else 0
            for key in numeric_keys:
                tally.sums[key] += (row.get("values") or {}).get(key) or 0
    return tally


def reminder_time(day: date, deadline: time, minutes_before: int) -> datetime:
    """Naive local time at which the pre-deadline reminder goes out."""
    return datetime.combine(day, deadline) - timedelta(minutes=minutes_before)


def reminder_phase(now_local: datetime, deadline: time, minutes_before: int) -> str | None:
    """'before' from the reminder time until the deadline, 'after' from the deadline to the day's end, else None."""
    naive = now_local.replace(tzinfo=None)
    day = naive.date()
    if naive > datetime.combine(day, deadline):
        return "after"
    if naive >= reminder_time(day, deadline, minutes_before):
        return "before"
    return None


def days_assigned(first: date, last: date, starts_on: date, ends_on: date | None) -> int:
    """How many days of [first, last] a village was on a form assigned from starts_on to ends_on (open: None)."""
    begin = max(first, starts_on)
    end = last if ends_on is None else min(last, ends_on)
    return max(0, (end - begin).days + 1)
