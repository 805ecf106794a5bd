"""Every write of the daily reports: define and change forms, assign villages, submit a report.

Each is atomic and records the audit trail; views, API, CLI, demo and tests all call these.
"""

import uuid
from dataclasses import dataclass
from datetime import date, time
from functools import cache

import orjson
from django.db import IntegrityError, transaction
from django.db.models import JSONField, Q
from django.utils import timezone

from luoshi.audit.services import insert_recorded, record
from luoshi.core.periods import parse_day
from luoshi.core.problems import Rejected
from luoshi.core.sql import hot_cursor, select_list
from luoshi.daily import access as daily_access
from luoshi.daily import rules
from luoshi.daily.models import DailyForm, DailyReport, FormAssignment, FormVersion
from luoshi.orgs.models import Region, RegionLevel

CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
_specs_cache = {}


def specs_of(version):
    """FieldSpecs of a form version; versions never change, so they are cached (by id and creation time,
    since ids are reused when a test database is emptied)."""
    key = (version.pk, version.created_at)
    specs = _specs_cache.get(key)
    if specs is None:
        specs = _specs_cache[key] = [rules.field_from_dict(f) for f in version.fields]
    return specs


def _fields(fields):
    if isinstance(fields, str):
        specs, problems = rules.parse_field_lines(fields)
    else:
        specs = [f if isinstance(f, rules.FieldSpec) else rules.field_from_dict(f) for f in fields]
        problems = rules.check_fields(specs)
    if problems:
        raise Rejected(problems)
    return [f.as_dict() for f in specs]


def _deadline(value):
    if value in (None, ""):
        return rules.DEFAULT_DEADLINE
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        raise Rejected(f"截止时间「{value}」无法识别，请写成 10:00 的形式")


def _can_manage(actor, region):
    if actor is not None:
        daily_access.require_form_manager(actor)
        if not Region.objects.filter(daily_access.manageable_region_q(actor), pk=region.pk).exists():
            raise Rejected(f"您无权为{region.name}设置日报表单")


@transaction.atomic
def define_form(actor, *, code, title, region, fields, deadline=None, remind_minutes_before=rules.DEFAULT_REMIND_MINUTES):
    """A new daily form with its first version."""
    code = (code or "").strip().lower()
    title = (title or "").strip()
    problems = []
    if not code or not set(code) <= CODE_CHARS or len(code) > 40:
        problems.append("表单代码只能包含小写字母、数字、连字符和下划线，最长40个字符")
    elif DailyForm.objects.filter(code=code).exists():
        problems.append(f"表单代码「{code}」已被使用")
    if not title:
        problems.append("请填写表单名称")
    if problems:
        raise Rejected(problems)
    _can_manage(actor, region)
    clean = _fields(fields)
    form = DailyForm.objects.create(code=code, title=title[:100], region=region, remind_minutes_before=int(remind_minutes_before))
    version = FormVersion.objects.create(form=form, number=1, fields=clean, deadline=_deadline(deadline),
                                         created_by=actor if getattr(actor, "is_authenticated", False) else None)
    form.current_version = version
    form.save(update_fields=["current_version"])
    record(actor, "新建日报表单", form, after={"code": code, "title": title, "fields": clean, "deadline": version.deadline.isoformat()})
    return form


@transaction.atomic
def change_form(actor, form, *, fields=None, deadline=None, title=None, remind_minutes_before=None, active=None, note=""):
    """A change of fields or deadline makes a new version; reports keep the version they were made with."""
    form = DailyForm.objects.select_for_update(of=("self",)).select_related("current_version", "region").get(pk=form.pk)
    _can_manage(actor, form.region)
    current = form.current_version
    before = {"title": form.title, "version": current.number, "fields": current.fields, "deadline": current.deadline.isoformat(),
              "remind_minutes_before": form.remind_minutes_before, "active": form.active}
    clean = _fields(fields) if fields is not None else current.fields
    new_deadline = _deadline(deadline) if deadline not in (None, "") else current.deadline
    if clean != current.fields or new_deadline != current.deadline:
        current = FormVersion.objects.create(form=form, number=current.number + 1, fields=clean, deadline=new_deadline,
                                             note=(note or "")[:200],
                                             created_by=actor if getattr(actor, "is_authenticated", False) else None)
        form.current_version = current
    if title is not None and title.strip():
        form.title = title.strip()[:100]
    if remind_minutes_before not in (None, ""):
        form.remind_minutes_before = int(remind_minutes_before)
    if active is not None:
        form.active = bool(active)
    form.save()
    record(actor, "修改日报表单", form, before=before, note=note,
           after={"title": form.title, "version": current.number, "fields": current.fields, "deadline": current.deadline.isoformat(),
                  "remind_minutes_before": form.remind_minutes_before, "active": form.active})
    return form


