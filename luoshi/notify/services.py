"""The outbox: other apps queue messages here; dispatch() sends what is due through its channel.

Channels: 站内消息 (in-app: the message is already where the person reads it, sending marks it sent), e-mail,
企业微信 and 钉钉 group robots (notify.channels). A message to a person is in-app, plus an e-mail copy for the
kinds the person chose on 消息设置; a message to a unit goes in-app to its people and to its robots.

Messages follow the work: each workflow event (督办单下发, 催办 and the reminders before a deadline, 退回重办, 升级督办,
节点到期, 进展报送 / 缺报提醒, 会议材料报送通知, 村居日报 reminders and a town's 未报汇总) is queued in-app to the
people told (with their e-mail copy) and, through queue_robots, once to each active robot of the unit it is about,
whatever the number of people: one message per robot per event (key `…:r<robot>`), @ing the mobiles of the people
told (rules.mention_mobiles; 企业微信 gets a text message then, since its markdown cannot @ by mobile; 钉钉 markdown
with at.atMobiles and the @mobile in the text). Which robots:

- an event about a unit (a notice, a task's milestone or report, a meeting section, a village's daily report): the
  robots of that unit (the notice's unit, the task's lead unit, the unit asked for a section, the village);
- an escalation: it is the leaders' business, and a leader's group is the region's, not a unit's. It goes to the
  robots of the region whose supervision office decides the notice (Robot.region = Notice.region, the district),
  @ing the leader told (the task's responsible leader, else the region's leaders); the unit hears of the escalation
  through its own robots, as the reminder 已升级督办 that @s its people;
- a region-level event (a town's list of villages missing their daily report): the robots of the town government
  (the town's township unit) and of the town region.

Every robot and e-mail message carries an absolute link (channels.absolute: LUOSHI_BASE_URL, else
http://127.0.0.1:8000, where `make run` serves). Messages leave with the worker's dispatch, every minute by default
(jobs.schedule, LUOSHI_JOB_DISPATCH_EVERY); the daily reminders dispatch at once after queueing.

dispatch() is safe to run from several processes at once: it first claims due messages (PostgreSQL: SELECT … FOR
UPDATE SKIP LOCKED; SQLite: one writer at a time, BEGIN IMMEDIATE), sends them outside the transaction, then writes
each outcome. A failure is tried again after LUOSHI_NOTIFY_RETRY_MINUTES (every try kept as an Attempt); after the
last one the message is 发送失败 until an administrator sends it again. A robot gets at most
LUOSHI_ROBOT_PER_MINUTE calls a minute; what is due for one robot in one run goes out as one digest message.
"""

import logging
import uuid
from datetime import timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Subquery
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.problems import Rejected
from luoshi.notify import channels, rules
from luoshi.notify.models import Attempt, Kind, Message, Preference, Robot

logger = logging.getLogger(__name__)

INAPP = "inapp"
EMAIL = "email"
WECOM = "wecom"
DINGTALK = "dingtalk"
ROBOT_CHANNELS = {WECOM, DINGTALK}
CHANNELS = {INAPP: lambda message: None, EMAIL: channels.send_email}
CHANNEL_LABELS = {INAPP: "站内消息", EMAIL: "邮件", WECOM: "企业微信群", DINGTALK: "钉钉群"}
STALE_CLAIM = timedelta(minutes=10)  # a dispatcher that died mid-run: its claimed messages are due again after this
DEFAULT_RETRY_MINUTES = "1,5,30,120,360"


def register_channel(name, send, label=None):
    CHANNELS[name] = send
    CHANNEL_LABELS[name] = label or name


def retry_minutes():
    raw = str(channels.setting("LUOSHI_NOTIFY_RETRY_MINUTES", DEFAULT_RETRY_MINUTES))
    try:
        waits = [float(x) for x in raw.split(",") if x.strip()]
    except ValueError:
        waits = []
    if not waits or any(w < 0 for w in waits):
        waits = [float(x) for x in DEFAULT_RETRY_MINUTES.split(",")]
    return waits


def robot_per_minute():
    try:
        return max(1, int(channels.setting("LUOSHI_ROBOT_PER_MINUTE", "20")))
    except ValueError:
        return 20


# --- queueing --------------------------------------------------------------------------------------------------

def _check(subject, kind):
    if not (subject or "").strip():
        raise Rejected("消息标题不能为空")
    if kind not in Kind.values:
        raise Rejected(f"未知的消息类别「{kind}」")


