"""The 重点项目调度表 in: read as 发改局 lay it out, validate every row, then save all in one transaction.

The layout (exports.ScheduleTable writes the same, so an export imports again unchanged):

    济阳区2026年重点项目建设调度表                                    ← title and note rows: skipped
    填报单位：区发展和改革局    截至2026年9月    单位：万元
    序号 | 项目名称 | 项目性质 | … | 总投资 | 资金构成        | 本年计划投资 | 2026年1-9月完成投资   | 开工以来累计完成投资 | …
         |          |          |   |        | 自有资金|银行贷款… |              | 金额 | 占年计划（%）  |                      |
    一、产业项目（2个）                                                 ← a section: the projects' category, count checked
    1 | 年产10万吨新材料项目 | 新建 | … | 区工信局 | …
    合计 | … sums …                                                     ← checked against the rows, not imported

The header is the row holding 项目名称 (within the first 20 rows); the row under it is a second header row when it
names sub-columns (金额, 占年计划（%）, the funding sources), the cells merged over two rows reading the same in both.
The month of "2026年1-9月完成投资" must be the period imported. Units are found by name, short name or code the way
offices write them (rules.unit_key: 区工信局 = 区工业和信息化局), inside the region. A blank 形象进度 or 存在问题 keeps
what the unit reported; a column the file lacks keeps the stored value.

Each project's month becomes a monthly report: 本月完成投资 = the row's 1-X月 total − the months before X already
reported; a changed month is a new version (the earlier stays). 开工以来累计 sets the investment before the first
recorded month. A row with nothing done this month and nothing said is no report (the unit still has to report).
An unchanged file writes nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from luoshi.core.problems import Problem, Rejected
from luoshi.core.registry import register_importer
from luoshi.core.tabular import cell, is_blank, read_sheets, text
from luoshi.core.wording import trimmed
from luoshi.orgs.models import Region, RegionLevel, Unit
from luoshi.projects import access, bulk, rules, services
from luoshi.projects.models import MonthlyReport, Project

HEADER_SEARCH_ROWS = 20
IMPORT_NOTE = "调度表导入"

# key → (accepted names of a single column, after normalising: no spaces, ASCII brackets, no "(万元)")
SINGLE = {
    "number": ("序号",),
    "name": ("项目名称",),
    "kind": ("项目性质", "建设性质", "性质"),
    "industry": ("行业", "所属行业", "产业类别"),
    "unit": ("责任单位", "主管单位", "责任部门"),
    "town": ("所在镇(街道)", "所在镇街", "所在镇(街)", "建设地点", "所在地"),
    "owner": ("业主单位", "项目业主", "建设单位"),
    "content": ("建设内容及规模", "建设内容", "主要建设内容及规模"),
    "years": ("建设起止年限", "建设年限", "起止年限"),
    "total": ("总投资",),
    "year_plan": ("本年计划投资", "年度计划投资", "年计划投资"),
    "since_start": ("开工以来累计完成投资", "累计完成投资", "开工累计完成投资"),
    "planned_start": ("计划开工", "计划开工时间", "计划开工月份"),
    "started_on": ("开工时间", "实际开工时间"),
    "statistics_on": ("入库时间", "入统时间"),
    "in_statistics": ("是否入库", "是否入统"),
    "progress": ("形象进度", "目前进展", "工作进展"),
    "problems": ("存在问题", "存在的问题", "问题及建议"),
    "leader": ("包保领导", "包保区级领导", "包保责任领导"),
}
FUNDING_NAMES = {"自有资金": "自有资金", "企业自筹": "自有资金", "自筹资金": "自有资金", "银行贷款": "银行贷款",
                 "专项债券": "专项债券", "专项债": "专项债券", "上级资金": "上级资金", "上级补助资金": "上级资金",
                 "外资": "外资", "利用外资": "外资", "其他": "其他", "其他资金": "其他"}
DONE_GROUP = re.compile(r"^(?:(\d{4})年)?1[-—–~～至](\d{1,2})月份?完成投资$")
DONE_AMOUNT = ("金额", "完成投资")
DONE_PERCENT = ("占年计划(%)", "占年计划", "占本年计划(%)", "占本年计划", "完成率(%)", "完成率", "占年度计划(%)")
REQUIRED = ["name", "kind", "unit", "total", "year_plan", "done_ytd"]
LABELS = {"number": "序号", "name": "项目名称", "kind": "项目性质", "industry": "行业", "unit": "责任单位",
          "town": "所在镇（街道）", "owner": "业主单位", "content": "建设内容及规模", "years": "建设起止年限",
          "total": "总投资", "year_plan": "本年计划投资", "done_ytd": "1-X月完成投资 金额",
          "done_pct": "1-X月完成投资 占年计划（%）", "since_start": "开工以来累计完成投资", "planned_start": "计划开工",
          "started_on": "开工时间", "statistics_on": "入库时间", "in_statistics": "是否入库", "progress": "形象进度",
          "problems": "存在问题", "leader": "包保领导"}
SECTION = re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*(.+?)\s*(?:[（(]\s*(\d+)\s*个\s*[）)])?$")
TOTAL_WORDS = {"合计", "总计", "全区合计", "总合计"}
NOTE_STARTS = ("注", "备注", "说明", "填表", "审核", "联系", "制表")
YES = {"是", "已入库", "已入统", "√", "Y", "y", "yes"}
NO = {"否", "未入库", "未入统", "", "×", "N", "n", "no"}


def _norm(value):
    key = re.sub(r"\s+", "", text(value)).replace("（", "(").replace("）", ")")
    return re.sub(r"\((万元|亿元)\)$", "", key)


@dataclass
class Layout:
    header_row: int  # 0-based index of the (first) header row
    data_start: int  # 0-based index of the first row under the header
    columns: dict  # key → column index ("fund:自有资金" for funding parts)
    labels: dict  # key → the header's text, as problems name the column
    done_year: int | None = None
    done_month: int | None = None


def find_layout(rows, sheet_name):
    """The header of a 调度表 (see the module's docstring); Rejected naming what is missing."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(_norm(c) == "项目名称" for c in row):
            break
    else:
        raise Rejected(Problem("没有找到表头：前 20 行中没有「项目名称」列", sheet=sheet_name))
    top = rows[index]
    below = rows[index + 1] if index + 1 < len(rows) else []
    subs = set(DONE_AMOUNT) | set(DONE_PERCENT) | set(FUNDING_NAMES)
    two_rows = any(_norm(cell(below, i)) in subs and _norm(cell(below, i)) != _norm(cell(top, i)) for i in range(len(below)))
    layout = Layout(index, index + 2 if two_rows else index + 1, {}, {})
    problems = []
    for i in range(max(len(top), len(below) if two_rows else 0)):
        upper = _norm(cell(top, i))
        lower = _norm(cell(below, i)) if two_rows else ""
        if lower == upper:
            lower = ""
        key = _column_key(upper, lower, layout)
        if key is None:
            continue
        shown = text(cell(top, i)) + (f" {text(cell(below, i))}" if lower else "")
        if key in layout.columns:
            problems.append(Problem(f"「{shown}」列重复", row=index + 1, column=shown, sheet=sheet_name))
            continue
        layout.columns[key], layout.labels[key] = i, shown
    for key in REQUIRED:
        if key not in layout.columns:
            problems.append(Problem(f"缺少必需的列「{LABELS[key]}」", row=index + 1, sheet=sheet_name))
    if problems:
        raise Rejected(problems)
    return layout


def _column_key(upper, lower, layout):
    match = DONE_GROUP.match(upper)
    if match:
        layout.done_year = int(match.group(1)) if match.group(1) else None
        layout.done_month = int(match.group(2))
        if not lower or lower in DONE_AMOUNT:
            return "done_ytd"
        if lower in DONE_PERCENT:
            return "done_pct"
        return None
    if lower in FUNDING_NAMES and upper in ("资金构成", "资金来源", "其中", "资金筹措"):
        return f"fund:{FUNDING_NAMES[lower]}"
    if not lower and upper in FUNDING_NAMES:
        return f"fund:{FUNDING_NAMES[upper]}"
    if not lower and upper in DONE_PERCENT:
        return "done_pct"
    for key, names in SINGLE.items():
        if upper in names and not lower:
            return key
    return None


class UnitLookup:
    """The region's units by every way offices write them (rules.unit_key); other regions' units to say so."""

    def __init__(self, region):
        self.region = region
        names = [region.name, region.name.removesuffix("区").removesuffix("县"), "济南市" + region.name]
        if region.parent_id:
            names.append(region.parent.name + region.name)
        self.region_names = [n for n in names if n]
        self.inside, self.ambiguous = {}, set()
        for unit in Unit.objects.filter(region__code__startswith=region.prefix).select_related("region"):
            for key in {unit.code, unit.name, unit.short_name, rules.unit_key(unit.name, self.region_names),
                        rules.unit_key(unit.short_name, self.region_names)}:
                if not key:
                    continue
                if key in self.inside and self.inside[key].pk != unit.pk:
                    self.ambiguous.add(key)
                self.inside.setdefault(key, unit)

    def resolve(self, raw):
        """(unit, None) or (None, Chinese problem)."""
        name = text(raw)
        if not name:
            return None, "责任单位不能为空"
        for key in (name, rules.unit_key(name, self.region_names)):
            if key in self.ambiguous:
                return None, f"「{name}」对应{self.region.name}的多个单位，请写单位全称"
            if key in self.inside:
                return self.inside[key], None
        elsewhere = Unit.objects.select_related("region").filter(name=name).first() or \
            Unit.objects.select_related("region").filter(short_name=name).exclude(region__code__startswith=self.region.prefix).first()
        if elsewhere is not None:
            return None, f"「{name}」是{elsewhere.region.name}的单位，不属于{self.region.name}（不能导入其他地区的项目）"
        return None, f"单位「{name}」不存在（请写{self.region.name}的单位名称、简称或代码）"


class TownLookup:
    def __init__(self, region):
        self.region = region
        self.by_name = {}
        for town in Region.objects.filter(level=RegionLevel.TOWN, code__startswith=region.prefix):
            for key in (town.name, town.code, town.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")):
                if key:
                    self.by_name.setdefault(key, town)

    def resolve(self, raw):
        name = text(raw)
        if not name:
            return None, None
        key = rules.unit_key(name, [self.region.name])
        for candidate in (name, key, key.removesuffix("办事处"), key.removesuffix("街道").removesuffix("镇")):
            if candidate in self.by_name:
                return self.by_name[candidate], None
        other = Region.objects.filter(level=RegionLevel.TOWN, name=name).exclude(code__startswith=self.region.prefix).first()
        if other is not None:
            return None, f"「{name}」是{other.parent.name if other.parent_id else '其他地区'}的镇（街道），不属于{self.region.name}（不能导入其他地区的项目）"
        return None, f"{self.region.name}没有名为「{name}」的镇（街道）"


def parse_month_cell(value):
    """date(year, month, 1) from a date cell, an Excel serial number or text (2026-03, 2026年3月, 2026.3, 2026-03-15);
    None when blank; False when unreadable."""
    day = parse_day_cell(value)
    return date(day.year, day.month, 1) if day else day


def parse_day_cell(value):
    """A date from a cell (a month alone is its first day); None when blank, False when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return date(1899, 12, 30) + timedelta(days=int(value))
    raw = text(value)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?", raw)
    if not match:
        return False
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    except ValueError:
        return False


def parse_years(value):
    """(start, end) from 2025-2027, 2025—2027年, 2025年-2027年 or one year; (None, None) blank; False unreadable."""
    raw = text(value)
    if not raw:
        return None, None
    match = re.fullmatch(r"(\d{4})\s*年?\s*(?:[-—–~～至到]\s*(\d{4})\s*年?)?", raw)
    if not match:
        return False
    start = int(match.group(1))
    return start, int(match.group(2)) if match.group(2) else start


@dataclass
class Entry:
    row: int
    values: dict
    year_plan: Decimal
    done_ytd: Decimal
    funding: dict
    since_start: Decimal | None
    progress: str
    problems: str
    category_given: bool
    project: Project | None = None
    month: Decimal | None = None
    extra: dict = field(default_factory=dict)


class ScheduleReader:
    """Validate every row of the 调度表's first sheet; `entries` or Rejected with every problem, in row order."""

    def __init__(self, sheets, region, period):
        if not sheets or not sheets[0].rows:
            raise Rejected("文件为空，没有找到任何数据行")
        self.sheet = sheets[0]
        self.region, self.period = region, period
        self.layout = find_layout(self.sheet.rows, self.sheet.name)
        self.problems = []
        self._check_period()
        self.units, self.towns = UnitLookup(region), TownLookup(region)
        self.existing = {p.name: p for p in Project.objects.filter(region=region)}
        self.earlier = self._earlier_sums()
        self.entries, self.names = [], {}
        self.section = None  # (row, name, count given, entries in it)
        self.sections_seen = False
        self.total_row = None

    def problem(self, message, row=None, key=None):
        column = self.layout.labels.get(key, LABELS.get(key)) if key else None
        self.problems.append(Problem(message, row=row, column=column, sheet=self.sheet.name))

    def _check_period(self):
        layout, period = self.layout, self.period
        if layout.done_month is not None and (layout.done_month != period.month or
                                              (layout.done_year is not None and layout.done_year != period.year)):
            self.problem(f"表头「{layout.labels['done_ytd'].split(' ')[0]}」与导入的调度月份 {period.year}年{period.month}月"
                         "不一致", self.layout.header_row + 1, "done_ytd")
        if period > services.month_of(timezone.localdate()):
            self.problem(f"调度月份 {period.year}年{period.month}月晚于本月，不能导入未来月份的调度表")

    def _earlier_sums(self):
        """{project id: (the year's months before X, every month before X)} of the current reports."""
        from django.db.models import Q, Sum

        january = date(self.period.year, 1, 1)
        rows = (MonthlyReport.objects.filter(project__region=self.region, is_current=True, period__lt=self.period)
                .values("project_id").annotate(year=Sum("amount", filter=Q(period__gte=january)), all=Sum("amount")))
        return {r["project_id"]: (r["year"] or Decimal(0), r["all"] or Decimal(0)) for r in rows}

    def value(self, row, key):
        index = self.layout.columns.get(key)
        return cell(row, index) if index is not None else None

    def read(self):
        for index in range(self.layout.data_start, len(self.sheet.rows)):
            row = self.sheet.rows[index]
            if is_blank(row):
                continue
            self.read_row(index + 1, row)
        self._close_section()
        if self.problems:
            raise Rejected(sorted(self.problems, key=lambda p: (p.row or 0, p.column or "")))
        if not self.entries:
            raise Rejected(Problem("调度表中没有项目行", sheet=self.sheet.name))
        return self.entries

    def read_row(self, number, row):
        first = [t for t in (text(c) for c in row) if t]
        name, serial = text(self.value(row, "name")), text(self.value(row, "number"))
        if _norm(name) in TOTAL_WORDS or _norm(serial) in TOTAL_WORDS:
            if self.total_row is not None:
                self.problem("合计行重复", number, "name")
            self.total_row = (number, row)
            return
        section = SECTION.match(serial) or SECTION.match(name)
        if section and all(t == (serial or name) for t in first if not _is_number(t)) and not name[:1].isdigit():
            if not self._looks_like_data(row):
                self._close_section()
                self.section = (number, section.group(2), int(section.group(3)) if section.group(3) else None, [])
                self.sections_seen = True
                return
        if not name and first and first[0].startswith(NOTE_STARTS) and not self._looks_like_data(row):
            return
        if self.total_row is not None and not name and first and not self._looks_like_data(row):
            return  # notes under the 合计 row
        self.read_project(number, row, name)

    def _looks_like_data(self, row):
        return any(_is_number(text(self.value(row, k))) for k in ("total", "year_plan", "done_ytd"))

    def _close_section(self):
        if self.section is None:
            return
        row, title, count, members = self.section
        if count is not None and count != len(members):
            self.problem(f"分组「{title}」标注{count}个项目，实际列出{len(members)}个", row, "name")
        self.section = None

    def _amount(self, row, number, key, required=False):
        raw = self.value(row, key)
        amount, message = rules.parse_amount(raw)
        if message:
            self.problem(message, number, key)
            return False
        if amount is None and required:
            self.problem(f"{LABELS[key].replace('1-X月', '')}不能为空", number, key)
            return False
        return amount

    def read_project(self, number, row, name):
        before = len(self.problems)
        if not name:
            self.problem("项目名称不能为空", number, "name")
            return
        if name in self.names:
            self.problem(f"项目「{name}」与第{self.names[name]}行重复", number, "name")
            return
        self.names[name] = number
        kind = rules.KIND_BY_LABEL.get(text(self.value(row, "kind")))
        if kind is None:
            self.problem(f"项目性质「{text(self.value(row, 'kind'))[:20]}」应为「新建」或「续建」", number, "kind")
        unit, message = self.units.resolve(self.value(row, "unit"))
        if message:
            self.problem(message, number, "unit")
        values = {"region": self.region, "name": name, "kind": kind, "unit": unit}
        if "town" in self.layout.columns:
            values["town"], message = self.towns.resolve(self.value(row, "town"))
            if message:
                self.problem(message, number, "town")
        for key in ("industry", "owner", "content"):
            if key in self.layout.columns:
                values[key] = text(self.value(row, key))
        if "leader" in self.layout.columns:
            values["leader_name"] = text(self.value(row, "leader"))
            values["leader"] = services.resolve_leader(values["leader_name"], self.region)
        if "years" in self.layout.columns:
            years = parse_years(self.value(row, "years"))
            if years is False:
                self.problem(f"建设起止年限「{text(self.value(row, 'years'))[:20]}」应写作 2025-2027", number, "years")
            else:
                values["start_year"], values["end_year"] = years
        for key, parse in (("planned_start", parse_month_cell), ("started_on", parse_day_cell),
                           ("statistics_on", parse_day_cell)):
            if key in self.layout.columns:
                day = parse(self.value(row, key))
                if day is False:
                    self.problem(f"「{text(self.value(row, key))[:20]}」不是日期（如 2026-03 或 2026年3月）", number, key)
                else:
                    values[key] = day
        if "in_statistics" in self.layout.columns and "statistics_on" not in self.layout.columns:
            self._in_statistics(row, number, values, name)
        total = self._amount(row, number, "total", required=True)
        plan = self._amount(row, number, "year_plan", required=True)
        done = self._amount(row, number, "done_ytd", required=True)
        since = self._amount(row, number, "since_start") if "since_start" in self.layout.columns else None
        funding = {}
        for key in self.layout.columns:
            if key.startswith("fund:"):
                amount = self._amount(row, number, key)
                if amount is not False and amount is not None:
                    funding[key[5:]] = amount
        if total not in (False, None):
            values["total_investment"] = total
            if plan not in (False, None) and plan > total:
                self.problem(f"本年计划投资 {plan} 万元超过总投资 {total} 万元", number, "year_plan")
            message = rules.funding_problem(total, funding)
            if message:
                self.problem(message, number, next(k for k in self.layout.columns if k.startswith("fund:")))
        if "done_pct" in self.layout.columns and plan not in (False, None) and done not in (False, None):
            self._check_percent(row, number, done, plan)
        if since not in (False, None) and done not in (False, None) and since < done:
            self.problem(f"开工以来累计完成投资 {since} 万元小于本年完成投资 {done} 万元", number, "since_start")
        progress, problems = text(self.value(row, "progress")), text(self.value(row, "problems"))
        for key, given in (("progress", progress), ("problems", problems)):
            if len(given) > services.REPORT_TEXT_LIMIT:
                self.problem(f"过长（{len(given)} 个字，最多 {services.REPORT_TEXT_LIMIT} 个字）", number, key)
        if self.section is not None:
            values["category"] = self.section[1]
        if len(self.problems) > before:
            return
        existing = self.existing.get(name)
        if existing is not None:
            values.setdefault("pool", existing.pool)
        for field_name, message in services.project_problems({**self._stored(existing), **values},
                                                             {self.period.year: plan}, funding):
            self.problem(message, number, _FIELD_KEYS.get(field_name, "name"))
        entry = Entry(number, values, plan, done, funding, since, progress, problems, self.section is not None,
                      project=existing)
        year_before, all_before = self.earlier.get(existing.pk, (Decimal(0), Decimal(0))) if existing else (0, 0)
        entry.month = rules.month_amount(done, year_before)
        if entry.month < 0:
            self.problem(f"1-{self.period.month}月完成投资 {done} 万元少于此前各月已报合计 {year_before} 万元"
                         "（已报月份请由责任单位更正）", number, "done_ytd")
        if since is not None:
            entry.values["done_before"] = rules.money(since - all_before - entry.month)
            if entry.values["done_before"] < 0:
                self.problem(f"开工以来累计完成投资 {since} 万元少于系统已记录的完成投资 {all_before + entry.month} 万元",
                             number, "since_start")
        if self.section is not None:
            self.section[3].append(entry)
        self.entries.append(entry)

    def _in_statistics(self, row, number, values, name):
        raw = text(self.value(row, "in_statistics"))
        existing = self.existing.get(name)
        if raw in YES:
            values["statistics_on"] = (existing.statistics_on if existing and existing.statistics_on else self.period)
        elif raw in NO:
            values["statistics_on"] = None
        else:
            self.problem(f"是否入库「{raw[:20]}」应为「是」或「否」", number, "in_statistics")

    def _stored(self, project):
        if project is None:
            return {}
        return {f: getattr(project, f) for f in ("kind", "start_year", "end_year", "started_on", "completed_on",
                                                  "statistics_on", "planned_start", "pool")}

    def _check_percent(self, row, number, done, plan):
        raw = self.value(row, "done_pct")
        if raw is None or text(raw) == "":
            return
        given, message = _percent(raw)
        if message:
            self.problem(message, number, "done_pct")
        elif not rules.percent_agrees(given, done, plan):
            self.problem(f"占年计划 {text(raw)}% 与金额不符：{trimmed(done)} ÷ {trimmed(plan)} = {rules.rate(done, plan)}%",
                         number, "done_pct")

    def check_total(self):
        """The 合计 row against the rows: each amount column's sum, and its percent."""
        if self.total_row is None:
            return
        number, row = self.total_row
        sums = {"total": sum((e.values["total_investment"] for e in self.entries), Decimal(0)),
                "year_plan": sum((e.year_plan for e in self.entries), Decimal(0)),
                "done_ytd": sum((e.done_ytd for e in self.entries), Decimal(0))}
        if "since_start" in self.layout.columns:
            sums["since_start"] = sum((e.since_start or Decimal(0) for e in self.entries), Decimal(0))
        for key in self.layout.columns:
            if key.startswith("fund:"):
                sums[key] = sum((e.funding.get(key[5:], Decimal(0)) for e in self.entries), Decimal(0))
        for key, expected in sums.items():
            raw = self.value(row, key)
            if raw is None or not _is_number(text(raw)):
                continue
            given, message = rules.parse_amount(raw)
            if message:
                self.problem(f"合计行：{message}", number, key)
            elif abs(given - expected) > Decimal("0.01"):
                self.problem(f"合计行为 {given} 万元，各项目之和为 {rules.money(expected)} 万元", number, key)
        raw = self.value(row, "done_pct")
        if raw is not None and _is_number(text(raw)):
            given, message = _percent(raw)
            if message or not rules.percent_agrees(given, sums["done_ytd"], sums["year_plan"]):
                self.problem(f"合计行占年计划 {text(raw)}% 与合计金额不符：应为 {rules.rate(sums['done_ytd'], sums['year_plan'])}%",
                             number, "done_pct")
        if self.problems:
            raise Rejected(sorted(self.problems, key=lambda p: (p.row or 0, p.column or "")))


_FIELD_KEYS = {"name": "name", "kind": "kind", "unit": "unit", "town": "town", "total_investment": "total",
               "year_plan": "year_plan", "funding": "total", "start_year": "years", "end_year": "years",
               "planned_start": "planned_start", "started_on": "started_on", "statistics_on": "statistics_on",
               "industry": "industry", "owner": "owner", "content": "content", "leader_name": "leader",
               "done_before": "since_start", "category": "name", "completed_on": "started_on"}


def _is_number(value):
    try:
        return Decimal(str(value).replace(",", "")).is_finite()
    except ArithmeticError:
        return False
    except ValueError:
        return False


def _percent(raw):
    value = str(raw).strip().rstrip("%％")
    try:
        number = Decimal(value)
    except ArithmeticError:
        return None, f"「{str(raw)[:20]}」不是百分比数字"
    if not number.is_finite() or abs(number) > 100000:
        return None, f"「{str(raw)[:20]}」不是合理的百分比"
    return number, None


def parse_schedule(sheets, region, period):
    reader = ScheduleReader(sheets, region, period)
    entries = reader.read()
    reader.check_total()
    return entries


def save_schedule(actor, region, period, entries):
    """Save the checked rows: each project (created, updated or left as it is) and its month, the whole table at
    once (projects.bulk). Returns the counts."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "reports": 0, "corrected": 0, "reports_unchanged": 0}
    saved = bulk.save_projects(actor, region, [(entry.values, {period.year: entry.year_plan}, entry.funding or None)
                                               for entry in entries])
    current = {r.project_id: r for r in MonthlyReport.objects.filter(project__region=region, period=period,
                                                                     is_current=True)}
    to_report = []
    for entry, (project, outcome) in zip(entries, saved):
        counts[outcome] += 1
        report = current.get(project.pk)
        progress = entry.progress or (report.progress if report else "")
        problems = entry.problems or (report.problems if report else "")
        if report is not None and report.amount == entry.month and report.progress == progress \
                and report.problems == problems:
            counts["reports_unchanged"] += 1
            continue
        if report is None and not entry.month and not progress and not problems:
            counts["reports_unchanged"] += 1  # nothing this month and nothing said: the unit has still to report
            continue
        to_report.append((project, entry.month, progress, problems, report))
        counts["corrected" if report else "reports"] += 1
    bulk.submit_reports(actor, region, period, to_report, source="import", correction_note=IMPORT_NOTE)
    return counts


def run_import(source, *, region, period, filename=None, actor=None, dry_run=False):
    """Check and save a 调度表 for the region's month; {counts…} (nothing saved with dry_run), or Rejected."""
    if getattr(actor, "is_authenticated", False) and not access.can_manage_region(actor, region):
        raise Rejected(f"只有{region.name}的发展和改革局可以导入该地区的重点项目调度表")
    entries = parse_schedule(read_sheets(source, filename), region, period)
    with transaction.atomic():
        counts = save_schedule(actor, region, period, entries)
        if dry_run:
            transaction.set_rollback(True)
    return {"region": region.code, "period": f"{period:%Y-%m}", "dry_run": dry_run, "projects": len(entries), **counts}


def summary_text(result):
    head = "校验通过（未保存）" if result["dry_run"] else "已导入"
    return (f"{head}：{result['period']} 调度表 {result['projects']} 个项目，新增 {result['created']}、更新 "
            f"{result['updated']}、未变 {result['unchanged']}；月度调度新报 {result['reports']}、更正 {result['corrected']}、"
            f"未变 {result['reports_unchanged']}")


def importer_for(region, period, dry_run=False):
    """An importer (data, filename=, actor=) → summary for the import page (core.import_view.import_page)."""
    def importer(source, filename=None, actor=None):
        return summary_text(run_import(source, region=region, period=period, filename=filename, actor=actor,
                                       dry_run=dry_run))
    return importer


@register_importer("projects", "重点项目调度表（地区和月份取自标题和表头）")
def import_projects(source, filename=None, actor=None):
    """`luoshi import projects FILE`: the region from the title (济阳区…调度表), the month from 1-X月完成投资."""
    sheets = read_sheets(source, filename)
    if not sheets or not sheets[0].rows:
        raise Rejected("文件为空，没有找到任何数据行")
    layout = find_layout(sheets[0].rows, sheets[0].name)
    title = " ".join(text(c) for row in sheets[0].rows[:layout.header_row] for c in row if c is not None)
    region = next((r for r in Region.objects.filter(level=RegionLevel.COUNTY) if r.name in title), None)
    if region is None or layout.done_month is None or layout.done_year is None:
        raise Rejected("无法从标题和表头确定地区和月份，请用 luoshi projects import 文件 --region 代码 --period YYYY-MM")
    period = date(layout.done_year, layout.done_month, 1)
    return summary_text(run_import(source, region=region, period=period, filename=filename, actor=actor))
