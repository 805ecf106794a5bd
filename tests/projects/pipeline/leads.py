"""济阳区's 招商 ledger for the tests, built through the services as of 14 April 2020 (the caller freezes the day):

    L1 新加坡物流园     外资 (新加坡), 商务局, 济阳街道: 线索 2019-10-08, 在谈 2019-11-20, 签约 2020-01-10 (合同 35000 万元,
                       5000 万美元), 注册 2020-02-18; 外资 1月 300 万美元 at 7 (2100 万元), 3月 200 at 7.1 (1420 万元)
    L2 预制菜加工项目   内资, 济阳街道办事处 (the town's own lead), 济阳街道: 线索 2020-02-05, 在谈 2020-03-02
    L3 京东物流中心     内资, 商务局, 曲堤镇: 线索 2019-06-01, 签约 2019-12-20 (20000); 内资 1月 1000 万元; nothing since
    L4 重汽专用车项目   内资, 商务局, 曲堤镇: 线索 2019-09-01, 签约 2020-01-20 (60000), 注册 2020-02-10, 开工 2020-03-05
                       (into the pools); 内资 2月 3000, 3月 2000 万元

As of 1-3月: signed this year L1, L4 → 2, 合同 95000; registered or later 2 → 履约率 100 %; started 1 → 开工率 50 %;
producing 0; their funds 3520 + 5000 = 8520 → 资金到位率 8.97 %; 外资 300 + 200 = 500 万美元. Funnel 4 → 4 → 3 → 2 →
1 → 0. L3 (last progress January) is without progress from April.
"""

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.projects.pipeline import rules, services


def pdf(name="合同.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def _go(lead, stages):
    for stage, day, extra in stages:
        files = [pdf(f"{rules.STAGE_LABELS[stage]}.pdf")] if stage in rules.EVIDENCE_NEEDED else []
        services.advance(None, lead, stage=stage, day=day, files=files, **extra)


def build_pipeline(cast):
    u = cast.units
    l1, _ = services.save_lead(None, region=cast.jiyang, name="新加坡物流园", unit=u.shangwu, town=cast.town,
                               capital=rules.FOREIGN, country="新加坡", investor="新加坡某物流集团",
                               lead_on=date(2019, 10, 8))
    _go(l1, [(rules.TALKS, date(2019, 11, 20), {}),
             (rules.SIGNED, date(2020, 1, 10), {"contract_investment": D("35000"), "contract_usd": D("5000")}),
             (rules.REGISTERED, date(2020, 2, 18), {})])
    services.record_arrival(None, l1, period=date(2020, 1, 1), capital=rules.FOREIGN, usd=D("300"), fx=D("7"))
    services.record_arrival(None, l1, period=date(2020, 3, 1), capital=rules.FOREIGN, usd=D("200"), fx=D("7.1"))
    l2, _ = services.save_lead(None, region=cast.jiyang, name="预制菜加工项目", unit=u.town, town=cast.town,
                               lead_on=date(2020, 2, 5))
    _go(l2, [(rules.TALKS, date(2020, 3, 2), {})])
    l3, _ = services.save_lead(None, region=cast.jiyang, name="京东物流中心", unit=u.shangwu, town=cast.other_town,
                               lead_on=date(2019, 6, 1))
    _go(l3, [(rules.SIGNED, date(2019, 12, 20), {"contract_investment": D("20000")})])
    services.record_arrival(None, l3, period=date(2020, 1, 1), capital=rules.DOMESTIC, amount=D("1000"))
    l4, _ = services.save_lead(None, region=cast.jiyang, name="重汽专用车项目", unit=u.shangwu, town=cast.other_town,
                               lead_on=date(2019, 9, 1))
    _go(l4, [(rules.SIGNED, date(2020, 1, 20), {"contract_investment": D("60000")}),
             (rules.REGISTERED, date(2020, 2, 10), {}), (rules.STARTED, date(2020, 3, 5), {})])
    services.record_arrival(None, l4, period=date(2020, 2, 1), capital=rules.DOMESTIC, amount=D("3000"))
    services.record_arrival(None, l4, period=date(2020, 3, 1), capital=rules.DOMESTIC, amount=D("2000"))
    return SimpleNamespace(l1=l1, l2=l2, l3=l3, l4=l4)
