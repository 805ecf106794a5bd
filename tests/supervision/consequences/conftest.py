"""结果运用 scenes on the small 2020 plan (tests/work/conftest.py build_plan, tests/supervision/conftest.py):

late_twice — 区财政局 answers two notices on its task 2 late (no holiday in between):
    督办〔2020〕1号 opened Mon 2 Mar, reply due Mon 9 Mar, answered Wed 11 Mar (2 working days late), accepted 12 Mar;
    督办〔2020〕2号 opened Mon 16 Mar, reply due Mon 23 Mar, answered Tue 24 Mar (1 working day late).
  With the defaults (2 late answers within 365 days → 约谈) the triggers propose 约谈 for 区财政局 on any day from
  24 Mar 2020.
"""

from datetime import date
from types import SimpleNamespace

import pytest
import time_machine

from luoshi.supervision import services as notice_services


def answer_late_twice(cast, plan):
    """The two late answers of 区财政局 (see the module's docstring); returns (first notice, second notice)."""
    office, unit = cast.li_ducha, cast.zheng_caizheng
    first = notice_services.open_notice(office, plan.t2, on=date(2020, 3, 2), reason="完成选址进度偏慢")
    notice_services.reply(unit, first, "正在选址论证", on=date(2020, 3, 11))
    notice_services.accept(office, first, on=date(2020, 3, 12))
    second = notice_services.open_notice(office, plan.t2, on=date(2020, 3, 16), reason="选址论证仍未完成")
    notice_services.reply(unit, second, "已报区政府研究", on=date(2020, 3, 24))
    assert (first.reply_due, second.reply_due) == (date(2020, 3, 9), date(2020, 3, 23))
    return first, second


@pytest.fixture
def late_twice(cast, plan):
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        first, second = answer_late_twice(cast, plan)
    return SimpleNamespace(first=first, second=second)
