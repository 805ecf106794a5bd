"""The indicator pages' downloads: the table and the city matrix as xlsx, and the blank import templates."""

from luoshi.core.exports import Export
from luoshi.core.periods import period_label
from luoshi.indicators import rules
from luoshi.indicators.models import Indicator
from luoshi.indicators.transfers import LONG_COLUMNS, MONTH_COLUMNS, TARGET_COLUMNS

LIGHT_FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}


def _fmt(number):
    return f"{number:g}"


def _target(row):
    parts = []
    if row["target_value"] is not None:
        parts.append(f"{_fmt(row['target_value'])}{row['unit'] if row['unit'] != '%' else ''}")
    if row["target_growth"] is not None:
        parts.append(f"增长{_fmt(row['target_growth'])}%")
    return "，".join(parts) or None


class TableExport(Export):
    sheet_title = "指标表"
    headers = ["指标", "单位", "累计值", "同比增长%", "全市位次", "位次变化", "年度目标", "完成进度%", "序时进度%", "差(百分点)", "状态",
               "长项/短板", "双过半"]
    column_widths = {1: 24, 7: 20}

    def __init__(self, region, period, rows):
        self.rows_data = rows
        self.filename = f"{region.name}{period_label(period)}主要经济指标"

    def rows(self):
        for r in self.rows_data:
            rank = f"{r['rank']}/{r['peers']}" if r["rank"] else None
            half = {True: "已实现", False: "未实现", None: None}[r["half_half"]]
            yield [r["name"], r["unit"], r["value"], r["growth"], rank, r["rank_change"], _target(r), r["completion"],
                   r["time_progress"], r["gap"], rules.LIGHT_LABELS[r["light"]] if r["light"] else None,
                   rules.BAND_LABELS[r["band"]] if r["band"] else None, half]

    def style_workbook(self, worksheet):
        from openpyxl.styles import PatternFill

        for index, r in enumerate(self.rows_data, start=2):
            if r["light"]:
                worksheet.cell(row=index, column=11).fill = PatternFill("solid", fgColor=LIGHT_FILLS[r["light"]])


class MatrixExport(Export):
    sheet_title = "全市对比"

    def __init__(self, data):
        self.data = data
        self.filename = f"{data['city_name']}{data['period_label']}各区县主要经济指标对比"
        self.headers = ["地区"] + [h for i in data["indicators"] for h in (f"{i['name']}增长%", f"{i['name']}位次")] + ["平均位次"]

    def rows(self):
        for row in self.data["rows"]:
            yield [row["name"]] + [v for c in row["cells"] for v in (c["growth"], c["rank"])] + [row["average_rank"]]


# --- import templates ------------------------------------------------------------------------------

class LongTemplate(Export):
    filename = "经济指标导入模板（长表）"
    sheet_title = "指标数据"
    headers = LONG_COLUMNS

    def rows(self):
        yield ["370115", "济阳区", "fdi", "实际利用外资", "万美元", "2020-03", 2000, 35.2]
        yield ["370115", "济阳区", "gdp", "地区生产总值", "亿元", "2020年1-3月", 78.5, "下降3.2"]
        yield ["370115", "济阳区", "industry_va", "规模以上工业增加值", "%", "2020年1-2月", "", -8.1]


class BulletinTemplate(Export):
    filename = "经济指标导入模板（城市统计公报格式）"
    sheet_title = "2020年1-6月"
    codes = ["gdp", "retail", "budget_revenue", "industry_va"]

    def __init__(self):
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=self.codes)}
        self.indicators = [indicators[c] for c in self.codes if c in indicators]
        self.headers = ["地区"]
        for indicator in self.indicators:
            self.headers += [f"{indicator.name}（{indicator.unit}）" if indicator.unit != "%" else indicator.name, None]

    def rows(self):
        yield [None] + ["累计", "增长%"] * len(self.indicators)
        yield ["历下区"] + [None] * (2 * len(self.indicators))
        yield ["济阳区"] + [None] * (2 * len(self.indicators))

    def style_workbook(self, worksheet):
        for n in range(len(self.indicators)):
            worksheet.merge_cells(start_row=1, start_column=2 + 2 * n, end_row=1, end_column=3 + 2 * n)


class TargetTemplate(Export):
    filename = "年度目标导入模板"
    sheet_title = "年度目标"
    headers = TARGET_COLUMNS + MONTH_COLUMNS + ["责任单位"]

    def rows(self):
        yield ["370115", "gdp", 2020, 320, 6.5, "亿元"] + [None] * 12 + ["统计局"]
        yield ["370115", "industry_va", 2020, None, 7, "%"] + [None] * 12 + [None]
        yield ["370115", "budget_revenue", 2020, 180000, 5, "万元"] + [5, 12, 20, 28, 36, 48, 55, 62, 71, 80, 89, 100] + ["财政局"]


TEMPLATES = {"long": LongTemplate, "bulletin": BulletinTemplate, "targets": TargetTemplate}
