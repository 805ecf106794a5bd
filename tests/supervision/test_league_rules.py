"""The league table's pure rules (supervision/league/rules.py) on hand-computed cases."""

from datetime import date

import pytest

from luoshi.core.problems import Rejected
from luoshi.supervision.league import rules


def test_score_starts_from_100_and_adds_each_weight_per_count():
    # 3 on time (+3), 1 late (−2), 1 overdue (−5), 1 seriously overdue (−10), 1 late report (−1),
    # 1 missing report (−3), 2 notices (−4), 1 answered late (−3): 100 + 3 − 2 − 5 − 10 − 1 − 3 − 4 − 3 = 75
    counts = {"done": 3, "done_late": 1, "overdue": 1, "seriously_overdue": 1, "reports_late": 1,
              "reports_missing": 1, "notices": 2, "notices_late": 1, "milestones_due": 9, "reports_due": 4}
    assert rules.score(counts) == 75


def test_a_month_with_nothing_due_scores_the_base():
    assert rules.score({}) == 100
    assert not rules.has_shortfall({"done": 2, "milestones_due": 2})
    assert rules.has_shortfall({"reports_late": 1})


def test_equal_scores_share_a_rank_and_the_next_is_skipped():
    assert rules.ranks({"a": 90, "b": 103, "c": 90, "d": 70}) == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_top_three_and_bottom_three_are_banded_in_a_table_of_eight():
    scores = {u: s for u, s in zip("abcdefgh", [110, 105, 104, 100, 100, 90, 80, 60])}
    bands = rules.bands(scores, {u: scores[u] < 100 for u in scores})
    assert [bands[u] for u in "abcdefgh"] == ["top", "top", "top", None, None, "bottom", "bottom", "bottom"]


def test_a_tie_at_the_edge_brings_every_tied_unit_into_the_band():
    scores = {"a": 110, "b": 105, "c": 100, "d": 100, "e": 95, "f": 90, "g": 80}
    bands = rules.bands(scores, {u: True for u in scores})
    assert {u for u, b in bands.items() if b == "top"} == {"a", "b", "c", "d"}
    assert {u for u, b in bands.items() if b == "bottom"} == {"e", "f", "g"}


def test_a_small_table_has_smaller_ends_that_never_meet():
    five = {"a": 5, "b": 4, "c": 3, "d": 2, "e": 1}
    assert rules.bands(five, {u: True for u in five}) == {"a": "top", "b": "top", "c": None, "d": "bottom", "e": "bottom"}
    assert rules.bands({"a": 2, "b": 1, "c": 0}, {"a": True, "b": True, "c": True}) == {"a": "top", "b": None, "c": "bottom"}
    assert rules.bands({"a": 100}, {"a": True}) == {"a": None}


def test_a_unit_with_a_clean_month_is_never_called_bottom():
    scores = {"a": 104, "b": 103, "c": 102, "d": 101, "e": 100, "f": 100, "g": 100}
    bands = rules.bands(scores, {u: False for u in scores})
    assert bands == {"a": "top", "b": "top", "c": "top", "d": None, "e": None, "f": None, "g": None}


def test_when_every_unit_scores_the_same_nobody_is_banded():
    scores = {u: 90 for u in "abcdef"}
    assert set(rules.bands(scores, {u: True for u in scores}).values()) == {None}


def test_rank_change_is_the_previous_rank_minus_this_one():
    assert rules.rank_change(5, 2) == 3
    assert rules.rank_change(1, 4) == -3
    assert rules.rank_change(None, 1) is None


def test_a_notice_is_late_when_answered_after_reply_due_or_unanswered_past_it():
    due = date(2020, 4, 20)
    assert not rules.notice_late(due, date(2020, 4, 20), date(2020, 4, 30))
    assert rules.notice_late(due, date(2020, 4, 21), date(2020, 4, 30))
    assert rules.notice_late(due, None, date(2020, 4, 21))
    assert not rules.notice_late(due, None, date(2020, 4, 20))
    # a reply dated after the day of judgement is not known on that day
    assert rules.notice_late(due, date(2020, 5, 2), date(2020, 4, 30))


def test_a_month_is_judged_on_its_last_day_or_today_while_it_runs():
    assert rules.judgement_day(date(2020, 4, 1), date(2020, 5, 12)) == date(2020, 4, 30)
    assert rules.judgement_day(date(2020, 5, 1), date(2020, 5, 12)) == date(2020, 5, 12)
    assert rules.judgement_day(date(2020, 2, 1), date(2021, 1, 1)) == date(2020, 2, 29)
    with pytest.raises(Rejected, match="尚未开始"):
        rules.judgement_day(date(2020, 6, 1), date(2020, 5, 12))


@pytest.mark.parametrize("text, first", [("2020-04", date(2020, 4, 1)), ("2020-4", date(2020, 4, 1)),
                                         ("2020年12月", date(2020, 12, 1))])
def test_a_month_is_read_from_the_ways_people_write_it(text, first):
    assert rules.parse_month(text) == first


@pytest.mark.parametrize("text, message", [("2020-13", "无法识别"), ("April", "无法识别"), ("1999-04", "超出"),
                                           ("", "无法识别"), ("2020-04-01", "无法识别")])
def test_a_month_that_is_not_one_is_refused_in_chinese(text, message):
    with pytest.raises(Rejected, match=message):
        rules.parse_month(text)


def test_a_month_with_nothing_due_or_lagging_is_not_assessed():
    assert not rules.assessed(dict.fromkeys(["milestones_due", "done", "reports_due", "notices", "overdue"], 0))
    assert rules.assessed({"reports_due": 1})
    assert rules.assessed({"seriously_overdue": 1})  # lagging since an earlier month is something to judge
    assert rules.assessed({"notices": 1})


def test_lagging_work_a_missing_report_or_a_late_answer_keep_a_unit_from_being_commended():
    assert rules.commendable({"done": 3, "reports_late": 1})
    for key in ("overdue", "seriously_overdue", "reports_missing", "notices_late"):
        assert not rules.commendable({"done": 3, key: 1}), key


def test_an_uncommendable_unit_at_the_top_is_not_called_top_but_the_others_tied_with_it_are():
    scores = {"a": 101, "b": 101, "c": 95, "d": 90, "e": 80, "f": 70}
    bands = rules.bands(scores, {u: u in "def" for u in scores}, commendable_units={"a": False, "b": True, "c": True})
    assert bands["a"] is None and bands["b"] == rules.TOP and bands["c"] == rules.TOP  # k = 3: ranks 1, 1, 3
    assert [u for u, b in bands.items() if b == rules.BOTTOM] == ["d", "e", "f"]
