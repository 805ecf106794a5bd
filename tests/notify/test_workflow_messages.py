"""Messages that follow the work, at notify's level: whom a robot may @ (mainland mobiles only), the payloads that
@ (企业微信 text with mentioned_mobile_list, 钉钉 at.atMobiles with the @mobile in the text), hostile text that must not
become markup, a link or an @all, one robot message per event whatever the number of people, absolute links with the
default base URL, and the robots page saying what goes to robots and from which address links start."""

import pytest

from luoshi.notify import channels, rules, services
from luoshi.notify.models import Message, Robot
from luoshi.orgs.models import Person

pytestmark = pytest.mark.django_db


# --- whom a robot may @ ------------------------------------------------------------------------------------------

def test_only_mainland_mobiles_are_mentioned_each_once():
    phones = ["13800001111", "0531-88881234", "138 0000 2222", "+8613800003333", "8613800001111", "23800001111",
              "1380000111", "138000011112", "１３８００００４４４４", "@all", "", None, "13800005555"]
    assert rules.mention_mobiles(phones) == ["13800001111", "13800002222", "13800003333", "13800005555"]


def test_a_digest_mentions_at_most_twenty_people():
    lists = [[f"139{n:08d}"] for n in range(30)] + [["13900000001"]]
    merged = rules.merged_mentions(lists)
    assert len(merged) == 20 and merged[0] == "13900000000" and len(set(merged)) == 20


def test_a_person_without_a_mobile_is_not_mentioned(cast):
    Person.objects.filter(user=cast.zhou_shangwu).update(phone="13800001111")
    Person.objects.filter(user=cast.zheng_caizheng).update(phone="0531-88881234")
    assert services.mentions_for([cast.zheng_caizheng, cast.zhou_shangwu, cast.nobody]) == ["13800001111"]


# --- payloads --------------------------------------------------------------------------------------------------

def robot(kind):
    return Robot(kind=kind, url="https://example.invalid/", name="")


def test_wecom_mentions_by_mobile_in_a_text_message_and_otherwise_sends_markdown():
    payload = channels.robot_payload(robot("wecom"), "督办", "【督办】请答复", ["13800001111"], plain=True)
    assert payload == {"msgtype": "text", "text": {"content": "【督办】请答复", "mentioned_mobile_list": ["13800001111"]}}
    assert channels.uses_text_message("wecom", ["13800001111"]) and not channels.uses_text_message("wecom", [])
    assert channels.robot_payload(robot("wecom"), "督办", "**督办**")["msgtype"] == "markdown"


def test_dingtalk_mentions_in_at_and_writes_the_mobile_into_the_text():
    payload = channels.robot_payload(robot("dingtalk"), "督办", "**督办**", ["13800001111", "13800002222"])
    assert payload["at"] == {"atMobiles": ["13800001111", "13800002222"], "isAtAll": False}
    assert payload["markdown"]["text"] == "**督办**\n\n@13800001111 @13800002222"
    assert not channels.uses_text_message("dingtalk", ["13800001111"])


def test_a_long_dingtalk_text_is_cut_before_the_mobile_line_so_the_mention_survives():
    payload = channels.robot_payload(robot("dingtalk"), "督办", "很长" * 3000, ["13800001111"])
    text = payload["markdown"]["text"]
    assert text.endswith("\n\n@13800001111") and "内容过长已截断" in text
    assert len(text.encode()) <= channels.LIMIT_BYTES["dingtalk"]


HOSTILE = "招商[点我](http://evil.example/x) <@all> @all **粗** # 标题 `code` ![图](http://evil.example/i.png)"


@pytest.mark.parametrize("kind", ["wecom", "dingtalk"])
def test_hostile_text_in_markdown_gives_no_link_no_markup_and_no_at_all(kind):
    message = Message(subject=HOSTILE, body=HOSTILE + "\n\n> 引用", link="/supervision/notices/1/")
    _, text, _ = services.digest_text([message], kind)
    own = f"[在 luoshi 中查看]({channels.absolute('/supervision/notices/1/')})"
    assert text.count(own) == 1 and "](" not in text.replace(own, "")
    for bad in ("http://evil", "<@all>", "@all", "**粗", "# 标题", "> 引用", "`code`", "!["):
        assert bad not in text
    assert "evil.example" in text and "点我" in text  # shown as text, defanged, not dropped
    assert text.count("://") == 1  # luoshi's own link and nothing else


