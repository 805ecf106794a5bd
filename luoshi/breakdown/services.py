"""Every write of the breakdown: atomic, audited, Chinese errors. The campaign, tasks and milestones are written
through work.services (save_campaign / save_task / save_milestone / set_plan), as briefings writes its follow-ups.

A first import creates the campaign "2026年政府工作报告重点工作" (source "breakdown"; with the region's name before it when
that name is taken), a task per item numbered 2026-370115-001 (its milestones .1, .2 …), and sets the campaign's plan:
from then on a changed date in an amended 方案 is a re-baseline request (work.services), approved by a leader.
Re-importing the same document writes nothing; an amended one adds, changes (titles, units, leaders at once; dates by
request) and marks withdrawn (the task stays, with its history)."""

import hashlib

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.breakdown import access, document, queries, reader, rules
from luoshi.breakdown.models import Item, Plan, Reading, UnitAlias
from luoshi.core.problems import Problem, Rejected
from luoshi.orgs.models import Unit
from luoshi.work import queries as work_queries
from luoshi.work import services as work_services

FIRST_YEAR, LAST_YEAR = 2000, 2100
REASON = "任务分解方案修订"
# Two-tier reporting of a breakdown campaign (work.rules.input_due_day): the cooperating units report to the lead unit
# by the 20th, the lead unit to the office by the 25th; the office may change both on 重点工作's page.
INPUT_DUE_DAY, REPORT_DUE_DAY = 20, 25
ITEM_FIELDS = ["section", "number", "title", "text", "lead", "responsible", "cooperating", "leader", "deadline_text",
               "dues", "quarterly", "order", "withdrawn_on"]
CORRECTABLE = {"lead": 500, "responsible": 1000, "cooperating": 1000, "deadline": 200, "leader": 100}


def _person(actor):
    return getattr(actor, "is_authenticated", False)


