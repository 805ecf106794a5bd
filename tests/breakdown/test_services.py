"""Importing a 方案: units found as offices write them, the review's problems, the campaign with a task per item and
its milestones, re-importing (nothing changes) and an amended 方案 (added, changed by request, withdrawn)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from luoshi.audit.models import AuditEntry
from luoshi.breakdown import queries, services
from luoshi.breakdown.models import Item, Plan, Reading
from luoshi.core.problems import Rejected
from luoshi.orgs import services as org_services
from luoshi.orgs.models import UnitKind
from luoshi.work.models import Campaign, Milestone, Rebaseline, Task, TaskRole
from tests.breakdown import documents as d

pytestmark = pytest.mark.django_db


def codes(units):
    return [u.code for u in units]


def test_an_office_writes_a_unit_in_several_ways_and_each_finds_it(cast):
    names = queries.UnitNames(cast.jiyang)
    for written in ("区发改局", "区发展和改革局", "发改局", "济阳区发改局", "370115D01", " 区发展和改革局 "):
        assert names.resolve(written) == ([cast.units.fagai], None), written
    assert names.resolve("济阳街道") == ([cast.units.town], None)
    assert names.resolve("曲堤镇政府")[1] is not None  # not a form the rules know: an alias is needed


def test_sets_of_units_expand_to_the_regions_towns_streets_and_departments(cast):
    names = queries.UnitNames(cast.jiyang)
    u = cast.units
    assert codes(names.resolve("各镇（街道）")[0]) == [u.town.code, u.other_town.code]
    assert codes(names.resolve("各街道")[0]) == [u.town.code]
    assert codes(names.resolve("各镇")[0]) == [u.other_town.code]
    assert codes(names.resolve("区直各部门")[0]) == ["370115D01", "370115D02", "370115D03", "370115D04"]
    assert names.resolve("有关部门") == ([], "「有关部门」不是确定的单位，请写明具体单位")


def test_a_unit_of_another_region_an_unknown_name_and_an_ambiguous_one_are_problems_until_an_alias_is_added(cast):
    org_services.save_unit(None, code="370115D90", name="济阳区统计局", kind=UnitKind.DEPARTMENT, region=cast.jiyang)
    names = queries.UnitNames(cast.jiyang)
    assert names.resolve("历下区府办") == ([], "「历下区府办」是历下区的单位（历下区政府办公室），不属于济阳区")
    assert names.resolve("区府办") == ([], "未知的单位「区府办」（请写单位全称或简称，或由管理员在「单位别名」中添加）")
    assert names.resolve("县统计局") == ([], "「县统计局」对应多个单位（区统计局、济阳区统计局），请写单位全称，或由管理员添加别名")
    services.add_alias(cast.li_ducha, region=cast.jiyang, alias="区府办", unit=cast.units.ducha)
    assert queries.UnitNames(cast.jiyang).resolve("区府办") == ([cast.units.ducha], None)
    with pytest.raises(Rejected, match="济阳区已有别名「区府办」"):
        services.add_alias(cast.li_ducha, region=cast.jiyang, alias="区府办", unit=cast.units.fagai)
    with pytest.raises(Rejected, match="不属于济阳区"):
        services.add_alias(cast.li_ducha, region=cast.jiyang, alias="历下府办", unit=cast.units.lixia_gov)
    with pytest.raises(PermissionDenied):
        services.add_alias(cast.zhou_shangwu, region=cast.jiyang, alias="商务", unit=cast.units.shangwu)


def import_table(cast, rows=d.TABLE_ROWS, actor=None):
    reading = services.read_plan(actor or cast.li_ducha, data=d.word_table(rows), filename="方案.docx",
                                 region=cast.jiyang, year=2026)
    return reading, services.save_reading(actor or cast.li_ducha, reading)


@pytest.mark.both_databases  # one transaction over work's services, a locked reading
def test_the_first_import_makes_a_campaign_with_a_task_per_item_and_their_milestones(cast, march_20):
    reading, summary = import_table(cast)
    u = cast.units
    campaign = Campaign.objects.get(name="2026年政府工作报告重点工作")
    assert (campaign.source, campaign.plan_set_at is not None) == ("breakdown", True)
    assert {k: summary[k] for k in ("added", "changed", "unchanged", "withdrawn", "skipped", "campaign")} == {
        "added": 3, "changed": 0, "unchanged": 0, "withdrawn": 0, "skipped": 0, "campaign": "2026年政府工作报告重点工作"}
    tasks = list(Task.objects.filter(campaign=campaign).order_by("number"))
    # imported on 20 March: reports are owed from March on, not for January and February
    assert [(t.number, t.lead_unit.code, t.start, t.deadline) for t in tasks] == [
        ("2026-370115-001", u.fagai.code, date(2026, 3, 1), date(2026, 10, 31)),
        ("2026-370115-002", u.shangwu.code, date(2026, 3, 1), date(2026, 12, 31)),
        ("2026-370115-003", u.fagai.code, date(2026, 3, 1), date(2026, 12, 31)),
    ]
    roles = sorted((tu.unit.code, tu.role) for tu in tasks[0].task_units.all())
    assert roles == sorted([(u.fagai.code, TaskRole.LEAD), (u.caizheng.code, TaskRole.RESPONSIBLE),
                            (u.town.code, TaskRole.COOPERATING), (u.other_town.code, TaskRole.COOPERATING)])
    milestones = [(m.number, m.due, m.title) for m in Milestone.objects.filter(task__campaign=campaign).order_by("number")]
    assert milestones == [
        ("2026-370115-001.1", date(2026, 10, 31), "完成：实施重大项目攻坚行动，2026年10月底前完成年度投资计划。"),
        ("2026-370115-002.1", date(2026, 6, 30), "6月底前出台促消费政策措施"),
        ("2026-370115-002.2", date(2026, 12, 31), "年底前社会消费品零售总额增长6%"),
        ("2026-370115-003.1", date(2026, 3, 31), "第一季度推进：深化“一网通办”改革，持续推进政务服务标准化。"),
        ("2026-370115-003.2", date(2026, 6, 30), "第二季度推进：深化“一网通办”改革，持续推进政务服务标准化。"),
        ("2026-370115-003.3", date(2026, 9, 30), "第三季度推进：深化“一网通办”改革，持续推进政务服务标准化。"),
        ("2026-370115-003.4", date(2026, 12, 31), "第四季度推进：深化“一网通办”改革，持续推进政务服务标准化。"),
    ]
    first = Item.objects.get(task=tasks[0])
    assert first.text == "1｜实施重大项目攻坚行动，2026年10月底前完成年度投资计划。｜区发展和改革局\n区财政局｜各镇（街道）"
    assert (first.section, first.number, first.lead, first.responsible) == (
        "一、着力扩大有效需求", "1", [u.fagai.code, u.caizheng.code], [])
    assert Reading.objects.get(pk=reading.pk).saved_at is not None
    assert AuditEntry.objects.filter(action="导入任务分解方案").count() == 1


@pytest.mark.both_databases  # one transaction over work's services, a locked reading
def test_reimporting_the_same_document_changes_nothing(cast, march_20):
    import_table(cast)
    revisions = list(Task.objects.order_by("pk").values_list("revision", flat=True))
    entries = AuditEntry.objects.exclude(object_type="breakdown.Reading").count()
    reading = services.read_plan(cast.li_ducha, data=d.word_table(d.TABLE_ROWS), filename="方案.docx",
                                 region=cast.jiyang, year=2026)
    review = queries.review(cast.jiyang, 2026, reading.items)
    assert review.unchanged and review.counts["unchanged"] == 3
    summary = services.save_reading(cast.li_ducha, reading)
    assert (summary["added"], summary["changed"], summary["unchanged"], summary["withdrawn"]) == (0, 0, 3, 0)
    assert list(Task.objects.order_by("pk").values_list("revision", flat=True)) == revisions
    assert AuditEntry.objects.exclude(object_type="breakdown.Reading").count() == entries
    result = services.import_document(None, data=d.word_table(d.TABLE_ROWS), filename="方案.docx", region=cast.jiyang,
                                      year=2026)
    assert (result["saved"], result["unchanged"]) == (False, True)
    assert Reading.objects.count() == 2


@pytest.mark.both_databases  # one transaction over work's services, a locked reading
def test_an_amended_document_adds_changes_by_request_and_withdraws(cast, march_20):
    import_table(cast)
    amended = [
        "一、着力扩大有效需求",
        ["1", "实施重大项目攻坚行动，2026年11月底前完成年度投资计划。", ["区发展和改革局", "区财政局"], "各镇（街道）"],
        "二、持续优化营商环境",
        ["3", "深化“一网通办”改革，持续推进政务服务标准化。", "区发改局\n济阳街道", "区统计局"],
        ["4", "开展营商环境评价，9月底前形成报告。", "区商务局", ""],
    ]
    reading = services.read_plan(cast.li_ducha, data=d.word_table(amended), filename="方案（修订）.docx",
                                 region=cast.jiyang, year=2026)
    review = queries.review(cast.jiyang, 2026, reading.items)
    assert [(e.source["number"], e.status, e.changes) for e in review.items] == [
        ("1", "changed", ["任务", "原文", "完成时限"]), ("3", "changed", ["原文", "配合单位"]), ("4", "added", [])]
    assert [i.number for i in review.withdrawn] == ["2"]
    summary = services.save_reading(cast.li_ducha, reading)
    assert (summary["added"], summary["changed"], summary["withdrawn"]) == (1, 2, 1)
    first = Task.objects.get(number="2026-370115-001")
    assert first.title == "实施重大项目攻坚行动，2026年11月底前完成年度投资计划。"
    assert first.deadline == date(2026, 10, 31)  # moves once a leader approves
    requests = sorted((r.target_label, r.old_due, r.new_due, r.reason, r.status) for r in Rebaseline.objects.all())
    assert requests == [("完成时限", date(2026, 10, 31), date(2026, 11, 30), "任务分解方案修订", "pending"),
                        ("节点「完成：实施重大项目攻坚行动，2026年11月底前完成年度投资计划。」", date(2026, 10, 31),
                         date(2026, 11, 30), "任务分解方案修订", "pending")]
    assert Item.objects.get(task=first).dues == ["2026-10-31"]
    withdrawn = Item.objects.get(number="2")
    assert (withdrawn.withdrawn_on, Task.objects.filter(pk=withdrawn.task_id).exists()) == (date(2026, 3, 20), True)
    assert Task.objects.get(number="2026-370115-004").deadline == date(2026, 9, 30)
    third = Task.objects.get(number="2026-370115-003")
    assert codes(u for u in [tu.unit for tu in third.task_units.filter(role=TaskRole.COOPERATING)]) == ["370115D02"]


@pytest.mark.both_databases  # one transaction over work's services, a locked reading
def test_an_item_with_a_problem_blocks_the_import_until_the_office_corrects_it(cast, march_20):
    rows = [["1", "建设智慧城市大脑", "区府办", "区财政局"], ["2", "推进数字政府建设，6月底前上线。", "历下区府办", ""]]
    reading = services.read_plan(cast.li_ducha, data=d.word_table(rows), filename="方案.docx", region=cast.jiyang,
                                 year=2026)
    with pytest.raises(Rejected) as rejected:
        services.save_reading(cast.li_ducha, reading)
    assert rejected.value.messages == [
        "表格1第2行（序号 1）：牵头单位：未知的单位「区府办」（请写单位全称或简称，或由管理员在「单位别名」中添加）",
        "表格1第2行（序号 1）：没有完成时限（文中未写明，请填写）",
        "表格1第3行（序号 2）：牵头单位：「历下区府办」是历下区的单位（历下区政府办公室），不属于济阳区",
    ]
    assert not Task.objects.exists() and not Plan.objects.exists()
    services.correct_item(cast.li_ducha, reading, 0, lead="督查室", deadline="年底前")
    services.correct_item(cast.li_ducha, reading, 1, skip=True)
    summary = services.save_reading(cast.li_ducha, reading)
    assert (summary["added"], summary["skipped"]) == (1, 1)
    task = Task.objects.get()
    assert (task.lead_unit, task.deadline, task.title) == (cast.units.ducha, date(2026, 12, 31), "建设智慧城市大脑")
    with pytest.raises(Rejected, match="已于"):
        services.correct_item(cast.li_ducha, reading, 0, lead="区发改局")


def test_only_the_regions_supervision_office_imports(cast, march_20):
    data = d.word_table(d.TABLE_ROWS)
    for user in (cast.zhou_shangwu, cast.sun_leader, cast.zhao_fagai, cast.ma_lixia):
        with pytest.raises(PermissionDenied):
            services.read_plan(user, data=data, filename="方案.docx", region=cast.jiyang, year=2026)
    reading = services.read_plan(cast.wang_admin, data=data, filename="方案.docx", region=cast.jiyang, year=2026)
    with pytest.raises(PermissionDenied):
        services.save_reading(cast.zhou_shangwu, reading)
    assert not Task.objects.exists()


def test_the_leader_is_the_regions_person_of_that_name_when_there_is_one(cast, march_20):
    lines = ["1. 推进城市更新。", "牵头单位：区财政局", "牵头负责领导：孙区长", "完成时限：年底前",
             "2. 实施财源建设工程。", "牵头单位：区财政局", "牵头负责领导：王晓明区长", "完成时限：6月底前"]
    reading = services.read_plan(cast.li_ducha, data=d.word_paragraphs(lines), filename="要点.docx",
                                 region=cast.jiyang, year=2026)
    services.save_reading(cast.li_ducha, reading)
    tasks = Task.objects.order_by("number")
    assert [(t.leader_name, t.leader.user if t.leader else None) for t in tasks] == [
        ("孙区长", cast.sun_leader), ("王晓明", None)]


def test_a_task_starts_in_the_month_of_the_first_import_never_after_its_first_due_day():
    from luoshi.breakdown.queries import task_start

    assert task_start(2026, date(2026, 3, 20), date(2026, 10, 31)) == date(2026, 3, 1)
    assert task_start(2026, date(2026, 3, 20), date(2026, 2, 28)) == date(2026, 2, 28)  # due before the import
    assert task_start(2025, date(2026, 1, 5), date(2025, 12, 31)) == date(2025, 1, 1)  # a past year's plan
