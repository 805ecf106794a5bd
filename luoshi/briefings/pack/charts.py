"""Native Word charts for python-docx, which has no chart API: a DrawingML chart part (c:chartSpace) with its data
cached in the XML (what Word, WPS and LibreOffice draw) and the same data as an embedded workbook (what Word opens
when the reader chooses 编辑数据), linked from an inline drawing in a paragraph.

One kind is enough for the pack: a clustered horizontal bar chart, categories top to bottom, one or more series,
values labelled, optionally one category highlighted (the region among its peers).

Names and titles are people's text (regions, indicators): in the XML they are escaped and lose the characters
core.text refuses; in the workbook they are text cells, never formulas (written as inline strings, as
core.exports.append_as_data has openpyxl write them).
"""

from io import BytesIO
from math import isinf, isnan
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Cm

from luoshi.core.text import for_documents

CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
COLORS = ["2F5597", "A5A5A5", "C55A11", "548235"]
HIGHLIGHT = "C00000"
FONT = "仿宋_GB2312"


def _text_props(size=1000, bold=False):
    b = ' b="1"' if bold else ""
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}"{b}>'
            f'<a:latin typeface="Times New Roman"/><a:ea typeface="{FONT}"/><a:cs typeface="{FONT}"/>'
            '</a:defRPr></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>')


def _xml_text(value):
    return escape(for_documents(str(value)), {'"': "&quot;"})


