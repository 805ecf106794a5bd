"""The pack a 发改局 sends up unedited: the overview drafted from hand-built data (which indicators go to 运行特点 and
存在问题, the reasons and measures quoted), an indicator's figures in words, the full-year outlook, the cover; the
analysis office's edit kept as versions and used by the pack; who reads and who edits; the .docx read back."""

from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from io import BytesIO

from luoshi.briefings import services
from luoshi.briefings.models import Overview
from luoshi.briefings.pack import assemble, rules, word
from luoshi.core.problems import Rejected
from luoshi.indicators import services as indicator_services

pytestmark = pytest.mark.both_databases  # versions under a unique partial constraint, select_for_update

MARCH = date(2020, 3, 1)


def row(code, name, unit="亿元", value=None, growth=None, peer_avg=None, rank=None, peers=6, rank_change=None,
        completion=None, time_progress=None, gap=None, target_value=None, target_growth=None, light=None, band=None,
        outlook=None, period="2020-03", note="", required=None):
    return {"indicator": code, "name": name, "unit": unit, "value": value, "growth": growth, "peer_avg_growth": peer_avg,
            "rank": rank, "peers": peers if rank else None, "rank_change": rank_change, "completion": completion,
            "time_progress": time_progress, "gap": gap, "target_value": target_value, "target_growth": target_growth,
            "light": light, "band": band, "outlook": outlook, "half_half": None, "period": period, "period_note": note,
            "required_monthly": required}


RETAIL = row("retail", "社会消费品零售总额", value=31.7, growth=3.5, peer_avg=2.0, rank=2, completion=31.7,
             time_progress=25, gap=6.7, target_value=100, light="green", band="strength", outlook=True, required=7.59)
INDUSTRY = row("industry_va", "规模以上工业增加值", unit="%", growth=-3.0, peer_avg=1.0, rank=3, peers=3,
               target_growth=7.5, gap=-10.5, light="red", band="weakness", outlook=False)
BUDGET = row("budget_revenue", "一般公共预算收入", value=12.3, growth=1.2, peer_avg=1.0, rank=4, completion=20.5,
             time_progress=25, gap=-4.5, target_value=60, light="yellow", band="middle", outlook=False, required=5.3)
FAI = row("fai", "固定资产投资", unit="%", growth=8.6, peer_avg=7.0, rank=3, target_growth=8.5, gap=0.1, light="green",
          band="middle", outlook=True)
ROWS = [RETAIL, INDUSTRY, BUDGET, FAI]
SECTIONS = [
    {"row": INDUSTRY, "weakness": True, "owner": "区工业和信息化局",
     "sections": [{"unit": "区工业和信息化局", "completion": "降幅收窄。", "reasons": "受疫情影响，企业复工偏晚\n原材料供应受阻。",
                   "measures": "一企一策帮助企业复工。", "proxy": ""}]},
    {"row": RETAIL, "weakness": False, "owner": "区商务局",
     "sections": [{"unit": "区商务局", "completion": "", "reasons": "消费回补。", "measures": "发放消费券。", "proxy": ""}]},
    {"row": BUDGET, "weakness": False, "owner": "区财政局",
     "sections": [{"unit": "区财政局", "completion": "", "reasons": "减税降费。", "measures": "加强征管。", "proxy": ""}]},
    {"row": FAI, "weakness": False, "owner": "区发展和改革局", "sections": []},
]
WORK = {"campaigns": [{"name": "双招双引", "green": 3, "yellow": 1, "red": 1, "tasks": 5}],
        "overdue": [{"lead_unit": "商务局"}, {"lead_unit": "农业农村局"}, {"lead_unit": "商务局"}], "league": None}
FOLLOW_UPS = {"items": [{"title": "确保双过半", "lead_unit": "区发展和改革局", "standing": "滞后"},
                        {"title": "外资项目签约", "lead_unit": "区商务局", "standing": "已完成"}]}


# --- the draft, by hand ---------------------------------------------------------------------------

