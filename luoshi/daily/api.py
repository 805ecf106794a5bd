"""村居日报 API: submit a report (same validation and idempotency as the page), read a day's status, forms."""

from datetime import date, datetime

import orjson
from django.db import DatabaseError
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import NinjaJSONEncoder
from ninja.security import django_auth

from luoshi.core.dbrouter import reads_replica
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.core.sql import statement_checks_connection
from luoshi.daily import access as daily_access
from luoshi.daily import queries, rules, services
from luoshi.orgs.api_auth import DeferredBearerToken, HeaderToken, pending_token, resolve_pending_token
from luoshi.orgs.models import RegionLevel

router = Router(tags=["村居日报"])


class ReportIn(Schema):
    form: str  # form code
    village: str  # village code (12 digits)
    date: str  # YYYY-MM-DD
    values: dict = {}
    # 零报告 ("nothing new today"): `values` is ignored; counts are 0, text empty, and yes/no and 选项 fields keep the
    # values last reported (the village's latest report on the form, that day's included; empty when none). It may
    # replace a real report of the same day as a correction (a new version; the earlier one stays) — over the API
    # without asking, as the page asks first (docs/rules.md §4).
    zero_report: bool = False
    idempotency_key: str | None = None  # the same key again returns the first report instead of making another
    note: str = ""


def _report_out(r, created=None):
    out = {"id": r.id, "village": r.village.code,
           "date": r.day, "version": r.version, "is_current": r.is_current, "status": r.status, "late": r.late,
           "zero_report": r.zero_report, "values": r.values, "form_version": r.form_version.number,
           "first_submitted_at": r.first_submitted_at, "submitted_at": r.submitted_at, "note": r.note}
    if created is not None:
        out["created"] = created
    return out


# The morning rush (docs/benchmarks.md): with a Bearer token, a village's first report of the day is checked and
# saved in one statement that also checks the token; anything else resolves the token (401 when bad) and takes
# the full path.
@router.post("/reports", response={200: dict, 201: dict}, auth=[DeferredBearerToken(), HeaderToken(), django_auth],
             summary="报送日报（201 新建；同一幂等键再次提交返回 200 和原报告，不重复保存）",
             description="零报告（zero_report: true）表示今日无新情况：各数量为 0、文本为空，是否项和选项保留该村上一次报送的值"
                         "（无上次报送则为空），不会改成无人选择的值；当天已有报告时作为更正保存为新版本，原版本保留可查，"
                         "接口不再确认（页面上会先确认）。")
def submit(request, payload: ReportIn):
    fields = {"form": payload.form, "village": payload.village, "day": payload.date, "values": payload.values,
              "zero_report": payload.zero_report, "idempotency_key": payload.idempotency_key, "note": payload.note}
    token = pending_token(request)
    report = services.submit_first_report_with_token(token, **fields) if token is not None else None
    created = True
    if report is None:
        report, created = services.submit_report(resolve_pending_token(request), **fields)
    return _submitted(report, fields, created)


def _submitted(report, fields, created):
    # Rendered here rather than validated against the declared `dict` on the way out: the same JSON, a little less
    # work on the busiest endpoint.
    return _json_response({
        "id": report.id, "form": fields["form"], "village": fields["village"], "date": report.day,
        "version": report.version, "status": report.status, "late": report.late, "zero_report": report.zero_report,
        "values": report.values, "submitted_at": report.submitted_at, "first_submitted_at": report.first_submitted_at,
        "created": created}, status=201 if created else 200)


# What ReportIn declares, as the types a JSON body gives them (NoneType: may be null). A body whose values all have
# these types is what ReportIn would validate it into (pydantic keeps such values as they are).
_PLAIN_FIELDS = {"form": (str,), "village": (str,), "date": (str,), "values": (dict,), "zero_report": (bool,),
                 "idempotency_key": (str, type(None)), "note": (str,)}
_REQUIRED = ("form", "village", "date")


