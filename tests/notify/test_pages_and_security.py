"""Pages per role (消息设置 for everyone; robots and the outbox's failures for administrators), the API, the CLI
contract, masking of webhook secrets, and the allow-list that stops a robot URL from reaching inside the network."""

import json

import pytest
from django.core.management import CommandError, call_command

from luoshi.audit.models import AuditEntry as Entry
from luoshi.core.problems import Rejected
from luoshi.notify import services
from luoshi.notify.models import Message, Preference, Robot

pytestmark = pytest.mark.django_db
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd1234-secret-key-5678"
DING = "https://oapi.dingtalk.com/robot/send?access_token=tokentoken-secret-9999"


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("username", ["wang_admin", "sun_leader", "zhou_shangwu", "wu_cunju", "nobody"])
def test_every_signed_in_person_sets_their_own_message_settings(client, cast, username):
    user = getattr(cast, username)
    signed_in(client, user)
    page = client.get("/inbox/settings/")
    assert page.status_code == 200 and "消息设置" in page.content.decode() and "督办升级" in page.content.decode()
    response = client.post("/inbox/settings/", {"email": f"{username}@example.cn", "email_kind": ["escalation", "notice"]})
    assert response.status_code == 302
    assert services.email_kinds(user) == {"escalation", "notice"}
    assert Preference.objects.exclude(user=user).count() == 0


def test_the_settings_page_shows_a_chinese_error_for_a_bad_address_and_saves_nothing(client, cast):
    signed_in(client, cast.zhou_shangwu)
    response = client.post("/inbox/settings/", {"email": "zhou@", "email_kind": "notice"})
    assert response.status_code == 400 and "邮箱地址「zhou@」格式不正确" in response.content.decode()
    assert Preference.objects.count() == 0


def test_the_settings_page_needs_sign_in(client):
    assert client.get("/inbox/settings/").status_code == 302


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha", "zhou_shangwu", "wu_cunju", "nobody"])
def test_only_administrators_see_robots_and_the_outbox(client, cast, username):
    signed_in(client, getattr(cast, username))
    assert client.get("/inbox/robots/").status_code == 403
    assert client.get("/inbox/outbox/").status_code == 403
    assert client.post("/inbox/robots/add", {"owner": "370115D03", "kind": "wecom", "url": WECOM}).status_code == 403
    assert Robot.objects.count() == 0


def test_an_administrator_adds_a_robot_on_the_page_and_the_secret_is_masked_everywhere(client, cast):
    signed_in(client, cast.wang_admin)
    response = client.post("/inbox/robots/add", {"owner": "370115D03", "kind": "dingtalk", "url": DING,
                                                 "secret": "SECsupersecretvalue", "name": "商务局工作群"})
    assert response.status_code == 302 and response["Location"] == "/inbox/robots/?unit=370115D03"
    robot = Robot.objects.get()
    assert robot.unit == cast.units.shangwu and robot.url == DING
    page = client.get("/inbox/robots/?unit=370115D03").content.decode()
    assert "商务局工作群" in page and "access_token=toke****" in page
    assert "tokentoken-secret-9999" not in page and "SECsupersecretvalue" not in page
    entry = Entry.objects.get(action="添加群机器人")
    stored = json.dumps([entry.before, entry.after, entry.object_repr], ensure_ascii=False)
    assert "tokentoken-secret-9999" not in stored and "SECsupersecretvalue" not in stored and "toke****" in stored
    api = client.get("/api/v1/notify/robots").json()
    assert api[0]["url"].endswith("access_token=toke****") and api[0]["secret"] == "SECs****"
    assert "tokentoken-secret-9999" not in json.dumps(api)


def test_the_unit_tree_links_administrators_to_each_units_robots(client, cast):
    signed_in(client, cast.wang_admin)
    assert '/inbox/robots/?unit=370115D03' in client.get("/orgs/").content.decode()
    signed_in(client, cast.sun_leader)
    assert '/inbox/robots/' not in client.get("/orgs/").content.decode()


@pytest.mark.parametrize("url, reason", [
    ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", "必须使用 https"),
    ("https://evil.example.com/cgi-bin/webhook/send?key=k1", "不允许的机器人地址「evil.example.com」"),
    ("https://127.0.0.1/cgi-bin/webhook/send?key=k1", "不允许的机器人地址「127.0.0.1」"),
    ("http://169.254.169.254/latest/meta-data?key=k1", "不允许的机器人地址「169.254.169.254」"),
    ("https://qyapi.weixin.qq.com@10.0.0.1/send?key=k1", "不能包含用户名或密码"),
    ("https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=k1", "不允许的机器人地址"),
    ("file:///etc/passwd", "必须以 https:// 开头"),
    ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "缺少 key 参数"),
])
def test_a_robot_url_that_is_not_an_official_https_host_is_refused_on_the_page(client, cast, url, reason):
    signed_in(client, cast.wang_admin)
    response = client.post("/inbox/robots/add", {"owner": "370115D03", "kind": "wecom", "url": url})
    assert response.status_code == 400 and reason in response.content.decode()
    assert Robot.objects.count() == 0 and not Entry.objects.filter(action="添加群机器人").exists()


