"""结果运用's pages, downloads and API per role: the list and what waits for a leader, one proposal and its decision
forms, the decision's .docx (re-read with python-docx), proposing from the 倒查 chain, a unit's history, the trigger
settings, the league page's adjustments and 典型经验, the month's 通报."""

import io
from datetime import date

import pytest
import time_machine
from docx import Document

from luoshi.supervision.consequences import queries, services
from luoshi.supervision.consequences.models import Consequence, ConsequenceDecision, LeagueAdjustment, TriggerSettings
from tests.supervision.test_league import build_april
from tests.orgs.admins import add_region_admins

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script>=SUM(A1)\x07「」'
READERS = ["wang_admin", "sun_leader", "li_ducha", "zhou_shangwu", "zheng_caizheng", "sun_jiedao", "ma_lixia"]
NOT_READERS = ["zhao_fagai", "qian_tongji", "wu_cunju", "chen_cunju", "nobody"]


def text(response):
    return response.content.decode()


@pytest.fixture
def proposal(cast, plan, may_12):
    return services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="interview",
                            reason="完成选址严重滞后，" + HOSTILE.replace("\x07", ""), task=plan.t2, milestones=[plan.m21])


def paragraphs(data):
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


# --- the list, one proposal, deciding ---------------------------------------------------------------------------------

@pytest.mark.parametrize("username", READERS)
def test_readers_open_the_list_and_see_only_what_is_theirs(username, proposal, client_for):
    page = text(client_for(username).get("/supervision/consequences/"))
    sees = username in ("wang_admin", "sun_leader", "li_ducha")
    assert (f'data-consequence="{proposal.pk}"' in page) == sees
    assert ('id="pending-for-me"' in page) == (username == "sun_leader")


@pytest.mark.parametrize("username", NOT_READERS)
def test_other_roles_are_refused_the_list(username, proposal, client_for):
    assert client_for(username).get("/supervision/consequences/").status_code == 403
    assert client_for(username).get(f"/supervision/consequences/{proposal.pk}/").status_code == 403
    assert client_for(username).get("/api/v1/supervision/consequences").status_code == 403


@pytest.mark.parametrize("username, status, forms", [
    ("wang_admin", 200, False), ("sun_leader", 200, True), ("li_ducha", 200, False), ("zheng_caizheng", 403, False),
    ("zhou_shangwu", 403, False), ("ma_lixia", 403, False), ("zhao_fagai", 403, False), ("nobody", 403, False)])
def test_a_pending_proposal_is_read_by_the_county_and_decided_by_its_leader(username, status, forms, proposal,
                                                                             client_for):
    response = client_for(username).get(f"/supervision/consequences/{proposal.pk}/")
    assert response.status_code == status
    if status == 200:
        page = text(response)
        assert ('id="approve-form"' in page) == forms and ('id="reject-form"' in page) == forms
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_an_unknown_proposal_is_404_and_signed_out_visitors_sign_in(proposal, client_for, client):
    assert client_for("sun_leader").get("/supervision/consequences/99999/").status_code == 404
    assert client.get(f"/supervision/consequences/{proposal.pk}/").status_code == 302
    assert client.get("/api/v1/supervision/consequences").status_code == 401


