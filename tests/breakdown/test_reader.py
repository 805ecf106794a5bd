"""The one reader over every shape a 方案 is published in (issue #25): documents built here, items hand-computed."""

from datetime import datetime

import docx

from luoshi.breakdown.document import read_blocks
from luoshi.breakdown.reader import read
from tests.breakdown import documents as d


def items_of(data, name):
    items, problems = read(read_blocks(data, name))
    assert problems == []
    return items


def short(item):
    return (item["section"], item["number"], item["title"], item["lead"], item["responsible"], item["cooperating"],
            item["leader"], item["deadline"])


def test_a_word_table_with_merged_section_rows_and_stacked_lead_units_reads_each_row_as_an_item():
    items = items_of(d.word_table(d.TABLE_ROWS), "方案.docx")
    assert [short(i) for i in items] == [
        ("一、着力扩大有效需求", "1", "实施重大项目攻坚行动，2026年10月底前完成年度投资计划。",
         ["区发展和改革局", "区财政局"], [], ["各镇（街道）"], "", ""),
        ("一、着力扩大有效需求", "2", "开展消费提振年活动，6月底前出台促消费政策措施，年底前社会消费品零售总额增长6%。",
         ["区商务局"], [], ["区统计局", "区财政局"], "", ""),
        ("二、持续优化营商环境", "3", "深化“一网通办”改革，持续推进政务服务标准化。", ["区发改局", "济阳街道"], [], [], "", ""),
    ]
    assert items[0]["where"] == "表格1第3行"
    assert items[0]["text"] == "1｜实施重大项目攻坚行动，2026年10月底前完成年度投资计划。｜区发展和改革局\n区财政局｜各镇（街道）"


def test_a_word_table_in_another_column_order_with_a_leader_section_and_a_table_split_by_a_page_break():
    header = ("序号", "重点任务", "责任单位", "完成时限", "责任领导")
    document = docx.Document()
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    row = table.add_row().cells
    merged = row[0].merge(row[-1])
    merged.text = "一、王晓明区长牵头重点工作"
    for values in (["1", "建设智慧城市大脑", "区财政局、区发改局（牵头）", "9月底前", ""],
                   ["2", "推进数字政府建设", "区统计局\n区商务局", "2026年12月", "李四副区长"]):
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value
    document.add_paragraph("（续表）")
    second = document.add_table(rows=1, cols=5)
    for cell, value in zip(second.rows[0].cells, ["3", "提升城市管理水平", "济阳街道", "年底前", ""]):
        cell.text = value
    items = items_of(d._bytes(document), "方案.docx")
    assert [short(i) for i in items] == [
        ("一、王晓明区长牵头重点工作", "1", "建设智慧城市大脑", ["区发改局"], ["区财政局"], [], "王晓明", "9月底前"),
        ("一、王晓明区长牵头重点工作", "2", "推进数字政府建设", ["区统计局"], ["区商务局"], [], "李四", "2026年12月"),
        ("", "3", "提升城市管理水平", ["济阳街道"], [], [], "", "年底前"),
    ]
    assert items[2]["where"] == "表格2第1行"


def test_numbered_paragraphs_with_labelled_lines_read_each_label_into_its_field():
    items = items_of(d.word_paragraphs(d.PARAGRAPH_LINES), "要点.docx")
    assert [short(i) for i in items] == [
        ("（一）壮大实体经济", "1", "实施工业倍增计划，新增规模以上工业企业20家。", ["区发改局"], ["区商务局", "区财政局"],
         ["各镇（街道）"], "王晓明", "2026年12月底前"),
        ("（一）壮大实体经济", "2", "推进统计数据质量提升。", ["区统计局"], ["区发展和改革局"], ["督查室"], "", "9月底前"),
        ("（二）扩大对外开放", "3", "稳外贸稳外资，实际使用外资增长10%。", ["区商务局"], [], [], "", "长期坚持"),
    ]
    assert items[0]["where"] == "第4段"
    assert items[0]["text"] == ("1. 实施工业倍增计划，新增规模以上工业企业20家。\n牵头单位：区发改局\n责任单位：区商务局、区财政局\n"
                                "协同责任单位：各镇（街道）\n牵头负责领导：王晓明区长\n完成时限：2026年12月底前")


def test_paragraphs_numbered_one_level_up_with_several_labels_on_one_line_and_a_preface_left_out():
    lines = ["一、总体要求", "深入贯彻落实区委经济工作会议精神。", "二、重点任务",
             "（一）实施项目攻坚。", "牵头单位：区发改局  责任单位：区财政局；区商务局  完成时限：6月30日前",
             "（二）开展统计执法检查", "责任单位：区统计局", "完成时间：三季度末", "三、保障措施", "各单位要加强领导。"]
    items = items_of(d.word_paragraphs(lines), "要点.docx")
    assert [short(i) for i in items] == [
        ("二、重点任务", "（一）", "实施项目攻坚。", ["区发改局"], ["区财政局", "区商务局"], [], "", "6月30日前"),
        ("二、重点任务", "（二）", "开展统计执法检查", ["区统计局"], [], [], "", "三季度末"),
    ]


