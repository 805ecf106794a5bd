"""The key-work downloads: the schedule table (配档表, the columns the import reads, so an export imports again
unchanged) and the Gantt chart's rows as judged on a day."""

from collections import defaultdict

from luoshi.core.exports import Export
from luoshi.core.registry import register_exporter
from luoshi.work import access, rules
from luoshi.work.models import Milestone, ProgressReport, Task, TaskRole
from luoshi.work.transfers import COLUMNS, EXTRA, LEDGER, MARK, MONTHS


def _names(units):
    return "、".join(u for u in units)


class ScheduleExport(Export):
    filename = "配档表"
    sheet_title = "配档表"
    headers = COLUMNS + MONTHS + LEDGER + EXTRA
    column_widths = {1: 8, 2: 16, 3: 36, 4: 36, 5: 14, 6: 18, 7: 18, 8: 10, 9: 12, 10: 12,
                     **{11 + i: 5 for i in range(12)}, 23: 12, 24: 30, 25: 10, 26: 16}

    def __init__(self, tasks=None):
        self.tasks = tasks if tasks is not None else Task.objects.all()

    def rows(self):
        tasks = list(self.tasks.select_related("campaign", "lead_unit").prefetch_related("task_units__unit")
                     .order_by("campaign__order", "campaign_id", "order", "id"))
        milestones = defaultdict(list)
        for m in Milestone.objects.filter(task__in=[t.pk for t in tasks]).select_related("follows").order_by("order", "id"):
            milestones[m.task_id].append(m)
        texts = {}
        for report in (ProgressReport.objects.filter(task__in=[t.pk for t in tasks], is_current=True)
                       .prefetch_related("completions").order_by("reported_on", "id")):
            for completion in report.completions.all():
                texts.setdefault(completion.milestone_id, report.done_text)
        for task in tasks:
            by_role = defaultdict(list)
            for tu in task.task_units.all():
                by_role[tu.role].append(tu.unit.name)
            units = [task.lead_unit.name, _names(by_role[TaskRole.RESPONSIBLE]), _names(by_role[TaskRole.COOPERATING]),
                     task.leader_name]
            months = rules.month_span(task.start, task.deadline)
            yield ([task.number, task.campaign.name, task.title, "", *units, task.start, task.deadline]
                   + [MARK if m in months else "" for m in range(1, 13)] + ["", "", "", "、".join(task.indicator_codes)])
            for m in milestones[task.pk]:
                months = m.planned_months or rules.month_span(m.start, m.due)
                yield ([m.number, task.campaign.name, task.title, m.title, *units, m.start, m.due]
                       + [MARK if i in months else "" for i in range(1, 13)]
                       + [m.done_on, texts.get(m.pk, "") if m.done_on else "", m.follows.number if m.follows_id else "", ""])

    def style_workbook(self, worksheet):
        from openpyxl.styles import Alignment, PatternFill

        task_fill = PatternFill("solid", fgColor="1F5FA8")
        milestone_fill = PatternFill("solid", fgColor="9DC3E6")
        done_fill = PatternFill("solid", fgColor="A9D18E")
        first_month = len(COLUMNS) + 1
        for row in worksheet.iter_rows(min_row=2):
            is_task = not row[3].value
            done = bool(row[first_month + 11].value) if len(row) > first_month + 11 else False
            for index in range(first_month - 1, first_month + 11):
                c = row[index]
                if c.value == MARK:
                    c.fill = task_fill if is_task else (done_fill if done else milestone_fill)
                    c.alignment = Alignment(horizontal="center")
            for index in (8, 9, first_month + 11):
                if row[index].value:
                    row[index].number_format = "yyyy-mm-dd"


@register_exporter("schedule", "重点工作配档表（攻坚战、重点任务、节点）")
def export_schedule(actor=None):
    """Every task for the command line (actor None); a person's page: the tasks they may read (work.access)."""
    if actor is None:
        return ScheduleExport()
    return ScheduleExport(access.visible_tasks(actor))


class GanttExport(Export):
    filename = "横道图"
    sheet_title = "横道图"
    headers = ["攻坚战", "序号", "重点任务", "节点", "牵头单位", "开始日期", "完成时限", "原定完成时限", "应完成日",
               "实际完成日期", "状态", "滞后工作日", "任务亮灯"]
    column_widths = {1: 16, 2: 8, 3: 36, 4: 36, 5: 14}

    def __init__(self, board):
        self.board = board

    def rows(self):
        by_task = {}
        for m in self.board.milestones:
            by_task.setdefault(m["task_id"], []).append(m)
        for t in self.board.tasks:
            light = rules.LIGHT_LABELS[t["light"]]
            yield [t["campaign"], t["number"], t["title"], "", t["lead_unit"], t["start"], t["deadline"], None, None, None,
                   "", None, light]
            for m in by_task.get(t["id"], []):
                yield [t["campaign"], m["number"], t["title"], m["title"], t["lead_unit"], m["start"], m["due"],
                       m["original_due"], m["effective_due"], m["done_on"], rules.STATUS_LABELS[m["status"]],
                       m["working_days_late"], light]

    def style_workbook(self, worksheet):
        for row in worksheet.iter_rows(min_row=2):
            for index in (5, 6, 7, 8, 9):
                if row[index].value:
                    row[index].number_format = "yyyy-mm-dd"
