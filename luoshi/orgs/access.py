"""Who may see and change what in the organisation. One helper per object type; views never decide.

A role is scoped to a region (and everything under it) or to one unit. Administrators reach all.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.models import REGION_ROLES, Region, Role, RoleAssignment, Unit


@dataclass
class Access:
    user: object
    assignments: list = field(default_factory=list)

    @cached_property
    def roles(self):
        return {a.role for a in self.assignments}

    @property
    def is_admin(self):
        return self.user.is_superuser or Role.ADMIN in self.roles

    @property
    def uses_api(self):
        """Whether the person's work uses the JSON API (every role but the village reporter's, who uses the pages)."""
        return self.is_admin or bool(self.roles - {Role.REPORTER})

    def has_role(self, *roles):
        return self.is_admin or bool(self.roles & set(roles))

    def regions_for(self, *roles):
        """Scope regions of the user's assignments with any of these roles."""
        return [a.region for a in self.assignments if a.role in roles and a.region_id]

    def units_for(self, *roles):
        return [a.unit for a in self.assignments if a.role in roles and a.unit_id]

    @cached_property
    def scope_regions(self):
        """Top regions of every region-scoped role; units' and reporters' own regions."""
        regions = {a.region.code: a.region for a in self.assignments if a.role in REGION_ROLES and a.region_id}
        for a in self.assignments:
            if a.unit_id:
                regions.setdefault(a.unit.region.code, a.unit.region)
        return list(regions.values())

    @cached_property
    def unit_ids(self):
        return {a.unit_id for a in self.assignments if a.unit_id}

    def region_filter(self, prefix_field="code", roles=None):
        """A Q that keeps regions inside the user's region-scoped roles (all for admins)."""
        if self.is_admin:
            return Q()
        roles = set(roles or REGION_ROLES)
        q = Q(pk__in=[])
        for a in self.assignments:
            if a.role in roles and a.region_id:
                q |= Q(**{f"{prefix_field}__startswith": a.region.prefix})
        return q

    def covers_region(self, region, roles=None):
        if self.is_admin:
            return True
        roles = set(roles or REGION_ROLES)
        return any(a.role in roles and a.region_id and a.region.contains(region) for a in self.assignments)


def access_for(user):
    """The user's roles and scopes, loaded once per user object."""
    if not getattr(user, "is_authenticated", False):
        return Access(user, [])
    cached = getattr(user, "_luoshi_access", None)
    if cached is None:
        assignments = list(RoleAssignment.objects.filter(user=user).select_related("region", "unit", "unit__region"))
        cached = Access(user, assignments)
        user._luoshi_access = cached
    return cached


def visible_regions(user):
    access = access_for(user)
    if access.is_admin:
        return Region.objects.all()
    q = access.region_filter()
    own = [r.pk for r in access.scope_regions]
    return Region.objects.filter(q | Q(pk__in=own))


def visible_units(user):
    access = access_for(user)
    if access.is_admin:
        return Unit.objects.all()
    return Unit.objects.filter(access.region_filter("region__code") | Q(pk__in=access.unit_ids))


def get_region_for_user(user, code, write=False):
    """The region with this code if the user may see it (write: change it); else 404 / 403."""
    try:
        region = Region.objects.select_related("parent").get(code=code)
    except Region.DoesNotExist:
        raise Http404(f"地区 {code} 不存在")
    access = access_for(user)
    if write and not access.is_admin:
        raise PermissionDenied("只有系统管理员可以修改组织机构")
    if not visible_regions(user).filter(pk=region.pk).exists():
        raise PermissionDenied(f"您无权查看地区 {region.name}")
    return region


def get_unit_for_user(user, code, write=False):
    try:
        unit = Unit.objects.select_related("region").get(code=code)
    except Unit.DoesNotExist:
        raise Http404(f"单位 {code} 不存在")
    access = access_for(user)
    if write and not access.is_admin:
        raise PermissionDenied("只有系统管理员可以修改组织机构")
    if not visible_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(f"您无权查看单位 {unit.name}")
    return unit


def require_admin(user):
    if not access_for(user).is_admin:
        raise PermissionDenied("此操作仅限系统管理员")
