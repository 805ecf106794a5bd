"""`luoshi projects pipeline --json` per issue 24's contract, and the pipeline's API."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from luoshi.orgs import services as org_services
from luoshi.projects.models import Project
from luoshi.projects.pipeline.models import Arrival, Lead, LeadStage
from tests.projects.pipeline.leads import pdf


def run(*args):
    out = StringIO()
    call_command("projects", *args, stdout=out)
    return out.getvalue()


def test_the_json_is_the_contract_exactly(ledger):
    data = json.loads(run("pipeline", "--region", "370115", "--period", "2020-03", "--json"))
    assert list(data) == ["period", "signed", "contract_total", "started", "producing", "funds_arrived", "fdi_usd", "rates"]
    assert data == {"period": "2020-03", "signed": 2, "contract_total": 95000.0, "started": 1, "producing": 0,
                    "funds_arrived": 8520.0, "fdi_usd": 500.0,
                    "rates": {"performance": 100.0, "start": 50.0, "production": 0.0, "funds": 8.97}}


def test_the_text_says_the_rates_the_funnel_and_who_stalled(ledger):
    text = run("pipeline", "--region", "370115", "--period", "2020-04")
    assert "签约项目2个，合同投资额9.50亿元；履约率100.0%，开工率50.0%（1个）" in text
    assert "实际利用外资500万美元" in text
    assert "招商漏斗：线索4个 → 在谈4个 → 签约3个 → 注册2个 → 开工1个 → 投产0个" in text
    assert "签约后3个月无进展：京东物流中心（商务局，签约于2019年12月20日）" in text


@pytest.mark.django_db
def test_a_bad_region_or_month_is_said_in_chinese(cast):
    with pytest.raises(CommandError, match="地区 999 不存在"):
        run("pipeline", "--region", "999", "--period", "2020-03")
    with pytest.raises(CommandError, match="月份（--period）"):
        run("pipeline", "--region", "370115", "--period", "三月")


def api(cast, username):
    user = getattr(cast, username)
    _, raw = org_services.create_api_token(user, user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_board_carries_the_contract_and_the_rows(cast, ledger):
    data = api(cast, "sun_leader").get("/api/v1/projects/pipeline?region=370115&period=2020-03").json()
    assert data["fdi_usd"] == 500.0 and data["signed"] == 2 and data["rates"]["funds"] == 8.97
    assert [f["count"] for f in data["funnel"]] == [4, 4, 3, 2, 1, 0]
    l4 = next(r for r in data["leads"] if r["name"] == "重汽专用车项目")
    assert l4["stage"] == "开工" and l4["project"] == Project.objects.get(source_id=ledger.l4.pk, source="pipeline").pk
    assert api(cast, "ma_lixia").get("/api/v1/projects/pipeline?region=370115&period=2020-03").status_code == 403


def test_the_keeper_adds_a_lead_signs_it_with_evidence_and_records_dollars(cast, ledger):
    client = api(cast, "zhou_shangwu")
    response = client.post("/api/v1/projects/pipeline/leads", json.dumps({
        "region": "370115", "name": "德国精密轴承项目", "unit": "370115D03", "capital": "外资", "country": "德国",
        "lead_on": "2020-03-01"}), content_type="application/json")
    assert response.status_code == 201, response.content
    lead = Lead.objects.get(pk=response.json()["id"])
    response = client.post(f"/api/v1/projects/pipeline/leads/{lead.pk}/stages",
                           {"stage": "签约", "day": "2020-04-02", "contract_investment": "12000", "contract_usd": "1500",
                            "evidence": pdf()})
    assert response.status_code == 201, response.content
    assert response.json()["evidence"][0]["name"] == "合同.pdf"
    response = client.post(f"/api/v1/projects/pipeline/leads/{lead.pk}/arrivals", json.dumps(
        {"period": "2020-04", "capital": "外资", "usd": 100, "rate": 7.05}), content_type="application/json")
    assert response.status_code == 201 and response.json()["amount"] == 705.0
    detail = client.get(f"/api/v1/projects/pipeline/leads/{lead.pk}").json()
    assert detail["stage"] == "签约" and detail["contract_usd"] == 1500.0 and len(detail["arrivals"]) == 1


def test_the_api_refuses_in_chinese_and_saves_nothing(cast, ledger):
    client = api(cast, "zhou_shangwu")
    before = (LeadStage.objects.count(), Arrival.objects.count())
    response = client.post(f"/api/v1/projects/pipeline/leads/{ledger.l2.pk}/stages", {"stage": "投产", "day": "2020-04-02"})
    assert response.status_code == 400 and "项目尚未签约，不能记录投产" in response.json()["error"]
    response = client.post(f"/api/v1/projects/pipeline/leads/{ledger.l1.pk}/arrivals", json.dumps(
        {"period": "2020-04", "capital": "外资", "usd": 100, "rate": 700}), content_type="application/json")
    assert response.status_code == 400 and "折算汇率应为每美元 5 至 9 元" in response.json()["error"]
    assert (LeadStage.objects.count(), Arrival.objects.count()) == before
    assert api(cast, "zhao_fagai").post(f"/api/v1/projects/pipeline/leads/{ledger.l1.pk}/arrivals", json.dumps(
        {"period": "2020-04", "capital": "外资", "usd": 1, "rate": 7}), content_type="application/json").status_code == 403
