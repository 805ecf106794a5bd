"""Imports: the long template, the city bulletin layout and targets; every bad case; re-import changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.indicators.models import Figure, Target
from luoshi.indicators.transfers import import_indicators, import_targets
from tests.indicators.conftest import write

HEADER = ["地区代码", "地区名称", "指标代码", "指标名称", "单位", "期间", "累计值", "同比增长(%)"]


def long_file(tmp_path, rows, name="figures.csv", header=HEADER):
    return write(tmp_path / name, [header] + rows)


def rejected(path, actor=None, importer=import_indicators):
    with pytest.raises(Rejected) as info:
        importer(path, filename=str(path), actor=actor)
    return info.value.messages


def test_long_template_saves_figures_in_catalog_units(tmp_path, city):
    path = long_file(tmp_path, [
        ["370115", "济阳区", "fdi", "实际利用外资", "万美元", "2020年1-3月", "2000", "35.2"],
        ["370115", "济阳区", "budget_revenue", "一般公共预算收入", "万元", "2020-06", "83400", "下降3.2"],
        ["370102", "历下区", "industry_va", "规模以上工业增加值", "%", "1-2月" if False else "2020年1-2月", "—", "增长5.1"],
    ])
    summary = import_indicators(path, filename=path)
    assert "新增 3" in summary
    fdi = Figure.objects.get(region=city["370115"], indicator__code="fdi")
    assert (fdi.period, fdi.value, fdi.growth, fdi.version, fdi.current) == (date(2020, 3, 1), Decimal(2000), Decimal("35.2"), 1, True)
    budget = Figure.objects.get(indicator__code="budget_revenue")
    assert budget.value == Decimal("8.34") and budget.growth == Decimal("-3.2")
    assert Figure.objects.get(indicator__code="industry_va").value is None
    assert AuditEntry.objects.filter(action="保存指标数据").count() == 1


def test_columns_are_found_by_name_in_any_order_in_xlsx(tmp_path, city):
    header = ["期间", "同比增长(%)", "指标代码", "地区代码", "累计值"]
    path = write(tmp_path / "f.xlsx", [header, ["2020-03", "3.5", "retail", "370115", 21.4]])
    import_indicators(path, filename=path)
    assert Figure.objects.get().value == Decimal("21.4")


def test_gbk_csv_is_read(tmp_path, city):
    import csv

    path = tmp_path / "gbk.csv"
    with open(path, "w", newline="", encoding="gbk") as f:
        csv.writer(f).writerows([HEADER, ["370115", "济阳区", "retail", "社会消费品零售总额", "亿元", "2020年6月", "40.1", "-2.5"]])
    import_indicators(str(path), filename=str(path))
    assert Figure.objects.get().growth == Decimal("-2.5")


def test_reimporting_the_same_file_changes_nothing(tmp_path, city):
    path = long_file(tmp_path, [["370115", "济阳区", "retail", "", "", "2020-06", "40.1", "-2.5"]])
    import_indicators(path, filename=path)
    audit_before = AuditEntry.objects.count()
    summary = import_indicators(path, filename=path)
    assert "未变化 1" in summary and "新增 0" in summary
    assert Figure.objects.count() == 1 and AuditEntry.objects.count() == audit_before


def test_a_revised_figure_is_a_new_version_and_the_old_one_stays(tmp_path, city):
    import_indicators(long_file(tmp_path, [["370115", "", "retail", "", "", "2020-06", "40.1", "-2.5"]], "a.csv"))
    summary = import_indicators(long_file(tmp_path, [["370115", "", "retail", "", "", "2020-06", "40.6", "-2.1"]], "b.csv"))
    assert "修订 1" in summary
    versions = list(Figure.objects.order_by("version").values_list("version", "current", "value"))
    assert versions == [(1, False, Decimal("40.1")), (2, True, Decimal("40.6"))]


def test_an_empty_cell_in_a_revision_keeps_the_earlier_value(tmp_path, city):
    import_indicators(long_file(tmp_path, [["370115", "", "retail", "", "", "2020-06", "40.1", "-2.5"]], "a.csv"))
    import_indicators(long_file(tmp_path, [["370115", "", "retail", "", "", "2020-06", "", "-2.0"]], "b.csv"))
    latest = Figure.objects.get(current=True)
    assert (latest.value, latest.growth, latest.version) == (Decimal("40.1"), Decimal("-2"), 2)


BAD_CASES = [
    (["370199", "", "retail", "", "", "2020-06", "1", "1"], "第2行「地区代码」列：未知的地区代码「370199」"),
    (["370115", "", "steel", "", "", "2020-06", "1", "1"], "第2行「指标代码」列：未知的指标代码「steel」"),
    (["370115", "", "retail", "", "", "2020年13月", "1", "1"], "第2行「期间」列：期间「2020年13月」中的月份不正确"),
    (["370115", "", "retail", "", "", "去年", "1", "1"], "第2行「期间」列：无法识别的期间「去年」"),
    (["370115", "", "retail", "", "", "2020-06", "1", "较快"], "第2行「同比增长(%)」列：同比增长「较快」不是增长率"),
    (["370115", "", "retail", "", "万美元", "2020-06", "1", "1"], "第2行「单位」列：单位「万美元」无法换算为「亿元」"),
    (["370115", "", "retail", "", "吨", "2020-06", "1", "1"], "第2行「单位」列：未知的单位「吨」"),
    (["370115", "", "gdp", "", "", "2020-05", "1", "1"], "第2行「期间」列：地区生产总值按季度发布，期间应为3、6、9、12月"),
    (["370115", "", "retail", "", "", "2020-01", "1", "1"], "第2行「期间」列：社会消费品零售总额的1月数据与2月合并发布"),
    (["370115", "", "industry_va", "", "", "2020-06", "12", "1"], "第2行「累计值」列：规模以上工业增加值只发布增速"),
]


@pytest.mark.parametrize("row, message", BAD_CASES, ids=[m.split("：")[1][:12] for _, m in BAD_CASES])
def test_bad_rows_are_reported_with_sheet_row_and_column_and_nothing_is_saved(tmp_path, city, row, message):
    good = ["370102", "", "retail", "", "", "2020-06", "50", "3"]
    path = long_file(tmp_path, [row, good])
    messages = rejected(path)
    assert len(messages) == 1, messages
    assert messages[0].startswith("工作表「figures」") and message in messages[0]
    assert not Figure.objects.exists()


def test_conflicting_rows_for_the_same_region_indicator_and_period_are_refused(tmp_path, city):
    path = long_file(tmp_path, [["370115", "", "retail", "", "", "2020-06", "40.1", "1"],
                                ["370115", "", "retail", "", "", "2020年1-6月", "41", "1"],
                                ["370115", "", "tax_revenue", "", "", "2020-06", "4", "1"],
                                ["370115", "", "tax_revenue", "", "", "2020-06", "4", "1"]])
    messages = rejected(path)
    assert messages == ["工作表「figures」第3行「地区代码」列：与第2行的济阳区社会消费品零售总额2020年1-6月数据冲突"]
    assert not Figure.objects.exists()


def test_every_problem_is_listed_not_just_the_first(tmp_path, city):
    path = long_file(tmp_path, [["370199", "", "retail", "", "", "2020-06", "1", "1"],
                                ["370115", "", "retail", "", "", "2020-06", "x", "1"]])
    assert len(rejected(path)) == 2


def test_missing_columns_are_named(tmp_path, city):
    path = write(tmp_path / "f.csv", [["地区代码", "累计值"], ["370115", "1"]])
    messages = rejected(path)
    assert any("缺少必需的列「期间」" in m for m in messages) and any("指标代码" in m for m in messages)


def test_statistics_office_may_import_peer_figures_but_not_a_region_outside_its_city(tmp_path, city, cast):
    from luoshi.orgs import services
    from luoshi.orgs.models import RegionLevel

    other_city, _ = services.save_region(None, code="370200", name="青岛市", level=RegionLevel.CITY)
    services.save_region(None, code="370202", name="市南区", level=RegionLevel.COUNTY, parent=other_city)
    path = long_file(tmp_path, [["370102", "", "retail", "", "", "2020-06", "50", "3"],
                                ["370202", "", "retail", "", "", "2020-06", "50", "3"]])
    assert rejected(path, actor=cast.qian_tongji) == ["工作表「figures」第3行「地区代码」列：您无权录入市南区的指标数据"]
    ok = long_file(tmp_path, [["370102", "", "retail", "", "", "2020-06", "50", "3"]], "ok.csv")
    import_indicators(ok, filename=ok, actor=cast.qian_tongji)
    assert Figure.objects.get().entered_by == cast.qian_tongji


def test_unit_cannot_import_figures(tmp_path, city, cast):
    path = long_file(tmp_path, [["370115", "", "retail", "", "", "2020-06", "50", "3"]])
    assert "您无权录入济阳区的指标数据" in rejected(path, actor=cast.zhou_shangwu)[0]


# --- the city bulletin layout -------------------------------------------------------------------

def bulletin_book(path, sheets):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows, merges in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for merge in merges:
            sheet.merge_cells(merge)
    book.save(path)
    return str(path)


def bulletin_rows(jiyang_gdp="78.5"):
    return [
        ["济南市2020年一季度各区县主要经济指标"],
        ["地区", "地区生产总值（亿元）", None, "规上工业增加值", None, "一般公共预算收入", None],
        [None, "累计", "增长%", "累计", "增长%", "累计", "增长%"],
        ["单位", None, None, None, None, "万元", None],
        ["全市", 2200.1, -5.3, None, -7.1, 2300000, -9.9],
        ["历下区", 390.2, "-2.1", "—", "3.0", 310000, "下降4.0"],
        ["370115", jiyang_gdp, "-3.2", "—", "1.1", 83400, "增长2.5"],
        ["市中区", 250, "-2.1", "—", "-0.5", 150000, "-4.0"],
    ]


def test_city_bulletin_one_sheet_per_period_with_merged_headers_and_units_row(tmp_path, city):
    rows2 = [["地区", "地区生产总值（亿元）", None], [None, "累计", "增长%"], ["济阳区", 160.2, 1.5]]
    path = bulletin_book(tmp_path / "bulletin.xlsx", [
        ("2020年1-3月", bulletin_rows(), ["B2:C2", "D2:E2", "F2:G2"]),
        ("2020年上半年", rows2, ["B1:C1"]),
    ])
    summary = import_indicators(path, filename=path)
    assert "新增 10" in summary
    jiyang = city["370115"]
    gdp = Figure.objects.get(region=jiyang, indicator__code="gdp", period=date(2020, 3, 1))
    assert (gdp.value, gdp.growth) == (Decimal("78.5"), Decimal("-3.2"))
    budget = Figure.objects.get(region=jiyang, indicator__code="budget_revenue")
    assert budget.value == Decimal("8.34") and budget.growth == Decimal("2.5")
    assert Figure.objects.get(region=jiyang, indicator__code="industry_va").growth == Decimal("1.1")
    assert Figure.objects.get(region=jiyang, period=date(2020, 6, 1)).value == Decimal("160.2")
    assert "未变化 10" in import_indicators(path, filename=path)


def test_bulletin_with_unknown_region_and_indicator_names_the_cells(tmp_path, city):
    rows = bulletin_rows("七十八")
    rows[1][3] = "钢铁产量"
    rows.append(["火星区", 1, 1, None, None, 1, 1])
    path = bulletin_book(tmp_path / "bad.xlsx", [("2020年1-3月", rows, [])])
    messages = rejected(path)
    assert messages == ["工作表「2020年1-3月」第2行「钢铁产量」列：未知的指标「钢铁产量」"]
    rows[1][3] = "规上工业增加值"
    path = bulletin_book(tmp_path / "bad2.xlsx", [("2020年1-3月", rows, [])])
    messages = rejected(path)
    assert "工作表「2020年1-3月」第7行「地区生产总值（亿元）/累计」列：累计值「七十八」不是数字" in messages
    assert "工作表「2020年1-3月」第9行「地区」列：未知的地区「火星区」" in messages
    assert not Figure.objects.exists()


def test_bulletin_without_a_readable_period_is_refused(tmp_path, city):
    rows = bulletin_rows()[1:]
    path = bulletin_book(tmp_path / "p.xlsx", [("Sheet1", rows, [])])
    assert "无法从工作表名称「Sheet1」或标题中读出期间" in rejected(path)[0]


# --- targets ------------------------------------------------------------------------------------

TARGET_HEADER = ["地区代码", "指标代码", "年度", "目标值", "目标增速(%)", "单位"]


def test_targets_import_with_unit_conversion_growth_only_and_trajectory(tmp_path, city):
    months = [f"{m}月" for m in range(1, 13)]
    path = write(tmp_path / "t.xlsx", [TARGET_HEADER + months,
                                       ["370115", "budget_revenue", 2020, 150000, 5, "万元"] + [5, 12, 20, 28, 36, 48, 55, 62, 71, 80, 89, 100],
                                       ["370115", "industry_va", "2020年", None, "7", "%"] + [None] * 12])
    assert "新增 2" in import_targets(path, filename=path)
    budget = Target.objects.get(indicator__code="budget_revenue")
    assert (budget.value, budget.growth, budget.trajectory[2]) == (Decimal(15), Decimal(5), 20.0)
    assert Target.objects.get(indicator__code="industry_va").value is None
    assert "未变化 2" in import_targets(path, filename=path)


@pytest.mark.parametrize("row, message", [
    (["370199", "gdp", 2020, 1, "", ""], "第2行「地区代码」列：未知的地区代码「370199」"),
    (["370115", "steel", 2020, 1, "", ""], "第2行「指标代码」列：未知的指标代码「steel」"),
    (["370115", "gdp", "明年", 1, "", ""], "第2行「年度」列：无法识别的年度「明年」"),
    (["370115", "gdp", 2020, 1, "快", ""], "第2行「目标增速(%)」列：目标增速「快」不是增长率"),
    (["370115", "gdp", 2020, 1, "", "万美元"], "第2行「单位」列：单位「万美元」无法换算为「亿元」"),
    (["370115", "industry_va", 2020, 1, "", ""], "第2行「目标值」列：规模以上工业增加值只发布增速"),
    (["370115", "gdp", 2020, "", "", ""], "第2行「目标值」列：目标值和目标增速至少填写一项"),
])
def test_bad_target_rows_are_refused_with_row_and_column(tmp_path, city, row, message):
    path = write(tmp_path / "t.csv", [TARGET_HEADER, row, ["370102", "gdp", 2020, 500, 6, "亿元"]])
    messages = rejected(path, importer=import_targets)
    assert len(messages) == 1 and message in messages[0], messages
    assert not Target.objects.exists()


def test_analysis_office_cannot_set_targets_for_a_peer(tmp_path, city, cast):
    path = write(tmp_path / "t.csv", [TARGET_HEADER, ["370102", "gdp", 2020, 500, 6, "亿元"]])
    assert "您无权维护历下区的年度目标" in rejected(path, actor=cast.zhao_fagai, importer=import_targets)[0]
    ok = write(tmp_path / "ok.csv", [TARGET_HEADER, ["370115", "gdp", 2020, 300, 6, "亿元"]])
    import_targets(ok, filename=ok, actor=cast.zhao_fagai)
    assert Target.objects.get().updated_by == cast.zhao_fagai


# --- the command line ---------------------------------------------------------------------------

def test_cli_import_exits_0_when_saved_and_1_with_the_problem_list(tmp_path, city, capsys):
    good = long_file(tmp_path, [["370115", "", "retail", "", "", "2020-06", "40.1", "-2.5"]], "good.csv")
    call_command("import", "indicators", good)
    assert "新增 1" in capsys.readouterr().out
    bad = long_file(tmp_path, [["370199", "", "retail", "", "", "2020-06", "40.1", "-2.5"]], "bad.csv")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "indicators", bad)
    assert exit_info.value.code == 1
    assert "未知的地区代码「370199」" in capsys.readouterr().err
    targets = write(tmp_path / "t.csv", [TARGET_HEADER, ["370115", "retail", 2020, 80, 5, "亿元"]])
    call_command("import", "targets", targets)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "targets", write(tmp_path / "bad-t.csv", [TARGET_HEADER, ["370115", "x", 2020, 80, 5, ""]]))
    assert exit_info.value.code == 1
    assert Figure.objects.count() == 1 and Target.objects.count() == 1
