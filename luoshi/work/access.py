"""Who may see and change key work. The only place that decides; views, API and services ask here.

- administrators: everything;
- supervision office (督查室): reads tasks in its region and manages the plan there;
- leaders, analysis and statistics offices: read tasks whose lead unit is in their region;
- a unit: reads every task it takes part in, reports only where it is lead or responsible unit, and corrects
  only its own unit's reports (an administrator reports and corrects as the task's lead unit);
- 代报: the office that manages a task's plan reports (and corrects) for a lead or responsible unit of its region
  that has no account, recorded as such (proxy_refusal); a unit with an account reports itself.

A person may hold several roles (发改局's head: the analysis office of the district and the unit role of 发改局):
each question here takes every role into account, and a unit is reported for only through the unit role.

Managing the plan is scoped to the office's region. A task belongs to the region of its lead unit: an office
changes (re-baselines, imports over) only tasks whose lead unit is inside its region, and gives a task only lead
and responsible units inside its region (cooperating units may come from elsewhere: they only read). A campaign
(攻坚战) has no region of its own and may hold tasks of several districts: an office changes it (sets its plan,
its report cycle, its order) only when every one of its tasks has its lead unit inside the office's region;
a campaign without tasks any supervision office may change; administrators change every campaign.
The decisions of an economic analysis meeting (会议确定事项, Campaign.source "meeting", recorded by luoshi.briefings)
are managed by the analysis office (发改局) of their region as well — those campaigns only; so are a region's key
projects (重点项目, Campaign.source "project", kept by luoshi.projects: a task per project with its 开工 and 竣工 nodes).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.access import access_for, has_account, units_with_accounts
from luoshi.orgs.models import REGION_ROLES, Role
from luoshi.work.models import REPORTING_ROLES, Campaign, Milestone, Task, TaskRole, TaskUnit


# The roles that hold a region's tasks to account: the supervision office and the leaders (by the lead unit's region).
OVERSIGHT_ROLES = frozenset({Role.SUPERVISION, Role.LEADER})


def _task_filter(user, region_roles, unit_roles=None) -> Q:
    """A Q on Task: the tasks whose lead unit is inside a region the user holds one of `region_roles` in, and those
    one of the user's units takes part in (in one of `unit_roles`; None: any part)."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = Q(pk__in=[])
    if any(a.role in region_roles and a.region_id for a in access.assignments):
        q |= access.region_filter("lead_unit__region__code", roles=region_roles)
    unit_ids = [u.pk for u in access.units_for(Role.UNIT)]
    if unit_ids:
        parts = TaskUnit.objects.filter(unit_id__in=unit_ids)
        if unit_roles is not None:
            parts = parts.filter(role__in=unit_roles)
        q |= Q(pk__in=parts.values("task_id"))
    return q


def task_filter(user) -> Q:
    """A Q on Task that keeps the tasks this user may read."""
    return _task_filter(user, REGION_ROLES)


def visible_tasks(user):
    return Task.objects.filter(task_filter(user))


def accountable_task_filter(user) -> Q:
    """A Q on Task that keeps the tasks this user answers for or holds to account: a supervision office's and a
    leader's, those of their region (OVERSIGHT_ROLES); a unit's, those it leads or is responsible for (REPORTING_ROLES;
    a cooperating unit only reads the task). Administrators: every task. Supervision's 倒查 chains ask this."""
    return _task_filter(user, OVERSIGHT_ROLES, REPORTING_ROLES)


def accountable_tasks(user):
    return Task.objects.filter(accountable_task_filter(user))


def task_or_404(pk):
    """The task with its campaign, lead unit (and its region) and leader, whoever asks; Http404 when there is none.
    Who may read it is asked next: get_task_for_user, or the other rooms' own questions built on the filters above."""
    task = Task.objects.select_related("campaign", "lead_unit__region", "leader").filter(pk=pk).first()
    if task is None:
        raise Http404(f"重点任务 {pk} 不存在")
    return task


