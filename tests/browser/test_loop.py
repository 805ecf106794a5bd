"""The whole loop of the seed, as its people do it in Chromium, from a red light to the meeting and back:

    6 May 2020   商务局's task is red → 督查室 opens a 督办单 → 商务局's group robot (a fake server on loopback) receives
                 it with a link and an @ → 商务局 answers on a phone with a file → 督查室 returns it → 商务局 answers
                 again → 督查室 accepts it; a second notice, to 财政局, is not answered
    13 May       督查室 escalates the unanswered one to the responsible leader, who reads it in his messages
    13 May       the April league: both late units ranked, neither among the 先进
    13 May       发改局 opens the quarterly meeting; 商务局 writes its section; 发改局 writes 统计局's (代报: 统计局 has no
                 unit account); the pack is downloaded from the meeting page and read back (python-docx: the indicator
                 table, the native charts, the sections with the 代报 mark); the meeting's decision becomes a follow-up
    June         the follow-up shows in the Gantt chart; 商务局 finishes it and its task's last node on time
    1 July       the June league: 商务局 先进, its follow-up counted

The clock is moved with time_machine (the live server runs in this process); the browser keeps its own real clock, so
cookies are session cookies here (a 2020 expiry date would be in the browser's past).
"""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from docx import Document

from luoshi.indicators import services as indicator_services
from luoshi.indicators.models import Indicator
from luoshi.notify import services as notify_services
from luoshi.notify.models import Message, Robot
from luoshi.orgs.models import Person
from luoshi.supervision.models import Notice
from luoshi.work import services as work_services
from luoshi.work.models import Milestone, Task
from tests.browser.conftest import keep_screenshot, sign_in
from tests.browser.test_indicators import seed
from tests.notify.conftest import FakeRobot
from tests.work.conftest import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.both_databases, pytest.mark.django_db(transaction=True)]

ZHOU_MOBILE = "13800000001"


@pytest.fixture
def robot_server():
    robot = FakeRobot("wecom")
    yield robot
    robot.server.shutdown()


@pytest.fixture
def loop_settings(settings, tmp_path, robot_server, live_server):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.SESSION_COOKIE_AGE = 90 * 24 * 3600  # the story spans two months; a real day signs in again each morning
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LUOSHI_WEBHOOK_HOSTS = robot_server.host
    settings.LUOSHI_BASE_URL = live_server.url
    return settings


def _scene(robot_server):
    cast = seed()  # the cast, 济南市's counties and 济阳区's 2020 Q1 figures
    plan = build_plan(cast)
    catalog = {i.code: i for i in Indicator.objects.all()}
    indicator_services.save_responsibilities(None, [
        {"region_id": cast.jiyang.pk, "indicator_id": catalog[code].pk, "unit_id": unit.pk}
        for code, unit in [("fdi", cast.units.shangwu), ("retail", cast.units.tongji)]])
    person = Person.objects.get(user=cast.zhou_shangwu)
    person.phone = ZHOU_MOBILE
    person.save()
    notify_services.add_robot(cast.wang_admin, kind="wecom", unit=cast.units.shangwu, name="商务局工作群", url=robot_server.url)
    return cast, plan


def _dispatch():
    """What the worker does every minute (luoshi worker → luoshi notify dispatch)."""
    notify_services.dispatch()


def _robot_texts(robot_server):
    return [str(body) for body in robot_server.received]


def _open_notice(page, live_server, task):
    page.goto(f"{live_server.url}/work/tasks/{task.pk}/")
    page.click("#task-notices-link a")
    page.click("#open-notice")
    with page.expect_navigation():
        page.click("#open-form button[type=submit]")
    assert "已开具督办〔" in page.locator(".message.success").inner_text()
    return Notice.objects.get(task=task)


def _answer(phone, live_server, notice, text, files=()):
    phone.goto(f"{live_server.url}/supervision/notices/{notice.pk}/")
    phone.fill("#id_reply_text", text)
    if files:
        phone.set_input_files("#id_reply_attachments", files=list(files))
    with phone.expect_navigation():
        phone.locator("#reply-form button[type=submit]").tap()
    assert "已答复" in phone.locator(".message.success").inner_text()