def test_the_draft_puts_the_strengths_and_those_ahead_of_time_progress_under_features():
    draft = rules.draft_overview("济阳区", MARCH, ROWS, SECTIONS, WORK, FOLLOW_UPS)
    assert draft["features"] == [
        "2020年1-3月，济阳区纳入监测的4项指标中，绿灯2项、黄灯1项、红灯1项。"
        "对照“双过半”目标，社会消费品零售总额、固定资产投资2项进度达到要求；"
        "规模以上工业增加值、一般公共预算收入2项尚未达到序时进度或目标增速，需加压推进。",
        "长项指标1项：社会消费品零售总额增长3.5%（全市平均增长2.0%），居全市第2位，完成年度目标的31.70%，"
        "高于序时进度6.7个百分点。",
        # 固定资产投资 is at its target growth (8.6 against 8.5) though in the middle of the peers
        "此外，快于序时进度或达到目标增速的指标还有1项：固定资产投资增长8.6%，居全市第3位，高于目标增速0.1个百分点。"]


def test_the_draft_puts_the_weaknesses_with_the_units_reasons_and_red_key_work_under_problems():
    draft = rules.draft_overview("济阳区", MARCH, ROWS, SECTIONS, WORK, FOLLOW_UPS)
    assert draft["problems"] == [
        "短板指标1项：规模以上工业增加值下降3.0%（全市平均增长1.0%），居全市第3位，低于目标增速10.5个百分点。",
        "此外，一般公共预算收入1项指标低于序时进度或目标增速。",
        # the unit's two lines joined with "；", quoted with the unit's name
        "规模以上工业增加值：受疫情影响，企业复工偏晚；原材料供应受阻（区工业和信息化局）。",
        "重点工作中红灯任务1项、严重滞后节点3个，涉及商务局、农业农村局。"]


def test_the_draft_suggests_the_units_measures_for_the_weak_and_the_behind_and_the_open_follow_ups():
    draft = rules.draft_overview("济阳区", MARCH, ROWS, SECTIONS, WORK, FOLLOW_UPS)
    assert draft["suggestions"] == [
        "一是规模以上工业增加值方面，一企一策帮助企业复工（区工业和信息化局）。",
        "二是一般公共预算收入方面，加强征管（区财政局）。",  # behind 序时; 商务局's 发放消费券 is for a strength
        "三是抓好上次会议确定事项落实：确保双过半（区发展和改革局，滞后）。"]  # the item done is left out


def test_a_weakness_without_a_section_names_its_responsible_unit_and_nothing_is_invented():
    sections = [{**SECTIONS[0], "sections": []}]
    draft = rules.draft_overview("济阳区", MARCH, [INDUSTRY], sections)
    assert "规模以上工业增加值：区工业和信息化局未报送原因分析。" in draft["problems"]
    assert draft["suggestions"] == ["一是继续加强经济运行监测调度，紧盯年度目标，确保完成全年各项目标任务。"]
    assert draft["features"][1:] == ["本期没有进入全市前三分之一的长项指标。", "本期没有快于序时进度或达到目标增速的指标。"]


def test_a_pack_without_a_meeting_quotes_no_reasons():
    draft = rules.draft_overview("济阳区", MARCH, [INDUSTRY])
    assert draft["problems"] == ["短板指标1项：规模以上工业增加值下降3.0%（全市平均增长1.0%），居全市第3位，"
                                 "低于目标增速10.5个百分点。"]


# --- an indicator in words, the outlook, the cover ------------------------------------------------

def test_an_indicators_figures_in_words_say_only_what_there_is():
    assert rules.figures_sentence(row("x", "甲")) == "暂无数据。"  # never 累计—亿元，增长—%，—
    assert rules.figures_sentence({**INDUSTRY, "growth": 4.3, "peer_avg_growth": 6.4, "rank": 11, "peers": 12,
                                   "gap": -1.7, "target_growth": 6, "light": "yellow"}) == (
        "增长4.3%（全市平均增长6.4%），居全市第11位，低于目标增速1.7个百分点，黄灯。")  # growth only: no "%" as a unit
    gdp = row("gdp", "地区生产总值", value=910.77, growth=-5.5, peer_avg=6.8, rank=12, peers=12, rank_change=-1,
              completion=65.35, time_progress=75, gap=-9.65, target_value=1393.68, light="yellow", note="1-9月")
    assert rules.figures_sentence(gdp) == ("1-9月累计910.77亿元，下降5.5%（全市平均增长6.8%），居全市第12位，较上期后移1位，"
                                           "完成年度目标的65.35%，低于序时进度9.65个百分点，黄灯。")
    funds = row("f", "招商引资到位资金", unit="万元", value=125000, completion=25, time_progress=25, gap=0)
    assert rules.figures_sentence(funds) == "累计12.50亿元，完成年度目标的25.00%，与序时进度持平。"