def test_the_api_refuses_a_disallowed_robot_url_with_a_chinese_error(client, cast):
    signed_in(client, cast.wang_admin)
    response = client.post("/api/v1/notify/robots", json.dumps({"owner": "370115D03", "kind": "wecom",
                                                                "url": "https://10.0.0.5/send?key=x"}),
                           content_type="application/json")
    assert response.status_code == 400 and "不允许的机器人地址「10.0.0.5」" in response.json()["error"]
    ok = client.post("/api/v1/notify/robots", json.dumps({"owner": "370115", "kind": "wecom", "url": WECOM}),
                     content_type="application/json")
    assert ok.status_code == 201 and ok.json()["region"] == "370115" and "abcd****" in ok.json()["url"]


def test_a_stored_url_no_longer_allowed_is_refused_at_send_time_without_any_call(cast, settings, fake_robots):
    fake = fake_robots("wecom")
    robot = services.add_robot(None, kind="wecom", url=fake.url, unit=cast.units.shangwu)
    settings.LUOSHI_WEBHOOK_HOSTS = "qyapi.weixin.qq.com"  # the allow-list no longer names the fake server
    services.queue_robot(robot, "提醒")
    assert services.dispatch().failed == 1
    assert fake.calls == 0 and "已拒绝发送：不允许的机器人地址「127.0.0.1」" in Message.objects.get().error


def test_a_redirect_is_not_followed(cast, fake_robots, settings):
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "5"
    fake = fake_robots("wecom")
    target = fake_robots("wecom")
    robot = services.add_robot(None, kind="wecom", url=fake.url, unit=cast.units.shangwu)
    fake.answers.append(("redirect", target.url))
    services.queue_robot(robot, "提醒")
    assert services.dispatch().retrying == 1
    assert target.calls == 0 and "HTTP 302" in Message.objects.get().error


def test_errors_and_the_test_button_never_show_the_key(client, cast, fake_robots):
    fake = fake_robots("wecom", token="very-secret-token-42")
    robot = services.add_robot(None, kind="wecom", url=fake.url, unit=cast.units.shangwu)
    fake.answers.append(("errcode", 93000))
    signed_in(client, cast.wang_admin)
    page = client.post(f"/inbox/robots/{robot.pk}/test", follow=True).content.decode()
    assert "测试消息发送失败" in page and "errcode=93000" in page and "very-secret-token-42" not in page
    page = client.post(f"/inbox/robots/{robot.pk}/test", follow=True).content.decode()
    assert "测试消息已发送" in page and "errcode" in page and "very" not in page.split("测试消息已发送")[1][:300]
    assert "luoshi 测试消息" in fake.texts()[0]


def test_an_administrator_resends_a_failed_message_from_the_outbox_page(client, cast, fake_robots, settings):
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "0"
    fake = fake_robots("wecom")
    robot = services.add_robot(None, kind="wecom", url=fake.url, unit=cast.units.shangwu)
    services.queue_robot(robot, "进度提醒")
    fake.answers.extend([("http", 500), ("http", 500)])
    services.dispatch()
    services.dispatch()
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED
    signed_in(client, cast.wang_admin)
    page = client.get("/inbox/outbox/").content.decode()
    assert "进度提醒" in page and "重新发送" in page and "机器人返回 HTTP 500" in page
    signed_in(client, cast.li_ducha)
    assert client.post(f"/inbox/outbox/{message.pk}/resend").status_code == 403
    signed_in(client, cast.wang_admin)
    assert client.post(f"/inbox/outbox/{message.pk}/resend").status_code == 302
    assert services.dispatch().sent == 1 and len(fake.received) == 1
    with pytest.raises(Rejected, match="只有发送失败的消息可以重新发送"):
        services.resend(cast.wang_admin, Message.objects.get())


def test_cli_robot_add_send_and_dispatch(cast, fake_robots, capsys):
    fake = fake_robots("dingtalk", secret="SECcli-secret-0001")
    call_command("notify", "robot", "add", "--unit", "370115D03", "--kind", "dingtalk", "--url", fake.url,
                 "--secret", "SECcli-secret-0001")
    robot_id = capsys.readouterr().out.strip()
    assert robot_id == str(Robot.objects.get().pk)
    with pytest.raises(CommandError, match="不允许的机器人地址「evil.example.com」"):
        call_command("notify", "robot", "add", "--unit", "370115D03", "--kind", "wecom",
                     "--url", "https://evil.example.com/x?key=1")
    with pytest.raises(CommandError, match="单位 NOPE 不存在"):
        call_command("notify", "send", "--unit", "NOPE", "--subject", "x")
    call_command("notify", "send", "--unit", "370115D03", "--subject", "请报送进度", "--body", "本周五前")
    assert "群机器人 1 条，站内消息 1 条" in capsys.readouterr().out
    fake.answers.append(("http", 500))
    call_command("notify", "dispatch")
    assert capsys.readouterr().out.strip() == "已发送 1 条，等待重试 1 条，发送失败 0 条"
    assert len(fake.received) == 0
