"""A year's 放假安排 (the State Council's notice: rest days and 调休 working days), as an administrator loaded it.

Versioned (nothing is lost): loading a year again adds an Arrangement with the next version; the latest version of a
year is the one core.workdays counts with, the earlier ones stay readable. Days are never edited."""

from django.conf import settings
from django.db import models

from luoshi.holidays import rules


class Arrangement(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveIntegerField("版本")
    notice_number = models.CharField("通知文号", max_length=60, blank=True)
    source_name = models.CharField("来源", max_length=200, blank=True)  # a file's name, or 粘贴文本
    source_text = models.TextField("原文", blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="录入人")
    loaded_by_label = models.CharField("录入人姓名", max_length=150, blank=True)
    loaded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="holidays_unique_year_version")]
        verbose_name = verbose_name_plural = "放假安排"

    def __str__(self):
        return f"{self.year}年放假安排 第{self.version}版"


class HolidayDay(models.Model):
    arrangement = models.ForeignKey(Arrangement, on_delete=models.PROTECT, related_name="days", verbose_name="放假安排")
    day = models.DateField("日期")
    kind = models.CharField("类型", max_length=8, choices=list(rules.KIND_LABELS.items()))
    name = models.CharField("节日", max_length=rules.NAME_MAX)

    class Meta:
        ordering = ["arrangement", "day"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "day"], name="holidays_unique_arrangement_day")]
        verbose_name = verbose_name_plural = "放假安排日期"

    @property
    def weekday_label(self):
        return "周" + rules.WEEKDAYS[self.day.weekday()]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {rules.KIND_LABELS.get(self.kind, self.kind)}（{self.name}）"
