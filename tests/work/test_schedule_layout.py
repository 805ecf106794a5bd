"""The 配档表 as offices send it: title rows above the header, merged 攻坚战 / 重点任务 / unit cells, optional columns
left out; and hostile cells (names longer than their column, dates that are not real or far off) as row errors."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from luoshi.core.problems import Rejected
from luoshi.work.models import Campaign, Milestone, Task, TaskRole
from luoshi.work.transfers import import_schedule
from tests.work.test_transfers import row, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]

# No 配合单位, 责任领导, 实际完成日期 or 完成情况 column; columns in the office's own order.
HEADER = ["序号", "攻坚战", "重点任务", "节点", "牵头单位", "责任单位", "开始日期", "完成时限", "3月", "4月", "5月", "6月"]


def office_workbook(rows, merges=()):
    """济阳区's 配档表 as sent: two title rows (merged across the table), the header on row 3, then `rows` from row 4;
    `merges` are ranges such as "B4:B8"."""
    book = Workbook()
    sheet = book.active
    sheet.title = "配档表"
    sheet.append(["济阳区2020年重点工作配档表"])
    sheet.append(["填报单位：区委区政府督查室（盖章）", None, None, None, None, None, "日期：2020年3月1日"])
    sheet.merge_cells("A1:L1")
    sheet.merge_cells("A2:F2")
    sheet.append(HEADER)
    for r in rows:
        sheet.append(r)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Rows 4–8: 双招双引 merged over B4:B8; task 1's title merged over its task row and milestone rows (C4:C6), its lead
# and responsible units likewise (E4:E6, F4:F6); task 2 with its milestones in rows 7–8. Row 9: 合村并点.
OFFICE_ROWS = [
    ["1", "双招双引", "招商引资项目签约", None, "区商务局", "济阳街道、财政局", date(2020, 3, 1), date(2020, 6, 30), "●", "●", "●", "●"],
    ["1.1", None, None, "完成项目洽谈", None, None, date(2020, 3, 1), date(2020, 4, 30), "●", "●", None, None],
    ["1.2", None, None, "签订合作协议", None, None, None, date(2020, 5, 1), None, None, "●", None],
    ["2.1", None, "外资企业走访", "走访重点外资企业", "商务局", None, date(2020, 3, 2), date(2020, 3, 31), "●", None, None, None],
    ["2.2", None, None, "形成走访报告", None, None, None, date(2020, 4, 15), None, "●", None, None],
    ["3", "合村并点", "合村并点安置区建设", None, "区财政局", None, "2020-02-01", "2020-12-31", None, None, None, None],
]
OFFICE_MERGES = ["B4:B8", "C4:C6", "E4:E6", "F4:F6", "C7:C8"]


def test_a_schedule_as_offices_send_it_imports_as_laid_out(cast):
    summary = import_schedule(office_workbook(OFFICE_ROWS, OFFICE_MERGES), filename="济阳区配档表.xlsx", actor=cast.li_ducha)
    assert "已导入 3 项重点任务、4 个节点" in summary
    assert list(Campaign.objects.values_list("name", flat=True)) == ["双招双引", "合村并点"]
    t1 = Task.objects.get(number="1")
    assert (t1.campaign.name, t1.title, t1.lead_unit, t1.leader_name) == ("双招双引", "招商引资项目签约", cast.units.shangwu, "")
    assert {(tu.unit, tu.role) for tu in t1.task_units.all()} == {
        (cast.units.shangwu, TaskRole.LEAD), (cast.units.town, TaskRole.RESPONSIBLE), (cast.units.caizheng, TaskRole.RESPONSIBLE)}
    assert list(t1.milestones.values_list("number", "title", "due", "planned_months")) == [
        ("1.1", "完成项目洽谈", date(2020, 4, 30), [3, 4]), ("1.2", "签订合作协议", date(2020, 5, 1), [5])]
    # A task without a task row, its milestones under a merged title: number from the milestones, in the merged campaign.
    t2 = Task.objects.get(title="外资企业走访")
    assert (t2.number, t2.campaign.name, t2.lead_unit, t2.start, t2.deadline) == (
        "2", "双招双引", cast.units.shangwu, date(2020, 3, 2), date(2020, 4, 15))
    assert list(t2.milestones.values_list("title", flat=True)) == ["走访重点外资企业", "形成走访报告"]
    t3 = Task.objects.get(number="3")
    assert (t3.campaign.name, t3.lead_unit, t3.milestones.count()) == ("合村并点", cast.units.caizheng, 0)


def test_problems_in_a_schedule_with_title_rows_name_the_sheets_own_rows(cast):
    rows = [list(r) for r in OFFICE_ROWS]
    rows[2][7] = "五月初"  # row 6
    rows[5][4] = "区招商局"  # row 9
    with pytest.raises(Rejected) as info:
        import_schedule(office_workbook(rows, OFFICE_MERGES), filename="配档表.xlsx", actor=cast.li_ducha)
    assert info.value.messages == [
        "工作表「配档表」第6行「完成时限」列：无法识别的日期「五月初」，请写成 2020-03-31 的形式",
        "工作表「配档表」第9行「牵头单位」列：未知的单位「区招商局」（请填写系统中的单位名称、简称或代码）",
        "工作表「配档表」第9行「牵头单位」列：重点任务「合村并点安置区建设」没有牵头单位"]
    assert not Task.objects.exists() and not Campaign.objects.exists()


def test_a_sheet_without_the_header_names_the_missing_columns(cast):
    book = Workbook()
    book.active.title = "配档表"
    book.active.append(["济阳区2020年重点工作配档表"])
    book.active.append(["序号", "攻坚战", "重点任务", "节点", "牵头单位", "开始日期", "完成时限"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(Rejected) as info:
        import_schedule(buffer.getvalue(), filename="配档表.xlsx")
    assert info.value.messages == ["工作表「配档表」第2行：缺少必需的列「责任单位」"]


def test_names_longer_than_their_column_are_row_errors_and_nothing_is_saved(cast):
    rows = [row("1", task="长" * 301), row("2", task="任务二"), row("2.1", task="任务二", milestone="节" * 301, lead=""),
            row("3", task="任务三", lead="单" * 101), row("4", task="任务四", campaign="攻" * 101),
            row("5" * 21, task="任务五")]
    with pytest.raises(Rejected) as info:
        import_schedule(xlsx(rows), filename="配档表.xlsx")
    assert info.value.messages == [
        "工作表「配档表」第2行「重点任务」列：重点任务过长（301 个字，最多 300 个字）",
        "工作表「配档表」第4行「节点」列：节点过长（301 个字，最多 300 个字）",
        "工作表「配档表」第5行「牵头单位」列：单位名称过长（101 个字，最多 100 个字）",
        "工作表「配档表」第5行「牵头单位」列：重点任务「任务三」没有牵头单位",
        "工作表「配档表」第6行「攻坚战」列：攻坚战过长（101 个字，最多 100 个字）",
        "工作表「配档表」第7行「序号」列：序号过长（21 个字，最多 20 个字）"]
    assert not Task.objects.exists() and not Milestone.objects.exists()


@pytest.mark.parametrize("cell,message", [
    ("1999-12-31", "日期 1999-12-31 超出范围（应在 2000 年至 2100 年之间）"),
    ("2101-01-01", "日期 2101-01-01 超出范围（应在 2000 年至 2100 年之间）"),
    (date(1900, 1, 1), "日期 1900-01-01 超出范围（应在 2000 年至 2100 年之间）"),
    ("2020-02-30", "无法识别的日期「2020-02-30」，请写成 2020-03-31 的形式"),
    ("9999-99-99", "无法识别的日期「9999-99-99」，请写成 2020-03-31 的形式"),
])
def test_dates_must_be_real_and_between_2000_and_2100(cast, cell, message):
    with pytest.raises(Rejected) as info:
        import_schedule(xlsx([row("1", due=cell)]), filename="配档表.xlsx")
    assert f"工作表「配档表」第2行「完成时限」列：{message}" in info.value.messages
    assert not Task.objects.exists()
