import pytest

from luoshi.indicators import services
from luoshi.orgs import services as org_services
from luoshi.orgs.models import RegionLevel

CITY_COUNTIES = [("370103", "市中区"), ("370104", "槐荫区"), ("370105", "天桥区"), ("370112", "历城区")]


@pytest.fixture
def catalog(db):
    services.ensure_catalog()
    from luoshi.indicators.models import Indicator

    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def city(cast, catalog):
    """The cast's 济南市 with six county-level regions: 济阳区, 历下区 and four more."""
    regions = {"370115": cast.jiyang, "370102": cast.lixia}
    for code, name in CITY_COUNTIES:
        regions[code], _ = org_services.save_region(None, code=code, name=name, level=RegionLevel.COUNTY, parent=cast.city)
    return regions


def write(path, rows):
    """Write rows to a csv (UTF-8) or xlsx file by its suffix."""
    path = str(path)
    if path.endswith(".csv"):
        import csv

        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    else:
        from openpyxl import Workbook

        book = Workbook()
        book.active.title = "数据"
        for row in rows:
            book.active.append(row)
        book.save(path)
    return path
