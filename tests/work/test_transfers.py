import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from luoshi.core.problems import Rejected
from luoshi.work.models import Campaign, Milestone, ProgressReport, Task, TaskRole
from luoshi.work.exports import export_schedule
from luoshi.work.transfers import COLUMNS, import_schedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_12")]

HEADER = COLUMNS + ["3月", "4月", "5月", "实际完成日期", "完成情况"]


def row(number, task="招商引资项目签约", milestone="", lead="区商务局", responsible="", cooperating="", leader="",
        start="2020-03-01", due="2020-06-30", months=("", "", ""), done="", note="", campaign="双招双引"):
    return [number, campaign, task, milestone, lead, responsible, cooperating, leader, start, due, *months, done, note]


GOOD = [
    row("1", responsible="济阳街道、370115D04", cooperating="财政局，曲堤镇", leader="孙区长"),
    row("1.1", milestone="完成项目洽谈", start="2020/3/1", due="2020年4月30日", months=("●", "●", ""), done="2020-04-29",
        note="签约意向书两份"),
    row("1.2", milestone="签订合作协议", lead="", start="", due=date(2020, 5, 1), months=("", "", "●")),
    row("2", task="合村并点安置区建设", lead="370115D04", start="2020-02-01", due="2020-12-31", campaign="合村并点"),
    row("2.1", task="合村并点安置区建设", milestone="完成选址", lead="区财政局", start="", due="2020-04-03", campaign="合村并点"),
]


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "配档表"
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(rows):
    with pytest.raises(Rejected) as info:
        import_schedule(xlsx(rows), filename="配档表.xlsx")
    return info.value.messages


def test_good_schedule_saves_campaigns_tasks_milestones_units_and_ledger(cast):
    summary = import_schedule(xlsx(GOOD), filename="配档表.xlsx")
    assert "已导入 2 项重点任务、3 个节点" in summary and "台账进度记录 1 条" in summary
    assert list(Campaign.objects.values_list("name", flat=True)) == ["双招双引", "合村并点"]
    task = Task.objects.get(number="1")
    assert task.lead_unit == cast.units.shangwu and task.leader_name == "孙区长" and task.leader.user == cast.sun_leader
    roles = {(tu.unit.code, tu.role) for tu in task.task_units.select_related("unit")}
    assert roles == {("370115D03", TaskRole.LEAD), ("370115001", TaskRole.RESPONSIBLE), ("370115D04", TaskRole.RESPONSIBLE),
                     ("370115D04", TaskRole.COOPERATING), ("370115101", TaskRole.COOPERATING)}
    m11 = Milestone.objects.get(number="1.1")
    assert (m11.start, m11.due, m11.planned_months, m11.done_on) == (date(2020, 3, 1), date(2020, 4, 30), [3, 4], date(2020, 4, 29))
    m12 = Milestone.objects.get(number="1.2")
    assert (m12.start, m12.due, m12.planned_months) == (None, date(2020, 5, 1), [5])
    ledger = ProgressReport.objects.get()
    assert (ledger.task, ledger.unit, ledger.source, ledger.done_text) == (task, cast.units.shangwu, "import", "签约意向书两份")
    assert Task.objects.get(number="2").deadline == date(2020, 12, 31)


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_saved(cast):
    rows = [
        row("1", lead="区招商局"),  # unknown unit
        row("2", task="任务二", start="2020-05-01", due="2020-04-01"),  # deadline before start
        row("3", task="任务三", start="三月初"),  # unreadable date
        row("4", task="", milestone="孤立的节点", campaign="乡村振兴"),  # milestone with no task (none above in its campaign)
        row("4", task="任务五"),  # duplicate 序号
        row("6", task="任务六", lead=""),  # empty lead unit
    ]
    messages = problems_of(rows)
    assert "工作表「配档表」第2行「牵头单位」列：未知的单位「区招商局」（请填写系统中的单位名称、简称或代码）" in messages
    assert "工作表「配档表」第3行「完成时限」列：完成时限 2020-04-01 早于开始日期 2020-05-01" in messages
    assert "工作表「配档表」第4行「开始日期」列：无法识别的日期「三月初」，请写成 2020-03-31 的形式" in messages
    assert "工作表「配档表」第5行「重点任务」列：节点「孤立的节点」没有所属的重点任务（请填写「重点任务」列）" in messages
    assert "工作表「配档表」第6行「序号」列：序号 4 与第5行重复" in messages
    assert "工作表「配档表」第7行「牵头单位」列：重点任务「任务六」没有牵头单位" in messages
    assert not Task.objects.exists() and not Campaign.objects.exists() and not Milestone.objects.exists()