def milestone_or_404(pk):
    """The milestone, whoever asks; Http404 when there is none (who may read it: its task's question)."""
    milestone = Milestone.objects.select_related("task").filter(pk=pk).first()
    if milestone is None:
        raise Http404(f"节点 {pk} 不存在")
    return milestone


def can_read_work(user) -> bool:
    access = access_for(user)
    return access.is_admin or bool(access.roles & (REGION_ROLES | {Role.UNIT}))


def plan_roles(campaign=None):
    """The roles that manage this campaign's plan: the supervision office; for a meeting's decisions and a region's
    key projects also the analysis office."""
    if campaign is not None and campaign.source in ("meeting", "project"):
        return {Role.SUPERVISION, Role.ANALYSIS}
    return {Role.SUPERVISION}


def can_manage_plan(user, campaign=None) -> bool:
    """Whether the user manages some plan at all (an office or an administrator); each object is checked below."""
    return access_for(user).has_role(*plan_roles(campaign))


def require_plan_manager(user, campaign=None):
    if not can_manage_plan(user, campaign):
        raise PermissionDenied("只有督查室可以管理重点工作计划")


def managed_region_filter(user, field="lead_unit__region__code", campaign=None) -> Q:
    """A Q keeping the objects whose region (by `field`, a region code) is inside the user's supervision regions:
    everything for administrators, nothing for anyone without the supervision role."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    return access.region_filter(field, roles=plan_roles(campaign))


def can_manage_unit(user, unit, campaign=None) -> bool:
    """Whether the user may make this unit a task's lead or responsible unit (the unit is in the office's region)."""
    return access_for(user).covers_region(unit.region, roles=plan_roles(campaign))


def can_manage_task(user, task) -> bool:
    """Whether the user may change this task's plan (its units, milestones, due dates)."""
    return can_manage_unit(user, task.lead_unit, task.campaign)


def can_manage_campaign(user, campaign) -> bool:
    access = access_for(user)
    if access.is_admin:
        return True
    if not access.has_role(*plan_roles(campaign)):
        return False
    return not campaign.tasks.exclude(managed_region_filter(user, campaign=campaign)).exists()


def manageable_campaign_ids(user, campaign_ids):
    """Of these campaigns, the ids the user may change (can_manage_campaign for many, in one query)."""
    if not can_manage_plan(user):
        return set()
    foreign = set(Task.objects.filter(campaign_id__in=campaign_ids).exclude(managed_region_filter(user))
                  .values_list("campaign_id", flat=True))
    return set(campaign_ids) - foreign


def require_task_manager(user, task):
    if not can_manage_task(user, task):
        raise PermissionDenied(f"重点任务「{task.number} {task.title}」不在您所管理的地区，您无权调整其计划")


def require_campaign_manager(user, campaign):
    if not can_manage_campaign(user, campaign):
        raise PermissionDenied(f"攻坚战「{campaign.name}」含有您所管理地区以外的重点任务，您无权修改")


def get_campaign_for_user(user, pk, write=False):
    """The campaign (write: to change its plan or report cycle); else 404 / 403."""
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        raise Http404("攻坚战不存在")
    if write:
        require_plan_manager(user)
        require_campaign_manager(user, campaign)
    elif not can_read_work(user):
        raise PermissionDenied("您无权查看重点工作")
    return campaign


def get_milestone_for_user(user, pk, write=False):
    """The milestone if the user may read its task (write: change its plan); else 404 / 403."""
    milestone = milestone_or_404(pk)
    task = get_task_for_user(user, milestone.task_id)
    if write:
        require_plan_manager(user)
        require_task_manager(user, task)
    milestone.task = task
    return milestone


def _task_reporting_units(task):
    """{unit id: unit} of the task's lead and responsible units."""
    return {tu.unit_id: tu.unit for tu in task.task_units.filter(role__in=REPORTING_ROLES).select_related("unit__region")}


