"""A meeting's request for sections follows the work to the responsible unit's group robot (a fake 钉钉 server on
127.0.0.1): the request when the meeting opens and the reminder the day before the deadline, each once, with an
absolute link and an @ of the unit's mobile in at.atMobiles and in the text, as 钉钉 requires."""

from datetime import date

import pytest
from django.urls import reverse

from luoshi.briefings import services
from luoshi.notify import services as notify_services
from luoshi.orgs.models import Person
from tests.notify.conftest import fake_robots  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_the_section_request_and_its_reminder_reach_the_units_robot_once(cast, owners, fake_robots, settings):  # noqa: F811
    settings.LUOSHI_BASE_URL = "https://luoshi.example.gov.cn"
    Person.objects.filter(user=cast.zhou_shangwu).update(phone="13800001111")
    fake = fake_robots("dingtalk")
    notify_services.add_robot(None, kind="dingtalk", url=fake.url, unit=cast.units.shangwu)
    meeting = services.open_meeting(cast.zhao_fagai, title="2020年一季度经济形势分析会", held_on="2020-04-20",
                                    region=cast.jiyang, period="2020-03", sections_due="2020-04-15")
    services.remind_sections(on=date(2020, 4, 14))
    services.remind_sections(on=date(2020, 4, 14))
    notify_services.dispatch()
    notify_services.dispatch()
    [payload] = fake.received  # the request and the reminder, one digest call
    assert payload["at"] == {"atMobiles": ["13800001111"], "isAtAll": False}
    text = payload["markdown"]["text"]
    assert "**请于4月15日前报送2020年一季度经济形势分析会材料**" in text
    assert "**提醒：2020年一季度经济形势分析会材料明天（4月15日）截止**" in text
    assert "实际利用外资" in text and "地区生产总值" not in text and "一般公共预算收入" not in text
    link = "https://luoshi.example.gov.cn" + reverse("briefings:meeting", args=[meeting.pk])
    assert text.count(f"[在 luoshi 中查看]({link})") == 2 and text.endswith("\n\n@13800001111")
