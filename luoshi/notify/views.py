"""The in-app channel's inbox: the signed-in user's own messages, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from luoshi.notify import services


@login_required
def inbox(request):
    if request.method == "POST":
        services.mark_read(request.user)
        return redirect("notify:inbox")
    return render(request, "notify/inbox.html",
                  {"items": services.inbox(request.user)[:100], "unread": services.unread_count(request.user)})
