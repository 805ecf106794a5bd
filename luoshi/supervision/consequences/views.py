"""结果运用 pages: the proposals (list, one with the leader's decision forms, its .docx), proposing from the 倒查
chain, a unit's history, the trigger settings; on the league's side: 典型经验, adjustments, the month's 通报."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.core.problems import Rejected
from luoshi.orgs.models import Person, Unit
from luoshi.supervision.consequences import access, documents, queries, rules, services
from luoshi.supervision.consequences.models import ConsequenceKind, Experience
from luoshi.supervision.league import access as league_access
from luoshi.supervision.league import rules as league_rules
from luoshi.supervision.models import Notice
from luoshi.work import access as work_access
from luoshi.work import queries as work_queries


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ints(values):
    return [n for n in (_int(v) for v in values) if n is not None]


# --- proposals ------------------------------------------------------------------------------------------------------

STATES = [("pending", "待领导决定"), ("approved", "已批准"), ("rejected", "不同意")]


@login_required
def consequence_list(request):
    access.require_reader(request.user)
    state = request.GET.get("state", "")
    state = state if state in dict(STATES) else ""
    return render(request, "supervision/consequences/list.html", {
        "consequences": queries.consequences_for(request.user, state)[:500], "states": STATES, "state": state,
        "pending": queries.pending_for_leader(request.user),
        "settings_regions": access.settings_regions(request.user).exists(),
        "own_units": Unit.objects.filter(pk__in=access.own_unit_ids(request.user)).order_by("code"),
    })


def _detail_context(request, consequence, problems=None, posted=None):
    decided = consequence.decided
    return {"c": consequence, "decision": consequence.decision if decided else None,
            "can_decide": not decided and access.can_decide(request.user, consequence),
            "kinds": ConsequenceKind.choices, "problems": problems or [], "posted": posted or {},
            "notices": consequence.notices.order_by("year", "serial"),
            "milestones": consequence.milestones.order_by("order", "id"),
            "title": documents.decision_title(consequence) if decided and consequence.decision.approved else ""}


@login_required
def consequence_detail(request, pk):
    consequence = access.get_consequence_for_user(request.user, pk)
    return render(request, "supervision/consequences/detail.html", _detail_context(request, consequence))


@login_required
@require_POST
def consequence_decide(request, pk):
    consequence = access.get_consequence_for_user(request.user, pk, write=True)
    approve = request.POST.get("action") == "approve"
    try:
        services.decide(request.user, consequence, approve=approve, kind=request.POST.get("kind") or None,
                        note=request.POST.get("note", ""))
    except Rejected as rejected:
        return render(request, "supervision/consequences/detail.html",
                      _detail_context(request, consequence, rejected.messages, request.POST), status=400)
    consequence = access.get_consequence_for_user(request.user, pk)
    if approve:
        messages.success(request, f"已同意：{documents.decision_title(consequence)}（{consequence.decision.number}）。")
    else:
        messages.success(request, "已决定不同意该处理建议。")
    return redirect("supervision:consequence", pk=pk)


@login_required
def consequence_docx(request, pk):
    consequence = access.get_consequence_for_user(request.user, pk)
    if not consequence.decided or not consequence.decision.approved:
        return render(request, "supervision/consequences/detail.html",
                      _detail_context(request, consequence, ["该处理建议尚未批准，没有决定文书"]), status=400)
    return documents.http_response(documents.decision_docx(consequence), documents.decision_filename(consequence))


def _propose_context(request, params, problems=None):
    """The form's choices: the unit (from the chain), its people, the task's milestones and notices, the facts."""
    task = None
    if _int(params.get("task")):
        task = work_access.get_task_for_user(request.user, _int(params.get("task")))
    unit = Unit.objects.select_related("region").filter(pk=_int(params.get("unit")) or -1).first()
    if unit is None and task is not None:
        unit = task.lead_unit
    if unit is None:
        raise Http404("请指明单位：从倒查页面或单位的结果运用页面提出处理建议")
    region = access.county_of(unit)
    access.require_proposer(request.user, region)
    today = timezone.localdate()
    milestones = list(task.milestones.order_by("order", "id")) if task else []
    notices = list(Notice.objects.filter(task=task, region=region).order_by("year", "serial")) if task else \
        list(Notice.objects.filter(unit=unit, region=region).order_by("-year", "-serial")[:50])
    judged = work_queries.judged_task(task, today) if task else None
    lagging = {m["id"] for m in queries.lagging_milestones(judged)} if judged else set()
    if "milestones" in params or "notices" in params or request.method == "POST":
        chosen_milestones = set(_ints(params.getlist("milestones")))
        chosen_notices = set(_ints(params.getlist("notices")))
    else:
        asked = _int(params.get("milestone"))
        chosen_milestones = {asked} if asked else lagging
        chosen_notices = {n.pk for n in notices if league_rules.notice_late(n.reply_due, n.first_replied_on, today)}
    facts = services.facts_for(task, [m for m in milestones if m.pk in chosen_milestones],
                            [n for n in notices if n.pk in chosen_notices], today)
    return {"task": task, "unit": unit, "region": region, "people": Person.objects.filter(unit=unit).order_by("id"),
            "milestones": milestones, "notices": notices, "chosen_milestones": chosen_milestones,
            "chosen_notices": chosen_notices, "facts": facts, "kinds": ConsequenceKind.choices,
            "kind": params.get("kind") or rules.INTERVIEW, "reason": params.get("reason", ""),
            "person": _int(params.get("person")), "problems": problems or []}


@login_required
def consequence_propose(request):
    access.require_reader(request.user)
    if request.method != "POST":
        return render(request, "supervision/consequences/propose.html", _propose_context(request, request.GET))
    context = _propose_context(request, request.POST)
    task, unit = context["task"], context["unit"]
    try:
        person = None
        if _int(request.POST.get("person")):
            person = Person.objects.filter(pk=_int(request.POST["person"]), unit=unit).first()
            if person is None:
                raise Rejected(f"所选人员不是{unit.name}的人员")
        consequence = services.propose(
            request.user, unit=unit, kind=request.POST.get("kind", ""), reason=request.POST.get("reason", ""),
            person=person, task=task,
            milestones=[m for m in context["milestones"] if m.pk in context["chosen_milestones"]],
            notices=[n for n in context["notices"] if n.pk in context["chosen_notices"]])
    except Rejected as rejected:
        context["problems"] = rejected.messages
        return render(request, "supervision/consequences/propose.html", context, status=400)
    messages.success(request, f"已提出处理建议（{consequence.get_kind_display()}），待{consequence.region.name}领导决定。")
    return redirect("supervision:consequence", pk=consequence.pk)


# --- a unit's history -------------------------------------------------------------------------------------------------

@login_required
def unit_history(request, code):
    unit = access.get_unit_for_history(request.user, code)
    history = queries.unit_history(request.user, unit)
    return render(request, "supervision/consequences/unit.html", {
        "unit": unit, "history": history, "can_propose": access.can_propose(request.user, access.county_of(unit))})


# --- trigger settings -------------------------------------------------------------------------------------------------

def _setting_values(post):
    values = {}
    for key in ("late_notices", "late_window_days", "red_periods"):
        raw = (post.get(key) or "").strip()
        values[key] = int(raw) if raw.isascii() and raw.lstrip("-").isdigit() and len(raw) < 6 else raw
    values["late_kind"], values["red_kind"] = post.get("late_kind"), post.get("red_kind")
    return values


@login_required
def trigger_settings(request):
    code = request.POST.get("region") or request.GET.get("region")
    region = access.get_settings_region_for_user(request.user, code, write=request.method == "POST")
    problems = []
    if request.method == "POST":
        try:
            services.save_settings(request.user, region, _setting_values(request.POST))
        except Rejected as rejected:
            problems = rejected.messages
        else:
            messages.success(request, f"已保存{region.name}的结果运用触发条件。")
            return redirect(reverse("supervision:consequence_settings") + f"?region={region.code}")
    return render(request, "supervision/consequences/settings.html", {
        "region": region, "regions": access.settings_regions(request.user).order_by("code"),
        "current": request.POST if problems else queries.settings_for(region), "defaults": rules.DEFAULTS,
        "history": queries.settings_history(region), "kinds": ConsequenceKind.choices,
        "can_change": access.can_change_settings(request.user, region), "problems": problems,
        "bounds": rules.BOUNDS}, status=400 if problems else 200)


# --- 典型经验 ----------------------------------------------------------------------------------------------------------

def _experience_target(request, period, unit_pk):
    try:
        first = league_rules.parse_month(period, "考核月份")
    except Rejected as rejected:
        raise Http404(rejected.messages[0])
    unit = Unit.objects.select_related("region").filter(pk=unit_pk).first()
    if unit is None:
        raise Http404(f"单位 {unit_pk} 不存在")
    access.require_reader(request.user)
    if not access.can_read_experience(request.user, unit):
        raise PermissionDenied(f"您无权查看{unit.name}的典型经验")
    return first, unit


def _experience_context(request, first, unit, problems=None, posted=None):
    today = timezone.localdate()
    try:
        band = services.band_of(unit, first, today)
    except Rejected as rejected:
        band, problems = None, (problems or []) + rejected.messages
    versions = list(Experience.objects.filter(unit=unit, period=first).select_related("written_by", "adopted_by")
                    .order_by("-version"))
    return {"unit": unit, "period": first, "band": band, "versions": versions,
            "current": versions[0] if versions else None, "region": access.county_of(unit),
            "can_write": access.can_write_experience(request.user, unit, band),
            "can_adopt": access.can_adopt_experience(request.user, unit),
            "problems": problems or [], "posted": posted or {}}


@login_required
def experience(request, period, unit_pk):
    first, unit = _experience_target(request, period, unit_pk)
    if request.method != "POST":
        return render(request, "supervision/consequences/experience.html", _experience_context(request, first, unit))
    if unit.pk not in access.own_unit_ids(request.user):
        raise PermissionDenied(f"只有{unit.name}可以报送本单位的典型经验")
    try:
        services.write_experience(request.user, unit, first, title=request.POST.get("title", ""),
                                  text=request.POST.get("text", ""))
    except Rejected as rejected:
        return render(request, "supervision/consequences/experience.html",
                      _experience_context(request, first, unit, rejected.messages, request.POST), status=400)
    messages.success(request, "已报送典型经验，待督查室采用。")
    return redirect("supervision:experience", period=f"{first:%Y-%m}", unit_pk=unit.pk)


@login_required
@require_POST
def experience_adopt(request, pk):
    item = Experience.objects.select_related("unit", "unit__region").filter(pk=pk).first()
    if item is None:
        raise Http404(f"典型经验 {pk} 不存在")
    access.require_reader(request.user)
    if not access.can_adopt_experience(request.user, item.unit):
        raise PermissionDenied("只有该区督查室可以采用典型经验")
    try:
        services.adopt_experience(request.user, item)
    except Rejected as rejected:
        return render(request, "supervision/consequences/experience.html",
                      _experience_context(request, item.period, item.unit, rejected.messages), status=400)
    messages.success(request, f"已采用{item.unit.name}的典型经验（第{item.version}版），将列入月度通报。")
    return redirect("supervision:experience", period=f"{item.period:%Y-%m}", unit_pk=item.unit.pk)


# --- league adjustments and the month's 通报 ---------------------------------------------------------------------------

def _problem(request, problems, back):
    """A refused write from the league page: the reasons in Chinese (400), nothing saved, a link back."""
    return render(request, "supervision/consequences/problem.html", {"problems": ["未保存：" + "；".join(problems)],
                                                                     "back": back}, status=400)


def _league_url(period, region, anchor="#adjustments"):
    return reverse("supervision:league") + f"?period={period:%Y-%m}&region={region.code}{anchor}"


@login_required
@require_POST
def adjustment_propose(request):
    region = league_access.get_league_region_for_user(request.user, request.POST.get("region"))
    access.require_adjustment_proposer(request.user, region)
    try:
        period = league_rules.parse_month(request.POST.get("period"), "考核月份")
        unit = Unit.objects.filter(pk=_int(request.POST.get("unit")) or -1).first()
        if unit is None:
            raise Rejected("请选择单位")
        raw = (request.POST.get("points") or "").strip().replace("＋", "+").replace("－", "-")
        points = int(raw) if raw.lstrip("+-").isdigit() and raw.isascii() and len(raw) < 5 else None
        services.propose_adjustment(request.user, region=region, unit=unit, period=period, points=points,
                                    reason=request.POST.get("reason", ""))
    except Rejected as rejected:
        return _problem(request, rejected.messages, reverse("supervision:league") + f"?region={region.code}")
    messages.success(request, f"已提出{unit.name}考核{rules.signed(points)}分，待区领导批准。")
    return redirect(_league_url(period, region))


@login_required
@require_POST
def adjustment_decide(request, pk):
    adjustment = access.get_adjustment_for_user(request.user, pk, write=True)
    approve = request.POST.get("action") == "approve"
    try:
        services.decide_adjustment(request.user, adjustment, approve=approve, note=request.POST.get("note", ""))
    except Rejected as rejected:
        return _problem(request, rejected.messages, _league_url(adjustment.period, adjustment.region))
    messages.success(request, f"已{'批准' if approve else '不同意'}{adjustment.unit.name}考核{adjustment.signed_points}分。")
    return redirect(_league_url(adjustment.period, adjustment.region))


def league_extras(request, region, table):
    """What the league page adds for 结果运用: the month's adjustments and forms, the 典型经验 links, the 通报 link."""
    user = request.user
    oversight = access.is_oversight(user, region)
    own = access.own_unit_ids(user)
    return {
        "adjustments": queries.adjustments_of(region, table.period) if oversight else [],
        "can_propose_adjustment": access.can_propose_adjustment(user, region),
        "can_decide_adjustment": access.is_leader(user, region),
        "can_read_bulletin": access.can_read_bulletin(user, region),
        "experience_units": {r.unit_id for r in table.top if oversight or r.unit_id in own},
        "max_adjustment": rules.MAX_ADJUSTMENT,
        "adjustable_units": [r for r in table.rows] if access.can_propose_adjustment(user, region) else [],
    }


