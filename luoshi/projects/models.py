"""重点项目: the pools of a county, each project's year plans and funding, the monthly 调度 reports (versioned, never
overwritten), their photos of 形象进度, and the region's thresholds. Money in 万元 (Decimal, two places)."""

from django.conf import settings
from django.db import models

from luoshi.projects import rules

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Project(models.Model):
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="projects", verbose_name="地区")
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField("项目类别", max_length=50, blank=True, help_text="调度表的分组，如 产业项目")
    kind = models.CharField("项目性质", max_length=12, choices=list(rules.KINDS.items()))
    industry = models.CharField("行业", max_length=50, blank=True)
    content = models.TextField("建设内容及规模", blank=True)
    start_year = models.PositiveSmallIntegerField("建设起始年", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("建设终止年", null=True, blank=True)
    total_investment = models.DecimalField("总投资（万元）", **AMOUNT)
    done_before = models.DecimalField("以前年度完成投资（万元）", default=0, **AMOUNT,
                                      help_text="开工以来累计完成投资中，系统记录之前（以前年度）的部分")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="projects", verbose_name="责任单位")
    town = models.ForeignKey("orgs.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="town_projects",
                             verbose_name="所在镇（街道）")
    owner = models.CharField("业主单位", max_length=200, blank=True)
    leader = models.ForeignKey("orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="projects",
                               verbose_name="包保领导")
    leader_name = models.CharField("包保领导", max_length=50, blank=True)
    planned_start = models.DateField("计划开工月份", null=True, blank=True, help_text="当月1日")
    started_on = models.DateField("开工日期", null=True, blank=True)
    completed_on = models.DateField("竣工（投产）日期", null=True, blank=True)
    planned_completion = models.DateField("计划竣工（投产）日期", null=True, blank=True,
                                          help_text="空为建设终止年的12月31日")
    # The project's task in key work (work.Task: 开工 and 竣工 nodes, in the campaign 「<地区>N年重点项目」), kept by
    # services.sync_task; its dates move only through work's 调整计划.
    task = models.OneToOneField("work.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="project",
                                verbose_name="重点任务")
    pool = models.CharField("项目库", max_length=12, choices=list(rules.POOLS.items()), default=rules.BUILDING)
    pooled_on = models.DateField("入项目库日期", null=True, blank=True)
    statistics_on = models.DateField("入库（统计）日期", null=True, blank=True,
                                     help_text="统计部门将项目纳入固定资产投资统计的日期")
    # Where the project came from: "" typed or imported; "pipeline" a signed 招商 lead that started (source_id the lead's id).
    source = models.CharField("来源", max_length=12, blank=True, default="")
    source_id = models.PositiveBigIntegerField("来源记录", null=True, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["region__code", "order", "id"]
        verbose_name = verbose_name_plural = "重点项目"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unique_project_name_in_region")]

    def __str__(self):
        return self.name

    @property
    def kind_label(self):
        return rules.KINDS.get(self.kind, self.kind)

    @property
    def leader_label(self):
        return self.leader.name if self.leader_id else self.leader_name


class YearPlan(models.Model):
    """本年计划投资 of a project for one year: the project is in that year's 调度表 when planned > 0."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="year_plans")
    year = models.PositiveSmallIntegerField("年度")
    planned = models.DecimalField("本年计划投资（万元）", **AMOUNT)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "年度计划投资"
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="unique_project_year_plan")]


class Funding(models.Model):
    """One part of a project's funding breakdown; the parts add up to the total investment."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField("资金来源", max_length=20)
    amount = models.DecimalField("金额（万元）", **AMOUNT)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "资金构成"
        constraints = [models.UniqueConstraint(fields=["project", "source"], name="unique_project_funding_source")]


class MonthlyReport(models.Model):
    """One version of a project's 调度 for a month. Never updated: a correction (or a re-import that changes it) is a
    new version in the same series; only the newest is current, one current report per project and month."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports", verbose_name="项目")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="project_reports", verbose_name="报送单位")
    period = models.DateField("调度月份", help_text="当月1日")
    series = models.PositiveBigIntegerField("报告编号", null=True, blank=True, help_text="同一份报告各版本共用（首版的 id）")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    amount = models.DecimalField("本月完成投资（万元）", **AMOUNT)
    progress = models.TextField("形象进度", blank=True)
    problems = models.TextField("存在问题", blank=True)
    correction_note = models.CharField("更正说明", max_length=300, blank=True)
    source = models.CharField("来源", max_length=10, default="web")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        ordering = ["-period", "-version", "-id"]
        verbose_name = verbose_name_plural = "项目调度"
        indexes = [models.Index(fields=["project", "is_current", "period"])]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="unique_project_report_version"),
            models.UniqueConstraint(fields=["project", "period"], condition=models.Q(is_current=True),
                                    name="one_current_project_report_per_month"),
        ]

    def __str__(self):
        return f"{self.project.name} {self.period:%Y-%m} 第{self.version}版"


def photo_path(instance, filename):
    return f"projects/reports/{instance.report.project_id}/{instance.report_id}/{filename}"


class ReportPhoto(models.Model):
    """A photo (or document) of 形象进度, kept with its report version through the attachment storage."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")


