"""Every write to key work goes through these functions: atomic, audited, Chinese errors."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.work import rules
from luoshi.orgs.queries import acting_label
from luoshi.work.access import (can_manage_unit, reporting_units, require_campaign_manager, require_closure_decider,
                                require_closure_requester, require_indicator_linker, require_input_sender,
                                require_plan_manager,
                                require_proxy_reporter, require_rebaseline_approver, require_rebaseline_requester,
                                require_task_manager)
from luoshi.work.models import (Campaign, Closure, ClosureAttachment, ClosureStatus, CoopInput, Milestone,
                                ProgressReport, Rebaseline, RebaselineStatus, ReportAttachment, ReportCompletion, Task,
                                TaskRole, TaskUnit, new_revision)

TASK_FIELDS = ["campaign", "number", "title", "lead_unit", "leader_name", "leader", "start", "deadline", "indicator_codes", "order"]
MILESTONE_FIELDS = ["task", "number", "title", "start", "due", "original_due", "planned_months", "follows", "order"]

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
# Extension → leading bytes the file must start with (None: no check possible for that format).
ALLOWED_ATTACHMENTS = {
    ".pdf": (b"%PDF",), ".png": (b"\x89PNG",), ".jpg": (b"\xff\xd8",), ".jpeg": (b"\xff\xd8",),
    ".docx": (b"PK",), ".xlsx": (b"PK",), ".doc": (b"\xd0\xcf\x11\xe0",), ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ofd": (b"PK",), ".txt": None,
}


def _today():
    return timezone.localdate()


def _person(actor):
    """An actor whose rights are checked: a signed-in user (None is the system: the CLI, the demo, migrations)."""
    return getattr(actor, "is_authenticated", False)


def _check_units(actor, units, campaign=None):
    """An office gives a task only lead and responsible units inside its region."""
    for unit in units:
        if not can_manage_unit(actor, unit, campaign):
            raise PermissionDenied(f"单位「{unit.name}」不在您所管理的地区，不能作为重点任务的牵头单位或责任单位")


def touch_tasks(*task_ids):
    """Give these tasks a new revision: call it in every write to a task, its units, milestones or progress reports
    (the Gantt chart judges a task again only when its revision has moved; work.gantt)."""
    Task.objects.filter(pk__in=[pk for pk in task_ids if pk is not None]).update(revision=new_revision())


KEEP = object()  # save_campaign: an argument left out keeps the stored value


@transaction.atomic
def save_campaign(actor, *, name, order=0, report_cycle=None, report_due_day=KEEP, source="", input_due_day=KEEP):
    """Create or update a campaign by name; report_cycle None keeps the current one (monthly for a new one).

    report_due_day (报送截止日, rules.report_due_date): a day of the month 1–31 (monthly) or a weekday 1–7 (weekly),
    None for the default; left out, it is kept, except that a new cycle starts from the default. input_due_day (配合单位
    报送截止日, two-tier reporting: rules.input_due_day) likewise, no later than the report's day."""
    name = (name or "").strip()
    if not name:
        raise Rejected("攻坚战名称不能为空")
    existing = Campaign.objects.filter(name=name).values_list("report_cycle", "report_due_day", "input_due_day").first()
    report_cycle = report_cycle or (existing and existing[0]) or rules.MONTHLY
    if report_cycle not in rules.CYCLES:
        raise Rejected(f"未知的报送周期：{report_cycle}（应为 每周、每半月、每月）")
    if report_due_day is KEEP:
        report_due_day = existing[1] if existing and existing[0] == report_cycle else None
    if input_due_day is KEEP:
        input_due_day = existing[2] if existing and existing[0] == report_cycle else None
    if report_cycle == rules.HALF_MONTHLY:
        report_due_day = input_due_day = None  # always the 15th and the month's last day
    for value, label in ((report_due_day, "报送截止日"), (input_due_day, "配合单位报送截止日")):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise Rejected(f"{label}应为整数")
    if problem := rules.due_day_error(report_cycle, report_due_day) or \
            rules.input_due_day_error(report_cycle, report_due_day, input_due_day):
        raise Rejected(problem)
    campaign = Campaign.objects.filter(name=name).first()
    if _person(actor):
        require_plan_manager(actor, campaign or Campaign(source=source))  # source: kept from creation on
    fields = ["order", "report_cycle", "report_due_day", "input_due_day"]
    if campaign is None:
        campaign = Campaign.objects.create(name=name, order=order, report_cycle=report_cycle, report_due_day=report_due_day,
                                           input_due_day=input_due_day, source=source)
        record(actor, "新增攻坚战", campaign, after={"name": name, "report_cycle": report_cycle,
                                                  "report_due_day": report_due_day, "input_due_day": input_due_day})
    elif (campaign.report_cycle, campaign.order, campaign.report_due_day, campaign.input_due_day) != (
            report_cycle, order, report_due_day, input_due_day):
        if _person(actor):
            require_campaign_manager(actor, campaign)
        before = snapshot(campaign, fields)
        campaign.order, campaign.report_cycle, campaign.report_due_day = order, report_cycle, report_due_day
        campaign.input_due_day = input_due_day
        campaign.save(update_fields=fields)
        record(actor, "修改攻坚战", campaign, before=before, after=snapshot(campaign, fields))
    return campaign


