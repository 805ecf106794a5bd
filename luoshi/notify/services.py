"""The outbox: other apps queue messages here; dispatch() sends what is queued through its channel.

Channels are plain functions `send(message) -> None` (raise to fail). Only the in-app channel exists now:
the message is already where the recipient reads it (the inbox page), so sending just marks it sent.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.problems import Rejected
from luoshi.notify.models import Message

INAPP = "inapp"
CHANNELS = {INAPP: lambda message: None}
CHANNEL_LABELS = {INAPP: "站内消息"}


def register_channel(name, send, label=None):
    CHANNELS[name] = send
    CHANNEL_LABELS[name] = label or name


def queue_message(recipient, subject, body="", *, channel=INAPP, link="", dedupe_key=None, actor=None):
    """Queue one message. With a dedupe_key, queuing the same message again returns the first (created=False)."""
    if channel not in CHANNELS:
        raise Rejected(f"未知的消息渠道「{channel}」")
    if not subject.strip():
        raise Rejected("消息标题不能为空")
    if dedupe_key:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            message = Message.objects.create(recipient=recipient, subject=subject[:200], body=body, channel=channel,
                                             link=link[:300], dedupe_key=dedupe_key or None)
            record(actor, "排队发送消息", message, after={"recipient": recipient.username, "subject": subject, "channel": channel})
    except IntegrityError:
        # Another worker queued the same key at the same moment.
        return Message.objects.get(dedupe_key=dedupe_key), False
    return message, True


def dispatch(limit=1000, now=None):
    """Send queued messages, oldest first. Returns (sent, failed)."""
    now = now or timezone.now()
    sent = failed = 0
    for message in Message.objects.filter(status=Message.Status.QUEUED).order_by("id")[:limit]:
        try:
            CHANNELS[message.channel](message)
        except Exception as exc:  # a channel's failure is kept on the message and does not stop the others
            Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, error=str(exc)[:300])
            failed += 1
            continue
        Message.objects.filter(pk=message.pk, status=Message.Status.QUEUED).update(status=Message.Status.SENT, sent_at=now)
        sent += 1
    return sent, failed


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
