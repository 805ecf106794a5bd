"""A year's 放假安排 from a file: an xlsx or csv table (日期, 类型, 名称), or a text file (the notice, or table
lines), read within core.limits' bounds. Not an import kind of `luoshi import` (it needs the year): the page and
`luoshi holidays load --year YYYY FILE` call read_file."""

from pathlib import Path

from luoshi.core import tabular
from luoshi.core.problems import Rejected
from luoshi.holidays import rules

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
TEXT_SUFFIXES = (".txt", ".text", "")


def read_file(data: bytes, filename: str, year: int) -> rules.Reading:
    """What the file holds for the year; Rejected when it cannot be read at all (its kind, size, encoding)."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in TABLE_SUFFIXES:
        sheets = [s for s in tabular.read_sheets(data, filename) if any(any(c is not None for c in r) for r in s.rows)]
        if not sheets:
            raise Rejected("文件中没有数据")
        return rules.read_rows(sheets[0].rows, year)
    if suffix in TEXT_SUFFIXES:
        from luoshi.core.limits import check_size

        check_size(len(data))
        return rules.read_text(tabular.decode_text(data), year)
    raise Rejected(f"不支持的文件类型「{suffix}」：请用 txt（通知原文）、csv 或 xlsx（日期、类型、名称）")
