"""The daily submission's lean path (luoshi.web.fastpath): a village's first report of the day over the API skips the
middleware below it and django-ninja, and answers exactly as the whole stack does — the same status, JSON and
headers — for good, bad and repeated submissions alike; the security headers and the guard still apply."""

import json

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings

from luoshi.daily.models import DailyReport
from luoshi.orgs import services as org_services
from tests.daily.conftest import DAY, at, build_form

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]

LEAN = "luoshi.web.fastpath.LeanSubmitMiddleware"
URL = "/api/v1/daily/reports"
BODY = {"form": "yiqing", "village": "370115001201", "date": "2020-04-14", "values": {"new_cases": 2, "checkpoint": True}}


@pytest.fixture(autouse=True)
def morning():
    with time_machine.travel(at(DAY, 9, 20), tick=False):
        yield


@pytest.fixture
def form(cast):
    return build_form(cast)


@pytest.fixture
def token(cast):
    return org_services.create_api_token(cast.wu_cunju, cast.wu_cunju, "测试")[1]


def whole_stack():
    """The settings without the lean path: every request goes through all the middleware to the endpoint."""
    return override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != LEAN])


def post(body, token, client=None, raw=None, **extra):
    client = client or Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(URL, raw if raw is not None else json.dumps(body), content_type="application/json",
                       **headers, **extra)


def took_lean_path(response):
    return not hasattr(response.wsgi_request, "session")  # SessionMiddleware, below the lean path, never ran


def warm(token):
    """A first report the day before, through the whole stack: it caches the form's version in this process, so
    that the next submission may take the one-statement path (on PostgreSQL)."""
    assert post({**BODY, "date": "2020-04-13", "idempotency_key": "warm"}, token).status_code == 201


def answer(response):
    data = {k: v for k, v in response.json().items() if k != "id"}
    headers = {k: v for k, v in response.headers.items() if k != "Content-Length"}
    return response.status_code, data, headers, len(response.content) == int(response["Content-Length"])


def test_a_first_report_takes_the_lean_path_on_postgresql_with_the_whole_stacks_answer(cast, form, token):
    warm(token)

    def make(t):
        response = post(BODY, t)
        report = DailyReport.objects.get(pk=response.json()["id"])
        assert (report.submitted_by, report.values["new_cases"], report.version) == (cast.wu_cunju, 2, 1)
        return response

    lean, full = both(make, token)
    assert lean.status_code == full.status_code == 201
    assert took_lean_path(lean) == (connection.vendor == "postgresql") and not took_lean_path(full)
    assert answer(lean) == answer(full)
    assert answer(lean)[3]  # Content-Length is the body's


