"""Daily-report rules with hand-computed cases (docs/rules.md §4)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from luoshi.daily import rules
from luoshi.daily.rules import BOOLEAN, CHOICE, INTEGER, LATE, MISSING, ON_TIME, TEXT, FieldSpec

SH = ZoneInfo("Asia/Shanghai")
FIELDS = [
    FieldSpec("new_cases", "新增病例", INTEGER, required=True, minimum=0, maximum=1000),
    FieldSpec("returnees", "返乡人员", INTEGER, minimum=0),
    FieldSpec("checkpoint", "卡口值守", BOOLEAN, required=True),
    FieldSpec("risk", "风险等级", CHOICE, choices=("低", "中", "高")),
    FieldSpec("note", "其他情况", TEXT),
]


def test_values_from_a_web_form_are_converted_to_their_types():
    values, problems = rules.clean_values(FIELDS, {"new_cases": "3", "returnees": "1,200", "checkpoint": "是", "risk": "中", "note": " 无 "})
    assert problems == []
    assert values == {"new_cases": 3, "returnees": 1200, "checkpoint": True, "risk": "中", "note": "无"}


def test_optional_fields_left_empty_are_stored_as_none():
    values, problems = rules.clean_values(FIELDS, {"new_cases": 0, "checkpoint": False})
    assert problems == []
    assert values == {"new_cases": 0, "returnees": None, "checkpoint": False, "risk": None, "note": None}


def test_wrong_type_out_of_range_missing_required_and_unknown_field_are_each_reported_in_chinese():
    _, problems = rules.clean_values(FIELDS, {"new_cases": "三", "returnees": -1, "risk": "很高", "typo": 1})
    messages = [p.message for p in problems]
    assert "表单中没有字段「typo」" in messages
    assert "「新增病例」应为整数，而不是「三」" in messages
    assert "「返乡人员」应在 0 到 1000000000 之间，填写的是 -1" in messages
    assert "「卡口值守」为必填项" in messages
    assert "「风险等级」只能选择：低、中、高，而不是「很高」" in messages
    assert len(messages) == 5


def test_upper_bound_is_inclusive_and_one_more_is_refused():
    assert rules.clean_values(FIELDS, {"new_cases": 1000, "checkpoint": "否"})[1] == []
    _, problems = rules.clean_values(FIELDS, {"new_cases": 1001, "checkpoint": "否"})
    assert [p.message for p in problems] == ["「新增病例」应在 0 到 1000 之间，填写的是 1001"]


def test_a_fraction_or_a_boolean_is_not_a_whole_number():
    assert rules.clean_values(FIELDS, {"new_cases": 2.5, "checkpoint": True})[1][0].message == "「新增病例」应为整数，而不是「2.5」"
    assert rules.clean_values(FIELDS, {"new_cases": True, "checkpoint": True})[1][0].message == "「新增病例」应为整数，而不是「True」"
    assert rules.clean_values(FIELDS, {"new_cases": 2.0, "checkpoint": True})[0]["new_cases"] == 2


def test_yes_no_field_refuses_other_words():
    _, problems = rules.clean_values(FIELDS, {"new_cases": 0, "checkpoint": "也许"})
    assert problems[0].message == "「卡口值守」应填「是」或「否」，而不是「也许」"


def test_long_text_is_refused():
    _, problems = rules.clean_values(FIELDS, {"new_cases": 0, "checkpoint": True, "note": "字" * 201})
    assert problems[0].message == "「其他情况」最多 200 个字，填写了 201 个字"


def test_zero_report_with_nothing_reported_before_sets_counts_to_zero_and_leaves_yes_no_empty():
    assert rules.zero_values(FIELDS) == {"new_cases": 0, "returnees": 0, "checkpoint": None, "risk": None, "note": None}
    # required fields do not apply to a zero report (it is never validated as entered values)


def test_report_at_the_deadline_is_on_time_and_one_second_after_is_late():
    day = date(2020, 4, 14)
    assert not rules.is_late(day, datetime(2020, 4, 14, 10, 0, 0, tzinfo=SH), time(10, 0))
    assert rules.is_late(day, datetime(2020, 4, 14, 10, 0, 1, tzinfo=SH), time(10, 0))
    assert not rules.is_late(day, datetime(2020, 4, 14, 0, 5, tzinfo=SH), time(10, 0))


def test_report_for_yesterday_sent_this_morning_is_late():
    assert rules.is_late(date(2020, 4, 13), datetime(2020, 4, 14, 8, 0, tzinfo=SH), time(10, 0))


def test_day_status_follows_the_first_version_and_missing_when_none():
    assert rules.day_status(None) == MISSING
    assert rules.day_status(False) == ON_TIME
    assert rules.day_status(True) == LATE


def test_future_day_and_days_outside_the_assignment_are_refused():
    today = date(2020, 4, 14)
    assert rules.check_day(date(2020, 4, 14), today, date(2020, 4, 1)) == []
    assert rules.check_day(date(2020, 4, 15), today, date(2020, 4, 1))[0].message == \
        "不能报送未来日期（2020-04-15）的日报，今天是 2020-04-14"
    assert rules.check_day(date(2020, 3, 31), today, date(2020, 4, 1))[0].message == \
        "本村（社区）报送该日报的时间为 2020-04-01 起，2020-03-31 不需要报送"
    assert rules.check_day(date(2020, 4, 12), today, date(2020, 4, 1), date(2020, 4, 10)) != []
    assert rules.check_day(date(2020, 4, 12), today, None)[0].message == "本村（社区）不在该日报的报送范围内"


def test_streak_counts_on_time_days_back_from_the_newest_and_stops_at_late_or_missing():
    assert rules.on_time_streak([ON_TIME, ON_TIME, LATE, ON_TIME]) == 2
    assert rules.on_time_streak([MISSING, ON_TIME]) == 0
    assert rules.on_time_streak([ON_TIME] * 14) == 14
    assert rules.on_time_streak([]) == 0


def test_most_missed_orders_by_missed_days_then_code_and_leaves_out_perfect_villages():
    counts = {"370115001202": 3, "370115001201": 3, "370115101201": 5, "370115001203": 0}
    assert rules.most_missed(counts) == [("370115101201", 5), ("370115001201", 3), ("370115001202", 3)]
    assert rules.most_missed(counts, limit=1) == [("370115101201", 5)]


def test_tally_counts_statuses_and_sums_numbers_of_submitted_reports_only():
    rows = [
        {"status": ON_TIME, "zero_report": False, "values": {"new_cases": 2, "returnees": 10}},
        {"status": LATE, "zero_report": False, "values": {"new_cases": 1, "returnees": None}},
        {"status": ON_TIME, "zero_report": True, "values": {"new_cases": 0, "returnees": 0}},
        {"status": MISSING},
    ]
    tally = rules.tally_rows(rows, ["new_cases", "returnees"])
    assert (tally.expected, tally.on_time, tally.late, tally.missing, tally.zero) == (4, 2, 1, 1, 1)
    assert tally.sums == {"new_cases": 3, "returnees": 10}
    assert tally.rate == 75.0


def test_district_roll_up_adds_the_towns():
    a = rules.Tally(expected=3, on_time=2, late=0, zero=1, sums={"new_cases": 4})
    b = rules.Tally(expected=2, on_time=0, late=1, zero=0, sums={"new_cases": 1})
    total = rules.roll_up([a, b])
    assert (total.expected, total.on_time, total.late, total.missing, total.zero) == (5, 2, 1, 2, 1)
    assert total.sums == {"new_cases": 5}
    assert round(total.rate, 1) == 60.0
    assert rules.Tally().rate is None


def test_form_definition_lines_are_parsed_and_written_back():
    text = """# 标识 | 名称 | 类型 | 必填 | 范围或选项
    new_cases | 新增病例 | 整数 | 必填 | 0-1000
    checkpoint | 卡口值守 | 是否 | 必填
    risk | 风险等级 | 选项 | | 低/中/高
    note | 其他情况 | 文本"""
    fields, problems = rules.parse_field_lines(text)
    assert problems == []
    assert fields[0] == FieldSpec("new_cases", "新增病例", INTEGER, True, 0, 1000)
    assert fields[2].choices == ("低", "中", "高") and not fields[2].required
    assert rules.parse_field_lines(rules.field_lines(fields))[0] == fields


def test_bad_form_definitions_are_explained():
    _, problems = rules.parse_field_lines("Cases | 病例 | 小数\nrisk | 风险 | 选项 | | 低\nrisk | 风险2 | 文本\nn | 数 | 整数 | | 9-1")
    messages = [p.message for p in problems]
    assert any("标识「Cases」不合规" in m for m in messages)
    assert any("类型「小数」无法识别" in m for m in messages)
    assert "字段「风险」是选项类型，至少要有两个选项" in messages
    assert "字段标识「risk」重复" in messages
    assert "字段「数」的最小值 9 大于最大值 1" in messages
    assert rules.parse_field_lines("")[1][0].message == "表单至少要有一个字段"


def test_reminder_phase_before_from_the_reminder_time_and_after_past_the_deadline():
    sh = lambda h, m: datetime(2020, 4, 14, h, m, tzinfo=SH)  # noqa: E731
    assert rules.reminder_phase(sh(8, 59), time(10, 0), 60) is None
    assert rules.reminder_phase(sh(9, 0), time(10, 0), 60) == "before"
    assert rules.reminder_phase(sh(10, 0), time(10, 0), 60) == "before"
    assert rules.reminder_phase(sh(10, 1), time(10, 0), 60) == "after"
