"""The meeting pack as a Word file, laid out by the conventions of government documents (GB/T 9704 in spirit):
A4, the title in 方正小标宋简体 2号, headings 黑体 3号, body 仿宋_GB2312 3号, tables 五号 with the header row repeated
on each page, page numbers "— N —" in the footer. A reader without those fonts gets the named fallbacks (the font
table's altName: 宋体, 仿宋, 黑体). Charts are native Word charts (charts.py). People's text (names, titles, the
units' sections) goes in through core.text.for_documents, so a character XML cannot hold never stops the pack."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from luoshi.briefings.pack import charts
from luoshi.briefings.pack.assemble import number, points
from luoshi.core.text import for_documents

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", KAI_FONT: "楷体"}
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
LIGHT_FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}
CHINESE_NUMBERS = "一二三四五六七八九十"
TABLE_COLUMNS = ["指标", "单位", "累计值", "增长(%)", "目标值", "目标增速(%)", "完成进度(%)", "序时进度(%)",
                 "差(百分点)", "亮灯", "全市位次", "位次变化", "与首位差(百分点)", "与前一位差(百分点)", "长短板"]


def _fonts(run, font=BODY_FONT, size=SIZE_3, bold=False):
    run.font.size = size
    run.font.bold = bold
    run.font.name = "Times New Roman"
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _para(container, text="", font=BODY_FONT, size=SIZE_3, bold=False, align=None, indent=True, space_after=0):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28) if size >= SIZE_3 else None
    fmt.space_after = Pt(space_after)
    if indent and align is None:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        p.alignment = align
    if text:
        _fonts(p.add_run(for_documents(text)), font, size, bold)
    return p


def _chart_para(document):
    """A paragraph for a chart: single line spacing (an exact 28 pt would clip the drawing to one line)."""
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(12)
    return p


def _font_table(document):
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


def _page_setup(section, landscape=False):
    long, short = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.top_margin = section.bottom_margin = Cm(2.2)
        section.left_margin = section.right_margin = Cm(2.0)
    else:
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def _page_numbers(section):
    footer = section.footer
    p = footer.paragraphs[0]
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


def _cell(cell, text, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER, fill=None, size=SIZE_5):
    p = cell.paragraphs[0]
    p.alignment = align
    _fonts(p.add_run(for_documents(str(text))), HEADING_FONT if bold else BODY_FONT, size, bold)
    if fill:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shd)


def _table(document, header, rows, widths=None, fills=None, size=SIZE_5):
    """A grid table whose first row repeats at the top of every page (w:tblHeader) and whose rows do not split."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(head.cells, header):
        _cell(cell, text, bold=True, fill="D9E2F3", size=size)
    for r, values in enumerate(rows):
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for c, (cell, text) in enumerate(zip(row.cells, values)):
            fill = (fills or {}).get((r, c))
            _cell(cell, text, fill=fill, size=size,
                  align=WD_ALIGN_PARAGRAPH.LEFT if c == 0 else WD_ALIGN_PARAGRAPH.CENTER)
    if widths:
        table.autofit = False
        for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), str(int(width.twips)))
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
    return table


def indicator_cells(row):
    """The table's cells for one indicator, in TABLE_COLUMNS order (the print page shows the same)."""
    name = f"{row['name']}（{row['period_note']}）" if row.get("period_note") else row["name"]
    return [name, row["unit"] or "—", number(row["value"]), number(row["growth"]), number(row["target_value"]),
            number(row["target_growth"]), number(row["completion"]), number(row["time_progress"]), points(row["gap"]),
            row["light_text"], row["rank_text"], points(row["rank_change"]), number(row["gap_first"]),
            number(row["gap_next"]), row["band_text"]]


class _Parts:
    """The numbered part headings (一、二、…) in the order the parts are written."""

    def __init__(self, document):
        self.document, self.count = document, 0

    def __call__(self, text):
        self.count += 1
        _para(self.document, f"{CHINESE_NUMBERS[self.count - 1]}、{text}", HEADING_FONT, SIZE_3, space_after=6)


