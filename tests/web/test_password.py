"""Passwords: change one's own (Chinese validator messages), an administrator's reset to a one-time password that
must be changed at the next sign-in, the sign-in page's lockout line, and the personal menu."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.orgs.models import AccountState

pytestmark = pytest.mark.django_db
NEW = "Xin-mima-2020!"


def signs_in(username, password):
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302 and response.url == "/"


def change(client, old, new1, new2=None):
    return client.post("/account/password/", {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


def test_a_person_changes_their_password_and_signs_in_with_the_new_one(client_for, cast):
    c = client_for("zhou_shangwu")
    assert "修改密码" in c.get("/account/password/").content.decode()
    response = change(c, cast.password, NEW)
    assert response.status_code == 302 and response.url == "/"
    assert "密码已修改" in c.get("/").content.decode()
    assert signs_in("zhou_shangwu", NEW)
    assert AuditEntry.objects.filter(action="修改密码", object_id=str(cast.zhou_shangwu.pk)).exists()


def test_a_wrong_current_password_or_a_weak_new_one_is_refused_in_chinese(client_for, cast):
    c = client_for("zhou_shangwu")
    wrong = change(c, "not-my-password", NEW).content.decode()
    assert "旧密码不正确" in wrong
    short = change(c, cast.password, "abc").content.decode()
    assert "密码太短" in short
    common = change(c, cast.password, "password123").content.decode()
    assert "这个密码太常见了" in common
    numeric = change(c, cast.password, "20200414123").content.decode()
    assert "密码只包含数字" in numeric
    mismatch = change(c, cast.password, NEW, NEW + "x").content.decode()
    assert "输入的两个密码不一致" in mismatch
    assert "This password" not in short + common + numeric
    assert signs_in("zhou_shangwu", cast.password)


def test_an_administrator_resets_a_password_and_sees_the_one_time_password_once(client_for, cast):
    admin = client_for("wang_admin")
    response = admin.post(f"/orgs/people/{cast.zhou_shangwu.pk}/password")
    assert response.status_code == 302
    page = admin.get("/orgs/people/").content.decode()
    assert 'id="one-time-password"' in page
    raw = page.split('<p class="token-once">')[1].split("</p>")[0]
    assert len(raw) == 12
    assert 'id="one-time-password"' not in admin.get("/orgs/people/").content.decode()  # shown once
    assert not signs_in("zhou_shangwu", cast.password)
    assert AccountState.objects.get(user=cast.zhou_shangwu).must_change_password
    entry = AuditEntry.objects.get(action="重置密码", object_id=str(cast.zhou_shangwu.pk))
    assert raw not in str(entry.after) + entry.note


def test_after_a_reset_the_person_is_held_on_the_change_page_until_they_choose_a_password(client_for, cast):
    admin = client_for("wang_admin")
    admin.post(f"/orgs/people/{cast.zhou_shangwu.pk}/password")
    raw = admin.get("/orgs/people/").content.decode().split('<p class="token-once">')[1].split("</p>")[0]
    person = Client()
    signed_in = person.post("/login/", {"username": "zhou_shangwu", "password": raw})
    assert signed_in.status_code == 302
    for page in ("/", "/work/", "/daily/", "/inbox/"):
        response = person.get(page)
        assert (response.status_code, response.url) == (302, "/account/password/"), page
    form = person.get("/account/password/").content.decode()
    assert "一次性密码" in form
    assert change(person, raw, NEW).status_code == 302
    assert person.get("/").status_code == 200
    assert not AccountState.objects.get(user=cast.zhou_shangwu).must_change_password
    fresh = Client()
    fresh.post("/login/", {"username": "zhou_shangwu", "password": NEW})
    assert fresh.get("/").status_code == 200


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha", "zhou_shangwu", "sun_jiedao", "wu_cunju"])
def test_only_administrators_reset_passwords_and_a_refused_reset_changes_nothing(client_for, cast, username):
    target = cast.chen_cunju
    before = get_user_model().objects.get(pk=target.pk).password
    response = client_for(username).post(f"/orgs/people/{target.pk}/password")
    assert response.status_code == 403
    assert get_user_model().objects.get(pk=target.pk).password == before
    assert not AccountState.objects.exists() and not AuditEntry.objects.filter(action="重置密码").exists()


def test_an_administrator_does_not_reset_their_own_password_on_the_people_page(client_for, cast):
    admin = client_for("wang_admin")
    admin.post(f"/orgs/people/{cast.wang_admin.pk}/password")
    assert "不能在这里重置自己的密码" in admin.get("/orgs/people/").content.decode()
    assert not AccountState.objects.exists()


def test_the_sign_in_page_explains_the_lockout(client, settings):
    html = client.get("/login/").content.decode()
    assert "同一台电脑连续输错密码 5 次，该账号在这台电脑上将被锁定 15 分钟" in html


def test_the_personal_menu_offers_api_tokens_only_to_roles_that_use_the_api(client_for):
    reporter = client_for("wu_cunju").get("/").content.decode()
    menu = reporter.split('class="usermenu"')[1].split("</details>")[0]
    assert "修改密码" in menu and "消息设置" in menu and "退出" in menu and "API 令牌" not in menu
    for username in ("wang_admin", "zhou_shangwu", "sun_leader"):
        page = client_for(username).get("/").content.decode()
        assert "API 令牌" in page.split('class="usermenu"')[1].split("</details>")[0], username
