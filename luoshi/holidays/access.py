"""Who may read and load the 放假安排: every administrator reads it (a region's too), only a global administrator
loads a year (the calendar is the whole installation's)."""

from django.core.exceptions import PermissionDenied

from luoshi.orgs.access import access_for

READERS_ONLY = "放假安排仅限系统管理员查看"
LOADERS_ONLY = "录入放假安排仅限全局系统管理员"


def can_read(user):
    return access_for(user).is_any_admin


def can_load(user):
    return access_for(user).is_admin


def require_reader(user):
    if not can_read(user):
        raise PermissionDenied(READERS_ONLY)


def require_loader(user):
    access = access_for(user)
    if not access.is_admin:
        raise PermissionDenied(f"{LOADERS_ONLY}，您是{access.admin_scope_label}的系统管理员"
                               if access.admin_regions else LOADERS_ONLY)
