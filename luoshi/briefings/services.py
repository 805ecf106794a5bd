"""Every write to meetings, sections and follow-up items: atomic, audited, Chinese errors. Views, API, demo call these."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.briefings import access
from luoshi.briefings.models import (DOC_NUMBER_MAX, ISSUER_MAX, OVERVIEW_TEXT_MAX, SECTION_TEXT_MAX, FollowUp, Meeting,
                                     MeetingState, Overview, Section)
from luoshi.core.periods import PeriodError, parse_day, parse_period, period_code
from luoshi.core.problems import Rejected
from luoshi.indicators.responsibility import responsible_units
from luoshi.notify.services import queue_message, queue_robots
from luoshi.orgs.models import RoleAssignment, Role
from luoshi.orgs.queries import acting_label
from luoshi.work import services as work_services

TITLE_MAX = 80  # the campaign "会议确定事项（<title>）" must fit in 100 characters
SECTION_FIELDS = {"completion_text": "完成情况", "reasons_text": "原因分析", "measures_text": "下步措施"}


def _person(actor):
    return getattr(actor, "is_authenticated", False)


def campaign_name(meeting):
    return f"会议确定事项（{meeting.title}）"


def parse_meeting_period(raw):
    try:
        return period_code(parse_period(str(raw or "").strip()))
    except PeriodError as error:
        raise Rejected(f"数据期间：{error}")


@transaction.atomic
def open_meeting(actor, *, title, held_on, region, period, sections_due):
    """The analysis office (or a leader, or the supervision office) opens a meeting of its region: the responsible
    unit of each indicator is asked for its sections by `sections_due`."""
    title = (title or "").strip()
    problems = []
    if not title:
        problems.append("会议名称不能为空")
    elif len(title) > TITLE_MAX:
        problems.append(f"会议名称不能超过{TITLE_MAX}个字")
    try:
        held_on = parse_day(held_on, "会议日期")
    except Rejected as error:
        problems.extend(error.messages)
        held_on = None
    try:
        sections_due = parse_day(sections_due, "材料报送截止日期")
    except Rejected as error:
        problems.extend(error.messages)
        sections_due = None
    try:
        period = parse_meeting_period(period)
    except Rejected as error:
        problems.extend(error.messages)
    if held_on and sections_due and sections_due > held_on:
        problems.append("材料报送截止日期不能晚于会议日期")
    if title and Meeting.objects.filter(title=title).exists():
        problems.append(f"已有名为「{title}」的会议，请换一个名称（如加上地区或日期）")
    if problems:
        raise Rejected(problems)
    if _person(actor):
        access.require_organiser(actor, region)
    meeting = Meeting.objects.create(title=title, held_on=held_on, region=region, period=period,
                                     sections_due=sections_due, state=MeetingState.COLLECTING,
                                     opened_by=actor if _person(actor) else None)
    record(actor, "召开经济形势分析会", meeting, after={"title": title, "held_on": str(held_on), "region": region.code,
                                                   "period": period, "sections_due": str(sections_due)})
    _ask_units(meeting, "opened")
    return meeting


def _unit_users(unit_ids):
    by_unit = {}
    for a in RoleAssignment.objects.filter(role=Role.UNIT, unit_id__in=unit_ids).select_related("user"):
        if a.user.is_active:
            by_unit.setdefault(a.unit_id, []).append(a.user)
    return by_unit


def _ask_units(meeting, occasion, only_missing=False):
    """Queue a message to every responsible unit's people (those still missing a section, for a reminder);
    the dedupe key makes a second call for the same occasion queue nothing."""
    owners = responsible_units(meeting.region)
    done = set(Section.objects.filter(meeting=meeting, is_current=True).values_list("indicator_id", "unit_id"))
    wanted = {}
    for indicator_id, unit in owners.items():
        if only_missing and (indicator_id, unit.pk) in done:
            continue
        wanted.setdefault(unit.pk, []).append(indicator_id)
    if not wanted:
        return 0
    from luoshi.indicators.models import Indicator

    names = dict(Indicator.objects.values_list("pk", "name"))
    link = reverse("briefings:meeting", args=[meeting.pk])
    queued = 0
    due = f"{meeting.sections_due.month}月{meeting.sections_due.day}日"
    people = _unit_users(wanted)
    for unit_id in sorted(wanted):
        users = people.get(unit_id, [])
        indicators = "、".join(names[i] for i in sorted(wanted[unit_id], key=lambda i: names[i]))
        if occasion == "opened":
            subject = f"请于{due}前报送{meeting.title}材料"
        else:
            subject = f"提醒：{meeting.title}材料明天（{due}）截止"
        body = f"请在落实系统中填写以下指标的完成情况、原因和下步措施：{indicators}。"
        for user in users:
            _, created = queue_message(user, subject, body, link=link,
                                       dedupe_key=f"briefings:{meeting.pk}:{occasion}:{unit_id}:{user.pk}")
            queued += created
        # The unit's group robots: one message per robot, @ing the people told (notify.services.queue_robots).
        queued += queue_robots(subject, body, units=[unit_id], link=link, mention=users,
                               dedupe_key=f"briefings:{meeting.pk}:{occasion}:{unit_id}")
    return queued


def remind_sections(on=None):
    """Reminders the day before the sections are due, to the units that have not submitted (the sweep calls this
    daily; calling it twice on a day queues nothing more). Returns how many messages were queued."""
    on = on or timezone.localdate()
    queued = 0
    for meeting in Meeting.objects.filter(state=MeetingState.COLLECTING, sections_due=on + timedelta(days=1)):
        queued += _ask_units(meeting, f"due-{meeting.sections_due}", only_missing=True)
    return queued


@transaction.atomic
def set_state(actor, meeting, state):
    if state not in MeetingState.values:
        raise Rejected(f"未知的会议状态：{str(state)[:20]}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if _person(actor):
        access.require_organiser(actor, meeting.region)
    if meeting.state == state:
        return meeting
    before = meeting.state
    meeting.state = state
    meeting.save(update_fields=["state"])
    record(actor, "结束会议材料征集" if state == MeetingState.CLOSED else "修改会议状态", meeting,
           before={"state": before}, after={"state": state})
    return meeting


@transaction.atomic
def publish(actor, meeting, published=True):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if _person(actor):
        access.require_organiser(actor, meeting.region)
    if meeting.published != bool(published):
        meeting.published = bool(published)
        meeting.save(update_fields=["published"])
        record(actor, "向责任单位发布会议材料" if published else "撤回会议材料发布", meeting, after={"published": meeting.published})
    return meeting


PROXY_SOURCE_MAX = 200


@transaction.atomic
def submit_section(actor, meeting, indicator, unit, *, completion_text="", reasons_text="", measures_text="", now=None,
                   on_behalf=False, proxy_source=""):
    """A unit writes (or rewrites) its section for one indicator: a new version; the earlier ones stay.

    `on_behalf` (代报): the region's analysis or supervision office writes it for a unit without an account
    (access.section_proxy_refusal); `proxy_source` says how the unit sent it (据…电话报送, optional)."""
    texts = {"completion_text": completion_text, "reasons_text": reasons_text, "measures_text": measures_text}
    problems = []
    proxy_source = str(proxy_source or "").strip() if on_behalf else ""
    if len(proxy_source) > PROXY_SOURCE_MAX:
        problems.append(f"报送来源不能超过{PROXY_SOURCE_MAX}个字（现有{len(proxy_source)}个字）")
    for field, label in SECTION_FIELDS.items():
        texts[field] = str(texts[field] or "").replace("\r\n", "\n").strip()
        if len(texts[field]) > SECTION_TEXT_MAX:
            problems.append(f"{label}不能超过{SECTION_TEXT_MAX}字（现有{len(texts[field])}字）")
    if not any(texts.values()):
        problems.append("完成情况、原因分析、下步措施至少填写一项")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == MeetingState.CLOSED:
        raise Rejected(f"{meeting.title}已结束，不再接收材料")
    owner = responsible_units(meeting.region).get(indicator.pk)
    if owner is None or owner.pk != unit.pk:
        raise Rejected(f"{unit.name}不是{meeting.region.name}{indicator.name}的责任单位，不能报送该指标的材料")
    if on_behalf:
        if not _person(actor):
            raise Rejected("代报须由发改局或督查室人员登录后操作")
        access.require_section_proxy(actor, meeting, unit)
    elif _person(actor) and not access.access_for(actor).is_admin and unit not in access.writing_units(actor, meeting):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(f"您不能以{unit.name}的名义报送材料")
    if problems:
        raise Rejected(problems)
    proxy_label = acting_label(actor) if on_behalf else ""
    current = Section.objects.select_for_update().filter(meeting=meeting, indicator=indicator, unit=unit,
                                                         is_current=True).first()
    if current is not None and all(getattr(current, f) == texts[f] for f in SECTION_FIELDS) \
            and (current.proxy_label, current.proxy_source) == (proxy_label, proxy_source):
        return current, False
    version = 1
    if current is not None:
        version = (Section.objects.filter(series=current.series).aggregate(v=Max("version"))["v"] or 0) + 1
        Section.objects.filter(pk=current.pk).update(is_current=False)
    section = Section.objects.create(meeting=meeting, indicator=indicator, unit=unit, version=version, is_current=True,
                                     series=current.series if current else None,
                                     submitted_by=actor if _person(actor) else None,
                                     submitted_at=now or timezone.now(), proxy_by=actor if on_behalf else None,
                                     proxy_label=proxy_label, proxy_source=proxy_source, **texts)
    if current is None:
        section.series = section.pk
        section.save(update_fields=["series"])
    after = {"meeting": meeting.pk, "indicator": indicator.code, "unit": unit.code, "version": version}
    if on_behalf:
        after.update(proxy_label=section.proxy_text, proxy_source=proxy_source)
    action = "报送会议材料" if version == 1 else "修改会议材料（新版本）"
    record(actor, f"{action}（代报）" if on_behalf else action, section, after=after,
           note=f"{section.proxy_text}：{unit.name}未开通账号" if on_behalf else "")
    return section, True


@transaction.atomic
def add_follow_up(actor, meeting, *, title, lead_unit, deadline, responsible_units_=(), leader_name=""):
    """Record a decision of the meeting (会议确定事项): a task in the campaign "会议确定事项（<title>）", led by
    `lead_unit`, due on `deadline` with a milestone due that day (so it can turn late), the meeting as its source."""
    title = (title or "").strip()
    problems = []
    if not title:
        problems.append("事项内容不能为空")
    elif len(title) > 300:
        problems.append("事项内容不能超过300字")
    try:
        deadline = parse_day(deadline, "完成时限")
    except Rejected as error:
        problems.extend(error.messages)
        deadline = None
    if lead_unit is None:
        problems.append("牵头单位不能为空")
    elif not meeting.region.contains(lead_unit.region):
        problems.append(f"牵头单位「{lead_unit.name}」不属于{meeting.region.name}")
    if deadline and deadline < meeting.held_on:
        problems.append(f"完成时限 {deadline} 早于会议日期 {meeting.held_on}")
    if problems:
        raise Rejected(problems)
    if _person(actor):
        access.require_follow_up_recorder(actor, meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # numbers of one meeting are given one at a time
    campaign = work_services.save_campaign(actor, name=campaign_name(meeting), order=1000, source="meeting")
    if campaign.source != "meeting":
        raise Rejected(f"已有同名的攻坚战「{campaign.name}」，不能用作会议确定事项")
    n = FollowUp.objects.filter(meeting=meeting).count() + 1
    number = f"HY{meeting.pk}-{n}"
    task, _ = work_services.save_task(actor, campaign=campaign, number=number, title=title, lead_unit=lead_unit,
                                      start=meeting.held_on, deadline=deadline, responsible_units=list(responsible_units_),
                                      leader_name=leader_name, order=n)
    work_services.save_milestone(actor, task=task, number=f"{number}.1", title=f"完成：{title}"[:300], due=deadline,
                                 start=meeting.held_on, order=1)
    follow_up = FollowUp.objects.create(meeting=meeting, task=task, number=number, title=title,
                                        created_by=actor if _person(actor) else None)
    record(actor, "记录会议确定事项", follow_up, after={"meeting": meeting.pk, "task": number, "title": title,
                                                    "lead_unit": lead_unit.code, "deadline": str(deadline)})
    return follow_up


OVERVIEW_FIELDS = {"features_text": "运行特点", "problems_text": "存在问题", "suggestions_text": "下步建议"}


def _overview_text(text):
    """Paragraphs one a line, blank lines and the spaces around each dropped."""
    lines = str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


@transaction.atomic
def save_overview(actor, meeting, *, issuer, doc_number="", features_text, problems_text, suggestions_text, now=None):
    """The analysis office saves the pack's cover (发文单位, 文号) and overview (运行特点、存在问题、下步建议) of a
    meeting: a new version; the earlier ones stay. Returns (overview, changed): the same text again makes none."""
    values = {"issuer": " ".join(str(issuer or "").split()), "doc_number": " ".join(str(doc_number or "").split()),
              **{field: _overview_text(text) for field, text in (("features_text", features_text),
                                                                 ("problems_text", problems_text),
                                                                 ("suggestions_text", suggestions_text))}}
    problems = []
    if not values["issuer"]:
        problems.append("发文单位不能为空")
    elif len(values["issuer"]) > ISSUER_MAX:
        problems.append(f"发文单位不能超过{ISSUER_MAX}个字")
    if len(values["doc_number"]) > DOC_NUMBER_MAX:
        problems.append(f"文号不能超过{DOC_NUMBER_MAX}个字")
    for field, label in OVERVIEW_FIELDS.items():
        if not values[field]:
            problems.append(f"{label}不能为空")
        elif len(values[field]) > OVERVIEW_TEXT_MAX:
            problems.append(f"{label}不能超过{OVERVIEW_TEXT_MAX}字（现有{len(values[field])}字）")
    if problems:
        raise Rejected(problems)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)  # one edit of a meeting at a time
    if _person(actor):
        access.require_overview_editor(actor, meeting)
    current = Overview.objects.filter(meeting=meeting, is_current=True).first()
    if current is not None and all(getattr(current, key) == value for key, value in values.items()):
        return current, False
    version = 1
    if current is not None:
        version = (Overview.objects.filter(series=current.series).aggregate(v=Max("version"))["v"] or 0) + 1
        Overview.objects.filter(pk=current.pk).update(is_current=False)
    overview = Overview.objects.create(meeting=meeting, version=version, is_current=True,
                                       series=current.series if current else None,
                                       written_by=actor if _person(actor) else None,
                                       written_at=now or timezone.now(), **values)
    if current is None:
        overview.series = overview.pk
        overview.save(update_fields=["series"])
    record(actor, "编辑会议材料综述" if version == 1 else "修改会议材料综述（新版本）", overview,
           before={key: getattr(current, key) for key in values} if current else None,
           after={"meeting": meeting.pk, "version": version, **values})
    return overview, True
