"""Word documents in 公文 style (GB/T 9704 in spirit), one set of helpers for every .docx luoshi writes (the meeting
pack, 结果运用's decisions and 通报, the task breakdown's 通报): A4, the title in 方正小标宋简体 2号, headings 黑体, body
仿宋_GB2312 3号 with 28 pt lines and a two-character indent, tables 五号 with the header row repeated on each page,
page numbers "— N —". A reader without those fonts gets the fallbacks named in the font table (宋体, 仿宋, 黑体, 楷体).

People's text goes in through core.text.for_documents (a character XML cannot hold never stops a document); python-docx
writes it as text, so "<" stays "<" and "=" at the start of a cell is no formula."""

import re
from io import BytesIO
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.simpletypes import ST_HpsMeasure, ST_SignedTwipsMeasure, ST_TwipsMeasure
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from luoshi.core.text import for_documents

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", KAI_FONT: "楷体"}
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
RED = RGBColor(0xC0, 0x00, 0x00)
HEADER_FILL = "D9E2F3"
_BREAKS = re.compile(r"([\t\r\n])")
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
    same page as the next one (a heading, the sentence above a table). Its w:pPr and run are written as XML, the
    elements python-docx's paragraph_format and `fonts` would add one setter at a time."""
    p = container.add_paragraph()
    line = ' w:line="560" w:lineRule="exact"' if size >= SIZE_3 else ""  # 28 pt
    props = "<w:keepNext/>" if keep else ""
    props += '<w:spacing%s w:after="%s"/>' % (line, ST_TwipsMeasure.convert_to_xml(Pt(space_after)))
    if indent and align is None:
        props += '<w:ind w:firstLine="%s"/>' % ST_SignedTwipsMeasure.convert_to_xml(Pt(size.pt * 2))
    if align is not None:
        props += '<w:jc w:val="%s"/>' % WD_ALIGN_PARAGRAPH.to_xml(align)
    xml = "<w:p %s><w:pPr>%s</w:pPr>" % (nsdecls("w"), props)
    if text:
        xml += "<w:r>%s%s</w:r>" % (_run_props(font, ST_HpsMeasure.convert_to_xml(size), bold, color),
                                    _run_text(for_documents(text)))
    p._p.extend(list(parse_xml(xml + "</w:p>")))
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
    `left` columns align left. A little space follows it.

    python-docx sets up the table (style, alignment, margins, grid); the rows are written as one piece of XML, the
    same elements `cell` would add one call at a time (a pack's 60-indicator table has 1,000 cells)."""
    grid = document.add_table(rows=1, cols=len(header))
    grid._tbl.tblStyle_val = _table_grid_style(document)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    if narrow:
        narrow_margins(grid)
    tbl = grid._tbl
    cols = tbl.tblGrid.findall(qn("w:gridCol"))
    cell_widths = [col.get(qn("w:w")) for col in cols]  # the grid's even split until `widths` say otherwise
    if widths:
        widths = [Cm(w) for w in widths]
        grid.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl.tblPr.append(layout)
        for c, (col, width) in enumerate(zip(cols, widths)):
            cell_widths[c] = str(int(width.twips))
            col.set(qn("w:w"), cell_widths[c])
    fills = fills or {}
    sz = ST_HpsMeasure.convert_to_xml(size)
    head_run = _run_props(HEADING_FONT, sz, True)
    body_run = _run_props(BODY_FONT, sz, False)
    xml = ["<w:tbl %s><w:tr><w:trPr><w:tblHeader/></w:trPr>" % nsdecls("w")]
    for c, text in enumerate(header):
        xml.append(_cell_xml(cell_widths[c], text, head_run, "center", HEADER_FILL, False))
    xml.append("</w:tr>")
    row_props = ('<w:trPr><w:cantSplit/><w:trHeight w:val="%s" w:hRule="atLeast"/></w:trPr>'
                 % ST_TwipsMeasure.convert_to_xml(Cm(height)))
    for r, values in enumerate(rows):
        xml.append("<w:tr>" + row_props)
        for c, (width, text) in enumerate(zip(cell_widths, values)):
            xml.append(_cell_xml(width, text, body_run, "left" if c in left else "center", fills.get((r, c)),
                                 c in no_wrap))
        for width in cell_widths[len(values):]:  # a short row's last cells stay empty
            xml.append('<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="%s"/></w:tcPr><w:p/></w:tc>' % width)
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    for tr in tbl.findall(qn("w:tr")):
        tbl.remove(tr)
    tbl.extend(parse_xml("".join(xml)).findall(qn("w:tr")))
    para(document, "", size=Pt(6), indent=False)
    return grid


def _table_grid_style(document):
    """The style id of "Table Grid" (what `table.style = "Table Grid"` sets), looked up once per document: python-docx
    searches the styles part each time."""
    try:
        return document._gongwen_table_grid
    except AttributeError:
        document._gongwen_table_grid = document.part.get_style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        return document._gongwen_table_grid


def _run_props(font, sz, bold, color=None):
    """A run's w:rPr as `fonts` writes it."""
    return ('<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="%s" w:hint="eastAsia"/>'
            '%s%s<w:sz w:val="%s"/></w:rPr>' % (escape(font, {'"': "&quot;"}), "<w:b/>" if bold else '<w:b w:val="0"/>',
                                                '' if color is None else '<w:color w:val="%s"/>' % (color,), sz))


def _cell_xml(width, text, run_props, align, fill, no_wrap):
    """One w:tc as `cell` writes it: its width, centred vertically, kept on one line, filled; the paragraph aligned,
    one run whose text python-docx would write the same way (a tab as w:tab, a line break as w:br)."""
    props = '<w:tcW w:type="dxa" w:w="%s"/><w:vAlign w:val="center"/>' % width
    if no_wrap:
        props += "<w:noWrap/>"
    if fill:
        props += '<w:shd w:val="clear" w:color="auto" w:fill="%s"/>' % fill
    return ('<w:tc><w:tcPr>%s</w:tcPr><w:p><w:pPr><w:jc w:val="%s"/></w:pPr><w:r>%s%s</w:r></w:p></w:tc>'
            % (props, align, run_props, _run_text(for_documents(str(text)))))


def _run_text(text):
    """A run's content as python-docx's Run.text writes it: text in w:t (xml:space="preserve" where it starts or ends
    with a space), w:tab for a tab, w:br for a line break; nothing for no text."""
    if not text:
        return ""
    out = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append("<w:t%s>%s</w:t>" % (space, escape(piece)))
    return "".join(out)


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
