"""The audit log as a person reads it: each entry's fields by their Chinese labels (the models' verbose_name),
values formatted by core.labels (是/否, dates), related objects by name and people by full name, a change as
"字段：旧值 → 新值". No dict literal reaches the page."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError

from luoshi.core import labels


def _model(object_type):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type) -> str:
    """An audited type by its Chinese name (the model's verbose_name), e.g. 日报表单 for daily.DailyForm."""
    model = _model(object_type)
    if model is None:
        return object_type
    name = str(model._meta.verbose_name)
    if name.isascii():  # a model without a Chinese verbose_name
        return _TYPE_NAMES.get(object_type, name)
    return name


_TYPE_NAMES = {"auth.User": "账号", "daily.FormVersion": "日报表单版本", "daily.DailyReport": "村居日报",
               "daily.FormAssignment": "日报报送范围"}


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


def _nested_labels(entry):
    """Labels of a daily report's values: the fields of its form (keys such as new_cases)."""
    if entry.object_type != "daily.DailyReport":
        return None
    code = (entry.after or {}).get("form") or (entry.before or {}).get("form")
    if not code:
        return None
    from luoshi.daily.models import DailyForm

    form = DailyForm.objects.filter(code=code).select_related("current_version").first()
    if form is None or form.current_version is None:
        return None
    return {f["key"]: f["label"] for f in form.current_version.fields}


def annotate(entries):
    """Give each entry `lines`: its change ("字段：旧值 → 新值") or, for a creation or an entry without a before,
    its recorded values ("字段：值"). Related ids become names in one query per related model on the page."""
    entries = list(entries)
    wanted = {}  # model → ids
    prepared = []
    label_cache, nested_cache = {}, {}
    for entry in entries:
        if entry.object_type not in label_cache:
            label_cache[entry.object_type] = field_labels(entry.object_type)
        names, related, _ = label_cache[entry.object_type]
        for record in (entry.before or {}, entry.after or {}):
            if not isinstance(record, dict):
                continue
            for key, value in record.items():
                if key in related and isinstance(value, (int, str)) and value not in ("", None):
                    wanted.setdefault(related[key], set()).add(value)
        prepared.append((entry, names, related))
    shown = {}
    user_model = get_user_model()
    for model, ids in wanted.items():
        keys = set()
        for value in ids:  # some services record a code rather than the id: those stay as written
            try:
                keys.add(model._meta.pk.to_python(value))
            except (ValidationError, ValueError, TypeError):
                continue
        try:
            found = model.objects.in_bulk([k for k in keys if not isinstance(k, int) or 0 < k < 2**31])
        except (ValueError, TypeError, FieldDoesNotExist):
            continue
        for pk, obj in found.items():
            text = (obj.get_full_name() or obj.username) if model is user_model else str(obj)
            shown[(model, str(pk))] = text
    for entry, names, related in prepared:
        choices = label_cache[entry.object_type][2]
        entry.type_label = type_label(entry.object_type)
        key = (entry.object_type, (entry.after or {}).get("form") if isinstance(entry.after, dict) else None)
        if key not in nested_cache:
            nested_cache[key] = _nested_labels(entry)
        nested = nested_cache[key]
        entry_labels = dict(names)
        if nested:
            entry_labels["values."] = nested
        before, after = (_readable(_named(r, related, shown), choices) for r in (entry.before, entry.after))
        if isinstance(before, dict) and isinstance(after, dict) and before:
            entry.lines = labels.changes(before, after, entry_labels) or ["（内容未变）"]
        elif isinstance(after, dict):
            entry.lines = [f"{label}：{text}" for label, text in labels.pairs(after, entry_labels)]
        elif isinstance(before, dict):
            entry.lines = [f"{label}：{text} → （已删除）" for label, text in labels.pairs(before, entry_labels)]
        else:
            entry.lines = [labels.format_value(v) for v in (entry.before, entry.after) if v not in (None, "")]
    return entries


def _named(record, related, shown):
    if not isinstance(record, dict):
        return record
    out = {}
    for key, value in record.items():
        if key in related and value not in (None, ""):
            value = shown.get((related[key], str(value)), value)
        out[key] = value
    return out


def _readable(record, choices):
    """Choice values by their labels (leader → 领导), a daily form's field list as one line per field."""
    if not isinstance(record, dict):
        return record
    out = {}
    for key, value in record.items():
        if key in choices and isinstance(value, str):
            value = choices[key].get(value, value)
        elif key == "fields" and isinstance(value, list) and all(isinstance(f, dict) and "label" in f for f in value):
            value = [_daily_field(f) for f in value]
        out[key] = value
    return out


def _daily_field(spec):
    from luoshi.daily import rules

    parts = [rules.KINDS.get(spec.get("kind"), spec.get("kind") or "")]
    if spec.get("required"):
        parts.append("必填")
    extra = rules.field_from_dict({"key": spec.get("key", ""), "label": spec["label"], "kind": spec.get("kind", ""),
                                   "minimum": spec.get("minimum"), "maximum": spec.get("maximum"),
                                   "choices": spec.get("choices")}).range_label
    if extra:
        parts.append(extra)
    return f"{spec['label']}（{'，'.join(p for p in parts if p)}）"
