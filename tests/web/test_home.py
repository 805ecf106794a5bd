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


# --- the 驾驶舱 for leaders (issue #23): hand-built figures, tasks and decisions -----------------------------------

HEADLINE_DAY = "2020-12-05 10:00 +0800"  # the latest figures are 1-11月; GDP (quarterly) is read at 1-9月


def _text(html):
    """The words a reader sees: tags dropped."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _card(body, element_id):
    start = body.index(f'id="{element_id}"')
    return body[start:body.index("</a>", start)]


def _block(body, element_id):
    start = body.index(f'id="{element_id}"')
    return body[start:body.index("</section>", start)]


@pytest.fixture
def headline_city(cast):
    """济南市 with six counties; retail in 1-10月 and 1-11月 (济阳区 6th → 4th), GDP at 1-9月, 规上工业 growth only,
    and no 实际利用外资, 固投 or 一般公共预算收入 figure; 济阳区's targets for retail (value) and 规上工业 (growth)."""
    from datetime import date
    from decimal import Decimal

    from luoshi.indicators import services
    from luoshi.indicators.models import Indicator
    from luoshi.orgs import services as org_services
    from luoshi.orgs.models import RegionLevel
    from tests.indicators.conftest import CITY_COUNTIES
    from tests.indicators.test_table import figures

    services.ensure_catalog()
    catalog = {i.code: i for i in Indicator.objects.all()}
    city = {"370115": cast.jiyang, "370102": cast.lixia}
    for code, name in CITY_COUNTIES:
        city[code], _ = org_services.save_region(None, code=code, name=name, level=RegionLevel.COUNTY, parent=cast.city)
    oct_, nov, sep = date(2020, 10, 1), date(2020, 11, 1), date(2020, 9, 1)
    figures(catalog, city, "retail", oct_, {"370115": -6, "370102": 4, "370103": -5, "370104": 1, "370105": 0, "370112": -4},
            {"370115": Decimal("28.1")})
    figures(catalog, city, "retail", nov, {"370115": -3, "370102": 5, "370103": -4, "370104": 2, "370105": 1, "370112": -5},
            {"370115": Decimal("31.7"), "370102": Decimal("80")})
    figures(catalog, city, "gdp", date(2020, 6, 1), {"370115": 3.5, "370102": 3.0})  # 1st of 2 → 2nd of 3
    figures(catalog, city, "gdp", sep, {"370115": 4, "370102": 3.0, "370103": 5.0}, {"370115": Decimal("187.1234")})
    figures(catalog, city, "industry_va", nov, {"370115": -0.4, "370102": 6.0})
    services.save_targets(None, [
        {"region_id": cast.jiyang.pk, "indicator_id": catalog["retail"].pk, "year": 2020, "value": Decimal(100), "growth": None},
        {"region_id": cast.jiyang.pk, "indicator_id": catalog["industry_va"].pk, "year": 2020, "value": None,
         "growth": Decimal("7.5")},
    ])
    return city


@pytest.mark.both_databases
def test_the_headline_cards_say_value_growth_rank_change_and_light_as_documents_write_them(cast, headline_city,
                                                                                          client_for):
    import time_machine

    with time_machine.travel(HEADLINE_DAY, tick=False):
        body = client_for("sun_leader").get("/").content.decode()
    headline = _block(body, "dash-headline")
    assert "济阳区" in headline and "2020年1-11月" in headline
    assert re.findall(r'id="headline-(\w+)"', headline) == ["gdp", "industry_va", "fai", "retail", "budget_revenue", "fdi"]
    retail = _text(_card(body, "headline-retail"))
    # 31.7 of a 100 亿元 target after 11 months: 31.7% against 91.67% time progress, 59.97 points behind: red
    assert "31.70亿元" in retail and "下降3.0%" in retail and "全市第4位" in retail and "前移2位" in retail
    assert "低于序时进度59.97个百分点" in retail and 'class="light red" role="img" aria-label="红灯"' in _card(body, "headline-retail")
    assert 'class="headline headline-red" href="/indicators/i/retail/?region=370115" id="headline-retail"' in body
    gdp = _text(_card(body, "headline-gdp"))  # quarterly: at its latest quarter, labelled
    assert "1-9月" in gdp and "187.12亿元" in gdp and "增长4.0%" in gdp and "全市第2位" in gdp and "后移1位" in gdp
    industry = _text(_card(body, "headline-industry_va"))  # growth only: the growth is the figure, no value, no %-unit
    assert "下降0.4%" in industry and "全市第2位" in industry and "低于目标7.9个百分点" in industry
    assert "亿元" not in industry and "-0.4" not in industry
    for code in ("fdi", "fai", "budget_revenue"):
        assert "暂无数据" in _text(_card(body, f"headline-{code}"))
    assert "增长-" not in headline and "增长 -" not in headline


