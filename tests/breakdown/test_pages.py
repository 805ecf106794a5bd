"""The breakdown's pages for each role, and the office's review through them: upload, a problem marked, a correction,
the import, the campaign in 重点工作."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.breakdown import services
from luoshi.breakdown.models import Reading, UnitAlias
from luoshi.work.models import Task
from tests.breakdown import documents as d
from tests.orgs.admins import add_region_admins

pytestmark = pytest.mark.django_db

EVERYONE = ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "zheng_caizheng",
            "sun_jiedao", "wu_cunju", "ma_lixia", "nobody", "jiyang_admin", "lixia_admin"]
IMPORTERS = {"wang_admin", "li_ducha"}
ALIAS_MANAGERS = {"wang_admin", "li_ducha", "jiyang_admin", "lixia_admin"}
PLAN_READERS = {"sun_leader", "zhao_fagai", "qian_tongji", "ma_lixia"}  # the plans' list, no upload (test_followup)


@pytest.fixture
def reading(cast, march_20):
    add_region_admins(cast)
    return services.read_plan(cast.li_ducha, data=d.word_table(d.TABLE_ROWS), filename="方案.docx", region=cast.jiyang,
                              year=2026)


@pytest.mark.parametrize("username", EVERYONE)
def test_each_role_opens_only_the_pages_it_may(username, client_for, reading):
    client = client_for(username)
    expected = {
        "/breakdown/": 200 if username in IMPORTERS | ALIAS_MANAGERS | PLAN_READERS else 403,
        f"/breakdown/readings/{reading.pk}/": 200 if username in IMPORTERS else 403,
        "/breakdown/aliases/": 200 if username in ALIAS_MANAGERS else 403,
    }
    assert {path: client.get(path).status_code for path in expected} == expected


def test_someone_not_signed_in_is_sent_to_sign_in(client, reading):
    for path in ("/breakdown/", f"/breakdown/readings/{reading.pk}/", "/breakdown/aliases/"):
        assert client.get(path).status_code == 302


def test_the_office_uploads_reviews_corrects_and_imports(client_for, cast, march_20):
    client = client_for("li_ducha")
    rows = [["1", "建设智慧城市大脑，年底前建成。", "区府办", "区财政局"], ["2", "推进数字政府建设，6月底前上线。", "区发改局", ""]]
    upload = SimpleUploadedFile("方案.docx", d.word_table(rows))
    response = client.post("/breakdown/upload", {"region": "370115", "year": "2026", "file": upload})
    reading = Reading.objects.get()
    assert response.status_code == 302 and response.url == f"/breakdown/readings/{reading.pk}/"
    page = client.get(response.url).content.decode()
    assert "有问题 1 项" in page and "未知的单位「区府办」" in page
    assert "2026年6月30日" in page and "2026年12月31日" in page
    refused = client.post(f"/breakdown/readings/{reading.pk}/save")
    assert refused.status_code == 400 and "未导入，未保存任何数据" in refused.content.decode()
    assert not Task.objects.exists()
    corrected = client.post(f"/breakdown/readings/{reading.pk}/items/0", {
        "lead": "督查室", "responsible": "", "cooperating": "区财政局", "deadline": "", "leader": ""})
    assert corrected.status_code == 302
    saved = client.post(f"/breakdown/readings/{reading.pk}/save")
    assert saved.status_code == 302 and saved.url == "/work/"
    assert Task.objects.get(number="2026-370115-001").lead_unit == cast.units.ducha
    assert "2026年政府工作报告重点工作" in client.get("/work/").content.decode()


def test_a_bad_upload_is_refused_in_chinese_with_nothing_saved(client_for, cast, march_20):
    client = client_for("li_ducha")
    for data, name, message in [(b"PK\x03\x04 broken", "方案.docx", "无法读取该 Word 文件"),
                                (d.word_paragraphs(["通知"]), "通知.docx", "没有找到任何任务"),
                                (d.word_table(d.TABLE_ROWS), "方案.docx", "年度应在 2000 年至 2100 年之间")]:
        response = client.post("/breakdown/upload", {"region": "370115", "year": "1990" if "年度" in message else "2026",
                                                     "file": SimpleUploadedFile(name, data)})
        assert response.status_code == 400 and message in response.content.decode()
    assert client.post("/breakdown/upload", {"region": "370115", "year": "2026"}).status_code == 400
    assert client.post("/breakdown/upload", {"region": "370102", "year": "2026",
                                             "file": SimpleUploadedFile("方案.docx", d.word_table(d.TABLE_ROWS))}
                       ).status_code == 403
    assert not Reading.objects.exists()


def test_an_administrator_of_the_county_adds_an_alias_the_reader_then_knows(client_for, cast, reading):
    client = client_for("jiyang_admin")
    response = client.post("/breakdown/aliases/", {"region": "370115", "alias": "区府办", "unit": "督查室"})
    assert response.status_code == 302
    assert UnitAlias.objects.get().unit == cast.units.ducha
    refused = client.post("/breakdown/aliases/", {"region": "370115", "alias": "区府办", "unit": "督查室"})
    assert refused.status_code == 400 and "济阳区已有别名「区府办」" in refused.content.decode()
    assert client.post("/breakdown/aliases/", {"region": "370115", "alias": "商务", "unit": "不存在的局"}).status_code == 400
    other = client_for("lixia_admin").post("/breakdown/aliases/", {"region": "370115", "alias": "发改", "unit": "发改局"})
    assert other.status_code == 403
    assert UnitAlias.objects.count() == 1
