"""Sections (材料): a unit writes its own, versioned (nothing overwritten), bounded, not after the meeting closes."""

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.briefings import services
from luoshi.briefings.models import Section
from tests.briefings.conftest import api_post


def url(meeting, code):
    return f"/briefings/meetings/{meeting.pk}/sections/{code}"


def test_a_unit_writes_its_section_beside_the_indicators_figures(client_for, meeting):
    client = client_for("zhou_shangwu")
    form = client.get(url(meeting, "fdi")).content.decode()
    figures = form[form.index('id="figures"'):form.index('id="section-form"')]
    assert "2000万美元" in figures and "增长35.2%" in figures and "8000万美元" in figures  # value, growth, target
    response = client.post(url(meeting, "fdi"), {"completion_text": "一季度实际利用外资2000万美元，增长35.2%。",
                                                 "reasons_text": "两个新设项目资金到账。", "measures_text": "加快在谈项目落地。"})
    assert response.status_code == 302
    section = Section.objects.get()
    assert (section.unit.code, section.version, section.is_current, section.submitted_by.username) == \
        ("370115D03", 1, True, "zhou_shangwu")
    assert section.series == section.pk and AuditEntry.objects.filter(action="报送会议材料").count() == 1


def test_an_edit_is_a_new_version_and_the_first_stays_readable(client_for, cast, owners, meeting):
    client = client_for("zhou_shangwu")
    client.post(url(meeting, "fdi"), {"reasons_text": "第一稿"})
    client.post(url(meeting, "fdi"), {"reasons_text": "第二稿"})
    client.post(url(meeting, "fdi"), {"reasons_text": "第二稿"})  # unchanged: no new version
    versions = list(Section.objects.order_by("version").values_list("version", "is_current", "reasons_text"))
    assert versions == [(1, False, "第一稿"), (2, True, "第二稿")]
    history = client.get(url(meeting, "fdi")).content.decode()
    assert "第1版" in history and "第一稿" in history and "第2版（当前）" in history
    listed = client.get(f"/api/v1/briefings/meetings/{meeting.pk}/sections?history=true").json()
    assert [(s["version"], s["reasons_text"]) for s in listed] == [(1, "第一稿"), (2, "第二稿")]


def test_a_section_of_twenty_thousand_characters_is_refused_and_nothing_saved(client_for, meeting):
    response = client_for("zhou_shangwu").post(url(meeting, "fdi"), {"reasons_text": "长" * 20000})
    assert response.status_code == 400 and "原因分析不能超过2000字（现有20000字）" in response.content.decode()
    assert not Section.objects.exists()
    api = api_post(client_for("zhou_shangwu"), f"/api/v1/briefings/meetings/{meeting.pk}/sections",
                   {"indicator": "fdi", "measures_text": "措" * 20000})
    assert api.status_code == 400 and "下步措施不能超过2000字" in api.json()["error"]
    assert not Section.objects.exists()


def test_an_empty_section_is_refused(client_for, meeting):
    response = client_for("zhou_shangwu").post(url(meeting, "fdi"), {"reasons_text": "   "})
    assert response.status_code == 400 and "至少填写一项" in response.content.decode()
    assert not Section.objects.exists()


def test_no_section_after_the_meeting_is_closed(client_for, cast, meeting):
    services.set_state(cast.zhao_fagai, meeting, "closed")
    response = api_post(client_for("zhou_shangwu"), f"/api/v1/briefings/meetings/{meeting.pk}/sections",
                        {"indicator": "fdi", "reasons_text": "迟到的材料"})
    assert response.status_code == 400 and "已结束，不再接收材料" in response.json()["error"]
    page = client_for("zhou_shangwu").post(url(meeting, "fdi"), {"reasons_text": "迟到的材料"})
    assert page.status_code == 400 and "不再接收材料" in page.content.decode()
    assert not Section.objects.exists()


def test_a_unit_not_responsible_for_the_indicator_gets_403_in_chinese(client_for, meeting):
    response = api_post(client_for("zhou_shangwu"), f"/api/v1/briefings/meetings/{meeting.pk}/sections",
                        {"indicator": "gdp", "reasons_text": "不是我们的指标"})
    assert response.status_code == 403 and "区商务局不是济阳区地区生产总值的责任单位" in response.json()["error"]
    assert client_for("zhou_shangwu").post(url(meeting, "gdp"), {"reasons_text": "x"}).status_code == 403
    assert client_for("zheng_caizheng").post(url(meeting, "fdi"), {"reasons_text": "x"}).status_code == 403
    assert not Section.objects.exists()


def test_hostile_text_in_a_section_is_shown_as_text(client_for, cast, owners, meeting):
    services.submit_section(cast.zhou_shangwu, meeting, owners["fdi"], cast.units.shangwu,
                            reasons_text='<script>alert(1)</script><img src=x onerror="x">')
    page = client_for("zhao_fagai").get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("username", ["zhao_fagai", "sun_leader", "li_ducha"])
def test_offices_read_but_do_not_write_a_units_section(client_for, meeting, username):
    client = client_for(username)
    assert client.get(url(meeting, "fdi")).status_code == 200
    assert client.post(url(meeting, "fdi"), {"reasons_text": "代写"}).status_code == 403
    assert not Section.objects.exists()