@pytest.mark.both_databases
def test_the_sparklines_carry_twelve_months_of_growth_in_a_data_block_after_the_page(cast, headline_city, client_for):
    import json

    import time_machine

    with time_machine.travel(HEADLINE_DAY, tick=False):
        body = client_for("sun_leader").get("/").content.decode()
    main = body.split("<main>")[1].split("</main>")[0]
    assert "<script" not in main  # CSP: the data block comes after the page, the script is a file
    data = json.loads(re.search(r'<script id="headline-data" type="application/json">(.*?)</script>', body).group(1))
    assert data["labels"][0] == "2019年1-12月" and data["labels"][-1] == "2020年1-11月" and len(data["labels"]) == 12
    cards = {c["id"]: c for c in data["cards"]}
    assert cards["spark-retail"]["growth"][-2:] == [-6.0, -3.0] and cards["spark-retail"]["words"][-1] == "下降3.0%"
    gdp = cards["spark-gdp"]["growth"]
    assert gdp[6] == 3.5 and gdp[9] == 4.0 and gdp.count(None) == 10  # the quarters only (1-6月, 1-9月)
    assert set(cards["spark-fdi"]["growth"]) == {None}
    assert 'src="/static/web/home.js"' in body or "web/home." in body


@pytest.mark.both_databases
def test_a_leader_of_lixia_sees_lixias_headline_never_jiyangs(cast, headline_city, client_for):
    import time_machine

    with time_machine.travel(HEADLINE_DAY, tick=False):
        body = client_for("ma_lixia").get("/").content.decode()
    headline = _block(body, "dash-headline")
    assert "历下区" in headline and "济阳区" not in headline
    retail = _text(_card(body, "headline-retail"))
    assert "80.00亿元" in retail and "增长5.0%" in retail and "全市第1位" in retail
    assert "31.70亿元" not in body and "187.12亿元" not in body


@pytest.mark.both_databases
@pytest.mark.parametrize("username", ["zhou_shangwu", "sun_jiedao", "wu_cunju", "nobody"])
def test_units_reporters_and_people_without_a_role_get_no_headline_indicators(cast, headline_city, client_for,
                                                                             username):
    import time_machine

    with time_machine.travel(HEADLINE_DAY, tick=False):
        body = client_for(username).get("/").content.decode()
    assert 'id="dash-headline"' not in body and "headline-data" not in body and "31.70亿元" not in body
    assert 'id="dash-decisions"' not in body


@pytest.mark.both_databases
@pytest.mark.parametrize("username", ["li_ducha", "zhao_fagai", "qian_tongji", "wang_admin"])
def test_the_offices_and_the_administrator_read_the_same_headline(cast, headline_city, client_for, username):
    import time_machine

    with time_machine.travel(HEADLINE_DAY, tick=False):
        body = client_for(username).get("/").content.decode()
    assert "31.70亿元" in _text(_card(body, "headline-retail"))


@pytest.mark.both_databases
def test_no_figures_at_all_is_said_in_words(cast, client_for):
    body = client_for("sun_leader").get("/").content.decode()
    assert "济阳区暂无指标数据" in _text(_block(body, "dash-headline"))


@pytest.mark.both_databases
def test_the_leaders_own_red_tasks_come_first_then_the_regions_and_never_another_districts(cast, client_for):
    """On 5 Dec 2020 every task of the small plan is red (its milestones months late). Task 1's responsible leader is
    孙区长; task 2 has none; task 3 is 历下区's."""
    import time_machine

    from tests.work.conftest import build_plan

    build_plan(cast)
    with time_machine.travel(HEADLINE_DAY, tick=False):
        sun = client_for("sun_leader").get("/").content.decode()
        ma = client_for("ma_lixia").get("/").content.decode()
    red = _block(sun, "dash-red")
    mine = red[red.index('id="red-mine"'):red.index('id="red-others"')]
    others = red[red.index('id="red-others"'):]
    assert "我分管的红灯任务" in red and red.index("我分管的红灯任务") < red.index("其他红灯任务")
    assert "招商引资项目签约" in mine and "合村并点安置区建设" not in mine
    assert "合村并点安置区建设" in others and "招商引资项目签约" not in others and "历下区协作事项" not in red
    assert re.search(r'href="/work/tasks/\d+/"', mine) and "严重滞后节点" in mine
    lixia = _block(ma, "dash-red")
    assert "历下区协作事项" in lixia and "招商引资项目签约" not in lixia and "我分管的红灯任务" not in lixia


