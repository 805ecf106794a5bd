"""Gantt rows for the chart (compact arrays, dates as day numbers); its xlsx is exports.GanttExport."""

import threading
from collections import OrderedDict
from datetime import date

import orjson
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from luoshi.core import workdays
from luoshi.orgs.models import Unit
from luoshi.work import access as work_access
from luoshi.work import judged, queries, rules
from luoshi.work.models import Campaign, Task

EPOCH = date(1970, 1, 1).toordinal()


def _day(value):
    return None if value is None else value.toordinal() - EPOCH


class JudgedParts:
    """Per server process, over the parts kept in the database for every process (work.judged): every task's judged
    part of the chart (queries.ChartPart) for the last few dates asked for, under each version of the working-day
    calendar (core.workdays.version: a year's 放假安排 loaded judges every task again). A part is used while its task's revision and its campaign's report cycle are unchanged; every write to
    a task, its units, milestones or reports gives the task a new revision (services.touch_tasks), so after a report
    only that task is judged again, and the chart is the parts joined (docs/benchmarks.md)."""

    DATES = 3

    def __init__(self):
        self._lock = threading.Lock()
        self._by_date = OrderedDict()

    def on(self, as_of):
        """The parts judged as of this date ({task id: ChartPart}, filled in by the caller)."""
        with self._lock:
            parts = self._by_date.pop(as_of, None)
            self._by_date[as_of] = parts = {} if parts is None else parts
            while len(self._by_date) > self.DATES:
                self._by_date.popitem(last=False)
            return parts

    def forget(self):
        with self._lock:
            self._by_date.clear()


judged_parts = JudgedParts()

# When more of the shown tasks than this need judging, they are judged with the view's own filter, not a list of ids.
MOST_BY_ID = 500


def shown_parts(as_of, user, *, campaign_id=None, unit_id=None, against=None):
    """(campaigns [(id, name, report cycle)] in order, [ChartPart] of the tasks shown in plan order): the chart's
    tasks judged as of a date (gantt_rows, the home page). A task's part comes from judged_parts where its revision
    has not moved, else from the database (work.judged: the daily job judged every task, a request stored what it
    judged), and is judged here only when neither has it; what is judged here as of today is stored for the others."""
    against = queries.BASELINE if against == queries.BASELINE else queries.CURRENT
    campaigns = list(Campaign.objects.values_list("id", "name", "report_cycle"))  # in campaign order
    cycle_of = {cid: cycle for cid, _, cycle in campaigns}
    tasks_qs, scoped = queries.tasks_in_view(work_access.task_filter(user), campaign_id, unit_id)
    # Keyed by the working-day calendar's version too: a year's 放假安排 loaded changes every judgement.
    calendar = workdays.current()
    parts = judged_parts.on((as_of, against, calendar.version))
    with queries.paused_gc():
        order = queries.chart_order(cycle_of, tasks_qs)
        stale = {task_id: (revision, cycle_of[cid]) for task_id, revision, cid in order
                 if (part := parts.get(task_id)) is None or part.revision != revision or part.cycle != cycle_of[cid]}
        if stale:
            found = judged.stored(as_of, against, calendar, stale)
            parts.update(found)
            missing = [task_id for task_id in stale if task_id not in found]
            if missing:
                if len(missing) == len(order) or len(missing) > MOST_BY_ID:
                    fresh = queries.chart_parts(as_of, tasks_qs, cycle_of, scoped, against)
                    fresh = {task_id: fresh[task_id] for task_id in missing if task_id in fresh}
                else:
                    fresh = queries.chart_parts(as_of, Task.objects.filter(pk__in=missing), cycle_of, True, against)
                parts.update(fresh)
                judged.store_today(as_of, against, calendar, fresh)

        shown = [part for part in map(parts.get, [row[0] for row in order]) if part is not None]  # None: gone since
    return campaigns, follow_indicators(shown, tasks_qs, as_of)


