"""Who may see and send daily reports. The only place that decides; views, API, CLI and services ask here.

- a reporter (村居填报员) sends and reads for their own village or community only;
- a town government's unit role (镇街政府) reads the villages of its town;
- region roles (领导, 督查室, 发改局, 统计局) read every village in their region; administrators everything;
- the supervision office and administrators define forms and which villages send them;
- nobody sends or corrects another village's report.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from luoshi.daily.models import DailyForm, FormAssignment
from luoshi.orgs.access import access_for
from luoshi.orgs.models import REGION_ROLES, Region, RegionLevel, Role, UnitKind


def reporter_villages(user):
    """The village regions this user reports for (from reporter roles on village committees)."""
    access = access_for(user)
    return [a.unit.region for a in access.assignments
            if a.role == Role.REPORTER and a.unit_id and a.unit.kind == UnitKind.VILLAGE]


def town_regions(user):
    """Towns whose government this user works for (unit role on a township unit)."""
    access = access_for(user)
    return [a.unit.region for a in access.assignments if a.role == Role.UNIT and a.unit_id and a.unit.kind == UnitKind.TOWNSHIP]


def village_filter(user, field="village__code") -> Q:
    """A Q on a village code field that keeps the villages this user may read."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = Q(pk__in=[])
    for a in access.assignments:
        if a.role in REGION_ROLES and a.region_id:
            q |= Q(**{f"{field}__startswith": a.region.prefix})
    for town in town_regions(user):
        q |= Q(**{f"{field}__startswith": town.prefix})
    codes = [v.code for v in reporter_villages(user)]
    if codes:
        q |= Q(**{f"{field}__in": codes})
    return q


def can_read_daily(user):
    access = access_for(user)
    return access.is_admin or any(a.role in REGION_ROLES for a in access.assignments) or bool(town_regions(user)) \
        or bool(reporter_villages(user))


def require_reader(user):
    if not can_read_daily(user):
        raise PermissionDenied("您无权查看村居日报")


def is_district_reader(user):
    access = access_for(user)
    return access.is_admin or any(a.role in REGION_ROLES and a.region_id for a in access.assignments)


def can_define_forms(user):
    return access_for(user).has_role(Role.SUPERVISION)


def require_form_manager(user):
    if not can_define_forms(user):
        raise PermissionDenied("只有督查室或系统管理员可以设置日报表单")


def require_submitter(user, village_code):
    """Only the village's own reporter sends or corrects its report."""
    if village_code not in {v.code for v in reporter_villages(user)}:
        raise PermissionDenied("您只能报送本村（社区）的日报，不能代其他村（社区）报送或修改")


# require_submitter's rule as SQL on a village id, for the submit path's one-round-trip lookup
# (daily.services.find_target) and its one-statement first report. Formatted with the SQL of the user's id and
# of the village's id. When it is false, require_submitter decides.
SUBMITTER_SQL = ("EXISTS (SELECT 1 FROM orgs_roleassignment ra JOIN orgs_unit u ON u.id = ra.unit_id "
                 f"WHERE ra.user_id = {{user_id}} AND ra.role = '{Role.REPORTER.value}' AND u.kind = '{UnitKind.VILLAGE.value}' "
                 "AND u.region_id = {village_id})")


def manageable_region_q(user, field="code"):
    """Regions in which this user may define forms and assign villages."""
    access = access_for(user)
    return access.region_filter(field, roles={Role.SUPERVISION, Role.ADMIN})


def visible_forms(user):
    """Forms this user may read: those whose villages they can see, and those of their own region."""
    access = access_for(user)
    forms = DailyForm.objects.select_related("current_version", "region")
    if access.is_admin:
        return forms
    village_ids = Region.objects.filter(village_filter(user, "code"), level=RegionLevel.VILLAGE).values("pk")
    own = access.region_filter("region__code")
    # EXISTS rather than a join made DISTINCT: one assignment settles it (a district's 20,000 were joined and
    # deduplicated on every status read)
    return forms.filter(own | Q(Exists(FormAssignment.objects.filter(form=OuterRef("pk"), village__in=village_ids))))


def get_form_for_user(user, code, write=False):
    form = DailyForm.objects.select_related("current_version", "region").filter(code=code).first()
    if form is None:
        raise Http404(f"日报表单「{code}」不存在")
    if write:
        require_form_manager(user)
        if not access_for(user).covers_region(form.region, roles={Role.SUPERVISION, Role.ADMIN}):
            raise PermissionDenied(f"您无权修改{form.region.name}的日报表单")
    elif not visible_forms(user).filter(pk=form.pk).exists():
        raise PermissionDenied("您无权查看该日报表单")
    return form


def get_area_for_user(user, code):
    """A town or village (or district) region the user may read daily reports for."""
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise Http404(f"地区 {code} 不存在")
    access = access_for(user)
    if access.is_admin or access.covers_region(region):
        return region
    if region.level == RegionLevel.TOWN and any(t.pk == region.pk for t in town_regions(user)):
        return region
    if region.level == RegionLevel.VILLAGE:
        if any(t.contains(region) for t in town_regions(user)) or region.code in {v.code for v in reporter_villages(user)}:
            return region
    raise PermissionDenied(f"您无权查看{region.name}的村居日报")


def home_area(user):
    """Where a reader starts: the district (region role), their town, or their village; None when none."""
    access = access_for(user)
    regions = [a.region for a in access.assignments if a.role in REGION_ROLES and a.region_id]
    if regions:
        return sorted(regions, key=lambda r: len(r.code))[0]
    towns = town_regions(user)
    if towns:
        return towns[0]
    villages = reporter_villages(user)
    return villages[0] if villages else None
