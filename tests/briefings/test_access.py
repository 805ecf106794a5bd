"""Who reads what: offices read their region's meetings whole; a unit sees its own sections until the meeting is
published to it; other districts, village reporters and people without a role see nothing."""

import pytest

from luoshi.briefings import services


@pytest.fixture
def written(cast, owners, meeting):
    services.submit_section(cast.zhou_shangwu, meeting, owners["fdi"], cast.units.shangwu, reasons_text="商务局的材料")
    services.submit_section(cast.zheng_caizheng, meeting, owners["budget_revenue"], cast.units.caizheng,
                            reasons_text="财政局的材料")
    return meeting


@pytest.mark.parametrize("username", ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji"])
def test_offices_of_the_region_read_the_meeting_whole(client_for, written, username):
    page = client_for(username).get(f"/briefings/meetings/{written.pk}/").content.decode()
    assert "商务局的材料" in page and "财政局的材料" in page and 'id="submissions"' in page


@pytest.mark.parametrize("username", ["ma_lixia", "wu_cunju", "nobody"])
def test_other_districts_village_reporters_and_people_without_a_role_are_refused(client_for, written, username):
    client = client_for(username)
    assert client.get(f"/briefings/meetings/{written.pk}/").status_code == 403
    assert client.get(f"/api/v1/briefings/meetings/{written.pk}/sections").status_code == 403
    assert written.title not in client.get("/api/v1/briefings/meetings").content.decode()


def test_before_publishing_a_unit_sees_only_its_own_sections(client_for, written):
    client = client_for("zhou_shangwu")
    page = client.get(f"/briefings/meetings/{written.pk}/").content.decode()
    assert "商务局的材料" in page and "财政局的材料" not in page and 'id="submissions"' not in page
    assert "尚未向责任单位发布" in page
    assert client.get(f"/briefings/meetings/{written.pk}/sections/budget_revenue").status_code == 403
    listed = client.get(f"/api/v1/briefings/meetings/{written.pk}/sections").json()
    assert [s["unit"] for s in listed] == ["370115D03"]
    assert client.get(f"/api/v1/briefings/meetings/{written.pk}/follow-ups").status_code == 403


def test_once_published_a_unit_of_the_region_reads_the_meeting_whole(client_for, cast, written):
    services.publish(cast.zhao_fagai, written)
    client = client_for("zhou_shangwu")
    page = client.get(f"/briefings/meetings/{written.pk}/").content.decode()
    assert "财政局的材料" in page and 'id="submissions"' in page
    assert {s["unit"] for s in client.get(f"/api/v1/briefings/meetings/{written.pk}/sections").json()} == \
        {"370115D03", "370115D04"}
    # reading is not writing: 财政局's section stays 财政局's
    assert client.post(f"/briefings/meetings/{written.pk}/sections/budget_revenue", {"reasons_text": "x"}).status_code == 403


def test_the_leader_of_another_district_cannot_open_a_meeting_for_jiyang(client_for, owners):
    response = client_for("ma_lixia").post("/api/v1/briefings/meetings", {
        "title": "越权的会", "region": "370115", "period": "2020-03", "held_on": "2020-04-20", "sections_due": "2020-04-15"},
        content_type="application/json")
    assert response.status_code == 403 and "只有济阳区的领导、发改局（经济分析）和督查室可以召开会议" in response.json()["error"]


def test_the_navigation_and_list_show_the_meeting_to_its_region_only(client_for, written):
    assert written.title in client_for("zhou_shangwu").get("/briefings/").content.decode()
    assert "会议材料" not in client_for("wu_cunju").get("/").content.decode().split("</nav>")[0]
    assert client_for("wu_cunju").get("/briefings/").status_code == 403
    other = client_for("ma_lixia").get("/briefings/").content.decode()
    assert written.title not in other[other.index('id="meetings"'):other.index("</table>")] and "还没有会议" in other


def test_only_offices_see_the_form_to_open_a_meeting(client_for, owners):
    assert 'id="open-meeting"' in client_for("zhao_fagai").get("/briefings/").content.decode()
    assert 'id="open-meeting"' not in client_for("zhou_shangwu").get("/briefings/").content.decode()
    assert 'id="open-meeting"' not in client_for("qian_tongji").get("/briefings/").content.decode()
