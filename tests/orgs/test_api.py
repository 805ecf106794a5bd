import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.orgs import services
from luoshi.orgs.models import ApiToken

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


def token_client(user, name="测试"):
    _, raw = services.create_api_token(user, user, name)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), raw


def test_me_with_a_token_gives_roles_and_scopes(cast):
    client, _ = token_client(cast.li_ducha)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == "li_ducha" and data["title"] == "督查室主任"
    assert data["roles"] == [{"role": "supervision", "role_name": "督查室", "region": "370115", "region_name": "济阳区",
                              "unit": None, "unit_name": None}]


def test_token_is_stored_hashed_and_shown_once(cast):
    token, raw = services.create_api_token(cast.qian_tongji, cast.qian_tongji, "同步脚本")
    assert raw.startswith("ls_") and len(raw) > 40
    assert token.digest != raw and raw not in token.digest
    assert ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).exists()


def test_no_token_is_refused_with_401_in_chinese(cast):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"error": "未登录或 API 令牌无效（缺失、错误或已吊销）"}


def test_wrong_token_is_refused(cast):
    response = Client(HTTP_AUTHORIZATION="Bearer ls_not-a-real-token").get("/api/v1/me")
    assert response.status_code == 401 and "error" in response.json()


def test_revoked_token_is_refused(cast):
    client, raw = token_client(cast.sun_leader)
    assert client.get("/api/v1/me").status_code == 200
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    services.revoke_api_token(cast.sun_leader, token)
    assert client.get("/api/v1/me").status_code == 401


def test_token_of_a_deactivated_account_is_refused(cast):
    client, _ = token_client(cast.sun_leader)
    cast.sun_leader.is_active = False
    cast.sun_leader.save()
    assert client.get("/api/v1/me").status_code == 401


def test_x_api_token_header_works_too(cast):
    _, raw = services.create_api_token(cast.sun_leader, cast.sun_leader, "x")
    assert Client(HTTP_X_API_TOKEN=raw).get("/api/v1/me").status_code == 200


def test_regions_are_limited_to_the_scope(cast):
    client, _ = token_client(cast.sun_leader)
    codes = [r["code"] for r in client.get("/api/v1/regions").json()]
    assert "370115" in codes and "370115001201" in codes
    assert "370102" not in codes and "370100" not in codes


def test_regions_filter_by_parent(cast):
    client, _ = token_client(cast.wang_admin)
    rows = client.get("/api/v1/regions", {"parent": "370100"}).json()
    assert sorted(r["code"] for r in rows) == ["370102", "370115"]
    assert rows[0]["level_name"] == "县级"


def test_region_outside_scope_is_403_not_500(cast):
    client, _ = token_client(cast.sun_leader)
    response = client.get("/api/v1/regions/370102")
    assert response.status_code == 403
    assert response.json() == {"error": "您无权查看地区 历下区"}


def test_unknown_region_is_404(cast):
    client, _ = token_client(cast.wang_admin)
    response = client.get("/api/v1/regions/999999")
    assert response.status_code == 404 and response.json() == {"error": "地区 999999 不存在"}


def test_unit_sees_its_own_unit_and_not_another(cast):
    client, _ = token_client(cast.zhou_shangwu)
    assert [u["code"] for u in client.get("/api/v1/units").json()] == ["370115D03"]
    assert client.get("/api/v1/units/370115D03").json()["name"] == "区商务局"
    assert client.get("/api/v1/units/370115D04").status_code == 403


def test_reporter_reads_their_own_village_unit(cast):
    client, _ = token_client(cast.wu_cunju)
    assert [u["code"] for u in client.get("/api/v1/units").json()] == ["370115001201"]
    assert client.get("/api/v1/regions/370115001202").status_code == 403


def test_units_filter_by_kind(cast):
    client, _ = token_client(cast.li_ducha)
    codes = [u["code"] for u in client.get("/api/v1/units", {"kind": "department"}).json()]
    assert codes == ["370115D01", "370115D02", "370115D03", "370115D04"]


def test_session_user_can_call_the_api_from_the_browser(client_for):
    assert client_for("sun_leader").get("/api/v1/me").json()["username"] == "sun_leader"


def test_openapi_document_and_docs_page_are_served(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert "/api/v1/me" in paths and "/api/v1/regions" in paths and "/api/v1/units/{code}" in paths
    assert client.get("/api/v1/docs").status_code == 200


def test_last_used_times_are_written_in_batches_not_on_every_call(cast):
    client, raw = token_client(cast.sun_leader)
    services.flush_token_use()  # start from an empty batch, just flushed
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/me").status_code == 200
    assert captured.captured_queries and not [q for q in captured.captured_queries if "UPDATE" in q["sql"]]
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    assert token.last_used_at is None
    assert services.flush_token_use() == 1
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_call_after_the_flush_interval_writes_the_batch(cast, monkeypatch):
    client, raw = token_client(cast.sun_leader)
    other_client, other_raw = token_client(cast.li_ducha)
    services.flush_token_use()
    assert other_client.get("/api/v1/me").status_code == 200
    monkeypatch.setattr(services, "LAST_USED_FLUSH_SECONDS", 0)
    assert client.get("/api/v1/me").status_code == 200
    used = dict(ApiToken.objects.values_list("digest", "last_used_at"))
    assert used[ApiToken.digest_of(raw)] is not None and used[ApiToken.digest_of(other_raw)] is not None


def test_a_flush_writes_each_tokens_own_time_and_leaves_the_others(cast):
    from datetime import datetime, timedelta, timezone as tz

    tokens = [services.create_api_token(user, user, "批量")[0] for user in (cast.sun_leader, cast.li_ducha, cast.wu_cunju)]
    services.flush_token_use()
    first = datetime(2020, 4, 14, 1, 0, tzinfo=tz.utc)
    services.note_token_use(tokens[0].pk, None, first)
    services.note_token_use(tokens[1].pk, None, first + timedelta(minutes=5))
    assert services.flush_token_use() == 2
    used = dict(ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).values_list("pk", "last_used_at"))
    assert used == {tokens[0].pk: first, tokens[1].pk: first + timedelta(minutes=5), tokens[2].pk: None}


def test_the_tokens_page_shows_the_last_use_at_once(cast, client_for):
    api_client, _ = token_client(cast.sun_leader, "同步脚本")
    services.flush_token_use()
    page = client_for("sun_leader")

    def last_used_cell():
        html = page.get("/account/tokens/").content.decode()
        row = html[html.index("<td>同步脚本</td>"):]
        return row.split("<td>")[3].split("</td>")[0].strip()

    assert last_used_cell() == "—"
    assert api_client.get("/api/v1/me").status_code == 200
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", last_used_cell())
