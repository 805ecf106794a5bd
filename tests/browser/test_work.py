"""The unit's report form and the Gantt chart in headless Chromium."""

from datetime import date

import pytest

from luoshi.work import services
from luoshi.work.models import Milestone, ProgressReport
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.work.conftest import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_reports_progress_through_the_form_and_sees_a_chinese_error_first(page, live_server):
    cast = build_cast()
    plan = build_plan(cast)
    sign_in(page, live_server, "zhou_shangwu", cast.password)
    page.goto(f"{live_server.url}/work/")
    assert page.url.endswith("/work/mine/")
    page.locator("#my-tasks tr[data-task='1']").get_by_text("报送进度").click()
    page.fill("#id_percent", "40")
    page.fill("#id_done_text", "与两家外资企业完成洽谈")
    page.check(f"#done_{plan.m11.pk}")  # ticked, but no date given
    page.click("#report-form button[type=submit]")
    assert "节点「完成项目洽谈」请填写完成日期" in page.locator(".errors").inner_text()
    assert not ProgressReport.objects.exists()
    assert page.input_value("#id_done_text") == "与两家外资企业完成洽谈"  # what was typed is kept
    page.fill(f"#done_on_{plan.m11.pk}", "2020-04-29")
    page.set_input_files("#id_attachments", files=[{"name": "洽谈纪要.pdf", "mimeType": "application/pdf",
                                                      "buffer": b"%PDF-1.4 minutes"}])
    page.click("#report-form button[type=submit]")
    assert "进度已报送" in page.locator(".message.success").inner_text()
    assert "与两家外资企业完成洽谈" in page.locator("#reports").inner_text()
    assert "洽谈纪要.pdf" in page.locator("#reports").inner_text()
    assert Milestone.objects.get(pk=plan.m11.pk).done_on == date(2020, 4, 29)
    keep_screenshot(page, "work-report-form.png")
    # A correction keeps the first version visible.
    page.get_by_role("link", name="更正").click()
    page.fill("#id_correction_note", "百分比填错")
    page.fill("#id_percent", "45")
    page.click("#report-form button[type=submit]")
    assert page.locator("article.report.superseded").count() == 1
    assert ProgressReport.objects.filter(is_current=True).get().percent == 45


def _wait_drawn(page):
    page.wait_for_function("() => document.getElementById('gantt').dataset.drawn")


def _tasks_shown(page):
    return int(page.get_attribute("#gantt", "data-tasks"))


def test_gantt_draws_and_filters_by_campaign_unit_and_light(page, live_server):
    cast = build_cast()
    plan = build_plan(cast)
    services.submit_report(None, plan.t1, percent=30, done_text="洽谈推进中", reported_on=date(2020, 4, 10))
    sign_in(page, live_server, "li_ducha", cast.password)
    page.goto(f"{live_server.url}/work/gantt/?on=2020-05-07")
    _wait_drawn(page)
    assert _tasks_shown(page) == 2 and "显示 2 项任务、4 个节点" in page.inner_text("#gantt-count")
    assert page.locator("#gantt canvas").count() >= 1
    page.select_option("#filter-light", "red")
    _wait_drawn(page)
    assert _tasks_shown(page) == 1 and "light=red" in page.get_attribute("#export-xlsx", "href")
    page.select_option("#filter-light", "")
    page.select_option("#filter-unit", label="商务局")
    _wait_drawn(page)
    assert _tasks_shown(page) == 1
    page.select_option("#filter-unit", "")
    page.select_option("#filter-campaign", label="合村并点")
    _wait_drawn(page)
    assert _tasks_shown(page) == 1
    page.select_option("#filter-campaign", "")
    page.select_option("#group-by", "unit")
    page.select_option("#show-milestones", "rows")
    page.click("[data-zoom=quarter]")
    _wait_drawn(page)
    # 2 unit headers + 2 tasks + 4 milestone rows.
    assert page.get_attribute("#gantt", "data-rows") == "8"
    with page.expect_download() as download:
        page.click("#export-png")
    assert download.value.suggested_filename == "横道图.png"
    keep_screenshot(page, "work-gantt.png")


def test_gantt_hash_link_from_the_overview_preselects_a_campaign(page, live_server):
    cast = build_cast()
    plan = build_plan(cast)
    sign_in(page, live_server, "li_ducha", cast.password)
    page.goto(f"{live_server.url}/work/?on=2020-05-07")
    page.locator("#campaigns").get_by_role("link", name="合村并点").click()
    _wait_drawn(page)
    assert page.input_value("#filter-campaign") == str(plan.hc.pk) and _tasks_shown(page) == 1
