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
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from luoshi.briefings.pack import charts, rules
from luoshi.core import wording
from luoshi.core.text import for_documents

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", KAI_FONT: "楷体"}
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
LIGHT_FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}
TABLE_COLUMNS = ["指标", "单位", "累计值", "增长(%)", "全市平均增长(%)", "目标值", "目标增速(%)", "完成进度(%)",
                 "序时进度(%)", "差(百分点)", "亮灯", "全市位次", "位次变化", "与首位差(百分点)", "与前一位差(百分点)", "长短板"]
LIGHT_COLUMN = TABLE_COLUMNS.index("亮灯")
NO_WRAP_COLUMNS = {TABLE_COLUMNS.index(c) for c in ("亮灯", "全市位次", "位次变化", "长短板")}
# Landscape A4 leaves 25.7 cm between the margins; 9 pt text, 0.08 cm cell margins: "第11位" and "前移2位" fit a line.
TABLE_WIDTHS = [3.5, 1.2, 1.8, 1.3, 1.5, 1.8, 1.4, 1.5, 1.5, 1.5, 1.1, 1.5, 1.6, 1.5, 1.5, 1.2]
OUTLOOK_COLUMNS = ["指标", "年度目标", "累计完成", "完成进度(%)", "已完成月均", "剩余月份月均需完成", "全年预判"]
OUTLOOK_WIDTHS = [4.6, 2.9, 2.9, 2.0, 2.8, 3.0, 7.4]  # landscape, 25.6 cm


def _fonts(run, font=BODY_FONT, size=SIZE_3, bold=False):
    run.font.size = size
    run.font.bold = bold
    run.font.name = "Times New Roman"
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _para(container, text="", font=BODY_FONT, size=SIZE_3, bold=False, align=None, indent=True, space_after=0,
          keep=False):
    """A paragraph; `keep`: on the same page as the next one (a heading, the sentence above a table)."""
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


def _cell(cell, text, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER, fill=None, size=SIZE_5, no_wrap=False):
    p = cell.paragraphs[0]
    p.alignment = align
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    _fonts(p.add_run(for_documents(str(text))), HEADING_FONT if bold else BODY_FONT, size, bold)
    props = cell._tc.get_or_add_tcPr()
    if no_wrap:
        props.append(OxmlElement("w:noWrap"))
    if fill:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        props.append(shd)