def _create(actor, *, dedupe_key, channel, **fields):
    """Create one message unless one with this key exists on this channel. Returns (message, created)."""
    if dedupe_key:
        existing = Message.objects.filter(channel=channel, dedupe_key=dedupe_key).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            message = Message.objects.create(channel=channel, dedupe_key=dedupe_key or None, **fields)
            to = fields["recipient"].username if fields.get("recipient") else str(fields["robot"])
            record(actor, "排队发送消息", message, after={"to": to, "subject": fields["subject"], "channel": channel})
    except IntegrityError:
        # Another worker queued the same key at the same moment.
        return Message.objects.get(channel=channel, dedupe_key=dedupe_key), False
    return message, True


def email_kinds(user):
    return set(Preference.objects.filter(user=user, email=True).values_list("kind", flat=True))


def queue_message(recipient, subject, body="", *, channel=INAPP, link="", dedupe_key=None, actor=None,
                  kind=Kind.GENERAL):
    """Queue one message to a person. With a dedupe_key, queuing the same message again returns the first
    (created=False). An in-app message also queues an e-mail copy when the person chose e-mail for this kind."""
    if channel not in CHANNELS or channel in ROBOT_CHANNELS:
        raise Rejected(f"未知的消息渠道「{channel}」")
    _check(subject, kind)
    fields = {"recipient": recipient, "subject": subject[:200], "body": body, "link": link[:300], "kind": kind}
    message, created = _create(actor, dedupe_key=dedupe_key, channel=channel, **fields)
    if channel == INAPP and kind in email_kinds(recipient):
        _create(actor, dedupe_key=dedupe_key, channel=EMAIL, **fields)
    return message, created


def supervision_kind(key):
    """The kind of a supervision reminder from its key (supervision.services.notify): n12:escalated, n12:opened,
    m7:due3, t5:missing:2020-04-01, t5:report_due:2020-05-01."""
    if key.endswith(":escalated"):
        return Kind.ESCALATION
    if ":missing:" in key:
        return Kind.REPORT_MISSING
    if ":report_due:" in key:
        return Kind.REPORT_DUE
    if key.startswith("m") and ":due" in key:
        return Kind.MILESTONE_DUE
    return Kind.NOTICE


def queue_robot(robot, subject, body="", *, link="", dedupe_key=None, actor=None, kind=Kind.GENERAL, mentions=()):
    """Queue one message to a robot; `mentions` the mobiles it @s (only mainland mobiles are kept: rules)."""
    _check(subject, kind)
    return _create(actor, dedupe_key=dedupe_key, channel=robot.kind, robot=robot, subject=subject[:200], body=body,
                   link=link[:300], kind=kind, mentions=rules.mention_mobiles(mentions))


# What the robots page says goes to robots (the routing in this module's docstring), per owner.
ROBOT_EVENTS = [
    ("单位的机器人", "督办单下发、答复到期提醒和催办、退回重办、已升级督办；牵头重点任务的节点到期、进展报送和缺报提醒；"
                "会议材料报送通知和截止提醒；村（社区）的村居日报截止前提醒"),
    ("地区的机器人", "升级督办（督查室所在区县的机器人，@责任领导）；镇街的村居日报未报汇总（也发给镇街政府单位的机器人）"),
]


def robots_of(units=(), regions=()):
    """The active robots of these units and regions (objects or ids), in order."""
    unit_ids = {getattr(u, "pk", u) for u in units if u is not None}
    region_ids = {getattr(r, "pk", r) for r in regions if r is not None}
    if not unit_ids and not region_ids:
        return Robot.objects.none()
    return Robot.objects.filter(Q(unit_id__in=unit_ids) | Q(region_id__in=region_ids), active=True).order_by("pk")


def mentions_for(users):
    """The mobiles a robot may @ for these people: their Person.phone where it is a mainland mobile, in their order."""
    from luoshi.orgs.models import Person

    ids = [u.pk for u in users]
    phones = dict(Person.objects.filter(user_id__in=ids).values_list("user_id", "phone"))
    return rules.mention_mobiles(phones.get(pk, "") for pk in ids)


def queue_robots(subject, body="", *, dedupe_key, units=(), regions=(), link="", actor=None, kind=Kind.GENERAL,
                 mention=()):
    """One workflow event to the group robots of these units and regions: one message per active robot, whatever
    the number of people told (key `{dedupe_key}:r{robot}`: the same event queues nothing the second time), @ing the
    mobiles of the people in `mention`. Returns how many messages were new."""
    if not dedupe_key:
        raise ValueError("a workflow event's robot messages need a dedupe key")
    robots = list(robots_of(units, regions))
    if not robots:
        return 0
    mentions = mentions_for(mention)
    return sum(queue_robot(robot, subject, body, link=link, dedupe_key=f"{dedupe_key}:r{robot.pk}", actor=actor,
                           kind=kind, mentions=mentions)[1] for robot in robots)


