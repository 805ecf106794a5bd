"""Who answers for which indicator in a region (责任单位): reading and resolving. Writes: services.save_responsibilities."""

from django.db.models import Q

from luoshi.indicators.models import Responsibility
from luoshi.orgs.models import Unit


def responsible_units(region):
    """{indicator id: unit} for this region."""
    return {r.indicator_id: r.unit for r in Responsibility.objects.filter(region=region).select_related("unit")}


def region_units(region):
    """The units that may answer for the region's indicators: those of the region and under it."""
    return Unit.objects.filter(region__code__startswith=region.prefix).order_by("code")


def resolve_unit(region, raw):
    """The unit named by `raw` (its code, name or short name) for this region; (unit, None) or (None, Chinese message)."""
    raw = (raw or "").strip()
    if not raw:
        return None, "责任单位不能为空"
    unit = Unit.objects.select_related("region").filter(Q(code=raw) | Q(name=raw) | Q(short_name=raw)).order_by(
        "-region__code").filter(region__code__startswith=region.prefix).first()
    if unit is not None:
        return unit, None
    if Unit.objects.filter(Q(code=raw) | Q(name=raw) | Q(short_name=raw)).exists():
        return None, f"单位「{raw[:40]}」不属于{region.name}，不能作为其指标的责任单位"
    return None, f"未知的责任单位「{raw[:40]}」（应为单位代码或名称）"
