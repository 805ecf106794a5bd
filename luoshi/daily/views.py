"""村居日报 pages: the reporter's phone page, status for the district and for a town, a village's history,
forms, export, the in-app inbox. Views only parse, authorize (daily.access) and render."""

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.core import labels
from luoshi.core.dbrouter import reads_replica
from luoshi.core.exports import http_response
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.daily import access as daily_access
from luoshi.daily import queries, rules, services
from luoshi.daily.exports import DayExport
from luoshi.daily.models import DailyReport
from luoshi.orgs.models import Region, RegionLevel

HISTORY_DAYS = 14


def _day(request):
    raw = request.GET.get("date") or request.POST.get("date")
    if raw:
        try:
            return parse_day(raw)
        except Rejected as rejected:
            messages.error(request, f"{rejected}，已按今天显示")
    return timezone.localdate()


def _form(request, forms):
    code = request.GET.get("form")
    for form in forms:
        if form.code == code:
            return form
    return forms[0] if forms else None


def _area(request):
    code = request.GET.get("area")
    if code:
        return daily_access.get_area_for_user(request.user, code)
    area = daily_access.home_area(request.user)
    if area is None and daily_access.access_for(request.user).is_admin:
        area = Region.objects.filter(level=RegionLevel.COUNTY, daily_forms__isnull=False).first()
    return area


def _village_q(area):
    return Q(village__code__startswith=area.prefix) if area else Q(pk__in=[])


@login_required
@reads_replica
def index(request):
    """The district (or any region above a town) roll-up by town; towns go to their own page."""
    daily_access.require_reader(request.user)
    if daily_access.reporter_villages(request.user) and not daily_access.is_district_reader(request.user) \
            and not daily_access.town_regions(request.user):
        return redirect("daily:report")
    area = _area(request)
    if area is not None and area.level == RegionLevel.TOWN:
        return redirect(reverse("daily:town", args=[area.code]) + ("?" + request.GET.urlencode() if request.GET else ""))
    day = _day(request)
    forms = list(daily_access.visible_forms(request.user).filter(active=True))
    form = _form(request, forms)
    context = {"day": day, "forms": forms, "form": form, "area": area, "today": timezone.localdate(),
               "can_define": daily_access.can_define_forms(request.user)}
    if form is not None and area is not None:
        village_q = _village_q(area) & daily_access.village_filter(request.user)
        towns, total = queries.town_rollup(form, day, village_q)
        context.update(towns=towns, total=total, fields=[f for f in services.specs_of(form.current_version) if f.kind == rules.INTEGER])
        if request.GET.get("partial"):
            return render(request, "daily/_district_table.html", context)
        end = min(day, timezone.localdate())
        hist = queries.history(form, end, HISTORY_DAYS, village_q)
        context["most_missed"] = sorted((r for r in hist if r["missed"]), key=lambda r: (-r["missed"], r["village"]))[:10]
        context["history_start"] = end - timedelta(days=HISTORY_DAYS - 1)
        context["history_end"] = end
    return render(request, "daily/district.html", context)


@login_required
@reads_replica
def town(request, code):
    daily_access.require_reader(request.user)
    area = daily_access.get_area_for_user(request.user, code)
    if area.level != RegionLevel.TOWN:
        return redirect(reverse("daily:index") + f"?area={area.code}")
    day = _day(request)
    forms = list(daily_access.visible_forms(request.user).filter(active=True))
    form = _form(request, forms)
    context = {"day": day, "forms": forms, "form": form, "area": area, "today": timezone.localdate()}
    if form is not None:
        village_q = _village_q(area) & daily_access.village_filter(request.user)
        rows = queries.day_rows(form, day, village_q)
        fields = [f for f in services.specs_of(form.current_version) if f.kind == rules.INTEGER]
        for row in rows:
            row["numbers"] = [(row["values"] or {}).get(f.key) for f in fields]
        context.update(rows=rows, fields=fields, tally=rules.tally_rows(rows, [f.key for f in fields]),
                       missing=[r for r in rows if r["status"] == rules.MISSING])
        if request.GET.get("partial"):
            return render(request, "daily/_town_table.html", context)
        end = min(day, timezone.localdate())
        context["streaks"] = queries.history(form, end, HISTORY_DAYS, village_q)
        context["history_start"] = end - timedelta(days=HISTORY_DAYS - 1)
    return render(request, "daily/town.html", context)


