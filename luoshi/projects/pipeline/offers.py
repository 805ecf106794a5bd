"""The figures the projects app offers to indicators beside the statistics bureau's (core.offers), registered by
projects' AppConfig.ready(): the 招商 ledger's 外资到位 to 实际利用外资 (fdi) and its 到位资金 to 招商引资到位资金
(investment_funds), the projects' counted investment (入库 统计数) to 固定资产投资 (fai). Each links to the page
listing what is behind it; each is offered only to a person who may read that page."""

from django.urls import reverse

from luoshi.core.offers import Offer, register
from luoshi.projects import access as pool_access
from luoshi.projects.pipeline import access, queries


def _months(period):
    return f"1-{period.month}月" if period.month > 1 else "1月"


def _board_url(region, period, anchor=""):
    return f"{reverse('projects:pipeline')}?region={region.code}&period={period:%Y-%m}{anchor}"


def fdi(user, region, period):
    if not access.can_read_board(user, region):
        return None
    usd, leads = queries.fdi_usd(region, period)
    if not leads:
        return None
    return Offer(label=f"招商台账外资到位（{period.year}年{_months(period)}累计）", value=usd, unit="万美元",
                 source="商务局招商台账", url=_board_url(region, period, "#funds"),
                 link_text=f"查看{leads}个外资项目的到位资金")


def investment_funds(user, region, period):
    if not access.can_read_board(user, region):
        return None
    amount, leads = queries.funds_ytd(region, period)
    if not leads:
        return None
    return Offer(label=f"招商台账到位资金（{period.year}年{_months(period)}累计，外资按记录汇率折算）", value=amount,
                 unit="万元", source="商务局招商台账", url=_board_url(region, period, "#funds"),
                 link_text=f"查看{leads}个项目的到位资金")


def fai(user, region, period):
    if not pool_access.can_read_region(user, region):
        return None
    amount, projects = queries.counted_investment(region, period)
    if not projects:
        return None
    return Offer(label=f"重点项目统计入库投资（{period.year}年{_months(period)}）", value=amount, unit="万元",
                 source="统计局入库项目（重点项目调度表）",
                 url=f"{reverse('projects:table')}?region={region.code}&period={period:%Y-%m}",
                 link_text=f"查看{projects}个入库项目", note="统计局固定资产投资以增速发布；此为重点项目的入库投资额，两者口径不同")


def register_all():
    register("fdi", fdi)
    register("investment_funds", investment_funds)
    register("fai", fai)
