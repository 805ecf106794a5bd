from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from luoshi.core.problems import Rejected
from luoshi.orgs import services
from luoshi.orgs.access import access_for
from luoshi.orgs.models import ApiToken, Person
from luoshi.web import dashboard
from luoshi.web.sections import SECTIONS


@login_required
def home(request):
    access = access_for(request.user)
    person = Person.objects.select_related("unit").filter(user=request.user).first()
    return render(request, "web/home.html", {"assignments": access.assignments, "person": person,
                                             **dashboard.build(request.user, access)})


def coming(section_key):
    section = next(s for s in SECTIONS if s.key == section_key)

    @login_required
    def view(request):
        return render(request, "web/coming.html", {"section": section})

    return view


FAVICON = Path(__file__).resolve().parent / "static" / "luoshi" / "favicon.ico"


def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links (a static icon, cached a day)."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def tokens(request):
    new_token = request.session.pop("new_api_token", None)
    services.flush_token_use()
    rows = ApiToken.objects.filter(user=request.user)
    return render(request, "web/tokens.html", {"tokens": rows, "new_token": new_token})


@login_required
@require_POST
def token_create(request):
    try:
        _, raw = services.create_api_token(request.user, request.user, request.POST.get("name", ""))
    except Rejected as rejected:
        messages.error(request, "；".join(rejected.messages))
        return redirect("tokens")
    request.session["new_api_token"] = raw
    messages.success(request, "令牌已创建。请立即复制保存，它只显示这一次。")
    return redirect("tokens")


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(request.user, token)
    messages.success(request, f"令牌「{token.name}」已吊销。")
    return redirect("tokens")
