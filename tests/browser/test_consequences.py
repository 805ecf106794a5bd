"""结果运用 in headless Chromium: 区财政局 answers two notices late (built with the services, the clock moved with
time_machine: the live server runs in this process) → the daily sweep proposes 约谈 → the leader sees it waiting and
approves it on the page (his note hostile text, shown as text) → the decision's .docx downloads and reads back (title,
文号, the notices' facts, the date in Chinese) → 区财政局 reads it on a phone in its 结果运用 record."""

import io
from datetime import date

import pytest
import time_machine
from docx import Document

from luoshi.supervision import sweep
from luoshi.supervision.consequences.models import Consequence
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.supervision.consequences.conftest import answer_late_twice
from tests.work.conftest import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x id=pwned onerror="document.title=1">请主要负责同志来谈'


@pytest.fixture
def session_cookies(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # the browser's clock is real: a 2020 expiry would be past


def test_late_twice_the_sweep_proposes_an_interview_the_leader_approves_and_the_docx_reads_back(
        page, phone_page, live_server, session_cookies):
    errors = []
    for p in (page, phone_page):
        p.on("pageerror", lambda error: errors.append(str(error)))
    with time_machine.travel("2020-05-12 09:30 +0800", tick=True):
        cast = build_cast()
        plan = build_plan(cast)
        answer_late_twice(cast, plan)
        result = sweep.sweep(date(2020, 5, 12))
        assert [(c.unit.name, c.kind) for c in result.proposals] == [("区财政局", "interview")]
        proposal = Consequence.objects.get()

        leader = page
        sign_in(leader, live_server, "sun_leader", cast.password)
        leader.goto(f"{live_server.url}/supervision/consequences/")
        waiting = leader.locator("#pending-for-me")
        assert "对区财政局的处理建议：约谈" in waiting.inner_text()
        keep_screenshot(leader, "consequences-pending-for-leader.png")
        with leader.expect_navigation():
            waiting.locator("a", has_text="对区财政局的处理建议").click()
        facts = leader.locator("#consequence-fact-lines").inner_text()
        assert "督办〔2020〕1号" in facts and "逾期 2 个工作日" in facts and "督办〔2020〕2号" in facts
        leader.fill("#id_approve_note", HOSTILE)
        with leader.expect_navigation():
            leader.locator("#approve-form button[type=submit]").click()
        assert "已同意：关于对区财政局进行约谈的通知（济阳督查〔2020〕1号）" in leader.locator(".message.success").inner_text()
        assert leader.locator("#decision-number").inner_text() == "济阳督查〔2020〕1号"
        assert HOSTILE in leader.locator("#decision-note").inner_text() and leader.locator("#pwned").count() == 0
        assert leader.locator("#approve-form").count() == 0  # decided: final
        keep_screenshot(leader, "consequences-approved.png")

        with leader.expect_download() as download:
            leader.click("#decision-docx")
        data = open(download.value.path(), "rb").read()
        assert download.value.suggested_filename.endswith(".docx")
        lines = [p.text for p in Document(io.BytesIO(data)).paragraphs]
        assert "关于对区财政局进行约谈的通知" in lines and "济阳督查〔2020〕1号" in lines and "区财政局：" in lines
        body = "\n".join(lines)
        assert "督办〔2020〕1号（重点任务「2 合村并点安置区建设」）：2020年3月2日开具，答复时限2020年3月9日，" \
               "2020年3月11日答复，逾期 2 个工作日" in body
        assert f"领导批示：{HOSTILE}" in body
        assert lines[-2:] == ["济阳区督查室", "2020年5月12日"]

        unit = phone_page
        sign_in(unit, live_server, "zheng_caizheng", cast.password)
        unit.goto(f"{live_server.url}/supervision/consequences/units/370115D04/")
        row = unit.locator(f"#unit-consequences tr[data-consequence='{proposal.pk}']")
        assert "约谈" in row.inner_text() and "济阳督查〔2020〕1号" in row.inner_text()
        assert unit.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        keep_screenshot(unit, "consequences-unit-phone.png")
    assert errors == []
