"""Who may read and write indicators. The only place that decides; views, API, CLI and imports ask here.

- read: administrators everywhere; region-scoped roles (leader, supervision, analysis, statistics) for the
  regions in their scope; units for the county-level region their unit belongs to. Reporters do not read.
- write figures: statistics and the analysis office, for the regions in their scope and for those regions'
  peers (the city publishes every county's figures in one bulletin, and ranks need them); administrators.
- write targets: statistics and the analysis office, strictly within their scope; administrators.
- change the catalog: administrators.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from luoshi.orgs.access import access_for
from luoshi.orgs.models import REGION_ROLES, Region, RegionLevel, Role

WRITERS = {Role.STATISTICS, Role.ANALYSIS}


def _county_of(region):
    while region is not None and region.level not in (RegionLevel.COUNTY, RegionLevel.CITY):
        region = region.parent
    return region


def readable_region_ids(user):
    """Ids of the county- and city-level regions whose indicator tables the user may read (None: all)."""
    access = access_for(user)
    if access.is_admin:
        return None
    ids = set()
    q = access.region_filter(roles=REGION_ROLES)
    if any(a.role in REGION_ROLES and a.region_id for a in access.assignments):
        ids |= set(Region.objects.filter(q, level__in=[RegionLevel.CITY, RegionLevel.COUNTY]).values_list("pk", flat=True))
    for unit in access.units_for(Role.UNIT):
        county = _county_of(unit.region)
        if county is not None:
            ids.add(county.pk)
    return ids


def can_read(user, region):
    ids = readable_region_ids(user)
    return ids is None or region.pk in ids


def readable_regions(user):
    qs = Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY]).order_by("code")
    ids = readable_region_ids(user)
    return qs if ids is None else qs.filter(pk__in=ids)


def require_reader(user):
    if not readable_regions(user).exists():
        raise PermissionDenied("您无权查看经济运行指标")


def get_region_for_user(user, code, write=False):
    """The county- or city-level region with this code if the user may read it; 404 / 403 otherwise."""
    region = Region.objects.select_related("parent").filter(code=(code or "").strip()).first()
    if region is None:
        raise Http404(f"地区 {code} 不存在")
    if not can_read(user, region):
        raise PermissionDenied(f"您无权查看{region.name}的经济运行指标")
    if write and not can_write_targets(user, region):
        raise PermissionDenied(f"只有统计局和发改局可以维护{region.name}的指标数据和目标")
    return region


def is_writer(user):
    return access_for(user).has_role(*WRITERS)


def can_write_targets(user, region):
    if user is None:
        return True  # the command line (system)
    access = access_for(user)
    return access.is_admin or access.covers_region(region, roles=WRITERS)


def can_write_figures(user, region):
    if user is None:
        return True  # the command line (system)
    access = access_for(user)
    if access.is_admin or access.covers_region(region, roles=WRITERS):
        return True
    return any(a.role in WRITERS and a.region_id and a.region.parent_id == region.parent_id
               and a.region.level == region.level for a in access.assignments)


def require_writer(user):
    if not is_writer(user):
        raise PermissionDenied("只有统计局和发改局可以录入或导入指标数据和目标")


def require_catalog_admin(user):
    if not access_for(user).is_admin:
        raise PermissionDenied("只有系统管理员可以维护指标目录")


def get_city_for_user(user, code):
    """A city whose matrix the user may read: one they read, or one holding a county they read."""
    city = Region.objects.filter(code=(code or "").strip(), level=RegionLevel.CITY).first()
    if city is None:
        raise Http404(f"市 {code} 不存在")
    ids = readable_region_ids(user)
    if ids is not None and city.pk not in ids and not Region.objects.filter(parent=city, pk__in=ids).exists():
        raise PermissionDenied(f"您无权查看{city.name}的各区县指标对比")
    return city


def default_region(user):
    """The county-level region a user most likely wants: their own; else the first county in scope that has towns
    under it (a county without any is there to compare with, like the demo's other districts beside 济阳区)."""
    regions = list(readable_regions(user))
    counties = [r for r in regions if r.level == RegionLevel.COUNTY]
    if not regions:
        raise PermissionDenied("您无权查看经济运行指标")
    access = access_for(user)
    own = [a.region.code for a in access.assignments if a.region_id] + [u.region.code for u in access.units_for(Role.UNIT)]
    for code in own:
        for region in counties:
            if code.startswith(region.code):
                return region
    with_towns = set(Region.objects.filter(parent__in=counties).values_list("parent_id", flat=True))
    return next((r for r in counties if r.pk in with_towns), (counties or regions)[0])
