"""方案 documents built in the tests, in each shape offices publish them (issue #25, DOMAIN.md §7)."""

import io
from datetime import datetime

import docx
import openpyxl


def _bytes(document):
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_table(rows, title="济阳区2026年政府工作报告重点任务分解方案", header=("序号", "重点工作任务", "主要责任单位", "协同配合单位"),
               preface=True):
    """A Word table: `rows` are lists of cell texts (a list inside a cell: stacked paragraphs) or a plain string, a
    section row merged across the table."""
    document = docx.Document()
    document.add_paragraph(title)
    if preface:
        document.add_paragraph("为确保政府工作报告确定的各项任务落到实处，现将重点任务分解如下：")
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            merged.text = row
            continue
        for cell, value in zip(cells, row):
            if isinstance(value, list):
                cell.text = value[0]
                for more in value[1:]:
                    cell.add_paragraph(more)
            else:
                cell.text = value
    document.add_paragraph("各牵头单位要切实担负起牵头责任，认真按照时间表、路线图抓推进。")
    return _bytes(document)


def word_paragraphs(lines, title="2026年政府工作要点任务分解"):
    """A Word document of paragraphs, one per line as given."""
    document = docx.Document()
    document.add_paragraph(title)
    for line in lines:
        document.add_paragraph(line)
    return _bytes(document)


def excel_ledger(rows, title="济阳区2026年政府工作报告重点任务落实台账",
                 header=("序号", "重点任务", "牵头单位", "责任单位", "责任领导", "完成时限")):
    """An .xlsx ledger: a title row merged across, the header, `rows` (a string: a section row merged across)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    width = len(header)
    sheet.append([title] + [None] * (width - 1))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(list(header))
    for row in rows:
        if isinstance(row, str):
            sheet.append([row] + [None] * (width - 1))
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
        else:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The shapes, each as a published 方案 of 济阳区 might read (the cast's units: 发改局, 统计局, 商务局, 财政局, 济阳街道,
# 曲堤镇, 督查室).

TABLE_ROWS = [
    "一、着力扩大有效需求",
    ["1", "实施重大项目攻坚行动，2026年10月底前完成年度投资计划。", ["区发展和改革局", "区财政局"], "各镇（街道）"],
    ["2", "开展消费提振年活动，6月底前出台促消费政策措施，年底前社会消费品零售总额增长6%。", "区商务局", "区统计局、区财政局"],
    "二、持续优化营商环境",
    ["3", "深化“一网通办”改革，持续推进政务服务标准化。", "区发改局\n济阳街道", ""],
]

PARAGRAPH_LINES = [
    "一、加快现代化产业体系建设",
    "（一）壮大实体经济",
    "1. 实施工业倍增计划，新增规模以上工业企业20家。",
    "牵头单位：区发改局",
    "责任单位：区商务局、区财政局",
    "协同责任单位：各镇（街道）",
    "牵头负责领导：王晓明区长",
    "完成时限：2026年12月底前",
    "2. 推进统计数据质量提升。",
    "责任单位：区统计局、区发展和改革局",
    "配合单位：督查室",
    "完成时限：9月底前",
    "（二）扩大对外开放",
    "3. 稳外贸稳外资，实际使用外资增长10%。牵头单位：区商务局；完成时限：长期坚持",
]

LEADER_LINES = [
    "一、王晓明区长牵头重点工作",
    "1. 推进城市更新，年内完成老旧小区改造10个。",
    "牵头单位：区财政局",
    "完成时限：年底前",
    "2. 实施财源建设工程。",
    "责任单位：区财政局、区商务局",
    "完成时限：6月底前",
    "二、李四副区长牵头重点工作",
    "3. 持续开展招商引资“双招双引”攻坚。",
    "牵头单位：区商务局",
    "完成时限：持续推进",
]

POINTS_LINES = [
    "深化“放管服”改革。2026年10月底前完成企业开办全程网办，6月底前实现“一业一证”全覆盖。"
    "（区发改局牵头，区财政局、区商务局按职责分工负责）",
    "加强统计监测分析，持续推进统计现代化改革。（区统计局牵头，各街道配合）",
    "健全督查督办机制，年底前建成督查督办信息平台。（督查室牵头）",
]

LEDGER_ROWS = [
    "一、稳增长",
    ["1", "地区生产总值增长6.5%左右", "区发改局", "区统计局", "王晓明", "2026年12月"],
    ["2", "一般公共预算收入增长5%", "区财政局", "各镇（街道）", "王晓明", "9月底前"],
    "二、惠民生",
    ["3", "新建城市书房5处", "", "济阳街道、曲堤镇", "", datetime(2026, 11, 30)],
]
