"""Every shape the issue lists (#25), two variants each, read through to the CLI contract (`luoshi work import-plan
--dry-run --json`: lead units' and other units' codes, leader, due): the documents are built here, the expectations
computed by hand from the cast (发改局 D01, 统计局 D02, 商务局 D03, 财政局 D04, 督查室 B03, 济阳街道 001 and 曲堤镇 101,
the district's only township units: 各镇（街道） is both, 各街道 济阳街道 alone). A due is the latest date the item
gives (its deadline, else the dated clauses of its text); 长期坚持 / 持续推进 have quarterly nodes, due 31 December."""

import io

import docx
import pytest

from luoshi.breakdown import services
from tests.breakdown import documents as d

pytestmark = pytest.mark.django_db

D01, D02, D03, D04, B03, JIYANG, QUDI = ("370115D01", "370115D02", "370115D03", "370115D04", "370115B03", "370115001",
                                         "370115101")
TOWNSHIPS = [JIYANG, QUDI]


def contract(cast, data, name):
    result = services.import_document(None, data=data, filename=name, region=cast.jiyang, year=2026, dry_run=True)
    assert result["problems"] == [] and result["saved"] is False
    return [(t["section"], t["number"], t["lead_units"], t["units"], t["leader"], t["due"]) for t in result["tasks"]]


# --- a Word table: sections merged across, several lead units stacked in one cell ---------------------------------

def test_word_table_stacked_as_paragraphs(cast, march_20):
    assert contract(cast, d.word_table(d.TABLE_ROWS), "方案.docx") == [
        ("一、着力扩大有效需求", "1", [D01, D04], TOWNSHIPS, None, "2026-10-31"),  # 2026年10月底前 in the text
        ("一、着力扩大有效需求", "2", [D03], [D02, D04], None, "2026-12-31"),  # 6月底前 and 年底前: the later
        ("二、持续优化营商环境", "3", [D01, JIYANG], [], None, "2026-12-31"),  # 持续推进: quarterly
    ]


def word_table_with_breaks():
    document = docx.Document()
    document.add_paragraph("关于印发2026年政府工作报告重点任务分解方案的通知")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("序号", "重点工作任务（共2项）", "牵头单位", "配合单位", "完成时限")):
        cell.text = text
    row = table.add_row().cells
    row[0].merge(row[-1]).text = "一、稳定经济增长"
    first = table.add_row().cells
    first[0].text, first[1].text, first[3].text, first[4].text = "1", "推进重点项目建设", "各镇（街道）", "9月底前"
    run = first[2].paragraphs[0].add_run("区商务局")
    run.add_break()  # one paragraph, the second unit after a line break (Shift+Enter)
    first[2].paragraphs[0].add_run("区统计局")
    second = table.add_row().cells
    for cell, text in zip(second, ("2", "盘活存量资产", "区财政局", "济阳街道", "2026年11月30日前")):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_table_stacked_by_line_breaks_in_one_paragraph_and_a_deadline_column(cast, march_20):
    assert contract(cast, word_table_with_breaks(), "方案.docx") == [
        ("一、稳定经济增长", "1", [D03, D02], TOWNSHIPS, None, "2026-09-30"),
        ("一、稳定经济增长", "2", [D04], [JIYANG], None, "2026-11-30"),
    ]


# --- numbered paragraphs, each followed by labelled lines ----------------------------------------------------------

def test_numbered_paragraphs_with_labelled_lines(cast, march_20):
    assert contract(cast, d.word_paragraphs(d.PARAGRAPH_LINES), "要点.docx") == [
        ("（一）壮大实体经济", "1", [D01], [D03, D04] + TOWNSHIPS, "王晓明", "2026-12-31"),
        ("（一）壮大实体经济", "2", [D02], [D01, B03], None, "2026-09-30"),  # the first 责任单位 leads
        ("（二）扩大对外开放", "3", [D03], [], None, "2026-12-31"),  # 长期坚持: quarterly
    ]


def test_numbered_paragraphs_with_other_labels_inline_labels_and_the_first_responsible_unit_leading(cast, march_20):
    lines = ["一、扩大有效投资", "1. 实施城市更新行动。", "牵头单位：区商务局", "协同配合单位：区统计局", "完成时间：2026年8月底前",
             "2. 开展招商引资专项行动。牵头单位：区财政局；责任单位：济阳街道；完成时限：11月底前",
             "二、保障改善民生", "3. 新建城市书房5处。", "责任单位：曲堤镇、济阳街道", "牵头负责领导：王晓明副区长", "完成时限：年底前"]
    assert contract(cast, d.word_paragraphs(lines), "分解.docx") == [
        ("一、扩大有效投资", "1", [D03], [D02], None, "2026-08-31"),
        ("一、扩大有效投资", "2", [D04], [JIYANG], None, "2026-11-30"),
        ("二、保障改善民生", "3", [QUDI], [JIYANG], "王晓明", "2026-12-31"),
    ]


