"""Follow-up items (会议确定事项): each a key-work task in the meeting's campaign, with a milestone due on its deadline
that turns late; the analysis office manages those tasks and no others."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from luoshi.briefings import services
from luoshi.briefings.models import FollowUp
from luoshi.core.problems import Rejected
from luoshi.work import services as work_services
from luoshi.work.models import Campaign, Task
from tests.briefings.conftest import api_post


def add(client, meeting, **change):
    data = {"title": "确保二季度目标任务“双过半”", "lead_unit": "370115D01", "deadline": "2020-06-30", **change}
    return client.post(f"/briefings/meetings/{meeting.pk}/follow-ups/add", data)


def test_analysis_office_records_a_decision_as_a_task_in_the_meetings_campaign(client_for, cast, meeting):
    assert add(client_for("zhao_fagai"), meeting).status_code == 302
    item = FollowUp.objects.get()
    task = item.task
    assert task.campaign.name == "会议确定事项（2020年一季度经济形势分析会）" and task.campaign.source == "meeting"
    assert (task.lead_unit.code, task.deadline, task.start) == ("370115D01", date(2020, 6, 30), date(2020, 4, 20))
    assert [(m.title, m.due) for m in task.milestones.all()] == [("完成：确保二季度目标任务“双过半”", date(2020, 6, 30))]
    assert item.number == task.number == f"HY{meeting.pk}-1"


def test_a_follow_up_turns_late_in_key_work_after_its_deadline(client_for, cast, meeting):
    add(client_for("li_ducha"), meeting, deadline="2020-05-15")
    with time_machine.travel(date(2020, 6, 20)):
        page = client_for("zhao_fagai").get(f"/briefings/meetings/{meeting.pk}/").content.decode()
        listed = client_for("sun_leader").get(f"/api/v1/briefings/meetings/{meeting.pk}/follow-ups").json()
    assert listed[0]["status"] in ("overdue", "seriously_overdue") and listed[0]["light"] == "red"
    assert "滞后" in page[page.index('id="follow-ups"'):]
    work_page = client_for("sun_leader").get(f"/work/tasks/{FollowUp.objects.get().task_id}/")
    assert work_page.status_code == 200 and "会议确定事项（2020年一季度经济形势分析会）" in work_page.content.decode()


@pytest.mark.parametrize("change, message", [
    ({"title": ""}, "事项内容不能为空"),
    ({"deadline": "2020-06-31"}, "不是真实的日期"),
    ({"deadline": "2020-04-01"}, "早于会议日期"),
    ({"lead_unit": "370102B02"}, "牵头单位「历下区政府办公室」不属于济阳区"),
])
def test_bad_follow_up_input_is_refused_and_nothing_is_saved(client_for, meeting, change, message):
    response = add(client_for("zhao_fagai"), meeting, **change)
    assert response.status_code == 400 and message in response.content.decode()
    assert not FollowUp.objects.exists() and not Task.objects.exists() and not Campaign.objects.exists()


def test_the_api_adds_and_lists_follow_ups(client_for, meeting):
    client = client_for("zhao_fagai")
    created = api_post(client, f"/api/v1/briefings/meetings/{meeting.pk}/follow-ups",
                       {"title": "加快外资项目落地", "lead_unit": "370115D03", "deadline": "2020-06-30"})
    assert created.status_code == 200 and created.json()["number"] == f"HY{meeting.pk}-1"
    api_post(client, f"/api/v1/briefings/meetings/{meeting.pk}/follow-ups",
             {"title": "稳住财政收入", "lead_unit": "370115D04", "deadline": "2020-06-30"})
    assert [f["title"] for f in client.get(f"/api/v1/briefings/meetings/{meeting.pk}/follow-ups").json()] == \
        ["加快外资项目落地", "稳住财政收入"]


def test_the_analysis_office_manages_tasks_of_meeting_campaigns_only(cast, meeting):
    item = services.add_follow_up(cast.zhao_fagai, meeting, title="加快外资项目落地", lead_unit=cast.units.shangwu,
                                  deadline="2020-06-30")
    task = item.task
    work_services.save_milestone(cast.zhao_fagai, task=task, number=f"{task.number}.2", title="签约两个项目",
                                 due=date(2020, 5, 31))
    assert task.milestones.count() == 2
    ordinary = work_services.save_campaign(None, name="项目建设攻坚战")
    with pytest.raises(PermissionDenied):
        work_services.save_task(cast.zhao_fagai, campaign=ordinary, number="1.1", title="新开工项目", start=date(2020, 1, 1),
                                lead_unit=cast.units.fagai, deadline=date(2020, 12, 31))
    plain = work_services.save_task(None, campaign=ordinary, number="1.1", title="新开工项目", start=date(2020, 1, 1),
                                    lead_unit=cast.units.fagai, deadline=date(2020, 12, 31))[0]
    with pytest.raises(PermissionDenied):
        work_services.save_milestone(cast.zhao_fagai, task=plain, number="1.1.1", title="开工", due=date(2020, 3, 1))


def test_a_same_named_ordinary_campaign_is_not_taken_over(cast, meeting):
    work_services.save_campaign(None, name="会议确定事项（2020年一季度经济形势分析会）")
    with pytest.raises(Rejected, match="已有同名的攻坚战"):
        services.add_follow_up(cast.li_ducha, meeting, title="x", lead_unit=cast.units.fagai, deadline="2020-06-30")
    assert not FollowUp.objects.exists() and not Task.objects.exists()


def test_the_analysis_office_gets_the_plan_controls_on_a_follow_up_tasks_page(client_for, cast, meeting):
    add(client_for("zhao_fagai"), meeting)
    task = FollowUp.objects.get().task
    html = client_for("zhao_fagai").get(f"/work/tasks/{task.pk}/").content.decode()
    assert "调整计划" in html  # the plan is not set: the office changes the due date on the page
    ordinary = client_for("zhao_fagai").get("/work/")
    assert ordinary.status_code == 200


def test_the_lead_unit_list_offers_departments_offices_and_towns_and_no_village_and_selects_none(cast, meeting,
                                                                                                client_for):
    body = client_for("zhao_fagai").get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    select = body[body.index('<select name="lead_unit"'):]
    select = select[:select.index("</select>")]
    assert select.index('<option value="">请选择牵头单位</option>') < select.index('label="区直部门"') \
        < select.index('label="机关办公室"') < select.index('label="镇街政府"')
    assert "区发展和改革局" in select and "济阳街道办事处" in select
    assert "村民委员会" not in select and "居民委员会" not in select and " selected" not in select
