"""济阳区's project pool for 2020, as of 14 April 2020 (the write matrix's day), judged for 1-3月:

    p1 年产10万吨新材料项目  新建, 商务局, 济阳街道, plan 20000 of 50000, started 20 Feb, not 入库: 2000 + 3000 → 25 %,
                            yellow (开工1个月未入库); 包保 孙区长; funding 自有 30000 + 银行贷款 20000
    p2 智能装备产业园        续建, 财政局, 曲堤镇, plan 30000 of 80000, 入库: 1000 + 1000 + 1500 → 11.67 %, yellow (gap 13.33)
    p3 济阳街道社区服务中心   新建, 济阳街道办事处, plan 5000 of 6000, planned December 2019, not started: red, no report

The region: plan 55000, done 8500 → 15.45 % (pace 25, gap 9.55: green); start rate 1/2; 济阳街道 has not reported.
"""

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
import time_machine

from luoshi.projects import services
from luoshi.projects.rules import CONTINUING, NEW

TODAY = "2020-04-14 09:00 +0800"
MARCH = date(2020, 3, 1)


def build_projects(cast):
    leader = cast.sun_leader.person
    p1, _ = services.save_project(None, region=cast.jiyang, name="年产10万吨新材料项目", kind=NEW, unit=cast.units.shangwu,
                                  town=cast.town, total_investment=D("50000"), year_plans={2020: D("20000")},
                                  funding={"自有资金": D("30000"), "银行贷款": D("20000")}, category="产业项目",
                                  planned_start=date(2020, 2, 1), started_on=date(2020, 2, 20), leader=leader,
                                  owner="山东某新材料有限公司", start_year=2020, end_year=2021)
    p2, _ = services.save_project(None, region=cast.jiyang, name="智能装备产业园", kind=CONTINUING, unit=cast.units.caizheng,
                                  town=cast.other_town, total_investment=D("80000"), done_before=D("20000"),
                                  year_plans={2020: D("30000")}, category="产业项目", started_on=date(2019, 5, 1),
                                  statistics_on=date(2019, 6, 1), start_year=2019, end_year=2021)
    p3, _ = services.save_project(None, region=cast.jiyang, name="济阳街道社区服务中心", kind=NEW, unit=cast.units.town,
                                  town=cast.town, total_investment=D("6000"), year_plans={2020: D("5000")},
                                  category="社会民生项目", planned_start=date(2019, 12, 1), start_year=2020, end_year=2020)
    for project, months in ((p1, {2: "2000", 3: "3000"}), (p2, {1: "1000", 2: "1000", 3: "1500"})):
        for month, amount in months.items():
            services.submit_report(None, project, period=date(2020, month, 1), amount=D(amount),
                                   progress=f"{month}月形象进度")
    return SimpleNamespace(p1=p1, p2=p2, p3=p3)


@pytest.fixture
def pool(cast):
    with time_machine.travel(TODAY, tick=False):
        yield build_projects(cast)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield
