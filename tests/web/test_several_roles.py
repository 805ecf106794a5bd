"""A person with several roles: 赵发改 (zhao_fagai), the district's analysis office, is also given the unit role of his
own bureau, 区发展和改革局 (as the demo's fagai is). He keeps doing the analysis office's work and, as the unit, answers
the notices sent to 发改局, writes its meeting sections and reports on its tasks; the home page shows both; the header
and the people page show every role; an administrator adds and takes away the second role alone.

Task 5 (built here): 重大项目前期工作 — lead 区发展和改革局, in 双招双引, 5.1 完成项目储备 due Thu 30 Apr 2020.
"""

from datetime import date

import pytest

from luoshi.briefings.models import Section
from luoshi.indicators import services as indicator_services
from luoshi.orgs import services as org_services
from luoshi.orgs.models import Role, RoleAssignment
from luoshi.supervision import services as notice_services
from luoshi.supervision.models import NoticeState
from luoshi.work import services as work_services
from luoshi.work.models import ProgressReport
from tests.work.conftest import may_12, plan  # noqa: F401  (fixtures)


@pytest.fixture
def two_roles(cast):
    """zhao_fagai: analysis office of 济阳区 and unit 区发展和改革局."""
    org_services.assign_role(None, user=cast.zhao_fagai, role=Role.UNIT, unit=cast.units.fagai)
    return cast.zhao_fagai


@pytest.fixture
def t5(cast, plan):
    task, _ = work_services.save_task(None, campaign=plan.zs, number="5", title="重大项目前期工作", lead_unit=cast.units.fagai,
                                      start=date(2020, 3, 1), deadline=date(2020, 6, 30))
    work_services.save_milestone(None, task=task, number="5.1", title="完成项目储备", due=date(2020, 4, 30))
    return task


@pytest.fixture
def notice(cast, t5, may_12):
    return notice_services.open_notice(cast.li_ducha, t5, on=may_12)


