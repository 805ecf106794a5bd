"""core.sql: hot statements are prepared on PostgreSQL, the ORM's are not; day numbers agree on both databases."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import DateField, Value
from django.test import Client

from luoshi.core.sql import DayNumber, day_number_sql
from luoshi.orgs import services
from luoshi.orgs.models import Unit

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


only_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="prepared statements are a PostgreSQL matter")


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_token_lookup_is_prepared_and_orm_queries_are_not(cast):
    connection.close()  # a new session, with nothing prepared yet
    _, raw = services.create_api_token(cast.sun_leader, cast.sun_leader, "脚本")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for _ in range(3):
        assert client.get("/api/v1/me").status_code == 200
        Unit.objects.filter(code="370115D03").count()
    statements = prepared_statements()
    assert sum("orgs_apitoken" in s for s in statements) == 1  # prepared once, reused
    assert not any("orgs_unit" in s for s in statements)
    assert connection.connection.prepare_threshold is None  # switched on only around the hot statement


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_nothing_is_prepared_when_switched_off(cast, settings):
    connection.close()
    settings.LUOSHI_DB_PREPARED = False
    _, raw = services.create_api_token(cast.sun_leader, cast.sun_leader, "脚本")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 200
    assert not any("orgs_apitoken" in s for s in prepared_statements())


def test_day_numbers_count_from_1970_on_both_databases():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {day_number_sql('%s')}, {day_number_sql('NULL')}", [date(2020, 4, 30)])
        assert cursor.fetchone() == ((date(2020, 4, 30) - date(1970, 1, 1)).days, None)


def test_day_number_expression_counts_from_1970_on_both_databases(cast):
    from django.db.models import Max

    from luoshi.orgs.models import Region

    days = (date(2020, 4, 30) - date(1970, 1, 1)).days
    row = Region.objects.annotate(day=DayNumber(Value(date(2020, 4, 30), output_field=DateField()))).values_list(
        "day", DayNumber(Value(None, output_field=DateField()))).first()
    assert row == (days, None) and type(row[0]) is int
    assert Region.objects.aggregate(latest=DayNumber(Max(Value(date(2020, 4, 30), output_field=DateField())))) == {"latest": days}
