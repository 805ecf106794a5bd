"""Which database a read goes to (luoshi.core.dbrouter) and the pin to the primary after a write (luoshi.web.replica).

"replica" here is a second connection to the test database, as DATABASE_REPLICA_URL gives (TEST MIRROR default)."""

import pytest
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from luoshi.core import sql
from luoshi.core.dbrouter import PIN_COOKIE, read_alias, reads_replica, replica_reads
from luoshi.orgs.models import Region

pytestmark = pytest.mark.both_databases


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup, django_db_blocker):
    """The "replica" alias: the configured one (DATABASE_REPLICA_URL set, mirrored onto the test database), else a
    second connection to the test database, added before each test's database setup so tests may name it."""
    added = "replica" not in connections.settings
    if added:
        default = connections["default"].settings_dict
        connections.settings["replica"] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    yield
    if added:
        with django_db_blocker.unblock():
            connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]


@pytest.fixture
def replica():
    return connections["replica"]


@reads_replica
def where_reads_go(request):
    return HttpResponse(read_alias())


def test_without_a_replica_every_read_goes_to_the_primary_even_in_a_replica_view(monkeypatch):
    monkeypatch.delitem(connections.settings, "replica", raising=False)
    with replica_reads():
        assert read_alias() == "default"
    assert where_reads_go(RequestFactory().get("/")).content == b"default"


def test_reads_go_to_the_replica_only_inside_a_replica_view(replica):
    assert read_alias() == "default"
    assert router.db_for_read(Region) == "default"
    with replica_reads():
        assert read_alias() == "replica"
        assert router.db_for_read(Region) == "replica"
        assert Region.objects.all().db == "replica"
        assert router.db_for_write(Region) == "default"  # writes never leave the primary
    assert read_alias() == "default"


@pytest.mark.parametrize("method, cookies, expected", [
    ("get", {}, "replica"),
    ("head", {}, "replica"),
    ("get", {PIN_COOKIE: "1"}, "default"),  # just wrote: read your own write from the primary
    ("post", {}, "default"),
    ("put", {}, "default"),
    ("delete", {}, "default"),
])
def test_a_replica_view_reads_the_replica_only_for_get_and_head_without_the_pin(replica, method, cookies, expected):
    factory = RequestFactory()
    for name, value in cookies.items():
        factory.cookies[name] = value
    assert where_reads_go(getattr(factory, method)("/")).content.decode() == expected


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_inside_a_transaction_reads_go_to_the_primary(replica):
    with replica_reads():
        assert read_alias() == "replica"
        with transaction.atomic():
            assert read_alias() == "default"
            assert Region.objects.all().db == "default"
        assert read_alias() == "replica"


def test_only_the_primary_is_migrated(replica):
    assert router.allow_migrate("default", "work") is True
    assert router.allow_migrate("replica", "work") is False


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_fixed_sql_helpers_read_on_the_replica_inside_a_replica_view_and_on_the_primary_outside(replica):
    Region.objects.create(code="370100", name="济南市", level="city")
    queryset = Region.objects.values_list("code", "name")
    for inside, reader, other in [(True, "replica", "default"), (False, "default", "replica")]:
        with CaptureQueriesContext(connections[reader]) as used, CaptureQueriesContext(connections[other]) as unused:
            if inside:
                with replica_reads():
                    rows = sql.all_rows(Region.objects.values_list("code", "name"))
                    listed = sql.list_rows("SELECT code, name FROM orgs_region")
                    assert sql.read_connection() is connections["replica"]
            else:
                rows = sql.all_rows(queryset)
                listed = sql.list_rows("SELECT code, name FROM orgs_region")
        assert list(rows) == [("370100", "济南市")] and listed == [["370100", "济南市"]]
        assert len(used.captured_queries) == 2 and not unused.captured_queries, reader


@pytest.mark.django_db
def test_a_write_request_pins_the_browser_to_the_primary_for_a_few_seconds_and_a_read_does_not(client, replica, settings):
    response = client.post("/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200  # the form again, with its error
    pin = response.cookies[PIN_COOKIE]
    assert (pin["max-age"], pin["httponly"], pin["samesite"]) == (5, True, "Lax")
    assert bool(pin["secure"]) == settings.SESSION_COOKIE_SECURE
    assert PIN_COOKIE not in client.get("/login/").cookies


@pytest.mark.django_db
def test_the_pin_lasts_as_long_as_configured_and_is_not_set_without_a_replica(client, replica, settings, monkeypatch):
    settings.LUOSHI_REPLICA_PIN_SECONDS = 12
    assert client.post("/login/", {"username": "nobody", "password": "wrong"}).cookies[PIN_COOKIE]["max-age"] == 12
    monkeypatch.delitem(connections.settings, "replica")
    assert PIN_COOKIE not in client.post("/login/", {"username": "nobody", "password": "wrong"}).cookies
    monkeypatch.undo()
