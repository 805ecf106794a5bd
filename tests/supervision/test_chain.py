"""倒查: a task's chain through a leader change, a lead-unit change, a report correction, an approved and a refused
re-baseline and a notice that was sent back; the seriously overdue list with its xlsx and .docx; who may read.

Task 1 招商引资项目签约 of the small 2020 plan (tests/work/conftest.py), written day by day:
  Mon 2 Mar   plan entered: lead 区商务局, responsible 济阳街道, cooperating 区财政局, leader 孙区长
  Thu 5 Mar   双招双引's plan set (确定计划)
  Fri 20 Mar  商务局 reports 10 %; Sat 21 Mar it corrects the report (version 2)
  Fri 10 Apr  the responsible leader becomes 王副区长
  Sat 25 Apr  商务局 asks to move 1.1 完成项目洽谈 from 30 Apr to 15 May; Mon 27 Apr 孙区长 approves
  Sun 26 Apr  商务局 asks to move the task's deadline to 31 Jul; Tue 28 Apr 督查室 refuses
  Wed 6 May   the lead unit becomes 区财政局 (商务局 leaves the task)
  Mon 18 May  督查室 opens a notice on 1.1; 财政局 answers Wed 20 May; sent back Thu 21 May; answered again Fri 22 May
"""

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from luoshi.supervision.chain import queries as chain_module
from luoshi.supervision import services as notice_services
from luoshi.work import services as work_services
from luoshi.work.models import Rebaseline
from tests.work.conftest import add_lixia_office, build_plan


def on(day):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def save_t1(cast, plan, *, lead, responsible, cooperating, leader_name, leader):
    work_services.save_task(None, campaign=plan.zs, number="1", title="招商引资项目签约", lead_unit=lead,
                            responsible_units=responsible, cooperating_units=cooperating, leader_name=leader_name,
                            leader=leader, start=date(2020, 3, 1), deadline=date(2020, 6, 30), indicator_codes=["sjlywz"])


@pytest.fixture
def story(cast):
    u = cast.units
    with on("2020-03-02"):
        plan = build_plan(cast)
    with on("2020-03-05"):
        work_services.set_plan(cast.li_ducha, plan.zs)
    with on("2020-03-20"):
        first = work_services.submit_report(cast.zhou_shangwu, plan.t1, percent=10, done_text="与三家外资企业接洽")
    with on("2020-03-21"):
        work_services.submit_report(cast.zhou_shangwu, plan.t1, percent=12, done_text="与四家外资企业接洽",
                                    corrects=_report(first), correction_note="漏报一家企业")
    with on("2020-04-10"):
        save_t1(cast, plan, lead=u.shangwu, responsible=[u.town], cooperating=[u.caizheng], leader_name="王副区长", leader=None)
    with on("2020-04-25"):
        moved = work_services.request_rebaseline(cast.zhou_shangwu, milestone=plan.m11, new_due=date(2020, 5, 15),
                                                 reason="受疫情影响，外商无法来济洽谈")
    with on("2020-04-26"):
        deadline = work_services.request_rebaseline(cast.zhou_shangwu, task=plan.t1, new_due=date(2020, 7, 31),
                                                    reason="开工条件尚不具备")
    with on("2020-04-27"):
        work_services.approve_rebaseline(cast.sun_leader, _rebaseline(moved), note="同意，务必5月中旬完成")
    with on("2020-04-28"):
        work_services.refuse_rebaseline(cast.li_ducha, _rebaseline(deadline), "理由不充分，完成时限不变")
    with on("2020-05-06"):
        save_t1(cast, plan, lead=u.caizheng, responsible=[u.town], cooperating=[], leader_name="王副区长", leader=None)
    with on("2020-05-18"):
        plan.t1.refresh_from_db()
        plan.m11.refresh_from_db()
        notice = notice_services.open_notice(cast.li_ducha, plan.t1, milestone=plan.m11, reason="完成项目洽谈已逾期")
    with on("2020-05-20"):
        notice_services.reply(cast.zheng_caizheng, notice, "正在协调外商视频洽谈")
    with on("2020-05-21"):
        notice_services.return_notice(cast.li_ducha, notice, "请写明完成时间")
    with on("2020-05-22"):
        notice_services.reply(cast.zheng_caizheng, notice, "5月29日前完成视频洽谈")
    plan.notice = notice
    return plan


