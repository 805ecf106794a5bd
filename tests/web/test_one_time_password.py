"""An administrator's reset (issue #20, 4 and 5): it revokes every API token of the person and ends every session;
the one-time password signs in once; until it is changed that one session is held on the change page and the API
answers 403 in Chinese, to the session and to any token of the person."""

import json

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.daily.models import DailyReport
from luoshi.notify.models import Preference
from luoshi.orgs import services
from luoshi.orgs.models import AccountState, ApiToken
from tests.daily.conftest import DAY, at, build_form

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]  # security round two (#20): on both databases
NEW = "Xin-mima-2020!"
MUST_CHANGE_SESSION = "您正在使用管理员重置的一次性密码，请先在网页上修改密码（/account/password/），之后才能使用 API"
MUST_CHANGE_TOKEN = "该 API 令牌所属账号的密码已由管理员重置，须先在网页上修改密码，之后才能使用 API"


def sign_in(username, password):
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    return client if response.status_code == 302 and response.url == "/" else None


def sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


def bearer(raw):
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def put_settings(client):
    return client.put("/api/v1/notify/settings", json.dumps({"email": "zhou@example.cn", "email_kinds": ["notice"]}),
                      content_type="application/json")


# --- 5: the reset revokes tokens and ends sessions ------------------------------------------------------------------

def test_a_reset_revokes_every_token_and_ends_every_session_of_the_person_only(cast):
    office = sign_in("zhou_shangwu", cast.password)
    home = sign_in("zhou_shangwu", cast.password)
    colleague = sign_in("zheng_caizheng", cast.password)
    _, script = services.create_api_token(cast.zhou_shangwu, cast.zhou_shangwu, "同步脚本")
    _, laptop = services.create_api_token(cast.zhou_shangwu, cast.zhou_shangwu, "笔记本")
    _, other = services.create_api_token(cast.zheng_caizheng, cast.zheng_caizheng, "财政局脚本")
    assert bearer(script).get("/api/v1/me").status_code == 200
    assert len(sessions_of(cast.zhou_shangwu)) == 2

    services.reset_password(cast.wang_admin, cast.zhou_shangwu)

    assert sessions_of(cast.zhou_shangwu) == []
    for client in (office, home):
        assert client.get("/").status_code == 302 and client.get("/api/v1/me").status_code == 401
    for raw in (script, laptop):
        response = bearer(raw).get("/api/v1/me")
        assert response.status_code == 401 and "已吊销" in response.json()["error"]
    assert not ApiToken.objects.filter(user=cast.zhou_shangwu, revoked_at__isnull=True).exists()
    assert colleague.get("/").status_code == 200 and bearer(other).get("/api/v1/me").status_code == 200
    assert AuditEntry.objects.filter(action="吊销API令牌", actor=cast.wang_admin).count() == 2
    entry = AuditEntry.objects.get(action="重置密码")
    assert entry.after == {"must_change_password": True, "tokens_revoked": 2, "sessions_ended": 2}


def test_the_reset_on_the_people_page_ends_the_persons_sessions_but_not_the_administrators(client_for, cast):
    person = sign_in("zhou_shangwu", cast.password)
    admin = client_for("wang_admin")
    assert admin.post(f"/orgs/people/{cast.zhou_shangwu.pk}/password").status_code == 302
    assert person.get("/").status_code == 302
    assert 'id="one-time-password"' in admin.get("/orgs/people/").content.decode()


# --- 4: once only, and held on the change page, API included --------------------------------------------------------

def reset(cast, user=None):
    return services.reset_password(cast.wang_admin, user or cast.zhou_shangwu)


def test_a_one_time_password_signs_in_once_and_that_session_stays(cast):
    raw = reset(cast)
    first = sign_in("zhou_shangwu", raw)
    assert first is not None
    assert sign_in("zhou_shangwu", raw) is None  # spent
    assert len(sessions_of(cast.zhou_shangwu)) == 1
    assert first.get("/account/password/").status_code == 200
    assert first.get("/").url == "/account/password/"
    assert AuditEntry.objects.filter(action="使用一次性密码登录", object_id=str(cast.zhou_shangwu.pk)).exists()