@transaction.atomic
def set_plan(actor, campaign):
    """Fix the plan of a campaign: from now on a changed due date is a re-baseline."""
    if _person(actor):
        require_plan_manager(actor, campaign)
        require_campaign_manager(actor, campaign)
    if campaign.plan_set_at is None:
        campaign.plan_set_at = timezone.now()
        campaign.save(update_fields=["plan_set_at"])
        record(actor, "确定计划", campaign, after={"plan_set_at": campaign.plan_set_at})
    return campaign


@transaction.atomic
def save_task(actor, *, campaign, number, title, lead_unit, start, deadline, responsible_units=(), cooperating_units=(),
              leader_name="", leader=None, indicator_codes=(), order=0, reason="", requested=None):
    """Create or update the task with this 序号; its units are replaced by the given ones. After the plan is set a new
    deadline does not move the task's deadline: it becomes a pending re-baseline request (with `reason`), appended to
    `requested` when given (the 配档表 import lists them)."""
    if not title:
        raise Rejected("重点任务名称不能为空")
    if lead_unit is None:
        raise Rejected("牵头单位不能为空")
    if start and deadline and deadline < start:
        raise Rejected(f"完成时限 {deadline} 早于开始日期 {start}")
    values = {"campaign": campaign, "title": title, "lead_unit": lead_unit, "leader_name": leader_name, "leader": leader,
              "start": start, "deadline": deadline, "indicator_codes": list(indicator_codes), "order": order}
    task = Task.objects.select_related("lead_unit__region").filter(number=number).first()
    if _person(actor):
        require_plan_manager(actor, campaign)
        if task is not None:
            require_task_manager(actor, task)
        _check_units(actor, [lead_unit, *responsible_units], campaign)
    units = [(lead_unit, TaskRole.LEAD)] + [(u, TaskRole.RESPONSIBLE) for u in responsible_units] + \
            [(u, TaskRole.COOPERATING) for u in cooperating_units]
    wanted = {(u.pk, role) for u, role in units}
    if task is not None and deadline != task.deadline and campaign.plan_set_at is not None:
        values["deadline"] = task.deadline  # moves only once approved
        request = _plan_change_request(actor, task.deadline, deadline, reason, task=task,
                                       label=f"重点任务「{task.number} {task.title}」")
        if requested is not None and request is not None:
            requested.append(request)
    if task is None:
        task = Task.objects.create(number=number, **values)
        TaskUnit.objects.bulk_create([TaskUnit(task=task, unit_id=uid, role=role) for uid, role in sorted(wanted)])
        record(actor, "新增重点任务", task, after={**snapshot(task, TASK_FIELDS), "units": sorted(wanted)})
        return task, "created"
    before = snapshot(task, TASK_FIELDS)
    had = set(task.task_units.values_list("unit_id", "role"))
    for key, value in values.items():
        setattr(task, key, value)
    after = snapshot(task, TASK_FIELDS)
    if after == before and had == wanted:
        return task, "unchanged"
    task.revision = new_revision()
    task.save()
    if had != wanted:
        task.task_units.all().delete()
        TaskUnit.objects.bulk_create([TaskUnit(task=task, unit_id=uid, role=role) for uid, role in sorted(wanted)])
    before, after = _changed({**before, "units": sorted(had)}, {**after, "units": sorted(wanted)})
    record(actor, "修改重点任务", task, before=before, after=after)
    return task, "updated"


@transaction.atomic
def save_milestone(actor, *, task, number, title, due, start=None, planned_months=(), follows=None, order=0,
                   reason="", requested=None):
    """Create or update the milestone with this 序号. After the plan is set, a new due date does not move the due date:
    it becomes a pending re-baseline request (it needs a reason), appended to `requested` when given."""
    if not title:
        raise Rejected("节点内容不能为空")
    if due is None:
        raise Rejected("节点的完成时限不能为空")
    if start and due < start:
        raise Rejected(f"完成时限 {due} 早于开始日期 {start}")
    milestone = Milestone.objects.select_related("task__lead_unit__region").filter(number=number).first()
    old_task_id = milestone.task_id if milestone is not None else None
    if _person(actor):
        require_plan_manager(actor, task.campaign)
        require_task_manager(actor, task)
        if milestone is not None and old_task_id != task.pk:
            require_task_manager(actor, milestone.task)
    values = {"task": task, "title": title, "start": start, "planned_months": sorted(set(planned_months)),
              "follows": follows, "order": order}
    if milestone is None:
        milestone = Milestone.objects.create(number=number, due=due, **values)
        touch_tasks(task.pk)
        record(actor, "新增节点", milestone, after=snapshot(milestone, MILESTONE_FIELDS))
        return milestone, "created"
    before = snapshot(milestone, MILESTONE_FIELDS)
    for key, value in values.items():
        setattr(milestone, key, value)
    if milestone.due != due:
        if task.campaign.plan_set_at is not None:
            request = _plan_change_request(actor, milestone.due, due, reason, milestone=milestone,
                                           label=f"节点「{milestone.title}」")
            if requested is not None and request is not None:
                requested.append(request)
        else:
            milestone.due = due
    after = snapshot(milestone, MILESTONE_FIELDS)
    if after == before:
        return milestone, "unchanged"
    milestone.save()
    touch_tasks(task.pk, old_task_id)  # a milestone may move to another task
    before, after = _changed(before, after)
    record(actor, "修改节点", milestone, before=before, after=after)
    return milestone, "updated"