def test_the_outlook_compares_the_monthly_pace_needed_with_the_pace_so_far():
    items = rules.outlook([
        # 30 of 100 after 6 months: 5 a month so far, (100 − 30) / 6 = 11.67 needed: 133.3% more
        row("a", "甲", value=30, target_value=100, completion=30, time_progress=50, gap=-20, required=11.67,
            period="2020-06"),
        # 60 of 100: 10 a month so far, 6.67 needed
        row("b", "乙", value=60, target_value=100, completion=60, time_progress=50, gap=10, required=6.67, period="2020-06"),
        # 2000 of 8000万美元 after 3 months: 666.67 so far and (8000 − 2000) / 9 = 666.67 needed
        row("c", "丙", unit="万美元", value=2000, target_value=8000, completion=25, time_progress=25, gap=0,
            required=666.67),
        row("d", "丁", value=105, target_value=100, completion=105, time_progress=50, gap=55, required=0, period="2020-06"),
        row("e", "戊", value=95, target_value=100, completion=95, time_progress=100, gap=-5, period="2020-12"),
        row("f", "己", unit="%", growth=4.3, target_growth=6, gap=-1.7),
        row("g", "庚", unit="%", growth=None, target_growth=6),
        row("h", "辛", value=5, growth=3),  # no target: not in the outlook
    ])
    assert [(i["name"], i["so_far"], i["required"], i["verdict"]) for i in items] == [
        ("甲", "5.00亿元", "11.67亿元", "后6个月月均须比前6个月提高133.4%"),  # 11.67 / 5 − 1, from the rounded need
        ("乙", "10.00亿元", "6.67亿元", "按目前进度可完成全年目标"),
        ("丙", "667万美元", "667万美元", "按目前进度可完成全年目标"),
        ("丁", "17.50亿元", "0.00亿元", "已完成全年目标"),
        ("戊", "7.92亿元", "—", "全年完成目标的95.00%"),
        ("己", "—", "—", "低于目标增速1.7个百分点，须加快"),
        ("庚", "—", "—", "暂无数据"),
    ]
    assert (items[0]["target"], items[0]["done"], items[0]["completion"]) == ("100.00亿元", "30.00亿元", "30.00")
    assert (items[5]["target"], items[5]["done"]) == ("增长6.0%", "增长4.3%")


def test_the_cover_names_the_issuing_office_with_its_region():
    assert rules.default_issuer("济阳区", "区发展和改革局") == "济阳区发展和改革局"
    assert rules.default_issuer("商河县", "县发展和改革局") == "商河县发展和改革局"
    assert rules.default_issuer("济阳区", "济阳区发改局") == "济阳区发改局"
    assert rules.default_issuer("济阳区", "") == "济阳区发展和改革局"


