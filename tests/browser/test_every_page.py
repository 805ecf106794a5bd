"""A newcomer's first day (issue #15): after a fresh `luoshi demo`, every demo role opens every page in its navigation
on a desktop and on a 390 px phone. No 4xx/5xx, no console error, no sideways scrolling on the phone, no raw field
code or Python dict in the text; a screenshot of each page in the test output.

Problems in pages that another part of issue #15 is fixing are listed in KNOWN (the owner in the reason): the test
then ends as xfail (strict=False) naming them, and fails on anything else."""

import re
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from tests.browser.conftest import keep_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "luoshi-demo-2020"
ROLES = ["admin", "leader", "ducha", "fagai", "tongji", "shangwu", "jiedao", "cunju"]
FIELD_CODE = re.compile(r"\b[a-z]+_[a-z_]+=")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# (kind, path regex) → the reason, naming the helper who owns the fix. Empty when everything is fixed.
KNOWN = {}


def _known(problem):
    kind, path = problem[1], problem[2]
    for (known_kind, pattern), reason in KNOWN.items():
        if known_kind == kind and re.search(pattern, path):
            return reason
    return None


def _sign_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert urlparse(page.url).path != "/login/", f"{username} 未能登录"


def _pages(page, base):
    """Home, every navigation link, the inbox and the personal menu's links, then one level below where cheap: the
    first link in each page's main content to a page not listed yet."""
    page.goto(f"{base}/")
    hrefs = page.eval_on_selector_all(".mainnav a[href], .userbox a[href]", "els => els.map(e => e.getAttribute('href'))")
    paths = ["/"] + [h for h in hrefs if h.startswith("/") and not h.startswith("/api/")]
    seen = list(dict.fromkeys(paths))
    below = []
    for path in list(seen):
        if path == "/":
            continue
        page.goto(base + path)
        links = page.eval_on_selector_all(
            "main a[href^='/']:not([href*='.xlsx']):not([href*='.docx']):not([href*='export']):not([href*='/api/'])",
            "els => els.map(e => e.getAttribute('href'))")
        for link in links:
            clean = link.split("#")[0]
            if clean and clean not in seen and clean not in below and "logout" not in clean and "/download" not in clean:
                below.append(clean)
                break
    return seen + below


def _visit(page, base, role, path, width_name, problems, responses, console):
    responses.clear()
    console.clear()
    # goto waits for the load event: every stylesheet, script and picture has answered by then, and no luoshi page
    # fetches anything after it (charts read their data from json_script), so no network-idle wait is needed.
    page.goto(base + path)
    where = f"{role} {width_name} {path}"
    for status, url in responses:
        problems.append((where, f"http {status}", urlparse(url).path, url))
    for text in console:
        problems.append((where, "console", path, text[:200]))
    text = page.inner_text("body")
    for match in FIELD_CODE.finditer(text):
        problems.append((where, "field code", path, text[max(0, match.start() - 30):match.end() + 30]))
    for literal in ("{'", "': "):
        if literal in text:
            i = text.index(literal)
            problems.append((where, "dict literal", path, text[max(0, i - 40):i + 40]))
    if width_name == "phone":
        wide = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1] + 1:
            problems.append((where, "sideways scroll", path, f"scrollWidth {wide[0]} > innerWidth {wide[1]}"))
    name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
    keep_screenshot(page, f"every-page-{role}-{width_name}-{name}.png", full_page=False)


def test_every_demo_role_opens_every_page_on_a_desktop_and_a_phone_without_errors(browser, live_server):
    call_command("demo", "--as-of", "2020-05-12")
    base = live_server.url
    problems = []
    for role in ROLES:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(20000)
        responses, console = [], []
        page.on("response", lambda r, responses=responses: r.status >= 400 and responses.append((r.status, r.url)))
        page.on("console", lambda m, console=console: m.type == "error" and console.append(m.text))
        page.on("pageerror", lambda e, console=console: console.append(f"pageerror: {e}"))
        try:
            _sign_in(page, base, role)
            paths = _pages(page, base)
            for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(viewport)
                for path in paths:
                    _visit(page, base, role, path, width_name, problems, responses, console)
        finally:
            context.close()
    unknown = [p for p in problems if _known(p) is None]
    assert not unknown, "\n".join(f"{w}: {kind} {detail}" for w, kind, _, detail in unknown)
    known = sorted({_known(p) for p in problems})
    if known:
        pytest.xfail("；".join(known))


def test_the_api_docs_render_their_operations_with_every_other_host_blocked(page, live_server):
    call_command("demo", "--as-of", "2020-05-12")
    blocked = []

    def only_local(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    _sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() >= 10
    assert "/api/v1/" in page.inner_text("body")
    assert not blocked, blocked
    keep_screenshot(page, "api-docs-offline.png")


def test_the_gantt_axis_labels_carry_the_year(page, live_server):
    call_command("demo", "--as-of", "2020-05-12")
    _sign_in(page, live_server.url, "ducha")
    page.goto(f"{live_server.url}/work/gantt/?on=2020-05-12")
    page.wait_for_function("() => document.getElementById('gantt').dataset.drawn")
    labels = page.evaluate("""() => {
        const axis = echarts.getInstanceByDom(document.getElementById('gantt')).getOption().xAxis[0].axisLabel;
        return [axis.formatter(new Date(2026, 0, 1).getTime(), 3), axis.formatter(new Date(2026, 4, 1).getTime(), 0),
                axis.formatter(new Date(2026, 4, 1).getTime(), 2), axis.hideOverlap];
    }""")
    assert labels == ["2026年1月", "2026年5月", "5月", True]
    page.click("[data-zoom=week]")
    page.wait_for_function("() => document.getElementById('gantt').dataset.drawn")
    week = page.evaluate("""() => {
        const axis = echarts.getInstanceByDom(document.getElementById('gantt')).getOption().xAxis[0].axisLabel;
        return [axis.formatter(new Date(2026, 0, 5).getTime(), 4), axis.formatter(new Date(2026, 4, 11).getTime(), 0),
                axis.formatter(new Date(2026, 4, 18).getTime(), 1)];
    }""")
    assert week == ["2026年1月5日", "2026年5月11日", "5月18日"]