def _changed(before, after):
    """Only the fields that changed, so an audit entry says what really changed."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _plan_change_request(actor, current, new_due, reason, *, label, milestone=None, task=None):
    """A changed date met after the plan was set (save_task, save_milestone, the 配档表 import): a pending request
    from the actor, or the pending one asking for the same date already; another pending one is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise Rejected(f"{label}的计划已确定，调整完成时限必须填写原因（调整经审批后生效）")
    pending = Rebaseline.objects.filter(status=RebaselineStatus.PENDING, milestone=milestone, task=task).first()
    if pending is not None:
        if pending.new_due == new_due:
            return pending
        raise Rejected(f"{label}已有一项待审批的调整计划申请（{pending.old_due} → {pending.new_due}），"
                       f"请先审批该申请，再调整为 {new_due}")
    request = Rebaseline(milestone=milestone, task=task, old_due=current, new_due=new_due, reason=reason[:300],
                         requested_by=actor if _person(actor) else None)
    _save_request(actor, request, label)
    return request


def _save_request(actor, request, label):
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # another pending request was saved at the same time
        raise Rejected(f"{label}已有一项待审批的调整计划申请，请等待审批结果")
    record(actor, "申请调整计划", request, after={
        "target": label, "old_due": request.old_due, "new_due": request.new_due, "reason": request.reason,
        "unit": request.unit_id, "status": request.status})


def _target(milestone, task):
    """(milestone or None, its task, current date, planned start, label) of a request's target, read afresh."""
    if (milestone is None) == (task is None):
        raise ValueError("调整计划的对象须为一个节点或一项任务的完成时限")
    if milestone is not None:
        milestone = Milestone.objects.select_related("task__campaign", "task__lead_unit__region").get(pk=milestone.pk)
        task = milestone.task
        start = milestone.start or task.start
        return milestone, task, milestone.due, start, f"节点「{milestone.title}」", "节点" if milestone.start else "任务"
    task = Task.objects.select_related("campaign", "lead_unit__region").get(pk=task.pk)
    return None, task, task.deadline, task.start, f"重点任务「{task.number} {task.title}」的完成时限", "任务"


@transaction.atomic
def request_rebaseline(actor, *, new_due, reason, milestone=None, task=None, check_plan=True):
    """Ask to change a milestone's due date (milestone=…) or a task's deadline (task=…): nothing moves until a leader
    or the supervision office approves (approve_rebaseline). A person asks in the name of their unit (the task's
    lead or responsible unit) or as the region's supervision office (work.access.require_rebaseline_requester)."""
    milestone, owner, current, start, label, start_of = _target(milestone, task)
    unit = require_rebaseline_requester(actor, owner) if _person(actor) else None
    problems = []
    reason = (reason or "").strip()
    if not reason:
        problems.append("请填写调整原因")
    elif len(reason) > 300:
        problems.append(f"调整原因过长（{len(reason)} 个字，最多 300 个字）")
    try:
        new_due = parse_day(new_due, "新的完成时限")
    except Rejected as rejected:
        problems += rejected.messages
    else:
        if new_due == current:
            problems.append(f"新的完成时限与现在的完成时限 {current} 相同")
        if start is not None and new_due < start:
            problems.append(f"新的完成时限 {new_due} 早于{start_of}的开始日期 {start}")
    if check_plan and owner.campaign.plan_set_at is None:
        problems.append(f"攻坚战「{owner.campaign.name}」的计划尚未确定：计划确定前由督查室直接修改日期，无需申请")
    pending = Rebaseline.objects.filter(status=RebaselineStatus.PENDING, milestone=milestone,
                                        task=None if milestone is not None else owner).first()
    if pending is not None:
        problems.append(f"{label}已有一项待审批的调整计划申请（{pending.old_due} → {pending.new_due}），请等待审批结果")
    if problems:
        raise Rejected(problems)
    request = Rebaseline(milestone=milestone, task=None if milestone is not None else owner, old_due=current,
                         new_due=new_due, reason=reason, unit=unit, requested_by=actor if _person(actor) else None)
    _save_request(actor, request, label)
    return request


