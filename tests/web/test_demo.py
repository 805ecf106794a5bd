import pytest
from django.core.management import call_command

from luoshi.orgs.models import Region, RoleAssignment, Unit
from luoshi.web.models import SiteFlag

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db, pytest.mark.usefixtures("empty_database")]


def counts():
    return (Region.objects.count(), Unit.objects.count(), RoleAssignment.objects.count())


def test_demo_builds_jinan_with_twelve_county_level_regions_and_one_account_per_role(capsys, django_user_model):
    call_command("demo")
    counties = Region.objects.filter(parent__code="370100", level="county")
    assert counties.count() == 12
    assert set(counties.values_list("code", flat=True)) >= {"370102", "370115", "370116", "370124", "370126"}
    jiyang = Region.objects.get(code="370115")
    assert jiyang.children.filter(level="town").count() == 10
    assert Unit.objects.filter(region=jiyang, kind="department").count() >= 28
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {
        "admin", "leader", "supervision", "analysis", "statistics", "unit", "reporter"}
    out = capsys.readouterr().out
    assert "leader" in out and "luoshi-demo-2020" in out and "示意" in out
    assert SiteFlag.is_set(SiteFlag.DEMO_LOADED)
    user = django_user_model.objects.get(username="fagai")
    assert user.check_password("luoshi-demo-2020")


def test_demo_is_idempotent():
    call_command("demo")
    first = counts()
    call_command("demo")
    assert counts() == first


@pytest.mark.django_db(transaction=True)  # flush (TRUNCATE) cannot run inside the test's transaction on PostgreSQL
def test_demo_reset_rebuilds_from_empty():
    call_command("demo")
    Region.objects.filter(code="370115001201").update(name="改过的名字")
    call_command("demo", "--reset")
    assert Region.objects.get(code="370115001201").name == "东关村"


def test_demo_if_empty_leaves_an_existing_database_alone(cast, capsys):
    call_command("demo", "--if-empty")
    assert not Region.objects.filter(code="370116").exists()
    assert "未生成演示数据" in capsys.readouterr().out
