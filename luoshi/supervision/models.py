"""督办单 (supervision notices): a numbered notice to a task's lead unit, answered, sent back or accepted; every
step is a row only ever added."""

from django.conf import settings
from django.db import models


class NoticeState(models.TextChoices):
    PENDING = "pending", "待答复"
    REPLIED = "replied", "已答复"
    RETURNED = "returned", "退回"
    CLOSED = "closed", "已办结"


OPEN_STATES = [NoticeState.PENDING, NoticeState.REPLIED, NoticeState.RETURNED]


def overdue_for_reply(today) -> models.Q:
    """Notices waiting for an answer past its deadline on `today`: the first answer past reply_due, or the answer
    again after a return past redo_due."""
    return (models.Q(state=NoticeState.PENDING, first_replied_on__isnull=True, reply_due__lt=today)
            | models.Q(state=NoticeState.RETURNED, redo_due__lt=today))


class NoticeSource(models.TextChoices):
    MANUAL = "manual", "督查室开具"
    SWEEP = "sweep", "每日巡查"


class Notice(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    task = models.ForeignKey("work.Task", on_delete=models.PROTECT, related_name="notices", verbose_name="重点任务")
    milestone = models.ForeignKey("work.Milestone", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="notices", verbose_name="节点")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="notices", verbose_name="承办单位")
    copied_units = models.ManyToManyField("orgs.Unit", blank=True, related_name="notices_copied", verbose_name="抄送单位")
    leader = models.ForeignKey("orgs.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="notices", verbose_name="责任领导（人员）")
    leader_name = models.CharField("责任领导", max_length=100, blank=True)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="notices", verbose_name="督办地区")
    reason = models.TextField("督办事由")
    opened_on = models.DateField("开具日期")
    reply_due = models.DateField("答复时限")  # the first answer's; kept when the answer is returned (the league judges it)
    returned_on = models.DateField("最近退回日期", null=True, blank=True)
    redo_due = models.DateField("退回后答复时限", null=True, blank=True)  # the new answer's, set at each return
    state = models.CharField("状态", max_length=10, choices=NoticeState.choices, default=NoticeState.PENDING)
    escalated_on = models.DateField("升级督办日期", null=True, blank=True)
    replied_on = models.DateField("最近答复日期", null=True, blank=True)
    first_replied_on = models.DateField("首次答复日期", null=True, blank=True)
    source = models.CharField("来源", max_length=10, choices=NoticeSource.choices, default=NoticeSource.MANUAL)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="开具人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-serial"]
        verbose_name = verbose_name_plural = "督办单"
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="unique_notice_number"),
            # Two sweeps (or an office and a sweep) at once cannot open two notices on one task.
            models.UniqueConstraint(fields=["task"], condition=models.Q(state__in=OPEN_STATES),
                                    name="one_open_notice_per_task"),
        ]
        indexes = [models.Index(fields=["state", "reply_due"]), models.Index(fields=["unit", "state"])]

    @property
    def number(self):
        return f"督办〔{self.year}〕{self.serial}号"

    @property
    def answer_due(self):
        """The day the answer the notice now waits for is due: reply_due, or redo_due once returned."""
        return self.redo_due if self.state == NoticeState.RETURNED and self.redo_due else self.reply_due

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    def __str__(self):
        return self.number


class StepKind(models.TextChoices):
    OPENED = "opened", "开具"
    REPLIED = "replied", "答复"
    RETURNED = "returned", "退回"
    ACCEPTED = "accepted", "办结"
    ESCALATED = "escalated", "升级督办"
    REMINDED = "reminded", "提醒"


class NoticeStep(models.Model):
    """One step of a notice. Only ever added, never changed."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("环节", max_length=10, choices=StepKind.choices)
    text = models.TextField("内容", blank=True)
    on = models.DateField("日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name="经办人")
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "督办环节"


class NoticeCounter(models.Model):
    """The last serial given in a year: numbers without gaps (the row is locked while a notice is opened)."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("最后序号", default=0)


def step_attachment_path(instance, filename):
    return f"supervision/notices/{instance.step.notice_id}/{instance.step_id}/{filename}"


class StepAttachment(models.Model):
    """A file sent with a step (a unit's answer: "见附件"), kept with the step; never changed."""

    step = models.ForeignKey(NoticeStep, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=step_attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "督办环节附件"