def test_the_leader_approves_on_the_page_and_the_unit_then_reads_it_and_its_docx(proposal, cast, client_for):
    leader, unit = client_for("sun_leader"), client_for("zheng_caizheng")
    assert unit.get(f"/supervision/consequences/{proposal.pk}/docx").status_code == 403
    assert client_for("li_ducha").get(f"/supervision/consequences/{proposal.pk}/docx").status_code == 400  # not yet
    bad = leader.post(f"/supervision/consequences/{proposal.pk}/decide", {"action": "approve", "kind": "criticism"})
    assert bad.status_code == 400 and "改为通报批评须写明意见" in text(bad)
    assert not ConsequenceDecision.objects.exists()
    refused = client_for("li_ducha").post(f"/supervision/consequences/{proposal.pk}/decide", {"action": "approve"})
    assert refused.status_code == 403 and not ConsequenceDecision.objects.exists()
    response = leader.post(f"/supervision/consequences/{proposal.pk}/decide",
                           {"action": "approve", "kind": "interview", "note": "请主要负责同志来谈"})
    assert response.status_code == 302
    page = text(unit.get(f"/supervision/consequences/{proposal.pk}/"))
    assert "济阳督查〔2020〕1号" in page and 'id="decision-docx"' in page and 'id="approve-form"' not in page
    assert client_for("zhou_shangwu").get(f"/supervision/consequences/{proposal.pk}/").status_code == 403
    again = leader.post(f"/supervision/consequences/{proposal.pk}/decide", {"action": "reject", "note": "改主意"})
    assert again.status_code == 400 and "已决定，不能更改" in text(again)
    download = unit.get(f"/supervision/consequences/{proposal.pk}/docx")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in download["Content-Disposition"]


def test_the_decision_docx_reads_as_a_government_document(proposal, cast, late_twice):
    proposal.notices.set([late_twice.first, late_twice.second])
    with time_machine.travel("2020-05-13 10:00 +0800", tick=False):
        services.decide(cast.sun_leader, proposal, approve=True, note="限期整改" + HOSTILE)
    from luoshi.supervision.consequences.access import get_consequence_for_user
    from luoshi.supervision.consequences import documents

    decided = get_consequence_for_user(cast.li_ducha, proposal.pk)
    lines = paragraphs(documents.decision_docx(decided))
    assert lines[0] == "济阳区督查室"
    assert "济阳督查〔2020〕1号" in lines  # 文号
    assert "关于对区财政局进行约谈的通知" in lines  # title
    assert "区财政局：" in lines  # 主送
    body = "\n".join(lines)
    assert "节点「2.1 完成选址」（重点任务「2 合村并点安置区建设」）完成时限2020年4月3日，截至2020年5月12日严重滞后，已滞后 25 个工作日" in body
    assert "决定对你单位进行约谈" in body and "孙区长" in body and "接受约谈" in body
    assert "领导批示：限期整改<script>alert(1)</script>=SUM(A1)「」" in body  # kept as text, less the control character
    assert lines[-2:] == ["济阳区督查室", "2020年5月13日"]  # 落款 and the date in Chinese
    assert "特此通知。" in lines
    document = Document(io.BytesIO(documents.decision_docx(decided)))
    title = next(p for p in document.paragraphs if p.text == "关于对区财政局进行约谈的通知")
    fonts = title.runs[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    body_run = next(p for p in document.paragraphs if p.text == "区财政局：").runs[0]
    assert body_run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"


def test_the_late_answers_proposal_states_the_notice_numbers_dates_and_days_late_in_its_docx(late_twice, cast):
    from luoshi.supervision.consequences import documents, triggers

    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        made = triggers.evaluate(date(2020, 5, 12))[0]
        services.decide(cast.sun_leader, made, approve=True, kind="criticism", note="两次逾期，予以通报批评")
    made = Consequence.objects.select_related("decision", "region", "unit").get(pk=made.pk)
    body = "\n".join(paragraphs(documents.decision_docx(made)))
    assert "关于对区财政局予以通报批评的决定" in body and "特此决定。" in body
    assert "督办〔2020〕1号（重点任务「2 合村并点安置区建设」）：2020年3月2日开具，答复时限2020年3月9日，2020年3月11日答复，逾期 2 个工作日" in body
    assert "督办〔2020〕2号" in body and "逾期 1 个工作日" in body


# --- proposing from the chain, the unit's history ---------------------------------------------------------------------

def test_the_office_proposes_from_the_chain_and_others_see_no_button(plan, cast, client_for, may_12):
    chain = text(client_for("li_ducha").get(f"/supervision/chain/milestones/{plan.m21.pk}/"))
    link = f"/supervision/consequences/propose?task={plan.t2.pk}&amp;unit={cast.units.caizheng.pk}&amp;milestone={plan.m21.pk}"
    assert "提出处理建议" in chain and link in chain
    for username in ("sun_leader", "zheng_caizheng"):
        assert "提出处理建议" not in text(client_for(username).get(f"/supervision/chain/tasks/{plan.t2.pk}/"))
    form = client_for("li_ducha").get(link.replace("&amp;", "&"))
    assert form.status_code == 200 and "已滞后 25 个工作日" in text(form)
    assert client_for("sun_leader").get(link.replace("&amp;", "&")).status_code == 403
    response = client_for("li_ducha").post("/supervision/consequences/propose", {
        "task": plan.t2.pk, "unit": cast.units.caizheng.pk, "kind": "talk", "reason": "请说明滞后原因",
        "milestones": [plan.m21.pk]})
    made = Consequence.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/consequences/{made.pk}/"
    assert made.kind == "talk" and list(made.milestones.all()) == [plan.m21]
    empty = client_for("li_ducha").post("/supervision/consequences/propose", {
        "task": plan.t2.pk, "unit": cast.units.caizheng.pk, "kind": "talk", "reason": ""})
    assert empty.status_code == 400 and "建议理由不能为空" in text(empty) and Consequence.objects.count() == 1
    chain = text(client_for("sun_leader").get(f"/supervision/chain/tasks/{plan.t2.pk}/"))
    assert f'data-consequence="{made.pk}"' in chain and "待领导决定" in chain


def test_a_units_history_shows_its_own_approved_consequences_only(proposal, cast, plan, client_for):
    pending_too = services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="talk", reason="另一条", task=plan.t2)
    services.decide(cast.sun_leader, proposal, approve=True)
    own = text(client_for("zheng_caizheng").get("/supervision/consequences/units/370115D04/"))
    assert f'data-consequence="{proposal.pk}"' in own and f'data-consequence="{pending_too.pk}"' not in own
    office = text(client_for("li_ducha").get("/supervision/consequences/units/370115D04/"))
    assert f'data-consequence="{proposal.pk}"' in office and f'data-consequence="{pending_too.pk}"' in office
    for username, status in (("zhou_shangwu", 403), ("ma_lixia", 403), ("wu_cunju", 403), ("nobody", 403),
                             ("sun_leader", 200), ("wang_admin", 200)):
        assert client_for(username).get("/supervision/consequences/units/370115D04/").status_code == status
    assert client_for("li_ducha").get("/supervision/consequences/units/NOPE/").status_code == 404
    listing = text(client_for("zheng_caizheng").get("/supervision/consequences/"))
    assert f'data-consequence="{proposal.pk}"' in listing and f'data-consequence="{pending_too.pk}"' not in listing