def test_with_the_unit_role_he_answers_a_notice_to_his_bureau_and_is_told_of_it(client_for, cast, two_roles, notice):
    assert two_roles in notice_services.notice_readers(notice)  # the message's link opens for him
    client = client_for("zhao_fagai")
    page = client.get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert 'id="reply-form"' in page
    response = client.post(f"/supervision/notices/{notice.pk}/reply", {"text": "已召开专题会议，5月20日前完成项目储备。"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.REPLIED


def test_without_the_unit_role_the_analysis_office_neither_reads_nor_answers_the_notice(client_for, cast, notice):
    assert cast.zhao_fagai not in notice_services.notice_readers(notice)
    response = client_for("zhao_fagai").post(f"/supervision/notices/{notice.pk}/reply", {"text": "x"})
    assert response.status_code == 403


def test_he_reports_on_his_bureaus_task_and_still_enters_the_districts_figures(client_for, cast, two_roles, t5,
                                                                               may_12):
    client = client_for("zhao_fagai")
    page = client.get(f"/work/tasks/{t5.pk}/").content.decode()
    assert 'id="report-form"' in page and 'id="proxy-fields"' not in page
    assert client.post(f"/work/tasks/{t5.pk}/report", {"percent": "30", "done_text": "储备项目12个"}).status_code == 302
    report = ProgressReport.objects.get(task=t5)
    assert (report.unit, report.submitted_by, report.proxy_label) == (cast.units.fagai, two_roles, "")
    # The analysis office's work goes on: a 济阳区 figure, a meeting.
    indicator_services.ensure_catalog()
    figure = client.post("/indicators/i/retail/figure", {"region": "370115", "period": "2020-03", "value": "31.7",
                                                          "growth": "3.5"})
    assert figure.status_code == 302
    index = client.get("/work/").content.decode()
    assert 'id="mine-link"' in index and 'id="campaigns"' in index  # the office's overview, with his unit's tasks a click away


def test_he_writes_his_bureaus_meeting_section_as_the_unit_and_still_organises_the_meeting(client_for, cast, two_roles):
    indicator_services.ensure_catalog()
    from luoshi.indicators.models import Indicator

    fai = Indicator.objects.get(code="fai")
    indicator_services.save_responsibilities(None, [{"region_id": cast.jiyang.pk, "indicator_id": fai.pk,
                                                     "unit_id": cast.units.fagai.pk}])
    client = client_for("zhao_fagai")
    opened = client.post("/briefings/meetings/open", {"title": "2020年一季度经济形势分析会", "region": "370115",
                                                      "period": "2020-03", "held_on": "2020-04-20",
                                                      "sections_due": "2020-04-17"})
    assert opened.status_code == 302
    from luoshi.briefings.models import Meeting

    meeting = Meeting.objects.get()
    page = client.get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    fai_card = page[page.index('id="section-fai"'):page.index("</div>", page.index('id="section-fai"'))]
    assert "填写材料" in fai_card and "?on_behalf=1" not in fai_card  # his own bureau's: written as the unit
    assert client.post(f"/briefings/meetings/{meeting.pk}/sections/fai", {"reasons_text": "项目开工推迟"}).status_code == 302
    section = Section.objects.get()
    assert (section.unit, section.submitted_by, section.proxy_label) == (cast.units.fagai, two_roles, "")
    assert client.post(f"/briefings/meetings/{meeting.pk}/state", {"action": "close"}).status_code == 302


def test_the_home_page_shows_the_office_dashboard_and_his_units_own_work(client_for, cast, two_roles, t5, notice,
                                                                       may_12):
    other = notice_services.open_notice(cast.li_ducha, cast.units.shangwu.led_tasks.first(), on=may_12)
    body = client_for("zhao_fagai").get("/").content.decode()
    assert 'id="dashboard"' in body and 'id="dash-work"' in body  # the analysis office's 驾驶舱
    unit = body[body.index('id="home-unit"'):]
    assert "本单位的工作（发改局）" in unit and "完成项目储备" in unit
    assert notice.number in unit and other.number not in unit  # only the notices sent to his bureau


def test_a_town_government_that_is_also_an_office_sees_its_villages_daily_card_once(client_for, cast, may_12):
    from luoshi.daily import services as daily_services
    from tests.daily.conftest import FIELDS

    form = daily_services.define_form(cast.li_ducha, code="yiqing", title="疫情防控日报", region=cast.jiyang, fields=FIELDS)
    daily_services.assign_villages(cast.li_ducha, form, ["370115001"], date(2020, 4, 1))
    org_services.assign_role(None, user=cast.sun_jiedao, role=Role.LEADER, region=cast.jiyang)
    body = client_for("sun_jiedao").get("/").content.decode()
    assert 'id="dashboard"' in body and 'id="home-unit"' in body
    assert body.count('id="dash-daily"') == 1


def test_a_plain_analysis_office_home_has_no_unit_card(client_for):
    body = client_for("zhao_fagai").get("/").content.decode()
    assert 'id="dashboard"' in body and 'id="home-unit"' not in body


def test_the_header_and_the_home_page_list_every_role(client_for, two_roles):
    body = client_for("zhao_fagai").get("/").content.decode()
    header = body[body.index('id="usermenu-roles"'):body.index("</div>", body.index('id="usermenu-roles"'))]
    assert "发改局（经济分析）：济阳区" in header and "责任单位：区发展和改革局" in header
    roles = body[body.index('id="my-roles"'):]
    assert "发改局（经济分析）</strong>：济阳区" in roles and "责任单位</strong>：区发展和改革局" in roles


def test_an_administrator_adds_a_second_role_and_takes_it_away_alone(client_for, cast):
    admin = client_for("wang_admin")
    added = admin.post(f"/orgs/people/{cast.zhao_fagai.pk}/role", {"role": "unit", "scope": "370115D01"}, follow=True)
    text = added.content.decode()
    assert "已为 zhao_fagai 增加角色：责任单位：区发展和改革局（现有 2 个角色）" in text
    row = text[text.index("赵发改"):text.index("</tr>", text.index("赵发改"))]
    assert "发改局（经济分析）</strong>：济阳区" in row and "责任单位</strong>：区发展和改革局" in row
    assert row.count("撤销此角色") == 2 and "再增加一个角色" in row
    again = admin.post(f"/orgs/people/{cast.zhao_fagai.pk}/role", {"role": "unit", "scope": "370115D01"}, follow=True)
    assert "已有角色：责任单位：区发展和改革局，未重复授予" in again.content.decode()
    unit_role = RoleAssignment.objects.get(user=cast.zhao_fagai, role=Role.UNIT)
    removed = admin.post(f"/orgs/people/{cast.zhao_fagai.pk}/role", {"remove": unit_role.pk}, follow=True)
    assert "已撤销 zhao_fagai 的角色：责任单位：区发展和改革局（其余 1 个角色保留）" in removed.content.decode()
    assert list(RoleAssignment.objects.filter(user=cast.zhao_fagai).values_list("role", flat=True)) == [Role.ANALYSIS]


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha", "zhao_fagai", "zhou_shangwu", "wu_cunju", "nobody"])
def test_only_administrators_give_a_second_role(client_for, cast, username):
    response = client_for(username).post(f"/orgs/people/{cast.zhou_shangwu.pk}/role", {"role": "unit",
                                                                                        "scope": "370115D04"})
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(user=cast.zhou_shangwu).count() == 1


def test_a_person_who_is_both_reporter_and_unit_reports_on_tasks_only_as_the_unit(cast, plan):
    """A village reporter's unit (a village committee) is no unit to report key work for, even beside a unit role."""
    from luoshi.work import access as work_access

    work_services.save_task(None, campaign=plan.zs, number="6", title="东关村道路硬化", lead_unit=cast.units.village,
                            start=date(2020, 3, 1), deadline=date(2020, 6, 30))
    from luoshi.work.models import Task

    task = Task.objects.get(number="6")
    org_services.assign_role(None, user=cast.wu_cunju, role=Role.UNIT, unit=cast.units.caizheng)
    assert work_access.reporting_units(cast.wu_cunju, task) == []
    assert work_access.reporting_units(cast.wu_cunju, plan.t2) == [cast.units.caizheng]