def follow_indicators(shown, tasks_qs, as_of):
    """The parts with the light a task serving indicators shows: the worse of its own and its indicators' 序时 lights,
    as the board shows it (queries.follow_indicators). Read on every request, never kept in judged_parts: a figure
    saved moves no task's revision. The kept parts are not changed; a task that follows gets a copy."""
    rows = queries.indicator_rows(tasks_qs, as_of, {part.task[0] for part in shown})
    if not rows:
        return shown
    followed = []
    for part in shown:
        linked = rows.get(part.task[0])
        if linked:
            light = rules.follow_indicators(rules.LIGHTS[part.task[7]], [r["light"] for r in linked])
            task = list(part.task)
            task[7] = queries.LIGHT_INDEX[light]
            part = part._replace(task=task)
        followed.append(part)
    return followed


def gantt_rows(as_of, user, *, campaign_id=None, unit_id=None, light=None, against=None):
    """(JSON bytes, fallback years) of the chart for the tasks this user may read, as of a date.

    JSON: {"as_of", "against", "campaigns": [[id, name]], "units": [[id, short name]], "lights", "light_labels", "statuses",
    "status_labels", "tasks": [[id, campaign_id, number, title, lead_unit_id, start, deadline, light, [unit ids],
    original_deadline]],
    "milestones": [[id, task_id, title, due, done_on, status, follows_id, original_due]], "fallback_years"}: dates as
    days since 1970-01-01, light and status as indexes into `lights` and `statuses`, campaigns and units only those of
    the tasks shown (units by name), tasks in plan order and their milestones in the same order. original_due and
    original_deadline are the first planned dates (the baseline) where an approved re-baseline moved them, else null;
    "against": "current" or "baseline" (lateness judged against the first planned dates, queries.board).

    Each request reads the shown tasks' revisions; a task's part comes from judged_parts, else from the database
    (work.judged), and only a task found in neither under its revision is judged now (shown_parts)."""
    against = queries.BASELINE if against == queries.BASELINE else queries.CURRENT
    with queries.paused_gc():
        campaigns, shown = shown_parts(as_of, user, campaign_id=campaign_id, unit_id=unit_id, against=against)
        years = {as_of.year}.union(*{part.uncovered_years for part in shown})
        if light:
            wanted = queries.LIGHT_INDEX.get(light, -1)
            shown = [part for part in shown if part.task[7] == wanted]
        tasks = [part.task for part in shown]
        unit_ids = set().union(*[task[8] for task in tasks])
        campaign_ids = {task[1] for task in tasks}
        # Only the shown tasks' units (a province has tens of thousands, villages' committees included); past a few
        # thousand ids one read of every unit is cheaper than a long IN list.
        units = Unit.objects.order_by()
        if len(unit_ids) <= 5000:
            units = units.filter(pk__in=unit_ids)
        names = {uid: short or name for uid, name, short in units.values_list("id", "name", "short_name")}
        fallback_years = workdays.fallback_years(date(year, 1, 1) for year in years)
        head = orjson.dumps({
            "as_of": _day(as_of), "against": against,
            "campaigns": [[cid, name] for cid, name, _ in campaigns if cid in campaign_ids],
            "units": sorted(([uid, names.get(uid, "")] for uid in unit_ids), key=lambda u: u[1]),
            "lights": rules.LIGHTS, "light_labels": [rules.LIGHT_LABELS[x] for x in rules.LIGHTS],
            "statuses": rules.STATUSES, "status_labels": [rules.STATUS_LABELS[x] for x in rules.STATUSES],
            "tasks": tasks,
        })
        # The bytes orjson.dumps writes for the whole payload (tests/work/test_gantt_payload.py), with the milestones'
        # JSON that each part holds already.
        data = b"".join([head[:-1], b',"milestones":[', b",".join([part.milestones for part in shown if part.milestones]),
                         b'],"fallback_years":', orjson.dumps(fallback_years), b"}"])
    return data, fallback_years


def gantt_response(data):
    return HttpResponse(data, content_type="application/json")


def gantt_script(data, element_id):
    """What Django's json_script filter writes, for JSON bytes: <, > and & escaped so the data cannot end the tag."""
    data = data.replace(b"<", b"\\u003C").replace(b">", b"\\u003E").replace(b"&", b"\\u0026")
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(data.decode()))