# --- trigger settings -------------------------------------------------------------------------------------------------

SETTINGS = {"region": "370115", "late_notices": "3", "late_window_days": "180", "late_kind": "talk", "red_periods": "2",
            "red_kind": "criticism"}


def test_the_office_changes_its_countys_thresholds_and_the_earlier_stay_listed(cast, client_for):
    add_region_admins(cast)
    page = text(client_for("li_ducha").get("/supervision/consequences/settings/"))
    assert 'value="2"' in page and 'value="365"' in page  # the defaults
    assert client_for("li_ducha").post("/supervision/consequences/settings/", SETTINGS).status_code == 302
    assert queries.settings_for(cast.jiyang) == {"late_notices": 3, "late_window_days": 180, "late_kind": "talk",
                                                 "red_periods": 2, "red_kind": "criticism"}
    assert client_for("jiyang_admin").post("/supervision/consequences/settings/",
                                           {**SETTINGS, "late_notices": "4"}).status_code == 302
    history = text(client_for("sun_leader").get("/supervision/consequences/settings/"))
    assert "180 天内逾期答复 3 次" in history and "180 天内逾期答复 4 次" in history
    assert 'id="settings-form"' in history and "<button type=\"submit\">保存</button>" not in history
    assert TriggerSettings.objects.count() == 2


