"""Read side of the loaded 放假安排: what core.workdays counts with (registered by HolidaysConfig.ready()), the
years' overview, one version's days, and which years administrators are asked to load."""

from django.db import DatabaseError, connections, router, transaction
from django.db.models import Count, Max, Q

from luoshi.core import workdays
from luoshi.holidays import rules
from luoshi.holidays.models import Arrangement, HolidayDay


def _reading(read):
    """Run `read(alias)` on the database reads go to; inside a transaction in a savepoint, so that a table not there
    yet (a migration before this app's, such as supervision's, counting working days) fails alone and leaves the
    transaction usable. No table yet: nothing loaded (None); any other error is raised (core.workdays keeps the
    calendar it has)."""
    alias = router.db_for_read(Arrangement)
    try:
        if connections[alias].in_atomic_block:
            with transaction.atomic(using=alias):
                return read(alias)
        return read(alias)
    except DatabaseError:
        if Arrangement._meta.db_table not in connections[alias].introspection.table_names():
            return None
        raise


def calendar_stamp():
    """A value that changes with every load (loads only add arrangements): the highest arrangement id."""
    return _reading(lambda alias: Arrangement.objects.using(alias).aggregate(last=Max("id"))["last"])


def loaded_calendar():
    """{year: (rest days, working days)} of each year's latest version."""

    def read(alias):
        latest = {}
        for pk, year, version in Arrangement.objects.using(alias).order_by().values_list("id", "year", "version"):
            if year not in latest or version > latest[year][1]:
                latest[year] = (pk, version)
        calendar = {year: (set(), set()) for year in latest}
        year_of = {pk: year for year, (pk, _) in latest.items()}
        days = HolidayDay.objects.using(alias).filter(arrangement_id__in=list(year_of)).order_by()
        for arrangement_id, day, kind in days.values_list("arrangement_id", "day", "kind"):
            calendar[year_of[arrangement_id]][0 if kind == rules.REST else 1].add(day)
        return calendar

    return _reading(read) or {}


def current(year):
    """The year's latest arrangement, or None."""
    return Arrangement.objects.filter(year=year).order_by("-version").first()


def versions(year):
    """Every version of the year's arrangement, the latest first, with its counts of rest and working days."""
    return list(Arrangement.objects.filter(year=year).annotate(
        rest=Count("days", filter=Q(days__kind=rules.REST)), work=Count("days", filter=Q(days__kind=rules.WORK)))
        .order_by("-version"))


def days_of(arrangement):
    return list(arrangement.days.order_by("day"))


def overview(today):
    """The years to show: every loaded year, this year and the next, the latest first, each with where its working
    days come from."""
    loaded = {row["year"]: row for row in Arrangement.objects.order_by().values("year").annotate(
        versions=Count("id"), latest=Max("version"))}
    years = sorted(set(loaded) | {today.year, today.year + 1}, reverse=True)
    return [_overview_row(year, loaded.get(year)) for year in years]


def _overview_row(year, loaded):
    if loaded:
        source = "已录入"
    elif workdays.package_covers(year):
        source = "内置日历（chinesecalendar）"
    else:
        source = "未录入：按周一至周五计算"
    return {"year": year, "source": source, "loaded": bool(loaded), "versions": loaded["versions"] if loaded else 0,
            "latest": loaded["latest"] if loaded else None, "missing": not loaded and not workdays.covers(year)}


def missing_years(today):
    """The years administrators are asked to load on this day (rules.years_wanted) that no calendar covers."""
    return [year for year in rules.years_wanted(today) if not workdays.covers(year)]


def overview_of(years):
    """overview()'s rows for these years only."""
    loaded = {row["year"]: row for row in Arrangement.objects.filter(year__in=years).order_by().values("year").annotate(
        versions=Count("id"), latest=Max("version"))}
    return [_overview_row(year, loaded.get(year)) for year in years]


def check_seconds():
    """How long another server may take to count with a year just loaded (LUOSHI_HOLIDAY_CHECK_SECONDS)."""
    from django.conf import settings

    return getattr(settings, "LUOSHI_HOLIDAY_CHECK_SECONDS", workdays.CHECK_SECONDS)
