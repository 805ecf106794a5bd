from luoshi.core.ranking import competition_ranks


def test_equal_values_share_a_rank_and_the_next_is_skipped():
    assert competition_ranks({"a": 5.1, "b": 7.0, "c": 5.1, "d": -3.2}) == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_missing_values_are_not_ranked():
    assert competition_ranks({"a": None, "b": 1}) == {"b": 1}


def test_ascending_order_on_request():
    assert competition_ranks({"a": 1, "b": 2}, descending=False) == {"a": 1, "b": 2}
