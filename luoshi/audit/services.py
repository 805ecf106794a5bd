"""The one way to write the audit trail. Domain services call record() inside their transaction."""

from datetime import date, datetime
from decimal import Decimal

from luoshi.audit.models import AuditEntry
from luoshi.core.sql import hot_cursor, insert_returning_id, select_list


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


def new_entry(actor, action, obj=None, *, before=None, after=None, object_type=None, object_id=None, object_repr=None, note=""):
    """An unsaved AuditEntry, for the few writes that insert it with their own statement (see insert_recorded)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = (user.get_full_name() or user.username) if user else (str(actor) if actor else "系统")
    return AuditEntry(
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


def record(actor, action, obj=None, **details):
    """Record one write (call it inside the write's transaction). details: before, after, object_type,
    object_id, object_repr, note."""
    # One fixed INSERT instead of a compiled query: every write in luoshi passes here (luoshi.core.sql).
    return insert_returning_id(new_entry(actor, action, obj, **details))


_recorded_insert_sql = {}


def insert_recorded(actor, action, obj, *, after=None, unless_conflict=False):
    """Insert a new model instance and its audit entry together; returns obj with its id, or None when
    unless_conflict (ON CONFLICT DO NOTHING) kept the row out, in which case no entry is written either.

    On PostgreSQL this is one statement (a data-modifying WITH) that needs no transaction of its own (the daily
    submission's full path uses it). Elsewhere: both inserts in a transaction. The entry's text
    (str(obj)) is taken before the insert, so it must not show the id.
    """
    from django.db import connection, transaction

    entry = new_entry(actor, action, obj, after=after, object_id="")
    if connection.vendor != "postgresql":
        with transaction.atomic():
            if insert_returning_id(obj, unless_conflict=unless_conflict) is None:
                return None
            entry.object_id = str(obj.pk)
            insert_returning_id(entry)
        return obj
    model = type(obj)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    entry_fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    key = (model, unless_conflict)
    sql = _recorded_insert_sql.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        pk = quote(model._meta.pk.column)
        values = select_list(entry_fields, {"object_id": f"CAST(new.{pk} AS varchar)"})
        sql = _recorded_insert_sql[key] = (
            f"WITH new AS (INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}){' ON CONFLICT DO NOTHING' if unless_conflict else ''} "
            f"RETURNING {pk}) "
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(f.column) for f in entry_fields)}) "
            f"SELECT {values} FROM new RETURNING object_id")
    params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    params += [f.get_db_prep_save(f.pre_save(entry, add=True), connection) for f in entry_fields if f.name != "object_id"]
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    obj.pk = int(row[0])
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj
