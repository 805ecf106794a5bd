"""How daily's writes read in the audit log, registered with audit.labels by DailyConfig.ready() (audit knows no
domain app): the Chinese names of the types whose models have none, a daily report's values by its form's field
labels, a form's field list as one line per field."""

from luoshi.audit.labels import register
from luoshi.daily import rules
from luoshi.daily.models import DailyForm


def register_audit_labels():
    register("daily.DailyForm", values={"fields": field_lines})
    register("daily.FormVersion", name="日报表单版本", values={"fields": field_lines})
    register("daily.DailyReport", name="村居日报", nested=report_value_labels)
    register("daily.FormAssignment", name="日报报送范围")


def report_value_labels(entries):
    """{entry id: {"values": {key: label}}}: each report's values by the fields of its form's current version."""
    by_code = {}
    for entry in entries:
        code = _form_code(entry.after) or _form_code(entry.before)
        if code:
            by_code.setdefault(code, []).append(entry.pk)
    found = {}
    for form in DailyForm.objects.filter(code__in=list(by_code)).select_related("current_version"):
        if form.current_version is not None:
            names = {f["key"]: f["label"] for f in form.current_version.fields}
            found.update({pk: {"values": names} for pk in by_code[form.code]})
    return found


def _form_code(record):
    code = record.get("form") if isinstance(record, dict) else None
    return code if isinstance(code, str) else None


def field_lines(value):
    """A recorded field list as one line per field: 新增病例（整数，必填，0～1000）."""
    if not (isinstance(value, list) and all(isinstance(f, dict) and "label" in f for f in value)):
        return value
    return [_field_line(spec) for spec in value]


def _field_line(spec):
    parts = [rules.KINDS.get(spec.get("kind"), spec.get("kind") or "")]
    if spec.get("required"):
        parts.append("必填")
    extra = rules.field_from_dict({"key": spec.get("key", ""), "label": spec["label"], "kind": spec.get("kind", ""),
                                   "minimum": spec.get("minimum"), "maximum": spec.get("maximum"),
                                   "choices": spec.get("choices")}).range_label
    if extra:
        parts.append(extra)
    return f"{spec['label']}（{'，'.join(p for p in parts if p)}）"
