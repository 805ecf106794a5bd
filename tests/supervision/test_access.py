"""Who may do what with notices, per role and action, through the pages and the API.

督办〔2020〕1号 is on task 1 (济阳区): lead 区商务局 (zhou_shangwu), copied to 济阳街道 (sun_jiedao); 区财政局
(zheng_caizheng) only cooperates on the task."""

import pytest

from luoshi.supervision.models import Notice

pytestmark = pytest.mark.django_db

READ = {"wang_admin": 200, "li_ducha": 200, "sun_leader": 200, "zhou_shangwu": 200, "sun_jiedao": 200,
        "zheng_caizheng": 403, "ma_lixia": 403, "liu_ducha": 403, "zhao_fagai": 403, "qian_tongji": 403,
        "wu_cunju": 403, "nobody": 403}


@pytest.mark.parametrize("username,status", READ.items())
def test_who_reads_a_notice_page_its_print_view_its_word_file_and_its_api(notice, client_for, lixia_office, username,
                                                                          status):
    client = client_for(username)
    for path in (f"/supervision/notices/{notice.pk}/", f"/supervision/notices/{notice.pk}/print",
                 f"/supervision/notices/{notice.pk}/docx", f"/api/v1/supervision/notices/{notice.pk}"):
        assert client.get(path).status_code == status, path


@pytest.mark.parametrize("username,listed", [
    ("li_ducha", True), ("sun_leader", True), ("zhou_shangwu", True), ("sun_jiedao", True), ("wang_admin", True),
    ("zheng_caizheng", False), ("ma_lixia", False), ("liu_ducha", False)])
def test_the_list_shows_a_notice_only_to_its_readers(notice, client_for, lixia_office, username, listed):
    page = client_for(username).get("/supervision/notices/")
    assert page.status_code == 200
    assert ("督办〔2020〕1号" in page.content.decode()) is listed
    api = client_for(username).get("/api/v1/supervision/notices").json()
    assert [n["number"] for n in api] == (["督办〔2020〕1号"] if listed else [])


@pytest.mark.parametrize("username", ["zhao_fagai", "qian_tongji", "wu_cunju", "nobody"])
def test_people_outside_supervision_cannot_open_the_list(cast, client_for, username):
    assert client_for(username).get("/supervision/notices/").status_code == 403
    response = client_for(username).get("/api/v1/supervision/notices")
    assert response.status_code == 403 and response.json()["error"] == "您无权查看督查督办"


OPEN = {"li_ducha": 302, "wang_admin": 302, "sun_leader": 403, "zhou_shangwu": 403, "sun_jiedao": 403,
        "liu_ducha": 403, "zhao_fagai": 403, "nobody": 403}


@pytest.mark.parametrize("username,status", OPEN.items())
def test_only_the_office_of_the_tasks_region_opens_a_notice_on_the_page_and_the_api(plan, client_for, lixia_office,
                                                                                     may_12, username, status):
    client = client_for(username)
    assert client.get(f"/supervision/notices/open/{plan.t1.pk}").status_code == (200 if status == 302 else 403)
    response = client.post(f"/supervision/notices/open/{plan.t1.pk}", {"reason": "请说明滞后原因", "reply_due": "2020-05-19"})
    assert response.status_code == status
    assert Notice.objects.count() == (1 if status == 302 else 0)
    api = client.post("/api/v1/supervision/notices", {"task": plan.t2.pk}, content_type="application/json")
    assert api.status_code == (201 if status == 302 else 403), api.content


def _post(client, notice, action, text="办理情况说明"):
    return client.post(f"/supervision/notices/{notice.pk}/{action}", {"text": text})


def _api(client, notice, action, text="办理情况说明"):
    return client.post(f"/api/v1/supervision/notices/{notice.pk}/{action}", {"text": text},
                       content_type="application/json")


@pytest.mark.parametrize("username,status", [("zhou_shangwu", 302), ("wang_admin", 302), ("sun_jiedao", 403),
                                             ("zheng_caizheng", 403), ("li_ducha", 403), ("sun_leader", 403),
                                             ("ma_lixia", 403), ("nobody", 403)])