@transaction.atomic
def assign_villages(actor, form, codes, starts_on: date, ends_on: date | None = None):
    """Villages (or every village of a town, or of the form's whole district) that must send the form from a date.

    Assigning a village again changes its dates. Returns the number of villages assigned.
    """
    _can_manage(actor, form.region)
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        raise Rejected("请至少填写一个村（社区）或镇（街道）代码")
    if ends_on is not None and ends_on < starts_on:
        raise Rejected("停报日期不能早于起报日期")
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    problems = [f"地区代码 {c} 不存在" for c in codes if c not in regions]
    problems += [f"{r.name}（{r.code}）不在{form.region.name}范围内" for r in regions.values() if not form.region.contains(r)]
    if problems:
        raise Rejected(problems)
    q = Q(pk__in=[])
    for region in regions.values():
        q |= Q(code__startswith=region.prefix)
    villages = list(Region.objects.filter(q, level=RegionLevel.VILLAGE))
    if not villages:
        raise Rejected("所选地区下没有村（社区）")
    existing = {a.village_id: a for a in FormAssignment.objects.filter(form=form, village__in=villages)}
    new, changed = [], []
    for village in villages:
        a = existing.get(village.pk)
        if a is None:
            new.append(FormAssignment(form=form, village=village, starts_on=starts_on, ends_on=ends_on))
        elif (a.starts_on, a.ends_on) != (starts_on, ends_on):
            a.starts_on, a.ends_on = starts_on, ends_on
            changed.append(a)
    FormAssignment.objects.bulk_create(new, batch_size=1000)
    FormAssignment.objects.bulk_update(changed, ["starts_on", "ends_on"], batch_size=1000)
    record(actor, "设置日报报送范围", form, after={"codes": codes, "starts_on": starts_on, "ends_on": ends_on,
                                               "villages": len(villages), "new": len(new), "changed": len(changed)})
    return len(villages)


@dataclass(frozen=True)
class Target:
    """What the submit path needs to know about one village on one form, read in one round trip."""

    form_id: int
    form_code: str
    form_title: str
    form_active: bool
    version: FormVersion
    village: Region
    starts_on: date
    ends_on: date | None
    may_submit: bool


# The submit path is the hot path of the morning rush (docs/benchmarks.md): this lookup is plain SQL with a
# fixed text, so that no ORM query is compiled per report; form versions never change and are cached.
_TARGET_SQL = """
SELECT f.id, f.code, f.title, f.active, f.current_version_id, fv.created_at, v.id, v.code, v.name, v.level, v.parent_id,
       a.starts_on, a.ends_on, """ + daily_access.SUBMITTER_SQL.format(user_id="%s", village_id="v.id") + """
  FROM daily_formassignment a
  JOIN daily_dailyform f ON f.id = a.form_id
  JOIN daily_formversion fv ON fv.id = f.current_version_id
  JOIN orgs_region v ON v.id = a.village_id
 WHERE f.code = %s AND v.code = %s"""
_versions = {}
_current_versions = {}  # form code → the version last seen current in this process (the fast path checks it)


def find_target(form_code, village_code, actor=None):
    """The village's assignment to the form, or None. `may_submit`: the actor holds the reporter role on the
    village's committee (the rule of daily.access.require_submitter, which decides whenever this is False)."""
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    with hot_cursor() as cursor:
        cursor.execute(_TARGET_SQL, [user_id, form_code, village_code])
        row = cursor.fetchone()
    if row is None:
        return None
    (form_id, code, title, active, version_id, version_created, village_id, vcode, vname, vlevel, vparent,
     starts_on, ends_on, may_submit) = row
    key = (version_id, version_created)
    version = _versions.get(key)
    if version is None:
        version = _versions[key] = FormVersion.objects.get(pk=version_id)
    _current_versions[code] = version
    village = Region(id=village_id, code=vcode, name=vname, level=vlevel, parent_id=vparent)
    return Target(form_id, code, title, active, version, village, starts_on, ends_on, bool(may_submit))


