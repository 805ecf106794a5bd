"""会议材料: the economic analysis meeting, the units' written sections (versioned) and the meeting's follow-up
items (each a key-work task). The pack itself is assembled from these and the other apps' queries (pack.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

SECTION_TEXT_MAX = 2000  # each of 完成情况、原因、下步措施


class MeetingState(models.TextChoices):
    DRAFT = "draft", "草稿"
    COLLECTING = "collecting", "征集材料中"
    CLOSED = "closed", "已结束"


class Meeting(models.Model):
    title = models.CharField("会议名称", max_length=100)
    held_on = models.DateField("会议日期")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="meetings", verbose_name="地区")
    period = models.CharField("数据期间", max_length=7, help_text="指标期间，如 2020-03（累计至该月）")
    sections_due = models.DateField("材料报送截止日期")
    state = models.CharField("状态", max_length=12, choices=MeetingState.choices, default=MeetingState.COLLECTING)
    published = models.BooleanField("已向责任单位发布", default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "经济形势分析会"
        indexes = [models.Index(fields=["region", "held_on"])]

    def __str__(self):
        return self.title


class Section(models.Model):
    """One version of a unit's written part for one indicator of a meeting (完成情况、原因、下步措施). Never updated:
    an edit is a new version in the same series, and only the newest version of a series is current."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="sections", verbose_name="会议")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="+", verbose_name="指标")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="责任单位")
    series = models.PositiveBigIntegerField("材料编号", null=True, blank=True, help_text="同一份材料各版本共用（首版的 id）")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    completion_text = models.TextField("完成情况", blank=True)
    reasons_text = models.TextField("原因分析", blank=True)
    measures_text = models.TextField("下步措施", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    # 代报: the region's analysis or supervision office wrote it for a unit without an account
    # (briefings.access.section_proxy_refusal); proxy_label keeps how they read then ("发改局 赵磊").
    proxy_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="代报人")
    proxy_label = models.CharField("代报", max_length=120, blank=True)
    proxy_source = models.CharField("报送来源", max_length=200, blank=True, help_text="如：据区统计局电话报送")

    class Meta:
        ordering = ["meeting", "indicator__order", "version"]
        verbose_name = verbose_name_plural = "会议材料"
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="unique_section_version"),
            models.UniqueConstraint(fields=["meeting", "indicator", "unit"], condition=Q(is_current=True),
                                    name="one_current_section"),
        ]

    def __str__(self):
        return f"{self.meeting} {self.indicator} 第{self.version}版"

    @property
    def proxy_text(self):
        """"代报（发改局 赵磊）", or "" for a section the unit wrote itself."""
        return f"代报（{self.proxy_label}）" if self.proxy_label else ""


class FollowUp(models.Model):
    """A decision of the meeting (会议确定事项), tracked as a key-work task in the meeting's campaign."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="会议")
    task = models.OneToOneField("work.Task", on_delete=models.PROTECT, related_name="+", verbose_name="重点任务")
    number = models.CharField("序号", max_length=20)
    title = models.CharField("事项", max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = verbose_name_plural = "会议确定事项"

    def __str__(self):
        return f"{self.number} {self.title}"


OVERVIEW_TEXT_MAX = 6000  # each of 运行特点、存在问题、下步建议
ISSUER_MAX, DOC_NUMBER_MAX = 60, 40


class Overview(models.Model):
    """One version of a meeting pack's cover and overview (综述: 运行特点、存在问题、下步建议) as the analysis office
    edited it. Never updated: an edit is a new version of the meeting's one series; the pack uses the current one,
    and without any the draft written from the data (briefings.pack.rules.draft_overview)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="overviews", verbose_name="会议")
    series = models.PositiveBigIntegerField("综述编号", null=True, blank=True, help_text="同一会议各版本共用（首版的 id）")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    issuer = models.CharField("发文单位", max_length=ISSUER_MAX)
    doc_number = models.CharField("文号", max_length=DOC_NUMBER_MAX, blank=True)
    features_text = models.TextField("运行特点")
    problems_text = models.TextField("存在问题")
    suggestions_text = models.TextField("下步建议")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    written_at = models.DateTimeField("编辑时间", default=timezone.now)

    class Meta:
        ordering = ["meeting", "version"]
        verbose_name = verbose_name_plural = "会议材料综述"
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="unique_overview_version"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(is_current=True), name="one_current_overview"),
        ]

    def __str__(self):
        return f"{self.meeting} 综述 第{self.version}版"
