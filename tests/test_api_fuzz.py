"""A property-based run of the whole JSON API (schemathesis, from the OpenAPI document at /api/v1/openapi.json).

Every operation gets a few generated requests (valid and invalid parameters and bodies), each sent as three people
of the fixed cast: the administrator, a statistics officer (who writes figures) and a village reporter (who sends
daily reports and may read little else), and once without a token. However hostile the request, the answer is
never a server error, and every 4xx is the API's one error shape, {"error": "<Chinese>"}.

Bounded: a handful of examples per operation, no deadline, no shrinking beyond Hypothesis's default phases
(about half a minute on two cores). It runs on the test database of the run (SQLite, or PostgreSQL under
scripts/with-postgres.sh).

Hostile text (core.text): schemathesis writes UTF-8 text, never a lone surrogate and a control character only by
chance, so half the generated JSON bodies get one such character (a lone surrogate, a C0 or C1 control, a
non-character) at the end of every string they hold.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from luoshi.daily import services as daily_services
from luoshi.orgs import services as org_services
from luoshi.wsgi import application
from tests.daily.conftest import FIELDS, START
from tests.indicators.conftest import catalog, city  # noqa: F401  (fixtures)
from tests.indicators.test_table import make_scene
from tests.work.conftest import build_plan

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

HOSTILE = st.sampled_from(["\ud800", "\udfff", "\x07", "\x08", "\x0b", "\x1f", "\x7f", "\x85", "\ufffe", "\uffff"])


def with_char(value, char):
    """The JSON value with `char` after each of its strings (keys left as they are)."""
    if isinstance(value, str):
        return value + char
    if isinstance(value, dict):
        return {key: with_char(item, char) for key, item in value.items()}
    if isinstance(value, list):
        return [with_char(item, char) for item in value]
    return value


def takes_json(operation):
    """Whether the operation's body is JSON (a multipart form is encoded by the client library, which cannot write a
    lone surrogate at all: hostile characters in uploads' fields are tested through the pages, tests/test_hostile_text.py)."""
    bodies = list(getattr(operation, "body", None) or [])
    return all("json" in (alternative.media_type or "") for alternative in bodies)


@schema.hook
def flatmap_body(context, body):
    if not takes_json(context.operation):
        return st.just(body)
    return st.one_of(st.just(body), HOSTILE.map(lambda char: with_char(body, char)))


ROLES = ["wang_admin", "qian_tongji", "wu_cunju"]
# A longer hunt: LUOSHI_FUZZ_EXAMPLES=200 (make test keeps the default).
MAX_EXAMPLES = int(os.environ.get("LUOSHI_FUZZ_EXAMPLES", "8"))


@pytest.fixture
def wsgi_in_test_transaction():
    # Requests go through the WSGI application itself (not Django's test client), whose request signals would close
    # the test's database connection mid-transaction; the test client disconnects the same handler.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(cast, city, catalog, wsgi_in_test_transaction):
    # Something to read and to trip over: figures and targets, a plan with milestones, a daily form with a report.
    make_scene(city, catalog)
    build_plan(cast)
    form = daily_services.define_form(cast.li_ducha, code="yiqing", title="疫情防控日报", region=cast.jiyang, fields=FIELDS)
    daily_services.assign_villages(cast.li_ducha, form, ["370115001"], START)
    daily_services.submit_report(None, form="yiqing", village="370115001201", day=START, values={"new_cases": 0, "checkpoint": "是"})
    out = {}
    for username in ROLES:
        user = getattr(cast, username)
        out[username] = org_services.create_api_token(user, user, "接口测试")[1]
    return out


def check_answer(case, response, who):
    where = f"{case.method} {case.formatted_path} as {who}: {response.status_code} {response.text[:300]!r}"
    assert response.status_code < 500, where
    if response.status_code >= 400:
        assert response.headers.get("content-type", [""])[0].startswith("application/json"), where
        body = json.loads(response.text)
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], where
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]), where


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=MAX_EXAMPLES <= 8, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_api_operation_answers_a_server_error_or_an_error_of_another_shape(case, tokens):
    for who, raw in [*tokens.items(), ("nobody", None)]:
        headers = {"Authorization": f"Bearer {raw}"} if raw else {}
        # The generated Authorization header (schemathesis fills in the declared schemes) is replaced by ours.
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in ("authorization", "x-api-key")}
        response = case.call(headers=headers)
        check_answer(case, response, who)
