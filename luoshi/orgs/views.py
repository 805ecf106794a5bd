from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from luoshi.core.exports import Export, http_response
from luoshi.core.problems import Rejected
from luoshi.orgs.access import access_for, require_admin, visible_regions, visible_units
from luoshi.orgs.transfers import COLUMNS, OrgExport, import_orgs


@login_required
def tree(request):
    regions = list(visible_regions(request.user).order_by("code"))
    units = defaultdict(list)
    for unit in visible_units(request.user).order_by("kind", "code"):
        units[unit.region_id].append(unit)
    children = defaultdict(list)
    ids = {r.pk for r in regions}
    roots = []
    for region in regions:
        region.unit_list = units.get(region.pk, [])
        (children[region.parent_id] if region.parent_id in ids else roots).append(region)
    for region in regions:
        region.child_list = children.get(region.pk, [])
    return render(request, "orgs/tree.html", {"roots": roots, "region_count": len(regions),
                                              "unit_count": sum(len(v) for v in units.values()),
                                              "is_admin": access_for(request.user).is_admin})


@login_required
def import_sheet(request):
    require_admin(request.user)
    problems = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = ["请选择要导入的 xlsx 或 csv 文件"]
        else:
            try:
                summary = import_orgs(upload.read(), filename=upload.name, actor=request.user)
            except Rejected as rejected:
                problems = rejected.messages
            else:
                messages.success(request, summary)
                return redirect("orgs:tree")
    return render(request, "orgs/import.html", {"problems": problems, "columns": COLUMNS}, status=400 if problems else 200)


@login_required
def export_sheet(request, fmt):
    require_admin(request.user)
    if fmt not in ("xlsx", "csv"):
        raise Http404("不支持的导出格式")
    return http_response(OrgExport(), fmt)


class OrgTemplate(Export):
    filename = "组织机构导入模板"
    sheet_title = "组织机构"
    headers = COLUMNS + ["简称"]

    def rows(self):
        yield ["370100", "济南市", "市", "", ""]
        yield ["370115", "济阳区", "县级", "370100", ""]
        yield ["370115001", "济阳街道", "乡镇(街道)", "370115", ""]
        yield ["370115001201", "东关村", "村(社区)", "370115001", ""]
        yield ["370115D01", "区发展和改革局", "区直部门", "370115", "发改局"]
        yield ["370115001", "济阳街道办事处", "镇街政府", "370115001", "济阳街道"]


@login_required
def template(request):
    return http_response(OrgTemplate(), "xlsx")
