"""The 通报 of a plan's month or quarter as a .docx in 公文 style (core.gongwen, as every Word writer of luoshi: the
发文机关标志 in red 方正小标宋简体 over a red rule, the title in 小标宋 2号, the body in 仿宋_GB2312 3号). Every text a person
wrote (titles of items, unit names) goes through core.text.for_documents; python-docx writes it as text, so a "<"
stays a "<" and an "=" is no formula."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from luoshi.core import gongwen, wording
from luoshi.core.gongwen import BODY_FONT, HEADING_FONT, RED, SIZE_2, SIZE_3, TITLE_FONT

PARTS = "一二三四五六七八九十"


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
    """1．<the item's title>（方案第2项，牵头单位：商务局）: the list's own number first, the 方案's after the title (a
    "1．2 4月底前…" would read as one number)."""
    number = row.item.number or row.item.task.number
    where = f"方案第{number}项" if str(number).isdigit() else f"方案{number}"
    return f"{i}．{row.item.title.rstrip('。；;')}（{where}，牵头单位：{row.unit}）"


def _late_text(late):
    """What is late: the node by name, unless it is the item's own final node (完成：<the item's title>)."""
    if not late:
        return "。"
    node = "" if late["title"].startswith("完成：") else f"节点「{late['title'].rstrip('。；;')}」"
    return (f"：{node}应于{wording.day(late['due'])}完成，已逾期{late['working_days_late']}个工作日。")


def bulletin_docx(bulletin, day) -> bytes:
    region = bulletin.plan.region
    doc = gongwen.new_document()
    gongwen.para(doc, office_name(region), TITLE_FONT, Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, space_after=12)
    gongwen.para(doc, f"{bulletin.period.label}", BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.red_line(doc)
    gongwen.para(doc, indent=False)
    gongwen.para(doc, bulletin.title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    gongwen.para(doc, "各镇（街道），区直各部门：", indent=False)
    gongwen.para(doc, f"为紧紧抓好政府工作要点事项的落实，{office_name(region)}对{bulletin.period.label}政府工作报告重点任务落实情况"
               f"进行了调度。现将有关情况通报如下。")
    count = [0]

    def part(text):
        count[0] += 1
        gongwen.para(doc, f"{PARTS[count[0] - 1]}、{text}", HEADING_FONT, SIZE_3, space_after=6)

    part("总体情况")
    gongwen.para(doc, summary_sentence(bulletin))
    part("已销号事项")
    closed = bulletin.closed_in_period
    if not closed:
        gongwen.para(doc, "本期无。")
    for n, row in enumerate(closed, start=1):
        gongwen.para(doc, _item_line(n, row) + f"，{wording.day(row.closed_on)}销号。")
    part("逾期未完成事项")
    if not bulletin.overdue:
        gongwen.para(doc, "本期无。")
    for n, row in enumerate(bulletin.overdue, start=1):
        gongwen.para(doc, _item_line(n, row) + _late_text(row.late))
    part("未达序时进度事项")
    if not bulletin.behind:
        gongwen.para(doc, "本期无。")
    for n, row in enumerate(bulletin.behind, start=1):
        reason = f"缺报{row.missed_periods}期" if row.missed_periods else "进度低于序时"
        gongwen.para(doc, _item_line(n, row) + f"：{reason}。")
    gongwen.para(doc, "各牵头单位要切实担负起牵头责任，对照时间表、路线图抓推进；逾期和未达序时进度的事项，请于5个工作日内将"
               f"原因和整改措施书面报{office_name(region)}。")
    attachment = f"{bulletin.period.label}各牵头单位重点任务落实情况统计表"
    gongwen.para(doc, indent=False)
    gongwen.para(doc, f"附件：{attachment}")  # 公文: the attachment is named after the body, before the signature
    gongwen.para(doc, indent=False)
    signature = gongwen.para(doc, office_name(region), BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(SIZE_3.pt * 2)
    date_line = gongwen.para(doc, wording.day(day), BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date_line.paragraph_format.right_indent = Pt(SIZE_3.pt * 2)
    doc.add_page_break()  # the attachment on its own page: 附件 in 黑体 at the top left, its title, the table
    gongwen.para(doc, "附件", HEADING_FONT, SIZE_3, indent=False, keep=True)
    gongwen.para(doc, attachment, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12, keep=True)
    gongwen.table(doc, UNIT_HEADERS, unit_table_rows(bulletin), left=(1,))
    return gongwen.to_bytes(doc)


def filename(bulletin):
    return f"{bulletin.plan.region.name}-{bulletin.period.code}-政府工作报告重点任务通报.docx"


def http_response(data: bytes, name: str):
    return gongwen.http_response(data, name)