def test_only_the_lead_unit_answers_its_notice(notice, client_for, username, status):
    assert _post(client_for(username), notice, "reply").status_code == status
    notice.refresh_from_db()
    assert notice.state == ("replied" if status == 302 else "pending")


@pytest.mark.parametrize("username,status", [("zheng_caizheng", 403), ("sun_jiedao", 403), ("li_ducha", 403)])
def test_the_api_refuses_a_reply_from_anyone_but_the_lead_unit_with_a_chinese_error(notice, client_for, username,
                                                                                    status):
    response = _api(client_for(username), notice, "reply")
    assert response.status_code == status
    assert "error" in response.json() and any("\u4e00" <= c <= "\u9fff" for c in response.json()["error"])
    assert Notice.objects.get().state == "pending"


@pytest.mark.parametrize("action", ["accept", "return"])
@pytest.mark.parametrize("username,status", [("li_ducha", 302), ("wang_admin", 302), ("liu_ducha", 403),
                                             ("sun_leader", 403), ("zhou_shangwu", 403), ("sun_jiedao", 403),
                                             ("zheng_caizheng", 403)])
def test_only_the_office_returns_or_accepts_an_answer(notice, cast, client_for, lixia_office, action, username, status):
    from luoshi.supervision import services

    services.reply(cast.zhou_shangwu, notice, "已整改。")
    assert _post(client_for(username), notice, action, "理由").status_code == status
    notice.refresh_from_db()
    expected = {"accept": "closed", "return": "returned"}[action] if status == 302 else "replied"
    assert notice.state == expected
    if status == 403:
        assert _api(client_for(username), notice, action, "理由").status_code == 403


def test_a_missing_notice_is_a_404_with_a_chinese_message(cast, client_for):
    assert client_for("li_ducha").get("/supervision/notices/999/").status_code == 404
    response = client_for("li_ducha").get("/api/v1/supervision/notices/999")
    assert response.status_code == 404 and response.json() == {"error": "督办单 999 不存在"}


def test_bad_input_on_the_pages_gets_a_chinese_message_and_changes_nothing(notice, cast, client_for):
    unit, office = client_for("zhou_shangwu"), client_for("li_ducha")
    response = _post(unit, notice, "reply", "   ")
    assert response.status_code == 400 and "答复内容不能为空" in response.content.decode()
    response = _post(office, notice, "accept")
    assert response.status_code == 400 and "尚未收到答复" in response.content.decode()
    assert _post(unit, notice, "reply").status_code == 302
    assert _post(office, notice, "accept").status_code == 302
    response = _post(office, notice, "accept")
    assert response.status_code == 400 and "已办结，不能再办结" in response.content.decode()
    response = _post(office, notice, "return", "再查")
    assert response.status_code == 400 and "已办结，不能再退回" in response.content.decode()
    assert list(notice.steps.values_list("kind", flat=True)) == ["opened", "replied", "accepted"]


def test_bad_input_on_the_api_is_a_400_with_one_error_shape(notice, cast, client_for):
    unit, office = client_for("zhou_shangwu"), client_for("li_ducha")
    response = _api(unit, notice, "reply", "")
    assert response.status_code == 400 and response.json()["error"] == "答复内容不能为空"
    assert _api(unit, notice, "reply").status_code == 200
    assert _api(office, notice, "accept", "").json()["state"] == "closed"
    twice = _api(office, notice, "accept", "")
    assert twice.status_code == 400 and twice.json()["error"] == "督办〔2020〕1号已办结，不能再办结"
    again = office.post("/api/v1/supervision/notices", {"task": notice.task_id, "reply_due": "2020-05-01"},
                        content_type="application/json")
    assert again.status_code == 400 and "答复时限" in again.json()["error"]
    wrong = office.post("/api/v1/supervision/notices", {"task": notice.task_id, "milestone": 10 ** 6},
                        content_type="application/json")
    assert wrong.status_code == 400 and "不属于该重点任务" in wrong.json()["error"]
