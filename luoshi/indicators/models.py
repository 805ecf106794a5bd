from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from luoshi.orgs.models import Region


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "月度"
    QUARTERLY = "quarterly", "季度"


class Kind(models.TextChoices):
    TOTAL = "total", "总量与增速"
    GROWTH = "growth", "仅增速"


class Indicator(models.Model):
    code = models.SlugField("指标代码", max_length=40, unique=True)
    name = models.CharField("指标名称", max_length=100, unique=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    frequency = models.CharField("频率", max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    kind = models.CharField("发布方式", max_length=10, choices=Kind.choices, default=Kind.TOTAL)
    jan_with_feb = models.BooleanField("1-2月合并发布", default=True)
    aliases = models.CharField("别名（、分隔）", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = verbose_name_plural = "指标"

    def __str__(self):
        return self.name

    @property
    def growth_only(self):
        return self.kind == Kind.GROWTH

    @property
    def alias_list(self):
        return [a.strip() for a in self.aliases.replace(",", "、").split("、") if a.strip()]


class Target(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="indicator_targets", verbose_name="地区")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name="指标")
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("目标值", max_digits=24, decimal_places=6, null=True, blank=True)
    growth = models.DecimalField("目标增速(%)", max_digits=10, decimal_places=3, null=True, blank=True)
    # Share (%) of the annual value target expected by the end of each month, 12 numbers; empty: linear.
    trajectory = models.JSONField("月度目标轨迹(%)", default=list, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["year", "region__code", "indicator__order"]
        verbose_name = verbose_name_plural = "年度目标"
        constraints = [models.UniqueConstraint(fields=["region", "indicator", "year"], name="unique_indicator_target")]

    def __str__(self):
        return f"{self.region.name} {self.indicator.name} {self.year}年目标"


class Figure(models.Model):
    """One version of a figure. A revision is a new row with a higher version; `current` marks the latest."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="indicator_figures", verbose_name="地区")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="figures", verbose_name="指标")
    period = models.DateField("期间（累计至该月）")
    version = models.PositiveIntegerField("版本", default=1)
    current = models.BooleanField("最新版本", default=True)
    value = models.DecimalField("累计值", max_digits=24, decimal_places=6, null=True, blank=True)
    growth = models.DecimalField("同比增长(%)", max_digits=10, decimal_places=3, null=True, blank=True)
    source = models.CharField("来源", max_length=200, blank=True)
    arrived_at = models.DateTimeField("到达时间", default=timezone.now)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["region__code", "indicator__order", "period", "version"]
        verbose_name = verbose_name_plural = "指标数据"
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "period", "version"], name="unique_figure_version"),
            models.UniqueConstraint(fields=["region", "indicator", "period"], condition=Q(current=True),
                                    name="one_current_figure"),
        ]
        indexes = [
            models.Index(fields=["region", "indicator", "period"], name="figure_region_ind_period"),
            # Peers' growth for ranking (queries.RANK_SQL): with growth both included and required non-null in the
            # predicate PostgreSQL reads it with an index-only scan (no visit to the 6,600 table pages of the peers).
            models.Index(fields=["indicator", "period", "region"], include=["growth"],
                         condition=Q(current=True, growth__isnull=False), name="figure_current_peers"),
        ]

    def __str__(self):
        return f"{self.region.name} {self.indicator.name} {self.period:%Y-%m} v{self.version}"
