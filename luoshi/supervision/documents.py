"""A notice as a one-page document: the facts the print view and the .docx both show, and the .docx itself."""

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from luoshi.core.periods import day_label
from luoshi.core.text import for_documents

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def office_name(notice):
    return f"{notice.region.name}督查室"


def facts(notice):
    """(label, value) rows of the notice's table, in print order."""
    copied = "、".join(u.name for u in notice.copied_units.all()) or "—"
    task = notice.task
    rows = [("承办单位", notice.unit.name), ("抄送单位", copied), ("责任领导", notice.leader_name or "—"),
            ("重点任务", f"{task.number} {task.title}（{task.campaign.name}）")]
    if notice.milestone_id:
        m = notice.milestone
        rows.append(("督办节点", f"{m.number} {m.title}（完成时限{day_label(m.due)}）"))
    rows += [("开具日期", day_label(notice.opened_on)), ("答复时限", day_label(notice.reply_due))]
    if notice.redo_due:
        rows.append(("退回后答复时限", f"{day_label(notice.redo_due)}（{day_label(notice.returned_on)}退回）"))
    escalated = f"（{day_label(notice.escalated_on)}升级督办）" if notice.escalated_on else ""
    rows.append(("办理状态", notice.get_state_display() + escalated))
    return rows


def step_lines(notice):
    """One line per step; the opening's text is the reason, shown above it already."""
    lines = []
    for s in notice.steps.select_related("by"):
        who = (s.by.get_full_name() or s.by.username) if s.by else "系统"
        lines.append(f"{day_label(s.on)} {s.get_kind_display()}（{who}）" + ("" if s.kind == "opened" else f"：{s.text}"))
    return lines


def _text(paragraph, text, size, bold=False):
    """A run of 宋体 text, less the characters core.text refuses (stored before that check, or around it)."""
    run = paragraph.add_run(for_documents(text))
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "SimSun"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def notice_docx(notice) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.6)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(title, "督 办 单", 22, bold=True)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(number, notice.number, 14)

    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts(notice) + [("督办事由", notice.reason)]:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(3.2), Cm(12.6)
        _text(cells[0].paragraphs[0], label, 12, bold=True)
        _text(cells[1].paragraphs[0], value, 12)

    heading = doc.add_paragraph()
    _text(heading, "办理情况", 12, bold=True)
    for line in step_lines(notice):
        _text(doc.add_paragraph(), line, 10.5)

    ask = doc.add_paragraph()
    _text(ask, f"请{notice.unit.name}于{day_label(notice.answer_due)}前将办理情况书面报{office_name(notice)}。", 12)
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _text(sign, f"{office_name(notice)}\n{day_label(notice.opened_on)}", 12)

    out = BytesIO()
    doc.save(out)
    return out.getvalue()
