"""The pipeline's writes and the board built from them (tests/projects/pipeline/leads.py, as of 14 April 2020)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.projects import queries as pool_queries
from luoshi.projects import services as pool_services
from luoshi.projects.models import Project
from luoshi.projects.pipeline import queries, rules, services
from luoshi.projects.pipeline.models import Arrival, Lead, LeadStage, StageEvidence
from tests.projects.pipeline.leads import pdf

MARCH = date(2020, 3, 1)
pytestmark = pytest.mark.both_databases


def test_the_board_as_of_march_is_the_hand_computed_one(ledger):
    state = queries.board(ledger.l1.region, MARCH)
    assert queries.contract(state) == {
        "period": "2020-03", "signed": 2, "contract_total": 95000.0, "started": 1, "producing": 0,
        "funds_arrived": 8520.0, "fdi_usd": 500.0,
        "rates": {"performance": 100.0, "start": 50.0, "production": 0.0, "funds": 8.97}}
    assert [n for _, _, n in state["funnel"]] == [4, 4, 3, 2, 1, 0]
    assert state["stalled"] == []
    by_town = {g["name"]: g for g in state["by_town"]}
    assert by_town["曲堤镇"]["signed"] == 1 and by_town["曲堤镇"]["rates"]["funds"] == D("8.33")
    by_unit = {g["name"]: (g["count"], g["signed"]) for g in state["by_unit"]}
    assert by_unit == {"商务局": (3, 2), "济阳街道": (1, 0)}
    assert [(m["month"], m["domestic"], m["foreign_usd"]) for m in state["months"]] == [
        (1, D("1000.00"), D("300.00")), (2, D("3000.00"), D("0.00")), (3, D("2000.00"), D("200.00"))]


def test_february_sees_the_stages_and_funds_of_its_end_only(ledger):
    data = queries.contract(queries.board(ledger.l1.region, date(2020, 2, 1)))
    assert (data["signed"], data["started"], data["funds_arrived"], data["fdi_usd"]) == (2, 0, 5100.0, 300.0)
    assert data["rates"]["funds"] == 5.37


def test_a_lead_signed_with_nothing_since_is_listed_three_months_on(ledger):
    state = queries.board(ledger.l1.region, date(2020, 4, 1))
    assert [r["name"] for r in state["stalled"]] == ["京东物流中心"]


def test_a_lead_that_starts_becomes_a_project_of_the_pools_once(ledger):
    project = Project.objects.get(source="pipeline", source_id=ledger.l4.pk)
    assert (project.name, project.kind, project.pool, project.started_on, project.total_investment, project.unit.code,
            project.town.name) == ("重汽专用车项目", "new", "building", date(2020, 3, 5), D("60000.00"), "370115D03", "曲堤镇")
    assert AuditEntry.objects.filter(action="招商项目开工，转入项目库").count() == 1
    board_row = next(r for r in queries.board(ledger.l4.region, MARCH)["rows"] if r["id"] == ledger.l4.pk)
    assert board_row["project_id"] == project.pk


def test_a_lead_named_as_a_project_of_the_pool_is_linked_not_entered_twice(cast, ledger):
    existing, _ = pool_services.save_project(None, region=cast.jiyang, name="预制菜加工项目", kind="new",
                                             unit=cast.units.town, total_investment=D("8000"), planned_start=date(2020, 3, 1))
    lead = ledger.l2
    services.advance(None, lead, stage=rules.SIGNED, day=date(2020, 3, 20), contract_investment=D("8000"), files=[pdf()])
    services.advance(None, lead, stage=rules.STARTED, day=date(2020, 4, 10), files=[pdf("开工.jpg".replace("jpg", "pdf"))])
    existing.refresh_from_db()
    assert (existing.source, existing.source_id, existing.started_on) == ("pipeline", lead.pk, date(2020, 4, 10))
    assert Project.objects.filter(name="预制菜加工项目").count() == 1


def test_signing_without_evidence_or_contract_saves_nothing(ledger):
    before = (LeadStage.objects.count(), StageEvidence.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Rejected) as refused:
        services.advance(None, ledger.l2, stage=rules.SIGNED, day=date(2020, 4, 1))
    assert refused.value.messages == ["签约须填写合同投资额（万元）", "签约须上传佐证材料（合同）"]
    with pytest.raises(Rejected) as refused:
        services.advance(None, ledger.l2, stage=rules.SIGNED, day=date(2020, 4, 1), contract_investment="-5",
                         files=[pdf("合同.exe")])
    assert "合同投资额：金额不能为负数（-5）" in refused.value.messages
    assert any("类型不允许" in m for m in refused.value.messages)
    assert (LeadStage.objects.count(), StageEvidence.objects.count(), AuditEntry.objects.count()) == before
    assert Lead.objects.get(pk=ledger.l2.pk).stage == rules.TALKS


def test_a_corrected_stage_is_a_new_version_and_keeps_its_evidence(ledger):
    signed = LeadStage.objects.get(lead=ledger.l1, stage=rules.SIGNED)
    with pytest.raises(Rejected) as refused:
        services.correct_stage(None, signed, day=date(2020, 1, 12))
    assert refused.value.messages == ["更正请填写更正说明"]
    with pytest.raises(Rejected):
        services.correct_stage(None, signed, day=date(2020, 2, 20), correction_note="晚于注册")
    new = services.correct_stage(None, signed, day=date(2020, 1, 12), correction_note="按合同落款日期")
    assert (new.version, new.series, new.day, new.is_current) == (2, signed.series, date(2020, 1, 12), True)
    assert LeadStage.objects.get(pk=signed.pk).is_current is False
    assert [e.name for e in new.evidence.all()] == ["签约.pdf"]
    assert queries.board(ledger.l1.region, MARCH)["rows"][0]["signed_on"] == date(2020, 1, 12)


def test_funds_are_versions_and_foreign_ones_are_dollars_at_their_rate(ledger):
    march = Arrival.objects.get(lead=ledger.l1, period=MARCH)
    assert (march.usd, march.rate, march.amount) == (D("200.00"), D("7.1000"), D("1420.00"))
    with pytest.raises(Rejected) as refused:
        services.record_arrival(None, ledger.l1, period=MARCH, capital=rules.FOREIGN, usd="250", fx="7.1")
    assert refused.value.messages == ["2020年3月的外资到位资金已记录（第1版），如需修改请点「更正」"]
    fixed = services.record_arrival(None, ledger.l1, period=MARCH, capital=rules.FOREIGN, usd="250", fx="7.1",
                                    corrects=march, correction_note="补录一笔")
    assert (fixed.version, fixed.amount) == (2, D("1775.00"))
    assert queries.contract(queries.board(ledger.l1.region, MARCH))["fdi_usd"] == 550.0
    assert Arrival.objects.filter(lead=ledger.l1, period=MARCH).count() == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"capital": rules.FOREIGN, "usd": "100", "fx": "7"}, "内资项目不能记录外资到位，请先将项目的资金来源改为外资"),
    ({"capital": rules.DOMESTIC, "amount": "abc"}, "到位资金：「abc」不是数字（万元）"),
    ({"capital": rules.DOMESTIC, "amount": "100", "period": date(2020, 5, 1)}, "到位月份 2020年5月晚于本月"),
    ({"capital": "gold", "amount": "1"}, "资金来源应为「内资」或「外资」"),
])
def test_bad_funds_are_refused_in_chinese_and_nothing_saved(ledger, kwargs, message):
    before = Arrival.objects.count()
    kwargs.setdefault("period", MARCH)
    with pytest.raises(Rejected) as refused:
        services.record_arrival(None, ledger.l4, **kwargs)
    assert message in refused.value.messages
    assert Arrival.objects.count() == before


def test_who_writes_what(cast, ledger):
    services.advance(cast.sun_jiedao, ledger.l2, stage=rules.SIGNED, day=date(2020, 4, 1), contract_investment="5000",
                     files=[pdf()])  # its own lead
    for person in (cast.sun_leader, cast.zhao_fagai, cast.sun_jiedao, cast.zheng_caizheng):
        with pytest.raises(PermissionDenied):
            services.record_arrival(person, ledger.l4, period=MARCH, capital=rules.DOMESTIC, amount="1",
                                    corrects=Arrival.objects.get(lead=ledger.l4, period=MARCH), correction_note="x")
    with pytest.raises(PermissionDenied):
        services.save_lead(cast.sun_jiedao, region=cast.jiyang, name="街道自己登记", unit=cast.units.town)
    lead, outcome = services.save_lead(cast.zhou_shangwu, region=cast.jiyang, name="商务局登记", unit=cast.units.town,
                                       capital=rules.FOREIGN, country="德国")
    assert outcome == "created" and lead.stage == rules.LEAD and lead.stage_on == date(2020, 4, 14)


def test_a_lead_of_another_region_or_a_foreign_one_without_country_is_refused(cast, ledger):
    with pytest.raises(Rejected) as refused:
        services.save_lead(None, region=cast.jiyang, name="外区项目", unit=cast.units.lixia_gov, capital=rules.FOREIGN)
    assert refused.value.messages == ["责任单位「历下区政府办公室」不属于济阳区", "外资项目请填写外资来源国家（地区）"]
    assert not Lead.objects.filter(name="外区项目").exists()


def test_the_pools_own_table_is_untouched_by_a_started_lead_without_a_year_plan(cast, ledger):
    names = [r["name"] for r in pool_queries.status(cast.jiyang, MARCH)["projects"]]
    assert "重汽专用车项目" not in names  # in the pool (在建); in the 调度表 once 发改局 gives it a year plan
