"""The audit log as a person reads it: each entry's fields by their Chinese labels (the models' verbose_name),
values formatted by core.labels (是/否, dates), related objects by name and people by full name, a change as
"字段：旧值 → 新值". No dict literal reaches the page.

audit knows no domain app: what only an app can say about its entries (a type's Chinese name where its model has
none, the labels of keys inside a recorded value, how a recorded list reads) the app registers with `register` from
its AppConfig.ready() (daily: daily/labels.py)."""

from dataclasses import dataclass
from typing import Callable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError

from luoshi.core import labels


@dataclass
class Registered:
    """What an app tells the audit log about one of its audited types."""

    name: str = ""  # the type's Chinese name, where its model has no Chinese verbose_name
    # entries of this type (a page's) -> {entry id: {recorded field: {key: Chinese label}}}: the labels of the keys
    # inside a dict-valued field (a daily report's values by its form's fields), for many entries at once
    nested: Callable[[list], dict] | None = None
    # recorded field -> how its value reads (a daily form's field list as one line per field)
    values: dict | None = None


_REGISTERED = {}


def register(object_type, *, name="", nested=None, values=None):
    """Tell the audit log how entries of `object_type` ("app.Model") read. Apps call it from AppConfig.ready()."""
    _REGISTERED[object_type] = Registered(name=name, nested=nested, values=values)


def _registered(object_type):
    return _REGISTERED.get(object_type) or Registered()


def _model(object_type):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type) -> str:
    """An audited type by its Chinese name (the model's verbose_name, else the name its app registered)."""
    model = _model(object_type)
    if model is None:
        return object_type
    name = str(model._meta.verbose_name)
    if name.isascii():  # a model without a Chinese verbose_name
        return _registered(object_type).name or name
    return name


def field_labels(object_type) -> tuple[dict, dict, dict]:
    """({key: Chinese label}, {key: related model}, {key: {value: Chinese label}}) for an audited type's fields,
    by name and by column (unit and unit_id); the user model's own fields are labelled too."""
    model = _model(object_type)
    names, related, choices = {}, {}, {}
    if model is None:
        return names, related, choices
    for field in model._meta.concrete_fields:
        label = str(field.verbose_name)
        if label == field.name.replace("_", " "):  # no verbose_name given: Django's default is the raw name
            label = labels.label_of(field.name)
        names[field.name] = names[field.attname] = label
        if field.choices:
            choices[field.name] = {value: str(label) for value, label in field.flatchoices}
        if field.is_relation and field.related_model is not None:
            related[field.name] = related[field.attname] = field.related_model
    if model is get_user_model():
        names.update({"username": "用户名", "first_name": "姓名", "last_name": "姓", "email": "邮箱", "is_active": "启用",
                      "password": "密码", "last_login": "上次登录", "date_joined": "注册时间"})
    return names, related, choices


def annotate(entries):
    """Give each entry `type_label` and `lines`: its change ("字段：旧值 → 新值") or, for a creation or an entry without
    a before, its recorded values ("字段：值"). Related ids become names in one query per related model on the page."""
    entries = list(entries)
    fields = {object_type: field_labels(object_type) for object_type in {e.object_type for e in entries}}
    shown = _related_names(entries, fields)
    nested = _nested_labels(entries)
    for entry in entries:
        names, related, choices = fields[entry.object_type]
        entry.type_label = type_label(entry.object_type)
        entry_labels = {**names, **{f"{key}.": found for key, found in nested.get(entry.pk, {}).items()}}
        values = _registered(entry.object_type).values or {}
        before, after = (_readable(r, related, shown, choices, values) for r in (entry.before, entry.after))
        entry.lines = _lines(entry, before, after, entry_labels)
    return entries


def _lines(entry, before, after, entry_labels):
    if isinstance(before, dict) and isinstance(after, dict) and before:
        return labels.changes(before, after, entry_labels) or ["（内容未变）"]
    if isinstance(after, dict):
        return [f"{label}：{text}" for label, text in labels.pairs(after, entry_labels)]
    if isinstance(before, dict):
        return [f"{label}：{text} → （已删除）" for label, text in labels.pairs(before, entry_labels)]
    return [labels.format_value(v) for v in (entry.before, entry.after) if v not in (None, "")]


def _related_names(entries, fields):
    """{(model, str(pk)): its name} for the related objects the entries record by id."""
    wanted = {}  # model → ids
    for entry in entries:
        related = fields[entry.object_type][1]
        for record in (entry.before, entry.after):
            if not isinstance(record, dict):
                continue
            for key, value in record.items():
                if key in related and isinstance(value, (int, str)) and value not in ("", None):
                    wanted.setdefault(related[key], set()).add(value)
    shown = {}
    for model, ids in wanted.items():
        shown.update(_names(model, ids))
    return shown


def _names(model, ids):
    keys = set()
    for value in ids:  # some services record a code rather than the id: those stay as written
        try:
            keys.add(model._meta.pk.to_python(value))
        except (ValidationError, ValueError, TypeError):
            continue
    try:
        found = model.objects.in_bulk([k for k in keys if not isinstance(k, int) or 0 < k < 2**31])
    except (ValueError, TypeError, FieldDoesNotExist):
        return {}
    user_model = get_user_model()
    return {(model, str(pk)): (obj.get_full_name() or obj.username) if model is user_model else str(obj)
            for pk, obj in found.items()}


def _nested_labels(entries):
    """{entry id: {recorded field: {key: label}}} from the readers the apps registered, one call per type."""
    by_type = {}
    for entry in entries:
        by_type.setdefault(entry.object_type, []).append(entry)
    found = {}
    for object_type, typed in by_type.items():
        reader = _registered(object_type).nested
        if reader is not None:
            found.update(reader(typed))
    return found


def _readable(record, related, shown, choices, values):
    """Related ids by name, choice values by their labels (leader → 领导), the values an app registered a reader for
    as it reads them."""
    if not isinstance(record, dict):
        return record
    out = {}
    for key, value in record.items():
        if key in related and value not in (None, ""):
            value = shown.get((related[key], str(value)), value)
        if key in choices and isinstance(value, str):
            value = choices[key].get(value, value)
        elif key in values:
            value = values[key](value)
        out[key] = value
    return out
