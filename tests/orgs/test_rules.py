from luoshi.orgs import rules
from luoshi.orgs.models import RegionLevel, UnitKind


def test_codes_have_the_length_of_their_level():
    assert rules.region_code_problem("370100", RegionLevel.CITY) is None
    assert rules.region_code_problem("370115", RegionLevel.COUNTY) is None
    assert rules.region_code_problem("370115001", RegionLevel.TOWN) is None
    assert rules.region_code_problem("370115001201", RegionLevel.VILLAGE) is None
    assert rules.region_code_problem("37011500", RegionLevel.TOWN) == "乡镇(街道)的行政区划代码应为9位，实际为8位"
    assert rules.region_code_problem("3701150012", RegionLevel.VILLAGE) == "村(社区)的行政区划代码应为12位，实际为10位"


def test_codes_are_digits_and_city_county_are_told_apart_by_trailing_zeros():
    assert rules.region_code_problem("37A115", RegionLevel.COUNTY) == "行政区划代码只能由数字组成"
    assert rules.region_code_problem("370115", RegionLevel.CITY) == "市级行政区划代码应以 00 结尾"
    assert rules.region_code_problem("370100", RegionLevel.COUNTY) == "县级行政区划代码不应以 00 结尾"


def test_child_code_must_start_with_parent_prefix():
    assert rules.parent_problem("370115", RegionLevel.COUNTY, "370100", RegionLevel.CITY) is None
    assert rules.parent_problem("370215", RegionLevel.COUNTY, "370100", RegionLevel.CITY) == (
        "代码 370215 与上级代码 370100 不一致（应以 3701 开头）")
    assert rules.parent_problem("370115001", RegionLevel.TOWN, "370115", RegionLevel.COUNTY) is None
    assert rules.parent_problem("370116001", RegionLevel.TOWN, "370115", RegionLevel.COUNTY) is not None
    assert rules.parent_problem("370115001201", RegionLevel.VILLAGE, "370115001", RegionLevel.TOWN) is None


def test_parent_must_be_one_level_up():
    assert rules.parent_problem("370115001", RegionLevel.TOWN, "370100", RegionLevel.CITY) == (
        "上级 370100 是市，乡镇(街道)的上级应为县级")
    assert rules.parent_problem("370115", RegionLevel.COUNTY, "", None) == "县级必须填写上级代码"
    assert rules.parent_problem("370100", RegionLevel.CITY, "370000", RegionLevel.CITY) == "市级地区不应填写上级代码"
    assert rules.parent_problem("370100", RegionLevel.CITY, "", None) is None


def test_kinds_are_read_in_chinese_with_either_bracket_width():
    assert rules.parse_kind("乡镇（街道）") == ("region", RegionLevel.TOWN)
    assert rules.parse_kind("村(社区)") == ("region", RegionLevel.VILLAGE)
    assert rules.parse_kind("区直部门") == ("unit", UnitKind.DEPARTMENT)
    assert rules.parse_kind("居委会") == ("unit", UnitKind.VILLAGE)
    assert rules.parse_kind("合作社") is None
    assert rules.parse_kind("") is None