def _new_document():
    document = Document()
    _font_table(document)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    first = document.sections[0]
    _page_setup(first)
    _page_numbers(first)
    return document


def _cover(document, pack):
    for _ in range(4):
        _para(document, indent=False)
    _para(document, pack.title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=24)
    _para(document, f"（{pack.region.name} {pack.period_label}）", KAI_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(8):
        _para(document, indent=False)
    held = pack.meeting.held_on if pack.meeting is not None else pack.generated_on
    _para(document, f"{held.year}年{held.month}月{held.day}日", BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    document.add_page_break()


def _indicator_table(document, pack, part):
    """The indicator table on landscape pages of its own."""
    _page_setup(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    part("主要经济指标完成情况")
    _para(document, f"{pack.region.name}{pack.period_label}主要经济指标（位次为全市同级地区按增速排名）",
          BODY_FONT, SIZE_4, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    fills = {(r, 9): LIGHT_FILL[row["light"]] for r, row in enumerate(pack.rows) if row["light"] in LIGHT_FILL}
    widths = [Cm(3.9), Cm(1.2), Cm(1.9)] + [Cm(1.55)] * 12
    _table(document, TABLE_COLUMNS, [indicator_cells(r) for r in pack.rows], widths=widths, fills=fills, size=Pt(9))
    _para(document, "注：差＝完成进度－序时进度（仅增速目标的指标为增长－目标增速）；位次变化为正表示前移；"
                    "与首位差、与前一位差为本地区增速落后的百分点（“争先进位”差距）。", BODY_FONT, Pt(10.5), indent=False)
    _page_setup(document.add_section(WD_SECTION.NEW_PAGE))


def _charts(document, pack, part):
    part("图表")
    if pack.value_chart:
        c = pack.value_chart
        charts.add_bar_chart(document, _chart_para(document), c["title"], c["names"], c["series"])
    for c in pack.weakness_charts:
        charts.add_bar_chart(document, _chart_para(document), c["title"], c["names"], c["series"], highlight=c["own"])
    if not pack.value_chart and not pack.weakness_charts:
        _para(document, "本期没有带总量目标的指标，也没有短板指标，无图表。")


def _unit_sections(document, sections, part):
    """The units' analyses of a meeting, indicator by indicator (the weaknesses first)."""
    part("各责任单位分析材料")
    if not sections:
        _para(document, "本期没有指标数据，各单位未提交分析材料。")
    for n, entry in enumerate(sections, start=1):
        r = entry["row"]
        mark = "（短板）" if entry["weakness"] else ""
        _para(document, f"（{CHINESE_NUMBERS[(n - 1) % 10] if n <= 10 else n}）{r['name']}{mark}", KAI_FONT, SIZE_3)
        _para(document, f"累计{number(r['value'])}{r['unit']}，增长{number(r['growth'])}%，{r['rank_text']}，"
                        f"完成进度{number(r['completion'])}%，{r['light_text']}。", BODY_FONT, SIZE_4)
        if not entry["sections"]:
            _para(document, "责任单位未提交材料。", BODY_FONT, SIZE_4)
        for s in entry["sections"]:
            _para(document, f"{s['unit']} · {s['proxy']}：" if s.get("proxy") else f"{s['unit']}：", HEADING_FONT, SIZE_4)
            for label, key in (("完成情况", "completion"), ("原因分析", "reasons"), ("下步措施", "measures")):
                if s[key]:
                    p = _para(document, "", BODY_FONT, SIZE_4)
                    _fonts(p.add_run(f"{label}："), BODY_FONT, SIZE_4, bold=True)
                    _fonts(p.add_run(for_documents(s[key])), BODY_FONT, SIZE_4)


def _key_work(document, work, part):
    part("重点工作推进情况")
    _para(document, f"截至{work['as_of']:%Y年%m月%d}日，各攻坚战任务亮灯情况如下。")
    if work["campaigns"]:
        _table(document, ["攻坚战", "任务数", "绿灯", "黄灯", "红灯"],
               [[c["name"], c["tasks"], c["green"], c["yellow"], c["red"]] for c in work["campaigns"]],
               widths=[Cm(7.6), Cm(2), Cm(2), Cm(2), Cm(2)])
    else:
        _para(document, "本地区暂无重点任务。")
    if work["overdue"]:
        _para(document, f"严重滞后节点{len(work['overdue'])}个：", BODY_FONT, SIZE_3)
        _table(document, ["重点任务", "节点", "完成时限", "滞后工作日", "牵头单位", "责任领导"],
               [[o["task"], o["milestone"], f"{o['due']:%Y-%m-%d}", o["days_late"], o["lead_unit"], o["leader"]]
                for o in work["overdue"]], widths=[Cm(4.4), Cm(4), Cm(2), Cm(1.6), Cm(2), Cm(1.6)])
    else:
        _para(document, "没有严重滞后的节点。")
    if work["league"]:
        lg = work["league"]
        _para(document, f"{lg['label']}考核排名：先进单位{('、'.join(lg['top']) or '无')}；"
                        f"后进单位{('、'.join(lg['bottom']) or '无')}。")


def _daily_reports(document, daily, part):
    part("村居日报报送情况")
    if daily is None:
        _para(document, "本期没有村居日报。")
        return
    _para(document, f"{daily['first']:%Y年%m月%d日}至{daily['last']:%Y年%m月%d日}，各镇街按时报送率如下。")
    total = daily["total"]
    _table(document, ["镇街", "应报（村·日）", "按时", "逾期", "缺报", "按时报送率(%)"],
           [[t["name"], t["expected"], t["on_time"], t["late"], t["missing"], number(t["rate"])] for t in daily["towns"]]
           + [["合计", total["expected"], total["on_time"], total["late"], total["missing"], number(total["rate"])]],
           widths=[Cm(3.6), Cm(2.6), Cm(2.2), Cm(2.2), Cm(2.2), Cm(2.8)])


def _follow_ups(document, follow, part):
    """How the previous meeting's follow-up items stand."""
    part("上次会议确定事项落实情况")
    if follow is None:
        _para(document, "本地区此前没有召开经济形势分析会。")
    elif not follow["items"]:
        _para(document, f"{follow['meeting']}没有确定事项。")
    else:
        _para(document, f"{follow['meeting']}（{follow['held_on']:%Y年%m月%d日}）确定事项{len(follow['items'])}项，"
                        f"截至{follow['as_of']:%Y年%m月%d日}落实情况如下。")
        _table(document, ["序号", "事项", "牵头单位", "完成时限", "亮灯", "进展"],
               [[f["number"], f["title"], f["lead_unit"], f"{f['deadline']:%Y-%m-%d}", f["light"], f["standing"]]
                for f in follow["items"]], widths=[Cm(1.4), Cm(4.6), Cm(2.4), Cm(2.2), Cm(1.2), Cm(3.8)])


def render(pack) -> bytes:
    """The .docx: cover; overall situation (with the indicator table and charts when the period has figures); the
    units' analyses (a meeting's pack); key work; daily reports; the previous meeting's follow-up items."""
    document = _new_document()
    _cover(document, pack)
    part = _Parts(document)
    part("总体情况")
    if not pack.has_figures:
        _para(document, pack.no_figures_text)
    else:
        _para(document, pack.summary)
        _indicator_table(document, pack, part)
        _charts(document, pack, part)
    if pack.meeting is not None:
        _unit_sections(document, pack.sections, part)
    _key_work(document, pack.work, part)
    _daily_reports(document, pack.daily, part)
    _follow_ups(document, pack.follow_ups, part)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def http_response(pack):
    """The .docx as a download named by its title (and, for clients that read only the plain name, by the region's
    code and the period)."""
    response = HttpResponse(render(pack), content_type=DOCX_TYPE)
    response["Content-Disposition"] = (f"attachment; filename=\"{pack.region.code}-{pack.period_code}.docx\"; "
                                       f"filename*=UTF-8''{quote(for_documents(pack.title + '.docx'))}")
    return response
