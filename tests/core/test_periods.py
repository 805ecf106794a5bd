from datetime import date, datetime

import pytest

from luoshi.core.periods import (PeriodError, find_period, is_quarter_end, parse_day, parse_period, parse_year, period_code,
                                 period_label)
from luoshi.core.problems import Rejected


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


@pytest.mark.parametrize("raw", ["2031-02-30", "2031-04-99", "2031-04-00", "2031/2/29"])
def test_a_period_written_as_a_day_must_be_a_real_calendar_day(raw):
    with pytest.raises(PeriodError, match="不是真实的日期"):
        parse_period(raw)


def test_a_period_written_as_a_real_day_is_its_month():
    assert parse_period("2032-02-29") == date(2032, 2, 1)


@pytest.mark.parametrize("raw", ["1989-12", "2101-01", datetime(1, 1, 1), date(9999, 12, 31)])
def test_periods_outside_1990_to_2100_are_refused(raw):
    with pytest.raises(PeriodError, match="年份不正确"):
        parse_period(raw)


@pytest.mark.parametrize("raw, expected", [("2020-04-14", date(2020, 4, 14)), ("2020/4/1", date(2020, 4, 1)),
                                           (" 2100-12-31 ", date(2100, 12, 31)), (date(2000, 1, 1), date(2000, 1, 1))])
def test_a_day_a_person_asks_about_is_read(raw, expected):
    assert parse_day(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("2031-02-30", "不是真实的日期"), ("2031-04-99", "不是真实的日期"), ("garbage", "无法识别的日期"), ("", "无法识别的日期"),
    ("0001-01-01", "超出可查询的范围"), ("9999-12-31", "超出可查询的范围"), ("3000-01-01", "超出可查询的范围"),
    ("1999-12-31", "超出可查询的范围"), (date(2101, 1, 1), "超出可查询的范围"), ("2020-04-14\x00", "无法识别的日期"),
    ("x" * 10000, "无法识别的日期"), ("２０２０-04-14", "无法识别的日期"),
])
def test_a_day_outside_the_calendar_or_not_real_is_refused_in_chinese(raw, message):
    with pytest.raises(Rejected, match=message) as caught:
        parse_day(raw, label="日期")
    assert len(str(caught.value)) < 120


@pytest.mark.parametrize("raw", ["99999", "0", "-1", "1989", "2101", "二〇二〇", "nan", "", None])
def test_a_year_outside_1990_to_2100_is_refused(raw):
    with pytest.raises(Rejected, match="年份"):
        parse_year(raw)


def test_a_year_is_read_with_or_without_its_suffix():
    assert parse_year("2020") == 2020 and parse_year(2031) == 2031 and parse_year("2020年") == 2020
