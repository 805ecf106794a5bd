"""The Content-Security-Policy: on every response, scripts only from this site, and no page needs inline script."""

from html.parser import HTMLParser

import pytest
import time_machine

from luoshi.indicators import services as indicator_services
from tests.daily.conftest import DAY, at, build_form
from tests.work.conftest import build_plan

pytestmark = pytest.mark.django_db


def policy(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} 没有 Content-Security-Policy"
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


class InlineCode(HTMLParser):
    """Collects <script> blocks without src (other than JSON data), on… attributes and javascript: links."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append(self.get_starttag_text())
        for name, value in attrs.items():
            if name.startswith("on") or name.startswith("hx-on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(self.get_starttag_text())


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def scene(cast):
    indicator_services.ensure_catalog()
    plan = build_plan(cast)
    build_form(cast)
    return plan


def pages(plan):
    return ["/", "/indicators/", "/indicators/matrix/", "/indicators/i/retail/?region=370115",
            "/indicators/i/retail/?region=370115&period=2020-03", "/indicators/catalog/", "/indicators/import/",
            "/work/", "/work/mine/", f"/work/tasks/{plan.t1.pk}/", "/work/gantt/?on=2020-05-07", "/work/schedule/import/",
            "/daily/report/", "/daily/town/370115001/", "/daily/village/370115001201/", "/daily/forms/", "/daily/forms/yiqing/",
            "/orgs/", "/orgs/people/", "/inbox/", "/account/tokens/", "/audit/", "/api/v1/docs"]


@pytest.mark.parametrize("username", ["wang_admin", "sun_leader", "li_ducha", "zhou_shangwu", "wu_cunju"])
def test_every_page_a_role_opens_has_the_policy_and_no_inline_script(client_for, scene, username):
    client = client_for(username)
    opened = 0
    with time_machine.travel(at(DAY, 9), tick=False):
        for path in pages(scene):
            response = client.get(path)
            csp = policy(response)
            assert csp["script-src"] == ["'self'"], path
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                opened += 1
                assert inline_code(response.content.decode()) == [], path
    assert opened >= 5  # each role opens at least its home, board and account pages


def test_the_policy_allows_only_this_site(client):
    csp = policy(client.get("/login/"))
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"] and csp["connect-src"] == ["'self'"]
    assert "'unsafe-eval'" not in str(csp) and "http" not in str(csp)
    # Inline styles only: ECharts' tooltips are HTML with style attributes.
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert inline_code(client.get("/login/").content.decode()) == []


def test_api_answers_and_errors_carry_the_policy_too(client, client_for, cast):
    assert policy(client.get("/api/v1/work/plan"))["script-src"] == ["'self'"]  # 401 JSON
    assert policy(client.get("/api/v1/openapi.json"))["script-src"] == ["'self'"]
    assert policy(client_for("sun_leader").get("/api/v1/work/plan"))["script-src"] == ["'self'"]
    assert policy(client_for("sun_leader").get("/no-such-page/"))["script-src"] == ["'self'"]  # 404


def test_api_docs_page_uses_the_bundled_swagger_ui_without_inline_script(client_for, cast):
    response = client_for("sun_leader").get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200 and "swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html and inline_code(html) == []


def test_parser_finds_the_inline_code_it_looks_for():
    assert inline_code('<script type="application/json" id="d">{}</script><script src="/s.js"></script>') == []
    assert len(inline_code("<script>alert(1)</script>")) == 1
    assert len(inline_code('<button onclick="go()">x</button><a href="javascript:go()">y</a>')) == 2
