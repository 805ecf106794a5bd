"""Who may see and change the 招商 pipeline. The only place that decides; views, API, the CLI and services ask.

- administrators: everything;
- the ledger's keepers: a unit account of the county's 商务局 or 投资促进中心 (a unit whose name says 商务 or 投资促进,
  in the county) keeps its county's ledger: adds and edits leads of any unit, moves them through the stages, records
  到位资金, corrects;
- a lead's 责任单位 (a department or a town government following it) moves its own leads and records their funds;
  a town government also reads the leads that would settle in its town;
- leaders, the analysis, supervision and statistics offices (and a county's administrator) read their region's
  pipeline and board;
- nobody else: 404 for a lead, 403 for the board.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.access import access_for
from luoshi.orgs.models import REGION_ROLES, RegionLevel, Role
from luoshi.projects.access import can_read_projects, project_filter
from luoshi.projects.pipeline.models import Lead

KEEPER_WORDS = ("商务", "投资促进", "投促")


def is_keeper_unit(unit) -> bool:
    """Whether the unit keeps its county's 招商 ledger (区商务局, 区投资促进中心, 投促中心)."""
    return unit.region.level == RegionLevel.COUNTY and any(w in f"{unit.name}{unit.short_name}" for w in KEEPER_WORDS)


def keeper_regions(user):
    """The counties whose ledger the user keeps (through a keeper unit's account)."""
    return [u.region for u in access_for(user).units_for(Role.UNIT) if is_keeper_unit(u)]


def keeps(user, region) -> bool:
    access = access_for(user)
    return access.is_admin or any(r.contains(region) for r in keeper_regions(user))


def lead_filter(user) -> Q:
    """A Q on Lead keeping what the user may read: what the pools' rule keeps on a project (region roles, the 责任单位,
    the town it settles in; Lead has the same region, unit and town), and the counties whose ledger the user keeps."""
    if access_for(user).is_admin:
        return Q()  # (Q() | X would be X: an administrator's empty filter must not be narrowed)
    q = project_filter(user)
    for region in keeper_regions(user):
        q |= Q(region__code__startswith=region.prefix)
    return q


def visible_leads(user):
    return Lead.objects.filter(lead_filter(user))


def can_read_pipeline(user) -> bool:
    return can_read_projects(user)


def require_reader(user):
    if not can_read_pipeline(user):
        raise PermissionDenied("您无权查看招商项目")


def is_unit(user) -> bool:
    """Whether the user answers for a unit (its own leads' board)."""
    return bool(access_for(user).units_for(Role.UNIT))


def can_read_board(user, region) -> bool:
    """The whole county's board (rates, funnel, stalled list): the region roles and the ledger's keepers."""
    return access_for(user).covers_region(region, roles=REGION_ROLES) or keeps(user, region)


def require_board_reader(user, region):
    if not can_read_board(user, region):
        raise PermissionDenied(f"您无权查看{region.name}的招商项目台账")


def require_keeper(user, region):
    if not keeps(user, region):
        raise PermissionDenied(f"只有{region.name}的商务局（投资促进中心）可以登记和修改招商项目")


def can_write(user, lead) -> bool:
    """Whether the user moves this lead and records its funds: the ledger's keepers, the lead's 责任单位."""
    return keeps(user, lead.region) or lead.unit_id in {u.pk for u in access_for(user).units_for(Role.UNIT)}


def can_add_somewhere(user) -> bool:
    return access_for(user).is_admin or bool(keeper_regions(user))


def get_lead_for_user(user, pk, write=False):
    """The lead if the user may read it (write: move it, record its funds); Http404 when there is none or it is
    hidden, PermissionDenied when readable but not writable."""
    lead = Lead.objects.select_related("region", "unit", "town").filter(pk=pk).first()
    if lead is None or not visible_leads(user).filter(pk=lead.pk).exists():
        raise Http404(f"招商项目 {pk} 不存在")
    if write and not can_write(user, lead):
        raise PermissionDenied("只有商务局（投资促进中心）或该项目的责任单位可以推进该招商项目")
    return lead
