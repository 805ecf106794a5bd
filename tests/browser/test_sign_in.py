import pytest

from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_signs_in_and_sees_home_page_with_role_and_scope(page, live_server):
    cast = build_cast()
    sign_in(page, live_server, "sun_leader", cast.password)
    assert page.locator("h1").inner_text() == "您好，孙区长"
    roles = page.locator("#my-roles").inner_text()
    assert "领导" in roles and "济阳区" in roles
    assert page.locator("nav.mainnav").get_by_text("督查督办").is_visible()
    keep_screenshot(page, "home-leader.png")


def test_wrong_password_stays_on_login_page_with_chinese_message(page, live_server):
    build_cast()
    sign_in(page, live_server, "sun_leader", "wrong-password")
    assert "/login/" in page.url
    assert "用户名或密码不正确" in page.locator(".message.error").inner_text()


def test_reporter_on_phone_sees_home_page_and_menu(phone_page, live_server):
    cast = build_cast()
    sign_in(phone_page, live_server, "wu_cunju", cast.password)
    assert "东关村" in phone_page.locator("#my-roles").inner_text()
    assert not phone_page.locator("nav.mainnav").is_visible()
    phone_page.click("label.navbutton")
    assert phone_page.locator("nav.mainnav").is_visible()
    keep_screenshot(phone_page, "home-reporter-phone.png")
