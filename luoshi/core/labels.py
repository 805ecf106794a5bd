"""Fields shown to a person: a Chinese label and a formatted value, never a raw key or a Python literal.

One helper for every page and export that shows stored values (daily history, audit log, exports):
`format_value` writes one value (是/否, dates, lists, nested records), `pairs` and `describe` a record with
labels, `changes` the difference of two records as "字段：旧值 → 新值". Pure functions; the labels come from
the caller (a form's fields, a model's verbose_name: audit.labels).
"""

from datetime import date, datetime, time

EMPTY = "—"


def format_value(value, labels=None) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, str):
        return _iso_text(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return EMPTY
        return "、".join(format_value(v, labels) for v in value)
    if isinstance(value, dict):
        if not value:
            return EMPTY
        return "；".join(f"{label}：{text}" for label, text in pairs(value, labels))
    return str(value)


def _iso_text(text):
    """Dates and times stored as ISO text (the audit log's JSON) written as dates."""
    if len(text) >= 16 and text[4:5] == "-" and text[10:11] == "T":
        try:
            return format_value(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            return text
    if len(text) == 8 and text[2:3] == ":" and text[5:6] == ":" and text.replace(":", "").isdigit():
        return text[:5]
    return text


def label_of(key, labels=None) -> str:
    labels = labels or {}
    return labels.get(key) or _COMMON.get(key) or str(key)


def pairs(values, labels=None) -> list[tuple[str, str]]:
    """[(label, formatted value)] of a record, in the record's order."""
    labels = labels or {}
    return [(label_of(k, labels), format_value(v, labels.get(f"{k}.", labels))) for k, v in (values or {}).items()]


def describe(values, labels=None, sep="；") -> str:
    """A record on one line: "新增确诊：0；卡口是否值守：是"."""
    return sep.join(f"{label}：{text}" for label, text in pairs(values, labels))


def changes(before, after, labels=None) -> list[str]:
    """Each field whose value differs, as "字段：旧值 → 新值" (a field only before or only after counts too).
    A nested record (a daily report's values) is compared field by field, with its own labels under the key."""
    before, after = before or {}, after or {}
    lines = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            inner = labels.get(f"{key}.") if labels else None
            lines += [f"{label_of(key, labels)} · {line}" for line in changes(old, new, inner)]
            continue
        lines.append(f"{label_of(key, labels)}：{format_value(old, labels)} → {format_value(new, labels)}")
    return lines


# Keys that many records share (audit snapshots, service payloads) when the caller has no label for them.
_COMMON = {
    "form": "表单", "village": "村（社区）", "day": "日期", "version": "版本", "values": "数据", "zero_report": "零报告",
    "late": "逾期", "note": "说明", "title": "名称", "name": "名称", "code": "代码", "fields": "字段", "deadline": "截止时间",
    "remind_minutes_before": "截止前提醒（分钟）", "active": "启用", "codes": "地区代码", "starts_on": "起报日期",
    "ends_on": "停报日期", "villages": "村（社区）数", "new": "新增", "changed": "变更", "status": "状态",
    "username": "用户名", "full_name": "姓名", "role": "角色", "region": "地区", "unit": "单位", "user": "用户",
    "is_active": "启用", "reason": "原因", "count": "数量", "period": "期间", "value": "数值", "progress": "进度",
    "due": "完成时限", "planned_start": "计划开始", "planned_end": "计划完成", "predecessor": "前置节点",
    "owner": "负责人", "source": "来源", "kind": "类型", "text": "内容", "created": "新建", "updated": "更新",
    "password_reset": "重置密码", "must_change_password": "须修改密码",
}
