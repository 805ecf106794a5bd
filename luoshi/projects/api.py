"""重点项目 API: a region's 调度 status (the CLI's contract and more), the projects a person may read, one project with
every report version, the monthly report, the 调度表 import and export, projects and thresholds for 发改局."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from luoshi.core.dbrouter import reads_replica
from luoshi.core.exports import http_response
from luoshi.core.limits import read_upload
from luoshi.core.problems import Rejected
from luoshi.orgs.access import get_region_for_user
from luoshi.orgs.models import Unit
from luoshi.projects import access, queries, rules, services, transfers
from luoshi.projects.exports import ScheduleTable
from luoshi.projects.models import MonthlyReport

router = Router(tags=["重点项目"])

Amount = str | float | int


class ReportIn(Schema):
    period: str  # YYYY-MM
    amount: Amount  # 本月完成投资，万元
    progress: str = ""
    problems: str = ""
    corrects: int | None = None  # the id of the report version this corrects
    correction_note: str = ""


class ProjectIn(Schema):
    region: str
    name: str
    kind: str  # 新建 / 续建
    unit: str  # unit code
    total_investment: Amount
    year_plans: dict[str, Amount] = {}
    funding: dict[str, Amount] = {}
    category: str = ""
    industry: str = ""
    content: str = ""
    owner: str = ""
    leader_name: str = ""
    start_year: int | None = None
    end_year: int | None = None
    planned_start: str | None = None  # YYYY-MM
    started_on: date | None = None
    statistics_on: date | None = None


class ThresholdsIn(Schema):
    region: str
    yellow_gap: Amount | None = None
    red_gap: Amount | None = None
    start_yellow_months: int | None = None
    start_red_months: int | None = None
    statistics_yellow_months: int | None = None
    statistics_red_months: int | None = None


def _period(raw):
    return services.parse_month(raw, "调度月份（period）")


def _amount(value, label):
    amount, message = rules.parse_amount(value)
    if message:
        raise Rejected(f"{label}：{message}")
    if amount is None:
        raise Rejected(f"请填写{label}")
    return amount


def _num(value):
    return None if value is None else float(value)


def _row_out(row):
    return {"id": row["id"], "name": row["name"], "category": row["category"], "kind": row["kind_label"],
            "unit": row["unit"], "unit_code": row["unit_code"], "town": row["town"], "leader": row["leader"],
            "total_investment": _num(row["total_investment"]), "year_plan": _num(row["year_plan"]),
            "done_ytd": _num(row["done_ytd"]), "done_month": _num(row["done_month"]),
            "since_start": _num(row["since_start"]), "counted_ytd": _num(row["counted_ytd"]),
            "completion_rate": _num(row["completion"]), "gap": _num(row["gap"]), "light": row["light"],
            "reasons": row["reasons"], "started": row["started"], "in_statistics": row["in_statistics"],
            "reported": row["reported"], "progress": row["progress"], "problems": row["problems"]}


def _group_out(group):
    return {"name": group["name"], "count": group["count"], "year_plan": _num(group["year_plan"]),
            "done_ytd": _num(group["done_ytd"]), "completion_rate": _num(group["completion_rate"]),
            "light": group["light"], "lights": group["lights"], "to_start": group["to_start"],
            "started": group["started"], "start_rate": _num(group["start_rate"])}


def _region_for_reader(user, code):
    region = get_region_for_user(user, code)
    access.require_region_reader(user, region)
    return region


@router.get("/status", summary="某地区某月的调度情况：luoshi projects status --json 的字段，另加各项目明细、分组和未报送单位")
@reads_replica
def status(request, region: str, period: str):
    access.require_reader(request.user)
    state = queries.status(_region_for_reader(request.user, region), _period(period))
    t = state["thresholds"]
    return {**queries.contract(state), "region": state["region"].code,
            "rows": [_row_out(r) for r in state["projects"]],
            "by_unit": [_group_out(g) for g in state["by_unit"]], "by_town": [_group_out(g) for g in state["by_town"]],
            "by_leader": [_group_out(g) for g in state["by_leader"]], "missing": state["missing"],
            "thresholds": {"yellow_gap": float(t.yellow_gap), "red_gap": float(t.red_gap),
                           "start_yellow_months": t.start_yellow_months, "start_red_months": t.start_red_months,
                           "statistics_yellow_months": t.statistics_yellow_months,
                           "statistics_red_months": t.statistics_red_months}}


@router.get("/ranking", summary="某市各区县某月的重点项目投资完成率、开工率及排名（luoshi projects ranking --json）")
@reads_replica
def ranking(request, city: str, period: str):
    access.require_reader(request.user)
    return queries.ranking_contract(access.get_city_for_user(request.user, city), _period(period))


@router.get("/mine", summary="本人可见的项目（单位：本单位负责的和本镇的）某月的调度情况")
def mine(request, period: str):
    access.require_reader(request.user)
    month = _period(period)
    projects = access.visible_projects(request.user)
    rows = []
    for region in {p.region for p in projects.select_related("region")}:
        rows += [_row_out(r) for r in queries.status(region, month, projects=projects)["projects"]]
    return {"period": f"{month:%Y-%m}", "projects": rows}


def _report_out(r):
    return {"id": r.id, "project": r.project_id, "unit": r.unit.code, "period": f"{r.period:%Y-%m}", "series": r.series,
            "version": r.version, "is_current": r.is_current, "amount": float(r.amount), "progress": r.progress,
            "problems": r.problems, "correction_note": r.correction_note, "source": r.source,
            "submitted_at": r.submitted_at, "photos": [{"id": p.id, "name": p.name, "size": p.size} for p in r.photos.all()]}


@router.get("/projects/{project_id}", summary="一个项目：基本情况、资金构成、年度计划和全部调度记录（含被更正的版本）")
def project(request, project_id: int):
    item = access.get_project_for_user(request.user, project_id)
    return {"id": item.id, "region": item.region.code, "name": item.name, "category": item.category,
            "kind": item.kind_label, "industry": item.industry, "content": item.content, "unit": item.unit.code,
            "town": item.town.code if item.town_id else None, "owner": item.owner, "leader": item.leader_label,
            "total_investment": float(item.total_investment), "done_before": float(item.done_before),
            "start_year": item.start_year, "end_year": item.end_year,
            "planned_start": f"{item.planned_start:%Y-%m}" if item.planned_start else None,
            "started_on": item.started_on, "statistics_on": item.statistics_on, "completed_on": item.completed_on,
            "pool": item.pool, "source": item.source or None,
            "funding": {f.source: float(f.amount) for f in item.funding.all()},
            "year_plans": {str(p.year): float(p.planned) for p in item.year_plans.all()},
            "reports": [_report_out(r) for r in queries.project_history(item)]}


@router.post("/projects/{project_id}/reports", response={201: dict},
             summary="报送（或更正）一个项目某月的调度：本月完成投资（万元）、形象进度、存在问题")
def post_report(request, project_id: int, payload: ReportIn):
    item = access.get_project_for_user(request.user, project_id, write=True)
    corrects = None
    if payload.corrects is not None:
        corrects = MonthlyReport.objects.filter(pk=payload.corrects, project=item).first()
        if corrects is None:
            raise Http404("要更正的报告不存在")
    report = services.submit_report(request.user, item, period=_period(payload.period),
                                    amount=_amount(payload.amount, "本月完成投资"), progress=payload.progress,
                                    problems=payload.problems, corrects=corrects,
                                    correction_note=payload.correction_note, source="api")
    return Status(201, _report_out(report))


@router.post("/projects", summary="新增或修改项目库中的项目（按地区和项目名称；发改局）")
def save_project(request, payload: ProjectIn):
    region = get_region_for_user(request.user, payload.region)
    if not access.can_manage_region(request.user, region):
        raise PermissionDenied(f"只有{region.name}的发展和改革局可以管理该地区的重点项目库")
    unit = Unit.objects.filter(code=payload.unit[:32]).select_related("region").first()
    if unit is None:
        raise Rejected(f"单位 {payload.unit[:32]} 不存在")
    if payload.kind not in rules.KIND_BY_LABEL:
        raise Rejected("项目性质应为「新建」或「续建」")
    plans = {}
    for year, value in payload.year_plans.items():
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            raise Rejected(f"计划年度「{year[:10]}」应为四位年份")
        plans[int(year)] = _amount(value, f"{year}年计划投资")
    funding = {source: _amount(value, source) for source, value in payload.funding.items()}
    item, outcome = services.save_project(
        request.user, region=region, name=payload.name, kind=rules.KIND_BY_LABEL[payload.kind], unit=unit,
        total_investment=_amount(payload.total_investment, "总投资"), year_plans=plans, funding=funding or None,
        category=payload.category, industry=payload.industry, content=payload.content, owner=payload.owner,
        leader_name=payload.leader_name, leader=services.resolve_leader(payload.leader_name, region),
        start_year=payload.start_year, end_year=payload.end_year,
        planned_start=_period(payload.planned_start) if payload.planned_start else None,
        started_on=payload.started_on, statistics_on=payload.statistics_on)
    return {"id": item.id, "outcome": outcome}


@router.put("/thresholds", summary="设定一个地区的项目亮灯阈值（发改局）")
def put_thresholds(request, payload: ThresholdsIn):
    region = get_region_for_user(request.user, payload.region)
    values = {k: v for k, v in payload.dict().items() if k != "region" and v is not None}
    t = services.save_thresholds(request.user, region, **values)
    return {"region": region.code, "yellow_gap": float(t.yellow_gap), "red_gap": float(t.red_gap),
            "start_yellow_months": t.start_yellow_months, "start_red_months": t.start_red_months,
            "statistics_yellow_months": t.statistics_yellow_months, "statistics_red_months": t.statistics_red_months}


@router.post("/import", summary="导入调度表（multipart：file、region、period、dry_run）；先校验每一行，全部无误才保存")
def import_table(request, file: File[UploadedFile], region: Form[str], period: Form[str], dry_run: Form[bool] = False):
    access.require_reader(request.user)
    place = get_region_for_user(request.user, region)
    if not access.can_manage_region(request.user, place):
        raise PermissionDenied(f"只有{place.name}的发展和改革局可以导入该地区的重点项目调度表")
    return transfers.run_import(read_upload(file), region=place, period=_period(period), filename=file.name,
                                actor=request.user, dry_run=dry_run)


@router.get("/export", summary="导出某地区某月的调度表（format=xlsx 或 csv）")
@reads_replica
def export(request, region: str, period: str, format: str = "xlsx"):
    access.require_reader(request.user)
    return http_response(ScheduleTable(queries.status(_region_for_reader(request.user, region), _period(period))), format)


# The pools' workflow: 增补/退库 requests and decisions, 要素保障 problems -------------------------------------

class MoveIn(Schema):
    kind: str  # add (增补) / withdraw (退库)
    reason: str


class DecisionIn(Schema):
    decision: str  # approve / refuse
    note: str = ""


class ProblemIn(Schema):
    kind: str  # land, planning, eia, energy, funds, relocation, utilities, other
    level: str  # unit, district, city
    unit: str  # unit code
    deadline: str  # YYYY-MM-DD
    text: str


class SolveIn(Schema):
    solution: str
    solved_on: str | None = None


def _move_out(m):
    return {"id": m.id, "project": m.project_id, "kind": m.kind, "kind_label": m.get_kind_display(),
            "from_pool": m.from_pool or None, "to_pool": m.to_pool, "reason": m.reason, "status": m.status,
            "requested_at": m.requested_at, "decided_at": m.decided_at, "decision_note": m.decision_note,
            "moved_on": m.moved_on}


def _problem_out(p):
    return {"id": p["id"], "project": p["project_id"], "project_name": p["project"], "kind": p["kind"],
            "kind_label": p["kind_label"], "level": p["level"], "level_label": p["level_label"], "unit": p["unit"],
            "text": p["text"], "raised_on": p["raised_on"], "deadline": p["deadline"], "age": p["age"],
            "state": p["state"], "overdue": p["overdue"], "notice": p["notice"] or None,
            "solved_on": p["solved_on"], "solution": p["solution"]}


@router.get("/projects/{project_id}/moves", summary="一个项目进过的每个项目库和每项增补、退库申请（按时间）")
def project_moves(request, project_id: int):
    item = access.get_project_for_user(request.user, project_id)
    return {"project": item.id, "pool": item.pool, "moves": [_move_out(m) for m in queries.moves(item)]}


@router.post("/projects/{project_id}/moves", response={201: dict},
             summary="申请项目增补（谋划储备、已退库 → 在建）或退库（发改局；区领导审批后生效）")
def post_move(request, project_id: int, payload: MoveIn):
    item = access.get_project_for_user(request.user, project_id)
    access.require_move_requester(request.user, item)
    move = services.request_move(request.user, item, kind=payload.kind, reason=payload.reason)
    return Status(201, _move_out(move))


@router.post("/moves/{move_id}/decision", summary="审批增补、退库申请：approve 或 refuse（区领导；不予批准须填写理由）")
def post_decision(request, move_id: int, payload: DecisionIn):
    move = access.get_move_for_user(request.user, move_id)
    access.require_move_decider(request.user, move)
    if payload.decision == "approve":
        move = services.approve_move(request.user, move, payload.note)
    elif payload.decision == "refuse":
        move = services.refuse_move(request.user, move, payload.note)
    else:
        raise Rejected("decision 应为 approve（批准）或 refuse（不予批准）")
    return _move_out(move)


@router.get("/pending", summary="等待本人（区领导）审批的增补、退库申请")
def pending(request):
    access.require_reader(request.user)
    return [{"kind": i.kind, "label": i.kind_label, "title": i.title, "since": i.since, "url": i.url, "id": i.obj.pk}
            for i in queries.pending_for_leader(request.user)]


@router.post("/projects/{project_id}/problems", response={201: dict},
             summary="提出要素保障问题（项目的责任单位或发改局）")
def post_problem(request, project_id: int, payload: ProblemIn):
    item = access.get_project_for_user(request.user, project_id)
    access.require_problem_raiser(request.user, item)
    unit = Unit.objects.filter(code=payload.unit[:32]).select_related("region").first()
    problem = services.raise_problem(request.user, item, kind=payload.kind, level=payload.level, unit=unit,
                                     deadline=payload.deadline, text=payload.text)
    row = next(r for r in queries.problem_list(item.region, problem.raised_on, solved=True,
                                               projects=type(item).objects.filter(pk=item.pk))["rows"]
               if r["id"] == problem.pk)
    return Status(201, _problem_out(row))


@router.post("/problems/{problem_id}/solve", summary="办结要素保障问题（负责解决的单位或发改局）")
def post_solve(request, problem_id: int, payload: SolveIn):
    problem = access.get_problem_for_user(request.user, problem_id, write=True)
    problem = services.solve_problem(request.user, problem, solution=payload.solution, solved_on=payload.solved_on)
    return {"id": problem.pk, "state": problem.state, "solved_on": problem.solved_on, "solution": problem.solution}


@router.get("/problems", summary="某地区的要素保障问题清单（按等待时间排序；all=true 连同已解决的；format=xlsx 下载）")
@reads_replica
def problems(request, region: str, all: bool = False, format: str | None = None):
    from django.utils import timezone

    from luoshi.projects.exports import ProblemList

    access.require_reader(request.user)
    state = queries.problem_list(_region_for_reader(request.user, region), timezone.localdate(), solved=all)
    if format:
        return http_response(ProblemList(state), format)
    return {"region": region, "on": state["on"], "open": state["open"], "overdue": state["overdue"],
            "problems": [_problem_out(r) for r in state["rows"]]}