def _report(report):
    from luoshi.work.models import ProgressReport

    return report if isinstance(report, ProgressReport) else ProgressReport.objects.filter(task_id=report.task_id).latest("id")


def _rebaseline(request):
    return request if isinstance(request, Rebaseline) else Rebaseline.objects.get(pk=request.pk)


def test_the_responsibility_periods_follow_the_audit_trail(story):
    chain = chain_module.task_chain(story.t1)
    assert [(r.since, r.until, r.lead_unit, r.leader_name) for r in chain.responsibility] == [
        (date(2020, 3, 2), date(2020, 4, 10), "商务局", "孙区长"),
        (date(2020, 4, 10), date(2020, 5, 6), "商务局", "王副区长"),
        (date(2020, 5, 6), None, "财政局", "王副区长"),
    ]
    # who held it when 1.1 fell due (moved to Fri 15 May), and before the change of lead unit
    assert chain.responsible_on(date(2020, 5, 15)).lead_unit == "财政局"
    assert (chain.responsible_on(date(2020, 4, 30)).lead_unit, chain.responsible_on(date(2020, 4, 30)).leader_name) == \
        ("商务局", "王副区长")
    assert chain.responsible_on(date(2020, 3, 31)).leader_name == "孙区长"


def test_the_timeline_holds_every_step_in_date_order(story):
    events = chain_module.task_chain(story.t1).events
    steps = [(e.on, e.kind, e.title) for e in events if e.kind not in ("due", "start")]
    assert steps == [
        (date(2020, 3, 2), "plan", "重点任务列入计划"),
        (date(2020, 3, 5), "plan_set", "攻坚战计划确定"),
        (date(2020, 3, 20), "report", "进度报告（2020-03-20）"),
        (date(2020, 3, 21), "report", "进度报告（2020-03-20） 第2版·更正"),
        (date(2020, 4, 10), "leader", "责任领导变更"),
        (date(2020, 4, 25), "rebaseline", "申请调整计划"),
        (date(2020, 4, 26), "rebaseline", "申请调整计划"),
        (date(2020, 4, 27), "rebaseline", "批准调整计划"),
        (date(2020, 4, 28), "rebaseline", "不予调整计划"),
        (date(2020, 5, 6), "lead", "牵头单位变更"),
        (date(2020, 5, 18), "notice", f"{story.notice.number} 开具"),
        (date(2020, 5, 20), "notice", f"{story.notice.number} 答复"),
        (date(2020, 5, 21), "notice", f"{story.notice.number} 退回"),
        (date(2020, 5, 22), "notice", f"{story.notice.number} 答复"),
    ]
    by_title = {(e.on, e.title): e for e in events}
    assert by_title[(date(2020, 4, 10), "责任领导变更")].text == "孙区长 → 王副区长"
    assert by_title[(date(2020, 5, 6), "牵头单位变更")].text == "商务局 → 财政局"
    asked = by_title[(date(2020, 4, 25), "申请调整计划")]
    assert "2020-04-30 → 2020-05-15" in asked.text and "受疫情影响" in asked.text and asked.person == "周商务"
    approved = by_title[(date(2020, 4, 27), "批准调整计划")]
    assert approved.person == "孙区长" and "同意，务必5月中旬完成" in approved.text
    refused = by_title[(date(2020, 4, 28), "不予调整计划")]
    assert "任务完成时限" in refused.text and "理由不充分" in refused.text and refused.person == "李督查"
    correction = by_title[(date(2020, 3, 21), "进度报告（2020-03-20） 第2版·更正")]
    assert "漏报一家企业" in correction.text and correction.unit == "商务局"
    assert "（已被更正）" in by_title[(date(2020, 3, 20), "进度报告（2020-03-20）")].text
    returned = by_title[(date(2020, 5, 21), f"{story.notice.number} 退回")]
    assert returned.person == "李督查" and returned.text == "请写明完成时间（请于2020年5月28日前重新答复）"  # the new deadline with it


