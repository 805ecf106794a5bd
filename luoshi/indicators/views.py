"""Indicator pages: the table, the city matrix, an indicator's charts, imports, templates, the catalog."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from luoshi.core.dbrouter import reads_replica
from luoshi.core.exports import http_response
from luoshi.core.import_view import import_page
from luoshi.core.offers import offers_for
from luoshi.core.periods import PeriodError, parse_period, period_code, period_label, previous_month
from luoshi.core.problems import Rejected
from luoshi.indicators import access, queries, rules, services
from luoshi.indicators.exports import TEMPLATES, MatrixExport, TableExport
from luoshi.indicators.models import Figure, Frequency, Indicator, Kind
from luoshi.indicators.responsibility import region_units, resolve_unit, responsible_units
from luoshi.indicators.transfers import (LONG_COLUMNS, MONTH_COLUMNS, TARGET_COLUMNS, check_figure_records,
                                         import_indicators, import_targets)
from luoshi.orgs.access import access_for
from luoshi.orgs.models import Region


def _period(request, region):
    raw = request.GET.get("period")
    if raw:
        try:
            return parse_period(raw)
        except PeriodError as error:
            messages.error(request, f"{error}，已按最近一期显示")
    return _latest(Figure.objects.filter(region=region, current=True))


def _latest(figures):
    """The page's default period: the latest period with figures up to this month (a figure entered ahead for a
    later period does not move it), else last month."""
    this_month = timezone.localdate().replace(day=1)
    return figures.filter(period__lte=this_month).order_by("-period").values_list("period", flat=True).first() \
        or previous_month(this_month)


def _region(request):
    code = request.GET.get("region")
    return access.get_region_for_user(request.user, code) if code else access.default_region(request.user)


def _periods(region):
    return [period_code(p) for p in Figure.objects.filter(region=region, current=True).values_list("period", flat=True)
            .distinct().order_by("-period")[:36]]


def _decorate(rows):
    for r in rows:
        r["light_label"] = rules.LIGHT_LABELS[r["light"]]
        r["band_label"] = rules.BAND_LABELS[r["band"]] if r["band"] else ""
        r["trajectory_light_label"] = rules.LIGHT_LABELS[r["trajectory_light"]]
    return rows


@login_required
def index(request):
    region = _region(request)
    period = _period(request, region)
    rows = _decorate(queries.table(region, period))
    return render(request, "indicators/index.html", {
        "region": region, "period": period, "period_code": period_code(period), "period_label": period_label(period),
        "rows": rows, "weaknesses": [r for r in rows if r["band"] == rules.WEAKNESS],
        "strengths": [r for r in rows if r["band"] == rules.STRENGTH],
        "has_trajectory": any(r["trajectory_progress"] is not None for r in rows),
        "regions": access.readable_regions(request.user), "periods": _periods(region),
        "can_write": access.is_writer(request.user), "city": region.parent if region.parent_id else None,
    })


@login_required
def table_xlsx(request):
    region = _region(request)
    period = _period(request, region)
    return http_response(TableExport(region, period, queries.table(region, period)))


def _matrix_data(request):
    code = request.GET.get("city")
    if code:
        city = access.get_city_for_user(request.user, code)
    else:
        region = access.default_region(request.user)
        city = region.parent if region.parent_id else region
        city = access.get_city_for_user(request.user, city.code)
    raw = request.GET.get("period")
    period = None
    if raw:
        try:
            period = parse_period(raw)
        except PeriodError as error:
            messages.error(request, f"{error}，已按最近一期显示")
    if period is None:
        period = queries.matrix_latest_period(city) or previous_month(timezone.localdate().replace(day=1))
    return city, period, queries.matrix(city, period, sort=request.GET.get("sort"))


def _matrix_body(rows, period, readable):
    """The matrix's rows as HTML (what the template wrote: a row each, the region linked where the reader may open
    it, growth and rank per cell, the average rank), built here in one pass: 150 rows × 60 cells through the
    template engine cost more than the query (docs/benchmarks.md). Region names are user text: escaped."""
    link = escape(reverse("indicators:index"))
    period = escape(period)
    parts = []
    for row in rows:
        region, name = escape(row["region"]), escape(row["name"])
        if readable is None or row["region"] in readable:
            name = f'<a href="{link}?region={region}&period={period}">{name}</a>'
        cells = "".join('<td class="num">—</td>' if c["growth"] is None
                        else f'<td class="num">{float(c["growth"]):g} · <strong>{int(c["rank"])}</strong></td>'
                        for c in row["cells"])
        average = "—" if row["average_rank"] is None else escape(localize(row["average_rank"]))
        parts.append(f'\n    <tr data-region="{region}"><th>{name}</th>\n      {cells}\n      <td class="num">{average}</td></tr>\n  ')
    return mark_safe("".join(parts))


@login_required
@reads_replica
def matrix(request):
    city, period, data = _matrix_data(request)
    readable = access.readable_region_ids(request.user)
    if readable is not None:  # link only the districts the reader may open (the others answer 403)
        readable = set(Region.objects.filter(pk__in=readable).values_list("code", flat=True))
    code = period_code(period)
    return render(request, "indicators/matrix.html", {
        "city": city, "period": period, "period_code": code, "data": data, "body": _matrix_body(data["rows"], code, readable),
        "sort": request.GET.get("sort", ""), "periods": [period_code(p) for p in queries.matrix_periods(city)],
        "can_write": access.is_writer(request.user)})


@login_required
@reads_replica
def matrix_xlsx(request):
    _, _, data = _matrix_data(request)
    return http_response(MatrixExport(data))


@login_required
def indicator(request, code):
    item = Indicator.objects.filter(code=code).first()
    if item is None:
        raise Http404(f"指标 {code} 不存在")
    region = _region(request)
    period = _period(request, region)
    data = queries.series(region, item, period.year, period)
    return render(request, "indicators/indicator.html", {
        "indicator": item, "region": region, "period": period, "period_label": period_label(period), "data": data,
        "chart": {k: data[k] for k in ("months", "actual", "target", "growth", "ranks", "peers", "bars", "unit", "name",
                                       "region_name", "target_value")},
        "regions": access.readable_regions(request.user), "periods": _periods(region),
        "can_write": access.is_writer(request.user), "can_enter": access.can_write_figures(request.user, region)
        and access.is_writer(request.user), "period_code": period_code(period),
        "responsible": responsible_units(region).get(item.pk),
        "can_assign": access.is_writer(request.user) and access.can_write_targets(request.user, region),
        "region_units": region_units(region),
        # Other sources' figures beside the statistics bureau's (core.offers: the 招商 ledger's, the projects'), never
        # in its place; shown for the period of the page's figure.
        "offers": offers_for(request.user, item.code, region, period),
        "statistics_figure": next((h for h in data["history"] if h["current"] and h["period"] == period_code(period)), None),
    })


@login_required
@require_POST
def set_responsible(request, code):
    """The indicator's responsible unit (责任单位) in a region, chosen on the indicator page."""
    item = Indicator.objects.filter(code=code).first()
    if item is None:
        raise Http404(f"指标 {code} 不存在")
    access.require_writer(request.user)
    region = access.get_region_for_user(request.user, request.POST.get("region", ""), write=True)
    unit, message = resolve_unit(region, request.POST.get("unit", ""))
    if message:
        messages.error(request, "未保存：" + message)
    else:
        services.save_responsibilities(request.user, [{"region_id": region.pk, "indicator_id": item.pk,
                                                       "unit_id": unit.pk}], source="指标页面")
        messages.success(request, f"已设定{region.name}{item.name}的责任单位：{unit.name}")
    return redirect(f"{reverse('indicators:indicator', args=[code])}?region={region.code}")


