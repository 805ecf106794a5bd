"""The pack's pure rules, by hand: the 双过半 outlook before June and the 争先进位 gaps."""

from decimal import Decimal

from luoshi.indicators.rules import chase_gaps, half_half_outlook


def test_a_value_target_is_on_course_when_completion_reaches_time_progress():
    assert half_half_outlook(3, completion_pct=25, time_progress_pct=25) is True  # exactly on 序时进度
    assert half_half_outlook(3, completion_pct=24.99, time_progress_pct=25) is False
    assert half_half_outlook(5, completion_pct=41.69, time_progress_pct=41.67) is True


def test_a_growth_target_is_on_course_when_growth_reaches_the_target():
    assert half_half_outlook(3, growth=-3.0, target_growth=7.5) is False
    assert half_half_outlook(4, growth=7.5, target_growth=7.5) is True


def test_the_outlook_is_none_from_june_on_and_without_figures():
    assert half_half_outlook(6, completion_pct=55.6, time_progress_pct=50) is None  # June has the verdict itself
    assert half_half_outlook(9, growth=9, target_growth=7) is None
    assert half_half_outlook(3) is None
    assert half_half_outlook(3, completion_pct=20) is None


def test_gaps_to_the_first_place_and_the_next_rank_up_in_points():
    # 济阳区 3.5 among 3.5, 3.5, 5.0, -1.0, 2.0, 1.0: first is 5.0 (1.5 behind), the next rank up is 5.0 too.
    assert chase_gaps(3.5, [3.5, 3.5, 5.0, -1.0, 2.0, 1.0]) == (Decimal("1.5"), Decimal("1.5"))
    # -3.0 among -3.0, 1.0, 2.0: 5 points behind the first, 4 behind the next up.
    assert chase_gaps(-3.0, [-3.0, 1.0, 2.0]) == (Decimal("5.0"), Decimal("4.0"))
    # -7.4 among 2.1, -1.3, -7.4, -9.0: first 2.1 → 9.5; next up -1.3 → 6.1.
    assert chase_gaps(Decimal("-7.4"), [Decimal("2.1"), Decimal("-1.3"), Decimal("-7.4"), Decimal("-9")]) == (
        Decimal("9.5"), Decimal("6.1"))


def test_the_first_place_has_no_one_to_chase_and_a_region_alone_no_gaps():
    assert chase_gaps(35.2, [35.2, 10.0]) == (Decimal(0), None)
    assert chase_gaps(5, [5, 5]) == (Decimal(0), None)  # tied first
    assert chase_gaps(5, [5]) == (None, None)
    assert chase_gaps(None, [1, 2]) == (None, None)


def test_days_on_a_form_within_a_range_and_the_on_time_rate():
    from datetime import date

    from luoshi.daily.rules import Tally, days_assigned

    march = (date(2020, 3, 1), date(2020, 3, 31))
    assert days_assigned(*march, date(2020, 3, 10), None) == 22
    assert days_assigned(*march, date(2020, 1, 1), date(2020, 3, 5)) == 5
    assert days_assigned(*march, date(2020, 4, 1), None) == 0
    assert Tally(expected=22, on_time=17, late=3).on_time_rate == 77.3  # 17 / 22
    assert Tally().on_time_rate is None