def test_a_milestones_chain_keeps_its_own_plan_changes_and_notices(story):
    events = chain_module.task_chain(story.t1, story.m12).events
    # 1.1's re-baseline and notice are not 1.2's; the task's own deadline request is every milestone's
    assert not [e for e in events if e.kind == "notice"]
    assert [(e.title, e.milestone) for e in events if e.kind == "rebaseline"] == [("申请调整计划", ""), ("不予调整计划", "")]
    assert [e.title for e in events if e.kind == "leader"] == ["责任领导变更"]  # the task's leaders still show
    events = chain_module.task_chain(story.t1, story.m11).events
    due = [e for e in events if e.kind == "due"]
    assert [(e.on, e.text) for e in due] == [(date(2020, 5, 15), "完成时限 2020-05-15（原定 2020-04-30）")]
    assert [(e.title, e.milestone) for e in events if e.kind == "rebaseline"] == [
        ("申请调整计划", "完成项目洽谈"), ("申请调整计划", ""), ("批准调整计划", "完成项目洽谈"), ("不予调整计划", "")]
    assert [e.title for e in events if e.kind == "notice"] == [f"{story.notice.number} {k}" for k in ("开具", "答复", "退回", "答复")]


def test_the_seriously_overdue_list_names_who_led_each_item_when_it_fell_due(story, client_for):
    response = client_for("li_ducha").get("/api/v1/supervision/overdue?on=2020-06-10")
    assert response.status_code == 200
    items = {i["milestone"]["number"]: i for i in response.json()["items"]}
    # 1.1 due Fri 15 May: 18 working days late on Wed 10 Jun; 1.2 due 1 May (五一: Wed 6 May); 2.1 due 3 Apr.
    # 3.1 is 历下区's: not in 济阳区's list.
    assert set(items) == {"1.1", "1.2", "2.1"}
    assert items["1.1"]["milestone"]["working_days_late"] == 18
    assert (items["1.1"]["lead_unit_when_due"], items["1.1"]["leader_when_due"]) == ("财政局", "王副区长")
    assert (items["1.2"]["lead_unit_when_due"], items["1.2"]["leader_when_due"]) == ("财政局", "王副区长")
    assert items["2.1"]["lead_unit_when_due"] == "财政局"
    kinds = [e["kind"] for e in items["1.1"]["chain"]["events"]]
    assert "rebaseline" in kinds and "notice" in kinds and "lead" in kinds


def test_the_list_exports_to_xlsx_one_row_per_event_and_to_word(story, client_for):
    from docx import Document
    from openpyxl import load_workbook

    client = client_for("li_ducha")
    page = client.get("/supervision/chain/overdue/?on=2020-06-10")
    assert page.status_code == 200 and "完成项目洽谈" in page.content.decode()
    response = client.get("/supervision/chain/overdue/xlsx?on=2020-06-10")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("任务序号", "攻坚战", "重点任务", "节点")
    approved = [r for r in rows if r[3] == "1.1 完成项目洽谈" and r[13] == "批准调整计划"]
    assert len(approved) == 1 and approved[0][9:11] == ("财政局", "王副区长") and approved[0][16] == "孙区长"
    response = client.get("/supervision/chain/overdue/docx?on=2020-06-10")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "严重滞后事项倒查（截至2020年6月10日）" in text and "1 招商引资项目签约 / 完成项目洽谈" in text
    cells = {c.text for t in Document(io.BytesIO(response.content)).tables for row in t.rows for c in row.cells}
    assert "财政局 / 王副区长" in cells and any("受疫情影响" in c for c in cells)


def test_the_export_kind_writes_the_list_as_of_today(story, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "overdue.xlsx"
    with on("2020-06-10"):
        call_command("export", "supervision-overdue", str(path), stdout=io.StringIO())
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert {r[3] for r in rows[1:]} == {"1.1 完成项目洽谈", "1.2 签订合作协议", "2.1 完成选址", "3.1 对接协作"}


def test_the_page_shows_the_timeline_and_the_milestone_links(story, client_for):
    response = client_for("sun_leader").get(f"/supervision/chain/tasks/{story.t1.pk}/?on=2020-06-10")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("重点任务列入计划") < html.index("责任领导变更") < html.index("牵头单位变更") < html.index("退回")
    assert f"/supervision/chain/milestones/{story.m11.pk}/" in html
    response = client_for("sun_leader").get(f"/supervision/chain/milestones/{story.m11.pk}/?on=2020-06-10")
    assert response.status_code == 200 and "严重滞后" in response.content.decode()


def test_a_bad_day_is_a_400_with_a_chinese_message(story, client_for):
    client = client_for("li_ducha")
    response = client.get(f"/supervision/chain/tasks/{story.t1.pk}/?on=2020-02-30")
    assert response.status_code == 400 and "不是真实的日期" in response.content.decode()
    response = client.get("/api/v1/supervision/overdue?on=tomorrow")
    assert response.status_code == 400 and "无法识别的判定日期" in response.json()["error"]


# --- who may read a chain ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["wang_admin", "li_ducha", "sun_leader", "zheng_caizheng", "sun_jiedao",
                                      "zhou_shangwu"])