@login_required
@require_POST
def enter_figure(request, code):
    """One figure typed in on the indicator page: the same checks as an import; a different figure is a new version."""
    access.require_writer(request.user)
    region = access.get_region_for_user(request.user, request.POST.get("region", ""))
    data = request.POST
    record = {"region": region.code, "indicator": code, "period": data.get("period", ""), "value": data.get("value") or None,
              "growth": data.get("growth") or None, "unit": data.get("unit") or None}
    try:
        entries = check_figure_records([record], request.user)
        if not entries:
            raise Rejected("累计值和同比增长至少填写一项")
        counts = services.save_figures(request.user, entries, source="页面录入")
    except Rejected as rejected:
        messages.error(request, "未保存：" + "；".join(p.message for p in rejected.problems))
    else:
        outcome = "已保存" if counts["created"] else "已保存为新版本（原版本保留）" if counts["revised"] else "与现有数据相同，未变化"
        messages.success(request, outcome)
    return redirect(f"{reverse('indicators:indicator', args=[code])}?region={region.code}&period={data.get('period', '')}")


@login_required
def import_view(request):
    access.require_writer(request.user)
    kind = request.POST.get("kind", "indicators")
    importer = {"indicators": import_indicators, "targets": import_targets}.get(kind)
    return import_page(request, importer, "indicators/import.html", "indicators:import",
                       {"kind": kind, "long_columns": LONG_COLUMNS, "target_columns": TARGET_COLUMNS,
                        "month_columns": MONTH_COLUMNS, "can_write": True},
                       refuse=None if importer else f"未知的导入种类：{kind}")


@login_required
def template(request, kind):
    access.require_reader(request.user)
    if kind not in TEMPLATES:
        raise Http404("没有这个模板")
    return http_response(TEMPLATES[kind]())


@login_required
def catalog(request):
    access.require_reader(request.user)
    is_admin = access_for(request.user).is_admin
    form = {}
    if request.method == "POST":
        access.require_catalog_admin(request.user)
        form = request.POST
        try:
            item = services.save_indicator(request.user, code=form.get("code", ""), name=form.get("name", ""),
                                           unit=form.get("unit", ""), frequency=form.get("frequency", ""),
                                           kind=form.get("kind", ""), jan_with_feb=form.get("jan_with_feb") == "1",
                                           aliases=form.get("aliases", ""))
        except Rejected as rejected:
            messages.error(request, "未保存：" + "；".join(rejected.messages))
        else:
            messages.success(request, f"已保存指标 {item.name}（{item.code}）")
            return redirect("indicators:catalog")
    return render(request, "indicators/catalog.html", {"indicators": Indicator.objects.all(), "is_admin": is_admin,
                                                       "frequencies": Frequency.choices, "kinds": Kind.choices, "form": form,
                                                       "can_write": access.is_writer(request.user)},
                  status=400 if request.method == "POST" else 200)
