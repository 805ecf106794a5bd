import importlib
import os

import pytest
from django.test import Client

import luoshi.settings

pytestmark = pytest.mark.django_db


def test_sign_in_with_the_right_password_reaches_home(client, cast):
    response = client.post("/login/", {"username": "sun_leader", "password": cast.password}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "您好，孙区长" in response.content.decode()


def test_wrong_password_is_refused_with_a_chinese_message(client, cast):
    response = client.post("/login/", {"username": "sun_leader", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "qian_tongji", "password": "wrong"})
    response = client.post("/login/", {"username": "qian_tongji", "password": cast.password})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client().post("/login/", {"username": "sun_leader", "password": cast.password})
    assert other.status_code == 302


def test_forms_require_a_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.sun_leader)
    response = client.post("/account/tokens/new", {"name": "脚本"})
    assert response.status_code == 403


def test_login_form_carries_a_csrf_token(client):
    assert 'name="csrfmiddlewaretoken"' in client.get("/login/").content.decode()


def test_argon2_is_the_password_hasher():
    assert luoshi.settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_outside_debug_cookies_are_secure_and_headers_are_set(monkeypatch):
    monkeypatch.setenv("LUOSHI_DEBUG", "0")
    monkeypatch.delenv("LUOSHI_HTTPS", raising=False)
    fresh = importlib.reload(luoshi.settings)
    try:
        assert fresh.SESSION_COOKIE_SECURE and fresh.CSRF_COOKIE_SECURE
        assert fresh.SECURE_HSTS_SECONDS >= 31536000
    finally:
        monkeypatch.setenv("LUOSHI_DEBUG", os.environ.get("LUOSHI_DEBUG", ""))
        importlib.reload(luoshi.settings)


def test_pages_send_security_headers(client):
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_logout_is_a_post_and_ends_the_session(client_for):
    client = client_for("sun_leader")
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_guesses_from_one_address_do_not_lock_the_user_out_elsewhere(cast, settings):
    attacker = Client(REMOTE_ADDR="10.9.8.7")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attacker.post("/login/", {"username": "sun_leader", "password": "guess"})
    assert attacker.post("/login/", {"username": "sun_leader", "password": cast.password}).status_code == 429
    leader = Client(REMOTE_ADDR="10.1.1.20")
    response = leader.post("/login/", {"username": "sun_leader", "password": cast.password})
    assert response.status_code == 302 and "_auth_user_id" in leader.session


def test_the_lockout_page_says_when_to_try_again(cast, settings):
    import time_machine
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.AXES_COOLOFF_TIME = 0.25  # 15 minutes
    client = Client(REMOTE_ADDR="10.9.8.7")
    with time_machine.travel(datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/login/", {"username": "sun_leader", "password": "guess"})
        response = client.post("/login/", {"username": "sun_leader", "password": "guess"})
    body = response.content.decode()
    assert response.status_code == 429
    assert "请于 <strong>09:45</strong>（约 15 分钟后）再试" in body


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(cast, settings):
    settings.LUOSHI_TRUSTED_PROXIES = 1
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.8.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/login/", {"username": "sun_leader", "password": "guess"})
    assert attacker.post("/login/", {"username": "sun_leader", "password": cast.password}).status_code == 429
    # A forged left part does not move the attacker to a new address; another office behind the proxy is not locked.
    forged = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.8.7")
    assert forged.post("/login/", {"username": "sun_leader", "password": cast.password}).status_code == 429
    office = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.20")
    assert office.post("/login/", {"username": "sun_leader", "password": cast.password}).status_code == 302
