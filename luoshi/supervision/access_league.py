"""Who may read the league table (考核排名) and the 倒查 chains. Kept beside supervision/access.py (the notices'
helpers); views, API and CLI ask here.

League table — it is published (通报) to every unit of the district, as offices do:
- administrators: every county-level region's table;
- supervision office and leaders: the tables of the county-level regions inside their scope;
- a unit: its own district's table (the county-level region its unit belongs to);
- analysis and statistics offices (as such), village reporters, people without a role: none (403).

Chain (倒查) and the list of seriously overdue items:
- administrators: every task;
- supervision office and leaders: the tasks whose lead unit is inside their region;
- a unit: the tasks whose chain it is on — lead or responsible unit now, lead unit at some earlier point (audit
  trail), or the unit a notice on the task was sent or copied to. Cooperating units read the task in `work`, not
  its chain;
- anyone else: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.access import access_for
from luoshi.orgs.models import Region, RegionLevel, Role
from luoshi.work.models import REPORTING_ROLES, Milestone, Task, TaskUnit

OFFICE_ROLES = {Role.SUPERVISION, Role.LEADER}


def county_code(region) -> str:
    """The code of the county-level region a region belongs to (a city: its own code)."""
    return region.code[:6]


def league_regions(user):
    """The county-level regions whose league table this user may read, in code order (a queryset)."""
    access = access_for(user)
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    if access.is_admin:
        return counties
    q = Q(pk__in=[])
    for region in access.regions_for(*OFFICE_ROLES):
        q |= Q(code__startswith=region.prefix) if region.level == RegionLevel.CITY else Q(code=county_code(region))
    for unit in access.units_for(Role.UNIT):
        q |= Q(code=county_code(unit.region))
    return counties.filter(q)


def can_read_league(user) -> bool:
    return league_regions(user).exists()


def get_league_region_for_user(user, code=None):
    """The region whose table to show: the one asked for (404 unknown, 403 not readable), else the user's first."""
    regions = league_regions(user)
    if code:
        region = Region.objects.filter(code=str(code)[:12]).first()
        if region is None or region.level != RegionLevel.COUNTY:
            raise Http404(f"区县 {str(code)[:12]} 不存在")
        if not regions.filter(pk=region.pk).exists():
            raise PermissionDenied(f"您无权查看{region.name}的考核排名")
        return region
    access = access_for(user)
    own = [county_code(r) for r in access.regions_for(*OFFICE_ROLES)] + \
          [county_code(u.region) for u in access.units_for(Role.UNIT)]
    for code_ in own:
        region = regions.filter(code=code_).first()
        if region is not None:
            return region
    region = regions.filter(units__led_tasks__isnull=False).order_by("code").first() or regions.order_by("code").first()
    if region is None:
        raise PermissionDenied("您无权查看考核排名")
    return region


def chain_task_filter(user) -> Q:
    """A Q on Task keeping the tasks whose chain this user may read (the past-lead and notice units are added by
    can_read_chain for one task; lists use the current roles)."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = access.region_filter("lead_unit__region__code", roles=OFFICE_ROLES)
    unit_ids = [u.pk for u in access.units_for(Role.UNIT)]
    if unit_ids:
        q |= Q(pk__in=TaskUnit.objects.filter(unit_id__in=unit_ids, role__in=REPORTING_ROLES).values("task_id"))
    return q


def can_read_chains(user) -> bool:
    """Whether the user may read chains at all (the list page and its exports)."""
    access = access_for(user)
    return access.is_admin or bool(access.roles & (OFFICE_ROLES | {Role.UNIT}))


def require_chain_reader(user):
    if not can_read_chains(user):
        raise PermissionDenied("您无权查看倒查记录")


def get_chain_task_for_user(user, pk, chain_unit_ids=None):
    """The task if the user may read its chain, else 404 / 403. `chain_unit_ids(task)`: the units on the task's
    chain (supervision.chain.chain_units), asked only for a unit whose current role does not already let it read."""
    task = Task.objects.select_related("campaign", "lead_unit__region", "leader").filter(pk=pk).first()
    if task is None:
        raise Http404(f"重点任务 {pk} 不存在")
    require_chain_reader(user)
    if Task.objects.filter(chain_task_filter(user), pk=task.pk).exists():
        return task
    access = access_for(user)
    own = {u.pk for u in access.units_for(Role.UNIT)}
    if own and chain_unit_ids is not None and own & set(chain_unit_ids(task)):
        return task
    raise PermissionDenied("您无权查看该重点任务的倒查记录")


def get_chain_milestone_for_user(user, pk, chain_unit_ids=None):
    milestone = Milestone.objects.filter(pk=pk).first()
    if milestone is None:
        raise Http404(f"节点 {pk} 不存在")
    milestone.task = get_chain_task_for_user(user, milestone.task_id, chain_unit_ids)
    return milestone
