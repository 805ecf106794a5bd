"""结果运用 rules on hand-computed cases (supervision/consequences/rules.py; docs/rules.md §5, 结果运用)."""

from datetime import date

import pytest

from luoshi.supervision.consequences import rules

D = date


# --- late answers: rules.late_notice_groups --------------------------------------------------------------------------

def test_two_late_answers_within_the_window_are_one_occurrence():
    # deadlines 9 Mar and 23 Mar 2020: 14 days apart (< 365) → one occurrence of both.
    assert rules.late_notice_groups([(D(2020, 3, 9), 11), (D(2020, 3, 23), 12)], threshold=2, window_days=365) == [(11, 12)]


def test_one_late_answer_is_no_occurrence():
    assert rules.late_notice_groups([(D(2020, 3, 9), 11)], threshold=2, window_days=365) == []


def test_four_late_answers_are_two_occurrences_and_a_fifth_waits_for_a_sixth():
    events = [(D(2020, 1, 10), 1), (D(2020, 2, 10), 2), (D(2020, 3, 10), 3), (D(2020, 4, 10), 4), (D(2020, 5, 10), 5)]
    # 1+2 → first; counting starts again: 3+4 → second; 5 alone waits.
    assert rules.late_notice_groups(events, threshold=2, window_days=365) == [(1, 2), (3, 4)]


def test_deadlines_a_window_apart_do_not_count_together():
    # 10 Jan 2020 and 9 Jan 2021: 365 days apart, not "less than 365" → no occurrence; 20 Jan 2021 is 11 days after
    # 9 Jan 2021 → the second and third are one.
    events = [(D(2020, 1, 10), 1), (D(2021, 1, 9), 2), (D(2021, 1, 20), 3)]
    assert (D(2021, 1, 9) - D(2020, 1, 10)).days == 365
    assert rules.late_notice_groups(events, threshold=2, window_days=365) == [(2, 3)]
    # with a 366-day window the first two are within it
    assert rules.late_notice_groups(events, threshold=2, window_days=366) == [(1, 2)]


def test_notices_behind_an_earlier_proposal_are_not_counted_again():
    events = [(D(2020, 3, 9), 11), (D(2020, 3, 23), 12), (D(2020, 4, 20), 13)]
    assert rules.late_notice_groups(events, threshold=2, window_days=365, used={11, 12}) == []
    assert rules.late_notice_groups(events, threshold=2, window_days=365, used={11}) == [(12, 13)]


def test_events_are_taken_in_deadline_order_and_a_threshold_of_zero_turns_the_trigger_off():
    events = [(D(2020, 3, 23), 12), (D(2020, 3, 9), 11), (D(2020, 3, 30), 13)]
    assert rules.late_notice_groups(events, threshold=3, window_days=30) == [(11, 12, 13)]  # 9→30 Mar: 21 days
    assert rules.late_notice_groups(events, threshold=3, window_days=21) == []  # 9 Mar drops out by 30 Mar
    assert rules.late_notice_groups(events, threshold=0, window_days=365) == []
    assert rules.late_notice_groups(events, threshold=1, window_days=365) == [(11,), (12,), (13,)]


# --- red period after period: rules.red_run ---------------------------------------------------------------------------

R, Y, G = "red", "yellow", "green"


def test_three_red_period_ends_in_a_row_are_an_occurrence():
    periods = [("2020-02-01", Y), ("2020-03-01", R), ("2020-04-01", R), ("2020-05-01", R)]
    assert rules.red_run(periods[-3:], threshold=3) == ["2020-03-01", "2020-04-01", "2020-05-01"]


def test_a_yellow_period_among_the_last_three_is_no_occurrence():
    assert rules.red_run([("a", R), ("b", Y), ("c", R)], threshold=3) is None
    assert rules.red_run([("a", R), ("b", R)], threshold=3) is None  # only two periods ended


def test_the_last_periods_decide_and_periods_already_proposed_count_once():
    periods = [("m1", R), ("m2", R), ("m3", R), ("m4", R)]
    assert rules.red_run(periods, threshold=3) == ["m2", "m3", "m4"]
    # a task red six periods running: proposed after the third (m1–m3) and again after the sixth, not in between
    assert rules.red_run(periods, threshold=3, used={"m1", "m2", "m3"}) is None
    six = periods + [("m5", R), ("m6", R)]
    assert rules.red_run(six, threshold=3, used={"m1", "m2", "m3"}) == ["m4", "m5", "m6"]