def reporting_units(user, task):
    """The units in whose name this user may report on the task (its lead and responsible units the user holds the
    unit role for; a person's other roles — a village reporter's, an office's — report for nobody here)."""
    access = access_for(user)
    if access.is_admin:
        return [task.lead_unit]
    roles = _task_reporting_units(task)
    own = {u.pk for u in access.units_for(Role.UNIT)}
    return [roles[uid] for uid in sorted(own & set(roles))]


# 代报: the office that manages the task's plan (the supervision office; for a meeting's decisions also the analysis
# office: plan_roles) enters a progress report for a lead or responsible unit of the task inside its region that has
# no account (orgs.access.units_with_accounts); a unit with an account reports itself. The report says so
# (ProgressReport.proxy_label) wherever it is shown.

def proxy_refusal(user, task, unit):
    """Why this user may not report on the task for this unit (a Chinese sentence), or None when they may."""
    access = access_for(user)
    roles = plan_roles(task.campaign)
    if not access.has_role(*roles):
        return "只有督查室可以为未开通账号的单位代报进度" if roles == {Role.SUPERVISION} else \
            "只有督查室和发改局（经济分析）可以为未开通账号的单位代报会议确定事项的进度"
    if unit.pk not in _task_reporting_units(task):
        return f"「{unit.name}」不是重点任务「{task.number} {task.title}」的牵头单位或责任单位，不能为其代报"
    if not access.covers_region(unit.region, roles=roles):
        return f"「{unit.name}」不在您所管理的地区，不能为其代报"
    if has_account(unit):
        return f"「{unit.name}」已开通账号，须由本单位自行报送，不能代报"
    return None


def require_proxy_reporter(user, task, unit):
    refusal = proxy_refusal(user, task, unit)
    if refusal is not None:
        raise PermissionDenied(refusal)


def proxy_units(user, task):
    """The task's lead and responsible units this user may report for (代报): those without an account, in the
    user's region, when the user's office manages the task's plan. Offered on the task page."""
    access = access_for(user)
    roles = plan_roles(task.campaign)
    if not access.has_role(*roles):
        return []
    units = [u for u in _task_reporting_units(task).values() if access.covers_region(u.region, roles=roles)]
    with_accounts = units_with_accounts([u.pk for u in units])
    return sorted((u for u in units if u.pk not in with_accounts), key=lambda u: u.code)


def can_correct_report(user, report) -> bool:
    """Only a version of one's own unit's report on the task may be corrected (an administrator: the lead unit's), or
    one of a unit the user may still report for (代报)."""
    if report.unit_id in {u.pk for u in reporting_units(user, report.task)}:
        return True
    return proxy_refusal(user, report.task, report.unit) is None


def reporting_task_ids(user):
    """Ids of the tasks this user's units may report on (a subquery)."""
    access = access_for(user)
    unit_ids = [u.pk for u in access.units_for(Role.UNIT)]
    return TaskUnit.objects.filter(unit_id__in=unit_ids, role__in=REPORTING_ROLES).values("task_id")


def get_task_for_user(user, pk, write=False):
    """The task if the user may read it (write: report on it); else 404 / 403."""
    task = task_or_404(pk)
    if not visible_tasks(user).filter(pk=task.pk).exists():
        raise PermissionDenied("您无权查看该重点任务")
    if write and not reporting_units(user, task):
        raise PermissionDenied("只有该任务的牵头单位或责任单位可以报送进度")
    return task


def require_reader(user):
    if not can_read_work(user):
        raise PermissionDenied("您无权查看重点工作")


# 调整计划 (re-baselining under approval; docs/rules.md §3). A unit (the task's lead or responsible unit) or the
# supervision office of the task's region asks; a leader of the region approves any request, the office approves
# the units' requests (its own requests and the import's need a leader); nobody decides a request they made or one
# made in the name of their own unit.

