"""The write-permission matrix: every role of the cast × every write route (web form and JSON API).

Each case signs in as one role, sends one write and checks the answer's status and the database: a write that is
allowed changes it, a write that is refused leaves every table of the app exactly as it was (audit trail included).
The cast (tests/conftest.py) is joined by 刘督查 (liu_ducha), the supervision office of 历下区: the office of another
district, which must not change 济阳区's plan, and by the administrators of 济阳区 (jiyang_admin) and of 历下区
(lixia_admin; tests/orgs/admins.py): a county's administrator manages that county's people, units and robots,
and is no administrator of anything else. `anonymous` is not signed in.
"""

import json
from dataclasses import dataclass, field
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from luoshi.breakdown import services as breakdown_services
from luoshi.breakdown.models import Plan as BreakdownPlan
from luoshi.breakdown.models import TargetLink
from luoshi.briefings import services as briefing_services
from luoshi.daily import services as daily_services
from luoshi.indicators import services as indicator_services
from luoshi.indicators.models import Indicator
from luoshi.notify import services as notify_services
from luoshi.projects.pipeline.models import Lead, LeadStage
from luoshi.supervision.consequences import services as consequence_services
from luoshi.supervision.consequences.models import Experience
from luoshi.orgs import services as org_services
from luoshi.projects import services as project_services
from luoshi.work import services as work_services
from tests.breakdown import documents as breakdown_documents
from tests.daily.conftest import FIELDS
from tests.orgs.admins import add_region_admins
from tests.projects.conftest import build_projects
from tests.projects.pipeline.leads import build_pipeline
from tests.projects.pipeline.leads import pdf as lead_pdf
from tests.projects.tables import project as project_row
from tests.projects.tables import workbook as project_table
from tests.work.conftest import add_lixia_office, build_plan
from tests.work.test_transfers import row, xlsx

USERS = ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "zheng_caizheng", "sun_jiedao",
         "wu_cunju", "chen_cunju", "ma_lixia", "nobody", "liu_ducha", "jiyang_admin", "lixia_admin", "anonymous"]
WRITE = "written"  # the expected answer of an allowed write: its success status, and the database changed


@dataclass
class Route:
    """One write route. `allowed`: user → success status (the write happens). Everyone else is refused with
    `refused` (or their entry in `refused_as`), and nothing changes."""

    name: str
    api: bool
    send: object  # (client, scene) → response
    allowed: dict
    refused: int = 403
    refused_as: dict = field(default_factory=dict)

    def expected(self, username):
        if username in self.allowed:
            return self.allowed[username], True
        if username == "anonymous" and "anonymous" not in self.refused_as:
            return (401 if self.api else 302), False  # the API asks for a token, a page sends to the sign-in page
        return self.refused_as.get(username, self.refused), False


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def upload(name, data):
    return SimpleUploadedFile(name, data)


def csv_bytes(rows):
    return "\n".join(",".join(str(c) for c in r) for r in rows).encode()


WORK_REPORTERS = {"wang_admin", "zhou_shangwu", "sun_jiedao"}  # task 1: admin (as lead), lead 商务局, responsible 街道
JIYANG_OFFICE = {"wang_admin", "li_ducha"}
FIGURE_WRITERS = {"wang_admin", "zhao_fagai", "qian_tongji"}
MEETING_ORGANISERS = {"wang_admin", "sun_leader", "li_ducha", "zhao_fagai"}  # 济阳区's leaders, 督查室, 发改局
POOL_MANAGERS = {"wang_admin", "zhao_fagai"}  # 济阳区's 发改局 (and an administrator) manage its project pool
PROJECT_REPORTERS = POOL_MANAGERS | {"zhou_shangwu"}  # and 商务局, the responsible unit of 年产10万吨新材料项目
PROJECT_READERS = {u: 403 for u in ("sun_leader", "li_ducha", "qian_tongji", "sun_jiedao", "jiyang_admin")}
FOLLOW_UP_RECORDERS = {"wang_admin", "li_ducha", "zhao_fagai"}
PROXY_WRITERS = {"wang_admin", "li_ducha", "zhao_fagai"}  # 代报 of a section: the analysis and supervision offices
OVERVIEW_EDITORS = {"wang_admin", "zhao_fagai"}  # the pack's overview: 济阳区's 发改局 (and an administrator)
OVERVIEW = {"issuer": "济阳区发展和改革局", "doc_number": "济阳发改〔2020〕8号", "features_text": "外资逆势增长。",
            "problems_text": "工业降幅较大。", "suggestions_text": "一是稳工业。"}
BREAKDOWN_ROWS = [["1", "推进重点项目建设，6月底前全部开工。", "区商务局", "区财政局"]]
TARGET_ROWS = [["1", "年底前实现地区生产总值增长6.5%左右，一般公共预算收入增长5%。", "区发展和改革局", "区统计局"]]
MEETING = {"title": "2020年4月经济运行调度会", "region": "370115", "period": "2020-03", "held_on": "2020-04-20",
           "sections_due": "2020-04-17"}

