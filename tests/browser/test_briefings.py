"""The meeting page in headless Chromium: 发改局 opens a meeting (desktop), 商务局 writes its section on a phone with
the figures beside the text boxes, the office sees it submitted and who is still missing."""

from datetime import date
from decimal import Decimal

import pytest

from luoshi.briefings.models import Meeting, Section
from luoshi.indicators import services as indicator_services
from luoshi.indicators.models import Indicator
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_opens_a_meeting_a_unit_writes_on_a_phone_and_the_office_sees_it_submitted(page, phone_page, live_server):
    cast = build_cast()
    indicator_services.ensure_catalog()
    catalog = {i.code: i for i in Indicator.objects.all()}
    indicator_services.save_responsibilities(None, [
        {"region_id": cast.jiyang.pk, "indicator_id": catalog[code].pk, "unit_id": unit.pk}
        for code, unit in [("fdi", cast.units.shangwu), ("budget_revenue", cast.units.caizheng)]])
    indicator_services.save_figures(None, [{"region_id": cast.jiyang.pk, "indicator_id": catalog["fdi"].pk,
                                            "period": date(2020, 3, 1), "value": Decimal(2000), "growth": Decimal("35.2")}])
    office, unit = page, phone_page
    sign_in(office, live_server, "zhao_fagai", cast.password)
    sign_in(unit, live_server, "zhou_shangwu", cast.password)

    office.goto(f"{live_server.url}/briefings/")
    office.fill("#id_title", "2020年一季度经济形势分析会")
    office.fill("#id_period", "2020-03")
    office.fill("#id_held_on", "2020-04-20")
    office.fill("#id_sections_due", "2020-04-15")
    with office.expect_navigation():
        office.click("#open-meeting button[type=submit]")
    assert "已召开2020年一季度经济形势分析会" in office.locator(".message.success").inner_text()
    meeting = Meeting.objects.get()
    assert office.locator("#submissions tr[data-unit='370115D03']").inner_text().count("未报送") == 1

    unit.goto(f"{live_server.url}/briefings/meetings/{meeting.pk}/")
    assert unit.locator("#section-budget_revenue").count() == 0  # not published: only its own indicators
    unit.locator("#section-fdi a.button").tap()
    assert "35.2%" in unit.locator("#figures").inner_text()
    unit.fill("#id_completion_text", "1-3月份全区实际利用外资2000万美元，增幅居全市前列。")
    unit.fill("#id_reasons_text", "<b>两个新设项目</b>资金到账。")
    unit.fill("#id_measures_text", "加快在谈项目签约落地。")
    with unit.expect_navigation():
        unit.locator("#section-form button[type=submit]").tap()
    assert "已报送实际利用外资材料（第1版）" in unit.locator(".message.success").inner_text()
    keep_screenshot(unit, "briefings-section-phone.png")
    assert unit.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert Section.objects.get().reasons_text == "<b>两个新设项目</b>资金到账。"

    office.reload()
    row = office.locator("#submissions tr[data-unit='370115D03']").inner_text()
    assert "1/1" in row and "已报送" in row
    assert "未报送" in office.locator("#submissions tr[data-unit='370115D04']").inner_text()
    assert "<b>两个新设项目</b>资金到账。" in office.locator("#section-fdi").inner_text()  # shown as text
    keep_screenshot(office, "briefings-meeting.png")
