"""The meeting pack as a print page and as a .docx download: for a meeting, or for a region and period on the fly."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from luoshi.briefings.access import can_edit_overview, can_organise
from luoshi.briefings.pack import access, rules, word
from luoshi.briefings.pack.assemble import build
from luoshi.core import wording
from luoshi.core.dbrouter import reads_replica
from luoshi.core.periods import PeriodError, parse_period
from luoshi.orgs.access import visible_regions


def _month(raw):
    try:
        return parse_period(raw)
    except PeriodError as error:
        return str(error)


def _bars(chart, digits=1):
    """Each series' bars as (name, shown value, left %, width %, own) on one scale from min(0, …) to max(0, …)."""
    values = [v for _, vs in chart["series"] for v in vs if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    rows = []
    for i, name in enumerate(chart["names"]):
        bars = []
        for label, vs in chart["series"]:
            v = vs[i]
            if v is None:
                bars.append({"label": label, "text": "—", "left": 0, "width": 0})
                continue
            start, end = sorted((0.0, float(v)))
            bars.append({"label": label, "text": wording.fixed(v, digits), "left": round((start - low) * 100 / span, 2),
                         "width": round((end - start) * 100 / span, 2), "negative": v < 0,
                         "label_at": round(((start if v < 0 else end) - low) * 100 / span, 2)})
        rows.append({"name": name, "own": chart.get("own") == i, "bars": bars})
    return {"title": chart["title"], "legend": [label for label, _ in chart["series"]], "rows": rows,
            "zero": round(-low * 100 / span, 2)}


def _page(request, built, docx_url, status=200):
    charts = ([_bars(built.value_chart, 2)] if built.value_chart else []) + [_bars(c) for c in built.weakness_charts]
    return render(request, "briefings/pack_print.html", {
        "pack": built, "columns": word.TABLE_COLUMNS, "charts": charts, "docx_url": docx_url,
        "light_column": word.LIGHT_COLUMN, "no_wrap": word.NO_WRAP_COLUMNS,
        "table": [{"cells": [{"text": text, "light": c == word.LIGHT_COLUMN, "nowrap": c in word.NO_WRAP_COLUMNS}
                             for c, text in enumerate(word.indicator_cells(r))], "light": r["light"]}
                  for r in built.rows],
        "outlook": [{"cells": word.outlook_cells(item), "light": item["light"]} for item in built.outlook],
        "outlook_columns": word.OUTLOOK_COLUMNS,
        "overdue": [[o["task"], o["milestone"], word.table_day(o["due"], built.period.year), o["days_late"],
                     o["lead_unit"], o["leader"]] for o in built.work["overdue"]],
        "league": word.league_rows(built.work["league"]) if built.work["league"] else [],
        "daily_sentence": word.daily_sentence(built.daily) if built.daily else "",
        "daily_rows": word.daily_rows(built.daily) if built.daily else [],
        "follow_up_rows": [[f["number"], f["title"], f["lead_unit"], word.table_day(f["deadline"], built.period.year),
                            f["light"], f["standing"]] for f in (built.follow_ups or {}).get("items", [])],
        "projects_sentence": word.projects_sentence(built.projects, built.period) if built.projects else "",
        "projects_cells": word.projects_cells(built.projects) if built.projects else [],
        "red_rows": word.red_rows(built.projects) if built.projects else [],
        "pipeline_sentence": word.pipeline_sentence(built.pipeline, built.period) if built.pipeline else "",
        "pipeline_cells": word.pipeline_cells(built.pipeline) if built.pipeline else [],
        "project_columns": word.PROJECT_COLUMNS, "red_columns": word.RED_COLUMNS,
        "pipeline_columns": word.PIPELINE_COLUMNS,
        "sections": [{**e, "figures": rules.figures_sentence(e["row"])} for e in built.sections],
        "can_edit_overview": built.meeting is not None and can_edit_overview(request.user, built.meeting),
    }, status=status)


def _meeting_pack(request, pk):
    """(the meeting's pack, None), or (None, the page that says why there is none)."""
    meeting = access.get_pack_meeting_for_user(request.user, pk)
    month = _month(meeting.period)
    if isinstance(month, str):  # a meeting stores a checked period; kept safe all the same
        return None, render(request, "briefings/pack_print.html", {"problems": [month]}, status=400)
    return build(meeting.region, month, meeting=meeting), None


@login_required
@reads_replica
def meeting_pack(request, pk):
    built, refused = _meeting_pack(request, pk)
    return refused or _page(request, built, f"{request.path.rstrip('/')}.docx")


@login_required
@reads_replica
def meeting_pack_docx(request, pk):
    built, refused = _meeting_pack(request, pk)
    return refused or word.http_response(built)


def _region_pack(request):
    """(pack or None, problems, the form's choices) for ?region=&period=."""
    code, raw = (request.GET.get("region") or "").strip(), (request.GET.get("period") or "").strip()
    regions = [r for r in visible_regions(request.user).filter(level="county").order_by("code")
               if can_organise(request.user, r)]
    form = {"regions": regions, "region": code[:20], "period": raw[:20]}
    if not code and not raw:
        return None, [], form
    problems = []
    region = access.get_pack_region_for_user(request.user, code) if code else None
    if region is None:
        problems.append("请选择地区")
    month = _month(raw) if raw else "请填写期间，如 2020-03"
    if isinstance(month, str):
        problems.append(month)
    if problems:
        return None, problems, form
    return build(region, month), [], form


@login_required
@reads_replica
def region_pack(request):
    built, problems, form = _region_pack(request)
    if built is None:
        if not form["regions"] and not problems:
            raise PermissionDenied("只有领导、发改局（经济分析）和督查室可以生成会议材料")
        return render(request, "briefings/pack_print.html", {"problems": problems, "form": form},
                      status=400 if problems else 200)
    return _page(request, built, f"{request.path}.docx?region={built.region.code}&period={built.period_code}")


@login_required
@reads_replica
def region_pack_docx(request):
    built, problems, form = _region_pack(request)
    if built is None:
        return render(request, "briefings/pack_print.html", {"problems": problems or ["请选择地区并填写期间"],
                                                             "form": form}, status=400)
    return word.http_response(built)
