"""The meeting pack's print page in a real browser: the table, lights and bar charts, on a desk and on a phone."""

import pytest

from tests.browser.conftest import keep_screenshot, sign_in
from tests.browser.test_indicators import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_print_page_shows_the_table_and_charts_and_prints_without_navigation(page, live_server):
    cast = seed()
    sign_in(page, live_server, "zhao_fagai", cast.password)
    page.goto(f"{live_server.url}/briefings/pack")
    page.select_option("#id_region", "370115")
    page.fill("#id_period", "2020-03")
    page.click("#pack-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#pack-title").inner_text() == "济阳区2020年1-3月经济运行分析材料"
    rows = page.locator("#pack-indicators tbody tr")
    assert rows.count() == 4
    assert "第2位" in page.locator("#pack-indicators").inner_text()
    rank = page.locator("#pack-indicators td.nowrap", has_text="第2位").first  # "第2位" on one line
    assert rank.evaluate("td => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length; }") == 1
    red = page.locator("#pack-indicators td.light-red")
    assert red.inner_text() == "红灯" and red.evaluate("td => getComputedStyle(td).backgroundColor") == "rgb(255, 199, 206)"
    own = page.locator(".chart-row.own .bar")
    assert own.count() == 1 and own.evaluate("b => b.getBoundingClientRect().width") > 10
    page.emulate_media(media="print")
    assert not page.locator("nav.back").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.click("#pack-docx")
    assert download.value.suggested_filename.endswith(".docx")
    keep_screenshot(page, "briefings-pack.png")


def test_the_print_page_fits_a_phone(phone_page, live_server):
    cast = seed()
    sign_in(phone_page, live_server, "sun_leader", cast.password)
    phone_page.goto(f"{live_server.url}/briefings/pack?region=370115&period=2020-03")
    summary = phone_page.locator("#pack-summary").inner_text()
    assert "短板指标1项：规模以上工业增加值下降3.0%" in summary and "（三）下步建议" in summary
    overflow = phone_page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1  # the wide table scrolls inside its own box
