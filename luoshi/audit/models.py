from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One write: who, when, what, and the values before and after. Never edited or deleted."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="操作人")
    actor_label = models.CharField("操作人", max_length=150, blank=True)  # kept if the account goes
    action = models.CharField("操作", max_length=80)  # searched with icontains, which no b-tree index serves
    object_type = models.CharField("对象类型", max_length=80)  # indexed by audit_type_newest, which leads with it
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    note = models.CharField("说明", max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "id"], name="audit_type_newest")]  # the log filtered by type
        verbose_name = verbose_name_plural = "审计日志"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
