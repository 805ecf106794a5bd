"""A daily form on the fixed cast: 疫情防控日报, deadline 10:00, sent by the three cast villages from 1 April 2020.

    济阳街道 370115001: 东关村 370115001201 (wu_cunju), 西街社区 370115001202 (chen_cunju)
    曲堤镇   370115101: 王家村 370115101201 (no reporter account)
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi.daily import services

SH = ZoneInfo("Asia/Shanghai")
FIELDS = """new_cases | 新增病例 | 整数 | 必填 | 0-1000
returnees | 返乡人员 | 整数 | | 0-
checkpoint | 卡口值守 | 是否 | 必填
risk | 风险等级 | 选项 | | 低/中/高
note | 其他情况 | 文本"""
START = date(2020, 4, 1)
DAY = date(2020, 4, 14)


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


def build_form(cast, code="yiqing"):
    form = services.define_form(cast.li_ducha, code=code, title="疫情防控日报", region=cast.jiyang, fields=FIELDS)
    services.assign_villages(cast.li_ducha, form, ["370115001", "370115101201"], START)
    return form


@pytest.fixture
def form(cast):
    return build_form(cast)


GOOD = {"new_cases": 1, "returnees": 12, "checkpoint": "是", "risk": "低", "note": ""}


def submit(cast, user="wu_cunju", village="370115001201", day=DAY, now=None, **kw):
    kw.setdefault("values", GOOD)
    return services.submit_report(getattr(cast, user) if user else None, form="yiqing", village=village, day=day,
                                  now=now or at(day, 9), **kw)
