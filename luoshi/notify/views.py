"""Pages: the inbox, a person's 消息设置, and for administrators the robots (工作群) and the outbox's failures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.core.problems import Rejected
from luoshi.notify import access, channels, services
from luoshi.notify.models import Message, Robot


@login_required
def inbox(request):
    if request.method == "POST":
        services.mark_read(request.user)
        return redirect("notify:inbox")
    return render(request, "notify/inbox.html",
                  {"items": services.inbox(request.user)[:100], "unread": services.unread_count(request.user),
                   "is_admin": _admin(request.user).is_any_admin, "sees_outbox": _admin(request.user).is_admin})


def _admin(user):
    from luoshi.orgs.access import access_for

    return access_for(user)


@login_required
def settings_page(request):
    status = 200
    email = request.user.email
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            services.save_preferences(request.user, email_kinds_chosen=request.POST.getlist("email_kind"), email=email)
        except Rejected as rejected:
            messages.error(request, "未保存：" + "；".join(rejected.messages))
            status = 400
        else:
            messages.success(request, "消息设置已保存")
            return redirect("notify:settings")
    rows = services.preferences(request.user)
    if status == 400:
        chosen = set(request.POST.getlist("email_kind"))
        for row in rows:
            row["email"] = row["kind"] in chosen
    return render(request, "notify/settings.html", {"rows": rows, "email": email}, status=status)


@login_required
def robots(request, form=None, status=200):
    rows = access.visible_robots(request.user).order_by("unit__code", "region__code", "id")
    code = request.GET.get("unit", "").strip()
    if code:
        rows = rows.filter(unit__code=code) | rows.filter(region__code=code)
    return render(request, "notify/robots.html", {"robots": rows, "code": code, "form": form or {"owner": code},
                                                  "kinds": Robot.RobotKind.choices, "events": services.ROBOT_EVENTS,
                                                  "base_url": channels.base_url(),
                                                  "base_url_set": channels.base_url_is_set()}, status=status)


@login_required
@require_POST
def robot_add(request):
    access.require_robot_admin(request.user)
    data = request.POST
    try:
        unit, region = access.owner_from_code(data.get("owner"))
        robot = services.add_robot(request.user, kind=data.get("kind", ""), url=data.get("url", ""),
                                   secret=data.get("secret", ""), name=data.get("name", ""), unit=unit, region=region)
    except Rejected as rejected:
        messages.error(request, "未保存：" + "；".join(rejected.messages))
        # The typed URL and secret are not shown back: they are secrets.
        return robots(request, form={"owner": data.get("owner", ""), "kind": data.get("kind", ""),
                                     "name": data.get("name", "")}, status=400)
    messages.success(request, f"已添加群机器人：{robot}")
    return redirect(f"{_robots_url()}?unit={robot.unit.code if robot.unit_id else robot.region.code}")


def _robots_url():
    from django.urls import reverse

    return reverse("notify:robots")


@login_required
@require_POST
def robot_test(request, pk):
    robot = access.get_robot_for_user(request.user, pk, write=True)
    ok, answer = services.test_robot(request.user, robot)
    (messages.success if ok else messages.error)(
        request, f"测试消息{'已发送' if ok else '发送失败'}（{robot}）：{answer}")
    return redirect("notify:robots")


@login_required
@require_POST
def robot_active(request, pk):
    robot = access.get_robot_for_user(request.user, pk, write=True)
    services.set_robot_active(request.user, robot, request.POST.get("active") == "1")
    messages.success(request, f"已{'启用' if robot.active else '停用'}：{robot}")
    return redirect("notify:robots")


@login_required
@require_POST
def robot_delete(request, pk):
    robot = access.get_robot_for_user(request.user, pk, write=True)
    label = str(robot)
    services.delete_robot(request.user, robot)
    messages.success(request, f"已删除群机器人：{label}")
    return redirect("notify:robots")


@login_required
def outbox(request):
    access.require_notify_admin(request.user)
    rows = list(services.failed_messages()[:200].prefetch_related("attempt_log"))
    counts = {s: Message.objects.filter(status=s).count() for s in (Message.Status.QUEUED, Message.Status.RETRY,
                                                                     Message.Status.FAILED)}
    return render(request, "notify/outbox.html", {"rows": rows, "counts": counts,
                                                  "labels": services.CHANNEL_LABELS})


@login_required
@require_POST
def resend(request, pk):
    message = access.get_message_for_admin(request.user, pk)
    try:
        services.resend(request.user, message)
    except Rejected as rejected:
        messages.error(request, "；".join(rejected.messages))
    else:
        messages.success(request, f"已重新排队：{message.subject}")
    return redirect("notify:outbox")
