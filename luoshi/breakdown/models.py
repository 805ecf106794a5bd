"""政府工作要点落实: the year's task breakdown (任务分解方案) of a region, read from the document as published, reviewed
by the supervision office and kept as a campaign of key work (work.Campaign, source "breakdown") with a task per item.

Nothing is lost: a reading (Reading) is kept with who uploaded it, the file's digest and every item as read and as
corrected; an item (Item) keeps its source paragraph verbatim and is never deleted — an item an amended 方案 drops is
marked withdrawn; dates move only through work's re-baseline requests."""

from django.conf import settings
from django.db import models


class UnitAlias(models.Model):
    """Another name a region's offices write for one of its units (区府办 for 区政府办公室), added by an administrator
    or the region's supervision office; the reader finds the unit by it."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name="地区")
    alias = models.CharField("别名", max_length=100)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="添加人")
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        ordering = ["region__code", "alias"]
        verbose_name = verbose_name_plural = "单位别名"
        constraints = [models.UniqueConstraint(fields=["region", "alias"], name="unique_unit_alias_per_region")]

    def __str__(self):
        return f"{self.alias} → {self.unit}"


class Plan(models.Model):
    """A region's 方案 of one year: its campaign and its items."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name="地区")
    year = models.PositiveSmallIntegerField("年度")
    campaign = models.OneToOneField("work.Campaign", on_delete=models.PROTECT, related_name="+", verbose_name="攻坚战")
    first_imported_on = models.DateField("首次导入日期", help_text="长期坚持的任务自此后的季度末设节点")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "region__code"]
        verbose_name = verbose_name_plural = "任务分解方案"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_breakdown_plan_per_region_year")]

    def __str__(self):
        return f"{self.region.name}{self.year}年任务分解方案"


class Item(models.Model):
    """One item of a plan, as last imported: the task it became, and its text as published."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="items", verbose_name="方案")
    seq = models.PositiveIntegerField("顺序号", help_text="任务序号的末段，撤回的事项也保留")
    task = models.OneToOneField("work.Task", on_delete=models.PROTECT, related_name="+", verbose_name="重点任务")
    section = models.CharField("所属部分", max_length=300, blank=True)
    number = models.CharField("原序号", max_length=40, blank=True)
    title = models.CharField("任务", max_length=300)
    text = models.TextField("原文", help_text="方案中的原文（段落及其标注行，或表格的一行），一字不改")
    lead = models.JSONField("牵头单位（代码）", default=list)
    responsible = models.JSONField("责任单位（代码）", default=list)
    cooperating = models.JSONField("配合单位（代码）", default=list)
    leader = models.CharField("牵头负责领导", max_length=100, blank=True)
    deadline_text = models.CharField("完成时限（原文）", max_length=200, blank=True)
    dues = models.JSONField("完成时限", default=list, help_text="各节点日期（YYYY-MM-DD）")
    quarterly = models.BooleanField("长期坚持（按季度设节点）", default=False)
    order = models.PositiveIntegerField("排序", default=0)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True, help_text="修订后的方案不再列出该事项")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["plan", "order", "seq"]
        verbose_name = verbose_name_plural = "方案事项"
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="unique_breakdown_item_seq")]

    def __str__(self):
        return f"{self.number} {self.title}"


class Reading(models.Model):
    """One uploaded 方案 as read, awaiting the office's review (saved_at empty) or imported; kept either way."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name="地区")
    year = models.PositiveSmallIntegerField("年度")
    filename = models.CharField("文件名", max_length=200)
    digest = models.CharField("文件摘要（SHA-256）", max_length=64)
    items = models.JSONField("事项（读取及更正后）", default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    saved_at = models.DateTimeField("导入时间", null=True, blank=True)
    summary = models.JSONField("导入结果", default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = verbose_name_plural = "方案读取记录"

    def __str__(self):
        return f"{self.filename}（{self.year}年）"


class TargetStatus(models.TextChoices):
    PROPOSED = "proposed", "待发改局确认"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "未采纳"


class TargetLink(models.Model):
    """主要预期目标: an item read as an indicator's target for the plan's year ("地区生产总值增长6.5%左右"), proposed by
    the supervision office and decided once by the region's analysis office: confirmed (the year's target written
    through indicators.services.save_targets, the task linked: Task.indicator_codes) or declined with a note. A declined
    one may be proposed again (a new row); rows are never deleted."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="target_links", verbose_name="方案事项")
    indicator_code = models.CharField("指标（目录代码）", max_length=40)
    growth = models.DecimalField("目标增速(%)", max_digits=10, decimal_places=3, null=True, blank=True)
    value = models.DecimalField("目标值", max_digits=24, decimal_places=6, null=True, blank=True)
    unit = models.CharField("单位（原文）", max_length=20, blank=True)
    phrase = models.CharField("原文表述", max_length=200)
    status = models.CharField("状态", max_length=10, choices=TargetStatus.choices, default=TargetStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="提出人")
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="确认人")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    note = models.CharField("意见", max_length=300, blank=True)

    class Meta:
        ordering = ["item__order", "id"]
        verbose_name = verbose_name_plural = "主要预期目标关联"
        constraints = [models.UniqueConstraint(fields=["item", "indicator_code"], condition=models.Q(status="proposed"),
                                               name="one_proposed_target_per_item_indicator")]

    def __str__(self):
        return f"{self.item.number} → {self.indicator_code}（{self.get_status_display()}）"
