"""The pipeline's pure rules (docs/rules.md §9, 招商), with hand-computed cases."""

from datetime import date
from decimal import Decimal as D

from luoshi.projects.pipeline import rules
from luoshi.projects.pipeline.rules import FOREIGN, DOMESTIC, LEAD, PRODUCING, REGISTERED, SIGNED, STARTED, TALKS

TODAY = date(2020, 4, 14)


def problems(reached, stage, day, evidence=1, contract=D(100)):
    return rules.stage_problems(reached=reached, stage=stage, day=day, today=TODAY, evidence=evidence,
                                contract_investment=contract)


def test_a_lead_moves_forward_and_may_skip_talks_but_nothing_comes_after_signing_without_it():
    assert problems({LEAD: date(2020, 1, 2)}, SIGNED, date(2020, 2, 1)) == []
    assert problems({LEAD: date(2020, 1, 2)}, REGISTERED, date(2020, 2, 1)) == ["项目尚未签约，不能记录注册"]
    assert problems({LEAD: date(2020, 1, 2), SIGNED: date(2020, 2, 1)}, STARTED, date(2020, 3, 1)) == []
    assert problems({LEAD: date(2020, 1, 2), SIGNED: date(2020, 2, 1)}, TALKS, date(2020, 3, 1)) == [
        "该项目已到签约阶段，不能再记录在谈（阶段只能向前推进）"]


def test_a_stage_is_not_before_the_last_one_nor_after_today_nor_twice():
    reached = {LEAD: date(2020, 1, 2), TALKS: date(2020, 3, 1)}
    assert problems(reached, SIGNED, date(2020, 2, 28)) == ["签约日期早于上一阶段（在谈，2020年3月1日）"]
    assert problems(reached, SIGNED, date(2020, 4, 15)) == ["签约日期 2020年4月15日晚于今天"]
    assert problems(reached, TALKS, date(2020, 3, 2)) == ["该项目已记录在谈，如需修改日期或说明请点「更正」"]
    assert problems(reached, SIGNED, None) == ["请填写签约日期"]


def test_from_signing_on_a_stage_needs_evidence_and_signing_a_contract_amount():
    reached = {LEAD: date(2020, 1, 2)}
    assert problems(reached, TALKS, date(2020, 2, 1), evidence=0) == []
    assert problems(reached, SIGNED, date(2020, 2, 1), evidence=0, contract=None) == [
        "签约须填写合同投资额（万元）", "签约须上传佐证材料（合同）"]
    assert problems({**reached, SIGNED: date(2020, 2, 1)}, PRODUCING, date(2020, 3, 1), evidence=0) == [
        "投产须上传佐证材料（投产照片或证明）"]


def test_a_corrected_day_stays_between_its_neighbours():
    reached = {LEAD: date(2020, 1, 2), SIGNED: date(2020, 2, 1), REGISTERED: date(2020, 3, 1)}
    check = lambda day: rules.correction_problems(reached=reached, stage=SIGNED, day=day, today=TODAY)  # noqa: E731
    assert check(date(2020, 2, 20)) == []
    assert check(date(2020, 3, 2)) == ["签约日期晚于注册（2020年3月1日）"]
    assert check(date(2020, 1, 1)) == ["签约日期早于线索（2020年1月2日）"]


def test_the_stage_as_of_a_month_is_the_furthest_reached_by_its_end():
    reached = {LEAD: date(2019, 10, 8), SIGNED: date(2020, 1, 10), REGISTERED: date(2020, 2, 18)}
    assert rules.furthest(reached, date(2020, 1, 1)) == (SIGNED, date(2020, 1, 10))
    assert rules.furthest(reached, date(2020, 3, 1)) == (REGISTERED, date(2020, 2, 18))
    assert rules.furthest(reached, date(2019, 9, 1)) == (None, None)


def test_foreign_capital_is_in_dollars_converted_at_its_rate():
    assert rules.to_wan(D("300"), D("7")) == D("2100.00")
    assert rules.to_wan(D("200"), D("7.1")) == D("1420.00")
    assert rules.to_wan(D("123.45"), D("7.0456")) == D("869.78")  # 869.7793…


