"""Who may see and act on notices (督办单). The only place that decides; views, API and services ask here.

- administrators: everything;
- supervision office (督查室): opens notices on tasks whose lead unit is in its region, sees all of its region's
  notices, sends them back and accepts them (办结);
- leaders: read every notice in their region;
- a unit: reads the notices sent to it (lead unit) or copied to it, and answers those sent to it;
- anyone else (analysis and statistics offices, village reporters, people without a role): nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.access import access_for
from luoshi.orgs.models import Role
from luoshi.supervision.models import Notice

READERS = {Role.SUPERVISION, Role.LEADER, Role.UNIT}


def can_read_supervision(user) -> bool:
    access = access_for(user)
    return access.is_admin or bool(access.roles & READERS)


def require_reader(user):
    if not can_read_supervision(user):
        raise PermissionDenied("您无权查看督查督办")


def notice_filter(user) -> Q:
    """A Q on Notice that keeps the notices this user may read."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = access.region_filter("region__code", roles={Role.SUPERVISION, Role.LEADER})
    unit_ids = [u.pk for u in access.units_for(Role.UNIT)]
    if unit_ids:
        q |= Q(unit_id__in=unit_ids) | Q(pk__in=Notice.copied_units.through.objects.filter(unit_id__in=unit_ids)
                                         .values("notice_id"))
    return q


def visible_notices(user):
    return Notice.objects.filter(notice_filter(user))


def can_open_notice(user, task) -> bool:
    """Only the supervision office of the task's region (the region of its lead unit) opens a notice on it."""
    return access_for(user).covers_region(task.lead_unit.region, roles={Role.SUPERVISION})


def require_opener(user, task):
    if not can_open_notice(user, task):
        raise PermissionDenied("只有该任务所在地区的督查室可以开具督办单")


def can_answer(user, notice) -> bool:
    """Only the unit the notice was sent to answers it (an administrator may answer for it)."""
    access = access_for(user)
    return access.is_admin or (Role.UNIT in access.roles and notice.unit_id in
                               {u.pk for u in access.units_for(Role.UNIT)})


def can_decide(user, notice) -> bool:
    """Sending back and accepting (办结) are the supervision office's, in its region."""
    return access_for(user).covers_region(notice.region, roles={Role.SUPERVISION})


def require_answerer(user, notice):
    if not can_answer(user, notice):
        raise PermissionDenied(f"{notice.number}不是发给您单位的督办单，您无权答复")


def require_decider(user, notice):
    if not can_decide(user, notice):
        raise PermissionDenied("只有督查室可以退回或办结督办单")


def get_notice_for_user(user, pk, action=None):
    """The notice if the user may read it; with action "reply" / "decide", also act on it. Else 404 / 403."""
    notice = (Notice.objects.select_related("task", "task__campaign", "milestone", "unit", "region", "leader", "opened_by")
              .filter(pk=pk).first())
    if notice is None:
        raise Http404(f"督办单 {pk} 不存在")
    require_reader(user)
    if not visible_notices(user).filter(pk=notice.pk).exists():
        raise PermissionDenied("您无权查看该督办单")
    if action == "reply":
        require_answerer(user, notice)
    elif action == "decide":
        require_decider(user, notice)
    return notice
