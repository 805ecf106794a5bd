"""The 放假安排 pages: the years and where their working days come from, one year's versions and days, and loading a
year (paste the notice or upload a file → the review, line by line → save). Every administrator reads; only a global
administrator loads (access.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from luoshi.core.limits import read_upload
from luoshi.core.problems import Rejected
from luoshi.holidays import access, queries, rules, services
from luoshi.holidays.transfers import read_file

PASTED = "粘贴文本"


@login_required
def index(request):
    access.require_reader(request.user)
    today = timezone.localdate()
    return render(request, "holidays/index.html", {
        "years": queries.overview(today), "can_load": access.can_load(request.user),
        "missing": queries.missing_years(today), "check_seconds": queries.check_seconds()})


@login_required
def year(request, year):
    access.require_reader(request.user)
    try:
        year = services.check_year(year)
    except Rejected as rejected:
        raise Http404(str(rejected))
    versions = queries.versions(year)
    shown = versions[0] if versions else None
    asked = request.GET.get("version")
    if asked:
        shown = next((v for v in versions if str(v.version) == asked.strip()), None)
        if shown is None:
            raise Http404(f"{year}年放假安排没有第{asked.strip()[:10]}版")
    return render(request, "holidays/year.html", {
        "year": year, "versions": versions, "shown": shown, "days": queries.days_of(shown) if shown else [],
        "latest": versions[0] if versions else None, "can_load": access.can_load(request.user),
        "overview": next(iter(queries.overview_of([year])), None)})


def _form(request):
    data = request.POST
    return {"year": (data.get("year") or "").strip()[:10], "text": data.get("text") or "",
            "notice_number": (data.get("notice_number") or "").strip(), "note": (data.get("note") or "").strip(),
            "source_name": (data.get("source_name") or "").strip()[:200]}


@login_required
def load(request):
    access.require_loader(request.user)
    today = timezone.localdate()
    if request.method != "POST":
        missing = queries.missing_years(today)
        wanted = request.GET.get("year") or (missing[0] if missing else today.year + 1)
        return render(request, "holidays/load.html", {"form": {"year": str(wanted)[:10]}})
    form = _form(request)
    upload = request.FILES.get("file")
    try:
        year = services.check_year(form["year"])
        if upload is not None:
            reading = read_file(read_upload(upload), upload.name, year)
            form["source_name"] = upload.name[:200]
            form["text"] = reading.as_table() if not reading.problems else ""
        elif form["text"].strip():
            reading = rules.read_text(form["text"], year)
            form["source_name"] = form["source_name"] or PASTED
        else:
            raise Rejected("请粘贴放假安排（通知原文或“日期,放假/上班,名称”表格），或上传文件")
    except Rejected as rejected:
        return render(request, "holidays/load.html", {"form": form, "problems": rejected.messages}, status=400)
    if request.POST.get("step") == "save" and upload is None:
        try:
            arrangement = services.load_year(request.user, reading, source_name=form["source_name"],
                                             source_text=form["text"], notice_number=form["notice_number"],
                                             note=form["note"])
        except Rejected as rejected:
            return render(request, "holidays/load.html", {"form": form, "reading": reading,
                                                          "problems": rejected.messages}, status=400)
        messages.success(request, f"已录入{arrangement.year}年放假安排（第{arrangement.version}版）：放假 "
                                  f"{reading.rest_count} 天，调休上班 {reading.work_count} 天。各服务器将在 "
                                  f"{queries.check_seconds()} 秒内按新安排计算工作日。")
        return redirect("holidays:year", year=arrangement.year)
    problems = reading.problems
    current = queries.current(year)
    return render(request, "holidays/load.html", {
        "form": form, "reading": reading, "problems": [str(p) for p in problems],
        "next_version": (current.version + 1) if current else 1, "current": current},
        status=400 if problems else 200)
