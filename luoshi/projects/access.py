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
from luoshi.orgs.models import REGION_ROLES, Role
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
