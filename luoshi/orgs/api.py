from ninja import Router, Schema

from luoshi.orgs.access import access_for, get_region_for_user, get_unit_for_user, visible_regions, visible_units
from luoshi.orgs.models import Person

router = Router(tags=["组织机构"])


class RoleOut(Schema):
    role: str
    role_name: str
    region: str | None
    region_name: str | None
    unit: str | None
    unit_name: str | None


class MeOut(Schema):
    username: str
    name: str
    title: str | None
    unit: str | None
    is_admin: bool
    roles: list[RoleOut]


class RegionOut(Schema):
    code: str
    name: str
    level: str
    level_name: str
    parent: str | None


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    kind_name: str
    region: str


def region_out(region):
    return {"code": region.code, "name": region.name, "level": region.level, "level_name": region.get_level_display(),
            "parent": region.parent.code if region.parent_id else None}


def unit_out(unit):
    return {"code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
            "kind_name": unit.get_kind_display(), "region": unit.region.code}


@router.get("/me", response=MeOut, summary="当前用户、角色与范围")
def me(request):
    user = request.user
    access = access_for(user)
    person = Person.objects.select_related("unit").filter(user=user).first()
    return {
        "username": user.username,
        "name": user.get_full_name() or user.username,
        "title": person.title if person else None,
        "unit": person.unit.code if person and person.unit_id else None,
        "is_admin": access.is_admin,
        "roles": [
            {"role": a.role, "role_name": a.get_role_display(),
             "region": a.region.code if a.region_id else None, "region_name": a.region.name if a.region_id else None,
             "unit": a.unit.code if a.unit_id else None, "unit_name": a.unit.name if a.unit_id else None}
            for a in access.assignments
        ],
    }


@router.get("/regions", response=list[RegionOut], summary="可见范围内的地区")
def regions(request, parent: str | None = None, level: str | None = None):
    rows = visible_regions(request.user).select_related("parent").order_by("code")
    if parent:
        rows = rows.filter(parent__code=parent)
    if level:
        rows = rows.filter(level=level)
    return [region_out(r) for r in rows]


@router.get("/regions/{code}", response=RegionOut, summary="一个地区")
def region(request, code: str):
    return region_out(get_region_for_user(request.user, code))


@router.get("/units", response=list[UnitOut], summary="可见范围内的单位")
def units(request, region: str | None = None, kind: str | None = None):
    rows = visible_units(request.user).select_related("region").order_by("code")
    if region:
        rows = rows.filter(region__code=region)
    if kind:
        rows = rows.filter(kind=kind)
    return [unit_out(u) for u in rows]


@router.get("/units/{code}", response=UnitOut, summary="一个单位")
def unit(request, code: str):
    return unit_out(get_unit_for_user(request.user, code))