def _str_cache(ref, values):
    points = "".join(f'<c:pt idx="{i}"><c:v>{_xml_text(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return f'<c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val="{len(values)}"/>{points}</c:strCache></c:strRef>'


def _num_cache(ref, values):
    points = "".join(f'<c:pt idx="{i}"><c:v>{v!r}</c:v></c:pt>' for i, v in enumerate(values) if v is not None)
    return (f'<c:numRef><c:f>{ref}</c:f><c:numCache><c:formatCode>General</c:formatCode>'
            f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef>')


def _fill(color):
    return f'<c:spPr><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></c:spPr>'


def chart_xml(title, names, series, highlight=None, external_rid=None, number_format="General"):
    """The chart part's XML: `series` is [(name, [number or None per category])]; the bars' labels in
    `number_format` (0.0: growth to one decimal as the tables write it)."""
    n = len(names)
    sers = []
    for s, (label, values) in enumerate(series):
        col = get_column_letter(s + 2)
        points = ""
        if highlight is not None:
            points = (f'<c:dPt><c:idx val="{highlight}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>'
                      f'{_fill(HIGHLIGHT)}</c:dPt>')
        sers.append(
            f'<c:ser><c:idx val="{s}"/><c:order val="{s}"/><c:tx>{_str_cache(f"Sheet1!${col}$1", [label])}</c:tx>'
            f'{_fill(COLORS[s % len(COLORS)])}<c:invertIfNegative val="0"/>{points}'
            f'<c:dLbls><c:numFmt formatCode="{_xml_text(number_format)}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
            f'{_text_props(900)}<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
            '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
            f'<c:cat>{_str_cache(f"Sheet1!$A$2:$A${n + 1}", names)}</c:cat>'
            f'<c:val>{_num_cache(f"Sheet1!${col}$2:${col}${n + 1}", values)}</c:val></c:ser>')
    legend = ('<c:legend><c:legendPos val="b"/><c:overlay val="0"/>' + _text_props(1000) + '</c:legend>'
              if len(series) > 1 else "")
    external = (f'<c:externalData r:id="{external_rid}"><c:autoUpdate val="0"/></c:externalData>'
                if external_rid else "")
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace {NS}>'
        '<c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/><c:chart>'
        '<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="zh-CN" sz="1200" b="1"><a:latin typeface="Times New Roman"/><a:ea typeface="{FONT}"/></a:rPr>'
        f'<a:t>{_xml_text(title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        + "".join(sers) +
        '<c:gapWidth val="60"/><c:axId val="50010001"/><c:axId val="50010002"/></c:barChart>'
        '<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="low"/>{_text_props(1000)}<c:crossAx val="50010002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        '<c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="t"/><c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill>'
        '</a:ln></c:spPr></c:majorGridlines><c:numFmt formatCode="General" sourceLinked="0"/>'
        f'<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{_text_props(900)}'
        '<c:crossAx val="50010001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
        f'</c:plotArea>{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f'{_text_props(1000)}{external}</c:chartSpace>').encode("utf-8")


def workbook_bytes(names, series):
    """The chart's data as a small .xlsx: row 1 the series' names (A1 empty), then a row per category, its name in
    column A and its values beside it; the cells as openpyxl wrote them (text as inline strings, never a formula;
    numbers to 16 significant digits; no cell for a missing value), written directly: with openpyxl a county's 19
    charts cost 0.07 s of CPU, and its import a fresh process about as much (written here: 0.003 s)."""
    rows = [[""] + [label for label, _ in series]]
    rows += [[str(name)] + [values[i] for _, values in series] for i, name in enumerate(names)]
    width = max(len(row) for row in rows)
    out = []
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            if value is not None:
                out.append(_xlsx_cell(f"{get_column_letter(c + 1)}{r}", value))
        out.append("</row>")
    sheet = (f'<worksheet xmlns="{_SHEET_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/>'
             f'</sheetPr><dimension ref="A1:{get_column_letter(width)}{len(rows)}"/><sheetViews>'
             '<sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
             f'<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/><sheetData>{"".join(out)}</sheetData>'
             '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')
    buffer = BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as book:
        for name, xml in _XLSX_PARTS + (("xl/worksheets/sheet1.xml", sheet),):
            entry = ZipInfo(name)  # dated 1980-01-01: the same data, the same bytes
            entry.compress_type = ZIP_DEFLATED
            book.writestr(entry, xml.encode("ascii", "xmlcharrefreplace"))  # as openpyxl: &#28459; for 济
    return buffer.getvalue()


def get_column_letter(number):
    """1 → A, 27 → AA (as openpyxl.utils names columns)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_cell(ref, value):
    if isinstance(value, str):
        text = for_documents(value)  # core.exports.append_as_data: text stays text, "=…" too
        if not text:
            return f'<c r="{ref}" t="inlineStr"></c>'
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    number = float(value)
    if isnan(number) or isinf(number):
        return f'<c r="{ref}" t="n"></c>'
    return f'<c r="{ref}" t="n"><v>{"%.16g" % value}</v></c>'


_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_PARTS = (
    ("[Content_Types].xml",
     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
     '<Default Extension="xml" ContentType="application/xml"/>'
     '<Override PartName="/xl/workbook.xml" '
     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
     '<Override PartName="/xl/worksheets/sheet1.xml" '
     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
     '<Override PartName="/xl/styles.xml" '
     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    ("_rels/.rels",
     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
     f'<Relationship Type="{_REL}/officeDocument" Target="xl/workbook.xml" Id="rId1"/></Relationships>'),
    ("xl/workbook.xml",
     f'<workbook xmlns="{_SHEET_NS}"><workbookPr/><workbookProtection/><bookViews><workbookView visibility="visible" '
     'minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" '
     f'activeTab="0" autoFilterDateGrouping="1"/></bookViews><sheets><sheet xmlns:r="{_REL}" name="Sheet1" '
     'sheetId="1" state="visible" r:id="rId1"/></sheets><definedNames/><calcPr calcId="124519" fullCalcOnLoad="1"/>'
     '</workbook>'),
    ("xl/_rels/workbook.xml.rels",
     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
     f'<Relationship Type="{_REL}/worksheet" Target="/xl/worksheets/sheet1.xml" Id="rId1"/>'
     f'<Relationship Type="{_REL}/styles" Target="styles.xml" Id="rId2"/></Relationships>'),
    ("xl/styles.xml",
     f'<styleSheet xmlns="{_SHEET_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/>'
     '</font></fonts><fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill>'
     '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
     '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
     '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
     '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
)


def add_bar_chart(document, paragraph, title, names, series, highlight=None, width=Cm(15.5), number_format="General"):
    """Append a native bar chart to `paragraph` (a docx Paragraph) and return the chart part."""
    package = document.part.package
    number = sum(1 for p in package.iter_parts() if p.partname.startswith("/word/charts/")) + 1
    chart = Part(PackURI(f"/word/charts/chart{number}.xml"), CHART_TYPE, b"", package)
    data = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"), XLSX_TYPE,
                workbook_bytes(names, series), package)
    data_rid = chart.relate_to(data, RT.PACKAGE)
    chart._blob = chart_xml(title, names, series, highlight, data_rid, number_format)
    chart_rid = document.part.relate_to(chart, RT.CHART)
    height = Cm(2.2 + 0.6 * len(names) * max(1, len(series)) ** 0.5)
    shape_id = 1000 + number
    inline = parse_xml(
        '<wp:inline distT="0" distB="0" distL="0" distR="0" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<wp:extent cx="{int(width)}" cy="{int(height)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="图表 {number}" descr="{_xml_text(title)}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{chart_rid}"/></a:graphicData></a:graphic></wp:inline>')
    run = paragraph.add_run()
    drawing = parse_xml('<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    drawing.append(inline)
    run._r.append(drawing)
    return chart
