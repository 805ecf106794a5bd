"""Each role on each page of 双招双引 (tests/projects/pipeline/leads.py, as of 14 April 2020), and what the pages say."""

import re

import pytest

from luoshi.projects.pipeline.models import LeadStage

BOARD = "/projects/pipeline/?region=370115&period=2020-03"
PAGES = ["board", "new", "l1", "l2", "export", "evidence", "edit"]
READER = {"board": 200, "new": 403, "l1": 200, "l2": 200, "export": 200, "evidence": 200, "edit": 403}
NONE = {"board": 403, "new": 403, "l1": 404, "l2": 404, "export": 403, "evidence": 404, "edit": 404}
EXPECTED = {
    "wang_admin": {**READER, "new": 200, "edit": 200}, "zhou_shangwu": {**READER, "new": 200, "edit": 200},
    "sun_leader": READER, "li_ducha": READER, "zhao_fagai": READER, "qian_tongji": READER,
    "sun_jiedao": {**READER, "export": 403},  # its own lead (L2) and the one settling in its town (L1)
    "zheng_caizheng": {**NONE, "board": 200},  # a unit: its own leads (none)
    "wu_cunju": NONE, "ma_lixia": NONE, "nobody": NONE,
}


def url(page, ledger):
    signed = LeadStage.objects.get(lead=ledger.l1, stage="signed")
    return {"board": BOARD, "new": "/projects/pipeline/new?region=370115", "l1": f"/projects/pipeline/l/{ledger.l1.pk}/",
            "l2": f"/projects/pipeline/l/{ledger.l2.pk}/", "export": "/projects/pipeline/export?region=370115&period=2020-03",
            "evidence": f"/projects/pipeline/evidence/{signed.evidence.get().pk}/",
            "edit": f"/projects/pipeline/l/{ledger.l1.pk}/edit"}[page]


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_role_opens_only_its_pages(client_for, ledger, username):
    client = client_for(username)
    got = {page: client.get(url(page, ledger)).status_code for page in PAGES}
    assert got == EXPECTED[username]


def text(body):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_board_shows_the_rates_the_funnel_and_the_foreign_capital(client_for, ledger):
    body = client_for("zhou_shangwu").get(BOARD).content.decode()
    words = text(body)
    assert "本年签约项目 2个 合同投资额 9.50亿元" in words
    assert "履约率（已注册及以后） 100.0%" in words and "开工率 50.0%" in words and "资金到位率 9.0%" in words
    assert "实际利用外资（本年累计） 500万美元" in words
    assert "线索 4个 → 在谈 4个 → 签约 3个 → 注册 2个 → 开工 1个 → 投产 0个" in words
    assert 'id="pipeline-chart"' in body and "登记招商项目" in body
    assert "2020年1月10日" in body and "项目库" in body  # L1's 签约; L4 links to its project


def test_a_leader_reads_the_board_without_the_buttons_and_sees_who_stalled_in_april(client_for, ledger):
    body = client_for("sun_leader").get("/projects/pipeline/?region=370115&period=2020-04").content.decode()
    assert "登记招商项目" not in body
    assert re.search(r'id="stalled".*京东物流中心', body, re.S)


def test_a_town_sees_its_own_leads_only(client_for, ledger):
    body = client_for("sun_jiedao").get("/projects/pipeline/").content.decode()
    assert "新加坡物流园" in body and "预制菜加工项目" in body and "京东物流中心" not in body
    assert "导出台账" not in body


def test_the_lead_page_shows_the_stages_the_evidence_and_the_forms_to_whoever_may_write(client_for, ledger):
    body = client_for("zhou_shangwu").get(f"/projects/pipeline/l/{ledger.l1.pk}/").content.decode()
    assert "签约：2020年1月10日" in body and "签约.pdf" in body and 'id="stage-form"' in body and 'id="funds-form"' in body
    assert "折算汇率" in body
    body = client_for("zhao_fagai").get(f"/projects/pipeline/l/{ledger.l1.pk}/").content.decode()
    assert 'id="stage-form"' not in body and "签约.pdf" in body


