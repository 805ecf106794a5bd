import pytest

from luoshi.audit.models import AuditEntry
from luoshi.orgs import services
from luoshi.orgs.models import Unit

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


def test_every_write_records_who_what_before_and_after(cast):
    unit = Unit.objects.get(code="370115D03")
    services.save_unit(cast.wang_admin, code=unit.code, name="区商务和投资促进局", kind=unit.kind, region=unit.region)
    entry = AuditEntry.objects.filter(action="修改单位").get()
    assert entry.actor == cast.wang_admin and entry.actor_label == "王管理"
    assert entry.object_type == "orgs.Unit" and entry.object_id == str(unit.pk)
    assert entry.before["name"] == "区商务局" and entry.after["name"] == "区商务和投资促进局"


def test_an_unchanged_save_records_nothing(cast):
    unit = Unit.objects.get(code="370115D03")
    count = AuditEntry.objects.count()
    services.save_unit(cast.wang_admin, code=unit.code, name=unit.name, kind=unit.kind, region=unit.region, short_name=unit.short_name)
    assert AuditEntry.objects.count() == count


def test_administrator_browses_and_filters_the_trail(client_for, cast):
    services.create_api_token(cast.sun_leader, cast.sun_leader, "区长脚本")
    client = client_for("wang_admin")
    body = client.get("/audit/", {"action": "创建API令牌"}).content.decode()
    assert "区长脚本" in body and "孙区长" in body
    assert "新增地区" not in body
    body = client.get("/audit/", {"object_type": "orgs.Region", "q": "东关村"}).content.decode()
    assert "东关村" in body and "共 1 条" in body


def test_audit_filter_by_date_range(client_for, cast):
    client = client_for("wang_admin")
    assert "共 0 条" in client.get("/audit/", {"to": "2000-01-01"}).content.decode()
    assert "共 0 条" not in client.get("/audit/", {"from": "2000-01-01"}).content.decode()


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "wu_cunju", "nobody"])
def test_only_administrators_may_read_the_trail(client_for, username):
    assert client_for(username).get("/audit/").status_code == 403


def test_insert_recorded_writes_the_row_and_its_entry_together(cast):
    from luoshi.audit.services import insert_recorded
    from luoshi.orgs.models import ApiToken

    token = ApiToken(user=cast.sun_leader, name="脚本", prefix="ls_x", digest="a" * 64)
    assert insert_recorded(cast.sun_leader, "创建API令牌", token, after={"name": "脚本"}) is token
    saved = ApiToken.objects.get(digest="a" * 64)
    assert token.pk == saved.pk and saved.created_at is not None
    entry = AuditEntry.objects.get(action="创建API令牌")
    assert (entry.object_type, entry.object_id, entry.actor, entry.after) == ("orgs.ApiToken", str(saved.pk), cast.sun_leader,
                                                                           {"name": "脚本"})


def test_insert_recorded_unless_conflict_leaves_no_entry_when_the_row_is_kept_out(cast):
    from luoshi.audit.services import insert_recorded
    from luoshi.orgs.models import ApiToken

    insert_recorded(None, "创建API令牌", ApiToken(user=cast.sun_leader, name="一", prefix="ls_x", digest="b" * 64))
    count = AuditEntry.objects.count()
    again = ApiToken(user=cast.sun_leader, name="二", prefix="ls_x", digest="b" * 64)
    assert insert_recorded(None, "创建API令牌", again, unless_conflict=True) is None
    assert AuditEntry.objects.count() == count and ApiToken.objects.get(digest="b" * 64).name == "一"


def test_rows_read_with_fixed_sql_come_back_as_the_orm_gives_them(cast):
    from django.db import connection

    from luoshi.core.sql import columns_of, hot_cursor, model_from_row
    from luoshi.orgs.models import ApiToken

    token, _ = services.create_api_token(cast.sun_leader, cast.sun_leader, "脚本")
    with hot_cursor() as cursor:
        cursor.execute(f"SELECT {columns_of(ApiToken, 't')} FROM orgs_apitoken t WHERE t.id = %s", [token.pk])
        row = cursor.fetchone()
    read = model_from_row(ApiToken, row)
    orm = ApiToken.objects.get(pk=token.pk)
    assert [getattr(read, f.attname) for f in ApiToken._meta.concrete_fields] == \
        [getattr(orm, f.attname) for f in ApiToken._meta.concrete_fields]
    assert read.created_at.tzinfo is not None  # aware on SQLite too
