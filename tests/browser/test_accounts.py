"""The personal menu and the password pages in a browser: a <details> menu that works on a 390 px phone without
JavaScript, a reporter's menu without API 令牌, and changing one's password there."""

import pytest

from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_reporter_opens_the_personal_menu_on_a_phone_and_changes_the_password(phone_page, live_server):
    cast = build_cast()
    page = phone_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, "wu_cunju", cast.password)
    page.goto(f"{live_server.url}/inbox/")
    menu = page.locator("details.usermenu")
    assert not page.locator(".usermenu-items a", has_text="修改密码").is_visible()
    menu.locator("summary").tap()
    items = page.locator(".usermenu-items").inner_text()
    assert "修改密码" in items and "消息设置" in items and "退出" in items and "API 令牌" not in items
    assert no_horizontal_scroll(page)
    keep_screenshot(page, "personal-menu-phone.png")
    with page.expect_navigation():
        page.locator(".usermenu-items a", has_text="修改密码").tap()
    assert page.locator("h1").inner_text() == "修改密码" and no_horizontal_scroll(page)
    page.fill("#id_old_password", cast.password)
    page.fill("#id_new_password1", "abc")
    page.fill("#id_new_password2", "abc")
    with page.expect_navigation():
        page.locator("button[type=submit]", has_text="保存新密码").tap()
    assert "密码太短，至少要有 8 个字符" in page.content()
    page.fill("#id_old_password", cast.password)
    page.fill("#id_new_password1", "Xin-mima-2020!")
    page.fill("#id_new_password2", "Xin-mima-2020!")
    with page.expect_navigation():
        page.locator("button[type=submit]", has_text="保存新密码").tap()
    assert "密码已修改" in page.locator(".message.success").inner_text()
    keep_screenshot(page, "password-changed-phone.png")
    assert errors == []


def test_an_administrators_menu_offers_api_tokens_on_the_desktop(page, live_server):
    cast = build_cast()
    sign_in(page, live_server, "wang_admin", cast.password)
    page.locator("details.usermenu summary").click()
    with page.expect_navigation():
        page.locator(".usermenu-items a", has_text="API 令牌").click()
    assert page.url.endswith("/account/tokens/")