@pytest.mark.parametrize("username, status", [("sun_leader", 403), ("zhou_shangwu", 403), ("ma_lixia", 403),
                                              ("lixia_admin", 403), ("wu_cunju", 403), ("nobody", 403)])
def test_others_do_not_change_jiyangs_thresholds(username, status, cast, client_for):
    add_region_admins(cast)
    assert client_for(username).post("/supervision/consequences/settings/", SETTINGS).status_code == status
    assert not TriggerSettings.objects.exists()


def test_bad_thresholds_are_a_400_in_chinese_and_nothing_is_saved(cast, client_for):
    response = client_for("li_ducha").post("/supervision/consequences/settings/",
                                           {**SETTINGS, "late_notices": "二", "red_kind": "fine"})
    assert response.status_code == 400
    assert "督办单逾期答复次数应为 0 至 20 的整数" in text(response) and "连续亮红灯的处理建议应为" in text(response)
    assert not TriggerSettings.objects.exists()


# --- the league page, 典型经验, adjustments, the month's 通报 -------------------------------------------------------------

@pytest.fixture
def april(cast, plan):
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        build_april(cast, plan)
        yield date(2020, 4, 1)


LEAGUE = "/supervision/league/?period=2020-04&region=370115"


def test_the_league_page_gives_the_office_the_adjustment_form_and_the_leader_the_approval(april, cast, client_for):
    office = text(client_for("li_ducha").get(LEAGUE))
    assert 'id="adjustment-form"' in office and 'id="league-bulletin"' in office
    response = client_for("li_ducha").post("/supervision/league/adjustments/propose", {
        "region": "370115", "period": "2020-04", "unit": cast.units.caizheng.pk, "points": "3", "reason": "急难任务"})
    assert response.status_code == 302 and response["Location"].endswith("#adjustments")
    adjustment = LeagueAdjustment.objects.get()
    leader = text(client_for("sun_leader").get(LEAGUE))
    assert "待批准 ＋3" in leader and 'class="inline adjustment-decide"' in leader and 'id="adjustment-form"' not in leader
    unit = text(client_for("zheng_caizheng").get(LEAGUE))
    assert 'id="adjustments"' not in unit and 'id="league-bulletin"' not in unit and "待批准 ＋3" in unit
    assert client_for("li_ducha").post(f"/supervision/league/adjustments/{adjustment.pk}/decide",
                                       {"action": "approve"}).status_code == 403
    assert client_for("sun_leader").post(f"/supervision/league/adjustments/{adjustment.pk}/decide",
                                         {"action": "approve"}).status_code == 302
    page = text(client_for("zheng_caizheng").get(LEAGUE))
    assert "＋3 ＝ <b>85</b>" in page
    bad = client_for("li_ducha").post("/supervision/league/adjustments/propose", {
        "region": "370115", "period": "2020-04", "unit": cast.units.caizheng.pk, "points": "99", "reason": "x"})
    assert bad.status_code == 400 and "加减分应为 -20 至 20" in text(bad) and LeagueAdjustment.objects.count() == 1
    no_note = client_for("sun_leader").post(f"/supervision/league/adjustments/{adjustment.pk}/decide", {"action": "reject"})
    assert no_note.status_code == 400 and "已决定" in text(no_note)


