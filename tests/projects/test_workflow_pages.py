"""The pools' workflow on the pages and the API: each role on the project page's 项目库 and 要素保障 parts, the
requests' page, the problems' list (page and xlsx); bad input refused in Chinese with nothing saved."""

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from luoshi.projects import rules, services
from luoshi.projects.models import PoolMove, Problem, Project

pytestmark = pytest.mark.django_db

PAGES = ["moves", "problems", "problems_xlsx"]
REGION_READERS = {"moves": 200, "problems": 200, "problems_xlsx": 200}
OTHERS = {"moves": 403, "problems": 403, "problems_xlsx": 403}
EXPECTED = {"wang_admin": REGION_READERS, "zhao_fagai": REGION_READERS, "sun_leader": REGION_READERS,
            "li_ducha": REGION_READERS, "qian_tongji": REGION_READERS, "zhou_shangwu": OTHERS, "sun_jiedao": OTHERS,
            "wu_cunju": OTHERS, "ma_lixia": OTHERS, "nobody": OTHERS}


def url(page):
    return {"moves": "/projects/moves/?region=370115", "problems": "/projects/problems/?region=370115",
            "problems_xlsx": "/projects/problems/?region=370115&all=1&format=xlsx"}[page]


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_role_opens_the_requests_and_the_problems_only_where_it_may(client_for, pool, frozen, username):
    client = client_for(username)
    for page in PAGES:
        assert client.get(url(page)).status_code == EXPECTED[username][page], (username, page)


def test_the_project_page_shows_the_pool_its_history_its_nodes_and_who_may_do_what(client_for, pool, frozen):
    office = client_for("zhao_fagai").get(f"/projects/p/{pool.p1.pk}/").content.decode()
    assert 'id="pool-now">在建' in office and "入项目库：在建" in office
    assert "开工：计划 2020年2月29日，2020年2月20日完成" in office
    assert 'id="move-form"' in office and 'id="problem-form"' in office and 'id="decide-form"' not in office
    leader = client_for("sun_leader").get(f"/projects/p/{pool.p1.pk}/").content.decode()
    assert 'id="move-form"' not in leader and 'id="problem-form"' not in leader
    unit = client_for("zhou_shangwu").get(f"/projects/p/{pool.p1.pk}/").content.decode()
    assert 'id="move-form"' not in unit and 'id="problem-form"' in unit


def test_the_office_asks_and_the_leader_decides_on_the_pages(client_for, pool, frozen):
    office = client_for("zhao_fagai")
    response = office.post(f"/projects/p/{pool.p2.pk}/move", {"kind": "withdraw", "reason": ""})
    assert response.status_code == 400 and "请填写申请理由" in response.content.decode()
    assert not PoolMove.objects.filter(status=rules.PENDING).exists()
    response = office.post(f"/projects/p/{pool.p2.pk}/move", {"kind": "withdraw", "reason": "资金未落实"})
    assert response.status_code == 302
    move = PoolMove.objects.get(status=rules.PENDING)
    assert "资金未落实" in client_for("sun_leader").get("/projects/moves/?region=370115").content.decode()
    assert client_for("zhao_fagai").post(f"/projects/moves/{move.pk}/decide", {"decision": "approve"}).status_code == 403
    leader = client_for("sun_leader")
    page = leader.get(f"/projects/p/{pool.p2.pk}/").content.decode()
    assert 'id="decide-form"' in page
    response = leader.post(f"/projects/moves/{move.pk}/decide", {"decision": "refuse", "note": ""})
    assert response.status_code == 400 and "不予批准请填写理由" in response.content.decode()
    assert leader.post(f"/projects/moves/{move.pk}/decide", {"decision": "approve", "note": "同意"}).status_code == 302
    assert Project.objects.get(pk=pool.p2.pk).pool == rules.WITHDRAWN


def test_problems_on_the_page_and_in_the_meetings_list(client_for, pool, frozen, cast):
    unit = client_for("zhou_shangwu")
    response = unit.post(f"/projects/p/{pool.p1.pk}/problems", {"kind": "land", "level": "district",
                                                                "unit": "370115D03", "deadline": "2020-04-01",
                                                                "text": "=HYPERLINK(\"x\")"})
    assert response.status_code == 400 and "解决时限 2020年4月1日 早于今天" in response.content.decode()
    assert not Problem.objects.exists()
    response = unit.post(f"/projects/p/{pool.p1.pk}/problems", {"kind": "land", "level": "district",
                                                                "unit": "370115D03", "deadline": "2020-04-30",
                                                                "text": "=HYPERLINK(\"x\")"})
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert client_for("zheng_caizheng").post(f"/projects/problems/{problem.pk}/solve",
                                             {"solution": "x"}).status_code == 404
    page = client_for("zhao_fagai").get("/projects/problems/?region=370115").content.decode()
    assert "年产10万吨新材料项目" in page and "未解决 1 个" in page
    xlsx = client_for("zhao_fagai").get("/projects/problems/?region=370115&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    row = [c.value for c in sheet[2]]
    assert row[:7] == [1, "年产10万吨新材料项目", "商务局", "土地", "区级", "区商务局", '=HYPERLINK("x")']
    assert sheet.cell(row=2, column=7).data_type == "s"  # text, never a formula
    assert unit.post(f"/projects/problems/{problem.pk}/solve", {"solution": "已落实用地指标"}).status_code == 302
    assert Problem.objects.get().state == rules.SOLVED


def test_the_api_asks_decides_and_lists(pool, frozen, cast):
    from luoshi.orgs import services as org_services
    from django.test import Client

    def api(user):
        _, raw = org_services.create_api_token(user, user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    office, leader = api(cast.zhao_fagai), api(cast.sun_leader)
    response = office.post(f"/api/v1/projects/projects/{pool.p3.pk}/moves",
                           json.dumps({"kind": "withdraw", "reason": "业主放弃"}), content_type="application/json")
    assert response.status_code == 201, response.content
    move_id = response.json()["id"]
    assert [i["title"] for i in leader.get("/api/v1/projects/pending").json()] == ["济阳街道社区服务中心：申请退库（业主放弃）"]
    response = leader.post(f"/api/v1/projects/moves/{move_id}/decision", json.dumps({"decision": "maybe"}),
                           content_type="application/json")
    assert response.status_code == 400 and "approve" in response.content.decode()
    response = leader.post(f"/api/v1/projects/moves/{move_id}/decision", json.dumps({"decision": "approve"}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    moves = office.get(f"/api/v1/projects/projects/{pool.p3.pk}/moves").json()
    assert moves["pool"] == "withdrawn" and [m["kind"] for m in moves["moves"]] == ["enter", "withdraw"]
    response = office.post(f"/api/v1/projects/projects/{pool.p2.pk}/problems",
                           json.dumps({"kind": "funds", "level": "city", "unit": "370115D04", "deadline": "2020-05-01",
                                       "text": "上级资金未到位"}), content_type="application/json")
    assert response.status_code == 201 and response.json()["level_label"] == "市级以上"
    listed = office.get("/api/v1/projects/problems?region=370115").json()
    assert listed["open"] == 1 and listed["problems"][0]["text"] == "上级资金未到位"
    response = api(cast.zheng_caizheng).post(f"/api/v1/projects/problems/{response.json()['id']}/solve",
                                             json.dumps({"solution": "已到位"}), content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "solved"
