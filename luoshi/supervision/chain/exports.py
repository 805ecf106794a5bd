"""The seriously overdue items with their chains, for the meeting: an xlsx (core.exports.Export, one row per event of
each chain, registered as `luoshi export supervision-overdue FILE`) and a .docx (python-docx)."""

from io import BytesIO

from django.db.models import Q
from django.utils import timezone

from luoshi.core.exports import Export
from luoshi.core.periods import day_label
from luoshi.core.registry import register_exporter
from luoshi.core.text import for_documents

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class OverdueChainsExport(Export):
    sheet_title = "严重滞后事项倒查"
    headers = ["任务序号", "攻坚战", "重点任务", "节点", "完成时限", "应完成日", "滞后工作日", "现牵头单位", "现责任领导",
               "到期时牵头单位", "到期时责任领导", "日期", "环节", "事项", "内容", "单位", "经办人"]
    column_widths = {3: 30, 4: 24, 14: 18, 15: 60}

    def __init__(self, items, as_of):
        self.items, self.as_of = items, as_of
        self.filename = f"严重滞后事项倒查-{as_of:%Y-%m-%d}"

    def rows(self):
        for item in self.items:
            t, m, holder = item.task, item.milestone, item.due_holder
            head = [t["number"], t["campaign"], t["title"], f"{m['number']} {m['title']}", m["due"], m["effective_due"],
                    m["working_days_late"], t["lead_unit"], t["leader_name"], holder.lead_unit if holder else "",
                    holder.leader_name if holder else ""]
            for event in item.chain.events:
                yield [*head, event.on, event.kind_label, event.title, event.text, event.unit, event.person]


def overdue_docx(items, as_of) -> tuple[str, str, bytes]:
    """(filename, mime type, bytes): one section per item — what, who led it when due and now, and its timeline.
    People's text goes in through core.text.for_documents (python-docx refuses a control character)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "SimSun", Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    doc.add_heading(f"严重滞后事项倒查（截至{day_label(as_of)}）", level=1)
    doc.add_paragraph(f"共 {len(items)} 项。" if items else "截至该日没有严重滞后的节点。")
    for number, item in enumerate(items, start=1):
        t, m, holder = item.task, item.milestone, item.due_holder
        doc.add_heading(for_documents(f"{number}. {t['number']} {t['title']} / {m['title']}"), level=2)
        facts = [("攻坚战", t["campaign"]), ("完成时限", f"{day_label(m['due'])}（应完成 {day_label(m['effective_due'])}）"),
                 ("滞后", f"{m['working_days_late']} 个工作日" + (f"，缺报 {t['missed_periods']} 期" if t["missed_periods"] else "")),
                 ("现牵头单位 / 责任领导", f"{t['lead_unit']} / {t['leader_name'] or '未定'}"),
                 ("到期时牵头单位 / 责任领导", f"{holder.lead_unit} / {holder.leader_name or '未定'}" if holder else "未记录")]
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in facts:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, for_documents(str(value))
        timeline = doc.add_table(rows=1, cols=4)
        timeline.style = "Table Grid"
        for cell, text in zip(timeline.rows[0].cells, ["日期", "环节", "事项", "单位 / 经办人"]):
            cell.text = text
        for event in item.chain.events:
            cells = timeline.add_row().cells
            cells[0].text = event.on.isoformat()
            cells[1].text = event.kind_label
            cells[2].text = for_documents(f"{event.title}：{event.text}" if event.text else event.title)
            cells[3].text = for_documents(" / ".join(x for x in (event.unit, event.person) if x))
    buffer = BytesIO()
    doc.save(buffer)
    return f"严重滞后事项倒查-{as_of:%Y-%m-%d}.docx", DOCX_MIME, buffer.getvalue()


@register_exporter("supervision-overdue", "严重滞后事项及其倒查记录（截至今天，每个事件一行）")
def export_overdue(actor=None):
    from luoshi.supervision.chain import access, queries

    as_of = timezone.localdate()
    task_q = Q() if actor is None else access.chain_list_filter(actor)
    return OverdueChainsExport(queries.seriously_overdue(as_of, task_q), as_of)