def test_the_league_json_and_export_add_the_adjustment_beside_the_score(april, cast, client_for):
    from openpyxl import load_workbook

    made = services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng, period=april,
                                       points=-2, reason="材料质量不高")
    services.decide_adjustment(cast.sun_leader, made, approve=True)
    body = client_for("li_ducha").get("/api/v1/supervision/league?period=2020-04&region=370115").json()
    row = next(r for r in body["units"] if r["unit"] == "财政局")
    assert (row["score"], row["adjustment"], row["adjusted_score"], row["rank"]) == (82, -2, 80, 3)
    sheet = load_workbook(io.BytesIO(client_for("li_ducha").get(
        "/supervision/league/export?period=2020-04&region=370115").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4:8] == ("得分", "加减分", "调整后得分", "待批准加减分")
    assert next(r for r in rows if r[2] == "财政局")[4:8] == (82, -2, 80, 0)
    out = io.StringIO()
    from django.core.management import call_command

    call_command("supervision", "league", "--period", "2020-04", "--region", "370115", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "\t财政局\t" in x)
    assert line.split("\t")[:6] == ["3", "-1", "财政局", "82", "-2", "80"] and line.endswith("后进")


def test_the_top_unit_writes_its_experience_on_its_page_and_the_office_adopts_it(april, cast, client_for):
    shangwu = cast.units.shangwu.pk
    url = f"/supervision/league/experience/2020-04/{shangwu}/"
    assert f'href="{url}"' in text(client_for("zhou_shangwu").get(LEAGUE))
    assert f'href="{url}"' not in text(client_for("zheng_caizheng").get(LEAGUE))
    assert 'id="experience-form"' in text(client_for("zhou_shangwu").get(url))
    response = client_for("zhou_shangwu").post(url, {"title": "专班推进", "text": HOSTILE.replace("\x07", "") + "一企一策"})
    assert response.status_code == 302
    office_page = text(client_for("li_ducha").get(url))
    assert 'id="adopt-form"' in office_page and 'id="experience-form"' not in office_page
    assert "&lt;script&gt;" in office_page
    from luoshi.supervision.consequences.models import Experience

    item = Experience.objects.get()
    assert client_for("zhou_shangwu").post(f"/supervision/league/experience/{item.pk}/adopt").status_code == 403
    assert client_for("li_ducha").post(f"/supervision/league/experience/{item.pk}/adopt").status_code == 302
    caizheng = f"/supervision/league/experience/2020-04/{cast.units.caizheng.pk}/"
    assert 'id="experience-form"' not in text(client_for("zheng_caizheng").get(caizheng))
    refused = client_for("zheng_caizheng").post(caizheng, {"title": "t", "text": "x"})
    assert refused.status_code == 400 and "不是2020年4月考核的先进单位" in text(refused)
    assert client_for("zheng_caizheng").get(url).status_code == 403  # another unit's
    assert client_for("ma_lixia").get(url).status_code == 403
    assert client_for("li_ducha").post(url, {"title": "t", "text": "x"}).status_code == 403  # the unit writes its own
    assert client_for("li_ducha").get("/supervision/league/experience/2020-13/1/").status_code == 404


def test_the_months_bulletin_lists_top_with_experience_bottom_decisions_and_adjustments(april, cast, plan, client_for):
    item = services.write_experience(cast.zhou_shangwu, cast.units.shangwu, april, title="专班推进招商",
                                     text="成立招商专班。\n" + HOSTILE)
    services.adopt_experience(cast.li_ducha, item)
    with time_machine.travel("2020-04-28 10:00 +0800", tick=False):
        made = services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="interview", reason="完成选址滞后",
                                task=plan.t2)
        services.decide(cast.sun_leader, made, approve=True)
    adjustment = services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng,
                                             period=april, points=3, reason="急难任务成效突出")
    services.decide_adjustment(cast.sun_leader, adjustment, approve=True)
    response = client_for("li_ducha").get("/supervision/league/bulletin?period=2020-04&region=370115")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "关于2020年4月重点工作考核情况的通报" in body and "2020年第4期" in body
    assert "一、先进单位（通报表扬）" in body and "区商务局：第1名" in body and "典型经验：专班推进招商" in body
    assert "<script>alert(1)</script>=SUM(A1)「」" in body
    assert "二、后进单位" in body and "区财政局：第3名，得分82 ＋3 ＝ 85，严重滞后节点 1 个" in body
    assert "三、结果运用" in body and "区财政局：约谈（济阳督查〔2020〕1号，2020年4月28日决定）" in body
    assert "四、考核加减分" in body and "区财政局＋3分：急难任务成效突出" in body
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:5] == ["名次", "单位", "得分", "加减分", "调整后得分"]
    for username, status in (("sun_leader", 200), ("wang_admin", 200), ("zhou_shangwu", 403), ("zheng_caizheng", 403),
                             ("ma_lixia", 403), ("zhao_fagai", 403)):
        url = "/supervision/league/bulletin?period=2020-04&region=370115"
        assert client_for(username).get(url).status_code == status, username
    bad = client_for("li_ducha").get("/supervision/league/bulletin?period=2099-13&region=370115")
    assert bad.status_code == 400 and "无法识别的考核月份" in text(bad)
    assert client_for("li_ducha").get("/supervision/league/bulletin?period=2020-04&region=999999").status_code == 404