def arrival(**kw):
    base = {"capital": FOREIGN, "lead_capital": FOREIGN, "amount": None, "usd": D(100), "fx": D(7),
            "period": date(2020, 3, 1), "this_month": date(2020, 4, 1), "signed_on": date(2020, 1, 10)}
    return rules.arrival_problems(**{**base, **kw})


def test_funds_arrive_from_the_signing_month_and_foreign_only_to_a_foreign_lead():
    assert arrival() == []
    assert arrival(period=date(2020, 1, 1)) == []
    assert arrival(signed_on=date(2020, 4, 2)) == ["到位资金只能记在签约当月及以后（项目在该月尚未签约）"]
    assert arrival(signed_on=None, period=date(2020, 5, 1)) == [
        "到位月份 2020年5月晚于本月", "到位资金只能记在签约当月及以后（项目在该月尚未签约）"]
    assert arrival(lead_capital=DOMESTIC) == ["内资项目不能记录外资到位，请先将项目的资金来源改为外资"]
    assert arrival(usd=None, fx=D(70)) == ["外资到位请填写金额（万美元，大于0）", "折算汇率应为每美元 5 至 9 元"]
    assert arrival(capital=DOMESTIC, amount=D(0)) == ["内资到位请填写金额（万元，大于0）"]


def test_a_signed_lead_is_without_progress_three_months_after_its_last_progress():
    stalled = lambda stage, last, period: rules.stalled(stage=stage, signed_on=date(2020, 1, 15),  # noqa: E731
                                                       last_progress=last, period=period)
    assert not stalled(SIGNED, date(2020, 1, 15), date(2020, 3, 1))
    assert stalled(SIGNED, date(2020, 1, 15), date(2020, 4, 1))  # signed in January, nothing since: from April
    assert not stalled(SIGNED, date(2020, 2, 1), date(2020, 4, 1))  # 到位资金 in February
    assert not stalled(PRODUCING, date(2020, 1, 15), date(2020, 6, 1))
    assert not stalled(TALKS, date(2019, 1, 1), date(2020, 6, 1))


def row(signed_on, stage, contract, funds):
    return {"signed_on": signed_on, "stage": stage, "contract": None if contract is None else D(contract), "funds": D(funds)}


def test_the_rates_count_the_leads_signed_this_year_by_the_end_of_the_month():
    rows = [row(date(2020, 1, 10), REGISTERED, 35000, 3520), row(date(2020, 1, 20), STARTED, 60000, 5000),
            row(date(2019, 12, 20), SIGNED, 20000, 1000), row(None, TALKS, None, 0),
            row(date(2020, 4, 2), SIGNED, 10000, 0)]
    got = rules.summary(rows, date(2020, 3, 1))
    assert got == {"signed": 2, "contract_total": D("95000.00"), "registered": 2, "started": 1, "producing": 0,
                   "funds_arrived": D("8520.00"),
                   "rates": {"performance": D("100.00"), "start": D("50.00"), "production": D("0.00"), "funds": D("8.97")}}
    assert rules.summary([], date(2020, 3, 1))["rates"] == {"performance": None, "start": None, "production": None,
                                                           "funds": None}


def test_the_funnel_counts_each_stage_reached_or_passed():
    rows = [{"stage": REGISTERED}, {"stage": TALKS}, {"stage": SIGNED}, {"stage": STARTED}]
    assert [n for _, _, n in rules.funnel(rows)] == [4, 4, 3, 2, 1, 0]
    assert rules.in_years_pipeline(first_day=date(2018, 1, 1), producing_on=date(2019, 5, 1), period=date(2020, 3, 1)) is False
    assert rules.in_years_pipeline(first_day=date(2018, 1, 1), producing_on=date(2020, 2, 1), period=date(2020, 3, 1)) is True
    assert rules.in_years_pipeline(first_day=date(2020, 4, 1), producing_on=None, period=date(2020, 3, 1)) is False
