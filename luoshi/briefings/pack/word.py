"""The meeting pack as a Word file, laid out by the conventions of government documents (GB/T 9704 in spirit):
A4, the title in 方正小标宋简体 2号, headings 黑体 3号, body 仿宋_GB2312 3号, tables 五号 with the header row repeated
on each page, page numbers "— N —" in the footer. A reader without those fonts gets the named fallbacks (the font
table's altName: 宋体, 仿宋, 黑体). Charts are native Word charts (charts.py). People's text (names, titles, the
units' sections) goes in through core.text.for_documents, so a character XML cannot hold never stops the pack."""

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from luoshi.briefings.pack import charts, rules
from luoshi.core import gongwen, wording
from luoshi.core.gongwen import BODY_FONT, HEADING_FONT, KAI_FONT, SIZE_2, SIZE_3, SIZE_4, TITLE_FONT
from luoshi.core.text import for_documents

LIGHT_FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}
TABLE_COLUMNS = ["指标", "单位", "累计值", "增长(%)", "全市平均增长(%)", "目标值", "目标增速(%)", "完成进度(%)",
                 "序时进度(%)", "差(百分点)", "亮灯", "全市位次", "位次变化", "与首位差(百分点)", "与前一位差(百分点)", "长短板"]
LIGHT_COLUMN = TABLE_COLUMNS.index("亮灯")
NO_WRAP_COLUMNS = {TABLE_COLUMNS.index(c) for c in ("亮灯", "全市位次", "位次变化", "长短板")}
# Landscape A4 leaves 25.7 cm between the margins; 9 pt text, 0.08 cm cell margins: "第11位" and "前移2位" fit a line.
TABLE_WIDTHS = [3.5, 1.2, 1.8, 1.3, 1.5, 1.8, 1.4, 1.5, 1.5, 1.5, 1.1, 1.5, 1.6, 1.5, 1.5, 1.2]
OUTLOOK_COLUMNS = ["指标", "年度目标", "累计完成", "完成进度(%)", "已完成月均", "剩余月份月均需完成", "全年预判"]
OUTLOOK_WIDTHS = [4.6, 2.9, 2.9, 2.0, 2.8, 3.0, 7.4]  # landscape, 25.6 cm


def _chart_para(document):
    """A paragraph for a chart: single line spacing (an exact 28 pt would clip the drawing to one line)."""
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(12)
    return p


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
        p = gongwen.para(self.document, f"{rules.ordinal(self.count)}、{text}", HEADING_FONT, SIZE_3, space_after=6, keep=True)
        p.paragraph_format.page_break_before = new_page or None


def _new_document():
    return gongwen.new_document(cover=True)  # the cover has no page number