# --- the API -------------------------------------------------------------------------------------------------------

def test_the_api_proposes_lists_what_waits_and_decides(cast, plan, client_for, may_12):
    office, leader = client_for("li_ducha"), client_for("sun_leader")
    created = office.post("/api/v1/supervision/consequences", {
        "unit": "370115D04", "kind": "interview", "reason": "完成选址滞后", "task": plan.t2.pk,
        "milestones": [plan.m21.pk]}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["state"] == "pending" and created.json()["facts"][0].startswith("节点「2.1 完成选址」")
    waiting = leader.get("/api/v1/supervision/consequences/pending").json()
    assert [(w["kind"], w["id"]) for w in waiting] == [("consequence", pk)]
    assert office.get("/api/v1/supervision/consequences/pending").json() == []
    refused = office.post(f"/api/v1/supervision/consequences/{pk}/decide", {"approve": True},
                          content_type="application/json")
    assert refused.status_code == 403 and "只有济阳区的领导" in refused.json()["error"]
    decided = leader.post(f"/api/v1/supervision/consequences/{pk}/decide", {"approve": True},
                          content_type="application/json")
    assert decided.status_code == 200 and decided.json()["decision"]["number"] == "济阳督查〔2020〕1号"
    again = leader.post(f"/api/v1/supervision/consequences/{pk}/decide", {"approve": False, "note": "x"},
                        content_type="application/json")
    assert again.status_code == 400 and "已决定" in again.json()["error"]
    assert client_for("zheng_caizheng").get(f"/api/v1/supervision/consequences/{pk}").status_code == 200
    assert client_for("zhou_shangwu").get(f"/api/v1/supervision/consequences/{pk}").status_code == 403
    assert client_for("ma_lixia").get(f"/api/v1/supervision/consequences/{pk}").status_code == 403
    assert client_for("ma_lixia").get("/api/v1/supervision/consequences").json() == []
    unknown = office.post("/api/v1/supervision/consequences", {"unit": "NOPE", "kind": "talk", "reason": "x"},
                          content_type="application/json")
    assert unknown.status_code == 404 and "不存在" in unknown.json()["error"]


def test_pending_for_leader_lists_proposals_and_adjustments_oldest_first(cast, plan, may_12):
    made = services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="talk", reason="x", task=plan.t2,
                            on=date(2020, 5, 11))
    adjustment = services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.shangwu,
                                             period=date(2020, 4, 1), points=2, reason="y")
    items = queries.pending_for_leader(cast.sun_leader)
    assert [(i.kind, i.obj.pk, i.since) for i in items] == [("consequence", made.pk, date(2020, 5, 11)),
                                                           ("adjustment", adjustment.pk, date(2020, 5, 12))]
    assert items[0].url == f"/supervision/consequences/{made.pk}/"
    assert items[1].title == "区商务局2020年4月考核＋2分"
    for username in ("ma_lixia", "li_ducha", "wang_admin", "zheng_caizheng", "nobody"):
        assert queries.pending_for_leader(getattr(cast, username)) == []
    services.decide(cast.sun_leader, made, approve=False, note="不必")
    assert [i.kind for i in queries.pending_for_leader(cast.sun_leader)] == ["adjustment"]
