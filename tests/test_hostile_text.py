"""Hostile text (issue #20): lone surrogates, control characters and non-characters (core.text).

Where text comes in they are refused with a Chinese 400 naming the character, and the database is left as it was:
every write of the API and the pages that takes text (web/guards.py), every cell of an imported file
(core/tabular.py), every argument of the `luoshi` command (luoshi/cli.py). Each write is also sent with clean text,
which must succeed: the refusal is the guard's, not a permission or a missing object.

Where text goes out, such text already stored (written straight into the database, past those checks) never stops
an export: the meeting pack, the notice and the 倒查 .docx, and every xlsx and csv download, are opened again with
python-docx and openpyxl, and hold the text less the refused characters, with no formula.
"""

import csv
import io
import shutil
import subprocess
import zipfile
from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from luoshi.briefings import services as briefing_services
from luoshi.briefings.models import FollowUp, Section
from luoshi.cli import main as luoshi_command
from luoshi.daily import services as daily_services
from luoshi.daily.models import DailyReport
from luoshi.indicators import services as indicator_services
from luoshi.indicators.models import Indicator
from luoshi.notify.models import Message
from luoshi.orgs.models import Region, Unit
from luoshi.supervision import services as notice_services
from luoshi.supervision.models import Notice, NoticeStep
from luoshi.work import services as work_services
from luoshi.work.models import Milestone, ProgressReport, Task
from tests.daily.conftest import FIELDS, GOOD
from tests.indicators.conftest import catalog, city  # noqa: F401  (fixtures)
from tests.indicators.test_table import make_scene
from tests.test_write_matrix import MEETING, client_as, database_state, post_json
from tests.work.conftest import build_plan
from tests.work.test_transfers import row, xlsx

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]  # security round two (#20): on both databases

# One of each class: a lone surrogate (JSON only: a form cannot carry one), C0 controls, DEL, a C1 control and
# non-characters.
API_HOSTILE = ["a\ud800", "\udfff", "铃\x07", "退格\x08", "竖向制表\x0b", "\x1f", "\x7f", "C1\x85", "末\uffff", "\ufffe",
               "\ufdd0"]
FORM_HOSTILE = [t for t in API_HOSTILE if not any("\ud800" <= ch <= "\udfff" for ch in t)]


def code_point(value):
    refused = next(ch for ch in value if not ("\u4e00" <= ch <= "\u9fff" or ch.isalnum() and ch.isascii()))
    return f"U+{ord(refused):04X}"