def _decidable(actor, request, note):
    """The request locked for the decision, or Rejected / PermissionDenied (nothing saved)."""
    request = Rebaseline.objects.select_for_update().get(pk=request.pk)
    request = Rebaseline.objects.select_related("milestone__task__lead_unit__region", "task__lead_unit__region", "unit",
                                                "decided_by").get(pk=request.pk)
    if request.status != RebaselineStatus.PENDING:
        who = _name(request.decided_by) if request.decided_by_id else (request.approved_by or "系统")
        when = timezone.localtime(request.decided_at).strftime("%Y-%m-%d %H:%M") if request.decided_at else ""
        raise Rejected(f"该调整计划申请已于 {when} 由 {who} 审批（{request.get_status_display()}），不能重复审批")
    if _person(actor):
        require_rebaseline_approver(actor, request)
    if len(note or "") > 300:
        raise Rejected(f"审批意见过长（{len(note)} 个字，最多 300 个字）")
    return request


def _decide(actor, request, status, note):
    request.status = status
    request.decided_by = actor if _person(actor) else None
    request.decided_at = timezone.now()
    request.decision_note = (note or "").strip()
    fields = ["status", "decided_by", "decided_at", "decision_note"]
    if status == RebaselineStatus.APPROVED:
        request.approved_by = _name(actor)[:100]
        request.changed_by = request.decided_by
        request.changed_at = request.decided_at
        fields += ["approved_by", "changed_by", "changed_at"]
    request.save(update_fields=fields)


@transaction.atomic
def approve_rebaseline(actor, request, note=""):
    """Approve a pending request: the date moves, the first planned date stays (Milestone.original_due,
    Task.original_deadline), the task's revision moves. Decided once; never by the requester or their unit."""
    request = _decidable(actor, request, note)
    if request.milestone_id:
        milestone = Milestone.objects.select_for_update().get(pk=request.milestone_id)
        start = milestone.start or request.milestone.task.start
        if start is not None and request.new_due < start:
            raise Rejected(f"新的完成时限 {request.new_due} 早于开始日期 {start}，不能批准")
        before = snapshot(milestone, ["due", "original_due"])
        if milestone.original_due is None:
            milestone.original_due = milestone.due
        milestone.due = request.new_due
        milestone.save(update_fields=["due", "original_due"])
        touch_tasks(milestone.task_id)
        record(actor, "调整节点计划", milestone, before=before, after={
            **snapshot(milestone, ["due", "original_due"]), "reason": request.reason, "request": request.pk})
    else:
        task = Task.objects.select_for_update().get(pk=request.task_id)
        if task.start is not None and request.new_due < task.start:
            raise Rejected(f"新的完成时限 {request.new_due} 早于任务的开始日期 {task.start}，不能批准")
        before = snapshot(task, ["deadline", "original_deadline"])
        if task.original_deadline is None:
            task.original_deadline = task.deadline
        task.deadline = request.new_due
        task.revision = new_revision()
        task.save(update_fields=["deadline", "original_deadline", "revision"])
        record(actor, "调整任务完成时限", task, before=before, after={
            **snapshot(task, ["deadline", "original_deadline"]), "reason": request.reason, "request": request.pk})
    _decide(actor, request, RebaselineStatus.APPROVED, note)
    record(actor, "批准调整计划", request, before={"status": RebaselineStatus.PENDING},
           after={"status": request.status, "old_due": request.old_due, "new_due": request.new_due,
                  "note": request.decision_note})
    return request


@transaction.atomic
def refuse_rebaseline(actor, request, note):
    """Refuse a pending request with a note: nothing moves."""
    if not (note or "").strip():
        raise Rejected("不予批准请填写理由")
    request = _decidable(actor, request, note)
    _decide(actor, request, RebaselineStatus.REFUSED, note)
    record(actor, "不批准调整计划", request, before={"status": RebaselineStatus.PENDING},
           after={"status": request.status, "note": request.decision_note})
    return request


@transaction.atomic
def rebaseline_milestone(actor, milestone, new_due, reason, approved_by=""):
    """For the system only (the CLI, the demo, data moves; actor None): a request approved at once, as 系统
    (or `approved_by`). People ask with request_rebaseline and a leader or the office approves."""
    if _person(actor):
        raise PermissionDenied("计划确定后调整完成时限须提出调整计划申请，经区领导或督查室批准后生效")
    request = request_rebaseline(None, milestone=milestone, new_due=new_due, reason=reason, check_plan=False)
    approve_rebaseline(None, request)
    if approved_by:
        Rebaseline.objects.filter(pk=request.pk).update(approved_by=approved_by[:100])
    milestone.refresh_from_db(fields=["due", "original_due"])
    return milestone


def _name(actor):
    if getattr(actor, "is_authenticated", False):
        return actor.get_full_name() or actor.username
    return "系统"


