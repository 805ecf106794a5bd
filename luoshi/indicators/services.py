"""Every write to indicators: atomic, audited, Chinese errors. Views, API, CLI, imports and demo call these."""

from django.db import connection, transaction
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core.periods import period_code
from luoshi.core.problems import Rejected
from luoshi.indicators import peers
from luoshi.indicators.catalog import STANDARD
from luoshi.indicators.models import Figure, Frequency, Indicator, Kind, Responsibility, Target

INDICATOR_FIELDS = ["code", "name", "unit", "frequency", "kind", "jan_with_feb", "aliases", "order"]
TARGET_FIELDS = ["value", "growth", "trajectory"]


@transaction.atomic
def ensure_catalog(actor=None):
    """Create the standard indicators that are missing; returns how many were created."""
    existing = set(Indicator.objects.values_list("code", flat=True))
    missing = [Indicator(code=code, name=name, unit=unit, frequency=freq, kind=kind, jan_with_feb=jan, aliases=aliases,
                         order=(index + 1) * 10)
               for index, (code, name, unit, freq, kind, jan, aliases) in enumerate(STANDARD) if code not in existing]
    names = set(Indicator.objects.values_list("name", flat=True))
    missing = [i for i in missing if i.name not in names]
    if missing:
        Indicator.objects.bulk_create(missing)
        record(actor, "补齐标准指标目录", object_type="indicators.Indicator", object_id="catalog",
               object_repr="标准指标目录", after={"codes": [i.code for i in missing]})
    return len(missing)


@transaction.atomic
def save_indicator(actor, *, code, name, unit="", frequency=Frequency.MONTHLY, kind=Kind.TOTAL, jan_with_feb=True,
                   aliases="", order=100):
    """Add an indicator to the catalog, or change one (its code stays)."""
    import re

    code, name = (code or "").strip(), (name or "").strip()
    problems = []
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", code):
        problems.append("指标代码应为小写字母开头的英文字母、数字或下划线（2-40 个字符），如 gdp")
    if not name:
        problems.append("指标名称不能为空")
    if frequency not in Frequency.values:
        problems.append(f"未知的频率「{frequency}」，应为 monthly（月度）或 quarterly（季度）")
    if kind not in Kind.values:
        problems.append(f"未知的发布方式「{kind}」，应为 total（总量与增速）或 growth（仅增速）")
    for label, given, field in (("指标名称", name, "name"), ("单位", (unit or "").strip(), "unit"), ("别名", aliases or "", "aliases")):
        limit = Indicator._meta.get_field(field).max_length
        if len(given) > limit:
            problems.append(f"{label}最长{limit}个字符，填写了{len(given)}个")
    if name and Indicator.objects.filter(name=name).exclude(code=code).exists():
        problems.append(f"已有名为「{name}」的指标")
    if problems:
        raise Rejected(problems)
    values = {"name": name, "unit": (unit or "").strip(), "frequency": frequency, "kind": kind,
              "jan_with_feb": bool(jan_with_feb), "aliases": aliases or "", "order": order}
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        indicator = Indicator.objects.create(code=code, **values)
        record(actor, "新增指标", indicator, after=snapshot(indicator, INDICATOR_FIELDS))
    else:
        before = snapshot(indicator, INDICATOR_FIELDS)
        for key, value in values.items():
            setattr(indicator, key, value)
        after = snapshot(indicator, INDICATOR_FIELDS)
        if after != before:
            indicator.save()
            record(actor, "修改指标", indicator, before=before, after=after)
    return indicator


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a.compare(b) == 0 if hasattr(a, "compare") else a == b


@transaction.atomic
def save_figures(actor, entries, source=""):
    """Save validated figures: {region_id, indicator_id, period, value, growth} each.

    A figure equal to the current one changes nothing; a different one becomes a new version and the
    earlier version stays (no longer current). An empty value or growth keeps the current one's.
    Returns {"created": n, "revised": n, "unchanged": n}.
    """
    counts = {"created": 0, "revised": 0, "unchanged": 0}
    if not entries:
        return counts
    region_ids = {e["region_id"] for e in entries}
    indicator_ids = {e["indicator_id"] for e in entries}
    periods = {e["period"] for e in entries}
    # Plain tuples, not model instances: a 100,000-row re-import compares against as many current figures.
    current = {(r, i, p): (pk, version, value, growth) for pk, r, i, p, version, value, growth in
               Figure.objects.filter(current=True, region_id__in=region_ids, indicator_id__in=indicator_ids, period__in=periods)
               .values_list("pk", "region_id", "indicator_id", "period", "version", "value", "growth")}
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    new_rows, superseded, changes = [], [], []
    for e in entries:
        key = (e["region_id"], e["indicator_id"], e["period"])
        old = current.get(key)
        old_pk, old_version, old_value, old_growth = old if old else (None, 0, None, None)
        value = e.get("value") if e.get("value") is not None else old_value
        growth = e.get("growth") if e.get("growth") is not None else old_growth
        if old is not None and _same(old_value, value) and _same(old_growth, growth):
            counts["unchanged"] += 1
            continue
        if value is None and growth is None:
            continue
        version = 1
        if old is not None:
            superseded.append(old_pk)
            version = old_version + 1
            counts["revised"] += 1
            changes.append({"region": e["region_id"], "indicator": e["indicator_id"], "period": period_code(e["period"]),
                            "before": [old_value, old_growth], "after": [value, growth], "version": version})
        else:
            counts["created"] += 1
        new_rows.append((e["region_id"], e["indicator_id"], e["period"], version, True, value, growth, source[:200], now,
                         user.pk if user else None))
    for start in range(0, len(superseded), 5000):
        Figure.objects.filter(pk__in=superseded[start:start + 5000]).update(current=False)
    _insert(new_rows)
    if new_rows:
        peers.refresh({row[0] for row in new_rows}, {row[1] for row in new_rows}, {row[2] for row in new_rows})
        record(actor, "保存指标数据", object_type="indicators.Figure", object_id="batch", object_repr=source[:255] or "指标数据",
               after={**counts, "revisions": changes[:200]}, note=source)
    return counts


