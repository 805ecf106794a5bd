from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """What a message is about: each person chooses, per kind, whether it also reaches them by e-mail (消息设置)."""

    GENERAL = "general", "其他消息"
    DAILY_REMIND = "daily_remind", "日报报送提醒"
    DAILY_MISSING = "daily_missing", "日报未报汇总"
    NOTICE = "notice", "督办通知"
    ESCALATION = "escalation", "督办升级"
    MILESTONE_DUE = "milestone_due", "节点到期提醒"
    REPORT_DUE = "report_due", "进展报送提醒"
    REPORT_MISSING = "report_missing", "进展缺报提醒"
    CONSEQUENCE = "consequence", "结果运用（处理建议与决定）"


class Robot(models.Model):
    """A 工作群 robot (企业微信 group robot or 钉钉 custom robot) of one unit or one region.

    The webhook URL (with its key / access_token) and the 加签 secret are secrets: pages, audit entries and logs
    show them masked (notify.channels.mask_url)."""

    class RobotKind(models.TextChoices):
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    kind = models.CharField("类型", max_length=10, choices=RobotKind.choices)
    name = models.CharField("名称", max_length=100, blank=True)
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="robots",
                             verbose_name="单位")
    region = models.ForeignKey("orgs.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="robots",
                               verbose_name="地区")
    url = models.CharField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "群机器人"
        constraints = [models.CheckConstraint(condition=models.Q(unit__isnull=False) | models.Q(region__isnull=False),
                                              name="notify_robot_owner")]

    def __str__(self):
        return f"{self.owner_name} · {self.get_kind_display()}{('「' + self.name + '」') if self.name else ''}"

    @property
    def owner_name(self):
        return self.unit.name if self.unit_id else self.region.name

    @property
    def masked_url(self):
        from luoshi.notify.channels import mask_url
        return mask_url(self.url)


class Message(models.Model):
    """One message in the outbox, to one person (站内消息 or e-mail) or one robot: queued, claimed by a dispatcher,
    sent through its channel; a failure waits and is tried again (LUOSHI_NOTIFY_RETRY_MINUTES), every try kept as
    an Attempt; after the last try it is 发送失败 until an administrator sends it again."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENDING = "sending", "发送中"
        RETRY = "retry", "等待重试"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_received",
                                  null=True, blank=True, verbose_name="收件人")
    robot = models.ForeignKey(Robot, on_delete=models.CASCADE, related_name="messages", null=True, blank=True,
                              verbose_name="群机器人")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    # A robot message's @: the responsible people's mainland mobiles (notify.rules.mention_mobiles), kept here so
    # that a digest and a retry @ the same people.
    mentions = models.JSONField("提醒手机号", default=list, blank=True)
    channel = models.CharField("渠道", max_length=20, default="inapp")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Senders pass a key (e.g. "daily:remind:form:day:user") so that running a job twice queues one message per channel.
    dedupe_key = models.CharField("去重键", max_length=200, null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    attempts = models.PositiveIntegerField("本轮已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    claim = models.CharField("领取标记", max_length=40, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "channel"], name="notify_outbox_idx"),
                   models.Index(fields=["status", "next_attempt_at"], name="notify_due_idx")]
        constraints = [models.UniqueConstraint(fields=["channel", "dedupe_key"], name="notify_dedupe_per_channel")]
        verbose_name = verbose_name_plural = "消息"

    def __str__(self):
        return f"{self.subject} → {self.recipient or self.robot}"

    @property
    def to_label(self):
        if self.robot_id:
            return str(self.robot)
        return self.recipient.get_full_name() or self.recipient.username if self.recipient_id else ""


class Attempt(models.Model):
    """One try at sending a message: when, and what went wrong (empty when it went out)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log", verbose_name="消息")
    robot = models.ForeignKey(Robot, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts",
                              verbose_name="群机器人")
    at = models.DateTimeField("时间", db_index=True)
    ok = models.BooleanField("成功", default=False)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "发送记录"


class Preference(models.Model):
    """A person's choice: messages of this kind also reach them by e-mail. In-app messages always arrive."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    email = models.BooleanField("邮件", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notify_preference_once")]
        verbose_name = verbose_name_plural = "消息设置"
