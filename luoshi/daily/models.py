from django.conf import settings
from django.db import models
from django.db.models import Q

from luoshi.daily import rules


class DailyForm(models.Model):
    """A daily report form (日报表单), owned by a district. Its fields live in versions."""

    code = models.SlugField("表单代码", max_length=40, unique=True)
    title = models.CharField("名称", max_length=100)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="daily_forms", verbose_name="所属地区")
    current_version = models.ForeignKey("FormVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        verbose_name="当前版本")
    remind_minutes_before = models.PositiveIntegerField("截止前提醒（分钟）", default=rules.DEFAULT_REMIND_MINUTES)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "日报表单"

    def __str__(self):
        return self.title


class FormVersion(models.Model):
    """The fields and deadline of a form as changed at one time. Never edited; a change is a new version."""

    form = models.ForeignKey(DailyForm, on_delete=models.PROTECT, related_name="versions", verbose_name="表单")
    number = models.PositiveIntegerField("版本")
    fields = models.JSONField("字段")
    deadline = models.TimeField("截止时间", default=rules.DEFAULT_DEADLINE)
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["form", "number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="daily_unique_form_version")]

    def __str__(self):
        return f"{self.form} 第{self.number}版"

    @property
    def specs(self):
        return [rules.field_from_dict(f) for f in self.fields]

    @property
    def numeric_keys(self):
        return [f["key"] for f in self.fields if f["kind"] == rules.INTEGER]


class FormAssignment(models.Model):
    """A village or community that must send the form, from a date (and until a date, when it stops)."""

    form = models.ForeignKey(DailyForm, on_delete=models.PROTECT, related_name="assignments")
    village = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="daily_assignments")
    starts_on = models.DateField("起报日期")
    ends_on = models.DateField("停报日期", null=True, blank=True)

    class Meta:
        ordering = ["form", "village__code"]
        constraints = [models.UniqueConstraint(fields=["form", "village"], name="daily_unique_assignment")]


class DailyReport(models.Model):
    """One version of one village's report for one day. Corrections add versions; the current one is flagged.

    `late` and `first_submitted_at` are copied from version 1 to every later version so that the day's
    status comes from the current rows alone.
    """

    # No single-column indexes on form and village: the unique constraints below lead with them, and every index
    # is one more write per report in the morning rush.
    form = models.ForeignKey(DailyForm, on_delete=models.PROTECT, related_name="reports", db_index=False)
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="reports")
    village = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="daily_reports", db_index=False)
    day = models.DateField("日期")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    values = models.JSONField("数据")
    zero_report = models.BooleanField("零报告", default=False)
    late = models.BooleanField("逾期", default=False)
    first_submitted_at = models.DateTimeField("首次报送时间")
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField("幂等键", max_length=64)
    note = models.CharField("更正说明", max_length=200, blank=True)

    class Meta:
        ordering = ["form", "day", "village", "version"]
        constraints = [
            models.UniqueConstraint(fields=["form", "village", "day", "version"], name="daily_unique_report_version"),
            models.UniqueConstraint(fields=["form", "village", "day"], condition=Q(is_current=True), name="daily_one_current_report"),
            models.UniqueConstraint(fields=["village", "idempotency_key"], name="daily_unique_idempotency_key"),
        ]
        indexes = [models.Index(fields=["form", "day", "is_current"], name="daily_report_day_idx")]

    def __str__(self):
        return f"{self.village.name} {self.day:%Y-%m-%d} 第{self.version}版"

    @property
    def status(self):
        return rules.day_status(self.late)
