"""Exports are classes that yield rows and render to xlsx or csv: (filename, mime type, bytes).

One shape for every download (docs/architecture.md, "Inside an app"): each download is an Export subclass in its
app's exports.py, built from what the reader may see; a page or an API call returns http_response(export, fmt), and
`luoshi export KIND FILE` asks the exporter registered for KIND (core.registry: exporter(actor) → Export, the same
function a page may call with its user) and writes it with write_file().

Every cell a person typed may reach Excel on an office PC, so no exported text is ever a live formula: xlsx text
cells are written as text (never as formulas), and a csv text cell that Excel or WPS would read as a formula is
prefixed with an apostrophe (OWASP's rule for CSV injection). Numbers stay numbers. Characters that core.text refuses
(control characters but tab and line breaks, non-characters) are dropped from every cell and the file's name: text
stored before that check still gives a file Excel, WPS and openpyxl open.
"""

import csv
import io
from datetime import date, datetime

from luoshi.core.text import for_documents

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")


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

    def title_rows(self):
        """Rows written above the header in a workbook (a title, a note): none unless a subclass says."""
        return []

    def render(self, fmt="xlsx"):
        if fmt == "csv":
            return self.render_csv()
        if fmt == "xlsx":
            return self.render_xlsx()
        raise ValueError(f"未知的导出格式：{fmt}")

    def render_csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_csv_value(h) for h in self.headers])
        for row in self.rows():
            writer.writerow([_csv_value(v) for v in row])
        # A BOM makes Excel on Chinese Windows open UTF-8 correctly.
        return f"{self.filename}.csv", CSV_MIME, ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def render_xlsx(self):
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.sheet_title[:31]
        titles = self.title_rows()
        for row in titles:
            append_as_data(sheet, row)
        append_as_data(sheet, self.headers)
        for cell in sheet[len(titles) + 1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for row in self.rows():
            append_as_data(sheet, [_xlsx_value(v) for v in row])
        sheet.freeze_panes = f"A{len(titles) + 2}"
        for index, header in enumerate(self.headers, start=1):
            width = self.column_widths.get(index) or max(8, min(40, len(str(header)) * 2 + 4))
            sheet.column_dimensions[get_column_letter(index)].width = width
        self.style_workbook(sheet)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return f"{self.filename}.xlsx", XLSX_MIME, buffer.getvalue()


# A csv cell starting with one of these is a formula to Excel, WPS and LibreOffice (tab and CR: OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_value(value):
    if value is None:
        return ""
    value = _plain(value)
    return neutralise_csv_text(for_documents(value)) if isinstance(value, str) else value


def append_as_data(sheet, values):
    """Append a row; openpyxl makes any text starting with '=' a formula, so such cells are set back to text."""
    values = [for_documents(v) if isinstance(v, str) else v for v in values]
    sheet.append(values)
    formulas = [column for column, value in enumerate(values, start=1) if isinstance(value, str) and value.startswith("=")]
    if formulas:
        row = sheet.max_row  # only here: openpyxl counts it over every cell, which made a long sheet's export quadratic
        for column in formulas:
            sheet.cell(row=row, column=column).data_type = "s"


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
    """The download of a page or an API call: the export as an attachment (404 for a format other than FORMATS)."""
    from urllib.parse import quote

    from django.http import Http404, HttpResponse

    if fmt not in FORMATS:
        raise Http404("不支持的导出格式")
    filename, mime, data = export.render(fmt)
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(for_documents(filename))}"
    return response


def write_file(export, path):
    """The download of `luoshi export KIND FILE`: the export written to `path` in the format its extension names
    (xlsx when it has none). ValueError, in Chinese, for another extension."""
    from pathlib import Path

    fmt = Path(path).suffix.lower().lstrip(".") or "xlsx"
    if fmt not in FORMATS:
        raise ValueError("文件扩展名应为 .xlsx 或 .csv")
    Path(path).write_bytes(export.render(fmt)[2])


__all__ = ["Export", "XLSX_MIME", "CSV_MIME", "FORMATS", "http_response", "write_file", "date"]
