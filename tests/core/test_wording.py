"""The one Chinese number and date formatter (luoshi.core.wording), with hand-written cases."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from luoshi.core import wording as w


@pytest.mark.parametrize("value, text", [
    (4, "增长4.0%"), (Decimal("4.00"), "增长4.0%"), (-3, "下降3.0%"), (-3.25, "下降3.3%"), (3.25, "增长3.3%"),
    (0, "持平"), (-0.04, "持平"), (0.05, "增长0.1%"), (35.2, "增长35.2%"), (None, "暂无数据"), ("", "暂无数据"),
    (float("nan"), "暂无数据"), (float("inf"), "暂无数据"), ("abc", "暂无数据"),
])
def test_growth_is_written_in_words_to_one_decimal(value, text):
    assert w.growth(value) == text


@pytest.mark.parametrize("value, text", [(4, "4.0"), (-3, "-3.0"), (-0.04, "0.0"), (7.45, "7.5"), (None, "—")])
def test_a_tables_growth_column_keeps_the_sign_and_one_decimal(value, text):
    assert w.growth_figure(value) == text


@pytest.mark.parametrize("value, text", [
    (1.2, "提高1.2个百分点"), (-0.5, "回落0.5个百分点"), (0, "持平"), (2.0, "提高2个百分点"), (-3.825, "回落3.83个百分点"),
    (None, "暂无数据"),
])
def test_a_change_in_percentage_points(value, text):
    assert w.points(value) == text


def test_points_may_name_other_directions():
    assert w.points(-1.5, up="加快", down="放缓") == "放缓1.5个百分点"


@pytest.mark.parametrize("value, text", [
    (6.7, "高于序时进度6.7个百分点"), (-3.82, "低于序时进度3.82个百分点"), (0, "与序时进度持平"), (None, "暂无数据"),
])
def test_completion_against_time_progress(value, text):
    assert w.gap(value) == text


@pytest.mark.parametrize("value, unit, text", [
    (31.7, "亿元", "31.70亿元"), (Decimal("78.456"), "亿元", "78.46亿元"), (125000, "万元", "12.50亿元"),
    (9999.6, "万元", "10000万元"), (2000, "万美元", "2000万美元"), (28015.5, "元", "28016元"), (1234, "户", "1234户"),
    (-12.5, "亿元", "-12.50亿元"), (None, "亿元", "暂无数据"), (12.345, "吨", "12.35吨"), (8.0, "%", "8.0%"),
])
def test_amounts_carry_their_unit_with_the_decimals_documents_use(value, unit, text):
    assert w.amount(value, unit) == text


@pytest.mark.parametrize("value, unit, text", [(31.7, "亿元", "31.70"), (2000, "万美元", "2000"), (None, "亿元", "—"),
                                               (7.25, "%", "7.3"), (1.5, "吨", "1.5")])
def test_a_tables_amount_column_writes_the_number_alone(value, unit, text):
    assert w.amount_figure(value, unit) == text


def test_percent_rank_and_rank_change():
    assert (w.percent(31.7), w.percent(100), w.percent(None)) == ("31.7%", "100.0%", "—")
    assert (w.rank(11), w.rank(None)) == ("第11位", "—")
    assert (w.rank_change(2), w.rank_change(-1), w.rank_change(0), w.rank_change(None)) == ("前移2位", "后移1位", "持平", "—")


def test_days_and_months_have_no_leading_zeros():
    assert w.day(date(2026, 1, 1)) == "2026年1月1日"
    assert w.day(datetime(2026, 12, 7, 23, 0)) == "2026年12月7日"
    assert w.day(None) == "" and w.day(None, missing="未定") == "未定"
    assert w.month(date(2026, 1, 1)) == "2026年1月"
    assert w.short_day(date(2026, 5, 9)) == "5月9日"


def test_fixed_and_trimmed_round_half_up_as_statistics_bureaus_do():
    assert (w.fixed(2.25, 1), w.fixed(-2.25, 1), w.fixed(0.5, 0)) == ("2.3", "-2.3", "1")
    assert (w.trimmed(3.80), w.trimmed(4.0), w.trimmed(1.005)) == ("3.8", "4", "1.01")
    assert w.is_missing(None) and w.is_missing(float("nan")) and not w.is_missing(0)


def test_the_template_filters_write_the_same_words():
    from django.template import Context, Template

    template = Template("{{ g|growth }} {{ p|points }} {{ d|cn_day }} {{ a|amount:'亿元' }} {{ r|rank }}")
    text = template.render(Context({"g": -3, "p": 1.2, "d": date(2026, 1, 1), "a": 31.7, "r": 11}))
    assert text == "下降3.0% 提高1.2个百分点 2026年1月1日 31.70亿元 第11位"
