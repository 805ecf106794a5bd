"""Who may generate and download a meeting pack. Leaders, the analysis office and the supervision office for the
regions of their scope (a meeting's pack, or any region and period on the fly); a unit only the pack of a published
meeting of its own region; nobody else (the statistics office, reporters, other districts)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from luoshi.briefings.access import can_organise, get_meeting_for_user, own_units
from luoshi.orgs.models import Region


def pack_refusal(user, meeting):
    """Why the user may not read this meeting's pack (a Chinese sentence), or None when they may."""
    if can_organise(user, meeting.region):
        return None
    if any(u.region_id == meeting.region_id for u in own_units(user)):
        return None if meeting.published else "该会议的材料尚未向责任单位发布"
    return "只有本地区的领导、发改局（经济分析）和督查室可以生成会议材料"


def get_pack_meeting_for_user(user, pk):
    """The meeting whose pack the user may generate and read; else 404 / 403 with a Chinese message."""
    meeting = get_meeting_for_user(user, pk)
    refusal = pack_refusal(user, meeting)
    if refusal:
        raise PermissionDenied(refusal)
    return meeting


def get_pack_region_for_user(user, code):
    """The region whose pack (on the fly, any period) the user may generate; else 404 / 403."""
    region = Region.objects.select_related("parent").filter(code=str(code)[:20]).first()
    if region is None:
        raise Http404(f"地区 {str(code)[:20]} 不存在")
    if not can_organise(user, region):
        raise PermissionDenied(f"只有{region.name}的领导、发改局（经济分析）和督查室可以生成该地区的会议材料")
    return region