def state():
    """database_state of the write matrix, with the notices."""
    out = database_state()
    for model in apps.get_app_config("supervision").get_models():
        out[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return out


@pytest.fixture
def scene(cast):
    """On 14 April 2020: 济阳区's plan (tests/work/conftest.py), 合村并点's set, with 财政局's pending request to move 2.1 and a notice
    on task 2 (led by 区财政局), a meeting whose 实际利用外资 section is 商务局's, 济阳区's daily form."""
    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        plan = build_plan(cast)
        work_services.set_plan(cast.wang_admin, plan.hc)
        pending_request = work_services.request_rebaseline(cast.zheng_caizheng, milestone=plan.m21, new_due=date(2020, 4, 30),
                                                           reason="选址论证延后")
        indicator_services.ensure_catalog()
        indicator_services.save_responsibilities(None, [{"region_id": cast.jiyang.pk, "unit_id": cast.units.shangwu.pk,
                                                         "indicator_id": Indicator.objects.get(code="fdi").pk}])
        meeting = briefing_services.open_meeting(None, title="2020年一季度经济形势分析会", held_on="2020-04-20",
                                                 region=cast.jiyang, period="2020-03", sections_due="2020-04-15")
        form = daily_services.define_form(cast.li_ducha, code="yiqing", title="疫情防控日报", region=cast.jiyang, fields=FIELDS)
        daily_services.assign_villages(cast.li_ducha, form, ["370115001"], date(2020, 4, 1))
        notice = notice_services.open_notice(cast.li_ducha, plan.t2)
    return SimpleNamespace(cast=cast, plan=plan, pending_request=pending_request, meeting=meeting, notice=notice)


def daily_values(text):
    return {**GOOD, "note": text}


# (name, username, send(client, scene, text), the status of a clean write)
API_WRITES = [
    ("notice reply", "zheng_caizheng",
     lambda c, s, t: post_json(c, f"/api/v1/supervision/notices/{s.notice.pk}/reply", {"text": t}), 200),
    ("notice opened with a reason", "li_ducha",
     lambda c, s, t: post_json(c, "/api/v1/supervision/notices", {"task": s.plan.t1.pk, "reason": t}), 201),
    ("progress report", "zhou_shangwu",
     lambda c, s, t: post_json(c, f"/api/v1/work/tasks/{s.plan.t1.pk}/reports", {"percent": 40, "done_text": t}), 201),
    ("progress report's problems", "zhou_shangwu",
     lambda c, s, t: post_json(c, f"/api/v1/work/tasks/{s.plan.t1.pk}/reports", {"percent": 40, "problems": t}), 201),
    ("daily report's note", "wu_cunju",
     lambda c, s, t: post_json(c, "/api/v1/daily/reports", {"form": "yiqing", "village": "370115001201", "date": "2020-04-14",
                                                            "values": daily_values(t), "idempotency_key": "k"}), 201),
    ("meeting's title", "zhao_fagai", lambda c, s, t: post_json(c, "/api/v1/briefings/meetings", {**MEETING, "title": t}), 200),
    ("section", "zhou_shangwu",
     lambda c, s, t: post_json(c, f"/api/v1/briefings/meetings/{s.meeting.pk}/sections",
                               {"indicator": "fdi", "unit": "370115D03", "reasons_text": t}), 200),
    ("follow-up's title", "li_ducha",
     lambda c, s, t: post_json(c, f"/api/v1/briefings/meetings/{s.meeting.pk}/follow-ups",
                               {"title": t, "lead_unit": "370115D01", "deadline": "2020-06-30"}), 200),
    ("robot's name", "wang_admin",
     lambda c, s, t: post_json(c, "/api/v1/notify/robots", {"owner": "370115", "kind": "wecom", "name": t,
                                                           "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=h"}), 201),
    ("re-baseline request's reason", "zheng_caizheng",
     lambda c, s, t: post_json(c, "/api/v1/work/rebaselines", {"task": s.plan.t2.pk, "new_due": "2020-05-29", "reason": t}), 201),
    ("re-baseline decision's note", "li_ducha",
     lambda c, s, t: post_json(c, f"/api/v1/work/rebaselines/{s.pending_request.pk}/refuse", {"note": t}), 200),
    ("a key of the body", "zhou_shangwu",
     lambda c, s, t: post_json(c, f"/api/v1/work/tasks/{s.plan.t1.pk}/reports", {"percent": 40, t: "1"}), 201),
]

FORM_WRITES = [
    ("notice reply", "zheng_caizheng", lambda c, s, t: c.post(f"/supervision/notices/{s.notice.pk}/reply", {"text": t})),
    ("notice opened with a reason", "li_ducha",
     lambda c, s, t: c.post(f"/supervision/notices/open/{s.plan.t1.pk}", {"reason": t})),
    ("progress report", "zhou_shangwu",
     lambda c, s, t: c.post(f"/work/tasks/{s.plan.t1.pk}/report", {"percent": "40", "done_text": t})),
    ("daily report's note", "wu_cunju",
     lambda c, s, t: c.post("/daily/report/yiqing/submit", {"village": "370115001201", "date": "2020-04-14", "key": "k",
                                                            **{f"f_{k}": v for k, v in daily_values(t).items()}})),
    ("meeting's title", "zhao_fagai", lambda c, s, t: c.post("/briefings/meetings/open", {**MEETING, "title": t})),
    ("section", "zhou_shangwu", lambda c, s, t: c.post(f"/briefings/meetings/{s.meeting.pk}/sections/fdi", {"reasons_text": t})),
    ("follow-up's title", "li_ducha",
     lambda c, s, t: c.post(f"/briefings/meetings/{s.meeting.pk}/follow-ups/add",
                            {"title": t, "lead_unit": "370115D01", "deadline": "2020-06-30"})),
    ("robot's name", "wang_admin",
     lambda c, s, t: c.post("/inbox/robots/add", {"owner": "370115D03", "kind": "dingtalk", "secret": "SEChostile", "name": t,
                                                  "url": "https://oapi.dingtalk.com/robot/send?access_token=hostile"})),
    ("re-baseline request's reason", "zheng_caizheng",
     lambda c, s, t: c.post(f"/work/tasks/{s.plan.t2.pk}/rebaseline", {"new_due": "2020-05-29", "reason": t})),
    ("re-baseline decision's note", "li_ducha",
     lambda c, s, t: c.post(f"/work/rebaselines/{s.pending_request.pk}/approve", {"note": t})),
]


@pytest.mark.parametrize("name, username, send, ok", API_WRITES, ids=[w[0] for w in API_WRITES])
def test_every_api_write_refuses_hostile_text_in_chinese_and_saves_nothing(scene, name, username, send, ok):
    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        client = client_as(scene.cast, username, api=True)
        before = state()
        for text in API_HOSTILE:
            response = send(client, scene, text)
            assert response.status_code == 400, (text, response.content[:300])
            error = response.json()["error"]
            assert code_point(text) in error and ("控制字符" in error or "代理项" in error or "非字符" in error), error
        assert state() == before
        response = send(client, scene, "正常的文字\n第二行\t完")
        assert response.status_code == ok, response.content[:300]


@pytest.mark.parametrize("name, username, send", FORM_WRITES, ids=[w[0] for w in FORM_WRITES])
def test_every_page_write_refuses_hostile_text_on_a_chinese_page_and_saves_nothing(scene, name, username, send):
    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        client = client_as(scene.cast, username, api=False)
        before = state()
        for text in FORM_HOSTILE:
            response = send(client, scene, text)
            assert response.status_code == 400 and response["Content-Type"].startswith("text/html"), text
            assert code_point(text) in response.content.decode(), text
        assert state() == before
        response = send(client, scene, "正常的文字\r\n第二行\t完")
        assert response.status_code == 302, response.content.decode()[:500]


def test_notice_reply_with_a_lone_surrogate_is_refused_in_chinese(scene):
    client = client_as(scene.cast, "zheng_caizheng", api=True)
    response = client.post(f"/api/v1/supervision/notices/{scene.notice.pk}/reply", '{"text": "a\\ud800"}',
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "「text」含有无效的字符编码（孤立代理项 U+D800），请删除后重试"
    assert not NoticeStep.objects.filter(kind="replied").exists()


def test_a_surrogate_written_as_raw_bytes_is_refused_like_its_escape(scene):
    client = client_as(scene.cast, "zheng_caizheng", api=True)
    response = client.post(f"/api/v1/supervision/notices/{scene.notice.pk}/reply", b'{"text": "a\xed\xa0\x80"}',
                           content_type="application/json")
    assert response.status_code == 400 and "孤立代理项 U+D800" in response.json()["error"]


# --- imports and the command line ----------------------------------------------------------------------------------

def test_a_schedule_cell_with_a_control_character_is_refused_with_its_sheet_row_and_column(cast, client_for):
    # openpyxl writes _x0007_ as it is; Excel and the reader take it for the character U+0007.
    data = xlsx([row("1", task="招商引资_x0007_项目签约"), row("1.1", milestone="完成项目洽谈")])
    response = client_for("li_ducha").post("/work/schedule/import/", {"file": SimpleUploadedFile("配档表.xlsx", data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "工作表「配档表」第2行「C」列：含有不可见的控制字符（U+0007），请删除后重试" in page
    assert not Task.objects.exists()


def test_an_organisation_csv_with_a_vertical_tab_is_refused_by_the_import_command(cast, tmp_path, capsys):
    path = tmp_path / "单位.csv"
    path.write_text("代码,名称,类别,上级代码\n370115D09,区审\x0b计局,区直部门,370115\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "orgs", str(path))
    assert exit_.value.code == 1
    assert "第2行「B」列：含有不可见的控制字符（U+000B），请删除后重试" in capsys.readouterr().err
    assert not Unit.objects.filter(code="370115D09").exists()


@pytest.mark.parametrize("subject, message", [("提醒\x07", "第 6 个命令行参数含有不可见的控制字符（U+0007），请删除后重试"),
                                              ("提醒\udcb2", "第 6 个命令行参数含有无效的字符编码（孤立代理项 U+DCB2），请删除后重试")])
def test_the_luoshi_command_refuses_an_argument_with_a_refused_character(cast, monkeypatch, subject, message):
    # U+DCB2: how Python reads the byte 0xB2 of a GBK argument on a UTF-8 system.
    with pytest.raises(SystemExit) as exit_:
        luoshi_command(["luoshi", "notify", "send", "--unit", "370115D03", "--subject", subject])
    assert exit_.value.code == message
    assert not Message.objects.exists()
    ran = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", ran.append)
    luoshi_command(["luoshi", "notify", "send", "--unit", "370115D03", "--subject", "提醒\n第二行\t完"])
    assert ran == [["luoshi", "notify", "send", "--unit", "370115D03", "--subject", "提醒\n第二行\t完"]]


# --- exports of hostile text already stored --------------------------------------------------------------------------

STORED = "=坏\x07字\x08符\x0b\x0c\x1f\x7f\x85\ufffe\uffff\ufdd0尾"
SHOWN = "=坏字符尾"  # what every export holds of it


@pytest.fixture
def stored(cast, city, catalog):  # noqa: F811  (fixtures)
    """The cast's 2020 plan with a report, a notice with a reply, a meeting with a section after an earlier meeting's
    follow-up, the indicators of make_scene, a daily report; then STORED written over their text in the database."""
    make_scene(city, catalog)
    with time_machine.travel("2020-03-02 10:00 +0800", tick=False):
        plan = build_plan(cast)
    with time_machine.travel("2020-03-20 10:00 +0800", tick=False):
        work_services.submit_report(cast.zhou_shangwu, plan.t1, percent=10, done_text="洽谈", problems="外商未到")
        earlier = briefing_services.open_meeting(cast.zhao_fagai, title="2020年1-2月经济形势分析会", held_on="2020-03-20",
                                                 region=cast.jiyang, period="2020-02", sections_due="2020-03-18")
        briefing_services.add_follow_up(cast.zhao_fagai, earlier, title="事项", lead_unit=cast.units.shangwu,
                                        deadline="2020-06-30")
    with time_machine.travel("2020-04-14 10:00 +0800", tick=False):
        indicator_services.save_responsibilities(None, [
            {"region_id": cast.jiyang.pk, "indicator_id": catalog["retail"].pk, "unit_id": cast.units.shangwu.pk}])
        meeting = briefing_services.open_meeting(cast.zhao_fagai, title="2020年一季度经济形势分析会", held_on="2020-04-20",
                                                 region=cast.jiyang, period="2020-03", sections_due="2020-04-17")
        briefing_services.submit_section(cast.zhou_shangwu, meeting, catalog["retail"], cast.units.shangwu,
                                         completion_text="完成", reasons_text="原因", measures_text="措施")
        form = daily_services.define_form(cast.li_ducha, code="yiqing", title="疫情防控日报", region=cast.jiyang, fields=FIELDS)
        daily_services.assign_villages(cast.li_ducha, form, ["370115001"], date(2020, 4, 1))
        daily_services.submit_report(cast.wu_cunju, form="yiqing", village="370115001201", day=date(2020, 4, 14),
                                     values=daily_values("备注"))
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        notice = notice_services.open_notice(cast.li_ducha, plan.t1, reason="滞后")
    with time_machine.travel("2020-05-13 10:00 +0800", tick=False):
        notice_services.reply(cast.zhou_shangwu, notice, "已推进")

    Task.objects.update(title=STORED)
    Milestone.objects.update(title=STORED)
    ProgressReport.objects.update(done_text=STORED, problems=STORED)
    Notice.objects.update(reason=STORED, leader_name=STORED)
    NoticeStep.objects.update(text=STORED)
    Section.objects.update(completion_text=STORED, reasons_text=STORED, measures_text=STORED)
    FollowUp.objects.update(title=STORED)
    Region.objects.filter(code__in=["370103", "370102"]).update(name=STORED)  # peers in the weakness chart
    Unit.objects.filter(pk=cast.units.shangwu.pk).update(name=STORED)
    Indicator.objects.filter(code="retail").update(name=STORED)
    DailyReport.objects.update(values=daily_values(STORED))
    return SimpleNamespace(plan=plan, notice=notice, meeting=meeting)


def docx_texts(response):
    """Every paragraph and table cell of a .docx download, after checking that each XML part of it parses and each
    embedded workbook opens without a formula."""
    assert response.status_code == 200, response.content[:300]
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        for name in package.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(package.read(name))
            elif name.endswith(".xlsx"):
                assert xlsx_cells(package.read(name))[1] == []
    document = Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def xlsx_cells(data):
    """(every cell's value, the coordinates of formulas) of an xlsx."""
    book = load_workbook(io.BytesIO(data))
    cells = [c for sheet in book for r in sheet.iter_rows() for c in r]
    return [c.value for c in cells], [c.coordinate for c in cells if c.data_type == "f"]


def xlsx_values(response):
    assert response.status_code == 200, response.content[:300]
    values, formulas = xlsx_cells(response.content)
    assert formulas == []
    return values


def holds_shown(values):
    return any(isinstance(v, str) and SHOWN in v for v in values)


def test_the_meeting_pack_of_stored_hostile_text_opens_charts_and_embedded_workbooks_included(stored, client_for):
    response = client_for("zhao_fagai").get(f"/briefings/meetings/{stored.meeting.pk}/pack.docx")
    text = docx_texts(response)
    assert f"完成情况：{SHOWN}" in text and f"{SHOWN}：" in text  # the section and its unit
    assert SHOWN in text.split("上次会议确定事项落实情况")[1]  # the earlier meeting's follow-up
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        charts = [package.read(n).decode() for n in package.namelist() if n.startswith("word/charts/")]
        books = [package.read(n) for n in package.namelist() if n.startswith("word/embeddings/")]
    assert any(f"<c:v>{SHOWN}</c:v>" in xml for xml in charts)
    assert any(holds_shown(xlsx_cells(book)[0]) for book in books)


def test_the_region_pack_on_the_fly_opens_too(stored, client_for):
    text = docx_texts(client_for("zhao_fagai").get("/briefings/pack.docx?region=370115&period=2020-03"))
    assert SHOWN in text


def test_the_notice_docx_of_stored_hostile_text_opens(stored, client_for):
    text = docx_texts(client_for("li_ducha").get(f"/supervision/notices/{stored.notice.pk}/docx"))
    assert text.count(SHOWN) >= 4  # task, reason, leader, the reply


def test_the_overdue_chain_exports_of_stored_hostile_text_open(stored, client_for):
    client = client_for("li_ducha")
    text = docx_texts(client.get("/supervision/chain/overdue/docx?on=2020-06-10"))
    assert SHOWN in text
    assert holds_shown(xlsx_values(client.get("/supervision/chain/overdue/xlsx?on=2020-06-10")))


def test_the_schedule_and_gantt_workbooks_of_stored_hostile_text_open(stored, client_for):
    client = client_for("li_ducha")
    assert holds_shown(xlsx_values(client.get("/work/schedule/export.xlsx")))
    assert holds_shown(xlsx_values(client.get("/work/gantt/export.xlsx?on=2020-05-07")))


def test_the_league_table_of_a_stored_hostile_unit_name_opens(stored, client_for):
    assert holds_shown(xlsx_values(client_for("li_ducha").get("/supervision/league/export?period=2020-04")))


def test_the_daily_export_of_a_stored_hostile_note_opens(stored, client_for):
    with time_machine.travel("2020-04-14 18:00 +0800", tick=False):
        response = client_for("li_ducha").get("/daily/export.xlsx?area=370115001&date=2020-04-14&form=yiqing")
    assert holds_shown(xlsx_values(response))


def test_the_indicator_table_of_a_stored_hostile_name_opens_and_its_file_name_is_clean(stored, client_for):
    Region.objects.filter(code="370115").update(name="济阳\x07区")
    response = client_for("zhao_fagai").get("/indicators/table/export.xlsx?region=370115&period=2020-03")
    assert holds_shown(xlsx_values(response))
    assert "%07" not in response["Content-Disposition"] and "%E6%B5%8E%E9%98%B3%E5%8C%BA" in response["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_organisation_export_of_a_stored_hostile_unit_name_opens(stored, client_for, fmt):
    response = client_for("wang_admin").get(f"/orgs/export.{fmt}")
    if fmt == "xlsx":
        assert holds_shown(xlsx_values(response))
        return
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert "'" + SHOWN in [c for r in rows for c in r]


def test_the_chart_workbook_keeps_a_region_named_like_a_formula_as_text():
    from luoshi.briefings.pack.charts import workbook_bytes

    values, formulas = xlsx_cells(workbook_bytes(['=HYPERLINK("http://evil.example","点击")', "济阳\x07区"],
                                                 [("增速", [1.5, 2.0])]))
    assert formulas == [] and '=HYPERLINK("http://evil.example","点击")' in values and "济阳区" in values


def test_json_bodies_are_only_parsed_for_text_not_judged_otherwise(scene):
    # Not JSON, or nested deeper than Python parses: left to the API's own answer (400), never a 500.
    client = client_as(scene.cast, "zhou_shangwu", api=True)
    for body in ["{not json", "[" * 100_000]:
        response = client.post(f"/api/v1/work/tasks/{scene.plan.t1.pk}/reports", body, content_type="application/json")
        assert 400 <= response.status_code < 500 and "error" in response.json()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice（soffice）未安装：apt-get install libreoffice-writer-nogui")
def test_libreoffice_renders_the_meeting_pack_of_stored_hostile_text_to_a_pdf(stored, client_for, tmp_path):
    response = client_for("zhao_fagai").get(f"/briefings/meetings/{stored.meeting.pk}/pack.docx")
    (tmp_path / "pack.docx").write_bytes(response.content)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "pack.docx")],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "pack.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000  # pages drawn, not an empty shell
