"""Indicator imports (long template, city bulletin layout, targets); their blank templates are in exports.py.

Every importer validates every row first, collects every problem with sheet, row and column, and saves
nothing unless all rows are valid; saving the same file again changes nothing.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from luoshi.core.periods import PeriodError, find_period, is_quarter_end, parse_period, period_label
from luoshi.core.problems import Problem, Rejected
from luoshi.core.registry import register_importer
from luoshi.core.tabular import HEADER_SEARCH_ROWS, cell, find_header, is_blank, read_sheets, text
from luoshi.indicators import access, rules, services
from luoshi.indicators.models import Frequency, Indicator
from luoshi.indicators.responsibility import resolve_unit
from luoshi.orgs.models import Region

LONG_COLUMNS = ["地区代码", "地区名称", "指标代码", "指标名称", "单位", "期间", "累计值", "同比增长(%)"]
LONG_ALIASES = [("地区代码", "行政区划代码", "代码"), ("地区名称", "地区"), ("指标代码",), ("指标名称", "指标"), ("单位",),
                ("期间", "时间", "统计期间"), ("累计值", "累计", "本期累计", "绝对值"),
                ("同比增长(%)", "同比增长", "增长(%)", "同比增长%", "增速(%)", "同比增速(%)", "增幅(%)")]
TARGET_COLUMNS = ["地区代码", "指标代码", "年度", "目标值", "目标增速(%)", "单位"]
MONTH_COLUMNS = [f"{m}月" for m in range(1, 13)]
REGION_HEADERS = {"地区", "地区名称", "区县", "县区", "县(市、区)", "县(市区)", "地区代码", "单位名称"}
TOTAL_ROWS = {"全市", "合计", "总计", "全省", "全市合计"}
VALUE_Q = Decimal("0.000001")
GROWTH_Q = Decimal("0.001")


class Lookup:
    """Regions and indicators by code and name, loaded once per import."""

    def __init__(self, actor):
        services.ensure_catalog()
        self.actor = actor
        self.regions = {}
        self.region_names = {}
        for region in Region.objects.select_related("parent").all():
            self.regions[region.code] = region
            self.region_names.setdefault(region.name, region)
        self.indicators = {}
        self.indicator_names = {}
        for indicator in Indicator.objects.all():
            self.indicators[indicator.code] = indicator
            for name in [indicator.name] + indicator.alias_list:
                self.indicator_names.setdefault(_key(name), indicator)
        self._writable = {}

    def region(self, code_or_name):
        value = (code_or_name or "").strip()
        return self.regions.get(value) or self.region_names.get(value)

    def indicator(self, code_or_name):
        value = (code_or_name or "").strip()
        return self.indicators.get(value) or self.indicator_names.get(_key(value))

    def writable(self, region, targets=False):
        key = (region.pk, targets)
        if key not in self._writable:
            check = access.can_write_targets if targets else access.can_write_figures
            self._writable[key] = check(self.actor, region)
        return self._writable[key]


def _key(name):
    return re.sub(r"\s+", "", name or "").replace("（", "(").replace("）", ")")


def split_unit(header):
    """'地区生产总值（亿元）' → ('地区生产总值', '亿元')."""
    header = _key(header)
    m = re.fullmatch(r"(.*?)\(([^()]*)\)", header)
    if m and (m.group(2) in {u for f in rules.UNIT_FAMILIES for u in f} or len(m.group(2)) <= 4):
        return m.group(1), m.group(2)
    return header, ""


class FigureChecker:
    """Validates one figure at a time, collecting problems; returns the entries to save."""

    def __init__(self, lookup):
        self.lookup = lookup
        self.problems = []
        self.entries = {}
        self.seen = {}
        self._periods = {}
        self._factors = {}  # (unit in file, catalog unit) → factor or error: a 100,000-row file has few units

    def problem(self, message, where, column):
        sheet, row = where
        self.problems.append(Problem(message, row=row, column=column, sheet=sheet))

    def period(self, raw, where, column, year=None):
        key = (raw if not hasattr(raw, "year") else str(raw), year)
        if key not in self._periods:
            try:
                self._periods[key] = parse_period(raw, year=year)
            except PeriodError as error:
                self._periods[key] = str(error)
        result = self._periods[key]
        if isinstance(result, str):
            self.problem(result, where, column)
            return None
        return result

    def factor(self, unit, catalog_unit):
        """None when no conversion is needed, the factor, or the Chinese reason it cannot be converted."""
        key = (unit, catalog_unit)
        if key not in self._factors:
            if rules.normalize_unit(unit) == rules.normalize_unit(catalog_unit):
                self._factors[key] = None
            else:
                try:
                    self._factors[key] = rules.convert(Decimal(1), unit, catalog_unit)
                except ValueError as error:
                    self._factors[key] = str(error)
        return self._factors[key]

    def add(self, where, region, indicator, period, value_raw, growth_raw, unit, columns):
        """columns: {'region', 'period', 'value', 'growth', 'unit'} → header text, for messages."""
        try:
            value = rules.parse_number(value_raw)
        except ValueError as error:
            self.problem(f"累计值{error}", where, columns["value"])
            value = None
            bad = True
        else:
            bad = False
        try:
            growth = rules.parse_growth(growth_raw)
        except ValueError as error:
            self.problem(f"同比增长{error}", where, columns["growth"])
            growth, bad = None, True
        if region is None or indicator is None or period is None or bad:
            return
        if value is None and growth is None:
            return  # "—" or empty: no figure
        ok = True
        if not self.lookup.writable(region):
            self.problem(f"您无权录入{region.name}的指标数据", where, columns["region"])
            ok = False
        if indicator.frequency == Frequency.QUARTERLY and not is_quarter_end(period):
            self.problem(f"{indicator.name}按季度发布，期间应为3、6、9、12月，不能是{period.month}月", where, columns["period"])
            ok = False
        elif indicator.jan_with_feb and period.month == 1:
            self.problem(f"{indicator.name}的1月数据与2月合并发布（1-2月），请填写到2月", where, columns["period"])
            ok = False
        if value is not None and indicator.growth_only:
            self.problem(f"{indicator.name}只发布增速，不应填写累计值", where, columns["value"])
            ok = False
        elif value is not None and unit:
            factor = self.factor(unit, indicator.unit)
            if isinstance(factor, str):
                self.problem(f"{factor}（{indicator.name}的单位是{indicator.unit}）", where, columns["unit"])
                ok = False
            elif factor is not None:
                value = value * factor
        if value is not None and abs(value) >= rules.VALUE_LIMIT:
            self.problem("累计值过大，超出可保存的范围", where, columns["value"])
            ok = False
        if growth is not None and abs(growth) >= rules.GROWTH_LIMIT:
            self.problem("同比增长超出范围", where, columns["growth"])
            ok = False
        if not ok:
            return
        value = value.quantize(VALUE_Q) if value is not None else None
        growth = growth.quantize(GROWTH_Q) if growth is not None else None
        key = (region.pk, indicator.pk, period)
        if key in self.entries:
            first = self.seen[key]
            old = self.entries[key]
            if old["value"] != value or old["growth"] != growth:
                where_first = (f"工作表「{first[0]}」" if first[0] and first[0] != where[0] else "") + f"第{first[1]}行"
                self.problem(f"与{where_first}的{region.name}{indicator.name}{period_label(period)}数据冲突",
                             where, columns["region"])
            return
        self.seen[key] = where
        self.entries[key] = {"region_id": region.pk, "indicator_id": indicator.pk, "period": period,
                             "value": value, "growth": growth}


def parse_long(sheet, lookup, checker):
    header_index, columns, problems = find_header(sheet.rows, [("期间", "时间", "统计期间")], LONG_ALIASES, sheet=sheet.name)
    if header_index is None:
        checker.problems.append(Problem("工作表为空，没有找到表头", sheet=sheet.name))
        return
    header = sheet.rows[header_index]
    if "地区代码" not in columns and "地区名称" not in columns:
        problems.append(Problem("缺少必需的列「地区代码」（或「地区名称」）", row=header_index + 1, sheet=sheet.name))
    if "指标代码" not in columns and "指标名称" not in columns:
        problems.append(Problem("缺少必需的列「指标代码」（或「指标名称」）", row=header_index + 1, sheet=sheet.name))
    if "累计值" not in columns and "同比增长(%)" not in columns:
        problems.append(Problem("缺少「累计值」或「同比增长(%)」列", row=header_index + 1, sheet=sheet.name))
    if problems:
        checker.problems.extend(problems)
        return
    names = {k: text(header[i]) for k, i in columns.items()}
    region_col = "地区代码" if "地区代码" in columns else "地区名称"
    indicator_col = "指标代码" if "指标代码" in columns else "指标名称"
    labels = {"region": names[region_col], "period": names["期间"], "value": names.get("累计值", "累计值"),
              "growth": names.get("同比增长(%)", "同比增长(%)"), "unit": names.get("单位", "单位")}
    ci = {k: columns.get(k) for k in ["地区代码", "地区名称", "指标代码", "指标名称", "单位", "期间", "累计值", "同比增长(%)"]}
    for number, row in enumerate(sheet.rows[header_index + 1:], start=header_index + 2):
        if is_blank(row):
            continue
        where = (sheet.name, number)
        code = text(cell(row, ci["地区代码"]))
        name = text(cell(row, ci["地区名称"]))
        region = lookup.regions.get(code) if code else lookup.region_names.get(name)
        if region is None:
            checker.problem(f"未知的地区{'代码' if code else ''}「{code or name}」" if (code or name) else "地区代码不能为空",
                            where, labels["region"])
        elif code and name and name != region.name:
            checker.problem(f"地区名称「{name}」与代码 {code}（{region.name}）不符", where, names.get("地区名称", "地区名称"))
            region = None
        icode = text(cell(row, ci["指标代码"]))
        iname = text(cell(row, ci["指标名称"]))
        indicator = lookup.indicators.get(icode) if icode else lookup.indicator(iname)
        if indicator is None:
            column = names.get(indicator_col)
            checker.problem(f"未知的指标{'代码' if icode else ''}「{icode or iname}」" if (icode or iname) else "指标代码不能为空",
                            where, column)
        period = checker.period(cell(row, ci["期间"]), where, labels["period"])
        checker.add(where, region, indicator, period, cell(row, ci["累计值"]), cell(row, ci["同比增长(%)"]),
                    text(cell(row, ci["单位"])), labels)


VALUE_WORDS = ("累计", "总量", "绝对", "完成", "总额", "数值", "本期", "金额")
GROWTH_WORDS = ("增长", "增速", "增幅", "%", "同比", "±")


@dataclass
class BulletinColumns:
    """One indicator's columns in a bulletin sheet: its title merged over them, 累计 and 增长% (None where absent)."""

    indicator: Indicator
    title: str
    value_col: int | None
    growth_col: int | None
    unit: str  # the unit its values are written in


