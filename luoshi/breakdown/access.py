"""Who may read and import a region's 方案, and who may add its units' aliases. The only place that decides.

- importing (uploading, correcting, saving a reading): the supervision office of the region (work.access.plan_roles:
  whoever plans the region's key work) and global administrators;
- aliases of a region's units: its supervision office and its administrators (a county's administrator too);
- everyone else: 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from luoshi.breakdown.models import Reading
from luoshi.orgs.access import access_for
from luoshi.orgs.models import REGION_ROLES, Region, RegionLevel, Role
from luoshi.work.access import plan_roles

PLAN_LEVELS = (RegionLevel.COUNTY, RegionLevel.CITY)


def _roles():
    return plan_roles()  # a breakdown campaign is planned as key work is: the supervision office


def can_import(user, region) -> bool:
    return access_for(user).covers_region(region, roles=_roles())


def require_importer(user, region):
    if not can_import(user, region):
        raise PermissionDenied(f"只有{region.name}的督查室可以导入该地区的任务分解方案")


def importable_regions(user):
    """The regions whose 方案 this user may import (county or city level)."""
    access = access_for(user)
    if access.is_admin:
        return list(Region.objects.filter(level__in=PLAN_LEVELS))
    return sorted({r.pk: r for r in access.regions_for(*_roles()) if r.level in PLAN_LEVELS}.values(),
                  key=lambda r: r.code)


def alias_regions(user):
    """The regions whose aliases this user may add: its supervision office's and its administrator's."""
    access = access_for(user)
    if access.is_admin:
        return list(Region.objects.filter(level__in=PLAN_LEVELS))
    regions = access.regions_for(*_roles()) + access.regions_for(Role.ADMIN)
    return sorted({r.pk: r for r in regions if r.level in PLAN_LEVELS}.values(), key=lambda r: r.code)


def can_open(user) -> bool:
    return bool(importable_regions(user) or alias_regions(user))


def require_opener(user):
    if not can_open(user):
        raise PermissionDenied("只有督查室和系统管理员可以使用任务分解方案导入")


def can_manage_aliases(user, region) -> bool:
    access = access_for(user)
    return access.administers(region) or access.covers_region(region, roles=_roles())


def require_alias_manager(user, region):
    if not can_manage_aliases(user, region):
        raise PermissionDenied(f"只有{region.name}的督查室或系统管理员可以添加该地区的单位别名")


def get_reading_for_user(user, pk):
    """A reading of a region whose 方案 the user may import; else 404 / 403."""
    reading = Reading.objects.select_related("region", "uploaded_by").filter(pk=pk).first()
    if reading is None:
        raise Http404("该方案读取记录不存在")
    require_importer(user, reading.region)
    return reading


# The plan's ledger (台账) and its 通报: the region's leaders and offices (orgs.REGION_ROLES: supervision, analysis,
# statistics, its administrators) and global administrators read them; units read their own tasks in key work.
# 主要预期目标: the supervision office proposes an item's link to an indicator (can_import), the region's analysis
# office (Role.ANALYSIS, which owns the targets) or a global administrator confirms or declines it.

def can_read_plan(user, plan) -> bool:
    return access_for(user).covers_region(plan.region)


def can_read_plans(user) -> bool:
    """Whether the user reads some region's plans: its offices, leaders and statistics (a region role)."""
    return bool(access_for(user).regions_for(*REGION_ROLES))


def readable_plans(user):
    """The plans whose 落实台账 this user reads (the offices, leaders and statistics of their regions)."""
    from luoshi.breakdown.models import Plan

    plans = Plan.objects.select_related("region", "campaign").order_by("-year", "region__code")
    return [plan for plan in plans if can_read_plan(user, plan)]


def get_plan_for_user(user, pk):
    from luoshi.breakdown.models import Plan

    plan = Plan.objects.select_related("region", "campaign").filter(pk=pk).first()
    if plan is None:
        raise Http404("该任务分解方案不存在")
    if not can_read_plan(user, plan):
        raise PermissionDenied(f"您无权查看{plan.region.name}{plan.year}年任务分解方案的落实台账")
    return plan


def can_confirm_targets(user, region) -> bool:
    return access_for(user).covers_region(region, roles={Role.ANALYSIS})


def require_target_confirmer(user, region):
    if not can_confirm_targets(user, region):
        raise PermissionDenied(f"只有{region.name}发改局可以确认主要预期目标")


def target_regions(user):
    """The regions whose proposed targets this user confirms (analysis office; administrators every region)."""
    access = access_for(user)
    if access.is_admin:
        return list(Region.objects.filter(level__in=PLAN_LEVELS))
    return sorted({r.pk: r for r in access.regions_for(Role.ANALYSIS) if r.level in PLAN_LEVELS}.values(),
                  key=lambda r: r.code)


def get_target_link_for_user(user, pk):
    from luoshi.breakdown.models import TargetLink

    link = TargetLink.objects.select_related("item__plan__region", "item__task").filter(pk=pk).first()
    if link is None:
        raise Http404("该指标关联不存在")
    require_target_confirmer(user, link.item.plan.region)
    return link
