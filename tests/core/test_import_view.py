"""The one import page (core.import_view) behind 组织机构, 经济指标数据 / 年度目标 and 配档表: without a file, with an
unknown kind, rejected and saved — the same answers on every page, and nothing saved when refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.orgs.models import Region

pytestmark = pytest.mark.django_db

PAGES = [  # (who may import, the page, what a form without a file is told)
    ("wang_admin", "/orgs/import/", "请选择要导入的 xlsx 或 csv 文件"),
    ("zhao_fagai", "/indicators/import/", "请选择要导入的 xlsx 或 csv 文件"),
    ("li_ducha", "/work/schedule/import/", "请选择要导入的配档表（xlsx）"),
]


@pytest.mark.parametrize(("user", "url", "no_file"), PAGES, ids=[p[1] for p in PAGES])
def test_every_import_page_shows_its_form_and_refuses_a_post_without_a_file(client_for, user, url, no_file):
    client = client_for(user)
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 400 and no_file in response.content.decode()


@pytest.mark.parametrize(("user", "url", "no_file"), PAGES, ids=[p[1] for p in PAGES])
def test_every_import_page_lists_the_problems_of_a_rejected_file(client_for, user, url, no_file):
    upload = SimpleUploadedFile("空.csv", "\ufeff".encode(), content_type="text/csv")
    response = client_for(user).post(url, {"file": upload})
    assert response.status_code == 400 and "文件为空" in response.content.decode()


def test_an_unknown_kind_is_refused_before_the_file_is_read(client_for):
    response = client_for("zhao_fagai").post("/indicators/import/", {"kind": "nonsense"})
    assert response.status_code == 400 and "未知的导入种类：nonsense" in response.content.decode()


def test_a_saved_file_says_its_summary_on_the_page_it_leads_to(client_for, cast):
    csv = "代码,名称,类别,上级代码\n370100,济南市,市,\n370116,新区,县级,370100\n"
    upload = SimpleUploadedFile("组织机构.csv", csv.encode(), content_type="text/csv")
    response = client_for("wang_admin").post("/orgs/import/", {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == "/orgs/"
    assert "已导入" in response.content.decode() and Region.objects.filter(code="370116").exists()
