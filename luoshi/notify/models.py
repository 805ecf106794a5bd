from django.conf import settings
from django.db import models


class Message(models.Model):
    """One message in the outbox: queued, then sent through its channel. Channels: in-app (站内消息) for now."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_received",
                                  verbose_name="收件人")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    channel = models.CharField("渠道", max_length=20, default="inapp")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Senders pass a key (e.g. "daily:remind:form:day:user") so that running a job twice queues one message.
    dedupe_key = models.CharField("去重键", max_length=200, null=True, blank=True, unique=True)
    error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "channel"], name="notify_outbox_idx")]
        verbose_name = verbose_name_plural = "消息"

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
