"""The outbox: queue, dedupe, dispatch through channels, in-app inbox."""

import pytest
from django.core.management import call_command

from luoshi.core.problems import Rejected
from luoshi.notify import services
from luoshi.notify.models import Message

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


def test_a_queued_message_is_not_in_the_inbox_until_dispatched(cast):
    message, created = services.queue_message(cast.wu_cunju, "请报送日报", "正文")
    assert created and message.status == Message.Status.QUEUED
    assert list(services.inbox(cast.wu_cunju)) == []
    assert services.dispatch() == (1, 0, 0, 0)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.sent_at is not None
    assert list(services.inbox(cast.wu_cunju)) == [message]
    assert services.unread_count(cast.wu_cunju) == 1


def test_the_same_dedupe_key_queues_one_message(cast):
    first, _ = services.queue_message(cast.wu_cunju, "提醒", dedupe_key="k")
    second, created = services.queue_message(cast.wu_cunju, "提醒", dedupe_key="k")
    assert not created and second.pk == first.pk and Message.objects.count() == 1


def test_a_failing_channel_keeps_its_message_for_a_retry_and_the_others_still_go(cast, settings):
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "0"
    def broken(message):
        raise RuntimeError("短信网关不可用")

    services.register_channel("sms-test", broken, "测试短信")
    try:
        services.queue_message(cast.wu_cunju, "短信", channel="sms-test")
        services.queue_message(cast.wu_cunju, "站内")
        assert services.dispatch() == (1, 1, 0, 0)
        waiting = Message.objects.get(channel="sms-test")
        assert waiting.status == Message.Status.RETRY and waiting.error == "短信网关不可用"
        assert services.dispatch() == (0, 0, 1, 0)
        failed = Message.objects.get(channel="sms-test")
        assert failed.status == Message.Status.FAILED
        assert [(a.ok, a.error) for a in failed.attempt_log.all()] == [(False, "短信网关不可用")] * 2
    finally:
        services.CHANNELS.pop("sms-test")


def test_unknown_channel_and_empty_subject_are_refused(cast):
    with pytest.raises(Rejected, match="未知的消息渠道「fax」"):
        services.queue_message(cast.wu_cunju, "x", channel="fax")
    with pytest.raises(Rejected, match="消息标题不能为空"):
        services.queue_message(cast.wu_cunju, " ")
    assert Message.objects.count() == 0


def test_mark_read_touches_only_the_users_own_messages(cast):
    services.queue_message(cast.wu_cunju, "甲")
    services.queue_message(cast.chen_cunju, "乙")
    services.dispatch()
    assert services.mark_read(cast.wu_cunju) == 1
    assert services.unread_count(cast.chen_cunju) == 1


def test_dispatch_command(cast, capsys):
    services.queue_message(cast.wu_cunju, "甲")
    call_command("notify", "dispatch")
    assert Message.objects.get().status == Message.Status.SENT
