"""The organisation sheet's downloads: the regions and units an administrator manages (the same columns the import
reads, so an export imports again unchanged) and the blank import template."""

from luoshi.core.exports import Export
from luoshi.core.registry import register_exporter
from luoshi.orgs.access import managed_regions, managed_units
from luoshi.orgs.models import Region, Unit
from luoshi.orgs.transfers import COLUMNS

HEADERS = COLUMNS + ["简称"]  # 简称 is optional in an import


class OrgExport(Export):
    filename = "组织机构"
    sheet_title = "组织机构"
    headers = HEADERS
    column_widths = {1: 16, 2: 30, 3: 14, 4: 16, 5: 16}

    def __init__(self, regions=None, units=None):
        self.regions = regions if regions is not None else Region.objects.all()
        self.units = units if units is not None else Unit.objects.all()

    def rows(self):
        for region in self.regions.select_related("parent").order_by("code"):
            yield [region.code, region.name, region.get_level_display(), region.parent.code if region.parent_id else "", ""]
        for unit in self.units.select_related("region").order_by("region__code", "code"):
            yield [unit.code, unit.name, unit.get_kind_display(), unit.region.code, unit.short_name]


class OrgTemplate(Export):
    filename = "组织机构导入模板"
    sheet_title = "组织机构"
    headers = HEADERS

    def rows(self):
        yield ["370100", "济南市", "市", "", ""]
        yield ["370115", "济阳区", "县级", "370100", ""]
        yield ["370115001", "济阳街道", "乡镇(街道)", "370115", ""]
        yield ["370115001201", "东关村", "村(社区)", "370115001", ""]
        yield ["370115D01", "区发展和改革局", "区直部门", "370115", "发改局"]
        yield ["370115001", "济阳街道办事处", "镇街政府", "370115001", "济阳街道"]


@register_exporter("orgs", "组织机构（地区与单位）")
def export_orgs(actor=None):
    """Everything for the command line (actor None); a person's page: the regions and units they administer."""
    if actor is None:
        return OrgExport()
    return OrgExport(managed_regions(actor), managed_units(actor))