def parse_bulletin(sheet, lookup, checker):
    rows = sheet.rows
    header_index = next((i for i, row in enumerate(rows[:15]) if _key(text(cell(row, 0))) in REGION_HEADERS), None)
    if header_index is None:
        checker.problems.append(Problem("找不到表头：第一列应为「地区」（城市统计公报格式）或使用长表模板的列名", sheet=sheet.name))
        return
    period = find_period(sheet.name)
    if period is None:
        period = find_period(" ".join(text(c) for row in rows[:header_index] for c in row if c is not None))
    if period is None:
        checker.problems.append(Problem(f"无法从工作表名称「{sheet.name}」或标题中读出期间（如 2020年1-6月）", sheet=sheet.name))
        return
    header = rows[header_index]
    sub = rows[header_index + 1] if header_index + 1 < len(rows) else []
    data_start = header_index + 2
    units_row = None
    if data_start < len(rows) and _key(text(cell(rows[data_start], 0))) == "单位":
        units_row = rows[data_start]
        data_start += 1
    groups = _bulletin_columns(sheet, header_index, sub, units_row, lookup, checker)
    if groups is None:
        return
    for number, row in enumerate(rows[data_start:], start=data_start + 1):
        if is_blank(row):
            continue
        where = (sheet.name, number)
        first = text(cell(row, 0))
        if _key(first) in TOTAL_ROWS:
            continue
        region = lookup.region(first)
        region_label = text(cell(header, 0))
        if region is None:
            checker.problem(f"未知的地区「{first}」" if first else "地区不能为空", where, region_label)
        for group in groups:
            value_col, growth_col, title = group.value_col, group.growth_col, group.title
            labels = {"region": region_label, "period": sheet.name,
                      "value": f"{title}/{text(cell(sub, value_col)) or '累计'}" if value_col is not None else title,
                      "growth": f"{title}/{text(cell(sub, growth_col)) or '增长%'}" if growth_col is not None else title,
                      "unit": title}
            checker.add(where, region, group.indicator, period, cell(row, value_col) if value_col is not None else None,
                        cell(row, growth_col) if growth_col is not None else None, group.unit, labels)


