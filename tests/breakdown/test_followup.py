"""After the import: 主要预期目标 (read, proposed by the office, confirmed or declined by 发改局; the target written and
the task's light following the indicator), the plan's ledger and its 通报 (page, .docx, xlsx) for a month or quarter."""

import io
from datetime import date
from decimal import Decimal

import docx
import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.breakdown import queries, rules, services
from luoshi.breakdown.models import Item, Plan, TargetLink
from luoshi.core.problems import Rejected
from luoshi.indicators import services as indicator_services
from luoshi.indicators.models import Indicator, Target
from luoshi.work import queries as work_queries
from luoshi.work import rules as work_rules
from luoshi.work import services as work_services
from luoshi.work.models import Campaign, Task
from tests.breakdown import documents as d

pytestmark = pytest.mark.django_db

CATALOG = [("gdp", "地区生产总值", ["GDP", "生产总值"]), ("budget_revenue", "一般公共预算收入", ["地方一般公共预算收入"]),
           ("retail", "社会消费品零售总额", ["社零额"]), ("trade", "进出口总额", ["外贸进出口"])]

ROWS = [
    "一、主要预期目标",
    ["1", "年底前实现地区生产总值增长6.5%左右，一般公共预算收入增长5%。", "区发展和改革局", "区统计局"],
    ["2", "4月底前完成重点项目集中开工。", "区商务局", "区财政局"],
    ["3", "年底前完成财源建设工程。", "区财政局", ""],
    ["4", "5月底前出台营商环境评价办法。", "区统计局", ""],
]


# --- rules (hand-computed) -----------------------------------------------------------------------------------------

def test_targets_are_read_from_the_items_words():
    read = rules.read_targets("地区生产总值增长6.5%左右，一般公共预算收入增长5%。", CATALOG)
    assert [(t.code, t.growth, t.value, t.unit, t.phrase) for t in read] == [
        ("gdp", "6.5", None, "%", "地区生产总值增长6.5%左右"), ("budget_revenue", "5", None, "%", "一般公共预算收入增长5%")]
    read = rules.read_targets("社零额同比增长6%以上；外贸进出口达到120亿元", CATALOG)
    assert [(t.code, t.growth, t.value, t.unit) for t in read] == [("retail", "6", None, "%"), ("trade", None, "120", "亿元")]
    assert [t.code for t in rules.read_targets("GDP（现价）增长 6 ％", CATALOG)] == ["gdp"]
    assert rules.read_targets("地区生产总值下降2%，推进统计改革", CATALOG) == []
    assert rules.read_targets("一般公共预算收入增长5%，一般公共预算收入增长6%", CATALOG)[0].growth == "5"  # once


def test_a_bulletins_period_is_a_month_or_a_quarter_of_the_plans_year():
    assert rules.bulletin_period("2026-03", 2026) == rules.Period("2026-03", date(2026, 3, 1), date(2026, 3, 31), "2026年3月")
    assert rules.bulletin_period("2026-q2", 2026) == rules.Period("2026-Q2", date(2026, 4, 1), date(2026, 6, 30),
                                                                   "2026年第二季度")
    for bad, message in (("2025-03", "方案年度 2026 年内"), ("2026-13", "1 至 12"), ("三月", "应为月份")):
        with pytest.raises(ValueError, match=message):
            rules.bulletin_period(bad, 2026)
    assert [p.code for p in rules.bulletin_periods(2026, date(2026, 4, 2))] == [
        "2026-04", "2026-Q2", "2026-03", "2026-02", "2026-01", "2026-Q1"]


def test_an_items_state_and_a_units_counts():
    state = rules.item_state
    assert state(closed=True, overdue=True, missed_periods=2, light="red") == rules.CLOSED
    assert state(closed=False, overdue=True, missed_periods=0, light="red") == rules.OVERDUE
    assert state(closed=False, overdue=False, missed_periods=1, light="yellow") == rules.BEHIND
    assert state(closed=False, overdue=False, missed_periods=0, light="red") == rules.BEHIND  # an indicator below 序时
    assert state(closed=False, overdue=False, missed_periods=0, light="green") == rules.REACHED
    assert rules.unit_counts(["closed", "overdue", "behind", "reached", "reached"]) == {
        "items": 5, "reached": 2, "behind": 1, "overdue": 1, "closed": 1, "not_reached": 2}
    assert work_rules.follow_indicators("green", ["yellow", None]) == "yellow"
    assert work_rules.follow_indicators("red", ["green"]) == "red"
    assert work_rules.follow_indicators("green", []) == "green"


