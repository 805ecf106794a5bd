"""The 招商 ledger as of a month (招商项目台账), one core.exports.Export: each lead as the board shows it."""

from luoshi.core.exports import Export
from luoshi.projects.pipeline import rules


def _day(day):
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


class Ledger(Export):
    sheet_title = "招商项目台账"
    headers = ["项目名称", "投资方", "行业", "责任单位", "拟落户镇（街道）", "资金来源", "外资来源国家（地区）",
               "合同投资额（万元）", "合同外资额（万美元）", *[f"{label}日期" for label in rules.STAGE_LABELS.values()],
               "当前阶段", "累计到位资金（万元）", "本年到位资金（万元）", "本年外资到位（万美元）", "三个月无进展"]

    def __init__(self, state):
        region, period = state["region"], state["period"]
        self.state = state
        self.filename = f"{region.name}{period.year}年1-{period.month}月招商项目台账"

    def rows(self):
        for r in self.state["rows"]:
            yield [r["name"], r["investor"], r["industry"], r["unit"], r["town"], r["capital_label"], r["country"],
                   r["contract"], r["contract_usd"], *[_day(r["days"].get(s)) for s in rules.STAGES], r["stage_label"],
                   r["funds"], r["funds_ytd"], r["usd_ytd"], "是" if r["stalled"] else ""]
