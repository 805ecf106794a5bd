"""消息 API: the caller's inbox and 消息设置; for administrators the robots (add, test, switch, delete), the
outbox's failures and 重新发送. Webhook URLs and secrets are never returned, only their masks."""

from ninja import Router, Schema, Status

from luoshi.notify import access, channels, services

router = Router(tags=["消息通知"])


class RobotIn(Schema):
    owner: str  # a unit code or a region code
    kind: str  # wecom / dingtalk
    url: str
    secret: str = ""
    name: str = ""


class ActiveIn(Schema):
    active: bool


class SettingsIn(Schema):
    email: str | None = None
    email_kinds: list[str] = []


def robot_out(r):
    return {"id": r.id, "kind": r.kind, "kind_label": r.get_kind_display(), "name": r.name,
            "unit": r.unit.code if r.unit_id else None, "region": r.region.code if r.region_id else None,
            "owner_name": r.owner_name, "url": r.masked_url, "secret": channels.mask_secret(r.secret), "active": r.active}


def message_out(m):
    return {"id": m.id, "subject": m.subject, "channel": m.channel, "kind": m.kind, "status": m.status,
            "status_label": m.get_status_display(), "to": m.to_label, "robot": m.robot_id, "error": m.error,
            "attempts": [{"at": a.at, "ok": a.ok, "error": a.error} for a in m.attempt_log.all()],
            "next_attempt_at": m.next_attempt_at, "created_at": m.created_at, "sent_at": m.sent_at}


@router.get("/messages", summary="我的站内消息")
def my_messages(request):
    return [{"id": m.id, "subject": m.subject, "body": m.body, "link": m.link, "sent_at": m.sent_at,
             "read": m.read_at is not None} for m in services.inbox(request.user)[:200]]


@router.get("/settings", summary="我的消息设置")
def my_settings(request):
    return {"email": request.user.email, "kinds": services.preferences(request.user)}


@router.put("/settings", summary="修改我的消息设置（站内消息始终开启；email_kinds: 另发邮件的类别）")
def save_settings(request, payload: SettingsIn):
    services.save_preferences(request.user, email_kinds_chosen=payload.email_kinds, email=payload.email)
    return my_settings(request)


@router.get("/robots", summary="群机器人列表（系统管理员；地区的管理员只见本地区的；地址已遮盖）")
def robots(request, unit: str | None = None):
    rows = access.visible_robots(request.user)
    if unit:
        rows = rows.filter(unit__code=unit) | rows.filter(region__code=unit)
    return [robot_out(r) for r in rows.order_by("id")]


@router.post("/robots", response={201: dict}, summary="添加群机器人（系统管理员）")
def add_robot(request, payload: RobotIn):
    access.require_robot_admin(request.user)
    unit, region = access.owner_from_code(payload.owner)
    robot = services.add_robot(request.user, kind=payload.kind, url=payload.url, secret=payload.secret,
                               name=payload.name, unit=unit, region=region)
    return Status(201, robot_out(robot))


@router.post("/robots/{pk}/test", summary="发送测试消息，返回机器人的答复")
def test_robot(request, pk: int):
    robot = access.get_robot_for_user(request.user, pk, write=True)
    ok, answer = services.test_robot(request.user, robot)
    return {"ok": ok, "answer": answer}


@router.post("/robots/{pk}/active", summary="启用或停用群机器人")
def robot_active(request, pk: int, payload: ActiveIn):
    robot = access.get_robot_for_user(request.user, pk, write=True)
    return robot_out(services.set_robot_active(request.user, robot, payload.active))


@router.delete("/robots/{pk}", response={204: None}, summary="删除群机器人")
def delete_robot(request, pk: int):
    robot = access.get_robot_for_user(request.user, pk, write=True)
    services.delete_robot(request.user, robot)
    return Status(204, None)


@router.get("/outbox", summary="发送失败和等待重试的消息（系统管理员）")
def outbox(request):
    access.require_notify_admin(request.user)
    return [message_out(m) for m in services.failed_messages()[:500].prefetch_related("attempt_log")]


@router.post("/outbox/{pk}/resend", summary="重新发送一条发送失败的消息")
def resend(request, pk: int):
    message = access.get_message_for_admin(request.user, pk)
    return message_out(services.resend(request.user, message))