# --- the plan ------------------------------------------------------------------------------------------------------

@pytest.fixture
def imported(cast, march_20):
    indicator_services.ensure_catalog()
    reading = services.read_plan(cast.li_ducha, data=d.word_table(ROWS), filename="方案.docx", region=cast.jiyang,
                                 year=2026)
    services.save_reading(cast.li_ducha, reading)
    return Plan.objects.get(region=cast.jiyang, year=2026)


def task_of(plan, number):
    return Item.objects.get(plan=plan, number=number).task


def test_the_campaign_takes_two_tier_due_days_the_20th_and_the_25th(imported, client_for):
    campaign = Campaign.objects.get(pk=imported.campaign_id)
    assert (campaign.input_due_day, campaign.report_due_day) == (20, 25)
    page = client_for("li_ducha").get(f"/work/tasks/{task_of(imported, '1').pk}/").content.decode()
    assert "配合单位每月20日前报牵头单位，牵头单位每月25日前报督查室" in page


def test_the_review_page_shows_the_targets_an_item_states(cast, client_for, march_20):
    indicator_services.ensure_catalog()
    reading = services.read_plan(cast.li_ducha, data=d.word_table(ROWS), filename="方案.docx", region=cast.jiyang,
                                 year=2026)
    page = client_for("li_ducha").get(f"/breakdown/readings/{reading.pk}/").content.decode()
    assert 'data-indicator="gdp">地区生产总值 增长6.5%' in page and 'data-indicator="budget_revenue"' in page


@pytest.mark.both_databases  # locked links, the target written, the JSON codes compared with [] on the board
def test_the_office_proposes_and_the_analysis_office_confirms_a_target_and_the_task_follows_it(cast, imported):
    gdp, revenue = Indicator.objects.get(code="gdp"), Indicator.objects.get(code="budget_revenue")
    with pytest.raises(PermissionDenied):
        services.propose_targets(cast.zhao_fagai, imported)
    links = services.propose_targets(cast.li_ducha, imported)
    assert [(l.indicator_code, Decimal(l.growth)) for l in links] == [("gdp", Decimal("6.5")),
                                                                       ("budget_revenue", Decimal("5"))]
    with pytest.raises(Rejected, match="没有待提出的主要预期目标"):
        services.propose_targets(cast.li_ducha, imported)  # proposed already
    for user in (cast.li_ducha, cast.zhou_shangwu, cast.sun_leader, cast.qian_tongji):
        with pytest.raises(PermissionDenied, match="只有济阳区发改局可以确认主要预期目标"):
            services.confirm_target(user, links[0])
    task = task_of(imported, "1")
    services.confirm_target(cast.zhao_fagai, links[0])
    target = Target.objects.get(region=cast.jiyang, indicator=gdp, year=2026)
    assert (target.growth, target.value) == (Decimal("6.5"), None)
    task.refresh_from_db()
    assert task.indicator_codes == ["gdp"]
    with pytest.raises(Rejected, match="不能重复确认"):
        services.confirm_target(cast.zhao_fagai, links[0])
    with pytest.raises(Rejected, match="不采纳请填写理由"):
        services.decline_target(cast.zhao_fagai, links[1], "")
    services.decline_target(cast.zhao_fagai, links[1], "以市下达目标为准")
    assert not Target.objects.filter(region=cast.jiyang, indicator=revenue, year=2026).exists()
    assert [l.indicator_code for l in services.propose_targets(cast.li_ducha, imported)] == ["budget_revenue"]  # again

    # The light follows GDP's 序时 judgement: 1-3月 growth 3.9% against a 6.5% target is red (more than 2 points below).
    day = date(2026, 4, 20)
    indicator_services.save_figures(None, [{"region_id": cast.jiyang.pk, "indicator_id": gdp.pk,
                                            "period": date(2026, 3, 1), "value": Decimal("80"), "growth": Decimal("3.9")}])
    judged = work_queries.judged_task(task, day)
    assert judged["light"] == work_rules.RED
    assert [(r["indicator"], r["light"]) for r in judged["indicators"]] == [("gdp", "red")]
    assert gantt_light(cast, task, day) == work_rules.RED  # the Gantt chart (and the 驾驶舱) show the board's light
    indicator_services.save_figures(None, [{"region_id": cast.jiyang.pk, "indicator_id": gdp.pk,
                                            "period": date(2026, 3, 1), "value": Decimal("80"), "growth": Decimal("6.8")}])
    assert work_queries.judged_task(task, day)["indicators"][0]["light"] == "green"
    # a figure saved moves no task's revision: the chart's kept part is followed again on the next request
    assert gantt_light(cast, task, day) == work_queries.judged_task(task, day)["light"] != work_rules.RED


