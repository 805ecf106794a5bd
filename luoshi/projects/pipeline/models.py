"""The 招商 pipeline's tables (app label "projects": imported at the end of projects/models.py).

Nothing is lost: a stage reached is a row added (a correction of its day or note is a new version of that stage,
the earlier kept), 到位资金 likewise (one current row per lead, month and source of capital). Money in 万元 (two
decimals); foreign capital also in 万美元, with the exchange rate it was converted at."""

from django.conf import settings
from django.db import models

from luoshi.projects.pipeline import rules

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Lead(models.Model):
    """A 招商 lead or project in the ledger of a county (商务局 / 投促中心 keep it)."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="leads", verbose_name="地区")
    name = models.CharField("项目名称", max_length=200)
    investor = models.CharField("投资方", max_length=200, blank=True)
    industry = models.CharField("行业", max_length=50, blank=True)
    content = models.TextField("项目内容", blank=True)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="leads", verbose_name="责任单位")
    town = models.ForeignKey("orgs.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="town_leads",
                             verbose_name="拟落户镇（街道）")
    capital = models.CharField("资金来源", max_length=10, choices=list(rules.CAPITALS.items()), default=rules.DOMESTIC)
    country = models.CharField("外资来源国家（地区）", max_length=50, blank=True)
    contract_investment = models.DecimalField("合同投资额（万元）", null=True, blank=True, **AMOUNT)
    contract_usd = models.DecimalField("合同外资额（万美元）", null=True, blank=True, **AMOUNT)
    # The furthest stage reached and its day (kept with every stage row written, for the board's speed).
    stage = models.CharField("当前阶段", max_length=12, choices=list(rules.STAGE_LABELS.items()), default=rules.LEAD)
    stage_on = models.DateField("当前阶段日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["region__code", "id"]
        verbose_name = verbose_name_plural = "招商项目"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unique_lead_name_in_region")]
        indexes = [models.Index(fields=["region", "stage"])]

    def __str__(self):
        return self.name

    @property
    def stage_label(self):
        return rules.STAGE_LABELS.get(self.stage, self.stage)

    @property
    def capital_label(self):
        return rules.CAPITALS.get(self.capital, self.capital)


class LeadStage(models.Model):
    """One version of a stage a lead reached: its day, a note and the evidence. A correction is a new version in the
    same series; one current row per lead and stage."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="stages", verbose_name="招商项目")
    stage = models.CharField("阶段", max_length=12, choices=list(rules.STAGE_LABELS.items()))
    day = models.DateField("日期")
    note = models.TextField("说明", blank=True)
    series = models.PositiveBigIntegerField("记录编号", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    correction_note = models.CharField("更正说明", max_length=300, blank=True)
    source = models.CharField("来源", max_length=10, default="web")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["lead", "day", "id"]
        verbose_name = verbose_name_plural = "招商项目阶段"
        indexes = [models.Index(fields=["lead", "is_current"])]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="unique_lead_stage_version"),
            models.UniqueConstraint(fields=["lead", "stage"], condition=models.Q(is_current=True),
                                    name="one_current_lead_stage"),
        ]

    def __str__(self):
        return f"{self.lead.name} {self.stage_label} 第{self.version}版"

    @property
    def stage_label(self):
        return rules.STAGE_LABELS.get(self.stage, self.stage)


def evidence_path(instance, filename):
    return f"projects/pipeline/{instance.stage.lead_id}/{instance.stage_id}/{filename}"


class StageEvidence(models.Model):
    """A document of a stage (合同, 营业执照, 施工许可, a photo), kept with its version through the attachment storage."""

    stage = models.ForeignKey(LeadStage, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")


class Arrival(models.Model):
    """到位资金 of a lead in a month from one source of capital, one version. 外资: `usd` in 万美元 and `amount` the
    same in 万元 at `rate` (元 per 美元); 内资: `amount` only."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="arrivals", verbose_name="招商项目")
    period = models.DateField("到位月份", help_text="当月1日")
    capital = models.CharField("资金来源", max_length=10, choices=list(rules.CAPITALS.items()))
    amount = models.DecimalField("到位资金（万元）", **AMOUNT)
    usd = models.DecimalField("到位外资（万美元）", null=True, blank=True, **AMOUNT)
    rate = models.DecimalField("折算汇率（元/美元）", null=True, blank=True, max_digits=8, decimal_places=4)
    note = models.CharField("说明", max_length=300, blank=True)
    series = models.PositiveBigIntegerField("记录编号", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    correction_note = models.CharField("更正说明", max_length=300, blank=True)
    source = models.CharField("来源", max_length=10, default="web")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["lead", "-period", "-version"]
        verbose_name = verbose_name_plural = "招商到位资金"
        indexes = [models.Index(fields=["lead", "is_current", "period"])]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="unique_arrival_version"),
            models.UniqueConstraint(fields=["lead", "period", "capital"], condition=models.Q(is_current=True),
                                    name="one_current_arrival"),
        ]

    def __str__(self):
        return f"{self.lead.name} {self.period:%Y-%m} {self.capital_label} 第{self.version}版"

    @property
    def capital_label(self):
        return rules.CAPITALS.get(self.capital, self.capital)