def rebaseline_units(user, task):
    """The units in whose name this user may ask to change the task's dates (its lead and responsible units the user
    works for, unit role)."""
    access = access_for(user)
    if Role.UNIT not in access.roles:
        return []
    own = {u.pk for u in access.units_for(Role.UNIT)}
    return [u for u in reporting_units(user, task) if u.pk in own]


def can_request_rebaseline(user, task) -> bool:
    return bool(rebaseline_units(user, task)) or (can_manage_plan(user) and can_manage_task(user, task))


def require_rebaseline_requester(user, task):
    """The unit in whose name the user asks (None: as the supervision office or an administrator); else 403."""
    units = rebaseline_units(user, task)
    if units:
        return units[0]
    if can_manage_plan(user) and can_manage_task(user, task):
        return None
    raise PermissionDenied(f"只有重点任务「{task.number} {task.title}」的牵头单位、责任单位或本地区督查室可以申请调整计划")


def rebaseline_approval_refusal(user, request):
    """Why this user may not decide this request (a Chinese sentence), or None when they may."""
    access = access_for(user)
    if not getattr(user, "is_authenticated", False):
        return "请先登录"
    if request.requested_by_id is not None and request.requested_by_id == user.pk:
        return "不能审批自己提出的调整计划申请"
    if request.unit_id is not None and request.unit_id in access.unit_ids:
        return f"申请单位「{request.unit.name}」的人员不能审批本单位的调整计划申请"
    task = request.target_task
    region = task.lead_unit.region
    if access.is_admin or access.covers_region(region, roles={Role.LEADER}):
        return None
    if access.covers_region(region, roles={Role.SUPERVISION}):
        if request.unit_id is None:
            return "督查室提出（或配档表导入产生）的调整计划申请须由区领导审批"
        return None
    return "只有该任务所在地区的领导或督查室可以审批调整计划申请"


def can_approve_rebaseline(user, request) -> bool:
    return rebaseline_approval_refusal(user, request) is None


def require_rebaseline_approver(user, request):
    refusal = rebaseline_approval_refusal(user, request)
    if refusal is not None:
        raise PermissionDenied(refusal)


def can_list_rebaselines(user) -> bool:
    return access_for(user).has_role(Role.LEADER, Role.SUPERVISION, Role.UNIT)


def rebaseline_filter(user) -> Q:
    """A Q on Rebaseline keeping the requests this user sees in the list: leaders and offices those of their region's
    tasks, a unit those made in its name (an administrator all)."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = Q(pk__in=[])
    roles = {Role.LEADER, Role.SUPERVISION}
    if access.roles & roles:
        q |= access.region_filter("milestone__task__lead_unit__region__code", roles=roles)
        q |= access.region_filter("task__lead_unit__region__code", roles=roles)
    unit_ids = [u.pk for u in access.units_for(Role.UNIT)]
    if unit_ids:
        q |= Q(unit_id__in=unit_ids)
    return q


def get_rebaseline_for_user(user, pk):
    """The request if the user sees it in the list or may read its task; else 404 / 403."""
    from luoshi.work.models import Rebaseline

    request = (Rebaseline.objects.select_related("milestone__task__lead_unit__region", "task__lead_unit__region", "unit",
                                                 "requested_by", "decided_by").filter(pk=pk).first())
    if request is None:
        raise Http404("调整计划申请不存在")
    if not Rebaseline.objects.filter(rebaseline_filter(user), pk=pk).exists():
        get_task_for_user(user, request.target_task.pk)  # 403 unless the user reads the task
    return request


# Two-tier reporting (docs/rules.md §3): a task's cooperating units (配合单位) send their input to its lead unit
# (work.models.CoopInput), the lead unit reports to the office drawing on them. Whoever reads the task reads the inputs
# (the chain is the task's story); only a cooperating unit's own people send or correct one, in its name.

def input_units(user, task):
    """The task's cooperating units in whose name this user sends inputs to the lead unit (unit role only)."""
    own = {u.pk for u in access_for(user).units_for(Role.UNIT)}
    return [tu.unit for tu in task.task_units.filter(role=TaskRole.COOPERATING, unit_id__in=own)
            .select_related("unit__region").order_by("unit__code")]


