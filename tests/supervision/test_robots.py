"""Notices follow the work to the group robots (fake 企业微信 / 钉钉 servers on 127.0.0.1): the opened notice reaches
the unit's robot through the worker's dispatch job with an absolute link and an @ of the unit's mobile; a reminder,
an escalation (to the district's robot, @ing the responsible leader) and a return; the sweep run twice sends once;
an e-mail copy for a person who chose e-mail; a hostile task title arrives as text, cut to the robot's size."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from luoshi.jobs import runner
from luoshi.notify import channels
from luoshi.notify import services as notify_services
from luoshi.notify.models import Message
from luoshi.orgs.models import Person
from luoshi.supervision import services, sweep
from luoshi.supervision.models import Notice
from luoshi.work import services as work_services
from tests.notify.conftest import fake_robots  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

ZHOU, SUN = "13800001111", "13900002222"


@pytest.fixture
def mobiles(cast):
    Person.objects.filter(user=cast.zhou_shangwu).update(phone=ZHOU)  # 区商务局's person
    Person.objects.filter(user=cast.sun_leader).update(phone=SUN)  # task 1's responsible leader


@pytest.fixture
def unit_robot(cast, fake_robots):  # noqa: F811
    fake = fake_robots("wecom")
    notify_services.add_robot(None, kind="wecom", url=fake.url, unit=cast.units.shangwu, name="商务局工作群")
    return fake


@pytest.fixture
def district_robot(cast, fake_robots):  # noqa: F811
    fake = fake_robots("dingtalk", token="dt-jiyang-0123")
    notify_services.add_robot(None, kind="dingtalk", url=fake.url, region=cast.jiyang, name="区领导工作群")
    return fake


def contents(fake):
    """What each call said: a 企业微信 text or markdown, a 钉钉 markdown."""
    out = []
    for body in fake.received:
        part = body.get("text") or body["markdown"]
        out.append(part.get("content") or part.get("text"))
    return out


def notice_url(notice, base="http://127.0.0.1:8000"):
    return base + reverse("supervision:notice", args=[notice.pk])


@pytest.mark.both_databases
def test_the_opened_notice_reaches_the_units_robot_through_the_worker_with_a_link_and_an_at(
        plan, cast, may_12, mobiles, unit_robot, settings):
    settings.LUOSHI_BASE_URL = "https://luoshi.example.gov.cn"
    sweep.sweep(may_12)
    notice = Notice.objects.get(task=plan.t1)
    assert unit_robot.calls == 0  # queued, not sent: the worker's dispatch job sends it, nobody runs `notify send`
    assert runner.run("dispatch").startswith("发件箱：已发送")
    assert unit_robot.calls == 1  # the opened notice and the April 缺报 reminder, one digest call
    payload = unit_robot.received[0]
    assert payload["msgtype"] == "text" and payload["text"]["mentioned_mobile_list"] == [ZHOU]
    text = payload["text"]["content"]
    assert "【收到督办单督办〔2020〕1号，请于2020年5月19日前答复】" in text and "缺报提醒" in text
    assert f"查看：{notice_url(notice, 'https://luoshi.example.gov.cn')}" in text
    # one message per event for the robot, whatever the number of people; other units' events stay off it
    assert Message.objects.filter(robot__isnull=False).count() == 2
    assert "合村并点" not in text


@pytest.mark.both_databases
def test_running_the_sweep_twice_sends_each_event_to_the_robot_once(plan, mobiles, unit_robot):
    with time_machine.travel("2020-05-13 10:00 +0800", tick=False):
        sweep.sweep(date(2020, 5, 12))
        notify_services.dispatch()
        sweep.sweep(date(2020, 5, 12))
        sweep.sweep(date(2020, 5, 13))  # still red, the notice still open: nothing new to say
        notify_services.dispatch()
    assert unit_robot.calls == 1 and len(unit_robot.received) == 1
    assert Message.objects.filter(robot__isnull=False).count() == 2


def test_reminder_escalation_and_return_each_reach_the_robots(plan, cast, may_12, mobiles, unit_robot, district_robot):
    notice = services.open_notice(cast.li_ducha, plan.t1, on=may_12)
    notify_services.dispatch()
    assert len(unit_robot.received) == 1 and district_robot.received == []  # 督办单下发: the unit's, not the district's

    services.remind(cast.li_ducha, notice, on=date(2020, 5, 13))  # 催办
    notify_services.dispatch()
    assert "督办单督办〔2020〕1号待答复，请于2020年5月19日前答复" in contents(unit_robot)[1]
    assert unit_robot.received[1]["text"]["mentioned_mobile_list"] == [ZHOU]

    services.escalate(cast.li_ducha, notice, on=date(2020, 5, 20))  # 升级: the leaders' group, @ the leader
    notify_services.dispatch()
    [escalated] = district_robot.received
    assert escalated["at"] == {"atMobiles": [SUN], "isAtAll": False}
    assert escalated["markdown"]["title"] == "升级督办：督办〔2020〕1号 招商引资项目签约"
    assert escalated["markdown"]["text"].endswith(f"[在 luoshi 中查看]({notice_url(notice)})\n\n@{SUN}")
    assert "督办单督办〔2020〕1号逾期未答复，已升级督办" in contents(unit_robot)[2]  # the unit hears of it too

    services.reply(cast.zhou_shangwu, notice, "已约谈企业。", on=date(2020, 5, 21))
    services.return_notice(cast.li_ducha, notice, "措施不具体。", on=date(2020, 5, 22))  # 退回重办
    notify_services.dispatch()
    assert "督办〔2020〕1号被退回，请于2020年5月29日前重新答复" in contents(unit_robot)[3]
    assert notice_url(notice) in contents(unit_robot)[3]
    assert len(unit_robot.received) == 4 and len(district_robot.received) == 1


def test_a_person_who_chose_email_gets_the_notice_by_email_with_an_absolute_link(plan, cast, may_12, settings):
    settings.LUOSHI_BASE_URL = ""
    notify_services.save_preferences(cast.zhou_shangwu, email_kinds_chosen=["notice"], email="zhou@shangwu.example.cn")
    notice = services.open_notice(cast.li_ducha, plan.t1, on=may_12)
    notify_services.dispatch()
    [sent] = mail.outbox
    assert sent.to == ["zhou@shangwu.example.cn"] and sent.subject == "收到督办单督办〔2020〕1号，请于2020年5月19日前答复"
    assert f"查看：{notice_url(notice)}" in sent.body
    services.remind(cast.li_ducha, notice, on=date(2020, 5, 13))
    notify_services.dispatch()
    assert len(mail.outbox) == 2
    assert not [m for m in mail.outbox if "zheng" in m.to[0]]


HOSTILE_TITLE = "招商[点我](http://evil.example/x) <@all> @all **粗**"


def test_a_hostile_task_title_reaches_the_robots_as_text_cut_to_their_size(plan, cast, may_12, fake_robots):  # noqa: F811
    wecom, dingtalk = fake_robots("wecom"), fake_robots("dingtalk", token="dt-shangwu-0123")
    notify_services.add_robot(None, kind="wecom", url=wecom.url, unit=cast.units.shangwu)
    notify_services.add_robot(None, kind="dingtalk", url=dingtalk.url, unit=cast.units.shangwu)
    task, _ = work_services.save_task(None, campaign=plan.zs, number="9", title=HOSTILE_TITLE,
                                      lead_unit=cast.units.shangwu, start=date(2020, 3, 1), deadline=date(2020, 6, 30))
    reason = "请说明[原因](http://evil.example/r)。" + "情况" * 2400
    notice = services.open_notice(cast.li_ducha, task, on=may_12, reason=reason)
    notify_services.dispatch()
    link = f"[在 luoshi 中查看]({notice_url(notice)})"
    for fake in (wecom, dingtalk):
        [text] = contents(fake)
        assert "招商［点我］(http：//evil.example/x) ＜＠all＞ ＠all ＊＊粗＊＊" in text
        assert "http://evil" not in text and "@all" not in text and "<@" not in text
        assert text.count("](") == 1 and text.endswith(link)  # luoshi's own link, kept after the cut
        assert "内容过长已截断" in text and len(text.encode()) <= channels.LIMIT_BYTES[fake.kind]
    assert "at" not in dingtalk.received[0] and wecom.received[0]["msgtype"] == "markdown"  # nobody to @
