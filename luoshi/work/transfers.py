"""The schedule table (配档表): import (validate every row, then save all in one transaction); its export, which
imports again unchanged, is exports.ScheduleExport.

One row per task (节点 empty) or per milestone (节点 filled). Unit cells take several units separated by
、 , or ，, by name, short name or code. Month columns 1月…12月 mark planned months; the ledger columns
实际完成日期 and 完成情况 become progress records in the lead unit's name.

Read as offices send it: title rows above the header are skipped (the header is the first row that has the
required column names); an empty 攻坚战 cell continues the campaign of the row above and an empty 重点任务 cell on a
节点 row continues the task of the row above (that is how merged cells read, and how they look once un-merged);
配合单位, 责任领导, the month and ledger columns may be absent. An importer that is a supervision office changes
only its own region's plan (work.access): another region's task, a unit outside the region as lead or
responsible unit, or a campaign holding another region's tasks is a row error.
"""

import re
from collections import OrderedDict, defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.problems import Problem, Rejected
from luoshi.core.registry import register_importer
from luoshi.core.tabular import cell, find_header, is_blank, read_sheets, text
from luoshi.orgs.models import Person, Unit
from luoshi.work import access, rules, services
from luoshi.work.models import Campaign, Milestone, Task

COLUMNS = ["序号", "攻坚战", "重点任务", "节点", "牵头单位", "责任单位", "配合单位", "责任领导", "开始日期", "完成时限"]
MONTHS = [f"{m}月" for m in range(1, 13)]
LEDGER = ["实际完成日期", "完成情况"]
EXTRA = ["前置节点", "服务指标"]
REQUIRED = [("序号",), ("攻坚战",), ("重点任务",), ("节点", "工作节点"), ("牵头单位",), ("责任单位",), ("开始日期", "开始时间"),
            ("完成时限", "完成时间")]
OPTIONAL = [("配合单位",), ("责任领导",)] + [(m,) for m in MONTHS] + [(c,) for c in LEDGER + EXTRA]
FIRST_YEAR, LAST_YEAR = 2000, 2100
SPLIT = re.compile(r"[、,，;；\s]+")
TASK_ATTRS = ["牵头单位", "责任单位", "配合单位", "责任领导"]
MARK = "●"


