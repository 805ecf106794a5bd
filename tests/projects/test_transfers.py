"""The 调度表 in and out (issue 24 §3): the layout 发改局 send, row and column of every problem, nothing saved on a
problem, an unchanged re-import changes nothing, the export imports again unchanged."""

from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from luoshi.audit.models import AuditEntry
from luoshi.core.problems import Rejected
from luoshi.projects import queries, transfers
from luoshi.projects.exports import ScheduleTable
from luoshi.projects.models import CountedInvestment, Funding, MonthlyReport, Project, YearPlan
from tests.projects.conftest import MARCH
from tests.projects.tables import project, workbook


pytestmark = pytest.mark.both_databases  # transactions, the partial unique index of current reports, rollbacks


def run(cast, data, actor="zhao_fagai", period=MARCH, **options):
    return transfers.run_import(data, region=cast.jiyang, period=period, filename="调度表.xlsx",
                                actor=getattr(cast, actor) if actor else None, **options)


def state():
    return [Project.objects.count(), MonthlyReport.objects.count(), YearPlan.objects.count(), Funding.objects.count(),
            AuditEntry.objects.count()]


SECTIONS = [("一、产业项目", [project("高端装备制造项目", unit="区财政局", total=20000, plan=8000, done=2000, since=5000,
                                   progress="主体施工", leader="孙区长"),
                           project("冷链物流园", kind="续建", unit="商务局", total=9000, plan=3000, done=600)]),
            ("二、社会民生项目", [project("街道养老服务中心", unit="济阳街道办事处", total=3000, plan=1500, done=0)])]


def test_the_table_as_the_office_sends_it_becomes_projects_and_their_month(cast, frozen):
    result = run(cast, workbook(SECTIONS))
    assert (result["projects"], result["created"], result["reports"]) == (3, 3, 2)  # 养老服务中心: nothing this month
    p = Project.objects.get(name="高端装备制造项目")
    assert (p.unit, p.category, p.kind, p.total_investment) == (cast.units.caizheng, "产业项目", "new", D("20000.00"))
    assert p.leader == cast.sun_leader.person
    assert p.done_before == D("3000.00")  # 开工以来 5000 − this year's 2000
    report = MonthlyReport.objects.get(project=p)
    assert (report.period, report.amount, report.progress, report.source) == (MARCH, D("2000.00"), "主体施工", "import")
    assert Project.objects.get(name="冷链物流园").unit == cast.units.shangwu


def test_an_unchanged_re_import_changes_nothing(cast, frozen):
    data = workbook(SECTIONS)
    run(cast, data)
    before = state()
    result = run(cast, data)
    assert (result["unchanged"], result["reports_unchanged"], result["created"], result["reports"]) == (3, 3, 0, 0)
    assert state() == before


def test_a_changed_month_is_a_new_version_and_the_months_before_are_subtracted(cast, frozen):
    run(cast, workbook(SECTIONS, month=2), period=date(2020, 2, 1))
    changed = [(t, [list(r) for r in rows]) for t, rows in SECTIONS]
    changed[0][1][0][7] = 3500  # 1-3月 3500 after 2000 in 1-2月: March is 1500
    changed[0][1][0][8] = None
    run(cast, workbook(changed))
    p = Project.objects.get(name="高端装备制造项目")
    assert MonthlyReport.objects.get(project=p, period=MARCH).amount == D("1500.00")
    changed[0][1][0][7] = 3700
    result = run(cast, workbook(changed))
    assert result["corrected"] == 1
    versions = list(MonthlyReport.objects.filter(project=p, period=MARCH).order_by("version"))
    assert [(v.version, v.amount, v.is_current) for v in versions] == [(1, D("1500.00"), False), (2, D("1700.00"), True)]


def test_a_dry_run_checks_and_saves_nothing(cast, frozen):
    before = state()
    result = run(cast, workbook(SECTIONS), dry_run=True)
    assert result["created"] == 3 and result["dry_run"] is True
    assert state() == before


def problems_of(cast, data, **options):
    before = state()
    with pytest.raises(Rejected) as refused:
        run(cast, data, **options)
    assert state() == before
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_a_wrong_total_row_is_refused_with_its_row_and_column(cast, frozen):
    found = problems_of(cast, workbook(SECTIONS, fix_total={6: 99999}))
    assert found == [(10, "本年计划投资", "合计行为 99999.00 万元，各项目之和为 12500.00 万元")]


def test_a_unit_that_does_not_exist_is_refused(cast, frozen):
    rows = [(None, [project("项目甲", unit="区宇宙局")])]
    assert problems_of(cast, workbook(rows)) == [(5, "责任单位", "单位「区宇宙局」不存在（请写济阳区的单位名称、简称或代码）")]


