"""Who may see and act on meetings (经济形势分析会), their sections and follow-up items. The only place that decides;
views, API and services ask here.

- administrators: everything;
- leaders, the analysis office (发改局) and the supervision office (督查室): open, close and publish the meetings of
  their region, read them whole (every section, who has and has not submitted), generate packs;
- the analysis and supervision offices record the meeting's follow-up items (会议确定事项);
- the analysis office (发改局) of the region edits the pack's cover and overview (综述, kept as versions); leaders,
  the supervision and statistics offices read it with the meeting, a unit once the meeting is published;
- the statistics office: reads the meetings of its region;
- a unit: sees the meetings of its region, writes its own sections (the indicators it answers for in that region)
  while the meeting collects, and reads the meeting whole (and its pack) only once it is published to the units;
- 代报: the analysis and supervision offices of the region write the section of a responsible unit of the region that
  has no account, recorded as such (section_proxy_refusal); a unit with an account writes its own;
- anyone else (village reporters, people without a role): nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luoshi.briefings.models import Meeting
from luoshi.orgs.access import access_for, has_account, units_with_accounts
from luoshi.orgs.models import Role

ORGANISERS = {Role.LEADER, Role.ANALYSIS, Role.SUPERVISION}
OFFICE_READERS = ORGANISERS | {Role.STATISTICS}
FOLLOW_UP_RECORDERS = {Role.ANALYSIS, Role.SUPERVISION}
PROXY_WRITERS = {Role.ANALYSIS, Role.SUPERVISION}  # 代报 of a unit without an account
OVERVIEW_EDITORS = {Role.ANALYSIS}  # the pack's cover and overview (综述)


def can_read_briefings(user) -> bool:
    access = access_for(user)
    return access.is_admin or bool(access.roles & (OFFICE_READERS | {Role.UNIT}))


def require_reader(user):
    if not can_read_briefings(user):
        raise PermissionDenied("您无权查看会议材料")


def can_open_meetings(user) -> bool:
    """Whether the user opens meetings somewhere (each region is checked by can_organise)."""
    return access_for(user).has_role(*ORGANISERS)


def can_organise(user, region) -> bool:
    """Open, close and publish meetings of this region; generate its packs."""
    return access_for(user).covers_region(region, roles=ORGANISERS)


def can_record_follow_ups(user, meeting) -> bool:
    return access_for(user).covers_region(meeting.region, roles=FOLLOW_UP_RECORDERS)


def own_units(user):
    """The units this user writes for (unit role)."""
    return access_for(user).units_for(Role.UNIT)


def meeting_filter(user) -> Q:
    """A Q on Meeting that keeps the meetings this user may see (units: those of their unit's region)."""
    access = access_for(user)
    if access.is_admin:
        return Q()
    q = access.region_filter("region__code", roles=OFFICE_READERS)
    region_ids = {u.region_id for u in own_units(user)}
    if region_ids:
        q |= Q(region_id__in=region_ids)
    return q


def visible_meetings(user):
    return Meeting.objects.filter(meeting_filter(user)).select_related("region")


def reads_whole(user, meeting) -> bool:
    """Whether the user reads the meeting whole: every unit's sections, the submission list, the pack."""
    if access_for(user).covers_region(meeting.region, roles=OFFICE_READERS):
        return True
    return meeting.published and any(u.region_id == meeting.region_id for u in own_units(user))


def writing_units(user, meeting):
    """The units (of the meeting's region) in whose name this user writes sections."""
    return [u for u in own_units(user) if u.region_id == meeting.region_id]


def get_meeting_for_user(user, pk, write=False):
    """The meeting if the user may see it (write: open, close or publish it); else 404 / 403."""
    require_reader(user)
    meeting = Meeting.objects.select_related("region", "opened_by").filter(pk=pk).first()
    if meeting is None:
        raise Http404("会议不存在")
    if not visible_meetings(user).filter(pk=meeting.pk).exists():
        raise PermissionDenied("该会议不在您的地区范围内，您无权查看")
    if write and not can_organise(user, meeting.region):
        raise PermissionDenied("只有本地区的领导、发改局（经济分析）和督查室可以管理会议")
    return meeting


def require_organiser(user, region):
    if not can_organise(user, region):
        raise PermissionDenied(f"只有{region.name}的领导、发改局（经济分析）和督查室可以召开会议")


def require_follow_up_recorder(user, meeting):
    if not can_record_follow_ups(user, meeting):
        raise PermissionDenied("只有本地区的发改局（经济分析）和督查室可以记录会议确定事项")


def section_proxy_refusal(user, meeting, unit):
    """Why this user may not write a section of the meeting for this unit (代报), or None when they may: the analysis
    or supervision office of a region holding the unit, for a unit with no account."""
    access = access_for(user)
    if not access.has_role(*PROXY_WRITERS):
        return "只有发改局（经济分析）和督查室可以为未开通账号的单位代报材料"
    if not (access.covers_region(meeting.region, roles=PROXY_WRITERS)
            and access.covers_region(unit.region, roles=PROXY_WRITERS)):
        return f"{unit.name}不在您所管理的地区，不能为其代报材料"
    if has_account(unit):
        return f"{unit.name}已开通账号，须由本单位自行报送材料，不能代报"
    return None


def require_section_proxy(user, meeting, unit):
    refusal = section_proxy_refusal(user, meeting, unit)
    if refusal is not None:
        raise PermissionDenied(refusal)


def proxy_unit_ids(user, meeting, units):
    """Of these units (the meeting's responsible units), the ids of those this user may write for (代报)."""
    access = access_for(user)
    if not access.covers_region(meeting.region, roles=PROXY_WRITERS):
        return set()
    units = [u for u in units if access.covers_region(u.region, roles=PROXY_WRITERS)]
    return {u.pk for u in units} - units_with_accounts([u.pk for u in units])


def can_edit_overview(user, meeting) -> bool:
    """Edit the pack's cover and overview (综述) of this meeting: the region's analysis office (and administrators)."""
    return access_for(user).covers_region(meeting.region, roles=OVERVIEW_EDITORS)


def require_overview_editor(user, meeting):
    if not can_edit_overview(user, meeting):
        raise PermissionDenied(f"只有{meeting.region.name}的发改局（经济分析）可以编辑会议材料的综述")


def get_overview_meeting_for_user(user, pk, write=False):
    """The meeting whose pack overview the user may read (the meeting read whole: its offices and leaders, a unit once
    published) or, with write, edit; else 404 / 403 with a Chinese message."""
    meeting = get_meeting_for_user(user, pk)
    if write:
        require_overview_editor(user, meeting)
    elif not reads_whole(user, meeting):
        raise PermissionDenied("该会议的材料尚未向责任单位发布")
    return meeting