@login_required
def village(request, code):
    daily_access.require_reader(request.user)
    region = daily_access.get_area_for_user(request.user, code)
    if region.level != RegionLevel.VILLAGE:
        raise PermissionDenied("请选择一个村（社区）")
    forms = [f for f in daily_access.visible_forms(request.user) if f.assignments.filter(village=region).exists()]
    form = _form(request, forms)
    end = min(_day(request), timezone.localdate())
    by_day = queries.village_reports(form, region, end, HISTORY_DAYS) if form else {}
    for versions in by_day.values():
        for r in versions:  # each version with the labels of the form version it was made with
            specs = services.specs_of(r.form_version)
            r.shown = labels.pairs({f.key: (r.values or {}).get(f.key) for f in specs}, {f.key: f.label for f in specs})
    hist = queries.history(form, end, HISTORY_DAYS, Q(village=region)) if form else []
    return render(request, "daily/village.html", {
        "village": region, "forms": forms, "form": form, "end": end, "by_day": sorted(by_day.items(), reverse=True),
        "history": hist[0] if hist else None, "status_labels": rules.STATUS_LABELS})


def _report_context(request, village, day, errors=None, entered=None, failed_form=None, confirm_zero=None):
    forms = queries.active_forms_for_village(village, day)
    today_reports = {}
    for form in forms:
        by_day = queries.village_reports(form, village, day, 1)
        today_reports[form.pk] = by_day.get(day, [])
    cards = []
    for form in forms:
        versions = today_reports[form.pk]
        current = versions[-1] if versions else None
        values = entered if (failed_form == form.code and entered is not None) else (current.values if current else {})
        fields = []
        for spec in services.specs_of(form.current_version):
            value = (values or {}).get(spec.key)
            if spec.kind == rules.BOOLEAN and isinstance(value, str):
                value = {"是": True, "否": False}.get(value)
            fields.append({"spec": spec, "value": "" if value is None else value})
        cards.append({"form": form, "fields": fields, "versions": versions, "current": current,
                      "errors": errors if failed_form == form.code else None, "key": uuid.uuid4().hex,
                      "confirm_zero": confirm_zero[1] if confirm_zero and confirm_zero[0] == form.code else None})
    return {"village": village, "day": day, "today": timezone.localdate(), "cards": cards,
            "yesterday": day - timedelta(days=1), "status_labels": rules.STATUS_LABELS}


@login_required
def report(request):
    """The reporter's page: today's forms for their village, sent in one screen; 零报告 is one tap."""
    villages = daily_access.reporter_villages(request.user)
    if not villages:
        raise PermissionDenied("只有村（社区）填报员可以报送日报")
    code = request.GET.get("village") or villages[0].code
    village = next((v for v in villages if v.code == code), None)
    if village is None:
        raise PermissionDenied("您只能报送本村（社区）的日报")
    day = min(_day(request), timezone.localdate())
    return render(request, "daily/report.html", _report_context(request, village, day))


@login_required
@require_POST
def submit(request, form_code):
    village_code = request.POST.get("village", "")
    day_raw = request.POST.get("date", "")
    zero = request.POST.get("zero") == "1"
    try:
        day = parse_day(day_raw)
    except Rejected:
        day = day_raw  # submit_report says so, after checking that the village is the user's
    values = {k[2:]: v for k, v in request.POST.items() if k.startswith("f_")}
    if zero and request.POST.get("confirm") != "1" and isinstance(day, date):
        replaced = _zero_would_replace(request.user, form_code, village_code, day)
        if replaced is not None:
            village, changes = replaced
            return render(request, "daily/report.html",
                          _report_context(request, village, day, confirm_zero=(form_code, changes)))
    try:
        report, created = services.submit_report(request.user, form=form_code, village=village_code, day=day,
                                                 values=None if zero else values, zero_report=zero,
                                                 idempotency_key=request.POST.get("key"), note=request.POST.get("note", ""))
    except Rejected as exc:
        villages = {v.code: v for v in daily_access.reporter_villages(request.user)}
        village = villages.get(village_code)
        if village is None:
            raise PermissionDenied("您只能报送本村（社区）的日报，不能代其他村（社区）报送或修改")
        context = _report_context(request, village, day if isinstance(day, date) else timezone.localdate(),
                                  errors=exc.messages, entered=values, failed_form=form_code)
        return render(request, "daily/report.html", context, status=400)
    what = "零报告" if report.zero_report else "日报"
    if not created:
        messages.info(request, f"这份{what}已经收到（重复提交未重复保存）")
    elif report.version > 1:
        messages.success(request, f"已更正：{report.day:%-m月%-d日}第{report.version}版，之前的版本仍保留可查")
    else:
        late = "（已过截止时间，记为逾期报送）" if report.late else ""
        messages.success(request, f"{report.day:%-m月%-d日}{what}已报送{late}")
    url = reverse("daily:report") + f"?village={village_code}"
    if report.day != timezone.localdate():
        url += f"&date={report.day:%Y-%m-%d}"
    return redirect(url)