def test_hostile_text_in_a_wecom_text_message_gives_no_link_and_no_at_all(settings):
    settings.LUOSHI_BASE_URL = ""
    message = Message(subject=HOSTILE, body=HOSTILE, link="/supervision/notices/1/")
    _, text, _ = services.digest_text([message], "wecom", plain=True)
    for bad in ("http://evil", "<@all>", "@all"):
        assert bad not in text
    assert text.count("://") == 1 and text.endswith("查看：http://127.0.0.1:8000/supervision/notices/1/")


def test_a_subject_cannot_break_out_of_the_bold_line():
    message = Message(subject="第一行\n\n[x](http://evil.example)", body="", link="")
    _, text, _ = services.digest_text([message], "dingtalk")
    assert text.startswith("**第一行 ［x］(http：//evil.example)**")


# --- absolute links --------------------------------------------------------------------------------------------

def test_links_are_absolute_with_the_default_base_url_when_none_is_set(settings):
    settings.LUOSHI_BASE_URL = ""
    assert channels.absolute("/supervision/notices/3/") == "http://127.0.0.1:8000/supervision/notices/3/"
    assert channels.base_url() == "http://127.0.0.1:8000" and not channels.base_url_is_set()
    settings.LUOSHI_BASE_URL = "https://luoshi.example.gov.cn/"
    assert channels.absolute("/inbox/") == "https://luoshi.example.gov.cn/inbox/" and channels.base_url_is_set()
    assert channels.absolute("https://elsewhere.example/") == "https://elsewhere.example/"


# --- one message per robot per event ---------------------------------------------------------------------------

def test_an_event_queues_one_message_per_robot_however_many_people_are_told(cast, fake_robots):
    unit = cast.units.shangwu
    wecom, dingtalk = fake_robots("wecom"), fake_robots("dingtalk", token="dt-0123456789")
    services.add_robot(None, kind="wecom", url=wecom.url, unit=unit)
    services.add_robot(None, kind="dingtalk", url=dingtalk.url, unit=unit)
    people = [cast.zhou_shangwu, cast.zheng_caizheng, cast.li_ducha]
    assert services.queue_robots("督办", "请答复", units=[unit], mention=people, dedupe_key="ev:1") == 2
    assert services.queue_robots("督办", "请答复", units=[unit], mention=people, dedupe_key="ev:1") == 0
    assert services.queue_robots("督办", units=[cast.units.caizheng], dedupe_key="ev:1") == 0  # no robot there
    assert Message.objects.filter(robot__isnull=False).count() == 2


def test_a_stopped_robot_gets_no_workflow_message(cast, fake_robots):
    fake = fake_robots("wecom")
    stopped = services.add_robot(None, kind="wecom", url=fake.url, unit=cast.units.shangwu)
    services.set_robot_active(None, stopped, False)
    assert services.queue_robots("督办", units=[cast.units.shangwu], dedupe_key="ev:2") == 0


def test_a_retry_mentions_the_same_people(cast, fake_robots, settings):
    settings.LUOSHI_NOTIFY_RETRY_MINUTES = "0"
    Person.objects.filter(user=cast.zhou_shangwu).update(phone="13800001111")
    fake = fake_robots("wecom")
    services.add_robot(None, kind="wecom", url=fake.url, unit=cast.units.shangwu)
    services.queue_robots("督办", units=[cast.units.shangwu], mention=[cast.zhou_shangwu], dedupe_key="ev:3")
    fake.answers.append(("http", 500))
    assert services.dispatch().retrying == 1
    Person.objects.filter(user=cast.zhou_shangwu).update(phone="")  # the message keeps whom it was to @
    assert services.dispatch().sent == 1
    assert fake.received[0]["text"]["mentioned_mobile_list"] == ["13800001111"]


# --- the robots page ---------------------------------------------------------------------------------------------

def test_the_robots_page_says_what_goes_to_robots_and_from_which_address_links_start(client_for, settings):
    settings.LUOSHI_BASE_URL = ""
    html = client_for("wang_admin").get("/inbox/robots/").content.decode()
    assert "哪些消息发到工作群" in html and "升级督办（督查室所在区县的机器人，@责任领导）" in html
    assert "http://127.0.0.1:8000" in html and "未设置 LUOSHI_BASE_URL" in html
    settings.LUOSHI_BASE_URL = "https://luoshi.example.gov.cn"
    html = client_for("wang_admin").get("/inbox/robots/").content.decode()
    assert "https://luoshi.example.gov.cn" in html and "由环境变量 LUOSHI_BASE_URL 设置" in html
