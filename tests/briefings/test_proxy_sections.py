"""代报 of a meeting section: the region's analysis or supervision office writes the section of a responsible unit that
has no account (区统计局 in the cast: 钱统计 holds the statistics role, nobody the unit role), recorded as such on the
meeting page, the section's history, the API, the audit trail and the meeting pack (print page, JSON, .docx); a unit
with an account (区商务局) writes its own."""

import io

import pytest
from docx import Document

from luoshi.audit.models import AuditEntry
from luoshi.briefings import services
from luoshi.briefings.models import Section
from luoshi.core.problems import Rejected
from tests.briefings.conftest import api_post
from tests.work.conftest import lixia_office  # noqa: F401  (a fixture)


def url(meeting, code):
    return f"/briefings/meetings/{meeting.pk}/sections/{code}"


def sections_api(meeting):
    return f"/api/v1/briefings/meetings/{meeting.pk}/sections"


PROXY = {"on_behalf": "1", "completion_text": "一季度全区地区生产总值下降3.2%。", "reasons_text": "疫情冲击。",
         "proxy_source": "据区统计局综合科电话报送"}


def test_the_analysis_office_writes_the_section_of_a_unit_without_an_account_recorded_as_proxy(client_for, cast,
                                                                                              meeting):
    client = client_for("zhao_fagai")
    page = client.get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    gdp = page[page.index('id="section-gdp"'):page.index("</div>", page.index('id="section-gdp"'))]
    assert "代报" in gdp and "?on_behalf=1" in gdp and "区统计局尚未开通账号" in gdp
    fdi = page[page.index('id="section-fdi"'):page.index("</div>", page.index('id="section-fdi"'))]
    assert "代报" not in fdi  # 商务局 has an account: it writes its own
    form = client.get(url(meeting, "gdp") + "?on_behalf=1").content.decode()
    assert 'name="on_behalf" value="1"' in form and "代报（发改局 赵发改）" in form
    assert client.post(url(meeting, "gdp"), PROXY).status_code == 302
    section = Section.objects.get()
    assert (section.unit.code, section.submitted_by, section.proxy_by, section.proxy_label, section.proxy_source) == \
        ("370115D02", cast.zhao_fagai, cast.zhao_fagai, "发改局 赵发改", "据区统计局综合科电话报送")
    page = client.get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    gdp = page[page.index('id="section-gdp"'):page.index("</div>", page.index('id="section-gdp"'))]
    assert "代报（发改局 赵发改）" in gdp and "据区统计局综合科电话报送" in gdp
    history = client.get(url(meeting, "gdp")).content.decode()
    assert "代报（发改局 赵发改）" in history[history.index('id="history"'):]
    entry = AuditEntry.objects.get(action="报送会议材料（代报）")
    assert entry.actor == cast.zhao_fagai and entry.after["proxy_label"] == "代报（发改局 赵发改）"
    listed = client.get(sections_api(meeting)).json()
    assert listed[0]["unit"] == "370115D02" and listed[0]["version"] == 1  # the keys there were before
    assert listed[0]["proxy"] == {"text": "代报（发改局 赵发改）", "by": "zhao_fagai", "label": "发改局 赵发改",
                                  "source": "据区统计局综合科电话报送"}
    whole = client.get(f"/api/v1/briefings/meetings/{meeting.pk}").json()
    assert next(r for r in whole["indicators"] if r["indicator"] == "gdp")["section"]["proxy"]["text"] == "代报（发改局 赵发改）"


def test_the_supervision_office_writes_it_through_the_api_and_a_rewrite_is_a_new_proxy_version(client_for, meeting):
    client = client_for("li_ducha")
    body = {"indicator": "gdp", "unit": "370115D02", "on_behalf": True, "reasons_text": "第一稿"}
    first = api_post(client, sections_api(meeting), body)
    assert first.status_code == 200 and first.json()["proxy"]["text"] == "代报（督查室 李督查）"
    second = api_post(client, sections_api(meeting), {**body, "reasons_text": "第二稿"})
    assert second.json()["version"] == 2
    assert list(Section.objects.order_by("version").values_list("version", "is_current", "proxy_label")) == \
        [(1, False, "督查室 李督查"), (2, True, "督查室 李督查")]


def test_a_unit_with_an_account_cannot_be_written_for(client_for, meeting):
    for username in ("zhao_fagai", "li_ducha", "wang_admin"):
        client = client_for(username)
        response = client.post(url(meeting, "fdi"), {**PROXY})
        assert response.status_code == 403 and "区商务局已开通账号，须由本单位自行报送材料" in response.content.decode()
        api = api_post(client, sections_api(meeting), {"indicator": "fdi", "unit": "370115D03", "on_behalf": True,
                                                       "reasons_text": "代写"})
        assert api.status_code == 403 and "区商务局已开通账号" in api.json()["error"]
    assert not Section.objects.exists()