def require_input_sender(user, task, unit=None):
    """The unit the input is sent in the name of; 403 (Chinese) when the user sends for none (or not for `unit`)."""
    units = input_units(user, task)
    if not units:
        raise PermissionDenied(f"只有重点任务「{task.number} {task.title}」的配合单位可以向牵头单位报送")
    if unit is None:
        return units[0]
    if unit.pk not in {u.pk for u in units}:
        raise PermissionDenied(f"不能以「{unit.name}」的名义向牵头单位报送")
    return unit


def get_task_for_input(user, pk):
    """The task if the user may read it and send an input on it; else 404 / 403."""
    task = get_task_for_user(user, pk)
    require_input_sender(user, task)
    return task


# 销号 (closing a task with evidence): the task's lead unit asks (its people with the unit role; an administrator as
# the lead unit); the office that manages the task's plan (plan_roles, inside its region) or an administrator approves
# or returns it — never the person who asked, nor anyone of the asking unit.

def closure_units(user, task):
    """The units in whose name this user may ask to close the task: its lead unit, for its people (unit role) and
    administrators."""
    access = access_for(user)
    if access.is_admin or task.lead_unit_id in {u.pk for u in access.units_for(Role.UNIT)}:
        return [task.lead_unit]
    return []


def require_closure_requester(user, task):
    units = closure_units(user, task)
    if not units:
        raise PermissionDenied(f"只有重点任务「{task.number} {task.title}」的牵头单位可以申请销号")
    return units[0]


def closure_decision_refusal(user, closure):
    """Why this user may not decide this 销号 request (a Chinese sentence), or None when they may."""
    access = access_for(user)
    if not getattr(user, "is_authenticated", False):
        return "请先登录"
    if closure.requested_by_id is not None and closure.requested_by_id == user.pk:
        return "不能审核自己提出的销号申请"
    if not access.is_admin and closure.unit_id in {u.pk for u in access.units_for(Role.UNIT)}:
        return f"申请单位「{closure.unit.name}」的人员不能审核本单位的销号申请"
    task = closure.task
    if access.is_admin or (access.has_role(*plan_roles(task.campaign)) and can_manage_task(user, task)):
        return None
    return "只有该任务所在地区的督查室可以审核销号申请"


def require_closure_decider(user, closure):
    refusal = closure_decision_refusal(user, closure)
    if refusal is not None:
        raise PermissionDenied(refusal)


def closure_filter(user) -> Q:
    """A Q on Closure keeping the requests this user decides (the office's region; administrators all)."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    if not access.has_role(*plan_roles()):
        return Q(pk__in=[])
    return access.region_filter("task__lead_unit__region__code", roles=plan_roles())


def get_closure_for_user(user, pk):
    """The 销号 request if the user may read its task; else 404 / 403."""
    from luoshi.work.models import Closure

    closure = (Closure.objects.select_related("task__campaign", "task__lead_unit__region", "unit", "requested_by",
                                              "decided_by").filter(pk=pk).first())
    if closure is None:
        raise Http404("销号申请不存在")
    get_task_for_user(user, closure.task_id)
    return closure


def can_link_indicators(user, task) -> bool:
    """Whether the user may link the task to the indicators it serves (Task.indicator_codes): whoever manages its plan,
    and the analysis office of its region (which owns the indicators' targets)."""
    return can_manage_task(user, task) or access_for(user).covers_region(task.lead_unit.region, roles={Role.ANALYSIS})


def require_indicator_linker(user, task):
    if not can_link_indicators(user, task):
        raise PermissionDenied(f"只有督查室或本地区发改局可以为重点任务「{task.number} {task.title}」关联指标")
