"""Who may see and change what in the organisation. One helper per object type; views never decide.

A role is scoped to a region (and everything under it) or to one unit. A global administrator (a superuser, or the
admin role with no region) reaches all. An administrator of a region (the admin role scoped to 济阳区) administers
that region only: its people and their accounts, units, regions below it, roles inside it and its robots
(require_any_admin, administers, check_account, check_role, check_new_person); everywhere else, in every app, that
role reads its region like the other region roles and is no administrator (Access.is_admin is False).
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
        """A global administrator: reaches everything in every app. An administrator of a region is not one."""
        return getattr(self.user, "is_superuser", False) or any(is_global_admin_role(a) for a in self.assignments)

    @cached_property
    def admin_regions(self):
        """The regions this person administers through region-scoped admin roles."""
        return [a.region for a in self.assignments if a.role == Role.ADMIN and a.region_id]

    @property
    def is_any_admin(self):
        """A global administrator or the administrator of some region."""
        return self.is_admin or bool(self.admin_regions)

    def administers(self, region):
        """Whether this person may administer the region (or a transient Region(code=…) not saved yet)."""
        return self.is_admin or (region is not None and any(r.contains(region) for r in self.admin_regions))

    @property
    def admin_scope_label(self):
        return "全部地区" if self.is_admin else "、".join(r.name for r in self.admin_regions)

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


def is_global_admin_role(assignment):
    return assignment.role == Role.ADMIN and not assignment.region_id and not assignment.unit_id


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


def units_with_accounts(unit_ids):
    """Of these units, the ids of those with an account: an active user holding the unit role on the unit. A unit
    without one may be reported for by its region's office (代报: work.access, briefings.access); one with an
    account reports itself."""
    return set(RoleAssignment.objects.filter(role=Role.UNIT, unit_id__in=list(unit_ids), user__is_active=True)
               .values_list("unit_id", flat=True))


def has_account(unit) -> bool:
    return unit.pk in units_with_accounts([unit.pk])


def get_region_for_user(user, code, write=False):
    """The region with this code if the user may see it (write: change it); else 404 / 403."""
    try:
        region = Region.objects.select_related("parent").get(code=code)
    except Region.DoesNotExist:
        raise Http404(f"地区 {code} 不存在")
    if write:
        check_administers(user, region, "地区")
    if not visible_regions(user).filter(pk=region.pk).exists():
        raise PermissionDenied(f"您无权查看地区 {region.name}")
    return region


def get_unit_for_user(user, code, write=False):
    try:
        unit = Unit.objects.select_related("region").get(code=code)
    except Unit.DoesNotExist:
        raise Http404(f"单位 {code} 不存在")
    if write:
        check_administers(user, unit.region, "单位")
    if not visible_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(f"您无权查看单位 {unit.name}")
    return unit


ADMINS_ONLY = "此操作仅限系统管理员"


def require_admin(user):
    """Global administrators only (the audit log, the outbox of every region, the indicator catalog)."""
    access = access_for(user)
    if not access.is_admin:
        raise PermissionDenied(f"此操作仅限全局系统管理员，您是{access.admin_scope_label}的系统管理员"
                               if access.admin_regions else ADMINS_ONLY)


def require_any_admin(user):
    """A global administrator or a region's: the administration pages, where each action then checks its scope."""
    access = access_for(user)
    if not access.is_any_admin:
        raise PermissionDenied(ADMINS_ONLY)
    return access


def check_administers(user, region, what):
    """The user administers this region (`what`: the kind of thing being changed there, for the message)."""
    access = require_any_admin(user)
    if not access.administers(region):
        raise PermissionDenied(f"您只能管理{access.admin_scope_label}范围内的{what}，{region.name or region.code}不在范围内")
    return access


def managed_regions(user):
    """The regions the user administers (every one for a global administrator)."""
    access = require_any_admin(user)
    if access.is_admin:
        return Region.objects.all()
    return Region.objects.filter(access.region_filter(roles={Role.ADMIN}))


def managed_units(user):
    access = require_any_admin(user)
    if access.is_admin:
        return Unit.objects.all()
    return Unit.objects.filter(access.region_filter("region__code", roles={Role.ADMIN}))