def parse_date(value):
    """A date from a cell (date, datetime, Excel serial number or text like 2020-03-01, 2020/3/1, 2020年3月1日)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:
        return date(1899, 12, 30) + timedelta(days=int(value))
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?", str(value).strip())
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            return False
    return False


def _max_length(model, field):
    return model._meta.get_field(field).max_length


class UnitLookup:
    def __init__(self):
        self.by_key = {}
        for unit in Unit.objects.all():
            for key in (unit.code, unit.name, unit.short_name):
                if key:
                    self.by_key.setdefault(key, unit)

    def resolve(self, raw):
        """([units], [unknown names]) for one cell."""
        units, unknown = [], []
        for name in (p for p in SPLIT.split(text(raw)) if p):
            unit = self.by_key.get(name)
            if unit is None:
                unknown.append(name)
            elif unit not in units:
                units.append(unit)
        return units, unknown


class _Scope:
    """What the importer may change (work.access): nothing is checked for the system (actor None)."""

    def __init__(self, actor):
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self._campaigns = {}

    def unit(self, unit):
        return self.actor is None or access.can_manage_unit(self.actor, unit)

    def task(self, task):
        return self.actor is None or access.can_manage_task(self.actor, task)

    def campaign(self, name):
        if self.actor is None:
            return True
        if name not in self._campaigns:
            campaign = Campaign.objects.filter(name=name).first()
            self._campaigns[name] = campaign is None or access.can_manage_campaign(self.actor, campaign)
        return self._campaigns[name]


def parse_schedule(sheets, actor=None):
    """Validate every row; return a list of task dicts (with their milestones) or raise Rejected with every problem.

    `actor`: the importer; an office may change only its own region's plan (see the module's docstring)."""
    reader = _ScheduleReader(sheets, actor)
    for row, value in reader.rows():
        reader.read_row(row, value)
    return reader.finish()


class _ScheduleReader:
    """parse_schedule over the first sheet: the tasks read so far, by (campaign, task title), each with its
    milestones, and every problem found (row errors are collected, never raised one by one)."""

    def __init__(self, sheets, actor):
        if not sheets or not sheets[0].rows:
            raise Rejected("文件为空，没有找到任何数据行")
        self.sheet = sheets[0]
        self.header_index, self.columns, self.problems = find_header(self.sheet.rows, REQUIRED, OPTIONAL,
                                                                     sheet=self.sheet.name)
        if self.problems:
            raise Rejected(self.problems)
        self.lookup = UnitLookup()
        self.scope = _Scope(actor)
        self.today = timezone.localdate()
        self.seen_numbers = {}
        self.tasks = OrderedDict()  # (campaign, task title) → dict
        self.refused_campaigns = set()
        self.above = {"攻坚战": "", "重点任务": ""}  # merged cells: only their first row holds the text
        self.limits = {"序号": _max_length(Task, "number"), "攻坚战": _max_length(Campaign, "name"),
                       "重点任务": _max_length(Task, "title"), "节点": _max_length(Milestone, "title"),
                       "责任领导": _max_length(Task, "leader_name")}
        self.unit_limit = _max_length(Unit, "name")

    def problem(self, message, row, column):
        self.problems.append(Problem(message, row=row, column=column, sheet=self.sheet.name))

    def rows(self):
        """(row number, {column name: cell}) of each row under the header that is not blank."""
        for number_row, row in enumerate(self.sheet.rows[self.header_index + 1:], start=self.header_index + 2):
            if not is_blank(row):
                yield number_row, {name: cell(row, index) for name, index in self.columns.items()}

    def read_row(self, row, value):
        number, milestone = text(value["序号"]), text(value["节点"])
        campaign, title = self._campaign_and_title(value, milestone)
        if self._too_long(value, row):
            return
        self._check_number(number, row)
        self._check_campaign(campaign, row)
        if not title:
            self.problem(f"节点「{milestone}」没有所属的重点任务（请填写「重点任务」列）" if milestone else "重点任务不能为空",
                         row, "重点任务")
            return
        dates = self._dates(value, row, milestone)
        attrs = self._units(value, row)
        attrs["责任领导"] = text(value.get("责任领导"))
        task = self._task(campaign, title, row, attrs)
        if milestone:
            self._add_milestone(task, value, row, number, milestone, dates)
        else:
            self._define_task(task, value, row, number, title, dates)

    def _campaign_and_title(self, value, milestone):
        """An empty 攻坚战 continues the row above's; an empty 重点任务 on a 节点 row too (merged cells read so)."""
        campaign = text(value["攻坚战"]) or self.above["攻坚战"]
        title = text(value["重点任务"])
        if not title and milestone and campaign == self.above["攻坚战"]:
            title = self.above["重点任务"]
        self.above["攻坚战"] = campaign
        if title:
            self.above["重点任务"] = title
        return campaign, title

    def _too_long(self, value, row):
        too_long = False
        for column, limit in self.limits.items():
            given = text(value.get(column))
            if len(given) > limit:
                self.problem(f"{column}过长（{len(given)} 个字，最多 {limit} 个字）", row, column)
                too_long = True
        return too_long

    def _check_number(self, number, row):
        if not number:
            self.problem("序号不能为空", row, "序号")
        elif number in self.seen_numbers:
            self.problem(f"序号 {number} 与第{self.seen_numbers[number]}行重复", row, "序号")
        else:
            self.seen_numbers[number] = row

    def _check_campaign(self, campaign, row):
        if not campaign:
            self.problem("攻坚战不能为空", row, "攻坚战")
        elif not self.scope.campaign(campaign) and campaign not in self.refused_campaigns:
            self.refused_campaigns.add(campaign)
            self.problem(f"攻坚战「{campaign}」已有其他地区的重点任务，您无权修改（请改用本地区的攻坚战名称）", row, "攻坚战")

    def _dates(self, value, row, milestone):
        dates = {column: self._date(value, row, column) for column in ("开始日期", "完成时限", "实际完成日期")}
        start, due, done = dates["开始日期"], dates["完成时限"], dates["实际完成日期"]
        if start and due and due < start:
            self.problem(f"完成时限 {due} 早于开始日期 {start}", row, "完成时限")
        if done and done > self.today:
            self.problem(f"实际完成日期 {done} 晚于今天", row, "实际完成日期")
        if done and not milestone:
            self.problem("实际完成日期只能填在节点行", row, "实际完成日期")
        return dates

    def _date(self, value, row, column):
        parsed = parse_date(value.get(column))
        if parsed is False:
            self.problem(f"无法识别的日期「{text(value.get(column))[:40]}」，请写成 2020-03-31 的形式", row, column)
            return None
        if parsed is not None and not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            self.problem(f"日期 {parsed} 超出范围（应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间）", row, column)
            return None
        return parsed

    def _units(self, value, row):
        """{column: [units]} for 牵头单位, 责任单位 and 配合单位: known units, one lead, lead and responsible units in
        the importer's region."""
        attrs = {}
        for column in ("牵头单位", "责任单位", "配合单位"):
            units, unknown = self.lookup.resolve(value.get(column))
            for name in unknown:
                if len(name) > self.unit_limit:
                    self.problem(f"单位名称过长（{len(name)} 个字，最多 {self.unit_limit} 个字）", row, column)
                else:
                    self.problem(f"未知的单位「{name}」（请填写系统中的单位名称、简称或代码）", row, column)
            if column == "牵头单位" and len(units) > 1:
                self.problem("牵头单位只能填一个", row, column)
            if column in ("牵头单位", "责任单位"):
                for unit in units:
                    if not self.scope.unit(unit):
                        self.problem(f"单位「{unit.name}」不在您所管理的地区，不能作为{column}", row, column)
            attrs[column] = units
        return attrs

    def _task(self, campaign, title, row, attrs):
        """The row's task (new at its first row); its units and leader must agree on every row that gives them."""
        task = self.tasks.setdefault((campaign, title), {
            "campaign": campaign, "title": title, "number": None, "first_row": row, "start": None,
            "deadline": None, "attrs": {}, "attr_rows": {}, "milestones": [], "indicator_codes": [],
        })
        for column in TASK_ATTRS:
            given = attrs[column]
            if not given:
                continue
            if column in task["attrs"] and task["attrs"][column] != given:
                self.problem(f"与同一任务第{task['attr_rows'][column]}行的{column}不一致", row, column)
            else:
                task["attrs"].setdefault(column, given)
                task["attr_rows"].setdefault(column, row)
        return task

    def _add_milestone(self, task, value, row, number, title, dates):
        months = sorted(int(m[:-1]) for m in MONTHS if m in self.columns and text(value.get(m)))
        task["milestones"].append({
            "row": row, "number": number, "title": title, "start": dates["开始日期"], "due": dates["完成时限"],
            "months": months or rules.month_span(dates["开始日期"], dates["完成时限"]),
            "done_on": dates["实际完成日期"], "done_text": text(value.get("完成情况")),
            "follows": text(value.get("前置节点")) if "前置节点" in self.columns else None,  # None: column absent, keep
        })
        if dates["完成时限"] is None and "完成时限" not in [p.column for p in self.problems if p.row == row]:
            self.problem("节点的完成时限不能为空", row, "完成时限")

    def _define_task(self, task, value, row, number, title, dates):
        if task["number"] is not None:
            self.problem(f"重点任务「{title}」已在第{task['number_row']}行定义", row, "重点任务")
        task["number"], task["number_row"] = number, row
        task["start"], task["deadline"] = dates["开始日期"], dates["完成时限"]
        task["indicator_codes"] = [c for c in SPLIT.split(text(value.get("服务指标"))) if c]

    def finish(self):
        """Checks over whole tasks (lead unit, dates from their milestones, predecessors, other regions' rows);
        the tasks, or Rejected with every problem in row order."""
        follows = [m["follows"] for t in self.tasks.values() for m in t["milestones"] if m["follows"]]
        known = {m["number"] for t in self.tasks.values() for m in t["milestones"]}
        known |= set(Milestone.objects.filter(number__in=follows).values_list("number", flat=True))
        for task in self.tasks.values():
            self._complete_task(task, known)
        _check_existing(self.tasks.values(), self.scope, self.problem)
        if self.problems:
            raise Rejected(sorted(self.problems,
                                  key=lambda p: (p.row or 0, COLUMNS.index(p.column) if p.column in COLUMNS else 99)))
        return list(self.tasks.values())

    def _complete_task(self, task, known_milestones):
        row = task.get("number_row") or task["first_row"]
        if not task["attrs"].get("牵头单位"):
            self.problem(f"重点任务「{task['title']}」没有牵头单位", row, "牵头单位")
        ms = task["milestones"]
        task["start"] = task["start"] or min((m["start"] for m in ms if m["start"]), default=None)
        task["deadline"] = task["deadline"] or max((m["due"] for m in ms if m["due"]), default=None)
        if task["start"] is None:
            self.problem(f"重点任务「{task['title']}」没有开始日期", row, "开始日期")
        if task["deadline"] is None:
            self.problem(f"重点任务「{task['title']}」没有完成时限", row, "完成时限")
        if task["number"] is None:
            first = ms[0]["number"] if ms else str(row)
            task["number"] = (first.split(".")[0] if "." in first and first.split(".")[0] not in self.seen_numbers
                              else f"任务{first}")
        for m in ms:
            if m["follows"] and m["follows"] not in known_milestones:
                self.problem(f"前置节点 {m['follows']} 不存在", m["row"], "前置节点")
            elif m["follows"] == m["number"]:
                self.problem("节点不能以自己为前置节点", m["row"], "前置节点")
        if task["start"] and task["deadline"] and task["deadline"] < task["start"]:
            self.problem(f"完成时限 {task['deadline']} 早于开始日期 {task['start']}", row, "完成时限")


