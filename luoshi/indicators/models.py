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

    # No single-column index on region: unique_figure_version leads with it.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="indicator_figures", verbose_name="地区",
                               db_index=False)
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
        # (region, indicator, period) lookups use unique_figure_version, which leads with those three columns.
        indexes = [
            # Peers' growth by indicator and period (peers.refresh): growth included, required non-null in the
            # predicate, so PostgreSQL reads it without visiting the table.
            models.Index(fields=["indicator", "period", "region"], include=["growth"],
                         condition=Q(current=True, growth__isnull=False), name="figure_current_peers"),
        ]

    def __str__(self):
        return f"{self.region.name} {self.indicator.name} {self.period:%Y-%m} v{self.version}"


class PeerGrowth(models.Model):
    """The growth rates of one group of peers — the regions of one level under one parent, e.g. the county-level
    regions of a city — for one indicator and period, as the current figures have them.

    Derived data, kept by indicators.peers.refresh whenever figures are saved (services.save_figures), so that a
    region's rank among its peers is read from one row per indicator instead of every peer's figure
    (docs/benchmarks.md). `luoshi indicators rebuild-peers` rebuilds it all from the figures.
    """

    parent = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    growths = models.JSONField(default=list)  # floats, lowest first: a float keeps the order of 3-decimal growth rates
    total = models.DecimalField(max_digits=24, decimal_places=3)  # exact sum, for the average

    class Meta:
        constraints = [models.UniqueConstraint(fields=["parent", "level", "indicator", "period"], name="unique_peer_growth")]
        verbose_name = verbose_name_plural = "同级地区增速汇总"

    def __str__(self):
        return f"{self.parent_id}/{self.level} {self.indicator_id} {self.period:%Y-%m}"


class Responsibility(models.Model):
    """The unit that answers for an indicator in a region (统计局 for GDP, 财政局 for 一般公共预算收入, …): it writes
    the indicator's part of the region's economic analysis meeting (luoshi.briefings)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="responsibilities", verbose_name="指标")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="indicator_responsibilities",
                               verbose_name="地区")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="indicator_responsibilities",
                             verbose_name="责任单位")
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "指标责任单位"
        constraints = [models.UniqueConstraint(fields=["indicator", "region"], name="unique_indicator_responsibility")]

    def __str__(self):
        return f"{self.region.name} {self.indicator.name}：{self.unit.name}"
