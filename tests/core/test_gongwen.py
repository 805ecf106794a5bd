"""core.gongwen writes paragraphs and tables as XML rather than through python-docx's setters (issue 26: a county's
pack has 1,740 cells): the document must be the one python-docx made. The reference below is the python-docx code
gongwen used before; both write the same arguments and the body XML must be equal, byte for byte."""

import pytest
from docx import Document
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from luoshi.core import gongwen
from luoshi.core.gongwen import BODY_FONT, HEADER_FILL, HEADING_FONT, RED, SIZE_2, SIZE_3, SIZE_4, SIZE_5, TITLE_FONT
from luoshi.core.text import for_documents


def reference_para(container, text="", font=BODY_FONT, size=SIZE_3, bold=False, align=None, indent=True,
                   space_after=0, keep=False, color=None):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.keep_with_next = keep or None
    fmt.line_spacing = Pt(28) if size >= SIZE_3 else None
    fmt.space_after = Pt(space_after)
    if indent and align is None:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        p.alignment = align
    if text:
        gongwen.fonts(p.add_run(for_documents(text)), font, size, bold, color)
    return p


def reference_cell(target, text, bold=False, align=gongwen.CENTER, fill=None, size=SIZE_5, no_wrap=False):
    p = target.paragraphs[0]
    p.alignment = align
    target.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    gongwen.fonts(p.add_run(for_documents(str(text))), HEADING_FONT if bold else BODY_FONT, size, bold)
    props = target._tc.get_or_add_tcPr()
    if no_wrap:
        props.append(OxmlElement("w:noWrap"))
    if fill:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        props.append(shd)


def reference_table(document, header, rows, widths=None, fills=None, size=SIZE_5, no_wrap=(), narrow=False,
                    left=(0,), height=0.6):
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    if narrow:
        gongwen.narrow_margins(grid)
    head = grid.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for target, text in zip(head.cells, header):
        reference_cell(target, text, bold=True, fill=HEADER_FILL, size=size)
    for r, values in enumerate(rows):
        row = grid.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        row.height, row.height_rule = Cm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
        for c, (target, text) in enumerate(zip(row.cells, values)):
            reference_cell(target, text, fill=(fills or {}).get((r, c)), size=size, no_wrap=c in no_wrap,
                           align=gongwen.LEFT if c in left else gongwen.CENTER)
    if widths:
        widths = [Cm(w) for w in widths]
        grid.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        grid._tbl.tblPr.append(layout)
        for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), str(int(width.twips)))
        for row in grid.rows:
            for target, width in zip(row.cells, widths):
                target.width = width
    reference_para(document, "", size=Pt(6), indent=False)
    return grid


def body_xml(document):
    return etree.tostring(document.element.body, encoding="unicode")


HOSTILE = ["", " 前后有空格 ", "a<b & c>d", "=SUM(A1)", "一行\n两行", "制表\t符", "回车\r\n换行", "\x00控制\x07字符",
           "\ud800孤立代理", '引号"和\'撇号', "  ", 12345, 3.5, None]

PARAS = [
    dict(text="正文一段。"),
    dict(text="标题", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=24),
    dict(text="一、总体情况", font=HEADING_FONT, size=SIZE_3, space_after=6, keep=True),
    dict(text="红头", font=TITLE_FONT, size=Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, space_after=12),
    dict(text="落款", align=WD_ALIGN_PARAGRAPH.RIGHT),
    dict(text="注：小字", size=Pt(10.5), indent=False, space_after=12),
    dict(text="四号", size=SIZE_4, keep=True),
    dict(text="加粗", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT),
    dict(indent=False),
    dict(text="", size=Pt(6), indent=False),
] + [dict(text=text) for text in HOSTILE if isinstance(text, str)]


@pytest.mark.parametrize("kwargs", PARAS)
def test_a_paragraph_is_the_one_python_docx_wrote(kwargs):
    fast, slow = Document(), Document()
    fast_p = gongwen.para(fast, **kwargs)
    reference_para(slow, **kwargs)
    assert body_xml(fast) == body_xml(slow)
    fast_p.paragraph_format.page_break_before = True  # what the pack's part headings do afterwards
    slow.paragraphs[-1].paragraph_format.page_break_before = True
    assert body_xml(fast) == body_xml(slow)


TABLES = [
    dict(header=["指标", "单位", "累计值"], rows=[["地区生产总值", "亿元", "78.50"], ["税收收入", "", "—"]]),
    dict(header=["a", "b", "c", "d"], rows=[HOSTILE[i:i + 4] for i in range(0, len(HOSTILE), 4)],
         widths=[3.5, 1.2, 1.8, 1.3], fills={(0, 1): "C6EFCE", (2, 3): "FFC7CE"}, size=Pt(9), no_wrap={1, 3},
         narrow=True, left=(0, 2), height=0.75),
    dict(header=["序号", "事项", "牵头单位"], rows=[[1, "短行"], [2, "长行", "单位", "多出的一格"]], widths=[1.6, 4.8]),
    dict(header=["类别", "单位"], rows=[], widths=[2.0, 8.6], left=(1,)),
    dict(header=["只有表头"], rows=[["x"]], size=Pt(10.5), height=0.8, no_wrap={0}, fills={(0, 0): "FFEB9C"}),
]


@pytest.mark.parametrize("kwargs", TABLES)
def test_a_table_is_the_one_python_docx_wrote(kwargs):
    fast, slow = Document(), Document()
    gongwen.para(fast, "表前")
    reference_para(slow, "表前")
    table = gongwen.table(fast, **kwargs)
    reference_table(slow, **kwargs)
    assert body_xml(fast) == body_xml(slow)
    assert [[c.text for c in row.cells] for row in table.rows] == [[c.text for c in row.cells]
                                                                  for row in slow.tables[0].rows]


def test_two_tables_in_one_document_share_the_style_lookup():
    fast, slow = Document(), Document()
    for document, write in ((fast, gongwen.table), (slow, reference_table)):
        write(document, ["甲"], [["1"]])
        write(document, ["乙", "丙"], [["2", "3"]], widths=[2, 2])
    assert body_xml(fast) == body_xml(slow)
