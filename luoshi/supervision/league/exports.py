"""The league table as an xlsx (core.exports.Export: formula-safe), both ends shaded."""

from luoshi.core.exports import Export
from luoshi.supervision.league import rules
from luoshi.supervision.league.queries import COLUMN_LABELS, COUNT_KEYS

FILLS = {rules.TOP: "E2F0D9", rules.BOTTOM: "FBE2D5"}


class LeagueExport(Export):
    sheet_title = "考核排名"
    # 加减分 (approved), 调整后得分 and 待批准加减分 beside 得分 (结果运用, issue #23): the score itself is never changed.
    headers = ["名次", "名次升降", "单位", "单位全称", "得分", "加减分", "调整后得分", "待批准加减分",
               *(COLUMN_LABELS[k] for k in COUNT_KEYS), "区分"]
    column_widths = {3: 14, 4: 28}

    def __init__(self, table):
        self.table = table
        region = table.region.name if table.region else "全部单位"
        self.filename = f"考核排名-{region}-{table.period_code}"

    def rows(self):
        for row in self.table.rows:
            yield [row.rank, row.rank_change, row.unit, row.unit_name, row.score, row.adjustment, row.adjusted_score,
                   row.adjustment_pending, *row.count_list, row.band_label]

    def style_workbook(self, worksheet):
        from openpyxl.styles import PatternFill

        for index, row in enumerate(self.table.rows, start=2):
            color = FILLS.get(row.band)
            if color:
                for cell in worksheet[index]:
                    cell.fill = PatternFill("solid", fgColor=color)