INSERT_COLUMNS = ["region_id", "indicator_id", "period", "version", "current", "value", "growth", "source", "arrived_at",
                  "entered_by_id"]


def _insert(rows):
    """Insert figure rows (tuples in INSERT_COLUMNS order) fast: COPY on PostgreSQL, executemany elsewhere.

    A 100,000-row import spends most of its time here when going through model instances and bulk_create.
    """
    if not rows:
        return
    table = Figure._meta.db_table
    columns = ", ".join(INSERT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        ops = connection.ops
        arrived = {}
        adapted = []
        for row in rows:
            if row[8] not in arrived:
                arrived[row[8]] = ops.adapt_datetimefield_value(row[8])
            adapted.append((*row[:2], ops.adapt_datefield_value(row[2]), *row[3:5],
                            None if row[5] is None else str(row[5]), None if row[6] is None else str(row[6]),
                            row[7], arrived[row[8]], row[9]))
        placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", adapted)


@transaction.atomic
def save_targets(actor, entries, source=""):
    """Save validated targets: {region_id, indicator_id, year, value, growth, trajectory} each; audited per change."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    user = actor if getattr(actor, "is_authenticated", False) else None
    existing = {(t.region_id, t.indicator_id, t.year): t for t in Target.objects.filter(
        region_id__in={e["region_id"] for e in entries}, year__in={e["year"] for e in entries})}
    for e in entries:
        key = (e["region_id"], e["indicator_id"], e["year"])
        target = existing.get(key)
        trajectory = [float(x) for x in e.get("trajectory") or []]
        if target is None:
            target = Target.objects.create(region_id=e["region_id"], indicator_id=e["indicator_id"], year=e["year"],
                                           value=e.get("value"), growth=e.get("growth"), trajectory=trajectory,
                                           updated_by=user)
            record(actor, "新增年度目标", target, after=snapshot(target, TARGET_FIELDS), note=source)
            counts["created"] += 1
            continue
        if _same(target.value, e.get("value")) and _same(target.growth, e.get("growth")) and target.trajectory == trajectory:
            counts["unchanged"] += 1
            continue
        before = snapshot(target, TARGET_FIELDS)
        target.value, target.growth, target.trajectory = e.get("value"), e.get("growth"), trajectory
        target.updated_at, target.updated_by = timezone.now(), user
        target.save()
        record(actor, "修改年度目标", target, before=before, after=snapshot(target, TARGET_FIELDS), note=source)
        counts["updated"] += 1
    return counts


@transaction.atomic
def save_responsibilities(actor, entries, source=""):
    """Set the responsible unit (责任单位) of indicators in regions: {region_id, indicator_id, unit_id} each, already
    checked (the unit belongs to the region; the actor may keep the region's targets); audited per change."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    user = actor if getattr(actor, "is_authenticated", False) else None
    for e in entries:
        current = Responsibility.objects.select_for_update().filter(region_id=e["region_id"],
                                                                    indicator_id=e["indicator_id"]).first()
        if current is None:
            current = Responsibility.objects.create(region_id=e["region_id"], indicator_id=e["indicator_id"],
                                                    unit_id=e["unit_id"], updated_by=user)
            record(actor, "设定指标责任单位", current, after={"unit": e["unit_id"]}, note=source)
            counts["created"] += 1
        elif current.unit_id == e["unit_id"]:
            counts["unchanged"] += 1
        else:
            before = {"unit": current.unit_id}
            current.unit_id, current.updated_at, current.updated_by = e["unit_id"], timezone.now(), user
            current.save()
            record(actor, "修改指标责任单位", current, before=before, after={"unit": e["unit_id"]}, note=source)
            counts["updated"] += 1
    return counts
