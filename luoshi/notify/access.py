"""Who may do what with messages: everyone reads their own inbox and sets their own 消息设置; administrators
configure robots and see and resend the outbox's failures."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from luoshi.notify.models import Message, Robot
from luoshi.orgs.access import access_for


def require_notify_admin(user):
    if not access_for(user).is_admin:
        raise PermissionDenied("只有系统管理员可以配置群机器人和查看发送失败的消息")


def get_robot_for_user(user, pk, write=False):
    require_notify_admin(user)
    robot = Robot.objects.select_related("unit", "region").filter(pk=pk).first()
    if robot is None:
        raise Http404(f"群机器人 {pk} 不存在")
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
