"""Organisation sheet: import (validate every row, then save all in one transaction); its export and template are in
exports.py."""

from django.db import transaction

from luoshi.core.problems import Problem, Rejected
from luoshi.core.registry import register_importer
from luoshi.core.tabular import cell, find_header, is_blank, read_sheets, text
from luoshi.orgs import rules, services
from luoshi.orgs.access import access_for
from luoshi.orgs.models import Region, RegionLevel, Unit

COLUMNS = ["代码", "名称", "类别", "上级代码"]
OPTIONAL = [("简称",)]
LEVEL_ORDER = [RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE]


def parse_org_sheet(sheets):
    """Validate every row. Returns (regions, units) as lists of dicts, or raises Rejected with every problem."""
    if not sheets or not sheets[0].rows:
        raise Rejected("文件为空，没有找到任何数据行")
    sheet = sheets[0]
    header_index, columns, problems = find_header(sheet.rows, COLUMNS, OPTIONAL, sheet=sheet.name)
    if problems:
        raise Rejected(problems)
    regions, units, seen = [], [], {}
    for number, row in enumerate(sheet.rows[header_index + 1:], start=header_index + 2):
        if is_blank(row):
            continue

        def problem(message, column):
            problems.append(Problem(message, row=number, column=column, sheet=sheet.name))

        entry = _org_entry(number, {name: text(cell(row, columns.get(name))) for name in COLUMNS + ["简称"]}, seen,
                           problem)
        if entry is not None:
            (regions if "level" in entry else units).append(entry)
    problems += _parent_problems(regions, units, sheet.name)
    if problems:
        raise Rejected(problems)
    return regions, units


def _org_entry(number, value, seen, problem):
    """One row as a region's entry (with "level") or a unit's (with "kind"); None when its 类别 is unknown.
    `seen`: {(region or unit, code): row} of the rows above."""
    code, name, kind_text, short_name = value["代码"], value["名称"], value["类别"], value["简称"]
    kind = rules.parse_kind(kind_text)
    # Regions and units are keyed separately: a town government shares its town's code.
    key = (kind[0] if kind else "", code)
    if not code:
        problem("代码不能为空", "代码")
    elif key in seen:
        problem(f"代码 {code} 与第{seen[key]}行重复", "代码")
    else:
        seen[key] = number
    if not name:
        problem("名称不能为空", "名称")
    for message in services.length_problems(Region if kind and kind[0] == "region" else Unit, {"name": ("名称", name)}):
        problem(message, "名称")
    for message in services.length_problems(Unit, {"short_name": ("简称", short_name)}):
        problem(message, "简称")
    if kind is None:
        problem(f"未知的类别「{kind_text}」，应为：市、县级、乡镇(街道)、村(社区)、区直部门、镇街政府、村居委会、机关办公室"
                if kind_text else "类别不能为空", "类别")
        return None
    entry = {"row": number, "code": code, "name": name, "parent_code": value["上级代码"], "short_name": short_name}
    is_region = kind[0] == "region"
    entry["level" if is_region else "kind"] = kind[1]
    message = code and (rules.region_code_problem(code, kind[1]) if is_region else rules.unit_code_problem(code))
    if message:
        problem(message, "代码")
    return entry


def _parent_problems(regions, units, sheet_name):
    """Each region's parent of the right level and each unit's region, in the file or already stored."""
    problems = []
    file_levels = {r["code"]: r["level"] for r in regions if r["code"]}
    db_levels = dict(Region.objects.filter(code__in=[e["parent_code"] for e in regions + units if e["parent_code"]])
                     .values_list("code", "level"))
    for entry in regions:
        if not entry["code"]:
            continue
        parent_code = entry["parent_code"]
        parent_level = file_levels.get(parent_code) or db_levels.get(parent_code)
        if parent_code and parent_level is None:
            message = f"上级代码 {parent_code} 不存在（文件和系统中都没有该地区）"
        else:
            message = rules.parent_problem(entry["code"], entry["level"], parent_code, parent_level)
        if message:
            problems.append(Problem(message, row=entry["row"], column="上级代码", sheet=sheet_name))
    for entry in units:
        parent_code = entry["parent_code"]
        if not parent_code:
            problems.append(Problem("单位必须填写上级代码（所属地区的行政区划代码）", row=entry["row"], column="上级代码",
                                    sheet=sheet_name))
        elif parent_code not in file_levels and parent_code not in db_levels:
            problems.append(Problem(f"所属地区 {parent_code} 不存在（文件和系统中都没有该地区）", row=entry["row"],
                                    column="上级代码", sheet=sheet_name))
    return problems