def _cover(document, pack):
    """内部资料 at the top left, the 文号 at the right, the title, the region and period, and at the foot the issuing
    office and the date (2026年10月17日)."""
    overview = pack.overview or {}
    gongwen.para(document, pack.classification, HEADING_FONT, SIZE_3, indent=False)
    if overview.get("doc_number"):
        gongwen.para(document, overview["doc_number"], BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
    else:
        gongwen.para(document, indent=False)
    for _ in range(4):
        gongwen.para(document, indent=False)
    gongwen.para(document, pack.title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=24)
    gongwen.para(document, f"（{pack.region.name}　{pack.period_label}）", KAI_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(9):
        gongwen.para(document, indent=False)
    if overview.get("issuer"):
        gongwen.para(document, overview["issuer"], BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.para(document, pack.date_text, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    document.add_page_break()


def _overview(document, pack, part):
    """总体情况: the overview the analysis office edited (else the draft), under （一）运行特点 （二）存在问题 （三）下步建议."""
    part("总体情况")
    if not pack.has_figures and not (pack.overview or {}).get("edited"):
        gongwen.para(document, pack.no_figures_text)
        return
    for n, (_, label, lines) in enumerate(pack.overview_parts, start=1):
        gongwen.para(document, f"（{rules.ordinal(n)}）{label}", KAI_FONT, SIZE_3, keep=True)
        for line in lines:
            gongwen.para(document, line)


def _indicator_table(document, pack, part):
    """The indicator table on landscape pages of its own."""
    gongwen.page_setup(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    part("主要经济指标完成情况")
    gongwen.para(document, f"{pack.region.name}{pack.period_label}主要经济指标（{pack.peers_note}）",
          BODY_FONT, SIZE_4, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    fills = {(r, LIGHT_COLUMN): LIGHT_FILL[row["light"]] for r, row in enumerate(pack.rows) if row["light"] in LIGHT_FILL}
    gongwen.table(document, TABLE_COLUMNS, [indicator_cells(r) for r in pack.rows], widths=TABLE_WIDTHS, fills=fills,
           size=Pt(9), no_wrap=NO_WRAP_COLUMNS, narrow=True, height=0.75)
    gongwen.para(document, "注：差＝完成进度－序时进度（仅增速目标的指标为增长－目标增速）；全市平均为全市同级地区增速的平均；"
                    "与首位差、与前一位差为本地区增速落后的百分点（“争先进位”差距）；仅发布增速的指标无累计值；"
                    "“—”为暂无数据。", BODY_FONT, Pt(10.5), indent=False, space_after=12)


def _outlook(document, pack, part):
    """全年目标预判, on the indicator table's landscape pages: per target, the monthly average done so far and the one
    the remaining months need; then back to portrait pages."""
    part("全年目标预判", new_page=bool(pack.outlook))
    if not pack.outlook:
        gongwen.para(document, "本期没有设定年度目标的指标。")
    else:
        gongwen.para(document, f"按{pack.period_label}累计完成情况测算，完成全年目标所需的月均进度如下。", keep=True)
        fills = {(r, 6): LIGHT_FILL[i["light"]] for r, i in enumerate(pack.outlook) if i["light"] in LIGHT_FILL}
        gongwen.table(document, OUTLOOK_COLUMNS, [outlook_cells(i) for i in pack.outlook], fills=fills, size=Pt(10.5),
               widths=OUTLOOK_WIDTHS, left=(0, 6), no_wrap={1, 2, 3, 4, 5}, height=0.8)
    gongwen.page_setup(document.add_section(WD_SECTION.NEW_PAGE))


def _charts(document, pack, part):
    part("图表")
    if pack.value_chart:
        c = pack.value_chart
        charts.add_bar_chart(document, _chart_para(document), c["title"], c["names"], c["series"], number_format="0.00")
    for c in pack.weakness_charts:
        charts.add_bar_chart(document, _chart_para(document), c["title"], c["names"], c["series"], highlight=c["own"],
                             number_format="0.0")
    if not pack.value_chart and not pack.weakness_charts:
        gongwen.para(document, "本期没有带总量目标的指标，也没有短板指标，无图表。")


def _unit_sections(document, sections, part):
    """The units' analyses of a meeting, indicator by indicator (the weaknesses first)."""
    part("各责任单位分析材料")
    if not sections:
        gongwen.para(document, "本期没有指标数据，各单位未提交分析材料。")
    for n, entry in enumerate(sections, start=1):
        r = entry["row"]
        mark = "（短板）" if entry["weakness"] else ""
        gongwen.para(document, f"（{rules.ordinal(n)}）{r['name']}{mark}", KAI_FONT, SIZE_3, keep=True)
        gongwen.para(document, rules.figures_sentence(r), BODY_FONT, SIZE_4, keep=True)
        if not entry["sections"]:
            gongwen.para(document, f"{entry.get('owner') or '责任单位'}未提交材料。", BODY_FONT, SIZE_4)
        for s in entry["sections"]:
            gongwen.para(document, f"{s['unit']} · {s['proxy']}：" if s.get("proxy") else f"{s['unit']}：", HEADING_FONT, SIZE_4,
                  keep=True)
            for label, key in (("完成情况", "completion"), ("原因分析", "reasons"), ("下步措施", "measures")):
                if s[key]:
                    p = gongwen.para(document, "", BODY_FONT, SIZE_4)
                    gongwen.fonts(p.add_run(f"{label}："), BODY_FONT, SIZE_4, bold=True)
                    gongwen.fonts(p.add_run(for_documents(s[key])), BODY_FONT, SIZE_4)


def table_day(day, year):
    """A date in a table: 9月13日 within the pack's year, 2025年12月31日 outside it."""
    return wording.short_day(day) if day.year == year else wording.day(day)


def league_rows(league):
    return ([["先进", r["unit"], f"第{r['rank']}名", f"{r['score']}分"] for r in league["top"]]
            + [["后进", r["unit"], f"第{r['rank']}名", f"{r['score']}分"] for r in league["bottom"]])


def _key_work(document, pack, part):
    work = pack.work
    part("重点工作推进情况")
    gongwen.para(document, f"截至{wording.day(work['as_of'])}，各攻坚战任务亮灯情况如下。", keep=True)
    if work["campaigns"]:
        gongwen.table(document, ["攻坚战", "任务数", "绿灯", "黄灯", "红灯"],
               [[c["name"], c["tasks"], c["green"], c["yellow"], c["red"]] for c in work["campaigns"]],
               widths=[7.6, 2, 2, 2, 2])
    else:
        gongwen.para(document, "本地区暂无重点任务。")
    if work["overdue"]:
        gongwen.para(document, f"严重滞后节点{len(work['overdue'])}个：", BODY_FONT, SIZE_3, keep=True)
        gongwen.table(document, ["重点任务", "节点", "完成时限", "滞后工作日", "牵头单位", "责任领导"],
               [[o["task"], o["milestone"], table_day(o["due"], pack.period.year), o["days_late"], o["lead_unit"],
                 o["leader"]] for o in work["overdue"]],
               widths=[3.7, 3.7, 2.3, 1.7, 2.4, 1.8], left=(0, 1), no_wrap={2})
    else:
        gongwen.para(document, "没有严重滞后的节点。")
    lg = work["league"]
    if lg:
        if lg["top"] or lg["bottom"]:
            gongwen.para(document, f"{lg['label']}考核排名先进、后进单位如下。", keep=True)
            gongwen.table(document, ["类别", "单位", "名次", "得分"], league_rows(lg), widths=[2.0, 8.6, 2.5, 2.5], left=(1,),
                   no_wrap={2, 3})
        else:
            gongwen.para(document, f"{lg['label']}考核排名没有先进、后进单位。")


PROJECT_COLUMNS = ["项目数", "年度计划投资(万元)", "累计完成投资(万元)", "投资完成率(%)", "序时进度(%)", "新建项目",
                   "已开工", "开工率(%)"]
PROJECT_WIDTHS = [1.5, 2.5, 2.5, 1.9, 1.8, 1.7, 1.6, 2.0]  # portrait A4: 15.5 cm between the margins
RED_COLUMNS = ["序号", "项目名称", "责任单位", "完成率(%)", "红灯原因"]
RED_WIDTHS = [1.2, 4.4, 2.5, 1.8, 5.6]
PIPELINE_COLUMNS = ["签约项目", "合同投资额(万元)", "已开工", "已投产", "到位资金(万元)", "实际利用外资(万美元)",
                    "资金到位率(%)"]
PIPELINE_WIDTHS = [1.7, 2.6, 1.6, 1.6, 2.6, 3.0, 2.4]


def projects_sentence(projects, period):
    """项目建设 in one sentence: count, plan, done and 投资完成率 against the pace, 开工率."""
    p = projects
    months = f"1-{period.month}月" if period.month > 1 else "1月"
    text = (f"{period.year}年纳入调度的重点项目{p['count']}个，年度计划投资{wording.amount(p['year_plan'], '万元')}，"
            f"{months}完成投资{wording.amount(p['done_ytd'], '万元')}，投资完成率{wording.percent(p['completion_rate'])}")
    if p["gap"] is not None:
        text += f"，{wording.gap(-p['gap'])}（序时进度{wording.percent(p['pace'])}）"
    if p["to_start"]:
        text += f"；新建项目{p['to_start']}个，已开工{p['started']}个，开工率{wording.percent(p['start_rate'])}"
    red = len(p["red"])
    return text + (f"；红灯项目{red}个。" if red else "；没有红灯项目。")


def projects_cells(projects):
    p = projects
    return [p["count"], wording.amount_figure(p["year_plan"], "万元"), wording.amount_figure(p["done_ytd"], "万元"),
            wording.fixed(p["completion_rate"], 1), wording.fixed(p["pace"], 1), p["to_start"], p["started"],
            wording.fixed(p["start_rate"], 1)]


def red_rows(projects):
    return [[n, for_documents(r["name"]), for_documents(r["unit"]), wording.fixed(r["completion"], 1),
             for_documents("；".join(r["reasons"]) or "—")] for n, r in enumerate(projects["red"], start=1)]


def pipeline_sentence(pipeline, period):
    """双招双引 in one sentence, year to date: signed, contract total, started, producing, 到位资金, 外资."""
    p = pipeline
    months = f"1-{period.month}月" if period.month > 1 else "1月"
    return (f"{period.year}年{months}，签约项目{p['signed']}个，合同投资额{wording.amount(p['contract_total'], '万元')}；"
            f"已开工{p['started']}个，已投产{p['producing']}个；到位资金{wording.amount(p['funds_arrived'], '万元')}，"
            f"实际利用外资{wording.amount(p['fdi_usd'], '万美元')}。")


def pipeline_cells(pipeline):
    p = pipeline
    return [p["signed"], wording.amount_figure(p["contract_total"], "万元"), p["started"], p["producing"],
            wording.amount_figure(p["funds_arrived"], "万元"), wording.amount_figure(p["fdi_usd"], "万美元"),
            wording.fixed(p["rates"]["funds"], 1)]


def _projects(document, pack, part):
    """项目建设 (only when the region has projects in the year): the figures, then the red list with its reasons."""
    projects = pack.projects
    part("项目建设")
    gongwen.para(document, projects_sentence(projects, pack.period), keep=True)
    gongwen.table(document, PROJECT_COLUMNS, [projects_cells(projects)], widths=PROJECT_WIDTHS, size=Pt(9), narrow=True)
    if projects["red"]:
        gongwen.para(document, f"红灯项目{len(projects['red'])}个：", BODY_FONT, SIZE_3, keep=True)
        gongwen.table(document, RED_COLUMNS, red_rows(projects), widths=RED_WIDTHS, left=(1, 4), no_wrap={0, 3},
                      fills={(r, 0): LIGHT_FILL["red"] for r in range(len(projects["red"]))})


def _pipeline(document, pack, part):
    """双招双引 (only when the region has leads)."""
    part("双招双引")
    gongwen.para(document, pipeline_sentence(pack.pipeline, pack.period), keep=True)
    gongwen.table(document, PIPELINE_COLUMNS, [pipeline_cells(pack.pipeline)], widths=PIPELINE_WIDTHS, size=Pt(9),
                  narrow=True)


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
        gongwen.para(document, "本期没有村居日报。")
        return
    gongwen.para(document, daily_sentence(daily), keep=True)
    gongwen.table(document, ["镇街", "应报（村·日）", "按时", "逾期", "缺报", "按时报送率(%)"], daily_rows(daily),
           widths=[3.6, 2.6, 2.2, 2.2, 2.2, 2.8])


def _follow_ups(document, pack, part):
    """How the previous meeting's follow-up items stand."""
    follow = pack.follow_ups
    part("上次会议确定事项落实情况")
    if follow is None:
        gongwen.para(document, "本地区此前没有召开经济形势分析会。")
    elif not follow["items"]:
        gongwen.para(document, f"{follow['meeting']}没有确定事项。")
    else:
        gongwen.para(document, f"{follow['meeting']}（{wording.day(follow['held_on'])}）确定事项{len(follow['items'])}项，"
                        f"截至{wording.day(follow['as_of'])}落实情况如下。", keep=True)
        gongwen.table(document, ["序号", "事项", "牵头单位", "完成时限", "亮灯", "进展"],
               [[f["number"], f["title"], f["lead_unit"], table_day(f["deadline"], pack.period.year), f["light"],
                 f["standing"]] for f in follow["items"]],
               widths=[1.6, 4.8, 3.0, 2.2, 1.2, 2.8], left=(1, 5), no_wrap={0, 4})


def render(pack) -> bytes:
    """The .docx: cover; 总体情况 (the overview); with figures the indicator table (landscape), the full-year outlook
    and the charts; the units' analyses (a meeting's pack); key work; 项目建设 and 双招双引 (where the region has
    projects, leads); daily reports; the previous meeting's
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
    if pack.projects:
        _projects(document, pack, part)
    if pack.pipeline:
        _pipeline(document, pack, part)
    _daily_reports(document, pack.daily, part)
    _follow_ups(document, pack, part)
    return gongwen.to_bytes(document)


def http_response(pack):
    """The .docx as a download named by its title (and, for clients that read only the plain name, by the region's
    code and the period)."""
    return gongwen.http_response(render(pack), pack.title + ".docx", f"{pack.region.code}-{pack.period_code}.docx")
