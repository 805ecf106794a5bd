"""Organisation texts longer than their columns: a row error (import) or a Chinese message (page), nothing saved.

PostgreSQL refused them with a DataError (a 500); SQLite stored them whole."""

import pytest
from django.contrib.auth import get_user_model

from luoshi.orgs.models import Person, Region, Unit
from tests.orgs.test_import import GOOD_ROWS, HEADER, rejected_messages, xlsx


@pytest.mark.django_db
def test_names_longer_than_the_column_are_row_errors_in_the_orgs_import(empty_database):
    rows = GOOD_ROWS + [["370115001202", "西" * 101, "村(社区)", "370115001"],
                        ["370115D02", "统" * 101, "区直部门", "370115"]]
    data = xlsx(rows, header=HEADER + ["简称"])
    messages = rejected_messages(data, "orgs.xlsx")
    assert messages == ["工作表「组织机构」第8行「名称」列：名称最长100个字符，填写了101个",
                        "工作表「组织机构」第9行「名称」列：名称最长100个字符，填写了101个"]
    assert not Region.objects.exists() and not Unit.objects.exists()


@pytest.mark.django_db
def test_a_short_name_longer_than_its_column_is_a_row_error_and_the_longest_allowed_is_saved():
    rows = [r + [""] for r in GOOD_ROWS]
    rows[4][4] = "发" * 51
    assert rejected_messages(xlsx(rows, header=HEADER + ["简称"]), "orgs.xlsx") == [
        "工作表「组织机构」第6行「简称」列：简称最长50个字符，填写了51个"]
    rows[4][4] = "发" * 50
    rows[3][1] = "东" * 100
    from luoshi.orgs.transfers import import_orgs

    import_orgs(xlsx(rows, header=HEADER + ["简称"]), filename="orgs.xlsx")
    assert Unit.objects.get(code="370115D01").short_name == "发" * 50
    assert Region.objects.get(code="370115001201").name == "东" * 100


@pytest.mark.parametrize("field, value, message", [
    ("full_name", "张" * 51, "姓名最长50个字符，填写了51个"),
    ("title", "长" * 101, "职务最长100个字符，填写了101个"),
    ("username", "u" * 151, "用户名最长150个字符"),
    ("username", "bad name!", "用户名最长150个字符，只能包含字母、数字"),
])
def test_people_page_refuses_texts_longer_than_their_columns(client_for, field, value, message):
    data = {"username": "new_person", "password": "a-long-password-9", "full_name": "新同事", "title": "科员",
            "unit": "370115D01", field: value}
    response = client_for("wang_admin").post("/orgs/people/add", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not get_user_model().objects.filter(username=data["username"]).exists()
    assert not Person.objects.filter(name=data["full_name"]).exists()
