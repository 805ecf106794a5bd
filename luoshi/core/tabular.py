"""Read xlsx or csv sheets (UTF-8 or GBK) into plain rows, and find the header row and its columns by name."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from luoshi.core import limits as bounds
from luoshi.core.exports import FORMULA_STARTS
from luoshi.core.problems import Problem, Rejected
from luoshi.core.text import refuse_in_sheets


HEADER_SEARCH_ROWS = 20  # title rows (the table's name, 填报单位, 日期) may stand above the header


@dataclass
class Sheet:
    name: str
    rows: list  # list of lists of cell values (str, int, float, date, datetime or None)
    # Merged ranges of an xlsx sheet as (first_row, first_col, last_row, last_col), 0-based and inclusive, clipped to
    # the rows read. read_sheets has already copied each range's top-left value into every cell of the range.
    merged: list = field(default_factory=list)

    def merged_origin(self, row, col):
        """(row, col) of the top-left cell of the merged range holding the given cell (0-based), or None."""
        for first_row, first_col, last_row, last_col in self.merged:
            if first_row <= row <= last_row and first_col <= col <= last_col:
                return first_row, first_col
        return None


def _clean_rows(rows):
    """Text cells trimmed (full-width spaces too), empty text as None, other cells as they are. One comprehension
    without a call per cell: a 100,000-row file has 800,000 cells."""
    return [[(c.strip().replace("\u3000", " ").strip() or None) if type(c) is str else c for c in row] for row in rows]


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Rejected("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV，或使用 xlsx 文件。")


def _lines(text):
    """The text's lines, one at a time (a StringIO would copy the whole text, four bytes a character)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def _read_csv(text, limit):
    """The csv's rows, refused past the row, column or cell cap while reading (a 20 MB file of line breaks is 20
    million rows, of commas 20 million cells): empty cells at the end of a row do not count towards its width."""
    rows = []
    cells = 0
    reader = csv.reader(_lines(text))
    try:
        for row in reader:
            if len(rows) >= limit.rows:
                raise Rejected(f"文件超过 {limit.rows} 行的上限，请分成几个文件导入。")
            if len(row) > limit.columns:
                while row and not row[-1].strip():
                    row.pop()
                if len(row) > limit.columns:
                    raise Rejected(f"第{len(rows) + 1}行有 {len(row)} 列，上限为 {limit.columns} 列。")
            cells += len(row)
            if cells > limit.cells:
                raise Rejected(f"文件超过 {limit.cells} 个单元格的上限，请分成几个文件导入。")
            rows.append(row)
    except csv.Error:
        raise Rejected(f"第{reader.line_num}行无法按 CSV 读取（单元格过长或含有无法识别的字符），请检查后另存为 CSV 或 xlsx。")
    return rows


def _unquote_formulas(rows):
    """Undo core.exports' guard: luoshi's csv export writes a cell '=…, '+…, '-…, '@… with an apostrophe so that
    Excel shows it as text; read back, it is the text without the apostrophe (a name like -A- survives a round trip)."""
    starts = FORMULA_STARTS
    return [[c[1:] if c[:1] == "'" and c[1:2] and c[1:].startswith(starts) else c for c in row] for row in rows]


def read_sheets(source, filename: str | None = None) -> list[Sheet]:
    """Read every sheet of an xlsx file, or the one sheet of a csv file, within the limits of core.limits.

    `source` is a path or bytes; `filename` (or the path) decides the format. A file over the size limit, an xlsx
    beyond any limit of core.limits.check_xlsx (unzipped size, cells, text…), or a workbook of another format, is
    refused (Rejected) before its grid is read. Merged xlsx cells give their value to every cell of their range
    (Sheet.merged). A text cell holding a character core.text refuses (a control character, a non-character) is refused
    with its sheet, row, column.
    """
    limit = bounds.limits()
    if isinstance(source, (str, Path)):
        filename = filename or str(source)
        data = bounds.read_path(source)
    else:
        data = source
        bounds.check_size(len(data), limit)
    name = (filename or "").lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        text = decode_text(data)
        rows = _read_csv(text, limit)
        if "'" in text:
            rows = _unquote_formulas(rows)
        rows = _clean_rows(rows)
        return refuse_in_sheets([Sheet(Path(filename).stem if filename else "CSV", rows)])
    if name.endswith(".xlsx") or name.endswith(".xlsm") or name.endswith(".xls") or not name:
        bounds.check_xlsx(data, limit)
        read = []
        try:
            from python_calamine import CalamineWorkbook

            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            # One sheet at a time, cleaned row by row as calamine gives them: calamine's copy of a sheet is dropped
            # before the next is read, and the raw rows are never all held. iter_rows starts at the first column used.
            for sheet_name in workbook.sheet_names:
                sheet = workbook.get_sheet_by_name(sheet_name)
                pad = [None] * sheet.start[1] if sheet.start else []
                rows = _clean_rows(pad + row for row in sheet.iter_rows())
                read.append((sheet.name, rows, sheet.merged_cell_ranges or []))
        except Exception:
            raise Rejected(bounds.UNREADABLE)
        # Filling merged ranges costs their area: ranges over the whole sheet, one on another, would take hours.
        if sum(_covered(rows, ranges) for _, rows, ranges in read) > limit.cells:
            raise Rejected(f"合并单元格合计覆盖超过 {limit.cells} 个单元格的上限，请取消多余的合并后另存再导入。")
        return refuse_in_sheets([Sheet(title, rows, _fill_merged(rows, ranges)) for title, rows, ranges in read])
    raise Rejected(f"不支持的文件类型：{filename}（请使用 xlsx 或 csv）。")