def unit_people(unit):
    from luoshi.orgs.models import RoleAssignment

    ids = RoleAssignment.objects.filter(unit=unit).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def send_to_unit(unit, subject, body="", *, link="", dedupe_key=None, actor=None, kind=Kind.GENERAL):
    """Queue a message to a unit: to each of its active robots and, in-app, to each of its people.
    Returns (robots, people) queued (new ones only)."""
    _check(subject, kind)
    robots = people = 0
    for robot in robots_of(units=[unit]):
        key = f"{dedupe_key}:r{robot.pk}" if dedupe_key else None
        robots += queue_robot(robot, subject, body, link=link, dedupe_key=key, actor=actor, kind=kind)[1]
    for user in unit_people(unit):
        key = f"{dedupe_key}:u{user.pk}" if dedupe_key else None
        people += queue_message(user, subject, body, link=link, dedupe_key=key, actor=actor, kind=kind)[1]
    return robots, people


# --- dispatch ----------------------------------------------------------------------------------------------------

class DispatchResult(NamedTuple):
    sent: int
    retrying: int
    failed: int
    deferred: int = 0  # left queued for a later run: a robot at its per-minute limit, or past a digest's size


def _due(now):
    return (Q(status__in=[Message.Status.QUEUED, Message.Status.RETRY])
            & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))) | Q(
        status=Message.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)


def _claim(now, limit):
    """Mark up to `limit` due messages as ours (a fresh token); another dispatcher never gets the same ones."""
    token = uuid.uuid4().hex
    due = Message.objects.filter(_due(now)).order_by("id")
    with transaction.atomic():  # SQLite: BEGIN IMMEDIATE (settings), so claims happen one dispatcher at a time
        if connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True, of=("self",)).values_list("id", flat=True)[:limit])
            chosen = Message.objects.filter(pk__in=ids)
        else:
            chosen = Message.objects.filter(pk__in=Subquery(due.values("id")[:limit]))
        chosen.filter(_due(now)).update(status=Message.Status.SENDING, claim=token, claimed_at=now)
    return token


def _release(token, ids):
    """Give claimed messages back untouched (they stay due)."""
    Message.objects.filter(pk__in=ids, claim=token).update(
        status=Message.Status.QUEUED, claim="", claimed_at=None)


def _succeeded(token, messages, now, robot=None):
    ids = [m.pk for m in messages]
    with transaction.atomic():
        Message.objects.filter(pk__in=ids, claim=token).update(status=Message.Status.SENT, sent_at=now, error="",
                                                               claim="", claimed_at=None)
        Attempt.objects.bulk_create([Attempt(message=m, at=now, ok=True, robot=robot if i == 0 else None)
                                     for i, m in enumerate(messages)])


def _failed(token, messages, now, error, final=False, robot=None):
    """Record a failed try; returns (retrying, failed) counts."""
    waits = retry_minutes()
    retrying = failed = 0
    with transaction.atomic():
        for i, m in enumerate(messages):
            tries = m.attempts + 1
            update = {"attempts": tries, "error": error[:300], "claim": "", "claimed_at": None}
            if final or tries > len(waits):
                update.update(status=Message.Status.FAILED, next_attempt_at=None)
                failed += 1
            else:
                update.update(status=Message.Status.RETRY, next_attempt_at=now + timedelta(minutes=waits[tries - 1]))
                retrying += 1
            Message.objects.filter(pk=m.pk, claim=token).update(**update)
            # One attempt per call carries the robot: counting those counts a robot's calls (its per-minute limit).
            Attempt.objects.create(message=m, at=now, ok=False, error=error[:300], robot=robot if i == 0 else None)
    return retrying, failed


