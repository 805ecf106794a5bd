"""The breakdown's pure rules, hand-computed (DOMAIN.md §7): deadline phrases, unit lists, unit names, comparing an
amended plan."""

from datetime import date

import pytest

from luoshi.breakdown import rules


@pytest.mark.parametrize("phrase, dues", [
    ("2026年10月底前", [date(2026, 10, 31)]),
    ("6月底前", [date(2026, 6, 30)]),
    ("9月底", [date(2026, 9, 30)]),
    ("2月末", [date(2026, 2, 28)]),
    ("2026年12月", [date(2026, 12, 31)]),
    ("十二月底前", [date(2026, 12, 31)]),
    ("年底前", [date(2026, 12, 31)]),
    ("年内", [date(2026, 12, 31)]),
    ("全年", [date(2026, 12, 31)]),
    ("2027年6月底前", [date(2027, 6, 30)]),
    ("6月30日前", [date(2026, 6, 30)]),
    ("5月上旬", [date(2026, 5, 10)]),
    ("5月中旬", [date(2026, 5, 20)]),
    ("5月下旬", [date(2026, 5, 31)]),
    ("10月前", [date(2026, 9, 30)]),  # before October: by the end of September
    ("三季度末", [date(2026, 9, 30)]),
    ("第一季度", [date(2026, 3, 31)]),
    ("上半年", [date(2026, 6, 30)]),
    ("前三季度", [date(2026, 9, 30)]),
    ("2026-06-15", [date(2026, 6, 15)]),
    ("2026/8", [date(2026, 8, 31)]),
    ("6月底前完成主体工程，12月底前投入使用", [date(2026, 6, 30), date(2026, 12, 31)]),
])
def test_a_deadline_phrase_gives_its_dates(phrase, dues):
    found = rules.read_deadline(phrase, 2026)
    assert found.problem is None
    assert found.due_dates == dues
    assert found.quarterly is False


@pytest.mark.parametrize("phrase", ["长期坚持", "持续推进", "常态化"])
def test_long_running_phrases_have_quarterly_nodes_instead_of_a_date(phrase):
    found = rules.read_deadline(phrase, 2026)
    assert (found.problem, found.due_dates, found.quarterly) == (None, [], True)


@pytest.mark.parametrize("phrase, problem", [
    ("", "没有完成时限"),
    ("下周", "无法识别的完成时限「下周」（可写 6月底前、2026年10月、年底前、长期坚持 等）"),
    ("13月", "无法识别的完成时限「13月」（可写 6月底前、2026年10月、年底前、长期坚持 等）"),
    ("2月30日前", "完成时限「2月30日前」中的「2月30日前」日期不存在"),
    ("2025年底", "完成时限「2025年底」早于方案年度（2026年）"),
    ("2035年", "完成时限「2035年」晚于2031年，请核对"),
])
def test_a_deadline_phrase_not_understood_is_a_problem(phrase, problem):
    assert rules.read_deadline(phrase, 2026).problem == problem


def test_an_items_text_gives_the_dated_clauses_as_nodes_and_passes_over_context():
    found = rules.search_deadline("深化改革。2026年10月底前完成企业开办全程网办，6月底前实现“一业一证”全覆盖。", 2026)
    assert [(d, clause) for d, _, clause in found.dates] == [
        (date(2026, 10, 31), "2026年10月底前完成企业开办全程网办"), (date(2026, 6, 30), "6月底前实现“一业一证”全覆盖")]
    assert rules.milestone_plan("深化改革", found, 2026, date(2026, 3, 20)) == [
        (date(2026, 6, 30), "6月底前实现“一业一证”全覆盖"), (date(2026, 10, 31), "2026年10月底前完成企业开办全程网办")]
    context = rules.search_deadline("较2025年底增长10%，12月举办展会，全年完成投资100亿元", 2026)
    assert (context.dates, context.quarterly, context.problem) == ([], False, "没有完成时限（文中未写明，请填写）")
    assert rules.search_deadline("每季度调度一次，持续推进", 2026).quarterly is True


def test_quarterly_nodes_start_with_the_quarter_of_the_first_import():
    assert rules.quarterly_dues(2026, date(2026, 3, 31)) == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30),
                                                              date(2026, 12, 31)]
    assert rules.quarterly_dues(2026, date(2026, 4, 10)) == [date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]
    assert rules.quarterly_dues(2026, date(2027, 1, 5)) == [date(2026, 12, 31)]
    plan = rules.milestone_plan("优化营商环境", rules.read_deadline("长期坚持", 2026), 2026, date(2026, 8, 1))
    assert plan == [(date(2026, 9, 30), "第三季度推进：优化营商环境"), (date(2026, 12, 31), "第四季度推进：优化营商环境")]
    assert rules.milestone_plan("建成平台", rules.read_deadline("年底前", 2026), 2026, date(2026, 8, 1)) == [
        (date(2026, 12, 31), "完成：建成平台")]