def _fits(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_loop_from_a_red_light_to_the_meeting_and_back(page, phone_page, browser, live_server, robot_server,
                                                           loop_settings):
    with time_machine.travel("2020-05-06 09:30 +0800", tick=True) as clock:
        cast, plan = _scene(robot_server)
        office, unit = page, phone_page
        sign_in(office, live_server, "li_ducha", cast.password)
        sign_in(unit, live_server, "zhou_shangwu", cast.password)

        # 1. The red task on the supervision office's board, and its notice.
        office.goto(f"{live_server.url}/work/tasks/{plan.t1.pk}/")
        assert office.get_attribute("#task-light", "data-light") == "red"
        keep_screenshot(office, "loop-01-red-task.png")
        notice = _open_notice(office, live_server, plan.t1)
        keep_screenshot(office, "loop-02-notice-opened.png")

        # 2. The worker sends it to 商务局's group robot: the notice's number, an absolute link, 周商务's mobile.
        _dispatch()
        texts = _robot_texts(robot_server)
        assert len(texts) == 1, texts
        assert notice.number in texts[0]
        assert f"{live_server.url}/supervision/notices/{notice.pk}/" in texts[0]
        assert ZHOU_MOBILE in texts[0]

        # 3. 商务局 answers on a phone with a file; returned; answered again; accepted.
        _answer(unit, live_server, notice, "已与两家企业完成洽谈，纪要见附件。",
                [{"name": "洽谈纪要.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 minutes"}])
        assert "洽谈纪要.pdf" in unit.locator("#steps").inner_text()
        assert _fits(unit)
        keep_screenshot(unit, "loop-03-answer-phone.png")
        office.goto(f"{live_server.url}/supervision/notices/{notice.pk}/")
        with office.expect_download() as download:
            office.locator("#steps a", has_text="洽谈纪要.pdf").click()
        assert download.value.suggested_filename == "洽谈纪要.pdf"
        office.fill("#id_return_text", "未说明签约时间。")
        with office.expect_navigation():
            office.click("#return-form button[type=submit]")
        assert "已退回" in office.locator(".message.success").inner_text()
        _dispatch()
        assert any("退回" in text for text in _robot_texts(robot_server)[1:])
        _answer(unit, live_server, notice, "5月6日已签约，节点已报送。")
        office.reload()
        with office.expect_navigation():
            office.click("#accept-form button[type=submit]")
        assert "已办结" in office.locator(".message.success").inner_text()
        kinds = office.locator("#steps li.step").evaluate_all("(items) => items.map((li) => li.dataset.kind)")
        assert kinds == ["opened", "replied", "returned", "replied", "accepted"]
        keep_screenshot(office, "loop-04-notice-closed.png")

        # 商务局 reports the two late nodes done (the task stays in the record as late, no longer lagging).
        unit.goto(f"{live_server.url}/work/tasks/{plan.t1.pk}/report")
        unit.fill("#id_percent", "60")
        unit.fill("#id_done_text", "完成洽谈并签约")
        for milestone in (plan.m11, plan.m12):
            unit.check(f"#done_{milestone.pk}")
            unit.fill(f"#done_on_{milestone.pk}", "2020-05-06")
        with unit.expect_navigation():
            unit.locator("#report-form button[type=submit]").tap()
        assert "进度已报送" in unit.locator(".message.success").inner_text()

        # 4. A second notice, to 财政局, waits unanswered past its deadline; the office escalates it by hand.
        notice2 = _open_notice(office, live_server, plan.t2)
        clock.move_to("2020-05-13 09:30 +0800")  # 5 working days (9 May a 调休 Saturday) → due 12 May
        office.goto(f"{live_server.url}/supervision/notices/{notice2.pk}/")
        assert office.locator("#escalate-form").count() == 1
        with office.expect_navigation():
            office.click("#escalate-form button[type=submit]")
        notice2.refresh_from_db()
        assert notice2.escalated_on == date(2020, 5, 13)
        _dispatch()
        leader = page.context.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
        sign_in(leader, live_server, "sun_leader", cast.password)
        leader.goto(f"{live_server.url}/inbox/")
        assert notice2.number in leader.locator("main").inner_text()
        keep_screenshot(leader, "loop-05-leader-inbox.png")

        # 5. April's league: the two late units ranked, neither commended.
        office.goto(f"{live_server.url}/supervision/league/?region=370115")
        assert "2020年4月" in office.locator("main").inner_text()
        assert office.locator("#league tr[data-unit='商务局']").count() == 1
        assert office.locator("#league tr[data-unit='财政局']").count() == 1
        assert "商务局" not in office.locator("#league-top").inner_text()
        keep_screenshot(office, "loop-06-league-april.png")

        # 6. The quarterly meeting: 发改局 opens it; 商务局 writes its section; 发改局 writes 统计局's (代报).
        analysis = leader.context.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
        sign_in(analysis, live_server, "zhao_fagai", cast.password)
        analysis.goto(f"{live_server.url}/briefings/")
        analysis.fill("#id_title", "2020年一季度经济形势分析会")
        analysis.fill("#id_period", "2020-03")
        analysis.fill("#id_held_on", "2020-05-20")
        analysis.fill("#id_sections_due", "2020-05-15")
        with analysis.expect_navigation():
            analysis.click("#open-meeting button[type=submit]")
        meeting_url = analysis.url
        with analysis.expect_navigation():
            analysis.click("#meeting-actions button[value=publish]")
        unit.goto(meeting_url)
        unit.locator("#section-fdi a.button").tap()
        unit.fill("#id_completion_text", "1-3月份全区实际利用外资2000万美元，增幅居全市前列。")
        unit.fill("#id_reasons_text", "两个新设项目资金到账。")
        unit.fill("#id_measures_text", "加快在谈项目签约落地。")
        with unit.expect_navigation():
            unit.locator("#section-form button[type=submit]").tap()
        assert "已报送实际利用外资材料" in unit.locator(".message.success").inner_text()
        _proxy_section(analysis, meeting_url)
        analysis.goto(meeting_url)
        assert "代报" in analysis.locator("#section-retail").inner_text()
        keep_screenshot(analysis, "loop-07-meeting.png")

        # 7. The pack, downloaded from the meeting page and read back.
        with analysis.expect_download() as download:
            analysis.locator("#pack-links a", has_text="下载 Word").click()
        document = Document(io.BytesIO(open(download.value.path(), "rb").read()))
        text = "\n".join(p.text for p in document.paragraphs)
        table_text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
        assert "社会消费品零售总额" in table_text and "实际利用外资" in table_text
        charts = [part for part in document.part.package.parts if "/charts/" in str(part.partname)]
        assert charts, "the pack carries native Word charts"
        assert "增幅居全市前列" in text and "加快在谈项目签约落地" in text
        assert "代报" in text

        # 8. The meeting's decision becomes a follow-up task of 商务局.
        analysis.fill("#follow-up-form #id_title", "加快外资项目资金到位")
        analysis.select_option("#id_lead_unit", "370115D03")
        analysis.fill("#id_deadline", "2020-06-15")
        with analysis.expect_navigation():
            analysis.click("#follow-up-form button[type=submit]")
        assert "加快外资项目资金到位" in analysis.locator("#follow-ups").inner_text()
        follow_up = Task.objects.get(title="加快外资项目资金到位")
        keep_screenshot(analysis, "loop-08-follow-up.png")

        # 9. June: the follow-up in the Gantt chart; 商务局 finishes it and its task's last node on time.
        clock.move_to("2020-06-10 10:00 +0800")
        office.goto(f"{live_server.url}/work/gantt/")
        office.select_option("#filter-campaign", label=follow_up.campaign.name)
        office.wait_for_function("() => document.getElementById('gantt').dataset.drawn")
        assert office.get_attribute("#gantt", "data-tasks") == "1"
        keep_screenshot(office, "loop-09-gantt.png")
        for task, milestones in ((follow_up, follow_up.milestones.all()), (plan.t1, [plan.m13])):
            unit.goto(f"{live_server.url}/work/tasks/{task.pk}/report")
            unit.fill("#id_percent", "100")
            unit.fill("#id_done_text", "已完成")
            for milestone in milestones:
                unit.check(f"#done_{milestone.pk}")
                unit.fill(f"#done_on_{milestone.pk}", "2020-06-10")
            with unit.expect_navigation():
                unit.locator("#report-form button[type=submit]").tap()
            assert "进度已报送" in unit.locator(".message.success").inner_text()
        assert Milestone.objects.get(task=follow_up).done_on == date(2020, 6, 10)

        # 10. 1 July: the June league puts 商务局 among the 先进, its follow-up counted.
        clock.move_to("2020-07-01 09:00 +0800")
        office.goto(f"{live_server.url}/supervision/league/?region=370115")
        assert "2020年6月" in office.locator("main").inner_text()
        assert "商务局" in office.locator("#league-top").inner_text()
        assert _league_cell(office, "商务局", "按时完成") == "2"  # the task's last node and the follow-up
        keep_screenshot(office, "loop-10-league-june.png")


def _league_cell(page, unit, column):
    headers = page.locator("#league thead th").all_inner_texts()
    cells = page.locator(f"#league tr[data-unit='{unit}'] td").all_inner_texts()
    return cells[headers.index(column)].strip()


def _proxy_section(analysis, meeting_url):
    analysis.goto(meeting_url)
    analysis.locator("#section-retail a.button").click()
    analysis.fill("#id_completion_text", "1-3月份社会消费品零售总额31.7亿元。")
    analysis.fill("#id_measures_text", "开展消费季活动。")
    with analysis.expect_navigation():
        analysis.click("#section-form button[type=submit]")
    assert "代报" in analysis.locator(".message.success").inner_text()