def check_attachment(upload):
    """Problems with one uploaded file (size and type), as Chinese messages."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_ATTACHMENTS:
        allowed = "、".join(s.lstrip(".") for s in ALLOWED_ATTACHMENTS)
        return f"附件「{name}」的类型不允许（允许：{allowed}）"
    if upload.size > MAX_ATTACHMENT_BYTES:
        return f"附件「{name}」超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB"
    signatures = ALLOWED_ATTACHMENTS[suffix]
    if signatures:
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(s) for s in signatures):
            return f"附件「{name}」的内容与扩展名不符"
    return None


def attachment_problems(uploads):
    """Problems with a set of files sent together (how many, and each one's size and type), as Chinese messages:
    a progress report's and a notice answer's."""
    problems = [f"附件最多 {MAX_ATTACHMENTS} 个"] if len(uploads) > MAX_ATTACHMENTS else []
    return problems + [m for m in (check_attachment(a) for a in uploads) if m]


@transaction.atomic
def submit_report(actor, task, *, percent, done_text="", problems="", completions=(), attachments=(), unit=None,
                  reported_on=None, corrects=None, correction_note="", source="web", ledger=False, on_behalf=False,
                  proxy_source="", inputs=()):
    """Save a progress report (or a correction: a new version of `corrects`; the earlier stays).

    `completions` are (milestone, date) pairs. The milestones' completion dates follow the current versions.
    `ledger`: a record moved in from an existing ledger by the plan's manager, in the lead unit's name.
    `on_behalf` (代报): the office enters it for `unit` (a correction: for the corrected report's unit), which has no
    account (work.access.proxy_refusal); `proxy_source` says how the unit sent it ("据…电话报送", optional).
    `inputs`: the cooperating units' inputs (CoopInput, this task's) the report draws on, kept with it (two-tier).
    """
    today = _today()
    if on_behalf:
        unit, proxy_label, proxy_source = _proxy(actor, task, unit, corrects, proxy_source)
    else:
        unit, proxy_label, proxy_source = _reporting_unit(actor, task, unit, corrects, ledger), "", ""
    percent = _report_problems(task, unit, percent, completions, attachments, reported_on, corrects, correction_note,
                               today)
    inputs = list(inputs)
    if any(i.task_id != task.pk for i in inputs):
        raise Rejected("所采用的配合单位报送不属于该任务")
    report = ProgressReport(task=task, unit=unit, percent=percent, done_text=done_text.strip(), problems=problems.strip(),
                            source=source, submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
                            correction_note=(correction_note or "").strip(), proxy_label=proxy_label,
                            proxy_source=proxy_source, proxy_by=actor if proxy_label else None)
    if corrects is not None:
        report.series, report.version, report.reported_on = corrects.series, corrects.version + 1, corrects.reported_on
        ProgressReport.objects.filter(pk=corrects.pk).update(is_current=False)
    else:
        report.reported_on = reported_on or today
    report.save()
    if report.series is None:
        report.series = report.pk
        report.save(update_fields=["series"])
    ReportCompletion.objects.bulk_create([ReportCompletion(report=report, milestone=m, done_on=d) for m, d in completions])
    if inputs:
        report.inputs.set(inputs)
    for upload in attachments:
        attachment = ReportAttachment(report=report, name=upload.name[:200], size=upload.size)
        attachment.file.save(Path(upload.name).name, upload, save=False)
        attachment.save()
    changed = refresh_completions(task)
    touch_tasks(task.pk)
    after = {"task": task.number, "unit": unit.code, "version": report.version, "percent": percent,
             "completions": [(m.number, d) for m, d in completions], "attachments": [a.name for a in attachments],
             "milestones_changed": changed, "correction_note": report.correction_note}
    if inputs:
        after["inputs"] = sorted(i.pk for i in inputs)
    if proxy_label:
        after.update(proxy_label=report.proxy_text, proxy_source=proxy_source)
    action = "更正进度报告" if corrects else "报送进度"
    record(actor, f"{action}（代报）" if proxy_label else action, report, after=after,
           note=f"{report.proxy_text}：{unit.name}未开通账号" if proxy_label else "")
    return report


PROXY_SOURCE_MAX = 200


def _proxy(actor, task, unit, corrects, source):
    """(unit, proxy label, source) of a report the office enters for a unit without an account; PermissionDenied
    (Chinese) when the actor may not report for it, Rejected when the unit is missing or the source too long."""
    if not _person(actor):
        raise Rejected("代报须由督查室人员登录后操作")
    if corrects is not None:
        if corrects.task_id != task.pk:
            raise Rejected("更正的报告不属于该任务")
        unit = unit or corrects.unit
    if unit is None:
        raise Rejected("请选择代报的单位")
    require_proxy_reporter(actor, task, unit)
    source = str(source or "").strip()
    if len(source) > PROXY_SOURCE_MAX:
        raise Rejected(f"报送来源不能超过{PROXY_SOURCE_MAX}个字（现有{len(source)}个字）")
    return unit, acting_label(actor), source


def _reporting_unit(actor, task, unit, corrects, ledger):
    """The unit a report is saved in the name of, once the actor may report (or correct) for it."""
    if corrects is not None and corrects.task_id != task.pk:
        raise Rejected("更正的报告不属于该任务")
    if ledger and _person(actor):
        require_task_manager(actor, task)
    elif actor is not None and not ledger:
        allowed = reporting_units(actor, task)
        if not allowed:
            raise Rejected("您的单位不是该任务的牵头单位或责任单位，不能报送进度")
        if corrects is not None and corrects.unit_id not in {u.pk for u in allowed}:
            raise PermissionDenied(f"只能更正本单位的报告：该报告由「{corrects.unit.name}」报送")
        if unit is None:
            # A correction stays in the name of the unit that sent the corrected report.
            unit = corrects.unit if corrects is not None else allowed[0]
        elif unit not in allowed:
            raise Rejected(f"不能以「{unit.name}」的名义报送该任务")
    return unit or (corrects.unit if corrects is not None else task.lead_unit)


def _report_problems(task, unit, percent, completions, attachments, reported_on, corrects, correction_note, today,
                     milestone_ids=None):
    """The percent as a whole number, or Rejected with every problem of the report (`milestone_ids`: the task's,
    when the caller has read them)."""
    errors = []
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        errors.append("完成百分比必须是 0 到 100 之间的整数")
        percent = None
    if percent is not None and not 0 <= percent <= 100:
        errors.append(f"完成百分比 {percent} 超出范围，应在 0 到 100 之间")
    if milestone_ids is None:
        milestone_ids = set(task.milestones.values_list("id", flat=True))
    for milestone, done_on in completions:
        if milestone.pk not in milestone_ids:
            errors.append(f"节点「{milestone.title}」不属于该任务")
        elif done_on is None:
            errors.append(f"节点「{milestone.title}」请填写完成日期")
        elif done_on > today:
            errors.append(f"节点「{milestone.title}」的完成日期 {done_on} 晚于今天，不能填报未来的日期")
    errors += attachment_problems(attachments)
    if corrects is not None:
        if corrects.unit_id != unit.pk:
            errors.append(f"更正须以原报告的报送单位「{corrects.unit.name}」的名义")
        if not corrects.is_current:
            errors.append("只能更正报告的最新版本")
        if not (correction_note or "").strip():
            errors.append("更正报告请填写更正说明")
    if reported_on is not None and reported_on > today:
        errors.append(f"报送日期 {reported_on} 晚于今天")
    if errors:
        raise Rejected(errors)
    return percent


def refresh_completions(task):
    """Set each milestone's completion date to the earliest one in the current report versions; in a closed task
    (销号) a milestone no report completed counts as done on the day the approved closure was asked for
    (rules.completion_day)."""
    dates = dict(ReportCompletion.objects.filter(report__task=task, report__is_current=True)
                 .values("milestone_id").annotate(first=Min("done_on")).values_list("milestone_id", "first"))
    closed = Closure.objects.filter(task=task, status=ClosureStatus.APPROVED).values_list("requested_on", flat=True).first()
    changed = []
    for milestone in task.milestones.all():
        done_on = rules.completion_day(dates.get(milestone.pk), closed)
        if milestone.done_on != done_on:
            milestone.done_on = done_on
            milestone.save(update_fields=["done_on"])
            changed.append(milestone.number)
    return changed


# --- two-tier reporting: a cooperating unit's input to the lead unit ------------------------------------------------

INPUT_TEXT_MAX = 5000


@transaction.atomic
def submit_input(actor, task, *, done_text, problems="", unit=None, corrects=None, correction_note="",
                 reported_on=None):
    """A cooperating unit sends its input to the task's lead unit (配合单位报送), or corrects one: a new version of
    `corrects`, the earlier kept. The lead unit sees the current versions beside its draft and says which it drew on
    (submit_report's `inputs`). Nothing here counts as the task's report to the office."""
    today = _today()
    if _person(actor):
        unit = require_input_sender(actor, task, unit or (corrects.unit if corrects is not None else None))
    elif unit is None:
        raise Rejected("请指定配合单位")
    done_text, problems = (done_text or "").strip(), (problems or "").strip()
    errors = []
    if not done_text:
        errors.append("请填写配合完成情况")
    for value, label in ((done_text, "配合完成情况"), (problems, "存在问题")):
        if len(value) > INPUT_TEXT_MAX:
            errors.append(f"{label}过长（{len(value)} 个字，最多 {INPUT_TEXT_MAX} 个字）")
    if corrects is not None:
        if corrects.task_id != task.pk:
            errors.append("更正的报送不属于该任务")
        elif corrects.unit_id != unit.pk:
            errors.append(f"只能更正本单位的报送：该报送由「{corrects.unit.name}」报送")
        elif not corrects.is_current:
            errors.append("只能更正报送的最新版本")
        if not (correction_note or "").strip():
            errors.append("更正报送请填写更正说明")
        elif len(correction_note.strip()) > 300:
            errors.append("更正说明过长（最多 300 个字）")
    if reported_on is not None and reported_on > today:
        errors.append(f"报送日期 {reported_on} 晚于今天")
    if errors:
        raise Rejected(errors)
    item = CoopInput(task=task, unit=unit, to_unit=task.lead_unit, done_text=done_text, problems=problems,
                     correction_note=(correction_note or "").strip(), submitted_by=actor if _person(actor) else None)
    if corrects is not None:
        item.series, item.version, item.reported_on = corrects.series, corrects.version + 1, corrects.reported_on
        CoopInput.objects.filter(pk=corrects.pk).update(is_current=False)
    else:
        item.reported_on = reported_on or today
    item.save()
    if item.series is None:
        item.series = item.pk
        item.save(update_fields=["series"])
    record(actor, "更正配合单位报送" if corrects is not None else "配合单位报送", item, after={
        "task": task.number, "unit": unit.code, "to_unit": task.lead_unit.code, "version": item.version,
        "reported_on": item.reported_on, "correction_note": item.correction_note})
    return item


def remind_inputs(as_of=None, actor=None):
    """Remind the cooperating units whose input for the current period is past its due day (rules.input_due_day) and
    not sent, on tasks started, not closed and not finished: one message to each unit per task and period (its people
    in-app, its robots; dedupe keys). Returns how many (unit, task) reminders were new."""
    from luoshi.notify.models import Kind
    from luoshi.notify.services import send_to_unit

    as_of = as_of or _today()
    sent = 0
    parts = (TaskUnit.objects.filter(role=TaskRole.COOPERATING, task__closed_on__isnull=True, task__start__lte=as_of)
             .select_related("unit", "task__campaign", "task__lead_unit").order_by("task_id", "unit__code"))
    for part in parts:
        task, campaign = part.task, part.task.campaign
        first, last = rules.period_of(as_of, campaign.report_cycle)
        due = rules.report_due_date(first, last, campaign.report_cycle,
                                    rules.input_due_day(campaign.report_cycle, campaign.report_due_day,
                                                        campaign.input_due_day))
        if due >= as_of or Milestone.objects.filter(task=task, done_on__isnull=True).count() == 0:
            continue
        if CoopInput.objects.filter(task=task, unit=part.unit, is_current=True, reported_on__range=(first, last)).exists():
            continue
        robots, people = send_to_unit(
            part.unit, f"配合单位报送提醒：{task.number} {task.title}",
            f"{part.unit.name}：请尽快向牵头单位{task.lead_unit.name}报送本期（{first:%m月%d日}—{last:%m月%d日}）配合工作情况，"
            f"截止日为{due.month}月{due.day}日。",
            link=f"/work/tasks/{task.pk}/#input", dedupe_key=f"coop-input:t{task.pk}:u{part.unit_id}:{first.isoformat()}",
            actor=actor, kind=Kind.REPORT_MISSING)
        sent += bool(robots or people)
    return sent


# --- 销号: closing a task with evidence ----------------------------------------------------------------------------

CLOSURE_NOTE_MAX = 2000


@transaction.atomic
def request_closure(actor, task, *, note, attachments=()):
    """The lead unit asks to close the task (销号) with its evidence (at least one file, the progress reports'
    limits): a pending request the supervision office approves or returns. One pending request at a time; a returned
    one may be asked again (a new request)."""
    task = Task.objects.select_for_update().select_related("campaign", "lead_unit__region").get(pk=task.pk)
    unit = require_closure_requester(actor, task) if _person(actor) else task.lead_unit
    note = (note or "").strip()
    errors = []
    if task.closed_on is not None:
        errors.append(f"该任务已于 {task.closed_on} 销号")
    elif Closure.objects.filter(task=task, status=ClosureStatus.PENDING).exists():
        errors.append("该任务已有一项待审核的销号申请，请等待督查室审核")
    if not note:
        errors.append("请填写完成情况说明")
    elif len(note) > CLOSURE_NOTE_MAX:
        errors.append(f"完成情况说明过长（{len(note)} 个字，最多 {CLOSURE_NOTE_MAX} 个字）")
    if not attachments:
        errors.append("销号须附佐证材料（至少一个附件）")
    errors += attachment_problems(list(attachments))
    if errors:
        raise Rejected(errors)
    closure = Closure.objects.create(task=task, unit=unit, note=note, requested_on=_today(),
                                     requested_by=actor if _person(actor) else None)
    for upload in attachments:
        attachment = ClosureAttachment(closure=closure, name=upload.name[:200], size=upload.size)
        attachment.file.save(Path(upload.name).name, upload, save=False)
        attachment.save()
    touch_tasks(task.pk)
    record(actor, "申请销号", closure, after={"task": task.number, "unit": unit.code, "note": note,
                                           "attachments": [a.name for a in attachments], "status": closure.status})
    _tell_office_of_closure(closure, task, unit, actor)
    return closure


def _tell_office_of_closure(closure, task, unit, actor):
    """The supervision office of the task's region is told a 销号 request waits for it (in-app, e-mail by choice)."""
    from luoshi.notify.models import Kind
    from luoshi.notify.services import queue_message
    from luoshi.orgs.models import Role
    from luoshi.orgs.queries import people_with_role

    subject = f"销号申请待审核：{task.number} {task.title}"[:200]
    body = f"{unit.name}申请对重点任务「{task.number} {task.title}」销号，请审核佐证材料后同意或退回。"
    for user in people_with_role(Role.SUPERVISION, task.lead_unit.region):
        queue_message(user, subject, body, link=f"/work/tasks/{task.pk}/#closure", actor=actor, kind=Kind.GENERAL,
                      dedupe_key=f"closure:{closure.pk}:asked:u{user.pk}")


def _closure_to_decide(actor, closure, note):
    closure = Closure.objects.select_for_update().get(pk=closure.pk)
    closure = Closure.objects.select_related("task__campaign", "task__lead_unit__region", "unit", "decided_by").get(
        pk=closure.pk)
    if closure.status != ClosureStatus.PENDING:
        who = _name(closure.decided_by) if closure.decided_by_id else "系统"
        raise Rejected(f"该销号申请已由 {who} 审核（{closure.get_status_display()}），不能重复审核")
    if _person(actor):
        require_closure_decider(actor, closure)
    if len(note or "") > 300:
        raise Rejected(f"审核意见过长（{len(note)} 个字，最多 300 个字）")
    return closure


def _closure_decided(actor, closure, status, note):
    closure.status = status
    closure.decided_by = actor if _person(actor) else None
    closure.decided_at = timezone.now()
    closure.decided_on = _today()
    closure.decision_note = (note or "").strip()
    closure.save(update_fields=["status", "decided_by", "decided_at", "decided_on", "decision_note"])


def _tell_lead_unit(closure, subject, body):
    from luoshi.notify.services import send_to_unit

    send_to_unit(closure.task.lead_unit, subject, body, link=f"/work/tasks/{closure.task_id}/#closure",
                 dedupe_key=f"closure:{closure.pk}:{closure.status}")


@transaction.atomic
def approve_closure(actor, closure, note=""):
    """The office approves a 销号 request: the task is closed that day (Task.closed_on), its milestones no report
    completed count as done on the day asked (refresh_completions), so it leaves the red lists and stays in the
    ledger."""
    closure = _closure_to_decide(actor, closure, note)
    task = Task.objects.select_for_update().get(pk=closure.task_id)
    _closure_decided(actor, closure, ClosureStatus.APPROVED, note)
    task.closed_on = closure.decided_on
    task.revision = new_revision()
    task.save(update_fields=["closed_on", "revision"])
    changed = refresh_completions(task)
    record(actor, "批准销号", closure, before={"status": ClosureStatus.PENDING},
           after={"status": closure.status, "task": task.number, "closed_on": task.closed_on,
                  "milestones_changed": changed, "note": closure.decision_note})
    _tell_lead_unit(closure, f"销号已批准：{task.number} {task.title}",
                    f"{closure.unit.name}申请的销号已于{task.closed_on.month}月{task.closed_on.day}日经督查室批准。")
    return closure


@transaction.atomic
def return_closure(actor, closure, reason):
    """The office returns a 销号 request with its reason: nothing closes; the lead unit may ask again."""
    if not (reason or "").strip():
        raise Rejected("退回请填写理由")
    closure = _closure_to_decide(actor, closure, reason)
    _closure_decided(actor, closure, ClosureStatus.RETURNED, reason)
    touch_tasks(closure.task_id)
    record(actor, "退回销号申请", closure, before={"status": ClosureStatus.PENDING},
           after={"status": closure.status, "task": closure.task.number, "reason": closure.decision_note})
    _tell_lead_unit(closure, f"销号申请被退回：{closure.task.number} {closure.task.title}",
                    f"退回理由：{closure.decision_note}。请补充材料后重新申请。")
    return closure


@transaction.atomic
def link_indicators(actor, task, codes):
    """Add catalog codes to the indicators the task serves (Task.indicator_codes; those it had stay): from then on its
    light follows their 序时 judgement (queries.follow_indicators). The task's revision moves."""
    task = Task.objects.select_for_update().select_related("campaign", "lead_unit__region").get(pk=task.pk)
    if _person(actor):
        require_indicator_linker(actor, task)
    wanted = list(task.indicator_codes) + [c for c in dict.fromkeys(codes) if c and c not in task.indicator_codes]
    if wanted == list(task.indicator_codes):
        return task
    before = {"indicator_codes": list(task.indicator_codes)}
    task.indicator_codes = wanted
    task.revision = new_revision()
    task.save(update_fields=["indicator_codes", "revision"])
    record(actor, "关联服务指标", task, before=before, after={"indicator_codes": wanted})
    return task
