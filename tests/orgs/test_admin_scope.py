"""An administrator of one county administers that county only (issue #20, 6): its people's accounts, units,
regions below it, roles inside it and its robots. Global administrators and superusers, another county's people,
a role outside the county and the global admin role are a global administrator's. Every refusal is a Chinese 4xx
and changes nothing."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.notify import services as notify_services
from luoshi.notify.models import Robot
from luoshi.orgs import services
from luoshi.orgs.models import AccountState, Person, Region, RoleAssignment, Unit
from tests.orgs.admins import add_region_admins

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]  # security round two (#20): on both databases
User = get_user_model()


@pytest.fixture
def admins(cast):
    return add_region_admins(cast)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def state():
    """The rows an administrative action may change."""
    return {
        "users": list(User.objects.order_by("pk").values_list("username", "password", "is_active", "is_superuser")),
        "people": list(Person.objects.order_by("pk").values_list("name", "title", "unit_id", "user_id")),
        "roles": list(RoleAssignment.objects.order_by("pk").values_list("user_id", "role", "region_id", "unit_id")),
        "states": list(AccountState.objects.order_by("pk").values_list("user_id", "must_change_password")),
        "regions": list(Region.objects.order_by("pk").values_list("code", "name", "parent_id")),
        "units": list(Unit.objects.order_by("pk").values_list("code", "name", "region_id")),
        "robots": list(Robot.objects.order_by("pk").values_list("unit_id", "region_id", "active")),
        "audit": AuditEntry.objects.count(),
    }


def refused(response, status, words):
    body = response.json()["error"] if response["Content-Type"].startswith("application/json") else response.content.decode()
    assert response.status_code == status, body[:300]
    assert words in body, body[:600]


def csv(rows):
    return SimpleUploadedFile("组织机构.csv", "\n".join(",".join(r) for r in rows).encode())


HEADER = ["代码", "名称", "类别", "上级代码"]


# --- passwords ------------------------------------------------------------------------------------------------------

def test_a_county_administrator_resets_a_password_of_their_county_and_sees_the_one_time_password(admins):
    c = signed_in(admins.jiyang_admin)
    assert c.post(f"/orgs/people/{admins.zhou_shangwu.pk}/password").status_code == 302
    assert 'id="one-time-password"' in c.get("/orgs/people/").content.decode()
    assert AccountState.objects.get(user=admins.zhou_shangwu).must_change_password


@pytest.mark.parametrize("admin, target, words", [
    ("lixia_admin", "zhou_shangwu", "您只能管理历下区范围内的人员，周商务（zhou_shangwu）属于济阳区"),
    ("jiyang_admin", "ma_lixia", "您只能管理济阳区范围内的人员，马区长（ma_lixia）属于历下区"),
    ("jiyang_admin", "wang_admin", "只有全局系统管理员可以管理全局系统管理员和超级用户的账号"),
    ("jiyang_admin", "superuser", "只有全局系统管理员可以管理全局系统管理员和超级用户的账号"),
    ("jiyang_admin", "nobody", "无角色（nobody）不属于任何单位或地区，只有全局系统管理员可以管理"),
])
def test_a_county_administrator_cannot_reset_a_password_outside_the_county(admins, admin, target, words):
    if target == "superuser":  # a superuser who works in 济阳区's 督查室 is still none of its administrator's business
        admins.superuser = User.objects.create_superuser("root", password=admins.password)
        services.save_person(None, name="超级管理", unit=admins.units.ducha, user=admins.superuser)
    c = signed_in(getattr(admins, admin))
    before = state()
    refused(c.post(f"/orgs/people/{getattr(admins, target).pk}/password"), 403, words)
    assert state() == before
    assert "one-time-password" not in c.get("/orgs/people/").content.decode()


def test_a_global_administrator_resets_any_password_even_a_superusers(admins):
    root = User.objects.create_superuser("root", password=admins.password)
    assert signed_in(admins.wang_admin).post(f"/orgs/people/{root.pk}/password").status_code == 302
    assert AccountState.objects.get(user=root).must_change_password


def test_the_service_checks_the_administrator_too(admins):
    with pytest.raises(Exception, match="只有全局系统管理员"):
        services.reset_password(admins.jiyang_admin, admins.wang_admin)
    with pytest.raises(Exception, match="此操作仅限系统管理员"):
        services.reset_password(admins.sun_leader, admins.zhou_shangwu)
    assert not AccountState.objects.exists()


# --- the people page, roles, switching accounts, new accounts --------------------------------------------------------

def test_the_people_page_lists_only_the_county_administrators_people(admins):
    page = signed_in(admins.jiyang_admin).get("/orgs/people/").content.decode()
    assert "zhou_shangwu" in page and "wu_cunju" in page
    assert "ma_lixia" not in page and "wang_admin" not in page and "lixia_admin" not in page
    assert "您是济阳区的系统管理员" in page
    other = signed_in(admins.lixia_admin).get("/orgs/people/").content.decode()
    assert "ma_lixia" in other and "zhou_shangwu" not in other
    assert "wang_admin" in signed_in(admins.wang_admin).get("/orgs/people/").content.decode()


def test_a_county_administrator_grants_and_removes_roles_inside_the_county(admins):
    c = signed_in(admins.jiyang_admin)
    assert c.post(f"/orgs/people/{admins.zhou_shangwu.pk}/role", {"role": "leader", "scope": "370115"}).status_code == 302
    granted = RoleAssignment.objects.get(user=admins.zhou_shangwu, role="leader")
    assert c.post(f"/orgs/people/{admins.zhou_shangwu.pk}/role", {"remove": granted.pk}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=granted.pk).exists()
    # and a town's administrator below it
    assert c.post(f"/orgs/people/{admins.sun_jiedao.pk}/role", {"role": "admin", "scope": "370115001"}).status_code == 302
    assert RoleAssignment.objects.filter(user=admins.sun_jiedao, role="admin", region=admins.town).exists()


@pytest.mark.parametrize("target, data, words", [
    ("zhou_shangwu", {"role": "admin", "scope": ""}, "只有全局系统管理员可以授予不限地区的系统管理员角色"),
    ("zhou_shangwu", {"role": "leader", "scope": "370102"}, "您只能在济阳区范围内授予或撤销角色，历下区不在范围内"),
    ("zhou_shangwu", {"role": "leader", "scope": "370100"}, "您只能在济阳区范围内授予或撤销角色，济南市不在范围内"),
    ("zhou_shangwu", {"role": "unit", "scope": "370102B02"}, "您只能在济阳区范围内授予或撤销角色，历下区不在范围内"),
    ("ma_lixia", {"role": "leader", "scope": "370115"}, "您只能管理济阳区范围内的人员"),
    ("ma_lixia", {"active": "0"}, "您只能管理济阳区范围内的人员"),
    ("wang_admin", {"active": "0"}, "只有全局系统管理员可以管理"),
    ("wang_admin", {"role": "leader", "scope": "370115"}, "只有全局系统管理员可以管理"),
])
def test_a_county_administrator_cannot_give_roles_outside_the_county_nor_touch_others(admins, target, data, words):
    c = signed_in(admins.jiyang_admin)
    before = state()
    refused(c.post(f"/orgs/people/{getattr(admins, target).pk}/role", data), 403, words)
    assert state() == before


def test_a_county_administrator_cannot_take_away_another_countys_role(admins):
    role = RoleAssignment.objects.get(user=admins.ma_lixia)
    before = state()
    refused(signed_in(admins.jiyang_admin).post(f"/orgs/people/{admins.ma_lixia.pk}/role", {"remove": role.pk}), 403,
            "您只能管理济阳区范围内的人员")
    refused(signed_in(admins.jiyang_admin).post(f"/orgs/people/{admins.lixia_admin.pk}/role",
                                                {"remove": RoleAssignment.objects.get(user=admins.lixia_admin).pk}),
            403, "您只能管理济阳区范围内的人员")
    assert state() == before


NEW = {"username": "xin_ren", "full_name": "新人", "password": "Xin-ren-2020!"}


def test_a_county_administrator_creates_an_account_in_a_unit_of_the_county(admins):
    response = signed_in(admins.jiyang_admin).post("/orgs/people/add", {**NEW, "unit": "370115D03", "role": "unit",
                                                                         "scope": "370115D03"})
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user__username="xin_ren").unit == admins.units.shangwu


@pytest.mark.parametrize("data, words", [
    ({"unit": ""}, "您是济阳区的系统管理员，新建账号须填写济阳区范围内的单位代码"),
    ({"unit": "370102B02"}, "您只能在济阳区范围内新建账号，历下区政府办公室不在范围内"),
    ({"unit": "370115D03", "role": "admin", "scope": ""}, "只有全局系统管理员可以授予不限地区的系统管理员角色"),
    ({"unit": "370115D03", "role": "leader", "scope": "370102"}, "您只能在济阳区范围内授予角色，历下区不在范围内"),
])
def test_a_county_administrator_cannot_create_an_account_outside_the_county(admins, data, words):
    before = state()
    refused(signed_in(admins.jiyang_admin).post("/orgs/people/add", {**NEW, **data}), 403, words)
    assert state() == before


# --- regions and units ---------------------------------------------------------------------------------------------

def test_a_county_administrator_imports_towns_and_units_of_the_county(admins):
    c = signed_in(admins.jiyang_admin)
    response = c.post("/orgs/import/", {"file": csv([HEADER, ["370115102", "回河街道", "乡镇(街道)", "370115"],
                                                     ["370115102201", "新村", "村(社区)", "370115102"],
                                                     ["370115D09", "区审计局", "区直部门", "370115"]])})
    assert response.status_code == 302
    assert Region.objects.filter(code="370115102201").exists() and Unit.objects.filter(code="370115D09").exists()


@pytest.mark.parametrize("rows, words", [
    ([["370102D01", "历下区发改局", "区直部门", "370102"]], "所属地区 370102 不在您管理的范围（济阳区）内"),
    ([["370102001", "历下街道", "乡镇(街道)", "370102"]], "地区 370102001 不在您管理的范围（济阳区）内"),
    ([["370115", "济阳新区", "县级", "370100"]], "上级代码 370100 不在您管理的范围（济阳区）内，不能修改济阳新区"),
    ([["370102B02", "改名的办公室", "机关办公室", "370115"]], "单位 370102B02 已属于历下区，不在您管理的范围（济阳区）内"),
])
def test_a_county_administrator_imports_nothing_outside_the_county(admins, rows, words):
    before = state()
    response = signed_in(admins.jiyang_admin).post("/orgs/import/", {"file": csv([HEADER, *rows])})
    refused(response, 400, words)
    assert state() == before


def test_a_county_administrator_exports_the_county_only(admins):
    rows = signed_in(admins.jiyang_admin).get("/orgs/export.csv").content.decode("utf-8-sig").splitlines()
    codes = {row.split(",")[0] for row in rows[1:]}
    assert {"370115", "370115D03", "370115001201"} <= codes
    assert not codes & {"370100", "370102", "370102B02"}


# --- robots and the outbox -------------------------------------------------------------------------------------------

@pytest.fixture
def robots(admins):
    def add(unit, key):
        return notify_services.add_robot(None, kind="wecom", unit=unit,
                                         url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={key}")

    return add(admins.units.shangwu, "jiyang"), add(admins.units.lixia_gov, "lixia")


def test_a_county_administrator_sees_and_switches_only_the_countys_robots(admins, robots):
    jiyang, lixia = robots
    c = signed_in(admins.jiyang_admin)
    page = c.get("/inbox/robots/").content.decode()
    assert "区商务局" in page and "历下区政府办公室" not in page
    listed = c.get("/api/v1/notify/robots").json()
    assert [r["id"] for r in listed] == [jiyang.pk]
    assert c.post(f"/inbox/robots/{jiyang.pk}/active", {"active": "0"}).status_code == 302
    assert not Robot.objects.get(pk=jiyang.pk).active


def test_a_county_administrator_cannot_change_another_countys_robots(admins, robots):
    _, lixia = robots
    c = signed_in(admins.jiyang_admin)
    before = state()
    words = "您只能管理济阳区范围内的群机器人，历下区不在范围内"
    refused(c.post(f"/inbox/robots/{lixia.pk}/active", {"active": "0"}), 403, words)
    refused(c.post(f"/inbox/robots/{lixia.pk}/delete"), 403, words)
    refused(c.post(f"/api/v1/notify/robots/{lixia.pk}/active", json.dumps({"active": False}),
                   content_type="application/json"), 403, words)
    refused(c.post("/api/v1/notify/robots", json.dumps({"owner": "370102B02", "kind": "wecom",
                                                        "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"}),
                   content_type="application/json"), 403, words)
    refused(c.post("/inbox/robots/add", {"owner": "370102", "kind": "wecom",
                                         "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"}), 403, words)
    assert state() == before


def test_the_outbox_and_the_audit_log_are_a_global_administrators(admins):
    c = signed_in(admins.jiyang_admin)
    refused(c.get("/inbox/outbox/"), 403, "此操作仅限全局系统管理员，您是济阳区的系统管理员")
    refused(c.get("/api/v1/notify/outbox"), 403, "此操作仅限全局系统管理员")
    refused(c.get("/audit/"), 403, "此操作仅限全局系统管理员")
    assert signed_in(admins.wang_admin).get("/audit/").status_code == 200


# --- no administrator elsewhere --------------------------------------------------------------------------------------

def test_a_county_administrator_is_no_global_administrator_in_the_other_apps(admins):
    c = signed_in(admins.jiyang_admin)
    me = c.get("/api/v1/me").json()
    assert me["is_admin"] is False and me["roles"][0]["region"] == "370115"
    assert {r["code"] for r in c.get("/api/v1/regions").json()} >= {"370115", "370115001"}
    assert "370102" not in {r["code"] for r in c.get("/api/v1/regions").json()}
    for page in ("/", "/orgs/", "/orgs/people/", "/inbox/", "/inbox/robots/"):
        assert c.get(page).status_code == 200, page