@pytest.mark.both_databases
def test_a_task_naming_its_leader_only_by_name_counts_as_hers(cast, client_for):
    import time_machine

    from luoshi.work.models import Task
    from tests.work.conftest import build_plan

    plan = build_plan(cast)
    Task.objects.filter(pk=plan.t2.pk).update(leader_name="孙区长")  # no Person linked (an import that found nobody)
    with time_machine.travel(HEADLINE_DAY, tick=False):
        red = _block(client_for("sun_leader").get("/").content.decode(), "dash-red")
    mine = red[red.index('id="red-mine"'):]
    assert "招商引资项目签约" in mine and "合村并点安置区建设" in mine and 'id="red-others"' not in red


@pytest.mark.both_databases
def test_what_waits_for_the_leaders_decision_is_listed_with_links_oldest_first(cast, client_for):
    """A unit's 调整计划 request, a 处理建议 and a 考核加减分: the leader of 济阳区 decides all three; the supervision
    office only the unit's request; 历下区's leader none of them."""
    from datetime import date

    import time_machine

    from luoshi.supervision.consequences import services as consequences
    from luoshi.work import services as work_services
    from tests.work.conftest import build_plan

    plan = build_plan(cast)
    with time_machine.travel("2020-05-08 10:00 +0800", tick=False):
        work_services.set_plan(None, plan.zs)
        work_services.request_rebaseline(cast.zhou_shangwu, milestone=plan.m13, new_due=date(2020, 7, 31),
                                         reason="土地手续尚未办结")
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        made = consequences.propose(cast.li_ducha, unit=cast.units.caizheng, kind="talk", reason="两次逾期答复",
                                    task=plan.t2, on=date(2020, 5, 11))
        consequences.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.shangwu,
                                        period=date(2020, 4, 1), points=2, reason="招商引资成效突出")
        leader = client_for("sun_leader").get("/").content.decode()
        office = client_for("li_ducha").get("/").content.decode()
        lixia = client_for("ma_lixia").get("/").content.decode()
    waiting = _block(leader, "dash-decisions")
    assert "待我决策 <strong" in waiting and ">3</strong> 项" in waiting
    kinds = re.findall(r'<li data-kind="(\w+)"', waiting)
    assert kinds == ["rebaseline", "consequence", "adjustment"]  # 8 May, 11 May, 12 May
    text = _text(waiting)
    assert "1 招商引资项目签约：节点“项目开工”由6月30日调至7月31日" in text and "商务局 · 5月8日提出" in text
    assert f'href="/supervision/consequences/{made.pk}/"' in waiting and f'href="/work/tasks/{plan.t1.pk}/#rebaselines"' in waiting
    assert "区商务局2020年4月考核＋2分" in text and 'href="/supervision/league/?period=2020-04&amp;region=370115#adjustments"' in waiting
    assert 'href="/work/rebaselines/"' in waiting
    assert re.findall(r'<li data-kind="(\w+)"', _block(office, "dash-decisions")) == ["rebaseline"]
    assert "暂无待您决策的事项" in _block(lixia, "dash-decisions")


@pytest.mark.both_databases
def test_the_projects_the_leader_sponsors_come_with_his_red_tasks_and_their_reasons(cast, client_for):
    """孙区长 包保 年产10万吨新材料项目 (5000 of 20000 done by March); in December it is far behind 序时: red. The
    other projects are not his; 历下区's leader sponsors none and gets no such list."""
    import time_machine

    from tests.projects.conftest import build_projects

    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        pool = build_projects(cast)
    with time_machine.travel(HEADLINE_DAY, tick=False):
        sun = client_for("sun_leader").get("/").content.decode()
        ma = client_for("ma_lixia").get("/").content.decode()
    red = _block(sun, "dash-red")
    projects = red[red.index('id="dash-red-projects"'):]
    projects = projects.split('id="dash-red-others"')[0]  # each project is a task too (#24): others' red tasks follow
    assert "我包保的红灯项目" in projects and f'href="/projects/p/{pool.p1.pk}/"' in projects
    assert "年产10万吨新材料项目" in projects and "低于序时进度" in projects
    assert "济阳街道社区服务中心" not in projects and "智能装备产业园" not in projects
    assert 'href="/projects/table/?region=370115&amp;period=2020-12"' in projects
    assert "我包保的红灯项目" not in ma
