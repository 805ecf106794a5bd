"""Robots through the outbox against fake 企业微信 / 钉钉 servers: delivery, 加签, errors followed by the retry that
succeeds, backoff, every attempt kept, 发送失败 after the last, digest, throttling, long bodies."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from luoshi.notify import services
from luoshi.notify.models import Attempt, Message
from luoshi.orgs.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def shangwu(cast):
    return Unit.objects.get(code=cast.shangwu.code) if hasattr(cast, "shangwu") else cast.zhou_shangwu.role_assignments.get().unit


def robot_for(unit, fake, secret=""):
    return services.add_robot(None, kind=fake.kind, url=fake.url, secret=secret, unit=unit)


def test_a_wecom_robot_receives_the_units_message_as_markdown(cast, shangwu, fake_robots):
    fake = fake_robots("wecom")
    robot_for(shangwu, fake)
    robots, people = services.send_to_unit(shangwu, "请报送三月进度", "截止 4 月 5 日。", link="/work/")
    assert (robots, people) == (1, 1)
    assert services.dispatch() == (2, 0, 0, 0)
    assert fake.received[0]["msgtype"] == "markdown"
    assert "**请报送三月进度**" in fake.texts()[0] and "截止 4 月 5 日。" in fake.texts()[0]
    assert [m.subject for m in services.inbox(cast.zhou_shangwu)] == ["请报送三月进度"]


def test_a_dingtalk_robot_with_a_secret_gets_a_signature_the_server_accepts(shangwu, fake_robots):
    fake = fake_robots("dingtalk", secret="SECabcdef0123456789")
    robot_for(shangwu, fake, secret="SECabcdef0123456789")
    services.send_to_unit(shangwu, "督办通知")
    assert services.dispatch().sent == 2
    assert fake.received[0]["markdown"]["title"] == "督办通知"


def test_a_wrong_dingtalk_secret_is_refused_by_the_server_and_retried(shangwu, fake_robots, settings):
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "0,0"
    fake = fake_robots("dingtalk", secret="SECright-secret-000")
    robot_for(shangwu, fake, secret="SECwrong-secret-000")
    services.send_to_unit(shangwu, "督办通知")
    result = services.dispatch()
    assert (result.sent, result.retrying) == (1, 1) and fake.received == []
    message = Message.objects.get(channel="dingtalk")
    assert message.status == Message.Status.RETRY and "errcode=310000" in message.error


@pytest.mark.parametrize("answer, error", [(("errcode", 45009), "errcode=45009"), (("http", 500), "HTTP 500"),
                                          (("sleep", 6.5), "超时（5 秒）")])
def test_an_error_answer_500_or_timeout_is_retried_and_the_retry_succeeds(shangwu, fake_robots, settings, answer, error):
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "0,0,0"
    fake = fake_robots("wecom")
    robot_for(shangwu, fake)
    services.queue_robot(shangwu.robots.get(), "提醒")
    fake.answers.append(answer)
    assert services.dispatch() == (0, 1, 0, 0)
    message = Message.objects.get()
    assert message.status == Message.Status.RETRY and error in message.error
    assert services.dispatch() == (1, 0, 0, 0)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and len(fake.received) == 1
    assert [(a.ok, error in a.error) for a in message.attempt_log.all()] == [(False, True), (True, False)]


def test_a_closed_port_is_retried_until_the_robot_is_back(shangwu, fake_robots, settings):
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "0"
    fake = fake_robots("wecom")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    real = fake.port
    fake.port = closed  # the robot is configured at a port nobody listens on
    settings.LUOSHI_WEBHOOK_HOSTS += f",{fake.host}"
    robot = robot_for(shangwu, fake)
    services.queue_robot(robot, "提醒")
    assert services.dispatch().retrying == 1
    assert "无法连接机器人" in Message.objects.get().error
    fake.port = real
    robot.url = fake.url
    robot.save()
    assert services.dispatch().sent == 1 and len(fake.received) == 1


def test_retries_wait_as_configured_and_after_the_last_the_message_has_failed(shangwu, fake_robots, settings):
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "1,5"
    fake = fake_robots("wecom")
    robot = robot_for(shangwu, fake)
    services.queue_robot(robot, "提醒")
    fake.answers.extend([("http", 500)] * 3)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert services.dispatch().retrying == 1
        assert services.dispatch() == (0, 0, 0, 0)  # not due yet
    assert Message.objects.get().next_attempt_at == start + timedelta(minutes=1)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert services.dispatch().retrying == 1
    with time_machine.travel(start + timedelta(minutes=5, seconds=59), tick=False):
        assert services.dispatch() == (0, 0, 0, 0)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert services.dispatch() == (0, 0, 1, 0)
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED and message.attempt_log.count() == 3 and fake.calls == 3
    services.resend(None, message)
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        assert services.dispatch().sent == 1


def test_messages_queued_for_one_robot_go_out_as_one_digest(shangwu, fake_robots):
    fake = fake_robots("wecom")
    robot = robot_for(shangwu, fake)
    for i in range(5):
        services.queue_robot(robot, f"提醒{i}", f"正文{i}")
    assert services.dispatch().sent == 5
    assert fake.calls == 1
    text = fake.texts()[0]
    assert "luoshi 消息汇总（5 条）" in text and all(f"提醒{i}" in text for i in range(5))
    assert Attempt.objects.filter(ok=True).count() == 5


def test_a_robot_gets_at_most_the_per_minute_limit_of_calls(shangwu, fake_robots, settings):
    settings.LUOSHI_ROBOT_PER_MINUTE = 3
    fake = fake_robots("wecom")
    robot = robot_for(shangwu, fake)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(3):
            services.queue_robot(robot, f"提醒{i}")
            assert services.dispatch().sent == 1
        services.queue_robot(robot, "第四条")
        assert services.dispatch() == (0, 0, 0, 1)
    assert fake.calls == 3 and Message.objects.get(subject="第四条").status == Message.Status.QUEUED
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert services.dispatch().sent == 1
    assert fake.calls == 4


def test_a_10000_character_body_is_cut_to_the_robots_limit_with_a_link_back(shangwu, fake_robots, settings):
    settings.LUOSHI_BASE_URL = "https://luoshi.example.gov.cn"
    fake = fake_robots("wecom")
    robot = robot_for(shangwu, fake)
    services.queue_robot(robot, "长消息", "很" * 10000, link="/work/tasks/1/")
    assert services.dispatch().sent == 1
    text = fake.texts()[0]
    assert len(text.encode()) <= 4096
    assert "内容过长已截断" in text and "https://luoshi.example.gov.cn/work/tasks/1/" in text
    assert Message.objects.get().body == "很" * 10000
