"""Writes stay inside the writer's unit or region: corrections of one's own unit's reports only, and plan management
(plan, report cycle, re-baselining, schedule imports) only within the supervision office's region."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.core.problems import Rejected
from luoshi.orgs import services as org_services
from luoshi.work import services
from luoshi.work.models import Campaign, Milestone, ProgressReport, Rebaseline, Task
from luoshi.work.transfers import import_schedule
from tests.work.test_transfers import _plan_snapshot, row, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]


def api_client(user):
    _, raw = org_services.create_api_token(user, user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def reports_state():
    return list(ProgressReport.objects.order_by("id").values_list("id", "unit_id", "version", "is_current", "percent")), \
        list(Milestone.objects.order_by("id").values_list("id", "done_on"))


@pytest.fixture
def lead_report(cast, plan):
    """区商务局 (lead unit of task 1) reported 完成项目洽谈 done."""
    return services.submit_report(cast.zhou_shangwu, plan.t1, percent=40, done_text="洽谈完成",
                                  completions=[(plan.m11, date(2020, 4, 29))])


# Corrections: only of one's own unit's report


def test_responsible_unit_cannot_correct_the_lead_units_report_through_the_form(client_for, plan, lead_report):
    before = reports_state()
    response = client_for("sun_jiedao").post(f"/work/tasks/{plan.t1.pk}/report", {
        "percent": "0", "done_text": "撤回", "corrects": lead_report.pk, "correction_note": "更正"})
    assert response.status_code == 403
    assert "只能更正本单位的报告" in response.content.decode()
    assert reports_state() == before
    assert Milestone.objects.get(pk=plan.m11.pk).done_on == date(2020, 4, 29)


def test_responsible_unit_cannot_correct_the_lead_units_report_through_the_api(cast, plan, lead_report):
    before = reports_state()
    response = api_client(cast.sun_jiedao).post(
        f"/api/v1/work/tasks/{plan.t1.pk}/reports",
        json.dumps({"percent": 0, "corrects": lead_report.pk, "correction_note": "更正"}), content_type="application/json")
    assert response.status_code == 403
    assert "只能更正本单位的报告" in response.json()["error"]
    assert reports_state() == before


def test_a_unit_corrects_its_own_report_and_the_correction_stays_in_its_units_name(cast, plan, lead_report):
    own = services.submit_report(cast.sun_jiedao, plan.t1, percent=20, done_text="街道配合完成")
    response = api_client(cast.sun_jiedao).post(
        f"/api/v1/work/tasks/{plan.t1.pk}/reports",
        json.dumps({"percent": 25, "corrects": own.pk, "correction_note": "百分比有误"}), content_type="application/json")
    assert response.status_code == 201
    correction = ProgressReport.objects.get(pk=response.json()["id"])
    assert (correction.unit, correction.series, correction.version) == (cast.units.town, own.series, 2)
    assert ProgressReport.objects.get(pk=lead_report.pk).is_current


def test_an_administrator_corrects_as_the_lead_unit_only(cast, plan, lead_report):
    responsible = services.submit_report(cast.sun_jiedao, plan.t1, percent=20)
    with pytest.raises(PermissionDenied, match="只能更正本单位的报告"):
        services.submit_report(cast.wang_admin, plan.t1, percent=0, corrects=responsible, correction_note="更正")
    correction = services.submit_report(cast.wang_admin, plan.t1, percent=45, corrects=lead_report, correction_note="更正")
    assert correction.unit == cast.units.shangwu and correction.version == 2


def test_a_report_of_another_task_cannot_be_corrected(cast, plan):
    other = services.submit_report(cast.zheng_caizheng, plan.t2, percent=10)
    with pytest.raises(Rejected, match="更正的报告不属于该任务"):
        services.submit_report(cast.zhou_shangwu, plan.t1, percent=0, corrects=other, correction_note="更正")
    assert ProgressReport.objects.get(pk=other.pk).is_current and ProgressReport.objects.count() == 1


def test_correction_link_and_form_only_for_the_own_units_reports(client_for, cast, plan, lead_report):
    own = services.submit_report(cast.sun_jiedao, plan.t1, percent=20)
    client = client_for("sun_jiedao")
    page = client.get(f"/work/tasks/{plan.t1.pk}/").content.decode()
    assert f"?corrects={own.pk}#report" in page and f"?corrects={lead_report.pk}#report" not in page
    assert client.get(f"/work/tasks/{plan.t1.pk}/?corrects={lead_report.pk}").context.get("corrects") is None
    assert client.get(f"/work/tasks/{plan.t1.pk}/?corrects={own.pk}").context["corrects"] == own


# Plan management: only within the office's region


def test_another_districts_office_cannot_set_the_plan_or_the_cycle_of_a_jiyang_campaign(client_for, lixia_office, plan):
    client = client_for("liu_ducha")
    assert client.post(f"/work/campaigns/{plan.zs.pk}/set-plan").status_code == 403
    assert client.post(f"/work/campaigns/{plan.zs.pk}/cycle", {"report_cycle": "weekly"}).status_code == 403
    campaign = Campaign.objects.get(pk=plan.zs.pk)
    assert (campaign.plan_set_at, campaign.report_cycle) == (None, "monthly")
    with pytest.raises(PermissionDenied, match="所管理地区以外"):
        services.set_plan(lixia_office, plan.zs)
    with pytest.raises(PermissionDenied):
        services.save_campaign(lixia_office, name="双招双引", report_cycle="weekly")
    assert Campaign.objects.get(pk=plan.zs.pk).report_cycle == "monthly"


def test_a_campaign_holding_another_districts_task_is_changed_only_by_an_administrator(client_for, plan):
    # 合村并点 holds 济阳区's task 2 and 历下区's task 3.
    client = client_for("li_ducha")
    assert client.post(f"/work/campaigns/{plan.hc.pk}/cycle", {"report_cycle": "weekly"}).status_code == 403
    assert client.post(f"/work/campaigns/{plan.hc.pk}/set-plan").status_code == 403
    assert Campaign.objects.get(pk=plan.hc.pk).report_cycle == "monthly"
    index = client.get("/work/?on=2020-05-07").content.decode()
    assert f"/work/campaigns/{plan.zs.pk}/cycle" in index and f"/work/campaigns/{plan.hc.pk}/cycle" not in index
    assert client_for("wang_admin").post(f"/work/campaigns/{plan.hc.pk}/cycle", {"report_cycle": "weekly"}).status_code == 302
    assert Campaign.objects.get(pk=plan.hc.pk).report_cycle == "weekly"


def test_another_districts_office_cannot_rebaseline_a_jiyang_milestone(client_for, cast, lixia_office, plan):
    services.set_plan(cast.li_ducha, plan.zs)
    response = client_for("liu_ducha").post(f"/work/milestones/{plan.m11.pk}/rebaseline",
                                            {"new_due": "2020-05-15", "reason": "疫情影响"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.request_rebaseline(lixia_office, milestone=plan.m11, new_due=date(2020, 5, 15), reason="疫情影响")
    with pytest.raises(PermissionDenied):
        services.save_milestone(lixia_office, task=plan.t1, number="1.1", title="改名", due=date(2020, 4, 30))
    assert Milestone.objects.get(pk=plan.m11.pk).due == date(2020, 4, 30) and not Rebaseline.objects.exists()
    # The district's own office may ask; a leader of the district approves.
    client_for("li_ducha").post(f"/work/milestones/{plan.m11.pk}/rebaseline", {"new_due": "2020-05-15", "reason": "疫情影响"})
    request = Rebaseline.objects.get()
    assert client_for("liu_ducha").post(f"/work/rebaselines/{request.pk}/approve").status_code == 403
    assert client_for("sun_leader").post(f"/work/rebaselines/{request.pk}/approve").status_code == 302
    assert Milestone.objects.get(pk=plan.m11.pk).due == date(2020, 5, 15)


def test_another_districts_office_cannot_rewrite_a_jiyang_task_by_importing_a_schedule(client_for, cast, lixia_office, plan):
    before = _plan_snapshot()
    sheet = xlsx([row("1", task="已被改写", lead="历下区府办", responsible="历下督查室", campaign="历下攻坚"),
                  row("1.1", task="已被改写", milestone="改写的节点", lead="", campaign="历下攻坚")])
    response = client_for("liu_ducha").post("/work/schedule/import/", {"file": SimpleUploadedFile("配档表.xlsx", sheet)})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert "工作表「配档表」第2行「序号」列：序号 1 的重点任务「招商引资项目签约」属于其他地区（牵头单位：区商务局），您无权修改" in problems
    assert "工作表「配档表」第3行「序号」列：序号 1.1 的节点属于其他地区的重点任务「招商引资项目签约」，您无权修改" in problems
    assert _plan_snapshot() == before
    with pytest.raises(PermissionDenied):
        services.save_task(lixia_office, campaign=plan.zs, number="1", title="已被改写", lead_unit=cast.units.lixia_gov,
                           start=date(2020, 3, 1), deadline=date(2020, 6, 30))
    assert _plan_snapshot() == before


def test_an_office_cannot_make_another_districts_unit_lead_or_responsible(cast, plan):
    before = _plan_snapshot()
    with pytest.raises(Rejected) as info:
        import_schedule(xlsx([row("9", task="新任务", lead="历下区府办", campaign="新攻坚战"),
                              row("10", task="另一任务", responsible="历下区府办", campaign="新攻坚战")]),
                        filename="配档表.xlsx", actor=cast.li_ducha)
    assert info.value.messages == [
        "工作表「配档表」第2行「牵头单位」列：单位「历下区政府办公室」不在您所管理的地区，不能作为牵头单位",
        "工作表「配档表」第3行「责任单位」列：单位「历下区政府办公室」不在您所管理的地区，不能作为责任单位"]
    assert _plan_snapshot() == before and not Campaign.objects.filter(name="新攻坚战").exists()


def test_an_office_cannot_import_into_a_campaign_holding_another_districts_task(cast, plan):
    before = _plan_snapshot()
    with pytest.raises(Rejected) as info:
        import_schedule(xlsx([row("2", task="合村并点安置区建设", lead="区财政局", campaign="合村并点")]),
                        filename="配档表.xlsx", actor=cast.li_ducha)
    assert info.value.messages == [
        "工作表「配档表」第2行「攻坚战」列：攻坚战「合村并点」已有其他地区的重点任务，您无权修改（请改用本地区的攻坚战名称）"]
    assert _plan_snapshot() == before


def test_another_districts_office_imports_its_own_plan(client_for, cast, lixia_office, plan):
    sheet = xlsx([row("L1", task="历下区营商环境提升", lead="历下区府办", responsible="历下督查室", campaign="历下攻坚"),
                  row("L1.1", task="历下区营商环境提升", milestone="出台方案", lead="", due="2020-04-30", campaign="历下攻坚"),
                  row("3", task="历下区协作事项", lead="历下区府办", start="2020-03-01", due="2020-05-31", campaign="历下攻坚")])
    response = client_for("liu_ducha").post("/work/schedule/import/", {"file": SimpleUploadedFile("配档表.xlsx", sheet)})
    assert response.status_code == 302
    task = Task.objects.get(number="L1")
    assert task.lead_unit == cast.units.lixia_gov and task.milestones.get().title == "出台方案"
    # Its own region's existing task (3) moved to its campaign; 济阳区's tasks are as they were.
    assert Task.objects.get(number="3").deadline == date(2020, 5, 31)
    assert Task.objects.get(number="1").title == "招商引资项目签约"


def test_the_command_line_import_as_a_unit_is_refused(cast, plan, tmp_path, capsys):
    from django.core.management import call_command

    before = _plan_snapshot()
    sheet = tmp_path / "配档表.xlsx"
    sheet.write_bytes(xlsx([row("1", task="已被改写")]))
    with pytest.raises(SystemExit) as info:
        call_command("import", "schedule", str(sheet), "--user", "zhou_shangwu")
    assert info.value.code == 1 and "不是督查室，不能导入配档表" in capsys.readouterr().err
    assert _plan_snapshot() == before