def _narrow_margins(table, cm=0.08):
    """Cell margins left and right (Word's default is 0.19 cm), so a landscape table of 16 columns fits the page."""
    props = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(int(Cm(cm).twips)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    props.append(margins)


def _table(document, header, rows, widths=None, fills=None, size=SIZE_5, no_wrap=(), narrow=False, left=(0,),
           height=0.6):
    """A grid table whose first row repeats at the top of every page (w:tblHeader) and whose rows do not split;
    `widths` in cm, fixed; the cells of the `no_wrap` columns stay on one line; the `left` columns align left."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if narrow:
        _narrow_margins(table)
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(head.cells, header):
        _cell(cell, text, bold=True, fill="D9E2F3", size=size)
    for r, values in enumerate(rows):
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        row.height, row.height_rule = Cm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
        for c, (cell, text) in enumerate(zip(row.cells, values)):
            fill = (fills or {}).get((r, c))
            _cell(cell, text, fill=fill, size=size, no_wrap=c in no_wrap,
                  align=WD_ALIGN_PARAGRAPH.LEFT if c in left else WD_ALIGN_PARAGRAPH.CENTER)
    if widths:
        widths = [Cm(w) for w in widths]
        table.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), str(int(width.twips)))
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
    _para(document, "", size=Pt(6), indent=False)  # a little space before what follows the table
    return table


def _signed(text):
    """"+0.85" for a positive figure in a 差 column (a fall keeps its minus, 0 stays 0.00)."""
    return "+" + text if text not in (wording.MISSING_CELL,) and not text.startswith("-") and float(text) != 0 else text


def indicator_cells(row):
    """The table's cells for one indicator, in TABLE_COLUMNS order (the print page shows the same). Growth to one
    decimal (-3.0), 完成进度/序时进度/差 to two, values as their unit is written (亿元 two decimals, 万元/万美元/元/户
    whole), ranks as 第11位 and 前移2位; an indicator published as growth only has no unit and no cumulative value."""
    growth_only = row.get("growth_only")
    unit = row["unit"] or ""
    name = f"{row['name']}（{row['period_note']}）" if row.get("period_note") else row["name"]
    gap_digits = 2 if row["completion"] is not None else 1
    return [name, wording.MISSING_CELL if growth_only or not unit else unit,
            wording.amount_figure(None if growth_only else row["value"], unit),
            wording.growth_figure(row["growth"]), wording.growth_figure(row.get("peer_avg_growth")),
            wording.amount_figure(None if growth_only else row["target_value"], unit),
            wording.growth_figure(row["target_growth"]), wording.fixed(row["completion"], 2),
            wording.fixed(row["time_progress"], 2), _signed(wording.fixed(row["gap"], gap_digits)),
            row["light_text"], row["rank_text"], row.get("rank_change_text", wording.MISSING_CELL),
            wording.fixed(row["gap_first"], 1), wording.fixed(row["gap_next"], 1), row["band_text"]]


def outlook_cells(item):
    return [item["name"], item["target"], item["done"], item["completion"], item["so_far"], item["required"],
            item["verdict"]]


class _Parts:
    """The numbered part headings (一、二、…) in the order the parts are written."""

    def __init__(self, document):
        self.document, self.count = document, 0

    def __call__(self, text, new_page=False):
        self.count += 1
        p = _para(self.document, f"{rules.ordinal(self.count)}、{text}", HEADING_FONT, SIZE_3, space_after=6, keep=True)
        p.paragraph_format.page_break_before = new_page or None


def _new_document():
    document = Document()
    _font_table(document)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    first = document.sections[0]
    _page_setup(first)
    first.different_first_page_header_footer = True  # the cover has no page number
    _page_numbers(first)
    return document


def _cover(document, pack):
    """内部资料 at the top left, the 文号 at the right, the title, the region and period, and at the foot the issuing
    office and the date (2026年10月17日)."""
    overview = pack.overview or {}
    _para(document, pack.classification, HEADING_FONT, SIZE_3, indent=False)
    if overview.get("doc_number"):
        _para(document, overview["doc_number"], BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
    else:
        _para(document, indent=False)
    for _ in range(4):
        _para(document, indent=False)
    _para(document, pack.title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=24)
    _para(document, f"（{pack.region.name}　{pack.period_label}）", KAI_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(9):
        _para(document, indent=False)
    if overview.get("issuer"):
        _para(document, overview["issuer"], BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, pack.date_text, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    document.add_page_break()


def _overview(document, pack, part):
    """总体情况: the overview the analysis office edited (else the draft), under （一）运行特点 （二）存在问题 （三）下步建议."""
    part("总体情况")
    if not pack.has_figures and not (pack.overview or {}).get("edited"):
        _para(document, pack.no_figures_text)
        return
    for n, (_, label, lines) in enumerate(pack.overview_parts, start=1):
        _para(document, f"（{rules.ordinal(n)}）{label}", KAI_FONT, SIZE_3, keep=True)
        for line in lines:
            _para(document, line)


def _indicator_table(document, pack, part):
    """The indicator table on landscape pages of its own."""
    _page_setup(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    part("主要经济指标完成情况")
    _para(document, f"{pack.region.name}{pack.period_label}主要经济指标（{pack.peers_note}）",
          BODY_FONT, SIZE_4, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    fills = {(r, LIGHT_COLUMN): LIGHT_FILL[row["light"]] for r, row in enumerate(pack.rows) if row["light"] in LIGHT_FILL}
    _table(document, TABLE_COLUMNS, [indicator_cells(r) for r in pack.rows], widths=TABLE_WIDTHS, fills=fills,
           size=Pt(9), no_wrap=NO_WRAP_COLUMNS, narrow=True, height=0.75)
    _para(document, "注：差＝完成进度－序时进度（仅增速目标的指标为增长－目标增速）；全市平均为全市同级地区增速的平均；"
                    "与首位差、与前一位差为本地区增速落后的百分点（“争先进位”差距）；仅发布增速的指标无累计值；"
                    "“—”为暂无数据。", BODY_FONT, Pt(10.5), indent=False, space_after=12)


def _outlook(document, pack, part):
    """全年目标预判, on the indicator table's landscape pages: per target, the monthly average done so far and the one
    the remaining months need; then back to portrait pages."""
    part("全年目标预判", new_page=bool(pack.outlook))
    if not pack.outlook:
        _para(document, "本期没有设定年度目标的指标。")
    else:
        _para(document, f"按{pack.period_label}累计完成情况测算，完成全年目标所需的月均进度如下。", keep=True)
        fills = {(r, 6): LIGHT_FILL[i["light"]] for r, i in enumerate(pack.outlook) if i["light"] in LIGHT_FILL}
        _table(document, OUTLOOK_COLUMNS, [outlook_cells(i) for i in pack.outlook], fills=fills, size=Pt(10.5),
               widths=OUTLOOK_WIDTHS, left=(0, 6), no_wrap={1, 2, 3, 4, 5}, height=0.8)
    _page_setup(document.add_section(WD_SECTION.NEW_PAGE))


def _charts(document, pack, part):
    part("图表")
    if pack.value_chart:
        c = pack.value_chart
        charts.add_bar_chart(document, _chart_para(document), c["title"], c["names"], c["series"], number_format="0.00")
    for c in pack.weakness_charts:
        charts.add_bar_chart(document, _chart_para(document), c["title"], c["names"], c["series"], highlight=c["own"],
                             number_format="0.0")
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
        _para(document, f"（{rules.ordinal(n)}）{r['name']}{mark}", KAI_FONT, SIZE_3, keep=True)
        _para(document, rules.figures_sentence(r), BODY_FONT, SIZE_4, keep=True)
        if not entry["sections"]:
            _para(document, f"{entry.get('owner') or '责任单位'}未提交材料。", BODY_FONT, SIZE_4)
        for s in entry["sections"]:
            _para(document, f"{s['unit']} · {s['proxy']}：" if s.get("proxy") else f"{s['unit']}：", HEADING_FONT, SIZE_4,
                  keep=True)
            for label, key in (("完成情况", "completion"), ("原因分析", "reasons"), ("下步措施", "measures")):
                if s[key]:
                    p = _para(document, "", BODY_FONT, SIZE_4)
                    _fonts(p.add_run(f"{label}："), BODY_FONT, SIZE_4, bold=True)
                    _fonts(p.add_run(for_documents(s[key])), BODY_FONT, SIZE_4)


def table_day(day, year):
    """A date in a table: 9月13日 within the pack's year, 2025年12月31日 outside it."""
    return wording.short_day(day) if day.year == year else wording.day(day)


def league_rows(league):
    return ([["先进", r["unit"], f"第{r['rank']}名", f"{r['score']}分"] for r in league["top"]]
            + [["后进", r["unit"], f"第{r['rank']}名", f"{r['score']}分"] for r in league["bottom"]])


def _key_work(document, pack, part):
    work = pack.work
    part("重点工作推进情况")
    _para(document, f"截至{wording.day(work['as_of'])}，各攻坚战任务亮灯情况如下。", keep=True)
    if work["campaigns"]:
        _table(document, ["攻坚战", "任务数", "绿灯", "黄灯", "红灯"],
               [[c["name"], c["tasks"], c["green"], c["yellow"], c["red"]] for c in work["campaigns"]],
               widths=[7.6, 2, 2, 2, 2])
    else:
        _para(document, "本地区暂无重点任务。")
    if work["overdue"]:
        _para(document, f"严重滞后节点{len(work['overdue'])}个：", BODY_FONT, SIZE_3, keep=True)
        _table(document, ["重点任务", "节点", "完成时限", "滞后工作日", "牵头单位", "责任领导"],
               [[o["task"], o["milestone"], table_day(o["due"], pack.period.year), o["days_late"], o["lead_unit"],
                 o["leader"]] for o in work["overdue"]],
               widths=[3.7, 3.7, 2.3, 1.7, 2.4, 1.8], left=(0, 1), no_wrap={2})
    else:
        _para(document, "没有严重滞后的节点。")
    lg = work["league"]
    if lg:
        if lg["top"] or lg["bottom"]:
            _para(document, f"{lg['label']}考核排名先进、后进单位如下。", keep=True)
            _table(document, ["类别", "单位", "名次", "得分"], league_rows(lg), widths=[2.0, 8.6, 2.5, 2.5], left=(1,),
                   no_wrap={2, 3})
        else:
            _para(document, f"{lg['label']}考核排名没有先进、后进单位。")


def daily_sentence(daily):
    """The range the on-time rates are over: only the days that had reports (2026年11月28日至11月30日，共3天)."""
    first, last = daily["first"], daily["last"]
    if first == last:
        return f"{wording.day(first)}，各镇街村居日报按时报送情况如下。"
    end = wording.short_day(last) if last.year == first.year else wording.day(last)
    return f"{wording.day(first)}至{end}，共{daily['days']}天有村居日报，各镇街按时报送情况如下。"


def daily_rows(daily):
    total = daily["total"]
    return ([[t["name"], t["expected"], t["on_time"], t["late"], t["missing"], wording.fixed(t["rate"], 1)]
             for t in daily["towns"]]
            + [["合计", total["expected"], total["on_time"], total["late"], total["missing"],
                wording.fixed(total["rate"], 1)]])


def _daily_reports(document, daily, part):
    part("村居日报报送情况")
    if daily is None:
        _para(document, "本期没有村居日报。")
        return
    _para(document, daily_sentence(daily), keep=True)
    _table(document, ["镇街", "应报（村·日）", "按时", "逾期", "缺报", "按时报送率(%)"], daily_rows(daily),
           widths=[3.6, 2.6, 2.2, 2.2, 2.2, 2.8])


def _follow_ups(document, pack, part):
    """How the previous meeting's follow-up items stand."""
    follow = pack.follow_ups
    part("上次会议确定事项落实情况")
    if follow is None:
        _para(document, "本地区此前没有召开经济形势分析会。")
    elif not follow["items"]:
        _para(document, f"{follow['meeting']}没有确定事项。")
    else:
        _para(document, f"{follow['meeting']}（{wording.day(follow['held_on'])}）确定事项{len(follow['items'])}项，"
                        f"截至{wording.day(follow['as_of'])}落实情况如下。", keep=True)
        _table(document, ["序号", "事项", "牵头单位", "完成时限", "亮灯", "进展"],
               [[f["number"], f["title"], f["lead_unit"], table_day(f["deadline"], pack.period.year), f["light"],
                 f["standing"]] for f in follow["items"]],
               widths=[1.6, 4.8, 3.0, 2.2, 1.2, 2.8], left=(1, 5), no_wrap={0, 4})


def render(pack) -> bytes:
    """The .docx: cover; 总体情况 (the overview); with figures the indicator table (landscape), the full-year outlook
    and the charts; the units' analyses (a meeting's pack); key work; daily reports; the previous meeting's
    follow-up items."""
    document = _new_document()
    _cover(document, pack)
    part = _Parts(document)
    _overview(document, pack, part)
    if pack.has_figures:
        _indicator_table(document, pack, part)
        _outlook(document, pack, part)
        _charts(document, pack, part)
    if pack.meeting is not None:
        _unit_sections(document, pack.sections, part)
    _key_work(document, pack, part)
    _daily_reports(document, pack.daily, part)
    _follow_ups(document, pack, part)
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