def test_the_security_headers_are_on_the_lean_paths_answer(form, token):
    warm(token)
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        response = post(BODY, token, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 201
    assert took_lean_path(response) == (connection.vendor == "postgresql")
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert (response["X-Content-Type-Options"], response["Referrer-Policy"], response["Cross-Origin-Opener-Policy"],
            response["X-Frame-Options"]) == ("nosniff", "same-origin", "same-origin", "DENY")


BAD = {
    "bad values": {**BODY, "values": {"new_cases": "多", "checkpoint": "maybe", "extra": 1}},
    "out of range": {**BODY, "values": {"new_cases": 5000, "checkpoint": True}},
    "a number past 64 bits": {**BODY, "values": {"new_cases": 123456789012345678901234567890, "checkpoint": True}},
    "a future day": {**BODY, "date": "2020-04-15"},
    "a day not a date": {**BODY, "date": "14/04/2020"},
    "another village": {**BODY, "village": "370115001202"},
    "an unknown form": {**BODY, "form": "nope"},
    "a missing field": {"form": "yiqing", "date": "2020-04-14"},
    "a number for a code": {**BODY, "village": 370115001201},
    "values null": {**BODY, "values": None},
    "a key too long": {**BODY, "idempotency_key": "k" * 65},
    "a list": [BODY],
    "a refused character": {**BODY, "note": "a\x07b"},
    "NUL": {**BODY, "note": "a\x00b"},
}
# Values of other types than ReportIn declares, which its validation accepts: the lean path leaves them to it.
ODD = {"zero_report as text": {**BODY, "zero_report": "true"}, "zero_report as 1": {**BODY, "zero_report": 1},
       "an extra key": {**BODY, "extra": [1]}, "a float for a count": {**BODY, "values": {"new_cases": 2.0, "checkpoint": True}}}
RAW = {"not JSON": "{form: yiqing", "NaN": '{"form": "yiqing", "values": {"new_cases": NaN}}', "empty": ""}


def both(make, token):
    """The answer of the default stack and of the whole stack to the same request, each on the same data (the
    first one's writes rolled back before the second)."""
    answers = []
    for stack in (override_settings(), whole_stack()):
        with stack, transaction.atomic():
            answers.append(make(token))
            transaction.set_rollback(True)
    return answers


@pytest.mark.parametrize("body", [*BAD, *RAW])
def test_bad_submissions_get_the_same_answer_on_both_paths(form, token, body):
    warm(token)

    def make(t):
        if body in RAW:
            return post(None, t, raw=RAW[body])
        return post(BAD[body], t)

    lean, full = both(make, token)
    assert (lean.status_code, lean.json()) == (full.status_code, full.json())
    assert lean.status_code >= 400
    assert not DailyReport.objects.filter(day="2020-04-14").exists()


@pytest.mark.parametrize("body", ODD)
def test_values_of_other_types_get_the_same_answer_on_both_paths(form, token, body):
    warm(token)
    lean, full = both(lambda t: post(ODD[body], t), token)
    assert (lean.status_code, answer(lean)[1]) == (full.status_code, answer(full)[1])


@pytest.mark.parametrize("case", ["unknown token", "empty token", "another scheme", "no token"])
def test_bad_tokens_get_the_same_answer_on_both_paths(form, token, case):
    warm(token)
    use = {"unknown token": "ls_not_a_token", "empty token": " ", "another scheme": None, "no token": None}[case]

    def make(t):
        extra = {"HTTP_AUTHORIZATION": f"Token {t}"} if case == "another scheme" else {}
        return post(BODY, use, **extra)

    lean, full = both(make, token)
    assert (lean.status_code, lean.json()) == (full.status_code, full.json()) and lean.status_code == 401


def test_a_retry_and_a_correction_get_the_same_answer_on_both_paths(form, token):
    warm(token)

    def make(t):
        first = post({**BODY, "idempotency_key": "k1"}, t)
        retry = post({**BODY, "idempotency_key": "k1"}, t)
        correction = post({**BODY, "idempotency_key": "k2", "values": {"new_cases": 3, "checkpoint": False}}, t)
        return [(r.status_code, {k: v for k, v in r.json().items() if k != "id"}) for r in (first, retry, correction)], \
            DailyReport.objects.filter(day="2020-04-14").count()

    lean, full = both(make, token)
    assert lean == full
    assert [status for status, _ in lean[0]] == [201, 200, 201] and lean[1] == 2


def test_a_request_with_a_cookie_or_an_unknown_host_goes_through_the_stack(form, token):
    warm(token)
    client = Client()
    client.cookies["sessionid"] = "nothing"
    response = post(BODY, token, client=client)
    assert response.status_code == 201 and not took_lean_path(response)
    assert post({**BODY, "idempotency_key": "x"}, token, HTTP_HOST="evil.example").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_since_the_last_request_costs_no_report(cast):
    """The lean path runs its statement without the health check's round trip: on a connection the server has
    dropped it fails, and the endpoint runs it again on a new connection — one report, answered 201."""
    if connection.vendor != "postgresql":
        pytest.skip("the lean path runs on PostgreSQL")
    build_form(cast)
    token = org_services.create_api_token(cast.wu_cunju, cast.wu_cunju, "测试")[1]
    warm(token)
    pid = connection.connection.info.backend_pid
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.health_check_done = False  # a new request (the test client does not signal request_started)
    response = post(BODY, token)
    assert response.status_code == 201, response.content
    # the lean path met the dropped connection (no health check before its statement) and left the request to the
    # endpoint, which connected afresh
    assert not took_lean_path(response) and connection.connection.info.backend_pid != pid
    assert DailyReport.objects.filter(day="2020-04-14").count() == 1


def _other_connection():
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)
