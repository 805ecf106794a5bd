"""E-mail: a person's 消息设置 adds an e-mail copy; text and HTML parts, a Chinese subject encoded correctly;
through Django's test outbox and through a real SMTP server (aiosmtpd) on 127.0.0.1; an invalid address fails
with a clear reason; a refused SMTP connection is retried."""

import email
import email.header
import email.policy
import socket

import pytest
from django.core import mail

from luoshi.notify import services
from luoshi.notify.models import Message

pytestmark = pytest.mark.django_db


def choose_email(user, address="zhou@shangwu.example.cn", kinds=("notice",)):
    services.save_preferences(user, email_kinds_chosen=list(kinds), email=address)


def test_a_kind_chosen_for_email_also_arrives_by_email_with_text_and_html(cast, settings):
    settings.LUOSHI_BASE_URL = "https://luoshi.example.gov.cn"
    choose_email(cast.zhou_shangwu)
    services.queue_message(cast.zhou_shangwu, "收到督办单〔2020〕1号，请于4月20日前答复", "请按时答复。",
                           link="/supervision/1/", kind="notice", dedupe_key="sv:n1:opened")
    services.queue_message(cast.zhou_shangwu, "日报提醒", kind="daily_remind")  # not chosen: in-app only
    assert services.dispatch().sent == 3
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["zhou@shangwu.example.cn"] and sent.subject.startswith("收到督办单")
    assert "请按时答复。" in sent.body and "https://luoshi.example.gov.cn/supervision/1/" in sent.body
    html, mime = sent.alternatives[0]
    assert mime == "text/html" and "<h3>收到督办单〔2020〕1号" in html
    raw = sent.message().as_bytes()
    assert b"=?utf-8?" in raw  # the subject header is RFC 2047 encoded, not raw UTF-8
    assert set(Message.objects.values_list("channel", "dedupe_key").filter(subject__startswith="收到")) == {
        ("inapp", "sv:n1:opened"), ("email", "sv:n1:opened")}


def test_queuing_again_with_the_same_key_adds_no_second_email(cast):
    choose_email(cast.zhou_shangwu)
    for _ in range(2):
        services.queue_message(cast.zhou_shangwu, "督办", kind="notice", dedupe_key="k1")
    assert Message.objects.filter(channel="email").count() == 1


def test_an_invalid_address_fails_at_once_with_a_clear_reason(cast):
    choose_email(cast.zhou_shangwu)
    type(cast.zhou_shangwu).objects.filter(pk=cast.zhou_shangwu.pk).update(email="不是邮箱")
    services.queue_message(cast.zhou_shangwu, "督办", kind="notice")
    result = services.dispatch()
    assert (result.sent, result.failed) == (1, 1)
    assert Message.objects.get(channel="email").error == "邮箱地址无效：不是邮箱"
    assert mail.outbox == []


def test_the_settings_refuse_an_invalid_address_and_save_nothing(cast):
    from luoshi.core.problems import Rejected

    with pytest.raises(Rejected, match="邮箱地址「abc@」格式不正确"):
        services.save_preferences(cast.zhou_shangwu, email_kinds_chosen=["notice"], email="abc@")
    cast.zhou_shangwu.refresh_from_db()
    assert cast.zhou_shangwu.email == "" and services.email_kinds(cast.zhou_shangwu) == set()


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as MessageHandler

    received = []

    class Keep(MessageHandler):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def test_email_goes_through_a_real_smtp_server_and_a_refused_connection_is_retried(cast, settings, smtp_server):
    port, received = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 5
    settings.DEFAULT_FROM_EMAIL = "luoshi@example.gov.cn"
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "0"
    choose_email(cast.zhou_shangwu)
    services.queue_message(cast.zhou_shangwu, "升级督办：商务局", "正文", kind="notice")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = s.getsockname()[1]  # nobody listens here
    assert services.dispatch().retrying == 1
    assert "邮件发送失败" in Message.objects.get(channel="email").error
    settings.EMAIL_PORT = port
    assert services.dispatch().sent == 1
    assert len(received) == 1
    parsed = email.message_from_bytes(received[0].as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "升级督办：商务局" and parsed["To"] == "zhou@shangwu.example.cn"
    assert sorted(p.get_content_type() for p in parsed.walk() if not p.is_multipart()) == ["text/html", "text/plain"]
