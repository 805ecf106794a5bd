"""代报: the supervision office enters a progress report for a unit of its region that has no account, recorded as
such on the task page, in the JSON, in the audit trail and in the 倒查 chain; a unit with an account reports itself.

On the small 2020 plan (tests/work/conftest.py) with one more task, built here:
    4  曲堤镇安置区配套 — lead 曲堤镇人民政府 (no account in the cast), responsible 区财政局 (account: 郑财政) and
       历下区政府办公室 (no account, another district), in 双招双引
       4.1 完成配套设计  due Thu 30 Apr 2020
"""

import json
from datetime import date

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.orgs import services as org_services
from luoshi.orgs.models import Role
from luoshi.work import access as work_access
from luoshi.work import services
from luoshi.work.models import ProgressReport

QUTI = "370115101"  # 曲堤镇人民政府: no account


@pytest.fixture
def t4(cast, plan):
    u = cast.units
    task, _ = services.save_task(None, campaign=plan.zs, number="4", title="曲堤镇安置区配套", lead_unit=u.other_town,
                                 responsible_units=[u.caizheng, u.lixia_gov], start=date(2020, 3, 1),
                                 deadline=date(2020, 6, 30))
    services.save_milestone(None, task=task, number="4.1", title="完成配套设计", due=date(2020, 4, 30))
    return task


def report_url(task):
    return f"/work/tasks/{task.pk}/report"


def proxy_form(unit=QUTI, **extra):
    return {"percent": "35", "done_text": "设计方案已完成初稿", "on_behalf": unit, **extra}


def test_the_supervision_office_reports_for_a_unit_without_an_account_and_the_report_says_so(client_for, cast, t4,
                                                                                              may_12):
    client = client_for("li_ducha")
    response = client.post(report_url(t4), proxy_form(proxy_source="据曲堤镇党政办王主任电话报送"))
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=t4)
    assert (report.unit.code, report.submitted_by, report.proxy_by, report.proxy_label) == \
        (QUTI, cast.li_ducha, cast.li_ducha, "督查室 李督查")
    assert report.proxy_text == "代报（督查室 李督查）" and report.proxy_source == "据曲堤镇党政办王主任电话报送"
    page = client.get(f"/work/tasks/{t4.pk}/").content.decode()
    reports = page[page.index('id="reports"'):]
    assert "曲堤镇人民政府" in reports and "代报（督查室 李督查）" in reports and "据曲堤镇党政办王主任电话报送" in reports
    entry = AuditEntry.objects.get(action="报送进度（代报）")
    assert entry.actor == cast.li_ducha and entry.after["unit"] == QUTI
    assert entry.after["proxy_label"] == "代报（督查室 李督查）" and "曲堤镇人民政府未开通账号" in entry.note
    out = client.get(f"/api/v1/work/tasks/{t4.pk}").json()["reports"]
    assert out[0]["unit"] == QUTI and out[0]["percent"] == 35  # the keys there were before, unchanged
    assert out[0]["proxy"] == {"text": "代报（督查室 李督查）", "by": "li_ducha", "label": "督查室 李督查",
                               "source": "据曲堤镇党政办王主任电话报送"}


