"""Reminders before the deadline to villages that have not reported; after it, the list to the town."""

import pytest
import time_machine
from django.core.management import call_command

from luoshi.daily import services
from luoshi.notify.models import Message
from tests.daily.conftest import DAY, at, submit

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_before_the_reminder_time(cast, form):
    assert services.send_reminders(now=at(DAY, 8, 59)) == 0
    assert Message.objects.count() == 0


def test_before_the_deadline_each_missing_village_reporter_is_reminded_once(cast, form):
    submit(cast, now=at(DAY, 8))
    assert services.send_reminders(now=at(DAY, 9, 10)) == 1
    message = Message.objects.get()
    assert message.recipient == cast.chen_cunju  # 东关村 already reported; 王家村 has no reporter account
    assert message.subject == "请在10:00前报送今天的「疫情防控日报」"
    assert message.status == Message.Status.SENT and message.channel == "inapp"
    assert services.send_reminders(now=at(DAY, 9, 40)) == 0  # a second run the same morning queues nothing
    assert Message.objects.count() == 1


def test_after_the_deadline_the_town_gets_its_list_of_missing_villages(cast, form):
    submit(cast, now=at(DAY, 8))
    assert services.send_reminders(now=at(DAY, 10, 5)) == 1
    message = Message.objects.get(recipient=cast.sun_jiedao)
    assert message.subject == "济阳街道4月14日「疫情防控日报」未报 1 个村（社区）"
    assert "西街社区（370115001202）" in message.body and "东关村" not in message.body
    assert message.link == "/daily/town/370115001/?date=2020-04-14&form=yiqing"


def test_reminder_time_follows_the_form_setting(cast, form):
    services.change_form(cast.li_ducha, form, remind_minutes_before=30)
    assert services.send_reminders(now=at(DAY, 9, 10)) == 0
    assert services.send_reminders(now=at(DAY, 9, 31)) == 2


def test_the_reporter_reads_the_reminder_in_the_inbox(cast, client_for, form):
    with time_machine.travel(at(DAY, 9, 30), tick=False):
        call_command("daily", "remind")
        c = client_for("wu_cunju")
        html = c.get("/inbox/").content.decode()
        assert "请在10:00前报送今天的「疫情防控日报」" in html and "未读 1 条" in html
        c.post("/inbox/")
        assert "未读 0 条" in c.get("/inbox/").content.decode()
        assert "请在10:00前" not in client_for("sun_jiedao").get("/inbox/").content.decode()
