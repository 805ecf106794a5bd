"""The 放假安排 pages: a global administrator reads and loads (paste or upload → review → save); a region's
administrator reads only; every other role is refused (403) and the anonymous are sent to sign in. Bad input is
answered 400 in Chinese, line by line, and saves nothing."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from luoshi.holidays.models import Arrangement, HolidayDay
from tests.holidays.conftest import NOTICE_2027, TABLE_2027, load_2027
from tests.orgs.admins import add_region_admins

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "sun_jiedao", "wu_cunju", "nobody"]


def review(client, text=NOTICE_2027, year="2027", **extra):
    return client.post("/holidays/load", {"step": "review", "year": year, "text": text, **extra})


def save(client, text=NOTICE_2027, year="2027", **extra):
    return client.post("/holidays/load", {"step": "save", "year": year, "text": text, "source_name": "粘贴文本", **extra})


def test_an_administrator_reviews_the_notice_line_by_line_then_saves_it(client_for, cast):
    client = client_for("wang_admin")
    page = client.get("/holidays/load?year=2027")
    assert page.status_code == 200 and 'value="2027"' in page.content.decode()
    response = review(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "读取到2027年 放假 <strong>29</strong> 天、调休上班 <strong>6</strong> 天，文号 国办发明电〔2026〕7号" in html
    assert "2月14日（周日）上班" in html and "2月20日（周六）上班" in html and 'class="line-skipped"' in html
    assert "确认保存为2027年第1版" in html and not Arrangement.objects.exists()  # the review saves nothing

    response = save(client, notice_number="国办发明电〔2026〕7号")
    assert response.status_code == 302 and response["Location"] == "/holidays/2027/"
    arrangement = Arrangement.objects.get()
    assert (arrangement.version, arrangement.loaded_by, arrangement.source_name) == (1, cast.wang_admin, "粘贴文本")
    assert (arrangement.notice_number, arrangement.source_text) == ("国办发明电〔2026〕7号", NOTICE_2027)
    html = client.get("/holidays/2027/").content.decode()
    assert "已录入2027年放假安排（第1版）：放假 29 天，调休上班 6 天" in html
    assert "2027-02-20</td><td>周六</td><td>上班</td><td>春节" in html and "第1版</a>（现行）" in html


def test_a_second_load_is_a_new_version_and_the_first_is_still_shown(client_for, cast):
    load_2027(cast.wang_admin)
    client = client_for("wang_admin")
    assert "确认保存为2027年第2版" in review(client, TABLE_2027).content.decode()
    assert save(client, TABLE_2027, note="只录春节").status_code == 302
    html = client.get("/holidays/2027/").content.decode()
    assert "2027年放假安排 · 第2版" in html and "只录春节" in html and "第1版</a>" in html
    old = client.get("/holidays/2027/?version=1").content.decode()
    assert "早先版本，现行为第2版" in old and "2027-10-01" in old
    assert client.get("/holidays/2027/?version=9").status_code == 404
    assert client.get("/holidays/").status_code == 200


def test_a_table_file_is_reviewed_then_saved_as_its_days(client_for):
    client = client_for("wang_admin")
    book = Workbook()
    sheet = book.active
    for line in TABLE_2027.strip().splitlines():
        cells = line.split(",")
        sheet.append([date.fromisoformat(cells[0]) if cells[0][0].isdigit() else cells[0], *cells[1:]])
    data = io.BytesIO()
    book.save(data)
    response = client.post("/holidays/load", {"step": "review", "year": "2027",
                                              "file": SimpleUploadedFile("2027放假安排.xlsx", data.getvalue())})
    html = response.content.decode()
    assert response.status_code == 200 and "放假 <strong>9</strong> 天、调休上班 <strong>2</strong> 天" in html
    assert '<input type="hidden" name="source_name" value="2027放假安排.xlsx">' in html
    assert "2027-02-05,放假,春节\n2027-02-06,放假,春节" in html  # handed on to the save as the table's text
    assert not Arrangement.objects.exists()
    assert save(client, TABLE_2027, source_name="2027放假安排.xlsx").status_code == 302
    assert Arrangement.objects.get().source_name == "2027放假安排.xlsx" and HolidayDay.objects.count() == 11


def test_a_regional_administrator_reads_but_may_not_load(client_for, cast):
    add_region_admins(cast)
    load_2027(cast.wang_admin)
    client = client_for("jiyang_admin")
    index = client.get("/holidays/").content.decode()
    assert "只有全局系统管理员可以录入放假安排" in index and "/holidays/load" not in index
    assert client.get("/holidays/2027/").status_code == 200
    assert client.get("/holidays/load").status_code == 403
    refused = save(client)
    assert refused.status_code == 403 and "录入放假安排仅限全局系统管理员，您是济阳区的系统管理员" in refused.content.decode()
    assert review(client).status_code == 403
    assert Arrangement.objects.count() == 1


@pytest.mark.parametrize("username", OTHER_ROLES)
def test_every_other_role_is_refused_every_page_and_the_load(client_for, username, cast):
    load_2027(cast.wang_admin)
    client = client_for(username)
    for url in ("/holidays/", "/holidays/2027/", "/holidays/load"):
        assert client.get(url).status_code == 403, url
    assert save(client).status_code == 403 and review(client).status_code == 403
    assert Arrangement.objects.count() == 1


def test_the_anonymous_are_sent_to_sign_in(client):
    for url in ("/holidays/", "/holidays/2027/", "/holidays/load"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert save(client).status_code == 302 and not Arrangement.objects.exists()


def test_bad_input_is_answered_400_in_chinese_with_its_line_and_nothing_is_saved(client_for):
    client = client_for("wang_admin")
    bad = NOTICE_2027.replace("2月20日（周六）", "2月22日（周一）")
    for send in (review, save):
        response = send(client, bad)
        html = response.content.decode()
        assert response.status_code == 400
        assert "第7行：2月22日是周一，本来就是工作日；调休上班应在周六或周日，请核对" in html
        assert 'class="line-problem"' in html and "确认保存" not in html
    for year in ("二〇二七", "1999", "", "2027; DROP TABLE"):
        response = review(client, year=year)
        assert response.status_code == 400 and "年度" in response.content.decode()
    assert "请粘贴放假安排" in review(client, "  ").content.decode()
    response = client.post("/holidays/load", {"step": "review", "year": "2027",
                                              "file": SimpleUploadedFile("通知.docx", b"PK\x03\x04")})
    assert response.status_code == 400 and "不支持的文件类型「.docx」" in response.content.decode()
    response = client.post("/holidays/load", {"step": "review", "year": "2027",
                                              "file": SimpleUploadedFile("表.xlsx", b"not a workbook")})
    assert response.status_code == 400
    response = save(client, notice_number="文" * 61)
    assert response.status_code == 400 and "通知文号过长" in response.content.decode()
    assert client.get("/holidays/1999/").status_code == 404
    assert not Arrangement.objects.exists()


def test_hostile_text_is_shown_escaped_and_refused_characters_never_reach_the_page(client_for):
    client = client_for("wang_admin")
    html = review(client, "一、<script>alert(1)</script>：1月1日（周五）放假，共1天。").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    response = review(client, "一、元旦：1月1日放假\x07，共1天。")
    assert response.status_code == 400 and not Arrangement.objects.exists()
    response = review(client, "一" * 20_001)
    assert response.status_code == 400 and "内容过长" in response.content.decode()