def _bulletin_columns(sheet, header_index, sub, units_row, lookup, checker):
    """[BulletinColumns] of every indicator in the header row, or None (the problems said) when one is unknown or
    has neither column."""
    header = sheet.rows[header_index]
    width = max(len(header), len(sub))
    # An indicator's title is merged over its columns: read_sheets copied it into each, the group starts at the first.
    starts = [j for j in range(1, width) if text(cell(header, j)) and sheet.merged_origin(header_index, j) in (None, (header_index, j))]
    groups, ok = [], True
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else width
        title = text(cell(header, start))
        base, unit = split_unit(title)
        indicator = lookup.indicator(base) or lookup.indicator(title)
        if indicator is None:
            checker.problems.append(Problem(f"未知的指标「{title}」", row=header_index + 1, column=title, sheet=sheet.name))
            ok = False
            continue
        value_col = growth_col = None
        value_unit = unit
        for j in range(start, end):
            label = _key(text(cell(sub, j)))
            if any(w in label for w in GROWTH_WORDS):
                growth_col = j
            elif any(w in label for w in VALUE_WORDS) or (label == "" and end - start == 2 and j == start):
                value_col = j
                inner = split_unit(label)[1]
                value_unit = inner or value_unit
                if units_row is not None and text(cell(units_row, j)):
                    value_unit = text(cell(units_row, j))
        if value_col is None and growth_col is None:
            if end - start == 1:
                growth_col = start if indicator.growth_only else None
                value_col = None if indicator.growth_only else start
            else:
                checker.problems.append(Problem(f"指标「{title}」下面应有「累计」和「增长%」两列", row=header_index + 2,
                                                column=title, sheet=sheet.name))
                ok = False
                continue
        groups.append(BulletinColumns(indicator, title, value_col, growth_col, value_unit))
    return groups if ok else None