def test_a_units_own_report_has_no_proxy_in_the_json(client_for, plan, may_12):
    client = client_for("zhou_shangwu")
    created = client.post(f"/api/v1/work/tasks/{plan.t1.pk}/reports", json.dumps({"percent": 20}),
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["proxy"] is None
    page = client.get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert "代报（" not in page[page.index('id="reports"'):]


def test_the_office_reports_for_the_unit_through_the_api(client_for, cast, t4, may_12):
    response = client_for("li_ducha").post(f"/api/v1/work/tasks/{t4.pk}/reports", json.dumps(
        {"percent": 50, "on_behalf": QUTI, "proxy_source": "据微信报送"}), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["proxy"]["text"] == "代报（督查室 李督查）" and response.json()["unit"] == QUTI
    assert ProgressReport.objects.get(task=t4).source == "api"


def test_the_task_page_offers_proxy_reporting_only_for_the_units_without_an_account(client_for, plan, t4):
    ducha = client_for("li_ducha")
    page = ducha.get(f"/work/tasks/{t4.pk}/").content.decode()
    assert 'id="proxy-offer"' in page and 'id="proxy-fields"' in page and "代报进度" in page
    fields = page[page.index('id="proxy-fields"'):page.index("</fieldset>", page.index('id="proxy-fields"'))]
    assert f'value="{QUTI}"' in fields
    assert 'value="370115D04"' not in fields  # 财政局 has an account: it reports itself
    assert 'value="370102B02"' not in fields  # 历下区's office: not the office's region
    # Task 1: 商务局 and 济阳街道 have accounts, so the office is offered no form at all.
    one = ducha.get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert 'id="report-form"' not in one and 'id="proxy-fields"' not in one
    # A unit reporting on its own task sees its own form, no 代报.
    own = client_for("zhou_shangwu").get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert 'id="report-form"' in own and 'id="proxy-fields"' not in own and "报送进度" in own


def test_a_unit_with_an_account_cannot_be_reported_for(client_for, plan, t4, may_12):
    ducha = client_for("li_ducha")
    response = ducha.post(report_url(plan.t1), proxy_form("370115D03"))
    assert response.status_code == 403 and "「区商务局」已开通账号，须由本单位自行报送，不能代报" in response.content.decode()
    api = ducha.post(f"/api/v1/work/tasks/{t4.pk}/reports", json.dumps({"percent": 10, "on_behalf": "370115D04"}),
                     content_type="application/json")
    assert api.status_code == 403 and "「区财政局」已开通账号" in api.json()["error"]
    assert not ProgressReport.objects.exists() and not AuditEntry.objects.filter(action__contains="代报").exists()


def test_a_unit_whose_account_is_switched_off_may_be_reported_for(client_for, cast, plan, may_12):
    org_services.set_active(None, cast.zheng_caizheng, False)
    response = client_for("li_ducha").post(report_url(plan.t2), proxy_form("370115D04"))
    assert response.status_code == 302
    assert ProgressReport.objects.get(task=plan.t2).proxy_label == "督查室 李督查"


def test_another_regions_unit_cannot_be_reported_for(client_for, t4, lixia_office, may_12):
    # 历下区政府办公室 is a responsible unit of 济阳区's task 4 and has no account, but lies outside 济阳区.
    response = client_for("li_ducha").post(report_url(t4), proxy_form("370102B02"))
    assert response.status_code == 403 and "「历下区政府办公室」不在您所管理的地区" in response.content.decode()
    # 历下区's office reads no 济阳区 task, so it reports for none of its units either.
    other = client_for("liu_ducha").post(report_url(t4), proxy_form())
    assert other.status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_unit_that_is_not_on_the_task_cannot_be_reported_for(client_for, plan, may_12):
    response = client_for("li_ducha").post(report_url(plan.t1), proxy_form(QUTI))
    assert response.status_code == 403 and "不是重点任务「1 招商引资项目签约」的牵头单位或责任单位" in response.content.decode()


@pytest.mark.parametrize("username", ["zhou_shangwu", "zheng_caizheng", "sun_jiedao", "wu_cunju", "sun_leader",
                                      "zhao_fagai", "qian_tongji", "nobody"])
def test_units_reporters_leaders_and_the_other_offices_cannot_report_for_a_unit(client_for, t4, may_12, username):
    client = client_for(username)
    assert client.post(report_url(t4), proxy_form()).status_code == 403
    api = client.post(f"/api/v1/work/tasks/{t4.pk}/reports", json.dumps({"percent": 10, "on_behalf": QUTI}),
                      content_type="application/json")
    assert api.status_code == 403
    assert not ProgressReport.objects.exists()


def test_an_unknown_unit_is_404_and_a_long_source_is_refused_in_chinese(client_for, t4, may_12):
    ducha = client_for("li_ducha")
    assert ducha.post(report_url(t4), proxy_form("999")).status_code == 404
    response = ducha.post(report_url(t4), proxy_form(proxy_source="电" * 201))
    assert response.status_code == 400 and "报送来源不能超过200个字（现有201个字）" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_the_office_corrects_its_proxy_report_as_a_new_version_still_marked_as_proxy(client_for, t4, may_12):
    ducha = client_for("li_ducha")
    ducha.post(report_url(t4), proxy_form())
    first = ProgressReport.objects.get()
    form = ducha.get(f"/work/tasks/{t4.pk}/?corrects={first.pk}").content.decode()
    assert "代报更正" in form and f'name="on_behalf" value="{QUTI}"' in form
    response = ducha.post(report_url(t4), {"percent": "30", "corrects": first.pk, "correction_note": "核实后下调",
                                           "on_behalf": QUTI, "proxy_source": "据电话更正"})
    assert response.status_code == 302
    versions = list(ProgressReport.objects.order_by("version").values_list("version", "is_current", "percent",
                                                                         "proxy_label", "proxy_source"))
    assert versions == [(1, False, 35, "督查室 李督查", ""), (2, True, 30, "督查室 李督查", "据电话更正")]
    assert AuditEntry.objects.filter(action="更正进度报告（代报）").count() == 1


def test_once_the_unit_has_an_account_it_reports_itself_and_corrects_the_proxy_report(client_for, cast, t4, may_12):
    ducha = client_for("li_ducha")
    ducha.post(report_url(t4), proxy_form())
    first = ProgressReport.objects.get()
    quti = org_services.create_account(None, username="jiang_quti", password=cast.password, full_name="姜曲堤")
    org_services.assign_role(None, user=quti, role=Role.UNIT, unit=cast.units.other_town)
    refused = ducha.post(report_url(t4), proxy_form())
    assert refused.status_code == 403 and "「曲堤镇人民政府」已开通账号" in refused.content.decode()
    from django.test import Client

    unit = Client()
    unit.force_login(quti)
    assert unit.post(report_url(t4), {"percent": "40", "corrects": first.pk, "correction_note": "本单位核实"}).status_code == 302
    latest = ProgressReport.objects.get(is_current=True)
    assert (latest.version, latest.unit.code, latest.proxy_label, latest.submitted_by) == (2, QUTI, "", quti)
    assert ProgressReport.objects.get(version=1).proxy_label == "督查室 李督查"  # nothing lost


def test_the_analysis_office_reports_for_a_unit_on_a_meeting_decision_only(cast, t4, may_12):
    campaign = services.save_campaign(None, name="会议确定事项（测试会议）", source="meeting")
    task, _ = services.save_task(None, campaign=campaign, number="HY1-1", title="确保双过半", lead_unit=cast.units.other_town,
                                 start=date(2020, 4, 20), deadline=date(2020, 6, 30))
    assert work_access.proxy_units(cast.zhao_fagai, task) == [cast.units.other_town]
    report = services.submit_report(cast.zhao_fagai, task, percent=10, on_behalf=True, unit=cast.units.other_town)
    assert report.proxy_text == "代报（发改局 赵发改）"
    # On the district's own campaigns the analysis office reports for nobody.
    assert work_access.proxy_units(cast.zhao_fagai, t4) == []
    assert work_access.proxy_refusal(cast.zhao_fagai, t4, cast.units.other_town) == "只有督查室可以为未开通账号的单位代报进度"


def test_proxy_reporting_needs_a_signed_in_office_person(cast, t4, may_12):
    with pytest.raises(Rejected, match="代报须由督查室人员登录后操作"):
        services.submit_report(None, t4, percent=10, on_behalf=True, unit=cast.units.other_town)


def test_the_chain_tells_a_proxy_report(client_for, t4, may_12):
    ducha = client_for("li_ducha")
    ducha.post(report_url(t4), proxy_form(proxy_source="据电话报送"))
    chain = ducha.get(f"/api/v1/supervision/chain/tasks/{t4.pk}").json()
    texts = json.dumps(chain, ensure_ascii=False)
    assert "代报（督查室 李督查），据电话报送" in texts