def check_year(year):
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        raise Rejected("年度应为四位数字，如 2026")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Rejected(f"年度应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
    return year


def read_document(data, filename):
    """The items of a 方案 file as read (no database), or Rejected: not a 方案, unreadable, beyond the limits."""
    blocks = document.read_blocks(data, filename)
    items, problems = reader.read(blocks)
    if problems:
        raise Rejected(problems)
    return items


@transaction.atomic
def read_plan(actor, *, data, filename, region, year):
    """Keep an uploaded 方案 as read, for the office to review (nothing else is written)."""
    if _person(actor):
        access.require_importer(actor, region)
    year = check_year(year)
    items = read_document(data, filename)
    reading = Reading.objects.create(region=region, year=year, filename=(filename or "")[:200],
                                     digest=hashlib.sha256(data).hexdigest(), items=items,
                                     uploaded_by=actor if _person(actor) else None)
    record(actor, "读取任务分解方案", reading, after={"filename": reading.filename, "digest": reading.digest,
                                                "region": region.code, "year": year, "items": len(items)})
    return reading


def _open(reading):
    reading = Reading.objects.select_for_update().select_related("region").get(pk=reading.pk)
    if reading.saved_at is not None:
        raise Rejected(f"该方案已于 {timezone.localtime(reading.saved_at):%Y-%m-%d %H:%M} 导入，不能再更正；如需修改请重新上传")
    return reading


@transaction.atomic
def correct_item(actor, reading, index, *, lead=None, responsible=None, cooperating=None, deadline=None, leader=None,
                 skip=None):
    """The office's correction of one item before saving: its units (names as written, separated by 、), its deadline
    phrase, its leader, or not importing it (skip). Arguments left None stay as read."""
    if _person(actor):
        access.require_importer(actor, reading.region)
    reading = _open(reading)
    if not isinstance(index, int) or not 0 <= index < len(reading.items):
        raise Rejected("没有这一项")
    problems = []
    given = {"lead": lead, "responsible": responsible, "cooperating": cooperating, "deadline": deadline,
             "leader": leader}
    for key, value in given.items():
        if value is not None and len(str(value)) > CORRECTABLE[key]:
            problems.append(f"{queries.ROLE_LABELS.get(key, {'deadline': '完成时限', 'leader': '牵头负责领导'}.get(key))}"
                            f"过长（最多 {CORRECTABLE[key]} 个字）")
    if problems:
        raise Rejected(problems)
    items = list(reading.items)
    item = dict(items[index])
    before = {k: item.get(k) for k in ("lead", "responsible", "cooperating", "deadline", "leader", "skip")}
    for key in ("lead", "responsible", "cooperating"):
        if given[key] is not None:
            item[key] = [name for name, _ in rules.split_units(given[key])]
    if deadline is not None:
        item["deadline"] = deadline.strip()
    if leader is not None:
        item["leader"] = rules.leader_name(leader)
    if skip is not None:
        item["skip"] = bool(skip)
    after = {k: item.get(k) for k in before}
    if after == before:
        return reading
    item["corrected"] = True
    items[index] = item
    reading.items = items
    reading.save(update_fields=["items"])
    record(actor, "更正方案事项", reading, before=before, after=after,
           note=f"{item.get('where', '')} {item.get('number', '')} {item.get('title', '')}"[:255])
    return reading


def _rejected(review):
    return Rejected([Problem(f"{where}：{message}") for where, message in review.problems])


@transaction.atomic
def save_reading(actor, reading, today=None):
    """Import a reviewed reading in one transaction: refused (nothing saved) while an item to import has a problem.
    Returns the summary (counts, the re-baseline requests made, the campaign)."""
    if _person(actor):
        access.require_importer(actor, reading.region)
    reading = _open(reading)
    today = today or timezone.localdate()
    review = queries.review(reading.region, reading.year, reading.items, reading, today=today)
    if review.problems:
        raise _rejected(review)
    if not any(not e.skip for e in review.items):
        raise Rejected("没有要导入的事项（全部标记为不导入）")
    summary = apply(actor, reading.region, reading.year, review, today)
    reading.saved_at = timezone.now()
    reading.summary = summary
    reading.save(update_fields=["saved_at", "summary"])
    record(actor, "导入任务分解方案", reading, after=summary)
    return summary


def campaign_name(region, year):
    """The campaign's name: 2026年政府工作报告重点工作, or with the region's name first when another plan (or another
    campaign with tasks) has that name."""
    plain = f"{year}年政府工作报告重点工作"
    for name in (plain, f"{region.name}{plain}"):
        if not Plan.objects.filter(campaign__name=name).exists() and not _tasks(Q(campaign__name=name)).exists():
            return name
    raise Rejected(f"已有名为「{plain}」和「{region.name}{plain}」的攻坚战，不能用作{region.name}{year}年的任务分解方案")


def _tasks(q):
    return work_queries.tasks_in_view(q)[0]


def task_number(region, year, seq):
    return f"{year}-{region.code}-{seq:03d}"


def apply(actor, region, year, review, today):
    """Write a review: the plan and its campaign (first time), each item added, changed or withdrawn."""
    plan = review.plan
    created = plan is None
    if created:
        campaign = work_services.save_campaign(actor, name=campaign_name(region, year), order=0, source="breakdown",
                                               report_due_day=REPORT_DUE_DAY, input_due_day=INPUT_DUE_DAY)
        if campaign.source != "breakdown":
            raise Rejected(f"已有同名的攻坚战「{campaign.name}」，不能用作任务分解方案")
        plan = Plan.objects.create(region=region, year=year, campaign=campaign, first_imported_on=today)
        record(actor, "新增任务分解方案", plan, after={"region": region.code, "year": year, "campaign": campaign.name})
    counts = {"added": 0, "changed": 0, "unchanged": 0, "withdrawn": 0, "skipped": 0}
    requested = []
    next_seq = (Item.objects.filter(plan=plan).order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    kept = [e for e in review.items if not e.skip]
    counts["skipped"] = len(review.items) - len(kept)
    numbers = [task_number(region, year, next_seq + i) for i in range(len(kept))]
    clash = set(_tasks(Q(number__in=numbers)).values_list("number", flat=True))
    for order, entry in enumerate(kept, start=1):
        if entry.status == "unchanged":
            if entry.item.order != order:
                _save_item(actor, entry.item, {"order": order})
            counts["unchanged"] += 1
            continue
        if entry.item is None:
            number = task_number(region, year, next_seq)
            if number in clash:
                raise Rejected(f"序号 {number} 已被其他重点任务使用，无法导入")
            _add(actor, plan, entry, number, next_seq, order, year)
            next_seq += 1
            counts["added"] += 1
        else:
            _change(actor, plan, entry, order, year, requested)
            counts["changed"] += 1
    for item in review.withdrawn:
        _save_item(actor, item, {"withdrawn_on": today}, action="撤回方案事项")
        counts["withdrawn"] += 1
    if created:
        work_services.set_plan(actor, plan.campaign)
    return {**counts, "campaign": plan.campaign.name, "campaign_id": plan.campaign_id, "plan": plan.pk,
            "requests": [{"target": r.target_label, "old_due": r.old_due.isoformat(), "new_due": r.new_due.isoformat()}
                         for r in requested]}


def _units_for_task(entry):
    return {"lead_unit": entry.lead[0], "responsible_units": entry.lead[1:] + entry.responsible,
            "cooperating_units": entry.cooperating}


def _item_values(entry, order):
    source = entry.source
    return {"section": (source.get("section") or "")[:300], "number": (source.get("number") or "")[:40],
            "title": source["title"][:300], "text": source.get("text") or "",
            "lead": [u.code for u in entry.lead], "responsible": [u.code for u in entry.responsible],
            "cooperating": [u.code for u in entry.cooperating], "leader": (source.get("leader") or "")[:100],
            "deadline_text": (source.get("deadline") or "")[:200], "dues": [d.isoformat() for d, _ in entry.nodes],
            "quarterly": bool(entry.deadline.quarterly), "order": order, "withdrawn_on": None}


def _save_task(actor, plan, entry, number, order, year, requested=None):
    source = entry.source
    leader = source.get("leader") or ""
    task, _ = work_services.save_task(
        actor, campaign=plan.campaign, number=number, title=source["title"][:300], start=queries.task_start(
            year, plan.first_imported_on, min([due for due, _ in entry.nodes] or [entry.due])),
        deadline=entry.due, leader_name=leader[:100], leader=queries.leader_person(plan.region, leader), order=order,
        reason=REASON, requested=requested, **_units_for_task(entry))
    for k, (due, title) in enumerate(entry.nodes, start=1):
        work_services.save_milestone(actor, task=task, number=f"{number}.{k}", title=title, due=due, order=k,
                                     reason=REASON, requested=requested)
    return task


def _add(actor, plan, entry, number, seq, order, year):
    task = _save_task(actor, plan, entry, number, order, year)
    item = Item.objects.create(plan=plan, seq=seq, task=task, **_item_values(entry, order))
    record(actor, "新增方案事项", item, after={"task": number, **_item_values(entry, order)})
    return item


def _change(actor, plan, entry, order, year, requested):
    item = entry.item
    before = len(requested)
    _save_task(actor, plan, entry, item.task.number, order, year, requested)
    values = _item_values(entry, order)
    if len(requested) > before:
        values["dues"] = item.dues  # the dates move once the requests are approved (work's 调整计划)
    _save_item(actor, item, values)


def _save_item(actor, item, values, action="修改方案事项"):
    before = {k: getattr(item, k) for k in values}
    for key, value in values.items():
        setattr(item, key, value)
    after = {k: getattr(item, k) for k in values}
    if before == after:
        return item
    item.save()
    changed = [k for k in after if before[k] != after[k]]
    record(actor, action, item, before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return item


# --- the command line and the API: read and save in one go ---------------------------------------------------------

def import_document(actor, *, data, filename, region, year, dry_run=False, today=None):
    """`luoshi breakdown import`: read, evaluate, and (without dry_run, when there are no problems and something
    changed) save in one transaction. Returns the CLI contract's dict (tasks, problems, saved) and the summary."""
    year = check_year(year)
    if _person(actor):
        access.require_importer(actor, region)
    today = today or timezone.localdate()
    items = read_document(data, filename)
    review = queries.review(region, year, items, today=today)
    result = {"tasks": [_task_json(e) for e in review.items],
              "problems": [{"where": where, "message": message} for where, message in review.problems],
              "saved": False, "unchanged": review.unchanged, "counts": review.counts}
    if dry_run or review.problems or review.unchanged:
        return result
    with transaction.atomic():
        reading = read_plan(actor, data=data, filename=filename, region=region, year=year)
        result["summary"] = save_reading(actor, reading, today=today)
    result["saved"] = True
    return result


def _task_json(entry):
    source = entry.source
    return {"section": source.get("section", ""), "number": source.get("number", ""), "title": source.get("title", ""),
            "text": source.get("text", ""), "lead_units": [u.code for u in entry.lead],
            "units": [u.code for u in entry.responsible + entry.cooperating], "leader": source.get("leader") or None,
            "due": entry.due.isoformat() if entry.due else None, "status": entry.status}


# --- aliases -------------------------------------------------------------------------------------------------------

@transaction.atomic
def add_alias(actor, *, region, alias, unit):
    """Another name of a unit of the region (区府办 → 区政府办公室)."""
    if _person(actor):
        access.require_alias_manager(actor, region)
    alias = (alias or "").strip()
    problems = []
    if not alias:
        problems.append("别名不能为空")
    elif len(alias) > 100:
        problems.append("别名过长（最多 100 个字）")
    if unit is None:
        problems.append("请选择单位")
    elif not region.contains(unit.region):
        problems.append(f"单位「{unit.name}」不属于{region.name}")
    if alias and UnitAlias.objects.filter(region=region, alias=alias).exists():
        problems.append(f"{region.name}已有别名「{alias}」")
    if alias and unit is not None and Unit.objects.filter(region__code__startswith=region.prefix, name=alias).exclude(
            pk=unit.pk).exists():
        problems.append(f"「{alias}」是{region.name}另一个单位的全称，不能作为别名")
    if problems:
        raise Rejected(problems)
    created = UnitAlias.objects.create(region=region, alias=alias, unit=unit, created_by=actor if _person(actor) else None)
    record(actor, "新增单位别名", created, after={"region": region.code, "alias": alias, "unit": unit.code})
    return created



# --- 主要预期目标: the office proposes, the analysis office confirms ------------------------------------------------

@transaction.atomic
def propose_targets(actor, plan):
    """Propose every target the plan's items state (queries.ledger: read, not yet proposed nor confirmed) to the
    region's analysis office. Returns the links made (none: Rejected)."""
    from luoshi.breakdown.models import TargetLink

    if _person(actor):
        access.require_importer(actor, plan.region)
    rows, _ = queries.ledger(plan, timezone.localdate())
    made = []
    for row in rows:
        if row.item.withdrawn_on is not None:
            continue
        for read in row.targets:
            link = TargetLink.objects.create(item=row.item, indicator_code=read.code, growth=read.growth,
                                             value=read.value, unit=read.unit[:20], phrase=read.phrase[:200],
                                             proposed_by=actor if _person(actor) else None)
            record(actor, "提出主要预期目标关联", link, after={"item": row.item.task.number, "indicator": read.code,
                                                      "growth": read.growth, "value": read.value, "unit": read.unit,
                                                      "phrase": read.phrase})
            made.append(link)
    if not made:
        raise Rejected("没有待提出的主要预期目标（方案事项中未识别到新的指标目标）")
    _tell_analysis_office(plan, made, actor)
    return made


def _tell_analysis_office(plan, links, actor):
    """The region's analysis office (who keeps the year's targets) is told targets wait for its confirmation."""
    from django.urls import reverse

    from luoshi.notify.services import queue_message
    from luoshi.orgs.models import Role
    from luoshi.orgs.queries import people_with_role

    subject = f"{plan.year}年主要预期目标待确认（{len(links)}项）"
    body = (f"{plan.region.name}{plan.year}年政府工作报告任务分解方案中识别到{len(links)}项主要预期目标，"
            "请核对后确认写入年度目标，或说明理由不予关联。")
    for user in people_with_role(Role.ANALYSIS, plan.region):
        queue_message(user, subject, body, link=reverse("breakdown:targets"), actor=actor,
                      dedupe_key=f"targets:{links[0].pk}:u{user.pk}")


def _decidable_link(actor, link):
    from luoshi.breakdown.models import TargetLink, TargetStatus

    link = TargetLink.objects.select_for_update().get(pk=link.pk)
    link = TargetLink.objects.select_related("item__plan__region", "item__task__lead_unit__region").get(pk=link.pk)
    if _person(actor):
        access.require_target_confirmer(actor, link.item.plan.region)
    if link.status != TargetStatus.PROPOSED:
        raise Rejected(f"该指标关联已{link.get_status_display()}，不能重复确认")
    return link


@transaction.atomic
def confirm_target(actor, link, note=""):
    """The analysis office confirms a proposed target: the plan year's target of the indicator in the region is
    written through indicators.services.save_targets (a growth target sets the growth, a value target in the
    indicator's unit the value; the other part and the trajectory stay), and the task serves the indicator
    (work.services.link_indicators): its light follows the indicator's 序时 judgement."""
    from luoshi.breakdown.models import TargetStatus
    from luoshi.indicators import services as indicator_services
    from luoshi.indicators.models import Indicator, Target

    link = _decidable_link(actor, link)
    plan, task = link.item.plan, link.item.task
    indicator = Indicator.objects.filter(code=link.indicator_code).first()
    if indicator is None:
        raise Rejected(f"指标目录中没有「{link.indicator_code}」")
    current = Target.objects.filter(region=plan.region, indicator=indicator, year=plan.year).first()
    entry = {"region_id": plan.region_id, "indicator_id": indicator.pk, "year": plan.year,
             "value": current.value if current else None, "growth": current.growth if current else None,
             "trajectory": current.trajectory if current else []}
    if link.growth is not None:
        entry["growth"] = link.growth
    elif link.value is not None:
        if link.unit != indicator.unit:
            raise Rejected(f"目标「{link.phrase}」的单位（{link.unit}）与指标「{indicator.name}」的单位（{indicator.unit}）不同，"
                           f"请在指标目标页面换算后填写")
        entry["value"] = link.value
    if len((note or "").strip()) > 300:
        raise Rejected("意见过长（最多 300 个字）")
    indicator_services.save_targets(actor, [entry], source=f"{plan}：{link.phrase}"[:200])
    work_services.link_indicators(actor, task, [indicator.code])
    before = {"status": link.status}
    link.status, link.decided_at, link.note = TargetStatus.CONFIRMED, timezone.now(), (note or "").strip()
    link.decided_by = actor if _person(actor) else None
    link.save(update_fields=["status", "decided_at", "note", "decided_by"])
    record(actor, "确认主要预期目标", link, before=before, after={
        "status": link.status, "indicator": indicator.code, "year": plan.year, "growth": entry["growth"],
        "value": entry["value"], "task": task.number})
    return link


@transaction.atomic
def decline_target(actor, link, note):
    """The analysis office declines a proposed target with its reason: nothing is written; it may be proposed again."""
    from luoshi.breakdown.models import TargetStatus

    note = (note or "").strip()
    if not note:
        raise Rejected("不采纳请填写理由")
    if len(note) > 300:
        raise Rejected("理由过长（最多 300 个字）")
    link = _decidable_link(actor, link)
    link.status, link.decided_at, link.note = TargetStatus.DECLINED, timezone.now(), note
    link.decided_by = actor if _person(actor) else None
    link.save(update_fields=["status", "decided_at", "note", "decided_by"])
    record(actor, "不采纳主要预期目标", link, before={"status": TargetStatus.PROPOSED},
           after={"status": link.status, "note": note})
    return link
