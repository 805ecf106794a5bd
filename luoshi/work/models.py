import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from luoshi.work import rules


class Campaign(models.Model):
    """攻坚战: a group of tasks with its own report cycle."""

    name = models.CharField("攻坚战", max_length=100, unique=True)
    order = models.PositiveIntegerField("排序", default=0)
    # "meeting": the decisions of an economic analysis meeting (会议确定事项), recorded by luoshi.briefings; the
    # analysis office of the region manages these (work.access), and no other campaign. "project": a region's key
    # projects of a year (重点项目, a task per project with its 开工 and 竣工 nodes), kept by luoshi.projects; the
    # analysis office of the region manages these too.
    source = models.CharField("来源", max_length=12, blank=True, default="", choices=[("", "重点工作"), ("meeting", "会议确定事项"), ("breakdown", "政府工作报告任务分解"), ("project", "重点项目")])
    report_cycle = models.CharField("报送周期", max_length=12, choices=list(rules.CYCLES.items()), default=rules.MONTHLY)
    plan_set_at = models.DateTimeField("计划确定时间", null=True, blank=True,
                                       help_text="确定后修改节点日期即为调整计划（保留原定日期）")
    report_due_day = models.PositiveSmallIntegerField(
        "报送截止日", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="按月：每月几日（1–31，空为当期最后一个工作日）；按周：星期几（1–7，空为星期五）；"
                  "半月：固定为15日和月末。遇休息日顺延至下一个工作日")
    # Two-tier reporting (docs/rules.md §3): the cooperating units send their input (CoopInput) to the lead unit by
    # this day of each period, the lead unit reports to the office by report_due_day. Empty: by the report's own day.
    input_due_day = models.PositiveSmallIntegerField(
        "配合单位报送截止日", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="配合单位向牵头单位报送的截止日（同报送截止日的写法），不晚于报送截止日；空为与报送截止日相同")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "攻坚战"

    def __str__(self):
        return self.name


class TaskRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    RESPONSIBLE = "responsible", "责任单位"
    COOPERATING = "cooperating", "配合单位"


REPORTING_ROLES = [TaskRole.LEAD, TaskRole.RESPONSIBLE]


def new_revision():
    """A fresh value for Task.revision: random, so that it never comes back (not after a rollback, a restore or a
    reused id either), which a counter could."""
    return secrets.randbits(62)