def is_long_layout(sheets):
    for sheet in sheets:
        for row in sheet.rows[:HEADER_SEARCH_ROWS]:
            keys = {_key(text(c)) for c in row if c is not None}
            if keys & {"指标代码", "指标名称", "期间", "累计值", "同比增长(%)"}:
                return True
    return False


def check_figures(sheets, actor):
    """Validate every row of a long or bulletin file; returns the entries or raises Rejected."""
    if not sheets or all(not s.rows or all(is_blank(r) for r in s.rows) for s in sheets):
        raise Rejected("文件为空，没有找到任何数据行")
    lookup = Lookup(actor)
    checker = FigureChecker(lookup)
    parse = parse_long if is_long_layout(sheets) else parse_bulletin
    for sheet in sheets:
        if not sheet.rows or all(is_blank(r) for r in sheet.rows):
            continue
        parse(sheet, lookup, checker)
    if checker.problems:
        raise Rejected(checker.problems)
    if not checker.entries:
        raise Rejected("文件中没有任何指标数据（空单元格、“—”和“-”表示无数据）")
    return list(checker.entries.values())


@register_importer("indicators", "经济指标数据（长表模板或城市统计公报格式）")
def import_indicators(source, filename=None, actor=None):
    sheets = read_sheets(source, filename)
    entries = check_figures(sheets, actor)
    label = f"导入：{filename}" if filename else "导入"
    counts = services.save_figures(actor, entries, source=label)
    return (f"已校验 {len(entries)} 条指标数据：新增 {counts['created']}，修订 {counts['revised']}（保留原版本），"
            f"未变化 {counts['unchanged']}")


