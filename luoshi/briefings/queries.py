"""Read side of meetings: each responsible indicator with its figures (indicators.queries.table, the same numbers as
the indicator table) and its current section; who has and has not submitted; the follow-up items and their tasks."""

from luoshi.briefings.models import FollowUp, Section
from luoshi.core.periods import parse_period
from luoshi.indicators import queries as indicator_queries
from luoshi.indicators.models import Indicator
from luoshi.indicators.responsibility import responsible_units


def figures(meeting):
    """{indicator code: the indicator table's row} for the meeting's region and period."""
    return {row["indicator"]: row for row in indicator_queries.table(meeting.region, parse_period(meeting.period))}


def overview(meeting, unit_ids=None):
    """One row per indicator with a responsible unit (only those of `unit_ids` when given): indicator, unit, figures,
    current section (or None) and how many versions it has."""
    owners = responsible_units(meeting.region)
    table = figures(meeting)
    current = {(s.indicator_id, s.unit_id): s for s in Section.objects.filter(meeting=meeting, is_current=True)
               .select_related("submitted_by", "proxy_by")}
    rows = []
    for indicator in Indicator.objects.filter(pk__in=owners):
        unit = owners[indicator.pk]
        if unit_ids is not None and unit.pk not in unit_ids:
            continue
        section = current.get((indicator.pk, unit.pk))
        rows.append({"indicator": indicator, "unit": unit, "figures": table.get(indicator.code), "section": section})
    return rows


def submission_summary(rows):
    """Per unit: the indicators it answers for, how many it has submitted, and whether it is complete."""
    units = {}
    for row in rows:
        entry = units.setdefault(row["unit"].pk, {"unit": row["unit"], "indicators": [], "done": 0})
        entry["indicators"].append(row["indicator"].name)
        entry["done"] += row["section"] is not None
    result = sorted(units.values(), key=lambda e: e["unit"].code)
    for entry in result:
        entry["total"] = len(entry["indicators"])
        entry["complete"] = entry["done"] == entry["total"]
    return result


def history(meeting, indicator, unit):
    return list(Section.objects.filter(meeting=meeting, indicator=indicator, unit=unit).select_related("submitted_by")
                .order_by("-version"))


def follow_ups(meeting):
    return list(FollowUp.objects.filter(meeting=meeting).select_related("task__lead_unit").order_by("id"))


def follow_up_rows(meeting, as_of):
    """The meeting's follow-up items with their task's light and milestone status as key work judges them today."""
    from django.db.models import Q

    from luoshi.work import queries as work_queries
    from luoshi.work import rules as work_rules

    items = follow_ups(meeting)
    if not items:
        return []
    judged = work_queries.board(as_of, Q(pk__in=[f.task_id for f in items]))
    tasks = {t["id"]: t for t in judged.tasks}
    status = {}
    for m in judged.milestones:
        status.setdefault(m["task_id"], m["status"])
    rows = []
    for item in items:
        task = tasks.get(item.task_id, {})
        rows.append({"follow_up": item, "task": item.task, "light": task.get("light"),
                     "light_label": work_rules.LIGHT_LABELS.get(task.get("light"), ""),
                     "status": status.get(item.task_id),
                     "status_label": work_rules.STATUS_LABELS.get(status.get(item.task_id), "")})
    return rows
