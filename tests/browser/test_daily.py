"""A village reporter sends the daily report on a phone: the form, a one-tap 零报告, a correction; the town sees it."""

import pytest

from luoshi.daily.models import DailyReport
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.daily.conftest import build_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_on_a_phone_sends_a_zero_report_with_one_tap_then_corrects_it(phone_page, live_server):
    cast = build_cast()
    build_form(cast)
    page = phone_page
    sign_in(page, live_server, "wu_cunju", cast.password)
    page.goto(f"{live_server.url}/daily/")
    assert page.url.endswith("/daily/report/")
    assert "东关村" in page.locator("h1").inner_text()
    zero = page.locator("button.zero")
    assert zero.is_visible()
    box = zero.bounding_box()
    assert box["width"] > 300 and box["height"] >= 44  # a full-width button, easy to tap
    keep_screenshot(page, "daily-report-phone.png")

    with page.expect_navigation():
        zero.tap()
    assert "零报告已报送" in page.locator(".message.success").inner_text()
    assert "已报送第1版" in page.locator("#done-yiqing").inner_text()
    report = DailyReport.objects.get()
    assert report.zero_report and report.values["new_cases"] == 0

    page.fill("#f-yiqing-new_cases", "2")
    page.fill("#f-yiqing-returnees", "15")
    page.check("input[name=f_checkpoint][value=是]")
    page.select_option("#f-yiqing-risk", "中")
    page.fill("#note-yiqing", "上午发现两例")
    with page.expect_navigation():
        page.locator("button.send").tap()
    assert "已更正" in page.locator(".message.success").inner_text()
    assert page.locator("#f-yiqing-new_cases").input_value() == "2"
    versions = page.locator(".versions").inner_text()
    assert "第1版" in versions and "零报告" in versions and "（已更正）" in versions and "第2版" in versions
    keep_screenshot(page, "daily-report-phone-corrected.png")
    assert DailyReport.objects.count() == 2 and DailyReport.objects.get(is_current=True).values["new_cases"] == 2


def test_a_zero_report_over_a_real_report_asks_first_on_the_phone_and_keeps_the_checkpoint(phone_page, live_server):
    cast = build_cast()
    build_form(cast)
    page = phone_page
    sign_in(page, live_server, "wu_cunju", cast.password)
    page.goto(f"{live_server.url}/daily/report/")
    page.fill("#f-yiqing-new_cases", "3")
    page.check("input[name=f_checkpoint][value=是]")
    page.select_option("#f-yiqing-risk", "高")
    with page.expect_navigation():
        page.locator("button.send").tap()
    with page.expect_navigation():
        page.locator("button.zero").first.tap()
    box = page.locator("#confirm-zero-yiqing")
    assert "新增病例：3 → 0" in box.inner_text() and DailyReport.objects.count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    keep_screenshot(page, "daily-zero-confirm-phone.png")
    with page.expect_navigation():
        box.locator("button", has_text="确认用零报告替换").tap()
    current = DailyReport.objects.get(is_current=True)
    assert current.zero_report and current.version == 2
    assert (current.values["checkpoint"], current.values["risk"], current.values["new_cases"]) == (True, "高", 0)


def test_a_required_field_left_empty_is_stopped_on_the_phone_and_nothing_is_saved(phone_page, live_server):
    cast = build_cast()
    build_form(cast)
    page = phone_page
    sign_in(page, live_server, "wu_cunju", cast.password)
    page.goto(f"{live_server.url}/daily/report/")
    page.fill("#f-yiqing-returnees", "3")
    page.locator("button.send").tap()
    # the browser's own check on required fields keeps the page; the server would refuse it too
    assert page.evaluate("document.querySelector('#f-yiqing-new_cases').validity.valueMissing")
    assert DailyReport.objects.count() == 0


def test_town_page_refreshes_by_itself_when_a_village_reports(page, live_server):
    cast = build_cast()
    build_form(cast)
    sign_in(page, live_server, "sun_jiedao", cast.password)
    page.goto(f"{live_server.url}/daily/town/370115001/?form=yiqing")
    assert "2 个" in page.locator("#missing h2").inner_text()
    from luoshi.daily import services

    from django.utils import timezone

    services.submit_report(cast.wu_cunju, form="yiqing", village="370115001201", day=timezone.localdate(), zero_report=True)
    page.evaluate("htmx.trigger('#town-status', 'refresh')")  # the same request as the 30 s poll, without the wait
    page.wait_for_function("() => document.querySelector('#missing h2').innerText.includes('1 个')")
    assert "东关村" not in page.locator("#missing ul").inner_text()
