"""The day's status as a spreadsheet: one row per village, with the numbers of its current report."""

from django.utils import timezone

from luoshi.core import labels
from luoshi.core.exports import Export
from luoshi.daily import rules, services


class DayExport(Export):
    sheet_title = "村居日报"

    def __init__(self, form, day, rows, area):
        self.form, self.day, self.data, self.area = form, day, rows, area
        self.fields = services.specs_of(form.current_version)
        self.filename = f"{form.title}_{area.name}_{day:%Y-%m-%d}"
        self.headers = ["镇（街道）", "村（社区）", "代码", "状态", "首次报送时间", "零报告", "版本"] + [f.label for f in self.fields]
        self.column_widths = {1: 14, 2: 14, 3: 15, 5: 18}

    def rows(self):
        for row in self.data:
            submitted = timezone.localtime(row["submitted_at"]).replace(tzinfo=None) if row["submitted_at"] else None
            values = row["values"] or {}
            yield [row["town_name"], row["name"], row["village"], rules.STATUS_LABELS[row["status"]], submitted,
                   "是" if row["zero_report"] else ("" if row["status"] == rules.MISSING else "否"),
                   row["version"] or None] + [_cell(values.get(f.key)) for f in self.fields]

    def style_workbook(self, worksheet):
        from openpyxl.styles import PatternFill

        fills = {"未报": PatternFill("solid", fgColor="F8D7DA"), "逾期报送": PatternFill("solid", fgColor="FFF3CD")}
        for row in worksheet.iter_rows(min_row=2):
            fill = fills.get(row[3].value)
            if fill:
                row[3].fill = fill
            if row[4].value is not None:
                row[4].number_format = "yyyy-mm-dd hh:mm"


def _cell(value):
    """Numbers stay numbers in the sheet; yes/no and the rest as the pages write them (core.labels)."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return labels.format_value(value)
