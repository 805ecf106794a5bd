"""Every write to notices (督办单) goes through these functions: one atomic function per action, each step a new
NoticeStep row and an audit entry, Chinese errors. An actor None is the system (the sweep, the CLI, the demo)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core import workdays
from luoshi.core.periods import day_label
from luoshi.core.problems import Rejected
from luoshi.notify.services import queue_message, queue_robots, supervision_kind
from luoshi.orgs.models import Person, Region, RegionLevel, Role, RoleAssignment
from luoshi.supervision import access
from luoshi.supervision.models import (OPEN_STATES, Notice, NoticeCounter, NoticeSource, NoticeState, NoticeStep,
                                       StepAttachment, StepKind)
from luoshi.work import queries, rules
from luoshi.work import services as work_services

NOTICE_FIELDS = ["year", "serial", "task", "milestone", "unit", "leader", "leader_name", "region", "reason", "opened_on",
                 "reply_due", "state", "escalated_on", "replied_on", "first_replied_on", "source", "returned_on", "redo_due"]
REPLY_DAYS = 5  # working days a unit has to answer
MAX_TEXT = 5000


def _today():
    return timezone.localdate()


def _person(actor):
    return getattr(actor, "is_authenticated", False)


def reply_due_for(opened_on):
    return workdays.add_working_days(opened_on, getattr(settings, "LUOSHI_NOTICE_REPLY_DAYS", REPLY_DAYS))


def office_region(unit):
    """The county-level region whose supervision office acts on a unit's notices (the unit's own region when it
    sits above the county level)."""
    region = unit.region
    while region.level in (RegionLevel.TOWN, RegionLevel.VILLAGE) and region.parent_id:
        region = Region.objects.get(pk=region.parent_id)
    return region


# --- the reason, from the red light's cause ------------------------------------------------------------------------

def reason_text(task_row, as_of, *, milestone_id=None):
    """督办事由 from a judged task row (queries.board): which milestones are late and by how many working days, how
    many report periods were missed."""
    late = [m for m in task_row["milestones"] if m["status"] in (rules.OVERDUE, rules.SERIOUSLY_OVERDUE)
            and (milestone_id is None or m["id"] == milestone_id)]
    parts = []
    for m in late:
        days = f"，已滞后 {m['working_days_late']} 个工作日" if m["working_days_late"] else ""
        parts.append(f"节点「{m['number']} {m['title']}」完成时限{day_label(m['due'])}，{rules.STATUS_LABELS[m['status']]}{days}")
    if task_row["missed_periods"]:
        parts.append(f"已连续 {task_row['missed_periods']} 期未报送进度（缺报 {task_row['missed_periods']} 期）")
    light = rules.LIGHT_LABELS[task_row["light"]]
    head = f"截至{day_label(as_of)}，重点任务「{task_row['number']} {task_row['title']}」（{task_row['campaign']}）亮{light}"
    if not parts:
        return head + "。请说明推进情况。"
    return head + "：" + "；".join(parts) + "。请说明原因，提出整改措施和完成时限。"


def default_reason(task, as_of, milestone=None):
    row = queries.judged_task(task, as_of)  # its light, the late milestones and missed periods
    return reason_text(row, as_of, milestone_id=milestone.pk if milestone else None) if row else ""


# --- recipients and reminders ---------------------------------------------------------------------------------------

def unit_users(unit_ids):
    """The people of these units with an active account (Person.user), and the accounts acting as the unit."""
    User = get_user_model()
    ids = set(Person.objects.filter(unit_id__in=unit_ids, user__isnull=False).values_list("user_id", flat=True))
    ids |= set(RoleAssignment.objects.filter(role=Role.UNIT, unit_id__in=unit_ids).values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def notice_readers(notice):
    """The people of the notice's unit who may open it (supervision.access): a message links to the notice, and a
    person of that unit in another role (the 发改局's analysis office) must not get a link that answers 403."""
    return [user for user in unit_users([notice.unit_id]) if access.visible_notices(user).filter(pk=notice.pk).exists()]


def escalation_users(notice):
    """The task's responsible leader (a Person with an account); else the leaders of the notice's region."""
    leader = notice.task.leader or notice.leader
    if leader is not None and leader.user_id and leader.user.is_active:
        return [leader.user]
    User = get_user_model()
    ids = RoleAssignment.objects.filter(role=Role.LEADER, region=notice.region).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def notify(users, subject, body, *, key, day, link="", actor=None, units=(), regions=()):
    """Queue one in-app message to each user (an e-mail copy by their 消息设置), once per user, subject key and day,
    and one message to each active robot of these units and regions, @ing the users (notify.services.queue_robots:
    the event's unit; an escalation the region's). Returns how many were new."""
    new = 0
    dedupe_key, kind = f"sv:{key}:{day.isoformat()}", supervision_kind(key)
    for user in users:
        _, created = queue_message(user, subject, body, link=link, dedupe_key=f"{dedupe_key}:u{user.pk}",
                                   actor=actor, kind=kind)
        new += created
    new += queue_robots(subject, body, dedupe_key=dedupe_key, units=units, regions=regions, link=link, actor=actor,
                        kind=kind, mention=users)
    return new


def _link(notice):
    from django.urls import reverse

    return reverse("supervision:notice", args=[notice.pk])


def _add_step(notice, kind, text, on, actor):
    return NoticeStep.objects.create(notice=notice, kind=kind, text=text, on=on,
                                     by=actor if _person(actor) else None)


# --- actions --------------------------------------------------------------------------------------------------------

def _next_serial(year):
    NoticeCounter.objects.bulk_create([NoticeCounter(year=year, last=0)], ignore_conflicts=True)
    counter = NoticeCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def open_notice(actor, task, *, milestone=None, on=None, reply_due=None, reason=None, source=NoticeSource.MANUAL):
    """Open a notice on a task (optionally one milestone), to its lead unit, copied to its responsible units.

    The number 督办〔year〕N号 comes from the year's counter, locked until the notice is saved: no gaps, no repeats.
    One open notice per task (a partial unique constraint: two sweeps at once cannot open two)."""
    on = on or _today()
    if _person(actor):
        access.require_opener(actor, task)
    if milestone is not None and milestone.task_id != task.pk:
        raise Rejected(f"节点「{milestone.number} {milestone.title}」不属于该重点任务")
    reply_due = reply_due or reply_due_for(on)
    if reply_due <= on:
        raise Rejected(f"答复时限（{day_label(reply_due)}）应晚于开具日期（{day_label(on)}）")
    reason = (reason if reason is not None else default_reason(task, on, milestone)).strip()
    if not reason:
        raise Rejected("督办事由不能为空")
    if len(reason) > MAX_TEXT:
        raise Rejected(f"督办事由过长（最多 {MAX_TEXT} 字）")
    try:
        with transaction.atomic():
            serial = _next_serial(on.year)
            # Checked after taking the counter's lock: a notice opened meanwhile by someone else is seen here.
            _refuse_second_open(task)
            leader = task.leader
            notice = Notice.objects.create(
                year=on.year, serial=serial, task=task, milestone=milestone, unit=task.lead_unit,
                leader=leader, leader_name=task.leader_name or (leader.name if leader else ""),
                region=office_region(task.lead_unit), reason=reason, opened_on=on, reply_due=reply_due,
                source=source, opened_by=actor if _person(actor) else None)
            notice.copied_units.set(queries.responsible_unit_ids(task))
            _add_step(notice, StepKind.OPENED, reason, on, actor)
            record(actor, "开具督办单", notice, after=snapshot(notice, NOTICE_FIELDS))
            notice.reminders_queued = remind_awaiting(notice, on, "opened", actor=actor)
    except IntegrityError:
        _refuse_second_open(task)
        raise
    return notice


def _refuse_second_open(task):
    existing = Notice.objects.filter(task=task, state__in=OPEN_STATES).first()
    if existing is not None:
        raise Rejected(f"重点任务「{task.number} {task.title}」已有未办结的督办单（{existing.number}），"
                       "办结后才能再开")


def _locked(notice):
    return (Notice.objects.select_for_update(of=("self",)).select_related("task", "task__leader", "unit", "region")
            .get(pk=notice.pk))


def _text(text, label, required=True):
    text = (text or "").strip()
    if required and not text:
        raise Rejected(f"{label}不能为空")
    if len(text) > MAX_TEXT:
        raise Rejected(f"{label}过长（最多 {MAX_TEXT} 字）")
    return text


@transaction.atomic
def reply(actor, notice, text, *, on=None, attachments=()):
    """The unit answers (待答复 or 退回 → 已答复), with files if it likes (the same kinds and sizes as a progress
    report's, work.services.check_attachment)."""
    on = on or _today()
    text = _text(text, "答复内容")
    problems = work_services.attachment_problems(attachments)
    if problems:
        raise Rejected(problems)
    notice = _locked(notice)
    if _person(actor):
        access.require_answerer(actor, notice)
    if notice.state == NoticeState.REPLIED:
        raise Rejected(f"{notice.number}已答复，等待督查室审核，不能重复答复")
    if notice.state == NoticeState.CLOSED:
        raise Rejected(f"{notice.number}已办结，不能再答复")
    if on < notice.opened_on:
        raise Rejected(f"答复日期不能早于开具日期（{day_label(notice.opened_on)}）")
    before = snapshot(notice, NOTICE_FIELDS)
    notice.state = NoticeState.REPLIED
    notice.replied_on = on
    notice.first_replied_on = notice.first_replied_on or on
    notice.save(update_fields=["state", "replied_on", "first_replied_on"])
    step = _add_step(notice, StepKind.REPLIED, text, on, actor)
    for upload in attachments:
        attachment = StepAttachment(step=step, name=upload.name[:200], size=upload.size)
        attachment.file.save(Path(upload.name).name, upload, save=False)
        attachment.save()
    record(actor, "答复督办单", notice, before=before, after={**snapshot(notice, NOTICE_FIELDS),
                                                          "attachments": [a.name for a in attachments]})
    return notice


def _decide(actor, notice, on, new_state, action):
    notice = _locked(notice)
    if _person(actor):
        access.require_decider(actor, notice)
    if notice.state == NoticeState.CLOSED:
        raise Rejected(f"{notice.number}已办结，不能再{action}")
    if notice.state != NoticeState.REPLIED:
        raise Rejected(f"{notice.number}尚未收到答复（{notice.get_state_display()}），不能{action}")
    if on < (notice.replied_on or notice.opened_on):
        raise Rejected(f"{action}日期不能早于答复日期（{day_label(notice.replied_on)}）")
    before = snapshot(notice, NOTICE_FIELDS)
    notice.state = new_state
    notice.save(update_fields=["state"])
    return notice, before


@transaction.atomic
def return_notice(actor, notice, text, *, on=None):
    """The office sends the answer back (已答复 → 退回); the unit answers again within a new deadline (redo_due, as
    many working days from the return as the first answer had), which the sweep escalates like the first. reply_due
    stays: the first answer was judged by it."""
    on = on or _today()
    text = _text(text, "退回理由")
    notice, before = _decide(actor, notice, on, NoticeState.RETURNED, "退回")
    notice.returned_on, notice.redo_due = on, reply_due_for(on)
    notice.save(update_fields=["returned_on", "redo_due"])
    due = f"请于{day_label(notice.redo_due)}前重新答复"
    _add_step(notice, StepKind.RETURNED, f"{text}（{due}）", on, actor)
    record(actor, "退回督办单", notice, before=before, after=snapshot(notice, NOTICE_FIELDS), note=text[:200])
    notify(notice_readers(notice), f"{notice.number}被退回，{due}", text, key=f"n{notice.pk}:returned",
           day=on, link=_link(notice), actor=actor, units=[notice.unit_id])
    return notice


@transaction.atomic
def accept(actor, notice, text="", *, on=None):
    """The office accepts the answer (已答复 → 已办结)."""
    on = on or _today()
    text = _text(text, "办结意见", required=False)
    notice, before = _decide(actor, notice, on, NoticeState.CLOSED, "办结")
    _add_step(notice, StepKind.ACCEPTED, text or "同意办结", on, actor)
    record(actor, "办结督办单", notice, before=before, after=snapshot(notice, NOTICE_FIELDS))
    return notice


def is_overdue_for_reply(notice, on):
    """Waiting for an answer past its deadline: the first past reply_due, or the next after a return past redo_due
    (models.overdue_for_reply says the same in SQL)."""
    if notice.state == NoticeState.PENDING:
        return notice.first_replied_on is None and notice.reply_due < on
    return notice.state == NoticeState.RETURNED and notice.redo_due is not None and notice.redo_due < on


def escalatable(notice, on):
    """Overdue for its answer and not escalated for it yet: what the sweep raises, and the office may raise at once."""
    return is_overdue_for_reply(notice, on) and not escalated_this_round(notice)


def escalated_this_round(notice):
    """Escalated already for the answer it now waits for (a return starts a new round)."""
    if notice.escalated_on is None:
        return False
    return notice.state != NoticeState.RETURNED or notice.escalated_on >= notice.returned_on


@dataclass
class Escalation:
    notice: Notice
    users: list  # the leaders told
    queued: int  # messages newly queued (to the leaders and the unit)


@transaction.atomic
def escalate(actor, notice, *, on=None):
    """Raise a notice not answered by its reply_due to the task's leader (or the region's leaders), once: by the
    daily sweep (actor None) or by the office at once (a person: refused in Chinese when there is nothing to raise).
    Returns an Escalation, or None when there is nothing to do (answered, not yet due, escalated already)."""
    on = on or _today()
    notice = _locked(notice)
    if _person(actor):
        access.require_decider(actor, notice)
        if escalated_this_round(notice):
            raise Rejected(f"{notice.number}已于{day_label(notice.escalated_on)}升级督办")
        if not is_overdue_for_reply(notice, on):
            raise Rejected(f"{notice.number}未逾期（答复时限{day_label(notice.answer_due)}），不能升级督办")
    if not escalatable(notice, on):
        return None
    users = escalation_users(notice)
    before = snapshot(notice, NOTICE_FIELDS)
    notice.escalated_on = on
    notice.save(update_fields=["escalated_on"])
    names = "、".join(u.get_full_name() or u.username for u in users) or "（无可通知的领导账号）"
    leader = notice.task.leader or notice.leader
    if not (leader is not None and leader.user_id and leader.user.is_active) and notice.leader_name:
        names = f"{notice.region.name}领导{names}（责任领导{notice.leader_name}未开通账号）"
    after_return = "退回后" if notice.state == NoticeState.RETURNED else ""
    text = f"{notice.unit.name}{after_return}逾期未答复（答复时限{day_label(notice.answer_due)}），升级督办，报{names}"
    _add_step(notice, StepKind.ESCALATED, text, on, actor)
    record(actor, "升级督办", notice, before=before, after=snapshot(notice, NOTICE_FIELDS))
    queued = notify(users, f"升级督办：{notice.number} {notice.task.title}", text, key=f"n{notice.pk}:escalated",
                    day=on, link=_link(notice), actor=actor, regions=[notice.region_id])
    queued += remind_awaiting(notice, on, "escalated", actor=actor)
    return Escalation(notice, users, queued)


REMIND_SUBJECTS = {
    "opened": "收到督办单{number}，请于{due}前答复",
    "due_tomorrow": "督办单{number}明日到期，请于{due}前答复",
    "escalated": "督办单{number}逾期未答复，已升级督办",
    "manual": "督办单{number}待答复，请于{due}前答复",
}


def remind_awaiting(notice, on, occasion, actor=None):
    """Remind the unit of a notice awaiting its answer (on opening, the working day before reply_due, on
    escalation): once per person and day. A reminder sent adds a 提醒 step. Returns how many messages were new."""
    subject = REMIND_SUBJECTS[occasion].format(number=notice.number, due=day_label(notice.answer_due))
    body = f"重点任务「{notice.task.number} {notice.task.title}」。{notice.reason}"
    new = notify(notice_readers(notice), subject, body, key=f"n{notice.pk}:{occasion}", day=on,
                 link=_link(notice), actor=actor, units=[notice.unit_id])
    if new and occasion != "opened":
        _add_step(notice, StepKind.REMINDED, subject, on, actor)
    return new


@transaction.atomic
def remind(actor, notice, *, on=None):
    """Remind the unit of an open notice by hand (the office) or from the sweep; once a day."""
    on = on or _today()
    if _person(actor):
        access.require_decider(actor, notice)
    if notice.state not in (NoticeState.PENDING, NoticeState.RETURNED):
        raise Rejected(f"{notice.number}{notice.get_state_display()}，无需提醒答复")
    return remind_awaiting(notice, on, "manual", actor=actor)