class PoolThresholds(models.Model):
    """A region's own thresholds for the lights (rules.Thresholds; the defaults in code without a row)."""

    region = models.OneToOneField("orgs.Region", on_delete=models.CASCADE, related_name="project_thresholds")
    yellow_gap = models.DecimalField("黄灯：低于序时进度超过（个百分点）", max_digits=5, decimal_places=2)
    red_gap = models.DecimalField("红灯：低于序时进度超过（个百分点）", max_digits=5, decimal_places=2)
    start_yellow_months = models.PositiveSmallIntegerField("未按计划开工转黄灯（月）")
    start_red_months = models.PositiveSmallIntegerField("未按计划开工转红灯（月）")
    statistics_yellow_months = models.PositiveSmallIntegerField("开工未入库转黄灯（月）")
    statistics_red_months = models.PositiveSmallIntegerField("开工未入库转红灯（月）")

    class Meta:
        verbose_name = verbose_name_plural = "项目亮灯阈值"

    def as_rules(self):
        return rules.Thresholds(yellow_gap=self.yellow_gap, red_gap=self.red_gap,
                                start_yellow_months=self.start_yellow_months, start_red_months=self.start_red_months,
                                statistics_yellow_months=self.statistics_yellow_months,
                                statistics_red_months=self.statistics_red_months)


class CountedInvestment(models.Model):
    """The statistics bureau's counted investment of a project (入库 统计数), 1-X月, kept beside the reported one:
    the two are different numbers and neither replaces the other. A change is recorded in the audit log."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="counted")
    period = models.DateField("统计月份", help_text="当月1日")
    amount = models.DecimalField("1-X月统计入库投资（万元）", **AMOUNT)

    class Meta:
        ordering = ["period"]
        verbose_name = verbose_name_plural = "统计入库投资"
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="unique_counted_investment")]


# The pools' workflow: moves, 增补/退库 requests, 要素保障 problems (issue 24, docs/rules.md §9) -------------------

class PoolMove(models.Model):
    """One change of a project's pool, or a request for one. 增补 and 退库 are requests (pending until a leader of
    the region approves or refuses them); the first pool, a start and a completion are moves recorded as they happen.
    Rows are never deleted: the project's history shows every pool it was in."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="pool_moves", verbose_name="项目")
    kind = models.CharField("类型", max_length=10, choices=list(rules.MOVES.items()))
    from_pool = models.CharField("原项目库", max_length=12, blank=True, choices=list(rules.POOLS.items()))
    to_pool = models.CharField("新项目库", max_length=12, choices=list(rules.POOLS.items()))
    reason = models.CharField("理由", max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=list(rules.MOVE_STATES.items()), default=rules.APPROVED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    moved_on = models.DateField("调整日期", null=True, blank=True, help_text="项目进入新项目库之日")

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = verbose_name_plural = "项目库调整"
        constraints = [models.UniqueConstraint(fields=["project"], condition=models.Q(status="pending"),
                                               name="one_pending_pool_move_per_project")]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.project.name}：{self.get_kind_display()}"

    @property
    def is_request(self):
        return self.kind in rules.REQUESTED_MOVES


class Problem(models.Model):
    """要素保障: a problem holding a project up, the level and the unit that must solve it, by a deadline. Solved with
    a note and a day; an open one past its deadline escalates once through a 督办单 on the project's task."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="element_problems", verbose_name="项目")
    kind = models.CharField("问题类型", max_length=12, choices=list(rules.PROBLEM_KINDS.items()))
    level = models.CharField("解决层级", max_length=10, choices=list(rules.PROBLEM_LEVELS.items()))
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="project_problems",
                             verbose_name="负责解决的单位")
    text = models.TextField("问题描述")
    deadline = models.DateField("解决时限")
    state = models.CharField("状态", max_length=10, choices=list(rules.PROBLEM_STATES.items()), default=rules.OPEN)
    raised_on = models.DateField("提出日期")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="提出人")
    solved_on = models.DateField("解决日期", null=True, blank=True)
    solution = models.TextField("解决情况", blank=True)
    solved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="销号人")
    escalated_on = models.DateField("提请督办日期", null=True, blank=True)
    notice = models.ForeignKey("supervision.Notice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="project_problems", verbose_name="督办单")

    class Meta:
        ordering = ["raised_on", "id"]
        verbose_name = verbose_name_plural = "要素保障问题"
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self):
        return f"{self.project.name}：{self.get_kind_display()}"
