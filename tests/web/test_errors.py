"""Errors as people and programs read them: the API always answers {"error": "<Chinese>"} (404, 405, 413, 500,
503 while the database restarts); pages answer Chinese HTML; NUL bytes are refused before any view."""

import json
import logging

import pytest
from django.contrib.messages.middleware import MessageMiddleware
from django.db import DataError, InterfaceError, OperationalError, connection
from django.test import Client

from luoshi.indicators.models import Figure
from luoshi.orgs import services as org_services
from luoshi.orgs.models import Person
from tests.indicators.conftest import catalog  # noqa: F401  (fixture)


@pytest.fixture
def api(cast):
    def make(username="wang_admin"):
        user = getattr(cast, username)
        _, raw = org_services.create_api_token(user, user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)

    return make


@pytest.fixture
def page(cast):
    def make(username="wang_admin"):
        client = Client(raise_request_exception=False)
        client.force_login(getattr(cast, username))
        return client

    return make


def json_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]), body
    return body["error"]


def chinese_page(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


# --- NUL bytes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/v1/regions/370115\x00", "/api/v1/regions?parent=370100%00",
                                 "/api/v1/indicators/table?region=370115&period=2020-03%00"])
def test_a_nul_byte_in_an_api_path_or_query_is_a_400_in_chinese(api, url):
    assert "空字符" in json_error(api().get(url), 400)


@pytest.mark.parametrize("url", ["/orgs/\x00", "/indicators/?region=370115%00", "/daily/?date=2020-04-14%00"])
def test_a_nul_byte_in_a_page_path_or_query_is_a_chinese_400_page(page, url):
    assert "请求中含有空字符（NUL），已拒绝" in chinese_page(page().get(url), 400)


def test_a_nul_byte_in_a_form_field_is_refused_and_nothing_is_saved(page):
    response = page().post("/orgs/people/add", {"username": "new_person", "password": "a-long-password-9",
                                                 "full_name": "新\x00同事", "unit": "370115D01"})
    assert "空字符" in chinese_page(response, 400)
    assert not Person.objects.filter(name__startswith="新").exists()


@pytest.mark.parametrize("period", ["2020-06\\u0000", "2020-06\x00"])
def test_a_nul_in_json_text_is_refused_and_nothing_is_saved(api, catalog, period):
    body = '{"figures": [{"region": "370115", "indicator": "gdp", "period": "%s", "value": 1}]}' % period
    response = api().post("/api/v1/indicators/figures", body, content_type="application/json")
    assert "空字符" in json_error(response, 400)
    assert not Figure.objects.exists()


# --- one JSON shape for every API error -------------------------------------------------------------

def test_an_unknown_api_address_is_a_json_404(api):
    assert "不存在" in json_error(api().get("/api/v1/no/such/thing"), 404)
    assert "不存在" in json_error(Client().get("/api/v1/no/such/thing"), 404)


def test_a_wrong_method_on_the_api_is_a_json_405_that_names_the_allowed_ones(api):
    response = api().get("/api/v1/indicators/figures")
    assert "不支持该请求方法" in json_error(response, 405)
    assert response["Allow"] == "POST"