@pytest.mark.parametrize("username", ["sun_leader", "qian_tongji", "zhou_shangwu", "zheng_caizheng", "sun_jiedao",
                                      "wu_cunju", "nobody"])
def test_leaders_statistics_units_and_reporters_cannot_write_for_a_unit(client_for, meeting, username):
    client = client_for(username)
    assert client.post(url(meeting, "gdp"), PROXY).status_code == 403
    api = api_post(client, sections_api(meeting), {"indicator": "gdp", "unit": "370115D02", "on_behalf": True,
                                                   "reasons_text": "代写"})
    assert api.status_code == 403
    assert not Section.objects.exists()


def test_another_districts_office_cannot_write_for_a_unit(client_for, cast, meeting, lixia_office):
    from django.core.exceptions import PermissionDenied

    assert client_for("liu_ducha").post(url(meeting, "gdp"), PROXY).status_code == 403
    with pytest.raises(PermissionDenied, match="区统计局不在您所管理的地区，不能为其代报材料"):
        services.submit_section(cast.liu_ducha, meeting, _gdp(), cast.units.tongji, reasons_text="代写", on_behalf=True)
    assert not Section.objects.exists()


def _gdp():
    from luoshi.indicators.models import Indicator

    return Indicator.objects.get(code="gdp")


def test_the_statistics_bureau_once_it_has_an_account_writes_its_own_and_the_office_no_longer_may(client_for, cast,
                                                                                                 meeting):
    from luoshi.orgs import services as org_services
    from luoshi.orgs.models import Role

    client_for("zhao_fagai").post(url(meeting, "gdp"), PROXY)
    org_services.assign_role(None, user=cast.qian_tongji, role=Role.UNIT, unit=cast.units.tongji)  # a second role
    refused = client_for("zhao_fagai").post(url(meeting, "gdp"), PROXY)
    assert refused.status_code == 403 and "区统计局已开通账号" in refused.content.decode()
    own = client_for("qian_tongji")
    assert own.post(url(meeting, "gdp"), {"reasons_text": "本局核实后的分析"}).status_code == 302
    assert list(Section.objects.order_by("version").values_list("version", "proxy_label", "submitted_by__username")) == \
        [(1, "发改局 赵发改", "zhao_fagai"), (2, "", "qian_tongji")]  # nothing lost


def test_the_pack_shows_the_proxy_section_as_such_in_print_json_and_word(client_for, cast, meeting):
    client = client_for("zhao_fagai")
    client.post(url(meeting, "gdp"), PROXY)
    client.post(url(meeting, "fdi"), {"reasons_text": "x"})  # refused: 商务局 writes its own
    services.submit_section(cast.zhou_shangwu, meeting, _fdi(), cast.units.shangwu, reasons_text="项目到账")
    printed = client.get(f"/briefings/meetings/{meeting.pk}/pack").content.decode()
    sections = printed[printed.index('id="pack-sections"'):]
    assert "区统计局 <small class=\"proxy\">代报（发改局 赵发改）</small>" in sections
    assert "区商务局</h4>" in sections
    data = client.get(f"/api/v1/briefings/meetings/{meeting.pk}/pack?format=json").json()
    by_indicator = {e["indicator"]: e["sections"] for e in data["sections"]}
    assert by_indicator["gdp"][0]["proxy"] == "代报（发改局 赵发改）" and by_indicator["gdp"][0]["unit"] == "区统计局"
    assert by_indicator["fdi"][0]["proxy"] == ""
    word = client.get(f"/briefings/meetings/{meeting.pk}/pack.docx")
    lines = [p.text for p in Document(io.BytesIO(b"".join(word.streaming_content) if word.streaming else word.content)).paragraphs]
    assert "区统计局 · 代报（发改局 赵发改）：" in lines and "区商务局：" in lines


def _fdi():
    from luoshi.indicators.models import Indicator

    return Indicator.objects.get(code="fdi")


def test_a_closed_meeting_offers_no_proxy_and_takes_none(client_for, cast, meeting):
    services.set_state(cast.zhao_fagai, meeting, "closed")
    page = client_for("zhao_fagai").get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    assert "?on_behalf=1" not in page
    response = client_for("zhao_fagai").post(url(meeting, "gdp"), PROXY)
    assert response.status_code == 400 and "已结束，不再接收材料" in response.content.decode()


def test_proxy_writing_needs_a_signed_in_office_person_and_a_short_source(cast, meeting, client_for):
    with pytest.raises(Rejected, match="代报须由发改局或督查室人员登录后操作"):
        services.submit_section(None, meeting, _gdp(), cast.units.tongji, reasons_text="x", on_behalf=True)
    response = client_for("zhao_fagai").post(url(meeting, "gdp"), {**PROXY, "proxy_source": "电" * 201})
    assert response.status_code == 400 and "报送来源不能超过200个字（现有201个字）" in response.content.decode()
    assert not Section.objects.exists()
