"""Indicator rules with hand-computed cases, including the published ones (docs/rules.md §2)."""

from datetime import date
from decimal import Decimal

import pytest

from luoshi.indicators import rules


def judged(month, value, target, **kw):
    return rules.judge(month=month, value=value, target_value=target, **kw)


def test_published_case_jan_feb_completion_12_85_is_3_82_points_behind_16_67():
    row = judged(2, Decimal("12.85"), Decimal(100))
    assert (row["completion"], row["time_progress"], row["gap"]) == (12.85, 16.67, -3.82)
    assert row["light"] == rules.YELLOW
    assert row["half_half"] is None


def test_published_case_first_quarter_31_7_is_6_7_points_ahead():
    row = judged(3, Decimal("31.7"), Decimal(100))
    assert (row["time_progress"], row["gap"], row["light"]) == (25.0, 6.7, rules.GREEN)


def test_published_case_jan_may_41_69_is_0_02_points_ahead():
    row = judged(5, Decimal("41.69"), Decimal(100))
    assert (row["time_progress"], row["gap"], row["light"]) == (41.67, 0.02, rules.GREEN)


def test_published_case_first_half_55_6_is_5_6_ahead_and_meets_double_half():
    row = judged(6, Decimal("55.6"), Decimal(100))
    assert (row["time_progress"], row["gap"], row["half_half"]) == (50.0, 5.6, True)


def test_completion_uses_real_values_not_percentages():
    # 1-6月 budget revenue 8.34 亿元 of a 15 亿元 target: 55.6 %
    row = judged(6, Decimal("8.34"), Decimal(15))
    assert row["completion"] == 55.6 and row["gap"] == 5.6


def test_double_half_missed_below_50_percent_in_june():
    assert judged(6, Decimal("49.99"), Decimal(100))["half_half"] is False


def test_double_half_for_growth_target_compares_growth_with_target():
    assert rules.judge(month=6, growth=Decimal("6.5"), target_growth=Decimal(6))["half_half"] is True
    assert rules.judge(month=6, growth=Decimal("5.9"), target_growth=Decimal(6))["half_half"] is False
    assert rules.judge(month=5, growth=Decimal("6.5"), target_growth=Decimal(6))["half_half"] is None


def test_completion_may_exceed_100_percent():
    assert judged(10, Decimal(130), Decimal(100))["completion"] == 130.0


def test_light_thresholds_for_value_target():
    assert rules.light_for_gap(Decimal(0)) == rules.GREEN
    assert rules.light_for_gap(Decimal("-0.01")) == rules.YELLOW
    assert rules.light_for_gap(Decimal("-9.99")) == rules.YELLOW
    assert rules.light_for_gap(Decimal(-10)) == rules.RED
    assert rules.light_for_gap(None) is None


def test_light_thresholds_for_growth_target():
    assert rules.light_for_growth(Decimal(7), Decimal(7)) == rules.GREEN
    assert rules.light_for_growth(Decimal(5), Decimal(7)) == rules.YELLOW
    assert rules.light_for_growth(Decimal("4.9"), Decimal(7)) == rules.RED


def test_growth_only_indicator_never_gets_a_completion_even_with_a_value_target():
    row = rules.judge(month=6, value=Decimal(50), growth=Decimal("4.1"), target_value=Decimal(100),
                      target_growth=Decimal(6), growth_only=True)
    assert row["completion"] is None and row["time_progress"] is None and row["required_monthly"] is None
    assert row["gap"] == -1.9 and row["light"] == rules.YELLOW


def test_growth_target_only_gives_no_completion():
    row = rules.judge(month=3, value=Decimal(20), growth=Decimal(-3.2), target_growth=Decimal(6))
    assert row["completion"] is None and row["gap"] == -9.2 and row["light"] == rules.RED
    assert row["band"] == rules.WEAKNESS


def test_no_target_no_light_no_band_without_rank():
    row = rules.judge(month=3, value=Decimal(20), growth=Decimal(3))
    assert (row["light"], row["band"], row["completion"], row["gap"]) == (None, None, None, None)


def test_rank_change_positive_means_moved_up_and_missing_previous_gives_none():
    assert rules.rank_change(5, 2) == 3
    assert rules.rank_change(2, 4) == -2
    assert rules.rank_change(None, 4) is None


def test_bands_are_thirds_of_the_ranking():
    assert [rules.band(r, 12) for r in (1, 4, 5, 8, 9, 12)] == ["strength", "strength", "middle", "middle", "weakness", "weakness"]
    assert [rules.band(r, 13) for r in (4, 5, 9, 10)] == ["strength", "middle", "middle", "weakness"]
    assert rules.band(1, 2) == "middle"


def test_red_light_is_always_a_weakness_even_at_the_top():
    assert rules.band(1, 12, rules.RED) == rules.WEAKNESS


def test_required_monthly_pace_to_reach_the_annual_target():
    # 1-4月 40 of 100: 60 left over 8 months → 7.5 a month
    assert judged(4, Decimal(40), Decimal(100))["required_monthly"] == 7.5
    assert judged(4, Decimal(140), Decimal(100))["required_monthly"] == 0.0
    assert judged(12, Decimal(90), Decimal(100))["required_monthly"] is None


def test_trajectory_judgement_beside_time_progress():
    trajectory = [5, 12, 20, 28, 36, 48, 55, 62, 71, 80, 89, 100]
    row = judged(3, Decimal("22.5"), Decimal(100), trajectory=trajectory)
    assert (row["gap"], row["light"]) == (-2.5, rules.YELLOW)
    assert (row["trajectory_progress"], row["trajectory_gap"], row["trajectory_light"]) == (20.0, 2.5, rules.GREEN)


def test_time_progress_by_month_and_by_day():
    assert rules.r2(rules.time_progress(2)) == 16.67
    assert rules.time_progress(12) == 100
    assert rules.r2(rules.day_time_progress(date(2020, 6, 30))) == 49.73  # 182 / 366


def test_growth_parsing_in_the_ways_statisticians_write_it():
    cases = {"-3.2": "-3.2", "下降3.2": "-3.2", "增长5.1": "5.1", "3.2%": "3.2", "下降3.2%": "-3.2", "持平": "0", 4.5: "4.5"}
    for raw, expected in cases.items():
        assert rules.parse_growth(raw) == Decimal(expected), raw
    for empty in ("—", "-", "", None):
        assert rules.parse_growth(empty) is None
    with pytest.raises(ValueError, match="不是增长率"):
        rules.parse_growth("较快增长")


def test_numbers_with_thousands_separators_and_empty_marks():
    assert rules.parse_number("12,345.6") == Decimal("12345.6")
    assert rules.parse_number("—") is None
    with pytest.raises(ValueError, match="不是数字"):
        rules.parse_number("两千")


def test_unit_conversion_within_a_family_and_refusal_across():
    assert rules.convert(Decimal(12345), "万元", "亿元") == Decimal("1.2345")
    assert rules.convert(Decimal(2), "亿美元", "万美元") == Decimal(20000)
    with pytest.raises(ValueError, match="无法换算"):
        rules.convert(Decimal(1), "万美元", "亿元")
    with pytest.raises(ValueError, match="未知的单位"):
        rules.convert(Decimal(1), "吨", "亿元")


def test_average_ignores_missing_values():
    assert rules.average([Decimal(1), None, Decimal(2)]) == Decimal("1.5")
    assert rules.average([None]) is None