def test_an_oversized_api_body_is_a_json_413_and_nothing_is_saved(api, catalog, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    figures = [{"region": "370115", "indicator": "gdp", "period": "2020-06", "value": n} for n in range(400)]
    response = api().post("/api/v1/indicators/figures", json.dumps({"figures": figures}), content_type="application/json")
    assert "请求内容过大" in json_error(response, 413)
    assert not Figure.objects.exists()


def test_an_oversized_form_is_a_chinese_413_page(page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = page().post("/orgs/people/add", {"username": "x", "full_name": "新" * 20_000})
    assert "请求内容过大" in chinese_page(response, 413)
    assert not Person.objects.filter(name__startswith="新").exists()


def test_an_unexpected_exception_on_the_api_is_a_logged_json_500(api, monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("luoshi.orgs.api.visible_regions", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = api().get("/api/v1/regions")
    assert "服务器内部错误" in json_error(response, 500)
    assert "boom" not in response.content.decode()
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"),
                                   InterfaceError("connection already closed")])
def test_the_api_during_a_database_restart_is_a_json_503_with_retry_after(api, monkeypatch, error):
    client = api()

    def down(user):
        raise error

    monkeypatch.setattr("luoshi.orgs.api.visible_regions", down)
    response = client.get("/api/v1/regions")
    assert json_error(response, 503) == "数据库暂不可用，请稍后重试"
    assert int(response["Retry-After"]) > 0


def test_a_page_during_a_database_restart_is_a_chinese_503_with_retry_after(page, monkeypatch):
    client = page()

    def down(user):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr("luoshi.orgs.views.visible_regions", down)
    response = client.get("/orgs/")
    assert "数据库暂不可用，请稍后重试" in chinese_page(response, 503)
    assert int(response["Retry-After"]) > 0


def test_a_database_failure_outside_a_view_is_a_503_too(page, api, monkeypatch):
    client, api_client = page(), api()

    def down(self, request, response):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(MessageMiddleware, "process_response", down)
    assert "数据库暂不可用" in chinese_page(client.get("/orgs/"), 503)
    assert json_error(api_client.get("/api/v1/regions"), 503) == "数据库暂不可用，请稍后重试"


# --- pages keep Chinese HTML ---------------------------------------------------------------------------

def test_pages_answer_chinese_html_for_404_405_400_and_500(page, monkeypatch):
    client = page()
    assert "页面不存在" in chinese_page(client.get("/no/such/page/"), 404)
    assert "不支持该请求方法" in chinese_page(client.get("/daily/report/yiqing/submit"), 405)
    too_many_fields = {f"f{n}": "x" for n in range(1100)}  # past DATA_UPLOAD_MAX_NUMBER_FIELDS: Django's 400
    assert "请求无效" in chinese_page(client.post("/orgs/people/add", too_many_fields), 400)

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("luoshi.orgs.views.visible_regions", broken)
    html = chinese_page(client.get("/orgs/"), 500)
    assert "服务器错误" in html and "boom" not in html


def test_django_ninjas_own_english_errors_are_said_in_chinese(api, cast):
    client = api()
    response = client.post("/api/v1/indicators/figures", "not json", content_type="application/json")
    assert json_error(response, 400) == "请求体无法解析，应为 JSON"
    response = client.post("/api/v1/indicators/figures", "x", content_type="multipart/form-data")  # no boundary
    assert "无法解析" in json_error(response, 400)
    session = Client(enforce_csrf_checks=True, raise_request_exception=False)
    session.force_login(cast.wang_admin)
    response = session.post("/api/v1/indicators/figures", "{}", content_type="application/json")
    assert "CSRF 校验失败" in json_error(response, 403)


def test_an_unreadable_body_with_a_bad_token_is_still_a_401(cast):
    response = Client(HTTP_AUTHORIZATION="Bearer ls_wrong").post("/api/v1/daily/reports", "not json",
                                                                  content_type="application/json")
    assert "API 令牌无效" in json_error(response, 401)


@pytest.mark.parametrize("url", ["/api/v1/work/gantt?campaign=100000000000000000000000000000",
                                 "/api/v1/work/gantt?unit=-100000000000000000000000000000"])
def test_an_id_too_large_for_the_database_is_never_a_500(api, url):
    response = api().get(url)
    if connection.vendor == "sqlite":  # Python's int does not fit SQLite's: OverflowError before the query
        assert json_error(response, 400) == "请求中的数值超出范围"
    else:  # PostgreSQL compares it as a number and finds nothing
        assert response.status_code == 200 and response.json()["campaigns"] == []


def test_a_value_out_of_range_in_postgresql_is_a_400(api, monkeypatch):
    class NumericValueOutOfRange(Exception):
        sqlstate = "22003"

    def out_of_range(user):
        try:
            raise NumericValueOutOfRange("integer out of range")
        except NumericValueOutOfRange as cause:
            raise DataError("integer out of range") from cause

    monkeypatch.setattr("luoshi.orgs.api.visible_regions", out_of_range)
    assert json_error(api().get("/api/v1/regions"), 400) == "请求中的数值超出范围"


def test_a_number_too_large_for_the_database_on_a_page_is_a_chinese_400(page, monkeypatch):
    client = page()

    def overflow(user):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr("luoshi.orgs.views.visible_regions", overflow)
    assert "请求中的数值超出范围" in chinese_page(client.get("/orgs/"), 400)