def submit_lean(request, body):
    """The morning rush without the rest of the stack (web.fastpath, docs/benchmarks.md): the answer of `submit`
    for a village's first report of the day, saved by the one statement that also checks the Bearer token — or
    None when `submit` must answer (no such report saved: a bad token, a retry, a correction, anything to say;
    a body other than plain JSON values of ReportIn's types; a database error, which `submit` meets again and
    answers as always)."""
    token = _bearer(request)
    if token is None or type(body) is not dict or not all(name in body for name in _REQUIRED):
        return None
    for name, value in body.items():
        types = _PLAIN_FIELDS.get(name)
        if types is not None and type(value) not in types:
            return None
    fields = {"form": body["form"], "village": body["village"], "day": body["date"], "values": body.get("values", {}),
              "zero_report": body.get("zero_report", False), "idempotency_key": body.get("idempotency_key"),
              "note": body.get("note", "")}
    try:
        # The statement itself shows whether a kept connection still works: no health check's round trip first.
        with statement_checks_connection():
            report = services.submit_first_report_with_token(token, **fields)
    except DatabaseError:
        return None  # all or nothing and idempotent by its key: `submit` runs it again on a sound connection
    return None if report is None else _submitted(report, fields, True)


def _bearer(request):
    """The token of an `Authorization: Bearer …` header as DeferredBearerToken (django-ninja's HttpBearer) reads
    it, or None."""
    value = request.META.get("HTTP_AUTHORIZATION")
    if not value:
        return None
    parts = value.split(" ")
    if parts[0].lower() != "bearer":
        return None
    token = " ".join(parts[1:])
    return token if token.strip() else None


_encoder = NinjaJSONEncoder()


def _json_response(data, status):
    """The JSON django-ninja's renderer would write for `data` — dates and times in Django's format (its encoder's
    `default`), the rest as they are — written by orjson, without validating the response on the way out."""
    data = {k: _encoder.default(v) if isinstance(v, (date, datetime)) else v for k, v in data.items()}
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json; charset=utf-8")


def _day(value):
    return parse_day(value) if value else timezone.localdate()


def _form(user, code):
    if code:
        return daily_access.get_form_for_user(user, code)
    form = daily_access.visible_forms(user).filter(active=True).first()
    if form is None:
        raise Rejected("没有可查看的日报表单")
    return form


@router.get("/status", summary="某天的报送情况：给出镇（街道）时列出其每个村（社区），否则按镇（街道）汇总")
@reads_replica
def status(request, date: str | None = None, form: str | None = None, town: str | None = None, area: str | None = None):
    daily_access.require_reader(request.user)
    form_obj = _form(request.user, form)
    region = daily_access.get_area_for_user(request.user, town or area) if (town or area) else daily_access.home_area(request.user)
    if region is None:
        raise Rejected("请用 area 参数指定地区")
    day = _day(date)
    village_q = Q(village__code__startswith=region.prefix) & daily_access.village_filter(request.user)
    if region.level in (RegionLevel.TOWN, RegionLevel.VILLAGE):
        rows = queries.day_rows(form_obj, day, village_q)
        keys = form_obj.current_version.numeric_keys
        tally = rules.tally_rows(rows, keys)
        return {"date": day, "form": form_obj.code, "area": region.code, "name": region.name, "counts": _tally_out(tally),
                "villages": [{"village": r["village"], "name": r["name"], "town": r["town"], "status": r["status"],
                              "submitted_at": r["submitted_at"], "zero_report": r["zero_report"], "version": r["version"],
                              "values": r["values"]} for r in rows]}
    towns, total = queries.town_rollup(form_obj, day, village_q)
    return {"date": day, "form": form_obj.code, "area": region.code, "name": region.name, "counts": _tally_out(total),
            "towns": [{"town": code, "name": name, **_tally_out(t)} for code, name, t in towns]}


def _tally_out(t):
    return {"expected": t.expected, "on_time": t.on_time, "late": t.late, "missing": t.missing, "zero_report": t.zero,
            "rate": t.rate, "sums": t.sums}


@router.get("/forms", summary="可查看的日报表单及其当前字段")
def forms(request):
    daily_access.require_reader(request.user)
    return [{"code": f.code, "title": f.title, "region": f.region.code, "active": f.active, "version": f.current_version.number,
             "deadline": f.current_version.deadline.strftime("%H:%M"), "fields": f.current_version.fields}
            for f in daily_access.visible_forms(request.user)]


@router.get("/villages/{code}/reports", summary="一个村（社区）某天的全部版本")
def village_reports(request, code: str, form: str, date: str | None = None):
    daily_access.require_reader(request.user)
    village = daily_access.get_area_for_user(request.user, code)
    form_obj = daily_access.get_form_for_user(request.user, form)
    day = _day(date)
    return [_report_out(r) for r in queries.village_reports(form_obj, village, day, 1).get(day, [])]
