"""Two-tier reporting of an imported 方案 in headless Chromium (issue #25): 督查室 imports a 方案 whose task is led by
区商务局 with 区财政局 cooperating; 财政局 sends its input to the lead unit on a phone; 商务局 sees the input beside
its report form, draws on it and reports to 督查室; 督查室 finds the report and the chain (which input it drew on) on
the task page, from the plan's ledger."""

import pytest
from django.utils import timezone

from luoshi.work.models import CoopInput, ProgressReport, Task, TaskRole
from tests.breakdown import documents as d
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    "一、着力扩大有效需求",
    ["1", "开展消费提振年活动，年底前社会消费品零售总额增长6%。", "区商务局", "区财政局"],
    ["2", "实施重大项目攻坚行动，年底前完成年度投资计划。", "区发展和改革局", ""],
]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INPUT = "已拨付消费券资金500万元，配合开展“乐购济阳”促消费活动3场。"


def test_the_cooperating_unit_sends_its_input_the_lead_unit_draws_on_it_and_the_office_sees_the_chain(
        page, phone_page, live_server):
    cast = build_cast()
    year = timezone.localdate().year
    title = "开展消费提振年活动，年底前社会消费品零售总额增长6%。"

    # 督查室 imports the 方案
    sign_in(page, live_server, "li_ducha", cast.password)
    page.goto(f"{live_server.url}/breakdown/")
    page.fill("#id_year", str(year))
    page.set_input_files("#id_file", files=[{"name": "重点任务分解方案.docx", "buffer": d.word_table(ROWS),
                                             "mimeType": DOCX}])
    with page.expect_navigation():
        page.click("#upload button[type=submit]")
    assert page.locator("#problem-count").inner_text() == "有问题 0 项"
    assert page.locator("#item-0 dd.lead").inner_text() == "区商务局"
    keep_screenshot(page, "breakdown-chain-1-review.png")
    with page.expect_navigation():
        page.click("#save-form button[type=submit]")
    assert "已导入「" in page.locator(".message.success").inner_text()
    task = Task.objects.get(number=f"{year}-370115-001")
    assert task.lead_unit.code == "370115D03"
    assert [(tu.unit.code, tu.role) for tu in task.task_units.exclude(role=TaskRole.LEAD)] == [
        ("370115D04", TaskRole.COOPERATING)]

    # 财政局, on a phone: its list of tasks, the task, its input to the lead unit
    sign_in(phone_page, live_server, "zheng_caizheng", cast.password)
    phone_page.goto(f"{live_server.url}/work/mine/")
    row = phone_page.locator("tr", has_text=title)
    assert "配合单位" in row.inner_text()
    with phone_page.expect_navigation():
        row.get_by_role("link", name="向牵头单位报送").click()
    assert "区商务局" in phone_page.locator("#input").inner_text()
    phone_page.fill("#id_input_text", INPUT)
    phone_page.fill("#id_input_problems", "部分商户参与积极性不高。")
    with phone_page.expect_navigation():
        phone_page.click("#input-form button[type=submit]")
    assert "已向牵头单位区商务局报送" in phone_page.locator(".message.success").inner_text()
    assert INPUT in phone_page.locator("#input-history").inner_text()
    assert phone_page.locator("#report-form").count() == 0, "a cooperating unit does not report to the office"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, "the input fits the phone's width"
    keep_screenshot(phone_page, "breakdown-chain-2-input-phone.png")

    # 商务局: the input beside its report form, drawn on, and its report to 督查室
    page.context.clear_cookies()  # signed out: another person at another desk
    sign_in(page, live_server, "zhou_shangwu", cast.password)
    page.goto(f"{live_server.url}/work/tasks/{task.pk}/#report")
    choice = page.locator("#report-inputs .input-choice")
    assert choice.count() == 1
    assert "区财政局" in choice.inner_text() and INPUT in choice.inner_text()
    assert choice.locator("input[name=inputs]").is_checked(), "this period's input is offered checked"
    keep_screenshot(page, "breakdown-chain-3-lead-form.png")
    page.fill("#id_percent", "30")
    page.fill("#id_done_text", "举办促消费活动5场（其中财政局配合3场），发放消费券500万元。")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")
    assert "进度已报送" in page.locator(".message.success").inner_text()
    report = ProgressReport.objects.get(task=task)
    assert [i.unit.code for i in report.inputs.all()] == ["370115D04"]

    # 督查室: the ledger, the task, the report and the input it drew on
    page.context.clear_cookies()
    sign_in(page, live_server, "li_ducha", cast.password)
    page.goto(f"{live_server.url}/breakdown/")
    with page.expect_navigation():
        page.get_by_role("link", name="落实台账与通报").click()
    with page.expect_navigation():
        page.get_by_role("link", name=title).click()
    reports = page.locator("#reports").inner_text()
    assert "区商务局" in reports and "完成 30%" in reports
    assert "采用配合单位报送：区财政局" in page.locator("#reports .drawn-inputs").inner_text()
    assert INPUT in page.locator("#input-history").inner_text()
    assert page.locator("#report-form").count() == 0 and page.locator("#input-form").count() == 0
    keep_screenshot(page, "breakdown-chain-4-office-task.png")
    assert CoopInput.objects.get(task=task).unit.code == "370115D04"