def test_a_project_of_another_region_is_refused(cast, frozen):
    rows = [(None, [project("项目乙", unit="历下区政府办公室")])]
    found = problems_of(cast, workbook(rows))
    assert found == [(5, "责任单位", "「历下区政府办公室」是历下区的单位，不属于济阳区（不能导入其他地区的项目）")]


def test_a_percentage_that_disagrees_with_the_amounts_is_refused(cast, frozen):
    rows = [(None, [project("项目丙", plan=500, done=100, percent=25)])]
    found = problems_of(cast, workbook(rows, total=False))
    assert found == [(5, "2020年1-3月完成投资 占年计划（%）", "占年计划 25% 与金额不符：100 ÷ 500 = 20.00%")]


def test_a_year_plan_above_the_total_and_negative_amounts_are_refused(cast, frozen):
    rows = [(None, [project("项目丁", total=100, plan=500, done=10, percent=2),
                    project("项目戊", total=100, plan=50, done=-5, percent=-10)])]
    found = problems_of(cast, workbook(rows, total=False))
    assert (5, "本年计划投资", "本年计划投资 500.00 万元超过总投资 100.00 万元") in found
    assert (6, "2020年1-3月完成投资 金额", "金额不能为负数（-5）") in found


def test_a_funding_breakdown_that_does_not_add_up_is_refused(cast, frozen):
    rows = [(None, [project("项目己", total=1000, plan=500, done=100)])]
    found = problems_of(cast, workbook(rows, total=False, funding={"项目己": (600, 300)}))
    assert found == [(5, "资金构成 自有资金", "资金构成合计 900.00 万元与总投资 1000.00 万元不一致")]


def test_a_header_of_another_month_is_refused(cast, frozen):
    found = problems_of(cast, workbook(SECTIONS, month=2))
    assert found[0][2] == "表头「2020年1-2月完成投资」与导入的调度月份 2020年3月不一致"


def test_a_section_count_that_disagrees_is_refused(cast, frozen):
    data = workbook(SECTIONS).replace(b"", b"")
    sections = [("一、产业项目", SECTIONS[0][1][:1])]
    from openpyxl import load_workbook as load
    import io

    book = load(io.BytesIO(workbook(sections, total=False)))
    book.active.cell(row=5, column=1).value = "一、产业项目（3个）"
    buffer = io.BytesIO()
    book.save(buffer)
    assert problems_of(cast, buffer.getvalue()) == [(5, "项目名称", "分组「产业项目」标注3个项目，实际列出1个")]
    assert data


def test_only_the_regions_analysis_office_imports(cast, frozen):
    with pytest.raises(Rejected, match="只有济阳区的发展和改革局可以导入"):
        run(cast, workbook(SECTIONS), actor="li_ducha")


def test_the_export_has_the_offices_layout_and_imports_again_unchanged(cast, pool, frozen):
    CountedInvestment.objects.create(project=pool.p2, period=MARCH, amount=D("3000"))
    export = ScheduleTable(queries.status(cast.jiyang, MARCH))
    name, _, data = export.render("xlsx")
    assert name == "济阳区2020年1-3月重点项目调度表.xlsx"
    sheet = load_workbook(__import__("io").BytesIO(data)).active
    assert sheet["A1"].value == "济阳区2020年重点项目建设调度表"
    assert sheet.cell(row=3, column=18).value == "2020年1-3月完成投资" and sheet.cell(row=4, column=19).value == "占年计划（%）"
    assert "C3:C4" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A5"].value == "一、产业项目（2个）"
    assert sheet.cell(row=sheet.max_row, column=1).value == "合计"
    before = state()
    result = run(cast, data)
    assert (result["unchanged"], result["reports_unchanged"], result["reports"]) == (3, 3, 0)
    assert state() == before
    assert not MonthlyReport.objects.filter(project=pool.p3).exists()  # 济阳街道 still has to report


def test_the_csv_export_imports_again_unchanged(cast, pool, frozen):
    _, _, data = ScheduleTable(queries.status(cast.jiyang, MARCH)).render("csv")
    result = transfers.run_import(data, region=cast.jiyang, period=MARCH, filename="调度表.csv", actor=cast.zhao_fagai)
    assert result["unchanged"] == 3


def test_hostile_text_is_text_in_the_export(cast, pool, frozen):
    from luoshi.projects import services

    services.submit_report(None, pool.p3, period=MARCH, amount="0", progress='=HYPERLINK("http://x","点")')
    sheet = load_workbook(__import__("io").BytesIO(ScheduleTable(queries.status(cast.jiyang, MARCH)).render("xlsx")[2])).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    csv = ScheduleTable(queries.status(cast.jiyang, MARCH)).render("csv")[2].decode("utf-8-sig")
    assert "'=HYPERLINK" in csv


# The whole table at once (projects.bulk) writes what saving each row through the services writes ---------------

