"""Pure rules for organisation data: administrative division codes and kinds. No ORM here."""

from luoshi.orgs.models import CODE_LENGTH, PARENT_LEVEL, PREFIX_LENGTH, RegionLevel, UnitKind

REGION_KIND_NAMES = {
    "市": RegionLevel.CITY, "地级市": RegionLevel.CITY, "city": RegionLevel.CITY,
    "县级": RegionLevel.COUNTY, "区": RegionLevel.COUNTY, "县": RegionLevel.COUNTY, "县(区)": RegionLevel.COUNTY,
    "县区": RegionLevel.COUNTY, "county": RegionLevel.COUNTY,
    "乡镇(街道)": RegionLevel.TOWN, "乡镇": RegionLevel.TOWN, "镇": RegionLevel.TOWN, "街道": RegionLevel.TOWN,
    "镇(街道)": RegionLevel.TOWN, "town": RegionLevel.TOWN,
    "村(社区)": RegionLevel.VILLAGE, "村": RegionLevel.VILLAGE, "社区": RegionLevel.VILLAGE, "村居": RegionLevel.VILLAGE,
    "village": RegionLevel.VILLAGE,
}
UNIT_KIND_NAMES = {
    "区直部门": UnitKind.DEPARTMENT, "部门": UnitKind.DEPARTMENT, "department": UnitKind.DEPARTMENT,
    "镇街政府": UnitKind.TOWNSHIP, "镇(街道)政府": UnitKind.TOWNSHIP, "镇政府": UnitKind.TOWNSHIP,
    "街道办事处": UnitKind.TOWNSHIP, "township": UnitKind.TOWNSHIP,
    "村居委会": UnitKind.VILLAGE, "村委会": UnitKind.VILLAGE, "居委会": UnitKind.VILLAGE, "village_committee": UnitKind.VILLAGE,
    "机关办公室": UnitKind.OFFICE, "办公室": UnitKind.OFFICE, "office": UnitKind.OFFICE,
}


def normalize_kind(text):
    key = (text or "").strip().replace("（", "(").replace("）", ")").replace(" ", "")
    return key


def parse_kind(text):
    """('region', level) or ('unit', kind), or None when the kind is unknown."""
    key = normalize_kind(text)
    if key in REGION_KIND_NAMES:
        return "region", REGION_KIND_NAMES[key]
    if key in UNIT_KIND_NAMES:
        return "unit", UNIT_KIND_NAMES[key]
    return None


def region_code_problem(code, level):
    """A Chinese message when `code` is not a valid code for `level`, else None."""
    want = CODE_LENGTH[level]
    if not code.isdigit():
        return "行政区划代码只能由数字组成"
    if len(code) != want:
        return f"{RegionLevel(level).label}的行政区划代码应为{want}位，实际为{len(code)}位"
    if level == RegionLevel.CITY and not code.endswith("00"):
        return "市级行政区划代码应以 00 结尾"
    if level == RegionLevel.COUNTY and code.endswith("00"):
        return "县级行政区划代码不应以 00 结尾"
    return None


def parent_problem(code, level, parent_code, parent_level):
    """A Chinese message when the parent does not fit the child, else None."""
    expected = PARENT_LEVEL.get(level)
    if expected is None:
        return "市级地区不应填写上级代码" if parent_code else None
    if not parent_code:
        return f"{RegionLevel(level).label}必须填写上级代码"
    if parent_level != expected:
        return f"上级 {parent_code} 是{RegionLevel(parent_level).label}，{RegionLevel(level).label}的上级应为{RegionLevel(expected).label}"
    if not code.startswith(parent_code[: PREFIX_LENGTH[parent_level]]):
        return f"代码 {code} 与上级代码 {parent_code} 不一致（应以 {parent_code[:PREFIX_LENGTH[parent_level]]} 开头）"
    return None


def unit_code_problem(code):
    if len(code) > 32:
        return "单位代码不能超过32个字符"
    if not all(c.isalnum() or c in "-_." for c in code):
        return "单位代码只能包含字母、数字和 - _ ."
    return None
