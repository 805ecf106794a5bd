"""The meeting pack: the .docx's indicator table against `luoshi indicators table --json`, the summary by hand,
sections under their indicators, the previous meeting's follow-ups, the CLI's exit codes and who may have a pack."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from docx import Document

from luoshi.briefings.pack import assemble
from luoshi.briefings import services
from luoshi.indicators import services as indicator_services
from luoshi.orgs import services as org_services
from luoshi.orgs.models import RegionLevel
from tests.indicators.conftest import CITY_COUNTIES
from tests.indicators.test_table import MAR, make_scene

pytestmark = pytest.mark.both_databases


@pytest.fixture
def city(cast, catalog):
    regions = {"370115": cast.jiyang, "370102": cast.lixia}
    for code, name in CITY_COUNTIES:
        regions[code], _ = org_services.save_region(None, code=code, name=name, level=RegionLevel.COUNTY, parent=cast.city)
    return make_scene(regions, catalog)


def write_pack(tmp_path, *args):
    out = tmp_path / "pack.docx"
    call_command("briefings", "pack", *args, "--out", str(out))
    return Document(str(out))


def cli_table(capsys, region="370115", period="2020-03"):
    capsys.readouterr()
    call_command("indicators", "table", "--region", region, "--period", period, "--json")
    return json.loads(capsys.readouterr().out)


def indicator_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "指标")


def as_number(text):
    return None if text == "—" else float(text.replace(",", "").replace("+", ""))


def texts(document):
    return [p.text for p in document.paragraphs]


def test_the_docx_indicator_table_has_the_cli_tables_numbers_ranks_and_lights(city, capsys, tmp_path):
    expected = cli_table(capsys)
    table = indicator_table(write_pack(tmp_path, "--region", "370115", "--period", "2020-03"))
    header = [c.text for c in table.rows[0].cells]
    assert table.rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[0] for r in rows] == [e["name"] for e in expected]
    col = {name: header.index(name) for name in header}
    # growth to one decimal, 完成进度/序时进度/差 to two, values as their unit writes them (亿元 two decimals, 万美元
    # whole): each cell is the CLI's number rounded so.
    for cells, e in zip(rows, expected):
        for label, key, within in [("累计值", "value", 0.5), ("增长(%)", "growth", 0.05), ("目标值", "target_value", 0.5),
                                   ("目标增速(%)", "target_growth", 0.05), ("完成进度(%)", "completion", 0.005),
                                   ("序时进度(%)", "time_progress", 0.005), ("差(百分点)", "gap", 0.05),
                                   ("全市平均增长(%)", "peer_avg_growth", 0.05)]:
            got = as_number(cells[col[label]])
            assert (got is None) == (e[key] is None or (label in ("累计值", "目标值") and e["unit"] == "%")), (e["indicator"], label)
            if got is not None:
                assert got == pytest.approx(e[key], abs=within), (e["indicator"], label)
        assert cells[col["亮灯"]] == {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: "—"}[e["light"]]
        assert cells[col["全市位次"]] == (f"第{e['rank']}位" if e["rank"] else "—")  # one line: no "/共12个"
        change = e["rank_change"]
        assert cells[col["位次变化"]] == ("—" if e["rank"] is None or change is None else "持平" if change == 0
                                          else f"前移{change}位" if change > 0 else f"后移{-change}位")
        assert cells[col["长短板"]] == {"strength": "长项", "middle": "中档", "weakness": "短板", None: "—"}[e["band"]]
    by_name = {r[0]: r for r in rows}
    # 争先进位 by hand: retail 3.5 against the first 5.0 and the next up 5.0; industry_va -3.0 against 2.0 and 1.0.
    assert (by_name["社会消费品零售总额"][col["与首位差(百分点)"]], by_name["社会消费品零售总额"][col["与前一位差(百分点)"]]) == ("1.5", "1.5")
    assert (by_name["规模以上工业增加值"][col["与首位差(百分点)"]], by_name["规模以上工业增加值"][col["与前一位差(百分点)"]]) == ("5.0", "4.0")
    assert (by_name["实际利用外资"][col["与首位差(百分点)"]], by_name["实际利用外资"][col["与前一位差(百分点)"]]) == ("0.0", "—")
    assert by_name["规模以上工业增加值"][col["增长(%)"]] == "-3.0"  # a fall with a minus and one decimal, never 下降
    assert by_name["规模以上工业增加值"][col["单位"]] == "—"  # growth only: no "%" as its unit, no cumulative value


def test_the_summary_is_written_from_the_figures(city):
    built = assemble.build(city["370115"], MAR, today=date(2020, 4, 20))
    # retail green (31.7 against 25), industry_va red (-3.0 against 7.5, 短板), tax_revenue and fdi unlit;
    # ranks: industry_va 3rd of 3, retail 2nd of 6, fdi 1st of 2; 双过半 course: retail on, industry_va off.
    assert built.summary == (
        "2020年1-3月，济阳区纳入监测的4项指标中，绿灯1项、黄灯0项、红灯1项、未亮灯2项。"
        "位居全市前三的有规模以上工业增加值（第3位）、社会消费品零售总额（第2位）、实际利用外资（第1位）。"
        "短板指标为规模以上工业增加值。"
        "对照“双过半”目标，社会消费品零售总额1项进度达到要求；规模以上工业增加值1项尚未达到序时进度或目标增速，需加压推进。")


def test_the_summary_in_june_gives_the_half_half_verdict():
    rows = [{"name": "甲", "light": "green", "rank": 1, "band": "strength", "half_half": True, "outlook": None},
            {"name": "乙", "light": "red", "rank": 9, "band": "weakness", "half_half": False, "outlook": None}]
    text = assemble.summary("济阳区", date(2020, 6, 1), rows)
    assert text.endswith("短板指标为乙。甲1项实现“双过半”；乙1项未实现“双过半”。")
    assert "进度达到要求" not in text


def test_the_pack_has_native_charts_for_value_targets_and_weaknesses(city, tmp_path):
    document = write_pack(tmp_path, "--region", "370115", "--period", "2020-03")
    charts = [p for p in document.part.package.iter_parts() if p.partname.startswith("/word/charts/")]
    xml = [p.blob.decode() for p in charts]
    assert len(charts) == 2  # completion (retail, with a value target) and industry_va (the weakness)
    assert "主要指标完成进度与序时进度" in xml[0] and "<c:v>社会消费品零售总额</c:v>" in xml[0] and "<c:v>31.7</c:v>" in xml[0]
    assert "规模以上工业增加值增速全市比较" in xml[1] and "<c:v>济阳区</c:v>" in xml[1] and "<c:v>-3.0</c:v>" in xml[1]
    assert all(any(r.reltype.endswith("/package") for r in p.rels.values()) for p in charts)  # editable data


def test_a_units_section_appears_under_its_indicator(cast, owners, meeting, tmp_path):
    services.submit_section(cast.zhou_shangwu, meeting, owners["fdi"], cast.units.shangwu,
                            completion_text="一季度实际利用外资2000万美元。", measures_text="紧盯在谈项目。")
    lines = texts(write_pack(tmp_path, "--meeting", str(meeting.pk)))
    start = next(i for i, t in enumerate(lines) if t.endswith("、各责任单位分析材料"))
    heads = [i for i, t in enumerate(lines) if i > start and t.startswith("（") and "）" in t[:4]]
    fdi = next(i for i in heads if "实际利用外资" in lines[i])
    gdp = next(i for i in heads if "地区生产总值" in lines[i])
    unit = lines.index(f"{cast.units.shangwu.name}：")
    assert fdi < unit < (min(h for h in heads + [len(lines)] if h > fdi))
    assert "完成情况：一季度实际利用外资2000万美元。" in lines and "下步措施：紧盯在谈项目。" in lines
    assert "区统计局未提交材料。" in lines[gdp:]  # the responsible unit named


def test_the_follow_ups_of_one_meeting_appear_in_the_next_pack(cast, owners, meeting, tmp_path):
    services.add_follow_up(cast.zhao_fagai, meeting, title="实际利用外资二季度到位5000万美元", lead_unit=cast.units.shangwu,
                           deadline="2020-06-30")
    indicator_services.save_figures(None, [{"region_id": cast.jiyang.pk, "indicator_id": owners["fdi"].pk,
                                            "period": date(2020, 6, 1), "value": Decimal("5200"), "growth": Decimal("12")}])
    later = services.open_meeting(cast.zhao_fagai, title="2020年上半年经济形势分析会", held_on="2020-07-20",
                                  region=cast.jiyang, period="2020-06", sections_due="2020-07-15")
    document = write_pack(tmp_path, "--meeting", str(later.pk))
    follow = next(t for t in document.tables if t.rows[0].cells[0].text == "序号" and t.rows[0].cells[1].text == "事项")
    row = [c.text for c in follow.rows[1].cells]
    assert row[1:4] == ["实际利用外资二季度到位5000万美元", cast.units.shangwu.name, "6月30日"]  # the pack's year
    assert row[4] in ("黄灯", "红灯") and "滞后" in row[5]  # not reported as done by 20 July
    assert any("2020年一季度经济形势分析会" in t and "确定事项1项" in t for t in texts(document))
    first = write_pack(tmp_path, "--meeting", str(meeting.pk))
    assert "本地区此前没有召开经济形势分析会。" in texts(first)


def test_cli_exits_1_with_the_reason_for_an_unknown_region_or_a_period_without_figures(city, tmp_path, capsys):
    out = tmp_path / "x.docx"
    for args, reason in [(["--region", "999999", "--period", "2020-03"], "地区 999999 不存在"),
                         (["--region", "370115", "--period", "2021-03"], "济阳区2021年1-3月没有指标数据"),
                         (["--region", "370115", "--period", "2020-13"], "")]:
        with pytest.raises(SystemExit) as exit_:
            call_command("briefings", "pack", *args, "--out", str(out))
        assert exit_.value.code == 1
        assert reason in capsys.readouterr().err
    assert not out.exists()
    call_command("briefings", "pack", "--region", "370115", "--period", "2020-03", "--out", str(out))
    assert out.exists() and "已生成" in capsys.readouterr().out


# --- pages, downloads and the API per role ------------------------------------------------------

PACK = "/briefings/pack?region=370115&period=2020-03"


@pytest.mark.parametrize("username,status", [
    ("zhao_fagai", 200), ("sun_leader", 200), ("li_ducha", 200), ("wang_admin", 200),
    ("qian_tongji", 403), ("zhou_shangwu", 403), ("wu_cunju", 403), ("ma_lixia", 403)])
def test_who_may_generate_a_pack_for_a_region_and_period(city, client_for, username, status):
    client = client_for(username)
    assert client.get(PACK).status_code == status
    docx = client.get(PACK.replace("pack?", "pack.docx?"))
    assert docx.status_code == status
    api = client.get("/api/v1/briefings/pack?region=370115&period=2020-03&format=json")
    assert api.status_code == status
    if status == 200:
        assert docx["Content-Type"].endswith("wordprocessingml.document")
        assert api.json()["rows"][1]["rank_text"] == "第2位"
    else:
        assert "error" in api.json() and "会议材料" in api.json()["error"]


def test_a_unit_reads_a_meetings_pack_only_once_it_is_published(cast, owners, meeting, client_for):
    unit = client_for("zhou_shangwu")
    url = f"/briefings/meetings/{meeting.pk}/pack"
    assert unit.get(url).status_code == 403
    assert unit.get(f"/api/v1/briefings/meetings/{meeting.pk}/pack").json() == {"error": "该会议的材料尚未向责任单位发布"}
    services.publish(cast.zhao_fagai, meeting)
    page = unit.get(url)
    assert page.status_code == 200 and "2020年一季度经济形势分析会" in page.content.decode()
    assert unit.get(url + ".docx").status_code == 200
    assert client_for("ma_lixia").get(url).status_code == 403  # another district, published or not


def test_the_page_says_plainly_when_a_period_has_no_figures_and_refuses_a_bad_period(city, client_for):
    client = client_for("zhao_fagai")
    page = client.get("/briefings/pack?region=370115&period=2021-03")
    assert page.status_code == 200
    assert "济阳区2021年1-3月暂无指标数据" in page.content.decode() and "pack-indicators" not in page.content.decode()
    bad = client.get("/briefings/pack?region=370115&period=2020-13")
    assert bad.status_code == 400 and "无法生成会议材料" in bad.content.decode()
    assert client.get("/briefings/pack?region=999999&period=2020-03").status_code == 404
    api = client.get("/api/v1/briefings/pack?region=370115&period=abc")
    assert api.status_code == 400 and "error" in api.json()
    assert client.get("/api/v1/briefings/pack?region=370115&period=2020-03&format=pdf").status_code == 400


def test_the_print_page_shows_the_same_table_as_the_docx(city, client_for):
    html = client_for("zhao_fagai").get(PACK).content.decode()
    assert ">第2位</td>" in html and " light-red\">红灯" in html and "规模以上工业增加值增速全市比较" in html
    assert "下降" not in html.split("pack-indicators")[1].split("</table>")[0]


def _pack_links(client, meeting):
    body = client.get(f"/briefings/meetings/{meeting.pk}/").content.decode()
    start = body.index('id="pack-links"')
    return body[start:body.index("</p>", start)]


def test_the_meeting_page_links_to_the_pack_and_its_word_file_for_those_who_may_read_them(cast, owners, meeting,
                                                                                           client_for):
    links = _pack_links(client_for("zhao_fagai"), meeting)
    assert f'href="/briefings/meetings/{meeting.pk}/pack"' in links
    assert f'href="/briefings/meetings/{meeting.pk}/pack.docx"' in links
    for link in (f"/briefings/meetings/{meeting.pk}/pack", f"/briefings/meetings/{meeting.pk}/pack.docx"):
        assert client_for("zhao_fagai").get(link).status_code == 200  # each link opens
    unit = client_for("zhou_shangwu")
    assert "pack.docx" not in _pack_links(unit, meeting)
    assert "该会议的材料尚未向责任单位发布" in _pack_links(unit, meeting)  # says why, not a dead link
    services.publish(cast.zhao_fagai, meeting)
    assert f'href="/briefings/meetings/{meeting.pk}/pack.docx"' in _pack_links(unit, meeting)


def test_the_pack_labels_a_quarterly_indicator_read_at_its_latest_quarter():
    from luoshi.briefings.pack.word import indicator_cells

    row = {"name": "地区生产总值", "unit": "亿元", "value": 78.5, "growth": -3.2, "target_value": None,
           "target_growth": 7, "completion": None, "time_progress": None, "gap": None, "light_text": "红灯",
           "rank_text": "第2位/共3个", "rank_change": None, "gap_first": 4.7, "gap_next": 1, "band_text": "短板"}
    assert indicator_cells(row)[0] == "地区生产总值"
    assert indicator_cells({**row, "period_note": "1-3月"})[0] == "地区生产总值（1-3月）"


def test_the_packs_key_work_counts_only_tasks_begun_by_the_periods_end(cast, owners):
    from luoshi.work import services as work_services
    from tests.work.conftest import build_plan

    build_plan(cast)  # 双招双引 and 合村并点, begun in February and March 2020
    later = work_services.save_campaign(None, name="2026年营商环境攻坚", order=5)
    work_services.save_task(None, campaign=later, number="9", title="一网通办", lead_unit=cast.units.shangwu,
                            start=date(2026, 1, 1), deadline=date(2026, 12, 31))
    pack = assemble.build(cast.jiyang, date(2020, 3, 1), today=date(2020, 4, 20))
    names = [c["name"] for c in pack.work["campaigns"]]
    assert "双招双引" in names and "2026年营商环境攻坚" not in names