def _clipped(rows, ranges):
    """Merged ranges as (first_row, first_col, last_row, last_col), clipped to the rows read."""
    return [(first_row, first_col, min(last_row, len(rows) - 1), last_col)
            for (first_row, first_col), (last_row, last_col) in ranges if first_row < len(rows)]


def _covered(rows, ranges):
    width = len(rows[0]) if rows else 0
    return sum((last_row - first_row + 1) * max(min(last_col, width - 1) - first_col + 1, 0)
               for first_row, first_col, last_row, last_col in _clipped(rows, ranges))


def _fill_merged(rows, ranges):
    """Copy each merged range's top-left value into every cell of the range (a merged 攻坚战 cell counts for every
    row it spans), clipped to the rows read; returns the clipped ranges."""
    merged = _clipped(rows, ranges)
    for first_row, first_col, last_row, last_col in merged:
        origin = rows[first_row]
        value = origin[first_col] if first_col < len(origin) else None
        if value is None:
            continue
        for row in rows[first_row:last_row + 1]:
            for col in range(first_col, min(last_col, len(row) - 1) + 1):
                row[col] = value
    return merged


def is_blank(row) -> bool:
    return all(c is None or c == "" for c in row)


def find_columns(header, wanted, optional=(), sheet=None, header_row=1):
    """Map header names to column indexes, in any order.

    `wanted` and `optional` are lists of column names; each name may be a tuple of accepted aliases,
    the first of which is the canonical name. Returns ({canonical: index}, [Problem]).
    """
    normalized = {}
    for index, cell in enumerate(header):
        if cell is None:
            continue
        key = str(cell).strip().replace(" ", "").replace("（", "(").replace("）", ")")
        normalized.setdefault(key, index)
    found, problems = {}, []
    for names, required in [(n, True) for n in wanted] + [(n, False) for n in optional]:
        aliases = (names,) if isinstance(names, str) else tuple(names)
        canonical = aliases[0]
        for alias in aliases:
            key = alias.replace(" ", "").replace("（", "(").replace("）", ")")
            if key in normalized:
                found[canonical] = normalized[key]
                break
        else:
            if required:
                problems.append(Problem(f"缺少必需的列「{canonical}」", row=header_row, sheet=sheet))
    return found, problems


def find_header(rows, wanted, optional=(), sheet=None, search=HEADER_SEARCH_ROWS):
    """Find the header row by its column names: title rows above it (the table's name, 填报单位, 日期) are skipped.

    `wanted` and `optional` are as for find_columns. The header is the first of the first `search` rows that has
    every wanted column. Returns (index, {canonical: column index}, [Problem]): with no problems when found; when no
    row has them all, the row that has the most of them (the first non-blank row when none has any) and the problems
    find_columns reports for it (missing columns, on that row); (None, {}, [problem]) when the top rows are blank.
    A file without title rows reads as before: its first non-blank row is the header.
    """
    best = None
    for index, row in enumerate(rows[:search]):
        if is_blank(row):
            continue
        columns, problems = find_columns(row, wanted, optional, sheet=sheet, header_row=index + 1)
        if not problems:
            return index, columns, []
        found = sum(1 for names in wanted if (names if isinstance(names, str) else names[0]) in columns)
        if best is None or found > best[0]:
            best = (found, index, columns, problems)
    if best is None:
        return None, {}, [Problem("没有找到表头：前面的行都是空的", sheet=sheet)]
    return best[1], best[2], best[3]


def cell(row, index):
    if index is None or index >= len(row):
        return None
    return row[index]


def text(value) -> str:
    """A cell as text; whole floats lose their '.0' (Excel stores codes as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