def _key_and_day(idempotency_key, day):
    key = str(idempotency_key or "").strip() or uuid.uuid4().hex
    if len(key) > 64:
        raise Rejected("幂等键最长64个字符")
    return key, parse_day(day)


def submit_report(actor, *, form, village, day, values=None, zero_report=False, idempotency_key=None, note="", now=None):
    """Send one village's report for one day. Returns (report, created).

    `form` and `village` are codes. A second report for the same day is a correction (a new version);
    the same idempotency key again returns the report it made (created=False) and saves nothing.
    actor None is the system (demo, imports); a person must be the village's reporter.
    """
    now = now or timezone.now()
    try:
        key, day = _key_and_day(idempotency_key, day)
    except Rejected as rejected:
        bad_input = rejected  # said only after the permission check: another village's reporter learns nothing more
    else:
        bad_input = None
        first = _first_report_in_one_statement(form, village, day, values, zero_report, key, (note or "")[:200], now,
                                                actor=actor)
        if first is not None:
            return first, True
    target = find_target(form, village, actor)
    if actor is not None and (target is None or not target.may_submit):
        daily_access.require_submitter(actor, village)  # raises the Chinese message unless the actor is the reporter
    if bad_input is not None:
        raise bad_input
    if target is None:
        if not DailyForm.objects.filter(code=form).exists():
            raise Rejected(f"日报表单「{form}」不存在")
        raise Rejected("本村（社区）不在该日报的报送范围内")
    if not target.form_active:
        raise Rejected(f"日报「{target.form_title}」已停用")
    version = target.version
    specs = specs_of(version)
    problems = rules.check_day(day, timezone.localdate(now), target.starts_on, target.ends_on)
    if zero_report:
        clean = rules.zero_values(specs, last_values(target.form_id, target.village.pk, day) if rules.zero_keeps_values(specs) else None)
    else:
        clean, value_problems = rules.clean_values(specs, values)
        problems += value_problems
    if problems:
        raise Rejected(problems)
    for _ in range(3):
        try:
            return _save_report(actor, target, version, day, clean, bool(zero_report), key, (note or "")[:200], now)
        except IntegrityError:
            # A concurrent submission won the race (same key, or the same next version): look again.
            continue
    raise Rejected("同时提交的报告过多，请稍后重试")


def last_values(form_id, village_id, day):
    """The values of the village's latest current report on the form on or before `day` (that day's included),
    or None: what a zero report keeps for its yes/no and 选项 fields (rules.zero_values)."""
    return (DailyReport.objects.filter(form_id=form_id, village_id=village_id, day__lte=day, is_current=True)
            .order_by("-day").values_list("values", flat=True).first())


def submit_first_report_with_token(raw_token, *, form, village, day, values=None, zero_report=False, idempotency_key=None,
                                   note="", now=None):
    """The morning rush over the API (PostgreSQL): a village's first report of the day, sent with its reporter's
    API token, which is checked inside the same statement as everything else (orgs.services.token_user_sql).
    Returns the new report, or None: then the caller looks the token up the usual way (a bad one is a 401)
    and calls submit_report, which checks everything again and says what is wrong."""
    now = now or timezone.now()
    try:
        key, day = _key_and_day(idempotency_key, day)
    except Rejected:
        return None
    return _first_report_in_one_statement(form, village, day, values, zero_report, key, (note or "")[:200], now,
                                          token=raw_token)


_FIRST_REPORT_SQL = {}
_ACTOR_SQL = ("SELECT CAST(%s AS integer) AS user_id, CAST(%s AS varchar) AS label, CAST(NULL AS bigint) AS token_id, "
              "CAST(NULL AS timestamptz) AS last_used_at")


