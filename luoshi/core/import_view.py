"""The one page behind every file import (组织机构, 经济指标数据, 年度目标, 配档表): GET shows the form; POST reads
the uploaded `file` (core.limits.read_upload: refused before reading when over LUOSHI_MAX_UPLOAD_MB), gives it to the
app's importer — the same function `luoshi import KIND` calls — and on success says its summary and redirects; a
rejected file shows the page again with every problem (status 400) and saves nothing.

Each app's view checks who may import (its access.py), then returns import_page(...) with its importer, template
and the page's own context."""

from django.contrib import messages
from django.shortcuts import redirect, render

from luoshi.core.limits import read_upload
from luoshi.core.problems import Rejected

NO_FILE = "请选择要导入的 xlsx 或 csv 文件"


def import_page(request, importer, template, success_url, context=None, no_file=NO_FILE, refuse=None):
    """`importer(data, filename=…, actor=…)` returns a summary or raises Rejected; `success_url` is a URL or a URL
    name for redirect(); `no_file` is said when the form came without a file; `refuse`, a reason to refuse a POST
    before its file is looked at (an unknown kind)."""
    problems = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if refuse:
            problems = [refuse]
        elif upload is None:
            problems = [no_file]
        else:
            try:
                summary = importer(read_upload(upload), filename=upload.name, actor=request.user)
            except Rejected as rejected:
                problems = rejected.messages
            else:
                messages.success(request, summary)
                return redirect(success_url)
    return render(request, template, {"problems": problems, **(context or {})}, status=400 if problems else 200)