def digest_text(messages, kind, plain=False, mentions=()):
    """(title, text, included): one message as itself; several as one 汇总 up to the robot's size limit (less the
    room 钉钉's @mobile line takes). The text is markdown, or plain text for a 企业微信 text message (plain). What
    people wrote (subjects and bodies) goes through channels.robot_safe; each item ends with its absolute link."""
    limit = channels.text_limit(kind, plain, mentions)
    inbox = channels.absolute("/inbox/")

    def item(m, room):
        link = channels.absolute(m.link)
        subject = " ".join(m.subject.split())
        if plain:
            text = f"【{channels.robot_safe(subject, False)}】\n{channels.robot_safe(m.body, False)}".rstrip()
            tail = f"\n查看：{link}" if link else ""
        else:
            text = f"**{channels.robot_safe(subject)}**\n\n{channels.robot_safe(m.body)}".rstrip()
            tail = f"\n\n[在 luoshi 中查看]({channels.link_for_markdown(link)})" if link else ""
        return channels.cut(text, room - len(tail.encode()), link or inbox) + tail

    if len(messages) == 1:
        m = messages[0]
        return m.subject, item(m, limit - 100), messages
    title = "luoshi 消息汇总（{n} 条）"
    header = title if plain else f"**{title}**"
    separator = "\n\n" if plain else "\n\n---\n\n"
    parts, included, used = [], [], len(header.encode()) + 20
    for m in messages:
        part = f"{len(included) + 1}. " + item(m, 600)
        size = len(part.encode()) + len(separator.encode())
        if included and used + size > limit - 100:
            break
        parts.append(part)
        included.append(m)
        used += size
    text = header.format(n=len(included)) + "\n\n" + separator.join(parts)
    return title.format(n=len(included)), text, included


def dispatch(limit=1000, now=None):
    """Send due messages, oldest first (one run). Returns DispatchResult(sent, retrying, failed, deferred)."""
    now = now or timezone.now()
    token = _claim(now, limit)
    claimed = list(Message.objects.filter(claim=token, status=Message.Status.SENDING)
                   .select_related("recipient", "robot").order_by("id"))
    sent = retrying = failed = deferred = 0
    inapp = [m for m in claimed if m.channel == INAPP]
    if inapp:
        Message.objects.filter(pk__in=[m.pk for m in inapp], claim=token).update(
            status=Message.Status.SENT, sent_at=now, error="", claim="", claimed_at=None)
        sent += len(inapp)
    by_robot = {}
    for m in claimed:
        if m.channel == INAPP:
            continue
        if m.channel in ROBOT_CHANNELS:
            by_robot.setdefault(m.robot_id, []).append(m)
            continue
        try:
            send = CHANNELS.get(m.channel)
            if send is None:
                raise channels.SendError(f"未知的消息渠道「{m.channel}」", final=True)
            send(m)
        except Exception as exc:  # a channel's failure is kept on the message and does not stop the others
            r, f = _failed(token, [m], now, str(exc) or type(exc).__name__, final=getattr(exc, "final", False))
            retrying, failed = retrying + r, failed + f
            continue
        _succeeded(token, [m], now)
        sent += 1
    window = now - timedelta(minutes=1)
    for robot_id, messages in by_robot.items():
        robot = messages[0].robot
        if not robot.active:
            r, f = _failed(token, messages, now, "群机器人已停用", final=True)
            failed += f
            continue
        if Attempt.objects.filter(robot=robot, at__gt=window).count() >= robot_per_minute():
            _release(token, [m.pk for m in messages])
            deferred += len(messages)
            continue
        # @: the people of every message due (the text keeps room for them), then of those that fit in the digest.
        wanted = rules.merged_mentions(m.mentions for m in messages)
        plain = channels.uses_text_message(robot.kind, wanted)
        title, text, included = digest_text(messages, robot.kind, plain=plain, mentions=wanted)
        mentions = rules.merged_mentions(m.mentions for m in included)
        rest = messages[len(included):]
        if rest:
            _release(token, [m.pk for m in rest])
            deferred += len(rest)
        try:
            channels.post_robot(robot, title, text, mentions=mentions, plain=plain)
        except Exception as exc:  # noqa: BLE001 — never let one robot stop the run
            error = channels.scrub(str(exc) or type(exc).__name__, robot)
            logger.warning("群机器人 %s 发送失败：%s", robot.pk, error)
            r, f = _failed(token, included, now, error, final=getattr(exc, "final", False), robot=robot)
            retrying, failed = retrying + r, failed + f
            continue
        _succeeded(token, included, now, robot=robot)
        sent += len(included)
    return DispatchResult(sent, retrying, failed, deferred)


def resend(actor, message):
    """Put a 发送失败 message back in the queue (an administrator's 重新发送): tried again at the next run."""
    _require_admin(actor)
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, status=Message.Status.FAILED).update(
            status=Message.Status.QUEUED, attempts=0, next_attempt_at=None, claim="", claimed_at=None)
        if not changed:
            raise Rejected("只有发送失败的消息可以重新发送")
        record(actor, "重新发送消息", message, after={"subject": message.subject, "channel": message.channel})
    message.refresh_from_db()
    return message


def failed_messages():
    return Message.objects.filter(status__in=[Message.Status.FAILED, Message.Status.RETRY]).select_related(
        "recipient", "robot__unit", "robot__region").order_by("-id")


