"""结果运用 tables (app label supervision; supervision/models.py imports them, the migrations are supervision's).

Nothing is lost: a proposal is never changed; its decision is a row of its own, one per proposal, never changed
either (a change of mind is a new proposal). Trigger settings, 典型经验 and league adjustments are rows only ever
added: the current one is the latest, the earlier stay readable."""

from django.conf import settings
from django.db import models

from luoshi.supervision.consequences import rules


class ConsequenceKind(models.TextChoices):
    TALK = rules.TALK, rules.KIND_LABELS[rules.TALK]
    INTERVIEW = rules.INTERVIEW, rules.KIND_LABELS[rules.INTERVIEW]
    CRITICISM = rules.CRITICISM, rules.KIND_LABELS[rules.CRITICISM]
    ACCOUNTABILITY = rules.ACCOUNTABILITY, rules.KIND_LABELS[rules.ACCOUNTABILITY]


class ProposalSource(models.TextChoices):
    MANUAL = rules.MANUAL, rules.SOURCE_LABELS[rules.MANUAL]
    LATE_NOTICES = rules.LATE_NOTICES, rules.SOURCE_LABELS[rules.LATE_NOTICES]
    RED_PERIODS = rules.RED_PERIODS, rules.SOURCE_LABELS[rules.RED_PERIODS]


class TriggerSettings(models.Model):
    """A county's trigger thresholds from `saved_at` on (the latest row is in force; without one, rules.DEFAULTS)."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区县")
    late_notices = models.PositiveSmallIntegerField("督办单逾期答复次数")
    late_window_days = models.PositiveSmallIntegerField("统计天数")
    late_kind = models.CharField("逾期答复的处理建议", max_length=20, choices=ConsequenceKind.choices)
    red_periods = models.PositiveSmallIntegerField("连续亮红灯期数")
    red_kind = models.CharField("连续亮红灯的处理建议", max_length=20, choices=ConsequenceKind.choices)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="修改人")
    saved_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        ordering = ["region", "-saved_at", "-id"]
        verbose_name = verbose_name_plural = "结果运用触发条件"


class Consequence(models.Model):
    """A proposed consequence (处理建议) about a unit, and optionally a person of it, with the facts it stems from."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区县")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="consequences", verbose_name="单位")
    person = models.ForeignKey("orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="责任人")
    person_name = models.CharField("责任人姓名", max_length=100, blank=True)
    task = models.ForeignKey("work.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="consequences",
                             verbose_name="重点任务")
    milestones = models.ManyToManyField("work.Milestone", blank=True, related_name="+", verbose_name="节点")
    notices = models.ManyToManyField("supervision.Notice", blank=True, related_name="consequences",
                                     verbose_name="督办单")
    kind = models.CharField("建议处理方式", max_length=20, choices=ConsequenceKind.choices)
    reason = models.TextField("建议理由")
    facts = models.TextField("倒查事实", blank=True)  # one fact a line, written when proposed (the document's body)
    source = models.CharField("来源", max_length=20, choices=ProposalSource.choices, default=ProposalSource.MANUAL)
    trigger_key = models.CharField("触发标识", max_length=300, blank=True)  # one proposal per trigger occurrence
    periods = models.JSONField("亮红灯的报送周期", default=list, blank=True)  # first days, for RED_PERIODS
    proposed_on = models.DateField("提出日期")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="提出人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = verbose_name_plural = "结果运用（处理建议）"
        constraints = [
            # Two sweeps at once cannot propose the same occurrence twice.
            models.UniqueConstraint(fields=["region", "source", "trigger_key"], condition=~models.Q(trigger_key=""),
                                    name="one_proposal_per_trigger_occurrence"),
        ]
        indexes = [models.Index(fields=["region", "proposed_on"]), models.Index(fields=["unit", "proposed_on"])]

    def __str__(self):
        return f"对{self.unit.name}的处理建议（{self.get_kind_display()}）"

    @property
    def decided(self):
        return hasattr(self, "decision") and self.decision is not None

    @property
    def state_label(self):
        if not self.decided:
            return "待领导决定"
        return "已批准" if self.decision.approved else "不同意"

    @property
    def fact_lines(self):
        return [line for line in self.facts.splitlines() if line.strip()]


class ConsequenceDecision(models.Model):
    """The leader's decision on a proposal: one per proposal (OneToOne), never changed. An approval may change the
    kind (with a note) and gets a 文号 (region and year counter, no gaps); a rejection gives its reason."""

    consequence = models.OneToOneField(Consequence, on_delete=models.PROTECT, related_name="decision")
    approved = models.BooleanField("同意")
    kind = models.CharField("决定处理方式", max_length=20, choices=ConsequenceKind.choices, blank=True)
    note = models.TextField("批示意见", blank=True)
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="决定人")
    decider_name = models.CharField("决定人姓名", max_length=150, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    serial = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("文号", max_length=60, blank=True)
    decided_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "结果运用决定"

    def __str__(self):
        return self.number or ("同意" if self.approved else "不同意")


class DecisionCounter(models.Model):
    """The last serial of a county's decisions in a year (locked while one is numbered)."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("最后序号", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_decision_counter_per_year")]


class Experience(models.Model):
    """典型经验 of a unit for a month in which it was 先进: versioned (a new text is a new row, the latest current);
    the office adopts a version into the month's 通报 (adopted_on set once on that row, never changed)."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区县")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="experiences", verbose_name="单位")
    period = models.DateField("考核月份")  # the month's first day
    version = models.PositiveSmallIntegerField("版本")
    is_current = models.BooleanField("现行版本", default=True)
    title = models.CharField("标题", max_length=100)
    text = models.TextField("典型经验")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="报送人")
    written_at = models.DateTimeField("报送时间", auto_now_add=True)
    adopted_on = models.DateField("采用日期", null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="采用人")

    class Meta:
        ordering = ["-period", "unit", "-version"]
        verbose_name = verbose_name_plural = "典型经验"
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "version"], name="unique_experience_version"),
            models.UniqueConstraint(fields=["unit", "period"], condition=models.Q(is_current=True),
                                    name="one_current_experience"),
        ]


class LeagueAdjustment(models.Model):
    """加分/减分 of a unit's league score for a month, proposed by the office with a reason; counted only once the
    region's leader approves it (AdjustmentDecision), and shown beside the computed score, never mixed into it."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区县")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="league_adjustments",
                             verbose_name="单位")
    period = models.DateField("考核月份")
    points = models.SmallIntegerField("加减分")
    reason = models.TextField("理由")
    proposed_on = models.DateField("提出日期")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="提出人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["period", "unit", "id"]
        verbose_name = verbose_name_plural = "考核加减分"
        indexes = [models.Index(fields=["region", "period"])]

    def __str__(self):
        return f"{self.unit.name} {self.period:%Y-%m} {rules.signed(self.points)}"

    @property
    def decided(self):
        return hasattr(self, "decision") and self.decision is not None

    @property
    def state_label(self):
        if not self.decided:
            return "待领导批准"
        return "已批准" if self.decision.approved else "不同意"

    @property
    def signed_points(self):
        return rules.signed(self.points)


class AdjustmentDecision(models.Model):
    adjustment = models.OneToOneField(LeagueAdjustment, on_delete=models.PROTECT, related_name="decision")
    approved = models.BooleanField("同意")
    note = models.TextField("意见", blank=True)
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="决定人")
    decided_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核加减分决定"
