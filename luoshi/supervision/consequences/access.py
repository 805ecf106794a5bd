"""Who may see and do what in 结果运用. The only place that decides; views, API and services ask here.

Proposals (处理建议) and their decisions:
- the supervision office (督查室) of the county: proposes (from the 倒查 chain, or the triggers do), reads all of them;
- the county's leaders (Role.LEADER whose region holds the county), and the responsible leader of the task a proposal
  stems from: read them, and decide (同意, possibly another kind, or 不同意 with a reason) — they only;
- global administrators: read everything, propose as the office may, never decide (a leader's decision is his own);
- a unit: reads the approved consequences about itself (its history), never another unit's, never a pending one;
- anyone else (analysis and statistics offices, village reporters, people without a role), and the office or leader
  of another county: nothing (403; 404 for what does not exist).
League adjustments: the county's office proposes, its leaders approve; the league's readers see them on the table.
典型经验: the unit writes its own, only for a month in which it is 先进 in its county's league; the office adopts it.
Trigger settings: read by the county's office and leaders, changed by its office or an administrator of the county.
The month's 通报 (.docx): the county's office, leaders and global administrators.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.access import access_for
from luoshi.orgs.models import Region, RegionLevel, Role, Unit
from luoshi.supervision.consequences.models import Consequence, LeagueAdjustment
from luoshi.supervision.league.access import county_code

READERS = {Role.SUPERVISION, Role.LEADER, Role.UNIT}
OVERSIGHT = {Role.SUPERVISION, Role.LEADER}


def can_read(user) -> bool:
    access = access_for(user)
    return access.is_admin or bool(access.roles & READERS)


def require_reader(user):
    if not can_read(user):
        raise PermissionDenied("您无权查看结果运用")


def county_of(unit) -> Region:
    """The county-level region a unit belongs to (its own region when that is a county or a city)."""
    region = unit.region
    if region.level in (RegionLevel.COUNTY, RegionLevel.CITY):
        return region
    return Region.objects.filter(code=county_code(region), level=RegionLevel.COUNTY).first() or region


def is_office(user, region) -> bool:
    """The county's supervision office (or a global administrator)."""
    return access_for(user).covers_region(region, roles={Role.SUPERVISION})


def is_leader(user, region) -> bool:
    """A leader whose region holds the county (an administrator is not one)."""
    access = access_for(user)
    return any(a.role == Role.LEADER and a.region_id and a.region.contains(region) for a in access.assignments)


def is_oversight(user, region) -> bool:
    return access_for(user).covers_region(region, roles=OVERSIGHT)


def own_unit_ids(user) -> set:
    return {u.pk for u in access_for(user).units_for(Role.UNIT)}


# --- proposals ---------------------------------------------------------------------------------------------------

def consequence_filter(user) -> Q:
    """A Q on Consequence keeping the proposals this user may read."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = access.region_filter("region__code", roles=OVERSIGHT)
    if getattr(user, "is_authenticated", False):
        q |= Q(task__leader__user=user)
    units = own_unit_ids(user)
    if units:
        q |= Q(unit_id__in=units, decision__approved=True)
    return q


def visible_consequences(user):
    return Consequence.objects.filter(consequence_filter(user))


def can_propose(user, region) -> bool:
    return is_office(user, region)


def require_proposer(user, region):
    if not can_propose(user, region):
        raise PermissionDenied(f"只有{region.name}督查室可以提出处理建议")


def can_decide(user, consequence) -> bool:
    """The county's leaders and the responsible leader of the task it stems from."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_leader(user, consequence.region):
        return True
    task = consequence.task
    return task is not None and task.leader is not None and task.leader.user_id == user.pk


def require_decider(user, consequence):
    if not can_decide(user, consequence):
        raise PermissionDenied(f"只有{consequence.region.name}的领导可以决定处理建议")


def get_consequence_for_user(user, pk, write=False):
    """The proposal if the user may read it; write: decide it too. Else 404 / 403."""
    consequence = (Consequence.objects.select_related("region", "unit", "person", "task", "task__leader",
                                                      "task__campaign", "proposed_by")
                   .filter(pk=pk).first())
    if consequence is None:
        raise Http404(f"处理建议 {pk} 不存在")
    require_reader(user)
    if not visible_consequences(user).filter(pk=consequence.pk).exists():
        raise PermissionDenied("您无权查看该处理建议")
    if write:
        require_decider(user, consequence)
    return consequence