def gantt_light(cast, task, day):
    import orjson

    from luoshi.work.gantt import gantt_rows

    data = orjson.loads(gantt_rows(day, cast.li_ducha)[0])
    return data["lights"][next(row[7] for row in data["tasks"] if row[0] == task.pk)]


def test_the_target_pages_for_each_role(cast, imported, client_for):
    for username, status in (("li_ducha", 200), ("sun_leader", 200), ("zhao_fagai", 200), ("qian_tongji", 200),
                             ("wang_admin", 200), ("zhou_shangwu", 403), ("ma_lixia", 403), ("nobody", 403)):
        assert client_for(username).get(f"/breakdown/plans/{imported.pk}/").status_code == status, username
    assert client_for("zhao_fagai").post(f"/breakdown/plans/{imported.pk}/propose-targets").status_code == 403
    assert client_for("li_ducha").post(f"/breakdown/plans/{imported.pk}/propose-targets").status_code == 302
    link = TargetLink.objects.get(indicator_code="gdp")
    for username, status in (("zhao_fagai", 200), ("wang_admin", 200), ("li_ducha", 403), ("zhou_shangwu", 403)):
        assert client_for(username).get("/breakdown/targets/").status_code == status, username
    assert client_for("li_ducha").post(f"/breakdown/targets/{link.pk}/confirm").status_code == 403
    assert client_for("zhao_fagai").post(f"/breakdown/targets/{link.pk}/confirm").status_code == 302
    assert Target.objects.filter(region=cast.jiyang, indicator__code="gdp", year=2026, growth=Decimal("6.5")).exists()
    ledger = client_for("sun_leader").get(f"/breakdown/plans/{imported.pk}/").content.decode()
    assert "gdp 已确认" in ledger and 'id="targets-link"' not in ledger


# --- the 通报 -------------------------------------------------------------------------------------------------------

def evidence():
    return SimpleUploadedFile("验收.pdf", b"%PDF-1.4 ok", content_type="application/pdf")


@pytest.fixture
def june(cast, imported, settings, tmp_path):
    """By early June: item 2 (商务局, 4月底前) closed in May; item 3 (财政局, 年底前) reported every month; item 4
    (统计局, 5月底前) not done; item 1 (发改局) reported nothing."""
    settings.MEDIA_ROOT = tmp_path / "media"
    t2, t3 = task_of(imported, "2"), task_of(imported, "3")
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False) as traveller:
        for month in range(1, 6):
            work_services.submit_report(None, t3, percent=month * 10, reported_on=date(2026, month, 10))
        with time_machine.travel("2026-05-12 10:00 +0800", tick=False):
            closure = work_services.request_closure(cast.zhou_shangwu, t2, note="已集中开工", attachments=[evidence()])
            work_services.approve_closure(cast.li_ducha, closure)
        yield traveller


@pytest.mark.both_databases
def test_the_bulletin_of_may_by_unit_with_the_closed_overdue_and_behind_items(cast, imported, june):
    found = queries.bulletin(imported, rules.bulletin_period("2026-05", 2026))
    assert found.as_of == date(2026, 5, 31)
    states = {row.item.number: row.state for row in found.items}
    # 4 (5月底前: 31 May, a Sunday, moves to 1 June) is not late on 31 May; it and 1 missed their reports
    assert states == {"1": rules.BEHIND, "2": rules.CLOSED, "3": rules.REACHED, "4": rules.BEHIND}
    assert found.totals == {"items": 4, "reached": 1, "behind": 2, "overdue": 0, "closed": 1, "not_reached": 2}
    assert [i.item.number for i in found.closed_in_period] == ["2"]
    june_report = queries.bulletin(imported, rules.bulletin_period("2026-Q2", 2026))
    assert june_report.as_of == date(2026, 6, 10)  # the quarter has not ended: as of today
    overdue = {row.item.number: row.late for row in june_report.overdue}
    assert list(overdue) == ["4"] and overdue["4"]["due"] == date(2026, 6, 1)  # 31 May, a Sunday → Monday 1 June
    assert {u["name"]: (u["items"], u["overdue"], u["closed"]) for u in june_report.units} == {
        "统计局": (1, 1, 0), "发改局": (1, 0, 0), "财政局": (1, 0, 0), "商务局": (1, 0, 1)}
    assert june_report.units[0]["name"] == "统计局"  # the worst first