def check_figure_records(records, actor):
    """The API's bulk post: a list of dicts with the long template's fields (English keys), same checks."""
    from luoshi.core.tabular import Sheet

    header = ["地区代码", "指标代码", "期间", "累计值", "同比增长(%)", "单位"]
    rows = [header] + [[r.get("region"), r.get("indicator"), r.get("period"), r.get("value"), r.get("growth"), r.get("unit")]
                       for r in records]
    lookup = Lookup(actor)
    checker = FigureChecker(lookup)
    parse_long(Sheet("figures", rows), lookup, checker)
    if checker.problems:
        # Row n of the list is the n-th figure (there is no header row in a request body).
        raise Rejected([Problem(p.message, row=p.row - 1 if p.row else None, column=p.column, sheet=p.sheet)
                        for p in checker.problems])
    return list(checker.entries.values())


@dataclass
class TargetRow:
    """One row of a targets sheet, its cells read and checked one by one (the checks across cells: _target_entry)."""

    number: int  # the row's number in the sheet
    region: Region
    indicator: Indicator
    year: int
    value: Decimal | None
    growth: Decimal | None
    trajectory: list  # twelve monthly targets, or [] without any
    owner: object  # the 责任单位 (orgs.Unit), or None
    unit: str


def check_targets(sheets, actor):
    """Validate every row of a targets sheet: (entries for services.save_targets, owners for
    services.save_responsibilities), or Rejected with every problem."""
    sheet, header_index, columns = _targets_header(sheets)
    lookup = Lookup(actor)
    names = {k: text(sheet.rows[header_index][i]) for k, i in columns.items()}
    problems, entries, seen, responsible = [], {}, {}, {}
    for number, row in enumerate(sheet.rows[header_index + 1:], start=header_index + 2):
        if is_blank(row):
            continue

        def problem(message, column):
            problems.append(Problem(message, row=number, column=names.get(column, column), sheet=sheet.name))

        target = _read_target(number, row, columns, lookup, problem)
        if target is None:
            continue
        _check_owner(target, responsible, problem)
        entry = _target_entry(target, problem)
        if entry is None:
            continue
        key = (entry["region_id"], entry["indicator_id"], entry["year"])
        if key in entries:
            if entries[key] != entry:
                problem(f"与第{seen[key]}行的{target.region.name}{target.indicator.name}{target.year}年目标冲突", "地区代码")
            continue
        entries[key], seen[key] = entry, number
    if problems:
        raise Rejected(problems)
    if not entries:
        raise Rejected("文件中没有任何目标")
    return list(entries.values()), [{"region_id": r, "indicator_id": i, "unit_id": u}
                                    for (r, i), (u, _) in responsible.items()]


def _targets_header(sheets):
    if not sheets or not sheets[0].rows:
        raise Rejected("文件为空，没有找到任何数据行")
    sheet = sheets[0]
    header_index, columns, problems = find_header(
        sheet.rows, [("地区代码", "行政区划代码"), "指标代码", ("年度", "年份")],
        [("目标值", "年度目标", "目标"), ("目标增速(%)", "目标增速", "增长目标(%)"), "单位", "责任单位"] + MONTH_COLUMNS,
        sheet=sheet.name)
    if not problems and "目标值" not in columns and "目标增速(%)" not in columns:
        problems.append(Problem("缺少「目标值」或「目标增速(%)」列", row=header_index + 1, sheet=sheet.name))
    if problems:
        raise Rejected(problems)
    return sheet, header_index, columns


