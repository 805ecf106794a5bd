"""The audit log page (/audit/): every write of every app, filtered and read with Chinese labels (audit.labels), for
global administrators only (orgs.access.require_admin; an administrator of a region is not one). The page lives in the
shell because it stands above orgs: audit sits below orgs (orgs' services record into it) and may not ask orgs who
is an administrator."""

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from luoshi.audit.labels import annotate, type_label
from luoshi.audit.models import AuditEntry
from luoshi.orgs.access import require_admin


def _day(value, end=False):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


@login_required
def entry_list(request):
    require_admin(request.user)
    entries = AuditEntry.objects.select_related("actor")
    params = request.GET
    if params.get("actor"):
        entries = entries.filter(actor_label__icontains=params["actor"]) | entries.filter(actor__username=params["actor"])
    if params.get("action"):
        entries = entries.filter(action__icontains=params["action"])
    if params.get("object_type"):
        entries = entries.filter(object_type=params["object_type"])
    if params.get("q"):
        entries = entries.filter(object_repr__icontains=params["q"])
    start, end = _day(params.get("from")), _day(params.get("to"), end=True)
    if start:
        entries = entries.filter(at__gte=start)
    if end:
        entries = entries.filter(at__lte=end)
    page = Paginator(entries.order_by("-at", "-id"), 50).get_page(params.get("page"))
    types = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    query = params.copy()
    query.pop("page", None)
    page.object_list = annotate(page.object_list)
    return render(request, "web/audit_log.html", {"page": page, "types": sorted((t, type_label(t)) for t in types),
                                                   "params": params, "query": query.urlencode()})
