"""The 重点项目调度表 out, in the layout 发改局 use and transfers.py reads (title and note rows, a two-row header
with merged cells, section rows, a 合计 row): an export of a month imports again unchanged. Built from a status the
caller assembled for a reader who may see the region (access.py)."""

from collections import OrderedDict
from decimal import Decimal

from luoshi.core.exports import Export
from luoshi.projects import rules
from luoshi.projects.models import Funding

CN_NUMBERS = "一二三四五六七八九十"
SINGLES_BEFORE = ["序号", "项目名称", "项目性质", "行业", "责任单位", "所在镇（街道）", "业主单位", "建设内容及规模",
                  "建设起止年限", "总投资"]
SINGLES_AFTER = ["开工以来累计完成投资", "计划开工", "开工时间", "入库时间", "形象进度", "存在问题", "包保领导"]


def section_label(index, title, count):
    number = CN_NUMBERS[index] if index < len(CN_NUMBERS) else str(index + 1)
    return f"{number}、{title}（{count}个）"


def _month(day):
    return f"{day:%Y-%m}" if day else ""


def _day(day):
    return f"{day:%Y-%m-%d}" if day else ""


def _years(row):
    if row["start_year"] and row["end_year"] and row["start_year"] != row["end_year"]:
        return f"{row['start_year']}-{row['end_year']}"
    return str(row["start_year"] or row["end_year"] or "")


class ScheduleTable(Export):
    """A region's 调度表 for a month: `state` is queries.status(region, period)."""

    sheet_title = "调度表"

    def __init__(self, state):
        self.state = state
        period, region = state["period"], state["region"]
        self.filename = f"{region.name}{period.year}年1-{period.month}月重点项目调度表"
        self.done_label = f"{period.year}年1-{period.month}月完成投资"
        self.headers = (SINGLES_BEFORE + ["资金构成"] * len(rules.FUNDING_SOURCES) + ["本年计划投资"]
                        + [self.done_label] * 2 + SINGLES_AFTER)
        self.subheaders = ([None] * len(SINGLES_BEFORE) + list(rules.FUNDING_SOURCES) + [None] + ["金额", "占年计划（%）"]
                           + [None] * len(SINGLES_AFTER))
        self.column_widths = {1: 6, 2: 30, 3: 8, 5: 16, 7: 20, 8: 36, 9: 12, 24: 36, 25: 30}
        self.section_rows = []

    def _funding(self):
        found = {}
        for f in Funding.objects.filter(project_id__in=[r["id"] for r in self.state["projects"]]):
            found.setdefault(f.project_id, {})[f.source] = f.amount
        return found

    def rows(self):
        self.section_rows = []
        funding = self._funding()
        yield self.subheaders
        written = 1
        groups = OrderedDict()
        for row in self.state["projects"]:
            groups.setdefault(row["category"], []).append(row)
        if "" in groups and len(groups) > 1:  # projects without a category first, under no section
            groups.move_to_end("", last=False)
        serial = 0
        section = 0
        totals = {"total": Decimal(0), "plan": Decimal(0), "done": Decimal(0), "since": Decimal(0),
                  **{s: Decimal(0) for s in rules.FUNDING_SOURCES}}
        for category, members in groups.items():
            if category:
                written += 1
                self.section_rows.append(written)
                yield [section_label(section, category, len(members))] + [None] * (len(self.headers) - 1)
                section += 1
            for row in members:
                serial += 1
                parts = funding.get(row["id"], {})
                for source in rules.FUNDING_SOURCES:
                    totals[source] += parts.get(source, Decimal(0))
                totals["total"] += row["total_investment"]
                totals["plan"] += row["year_plan"]
                totals["done"] += row["done_ytd"]
                totals["since"] += row["since_start"]
                written += 1
                yield ([serial, row["name"], row["kind_label"], row.get("industry", ""), row["unit_name"], row["town"],
                        row["owner"], row["content"], _years(row), row["total_investment"]]
                       + [parts.get(s) for s in rules.FUNDING_SOURCES]
                       + [row["year_plan"], row["done_ytd"], row["completion"], row["since_start"],
                          _month(row["planned_start"]), _day(row["started_on"]), _day(row["statistics_on"]),
                          row["progress"], row["problems"], row["leader"]])
        yield (["合计", None, None, None, None, None, None, None, None, totals["total"]]
               + [totals[s] if funding else None for s in rules.FUNDING_SOURCES]
               + [totals["plan"], totals["done"], rules.rate(totals["done"], totals["plan"]), totals["since"]]
               + [None] * 6)

    def title_rows(self):
        region, period = self.state["region"], self.state["period"]
        return [[f"{region.name}{period.year}年重点项目建设调度表"], [f"截至{period.year}年{period.month}月底　　单位：万元"]]

    def style_workbook(self, worksheet):
        from openpyxl.styles import Alignment, Font, PatternFill

        width = len(self.headers)
        worksheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        worksheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        worksheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for column in range(1, width + 1):
            for row in (3, 4):
                cell = worksheet.cell(row=row, column=column)
                cell.font, cell.fill, cell.alignment = bold, fill, center
        column = 1
        while column <= width:
            label = self.headers[column - 1]
            if self.subheaders[column - 1] is None:
                worksheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
                column += 1
                continue
            last = column
            while last < width and self.headers[last] == label and self.subheaders[last] is not None:
                last += 1
            if last > column:
                worksheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=last)
            column = last + 1
        for written in self.section_rows:
            row = written + 3  # the two title rows, then the header's first row
            worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            worksheet.cell(row=row, column=1).font = bold
        last_row = worksheet.max_row
        for column in range(1, width + 1):
            worksheet.cell(row=last_row, column=column).font = bold
        worksheet.freeze_panes = "C5"



class ProblemList(Export):
    """The 调度会's list of 要素保障 problems: `state` is queries.problem_list(region, on), rows in its order."""

    sheet_title = "要素保障问题"
    headers = ["序号", "项目名称", "责任单位", "问题类型", "解决层级", "负责解决的单位", "问题描述", "提出日期", "解决时限",
               "等待天数", "状态", "是否逾期", "督办单", "解决情况", "解决日期"]
    column_widths = {2: 30, 3: 16, 6: 16, 7: 40, 13: 18, 14: 30}

    def __init__(self, state):
        self.state = state
        self.filename = state["title"]

    def rows(self):
        for row in self.state["rows"]:
            yield [row["number"], row["project"], row["project_unit"], row["kind_label"], row["level_label"], row["unit"],
                   row["text"], _day(row["raised_on"]), _day(row["deadline"]), row["age"], row["state_label"],
                   "是" if row["overdue"] else "否", row["notice"], row["solution"], _day(row["solved_on"])]