LEDGER_KEEPERS = {"wang_admin", "zhou_shangwu"}  # 济阳区's 商务局 keeps the 招商 ledger (and an administrator)
LEDGER_READERS = {u: 403 for u in ("sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "jiyang_admin")}


def lead_pk(name):
    return Lead.objects.get(name=name).pk


def lead_stage_pk(name, stage):
    return LeadStage.objects.get(lead__name=name, stage=stage, is_current=True).pk


ROUTES = [
    # 重点工作
    Route("work: report progress on task 1 (form)", False,
          lambda c, s: c.post(f"/work/tasks/{s.plan.t1.pk}/report", {"percent": "40", "done_text": "推进中"}),
          {u: 302 for u in WORK_REPORTERS}),
    Route("work: correct the lead unit's report (form)", False,
          lambda c, s: c.post(f"/work/tasks/{s.plan.t1.pk}/report", {"percent": "0", "corrects": s.lead_report.pk,
                                                                     "correction_note": "撤回"}),
          {"wang_admin": 302, "zhou_shangwu": 302}),
    Route("work: report progress on task 1 (API)", True,
          lambda c, s: post_json(c, f"/api/v1/work/tasks/{s.plan.t1.pk}/reports", {"percent": 40}),
          {u: 201 for u in WORK_REPORTERS}),
    Route("work: correct the lead unit's report (API)", True,
          lambda c, s: post_json(c, f"/api/v1/work/tasks/{s.plan.t1.pk}/reports",
                                 {"percent": 0, "corrects": s.lead_report.pk, "correction_note": "撤回"}),
          {"wang_admin": 201, "zhou_shangwu": 201}),
    # 代报: the supervision office reports for a unit of its region without an account (曲堤镇, lead of task 4), never
    # for one with an account (商务局); an administrator may too.
    Route("work: 代报 progress for 曲堤镇 (no account) on task 4 (form)", False,
          lambda c, s: c.post(f"/work/tasks/{s.t4.pk}/report", {"percent": "20", "on_behalf": "370115101",
                                                               "proxy_source": "据电话报送"}),
          {u: 302 for u in JIYANG_OFFICE}),
    Route("work: 代报 progress for 曲堤镇 (no account) on task 4 (API)", True,
          lambda c, s: post_json(c, f"/api/v1/work/tasks/{s.t4.pk}/reports", {"percent": 20, "on_behalf": "370115101"}),
          {u: 201 for u in JIYANG_OFFICE}),
    Route("work: 代报 progress for 商务局 (it has an account) on task 1 (API)", True,
          lambda c, s: post_json(c, f"/api/v1/work/tasks/{s.plan.t1.pk}/reports", {"percent": 20, "on_behalf": "370115D03"}),
          {}),
    Route("work: re-baseline a 济阳区 milestone", False,
          lambda c, s: c.post(f"/work/milestones/{s.plan.m11.pk}/rebaseline", {"new_due": "2020-05-15", "reason": "疫情影响"}),
          {u: 302 for u in JIYANG_OFFICE}),
    # 调整计划 under approval (合村并点's plan is set; 财政局 asked to move 2.1, pending): the office, the task's lead unit
    # and an administrator ask; a leader, the office and an administrator decide a unit's request, never the unit.
    Route("work: ask to move task 2's deadline (form)", False,
          lambda c, s: c.post(f"/work/tasks/{s.plan.t2.pk}/rebaseline", {"new_due": "2020-05-29", "reason": "选址复核"}),
          {u: 302 for u in JIYANG_OFFICE | {"zheng_caizheng"}}),
    Route("work: ask to move task 2's deadline (API)", True,
          lambda c, s: post_json(c, "/api/v1/work/rebaselines", {"task": s.plan.t2.pk, "new_due": "2020-05-29", "reason": "选址复核"}),
          {u: 201 for u in JIYANG_OFFICE | {"zheng_caizheng"}}),
    Route("work: approve 财政局's re-baseline request (form)", False,
          lambda c, s: c.post(f"/work/rebaselines/{s.pending_request.pk}/approve", {"note": "同意"}),
          {u: 302 for u in JIYANG_OFFICE | {"sun_leader"}}),
    Route("work: refuse 财政局's re-baseline request (API)", True,
          lambda c, s: post_json(c, f"/api/v1/work/rebaselines/{s.pending_request.pk}/refuse", {"note": "理由不充分"}),
          {u: 200 for u in JIYANG_OFFICE | {"sun_leader"}}),
    Route("work: set the plan of a 济阳区 campaign", False,
          lambda c, s: c.post(f"/work/campaigns/{s.plan.zs.pk}/set-plan"), {u: 302 for u in JIYANG_OFFICE}),
    Route("work: change a 济阳区 campaign's report cycle", False,
          lambda c, s: c.post(f"/work/campaigns/{s.plan.zs.pk}/cycle", {"report_cycle": "weekly"}),
          {u: 302 for u in JIYANG_OFFICE}),
    Route("work: change the cycle of a campaign holding tasks of two districts", False,
          lambda c, s: c.post(f"/work/campaigns/{s.plan.hc.pk}/cycle", {"report_cycle": "weekly"}), {"wang_admin": 302}),
    Route("work: import a 配档表 rewriting 济阳区's task 1", False,
          lambda c, s: c.post("/work/schedule/import/", {"file": upload("配档表.xlsx", xlsx([row("1", task="改写后的任务")]))}),
          {u: 302 for u in JIYANG_OFFICE}, refused_as={"liu_ducha": 400}),
    # 经济运行监测
    Route("indicators: enter a 济阳区 figure (form)", False,
          lambda c, s: c.post("/indicators/i/retail/figure", {"region": "370115", "period": "2020-03", "value": "31.7",
                                                              "growth": "3.5"}),
          {u: 302 for u in FIGURE_WRITERS}),
    Route("indicators: post a 济阳区 figure (API)", True,
          lambda c, s: post_json(c, "/api/v1/indicators/figures", {"figures": [
              {"region": "370115", "indicator": "retail", "period": "2020-03", "value": 31.7, "growth": 3.5}]}),
          {u: 200 for u in FIGURE_WRITERS}),
    Route("indicators: import 济阳区 targets", False,
          lambda c, s: c.post("/indicators/import/", {"kind": "targets", "file": upload("目标.csv", csv_bytes(
              [["地区代码", "指标代码", "年度", "目标值", "目标增速(%)", "单位"], ["370115", "retail", "2020", "100", "6", "亿元"]]))}),
          {u: 302 for u in FIGURE_WRITERS}),
    Route("indicators: import 历下区 targets", False,
          lambda c, s: c.post("/indicators/import/", {"kind": "targets", "file": upload("目标.csv", csv_bytes(
              [["地区代码", "指标代码", "年度", "目标值", "目标增速(%)", "单位"], ["370102", "retail", "2020", "100", "6", "亿元"]]))}),
          {"wang_admin": 302}, refused_as={"zhao_fagai": 400, "qian_tongji": 400}),
    # 村居日报
    Route("daily: 东关村's zero report (form)", False,
          lambda c, s: c.post("/daily/report/yiqing/submit", {"village": "370115001201", "date": "2020-04-14", "key": "k",
                                                              "zero": "1"}),
          {"wu_cunju": 302}),
    Route("daily: 东关村's report (API)", True,
          lambda c, s: post_json(c, "/api/v1/daily/reports", {"form": "yiqing", "village": "370115001201", "date": "2020-04-14",
                                                              "zero_report": True, "idempotency_key": "k"}),
          {"wu_cunju": 201}),
    Route("daily: define a form for 济阳区", False,
          lambda c, s: c.post("/daily/forms/", {"region": "370115", "code": "fangxun", "title": "防汛日报",
                                                "fields": "rain | 降雨量 | 整数"}),
          {u: 302 for u in JIYANG_OFFICE}, refused_as={"liu_ducha": 400}),
    Route("daily: change 济阳区's form", False,
          lambda c, s: c.post("/daily/forms/yiqing/", {"action": "change", "title": "疫情防控日报（改）"}),
          {u: 302 for u in JIYANG_OFFICE}),
    # 会议材料
    Route("briefings: open a 济阳区 meeting (form)", False,
          lambda c, s: c.post("/briefings/meetings/open", MEETING), {u: 302 for u in MEETING_ORGANISERS}),
    Route("briefings: open a 济阳区 meeting (API)", True,
          lambda c, s: post_json(c, "/api/v1/briefings/meetings", MEETING), {u: 200 for u in MEETING_ORGANISERS}),
    Route("briefings: close the meeting (form)", False,
          lambda c, s: c.post(f"/briefings/meetings/{s.meeting.pk}/state", {"action": "close"}),
          {u: 302 for u in MEETING_ORGANISERS}),
    Route("briefings: publish the meeting to the units (API)", True,
          lambda c, s: post_json(c, f"/api/v1/briefings/meetings/{s.meeting.pk}/publish", {}),
          {u: 200 for u in MEETING_ORGANISERS}),
    Route("briefings: 商务局's section on 实际利用外资 (form)", False,
          lambda c, s: c.post(f"/briefings/meetings/{s.meeting.pk}/sections/fdi", {"reasons_text": "项目到账"}),
          {"wang_admin": 302, "zhou_shangwu": 302}),
    Route("briefings: 商务局's section on 实际利用外资 (API)", True,
          lambda c, s: post_json(c, f"/api/v1/briefings/meetings/{s.meeting.pk}/sections",
                                 {"indicator": "fdi", "unit": "370115D03", "reasons_text": "项目到账"}),
          {"wang_admin": 200, "zhou_shangwu": 200}),
    # 代报 of a section: 济阳区's analysis and supervision offices (and an administrator) for 统计局 (no unit account).
    Route("briefings: 代报 统计局's section on GDP (form)", False,
          lambda c, s: c.post(f"/briefings/meetings/{s.meeting.pk}/sections/gdp", {"on_behalf": "1",
                                                                                 "reasons_text": "据统计局电话报送"}),
          {u: 302 for u in PROXY_WRITERS}),
    Route("briefings: 代报 统计局's section on GDP (API)", True,
          lambda c, s: post_json(c, f"/api/v1/briefings/meetings/{s.meeting.pk}/sections",
                                 {"indicator": "gdp", "unit": "370115D02", "on_behalf": True, "reasons_text": "据电话"}),
          {u: 200 for u in PROXY_WRITERS}),
    Route("briefings: 代报 商务局's section (it has an account) (form)", False,
          lambda c, s: c.post(f"/briefings/meetings/{s.meeting.pk}/sections/fdi", {"on_behalf": "1",
                                                                                 "reasons_text": "代写"}),
          {}),
    Route("briefings: record a follow-up item (form)", False,
          lambda c, s: c.post(f"/briefings/meetings/{s.meeting.pk}/follow-ups/add",
                              {"title": "确保双过半", "lead_unit": "370115D01", "deadline": "2020-06-30"}),
          {u: 302 for u in FOLLOW_UP_RECORDERS}),
    Route("briefings: record a follow-up item (API)", True,
          lambda c, s: post_json(c, f"/api/v1/briefings/meetings/{s.meeting.pk}/follow-ups",
                                 {"title": "确保双过半", "lead_unit": "370115D01", "deadline": "2020-06-30"}),
          {u: 200 for u in FOLLOW_UP_RECORDERS}),
    # the pack's cover and overview (综述): 济阳区's analysis office (and an administrator) only; each save a version
    Route("briefings: edit the pack's overview (form)", False,
          lambda c, s: c.post(f"/briefings/meetings/{s.meeting.pk}/overview", OVERVIEW), {u: 302 for u in OVERVIEW_EDITORS}),
    Route("briefings: edit the pack's overview (API)", True,
          lambda c, s: post_json(c, f"/api/v1/briefings/meetings/{s.meeting.pk}/overview", OVERVIEW),
          {u: 200 for u in OVERVIEW_EDITORS}),
    # two-tier reporting: only task 1's cooperating unit (财政局) sends its input to the lead unit
    Route("work: 财政局 sends its input to 商务局 on task 1 (form)", False,
          lambda c, s: c.post(f"/work/tasks/{s.plan.t1.pk}/input", {"done_text": "已拨付项目前期经费"}),
          {"zheng_caizheng": 302}),
    # 销号: task 1's lead unit (and an administrator, as the lead unit) asks with evidence; 济阳区's supervision office
    # (and an administrator) approves or returns 财政局's pending request on task 2, never 财政局 itself
    Route("work: ask to close task 1 with evidence (form)", False,
          lambda c, s: c.post(f"/work/tasks/{s.plan.t1.pk}/closure", {"note": "已签约开工", "attachments": upload(
              "验收.pdf", b"%PDF-1.4 evidence")}),
          {"wang_admin": 302, "zhou_shangwu": 302}),
    Route("work: approve 财政局's 销号 of task 2 (form)", False,
          lambda c, s: c.post(f"/work/closures/{s.closure.pk}/approve", {"note": "材料齐全"}),
          {u: 302 for u in JIYANG_OFFICE}),
    Route("work: return 财政局's 销号 of task 2 (form)", False,
          lambda c, s: c.post(f"/work/closures/{s.closure.pk}/return", {"note": "缺少验收材料"}),
          {u: 302 for u in JIYANG_OFFICE}),
    # 主要预期目标: 济阳区's supervision office (and an administrator) proposes, its 发改局 (and an administrator) confirms
    Route("breakdown: propose the 主要预期目标 of 济阳区's 2021 plan", False,
          lambda c, s: c.post(f"/breakdown/plans/{s.breakdown_plan.pk}/propose-targets"), {u: 302 for u in JIYANG_OFFICE}),
    Route("breakdown: confirm a proposed 主要预期目标", False,
          lambda c, s: c.post(f"/breakdown/targets/{s.target_link.pk}/confirm"), {"wang_admin": 302, "zhao_fagai": 302}),
    # 政府工作要点落实 (任务分解方案): 济阳区's supervision office and an administrator import; aliases also the county's
    # administrator
    Route("breakdown: upload a 方案 of 济阳区", False,
          lambda c, s: c.post("/breakdown/upload", {"region": "370115", "year": "2020", "file": upload(
              "方案.docx", breakdown_documents.word_table(BREAKDOWN_ROWS))}),
          {u: 302 for u in JIYANG_OFFICE}),
    Route("breakdown: correct an item of a reading", False,
          lambda c, s: c.post(f"/breakdown/readings/{s.reading.pk}/items/0", {"lead": "区商务局", "deadline": "年底前"}),
          {u: 302 for u in JIYANG_OFFICE}),
    Route("breakdown: import a reviewed 方案", False,
          lambda c, s: c.post(f"/breakdown/readings/{s.reading.pk}/save"), {u: 302 for u in JIYANG_OFFICE}),
    Route("breakdown: add an alias of a 济阳区 unit", False,
          lambda c, s: c.post("/breakdown/aliases/", {"region": "370115", "alias": "区府办", "unit": "督查室"}),
          {u: 302 for u in JIYANG_OFFICE | {"jiyang_admin"}}),
    # 重点项目: the responsible unit (商务局 for 年产10万吨新材料项目), 济阳区's 发改局 and an administrator report a month; the
    # office manages the pool (import, projects, thresholds). A leader or another office reads only (403); whoever cannot
    # read the project gets 404.
    Route("projects: report 新材料项目's April (form)", False,
          lambda c, s: c.post(f"/projects/p/{s.projects.p1.pk}/report", {"period": "2020-04", "amount": "500",
                                                                          "progress": "设备进场"}),
          {u: 302 for u in PROJECT_REPORTERS}, refused=404, refused_as=PROJECT_READERS),
    Route("projects: report 新材料项目's April (API)", True,
          lambda c, s: post_json(c, f"/api/v1/projects/projects/{s.projects.p1.pk}/reports", {"period": "2020-04", "amount": 500}),
          {u: 201 for u in PROJECT_REPORTERS}, refused=404, refused_as=PROJECT_READERS),
    Route("projects: correct 新材料项目's March (form)", False,
          lambda c, s: c.post(f"/projects/p/{s.projects.p1.pk}/report", {"period": "2020-03", "amount": "3100",
                                                                          "corrects": s.projects.march.pk,
                                                                          "correction_note": "补报"}),
          {u: 302 for u in PROJECT_REPORTERS}, refused=404, refused_as=PROJECT_READERS),
    Route("projects: import 济阳区's 调度表 (form)", False,
          lambda c, s: c.post("/projects/import/", {"region": "370115", "period": "2020-03", "file": upload(
              "调度表.xlsx", project_table([(None, [project_row("矩阵项目", unit="区财政局")])]))}),
          {u: 302 for u in POOL_MANAGERS}),
    Route("projects: import 济阳区's 调度表 (API)", True,
          lambda c, s: c.post("/api/v1/projects/import", {"region": "370115", "period": "2020-03", "file": upload(
              "调度表.xlsx", project_table([(None, [project_row("矩阵项目", unit="区财政局")])]))}),
          {u: 200 for u in POOL_MANAGERS}),
    Route("projects: add a project to 济阳区's pool (API)", True,
          lambda c, s: post_json(c, "/api/v1/projects/projects", {"region": "370115", "name": "矩阵项目", "kind": "新建",
                                                                  "unit": "370115D04", "total_investment": 100,
                                                                  "year_plans": {"2020": 50}}),
          {u: 200 for u in POOL_MANAGERS}),
    Route("projects: set 济阳区's thresholds (form)", False,
          lambda c, s: c.post("/projects/thresholds/", {"region": "370115", "yellow_gap": "5", "red_gap": "20",
                                                        "start_yellow_months": "0", "start_red_months": "3",
                                                        "statistics_yellow_months": "1", "statistics_red_months": "2"}),
          {u: 302 for u in POOL_MANAGERS}),
    Route("projects: set 济阳区's thresholds (API)", True,
          lambda c, s: c.put("/api/v1/projects/thresholds", json.dumps({"region": "370115", "red_gap": 25}),
                             content_type="application/json"),
          {u: 200 for u in POOL_MANAGERS}),
    # 双招双引: 济阳区's 商务局 keeps the 招商 ledger (adds leads, moves any, records 到位资金); a lead's own unit (济阳街道 for
    # 预制菜加工项目) moves it; the region's offices and leaders read (403); whoever cannot read the lead gets 404.
    Route("pipeline: add a lead to 济阳区's ledger (form)", False,
          lambda c, s: c.post("/projects/pipeline/new", {"region": "370115", "name": "矩阵招商项目", "unit": "370115D03",
                                                         "capital": "domestic", "lead_on": "2020-04-01"}),
          {u: 302 for u in LEDGER_KEEPERS}),
    Route("pipeline: add a lead to 济阳区's ledger (API)", True,
          lambda c, s: post_json(c, "/api/v1/projects/pipeline/leads", {"region": "370115", "name": "矩阵招商项目",
                                                                        "unit": "370115D03", "capital": "内资"}),
          {u: 201 for u in LEDGER_KEEPERS}),
    Route("pipeline: move 预制菜加工项目 to 签约 with its contract (form)", False,
          lambda c, s: c.post(f"/projects/pipeline/l/{lead_pk('预制菜加工项目')}/stage", {
              "stage": "signed", "day": "2020-04-10", "contract_investment": "5000", "evidence": lead_pdf()}),
          {u: 302 for u in LEDGER_KEEPERS | {"sun_jiedao"}}, refused=404, refused_as=LEDGER_READERS),
    Route("pipeline: move 预制菜加工项目 to 签约 with its contract (API)", True,
          lambda c, s: c.post(f"/api/v1/projects/pipeline/leads/{lead_pk('预制菜加工项目')}/stages", {
              "stage": "签约", "day": "2020-04-10", "contract_investment": "5000", "evidence": lead_pdf()}),
          {u: 201 for u in LEDGER_KEEPERS | {"sun_jiedao"}}, refused=404, refused_as=LEDGER_READERS),
    Route("pipeline: correct 新加坡物流园's 签约 day (form)", False,
          lambda c, s: c.post(f"/projects/pipeline/stages/{lead_stage_pk('新加坡物流园', 'signed')}/correct",
                              {"day": "2020-01-11", "correction_note": "按合同落款日期"}),
          {u: 302 for u in LEDGER_KEEPERS}, refused=404, refused_as={**LEDGER_READERS, "sun_jiedao": 403}),
    Route("pipeline: record 新加坡物流园's April dollars (form)", False,
          lambda c, s: c.post(f"/projects/pipeline/l/{lead_pk('新加坡物流园')}/funds",
                              {"period": "2020-04", "capital": "foreign", "usd": "100", "rate": "7.05"}),
          {u: 302 for u in LEDGER_KEEPERS}, refused=404, refused_as={**LEDGER_READERS, "sun_jiedao": 403}),
    Route("pipeline: record 新加坡物流园's April dollars (API)", True,
          lambda c, s: post_json(c, f"/api/v1/projects/pipeline/leads/{lead_pk('新加坡物流园')}/arrivals",
                                 {"period": "2020-04", "capital": "外资", "usd": 100, "rate": 7.05}),
          {u: 201 for u in LEDGER_KEEPERS}, refused=404, refused_as={**LEDGER_READERS, "sun_jiedao": 403}),
    # The pools' workflow (#24): 发改局 asks to 增补/退库 (readers of the project 403, the others 404); a leader of 济阳区
    # (or an administrator) decides 发改局's pending 退库 of 智能装备产业园, never the one who asked; 要素保障 problems are
    # raised by whoever reports the project and solved by the unit that must solve it (商务局) or 发改局.
    Route("projects: ask to 退库 新材料项目 (form)", False,
          lambda c, s: c.post(f"/projects/p/{s.projects.p1.pk}/move", {"kind": "withdraw", "reason": "暂缓建设"}),
          {u: 302 for u in POOL_MANAGERS}, refused=404, refused_as={**PROJECT_READERS, "zhou_shangwu": 403}),
    Route("projects: ask to 退库 新材料项目 (API)", True,
          lambda c, s: post_json(c, f"/api/v1/projects/projects/{s.projects.p1.pk}/moves",
                                 {"kind": "withdraw", "reason": "暂缓建设"}),
          {u: 201 for u in POOL_MANAGERS}, refused=404, refused_as={**PROJECT_READERS, "zhou_shangwu": 403}),
    Route("projects: approve 智能装备产业园's 退库 (form)", False,
          lambda c, s: c.post(f"/projects/moves/{s.projects.move.pk}/decide", {"decision": "approve"}),
          {u: 302 for u in ("wang_admin", "sun_leader")}, refused=404,
          refused_as={u: 403 for u in ("zhao_fagai", "li_ducha", "qian_tongji", "jiyang_admin", "zheng_caizheng")}),
    Route("projects: refuse 智能装备产业园's 退库 (API)", True,
          lambda c, s: post_json(c, f"/api/v1/projects/moves/{s.projects.move.pk}/decision",
                                 {"decision": "refuse", "note": "继续推进"}),
          {u: 200 for u in ("wang_admin", "sun_leader")}, refused=404,
          refused_as={u: 403 for u in ("zhao_fagai", "li_ducha", "qian_tongji", "jiyang_admin", "zheng_caizheng")}),
    Route("projects: raise a 要素保障 problem on 新材料项目 (form)", False,
          lambda c, s: c.post(f"/projects/p/{s.projects.p1.pk}/problems", {"kind": "eia", "level": "city",
                                                                            "unit": "370115D03", "deadline": "2020-05-10",
                                                                            "text": "环评批复待市局办理"}),
          {u: 302 for u in PROJECT_REPORTERS}, refused=404, refused_as=PROJECT_READERS),
    Route("projects: raise a 要素保障 problem on 新材料项目 (API)", True,
          lambda c, s: post_json(c, f"/api/v1/projects/projects/{s.projects.p1.pk}/problems",
                                 {"kind": "eia", "level": "city", "unit": "370115D03", "deadline": "2020-05-10",
                                  "text": "环评批复待市局办理"}),
          {u: 201 for u in PROJECT_REPORTERS}, refused=404, refused_as=PROJECT_READERS),
    Route("projects: solve 新材料项目's 用地 problem (form)", False,
          lambda c, s: c.post(f"/projects/problems/{s.projects.problem.pk}/solve", {"solution": "指标已落实"}),
          {u: 302 for u in PROJECT_REPORTERS}, refused=404, refused_as=PROJECT_READERS),
    Route("projects: solve 新材料项目's 用地 problem (API)", True,
          lambda c, s: post_json(c, f"/api/v1/projects/problems/{s.projects.problem.pk}/solve", {"solution": "指标已落实"}),
          {u: 200 for u in PROJECT_REPORTERS}, refused=404, refused_as=PROJECT_READERS),
    # 组织机构
    Route("orgs: add a person with an account", False,
          lambda c, s: c.post("/orgs/people/add", {"username": "xin_ren", "password": "Xin-ren-2020!", "full_name": "新人",
                                                   "unit": "370115D03", "role": "unit", "scope": "370115D03"}),
          {"wang_admin": 302, "jiyang_admin": 302}),
    Route("orgs: grant a role", False,
          lambda c, s: c.post(f"/orgs/people/{s.cast.zhou_shangwu.pk}/role", {"role": "leader", "scope": "370115"}),
          {"wang_admin": 302, "jiyang_admin": 302}),
    Route("orgs: grant 周商务 a global admin role", False,
          lambda c, s: c.post(f"/orgs/people/{s.cast.zhou_shangwu.pk}/role", {"role": "admin", "scope": ""}),
          {"wang_admin": 302}),
    Route("orgs: switch off 马区长's account (历下区)", False,
          lambda c, s: c.post(f"/orgs/people/{s.cast.ma_lixia.pk}/role", {"active": "0"}),
          {"wang_admin": 302, "lixia_admin": 302}),
    Route("orgs: reset 周商务's password (one-time password)", False,
          lambda c, s: c.post(f"/orgs/people/{s.cast.zhou_shangwu.pk}/password"), {"wang_admin": 302, "jiyang_admin": 302}),
    Route("orgs: reset 王管理's password (a global administrator)", False,
          lambda c, s: c.post(f"/orgs/people/{s.cast.wang_admin.pk}/password"), {},
          refused_as={"wang_admin": 302}),  # not one's own on the people page (a message, nothing changed)
    Route("orgs: reset 济阳管理's password (济阳区's administrator)", False,
          lambda c, s: c.post(f"/orgs/people/{s.cast.jiyang_admin.pk}/password"), {"wang_admin": 302},
          refused_as={"jiyang_admin": 302}),
    Route("orgs: import units", False,
          lambda c, s: c.post("/orgs/import/", {"file": upload("单位.csv", csv_bytes(
              [["代码", "名称", "类别", "上级代码"], ["370115D09", "区审计局", "区直部门", "370115"]]))}),
          {"wang_admin": 302, "jiyang_admin": 302}, refused_as={"lixia_admin": 400}),
    # 放假安排: a global administrator only (the calendar is the whole installation's)
    Route("holidays: load 2027's 放假安排", False,
          lambda c, s: c.post("/holidays/load", {"step": "save", "year": "2027", "text": "一、元旦：1月1日（周五）放假，共1天。"}),
          {"wang_admin": 302}),
    # 结果运用: 济阳区's office (and an administrator) proposes, its leader decides; thresholds by the office or an
    # administrator of the county; adjustments proposed by the office, approved by the leader; 典型经验 written by the
    # unit only in a month it is 先进 (商务局 is not in March 2020: refused for everyone), adopted by the office.
    Route("supervision: propose a consequence from the 倒查 chain (form)", False,
          lambda c, s: c.post("/supervision/consequences/propose", {"task": s.plan.t2.pk, "unit": s.cast.units.caizheng.pk,
                                                                    "kind": "talk", "reason": "请说明滞后原因"}),
          {u: 302 for u in JIYANG_OFFICE}),
    Route("supervision: propose a consequence (API)", True,
          lambda c, s: post_json(c, "/api/v1/supervision/consequences", {"unit": "370115D04", "kind": "interview",
                                                                         "reason": "两次逾期答复", "task": s.plan.t2.pk}),
          {u: 201 for u in JIYANG_OFFICE}),
    Route("supervision: the leader approves a proposal (form)", False,
          lambda c, s: c.post(f"/supervision/consequences/{s.consequence.pk}/decide", {"action": "approve"}),
          {"sun_leader": 302}),
    Route("supervision: the leader refuses a proposal (API)", True,
          lambda c, s: post_json(c, f"/api/v1/supervision/consequences/{s.consequence.pk}/decide",
                                 {"approve": False, "note": "已整改到位"}),
          {"sun_leader": 200}),
    Route("supervision: change 济阳区's trigger settings", False,
          lambda c, s: c.post("/supervision/consequences/settings/", {
              "region": "370115", "late_notices": "3", "late_window_days": "180", "late_kind": "talk", "red_periods": "2",
              "red_kind": "criticism"}),
          {u: 302 for u in JIYANG_OFFICE | {"jiyang_admin"}}),
    Route("supervision: propose a league adjustment (form)", False,
          lambda c, s: c.post("/supervision/league/adjustments/propose", {
              "region": "370115", "period": "2020-03", "unit": s.cast.units.shangwu.pk, "points": "2", "reason": "急难任务"}),
          {u: 302 for u in JIYANG_OFFICE}),
    Route("supervision: propose a league adjustment (API)", True,
          lambda c, s: post_json(c, "/api/v1/supervision/league/adjustments", {
              "region": "370115", "period": "2020-03", "unit": "370115D03", "points": -2, "reason": "材料报送不及时"}),
          {u: 201 for u in JIYANG_OFFICE}),
    Route("supervision: the leader approves a league adjustment (form)", False,
          lambda c, s: c.post(f"/supervision/league/adjustments/{s.adjustment.pk}/decide", {"action": "approve"}),
          {"sun_leader": 302}),
    Route("supervision: the leader refuses a league adjustment (API)", True,
          lambda c, s: post_json(c, f"/api/v1/supervision/league/adjustments/{s.adjustment.pk}/decide",
                                 {"approve": False, "note": "不重复加分"}),
          {"sun_leader": 200}),
    Route("supervision: 商务局's 典型经验 for March 2019 (nothing assessed: not 先进)", False,
          lambda c, s: c.post(f"/supervision/league/experience/2019-03/{s.cast.units.shangwu.pk}/", {"title": "t", "text": "x"}),
          {}, refused_as={"zhou_shangwu": 400}),
    Route("supervision: adopt 商务局's 典型经验", False,
          lambda c, s: c.post(f"/supervision/league/experience/{s.experience.pk}/adopt"),
          {u: 302 for u in JIYANG_OFFICE}),
    # 账号与消息
    Route("web: create one's own API token", False,
          lambda c, s: c.post("/account/tokens/new", {"name": "我的令牌"}),
          {u: 302 for u in USERS if u != "anonymous"}),
    Route("web: change one's own password", False,
          lambda c, s: c.post("/account/password/", {"old_password": s.cast.password, "new_password1": "Xin-mima-2020!",
                                                     "new_password2": "Xin-mima-2020!"}),
          {u: 302 for u in USERS if u != "anonymous"}),
    Route("web: revoke 王管理's API token", False,
          lambda c, s: c.post(f"/account/tokens/{s.admin_token.pk}/revoke"), {"wang_admin": 302}, refused=404),
    Route("notify: add a 工作群 robot to 商务局 on the page", False,
          lambda c, s: c.post("/inbox/robots/add", {"owner": "370115D03", "kind": "dingtalk", "secret": "SECmatrix",
                                                    "url": "https://oapi.dingtalk.com/robot/send?access_token=matrix"}),
          {"wang_admin": 302, "jiyang_admin": 302}),
    Route("notify: add a robot to 济阳区 by API", True,
          lambda c, s: post_json(c, "/api/v1/notify/robots", {"owner": "370115", "kind": "wecom",
                                                             "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=m"}),
          {"wang_admin": 201, "jiyang_admin": 201}),
    Route("notify: switch 商务局's robot off by API", True,
          lambda c, s: post_json(c, f"/api/v1/notify/robots/{s.robot.pk}/active", {"active": False}),
          {"wang_admin": 200, "jiyang_admin": 200}),
    Route("notify: delete 商务局's robot on the page", False,
          lambda c, s: c.post(f"/inbox/robots/{s.robot.pk}/delete"), {"wang_admin": 302, "jiyang_admin": 302}),
    Route("notify: resend a failed message (重新发送)", False,
          lambda c, s: c.post(f"/inbox/outbox/{s.failed_message.pk}/resend"), {"wang_admin": 302}),
    Route("notify: save one's own 消息设置", False,
          lambda c, s: c.post("/inbox/settings/", {"email": "me@example.cn", "email_kind": "notice"}),
          {u: 302 for u in USERS if u != "anonymous"}),
    Route("notify: mark 周商务's messages read", False,
          lambda c, s: c.post("/inbox/"), {"zhou_shangwu": 302},
          refused_as={u: 302 for u in USERS if u not in ("zhou_shangwu", "anonymous")}),
]


def database_state():
    """Every row of the app's tables (and accounts), less what signing in or calling the API touches by itself."""
    state = {}
    skip = {("orgs", "apitoken"): {"last_used_at"}, ("auth", "user"): {"last_login"}}
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in {"orgs", "audit", "indicators", "work", "daily", "notify", "web", "briefings", "breakdown", "supervision",
                         "holidays", "projects"} \
                and model._meta.label != "auth.User":
            continue
        leave_out = skip.get((label, model._meta.model_name), set())
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in leave_out]
        state[model._meta.label] = list(model.objects.order_by("pk").values_list(*names))
    return state


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction that each case's own transaction nests in (a savepoint rolled
    back after the case) and that is rolled back after the last case. """
    from django.db import transaction

    from tests.conftest import FAST_HASHERS, build_cast, load_cast

    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel("2020-04-14 09:00 +0800", tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            built = build_scene(load_cast() or build_cast())
        yield built
        transaction.set_rollback(True)


def build_scene(cast):
    """济阳区's plan (tests/work/conftest.py) with one report by the lead unit, task 4 led by 曲堤镇 (no account),
    合村并点's plan set and 财政局's pending request to move 2.1, the indicator catalog (商务局 answers for 实际利用外资,
    统计局, without a unit account, for GDP), 济阳区's daily form,
    one unread message for 周商务, an API token of 王管理's, the office's proposal about 财政局 (pending), its +3 for
    财政局 in March (pending) and 商务局's 典型经验 for March."""
    from types import SimpleNamespace

    add_lixia_office(cast)
    add_region_admins(cast)
    plan = build_plan(cast)
    lead_report = work_services.submit_report(cast.zhou_shangwu, plan.t1, percent=30, done_text="洽谈中")
    t4, _ = work_services.save_task(None, campaign=plan.zs, number="4", title="曲堤镇安置区配套", lead_unit=cast.units.other_town,
                                    start=date(2020, 3, 1), deadline=date(2020, 6, 30))  # 曲堤镇 has no account: 代报
    work_services.set_plan(cast.wang_admin, plan.hc)
    pending_request = work_services.request_rebaseline(cast.zheng_caizheng, milestone=plan.m21, new_due=date(2020, 4, 30),
                                                       reason="选址论证延后")
    indicator_services.ensure_catalog()
    catalog = {i.code: i for i in Indicator.objects.all()}
    indicator_services.save_responsibilities(None, [
        {"region_id": cast.jiyang.pk, "indicator_id": catalog["fdi"].pk, "unit_id": cast.units.shangwu.pk},
        {"region_id": cast.jiyang.pk, "indicator_id": catalog["gdp"].pk, "unit_id": cast.units.tongji.pk}])
    meeting = briefing_services.open_meeting(None, title="2020年一季度经济形势分析会", held_on="2020-04-20",
                                             region=cast.jiyang, period="2020-03", sections_due="2020-04-15")
    form = daily_services.define_form(cast.li_ducha, code="yiqing", title="疫情防控日报", region=cast.jiyang, fields=FIELDS)
    daily_services.assign_villages(cast.li_ducha, form, ["370115001"], date(2020, 4, 1))
    notify_services.queue_message(cast.zhou_shangwu, "请报送进度")
    notify_services.dispatch()
    robot = notify_services.add_robot(None, kind="wecom", unit=cast.units.shangwu,
                                      url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=scene-key")
    failed_message, _ = notify_services.queue_robot(robot, "发送失败的提醒")
    type(failed_message).objects.filter(pk=failed_message.pk).update(status="failed", error="机器人返回 HTTP 500")
    admin_token, _ = org_services.create_api_token(cast.wang_admin, cast.wang_admin, "王管理的令牌")
    build_pipeline(cast)  # 济阳区's 招商 ledger (tests/projects/pipeline/leads.py)
    projects = build_projects(cast)
    projects.march = projects.p1.reports.get(period=date(2020, 3, 1))
    projects.move = project_services.request_move(cast.zhao_fagai, projects.p2, kind="withdraw", reason="资金未落实")
    projects.problem = project_services.raise_problem(cast.zhao_fagai, projects.p1, kind="land", level="district",
                                                      unit=cast.units.shangwu, deadline=date(2020, 4, 30),
                                                      text="用地指标未落实")
    reading = breakdown_services.read_plan(cast.li_ducha, data=breakdown_documents.word_table(BREAKDOWN_ROWS),
                                           filename="方案.docx", region=cast.jiyang, year=2020)
    closure = work_services.request_closure(cast.zheng_caizheng, plan.t2, note="选址已完成",
                                            attachments=[upload("选址批复.pdf", b"%PDF-1.4 approval")])
    plan_2021 = breakdown_services.read_plan(cast.li_ducha, data=breakdown_documents.word_table(TARGET_ROWS),
                                             filename="2021方案.docx", region=cast.jiyang, year=2021)
    breakdown_services.save_reading(cast.li_ducha, plan_2021)
    breakdown_plan = BreakdownPlan.objects.get(region=cast.jiyang, year=2021)
    target_link = TargetLink.objects.create(item=breakdown_plan.items.get(), indicator_code="gdp", growth=6.5,
                                            phrase="地区生产总值增长6.5%左右")
    consequence = consequence_services.propose(cast.li_ducha, unit=cast.units.caizheng, kind="interview",
                                               reason="完成选址滞后", task=plan.t2)
    adjustment = consequence_services.propose_adjustment(cast.li_ducha, region=cast.jiyang, unit=cast.units.caizheng,
                                                         period=date(2020, 3, 1), points=3, reason="急难任务成效突出")
    experience = Experience.objects.create(region=cast.jiyang, unit=cast.units.shangwu, period=date(2020, 3, 1),
                                           version=1, title="专班推进", text="一企一策")  # as if 先进 in March
    return SimpleNamespace(cast=cast, plan=plan, projects=projects, consequence=consequence, adjustment=adjustment,
                           experience=experience, reading=reading, t4=t4, lead_report=lead_report, admin_token=admin_token,
                           pending_request=pending_request, meeting=meeting, robot=robot, closure=closure,
                           breakdown_plan=breakdown_plan, target_link=target_link,
                           failed_message=failed_message)


def client_as(cast, username, api):
    if username == "anonymous":
        return Client()
    user = getattr(cast, username)
    if api:
        _, raw = org_services.create_api_token(user, user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("username", [
    # The region-scoped administrators (security round two) are checked on both databases; the other roles' cases
    # depend on luoshi's rules only and run once.
    pytest.param(u, marks=pytest.mark.both_databases) if u.endswith("_admin") and u != "wang_admin" else u
    for u in USERS])
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_each_role_writes_only_where_it_may(route, username, scene):
    with time_machine.travel("2020-04-14 09:00 +0800", tick=False):
        client = client_as(scene.cast, username, route.api)
        before = database_state()
        response = route.send(client, scene)
        status, changes = route.expected(username)
        assert response.status_code == status, response.content.decode()[:500]
        after = database_state()
        if changes:
            assert after != before, f"{username}: {route.name} answered {status} but saved nothing"
        else:
            changed = [label for label in before if before[label] != after[label]]
            assert not changed, f"{username} was refused {route.name} but these tables changed: {changed}"