def _check_existing(tasks, scope, problem):
    """An office may not import over another region's task or milestone (found by 序号)."""
    if scope.actor is None:
        return
    existing = {t.number: t for t in Task.objects.filter(number__in=[t["number"] for t in tasks])
                .select_related("lead_unit__region")}
    milestones = {m.number: m for m in Milestone.objects.filter(
        number__in=[m["number"] for t in tasks for m in t["milestones"]]).select_related("task__lead_unit__region")}
    for task in tasks:
        found = existing.get(task["number"])
        if found is not None and not scope.task(found):
            problem(f"序号 {found.number} 的重点任务「{found.title}」属于其他地区（牵头单位：{found.lead_unit.name}），您无权修改",
                    task.get("number_row") or task["first_row"], "序号")
        for m in task["milestones"]:
            other = milestones.get(m["number"])
            if other is not None and not scope.task(other.task):
                problem(f"序号 {other.number} 的节点属于其他地区的重点任务「{other.task.title}」，您无权修改", m["row"], "序号")


@transaction.atomic
def save_schedule(actor, parsed, requested=None):
    """Save the parsed rows. After a campaign's plan is set a changed date moves nothing: it becomes a pending
    re-baseline request from the importer (services.save_task / save_milestone), appended to `requested`."""
    requested = [] if requested is None else requested
    counts = defaultdict(int)
    milestones_by_number = _save_plan(actor, parsed, requested, counts)
    _link_predecessors(actor, parsed, milestones_by_number)
    _save_ledger(actor, parsed, counts)
    return counts


