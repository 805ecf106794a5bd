"""Read side of the daily reports: a day's rows per village, the roll-up by town, streaks. No writes.

The roll-up is two aggregate queries (expected villages per town; reports, late, zero and numeric sums per
town), so reading a whole district's day does not load one row per village.
"""

from datetime import date, timedelta

from django.db import connections
from django.db.models import Count, IntegerField, Max, Min, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from luoshi.daily import rules
from luoshi.daily.models import DailyReport, FormAssignment
from luoshi.orgs.models import Region


def _assigned_on(day):
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def day_rows(form, day: date, village_q=Q()):
    """One dict per village expected to report on the day, in code order."""
    assigned = (FormAssignment.objects.filter(_assigned_on(day), village_q, form=form)
                .values_list("village_id", "village__code", "village__name", "village__parent__code", "village__parent__name")
                .order_by("village__code"))
    reports = {r[0]: r for r in DailyReport.objects.filter(village_q, form=form, day=day, is_current=True)
               .values_list("village_id", "first_submitted_at", "late", "zero_report", "values", "version", "submitted_at")}
    rows = []
    for village_id, code, name, town, town_name in assigned:
        report = reports.get(village_id)
        rows.append({
            "village": code, "name": name, "town": town, "town_name": town_name,
            "status": rules.day_status(report[2] if report else None),
            "submitted_at": report[1] if report else None,
            "zero_report": report[3] if report else False,
            "values": report[4] if report else {},
            "version": report[5] if report else 0,
            "last_submitted_at": report[6] if report else None,
        })
    return rows


def town_rollup(form, day: date, village_q=Q()):
    """[(town code, town name, Tally)] for the towns with villages on the form that day, and the district total."""
    keys = form.current_version.numeric_keys
    expected = _with_town_names(FormAssignment.objects.filter(_assigned_on(day), village_q, form=form)
                                .values("village__parent").annotate(n=Count("id")).order_by())
    sums = {f"sum_{k}": Sum(Cast(KT(f"values__{k}"), IntegerField())) for k in keys}
    # By the village's parent id, not the town's code: no join to the towns for each of the district's reports (the
    # assignments above name the towns)
    reported = (DailyReport.objects.filter(village_q, form=form, day=day, is_current=True)
                .values("village__parent")
                .annotate(on_time=Count("id", filter=Q(late=False)), late_n=Count("id", filter=Q(late=True)),
                          zero=Count("id", filter=Q(zero_report=True)), **sums).order_by())
    by_town = {r["village__parent"]: r for r in reported}
    towns = []
    for code, name, parent, n in sorted(expected):
        r = by_town.get(parent, {})
        tally = rules.Tally(expected=n, on_time=r.get("on_time", 0), late=r.get("late_n", 0), zero=r.get("zero", 0),
                            sums={k: r.get(f"sum_{k}") or 0 for k in keys})
        towns.append((code, name, tally))
    total = rules.roll_up(t for _, _, t in towns)
    total.sums = {k: total.sums.get(k, 0) for k in keys}
    return towns, total


def _with_town_names(grouped):
    """(town code, town name, town id, n) for each row of `grouped` — a values("village__parent") query annotated
    with n — whose towns are looked up after grouping: a hundred or so lookups, not one per village (20,000 in a
    district, each its own index probe when the planner's figures for the day's rows are stale). Read where the
    query reads (the replica inside a replica-read view)."""
    sql, params = grouped.query.get_compiler(grouped.db).as_sql()
    towns = connections[grouped.db].ops.quote_name(Region._meta.db_table)
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(f"SELECT t.code, t.name, g.village__parent, g.n FROM ({sql}) g "
                       f"LEFT JOIN {towns} t ON t.id = g.village__parent", params)
        return cursor.fetchall()


def history(form, end: date, days: int, village_q=Q()):
    """Per village over the `days` days ending at `end`: statuses newest first (days on the form only),
    the on-time streak and the days missed. Returns a list of dicts in code order."""
    start = end - timedelta(days=days - 1)
    assigned = list(FormAssignment.objects.filter(village_q, form=form, starts_on__lte=end)
                    .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
                    .values_list("village_id", "village__code", "village__name", "village__parent__name", "starts_on", "ends_on")
                    .order_by("village__code"))
    late = {(v, d): lt for v, d, lt in DailyReport.objects.filter(village_q, form=form, day__range=(start, end), is_current=True)
            .values_list("village_id", "day", "late")}
    rows = []
    for village_id, code, name, town_name, starts_on, ends_on in assigned:
        statuses = []
        for offset in range(days):
            day = end - timedelta(days=offset)
            if day < starts_on or (ends_on and day > ends_on):
                continue
            statuses.append(rules.day_status(late.get((village_id, day))))
        rows.append({"village": code, "name": name, "town_name": town_name, "statuses": statuses,
                     "streak": rules.on_time_streak(statuses), "missed": statuses.count(rules.MISSING),
                     "late": statuses.count(rules.LATE)})
    return rows


def village_reports(form, village, end: date, days: int):
    """Every version of the village's reports over the days ending at `end`, newest day first, versions in order."""
    start = end - timedelta(days=days - 1)
    reports = (DailyReport.objects.filter(form=form, village=village, day__range=(start, end))
               .select_related("form_version", "submitted_by").order_by("-day", "version"))
    by_day = {}
    for report in reports:
        by_day.setdefault(report.day, []).append(report)
    return by_day


def active_forms_for_village(village, day):
    return [a.form for a in FormAssignment.objects.filter(_assigned_on(day), village=village, form__active=True)
            .select_related("form__current_version").order_by("form__code")]


def report_days(first: date, last: date, village_q=Q()):
    """The days first..last on which any village (of village_q) has a current report: (first day, last day, how many
    days), or None when there is none (what a summary over a range may truthfully claim)."""
    found = (DailyReport.objects.filter(village_q, day__range=(first, last), is_current=True)
             .aggregate(first=Min("day"), last=Max("day"), days=Count("day", distinct=True)))
    return (found["first"], found["last"], found["days"]) if found["first"] else None


def town_rollup_range(first: date, last: date, village_q=Q()):
    """Over the days first..last, every form together: [(town code, town name, Tally)] where expected counts
    village-days on a form (rules.days_assigned) and on_time / late the current reports of those days; and the
    total. Empty when no village was on a form in the range."""
    expected = {}
    assignments = (FormAssignment.objects.filter(village_q, starts_on__lte=last)
                   .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
                   .values_list("village__parent__code", "village__parent__name", "starts_on", "ends_on"))
    for code, name, starts_on, ends_on in assignments:
        key = (code, name)
        expected[key] = expected.get(key, 0) + rules.days_assigned(first, last, starts_on, ends_on)
    reported = {r["village__parent__code"]: r for r in
                DailyReport.objects.filter(village_q, day__range=(first, last), is_current=True)
                .values("village__parent__code")
                .annotate(on_time=Count("id", filter=Q(late=False)), late_n=Count("id", filter=Q(late=True))).order_by()}
    towns = []
    for (code, name), n in sorted(expected.items()):
        if not n:
            continue
        r = reported.get(code, {})
        towns.append((code, name, rules.Tally(expected=n, on_time=r.get("on_time", 0), late=r.get("late_n", 0))))
    return towns, rules.roll_up(t for _, _, t in towns)