def _one_by_one(actor, region, period, entries):
    """The import's writes row by row through projects.services (what save_schedule did before projects.bulk)."""
    from luoshi.projects import services

    current = {r.project_id: r for r in MonthlyReport.objects.filter(project__region=region, period=period,
                                                                     is_current=True)}
    for entry in entries:
        project, _ = services.save_project(actor, year_plans={period.year: entry.year_plan},
                                           funding=entry.funding or None, **entry.values)
        report = current.get(project.pk)
        progress, problems = entry.progress or (report.progress if report else ""), \
            entry.problems or (report.problems if report else "")
        if report is not None and (report.amount, report.progress, report.problems) == (entry.month, progress, problems):
            continue
        if report is None and not entry.month and not progress and not problems:
            continue
        services.submit_report(actor, project, period=period, amount=entry.month, progress=progress, problems=problems,
                               corrects=report, correction_note=transfers.IMPORT_NOTE if report else "",
                               source="import")


def _picture(region):
    """Everything an import writes, with ids replaced by what they stand for."""
    from collections import Counter

    from luoshi.projects.models import PoolMove
    from luoshi.work.models import Milestone, ProgressReport, Task

    def number(n, project):
        return n.replace(f"XM{project.pk}", "XM")

    out = {}
    for p in Project.objects.filter(region=region).order_by("name"):
        task = Task.objects.filter(pk=p.task_id).first()
        out[p.name] = {
            "project": (p.kind, p.pool, p.order, p.unit_id, p.total_investment, p.done_before, p.started_on, p.leader_id,
                        sorted((y.year, y.planned) for y in p.year_plans.all()),
                        sorted((f.source, f.amount) for f in p.funding.all())),
            "moves": [(m.kind, m.from_pool, m.to_pool, m.status, m.moved_on, m.requested_by_id)
                      for m in PoolMove.objects.filter(project=p).order_by("id")],
            "task": task and (number(task.number, p), task.title, task.campaign.name, task.lead_unit_id, task.start,
                              task.deadline, task.leader_name, task.order, task.closed_on,
                              sorted(task.task_units.values_list("unit_id", "role"))),
            "nodes": task and [(number(m.number, p), m.title, m.due, m.done_on, m.order)
                               for m in Milestone.objects.filter(task=task).order_by("number")],
            "progress": task and [(r.unit_id, r.percent, r.done_text, r.problems, r.source, r.reported_on, r.version,
                                   r.is_current, r.series == r.pk,
                                   sorted((number(c.milestone.number, p), c.done_on) for c in r.completions.all()))
                                  for r in ProgressReport.objects.filter(task=task).order_by("id")],
            "monthly": [(r.period, r.amount, r.progress, r.problems, r.version, r.is_current, r.source, r.correction_note,
                         r.unit_id, r.submitted_by_id) for r in MonthlyReport.objects.filter(project=p).order_by("id")],
        }
    out["audit"] = Counter((e.action, e.object_type, tuple(sorted(e.after or {})), e.actor_id)
                           for e in AuditEntry.objects.all())
    return out


def test_a_table_saved_at_once_writes_what_saving_each_row_writes(cast, frozen):
    from django.db import transaction

    from luoshi.core.tabular import read_sheets

    april = date(2020, 4, 1)
    march = workbook(SECTIONS)
    sections = [("一、产业项目", [project("高端装备制造项目", unit="区财政局", total=20000, plan=9000, done=2600, since=5600,
                                       progress="主体封顶", leader="孙区长"),
                               project("冷链物流园", kind="续建", unit="商务局", total=9000, plan=3000, done=600)]),
                ("二、社会民生项目", [project("街道养老服务中心", unit="济阳街道办事处", total=3000, plan=1500, done=300,
                                         problems="用地手续未批")])]
    then = workbook(sections, month=4)
    actor = cast.zhao_fagai

    def entries(data, period):
        read = transfers.parse_schedule(read_sheets(data, "调度表.xlsx"), cast.jiyang, period)
        for entry in read:
            if entry.values["name"] == "高端装备制造项目":  # started and 入库: its 开工 node done by a ledger report
                entry.values.update(started_on=date(2020, 2, 20), statistics_on=date(2020, 3, 1))
        return read

    def both_months(save):
        save(actor, cast.jiyang, MARCH, entries(march, MARCH))
        save(actor, cast.jiyang, april, entries(then, april))
        return _picture(cast.jiyang)

    with transaction.atomic():
        expected = both_months(_one_by_one)
        transaction.set_rollback(True)
    assert Project.objects.count() == 0
    saved = both_months(transfers.save_schedule)
    assert saved == expected
    started = saved["高端装备制造项目"]
    assert started["nodes"][0][3] == date(2020, 2, 20) and len(started["progress"]) == 3  # ledger + March + April
    assert [m[1] for m in saved["街道养老服务中心"]["monthly"]] == [D("300.00")]
