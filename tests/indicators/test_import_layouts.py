"""Files as offices send them: title rows above the header, merged cells."""

from decimal import Decimal

import pytest

from luoshi.core.problems import Rejected
from luoshi.indicators.models import Figure, Target
from luoshi.indicators.transfers import import_indicators, import_targets
from tests.indicators.conftest import write

HEADER = ["地区代码", "地区名称", "指标代码", "指标名称", "单位", "期间", "累计值", "同比增长(%)"]
TARGET_HEADER = ["地区代码", "指标代码", "年度", "目标值", "目标增速(%)", "单位"]


def test_long_template_with_title_rows_above_the_header_is_read(tmp_path, city):
    path = write(tmp_path / "f.xlsx", [["济阳区主要经济指标（2020年1-3月）"], ["填报单位：区统计局", None, None, None, "日期：2020-04-10"],
                                       [], HEADER,
                                       ["370115", "济阳区", "fdi", "实际利用外资", "万美元", "2020年1-3月", "2000", "35.2"]])
    import_indicators(path, filename=str(path))
    assert Figure.objects.get().value == Decimal(2000)


def test_a_problem_below_title_rows_names_the_row_as_the_sheet_shows_it(tmp_path, city):
    path = write(tmp_path / "f.csv", [["济阳区主要经济指标"], HEADER,
                                      ["370199", "", "fdi", "", "万美元", "2020年1-3月", "2000", ""]])
    with pytest.raises(Rejected) as info:
        import_indicators(path, filename=str(path))
    assert info.value.messages == ["工作表「f」第3行「地区代码」列：未知的地区代码「370199」"]


def test_targets_with_a_title_row_are_read(tmp_path, city):
    path = write(tmp_path / "t.xlsx", [["2020年度目标"], TARGET_HEADER, ["370115", "gdp", 2020, 300, 6, "亿元"]])
    assert "新增 1" in import_targets(path, filename=str(path))
    assert Target.objects.get().value == Decimal(300)


def test_a_bulletin_with_a_merged_title_row_and_merged_indicator_headers_is_read(tmp_path, city):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "2020年1-6月"
    sheet.append(["2020年1-6月全市主要经济指标"])
    sheet.append(["地区", "地区生产总值（亿元）", None])
    sheet.append([None, "累计", "增长%"])
    sheet.append(["济阳区", 300, 5.1])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("A2:A3")
    path = tmp_path / "b.xlsx"
    book.save(path)
    import_indicators(path, filename=str(path))
    figure = Figure.objects.get()
    assert (figure.value, figure.growth) == (Decimal(300), Decimal("5.1"))
