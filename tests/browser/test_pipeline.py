"""双招双引 in headless Chromium: 商务局, on a phone, moves a lead to 签约 (refused without the contract's file, keeping
what was typed, then with it) and records its 到位资金; the board on a desktop shows it, its funnel drawn."""

import pytest
import time_machine

from luoshi.projects.pipeline.models import Arrival, LeadStage
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.projects.conftest import TODAY
from tests.projects.pipeline.leads import build_pipeline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_shangwu_signs_a_lead_and_records_its_funds_on_a_phone_and_the_board_shows_it(page, phone_page, live_server):
    cast = build_cast()
    with time_machine.travel(TODAY, tick=False):
        ledger = build_pipeline(cast)
    lead = ledger.l2

    sign_in(phone_page, live_server, "zhou_shangwu", cast.password)
    phone_page.goto(f"{live_server.url}/projects/pipeline/l/{lead.pk}/")
    assert _no_sideways_scroll(phone_page)
    phone_page.select_option("#id_stage", "signed")
    phone_page.fill("#id_day", "2020-04-10")
    phone_page.fill("#id_contract_investment", "5000")
    phone_page.fill("#id_note", "双方签署投资协议")
    phone_page.click("#stage-form button[type=submit]")
    assert "签约须上传佐证材料（合同）" in phone_page.locator(".errors").inner_text()
    assert phone_page.input_value("#id_note") == "双方签署投资协议"
    assert not LeadStage.objects.filter(lead=lead, stage="signed").exists()
    phone_page.select_option("#id_stage", "signed")
    phone_page.set_input_files("#id_evidence", files=[{"name": "投资协议.pdf", "mimeType": "application/pdf",
                                                        "buffer": b"%PDF-1.4 contract"}])
    phone_page.click("#stage-form button[type=submit]")
    assert "已记录签约（2020年4月10日）" in phone_page.locator(".message.success").inner_text()
    assert "投资协议.pdf" in phone_page.inner_text("#stage-history")

    phone_page.fill("#id_period", "2020-04")
    phone_page.fill("#id_amount", "1200")
    phone_page.click("#funds-form button[type=submit]")
    assert "已记录2020年4月内资到位资金 1200.00万元" in phone_page.locator(".message.success").inner_text()
    assert "2020年4月" in phone_page.inner_text("#arrivals")
    assert _no_sideways_scroll(phone_page)
    keep_screenshot(phone_page, "pipeline-phone-lead.png")
    assert Arrival.objects.get(lead=lead).amount == 1200

    sign_in(page, live_server, "sun_leader", cast.password)
    page.goto(f"{live_server.url}/projects/pipeline/?region=370115&period=2020-04")
    page.wait_for_function("() => document.getElementById('chart-funnel').dataset.drawn")
    assert "3个" in page.inner_text("#rates")  # 新加坡物流园, 重汽专用车项目 and now 预制菜加工项目
    assert page.locator(f"#leads tr[data-lead='{lead.pk}'] td.stage").inner_text().startswith("签约")
    assert "2020年4月10日" in page.locator(f"#leads tr[data-lead='{lead.pk}']").inner_text()
    assert "签约 4个" in page.inner_text("#funnel-text")  # and 京东物流中心, signed in 2019
    keep_screenshot(page, "pipeline-board.png")
