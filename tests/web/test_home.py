import re
from unittest import mock

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXPECTED_ROLE = {
    "wang_admin": "系统管理员",
    "sun_leader": "领导</strong>：济阳区",
    "li_ducha": "督查室</strong>：济阳区",
    "zhao_fagai": "发改局（经济分析）</strong>：济阳区",
    "qian_tongji": "统计局</strong>：济阳区",
    "zhou_shangwu": "责任单位</strong>：区商务局",
    "sun_jiedao": "责任单位</strong>：济阳街道办事处",
    "wu_cunju": "村居填报员</strong>：济阳街道东关村村民委员会",
}


@pytest.mark.parametrize("username", list(EXPECTED_ROLE))
def test_home_shows_each_role_and_its_scope(client_for, username):
    body = client_for(username).get("/").content.decode()
    assert EXPECTED_ROLE[username] in body


def test_user_without_a_role_is_told_to_ask_the_administrator(client_for):
    assert "尚未分配角色" in client_for("nobody").get("/").content.decode()


def test_navigation_lists_the_five_sections(client_for):
    body = client_for("sun_leader").get("/").content.decode()
    for title in ["经济运行", "重点工作", "督查督办", "村居日报", "会议材料"]:
        assert title in body
    assert "即将上线" not in body  # every section is built (会议材料 last, issue #14)
    assert 'href="/briefings/"' in body


def nav_titles(body):
    nav = body[body.index('<nav class="mainnav"'):body.index("</nav>")]
    return re.findall(r'class="navitem[^"]*"[^>]*>([^<]+)', nav)


@pytest.mark.parametrize("username, expected", [
    ("sun_leader", ["经济运行", "重点工作", "督查督办", "村居日报", "会议材料", "重点项目", "组织机构"]),
    ("zhou_shangwu", ["经济运行", "重点工作", "督查督办", "会议材料", "重点项目", "组织机构"]),  # a department: no daily reports
    ("sun_jiedao", ["经济运行", "重点工作", "督查督办", "村居日报", "会议材料", "重点项目", "组织机构"]),
    ("wu_cunju", ["村居日报", "组织机构"]),  # a village reporter: only what they can open
    ("nobody", ["组织机构"]),
])
def test_navigation_shows_each_role_only_the_sections_it_can_open(client_for, username, expected):
    body = client_for(username).get("/").content.decode()
    assert nav_titles(body) == expected
    cards = body[body.index('<div class="cards">'):]
    assert ("经济运行" in cards) == ("经济运行" in expected)


def test_audit_link_is_shown_to_administrators_only(client_for):
    assert "审计日志" in client_for("wang_admin").get("/").content.decode()
    assert "审计日志" not in client_for("sun_leader").get("/").content.decode()


def test_demo_notice_appears_only_when_the_demo_is_loaded(client_for):
    from luoshi.web.models import SiteFlag

    client = client_for("sun_leader")
    assert "演示数据" not in client.get("/").content.decode()
    SiteFlag.set(SiteFlag.DEMO_LOADED)
    assert "示意数据" in client.get("/").content.decode()


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_does_not(client):
    with mock.patch("luoshi.web.views.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_tokens_page_creates_shows_once_and_revokes(client_for, cast):
    client = client_for("qian_tongji")
    page = client.post("/account/tokens/new", {"name": "统计同步"}, follow=True).content.decode()
    raw = re.search(r'id="new-token">(ls_[^<]+)<', page).group(1)
    assert "只显示这一次" in page
    assert raw not in client.get("/account/tokens/").content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 200
    token = cast.qian_tongji.api_tokens.get()
    client.post(f"/account/tokens/{token.pk}/revoke")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401


def test_empty_token_name_is_refused_in_chinese(client_for, cast):
    page = client_for("qian_tongji").post("/account/tokens/new", {"name": "  "}, follow=True).content.decode()
    assert "请填写令牌名称" in page
    assert not cast.qian_tongji.api_tokens.exists()


def test_a_user_cannot_revoke_another_users_token(client_for, cast):
    from luoshi.orgs import services

    token, _ = services.create_api_token(cast.sun_leader, cast.sun_leader, "区长脚本")
    assert client_for("qian_tongji").post(f"/account/tokens/{token.pk}/revoke").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_favicon_is_a_small_icon_served_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00" and len(response.content) < 4096


def test_a_units_milestone_due_on_a_holiday_is_not_late_before_its_effective_due_date(cast):
    """1.2 is due Fri 1 May 2020 (五一 1–5 May, effective Wed 6 May): on Wed 6 May it is not late yet; 1.1 (due Thu
    30 Apr) is one working day late."""
    from datetime import date

    from luoshi.web.dashboard import unit_home
    from tests.work.conftest import build_plan

    build_plan(cast)
    home = unit_home(cast.zhou_shangwu, date(2020, 5, 6))
    assert [m.number for m in home["late"]] == ["1.1"] and [m.number for m in home["due"]] == ["1.2"]


def test_a_units_home_lists_milestones_late_for_months_apart_from_those_due_soon_and_a_town_sees_its_villages(
        cast, client_for):
    import time_machine

    from tests.daily.conftest import build_form
    from tests.work.conftest import build_plan

    build_plan(cast)
    build_form(cast)  # 东关村 and 西街社区 of 济阳街道 report daily from 1 April 2020
    with time_machine.travel("2020-06-20 10:00 +0800", tick=False):
        body = client_for("sun_jiedao").get("/").content.decode()  # 济阳街道: responsible on task 1
    unit = body[body.index('id="home-unit"'):]
    late = unit[unit.index('id="home-unit-late"'):unit.index('id="home-unit-due"')]
    soon = unit[unit.index('id="home-unit-due"'):]
    # 1.1 (30 Apr) and 1.2 (1 May) are weeks late: listed as late, not as "due in 14 days"; 1.3 (30 Jun) is due soon
    assert "完成项目洽谈" in late and "签订合作协议" in late and "2020年4月30日到期，已逾期" in late
    assert "项目开工" in soon[:soon.index("</ul>")] and "完成项目洽谈" not in soon
    daily = body[body.index('id="dash-daily"'):]
    daily = daily[:daily.index("</section>")]
    assert "今日村居日报" in daily and "缺报 <strong" in daily and "应报 2" in daily  # its two villages, none reported
    other = client_for("zhou_shangwu").get("/").content.decode()
    assert 'id="dash-daily"' not in other  # a department has no villages
