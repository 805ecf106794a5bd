"""A 2027-like 放假安排 in the notice's own words, hand-checked against the 2027 calendar (1 January 2027 is a Friday),
and the process's working-day calendar read afresh around each test: a test's loads are rolled back, and another test
must not count with them (core.workdays keeps what it read for LUOSHI_HOLIDAY_CHECK_SECONDS)."""

import pytest

from luoshi.core import workdays

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月14日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，确保人民群众祥和平安度过节日假期。
国务院办公厅
2026年11月4日
"""

# The same arrangement as the simple table (date, 放假/上班, name), 春节 and its working days only.
TABLE_2027 = """日期,类型,名称
2027-02-05,放假,春节
2027-02-06,放假,春节
2027-02-07,放假,春节
2027-02-08,放假,春节
2027-02-09,放假,春节
2027-02-10,放假,春节
2027-02-11,放假,春节
2027-02-12,放假,春节
2027-02-13,放假,春节
2027-02-14,上班,春节
2027-02-20,上班,春节
"""


@pytest.fixture(autouse=True)
def fresh_calendar():
    workdays.forget()
    yield
    workdays.forget()


def load_2027(actor=None, text=NOTICE_2027, **details):
    """Load the notice as a service call would, and count with it in this process at once (the commit's refresh)."""
    from luoshi.holidays import rules, services

    arrangement = services.load_year(actor, rules.read_text(text, 2027), source_name="粘贴文本", source_text=text,
                                     **details)
    workdays.refresh()  # what transaction.on_commit does after a real commit
    return arrangement