# --- a unit's history ----------------------------------------------------------------------------------------------

def get_unit_for_history(user, code):
    """The unit whose 结果运用 history to show: its county's office and leaders, administrators, the unit itself."""
    unit = Unit.objects.select_related("region").filter(code=str(code)[:32]).first()
    if unit is None:
        raise Http404(f"单位 {str(code)[:32]} 不存在")
    require_reader(user)
    if unit.pk in own_unit_ids(user) or is_oversight(user, county_of(unit)):
        return unit
    raise PermissionDenied(f"您无权查看{unit.name}的结果运用记录")


def sees_everything_of(user, unit) -> bool:
    """Whether the user sees pending and refused proposals about the unit (oversight), not only approved ones."""
    return is_oversight(user, county_of(unit)) or access_for(user).is_admin


# --- trigger settings ----------------------------------------------------------------------------------------------

def settings_regions(user):
    """The counties whose trigger settings the user may read."""
    access = access_for(user)
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    if access.is_admin:
        return counties
    return counties.filter(access.region_filter("code", roles=OVERSIGHT | {Role.ADMIN}))


def can_change_settings(user, region) -> bool:
    return is_office(user, region) or access_for(user).administers(region)


def get_settings_region_for_user(user, code=None, write=False):
    regions = settings_regions(user)
    if code:
        region = Region.objects.filter(code=str(code)[:12]).first()
        if region is None or region.level != RegionLevel.COUNTY:
            raise Http404(f"区县 {str(code)[:12]} 不存在")
        if not regions.filter(pk=region.pk).exists():
            raise PermissionDenied(f"您无权查看{region.name}的结果运用触发条件")
    else:
        own = [county_code(r) for r in access_for(user).regions_for(*OVERSIGHT, Role.ADMIN)]
        region = next((r for r in (regions.filter(code=c).first() for c in own) if r is not None), None)
        region = region or regions.order_by("code").first()
        if region is None:
            raise PermissionDenied("您无权查看结果运用触发条件")
    if write and not can_change_settings(user, region):
        raise PermissionDenied(f"只有{region.name}督查室或系统管理员可以修改触发条件")
    return region


# --- 典型经验 -------------------------------------------------------------------------------------------------------

def can_write_experience(user, unit, band) -> bool:
    """The unit itself, when it is 先进 (`band` "top") in the month's league."""
    return unit.pk in own_unit_ids(user) and band == "top"


def can_read_experience(user, unit) -> bool:
    """The unit itself and its county's oversight (the 通报 is theirs to publish)."""
    return unit.pk in own_unit_ids(user) or is_oversight(user, county_of(unit))


def can_adopt_experience(user, unit) -> bool:
    return is_office(user, county_of(unit))


# --- league adjustments and the month's 通报 ------------------------------------------------------------------------

def can_propose_adjustment(user, region) -> bool:
    return is_office(user, region)


def require_adjustment_proposer(user, region):
    if not can_propose_adjustment(user, region):
        raise PermissionDenied(f"只有{region.name}督查室可以提出考核加减分")


def can_decide_adjustment(user, adjustment) -> bool:
    return is_leader(user, adjustment.region)


def get_adjustment_for_user(user, pk, write=False):
    adjustment = LeagueAdjustment.objects.select_related("region", "unit").filter(pk=pk).first()
    if adjustment is None:
        raise Http404(f"考核加减分 {pk} 不存在")
    if not is_oversight(user, adjustment.region):
        raise PermissionDenied("您无权查看该考核加减分")
    if write and not can_decide_adjustment(user, adjustment):
        raise PermissionDenied(f"只有{adjustment.region.name}的领导可以批准考核加减分")
    return adjustment


def can_read_bulletin(user, region) -> bool:
    return is_oversight(user, region)


def require_bulletin_reader(user, region):
    if not can_read_bulletin(user, region):
        raise PermissionDenied(f"月度通报由{region.name}督查室和区领导下载")
