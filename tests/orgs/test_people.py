import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from luoshi.orgs.models import Person, RoleAssignment

pytestmark = pytest.mark.django_db

NEW = {"username": "liu_jiaoti", "full_name": "刘教体", "title": "教体局办公室主任", "unit": "370115D03",
       "password": "a-long-password-9", "role": "unit", "scope": "370115D03"}


def test_admin_creates_an_account_with_person_and_role(client_for):
    response = client_for("wang_admin").post("/orgs/people/add", NEW, follow=True)
    assert "已创建账号 liu_jiaoti" in response.content.decode()
    user = get_user_model().objects.get(username="liu_jiaoti")
    assert user.check_password("a-long-password-9")
    assert Person.objects.get(user=user).title == "教体局办公室主任"
    assert RoleAssignment.objects.get(user=user).unit.code == "370115D03"


def test_bad_account_form_lists_every_problem_and_saves_nothing(client_for):
    bad = {**NEW, "username": "sun_leader", "password": "123", "unit": "NOPE", "role": "reporter", "scope": "370115D03"}
    body = client_for("wang_admin").post("/orgs/people/add", bad, follow=True).content.decode()
    assert "账号 sun_leader 已存在" in body and "单位 NOPE 不存在" in body
    assert "村居填报员只能对应村（社区）委员会" in body
    assert not Person.objects.filter(title=NEW["title"]).exists()


def test_admin_grants_and_removes_a_role(client_for, cast):
    client = client_for("wang_admin")
    client.post(f"/orgs/people/{cast.zhou_shangwu.pk}/role", {"role": "leader", "scope": "370115"})
    assignment = RoleAssignment.objects.get(user=cast.zhou_shangwu, role="leader")
    assert assignment.region.code == "370115"
    client.post(f"/orgs/people/{cast.zhou_shangwu.pk}/role", {"remove": assignment.pk})
    assert not RoleAssignment.objects.filter(user=cast.zhou_shangwu, role="leader").exists()


def test_region_role_without_a_region_is_refused(client_for, cast):
    body = client_for("wang_admin").post(f"/orgs/people/{cast.nobody.pk}/role", {"role": "leader", "scope": ""}, follow=True)
    assert "领导角色必须指定范围" in body.content.decode()
    assert not RoleAssignment.objects.filter(user=cast.nobody).exists()


def test_deactivated_account_cannot_sign_in(client_for, cast, client):
    client_for("wang_admin").post(f"/orgs/people/{cast.qian_tongji.pk}/role", {"active": "0"})
    response = client.post("/login/", {"username": "qian_tongji", "password": cast.password})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "wu_cunju"])
def test_only_admin_manages_people(client_for, cast, username):
    client = client_for(username)
    assert client.get("/orgs/people/").status_code == 403
    assert client.post("/orgs/people/add", NEW).status_code == 403
    assert client.post(f"/orgs/people/{cast.nobody.pk}/role", {"role": "admin"}).status_code == 403
    assert not RoleAssignment.objects.filter(user=cast.nobody).exists()


def test_cli_grant_gives_a_scoped_role_and_refuses_a_bad_scope(cast, capsys):
    call_command("grant", "nobody", "statistics", "--scope", "370115")
    assert RoleAssignment.objects.get(user=cast.nobody).region.code == "370115"
    with pytest.raises(SystemExit) as info:
        call_command("grant", "nobody", "reporter", "--scope", "370115D03")
    assert info.value.code == 1
    assert "村居填报员只能对应村（社区）委员会" in capsys.readouterr().err
