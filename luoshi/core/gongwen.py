"""Word documents in 公文 style (GB/T 9704 in spirit), one set of helpers for every .docx luoshi writes (the meeting
pack, 结果运用's decisions and 通报, the task breakdown's 通报): A4, the title in 方正小标宋简体 2号, headings 黑体, body
仿宋_GB2312 3号 with 28 pt lines and a two-character indent, tables 五号 with the header row repeated on each page,
page numbers "— N —". A reader without those fonts gets the fallbacks named in the font table (宋体, 仿宋, 黑体, 楷体).

People's text goes in through core.text.for_documents (a character XML cannot hold never stops a document); python-docx
writes it as text, so "<" stays "<" and "=" at the start of a cell is no formula."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from luoshi.core.text import for_documents

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", KAI_FONT: "楷体"}
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
RED = RGBColor(0xC0, 0x00, 0x00)
HEADER_FILL = "D9E2F3"
CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT


def fonts(run, font=BODY_FONT, size=SIZE_3, bold=False, color=None):
    """A run's size and East Asian font (Latin text in Times New Roman)."""
    run.font.size = size
    run.font.bold = bold
    run.font.name = "Times New Roman"
    if color is not None:
        run.font.color.rgb = color
    names = run._element.get_or_add_rPr().get_or_add_rFonts()
    names.set(qn("w:eastAsia"), font)
    names.set(qn("w:hint"), "eastAsia")


def para(container, text="", font=BODY_FONT, size=SIZE_3, bold=False, align=None, indent=True, space_after=0,
         keep=False, color=None):
    """A paragraph (28 pt lines at 3号 and above, a two-character first-line indent unless aligned); `keep`: on the
    same page as the next one (a heading, the sentence above a table)."""
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
        fonts(p.add_run(for_documents(text)), font, size, bold, color)
    return p


def font_table(document):
    """Name the document's fonts with their fallbacks (w:altName), so a reader without 方正小标宋简体 gets 宋体."""
    for rel in document.part.rels.values():
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


def page_setup(section, landscape=False):
    """A4 with 公文 margins (landscape: narrower, for wide tables)."""
    long, short = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.top_margin = section.bottom_margin = Cm(2.2)
        section.left_margin = section.right_margin = Cm(2.0)
    else:
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def page_numbers(section):
    """"— N —" centred in the footer (a PAGE field)."""
    p = section.footer.paragraphs[0]
    p.alignment = CENTER
    fonts(p.add_run("— "), "宋体", SIZE_4)
    run = p.add_run()
    fonts(run, "宋体", SIZE_4)
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
    fonts(p.add_run(" —"), "宋体", SIZE_4)


def new_document(cover=False):
    """An empty A4 公文: fonts and fallbacks, margins, page numbers (none on the first page when it is a `cover`)."""
    document = Document()
    font_table(document)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    first = document.sections[0]
    page_setup(first)
    if cover:
        first.different_first_page_header_footer = True
    page_numbers(first)
    return document


def red_line(document):
    """The red rule under the 发文机关标志 and the 文号."""
    p = document.add_paragraph()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "1"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)
    return p


def cell(target, text, bold=False, align=CENTER, fill=None, size=SIZE_5, no_wrap=False):
    """Write a table cell: centred vertically, 黑体 when bold, an optional fill, kept on one line when `no_wrap`."""
    p = target.paragraphs[0]
    p.alignment = align
    target.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    fonts(p.add_run(for_documents(str(text))), HEADING_FONT if bold else BODY_FONT, size, bold)
    props = target._tc.get_or_add_tcPr()
    if no_wrap:
        props.append(OxmlElement("w:noWrap"))
    if fill:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        props.append(shd)


def narrow_margins(table, cm=0.08):
    """Cell margins left and right (Word's default is 0.19 cm), so a landscape table of 16 columns fits the page."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(int(Cm(cm).twips)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    table._tbl.tblPr.append(margins)


def table(document, header, rows, widths=None, fills=None, size=SIZE_5, no_wrap=(), narrow=False, left=(0,),
          height=0.6):
    """A grid table whose first row repeats at the top of every page (w:tblHeader) and whose rows do not split;
    `widths` in cm, fixed; `fills` {(row, column): colour}; the cells of the `no_wrap` columns stay on one line; the
    `left` columns align left. A little space follows it."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    if narrow:
        narrow_margins(grid)
    head = grid.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for target, text in zip(head.cells, header):
        cell(target, text, bold=True, fill=HEADER_FILL, size=size)
    for r, values in enumerate(rows):
        row = grid.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        row.height, row.height_rule = Cm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
        for c, (target, text) in enumerate(zip(row.cells, values)):
            cell(target, text, fill=(fills or {}).get((r, c)), size=size, no_wrap=c in no_wrap,
                 align=LEFT if c in left else CENTER)
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
    para(document, "", size=Pt(6), indent=False)
    return grid


def to_bytes(document) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def http_response(data: bytes, filename: str, plain_name: str = "") -> HttpResponse:
    """A .docx download named in Chinese (and by `plain_name` for clients that read only the ASCII name)."""
    response = HttpResponse(data, content_type=DOCX_TYPE)
    plain = f"filename=\"{plain_name}\"; " if plain_name else ""
    response["Content-Disposition"] = f"attachment; {plain}filename*=UTF-8''{quote(for_documents(filename))}"
    return response