def test_missing_column_and_future_ledger_date_are_rejected(cast):
    with pytest.raises(Rejected, match="缺少必需的列「牵头单位」"):
        import_schedule(xlsx([], header=[c for c in COLUMNS if c != "牵头单位"]), filename="x.xlsx")
    messages = problems_of([row("1"), row("1.1", milestone="节点", done="2020-05-13")])
    assert messages == ["工作表「配档表」第3行「实际完成日期」列：实际完成日期 2020-05-13 晚于今天"]


def test_conflicting_lead_units_within_one_task_are_rejected(cast):
    messages = problems_of([row("1"), row("1.1", milestone="节点", lead="区财政局")])
    assert messages == ["工作表「配档表」第3行「牵头单位」列：与同一任务第2行的牵头单位不一致"]


def _plan_snapshot():
    tasks = [(t.number, t.campaign.name, t.title, t.lead_unit_id, t.leader_name, t.start, t.deadline,
              sorted(t.task_units.values_list("unit_id", "role")))
             for t in Task.objects.order_by("number")]
    milestones = list(Milestone.objects.order_by("number").values_list(
        "number", "task__number", "title", "start", "due", "planned_months", "done_on", "follows__number"))
    return tasks, milestones


def test_export_then_import_gives_the_same_plan(cast):
    import_schedule(xlsx(GOOD), filename="配档表.xlsx")
    before = _plan_snapshot()
    _, _, data = export_schedule().render("xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert header[:10] == COLUMNS and "1月" in header and "12月" in header and "实际完成日期" in header
    # Planned months are shaded as a Gantt in Excel.
    may = header.index("5月") + 1
    assert sheet.cell(row=4, column=may).value == "●" and sheet.cell(row=4, column=may).fill.fgColor.rgb.endswith("9DC3E6")
    # Into an empty database: same plan.
    ProgressReport.objects.all().delete()
    Milestone.objects.all().delete()
    Task.objects.all().delete()
    Campaign.objects.all().delete()
    summary = import_schedule(data, filename="配档表.xlsx")
    assert "任务新增 2" in summary
    assert _plan_snapshot() == before
    # And again over itself: nothing changes, no new ledger record.
    summary = import_schedule(data, filename="配档表.xlsx")
    assert "任务新增 0、更新 0" in summary and "节点新增 0、更新 0" in summary and "台账进度记录 0 条" in summary
    assert _plan_snapshot() == before


def test_cli_import_schedule_exits_1_with_the_problems_and_0_when_saved(cast, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([row("1", lead="区招商局")]))
    with pytest.raises(SystemExit) as info:
        call_command("import", "schedule", str(bad))
    assert info.value.code == 1
    assert "第2行「牵头单位」列：未知的单位「区招商局」" in capsys.readouterr().err
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(GOOD))
    call_command("import", "schedule", str(good))
    assert "已导入 2 项重点任务" in capsys.readouterr().out
    out = tmp_path / "out.xlsx"
    call_command("export", "schedule", str(out))
    assert load_workbook(out).active["C2"].value == "招商引资项目签约"


def test_cli_work_status_json_has_exactly_the_contract_keys(cast, capsys):
    import_schedule(xlsx(GOOD), filename="配档表.xlsx")
    call_command("work", "status", "--on", "2020-05-07", "--json")
    rows = json.loads(capsys.readouterr().out)
    contract = {"campaign", "task", "milestone", "lead_unit", "due", "effective_due", "done_on", "status",
                "working_days_late", "task_light"}
    assert all(contract <= set(r) for r in rows)
    by_name = {r["milestone"]: r for r in rows}
    assert by_name["完成项目洽谈"] == {**by_name["完成项目洽谈"], "campaign": "双招双引", "task": "招商引资项目签约",
                                   "lead_unit": "商务局", "due": "2020-04-30", "effective_due": "2020-04-30",
                                   "done_on": "2020-04-29", "status": "done", "working_days_late": 0}
    # 1 May → effective 6 May; judged Thursday 7 May: one working day late.
    assert by_name["签订合作协议"]["effective_due"] == "2020-05-06"
    assert (by_name["签订合作协议"]["status"], by_name["签订合作协议"]["working_days_late"]) == ("overdue", 1)
    assert by_name["签订合作协议"]["task_light"] == "yellow"
    # 3 April due, not done by 7 May: 4月7日起 … more than 10 working days.
    assert by_name["完成选址"]["status"] == "seriously_overdue" and by_name["完成选址"]["task_light"] == "red"
    assert by_name["完成选址"]["done_on"] is None