# --- tasks under a leader's heading -----------------------------------------------------------------------------

def test_tasks_under_leaders_headings(cast, march_20):
    assert contract(cast, d.word_paragraphs(d.LEADER_LINES), "分工.docx") == [
        ("一、王晓明区长牵头重点工作", "1", [D04], [], "王晓明", "2026-12-31"),
        ("一、王晓明区长牵头重点工作", "2", [D04], [D03], "王晓明", "2026-06-30"),
        ("二、李四副区长牵头重点工作", "3", [D03], [], "李四", "2026-12-31"),  # 持续推进: quarterly
    ]


def test_tasks_numbered_one_level_down_under_leaders_headings(cast, march_20):
    lines = ["一、王晓明区长牵头重点工作", "（一）推进财源建设。", "责任单位：区财政局、区统计局", "完成时限：三季度末",
             "（二）扩大对外贸易。", "牵头单位：区商务局", "完成时限：10月底前",
             "二、张三副区长牵头重点工作", "（三）推进街道社区治理。", "牵头单位：济阳街道", "完成时限：2026年6月底前"]
    assert contract(cast, d.word_paragraphs(lines), "分工.docx") == [
        ("一、王晓明区长牵头重点工作", "（一）", [D04], [D02], "王晓明", "2026-09-30"),
        ("一、王晓明区长牵头重点工作", "（二）", [D03], [], "王晓明", "2026-10-31"),
        ("二、张三副区长牵头重点工作", "（三）", [JIYANG], [], "张三", "2026-06-30"),
    ]


# --- 工作要点: units in a trailing parenthesis, the deadline in the text -------------------------------------------

def test_work_points_with_trailing_units(cast, march_20):
    assert contract(cast, d.word_paragraphs(d.POINTS_LINES), "要点.docx") == [
        ("", "1", [D01], [D04, D03], None, "2026-10-31"),  # 2026年10月底前 and 6月底前: the later
        ("", "2", [D02], [JIYANG], None, "2026-12-31"),  # 各街道: 济阳街道 alone; 持续推进: quarterly
        ("", "3", [B03], [], None, "2026-12-31"),  # 年底前
    ]


def test_numbered_work_points_with_cooperating_units_and_units_sharing_the_work(cast, march_20):
    lines = ["1. 9月底前建成智慧商圈，年底前社会消费品零售总额增长6%。（区商务局牵头，济阳街道、曲堤镇配合）",
             "2. 2026年11月底前完成全区经济普查数据处理工作（区统计局、区财政局按职责分工负责）"]
    assert contract(cast, d.word_paragraphs(lines), "要点.docx") == [
        ("", "1", [D03], [JIYANG, QUDI], None, "2026-12-31"),
        ("", "2", [D02], [D04], None, "2026-11-30"),  # no 牵头: the first responsible unit leads
    ]


# --- an Excel ledger: a title row, sections merged across, text deadlines ------------------------------------------

def test_excel_ledger(cast, march_20):
    assert contract(cast, d.excel_ledger(d.LEDGER_ROWS), "台账.xlsx") == [
        ("一、稳增长", "1", [D01], [D02], "王晓明", "2026-12-31"),  # 2026年12月
        ("一、稳增长", "2", [D04], TOWNSHIPS, "王晓明", "2026-09-30"),
        ("二、惠民生", "3", [JIYANG], [QUDI], None, "2026-11-30"),  # a date cell; no 牵头: the first 责任单位 leads
    ]


def test_excel_ledger_with_the_word_tables_columns_and_units_stacked_in_a_cell(cast, march_20):
    rows = ["一、项目建设", [1, "重点项目开工率达到90%", "区发展和改革局", "区统计局、济阳街道", "2026年12月"],
            [2, "完成财政预算执行审计", "区财政局", None, "9月底前"],
            "二、民生保障", [3, "新增城镇就业2000人", "区商务局\n区统计局", "曲堤镇", "6月底前"]]
    data = d.excel_ledger(rows, header=("序号", "重点工作任务", "主要责任单位", "协同配合单位", "完成时限"))
    assert contract(cast, data, "台账.xlsx") == [
        ("一、项目建设", "1", [D01], [D02, JIYANG], None, "2026-12-31"),
        ("一、项目建设", "2", [D04], [], None, "2026-09-30"),
        ("二、民生保障", "3", [D03, D02], [QUDI], None, "2026-06-30"),
    ]

