"""重点项目 in headless Chromium: 发改局 sees the 调度表 and who has not reported; a town government reports its
project's month on a phone (a refused photo first, then the report with a photo); the office sees it come in."""

import pytest

from luoshi.projects.models import MonthlyReport
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.projects.conftest import build_projects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = "/projects/table/?region=370115&period=2020-03"


def _no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_town_reports_its_month_on_a_phone_and_the_office_sees_who_has_not_reported(page, phone_page, live_server):
    cast = build_cast()
    pool = build_projects(cast)
    sign_in(page, live_server, "zhao_fagai", cast.password)
    page.goto(f"{live_server.url}/projects/")
    assert "/projects/table/" in page.url
    page.goto(live_server.url + TABLE)
    page.wait_for_function("() => document.getElementById('chart-month').dataset.drawn")
    assert "济阳街道：济阳街道社区服务中心" in page.inner_text("#missing")
    assert "计划2019年12月开工，尚未开工" in page.inner_text("#red-list")
    assert page.locator(f"#projects tr[data-project='{pool.p3.pk}'] .status").inner_text() == "未报"
    keep_screenshot(page, "projects-table.png")

    sign_in(phone_page, live_server, "sun_jiedao", cast.password)
    phone_page.goto(f"{live_server.url}/projects/mine/?period=2020-03")
    assert "本月还有 1 个项目未报送" in phone_page.inner_text("#to-report")
    assert _no_sideways_scroll(phone_page)
    phone_page.locator(f"#my-projects tr[data-project='{pool.p3.pk}']").get_by_text("报送调度").click()
    phone_page.fill("#id_amount", "120")
    phone_page.fill("#id_progress", "完成场地平整，正在办理施工许可")
    phone_page.fill("#id_problems", "施工许可待批")
    phone_page.set_input_files("#id_photos", files=[{"name": "现场.exe", "mimeType": "application/octet-stream",
                                                      "buffer": b"MZ"}])
    phone_page.click("#report-form button[type=submit]")
    assert "附件「现场.exe」的类型不允许" in phone_page.locator(".errors").inner_text()
    assert phone_page.input_value("#id_progress") == "完成场地平整，正在办理施工许可"
    assert not MonthlyReport.objects.filter(project=pool.p3).exists()
    phone_page.set_input_files("#id_photos", files=[{"name": "现场.jpg", "mimeType": "image/jpeg",
                                                      "buffer": b"\xff\xd8\xff\xe0 site photo"}])
    phone_page.click("#report-form button[type=submit]")
    assert "2020年3月调度已报送" in phone_page.locator(".message.success").inner_text()
    assert "现场.jpg" in phone_page.inner_text("#reports")
    assert _no_sideways_scroll(phone_page)
    keep_screenshot(phone_page, "projects-phone-report.png")
    assert MonthlyReport.objects.get(project=pool.p3).photos.count() == 1

    page.reload()
    assert "各单位均已报送2020年3月调度" in page.inner_text("#missing")
    assert "120" in page.locator(f"#projects tr[data-project='{pool.p3.pk}']").inner_text()


def test_a_leader_reads_the_citys_ranking_from_the_county_table_on_a_phone(page, phone_page, live_server):
    from datetime import date
    from decimal import Decimal as D

    from luoshi.projects import services
    from luoshi.projects.rules import NEW
    from tests.projects.conftest import MARCH

    cast = build_cast()
    build_projects(cast)
    cast.lixia.name = "<b>历下区</b>"  # a name typed by someone: text in the table and in the chart's tooltip
    cast.lixia.save()
    other, _ = services.save_project(None, region=cast.lixia, name="历下区数字经济产业园", kind=NEW,
                                     unit=cast.units.lixia_gov, total_investment=D("3000"),
                                     year_plans={2020: D("1000")}, started_on=date(2020, 2, 1))
    services.submit_report(None, other, period=MARCH, amount=D("500"))
    sign_in(phone_page, live_server, "sun_leader", cast.password)
    phone_page.goto(live_server.url + TABLE)
    phone_page.click("#to-ranking")
    phone_page.wait_for_function("() => document.getElementById('chart-ranking').dataset.drawn")
    assert "/projects/ranking/?city=370100" in phone_page.url
    assert "第1位" in phone_page.inner_text("#ranking tr[data-county='370102']")
    assert "<b>历下区</b>" in phone_page.inner_text("#ranking tr[data-county='370102']")
    assert phone_page.locator("#ranking b").count() == 0
    box = phone_page.locator("#chart-ranking").bounding_box()
    phone_page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    phone_page.wait_for_function("() => document.getElementById('chart-ranking').innerText.includes('投资完成率：50%')")
    assert "<b>历下区</b>" in phone_page.inner_text("#chart-ranking")  # the tooltip shows the name as text
    assert phone_page.locator("#chart-ranking b").count() == 0
    assert _no_sideways_scroll(phone_page)
    keep_screenshot(phone_page, "projects-ranking-phone.png")
    phone_page.click("#ranking tr[data-county='370115'] a")
    assert "/projects/table/?region=370115" in phone_page.url
