from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.core.exports import http_response
from luoshi.core.import_view import import_page
from luoshi.core.problems import Rejected
from luoshi.orgs.access import (access_for, get_account_for_admin, managed_people, require_any_admin, visible_regions,
                                visible_units)
from luoshi.orgs.exports import OrgTemplate, export_orgs
from luoshi.orgs.transfers import COLUMNS, import_orgs


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
                                              "is_admin": access_for(request.user).is_any_admin})


@login_required
def import_sheet(request):
    require_any_admin(request.user)
    return import_page(request, import_orgs, "orgs/import.html", "orgs:tree", {"columns": COLUMNS})


@login_required
def export_sheet(request, fmt):
    require_any_admin(request.user)
    return http_response(export_orgs(request.user), fmt)


@login_required
def template(request):
    return http_response(OrgTemplate())


@login_required
def people(request):
    """The people and accounts the user administers (a region's administrator: those of the region)."""
    access = require_any_admin(request.user)
    from luoshi.orgs.models import Person, Role, RoleAssignment

    assignments = defaultdict(list)
    for a in RoleAssignment.objects.select_related("region", "unit__region"):
        assignments[a.user_id].append(a)
    rows = managed_people(request.user, Person.objects.select_related("unit__region", "user").order_by("unit__code", "id"),
                          assignments)
    for person in rows:
        person.roles = assignments.get(person.user_id, []) if person.user_id else []
    return render(request, "orgs/people.html", {"people": rows, "roles": Role.choices, "form": request.POST or {},
                                                "scope": access.admin_scope_label, "global_admin": access.is_admin,
                                                "one_time": request.session.pop("one_time_password", None)})


@login_required
@require_POST
def person_password(request, user_id):
    """An administrator of the person resets the password: the one-time password is shown once on the people page."""
    from luoshi.orgs import services

    user = get_account_for_admin(request.user, user_id)
    if user == request.user:
        messages.error(request, "不能在这里重置自己的密码，请在个人菜单中「修改密码」")
        return redirect("orgs:people")
    raw = services.reset_password(request.user, user)
    request.session["one_time_password"] = {"username": user.username, "name": user.get_full_name() or user.username,
                                            "password": raw}
    return redirect("orgs:people")


@login_required
def person_add(request):
    require_any_admin(request.user)
    from luoshi.orgs import services

    if request.method != "POST":
        return redirect("orgs:people")
    data = request.POST
    try:
        user = services.add_person_with_account(
            request.user, username=data.get("username", ""), password=data.get("password", ""),
            full_name=data.get("full_name", ""), title=data.get("title", ""), unit_code=data.get("unit", ""),
            role=data.get("role", ""), scope_code=data.get("scope", ""))
    except Rejected as rejected:
        messages.error(request, "未保存：" + "；".join(rejected.messages))
        return people(request)
    messages.success(request, f"已创建账号 {user.username}")
    return redirect("orgs:people")


@login_required
def person_role(request, user_id):
    from django.shortcuts import get_object_or_404

    from luoshi.orgs import services
    from luoshi.orgs.models import RoleAssignment

    require_any_admin(request.user)
    if request.method != "POST":
        return redirect("orgs:people")
    user = get_account_for_admin(request.user, user_id)
    if request.POST.get("remove"):
        assignment = get_object_or_404(RoleAssignment, pk=request.POST["remove"], user=user)
        label = str(assignment)
        services.remove_role(request.user, assignment)
        left = RoleAssignment.objects.filter(user=user).count()
        messages.success(request, f"已撤销 {user.username} 的角色：{label}" + (f"（其余 {left} 个角色保留）" if left else "（已无角色）"))
    elif request.POST.get("active") in ("0", "1"):
        if user == request.user:
            messages.error(request, "不能停用自己的账号")
        else:
            services.set_active(request.user, user, request.POST["active"] == "1")
            messages.success(request, f"账号 {user.username} 已{'启用' if user.is_active else '停用'}")
    else:
        had = set(RoleAssignment.objects.filter(user=user).values_list("pk", flat=True))
        try:
            assignment = services.grant_role(request.user, user, request.POST.get("role", ""), request.POST.get("scope", ""))
        except Rejected as rejected:
            messages.error(request, "未保存：" + "；".join(rejected.messages))
        else:
            count = RoleAssignment.objects.filter(user=user).count()
            if assignment.pk in had:
                messages.info(request, f"{user.username} 已有角色：{assignment}，未重复授予")
            else:
                messages.success(request, f"已为 {user.username} 增加角色：{assignment}（现有 {count} 个角色）")
    return redirect("orgs:people")
