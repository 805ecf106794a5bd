"""Zero reports that cannot destroy data: counts 0, yes/no and 选项 kept as last reported, a confirmation before a
zero report replaces a real report of the same day on the page (the API applies the same rule without asking)."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from luoshi.daily import rules
from luoshi.daily.models import DailyReport
from luoshi.orgs import services as org_services
from tests.daily.conftest import DAY, GOOD, at, submit

pytestmark = pytest.mark.django_db

FIELDS = [
    rules.FieldSpec("new_cases", "新增病例", rules.INTEGER, required=True, minimum=0),
    rules.FieldSpec("checkpoint", "卡口值守", rules.BOOLEAN, required=True),
    rules.FieldSpec("risk", "风险等级", rules.CHOICE, choices=("低", "中", "高")),
    rules.FieldSpec("note", "其他情况", rules.TEXT),
]
YESTERDAY = DAY - timedelta(days=1)


def test_zero_values_keep_the_yes_no_and_level_last_reported_and_zero_the_counts():
    last = {"new_cases": 3, "checkpoint": True, "risk": "中", "note": "村口设卡"}
    assert rules.zero_values(FIELDS, last) == {"new_cases": 0, "checkpoint": True, "risk": "中", "note": None}


def test_zero_values_keep_no_as_no_and_leave_a_choice_no_longer_offered_empty():
    assert rules.zero_values(FIELDS, {"checkpoint": False, "risk": "极高"}) == {
        "new_cases": 0, "checkpoint": False, "risk": None, "note": None}


def test_zero_values_with_nothing_reported_before_leave_yes_no_and_level_empty():
    assert rules.zero_values(FIELDS, None) == {"new_cases": 0, "checkpoint": None, "risk": None, "note": None}


def test_what_replacing_a_report_by_a_zero_report_changes_lists_only_the_counts_and_texts():
    current = {"new_cases": 2, "checkpoint": True, "risk": "高", "note": "有返乡"}
    assert rules.zero_report_changes(FIELDS, current) == [("新增病例", "2", "0"), ("其他情况", "有返乡", "—")]


def test_a_zero_report_keeps_the_checkpoint_and_risk_of_yesterdays_report(cast, form):
    submit(cast, day=YESTERDAY, now=at(DAY, 8), values={**GOOD, "checkpoint": "是", "risk": "中"})
    report, _ = submit(cast, values=None, zero_report=True)
    assert report.values == {"new_cases": 0, "returnees": 0, "checkpoint": True, "risk": "中", "note": None}


def test_a_zero_report_as_the_villages_first_report_leaves_checkpoint_and_risk_empty(cast, form):
    report, _ = submit(cast, values=None, zero_report=True)
    assert (report.values["checkpoint"], report.values["risk"], report.values["new_cases"]) == (None, None, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(at(DAY, 9, 15), tick=False):
        yield


def zero_post(client, key="z", **extra):
    return client.post("/daily/report/yiqing/submit", {"village": "370115001201", "date": DAY.isoformat(), "key": key,
                                                        "zero": "1", **extra})


def test_a_zero_report_over_a_real_report_on_the_page_asks_first_says_what_changes_and_saves_nothing(client_for, cast,
                                                                                                    form, frozen):
    submit(cast, now=at(DAY, 9), values={**GOOD, "new_cases": 4, "returnees": 12, "checkpoint": "是", "risk": "高"})
    response = zero_post(client_for("wu_cunju"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "用零报告替换后" in html and "确认用零报告替换" in html
    assert "新增病例：4 → 0" in html and "返乡人员：12 → 0" in html
    assert "卡口值守" not in html.split("用零报告替换后")[1].split("</ul>")[0]  # kept as reported: no change to list
    assert DailyReport.objects.count() == 1 and not DailyReport.objects.get().zero_report


def test_a_confirmed_zero_report_replaces_the_report_and_keeps_the_earlier_version(client_for, cast, form, frozen):
    submit(cast, now=at(DAY, 9), values={**GOOD, "new_cases": 4, "checkpoint": "是", "risk": "高"})
    c = client_for("wu_cunju")
    response = zero_post(c, confirm="1")
    assert response.status_code == 302
    current = DailyReport.objects.get(is_current=True)
    assert (current.version, current.zero_report) == (2, True)
    assert current.values == {"new_cases": 0, "returnees": 0, "checkpoint": True, "risk": "高", "note": None}
    earlier = DailyReport.objects.get(version=1)
    assert earlier.values["new_cases"] == 4 and not earlier.is_current
    assert "第1版" in c.get("/daily/village/370115001201/").content.decode()


def test_a_zero_report_over_a_zero_report_or_none_is_not_asked_about(client_for, cast, form, frozen):
    c = client_for("wu_cunju")
    assert zero_post(c, key="z1").status_code == 302
    assert zero_post(c, key="z2").status_code == 302
    assert DailyReport.objects.filter(zero_report=True).count() == 2


def test_the_api_replaces_a_report_by_a_zero_report_without_asking_and_keeps_yes_no_and_level(cast, form):
    _, raw = org_services.create_api_token(cast.wu_cunju, cast.wu_cunju, "测试")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {"form": "yiqing", "village": "370115001201", "date": DAY.isoformat()}
    with time_machine.travel(at(DAY, 9, 20), tick=False):
        first = api.post("/api/v1/daily/reports", json.dumps({**body, "values": {"new_cases": 2, "checkpoint": False,
                                                                                      "risk": "低"}}),
                         content_type="application/json")
        zero = api.post("/api/v1/daily/reports", json.dumps({**body, "zero_report": True}), content_type="application/json")
    assert first.status_code == 201 and zero.status_code == 201
    data = zero.json()
    assert (data["version"], data["zero_report"]) == (2, True)
    assert data["values"] == {"new_cases": 0, "returnees": 0, "checkpoint": False, "risk": "低", "note": None}
