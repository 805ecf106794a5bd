"""API: generate and download the meeting pack — for a meeting, or for a region and period on the fly. `format=docx`
(the default) answers the Word file; `format=json` the pack's content (the indicator rows carry the keys of
`luoshi indicators table --json` plus growth_only, rank_text, rank_change_text, light_text, band_text, outlook,
gap_first and gap_next; "cover" and "overview" are what the .docx's cover and 总体情况 show: the analysis office's
current edit, else the draft from the data; "outlook" the full-year outlook)."""

from ninja import Router
from ninja.errors import HttpError

from luoshi.briefings.pack import access, word
from luoshi.briefings.pack.assemble import build
from luoshi.core.dbrouter import reads_replica
from luoshi.core.periods import PeriodError, parse_period

router = Router(tags=["会议材料"])  # mounted beside briefings' own router under /briefings (luoshi/api.py)
FORMATS = ("docx", "json")


def _month(raw):
    try:
        return parse_period(raw)
    except PeriodError as error:
        raise HttpError(400, str(error))


def _answer(built, format):
    if format not in FORMATS:
        raise HttpError(400, "format 只能是 docx 或 json")
    if format == "json":
        return {"title": built.title, "region": {"code": built.region.code, "name": built.region.name},
                "period": built.period_code, "period_label": built.period_label,
                "meeting": built.meeting.pk if built.meeting else None, "has_figures": built.has_figures,
                "summary": built.summary if built.has_figures else built.no_figures_text, "rows": built.rows,
                "charts": ([built.value_chart] if built.value_chart else []) + built.weakness_charts,
                "sections": [{"indicator": e["row"]["indicator"], "weakness": e["weakness"], "sections": e["sections"]}
                             for e in built.sections],
                "cover": {"classification": built.classification, "issuer": built.overview["issuer"],
                          "doc_number": built.overview["doc_number"], "date": built.dated.isoformat(),
                          "date_text": built.date_text},
                "overview": {"edited": built.overview["edited"], "version": built.overview["version"],
                             **{key: built.overview[key] for key in ("features", "problems", "suggestions")}},
                "outlook": built.outlook, "peers_note": built.peers_note,
                "work": built.work, "daily": built.daily, "follow_ups": built.follow_ups}
    return word.http_response(built)


@router.get("/pack", summary="会议材料（按地区、期间即时生成）：format=docx 下载 Word 文档，format=json 返回内容")
@reads_replica
def region_pack(request, region: str, period: str, format: str = "docx"):
    region_obj = access.get_pack_region_for_user(request.user, region)
    return _answer(build(region_obj, _month(period)), format)


@router.get("/meetings/{meeting_id}/pack", summary="某次会议的会议材料（含各单位分析材料）：format=docx 或 json")
@reads_replica
def meeting_pack(request, meeting_id: int, format: str = "docx"):
    meeting = access.get_pack_meeting_for_user(request.user, meeting_id)
    return _answer(build(meeting.region, _month(meeting.period), meeting=meeting), format)