def test_the_office_leaders_and_the_units_on_the_chain_read_it(story, client_for, username):
    # 周商务's unit left the task on 6 May but led it before: it is on the chain
    client = client_for(username)
    assert client.get(f"/supervision/chain/tasks/{story.t1.pk}/").status_code == 200
    assert client.get(f"/supervision/chain/milestones/{story.m11.pk}/").status_code == 200
    assert client.get(f"/api/v1/supervision/chain/tasks/{story.t1.pk}").status_code == 200


@pytest.mark.parametrize("username", ["zhao_fagai", "qian_tongji", "wu_cunju", "nobody", "ma_lixia", "liu_ducha"])
def test_others_do_not_read_the_chain(story, cast, client_for, username):
    add_lixia_office(cast)
    client = client_for(username)
    assert client.get(f"/supervision/chain/tasks/{story.t1.pk}/").status_code == 403
    assert client.get(f"/supervision/chain/milestones/{story.m11.pk}/").status_code == 403
    assert client.get(f"/api/v1/supervision/chain/tasks/{story.t1.pk}").status_code == 403


def test_a_unit_never_on_a_tasks_chain_does_not_read_it(story, client_for):
    client = client_for("zhou_shangwu")
    assert client.get(f"/supervision/chain/tasks/{story.t2.pk}/").status_code == 403  # 财政局's task
    assert client.get(f"/api/v1/supervision/chain/milestones/{story.m21.pk}").status_code == 403


def test_a_cooperating_unit_reads_the_task_but_not_its_chain(plan, client_for):
    client = client_for("zheng_caizheng")  # 区财政局 cooperates on task 1
    assert client.get(f"/work/tasks/{plan.t1.pk}/").status_code in (200, 302)
    assert client.get(f"/supervision/chain/tasks/{plan.t1.pk}/").status_code == 403


def test_a_unit_lists_only_the_overdue_items_of_its_own_tasks(story, client_for):
    response = client_for("zheng_caizheng").get("/api/v1/supervision/overdue?on=2020-06-10")
    assert {i["milestone"]["number"] for i in response.json()["items"]} == {"1.1", "1.2", "2.1"}
    response = client_for("zhou_shangwu").get("/api/v1/supervision/overdue?on=2020-06-10")
    assert response.json()["items"] == []
    for username in ("zhao_fagai", "wu_cunju", "nobody"):
        assert client_for(username).get("/supervision/chain/overdue/?on=2020-06-10").status_code == 403
        assert client_for(username).get("/supervision/chain/overdue/xlsx?on=2020-06-10").status_code == 403
        assert client_for(username).get("/supervision/chain/overdue/docx?on=2020-06-10").status_code == 403


def test_a_missing_task_is_a_404(cast, client_for):
    assert client_for("li_ducha").get("/supervision/chain/tasks/999999/").status_code == 404
    assert client_for("li_ducha").get("/api/v1/supervision/chain/milestones/999999").status_code == 404


def test_a_task_without_audit_entries_still_shows_its_current_lead(cast):
    from luoshi.audit.models import AuditEntry

    plan = build_plan(cast)
    AuditEntry.objects.filter(object_type="work.Task").delete()
    chain = chain_module.task_chain(plan.t1)
    assert [(r.since, r.lead_unit, r.leader_name) for r in chain.responsibility] == [(None, "商务局", "孙区长")]
    assert chain_module.task_chain(plan.t1).events[0].kind == "start"