def test_ordinals_and_the_peers_note_and_the_daily_range():
    assert [rules.ordinal(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
    assert rules.peers_note(ROWS) == "位次为全市6个同级地区按增速排名，其中规模以上工业增加值为3个地区"
    assert word.daily_sentence({"first": date(2026, 11, 25), "last": date(2026, 11, 30), "days": 6}) == (
        "2026年11月25日至11月30日，共6天有村居日报，各镇街按时报送情况如下。")
    assert word.daily_sentence({"first": date(2025, 12, 30), "last": date(2026, 1, 2), "days": 2}) == (
        "2025年12月30日至2026年1月2日，共2天有村居日报，各镇街按时报送情况如下。")
    assert word.daily_sentence({"first": date(2026, 1, 5), "last": date(2026, 1, 5), "days": 1}) == (
        "2026年1月5日，各镇街村居日报按时报送情况如下。")


def test_the_table_cells_of_a_growth_only_indicator_and_of_a_value_target():
    cells = word.indicator_cells({**assemble._extend(INDUSTRY, 3, growth_only=True), "gap_first": 5, "gap_next": 4})
    assert cells == ["规模以上工业增加值", "—", "—", "-3.0", "1.0", "—", "7.5", "—", "—", "-10.5", "红灯", "第3位", "—",
                     "5.0", "4.0", "短板"]
    cells = word.indicator_cells({**assemble._extend({**RETAIL, "rank_change": 2}, 3), "gap_first": 1.5,
                                  "gap_next": None})
    assert cells == ["社会消费品零售总额", "亿元", "31.70", "3.5", "2.0", "100.00", "—", "31.70", "25.00", "+6.70", "绿灯",
                     "第2位", "前移2位", "1.5", "—", "长项"]


# --- the edit, kept as versions, used by the pack -------------------------------------------------

EDIT = {"issuer": "济阳区发展和改革局", "doc_number": "济阳发改〔2020〕8号", "features_text": "外资逆势增长。\n\n  消费回补。 ",
        "problems_text": "工业降幅较大。", "suggestions_text": "一是稳工业。\n二是扩消费。"}


def test_an_edit_is_a_new_version_the_earlier_kept_and_the_pack_uses_the_latest(cast, owners, meeting):
    draft = assemble.build(cast.jiyang, MARCH, meeting=meeting, today=date(2020, 4, 20))
    assert draft.overview["edited"] is False and draft.overview["issuer"] == "济阳区发展和改革局"  # 赵发改's unit
    first, changed = services.save_overview(cast.zhao_fagai, meeting, **EDIT)
    assert changed and first.version == 1 and first.features_text == "外资逆势增长。\n消费回补。"  # blank lines dropped
    again, changed = services.save_overview(cast.zhao_fagai, meeting, **EDIT)
    assert not changed and again.pk == first.pk  # the same text makes no version
    second, changed = services.save_overview(cast.zhao_fagai, meeting, **{**EDIT, "problems_text": "工业降幅收窄。"})
    assert changed and second.version == 2 and second.series == first.series
    first.refresh_from_db()
    assert not first.is_current and first.problems_text == "工业降幅较大。"  # nothing is lost
    built = assemble.build(cast.jiyang, MARCH, meeting=meeting, today=date(2020, 4, 20))
    assert built.overview["edited"] and built.overview["version"] == 2
    assert built.overview["problems"] == ["工业降幅收窄。"] and built.overview["features"] == ["外资逆势增长。", "消费回补。"]
    assert built.draft["features"][0].startswith("2020年1-3月，济阳区纳入监测的")  # the draft stays at hand
    from luoshi.audit.models import AuditEntry

    assert [e.action for e in AuditEntry.objects.filter(action__contains="会议材料综述").order_by("id")] == [
        "编辑会议材料综述", "修改会议材料综述（新版本）"]


def test_a_bad_overview_is_refused_in_chinese_and_nothing_is_saved(cast, owners, meeting, client_for):
    with pytest.raises(Rejected) as refused:
        services.save_overview(cast.zhao_fagai, meeting, issuer=" ", features_text="", problems_text="x" * 6001,
                               suggestions_text="一是。")
    assert refused.value.messages == ["发文单位不能为空", "运行特点不能为空", "存在问题不能超过6000字（现有6001字）"]
    page = client_for("zhao_fagai").post(f"/briefings/meetings/{meeting.pk}/overview", {**EDIT, "issuer": ""})
    assert page.status_code == 400 and "发文单位不能为空" in page.content.decode()
    api = client_for("zhao_fagai").post(f"/api/v1/briefings/meetings/{meeting.pk}/overview",
                                        {**EDIT, "features_text": " "}, content_type="application/json")
    assert api.status_code == 400 and "运行特点不能为空" in api.json()["error"]
    assert not Overview.objects.exists()


@pytest.mark.parametrize("username,status,edits", [
    ("zhao_fagai", 200, True), ("wang_admin", 200, True), ("sun_leader", 200, False), ("li_ducha", 200, False),
    ("qian_tongji", 200, False), ("zhou_shangwu", 403, False), ("ma_lixia", 403, False), ("wu_cunju", 403, False)])
def test_who_reads_and_who_edits_the_overview(cast, owners, meeting, client_for, username, status, edits):
    client = client_for(username)
    page = client.get(f"/briefings/meetings/{meeting.pk}/overview")
    assert page.status_code == status
    if status == 200:
        assert ('id="overview-form"' in page.content.decode()) == edits
        assert "运行特点" in page.content.decode()
    posted = client.post(f"/briefings/meetings/{meeting.pk}/overview", EDIT)
    assert posted.status_code == (302 if edits else 403)
    api = client.post(f"/api/v1/briefings/meetings/{meeting.pk}/overview", EDIT, content_type="application/json")
    assert api.status_code == (200 if edits else 403)
    assert Overview.objects.count() == (1 if edits else 0)  # the API's same text makes no second version
    if not edits:
        assert any(why in posted.content.decode() for why in ("发改局", "发布", "无权"))  # said in Chinese


def test_a_unit_reads_the_overview_once_published_and_never_edits_it(cast, owners, meeting, client_for):
    services.save_overview(cast.zhao_fagai, meeting, **EDIT)
    unit = client_for("zhou_shangwu")
    assert unit.get(f"/briefings/meetings/{meeting.pk}/overview").status_code == 403
    assert unit.get(f"/api/v1/briefings/meetings/{meeting.pk}/overview").status_code == 403
    services.publish(cast.zhao_fagai, meeting)
    page = unit.get(f"/briefings/meetings/{meeting.pk}/overview").content.decode()
    assert "外资逆势增长。" in page and 'id="overview-form"' not in page
    assert unit.get(f"/api/v1/briefings/meetings/{meeting.pk}/overview").json()[0]["version"] == 1
    assert unit.post(f"/briefings/meetings/{meeting.pk}/overview", EDIT).status_code == 403
    assert Overview.objects.count() == 1


def test_another_districts_analysis_office_neither_reads_nor_edits(cast, owners, meeting, client):
    from luoshi.orgs import services as org_services
    from luoshi.orgs.models import Role

    user = org_services.create_account(None, username="lixia_fagai", password=cast.password, full_name="历下发改")
    org_services.assign_role(None, user=user, role=Role.ANALYSIS, region=cast.lixia)
    client.force_login(user)
    assert client.get(f"/briefings/meetings/{meeting.pk}/overview").status_code == 403
    assert client.post(f"/briefings/meetings/{meeting.pk}/overview", EDIT).status_code == 403
    assert not Overview.objects.exists()


# --- the .docx read back, the print page, the meeting page ---------------------------------------

def _docx(client, meeting):
    response = client.get(f"/briefings/meetings/{meeting.pk}/pack.docx")
    assert response.status_code == 200
    return Document(BytesIO(response.content))


def _all_text(document):
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [c.text for r in table.rows for c in r.cells]
    return "\n".join(texts)


def test_the_docx_has_the_cover_the_edited_overview_the_average_and_the_outlook(cast, owners, meeting, client_for):
    indicator_services.save_figures(None, [  # a growth-only indicator with its peers' average
        {"region_id": region.pk, "indicator_id": owners["industry_va"].pk, "period": MARCH, "value": None,
         "growth": Decimal(growth)} for region, growth in ((cast.jiyang, "-3"), (cast.lixia, "4"))])
    services.save_overview(cast.zhao_fagai, meeting, **EDIT)
    document = _docx(client_for("sun_leader"), meeting)
    lines = [p.text for p in document.paragraphs]
    cover = [t for t in lines[:lines.index("一、总体情况")] if t]
    assert cover[0] == "内部资料" and "济阳发改〔2020〕8号" in cover and "2020年一季度经济形势分析会" in cover
    assert cover[-2:] == ["济阳区发展和改革局", "2020年4月20日"]  # never 2020年04月20日
    body = lines[lines.index("一、总体情况"):]
    assert body[1:8] == ["（一）运行特点", "外资逆势增长。", "消费回补。", "（二）存在问题", "工业降幅较大。", "（三）下步建议",
                         "一是稳工业。"]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "指标" and len(t.columns) == 16)
    header = [c.text for c in table.rows[0].cells]
    assert header[3:5] == ["增长(%)", "全市平均增长(%)"]
    industry = next([c.text for c in r.cells] for r in table.rows if r.cells[0].text == "规模以上工业增加值")
    assert industry[1:5] == ["—", "—", "-3.0", "0.5"]  # no "%" unit, no value; (-3 + 4) / 2
    outlook = next(t for t in document.tables if t.rows[0].cells[-1].text == "全年预判")
    fdi = next([c.text for c in r.cells] for r in outlook.rows if r.cells[0].text == "实际利用外资")
    # 2000 of 8000万美元 after March: 667 a month so far, (8000 − 2000) / 9 = 667 needed
    assert fdi == ["实际利用外资", "8000万美元", "2000万美元", "25.00", "667万美元", "667万美元", "按目前进度可完成全年目标"]
    text = _all_text(document)
    for wrong in ("—%", "—亿元", "累计—", "年0", "月0", "/共", "增长-"):
        assert wrong not in text, wrong
    assert "-03-" not in text  # no ISO dates


def test_the_docx_without_an_edit_carries_the_draft(cast, owners, meeting, client_for):
    services.submit_section(cast.zhou_shangwu, meeting, owners["fdi"], cast.units.shangwu,
                            reasons_text="两个新设外资项目资金按期到账。", measures_text="紧盯在谈项目。")
    lines = [p.text for p in _docx(client_for("zhao_fagai"), meeting).paragraphs]
    start = lines.index("（一）运行特点")
    assert lines[start + 1].startswith("2020年1-3月，济阳区纳入监测的")
    # 济阳区 alone has figures (no peers: no ranks, no bands); 实际利用外资 exactly on 序时进度 (25.00 of 25)
    problems, suggestions = lines.index("（二）存在问题"), lines.index("（三）下步建议")
    assert lines[start + 2:problems] == ["本期没有进入全市前三分之一的长项指标。", "本期没有快于序时进度或达到目标增速的指标。"]
    assert lines[problems + 1:suggestions] == ["本期没有短板指标。"]
    assert lines[suggestions + 1] == "一是继续加强经济运行监测调度，紧盯年度目标，确保完成全年各项目标任务。"
    assert "济阳区发展和改革局" in lines and "内部资料" in lines


def test_the_print_page_and_the_meeting_page_show_the_same_overview(cast, owners, meeting, client_for):
    services.save_overview(cast.zhao_fagai, meeting, **EDIT)
    office = client_for("zhao_fagai")
    html = office.get(f"/briefings/meetings/{meeting.pk}/pack").content.decode()
    assert "济阳发改〔2020〕8号" in html and "济阳区发展和改革局" in html and "内部资料" in html
    assert "外资逆势增长。" in html and "（三）下步建议" in html and "2020年4月20日" in html
    assert 'id="pack-edit-overview"' in html and "采用第1版" in html
    assert 'id="pack-outlook-table"' in html and "全市平均增长(%)" in html
    meeting_page = office.get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    assert "会议材料采用第1版综述" in meeting_page and "编辑综述与封面" in meeting_page
    assert "2020年4月20日" in meeting_page and "2020-04-20" not in meeting_page
    leader = client_for("sun_leader").get(f"/briefings/meetings/{meeting.pk}/pack").content.decode()
    assert "外资逆势增长。" in leader and 'id="pack-edit-overview"' not in leader


def test_the_daily_section_claims_only_the_days_that_had_reports(cast):
    from tests.daily.conftest import build_form, submit

    build_form(cast)  # 东关村、西街社区 (济阳街道) and 王家村 (曲堤镇) on the form from 1 April
    for day in (date(2020, 4, 13), date(2020, 4, 14)):
        submit(cast, day=day)
    pack = assemble.build(cast.jiyang, date(2020, 4, 1), today=date(2020, 5, 10))
    assert (pack.daily["first"], pack.daily["last"], pack.daily["days"]) == (date(2020, 4, 13), date(2020, 4, 14), 2)
    assert pack.daily["total"]["expected"] == 6 and pack.daily["total"]["on_time"] == 2  # 3 villages × 2 days
    assert word.daily_sentence(pack.daily) == "2020年4月13日至4月14日，共2天有村居日报，各镇街按时报送情况如下。"
    assert assemble.build(cast.jiyang, date(2020, 3, 1), today=date(2020, 5, 10)).daily is None  # none by March
