"""Who may see and change key work. The only place that decides; views, API and services ask here.

- administrators: everything;
- supervision office (督查室): reads tasks in its region and manages the plan there;
- leaders, analysis and statistics offices: read tasks whose lead unit is in their region;
- a unit: reads every task it takes part in, reports only where it is lead or responsible unit.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.orgs.access import access_for
from luoshi.orgs.models import REGION_ROLES, Role
from luoshi.work.models import REPORTING_ROLES, Task, TaskUnit


def task_filter(user) -> Q:
    """A Q on Task that keeps the tasks this user may read."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = Q(pk__in=[])
    regional = access.region_filter("lead_unit__region__code", roles=REGION_ROLES)
    if any(a.role in REGION_ROLES and a.region_id for a in access.assignments):
        q |= regional
    unit_ids = [u.pk for u in access.units_for(Role.UNIT)]
    if unit_ids:
        q |= Q(pk__in=TaskUnit.objects.filter(unit_id__in=unit_ids).values("task_id"))
    return q


def visible_tasks(user):
    return Task.objects.filter(task_filter(user))


def can_read_work(user) -> bool:
    access = access_for(user)
    return access.is_admin or bool(access.roles & (REGION_ROLES | {Role.UNIT}))


def can_manage_plan(user) -> bool:
    return access_for(user).has_role(Role.SUPERVISION)


def require_plan_manager(user):
    if not can_manage_plan(user):
        raise PermissionDenied("只有督查室可以管理重点工作计划")


def reporting_units(user, task):
    """The units in whose name this user may report on the task (its lead and responsible units it belongs to)."""
    access = access_for(user)
    roles = {tu.unit_id: tu.unit for tu in task.task_units.filter(role__in=REPORTING_ROLES).select_related("unit")}
    if access.is_admin:
        return [task.lead_unit]
    return [roles[uid] for uid in sorted(access.unit_ids & set(roles)) if Role.UNIT in access.roles]


def reporting_task_ids(user):
    """Ids of the tasks this user's units may report on (a subquery)."""
    access = access_for(user)
    unit_ids = [u.pk for u in access.units_for(Role.UNIT)]
    return TaskUnit.objects.filter(unit_id__in=unit_ids, role__in=REPORTING_ROLES).values("task_id")


def get_task_for_user(user, pk, write=False):
    """The task if the user may read it (write: report on it); else 404 / 403."""
    task = Task.objects.select_related("campaign", "lead_unit", "leader").filter(pk=pk).first()
    if task is None:
        raise Http404(f"重点任务 {pk} 不存在")
    if not visible_tasks(user).filter(pk=task.pk).exists():
        raise PermissionDenied("您无权查看该重点任务")
    if write and not reporting_units(user, task):
        raise PermissionDenied("只有该任务的牵头单位或责任单位可以报送进度")
    return task


def require_reader(user):
    if not can_read_work(user):
        raise PermissionDenied("您无权查看重点工作")
