"""The daily-report JSON API with personal tokens: submit (validation, idempotency, permissions) and status."""

import json

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.daily.models import DailyReport
from luoshi.orgs import services as org_services
from tests.daily.conftest import DAY, FIELDS, GOOD, at, submit

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def morning():
    with time_machine.travel(at(DAY, 9, 20), tick=False):
        yield


@pytest.fixture
def api(cast):
    def make(username):
        user = getattr(cast, username)
        _, raw = org_services.create_api_token(user, user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def post(client, body):
    return client.post("/api/v1/daily/reports", json.dumps(body), content_type="application/json")


BODY = {"form": "yiqing", "village": "370115001201", "date": "2020-04-14", "values": {"new_cases": 2, "checkpoint": True}}


def test_submit_creates_a_report_and_the_same_key_returns_it_without_a_second(api, form):
    c = api("wu_cunju")
    first = post(c, {**BODY, "idempotency_key": "retry-1"})
    assert first.status_code == 201
    data = first.json()
    assert (data["version"], data["status"], data["created"], data["values"]["new_cases"]) == (1, "on_time", True, 2)
    again = post(c, {**BODY, "idempotency_key": "retry-1"})
    assert again.status_code == 200 and again.json()["id"] == data["id"] and again.json()["created"] is False
    assert DailyReport.objects.count() == 1


def test_a_second_submission_with_a_new_key_is_a_correction(api, form):
    c = api("wu_cunju")
    post(c, {**BODY, "idempotency_key": "a"})
    second = post(c, {**BODY, "idempotency_key": "b", "values": {"new_cases": 5, "checkpoint": True}})
    assert second.status_code == 201 and second.json()["version"] == 2
    assert DailyReport.objects.filter(is_current=False).count() == 1


def test_zero_report_over_the_api(api, form):
    response = post(api("wu_cunju"), {**BODY, "values": {}, "zero_report": True})
    assert response.status_code == 201 and response.json()["zero_report"] is True


def test_bad_values_give_400_with_chinese_problems_and_save_nothing(api, form):
    response = post(api("wu_cunju"), {**BODY, "values": {"new_cases": "多", "checkpoint": "maybe", "extra": 1}})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "「新增病例」应为整数，而不是「多」" in error and "表单中没有字段「extra」" in error and "「卡口值守」应填「是」或「否」" in error
    assert DailyReport.objects.count() == 0


def test_future_date_and_bad_date_are_refused(api, form):
    c = api("wu_cunju")
    assert post(c, {**BODY, "date": "2020-04-15"}).json()["error"] == "不能报送未来日期（2020-04-15）的日报，今天是 2020-04-14"
    assert post(c, {**BODY, "date": "14/04/2020"}).json()["error"] == "无法识别的日期「14/04/2020」，请写成 2020-04-14 的形式"
    assert DailyReport.objects.count() == 0


@pytest.mark.parametrize("warm", [False, True], ids=["full path", "after the form version is cached"])
def test_reporter_cannot_submit_for_another_village_over_the_api(api, form, warm):
    c = api("wu_cunju")
    if warm:  # on PostgreSQL the next submission tries the one-statement path, whose checks must refuse it too
        assert post(c, {**BODY, "idempotency_key": "own", "date": "2020-04-13"}).status_code == 201
    response = post(c, {**BODY, "village": "370115001202"})
    assert response.status_code == 403
    assert "只能报送本村（社区）" in response.json()["error"]
    assert not DailyReport.objects.filter(village__code="370115001202").exists()


@pytest.mark.parametrize("warm", [False, True], ids=["full path", "after the form version is cached"])
def test_a_town_cannot_submit_for_its_villages(api, form, warm):
    if warm:
        assert post(api("wu_cunju"), {**BODY, "idempotency_key": "own", "date": "2020-04-13"}).status_code == 201
    assert post(api("sun_jiedao"), BODY).status_code == 403
    assert not DailyReport.objects.filter(day="2020-04-14").exists()


def test_without_a_token_nothing_is_accepted(form):
    assert post(Client(), BODY).status_code == 401


def test_district_status_rolls_up_by_town(cast, api, form):
    submit(cast, now=at(DAY, 9))
    submit(cast, user=None, village="370115101201", now=at(DAY, 11), values={**GOOD, "new_cases": 4})
    data = api("sun_leader").get("/api/v1/daily/status?date=2020-04-14").json()
    assert data["area"] == "370115"
    assert data["counts"] | {} == {"expected": 3, "on_time": 1, "late": 1, "missing": 1, "zero_report": 0, "rate": 66.7,
                                   "sums": {"new_cases": 5, "returnees": 24}}
    towns = {t["town"]: t for t in data["towns"]}
    assert (towns["370115001"]["missing"], towns["370115101"]["late"]) == (1, 1)


def test_town_status_lists_its_villages(cast, api, form):
    submit(cast, now=at(DAY, 9))
    data = api("sun_jiedao").get("/api/v1/daily/status?date=2020-04-14").json()
    assert [(v["village"], v["status"]) for v in data["villages"]] == [("370115001201", "on_time"), ("370115001202", "missing")]
    assert api("sun_jiedao").get("/api/v1/daily/status?town=370115101").status_code == 403


def test_reporter_reads_own_versions_but_not_another_village(cast, api, form):
    submit(cast, now=at(DAY, 9), idempotency_key="a")
    submit(cast, now=at(DAY, 9, 10), idempotency_key="b")
    c = api("wu_cunju")
    data = c.get("/api/v1/daily/villages/370115001201/reports?form=yiqing&date=2020-04-14").json()
    assert [(r["version"], r["is_current"]) for r in data] == [(1, False), (2, True)]
    assert c.get("/api/v1/daily/villages/370115001202/reports?form=yiqing&date=2020-04-14").status_code == 403


def test_forms_lists_fields_for_the_reporter(api, form):
    data = api("wu_cunju").get("/api/v1/daily/forms").json()
    assert [f["code"] for f in data] == ["yiqing"] and data[0]["deadline"] == "10:00"
    assert api("ma_lixia").get("/api/v1/daily/forms").json() == []


def test_a_form_is_listed_once_however_many_of_the_readers_villages_send_it(api, form):
    # the town's two villages are both on the form (daily.access.visible_forms: EXISTS, no join to deduplicate)
    assert [f["code"] for f in api("sun_jiedao").get("/api/v1/daily/forms").json()] == ["yiqing"]
    assert [f["code"] for f in api("sun_leader").get("/api/v1/daily/forms").json()] == ["yiqing"]


def test_the_submit_path_stays_lean(api, form):
    c = api("wu_cunju")
    post(c, {**BODY, "idempotency_key": "warm", "date": "2020-04-13"})  # warms the per-process form-version cache
    with CaptureQueriesContext(connection) as captured:
        response = post(c, BODY)
    assert response.status_code == 201
    statements = [q["sql"] for q in captured.captured_queries]
    if connection.vendor == "postgresql":
        # one statement that checks the token, the form, the village and the reporter and inserts the report with
        # its audit entry (the token's last-used time is written in batches, not here)
        assert len(statements) == 1
        assert all(table in statements[0] for table in ("orgs_apitoken", "daily_dailyreport", "audit_auditentry"))
    else:
        # the same lookups, then SAVEPOINT, the report, its audit entry, RELEASE (the test's own transaction
        # stands in for BEGIN/COMMIT)
        assert len(statements) == 6
        assert sum("daily_dailyreport" in sql for sql in statements) == 1
    assert sum("audit_auditentry" in sql for sql in statements) == 1

def test_a_changed_form_is_noticed_by_a_process_that_knew_the_old_version(api, form, cast):
    from luoshi.daily import services

    c = api("wu_cunju")
    assert post(c, {**BODY, "idempotency_key": "first", "date": "2020-04-13"}).status_code == 201  # caches the version
    services.change_form(cast.li_ducha, form, fields=FIELDS + "\nextra | 新增字段 | 整数 | | 0-")
    response = post(c, {**BODY, "values": {**BODY["values"], "extra": 3}})
    assert response.status_code == 201, response.json()
    report = DailyReport.objects.get(pk=response.json()["id"])
    assert report.form_version == DailyReport.objects.get(idempotency_key="first").form.current_version
    assert report.values["extra"] == 3


def test_a_stopped_form_is_refused_even_when_a_process_knew_it_active(api, form, cast):
    from luoshi.daily import services

    c = api("wu_cunju")
    assert post(c, {**BODY, "idempotency_key": "first", "date": "2020-04-13"}).status_code == 201
    services.change_form(cast.li_ducha, form, active=False)
    response = post(c, BODY)
    assert response.status_code == 400 and "已停用" in response.json()["error"]
    assert not DailyReport.objects.filter(day="2020-04-14").exists()


def _warm(client):
    """A first report the day before: it caches the form's version in this process, so that on PostgreSQL the
    next submission tries the one statement that checks the token itself."""
    assert post(client, {**BODY, "idempotency_key": "warm", "date": "2020-04-13"}).status_code == 201


def test_a_revoked_token_is_refused_on_the_one_statement_path(api, form, cast):
    c = api("wu_cunju")
    _warm(c)
    for token in cast.wu_cunju.api_tokens.all():
        org_services.revoke_api_token(cast.wu_cunju, token)
    response = post(c, BODY)
    assert response.status_code == 401 and "令牌" in response.json()["error"]
    assert not DailyReport.objects.filter(day="2020-04-14").exists()


def test_an_inactive_reporters_token_is_refused_on_the_one_statement_path(api, form, cast):
    c = api("wu_cunju")
    _warm(c)
    type(cast.wu_cunju).objects.filter(pk=cast.wu_cunju.pk).update(is_active=False)
    assert post(c, BODY).status_code == 401
    assert not DailyReport.objects.filter(day="2020-04-14").exists()


@pytest.mark.parametrize("warm", [False, True], ids=["full path", "after the form version is cached"])
def test_an_unknown_token_is_a_401_even_when_the_body_is_bad(api, form, warm):
    if warm:
        _warm(api("wu_cunju"))
    stranger = Client(HTTP_AUTHORIZATION="Bearer ls_not_a_token")
    assert post(stranger, BODY).status_code == 401
    assert post(stranger, {"village": 1}).status_code == 401  # not a 422 that would tell a stranger about the body
    assert post(api("wu_cunju"), {"village": 1}).status_code == 422
    assert not DailyReport.objects.filter(day="2020-04-14").exists()


def test_the_one_statement_path_audits_the_reporter_like_the_full_path(api, form, cast):
    from luoshi.audit.models import AuditEntry

    cast.wu_cunju.first_name = "吴村居"
    cast.wu_cunju.save()
    c = api("wu_cunju")
    _warm(c)
    response = post(c, BODY)
    assert response.status_code == 201
    report = DailyReport.objects.get(pk=response.json()["id"])
    assert report.submitted_by == cast.wu_cunju
    entries = {e.object_id: e for e in AuditEntry.objects.filter(object_type="daily.DailyReport")}
    warm_entry, entry = entries[str(DailyReport.objects.get(idempotency_key="warm").pk)], entries[str(report.pk)]
    assert (entry.actor, entry.actor_label, entry.action) == (cast.wu_cunju, "吴村居", warm_entry.action)
    assert (warm_entry.actor, warm_entry.actor_label) == (cast.wu_cunju, "吴村居")
    assert entry.object_repr == warm_entry.object_repr.replace("2020-04-13", "2020-04-14") == str(report)
    assert entry.after == {**warm_entry.after, "day": "2020-04-14", "late": False} and entry.before is None  # the warm-up day was late


def test_the_tokens_last_use_is_noted_on_the_one_statement_path(api, form, cast):
    from luoshi.orgs import services as orgs_services

    c = api("wu_cunju")
    _warm(c)
    orgs_services.flush_token_use()
    token = cast.wu_cunju.api_tokens.get()
    type(token).objects.filter(pk=token.pk).update(last_used_at=None)
    assert post(c, BODY).status_code == 201
    orgs_services.flush_token_use()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_both_paths_answer_with_the_same_json(api, form):
    c = api("wu_cunju")
    full = post(c, {**BODY, "idempotency_key": "warm", "date": "2020-04-13"})  # the full path (nothing cached yet)
    fast = post(c, BODY)  # on PostgreSQL the one-statement path
    assert full.status_code == fast.status_code == 201
    full, fast = full.json(), fast.json()
    assert set(full) == set(fast)
    assert (fast["date"], fast["submitted_at"], fast["first_submitted_at"]) == ("2020-04-14", "2020-04-14T01:20:00Z",
                                                                               "2020-04-14T01:20:00Z")
    assert (full["date"], full["submitted_at"]) == ("2020-04-13", "2020-04-14T01:20:00Z")
    assert fast["values"] == full["values"] and fast["values"]["new_cases"] == 2
    assert DailyReport.objects.get(pk=fast["id"]).values == fast["values"]