@transaction.atomic
def save_org_sheet(actor, regions, units):
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    known = {}
    for level in LEVEL_ORDER:
        for entry in (r for r in regions if r["level"] == level):
            parent = None
            if entry["parent_code"]:
                parent = known.get(entry["parent_code"]) or Region.objects.get(code=entry["parent_code"])
            region, outcome = services.save_region(actor, code=entry["code"], name=entry["name"], level=level, parent=parent)
            known[region.code] = region
            counts[outcome] += 1
    for entry in units:
        region = known.get(entry["parent_code"]) or Region.objects.get(code=entry["parent_code"])
        _, outcome = services.save_unit(actor, code=entry["code"], name=entry["name"], kind=entry["kind"], region=region,
                                        short_name=entry["short_name"])
        counts[outcome] += 1
    return counts


def scope_problems(actor, regions, units, sheet_name=None):
    """What a region's administrator may not import (orgs.access): a region outside the administered regions or
    under a parent outside them (so not the administered region itself), a unit of a region outside them, or an
    existing unit that now belongs to a region outside them."""
    access = access_for(actor)
    if access.is_admin:
        return []
    problems = []
    outside = f"不在您管理的范围（{access.admin_scope_label}）内"
    for entry in regions:
        if not access.administers(Region(code=entry["code"])):
            problems.append(Problem(f"地区 {entry['code']} {outside}", row=entry["row"], column="代码", sheet=sheet_name))
        elif not entry["parent_code"] or not access.administers(Region(code=entry["parent_code"])):
            problems.append(Problem(f"上级代码 {entry['parent_code'] or '（空）'} {outside}，不能修改{entry['name']}",
                                    row=entry["row"], column="上级代码", sheet=sheet_name))
    existing = {u.code: u for u in Unit.objects.filter(code__in=[e["code"] for e in units]).select_related("region")}
    for entry in units:
        if not access.administers(Region(code=entry["parent_code"])):
            problems.append(Problem(f"所属地区 {entry['parent_code']} {outside}", row=entry["row"], column="上级代码",
                                    sheet=sheet_name))
        elif entry["code"] in existing and not access.administers(existing[entry["code"]].region):
            problems.append(Problem(f"单位 {entry['code']} 已属于{existing[entry['code']].region.name}，{outside}",
                                    row=entry["row"], column="代码", sheet=sheet_name))
    return problems


@register_importer("orgs", "组织机构（地区与单位）")
def import_orgs(source, filename=None, actor=None):
    """Import regions and units. actor: the person importing (a global administrator, or a region's
    administrator for rows inside the region); None is the server's command line."""
    if getattr(actor, "is_authenticated", False) and not access_for(actor).is_any_admin:
        raise Rejected(f"账号 {actor.username} 不是系统管理员，不能导入组织机构")
    sheets = read_sheets(source, filename)
    regions, units = parse_org_sheet(sheets)
    if getattr(actor, "is_authenticated", False):
        problems = scope_problems(actor, regions, units, sheets[0].name)
        if problems:
            raise Rejected(problems)
    counts = save_org_sheet(actor, regions, units)
    return (f"已导入 {len(regions)} 个地区、{len(units)} 个单位：新增 {counts['created']}，"
            f"更新 {counts['updated']}，未变化 {counts['unchanged']}")
