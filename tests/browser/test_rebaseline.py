"""调整计划 in headless Chromium: a unit asks on the task page, a leader approves on a phone, the Gantt chart draws the
baseline and judges against it, with a hostile reason shown as text and no script error."""

from datetime import date

import pytest

from luoshi.work import services
from luoshi.work.models import Milestone, Rebaseline
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.work.conftest import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x id=pwned onerror="document.title=1">外商行程推迟'


def test_a_unit_asks_a_leader_approves_on_a_phone_and_the_gantt_shows_the_baseline(page, phone_page, live_server):
    cast = build_cast()
    plan = build_plan(cast)
    services.set_plan(cast.li_ducha, plan.zs)
    errors = []
    for p in (page, phone_page):
        p.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, live_server, "zhou_shangwu", cast.password)
    page.goto(f"{live_server.url}/work/tasks/{plan.t1.pk}/")
    form = page.locator(f"tr[data-milestone='1.2'] form.rebaseline-request")
    form.locator("input[name=new_due]").fill("2020-05-29")
    form.locator("input[name=reason]").fill(HOSTILE)
    form.get_by_role("button", name="申请调整计划").click()
    page.wait_for_load_state("networkidle")
    assert "待区领导或督查室审批" in page.locator(".message").inner_text()
    assert "待审批：调整为 2020-05-29" in page.locator("#milestones").inner_text()
    assert HOSTILE in page.locator("#rebaseline-history").inner_text() and page.locator("#pwned").count() == 0
    assert Milestone.objects.get(pk=plan.m12.pk).due == date(2020, 5, 1)

    sign_in(phone_page, live_server, "sun_leader", cast.password)
    phone_page.goto(f"{live_server.url}/work/rebaselines/")
    row = phone_page.locator("#pending-rebaselines tr[data-request]")
    assert HOSTILE in row.inner_text()
    row.locator("input[name=note]").fill("同意，5月底前务必签约")
    row.get_by_role("button", name="批准", exact=True).click()
    phone_page.wait_for_load_state("networkidle")
    assert "已批准" in phone_page.locator(".message").inner_text()
    assert phone_page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    keep_screenshot(phone_page, "work-rebaselines-phone.png")
    assert Rebaseline.objects.get().status == "approved" and Milestone.objects.get(pk=plan.m12.pk).due == date(2020, 5, 29)

    page.goto(f"{live_server.url}/work/gantt/?on=2020-05-12")
    page.wait_for_function("() => document.getElementById('gantt').dataset.drawn")
    # No report since the task began: silent, so a milestone past its date is 严重滞后; 1.2 is not due yet (29 May)...
    before = page.evaluate("() => JSON.parse(document.getElementById('gantt-data').textContent)")
    assert next(before["statuses"][m[5]] for m in before["milestones"] if m[0] == plan.m12.pk) == "in_progress"
    page.select_option("#gantt-against", "baseline")  # the switch reloads the page judged against the baseline
    page.wait_for_url("**against=baseline**")
    page.wait_for_function("() => document.getElementById('gantt').dataset.drawn")
    assert page.locator("#against-baseline").count() == 1
    data = page.evaluate("() => JSON.parse(document.getElementById('gantt-data').textContent)")
    m12 = next(m for m in data["milestones"] if m[0] == plan.m12.pk)  # ...but was due 1 May (effective 6 May)
    assert data["against"] == "baseline" and data["statuses"][m12[5]] == "seriously_overdue" and m12[7] is not None
    keep_screenshot(page, "work-gantt-baseline.png")
    assert errors == [] and page.title() != "1"
