"""Reading a year's 放假安排 (holidays.rules, pure): the notice's lines, the simple table, and what is refused, each
problem with its line. Working days counted from what was read are hand-checked against the 2027 calendar."""

from datetime import date

from luoshi.core.workdays import Calendar
from luoshi.holidays import rules
from luoshi.holidays.rules import REST, WORK
from tests.holidays.conftest import NOTICE_2027, TABLE_2027


def calendar_of(reading):
    rest = {d.day for d in reading.days if d.kind == REST}
    work = {d.day for d in reading.days if d.kind == WORK}
    return Calendar({reading.year: (rest, work)})


def test_the_notice_is_read_line_by_line_with_its_number_and_every_range_and_working_day():
    reading = rules.read_text(NOTICE_2027, 2027)
    assert reading.problems == []
    assert reading.notice_number == "国办发明电〔2026〕7号"
    assert reading.rest_count == 3 + 9 + 3 + 5 + 1 + 1 + 7 == 29
    assert [d.day for d in reading.days if d.kind == WORK] == [
        date(2027, 2, 14), date(2027, 2, 20), date(2027, 4, 25), date(2027, 5, 8), date(2027, 9, 26), date(2027, 10, 9)]
    spring = next(line for line in reading.lines if line.text.startswith("二、春节"))
    assert [(d.day.day, d.kind, d.name) for d in spring.days] == [
        *[(n, REST, "春节") for n in range(5, 14)], (14, WORK, "春节"), (20, WORK, "春节")]
    assert {line.note for line in reading.lines if not line.days} == {"未读取（说明文字）", "文号：国办发明电〔2026〕7号"}


def test_a_deadline_in_the_spring_festival_moves_to_the_working_sunday_and_the_swapped_saturday_counts():
    cal = calendar_of(rules.read_text(NOTICE_2027, 2027))
    # Due Mon 8 Feb 2027 (春节 5–13 Feb): the next working day is the swapped Sunday 14 Feb.
    assert cal.effective_due(date(2027, 2, 8)) == date(2027, 2, 14)
    assert cal.effective_due(date(2027, 2, 4)) == date(2027, 2, 4)  # Thursday before the break stays
    assert cal.is_workday(date(2027, 2, 20)) and not cal.is_workday(date(2027, 2, 21))  # Sat works, Sun rests
    # Due Thu 4 Feb, judged Mon 22 Feb: 14, 15, 16, 17, 18, 19, 20 (Sat, 调休), 22 Feb = 8 working days late.
    assert cal.count_through(date(2027, 2, 22)) - cal.count_through(date(2027, 2, 4)) == 8
    # Monday to Friday would have said 12: 5, 8–12, 15–19, 22 Feb.
    assert Calendar().count_through(date(2027, 2, 22)) - Calendar().count_through(date(2027, 2, 4)) == 12


def test_the_other_holidays_of_2027_move_deadlines_as_the_notice_says():
    cal = calendar_of(rules.read_text(NOTICE_2027, 2027))
    assert cal.effective_due(date(2027, 1, 1)) == date(2027, 1, 4)  # 元旦, Fri–Sun
    assert cal.effective_due(date(2027, 4, 5)) == date(2027, 4, 6)  # 清明, Monday off
    assert cal.effective_due(date(2027, 5, 3)) == date(2027, 5, 6)  # 劳动节 to Wed 5 May
    assert cal.is_workday(date(2027, 4, 25)) and cal.is_workday(date(2027, 5, 8))  # 调休 Sunday and Saturday
    assert cal.effective_due(date(2027, 6, 9)) == date(2027, 6, 10)  # 端午, one Wednesday
    assert cal.effective_due(date(2027, 10, 1)) == date(2027, 10, 8)
    assert cal.is_workday(date(2027, 10, 9)) and cal.is_workday(date(2027, 9, 26))


def test_the_counts_go_on_past_a_loaded_year_with_its_surplus():
    # 2027 as loaded: 261 Monday–Friday days − 18 weekday holidays + 6 swapped weekend days = 249 working days.
    cal = calendar_of(rules.read_text(NOTICE_2027, 2027))
    assert cal.year_table(2027)[1][-1] == 249
    # Thu 31 Dec 2026 → Mon 3 Jan 2028 (Monday–Friday in 2028): the whole of 2027, then 3 Jan 2028.
    assert cal.count_through(date(2028, 1, 3)) - cal.count_through(date(2026, 12, 31)) == 249 + 1


def test_the_simple_table_reads_as_the_notice_does():
    reading = rules.read_text(TABLE_2027, 2027)
    assert reading.problems == []
    notice = rules.read_text(NOTICE_2027, 2027)
    assert reading.days == [d for d in notice.days if d.name == "春节"]
    assert reading.lines[0].note == "未读取（说明文字）"  # the header line of pasted text
    rows = [["日期", "类型", "名称"], [date(2027, 2, 5), "放假", "春节"], ["2027/2/14", "调休上班", "春节"]]
    sheet = rules.read_rows(rows, 2027)
    assert sheet.problems == [] and [(d.day, d.kind) for d in sheet.days] == [(date(2027, 2, 5), REST), (date(2027, 2, 14), WORK)]
    swapped = rules.read_rows([["名称", "日期", "放假/上班"], ["春节", "2027-02-20", "上班"]], 2027)
    assert [(d.day, d.kind, d.name) for d in swapped.days] == [(date(2027, 2, 20), WORK, "春节")]
    assert rules.read_text(reading.as_table(), 2027).days == reading.days


