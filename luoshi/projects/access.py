"""Who may see and change the project pools. The only place that decides; views, API, the importer and services ask.

- administrators: everything;
- the analysis office (发改局) manages the pools of its region: projects, year plans, funding, thresholds, the
  调度表 import, and reports (and corrects) any project's month there;
- leaders, the supervision and statistics offices (and a region's administrator) read their region's projects;
- a unit (a department or a town government) reads and reports the projects it is responsible for (责任单位); a town
  government also reads the projects located in its town;
- nobody else (a village reporter, a person without a role, another region's office) sees them: 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.access import access_for
from luoshi.orgs.models import REGION_ROLES, Region, RegionLevel, Role
from luoshi.projects.models import Project

MANAGERS = {Role.ANALYSIS}


def project_filter(user) -> Q:
    """A Q on Project keeping what the user may read."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = Q(pk__in=[])
    if any(a.role in REGION_ROLES and a.region_id for a in access.assignments):
        q |= access.region_filter("region__code", roles=REGION_ROLES)
    units = access.units_for(Role.UNIT)
    if units:
        q |= Q(unit_id__in=[u.pk for u in units]) | Q(town_id__in=[u.region_id for u in units])
    return q


def visible_projects(user):
    return Project.objects.filter(project_filter(user))


def can_read_projects(user) -> bool:
    access = access_for(user)
    return access.is_admin or bool(access.roles & (REGION_ROLES | {Role.UNIT}))


def require_reader(user):
    if not can_read_projects(user):
        raise PermissionDenied("您无权查看重点项目")


def can_manage_region(user, region) -> bool:
    """Whether the user manages this region's pools (the analysis office of it or above, an administrator)."""
    return access_for(user).covers_region(region, roles=MANAGERS)


def can_manage_some_pool(user) -> bool:
    return access_for(user).has_role(*MANAGERS)


def require_region_manager(user, region):
    if not can_manage_region(user, region):
        raise PermissionDenied(f"只有{region.name}的发展和改革局可以管理该地区的重点项目库")


def managed_regions(user):
    """The county regions whose pools the user manages (for the import page's choice)."""
    from luoshi.orgs.models import Region, RegionLevel

    access = access_for(user)
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    if access.is_admin:
        return counties
    return counties.filter(access.region_filter("code", roles=MANAGERS))


def reporting_unit_ids(user):
    return {u.pk for u in access_for(user).units_for(Role.UNIT)}


def can_report(user, project) -> bool:
    """Whether the user reports this project's month: its 责任单位, the region's analysis office, an administrator."""
    return project.unit_id in reporting_unit_ids(user) or can_manage_region(user, project.region)


def can_read_region(user, region) -> bool:
    """Whether the user reads the whole region's table (who has not reported, the rates): the region roles."""
    return access_for(user).covers_region(region, roles=REGION_ROLES)


def require_region_reader(user, region):
    if not can_read_region(user, region):
        raise PermissionDenied(f"您无权查看{region.name}的重点项目调度情况")


def get_city_for_user(user, code):
    """A city whose ranking of its counties the user may read: one whose projects they read, or one holding a
    county whose projects they read (a county sees where it stands among its peers: totals and rates per county,
    never another county's projects); else 404 / 403."""
    city = Region.objects.filter(code=(code or "").strip()[:12], level=RegionLevel.CITY).first()
    if city is None:
        raise Http404(f"市 {code} 不存在")
    if not can_read_region(user, city) and not any(can_read_region(user, county)
                                                   for county in Region.objects.filter(parent=city)):
        raise PermissionDenied(f"您无权查看{city.name}各区县的重点项目排名")
    return city


def get_project_for_user(user, pk, write=False):
    """The project if the user may read it (write: report on it); Http404 when there is none or it is hidden,
    PermissionDenied when readable but not writable."""
    project = Project.objects.select_related("region", "unit", "town", "leader").filter(pk=pk).first()
    if project is None or not visible_projects(user).filter(pk=project.pk).exists():
        raise Http404(f"项目 {pk} 不存在")
    if write and not can_report(user, project):
        raise PermissionDenied("只有项目的责任单位或本地区发展和改革局可以报送该项目的调度情况")
    return project


def get_report_for_user(user, report):
    """The report's project, checked for reading (a photo's download)."""
    return get_project_for_user(user, report.project_id)


# The pools' workflow (docs/rules.md §9): the analysis office of the region asks for 增补 and 退库; a leader of the
# region (or an administrator) approves or refuses, never the person who asked. 要素保障 problems: raised by whoever
# reports the project (its 责任单位, the analysis office); solved by the unit that must solve it or the analysis office;
# the 调度会's list is read by whoever reads the region's table.

def can_request_move(user, project) -> bool:
    return can_manage_region(user, project.region)


def require_move_requester(user, project):
    if not can_request_move(user, project):
        raise PermissionDenied(f"只有{project.region.name}的发展和改革局可以申请项目增补、退库")


def move_decision_refusal(user, move):
    """Why this user may not decide this 增补/退库 request (a Chinese sentence), or None when they may."""
    if not getattr(user, "is_authenticated", False):
        return "请先登录"
    if move.requested_by_id is not None and move.requested_by_id == user.pk:
        return "不能审批自己提出的申请"
    access = access_for(user)
    if access.is_admin or access.covers_region(move.project.region, roles={Role.LEADER}):
        return None
    return f"只有{move.project.region.name}的区领导可以审批项目增补、退库"


def can_decide_move(user, move) -> bool:
    return move_decision_refusal(user, move) is None


def require_move_decider(user, move):
    refusal = move_decision_refusal(user, move)
    if refusal is not None:
        raise PermissionDenied(refusal)


def get_move_for_user(user, pk):
    """A pool move (or request) of a project the user reads; 404 otherwise."""
    from luoshi.projects.models import PoolMove

    move = PoolMove.objects.select_related("project__region", "requested_by", "decided_by").filter(pk=pk).first()
    if move is None or not visible_projects(user).filter(pk=move.project_id).exists():
        raise Http404("项目库调整申请不存在")
    return move


def can_raise_problem(user, project) -> bool:
    return can_report(user, project)


def require_problem_raiser(user, project):
    if not can_raise_problem(user, project):
        raise PermissionDenied("只有项目的责任单位或本地区发展和改革局可以提出要素保障问题")


def can_solve_problem(user, problem) -> bool:
    return problem.unit_id in reporting_unit_ids(user) or can_manage_region(user, problem.project.region)


def require_problem_solver(user, problem):
    if not can_solve_problem(user, problem):
        raise PermissionDenied(f"只有负责解决的单位「{problem.unit.name}」或本地区发展和改革局可以办结该问题")


def get_problem_for_user(user, pk, write=False):
    """The problem if the user reads its project (write: may solve it); Http404 / PermissionDenied."""
    from luoshi.projects.models import Problem

    problem = Problem.objects.select_related("project__region", "unit", "notice").filter(pk=pk).first()
    if problem is None:
        raise Http404("要素保障问题不存在")
    if not visible_projects(user).filter(pk=problem.project_id).exists() and \
            problem.unit_id not in reporting_unit_ids(user):
        raise Http404("要素保障问题不存在")
    if write:
        require_problem_solver(user, problem)
    return problem


def problem_filter(user) -> Q:
    """A Q on Problem: those of the projects the user reads, and those their units must solve."""
    q = Q(project__in=visible_projects(user).values("pk"))
    units = reporting_unit_ids(user)
    if units:
        q |= Q(unit_id__in=units)
    return q
