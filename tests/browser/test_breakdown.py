"""The 任务分解方案 in headless Chromium: 督查室 uploads the .docx as published, reviews the items with a problem marked,
corrects a unit, imports, and sees the campaign in 重点工作."""

import pytest
from django.utils import timezone

from luoshi.work.models import Task
from tests.breakdown import documents as d
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    "一、着力扩大有效需求",
    ["1", "实施重大项目攻坚行动，10月底前完成年度投资计划。", ["区发展和改革局", "区财政局"], "各镇（街道）"],
    ["2", "健全督查督办机制，年底前建成督查督办信息平台。", "区府办", "区统计局"],
    "二、持续优化营商环境",
    ["3", "深化“一网通办”改革，持续推进政务服务标准化。", "区发改局\n济阳街道", ""],
]


def test_the_office_uploads_a_plan_corrects_a_unit_and_finds_the_campaign_in_key_work(page, live_server):
    cast = build_cast()
    year = timezone.localdate().year
    sign_in(page, live_server, "li_ducha", cast.password)
    page.goto(f"{live_server.url}/work/")
    with page.expect_navigation():
        page.click("#breakdown-link")
    page.fill("#id_year", str(year))
    page.set_input_files("#id_file", files=[{"name": "济阳区政府工作报告重点任务分解方案.docx", "buffer": d.word_table(ROWS),
                                             "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    with page.expect_navigation():
        page.click("#upload button[type=submit]")
    assert "已读取「济阳区政府工作报告重点任务分解方案.docx」中的 3 项任务" in page.locator(".message.success").inner_text()
    assert page.locator("#problem-count").inner_text() == "有问题 1 项"
    marked = page.locator(".bd-item.has-problem")
    assert marked.count() == 1
    assert "未知的单位「区府办」" in marked.inner_text()
    assert "区发展和改革局、区财政局" in page.locator("#item-0 dd.lead").inner_text()
    keep_screenshot(page, "breakdown-review.png")

    page.fill("#item-1 input[name=lead]", "督查室")
    with page.expect_navigation():
        page.click("#item-1 form button[type=submit]")
    assert page.locator("#problem-count").inner_text() == "有问题 0 项"
    assert page.locator("#item-1 dd.lead").inner_text() == "区委区政府督查室"
    with page.expect_navigation():
        page.click("#save-form button[type=submit]")
    assert "已导入「" in page.locator(".message.success").inner_text()
    assert f"{year}年政府工作报告重点工作" in page.locator("#campaigns").inner_text()
    keep_screenshot(page, "breakdown-imported.png")
    assert Task.objects.get(number=f"{year}-370115-002").lead_unit.code == "370115B03"
