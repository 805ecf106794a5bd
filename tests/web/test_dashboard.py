"""The 驾驶舱 and the other roles' home pages on the demo district of 12 May 2020 (issue #15): numbers counted here
straight from the tables, each a link to the page behind it."""

import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings

from tests.conftest import FAST_HASHERS, committed_data

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo_may_12(django_db_setup, django_db_blocker):
    """`luoshi demo --as-of 2020-05-12` once for the module, the clock at that morning for all its tests."""
    def build():
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            call_command("demo", "--as-of", "2020-05-12", stdout=io.StringIO())

    with time_machine.travel("2020-05-12 10:00 +0800", tick=False), committed_data(django_db_blocker, build):
        yield


def _signed_in(username):
    from django.contrib.auth import get_user_model

    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    return c


def _section(body, element_id):
    start = body.index(f'id="{element_id}"')
    return body[start:body.index("</section>", start)]


def test_the_leaders_dashboard_counts_lights_overdue_missing_reports_notices_and_messages_each_a_link(
        demo_may_12, django_assert_max_num_queries):
    from datetime import date

    from luoshi.daily.models import DailyReport, FormAssignment
    from luoshi.notify.models import Message
    from luoshi.supervision.models import OPEN_STATES, Notice
    from luoshi.work import queries, rules

    client = _signed_in("leader")
    # A few queries per block, none per task: indicators and the headline (with its trend) ~12, key work and its red
    # tasks ~10 (one of them the tasks serving indicators, whose light follows theirs), the decisions 5 (the projects'
    # 增补/退库 one), the leader's sponsored projects (the 调度表's judgement) 7, daily, notices, messages; the key work's
    # parts read from the database (work.judged) and, judged here as of today, stored for the other processes (an
    # INSERT in a savepoint: 3).
    with django_assert_max_num_queries(56):
        body = client.get("/").content.decode()
    work = _section(body, "dash-work")
    board = queries.board(date(2020, 5, 12))
    for light, label in rules.LIGHT_LABELS.items():
        n = sum(1 for t in board.tasks if t["light"] == light)
        assert f'<span class="light {light}"></span>{label} <strong>{n}</strong>' in work
    assert "双招双引攻坚战" in work and 'href="/work/gantt/?campaign=' in work
    serious = sum(1 for m in board.milestones if m["status"] == rules.SERIOUSLY_OVERDUE)
    overdue = _section(body, "dash-overdue")
    assert re.search(rf'<strong class="(bad)?">{serious}</strong> 个', overdue)
    assert 'href="/supervision/chain/overdue/"' in overdue
    expected = FormAssignment.objects.filter(starts_on__lte=date(2020, 5, 12)).exclude(ends_on__lt=date(2020, 5, 12)).count()
    reported = DailyReport.objects.filter(day=date(2020, 5, 12), is_current=True).count()
    daily = _section(body, "dash-daily")
    assert f"已报 {reported} / 应报 {expected}" in daily and 'href="/daily/?form=' in daily
    supervision = _section(body, "dash-supervision")
    assert f"在办督办单 <strong>{Notice.objects.filter(state__in=OPEN_STATES).count()}</strong> 件" in supervision
    assert 'href="/supervision/notices/?overdue=1"' in supervision
    unread = Message.objects.filter(recipient__username="leader", channel="inapp", status="sent", read_at__isnull=True).count()
    assert f"未读 <strong>{unread}</strong> 条" in _section(body, "dash-messages")
    indicators = _section(body, "dash-indicators")
    assert 'href="/indicators/?region=370115&amp;period=' in indicators and "双过半预判" in indicators
    assert "<script" not in body.split("</main>")[0].split("<main>")[1]  # CSP: no inline script on the page


@pytest.mark.parametrize("username", ["ducha", "fagai", "admin"])
def test_the_offices_and_the_administrator_also_open_on_the_dashboard(demo_may_12, username):
    body = _signed_in(username).get("/").content.decode()
    assert 'id="dashboard"' in body and 'id="dash-work"' in body


def test_a_unit_sees_its_milestones_due_soon_and_its_open_notices_and_no_dashboard(demo_may_12):
    body = _signed_in("shangwu").get("/").content.decode()
    assert 'id="dashboard"' not in body
    unit = body[body.index('id="home-unit"'):]
    assert "近 14 天到期的节点" in unit and 'href="/work/tasks/' in unit
    assert "督办〔2020〕" in unit and 'href="/supervision/notices/' in unit


def test_a_village_reporter_sees_todays_status_and_a_big_report_button(demo_may_12):
    from datetime import date

    from luoshi.daily.models import DailyReport

    body = _signed_in("cunju").get("/").content.decode()
    assert 'id="dashboard"' not in body
    reporter = body[body.index('id="home-reporter"'):]
    assert 'class="button dash-report" href="/daily/report/"' in reporter
    DailyReport.objects.filter(day=date(2020, 5, 12), village__name="东关村").delete()
    reporter = _signed_in("cunju").get("/").content.decode()
    assert "东关村 · " in reporter and "未报" in reporter and "填报今日日报" in reporter


def test_the_demo_leader_opens_on_the_headline_his_decisions_and_the_red_tasks(demo_may_12):
    """王晓明 (区长) on 12 May 2020: six headline cards, GDP at 1-3月; the 济阳街道's 调整计划 request of 11 May waits
    for him; the red tasks of the district (none of his own is red)."""
    from datetime import date

    from luoshi.work import queries, rules

    body = _signed_in("leader").get("/").content.decode()
    headline = _section(body, "dash-headline")
    assert len(re.findall(r'id="headline-\w+"', headline)) == 6 and "1-3月" in headline
    waiting = _section(body, "dash-decisions")
    assert '<li data-kind="rebaseline">' in waiting and "背街小巷综合整治" in waiting and "5月11日提出" in waiting
    red = _section(body, "dash-red")
    board = queries.board(date(2020, 5, 12))
    assert f'>{sum(1 for t in board.tasks if t["light"] == rules.RED)}</strong> 项' in red
    assert body.index('id="dash-headline"') < body.index('id="dash-decisions"') < body.index('id="dash-work"')