# --- accounts -------------------------------------------------------------------------------------------------------

GLOBAL_ACCOUNTS = "只有全局系统管理员可以管理全局系统管理员和超级用户的账号"


def _account_refusal(access, target, person, assignments):
    """Why this administrator may not manage the account (None: may). An account belongs to a region's
    administrator when every place it is tied to (its person's unit, each role's region or unit) lies in the
    administered regions; global administrators' and superusers' accounts only to a global administrator."""
    if not access.is_any_admin:
        return ADMINS_ONLY
    if access.is_admin:
        return None
    if target.is_superuser or any(is_global_admin_role(a) for a in assignments):
        return GLOBAL_ACCOUNTS
    places = [a.region if a.region_id else a.unit.region for a in assignments if a.region_id or a.unit_id]
    if person is not None and person.unit_id:
        places.append(person.unit.region)
    name = (person.name if person else "") or target.get_full_name() or target.username
    if not places:
        return f"{name}（{target.username}）不属于任何单位或地区，只有全局系统管理员可以管理"
    outside = [p for p in places if not access.administers(p)]
    if outside:
        return f"您只能管理{access.admin_scope_label}范围内的人员，{name}（{target.username}）属于{outside[0].name}"
    return None


def _account_ties(target):
    from luoshi.orgs.models import Person

    person = Person.objects.select_related("unit__region").filter(user=target).first()
    assignments = list(RoleAssignment.objects.filter(user=target).select_related("region", "unit__region"))
    return person, assignments


def check_account(user, target):
    """The administrator may manage this account (reset its password, switch it, give or take its roles)."""
    access = require_any_admin(user)
    refusal = _account_refusal(access, target, *_account_ties(target))
    if refusal:
        raise PermissionDenied(refusal)
    return access


def get_account_for_admin(user, user_id):
    """The account with this id, if the user may manage it; else 404 / 403."""
    from django.contrib.auth import get_user_model

    require_any_admin(user)
    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None:
        raise Http404("账号不存在")
    check_account(user, target)
    return target


def managed_people(user, people, assignments_by_user):
    """The people (with `user` and `unit__region` loaded) whose accounts, or whose unit when they have none, the
    user administers; assignments_by_user: user id → the account's role assignments."""
    access = require_any_admin(user)
    if access.is_admin:
        return list(people)
    kept = []
    for person in people:
        if person.user_id:
            if _account_refusal(access, person.user, person, assignments_by_user.get(person.user_id, [])) is None:
                kept.append(person)
        elif person.unit_id and access.administers(person.unit.region):
            kept.append(person)
    return kept


def _check_scope(access, role, region, unit, doing):
    if access.is_admin or not role:
        return
    if role == Role.ADMIN and region is None and unit is None:
        raise PermissionDenied("只有全局系统管理员可以授予不限地区的系统管理员角色")
    place = region if region is not None else (unit.region if unit is not None else None)
    if place is None or not access.administers(place):
        where = f"，{place.name}不在范围内" if place is not None else ""
        raise PermissionDenied(f"您只能在{access.admin_scope_label}范围内{doing}{where}")


def check_role(user, target, role, region=None, unit=None):
    """The administrator may give (or take) this role with this scope to (from) this account."""
    access = check_account(user, target)
    _check_scope(access, role, region, unit, "授予或撤销角色")
    return access


def check_new_person(user, unit, role="", region=None, scope_unit=None):
    """The administrator may create an account in this unit with this role: a region's administrator only in
    a unit of the region (required) and with a role inside it."""
    access = require_any_admin(user)
    if access.is_admin:
        return access
    if unit is None:
        raise PermissionDenied(f"您是{access.admin_scope_label}的系统管理员，新建账号须填写{access.admin_scope_label}范围内的单位代码")
    if not access.administers(unit.region):
        raise PermissionDenied(f"您只能在{access.admin_scope_label}范围内新建账号，{unit.name}不在范围内")
    _check_scope(access, role, region, scope_unit, "授予角色")
    return access
