"""Exports are classes that yield rows and render to xlsx or csv: (filename, mime type, bytes)."""

import csv
import io
from datetime import date, datetime

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"


class Export:
    """Subclasses set `filename` (without extension), `sheet_title`, `headers` and implement rows()."""

    filename = "export"
    sheet_title = "Sheet1"
    headers: list[str] = []
    column_widths: dict[int, int] = {}

    def rows(self):
        raise NotImplementedError

    def style_workbook(self, worksheet):
        """Hook for subclasses that shade or format cells after the rows are written."""

    def render(self, fmt="xlsx"):
        if fmt == "csv":
            return self.render_csv()
        if fmt == "xlsx":
            return self.render_xlsx()
        raise ValueError(f"未知的导出格式：{fmt}")

    def render_csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.headers)
        for row in self.rows():
            writer.writerow(["" if v is None else _plain(v) for v in row])
        # A BOM makes Excel on Chinese Windows open UTF-8 correctly.
        return f"{self.filename}.csv", CSV_MIME, ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def render_xlsx(self):
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.sheet_title[:31]
        sheet.append(self.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for row in self.rows():
            sheet.append([_xlsx_value(v) for v in row])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(self.headers, start=1):
            width = self.column_widths.get(index) or max(8, min(40, len(str(header)) * 2 + 4))
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
        self.style_workbook(sheet)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return f"{self.filename}.xlsx", XLSX_MIME, buffer.getvalue()


def _plain(value):
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value


def _xlsx_value(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones: write the local (Asia/Shanghai) wall time.
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return _plain(value)


def http_response(export, fmt="xlsx"):
    from urllib.parse import quote

    from django.http import HttpResponse

    filename, mime, data = export.render(fmt)
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


__all__ = ["Export", "XLSX_MIME", "CSV_MIME", "http_response", "date"]
