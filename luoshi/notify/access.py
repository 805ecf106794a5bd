"""Who may do what with messages: everyone reads their own inbox and sets their own 消息设置; administrators
configure robots (a region's administrator those of the region: orgs.access), global administrators see and resend
the outbox's failures."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.notify.models import Message, Robot
from luoshi.orgs.access import access_for, check_administers, managed_regions, require_admin


def require_notify_admin(user):
    """The outbox of every region (failed messages, 重新发送): global administrators."""
    if not access_for(user).is_any_admin:
        raise PermissionDenied("只有系统管理员可以配置群机器人和查看发送失败的消息")
    require_admin(user)


def require_robot_admin(user):
    """The robots page: a global administrator, or a region's (who sees and changes that region's robots)."""
    if not access_for(user).is_any_admin:
        raise PermissionDenied("只有系统管理员可以配置群机器人")
    return access_for(user)


def robot_region(unit=None, region=None):
    """The region a robot (or a robot to be) belongs to: its region, or its unit's."""
    return region if region is not None else unit.region


def check_robot_owner(user, unit=None, region=None):
    """The user administers the region of this owner (a unit or a region)."""
    require_robot_admin(user)
    check_administers(user, robot_region(unit, region), "群机器人")


def visible_robots(user):
    """The robots of the regions the user administers (all for a global administrator)."""
    access = require_robot_admin(user)
    rows = Robot.objects.select_related("unit", "region")
    if access.is_admin:
        return rows
    regions = managed_regions(user).values("pk")
    return rows.filter(Q(region__in=regions) | Q(unit__region__in=regions))


def get_robot_for_user(user, pk, write=False):
    require_robot_admin(user)
    robot = Robot.objects.select_related("unit__region", "region").filter(pk=pk).first()
    if robot is None:
        raise Http404(f"群机器人 {pk} 不存在")
    check_robot_owner(user, robot.unit, robot.region)
    return robot


def get_message_for_admin(user, pk):
    require_notify_admin(user)
    message = Message.objects.select_related("recipient", "robot").filter(pk=pk).first()
    if message is None:
        raise Http404(f"消息 {pk} 不存在")
    return message


def owner_from_code(code):
    """A robot's owner from a code a person typed: a unit code or a region code. Returns (unit, region)."""
    from luoshi.core.problems import Rejected
    from luoshi.orgs.models import Region, Unit

    code = (code or "").strip()
    if not code:
        raise Rejected("请填写机器人所属的单位代码或地区代码")
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit, None
    region = Region.objects.filter(code=code).first()
    if region is not None:
        return None, region
    raise Rejected(f"单位或地区「{code[:40]}」不存在")
