"""A notice from opening to closure in headless Chromium: the office opens it from the task page (desktop), the unit
answers on a phone, the office sends it back, the unit answers again, the office accepts it; both print it."""

import pytest
from playwright.sync_api import expect

from luoshi.supervision.models import Notice
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.work.conftest import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_notice_goes_from_opening_to_closure_between_the_office_and_the_unit_and_prints(page, phone_page, live_server):
    cast = build_cast()
    plan = build_plan(cast)
    office, unit = page, phone_page
    sign_in(office, live_server, "li_ducha", cast.password)
    sign_in(unit, live_server, "zhou_shangwu", cast.password)

    office.goto(f"{live_server.url}/work/tasks/{plan.t1.pk}/")
    office.click("#task-notices-link a")
    office.click("#open-notice")
    assert "1.1 完成项目洽谈" in office.input_value("#id_reason")  # pre-filled from the red light
    office.fill("#id_reason", office.input_value("#id_reason") + "\n请于答复中列明签约时间表。")
    office.click("#open-form button[type=submit]")
    assert "已开具督办〔" in office.locator(".message.success").inner_text()
    notice = Notice.objects.get()
    assert notice.state == "pending" and notice.reason.endswith("请于答复中列明签约时间表。")
    keep_screenshot(office, "supervision-notice-opened.png")

    unit.goto(f"{live_server.url}/supervision/")
    unit.locator(f"#notices tr[data-notice='{notice.number}'] a").tap()
    assert unit.locator("#notice-unit").inner_text() == "区商务局"
    unit.fill("#id_reply_text", "已约谈企业，计划下月签约。")
    with unit.expect_navigation():
        unit.locator("#reply-form button[type=submit]").tap()
    assert "已答复" in unit.locator(".message.success").inner_text()
    assert unit.locator("#reply-form").count() == 0
    keep_screenshot(unit, "supervision-notice-phone.png")
    assert unit.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")

    office.reload()
    office.fill("#id_return_text", "未列明签约时间表。")
    office.click("#return-form button[type=submit]")
    assert "已退回" in office.locator(".message.success").inner_text()

    unit.reload()
    assert "重新答复" in unit.locator("#reply h2").inner_text()
    unit.fill("#id_reply_text", "6月10日签约，6月30日开工。")
    with unit.expect_navigation():
        unit.locator("#reply-form button[type=submit]").tap()

    office.reload()
    office.click("#accept-form button[type=submit]")
    assert "已办结" in office.locator(".message.success").inner_text()
    kinds = office.locator("#steps li.step").evaluate_all("(items) => items.map((li) => li.dataset.kind)")
    assert kinds == ["opened", "replied", "returned", "replied", "accepted"]
    notice.refresh_from_db()
    assert notice.state == "closed"

    office.click("#print-link")
    office.wait_for_load_state()  # the print stylesheet applied before its rules are checked (a loaded machine is slow)
    assert office.locator("#notice-sheet h1").inner_text() == "督 办 单"
    assert notice.number in office.locator("#notice-sheet .number").inner_text()
    assert office.locator(".mainnav").count() == 0
    assert "6月10日签约" in office.locator("#notice-sheet").inner_text()
    office.emulate_media(media="print")
    expect(office.locator(".back")).to_be_hidden()
    keep_screenshot(office, "supervision-notice-print.png")
    office.emulate_media(media="screen")

    unit.goto(f"{live_server.url}/supervision/notices/{notice.pk}/print")
    assert unit.locator("#notice-sheet").is_visible()
    keep_screenshot(unit, "supervision-notice-print-phone.png")
    assert unit.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
