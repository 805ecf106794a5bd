"""Daily reports follow the work to the group robots (fake 企业微信 servers on 127.0.0.1): before the deadline a
village committee's robot is reminded, @ing its reporter; after it, a town's list of missing villages goes to the
town government's robot and the town's own (Robot.region), once however often the reminders run."""

import pytest

from luoshi.daily import services
from luoshi.notify import services as notify_services
from luoshi.orgs.models import Person
from tests.daily.conftest import DAY, at, submit
from tests.notify.conftest import fake_robots  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def robot(fake, **owner):
    return notify_services.add_robot(None, kind=fake.kind, url=fake.url, **owner)


def test_the_towns_list_of_missing_villages_reaches_its_robots_once_with_a_link_and_an_at(
        cast, form, fake_robots, settings):  # noqa: F811
    settings.LUOSHI_BASE_URL = "https://luoshi.example.gov.cn"
    Person.objects.filter(user=cast.sun_jiedao).update(phone="13700003333")
    government, town, other = fake_robots("wecom"), fake_robots("wecom", token="tok-town-0123"), fake_robots(
        "wecom", token="tok-qudi-0123")
    robot(government, unit=cast.units.town)
    robot(town, region=cast.town)
    robot(other, unit=cast.units.other_town)
    submit(cast, now=at(DAY, 8))  # 东关村 reported; 西街社区 did not
    services.send_reminders(now=at(DAY, 10, 5))  # after the deadline; the reminders dispatch at once
    services.send_reminders(now=at(DAY, 10, 10))
    for fake in (government, town):
        [payload] = fake.received
        assert payload["text"]["mentioned_mobile_list"] == ["13700003333"]
        text = payload["text"]["content"]
        assert text.startswith("【济阳街道4月14日「疫情防控日报」未报 1 个村（社区）】")
        assert "西街社区（370115001202）" in text and "东关村" not in text
        assert text.endswith("查看：https://luoshi.example.gov.cn/daily/town/370115001/?date=2020-04-14&form=yiqing")
    # 曲堤镇's 王家村 is missing too: its own town's robot hears of it, not 济阳街道's
    assert len(other.received) == 1 and "王家村" in other.received[0]["markdown"]["content"]


def test_before_the_deadline_the_village_committees_robot_is_reminded_at_its_reporter(cast, form, fake_robots):  # noqa: F811
    Person.objects.filter(user=cast.wu_cunju).update(phone="15900004444")
    village, other = fake_robots("wecom"), fake_robots("wecom", token="tok-xijie-0123")
    robot(village, unit=cast.units.village)
    robot(other, unit=cast.units.other_village)
    submit(cast, user="chen_cunju", village="370115001202", now=at(DAY, 8))  # 西街社区 reported
    services.send_reminders(now=at(DAY, 9, 10))
    services.send_reminders(now=at(DAY, 9, 40))
    [payload] = village.received
    assert payload["text"]["mentioned_mobile_list"] == ["15900004444"]
    assert payload["text"]["content"].startswith("【请在10:00前报送今天的「疫情防控日报」】\n东关村还没有报送")
    assert other.received == []