def test_cli_work_status_text_and_bad_date(cast, capsys):
    import_schedule(xlsx(GOOD), filename="配档表.xlsx")
    call_command("work", "status", "--on", "2020-05-07")
    out = capsys.readouterr().out
    assert "[黄灯] 双招双引 / 招商引资项目签约 / 签订合作协议（商务局）完成时限 2020-05-01：滞后（1 个工作日）" in out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="判定日期「2020-13-01」不是真实的日期"):
        call_command("work", "status", "--on", "2020-13-01")


def test_the_page_the_command_line_and_the_registry_download_the_schedule_through_one_exporter(cast, client_for, tmp_path):
    """exports.export_schedule(actor): everything for the command line, a person's readable tasks on the page."""
    from luoshi.core.registry import EXPORTERS, discover

    import_schedule(xlsx(GOOD), filename="配档表.xlsx")
    discover()
    assert EXPORTERS["schedule"][0] is export_schedule

    def numbers(data):
        return [r[0] for r in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)]

    path = tmp_path / "配档表.xlsx"
    call_command("export", "schedule", str(path), stdout=io.StringIO())
    everything = numbers(path.read_bytes())
    assert everything == numbers(export_schedule().render()[2]) == ["1", "1.1", "1.2", "2", "2.1"]
    page = client_for("li_ducha").get("/work/schedule/export.xlsx")
    assert numbers(page.content) == numbers(export_schedule(cast.li_ducha).render()[2]) == everything
    assert numbers(client_for("ma_lixia").get("/work/schedule/export.xlsx").content) == []  # 历下区: none of 济阳's


def _with_predecessors():
    """GOOD with a 前置节点 column (1.2 follows 1.1), imported; then the plan as other writers store it (the demo, the
    forms): display orders from 1, a milestone without planned months."""
    rows = [r + ["1.1" if r[0] == "1.2" else "", ""] for r in GOOD]
    import_schedule(xlsx(rows, header=HEADER + ["前置节点", "服务指标"]), filename="配档表.xlsx")
    for m in Milestone.objects.all():
        Milestone.objects.filter(pk=m.pk).update(order=m.order + 1)
    Task.objects.filter(number="1").update(order=5)
    Milestone.objects.filter(number="2.1").update(planned_months=[])
    _, _, data = export_schedule().render("xlsx")
    return data


def test_reimporting_an_unchanged_schedule_changes_nothing_and_writes_no_audit_entry(cast):
    from luoshi.audit.models import AuditEntry

    data = _with_predecessors()
    before, entries = _plan_snapshot(), AuditEntry.objects.count()
    orders = list(Milestone.objects.order_by("number").values_list("order", "planned_months"))
    summary = import_schedule(data, filename="配档表.xlsx")
    assert "任务新增 0、更新 0" in summary and "节点新增 0、更新 0" in summary
    assert AuditEntry.objects.count() == entries
    assert _plan_snapshot() == before and Milestone.objects.get(number="1.2").follows.number == "1.1"
    assert list(Milestone.objects.order_by("number").values_list("order", "planned_months")) == orders


def _change_due(data, number, new_due):
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for r in sheet.iter_rows(min_row=2):
        if str(r[0].value) == number:
            r[header.index("完成时限")].value = new_due
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_one_changed_date_updates_exactly_that_milestone_and_the_audit_says_only_the_date(cast):
    from luoshi.audit.models import AuditEntry

    data = _change_due(_with_predecessors(), "1.2", date(2020, 5, 20))
    entries = AuditEntry.objects.count()
    summary = import_schedule(data, filename="配档表.xlsx")
    assert "任务新增 0、更新 0" in summary and "节点新增 0、更新 1" in summary
    new = list(AuditEntry.objects.filter(pk__gt=0).order_by("-pk")[:AuditEntry.objects.count() - entries])
    assert [(e.action, e.before, e.after) for e in new] == [("修改节点", {"due": "2020-05-01"}, {"due": "2020-05-20"})]
    assert Milestone.objects.get(number="1.2").due == date(2020, 5, 20)
    assert Milestone.objects.get(number="1.2").follows.number == "1.1"


def test_after_the_plan_is_set_one_changed_date_is_exactly_one_pending_request(cast):
    from luoshi.work import services
    from luoshi.work.models import Rebaseline

    data = _change_due(_with_predecessors(), "1.2", date(2020, 5, 20))
    services.set_plan(None, Campaign.objects.get(name="双招双引"))
    summary = import_schedule(data, filename="配档表.xlsx")
    assert "节点新增 0、更新 0" in summary and "待审批的调整计划 1 项" in summary
    request = Rebaseline.objects.get()
    assert (request.milestone.number, request.old_due, request.new_due) == ("1.2", date(2020, 5, 1), date(2020, 5, 20))
    assert Milestone.objects.get(number="1.2").due == date(2020, 5, 1)
