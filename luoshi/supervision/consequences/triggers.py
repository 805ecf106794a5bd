"""The triggers (触发条件), evaluated as of a day by the daily sweep and by `luoshi supervision consequences`:

- late answers: a unit whose notices (督办单) were answered late — first answer after the reply deadline, or none by
  the day — `late_notices` times within `late_window_days` days → `late_kind` (default 约谈) proposed;
- red light: a task red at the end of `red_periods` report periods in a row → `red_kind` (default 通报批评) proposed,
  about its lead unit; the light at a period's end is the board's on the period's last day (work.queries.board).

Thresholds per county (queries.settings_for). One proposal per occurrence (rules.late_notice_groups, rules.red_run:
a notice or a period counts towards one occurrence of its trigger at most); running again for the same day proposes
nothing new (the occurrence's key is unique per county, so two sweeps at once make one proposal)."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import F, Q

from luoshi.core.periods import day_label
from luoshi.orgs.models import Unit
from luoshi.supervision.consequences import access, queries, rules, services
from luoshi.supervision.consequences.models import Consequence, ProposalSource
from luoshi.supervision.league import rules as league_rules
from luoshi.supervision.models import Notice
from luoshi.work import queries as work_queries
from luoshi.work.models import Task

LOOK_BACK_DAYS = 3 * 366  # notices whose deadline is older than this are not looked at


def evaluate(on, board=None) -> list:
    """Propose what the triggers call for as of `on`; returns the new proposals. `board`: work.queries.board(on) when
    the caller has it (the sweep)."""
    proposed = _late_answers(on)
    proposed += _red_runs(on, board)
    return proposed


def _settings(cache, region):
    if region.pk not in cache:
        cache[region.pk] = queries.settings_for(region)
    return cache[region.pk]


# --- late answers ----------------------------------------------------------------------------------------------------

def _late_answers(on):
    late = defaultdict(list)  # (region, unit) → notices answered late as of the day
    for notice in (Notice.objects.filter(reply_due__lt=on, opened_on__lte=on, reply_due__gte=on - timedelta(days=LOOK_BACK_DAYS))
                   .filter(Q(first_replied_on__isnull=True) | Q(first_replied_on__gt=F("reply_due")))
                   .select_related("unit", "unit__region", "region", "task").order_by("reply_due", "id")):
        if league_rules.notice_late(notice.reply_due, notice.first_replied_on, on):
            late[(notice.region_id, notice.unit_id)].append(notice)
    if not late:
        return []
    used = defaultdict(set)
    for unit_id, region_id, notice_id in (Consequence.notices.through.objects
                                          .filter(consequence__source=ProposalSource.LATE_NOTICES,
                                                  consequence__unit_id__in={u for _, u in late})
                                          .values_list("consequence__unit_id", "consequence__region_id", "notice_id")):
        used[(region_id, unit_id)].add(notice_id)
    cache, proposed = {}, []
    for (region_id, unit_id), notices in late.items():
        region, unit = notices[0].region, notices[0].unit
        if access.county_of(unit) != region:
            continue  # a unit of another county copied on this one's notice: not this county's to judge
        settings = _settings(cache, region)
        by_id = {n.pk: n for n in notices}
        groups = rules.late_notice_groups([(n.reply_due, n.pk) for n in notices], threshold=settings["late_notices"],
                                          window_days=settings["late_window_days"], used=used[(region_id, unit_id)])
        for ids in groups:
            group = [by_id[i] for i in ids]
            consequence = _propose_late(on, region, unit, group, settings)
            if consequence is not None:
                proposed.append(consequence)
    return proposed


def _propose_late(on, region, unit, notices, settings):
    key = "n" + "-".join(str(n.pk) for n in notices)
    if Consequence.objects.filter(region=region, source=ProposalSource.LATE_NOTICES, trigger_key=key).exists():
        return None
    kind = settings["late_kind"]
    reason = (f"{unit.name}在 {settings['late_window_days']} 天内有 {len(notices)} 份督办单逾期答复"
              f"（{'、'.join(n.number for n in notices)}），达到触发条件（{settings['late_window_days']} 天内逾期答复 "
              f"{settings['late_notices']} 次），建议{rules.KIND_LABELS[kind]}。")
    tasks = {n.task_id for n in notices}
    task = notices[-1].task if len(tasks) == 1 else None
    return services.propose(None, unit=unit, kind=kind, reason=reason, task=task, notices=notices, on=on,
                            facts=[queries.notice_fact(n, on) for n in notices], source=ProposalSource.LATE_NOTICES,
                            trigger_key=key)


# --- red period after period -----------------------------------------------------------------------------------------

def _red_runs(on, board=None):
    board = board if board is not None else work_queries.board(on)
    if not board.tasks:
        return []
    tasks = {t["id"]: t for t in board.tasks}
    units = Unit.objects.select_related("region").in_bulk({t["lead_unit_id"] for t in board.tasks})
    regions = {uid: access.county_of(unit) for uid, unit in units.items()}
    cache = {}
    need = {}  # task id → its last `threshold` ended report periods
    for task_id, periods in work_queries.report_periods_of(board).items():
        region = regions[tasks[task_id]["lead_unit_id"]]
        threshold = _settings(cache, region)["red_periods"]
        ended = [p for p in periods if p.last < on]
        if threshold and len(ended) >= threshold:
            need[task_id] = ended[-threshold:]
    lights = _lights_at_period_ends(need)
    used = defaultdict(set)
    for task_id, periods in (Consequence.objects.filter(source=ProposalSource.RED_PERIODS, task_id__in=list(need))
                             .values_list("task_id", "periods")):
        used[task_id] |= set(periods)
    proposed = []
    for task_id, periods in need.items():
        run = rules.red_run([(p.first.isoformat(), lights.get((task_id, p.first))) for p in periods],
                            threshold=len(periods), used=used[task_id])
        if run is None:
            continue
        row = tasks[task_id]
        unit = units[row["lead_unit_id"]]
        consequence = _propose_red(on, regions[unit.pk], unit, row, periods, _settings(cache, regions[unit.pk]))
        if consequence is not None:
            proposed.append(consequence)
    return proposed


def _lights_at_period_ends(need):
    """{(task id, period first day): light at the period's last day}, judging each task back from its latest ended
    period and stopping at the first not red (a run is only proposed when all are red): a board per period end."""
    lights = {}
    candidates = set(need)
    depth = max((len(p) for p in need.values()), default=0)
    for k in range(1, depth + 1):
        by_day = defaultdict(list)
        for task_id in candidates:
            by_day[need[task_id][-k].last].append(task_id)
        for day, ids in by_day.items():
            judged = work_queries.board(day, Q(pk__in=ids))
            for t in judged.tasks:
                lights[(t["id"], need[t["id"]][-k].first)] = t["light"]
        candidates = {t for t in candidates if k < len(need[t]) and lights.get((t, need[t][-k].first)) == rules.RED}
    return lights


def _propose_red(on, region, unit, row, periods, settings):
    key = f"t{row['id']}:{periods[0].first.isoformat()}"
    if Consequence.objects.filter(region=region, source=ProposalSource.RED_PERIODS, trigger_key=key).exists():
        return None
    kind = settings["red_kind"]
    labels = "、".join(queries.period_label(p.first, p.last) for p in periods)
    reason = (f"重点任务「{row['number']} {row['title']}」（{row['campaign']}，牵头单位{unit.name}）连续 {len(periods)} 个报送周期"
              f"末亮红灯（{labels}），达到触发条件（连续 {settings['red_periods']} 期亮红灯），建议{rules.KIND_LABELS[kind]}。")
    facts = [f"重点任务「{row['number']} {row['title']}」连续 {len(periods)} 个报送周期末亮红灯：{labels}"]
    facts += queries.task_facts(row, on)
    task = Task.objects.select_related("lead_unit__region", "leader").get(pk=row["id"])
    milestone_ids = [m["id"] for m in queries.lagging_milestones(row)]
    notices = list(Notice.objects.filter(task=task, region=region, opened_on__gte=periods[0].first, opened_on__lte=on)
                   .order_by("year", "serial"))
    facts[1:1] = [queries.notice_fact(n, on) for n in notices]
    return services.propose(None, unit=unit, kind=kind, reason=reason, task=task,
                            milestones=task.milestones.filter(pk__in=milestone_ids), notices=notices, on=on,
                            facts=facts, source=ProposalSource.RED_PERIODS, trigger_key=key,
                            periods=[p.first for p in periods])


def report_lines(proposed):
    """What the triggers proposed, in Chinese, one line each (the sweep's and the command's output)."""
    lines = [f"提出处理建议：对{c.unit.name}{c.get_kind_display()}（{c.get_source_display()}，{day_label(c.proposed_on)}），"
             f"待领导决定" for c in proposed]
    lines.append(f"结果运用：新提出处理建议 {len(proposed)} 条。")
    return lines
