import io

import pytest
from openpyxl import Workbook

from luoshi.core.problems import Problem, Rejected
from luoshi.core.tabular import find_columns, find_header, read_sheets, text


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


def _xlsx(build):
    workbook = Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_header_row_is_found_by_its_column_names_below_title_rows():
    rows = [["2020年重点工作配档表", None, None], ["填报单位：区发改局", None, "日期：2020-03-01"], [None, None, None],
            ["序号", "攻坚战", "重点任务"], [1, "项目建设", "任务一"]]
    assert find_header(rows, ["序号", "攻坚战", "重点任务"], ["备注"], sheet="表1") == (
        3, {"序号": 0, "攻坚战": 1, "重点任务": 2}, [])


def test_without_title_rows_the_first_non_blank_row_is_the_header():
    rows = [[None, None], ["代码", "名称"], ["370115", "济阳区"]]
    assert find_header(rows, ["代码", "名称"]) == (1, {"代码": 0, "名称": 1}, [])


def test_a_header_missing_a_column_is_reported_on_the_row_that_has_most_of_them():
    rows = [["某某表"], ["代码", "简称"], ["备注"]]
    index, _, problems = find_header(rows, ["代码", "名称"], ["简称"], sheet="表1")
    assert index == 1
    assert [str(p) for p in problems] == ["工作表「表1」第2行：缺少必需的列「名称」"]


def test_a_sheet_whose_top_rows_are_blank_has_no_header():
    assert find_header([[None], []], ["代码"], sheet="表1") == (
        None, {}, [Problem("没有找到表头：前面的行都是空的", sheet="表1")])


def test_merged_cells_give_their_value_to_every_cell_of_the_range():
    def build(sheet):
        sheet.append(["配档表"])
        sheet.append(["序号", "攻坚战", "重点任务", "节点"])
        sheet.append([1, "项目建设", "任务一", "开工"])
        sheet.append([2, None, None, "竣工"])
        sheet.append([3, None, "任务二", "验收"])
        sheet.merge_cells("A1:D1")
        sheet.merge_cells("B3:B5")
        sheet.merge_cells("C3:C4")

    sheet = read_sheets(_xlsx(build), "a.xlsx")[0]
    assert sheet.rows == [["配档表"] * 4, ["序号", "攻坚战", "重点任务", "节点"], [1, "项目建设", "任务一", "开工"],
                          [2, "项目建设", "任务一", "竣工"], [3, "项目建设", "任务二", "验收"]]
    assert sheet.merged_origin(3, 1) == (2, 1)
    assert sheet.merged_origin(2, 3) is None


def test_a_merged_range_beyond_the_data_is_clipped_to_the_rows_read():
    def build(sheet):
        sheet.append(["代码", "名称"])
        sheet.append(["370115", "济阳区"])
        sheet.merge_cells("A2:A5000")

    sheet = read_sheets(_xlsx(build), "a.xlsx")[0]
    assert sheet.rows == [["代码", "名称"], ["370115", "济阳区"]]
    assert sheet.merged == [(1, 0, 1, 0)]


def test_a_csv_written_by_the_export_reads_back_without_the_formula_guard():
    from luoshi.core.exports import Export

    class Names(Export):
        headers = ["名称", "备注"]

        def rows(self):
            yield ["=HYPERLINK(\"x\")", "-5%"]
            yield ["'引号开头", "@某人"]

    _, _, data = Names().render("csv")
    sheet = read_sheets(data, "names.csv")[0]
    assert sheet.rows == [["名称", "备注"], ["=HYPERLINK(\"x\")", "-5%"], ["'引号开头", "@某人"]]
