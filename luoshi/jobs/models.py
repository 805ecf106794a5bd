from django.db import models


class JobRun(models.Model):
    """One run of a scheduled job, claimed before it starts: (job, scheduled_for) is unique, so however many workers
    and schedulers see the same scheduled time, one of them runs it (luoshi.jobs.runner.run)."""

    job = models.CharField("任务", max_length=50)
    scheduled_for = models.DateTimeField("计划时间")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    ok = models.BooleanField("成功", null=True)
    outcome = models.CharField("结果", max_length=500, blank=True)
    worker = models.CharField("执行者", max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "scheduled_for"], name="jobs_run_once")]
        ordering = ["-scheduled_for", "-id"]
        verbose_name = verbose_name_plural = "定时任务运行记录"

    def __str__(self):
        return f"{self.job} @ {self.scheduled_for:%Y-%m-%d %H:%M}"