class Task(models.Model):
    """重点任务."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="tasks", verbose_name="攻坚战")
    number = models.CharField("序号", max_length=20, unique=True)
    title = models.CharField("重点任务", max_length=300)
    lead_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="led_tasks", verbose_name="牵头单位")
    leader_name = models.CharField("责任领导", max_length=100, blank=True)
    leader = models.ForeignKey("orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_tasks",
                               verbose_name="责任领导（人员）")
    start = models.DateField("开始日期")
    deadline = models.DateField("完成时限")
    original_deadline = models.DateField("原定完成时限", null=True, blank=True,
                                         help_text="首次调整计划前的完成时限（调整经批准后保留）")
    indicator_codes = models.JSONField("服务的指标（目录代码）", default=list, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True, help_text="督查室批准销号之日（Closure）；任务仍留在台账中")
    order = models.PositiveIntegerField("排序", default=0)
    # Changes (services.touch_tasks) with every write to the task, its units, milestones or progress reports: the
    # Gantt chart keeps each task's judged rows per process and judges again only the tasks whose revision moved.
    revision = models.BigIntegerField("修订标记", default=new_revision, editable=False)

    class Meta:
        ordering = ["campaign__order", "order", "id"]
        verbose_name = verbose_name_plural = "重点任务"
        # The Gantt chart reads every shown task's revision in plan order on each request (queries.chart_order):
        # on PostgreSQL from this index alone.
        indexes = [models.Index(fields=["campaign", "order", "id"], name="work_task_chart_order", include=["revision"])]

    def __str__(self):
        return f"{self.number} {self.title}"


class TaskUnit(models.Model):
    """A unit's part in a task: lead, responsible or cooperating (the lead is also on Task.lead_unit)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="task_units")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="task_roles")
    role = models.CharField(max_length=12, choices=TaskRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit", "role"], name="unique_task_unit_role")]
        indexes = [models.Index(fields=["unit", "role"])]


class Milestone(models.Model):
    """节点: a dated step of a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name="重点任务")
    number = models.CharField("序号", max_length=20, unique=True)
    title = models.CharField("节点", max_length=300)
    start = models.DateField("开始日期", null=True, blank=True)
    due = models.DateField("完成时限")
    original_due = models.DateField("原定完成时限", null=True, blank=True, help_text="调整计划前的日期")
    planned_months = models.JSONField("计划月份", default=list, blank=True)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followers",
                                verbose_name="前置节点")
    done_on = models.DateField("实际完成日期", null=True, blank=True, help_text="由进度报告（当前版本）得出")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["task_id", "order", "id"]
        verbose_name = verbose_name_plural = "节点"
        # The plan order, covering what the Gantt chart reads (queries._chart_milestone_rows): PostgreSQL reads
        # 25,000 milestones in order from the index alone instead of sorting them (INCLUDE is PostgreSQL's; other
        # databases get the plain index).
        indexes = [models.Index(fields=["task", "order", "id"], name="work_milestone_plan_order",
                                include=["title", "start", "due", "original_due", "done_on", "follows"])]

    def __str__(self):
        return self.title


class RebaselineStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class Rebaseline(models.Model):
    """A request to change a milestone's due date or a task's deadline (调整计划) after the plan was set; it moves
    the date only once approved (work.services.approve_rebaseline). Exactly one of milestone and task is set:
    task means the task's own deadline. Decided once; rows are never deleted."""

    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="rebaselines",
                                  verbose_name="节点")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="deadline_rebaselines",
                             verbose_name="重点任务（完成时限）")
    old_due = models.DateField("原完成时限")
    new_due = models.DateField("新完成时限")
    reason = models.CharField("原因", max_length=300)
    status = models.CharField("状态", max_length=10, choices=RebaselineStatus.choices, default=RebaselineStatus.PENDING)
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="rebaseline_requests",
                             verbose_name="申请单位", help_text="以单位名义提出时；督查室或导入提出时为空")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="rebaselines_requested", verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="rebaselines_decided", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    # History kept as before the approval flow: the approver's name and the user who applied the change.
    approved_by = models.CharField("批准人", max_length=100, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = verbose_name_plural = "调整计划"
        constraints = [
            models.CheckConstraint(condition=models.Q(milestone__isnull=True, task__isnull=False)
                                   | models.Q(milestone__isnull=False, task__isnull=True), name="rebaseline_one_target"),
            # One pending request per milestone and per task deadline at a time.
            models.UniqueConstraint(fields=["milestone"], condition=models.Q(status="pending"),
                                    name="one_pending_rebaseline_per_milestone"),
            models.UniqueConstraint(fields=["task"], condition=models.Q(status="pending"),
                                    name="one_pending_rebaseline_per_task"),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    @property
    def target_task(self):
        return self.task if self.task_id else self.milestone.task

    @property
    def target_label(self):
        return "完成时限" if self.task_id else f"节点「{self.milestone.title}」"


class ProgressReport(models.Model):
    """One version of a unit's progress report on a task. Never updated: a correction is a new version
    in the same series, and only the newest version of a series is current."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports", verbose_name="重点任务")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="work_reports", verbose_name="报送单位")
    series = models.PositiveBigIntegerField("报告编号", null=True, blank=True, help_text="同一份报告各版本共用（首版的 id）")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    reported_on = models.DateField("报送日期")
    done_text = models.TextField("本期完成情况", blank=True)
    percent = models.PositiveSmallIntegerField("完成百分比")
    problems = models.TextField("存在问题", blank=True)
    correction_note = models.CharField("更正说明", max_length=300, blank=True)
    source = models.CharField("来源", max_length=10, default="web")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    # 代报: the region's office entered it for a unit without an account (work.access.proxy_refusal); submitted_by is
    # then that office person too. proxy_label keeps how they read when it was entered ("督查室 李静").
    proxy_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="代报人")
    proxy_label = models.CharField("代报", max_length=120, blank=True)
    proxy_source = models.CharField("报送来源", max_length=200, blank=True, help_text="如：据区财政局张科长电话报送")
    # Two-tier reporting: the cooperating units' inputs (their versions as read) the lead unit drew on.
    inputs = models.ManyToManyField("CoopInput", blank=True, related_name="drawn_into", verbose_name="采用的配合单位报送")

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = verbose_name_plural = "进度报告"
        indexes = [models.Index(fields=["task", "is_current", "reported_on"])]
        constraints = [models.UniqueConstraint(fields=["series", "version"], name="unique_report_version")]

    def __str__(self):
        return f"{self.task.number} {self.reported_on} 第{self.version}版"

    @property
    def proxy_text(self):
        """"代报（督查室 李静）", or "" for a report the unit sent itself."""
        return f"代报（{self.proxy_label}）" if self.proxy_label else ""


class ReportCompletion(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="completions")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="completions")
    done_on = models.DateField("完成日期")


def attachment_path(instance, filename):
    return f"work/reports/{instance.report.task_id}/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")


class CoopInput(models.Model):
    """One version of a cooperating unit's input (配合单位报送) to a task's lead unit for one report period: the first
    tier of two-tier reporting. Never updated: a correction is a new version of the series, only the newest current.
    The lead unit's ProgressReport records the inputs it drew on (ProgressReport.inputs)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="coop_inputs", verbose_name="重点任务")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="coop_inputs", verbose_name="配合单位")
    to_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="coop_inputs_received",
                                verbose_name="报送至（牵头单位）")
    series = models.PositiveBigIntegerField("报送编号", null=True, blank=True, help_text="同一份报送各版本共用（首版的 id）")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    reported_on = models.DateField("报送日期")
    done_text = models.TextField("配合完成情况")
    problems = models.TextField("存在问题", blank=True)
    correction_note = models.CharField("更正说明", max_length=300, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = verbose_name_plural = "配合单位报送"
        indexes = [models.Index(fields=["task", "is_current", "reported_on"])]
        constraints = [models.UniqueConstraint(fields=["series", "version"], name="unique_coop_input_version")]

    def __str__(self):
        return f"{self.task.number} {self.unit} {self.reported_on} 第{self.version}版"


class ClosureStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已销号"
    RETURNED = "returned", "已退回"


class Closure(models.Model):
    """A lead unit's request to close a task (销号) with its evidence, decided once by the supervision office: approved
    (Task.closed_on; the task's undone milestones count as done on the day asked) or returned with a reason (the unit
    may ask again: a new row). Rows are never deleted."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="closures", verbose_name="重点任务")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="申请单位")
    note = models.TextField("完成情况说明")
    requested_on = models.DateField("申请日期")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=ClosureStatus.choices, default=ClosureStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="审核人")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_on = models.DateField("审核日期", null=True, blank=True)
    decision_note = models.CharField("审核意见（退回理由）", max_length=300, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = verbose_name_plural = "销号申请"
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=models.Q(status="pending"), name="one_pending_closure_per_task"),
            models.UniqueConstraint(fields=["task"], condition=models.Q(status="approved"), name="one_approved_closure_per_task"),
        ]

    def __str__(self):
        return f"{self.task.number} 销号申请（{self.get_status_display()}）"


def closure_attachment_path(instance, filename):
    return f"work/closures/{instance.closure.task_id}/{instance.closure_id}/{filename}"


class ClosureAttachment(models.Model):
    closure = models.ForeignKey(Closure, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=closure_attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")


class JudgedPart(models.Model):
    """One task's rows in the Gantt chart judged as of a day (queries.ChartPart), kept in the database for every
    server process (work.judged): written by the daily job (`luoshi work judge`, just after midnight, and again in the
    process that loads a year's 放假安排) and by a request on the primary that judged a task as of today; read by a
    process that has not judged the task itself. Used only under the same revision of the task, report cycle of its
    campaign, stored calendar and judging code. Derived data: rebuilt at any time, past days pruned. The light a task
    serving indicators follows is not in it (read on every request, work.gantt.follow_indicators)."""

    # No constraint in the database: a request storing a part must not fail because the task was deleted meanwhile;
    # the part of a deleted task is never read (no revision matches it) and is pruned with its day.
    task = models.ForeignKey(Task, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    as_of = models.DateField("判定日期")
    against = models.CharField("判定依据", max_length=8)  # queries.CURRENT or BASELINE
    calendar = models.BigIntegerField("放假安排标记")  # core.workdays.stamp() (0: none loaded)
    code = models.CharField("判定代码标记", max_length=16)  # judged.CODE: the judging code's hash
    revision = models.BigIntegerField("任务修订标记")
    cycle = models.CharField("报送周期", max_length=16)
    task_row = models.TextField("任务行")  # JSON, ChartPart.task
    milestones = models.TextField("节点行")  # ChartPart.milestones as text (JSON rows, comma-separated, no brackets)
    uncovered = models.CharField("日历未覆盖年份", max_length=200, blank=True)  # JSON list, ChartPart.uncovered_years

    class Meta:
        verbose_name = verbose_name_plural = "横道图判定结果"
        constraints = [models.UniqueConstraint(fields=["as_of", "against", "calendar", "code", "task", "revision", "cycle"],
                                               name="work_judgedpart_key")]
