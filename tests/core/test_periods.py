from datetime import date, datetime

import pytest

from luoshi.core.periods import PeriodError, find_period, is_quarter_end, parse_period, period_code, period_label


@pytest.mark.parametrize("raw, expected", [
    ("2020-06", date(2020, 6, 1)), ("2020-6", date(2020, 6, 1)), ("2020/06", date(2020, 6, 1)), ("202006", date(2020, 6, 1)),
    ("2020年1-6月", date(2020, 6, 1)), ("2020年1—6月", date(2020, 6, 1)), ("2020年6月", date(2020, 6, 1)),
    ("2020年1-2月", date(2020, 2, 1)), ("2020年一季度", date(2020, 3, 1)), ("2020Q3", date(2020, 9, 1)),
    ("2020年上半年", date(2020, 6, 1)), ("2020年前三季度", date(2020, 9, 1)), ("2020年全年", date(2020, 12, 1)),
    (datetime(2020, 6, 30), date(2020, 6, 1)), ("2020年1-12月份", date(2020, 12, 1)),
])
def test_periods_as_statisticians_write_them(raw, expected):
    assert parse_period(raw) == expected


def test_jan_feb_without_year_is_february_of_the_given_year():
    assert parse_period("1-2月", year=2020) == date(2020, 2, 1)
    with pytest.raises(PeriodError, match="没有年份"):
        parse_period("1-2月")


@pytest.mark.parametrize("raw, message", [("3-6月", "不是从1月开始"), ("2020-13", "月份不正确"), ("明年", "无法识别"), ("", "不能为空")])
def test_unreadable_periods_are_refused_in_chinese(raw, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(raw, year=2020)


def test_period_found_inside_a_sheet_title():
    assert find_period("济南市2020年1-6月各区县主要经济指标") == date(2020, 6, 1)
    assert find_period("各区县主要指标") is None


def test_codes_labels_and_quarter_ends():
    assert period_code(date(2020, 6, 1)) == "2020-06"
    assert period_label(date(2020, 2, 1)) == "2020年1-2月"
    assert period_label(date(2020, 1, 1)) == "2020年1月"
    assert is_quarter_end(date(2020, 9, 1)) and not is_quarter_end(date(2020, 8, 1))
