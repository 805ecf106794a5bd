"""Gantt rows for the chart (compact arrays, dates as day numbers) and for the xlsx export."""

import hashlib
from datetime import date

import orjson
from django.apps import apps
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from luoshi.audit.services import latest_entry_id
from luoshi.core.exports import Export
from luoshi.work import access as work_access
from luoshi.work import queries, rules

EPOCH = date(1970, 1, 1).toordinal()
def _day(value):
    return None if value is None else value.toordinal() - EPOCH


# How long a computed chart is kept at most. A change to the plan is seen at once (the key holds the plan's
# version); the bound only matters when two writes commit out of the order of their audit entries.
CACHE_SECONDS = 60


def plan_version():
    """Changes with every write to the plan, the progress reports or the units' names: every such write goes
    through an audited service, so the newest audit entry about those models is the version."""
    labels = [model._meta.label for model in apps.get_app_config("work").get_models()] + ["orgs.Unit"]
    return latest_entry_id(labels)


def gantt_rows(as_of, user, **filters):
    """(JSON bytes, fallback years) of the chart for the tasks this user may read as of a date, judged once per
    plan version, date, scope and filters in each server process, then read from the cache: the chart is opened
    far more often than the plan changes (docs/benchmarks.md). The tasks and the key's scope both come from
    work.access, so two users share a cached chart only when they may read the same tasks."""
    task_q = work_access.task_filter(user)
    parts = f"{plan_version()}|{as_of.isoformat()}|{work_access.task_scope_key(user)}|{sorted(filters.items())!r}"
    key = "work:gantt:" + hashlib.sha1(parts.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        with queries.paused_gc():
            chart = queries.chart(as_of, task_q, **filters)
            found = (gantt_json(_payload(chart)), chart.fallback_years)
            # Free the tens of thousands of rows before the collector is back, or its next pass walks them all.
            del chart
        cache.set(key, found, CACHE_SECONDS)
    return found


def _payload(chart):
    """Everything the chart needs, small enough to embed for 5,000 tasks and 25,000 milestones.

    tasks:      [id, campaign_id, number, title, lead_unit_id, start, deadline, light, [unit ids]]
    milestones: [id, task_id, title, due, done_on, status, follows_id, original_due]
    Dates are days since 1970-01-01; light and status are indexes into `lights` and `statuses`.
    The rows come compact from queries.chart.
    """
    campaign_ids = {t[1] for t in chart.tasks}
    return {
        "as_of": _day(chart.as_of),
        "campaigns": [[cid, name] for cid, name in chart.campaigns.items() if cid in campaign_ids],
        "units": sorted(([uid, chart.units.get(uid, "")] for uid in chart.unit_ids), key=lambda u: u[1]),
        "lights": rules.LIGHTS, "light_labels": [rules.LIGHT_LABELS[x] for x in rules.LIGHTS],
        "statuses": rules.STATUSES, "status_labels": [rules.STATUS_LABELS[x] for x in rules.STATUSES],
        "tasks": chart.tasks, "milestones": chart.milestones, "fallback_years": chart.fallback_years,
    }


# The payload for 5,000 tasks is about 1.8 MB of JSON: orjson writes it in a few milliseconds where the json
# module takes about 50 (docs/benchmarks.md). The payload holds only ints, strings, None, lists and dicts.
def gantt_json(payload):
    return orjson.dumps(payload)


def gantt_response(data):
    return HttpResponse(data, content_type="application/json")


def gantt_script(data, element_id):
    """What Django's json_script filter writes, for JSON bytes: <, > and & escaped so the data cannot end the tag."""
    data = data.replace(b"<", b"\\u003C").replace(b">", b"\\u003E").replace(b"&", b"\\u0026")
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(data.decode()))


class GanttExport(Export):
    filename = "横道图"
    sheet_title = "横道图"
    headers = ["攻坚战", "序号", "重点任务", "节点", "牵头单位", "开始日期", "完成时限", "原定完成时限", "应完成日",
               "实际完成日期", "状态", "滞后工作日", "任务亮灯"]
    column_widths = {1: 16, 2: 8, 3: 36, 4: 36, 5: 14}

    def __init__(self, board):
        self.board = board

    def rows(self):
        by_task = {}
        for m in self.board.milestones:
            by_task.setdefault(m["task_id"], []).append(m)
        for t in self.board.tasks:
            light = rules.LIGHT_LABELS[t["light"]]
            yield [t["campaign"], t["number"], t["title"], "", t["lead_unit"], t["start"], t["deadline"], None, None, None,
                   "", None, light]
            for m in by_task.get(t["id"], []):
                yield [t["campaign"], m["number"], t["title"], m["title"], t["lead_unit"], m["start"], m["due"],
                       m["original_due"], m["effective_due"], m["done_on"], rules.STATUS_LABELS[m["status"]],
                       m["working_days_late"], light]

    def style_workbook(self, worksheet):
        for row in worksheet.iter_rows(min_row=2):
            for index in (5, 6, 7, 8, 9):
                if row[index].value:
                    row[index].number_format = "yyyy-mm-dd"
