"""Who may read the league table (考核排名); its page and API ask here.

It is published (通报) to every unit of the district, as offices do:
- administrators: every county-level region's table;
- supervision office and leaders: the tables of the county-level regions inside their scope;
- a unit: its own district's table (the county-level region its unit belongs to);
- analysis and statistics offices (as such), village reporters, people without a role: none (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.access import access_for
from luoshi.orgs.models import Region, RegionLevel, Role
from luoshi.work.access import OVERSIGHT_ROLES


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
    for region in access.regions_for(*OVERSIGHT_ROLES):
        q |= Q(code__startswith=region.prefix) if region.level == RegionLevel.CITY else Q(code=county_code(region))
    for unit in access.units_for(Role.UNIT):
        q |= Q(code=county_code(unit.region))
    return counties.filter(q)


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
    own = [county_code(r) for r in access.regions_for(*OVERSIGHT_ROLES)] + \
          [county_code(u.region) for u in access.units_for(Role.UNIT)]
    for code_ in own:
        region = regions.filter(code=code_).first()
        if region is not None:
            return region
    region = regions.filter(units__led_tasks__isnull=False).order_by("code").first() or regions.order_by("code").first()
    if region is None:
        raise PermissionDenied("您无权查看考核排名")
    return region