def _require_admin(actor):
    """Administrators only; actor None is the server's own command line (luoshi notify …)."""
    if actor is not None:
        from luoshi.orgs.access import access_for

        if not access_for(actor).is_admin:
            raise PermissionDenied("只有系统管理员可以配置群机器人和重新发送消息")


def _require_robot_admin(actor, unit=None, region=None):
    """An administrator of the robot's region (notify.access); actor None is the server's own command line."""
    if actor is not None:
        from luoshi.notify.access import check_robot_owner

        check_robot_owner(actor, unit, region)


# --- robots --------------------------------------------------------------------------------------------------------

def _robot_audit(robot):
    return {"kind": robot.kind, "name": robot.name, "url": robot.masked_url, "secret": channels.mask_secret(robot.secret),
            "owner": robot.owner_name, "active": robot.active}


def add_robot(actor, *, kind, url, secret="", name="", unit=None, region=None):
    """Configure a robot for a unit or a region (administrators). Refuses a URL that is not allowed (see channels)."""
    url, secret, name = (url or "").strip(), (secret or "").strip(), (name or "").strip()
    if (unit is None) == (region is None):
        raise Rejected("机器人须属于一个单位或一个地区")
    _require_robot_admin(actor, unit, region)
    reason = channels.check_url(url, kind)
    if reason:
        raise Rejected(reason)
    if secret and kind != DINGTALK:
        raise Rejected("只有钉钉机器人需要加签密钥")
    if len(secret) > 200 or len(name) > 100:
        raise Rejected("名称或加签密钥过长")
    with transaction.atomic():
        robot = Robot.objects.create(kind=kind, url=url, secret=secret, name=name, unit=unit, region=region)
        record(actor, "添加群机器人", robot, after=_robot_audit(robot))
    return robot


def set_robot_active(actor, robot, active):
    _require_robot_admin(actor, robot.unit, robot.region)
    with transaction.atomic():
        before = _robot_audit(robot)
        robot.active = bool(active)
        robot.save(update_fields=["active"])
        record(actor, "启用群机器人" if active else "停用群机器人", robot, before=before, after=_robot_audit(robot))
    return robot


def delete_robot(actor, robot):
    _require_robot_admin(actor, robot.unit, robot.region)
    with transaction.atomic():
        record(actor, "删除群机器人", robot, before=_robot_audit(robot))
        robot.delete()


def test_robot(actor, robot):
    """Send a test message now (not through the outbox). Returns (ok, answer) with the answer masked."""
    _require_robot_admin(actor, robot.unit, robot.region)
    text = f"**luoshi 测试消息**\n\n这是「{robot.owner_name}」群机器人的测试消息，发送人：{(actor.get_full_name() or actor.username) if actor else '命令行'}。"
    try:
        answer = channels.post_robot(robot, "luoshi 测试消息", text)
    except channels.SendError as exc:
        return False, channels.scrub(str(exc), robot)
    return True, answer


# --- a person's own settings -----------------------------------------------------------------------------------

def preferences(user):
    chosen = email_kinds(user)
    return [{"kind": value, "label": label, "email": value in chosen} for value, label in Kind.choices]


def save_preferences(user, *, email_kinds_chosen, email=None):
    """A person's 消息设置: the kinds that also come by e-mail, and their e-mail address."""
    chosen = set(email_kinds_chosen or [])
    unknown = chosen - set(Kind.values)
    if unknown:
        raise Rejected(f"未知的消息类别「{sorted(unknown)[0]}」")
    address = user.email if email is None else (email or "").strip()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            raise Rejected(f"邮箱地址「{address[:100]}」格式不正确")
    if chosen and not address:
        raise Rejected("选择邮件接收前，请先填写邮箱地址")
    with transaction.atomic():
        before = {"email": user.email, "email_kinds": sorted(email_kinds(user))}
        if email is not None and address != user.email:
            user.email = address
            user.save(update_fields=["email"])
        for value in Kind.values:
            Preference.objects.update_or_create(user=user, kind=value, defaults={"email": value in chosen})
        record(user, "修改消息设置", user, before=before, after={"email": address, "email_kinds": sorted(chosen)})


# --- the in-app inbox ----------------------------------------------------------------------------------------------

def inbox(user):
    """Messages the user can read in the app: in-app messages once sent."""
    return Message.objects.filter(recipient=user, channel=INAPP, status=Message.Status.SENT)


def unread_count(user):
    return inbox(user).filter(read_at__isnull=True).count()


def mark_read(user, ids=None, now=None):
    messages = inbox(user).filter(read_at__isnull=True)
    if ids is not None:
        messages = messages.filter(pk__in=ids)
    return messages.update(read_at=now or timezone.now())
