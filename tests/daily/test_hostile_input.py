"""Hostile dates and other villages: the permission check comes first, then a Chinese message; never a 500."""

import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from luoshi.daily.models import DailyReport, FormAssignment
from luoshi.orgs import services as org_services
from tests.daily.conftest import DAY, GOOD, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def morning():
    with time_machine.travel(at(DAY, 9, 20), tick=False):
        yield


def api_client(cast, username):
    user = getattr(cast, username)
    _, raw = org_services.create_api_token(user, user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def page_client(cast, username):
    client = Client()
    client.force_login(getattr(cast, username))
    return client


GARBAGE_DAYS = ["garbage", "2020-02-30", "0001-01-01", "9999-12-31", "2020-04-14\u2028"]


@pytest.mark.parametrize("day", GARBAGE_DAYS)
def test_a_report_for_another_village_with_a_garbage_date_is_refused_as_another_village_over_the_api(cast, form, day):
    body = {"form": "yiqing", "village": "370115001202", "date": day, "values": GOOD}
    response = api_client(cast, "wu_cunju").post("/api/v1/daily/reports", json.dumps(body), content_type="application/json")
    assert response.status_code == 403 and "不能代其他村（社区）报送" in response.json()["error"]
    assert not DailyReport.objects.exists()


@pytest.mark.parametrize("day", GARBAGE_DAYS)
def test_a_report_for_another_village_with_a_garbage_date_is_a_403_on_the_page(cast, form, day):
    data = {"village": "370115001202", "date": day, "key": "k", **{f"f_{k}": v for k, v in GOOD.items()}}
    response = page_client(cast, "wu_cunju").post("/daily/report/yiqing/submit", data)
    assert response.status_code == 403
    assert not DailyReport.objects.exists()


@pytest.mark.parametrize("day, message", [("garbage", "无法识别的日期「garbage」"), ("2020-02-30", "日期「2020-02-30」不是真实的日期"),
                                          ("0001-01-01", "超出可查询的范围")])
def test_own_village_with_a_garbage_date_gets_a_chinese_message(cast, form, day, message):
    body = {"form": "yiqing", "village": "370115001201", "date": day, "values": GOOD}
    response = api_client(cast, "wu_cunju").post("/api/v1/daily/reports", json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and message in response.json()["error"]
    data = {"village": "370115001201", "date": day, "key": "k", **{f"f_{k}": v for k, v in GOOD.items()}}
    response = page_client(cast, "wu_cunju").post("/daily/report/yiqing/submit", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not DailyReport.objects.exists()


@pytest.mark.parametrize("url", ["/daily/village/370115001201/?date=0001-01-01", "/daily/village/370115001201/?date=9999-12-31",
                                 "/daily/?date=0001-01-01", "/daily/town/370115001/?date=9999-12-31",
                                 "/daily/export.xlsx?date=0001-01-01&area=370115"])
def test_pages_with_a_date_outside_the_calendar_say_so_and_show_today(cast, form, url):
    response = page_client(cast, "li_ducha").get(url, follow=True)
    assert response.status_code == 200
    if "export" not in url:
        assert "超出可查询的范围（2000年至2100年），已按今天显示" in response.content.decode()


@pytest.mark.parametrize("query", ["date=0001-01-01", "date=2020-13-01", "date=99999-01-01"])
def test_api_status_and_history_with_a_date_outside_the_calendar_are_a_400(cast, form, query):
    client = api_client(cast, "li_ducha")
    for url in (f"/api/v1/daily/status?area=370115&{query}", f"/api/v1/daily/villages/370115001201/reports?form=yiqing&{query}"):
        response = client.get(url)
        assert response.status_code == 400 and "日期" in response.json()["error"], url


def test_status_of_another_county_with_a_garbage_date_is_a_403_not_a_date_message(cast, form):
    response = api_client(cast, "ma_lixia").get("/api/v1/daily/status?form=yiqing&area=370115&date=garbage")
    assert response.status_code in (403, 404)


def test_assigning_villages_from_a_day_that_does_not_exist_is_refused(cast, form):
    response = page_client(cast, "li_ducha").post("/daily/forms/yiqing/", {
        "action": "assign", "codes": "370115101", "starts_on": "2020-02-30"})
    assert response.status_code == 400 and "起报日期「2020-02-30」不是真实的日期" in response.content.decode()
    response = page_client(cast, "li_ducha").post("/daily/forms/yiqing/", {
        "action": "assign", "codes": "370115101", "starts_on": "2020-04-01", "ends_on": "9999-01-01"})
    assert response.status_code == 400 and "停报日期「9999-01-01」超出可查询的范围" in response.content.decode()
    assert not FormAssignment.objects.filter(ends_on__isnull=False).exists()


def test_the_command_line_refuses_a_date_outside_the_calendar(cast, form):
    with pytest.raises(CommandError, match="超出可查询的范围"):
        call_command("daily", "status", "--date", "3000-01-01")