def test_the_change_page_of_the_one_time_session_asks_for_the_new_password_only(cast):
    first = sign_in("zhou_shangwu", reset(cast))
    page = first.get("/account/password/").content.decode()
    assert 'name="old_password"' not in page and 'name="new_password1"' in page
    assert "一次性密码只能登录这一次" in page
    weak = first.post("/account/password/", {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 200 and "密码太短" in weak.content.decode()
    assert first.post("/account/password/", {"new_password1": NEW, "new_password2": NEW}).url == "/"
    assert first.get("/").status_code == 200 and first.get("/api/v1/me").status_code == 200
    assert not AccountState.objects.get(user=cast.zhou_shangwu).must_change_password
    assert sign_in("zhou_shangwu", NEW) is not None


def test_two_sign_ins_at_once_spend_the_one_time_password_once(cast):
    reset(cast)
    first, second = (get_user_model().objects.get(pk=cast.zhou_shangwu.pk) for _ in range(2))
    assert services.spend_one_time_password(first) is True
    assert services.spend_one_time_password(second) is False  # it read the password before the first spent it
    assert not get_user_model().objects.get(pk=cast.zhou_shangwu.pk).has_usable_password()


def test_the_api_refuses_the_one_time_session_until_the_password_is_changed(cast):
    first = sign_in("zhou_shangwu", reset(cast))
    before = list(Preference.objects.values_list("user_id", "kind", "email"))
    for response in (first.get("/api/v1/me"), first.get("/api/v1/work/tasks"), put_settings(first)):
        assert response.status_code == 403
        assert response.json() == {"error": MUST_CHANGE_SESSION}
    assert list(Preference.objects.values_list("user_id", "kind", "email")) == before
    assert get_user_model().objects.get(pk=cast.zhou_shangwu.pk).email == ""
    first.post("/account/password/", {"new_password1": NEW, "new_password2": NEW})
    assert first.get("/api/v1/me").status_code == 200 and put_settings(first).status_code == 200


def test_a_token_of_a_person_who_must_change_the_password_is_refused(cast):
    reset(cast)
    # A token made after the reset (not through the pages, which hold the person on the change page).
    _, raw = services.create_api_token(cast.zhou_shangwu, cast.zhou_shangwu, "重置之后")
    before = list(Preference.objects.values_list("user_id", "kind", "email"))
    for response in (bearer(raw).get("/api/v1/me"), put_settings(bearer(raw)),
                     Client(HTTP_X_API_TOKEN=raw).get("/api/v1/me")):
        assert response.status_code == 403 and response.json() == {"error": MUST_CHANGE_TOKEN}
    assert list(Preference.objects.values_list("user_id", "kind", "email")) == before
    AccountState.objects.filter(user=cast.zhou_shangwu).update(must_change_password=False)
    assert bearer(raw).get("/api/v1/me").status_code == 200


REPORT = {"form": "yiqing", "village": "370115001201", "values": {"new_cases": 2, "checkpoint": True}}


@pytest.mark.parametrize("warm", [False, True], ids=["full path", "after the form version is cached"])
def test_a_reporters_token_after_a_reset_submits_no_daily_report(cast, warm):
    """The daily submission checks its token inside its own statement on PostgreSQL (warm): that check refuses it too."""
    with time_machine.travel(at(DAY, 9, 20), tick=False):
        build_form(cast)
        _, raw = services.create_api_token(cast.wu_cunju, cast.wu_cunju, "日报")
        if warm:
            warmed = bearer(raw).post("/api/v1/daily/reports", json.dumps({**REPORT, "date": "2020-04-13"}),
                                      content_type="application/json")
            assert warmed.status_code == 201
        reset(cast, cast.wu_cunju)
        _, raw = services.create_api_token(cast.wu_cunju, cast.wu_cunju, "重置之后")
        count = DailyReport.objects.count()
        response = bearer(raw).post("/api/v1/daily/reports", json.dumps({**REPORT, "date": "2020-04-14"}),
                                    content_type="application/json")
        assert response.status_code == 403 and response.json() == {"error": MUST_CHANGE_TOKEN}
        bad_body = bearer(raw).post("/api/v1/daily/reports", "{", content_type="application/json")
        assert bad_body.status_code == 403 and bad_body.json() == {"error": MUST_CHANGE_TOKEN}
        assert DailyReport.objects.count() == count