def test_a_red_threshold_of_zero_is_off_and_of_one_takes_the_last_period():
    assert rules.red_run([("a", R)], threshold=0) is None
    assert rules.red_run([("a", G), ("b", R)], threshold=1) == ["b"]


# --- settings, the decision, its document ------------------------------------------------------------------------------

def test_the_defaults_are_the_domain_briefs():
    assert rules.DEFAULTS == {"late_notices": 2, "late_window_days": 365, "late_kind": "interview", "red_periods": 3,
                              "red_kind": "criticism"}
    assert rules.settings_problems(rules.DEFAULTS) == []


@pytest.mark.parametrize("change, problem", [
    ({"late_notices": 21}, "督办单逾期答复次数应为 0 至 20 的整数"),
    ({"late_notices": -1}, "督办单逾期答复次数应为 0 至 20 的整数"),
    ({"late_window_days": 6}, "统计天数应为 7 至 1096 的整数"),
    ({"red_periods": "3"}, "连续亮红灯期数应为 0 至 24 的整数"),
    ({"red_periods": True}, "连续亮红灯期数应为 0 至 24 的整数"),
    ({"red_kind": "fine"}, "连续亮红灯的处理建议应为提醒谈话、约谈、通报批评、问责（移送纪委监委）之一"),
])
def test_settings_out_of_bounds_are_refused_in_chinese(change, problem):
    assert rules.settings_problems({**rules.DEFAULTS, **change}) == [problem]


def test_the_titles_name_the_unit_and_say_notice_or_decision():
    assert rules.decision_title("interview", "区财政局") == "关于对区财政局进行约谈的通知"
    assert rules.decision_title("talk", "区财政局") == "关于对区财政局进行提醒谈话的通知"
    assert rules.decision_title("criticism", "区商务局") == "关于对区商务局予以通报批评的决定"
    assert rules.decision_title("accountability", "区商务局") == "关于将区商务局有关问题线索移送纪委监委的决定"
    assert [rules.document_type(k) for k in rules.KINDS] == ["通知", "通知", "决定", "决定"]


def test_the_document_number_and_date_are_written_as_documents_write_them():
    assert rules.office_code("济阳区") == "济阳督查"
    assert rules.office_code("商河县") == "商河督查"
    assert rules.office_code("济南市") == "济南督查"
    assert rules.office_code("市中区") == "市中督查"
    assert rules.document_number("济阳区", 2026, 3) == "济阳督查〔2026〕3号"
    assert rules.chinese_date(D(2026, 5, 13)) == "2026年5月13日"
    assert rules.chinese_date(D(2020, 11, 2)) == "2020年11月2日"


@pytest.mark.parametrize("approve, kind, note, problems", [
    (True, None, "", []),  # the proposed kind, no note needed
    (True, "interview", "", []),
    (True, "criticism", "", ["改为通报批评须写明意见"]),
    (True, "criticism", "情节较重", []),
    (True, "fine", "x", ["处理方式应为提醒谈话、约谈、通报批评、问责（移送纪委监委）之一"]),
    (False, None, "  ", ["不同意须写明理由"]),
    (False, None, "已整改到位", []),
])
def test_a_decision_needs_a_reason_to_refuse_and_a_note_to_change_the_kind(approve, kind, note, problems):
    assert rules.decision_problems(approve=approve, proposed_kind="interview", kind=kind, note=note) == problems


def test_adjustments_are_whole_points_within_twenty_and_shown_beside_the_score():
    assert rules.adjustment_problems(3) == [] and rules.adjustment_problems(-20) == []
    for bad in (0, 21, -21, 2.5, "3", True):
        assert rules.adjustment_problems(bad) == ["加减分应为 -20 至 20 之间且不为 0 的整数"]
    assert rules.adjusted_score(92, 3) == 95
    assert rules.adjustment_text(92, 3) == "92 ＋3 ＝ 95"
    assert rules.adjustment_text(92, -2) == "92 －2 ＝ 90"
    assert rules.adjustment_text(92, 0) == "92"
