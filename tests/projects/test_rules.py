"""The project pools' rules (docs/rules.md §9), hand-computed."""

from datetime import date
from decimal import Decimal as D

import pytest

from luoshi.projects import rules
from luoshi.projects.rules import GREEN, NEW, CONTINUING, RED, YELLOW, Thresholds


def test_pace_is_the_month_over_twelve_to_two_decimals():
    assert rules.pace(9) == D("75.00")
    assert rules.pace(2) == D("16.67")
    assert rules.pace(12) == D("100.00")


def test_completion_is_the_year_to_date_over_the_plan_and_missing_without_a_plan():
    assert rules.rate(D("6500"), D("10000")) == D("65.00")
    assert rules.rate(D("1"), D("3")) == D("33.33")
    assert rules.rate(D("12000"), D("10000")) == D("120.00")
    assert rules.rate(D("5"), D("0")) is None


@pytest.mark.parametrize("completion, light", [
    (D("65"), GREEN),  # 1-9月: pace 75, gap 10 → green (the domain's example)
    (D("64.99"), YELLOW),
    (D("45"), YELLOW),  # gap 30 → yellow
    (D("44.99"), RED),
    (D("90"), GREEN),
])
def test_investment_light_follows_the_gap_below_the_pace(completion, light):
    assert rules.investment_light(completion, rules.pace(9))[0] == light


def test_a_region_may_set_stricter_gaps():
    strict = Thresholds(yellow_gap=D(5), red_gap=D(15))
    assert rules.investment_light(D("65"), rules.pace(9), strict)[0] == YELLOW
    assert rules.investment_light(D("59"), rules.pace(9), strict)[0] == RED


def test_a_new_project_not_started_by_its_planned_month_is_yellow_then_red_three_months_later():
    planned = date(2026, 3, 1)
    assert rules.start_light(NEW, planned, None, date(2026, 2, 1)) is None
    assert rules.start_light(NEW, planned, None, date(2026, 3, 1)) == YELLOW
    assert rules.start_light(NEW, planned, None, date(2026, 5, 1)) == YELLOW
    assert rules.start_light(NEW, planned, None, date(2026, 6, 1)) == RED
    assert rules.start_light(NEW, planned, date(2026, 4, 20), date(2026, 6, 1)) is None
    assert rules.start_light(CONTINUING, planned, None, date(2026, 9, 1)) is None


def test_a_started_project_not_counted_is_yellow_a_month_later_and_red_two_months_later():
    started = date(2026, 4, 28)
    assert rules.statistics_light(started, None, date(2026, 4, 1)) is None
    assert rules.statistics_light(started, None, date(2026, 5, 1)) == YELLOW
    assert rules.statistics_light(started, None, date(2026, 6, 1)) == RED
    assert rules.statistics_light(started, date(2026, 5, 10), date(2026, 6, 1)) is None
    assert rules.statistics_light(None, None, date(2026, 6, 1)) is None


def test_a_project_is_judged_by_its_worst_light_with_every_reason():
    judged = rules.judge(kind=NEW, year_plan=D("10000"), done_ytd=D("4000"), planned_start=date(2026, 3, 1),
                         started_on=date(2026, 3, 10), statistics_on=None, period=date(2026, 9, 1))
    assert judged["completion"] == D("40.00")
    assert judged["light"] == RED
    assert judged["reasons"] == ["投资完成率40.0%，低于序时进度35个百分点", "开工6个月未入库"]
    assert judged["started"] is True and judged["in_statistics"] is False


def test_a_new_project_before_its_planned_start_is_not_judged_on_investment():
    judged = rules.judge(kind=NEW, year_plan=D("10000"), done_ytd=D("0"), planned_start=date(2026, 10, 1),
                         started_on=None, statistics_on=None, period=date(2026, 9, 1))
    assert judged["light"] == GREEN and judged["reasons"] == [] and judged["started"] is False


def test_continuing_projects_count_as_started():
    assert rules.is_started(CONTINUING, None, date(2026, 1, 1))
    assert not rules.is_started(NEW, date(2026, 2, 1), date(2026, 1, 1))


def test_rollup_adds_the_group_and_rates_the_start_of_new_projects():
    rows = [{"kind": NEW, "year_plan": D("10000"), "done_ytd": D("7000"), "started": True, "light": GREEN},
            {"kind": NEW, "year_plan": D("5000"), "done_ytd": D("0"), "started": False, "light": RED},
            {"kind": CONTINUING, "year_plan": D("5000"), "done_ytd": D("4000"), "started": True, "light": GREEN}]
    group = rules.rollup(rows, date(2026, 9, 1))
    assert group["year_plan"] == D("20000") and group["done_ytd"] == D("11000")
    assert group["completion_rate"] == D("55.00") and group["light"] == YELLOW  # gap 20
    assert (group["to_start"], group["started"], group["start_rate"]) == (2, 1, D("50.00"))
    assert group["lights"] == {GREEN: 2, YELLOW: 0, RED: 1}


def test_a_funding_breakdown_must_add_up_to_the_total():
    assert rules.funding_problem(D("100"), {"自有资金": D("60"), "银行贷款": D("40")}) is None
    assert rules.funding_problem(D("100"), {"自有资金": D("60"), "银行贷款": D("30")}) == \
        "资金构成合计 90 万元与总投资 100 万元不一致"
    assert rules.funding_problem(D("100"), {}) is None


@pytest.mark.parametrize("given, ok", [(D("65"), True), (D("65.4"), True), (D("65.43"), True), (D("0.654"), True),
                                       (D("66"), False), (D("65.5"), False), (D("6.5"), False)])
def test_a_typed_percentage_must_agree_with_the_amounts_as_rounded(given, ok):
    # 6543 / 10000 = 65.43 %
    assert rules.percent_agrees(given, D("6543"), D("10000")) is ok


def test_amounts_are_finite_non_negative_and_in_range():
    assert rules.parse_amount("1,234.567") == (D("1234.57"), None)
    assert rules.parse_amount("") == (None, None)
    assert rules.parse_amount("-5")[1] == "金额不能为负数（-5）"
    assert rules.parse_amount("NaN")[1] == "应为有限的数字（万元）"
    assert rules.parse_amount("1e12")[1].startswith("金额 1e12 万元超出合理范围")
    assert rules.parse_amount("abc")[1] == "「abc」不是数字（万元）"


@pytest.mark.parametrize("written", ["区工信局", "区工业和信息化局", "济阳区工业和信息化局", "工信局"])
def test_offices_write_one_unit_in_many_ways(written):
    regions = ["济阳区", "济阳"]
    assert rules.unit_key(written, regions) == rules.unit_key("区工业和信息化局", regions) == "工信局"


def test_town_governments_read_without_their_office_words():
    assert rules.unit_key("济阳街道办事处") == rules.unit_key("济阳街道") == "济阳街道"
    assert rules.unit_key("曲堤镇人民政府") == "曲堤镇"
    assert rules.unit_key("区市场监督管理局") == rules.unit_key("市场监管局")


def test_thresholds_that_contradict_each_other_are_refused():
    assert rules.threshold_problems(rules.DEFAULTS) == []
    assert rules.threshold_problems(Thresholds(yellow_gap=D(30), red_gap=D(10)))
