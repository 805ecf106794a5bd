import io

import pytest
from openpyxl import Workbook

from luoshi.core.problems import Problem, Rejected
from luoshi.core.tabular import find_columns, read_sheets, text


def test_csv_in_gbk_and_utf8_with_bom_read_the_same():
    content = "代码,名称\n370115,济阳区\n"
    for data in (content.encode("gbk"), ("\ufeff" + content).encode("utf-8")):
        sheet = read_sheets(data, "a.csv")[0]
        assert sheet.rows == [["代码", "名称"], ["370115", "济阳区"]]


def test_xlsx_sheets_are_read_by_name_with_empty_cells_as_none():
    workbook = Workbook()
    workbook.active.title = "一月"
    workbook.active.append(["代码", None, "名称"])
    workbook.create_sheet("二月").append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheets = read_sheets(buffer.getvalue(), "a.xlsx")
    assert [s.name for s in sheets] == ["一月", "二月"]
    assert sheets[0].rows[0] == ["代码", None, "名称"]


def test_unsupported_file_type_is_refused_in_chinese():
    with pytest.raises(Rejected) as info:
        read_sheets(b"x", "a.pdf")
    assert info.value.messages == ["不支持的文件类型：a.pdf（请使用 xlsx 或 csv）。"]


def test_columns_are_found_by_name_in_any_order_with_aliases_and_full_width_brackets():
    found, problems = find_columns(["名称", "同比增长（%）", "代码"], ["代码", ("同比增长(%)", "增长%")], ["备注"])
    assert found == {"代码": 2, "同比增长(%)": 1}
    assert problems == []


def test_a_missing_column_is_a_problem_on_the_header_row():
    _, problems = find_columns(["名称"], ["代码"], sheet="表1")
    assert problems == [Problem("缺少必需的列「代码」", row=1, sheet="表1")]
    assert str(problems[0]) == "工作表「表1」第1行：缺少必需的列「代码」"


def test_whole_floats_from_excel_lose_their_decimal_point():
    assert text(370115.0) == "370115"
    assert text(3.5) == "3.5"
    assert text(None) == ""
