"""The pools' workflow in headless Chromium: 发改局 asks to 退库 a project on the desktop; 孙区长 approves it on a
phone; the project leaves the 在建 pool and its page shows the move beside the pool it was in."""

import pytest

from luoshi.projects import rules
from luoshi.projects.models import PoolMove, Project
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.projects.conftest import build_projects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_office_asks_to_withdraw_a_project_and_the_leader_approves_it_on_a_phone(page, phone_page, live_server):
    cast = build_cast()
    pool = build_projects(cast)
    project_url = f"{live_server.url}/projects/p/{pool.p2.pk}/"

    sign_in(page, live_server, "zhao_fagai", cast.password)
    page.goto(project_url)
    assert page.inner_text("#pool-now") == "在建"
    page.click("#move-request summary")
    page.select_option("#id_kind", "withdraw")
    page.click("#move-form button[type=submit]")
    assert "请填写申请理由" in page.locator("#pool .errors").inner_text()
    page.fill("#id_reason", "企业投资计划调整，年内不再建设")
    page.click("#move-form button[type=submit]")
    assert "退库申请已提交，等待区领导审批" in page.locator(".message.success").inner_text()
    assert "待审批" in page.inner_text("#pending-move")
    assert page.locator("#decide-form").count() == 0  # the office does not decide its own request
    keep_screenshot(page, "project-pools-request.png")

    sign_in(phone_page, live_server, "sun_leader", cast.password)
    phone_page.goto(f"{live_server.url}/projects/moves/?region=370115")
    assert "企业投资计划调整，年内不再建设" in phone_page.inner_text("#pending")
    phone_page.locator("#pending").get_by_role("link", name="审批", exact=True).click()
    phone_page.fill("#id_note", "同意退库")
    assert _no_sideways_scroll(phone_page)
    phone_page.locator("#decide-form").get_by_role("button", name="批准", exact=True).click()
    assert "已批准「智能装备产业园」的退库申请" in phone_page.locator(".message.success").inner_text()
    assert phone_page.inner_text("#pool-now") == "已退库"
    history = phone_page.inner_text("#pool-history")
    assert "入项目库：在建" in history and "退库：在建 → 已退库（已批准" in history and "同意退库" in history
    assert "竣工（投产）：计划 2021年12月31日，随项目退库销号" in phone_page.inner_text("#nodes")
    assert _no_sideways_scroll(phone_page)
    keep_screenshot(phone_page, "project-pools-approved-phone.png")

    assert Project.objects.get(pk=pool.p2.pk).pool == rules.WITHDRAWN
    assert PoolMove.objects.get(kind=rules.WITHDRAW).decided_by == cast.sun_leader
    page.goto(f"{live_server.url}/projects/table/?region=370115&period=2020-03")
    assert "智能装备产业园" not in page.inner_text("#projects")