def _first_report_sql(by_token):
    """The morning rush on PostgreSQL, in one statement: find the user (by the token's digest, or the signed-in
    actor), check that the form is active and still at the version this process knows, that the village is on
    it that day and that the user is its reporter (the rules of find_target and check_day), insert version 1
    unless a report or the key is already there, and write the audit entry. No row back means one of those did
    not hold; the caller then takes the full path, which says why."""
    from django.db import connection

    sql = _FIRST_REPORT_SQL.get(by_token)
    if sql is not None:
        return sql
    from luoshi.audit.models import AuditEntry
    from luoshi.orgs.services import token_user_sql

    quote = connection.ops.quote_name
    report_fields = [f for f in DailyReport._meta.concrete_fields if not f.primary_key]
    entry_fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    report_values = select_list(report_fields, {"form": "target.form_id", "village": "target.village_id",
                                                "submitted_by": "target.user_id"})
    entry_values = select_list(entry_fields, {"object_id": "CAST(new.id AS varchar)", "object_repr": "target.name || %s",
                                              "actor": "target.user_id", "actor_label": "target.label"})
    sql = _FIRST_REPORT_SQL[by_token] = f"""
WITH who AS ({token_user_sql() if by_token else _ACTOR_SQL}
), target AS (
  SELECT a.form_id, a.village_id, v.name, who.user_id, who.label
    FROM who, daily_formassignment a
    JOIN daily_dailyform f ON f.id = a.form_id
    JOIN orgs_region v ON v.id = a.village_id
   WHERE f.code = %s AND v.code = %s AND f.active AND f.current_version_id = %s
     AND a.starts_on <= %s AND (a.ends_on IS NULL OR a.ends_on >= %s)
     AND {daily_access.SUBMITTER_SQL.format(user_id="who.user_id", village_id="v.id")}
), new AS (
  INSERT INTO {quote(DailyReport._meta.db_table)} ({", ".join(quote(f.column) for f in report_fields)})
  SELECT {report_values} FROM target
  ON CONFLICT DO NOTHING RETURNING id, village_id
), entry AS (
  INSERT INTO {quote(AuditEntry._meta.db_table)} ({", ".join(quote(f.column) for f in entry_fields)})
  SELECT {entry_values} FROM new, target
)
SELECT new.id, new.village_id, who.user_id, who.token_id, who.last_used_at FROM new, who"""
    return sql


def _first_report_in_one_statement(form, village, day, values, zero_report, key, note, now, *, actor=None, token=None):
    """A village's first report of the day by its own reporter (the signed-in actor, or the holder of an API
    token), on PostgreSQL: the new report, or None for the full path (another database, the first call in this
    process, anything to explain or to look up)."""
    from django.db import connection

    from luoshi.orgs.models import ApiToken
    from luoshi.orgs.services import note_token_use

    version = _current_versions.get(form)
    if version is None or connection.vendor != "postgresql":
        return None
    if token is not None:
        who = [ApiToken.digest_of(token.strip())]
    elif getattr(actor, "is_authenticated", False):
        who = [actor.pk, (actor.get_full_name() or actor.username)[:150]]
    else:
        return None
    if day > timezone.localdate(now):
        return None
    specs = specs_of(version)
    if zero_report:
        if rules.zero_keeps_values(specs):
            return None  # it keeps the yes/no and 选项 values last reported: the full path looks them up
        clean = rules.zero_values(specs)
    else:
        clean, problems = rules.clean_values(specs, values)
        if problems:
            return None
    report = DailyReport(form_version=version, day=day, version=1, is_current=True, values=clean,
                         zero_report=bool(zero_report), late=rules.is_late(day, timezone.localtime(now), version.deadline),
                         first_submitted_at=now, submitted_at=now, idempotency_key=key, note=note)
    # The audit entry's columns as audit.services.new_entry would fill them (actor and label come from `who`).
    entry = {"at": now, "action": _action(report), "object_type": DailyReport._meta.label, "before": None, "note": "",
             "object_repr": f" {day:%Y-%m-%d} 第1版",
             "after": {"form": form, "village": village, "day": day.isoformat(), "version": 1, "values": clean,
                       "zero_report": report.zero_report, "late": report.late}}
    params = who + [form, village, version.pk, day, day]
    # PostgreSQL's adapter takes the values as they are; JSON goes as text (the statement casts it to jsonb), written
    # by orjson rather than by the adapter's json.dumps.
    params += [_json_text(getattr(report, f.attname)) if json else getattr(report, f.attname)
               for f, json in _report_param_fields()]
    params += [_json_text(entry[f.name]) if json else entry[f.name] for f, json in _entry_param_fields()]
    with hot_cursor() as cursor:
        cursor.execute(_first_report_sql(token is not None), params)
        row = cursor.fetchone()
    if row is None:
        return None
    report.pk, report.village_id, report.submitted_by_id, report.form_id = row[0], row[1], row[2], version.form_id
    report._state.adding = False
    report._state.db = connection.alias
    if token is not None:
        note_token_use(row[3], row[4], now)
    return report