def test_full_width_digits_and_a_date_across_the_new_year_are_read_and_the_other_year_left_out():
    text = "一、元旦：２０２６年１２月３１日（周四）至２０２７年１月３日（周日）放假，共４天。"
    reading = rules.read_text(text, 2027)
    assert reading.problems == [] and [d.day.day for d in reading.days] == [1, 2, 3]
    assert reading.lines[0].note == "不属于2027年、未录入：2026年12月31日"


def problems(text, year=2027):
    return [str(p) for p in rules.read_text(text, year).problems]


def test_the_notice_of_another_year_is_refused_by_its_title_and_its_weekdays():
    found = problems(NOTICE_2027, 2028)
    assert found[0] == "第1行：这是2027年的放假安排，与录入年份2028年不符"
    assert "第6行：2028年1月1日是周六，原文写的是周五；请核对年份或日期" in found


def test_each_mistake_in_a_notice_line_is_named_with_its_line():
    assert problems("一、元旦：1月1日（周五）至3日（周日）放假，共4天。") == ["第1行：写明共4天，但放假日期共 3 天，请核对"]
    assert problems("\n二、春节：2月5日至13日放假调休，共9天。2月15日（周一）上班。") == [
        "第2行：2月15日是周一，本来就是工作日；调休上班应在周六或周日，请核对"]
    assert problems("三、清明节：4月31日放假，共1天。") == ["第1行：「4月31日」不是真实的日期"]
    assert problems("三、清明节：3日至5日放假，共3天。") == ["第1行：「3日」缺少月份"]
    assert problems("四、劳动节：5月5日至1日放假。") == ["第1行：5月5日至5月1日：结束日期早于开始日期"]
    assert problems("四、劳动节：5月1日至6月1日放假。") == ["第1行：5月1日至6月1日超过 15 天，请核对"]
    assert problems("五、端午节：6月9日（周三）。") == ["第1行：6月9日 后没有写明是放假还是上班"]
    assert problems("六、中秋节：另行通知。") == [
        "第1行：这一行没有读到放假或上班的日期，应写成「一、元旦：1月1日（周五）放假，共1天。」"]
    assert problems("十、国庆节：2030年10月1日放假。") == ["第1行：2030年10月1日不是2027年的日期，请核对年份"]
    assert problems("中秋节9月15日放假") == [
        "第1行：无法识别这一行，应写成「一、元旦：1月1日（周五）放假，共1天。」或「2027-01-01,放假,元旦」"]
    assert problems("国务院办公厅\n2026年11月4日") == ["没有读到2027年的任何放假日期"]  # only words: said once, for the whole


def test_a_day_read_twice_or_both_rest_and_working_is_a_problem_of_the_later_line():
    text = "一、元旦：1月1日放假，共1天。\n2027-01-01,放假,元旦\n2027-01-03,上班,元旦\n三、清明节：1月3日放假，共1天。"
    assert problems(text) == ["第2行：1月1日重复（第1行已有）", "第4行：1月3日在第3行是上班，这里又是放假"]


def test_table_rows_name_their_bad_cells():
    text = "2027-02-30,放假,春节\n2028-02-05,放假,春节\n2027-02-06,休假中,春节\n2027-02-06,放假\n2027-02-07,放假," + "长" * 21
    assert problems(text) == [
        "第1行：「2027-02-30」不是真实的日期", "第2行：2028-02-05 不在2027年内",
        "第3行：类型应为「放假」或「上班」，这里是「休假中」", "第4行：缺少节日名称（如元旦、春节）",
        "第5行：节日名称过长（21 字，上限 20 字）"]
    assert [str(p) for p in rules.read_rows([["年份", "说明"], ["2027", "春节"]], 2027).problems] == [
        "第1行：第一行应为表头「日期、类型、名称」，或直接从日期写起", "第2行：无法识别的日期「2027」，应写成 2027-01-01",
        "第2行：类型应为「放假」或「上班」，这里是「春节」", "第2行：缺少节日名称（如元旦、春节）"]


def test_hostile_text_is_refused_whole():
    assert problems("一、元旦：1月1日放假\x00，共1天。") == ["内容含有不可见的控制字符（U+0000），请删除后重试"]
    assert problems("一" * (rules.TEXT_MAX + 1))[0].startswith("内容过长")
    assert problems("\n".join(["说明"] * (rules.LINES_MAX + 1))) == [f"内容超过 {rules.LINES_MAX} 行，请只粘贴放假安排的部分"]
    assert problems("") == ["没有读到2027年的任何放假日期"]
    long_line = "一、元旦：1月1日放假，共1天。" + "。" * 500
    reading = rules.read_text(long_line, 2027)
    assert reading.problems == [] and len(reading.lines[0].text) == rules.SHOWN_MAX + 1


def test_this_year_is_wanted_and_the_next_one_from_december():
    assert rules.years_wanted(date(2027, 11, 30)) == [2027]
    assert rules.years_wanted(date(2027, 12, 1)) == [2027, 2028]