def _save_plan(actor, parsed, requested, counts):
    """Campaigns, tasks and milestones through the services (a re-imported export keeps every display order);
    each entry and milestone dict gets its saved "object". Returns {number: milestone} of the file's milestones."""
    people = {}
    for person in Person.objects.exclude(name=""):
        people.setdefault(person.name, person)
    existing = {m.number: m for m in Milestone.objects.filter(
        number__in=[m["number"] for e in parsed for m in e["milestones"]]
        + [m["follows"] for e in parsed for m in e["milestones"] if m["follows"]])}
    task_orders = _kept_orders([(e["campaign"], e["number"]) for e in parsed], dict(
        ((name, number), order) for name, number, order
        in Task.objects.filter(number__in=[e["number"] for e in parsed]).values_list("campaign__name", "number", "order")))
    names = list(dict.fromkeys(e["campaign"] for e in parsed))
    campaign_orders = _kept_orders([(0, n) for n in names], {
        (0, n): o for n, o in Campaign.objects.filter(name__in=names).values_list("name", "order")})
    campaigns, milestones_by_number = {}, {}
    for task_order, entry in enumerate(parsed):
        name = entry["campaign"]
        if name not in campaigns:
            campaigns[name] = services.save_campaign(actor, name=name, order=campaign_orders.get((0, name), len(campaigns)))
        attrs = entry["attrs"]
        task, outcome = services.save_task(
            actor, campaign=campaigns[name], number=entry["number"], title=entry["title"], lead_unit=attrs["牵头单位"][0],
            responsible_units=attrs.get("责任单位", []), cooperating_units=attrs.get("配合单位", []),
            leader_name=attrs.get("责任领导", ""), leader=people.get(attrs.get("责任领导", "")), start=entry["start"],
            deadline=entry["deadline"], indicator_codes=entry["indicator_codes"],
            order=task_orders.get((name, entry["number"]), task_order), reason=IMPORT_REASON, requested=requested)
        counts[f"task_{outcome}"] += 1
        _save_milestones(actor, task, entry["milestones"], existing, milestones_by_number, requested, counts)
        entry["object"] = task
    return milestones_by_number


