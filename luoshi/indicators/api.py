"""The indicators JSON API: read the table, the matrix and an indicator's series; post figures in bulk."""

from django.utils import timezone
from ninja import Router, Schema

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
