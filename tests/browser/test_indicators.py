"""The indicator table page and the indicator page's ECharts charts in a real browser."""

import pytest

from luoshi.indicators import services
from luoshi.indicators.models import Indicator
from luoshi.orgs import services as org_services
from luoshi.orgs.models import RegionLevel
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.indicators.conftest import CITY_COUNTIES
from tests.indicators.test_table import make_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed():
    cast = build_cast()
    services.ensure_catalog()
    city = {"370115": cast.jiyang, "370102": cast.lixia}
    for code, name in CITY_COUNTIES:
        city[code], _ = org_services.save_region(None, code=code, name=name, level=RegionLevel.COUNTY, parent=cast.city)
    make_scene(city, {i.code: i for i in Indicator.objects.all()})
    return cast


CANVAS_DRAWN = """id => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) return 0;
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return painted;
}"""


def test_table_page_shows_lights_ranks_and_weaknesses(page, live_server):
    cast = seed()
    sign_in(page, live_server, "qian_tongji", cast.password)
    page.click("nav.mainnav >> text=经济运行")
    page.wait_for_load_state("networkidle")
    assert "济阳区 2020年1-3月 主要经济指标" in page.locator("h1").inner_text()
    retail = page.locator("tr[data-indicator=retail]")
    assert "2/6" in retail.inner_text() and "↑3" in retail.inner_text()
    # the status column's light (the one beside the name is for phones, hidden on a desktop)
    assert page.locator("tr[data-indicator=retail] .light.green:not(.phone-only)").is_visible()
    assert page.locator("tr[data-indicator=industry_va] .light.red:not(.phone-only)").is_visible()
    assert "规模以上工业增加值" in page.locator("#weaknesses").inner_text()
    keep_screenshot(page, "indicators-table.png")
    page.click("tr[data-indicator=retail] >> text=社会消费品零售总额")
    page.wait_for_load_state("networkidle")
    assert "社会消费品零售总额" in page.locator("h1").inner_text()


def test_indicator_page_draws_the_three_charts(page, live_server):
    cast = seed()
    sign_in(page, live_server, "sun_leader", cast.password)
    page.goto(f"{live_server.url}/indicators/i/retail/?region=370115&period=2020-03")
    for chart in ("chart-actual", "chart-peers", "chart-rank"):
        page.wait_for_selector(f"#{chart} canvas")
    page.wait_for_timeout(1200)  # ECharts animates the first paint
    for chart in ("chart-actual", "chart-peers", "chart-rank"):
        assert page.evaluate(CANVAS_DRAWN, chart) > 500, chart
    assert "第1版" in page.locator("#history").inner_text()
    keep_screenshot(page, "indicators-charts.png")


def test_matrix_page_sorts_by_an_indicator(page, live_server):
    cast = seed()
    sign_in(page, live_server, "zhao_fagai", cast.password)
    page.goto(f"{live_server.url}/indicators/matrix/?city=370100&period=2020-03")
    page.click("#matrix thead >> text=社会消费品零售总额")
    page.wait_for_load_state("networkidle")
    first = page.locator("#matrix tbody tr").first.get_attribute("data-region")
    assert first == "370103"
    keep_screenshot(page, "indicators-matrix.png")


def test_on_a_phone_each_indicators_light_stays_beside_its_name_while_the_table_scrolls(phone_page, live_server):
    cast = seed()
    sign_in(phone_page, live_server, "qian_tongji", cast.password)
    phone_page.goto(f"{live_server.url}/indicators/?region=370115&period=2020-03")
    name_cell = phone_page.locator("tr[data-indicator=retail] td").first
    assert name_cell.locator(".light.phone-only").is_visible()  # the judgement is in the first column on a phone
    before = name_cell.bounding_box()["x"]
    phone_page.evaluate("() => { document.querySelector('#indicator-table').closest('.table-wrap').scrollLeft = 400; }")
    assert abs(name_cell.bounding_box()["x"] - before) < 1  # the name column stays while the numbers scroll under it
    assert phone_page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    keep_screenshot(phone_page, "indicators-table-phone.png", full_page=False)
