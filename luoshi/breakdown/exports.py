"""The breakdown's downloads: a plan's 通报 of a month or quarter as a table, one row per item (its state, lead unit,
the node overdue, the 销号 date), built from queries.bulletin after breakdown.access allowed the reader."""

from luoshi.breakdown import rules
from luoshi.core.exports import Export


class BulletinExport(Export):
    sheet_title = "通报"
    headers = ["序号", "所属部分", "重点任务", "牵头单位", "落实情况", "亮灯", "缺报期数", "逾期节点", "应完成日", "逾期工作日", "销号日期"]
    column_widths = {1: 10, 2: 24, 3: 48, 4: 16, 5: 14, 6: 8, 7: 10, 8: 30, 9: 12, 10: 10, 11: 12}

    def __init__(self, bulletin):
        self.bulletin = bulletin
        self.filename = f"{bulletin.plan.region.name}-{bulletin.period.code}-政府工作报告重点任务通报"

    def rows(self):
        lights = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
        for row in self.bulletin.items:
            late = row.late or {}
            yield [row.item.number or row.item.task.number, row.item.section, row.item.title, row.unit,
                   rules.STATE_LABELS[row.state], lights.get(row.light, ""), row.missed_periods, late.get("title", ""),
                   late.get("due"), late.get("working_days_late", ""), row.closed_on]