@login_required
def bulletin(request):
    region = league_access.get_league_region_for_user(request.user, request.GET.get("region"))
    access.require_bulletin_reader(request.user, region)
    try:
        period = league_rules.parse_month(request.GET.get("period"), "考核月份")
        the_bulletin = queries.bulletin(region, period, today=timezone.localdate())
    except Rejected as rejected:
        return _problem(request, rejected.messages, reverse("supervision:league") + f"?region={region.code}")
    data = documents.bulletin_docx(the_bulletin, timezone.localdate())
    return documents.http_response(data, documents.bulletin_filename(the_bulletin))


def chain_extras(request, task, chain, judged_milestone=None):
    """What the 倒查 page adds: the proposals about the task the reader may see, and for the county's office the units
    at the end of the chain to propose about (the lead unit now; on a milestone's chain, also the one that led the
    task when the milestone fell due)."""
    region = access.county_of(task.lead_unit)
    targets = []
    if access.can_propose(request.user, region):
        holders = []
        if judged_milestone is not None:
            holder = chain.responsible_on(judged_milestone["effective_due"])
            if holder is not None and holder.lead_unit_id:
                holders.append((holder.lead_unit_id, holder.leader_name, "节点到期时牵头"))
        holders.append((task.lead_unit_id, task.leader_name, "现牵头"))
        units = Unit.objects.in_bulk({uid for uid, _, _ in holders})
        seen = set()
        for unit_id, leader_name, role in holders:
            if unit_id in units and unit_id not in seen:
                seen.add(unit_id)
                targets.append({"unit": units[unit_id], "leader_name": leader_name, "role": role})
    return {"consequences": list(queries.for_task(request.user, task)), "propose_targets": targets,
            "consequence_milestone": judged_milestone["id"] if judged_milestone else None}