def _read_target(number, row, columns, lookup, problem):
    """The row's cells, each checked; None when its region, indicator or year cannot be used."""
    code = text(cell(row, columns["地区代码"]))
    region = lookup.regions.get(code)
    if region is None:
        problem(f"未知的地区代码「{code}」" if code else "地区代码不能为空", "地区代码")
    elif not lookup.writable(region, targets=True):
        problem(f"您无权维护{region.name}的年度目标", "地区代码")
        region = None
    icode = text(cell(row, columns["指标代码"]))
    indicator = lookup.indicators.get(icode) or lookup.indicator(icode)
    if indicator is None:
        problem(f"未知的指标代码「{icode}」" if icode else "指标代码不能为空", "指标代码")
    year_text = text(cell(row, columns["年度"]))
    digits = year_text.removesuffix("年")
    year = int(digits) if digits.isascii() and digits.isdigit() and 1990 <= int(digits) <= 2100 else None
    if year is None:
        problem(f"无法识别的年度「{year_text}」，应为 2020 这样的四位年份", "年度")
    try:
        value = rules.parse_number(cell(row, columns.get("目标值")))
    except ValueError as error:
        problem(f"目标值{error}", "目标值")
        value, indicator = None, None
    try:
        growth = rules.parse_growth(cell(row, columns.get("目标增速(%)")))
    except ValueError as error:
        problem(f"目标增速{error}", "目标增速(%)")
        growth, indicator = None, None
    trajectory = _trajectory(row, columns, problem)
    owner_text = text(cell(row, columns.get("责任单位")))
    owner = None
    if owner_text and region is not None:
        owner, message = resolve_unit(region, owner_text)
        if message:
            problem(message, "责任单位")
    if region is None or indicator is None or year is None:
        return None
    return TargetRow(number, region, indicator, year, value, growth, trajectory, owner, text(cell(row, columns.get("单位"))))


def _trajectory(row, columns, problem):
    """The monthly targets 1月…12月 (None where a month is empty), or [] when none is given or they are wrong."""
    months = [columns.get(m) for m in MONTH_COLUMNS]
    if all(cell(row, i) is None for i in months if i is not None):
        return []
    try:
        trajectory = [rules.parse_number(cell(row, i)) if i is not None else None for i in months]
    except ValueError as error:
        problem(f"月度目标轨迹{error}", "1月")
        return []
    for _, message in rules.target_problems(None, None, trajectory):
        problem(message, "1月")
        trajectory = []
    return trajectory


def _check_owner(target, responsible, problem):
    """One 责任单位 per region and indicator across the file: responsible[(region, indicator)] = (unit, row)."""
    if target.owner is None:
        return
    key = (target.region.pk, target.indicator.pk)
    if responsible.get(key, (target.owner.pk,))[0] != target.owner.pk:
        problem(f"与第{responsible[key][1]}行的{target.region.name}{target.indicator.name}责任单位不一致", "责任单位")
    responsible.setdefault(key, (target.owner.pk, target.number))


def _target_entry(target, problem):
    """The target to save (value in the indicator's unit), or None with the problem said."""
    value, growth, indicator = target.value, target.growth, target.indicator
    if value is None and growth is None:
        problem("目标值和目标增速至少填写一项", "目标值")
        return None
    if value is not None and indicator.growth_only:
        problem(f"{indicator.name}只发布增速，只能设定目标增速", "目标值")
        return None
    if value is not None and target.unit:
        try:
            value = rules.convert(value, target.unit, indicator.unit)
        except ValueError as error:
            problem(f"{error}（{indicator.name}的单位是{indicator.unit}）", "单位")
            return None
    wrong = rules.target_problems(value, growth, None)
    for field, message in wrong:
        problem(message, {"value": "目标值", "growth": "目标增速(%)"}[field])
    if wrong:
        return None
    return {"region_id": target.region.pk, "indicator_id": indicator.pk, "year": target.year,
            "value": value.quantize(VALUE_Q) if value is not None else None,
            "growth": growth.quantize(GROWTH_Q) if growth is not None else None, "trajectory": target.trajectory}


@register_importer("targets", "经济指标年度目标")
def import_targets(source, filename=None, actor=None):
    entries, owners = check_targets(read_sheets(source, filename), actor)
    source_note = f"导入：{filename}" if filename else "导入"
    with transaction.atomic():
        counts = services.save_targets(actor, entries, source=source_note)
        owned = services.save_responsibilities(actor, owners, source=source_note)
    summary = f"已校验 {len(entries)} 个年度目标：新增 {counts['created']}，修改 {counts['updated']}，未变化 {counts['unchanged']}"
    if owners:
        summary += f"；责任单位 {len(owners)} 个：新设 {owned['created']}，更改 {owned['updated']}，未变化 {owned['unchanged']}"
    return summary
