"""The warning that a year's 放假安排 is not loaded: to global administrators only, once — on their home page, with
the link to load it — never to the other roles nor on every key-work page; the command line says it at most once
per run, on standard error."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from luoshi.core.commands import warn_fallback
from luoshi.work import services as work_services
from tests.holidays.conftest import load_2027
from tests.orgs.admins import add_region_admins

pytestmark = pytest.mark.django_db

WARNING = "2027年放假安排尚未录入，截止日期按周末计算，请<a href=\"/holidays/load?year=2027\">录入</a>。"


def home(client_for, username):
    return client_for(username).get("/").content.decode()


def test_a_global_administrator_is_told_on_the_home_page_with_the_link(client_for):
    with time_machine.travel("2027-03-01 09:00 +0800", tick=False):
        html = home(client_for, "wang_admin")
        assert html.count('id="holiday-warning"') == 1 and WARNING in html
        # once: not again on the key-work pages or the administrator's other pages
        for url in ("/work/", "/work/gantt/", "/orgs/", "/holidays/load"):
            assert 'id="holiday-warning"' not in client_for("wang_admin").get(url).content.decode(), url


def test_nobody_else_is_told(client_for, cast):
    add_region_admins(cast)
    with time_machine.travel("2027-03-01 09:00 +0800", tick=False):
        for username in ("jiyang_admin", "sun_leader", "li_ducha", "zhao_fagai", "zhou_shangwu", "wu_cunju", "nobody"):
            html = home(client_for, username)
            assert "放假安排尚未录入" not in html and "holiday-warning" not in html, username


def test_the_warning_goes_once_the_year_is_loaded(client_for, cast):
    with time_machine.travel("2027-03-01 09:00 +0800", tick=False):
        load_2027(cast.wang_admin)
        assert "放假安排尚未录入" not in home(client_for, "wang_admin")


def test_the_next_year_is_asked_for_from_december_and_a_year_the_package_knows_is_not(client_for):
    with time_machine.travel("2026-06-01 09:00 +0800", tick=False):
        assert "放假安排尚未录入" not in home(client_for, "wang_admin")  # 2026: chinesecalendar
    with time_machine.travel("2026-12-05 09:00 +0800", tick=False):
        assert WARNING in home(client_for, "wang_admin")
    with time_machine.travel("2027-12-05 09:00 +0800", tick=False):
        html = home(client_for, "wang_admin")
        assert "2027、2028年放假安排尚未录入" in html and 'href="/holidays/load?year=2027"' in html


def test_the_command_line_says_it_once_per_run_on_standard_error(cast):
    campaign = work_services.save_campaign(None, name="远期工作", order=0)
    task, _ = work_services.save_task(None, campaign=campaign, number="1", title="远期任务", lead_unit=cast.units.shangwu,
                                      start=date(2027, 1, 4), deadline=date(2028, 12, 29))
    work_services.save_milestone(None, task=task, number="1.1", title="一期", due=date(2027, 6, 30))
    work_services.save_milestone(None, task=task, number="1.2", title="二期", due=date(2028, 6, 30), order=1)
    out, err = StringIO(), StringIO()
    call_command("work", "status", "--on", "2027-03-01", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "注意：2027、2028年放假安排尚未录入，截止日期按周末计算（周一至周五为工作日），请录入（luoshi holidays load --year 年份 文件）。"]
    assert "放假安排" not in out.getvalue()
    load_2027(cast.wang_admin)
    err = StringIO()
    call_command("work", "status", "--on", "2027-03-01", stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == ("注意：2028年放假安排尚未录入，截止日期按周末计算（周一至周五为工作日），"
                                      "请录入（luoshi holidays load --year 2028 文件）。")


def test_a_command_warns_at_most_once_however_often_it_is_asked():
    class Command:
        stderr = StringIO()

    command = Command()
    warn_fallback(command, [2027])
    warn_fallback(command, [2027, 2028])
    warn_fallback(command, [])
    assert command.stderr.getvalue().count("放假安排尚未录入") == 1
