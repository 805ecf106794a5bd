"""The 通报 of a plan's month or quarter as a .docx in 公文 style, laid out as the other Word writers do
(supervision/consequences/documents.py, briefings/pack/word.py: A4, the 发文机关标志 in red 方正小标宋简体 over a red rule,
the title in 小标宋 2号, the body in 仿宋_GB2312 3号 with 28 pt lines and two-character indents, headings 黑体, fallbacks
named in the font table, page numbers "— N —"). Those modules' helpers are their own; the few needed are restated
here. Every text a person wrote (titles of items, unit names) goes through core.text.for_documents; python-docx writes
it as text, so a "<" stays a "<" and an "=" is no formula."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from luoshi.core import wording
from luoshi.core.text import for_documents

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei"}
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
RED = RGBColor(0xC0, 0x00, 0x00)
PARTS = "一二三四五六七八九十"


def _fonts(run, font=BODY_FONT, size=SIZE_3, bold=False, color=None):
    run.font.size, run.font.bold, run.font.name = size, bold, "Times New Roman"
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _para(doc, text="", font=BODY_FONT, size=SIZE_3, bold=False, align=None, indent=True, space_after=0, color=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28) if size >= SIZE_3 else None
    fmt.space_after = Pt(space_after)
    if indent and align is None:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        p.alignment = align
    if text:
        _fonts(p.add_run(for_documents(text)), font, size, bold, color)
    return p


def _font_table(doc):
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            root = parse_xml(part.blob)
            for name, alt in FALLBACKS.items():
                font = OxmlElement("w:font")
                font.set(qn("w:name"), name)
                alt_name = OxmlElement("w:altName")
                alt_name.set(qn("w:val"), alt)
                font.append(alt_name)
                charset = OxmlElement("w:charset")
                charset.set(qn("w:val"), "86")
                font.append(charset)
                root.append(font)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            return


def _page_numbers(section):
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run("— "), "宋体", SIZE_4)
    run = p.add_run()
    _fonts(run, "宋体", SIZE_4)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = "1"
            run._r.append(t)
    _fonts(p.add_run(" —"), "宋体", SIZE_4)


def _new_document():
    doc = Document()
    _font_table(doc)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_numbers(section)
    return doc


def _red_line(doc):
    p = doc.add_paragraph()
    borders, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "1"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def _cell(cell, text, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    p = cell.paragraphs[0]
    p.alignment = align
    _fonts(p.add_run(for_documents(str(text))), HEADING_FONT if bold else BODY_FONT, SIZE_5, bold)


def office_name(region):
    return f"{region.name}督查室"


UNIT_HEADERS = ["序号", "牵头单位", "事项数", "达到序时进度", "未达序时进度", "其中逾期", "已销号"]


def unit_table_rows(bulletin):
    rows = [[n, u["name"], u["items"], u["reached"], u["not_reached"], u["overdue"], u["closed"]]
            for n, u in enumerate(bulletin.units, start=1)]
    t = bulletin.totals
    return rows + [["", "合计", t["items"], t["reached"], t["not_reached"], t["overdue"], t["closed"]]]


def summary_sentence(bulletin):
    t = bulletin.totals
    return (f"截至{wording.day(bulletin.as_of)}，{bulletin.plan.region.name}{bulletin.plan.year}年政府工作报告确定的"
            f"{t['items']}项重点任务中，已销号{t['closed']}项（本期销号{len(bulletin.closed_in_period)}项），"
            f"达到序时进度{t['reached']}项，未达序时进度{t['not_reached']}项，其中逾期未完成{t['overdue']}项。")


def _item_line(i, row):
    return f"{i}．{row.item.number or row.item.task.number} {row.item.title}（牵头单位：{row.unit}）"


def bulletin_docx(bulletin, day) -> bytes:
    region = bulletin.plan.region
    doc = _new_document()
    _para(doc, office_name(region), TITLE_FONT, Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, space_after=12)
    _para(doc, f"{bulletin.period.label}", BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_line(doc)
    _para(doc, indent=False)
    _para(doc, bulletin.title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _para(doc, "各镇（街道），区直各部门：", indent=False)
    _para(doc, f"为紧紧抓好政府工作要点事项的落实，{office_name(region)}对{bulletin.period.label}政府工作报告重点任务落实情况"
               f"进行了调度。现将有关情况通报如下。")
    count = [0]

    def part(text):
        count[0] += 1
        _para(doc, f"{PARTS[count[0] - 1]}、{text}", HEADING_FONT, SIZE_3, space_after=6)

    part("总体情况")
    _para(doc, summary_sentence(bulletin))
    part("已销号事项")
    closed = bulletin.closed_in_period
    if not closed:
        _para(doc, "本期无。")
    for n, row in enumerate(closed, start=1):
        _para(doc, _item_line(n, row) + f"，{wording.day(row.closed_on)}销号。")
    part("逾期未完成事项")
    if not bulletin.overdue:
        _para(doc, "本期无。")
    for n, row in enumerate(bulletin.overdue, start=1):
        late = row.late
        _para(doc, _item_line(n, row) + (f"：节点「{late['title']}」应于{wording.day(late['due'])}完成，已逾期"
                                         f"{late['working_days_late']}个工作日。" if late else "。"))
    part("未达序时进度事项")
    if not bulletin.behind:
        _para(doc, "本期无。")
    for n, row in enumerate(bulletin.behind, start=1):
        reason = f"缺报{row.missed_periods}期" if row.missed_periods else "进度低于序时"
        _para(doc, _item_line(n, row) + f"：{reason}。")
    _para(doc, "各牵头单位要切实担负起牵头责任，对照时间表、路线图抓推进；逾期和未达序时进度的事项，请于5个工作日内将"
               f"原因和整改措施书面报{office_name(region)}。")
    _para(doc, indent=False)
    _para(doc, office_name(region), BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, wording.day(day), BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, f"附件：{bulletin.period.label}各牵头单位重点任务落实情况统计表", indent=False)
    grid = doc.add_table(rows=1, cols=len(UNIT_HEADERS))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(grid.rows[0].cells, UNIT_HEADERS):
        _cell(cell, text, bold=True)
    for values in unit_table_rows(bulletin):
        for i, (cell, value) in enumerate(zip(grid.add_row().cells, values)):
            _cell(cell, value, align=WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(bulletin):
    return f"{bulletin.plan.region.name}-{bulletin.period.code}-政府工作报告重点任务通报.docx"


def http_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(for_documents(name))}"
    return response
