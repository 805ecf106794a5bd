"""The indicators JSON API: read the table, the matrix and an indicator's series; post figures in bulk."""

from django.utils import timezone
from ninja import Router, Schema

from luoshi.core.dbrouter import reads_replica
from luoshi.core.periods import PeriodError, parse_period, parse_year
from luoshi.core.problems import Rejected
from luoshi.indicators import access, queries, services
from luoshi.indicators.models import Indicator
from luoshi.indicators.transfers import check_figure_records

router = Router(tags=["经济运行"])


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    frequency: str
    kind: str
    jan_with_feb: bool


class FigureIn(Schema):
    region: str
    indicator: str
    period: str
    value: float | str | None = None
    growth: float | str | None = None
    unit: str | None = None


class FiguresIn(Schema):
    source: str = "API"
    figures: list[FigureIn]


def _period(raw):
    try:
        return parse_period(raw)
    except PeriodError as error:
        raise Rejected(str(error))


@router.get("/catalog", response=list[IndicatorOut], summary="指标目录")
def catalog(request):
    access.require_reader(request.user)
    return list(Indicator.objects.all())


@router.get("/table", summary="指标表（与 luoshi indicators table --json 相同的字段）")
def table(request, region: str, period: str):
    found = access.get_region_for_user(request.user, region)
    return queries.table(found, _period(period))


@router.get("/matrix", summary="全市各区县对比（增长与位次）")
@reads_replica
def matrix(request, city: str, period: str, sort: str | None = None):
    found = access.get_city_for_user(request.user, city)
    return queries.matrix(found, _period(period), sort=sort)


@router.get("/series/{code}", summary="一个指标的逐月累计值、目标轨迹、位次、各区县增长与修订记录")
def series(request, code: str, region: str, year: int | None = None, period: str | None = None):
    from django.http import Http404

    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404(f"指标 {code} 不存在")
    found = access.get_region_for_user(request.user, region)
    year = parse_year(year) if year is not None else None
    month = _period(period) if period else None
    latest = queries.latest_period(found)
    year = year or (month.year if month else None) or (latest.year if latest else timezone.localdate().year)
    return queries.series(found, indicator, year, month)


@router.post("/figures", summary="批量提交指标数据（校验与导入相同，全部无误才保存）")
def post_figures(request, body: FiguresIn):
    access.require_writer(request.user)
    entries = check_figure_records([f.dict() for f in body.figures], request.user)
    if not entries:
        raise Rejected("没有任何指标数据")
    return services.save_figures(request.user, entries, source=body.source or "API")


class ResponsibilityIn(Schema):
    region: str
    indicator: str
    unit: str  # the unit's code or name


@router.get("/responsibilities", summary="各指标的责任单位（一个地区）")
def responsibilities(request, region: str):
    from luoshi.indicators.responsibility import responsible_units

    found = access.get_region_for_user(request.user, region)
    owners = responsible_units(found)
    return [{"indicator": i.code, "name": i.name, "unit": owners[i.pk].code if i.pk in owners else None,
             "unit_name": owners[i.pk].name if i.pk in owners else None} for i in Indicator.objects.all()]


@router.post("/responsibilities", summary="设定一个指标在一个地区的责任单位（统计局、发改局）")
def set_responsibility(request, body: ResponsibilityIn):
    from django.http import Http404

    from luoshi.indicators.responsibility import resolve_unit

    access.require_writer(request.user)
    found = access.get_region_for_user(request.user, body.region, write=True)
    indicator = Indicator.objects.filter(code=body.indicator).first()
    if indicator is None:
        raise Http404(f"指标 {body.indicator[:40]} 不存在")
    unit, message = resolve_unit(found, body.unit)
    if message:
        raise Rejected(message)
    services.save_responsibilities(request.user, [{"region_id": found.pk, "indicator_id": indicator.pk,
                                                   "unit_id": unit.pk}], source="API")
    return {"region": found.code, "indicator": indicator.code, "unit": unit.code, "unit_name": unit.name}