def test_a_refused_stage_keeps_what_was_typed_and_says_why(client_for, ledger):
    response = client_for("sun_jiedao").post(f"/projects/pipeline/l/{ledger.l2.pk}/stage",
                                             {"stage": "signed", "day": "2020-04-10", "note": "双方签署投资协议"})
    body = response.content.decode()
    assert response.status_code == 400 and "签约须上传佐证材料（合同）" in body and "双方签署投资协议" in body
    response = client_for("sun_jiedao").post(f"/projects/pipeline/l/{ledger.l2.pk}/stage",
                                             {"stage": "signed", "day": "2020年4月", "note": "x"})
    assert response.status_code == 400 and "无法识别的日期" in response.content.decode()


def test_hostile_text_stays_text_on_the_pages_and_in_the_ledger(client_for, ledger):
    from io import BytesIO

    from openpyxl import load_workbook

    client = client_for("zhou_shangwu")
    response = client.post("/projects/pipeline/new", {"region": "370115", "name": "<script>alert(1)</script>",
                                                       "investor": "=HYPERLINK(\"http://x\")", "unit": "370115D03",
                                                       "capital": "domestic", "lead_on": "2020-04-01"})
    assert response.status_code == 302
    assert "<script>alert(1)</script>" not in client.get(BOARD.replace("2020-03", "2020-04")).content.decode()
    data = client.get("/projects/pipeline/export?region=370115&period=2020-04").content
    sheet = load_workbook(BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")"]
    assert cells and cells[0].data_type == "s"


def test_the_keeper_changes_a_leads_details_and_its_name_and_the_history_stays(client_for, ledger):
    from luoshi.audit.models import AuditEntry
    from luoshi.projects.pipeline.models import Lead

    client = client_for("zhou_shangwu")
    lead = Lead.objects.get(pk=ledger.l1.pk)
    stages_before = list(LeadStage.objects.filter(lead=lead).values_list("stage", "day", "is_current"))
    form = client.get(f"/projects/pipeline/l/{lead.pk}/edit").content.decode()
    assert f'value="{lead.name}"' in form and "保存修改" in form and 'name="lead_on"' not in form
    page = client.get(f"/projects/pipeline/l/{lead.pk}/").content.decode()
    assert 'id="edit-lead"' in page
    posted = {"name": "新加坡精密制造项目（二期）", "unit": lead.unit.code, "town": lead.town.code if lead.town_id else "",
              "capital": lead.capital, "country": lead.country, "investor": "新加坡某集团", "industry": lead.industry,
              "content": lead.content, "contract_investment": str(lead.contract_investment or ""),
              "contract_usd": str(lead.contract_usd or "")}
    response = client.post(f"/projects/pipeline/l/{lead.pk}/edit", posted)
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.name, lead.investor) == ("新加坡精密制造项目（二期）", "新加坡某集团")
    assert list(LeadStage.objects.filter(lead=lead).values_list("stage", "day", "is_current")) == stages_before
    entry = AuditEntry.objects.filter(action="修改招商项目").latest("id")
    assert entry.before["name"] != entry.after["name"] == "新加坡精密制造项目（二期）"
    # a name another lead has, or a foreign lead turned domestic with foreign funds recorded: refused, nothing changed
    taken = client.post(f"/projects/pipeline/l/{lead.pk}/edit", {**posted, "name": ledger.l2.name})
    assert taken.status_code == 400 and f"已有「{ledger.l2.name}」" in taken.content.decode()
    assert 'value="%s"' % ledger.l2.name in taken.content.decode()  # what was typed stays in the form
    lead.refresh_from_db()
    assert lead.name == "新加坡精密制造项目（二期）"


def test_only_the_keeper_changes_a_lead_even_through_the_api(cast, ledger):
    from tests.projects.test_api import api

    body = {"name": "改名", "unit": ledger.l1.unit.code, "capital": ledger.l1.get_capital_display(),
            "country": ledger.l1.country}
    assert api(cast, "sun_jiedao").put(f"/api/v1/projects/pipeline/leads/{ledger.l1.pk}", body,
                                       content_type="application/json").status_code == 403
    response = api(cast, "zhou_shangwu").put(f"/api/v1/projects/pipeline/leads/{ledger.l1.pk}", body,
                                             content_type="application/json")
    assert response.status_code == 200 and response.json()["outcome"] == "updated"
    ledger.l1.refresh_from_db()
    assert ledger.l1.name == "改名"
