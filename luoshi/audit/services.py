"""The one way to write the audit trail. Domain services call record() inside their transaction."""

from datetime import date, datetime
from decimal import Decimal

from luoshi.audit.models import AuditEntry


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk") and hasattr(value, "_meta"):
        return value.pk
    return value


def snapshot(obj, fields):
    """The listed fields of a model instance as a JSON-ready dict (foreign keys by their id)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = _jsonable(getattr(obj, field.attname))
    return data


def record(actor, action, obj=None, *, before=None, after=None, object_type=None, object_id=None, object_repr=None, note=""):
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = (user.get_full_name() or user.username) if user else (str(actor) if actor else "系统")
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        object_repr=(object_repr if object_repr is not None else (str(obj) if obj is not None else ""))[:255],
        before=_jsonable(before),
        after=_jsonable(after),
        note=note[:255],
    )


def latest_entry_id(object_types):
    """The id of the newest entry about any of these object types (model labels), or 0: a version stamp for
    caches of what those objects show, since every write records an entry. One statement; with the index on
    (object_type, id) each type costs one index probe."""
    from django.db import connection

    types = list(object_types)
    if not types:
        return 0
    table = AuditEntry._meta.db_table
    newest = ", ".join([f"COALESCE((SELECT MAX(id) FROM {table} WHERE object_type = %s), 0)"] * len(types))
    function = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}({newest}, 0)", types)
        return cursor.fetchone()[0]
