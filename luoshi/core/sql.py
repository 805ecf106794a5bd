"""Fixed-text SQL for the few statements every request of a hot path runs (token lookup, daily submission).

On PostgreSQL these go through a server-binding cursor, so that the server plans each statement once per
connection instead of on every request (for the daily lookup the plan cost five times the execution). Django's
own cursors bind parameters on the client and never prepare, so the ORM is unaffected. Set
LUOSHI_DB_PREPARED=0 behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode before
1.21); these statements then run like any other.
"""

from contextlib import contextmanager

from django.db import DatabaseError, connection, connections
from django.db.models import Func, IntegerField

from luoshi.core.dbrouter import read_alias


def prepared_statements_enabled():
    from django.conf import settings

    return connection.vendor == "postgresql" and settings.LUOSHI_DB_PREPARED


def hot_cursor():
    """A Django cursor (same connection and transaction as the ORM, logged like the others) for fixed SQL text
    with %s parameters; prepared on PostgreSQL when enabled, a plain cursor elsewhere."""
    if not prepared_statements_enabled():
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_cursor_class()(connection.connection))


@contextmanager
def statement_checks_connection():
    """For a hot path whose statement is all or nothing and may run again (the daily submission's, idempotent by
    its key): no health check before it on a connection kept from an earlier request (CONN_HEALTH_CHECKS costs a
    `SELECT 1` round trip per request), since the statement finds a dead connection itself. A DatabaseError inside
    closes the connection if it no longer works, so that whatever runs next connects afresh; the caller decides
    whether to run the work again."""
    skip = (connection.health_check_enabled and not connection.health_check_done and connection.connection is not None
            and not connection.in_atomic_block)
    if skip:
        connection.health_check_done = True
    try:
        yield
    except DatabaseError:
        if skip and connection.connection is not None and not connection.in_atomic_block and not connection.is_usable():
            connection.close()
        raise


_cursor_class = []


def _prepared_cursor_class():
    if not _cursor_class:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparedCursor(ServerBindingCursor):
            def execute(self, query, params=None, **kwargs):
                # Preparation is switched on for this statement only: with a threshold set, psycopg would also
                # keep count of every ORM query (each a unique text, parameters bound on the client), which
                # made the 100,000-row indicator import a fifth slower.
                self.connection.prepare_threshold = 0
                try:
                    return super().execute(query, params, **kwargs)
                finally:
                    self.connection.prepare_threshold = None

            def _send_query_prepared(self, name, pgq, *, binary=None):
                # psycopg (3.3, pinned) keeps the query text only for statements it did not prepare; Django's
                # query log (debug, tests) reads it from here.
                self._query = pgq
                super()._send_query_prepared(name, pgq, binary=binary)

        _cursor_class.append(PreparedCursor)
    return _cursor_class[0]


_insert_sql = {}


def insert_returning_id(obj, *, unless_conflict=False):
    """INSERT a new model instance with one fixed statement, set its primary key and return it.

    unless_conflict: ON CONFLICT DO NOTHING (PostgreSQL, SQLite ≥ 3.35); returns None when a unique constraint
    kept the row out, and the transaction stays usable.

    Like obj.save() for a new row, without compiling a query each time: values are prepared by the fields
    themselves (get_db_prep_save), so dates, JSON and the like are stored exactly as the ORM stores them.
    auto_now_add fields are filled in, as save() would. Only for models without save() overrides or signals.
    """
    model = type(obj)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    key = (connection.vendor, model, unless_conflict)
    sql = _insert_sql.get(key)
    if sql is None:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = _insert_sql[key] = (f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
                                  f"VALUES ({', '.join(['%s'] * len(fields))})"
                                  f"{' ON CONFLICT DO NOTHING' if unless_conflict else ''} RETURNING {model._meta.pk.column}")
    params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


def insert_many(objs):
    """INSERT new model instances of one model with one fixed statement run for all of them (executemany), for the
    rows whose ids nobody needs back (audit entries, link rows) in the few writes of a thousand rows at once: the
    values prepared by the fields as insert_returning_id does, without compiling a query per batch as bulk_create
    does. Same limits: no save() overrides, no signals."""
    if not objs:
        return
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = (f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = [[f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


_converters = {}


def columns_of(model, alias):
    """The model's concrete columns, qualified by a table alias, in field order (for model_from_row)."""
    return ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields)


def model_from_row(model, values):
    """A model instance from the values of its concrete columns in field order (columns_of), converted the way
    the ORM converts them (on SQLite, for instance, datetimes come back naive)."""
    fields = model._meta.concrete_fields
    key = (connection.vendor, model)
    converters = _converters.get(key)
    if converters is None:
        converters = _converters[key] = []
        for field in fields:
            column = field.get_col(model._meta.db_table)
            converters.append((column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)))
    converted = []
    for value, (column, functions) in zip(values, converters):
        for convert in functions:
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def day_number_sql(column):
    """SQL for a date column as its day number (days since 1970-01-01; NULL stays NULL)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


class DayNumber(Func):
    """day_number_sql as an ORM expression: DayNumber("due") in values_list(), annotate() or Max()."""

    output_field = IntegerField()
    # Both databases return an int (or NULL) already: no converter per row.
    convert_value = staticmethod(Func._convert_value_noop)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({sql} - DATE '1970-01-01')", params
        return f"CAST(julianday({sql}) - 2440587.5 AS INTEGER)", params


def all_rows(queryset):
    """The rows of a values_list() queryset, fetched in one call (iterating a queryset fetches 100 rows at a time,
    a call into the driver each). Only for columns that need no conversion on either database: ids, numbers,
    strings, DayNumber; not dates, decimals, booleans or JSON. Read where the queryset reads (the replica inside
    a replica-read view)."""
    alias = queryset.db
    sql, params = queryset.query.get_compiler(alias).as_sql()
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def read_connection():
    """The connection reads go to now (core.dbrouter: the replica inside a replica-read view): for fixed-text
    SELECTs, which the router never sees. Writes keep `connection` (the primary)."""
    return connections[read_alias()]


def list_rows(sql, params=()):
    """Every row of a statement as a list, to be filled in place (the Gantt chart turns 25,000 milestone rows into
    its own rows this way instead of copying each). On PostgreSQL the driver makes the lists itself. A read:
    on the replica inside a replica-read view."""
    reader = read_connection()
    with reader.cursor() as cursor:
        if reader.vendor == "postgresql":
            cursor.cursor.row_factory = _make_lists
            cursor.execute(sql, params)
            return cursor.fetchall()
        cursor.execute(sql, params)
        return list(map(list, cursor.fetchall()))


def _make_lists(cursor):
    return list


def select_list(fields, given):
    """The SELECT list of an INSERT … SELECT: the SQL in `given` (by field name) for some fields, a parameter for
    each of the others, cast to its column's type (a parameter in a SELECT list has no type to infer from)."""
    return ", ".join(given.get(f.name) or f"CAST(%s AS {f.db_type(connection)})" for f in fields)
