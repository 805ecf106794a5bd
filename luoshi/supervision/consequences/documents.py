"""结果运用 documents in 公文 style (core.gongwen, as the meeting pack's): A4, the title in 方正小标宋简体 2号, the 文号 and
body in 仿宋_GB2312 3号 with 28 pt lines and two-character indents, headings 黑体, fallbacks named in the font table
(宋体, 仿宋, 黑体), page numbers "— N —". People's text goes through core.text.for_documents; python-docx writes it as
text (a "<" stays a "<", an "=" at the start of a line is no formula).

- decision_docx(consequence): the leader's decision — "关于对区财政局进行约谈的通知", 文号, 主送, the facts, the
  decision and what the unit must do, 落款 and the date in Chinese;
- bulletin_docx(bulletin): the month's 通报 — 先进 with their 典型经验, 后进, the consequences decided that month, the
  adjustments, and the table."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from luoshi.core import gongwen
from luoshi.core.gongwen import BODY_FONT, HEADING_FONT, KAI_FONT, RED, SIZE_2, SIZE_3, TITLE_FONT
from luoshi.supervision.consequences import rules
from luoshi.supervision.league.queries import COLUMN_LABELS

CHINESE_NUMBERS = "一二三四五六七八九十"


def office_name(region):
    """The office that signs, as the notices name it (supervision.documents.office_name)."""
    return f"{region.name}督查室"


def _head(doc, region, number):
    """发文机关标志 (red, 小标宋), the 文号 below it, the red rule."""
    gongwen.para(doc, office_name(region), TITLE_FONT, Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, space_after=12)
    if number:
        gongwen.para(doc, number, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.red_line(doc)
    gongwen.para(doc, indent=False)


def _sign(doc, region, day):
    gongwen.para(doc, indent=False)
    gongwen.para(doc, office_name(region), BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
    gongwen.para(doc, rules.chinese_date(day), BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)


def http_response(data: bytes, filename: str):
    return gongwen.http_response(data, filename)


# --- the decision ----------------------------------------------------------------------------------------------------

VERBS = {rules.TALK: "进行提醒谈话", rules.INTERVIEW: "进行约谈", rules.CRITICISM: "予以通报批评",
         rules.ACCOUNTABILITY: "将有关问题线索移送{region}纪委监委"}
ASKS = {
    rules.TALK: "请你单位主要负责同志于接到本通知后 3 个工作日内到{office}接受提醒谈话，就上述问题作出说明，并抓好整改落实。",
    rules.INTERVIEW: "请你单位主要负责同志于接到本通知后 3 个工作日内到{office}接受约谈，并提交书面整改报告，"
                     "说明问题原因、整改措施和完成时限。",
    rules.CRITICISM: "请你单位认真反思，深刻剖析原因，举一反三，限期整改到位，并于 10 个工作日内将整改情况书面报{office}。",
    rules.ACCOUNTABILITY: "由{region}纪委监委严格按照相关法纪规章严肃处理。请你单位积极配合调查，如实提供有关情况，"
                          "同时抓紧整改，确保相关工作落实到位。",
}
CLOSINGS = {"通知": "特此通知。", "决定": "特此决定。"}


def decision_title(consequence):
    return rules.decision_title(consequence.decision.kind, consequence.unit.name)


def decision_filename(consequence):
    return f"{consequence.decision.number}-{decision_title(consequence)}.docx"


def decision_docx(consequence) -> bytes:
    """The approved decision as a 公文. Raises ValueError for a proposal not approved (the view answers 400)."""
    if not consequence.decided or not consequence.decision.approved:
        raise ValueError("not approved")
    decision, region, unit = consequence.decision, consequence.region, consequence.unit
    kind, office = decision.kind, office_name(region)
    doc = gongwen.new_document()
    _head(doc, region, decision.number)
    gongwen.para(doc, decision_title(consequence), TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    gongwen.para(doc, f"{unit.name}：", indent=False)
    facts = consequence.fact_lines
    subject = f"你单位{('（责任人：' + consequence.person_name + '）') if consequence.person_name else ''}"
    if facts:
        gongwen.para(doc, f"经倒查，{subject}存在以下问题：")
        for i, fact in enumerate(facts):
            number = CHINESE_NUMBERS[i] if i < len(CHINESE_NUMBERS) else str(i + 1)
            gongwen.para(doc, f"（{number}）{fact}。" if not fact.endswith("。") else f"（{number}）{fact}")
    else:
        gongwen.para(doc, f"经倒查，{subject}存在以下问题：{consequence.reason}")
    verb = VERBS[kind].format(region=region.name)
    approver = decision.decider_name or "区领导"
    gongwen.para(doc, f"{region.name}领导（{approver}）于{rules.chinese_date(decision.decided_on)}研究同意，决定对你单位{verb}。"
          if kind != rules.ACCOUNTABILITY else
          f"{region.name}领导（{approver}）于{rules.chinese_date(decision.decided_on)}研究同意，决定{verb}。")
    if decision.note:
        gongwen.para(doc, f"领导批示：{decision.note}")
    gongwen.para(doc, ASKS[kind].format(office=office, region=region.name))
    gongwen.para(doc, CLOSINGS[rules.document_type(kind)])
    _sign(doc, region, decision.decided_on)
    return gongwen.to_bytes(doc)


# --- the month's 通报 -------------------------------------------------------------------------------------------------

SHORTFALL_WORDS = [("seriously_overdue", "严重滞后节点 {n} 个"), ("overdue", "滞后节点 {n} 个"),
                   ("done_late", "逾期完成节点 {n} 个"), ("reports_missing", "缺报进度 {n} 期"),
                   ("reports_late", "逾期报送 {n} 期"), ("notices_late", "督办单逾期答复 {n} 次")]


def shortfalls(counts) -> str:
    return "，".join(text.format(n=counts[key]) for key, text in SHORTFALL_WORDS if counts.get(key)) or "无扣分项"


def bulletin_title(bulletin):
    p = bulletin.table.period
    return f"关于{p.year}年{p.month}月重点工作考核情况的通报"


def bulletin_filename(bulletin):
    return f"{bulletin.region.name}-{bulletin.table.period_code}-月度通报.docx"


def _parts(doc):
    count = [0]

    def part(text):
        count[0] += 1
        gongwen.para(doc, f"{CHINESE_NUMBERS[count[0] - 1]}、{text}", HEADING_FONT, SIZE_3, space_after=6)

    return part


def _league_table(doc, table):
    header = ["名次", "单位", "得分", "加减分", "调整后得分", *(COLUMN_LABELS[k] for k in ("seriously_overdue", "overdue",
                                                                               "reports_missing", "notices_late")), "区分"]
    rows = [[row.rank or "—", row.unit_name, row.score, rules.signed(row.adjustment) if row.adjustment else "—",
             row.adjusted_score, row.counts["seriously_overdue"], row.counts["overdue"], row.counts["reports_missing"],
             row.counts["notices_late"], row.band_label] for row in table.rows]
    gongwen.table(doc, header, rows, left=(1,))


def bulletin_docx(bulletin, day) -> bytes:
    table, region = bulletin.table, bulletin.region
    p = table.period
    doc = gongwen.new_document()
    _head(doc, region, f"{p.year}年第{p.month}期")
    gongwen.para(doc, bulletin_title(bulletin), TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    gongwen.para(doc, "各镇（街道），区直各部门：", indent=False)
    assessed = [r for r in table.rows if r.rank]
    gongwen.para(doc, f"按照重点工作考核办法，{region.name}督查室对{len(assessed)}个牵头单位{table.period_label}重点工作落实情况进行了"
               f"考核（按{rules.chinese_date(table.as_of)}判定）。为抓亮点、树典型，抓两头、促中间，现将有关情况通报如下。")
    part = _parts(doc)
    part("先进单位（通报表扬）")
    if not bulletin.top:
        gongwen.para(doc, "本月无先进单位。")
    for row, experience in bulletin.top:
        gongwen.para(doc, f"{row.unit_name}：第{row.rank}名，得分{rules.adjustment_text(row.score, row.adjustment)}。"
                   f"予以通报表扬。", bold=False)
        if experience is not None:
            gongwen.para(doc, f"典型经验：{experience.title}", KAI_FONT, SIZE_3)
            for line in experience.text.splitlines():
                if line.strip():
                    gongwen.para(doc, line.strip())
        else:
            gongwen.para(doc, "（典型经验尚未报送或采用。）")
    part("后进单位")
    if not bulletin.bottom:
        gongwen.para(doc, "本月无后进单位。")
    for row in bulletin.bottom:
        gongwen.para(doc, f"{row.unit_name}：第{row.rank}名，得分{rules.adjustment_text(row.score, row.adjustment)}，"
                   f"{shortfalls(row.counts)}。请认真分析原因，限期整改。")
    part("结果运用")
    if not bulletin.decisions:
        gongwen.para(doc, "本月无。")
    for decision in bulletin.decisions:
        c = decision.consequence
        person = f"（责任人：{c.person_name}）" if c.person_name else ""
        gongwen.para(doc, f"{c.unit.name}{person}：{rules.KIND_LABELS[decision.kind]}（{decision.number}，"
                   f"{rules.chinese_date(decision.decided_on)}决定）。{c.reason}")
    part("考核加减分")
    if not bulletin.adjustments:
        gongwen.para(doc, "本月无。")
    for a in bulletin.adjustments:
        gongwen.para(doc, f"{a.unit.name}{a.signed_points}分：{a.reason}（{rules.chinese_date(a.decision.decided_on)}经区领导批准）。")
    gongwen.para(doc, "各单位要对照先进找差距，对照问题抓整改，确保各项重点工作按期落实。")
    _sign(doc, region, day)
    gongwen.para(doc, f"附件：{table.period_label}单位考核排名表", indent=False)
    _league_table(doc, table)
    return gongwen.to_bytes(doc)