def test_tasks_under_a_leaders_heading_take_the_leader_from_it():
    items = items_of(d.word_paragraphs(d.LEADER_LINES), "分工.docx")
    assert [(i["section"], i["number"], i["leader"], i["lead"], i["responsible"], i["deadline"]) for i in items] == [
        ("一、王晓明区长牵头重点工作", "1", "王晓明", ["区财政局"], [], "年底前"),
        ("一、王晓明区长牵头重点工作", "2", "王晓明", ["区财政局"], ["区商务局"], "6月底前"),
        ("二、李四副区长牵头重点工作", "3", "李四", ["区商务局"], [], "持续推进"),
    ]


def test_a_named_leader_line_wins_over_the_heading_and_a_plain_heading_ends_the_leaders_group():
    lines = ["一、张三同志常务副区长牵头重点工作", "1. 推进国企改革。", "牵头单位：区财政局", "牵头负责领导：李四副区长",
             "2. 盘活闲置资产。", "牵头单位：区财政局", "二、其他重点工作", "3. 开展安全生产大检查。", "牵头单位：区商务局"]
    items = items_of(d.word_paragraphs(lines), "分工.docx")
    assert [(i["section"], i["number"], i["leader"]) for i in items] == [
        ("一、张三同志常务副区长牵头重点工作", "1", "李四"),
        ("一、张三同志常务副区长牵头重点工作", "2", "张三"),
        ("二、其他重点工作", "3", ""),
    ]


def test_work_points_with_units_in_a_trailing_parenthesis_and_the_deadline_inside_the_text():
    items = items_of(d.word_paragraphs(d.POINTS_LINES), "要点.docx")
    assert [short(i) for i in items] == [
        ("", "1", "深化“放管服”改革。2026年10月底前完成企业开办全程网办，6月底前实现“一业一证”全覆盖。", ["区发改局"],
         ["区财政局", "区商务局"], [], "", ""),
        ("", "2", "加强统计监测分析，持续推进统计现代化改革。", ["区统计局"], [], ["各街道"], "", ""),
        ("", "3", "健全督查督办机制，年底前建成督查督办信息平台。", ["督查室"], [], [], "", ""),
    ]
    assert items[0]["text"] == d.POINTS_LINES[0]


def test_numbered_work_points_with_a_nested_parenthesis_and_one_that_names_no_units():
    lines = ["1. 实施乡村振兴“十百千”工程，9月底前完成示范村创建（区农业农村局牵头，各镇（街道）配合）。",
             "2. 修订《招商引资优惠政策（试行）》，6月底前印发。（区商务局、区财政局负责）"]
    items = items_of(d.word_paragraphs(lines), "要点.docx")
    assert [short(i) for i in items] == [
        ("", "1", "实施乡村振兴“十百千”工程，9月底前完成示范村创建", ["区农业农村局"], [], ["各镇（街道）"], "", ""),
        ("", "2", "修订《招商引资优惠政策（试行）》，6月底前印发。", ["区商务局"], ["区财政局"], [], "", ""),
    ]


def test_an_excel_ledger_with_a_title_row_merged_sections_and_text_deadlines():
    items = items_of(d.excel_ledger(d.LEDGER_ROWS), "台账.xlsx")
    assert [short(i) for i in items] == [
        ("一、稳增长", "1", "地区生产总值增长6.5%左右", ["区发改局"], ["区统计局"], [], "王晓明", "2026年12月"),
        ("一、稳增长", "2", "一般公共预算收入增长5%", ["区财政局"], ["各镇（街道）"], [], "王晓明", "9月底前"),
        ("二、惠民生", "3", "新建城市书房5处", ["济阳街道"], ["曲堤镇"], [], "", "2026-11-30"),
    ]
    assert items[0]["where"] == "工作表「台账」第4行"


def test_an_excel_ledger_with_a_category_column_and_cooperating_units_and_no_title_row():
    book = d.openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务"
    sheet.append(["类别", "序号", "工作任务", "牵头单位", "配合单位", "完成时限"])
    sheet.append(["稳增长", 1, "规上工业增加值增长7%", "区发改局", "区统计局、区财政局", "长期坚持"])
    sheet.append(["惠民生", 2, "新增城镇就业3000人", "区财政局", "", datetime(2026, 12, 31)])
    import io

    out = io.BytesIO()
    book.save(out)
    items = items_of(out.getvalue(), "台账.xlsx")
    assert [short(i) for i in items] == [
        ("稳增长", "1", "规上工业增加值增长7%", ["区发改局"], [], ["区统计局", "区财政局"], "", "长期坚持"),
        ("惠民生", "2", "新增城镇就业3000人", ["区财政局"], [], [], "", "2026-12-31"),
    ]


def test_a_document_that_is_no_plan_finds_no_item_and_says_so():
    items, problems = read(read_blocks(d.word_paragraphs(["关于召开会议的通知", "请各单位准时参加。"]), "通知.docx"))
    assert items == []
    assert problems[0].startswith("没有找到任何任务")


def test_an_item_without_any_unit_is_read_with_a_note():
    lines = ["1. 开展营商环境评价。", "完成时限：年底前", "2. 推进项目建设。", "牵头单位：区发改局"]
    items = items_of(d.word_paragraphs(lines), "要点.docx")
    assert [(i["number"], i["notes"]) for i in items] == [("1", ["没有牵头单位或责任单位"]), ("2", [])]
