"""Who may read the 倒查 chains and the list of seriously overdue items; the pages, API and export ask here.

- administrators: every task;
- supervision office and leaders: the tasks whose lead unit is inside their region;
- a unit: the tasks it leads or is responsible for (both: work.access.accountable_task_filter, the rule lives in work),
  and the tasks whose chain it is on — lead or responsible unit at some earlier point (the plan's history), or the
  unit a notice on the task was sent or copied to. Cooperating units read the task in `work`, not its chain;
- anyone else: 403.
"""

from django.core.exceptions import PermissionDenied

from luoshi.orgs.access import access_for
from luoshi.orgs.models import Role
from luoshi.supervision.chain.queries import chain_units
from luoshi.work import access as work_access


def can_read_chains(user) -> bool:
    """Whether the user may read chains at all (the list page and its exports)."""
    access = access_for(user)
    return access.is_admin or bool(access.roles & (work_access.OVERSIGHT_ROLES | {Role.UNIT}))


def require_chain_reader(user):
    if not can_read_chains(user):
        raise PermissionDenied("您无权查看倒查记录")


def chain_list_filter(user):
    """A Q on Task keeping the tasks whose chains the lists show this user (work.access.accountable_task_filter; the
    units once on a chain reach it one task at a time, through get_chain_task_for_user); 403 for a non-reader."""
    require_chain_reader(user)
    return work_access.accountable_task_filter(user)


def get_chain_task_for_user(user, pk):
    """The task if the user may read its chain, else 404 / 403. The units on the chain (queries.chain_units) are
    asked only for a unit whose current part in the task does not already let it read."""
    task = work_access.task_or_404(pk)
    require_chain_reader(user)
    if work_access.accountable_tasks(user).filter(pk=task.pk).exists():
        return task
    own = {u.pk for u in access_for(user).units_for(Role.UNIT)}
    if own and own & chain_units(task):
        return task
    raise PermissionDenied("您无权查看该重点任务的倒查记录")


def get_chain_milestone_for_user(user, pk):
    milestone = work_access.milestone_or_404(pk)
    milestone.task = get_chain_task_for_user(user, milestone.task_id)
    return milestone