def _zero_would_replace(user, form_code, village_code, day):
    """(village, [(label, old, new)]) when a zero report would replace a real report of that day on the user's own
    village: the page asks first. None otherwise (the service then decides and says what is wrong, if anything)."""
    village = next((v for v in daily_access.reporter_villages(user) if v.code == village_code), None)
    if village is None:
        return None
    current = (DailyReport.objects.filter(form__code=form_code, village=village, day=day, is_current=True)
               .select_related("form__current_version").first())
    if current is None or current.zero_report:
        return None
    return village, rules.zero_report_changes(services.specs_of(current.form.current_version), current.values)


@login_required
@reads_replica
def export(request):
    daily_access.require_reader(request.user)
    area = _area(request)
    day = _day(request)
    forms = list(daily_access.visible_forms(request.user))
    form = _form(request, forms)
    if form is None or area is None:
        raise PermissionDenied("没有可导出的日报")
    village_q = _village_q(area) & daily_access.village_filter(request.user)
    return http_response(DayExport(form, day, queries.day_rows(form, day, village_q), area))


@login_required
def forms(request):
    daily_access.require_reader(request.user)
    can_define = daily_access.can_define_forms(request.user)
    if request.method == "POST":
        daily_access.require_form_manager(request.user)
        region = Region.objects.filter(daily_access.manageable_region_q(request.user), level=RegionLevel.COUNTY,
                                       code=request.POST.get("region", "")).first()
        try:
            if region is None:
                raise Rejected("请选择您负责的区县")
            form = services.define_form(request.user, code=request.POST.get("code", ""), title=request.POST.get("title", ""),
                                        region=region, fields=request.POST.get("fields", ""),
                                        deadline=request.POST.get("deadline") or None)
        except Rejected as exc:
            return render(request, "daily/forms.html", _forms_context(request, can_define, exc.messages), status=400)
        messages.success(request, f"已新建日报表单「{form.title}」，请设置报送的村（社区）")
        return redirect("daily:form", form.code)
    return render(request, "daily/forms.html", _forms_context(request, can_define))


def _forms_context(request, can_define, errors=None):
    regions = Region.objects.filter(daily_access.manageable_region_q(request.user), level=RegionLevel.COUNTY) if can_define else []
    return {"forms": daily_access.visible_forms(request.user), "can_define": can_define, "errors": errors,
            "regions": regions, "post": request.POST if errors else {}, "kinds": rules.KINDS}


@login_required
def form_detail(request, code):
    form = daily_access.get_form_for_user(request.user, code, write=request.method == "POST")
    errors = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "assign":
                starts = request.POST.get("starts_on") or ""
                ends = request.POST.get("ends_on") or ""
                starts_on = parse_day(starts, label="起报日期")
                ends_on = parse_day(ends, label="停报日期") if ends else None
                count = services.assign_villages(request.user, form, request.POST.get("codes", "").replace("，", ",")
                                                 .replace(",", " ").split(), starts_on, ends_on)
                messages.success(request, f"已设置 {count} 个村（社区）的报送日期")
            else:
                services.change_form(request.user, form, fields=request.POST.get("fields"), deadline=request.POST.get("deadline"),
                                     title=request.POST.get("title"), remind_minutes_before=request.POST.get("remind") or None,
                                     note=request.POST.get("note", ""))
                messages.success(request, "已保存；字段或截止时间有变化时生成新版本，之前的报告保留原版本")
            return redirect("daily:form", form.code)
        except Rejected as exc:
            errors = exc.messages
    versions = form.versions.order_by("-number")
    assigned = form.assignments.select_related("village__parent").order_by("village__code")
    return render(request, "daily/form.html", {
        "form": form, "versions": versions, "assigned": assigned, "errors": errors, "today": timezone.localdate(),
        "can_edit": daily_access.can_define_forms(request.user),
        "field_text": request.POST.get("fields") if errors else rules.field_lines(services.specs_of(form.current_version)),
        "kinds": rules.KINDS}, status=400 if errors else 200)
