"""The league table page (考核排名) and its xlsx export."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from luoshi.core.dbrouter import reads_replica
from luoshi.core.exports import http_response
from luoshi.core.periods import previous_month
from luoshi.core.problems import Rejected
from luoshi.supervision.league import access, rules
from luoshi.supervision.league import queries as league_queries
from luoshi.supervision.league.exports import LeagueExport
from luoshi.work import queries as work_queries


def default_period(region, today):
    """The last complete month (November on 7 December). When the region's latest progress report is older than
    that month, the last month complete before that report instead (an old plan such as the 2020 demo opens on its
    last judged month)."""
    last_complete = previous_month(today.replace(day=1))
    latest = work_queries.latest_report_day(league_queries.region_filter(region, "lead_unit__region__code"))
    base = latest if latest and latest < last_complete else today
    return previous_month(base.replace(day=1))


def _table(request):
    """(region, the month asked for, the table or None, problems)."""
    today = timezone.localdate()
    region = access.get_league_region_for_user(request.user, request.GET.get("region"))
    raw = request.GET.get("period")
    try:
        period = rules.parse_month(raw, "考核月份") if raw else default_period(region, today)
        return region, period, league_queries.league(period, region=region, today=today), []
    except Rejected as rejected:
        return region, None, None, rejected.messages


@login_required
@reads_replica
def league_page(request):
    region, period, table, problems = _table(request)
    regions = list(access.league_regions(request.user).order_by("code"))
    context = {"region": region, "regions": regions, "table": table, "problems": problems,
               "period": period, "raw_period": (request.GET.get("period") or "")[:20],
               "count_labels": [league_queries.COLUMN_LABELS[k] for k in league_queries.COUNT_KEYS],
               "weights": [(league_queries.COLUMN_LABELS[k], w) for k, w in rules.WEIGHTS.items()],
               "base": rules.BASE, "band_size": rules.BAND_SIZE}
    if table is not None:
        from luoshi.supervision.consequences.views import league_extras

        context.update(league_extras(request, region, table))  # 结果运用: adjustments, 典型经验, the month's 通报
    if period is not None:
        context["previous_period"] = previous_month(period)
        following = rules.month_last(period) + timedelta(days=1)
        if following <= timezone.localdate():
            context["next_period"] = following
    return render(request, "supervision/league.html", context, status=400 if problems else 200)


@login_required
@reads_replica
def league_export(request):
    region, period, table, problems = _table(request)
    if table is None:
        return render(request, "supervision/league.html", {"region": region, "problems": problems, "regions": []},
                      status=400)
    return http_response(LeagueExport(table))
