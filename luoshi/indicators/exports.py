"""The indicator table and the city matrix as xlsx."""

from luoshi.core.exports import Export
from luoshi.core.periods import period_label
from luoshi.indicators import rules

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
