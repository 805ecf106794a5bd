"""Opening a meeting (材料征集): who opens it, bad input, the units asked and reminded, the meeting page."""

from datetime import date

import pytest

from luoshi.briefings import services
from luoshi.briefings.models import Meeting
from luoshi.core.problems import Rejected
from luoshi.notify.models import Message
from tests.briefings.conftest import api_post

FORM = {"title": "2020年一季度经济形势分析会", "region": "370115", "period": "2020-03", "held_on": "2020-04-20",
        "sections_due": "2020-04-15"}


def test_analysis_office_opens_a_meeting_and_each_responsible_unit_is_asked_once(client_for, cast, owners):
    response = client_for("zhao_fagai").post("/briefings/meetings/open", FORM)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/briefings/meetings/{meeting.pk}/"
    assert (meeting.region, meeting.period, meeting.state, meeting.published) == (cast.jiyang, "2020-03", "collecting", False)
    asked = {m.recipient.username: m for m in Message.objects.all()}
    assert set(asked) == {"zhou_shangwu", "zheng_caizheng"}  # 统计局 has nobody with the unit role in the cast
    assert "4月15日前" in asked["zhou_shangwu"].subject
    assert "实际利用外资" in asked["zhou_shangwu"].body and "进出口总额" in asked["zhou_shangwu"].body


@pytest.mark.parametrize("change, message", [
    ({"title": ""}, "会议名称不能为空"),
    ({"period": "2020-13"}, "数据期间"),
    ({"held_on": "2020-02-30"}, "会议日期「2020-02-30」不是真实的日期"),
    ({"sections_due": "2020-04-25"}, "材料报送截止日期不能晚于会议日期"),
    ({"title": "会" * 81}, "会议名称不能超过80个字"),
])
def test_bad_meeting_input_is_refused_in_chinese_and_nothing_is_saved(client_for, owners, change, message):
    response = client_for("zhao_fagai").post("/briefings/meetings/open", {**FORM, **change})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Meeting.objects.exists() and not Message.objects.exists()


def test_a_second_meeting_with_the_same_title_is_refused(cast, meeting):
    with pytest.raises(Rejected, match="已有名为「2020年一季度经济形势分析会」的会议"):
        services.open_meeting(cast.li_ducha, title=meeting.title, held_on="2020-04-21", region=cast.jiyang,
                              period="2020-03", sections_due="2020-04-16")
    assert Meeting.objects.count() == 1


def test_reminders_go_the_day_before_the_deadline_to_units_that_have_not_submitted_and_only_once(cast, owners, meeting):
    services.submit_section(cast.zheng_caizheng, meeting, owners["budget_revenue"], cast.units.caizheng,
                            completion_text="一季度完成4.2亿元。")
    before = Message.objects.count()
    assert services.remind_sections(on=date(2020, 4, 13)) == 0  # two days before: nothing yet
    assert services.remind_sections(on=date(2020, 4, 14)) == 1
    assert services.remind_sections(on=date(2020, 4, 14)) == 0  # the sweep running twice queues nothing more
    reminder = Message.objects.order_by("-id").first()
    assert Message.objects.count() == before + 1 and reminder.recipient == cast.zhou_shangwu
    assert "明天（4月15日）截止" in reminder.subject


def test_a_closed_meeting_is_not_reminded(cast, meeting):
    services.set_state(cast.zhao_fagai, meeting, "closed")
    assert services.remind_sections(on=date(2020, 4, 14)) == 0


def test_the_meeting_page_shows_who_has_and_has_not_submitted(client_for, cast, owners, meeting):
    services.submit_section(cast.zhou_shangwu, meeting, owners["fdi"], cast.units.shangwu, reasons_text="新设外资项目到账。")
    page = client_for("zhao_fagai").get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    submissions = page[page.index('id="submissions"'):page.index("</table>", page.index('id="submissions"'))]
    rows = {code: submissions[submissions.index(f'data-unit="{code}"'):][:400] for code in ("370115D02", "370115D03", "370115D04")}
    assert "1/2" in rows["370115D03"] and "未报送" in rows["370115D03"]  # 外资 written, 进出口 not
    assert "0/1" in rows["370115D02"] and "0/1" in rows["370115D04"]
    assert "新设外资项目到账。" in page
    assert "累计2000万美元，增长35.2%" in page  # the indicator table's figures beside the section, in words


def test_closing_and_publishing_through_the_page_and_the_api(client_for, cast, meeting):
    client = client_for("sun_leader")
    client.post(f"/briefings/meetings/{meeting.pk}/state", {"action": "publish"})
    assert api_post(client, f"/api/v1/briefings/meetings/{meeting.pk}/close", {}).json()["state"] == "closed"
    meeting.refresh_from_db()
    assert meeting.published and meeting.state == "closed"


def test_the_api_opens_and_lists_meetings(client_for, cast, owners):
    client = client_for("li_ducha")
    created = api_post(client, "/api/v1/briefings/meetings", FORM)
    assert created.status_code == 200 and created.json()["period"] == "2020-03"
    bad = api_post(client, "/api/v1/briefings/meetings", {**FORM, "title": "另一个", "period": "2020年13月"})
    assert bad.status_code == 400 and "数据期间" in bad.json()["error"]
    assert [m["title"] for m in client.get("/api/v1/briefings/meetings").json()] == [FORM["title"]]


def test_the_remind_command_reminds_the_day_before_and_refuses_a_bad_date(cast, meeting, capsys):
    from django.core.management import call_command

    call_command("briefings", "remind", "--on", "2020-04-14")
    assert "已提醒 2 人" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exited:
        call_command("briefings", "remind", "--on", "2020-04-31")
    assert exited.value.code == 1 and "不是真实的日期" in capsys.readouterr().err