def _json_text(value):
    return None if value is None else orjson.dumps(value).decode()


@cache
def _report_param_fields():
    """The report's columns the fast statement takes as parameters, in the order of its SELECT list, each with
    whether it holds JSON."""
    return [(f, isinstance(f, JSONField)) for f in DailyReport._meta.concrete_fields
            if not f.primary_key and f.name not in ("form", "village", "submitted_by")]


@cache
def _entry_param_fields():
    from luoshi.audit.models import AuditEntry

    return [(f, isinstance(f, JSONField)) for f in AuditEntry._meta.concrete_fields
            if not f.primary_key and f.name not in ("object_id", "actor", "actor_label")]


def _save_report(actor, target, version, day, values, zero_report, key, note, now):
    village = target.village
    submitter = actor if getattr(actor, "is_authenticated", False) else None
    candidate = DailyReport(form_id=target.form_id, form_version=version, village=village, day=day, version=1, is_current=True,
                        values=values, zero_report=zero_report, late=rules.is_late(day, timezone.localtime(now), version.deadline),
                        first_submitted_at=now, submitted_at=now, submitted_by=submitter, idempotency_key=key, note=note)
    # A first report (on SQLite, or the first call in a process): the report and its audit entry together
    # (audit.services.insert_recorded). Any conflict (the same key again, a version already there) keeps both
    # out, and the transaction below looks at what is there.
    if insert_recorded(actor, _action(candidate), candidate, after=_audited(target, candidate), unless_conflict=True):
        return candidate, True
    return _save_over_existing(actor, target, version, day, values, zero_report, key, note, now)


@transaction.atomic
def _save_over_existing(actor, target, version, day, values, zero_report, key, note, now):
    """A retry with the same idempotency key returns the first report; otherwise a correction (a new version)."""
    village = target.village
    submitter = actor if getattr(actor, "is_authenticated", False) else None
    current = None
    for pk, report_key, version_number, late, first in (
            DailyReport.objects.filter(Q(form_id=target.form_id, day=day, is_current=True) | Q(idempotency_key=key),
                                       village_id=village.pk)
            .values_list("pk", "idempotency_key", "version", "late", "first_submitted_at")):
        if report_key == key:
            return DailyReport.objects.select_related("form_version", "village").get(pk=pk), False
        current = (pk, version_number, late, first)
    if current is not None:
        DailyReport.objects.filter(pk=current[0]).update(is_current=False)
        number, late, first = current[1] + 1, current[2], current[3]
    else:
        number, first = 1, now
        late = rules.is_late(day, timezone.localtime(now), version.deadline)
    report = DailyReport.objects.create(
        form_id=target.form_id, form_version=version, village=village, day=day, version=number, is_current=True,
        values=values, zero_report=zero_report, late=late, first_submitted_at=first, submitted_at=now,
        submitted_by=submitter, idempotency_key=key, note=note)
    record(actor, _action(report), report, after=_audited(target, report))
    return report, True


def _action(report):
    return "更正村居日报" if report.version > 1 else "报送村居日报"


def _audited(target, report):
    return {"form": target.form_code, "village": report.village.code, "day": report.day, "version": report.version,
            "values": report.values, "zero_report": report.zero_report, "late": report.late}


