"""The heavy read-only pages and API calls marked @reads_replica read from the "replica" alias (here a second
connection to the test database, as DATABASE_REPLICA_URL gives), write nothing, and answer the same as from the
primary; a browser that has just written reads from the primary."""

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from luoshi.core.dbrouter import PIN_COOKIE
from tests.core.test_replica_router import _replica_alias, replica  # noqa: F401 (fixtures)
from tests.daily.conftest import build_form

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True, databases="__all__"), pytest.mark.usefixtures("may_12")]

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b", re.I)

PAGES = [
    "/work/?on=2020-05-07",
    "/work/gantt/?on=2020-05-07",
    "/work/gantt/data?on=2020-05-07",
    "/work/gantt/export.xlsx?on=2020-05-07",
    "/indicators/matrix/?city=370100",
    "/indicators/matrix/export.xlsx?city=370100",
    "/supervision/league/?region=370115",
    "/supervision/league/export?region=370115",
    "/briefings/pack?region=370115&period=2020-04",
    "/briefings/pack.docx?region=370115&period=2020-04",
    "/daily/?area=370115",
    "/daily/town/370115001/",
    "/daily/export.xlsx?area=370115",
    "/api/v1/work/status?on=2020-05-07",
    "/api/v1/work/rollup?on=2020-05-07",
    "/api/v1/work/gantt?on=2020-05-07",
    "/api/v1/indicators/matrix?city=370100&period=2020-04",
    "/api/v1/supervision/league?region=370115",
    "/api/v1/briefings/pack?region=370115&period=2020-04&format=json",
    "/api/v1/daily/status?area=370115",
]


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return CSRF.sub(b"", content)  # a form's CSRF token is masked afresh on each page


def get_counting(client, url):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as rep:
        response = client.get(url)
        content = body(response)
    return response, content, primary.captured_queries, rep.captured_queries


@pytest.mark.parametrize("url", PAGES)
def test_a_replica_page_reads_the_replica_writes_nothing_and_answers_as_the_primary_does(client_for, cast, plan, url):
    build_form(cast)
    client = client_for("sun_leader")
    response, content, primary, rep = get_counting(client, url)
    assert response.status_code == 200, content[:300]
    assert rep, "no read went to the replica"
    assert not [q["sql"] for q in primary + rep if WRITES.match(q["sql"])]
    client.cookies[PIN_COOKIE] = "1"  # pinned: everything from the primary, the same answer
    pinned, pinned_content, pinned_primary, pinned_rep = get_counting(client, url)
    assert pinned.status_code == 200 and not pinned_rep and pinned_primary
    if not url.split("?")[0].endswith((".xlsx", ".docx", "/export")):  # files carry their creation time
        assert pinned_content == content


def test_who_has_just_reported_sees_the_report_on_the_gantt_chart_at_once(client_for, plan):
    client = client_for("zhou_shangwu")
    before = client.get("/api/v1/work/gantt?on=2020-05-12").json()
    response = client.post(f"/work/tasks/{plan.t1.pk}/report", {
        "percent": "50", "done_text": "完成洽谈", f"done_{plan.m11.pk}": "1", f"done_on_{plan.m11.pk}": "2020-04-29"})
    assert response.status_code == 302 and PIN_COOKIE in response.cookies
    with CaptureQueriesContext(connections["replica"]) as rep:
        after = client.get("/api/v1/work/gantt?on=2020-05-12").json()
    assert not rep.captured_queries  # pinned to the primary
    done = {m[0]: m[4] for m in after["milestones"]}
    assert done[plan.m11.pk] is not None and {m[0]: m[4] for m in before["milestones"]}[plan.m11.pk] is None
