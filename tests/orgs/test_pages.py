import pytest

from luoshi.orgs.models import Region
from tests.orgs.test_import import GOOD_ROWS, xlsx

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client, cast):
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("username", ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji"])
def test_district_roles_see_the_whole_district_tree(client_for, username):
    body = client_for(username).get("/orgs/").content.decode()
    assert "济阳区" in body and "东关村" in body and "区商务局" in body


def test_leader_does_not_see_another_district(client_for):
    body = client_for("sun_leader").get("/orgs/").content.decode()
    assert "历下区" not in body and "历下区政府办公室" not in body


def test_admin_sees_every_region(client_for):
    body = client_for("wang_admin").get("/orgs/").content.decode()
    assert "历下区" in body and "济南市" in body


def test_unit_sees_its_own_unit_only(client_for):
    body = client_for("zhou_shangwu").get("/orgs/").content.decode()
    assert "区商务局" in body
    assert "区财政局" not in body and "东关村" not in body


def test_reporter_sees_their_village_only(client_for):
    body = client_for("wu_cunju").get("/orgs/").content.decode()
    assert "东关村" in body and "西街社区" not in body


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "wu_cunju"])
def test_only_admin_may_import_or_export_the_organisation(client_for, username):
    client = client_for(username)
    assert client.get("/orgs/import/").status_code == 403
    assert client.get("/orgs/export.xlsx").status_code == 403


def test_admin_imports_a_sheet_through_the_page(client_for, cast):
    client = client_for("wang_admin")
    upload = xlsx(GOOD_ROWS + [["370115002", "济北街道", "乡镇(街道)", "370115"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/orgs/import/", {"file": SimpleUploadedFile("orgs.xlsx", upload)}, follow=True)
    assert "已导入" in response.content.decode()
    assert Region.objects.get(code="370115002").name == "济北街道"


def test_bad_sheet_through_the_page_lists_every_problem_and_saves_nothing(client_for, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("wang_admin")
    upload = xlsx([["370115009", "", "乡镇(街道)", "370115"], ["370115X1", "社", "合作社", "370115"]])
    response = client.post("/orgs/import/", {"file": SimpleUploadedFile("orgs.xlsx", upload)})
    body = response.content.decode()
    assert response.status_code == 400
    assert "第2行「名称」列：名称不能为空" in body and "第3行「类别」列：未知的类别「合作社」" in body
    assert not Region.objects.filter(code="370115009").exists()


def test_admin_downloads_the_export_and_the_template(client_for):
    client = client_for("wang_admin")
    response = client.get("/orgs/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/orgs/export.csv").content.decode("utf-8-sig").startswith("代码,名称,类别,上级代码")
    assert client.get("/orgs/template.xlsx").status_code == 200