def test_a_unit_list_splits_at_its_separators_and_keeps_sets_whole():
    assert rules.split_units("区发改局\n区财政局（牵头）、各镇、街道，区直各部门等；区商务局(配合)") == [
        ("区发改局", None), ("区财政局", "lead"), ("各镇（街道）", None), ("区直各部门", None), ("区商务局", "cooperating")]
    assert [rules.unit_set(n) for n in ("各镇（街道）", "各镇(街道)", "各街道", "各镇", "区直各部门", "区发改局")] == [
        rules.TOWNSHIPS, rules.TOWNSHIPS, rules.STREETS, rules.TOWNS, rules.DEPARTMENTS, None]


def test_the_first_responsible_unit_leads_when_no_lead_is_named():
    assert rules.assign_roles([], [("区统计局", None), ("区发改局", None)], [("督查室", None)]) == (
        ["区统计局"], ["区发改局"], ["督查室"])
    assert rules.assign_roles([("区发改局", None), ("区财政局", None)], [("区商务局", None)], []) == (
        ["区发改局", "区财政局"], ["区商务局"], [])  # stacked in the lead cell: co-leads
    assert rules.assign_roles([], [("区财政局", None), ("区发改局", "lead")], []) == (["区发改局"], ["区财政局"], [])


def test_a_trailing_parenthesis_gives_each_clauses_units_their_role():
    body, inside = rules.trailing_parenthesis("深化改革。（区行政审批服务局牵头，区司法局、区市场监督管理局按职责分工负责）")
    assert body == "深化改革。"
    assert rules.role_clauses(inside) == {"lead": ["区行政审批服务局"], "responsible": ["区司法局", "区市场监督管理局"],
                                          "cooperating": []}
    assert rules.role_clauses("由区农业农村局牵头，各镇（街道）配合") == {
        "lead": ["区农业农村局"], "responsible": [], "cooperating": ["各镇（街道）"]}
    assert rules.trailing_parenthesis("印发《实施办法（试行）》") is None
    assert rules.trailing_parenthesis("建设城市书房（区文旅局、济阳街道）") == ("建设城市书房", "区文旅局、济阳街道")


@pytest.mark.parametrize("written, key", [
    ("区发改局", "发改局"), ("发改局", "发改局"), ("济阳区发改局", "发改局"), ("区发展和改革局", "发展和改革局"),
    ("济阳街道办事处", "济阳街道"), ("曲堤镇人民政府", "曲堤镇"), ("区委区政府督查室", "区委区政府督查室"),
    ("区直各部门", "区直各部门"), (" 区 财政局 ", "财政局"),
    ("区市场监管局", "市场监管局"), ("市场监管局", "市场监管局"), ("区市政公用事业服务中心", "市政公用事业服务中心"),
])
def test_a_units_name_meets_its_other_forms_under_one_key(written, key):
    assert rules.name_key(written, ["济阳区"]) == key


def test_numbering_leaders_and_titles():
    assert rules.numbering("一、扩大有效需求") == (1, "一、", "扩大有效需求")
    assert rules.numbering("（三）推进项目") == (2, "（三）", "推进项目")
    assert rules.numbering("12．建设平台") == (3, "12．", "建设平台")
    assert rules.numbering("（2）开展检查") == (4, "（2）", "开展检查")
    assert rules.numbering("1.5亿元的项目") == (None, "", "1.5亿元的项目")
    assert rules.leader_of_heading("王晓明区长牵头重点工作") == ("王晓明", "区长")
    assert rules.leader_of_heading("李四副区长负责的重点工作") == ("李四", "副区长")
    assert rules.leader_of_heading("扩大有效需求") is None
    assert rules.leader_name("王晓明区长") == "王晓明"
    assert rules.leader_name("张三同志、李四") == "张三"
    long = "推进改革。" * 70
    assert rules.make_title(long) == "推进改革。" * 60


def test_an_amended_plan_is_matched_by_title_then_by_place():
    old = [{"title": "建设平台", "section": "一", "number": "1"}, {"title": "开展检查", "section": "一", "number": "2"},
           {"title": "推进改革", "section": "二", "number": "3"}]
    new = [{"title": "建设 平台。", "section": "一", "number": "1"}, {"title": "开展安全检查", "section": "一", "number": "2"},
           {"title": "新增任务", "section": "二", "number": "4"}]
    assert rules.match_items(old, new) == [(0, 0), (1, 1), (None, 2), (2, None)]
    assert rules.changed_fields({"title": "a", "dues": ["2026-06-30"]}, {"title": "a", "dues": ["2026-09-30"]}) == ["dues"]
