"""销号 in headless Chromium: 商务局 asks to close its red task on a phone with a photo of the evidence, 督查室 approves
it from its list, and the task leaves the red list (the Gantt chart's red filter, 重点工作's overdue nodes) while it
stays in the ledger with its 销号 date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.work import services
from luoshi.work.models import Task
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00"
       b"\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_the_lead_unit_asks_on_a_phone_the_office_approves_and_the_task_leaves_the_red_list(page, phone_page,
                                                                                              live_server, settings,
                                                                                              tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cast = build_cast()
    today = timezone.localdate()
    campaign = services.save_campaign(None, name="政府工作报告重点工作")
    task, _ = services.save_task(None, campaign=campaign, number="B-1", title="重点项目集中开工", lead_unit=cast.units.shangwu,
                                 cooperating_units=[cast.units.caizheng], start=today - timedelta(days=120),
                                 deadline=today - timedelta(days=40))
    services.save_milestone(None, task=task, number="B-1.1", title="集中开工", due=today - timedelta(days=40))
    red = f"{live_server.url}/work/gantt/data?light=red"

    sign_in(page, live_server, "li_ducha", cast.password)
    assert "重点项目集中开工" in page.goto(red).text()

    sign_in(phone_page, live_server, "zhou_shangwu", cast.password)
    phone_page.goto(f"{live_server.url}/work/tasks/{task.pk}/#closure")
    phone_page.fill("#id_closure_note", "项目已于上月集中开工，附开工现场照片。")
    phone_page.set_input_files("#id_closure_files", files=[{"name": "开工现场.png", "buffer": PNG, "mimeType": "image/png"}])
    with phone_page.expect_navigation():
        phone_page.click("#closure-form button[type=submit]")
    assert "销号申请已提交，待督查室审核" in phone_page.locator(".message.success").inner_text()
    assert "待督查室审核" in phone_page.locator("#closure-pending").inner_text()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the 销号 card fits the phone's width"
    keep_screenshot(phone_page, "closure-asked-phone.png")

    page.goto(f"{live_server.url}/work/closures/")
    row = page.locator("#pending-closures tr[data-closure]")
    assert "开工现场.png" in row.inner_text()
    with page.expect_navigation():
        row.locator(".closure-approve button").click()
    assert "已批准销号：B-1 重点项目集中开工" in page.locator(".message.success").inner_text()
    keep_screenshot(page, "closure-approved.png")

    assert "重点项目集中开工" not in page.goto(red).text()
    page.goto(f"{live_server.url}/work/")
    assert "集中开工" not in (page.locator("#overdue").inner_text() if page.locator("#overdue").count() else "")
    page.goto(f"{live_server.url}/work/tasks/{task.pk}/")
    assert page.locator("#task-closed").inner_text() == f"已销号 {today.year}年{today.month}月{today.day}日"
    assert page.locator("#task-light").get_attribute("data-light") == "green"
    assert Task.objects.get(pk=task.pk).closed_on == today