def test_the_bulletin_page_its_word_and_its_table(cast, imported, june, client_for):
    url = f"/breakdown/plans/{imported.pk}/bulletin"
    page = client_for("li_ducha").get(url, {"period": "2026-Q2"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "关于2026年第二季度政府工作报告重点任务落实情况的通报" in text
    assert "5月底前出台营商环境评价办法" in text and "已逾期" in text
    assert client_for("zhou_shangwu").get(url).status_code == 403
    assert client_for("li_ducha").get(url, {"period": "2025-05"}).status_code == 400
    assert client_for("li_ducha").get(url, {"period": "2026-05", "format": "pdf"}).status_code == 400
    word = client_for("sun_leader").get(url, {"period": "2026-05", "format": "docx"})
    assert word.status_code == 200 and word["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(word.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "济阳区督查室"
    assert "关于2026年5月政府工作报告重点任务落实情况的通报" in paragraphs
    assert any(p.startswith("截至2026年5月31日，济阳区2026年政府工作报告确定的4项重点任务中，已销号1项（本期销号1项）")
               for p in paragraphs)
    assert any("4月底前完成重点项目集中开工" in p and "2026年5月12日销号" in p for p in paragraphs)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "牵头单位", "事项数", "达到序时进度", "未达序时进度", "其中逾期", "已销号"]
    assert [c.text for c in table.rows[-1].cells][1:] == ["合计", "4", "1", "2", "0", "1"]
    sheet = openpyxl.load_workbook(io.BytesIO(client_for("li_ducha").get(
        url, {"period": "2026-05", "format": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "所属部分", "重点任务", "牵头单位", "落实情况")
    assert [(r[0], r[4]) for r in rows[1:]] == [("1", "未达序时进度"), ("2", "已销号"), ("3", "达到序时进度"),
                                                 ("4", "未达序时进度")]


def test_the_ledger_shows_the_closed_date_and_a_pending_closure(cast, imported, june, client_for):
    t3 = task_of(imported, "3")
    work_services.request_closure(cast.zheng_caizheng, t3, note="提前完成", attachments=[evidence()])
    rows, _ = queries.ledger(imported, date(2026, 6, 10))
    by_number = {r.item.number: r for r in rows}
    assert by_number["2"].task.closed_on == date(2026, 5, 12) and by_number["2"].state == rules.CLOSED
    assert by_number["3"].closure_pending
    page = client_for("li_ducha").get(f"/breakdown/plans/{imported.pk}/").content.decode()
    assert "2026年5月12日" in page and "待审核" in page
    assert Task.objects.filter(closed_on__isnull=False).count() == 1


def test_the_analysis_office_is_told_the_targets_wait_for_its_confirmation(cast, imported):
    from luoshi.notify.models import Message

    services.propose_targets(cast.li_ducha, imported)
    told = Message.objects.filter(subject__contains="主要预期目标待确认")
    assert [m.recipient.username for m in told] == ["zhao_fagai"]
    assert told.get().subject == "2026年主要预期目标待确认（2项）" and told.get().link == "/breakdown/targets/"


def test_the_leader_the_analysis_office_and_statistics_reach_the_ledger_from_key_work(cast, imported, client_for):
    for username in ("sun_leader", "zhao_fagai", "qian_tongji"):
        client = client_for(username)
        assert "政府工作要点落实台账" in client.get("/work/").content.decode()
        page = client.get("/breakdown/").content.decode()
        assert f"/breakdown/plans/{imported.pk}/" in page and 'id="upload"' not in page and "读取记录" not in page
        assert client.get(f"/breakdown/plans/{imported.pk}/").status_code == 200
    for username in ("zhou_shangwu", "wu_cunju", "nobody"):
        assert client_for(username).get("/breakdown/").status_code == 403
    other = client_for("ma_lixia").get("/breakdown/")  # 历下区's leader: the page, without 济阳区's plan
    assert other.status_code == 200 and f"/breakdown/plans/{imported.pk}/" not in other.content.decode()
    assert "还没有导入任务分解方案" in other.content.decode()
