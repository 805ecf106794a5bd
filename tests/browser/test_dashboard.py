"""The 驾驶舱 a 区长 opens (issue #23): on the demo district of 12 May 2020, the headline indicators and what waits for
his decision above the fold of a 1280×900 desktop, the sparklines drawn, and on a 390 px phone the cards stacked with
no sideways scrolling. Screenshots (LUOSHI_SCREENSHOTS=1) for looking at."""

import pytest
import time_machine
from django.core.management import call_command

from tests.browser.conftest import keep_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "luoshi-demo-2020"
HEADLINE = ["gdp", "industry_va", "fai", "retail", "budget_revenue", "fdi"]


def _box(page, selector):
    return page.locator(selector).bounding_box()


def test_the_leader_reads_the_headline_and_his_decisions_on_one_desktop_screen_and_on_a_phone(page, phone_page,
                                                                                             live_server):
    with time_machine.travel("2020-05-12 09:00 +0800", tick=True):
        call_command("demo", "--as-of", "2020-05-12")
        sign_in(page, live_server, "leader", PASSWORD)
        page.goto(f"{live_server.url}/")
        for code in HEADLINE:
            card = page.locator(f"#headline-{code}")
            assert card.is_visible() and _box(page, f"#headline-{code}")["y"] + _box(page, f"#headline-{code}")["height"] <= 900
        page.locator(".spark[data-drawn]").nth(5).wait_for()
        gdp = page.locator("#headline-gdp").inner_text()
        assert "1-3月" in gdp and "亿元" in gdp and "全市第" in gdp  # the quarter, labelled, in May
        assert "增长" in page.locator("#headline-retail").inner_text() or "下降" in page.locator("#headline-retail").inner_text()
        decisions = _box(page, "#dash-decisions")
        assert decisions["y"] < 900, "待我决策 starts above the fold"
        assert "调整计划" in page.locator("#dash-decisions").inner_text()
        assert _box(page, "#dash-red")["y"] < 900
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        keep_screenshot(page, "dashboard-leader-desktop-fold.png", full_page=False)
        keep_screenshot(page, "dashboard-leader-desktop.png")
        # the sparkline's tooltip names the period and the growth in words
        box = _box(page, "#spark-retail")
        page.mouse.move(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
        tooltip = page.locator(".spark-tooltip:visible")
        tooltip.wait_for(state="visible")
        assert tooltip.inner_text().startswith("2020年1-5月") and "%" in tooltip.inner_text()
        keep_screenshot(page, "dashboard-leader-tooltip.png", full_page=False)

        sign_in(phone_page, live_server, "leader", PASSWORD)
        phone_page.goto(f"{live_server.url}/")
        phone_page.locator(".spark[data-drawn]").nth(5).wait_for()
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
        gdp, retail = _box(phone_page, "#headline-gdp"), _box(phone_page, "#dash-decisions")
        assert gdp["x"] >= 0 and gdp["x"] + gdp["width"] <= 390
        cards = [_box(phone_page, f"#{i}") for i in ("dash-decisions", "dash-red", "dash-work")]
        assert all(c["width"] > 300 for c in cards) and cards[0]["y"] < cards[1]["y"] < cards[2]["y"]  # stacked
        keep_screenshot(phone_page, "dashboard-leader-phone-fold.png", full_page=False)
        phone_page.locator("#dash-decisions").scroll_into_view_if_needed()
        keep_screenshot(phone_page, "dashboard-leader-phone-decisions.png", full_page=False)
        phone_page.locator("#dash-work").scroll_into_view_if_needed()
        keep_screenshot(phone_page, "dashboard-leader-phone-work.png", full_page=False)
        keep_screenshot(phone_page, "dashboard-leader-phone.png")