def send_reminders(actor=None, now=None):
    """Queue the day's reminders through the outbox, then dispatch them. Safe to run every few minutes.

    From `remind_minutes_before` the deadline until the deadline: each village that has not reported gets a
    reminder (to its reporters). After the deadline: each town government gets the list of its missing villages.
    Each message has a dedupe key, so a second run the same day queues nothing new. Returns the number queued.
    """
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from luoshi.daily import queries
    from luoshi.notify.services import dispatch, queue_message, queue_robots, robots_of
    from luoshi.orgs.models import Region, Role, RoleAssignment, Unit, UnitKind

    now = now or timezone.now()
    local = timezone.localtime(now)
    day = local.date()
    queued = 0
    for form in DailyForm.objects.filter(active=True).select_related("current_version"):
        deadline = form.current_version.deadline
        phase = rules.reminder_phase(local, deadline, form.remind_minutes_before)
        if phase is None:
            continue
        missing = [r for r in queries.day_rows(form, day) if r["status"] == rules.MISSING]
        if not missing:
            continue
        if phase == "before":
            codes = {r["village"]: r for r in missing}
            people = (RoleAssignment.objects.filter(role=Role.REPORTER, unit__kind=UnitKind.VILLAGE, unit__region__code__in=codes,
                                                    user__is_active=True)
                      .values_list("user_id", "unit__region__code"))
            users = get_user_model().objects.in_bulk({uid for uid, _ in people})
            told = {}
            for user_id, code in people:
                row = codes[code]
                told.setdefault(code, []).append(users[user_id])
                _, created = queue_message(
                    users[user_id], f"请在{deadline:%H:%M}前报送今天的「{form.title}」",
                    f"{row['name']}还没有报送{day:%Y年%-m月%-d日}的{form.title}。没有情况也请点「零报告」。",
                    link=reverse("daily:report"), dedupe_key=f"daily:before:{form.code}:{day}:{code}:{user_id}", actor=actor,
                    kind="daily_remind")
                queued += created
            # The village committee's group robots, if it has any: one message per village, @ing its reporters.
            villages = dict(Unit.objects.filter(kind=UnitKind.VILLAGE, region__code__in=codes)
                            .values_list("pk", "region__code"))
            for unit_id in sorted(set(robots_of(units=villages).values_list("unit_id", flat=True))):
                code = villages[unit_id]
                queued += queue_robots(
                    f"请在{deadline:%H:%M}前报送今天的「{form.title}」",
                    f"{codes[code]['name']}还没有报送{day:%Y年%-m月%-d日}的{form.title}。没有情况也请点「零报告」。",
                    units=[unit_id], link=reverse("daily:report"), mention=told.get(code, []), actor=actor,
                    dedupe_key=f"daily:before:{form.code}:{day}:{code}", kind="daily_remind")
        else:
            by_town = {}
            for row in missing:
                by_town.setdefault(row["town"], []).append(row)
            people = (RoleAssignment.objects.filter(role=Role.UNIT, unit__kind=UnitKind.TOWNSHIP, unit__region__code__in=by_town,
                                                    user__is_active=True)
                      .values_list("user_id", "unit__region__code"))
            users = get_user_model().objects.in_bulk({uid for uid, _ in people})
            told = {}
            for user_id, town in people:
                told.setdefault(town, []).append(users[user_id])
            for town, rows in by_town.items():
                names = "、".join(f"{r['name']}（{r['village']}）" for r in rows)
                subject = f"{rows[0]['town_name']}{day:%-m月%-d日}「{form.title}」未报 {len(rows)} 个村（社区）"
                body = f"截至{deadline:%H:%M}，以下村（社区）未报送{form.title}：{names}。"
                link = reverse("daily:town", args=[town]) + f"?date={day:%Y-%m-%d}&form={form.code}"
                for user in told.get(town, []):
                    _, created = queue_message(user, subject, body, link=link, actor=actor, kind="daily_missing",
                                               dedupe_key=f"daily:after:{form.code}:{day}:{town}:{user.pk}")
                    queued += created
                # The town's list also goes to the town government's robots and the town's own (Robot.region).
                queued += queue_robots(
                    subject, body, units=Unit.objects.filter(kind=UnitKind.TOWNSHIP, region__code=town),
                    regions=Region.objects.filter(code=town), link=link, mention=told.get(town, []), actor=actor,
                    dedupe_key=f"daily:after:{form.code}:{day}:{town}", kind="daily_missing")
    dispatch(now=now)
    return queued