def _save_milestones(actor, task, milestones, existing, milestones_by_number, requested, counts):
    orders = _kept_orders([(task.pk, m["number"]) for m in milestones], {
        (task.pk, n): existing[n].order for n in (m["number"] for m in milestones)
        if n in existing and existing[n].task_id == task.pk})
    for order, m in enumerate(milestones):
        old = existing.get(m["number"])
        months = m["months"]
        if old is not None and not old.planned_months and months == rules.month_span(m["start"], m["due"]):
            months = []  # the export writes the derived months of a milestone without planned months
        if m["follows"] is None:  # no 前置节点 column: keep
            follows = old.follows if old is not None else None
        elif not m["follows"]:
            follows = None
        else:  # a later row's milestone is linked below, once it exists
            follows = milestones_by_number.get(m["follows"]) or existing.get(m["follows"]) or \
                (old.follows if old is not None else None)
        milestone, outcome = services.save_milestone(
            actor, task=task, number=m["number"], title=m["title"], start=m["start"], due=m["due"],
            planned_months=months, follows=follows, order=orders.get((task.pk, m["number"]), order),
            reason=IMPORT_REASON, requested=requested)
        milestones_by_number[m["number"]] = milestone
        m["object"] = milestone
        counts[f"milestone_{outcome}"] += 1


def _link_predecessors(actor, parsed, milestones_by_number):
    """Each milestone's 前置节点, now that every milestone of the file exists (one may follow a later row's)."""
    linked = set()
    for entry in parsed:
        for m in entry["milestones"]:
            if m["follows"]:
                follows = milestones_by_number.get(m["follows"]) or Milestone.objects.get(number=m["follows"])
                milestone = m["object"]
                if milestone.follows_id != follows.pk:
                    before = {"follows": milestone.follows_id}
                    Milestone.objects.filter(pk=milestone.pk).update(follows=follows)
                    milestone.follows = follows
                    record(actor, "修改节点", milestone, before=before, after={"follows": follows.pk})
                    linked.add(milestone.task_id)
    services.touch_tasks(*linked)


def _save_ledger(actor, parsed, counts):
    """The ledger columns (实际完成日期, 完成情况): one progress report per task with newly completed milestones."""
    for entry in parsed:
        done = [(m["object"], m["done_on"], m["done_text"]) for m in entry["milestones"]
                if m["done_on"] and m["object"].done_on != m["done_on"]]
        if not done:
            continue
        total = len(entry["milestones"])
        finished = sum(1 for m in entry["milestones"] if m["done_on"] or m["object"].done_on)
        services.submit_report(actor, entry["object"], percent=round(finished * 100 / total),
                               done_text="；".join(t for _, _, t in done if t) or "（由台账导入）",
                               completions=[(m, d) for m, d, _ in done], reported_on=max(d for _, d, _ in done),
                               source="import", ledger=True)
        counts["reports"] += 1


@register_importer("schedule", "重点工作配档表（攻坚战、重点任务、节点）")
def import_schedule(source, filename=None, actor=None):
    if getattr(actor, "is_authenticated", False) and not access.can_manage_plan(actor):
        raise Rejected(f"账号 {actor.username} 不是督查室，不能导入配档表")
    parsed = parse_schedule(read_sheets(source, filename), actor=actor)
    requested = []
    counts = save_schedule(actor, parsed, requested)
    milestones = sum(len(t["milestones"]) for t in parsed)
    summary = (f"已导入 {len(parsed)} 项重点任务、{milestones} 个节点：任务新增 {counts['task_created']}、更新 {counts['task_updated']}；"
               f"节点新增 {counts['milestone_created']}、更新 {counts['milestone_updated']}；台账进度记录 {counts['reports']} 条")
    if requested:
        summary += f"。待审批的调整计划 {len(requested)} 项：" + "；".join(_request_line(r) for r in requested) + \
                   "（计划已确定，批准前日期不变）"
    return summary


IMPORT_REASON = "配档表导入调整"


def _kept_orders(keys, stored):
    """The stored display orders of one file's rows when every row exists and the file lists them in their stored
    order (a re-imported export changes no order); {} otherwise, and the file's sequence becomes the order."""
    orders = [stored.get(key) for key in keys]
    if None in orders:
        return {}
    by_group = defaultdict(list)
    for (group, _), order in zip(keys, orders):
        by_group[group].append(order)
    if any(a >= b for values in by_group.values() for a, b in zip(values, values[1:])):
        return {}
    return dict(zip(keys, orders))


def _request_line(request):
    if request.milestone_id:
        what = f"{request.milestone.number} {request.milestone.title}"
    else:
        what = f"{request.task.number} {request.task.title}（任务完成时限）"
    return f"{what} {request.old_due} → {request.new_due}"
