"""Hostile names in the charts and the Content-Security-Policy, in headless Chromium: no script runs, text stays text."""

from datetime import date

import pytest

from luoshi.indicators import services as indicator_services
from luoshi.indicators.models import Indicator
from luoshi.orgs import services as org_services
from luoshi.orgs.models import RegionLevel, UnitKind
from luoshi.work import services
from tests.browser.conftest import keep_screenshot, sign_in
from tests.conftest import build_cast
from tests.daily.conftest import build_form
from tests.indicators.conftest import CITY_COUNTIES
from tests.indicators.test_table import make_scene
from tests.work.conftest import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'

# Violations reported as events as well as on the console (the console wording differs between versions).
WATCH_CSP = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"""

# The tooltip is the one absolutely placed <div> ECharts adds beside the canvas' own wrapper in the chart element.
TOOLTIP = """id => {
  const tip = [...document.getElementById(id).children].find(d => d.tagName === 'DIV' && d.style.zIndex === '9999999');
  return tip && tip.style.display !== 'none' && tip.style.opacity !== '0'
    ? {text: tip.innerText, elements: tip.querySelectorAll('img, svg, script, iframe').length} : null;
}"""


def watch(page):
    """Dialogs (alert/confirm) and CSP violations seen by the page from now on."""
    seen = {"dialogs": [], "csp": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: "Content Security Policy" in m.text and seen["csp"].append(m.text))
    page.add_init_script(WATCH_CSP)
    return seen


def hostile_plan(cast):
    """Beside the cast's plan: a campaign, unit, task and milestones named with script payloads."""
    unit, _ = org_services.save_unit(None, code="370115D66", name=f"区{SVG}局", kind=UnitKind.DEPARTMENT,
                                     region=cast.jiyang, short_name=f"{SVG}局")
    campaign = services.save_campaign(None, name=f"攻坚{IMG}", order=5)
    task, _ = services.save_task(None, campaign=campaign, number="9", title=f"任务{SCRIPT}", lead_unit=unit,
                                 start=date(2020, 3, 1), deadline=date(2020, 6, 30))
    first, _ = services.save_milestone(None, task=task, number="9.1", title=f"节点{IMG}", due=date(2020, 4, 20), order=0)
    services.save_milestone(None, task=task, number="9.2", title=f"节点{SVG}", due=date(2020, 5, 20), follows=first, order=1)
    return unit


def drawn(page):
    page.wait_for_function("() => document.getElementById('gantt').dataset.drawn")


def hover_gantt(page):
    """Moves the mouse onto every bar, group row and milestone of the chart (returns the tooltips shown there),
    then sweeps along every row from end to end."""
    exact, sweep = page.evaluate("""() => {
      const g = window.luoshiGantt, v = g.view(), c = g.chart, at = (x, row) => c.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [x, row]);
      const exact = v.bars.filter(Boolean).map(b => at((b[1] + b[2]) / 2, b[0])).concat(v.marks.map(m => at(m[1], m[0])));
      const sweep = [], box = c.getModel().getComponent('grid').coordinateSystem.getRect();
      v.labels.forEach((_, row) => sweep.push([box.x + 2, box.x + box.width - 2, at(0, row)[1]]));
      return [exact, sweep];
    }""")
    box = page.locator("#gantt").bounding_box()
    seen = []
    for x, y in exact:
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = page.evaluate(TOOLTIP, "gantt")
        if tip:
            seen.append(tip)
    for start, end, y in sweep:  # the mouse passes every 40 px or so
        page.mouse.move(box["x"] + start, box["y"] + y)
        page.mouse.move(box["x"] + end, box["y"] + y, steps=int((end - start) / 40))
    page.mouse.move(0, 0)
    return seen


@pytest.mark.parametrize("username", ["sun_leader", "li_ducha"])
def test_gantt_tooltips_show_script_payloads_as_text_and_run_nothing(page, live_server, username):
    cast = build_cast()
    build_plan(cast)
    hostile_plan(cast)
    seen = watch(page)
    sign_in(page, live_server, username, cast.password)
    page.goto(f"{live_server.url}/work/gantt/?on=2020-05-07")
    drawn(page)
    assert page.locator("#filter-campaign option", has_text=IMG).count() == 1  # the names came through as text
    tips = hover_gantt(page)
    page.select_option("#group-by", "unit")
    page.select_option("#show-milestones", "rows")
    drawn(page)
    tips += hover_gantt(page)
    assert seen["dialogs"] == []
    texts = "\n".join(t["text"] for t in tips)
    assert f"【攻坚{IMG}】1 项" in texts  # the campaign's group row
    assert f"【{SVG}局】1 项" in texts  # the unit's group row
    assert f"任务{SCRIPT}" in texts and f"牵头：{SVG}局" in texts  # the task's bar
    assert f"节点{IMG}" in texts and f"节点{SVG}" in texts  # its milestones
    assert all(t["elements"] == 0 for t in tips)
    assert seen["dialogs"] == [] and seen["csp"] == [] and page.evaluate("window.__cspViolations") == []


def test_gantt_screenshots_on_desktop_and_phone(page, phone_page, live_server):
    cast = build_cast()
    build_plan(cast)
    hostile_plan(cast)
    for shown, name in ((page, "security-gantt.png"), (phone_page, "security-gantt-phone.png")):
        seen = watch(shown)
        sign_in(shown, live_server, "sun_leader", cast.password)
        shown.goto(f"{live_server.url}/work/gantt/?on=2020-05-07")
        drawn(shown)
        assert shown.get_attribute("#gantt", "data-tasks") == "3"
        if shown is page:  # the hostile task's tooltip in the picture
            x, y = shown.evaluate("""() => { const g = window.luoshiGantt, b = g.view().bars.filter(Boolean).pop();
              return g.chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [(b[1] + b[2]) / 2, b[0]]); }""")
            box = shown.locator("#gantt").bounding_box()
            shown.mouse.move(box["x"] + x, box["y"] + y)
            assert f"任务{SCRIPT}" in shown.evaluate(TOOLTIP, "gantt")["text"]
        keep_screenshot(shown, name)
        assert seen["dialogs"] == [] and seen["csp"] == []


def test_indicator_chart_tooltip_shows_a_hostile_region_name_as_text(page, live_server):
    cast = build_cast()
    indicator_services.ensure_catalog()
    city = {"370115": cast.jiyang, "370102": cast.lixia}
    for code, name in CITY_COUNTIES:
        hostile = f"{name}{IMG}" if code == "370103" else name
        city[code], _ = org_services.save_region(None, code=code, name=hostile, level=RegionLevel.COUNTY, parent=cast.city)
    make_scene(city, {i.code: i for i in Indicator.objects.all()})
    seen = watch(page)
    sign_in(page, live_server, "sun_leader", cast.password)
    page.goto(f"{live_server.url}/indicators/i/retail/?region=370115&period=2020-03")
    page.wait_for_selector("#chart-peers canvas")
    page.wait_for_function("() => document.getElementById('chart-peers').dataset.drawn")
    box = page.locator("#chart-peers").bounding_box()
    tips = []
    for step in range(40):  # down the middle of the bars: each row's axis tooltip names its region
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20 + step * (box["height"] - 40) / 40)
        tip = page.evaluate(TOOLTIP, "chart-peers")
        if tip:
            tips.append(tip)
    assert any(f"市中区{IMG}" in t["text"] for t in tips)
    assert all(t["elements"] == 0 for t in tips)
    assert seen["dialogs"] == [] and seen["csp"] == []


def test_escape_helper_turns_markup_into_text(page, live_server):
    cast = build_cast()
    sign_in(page, live_server, "sun_leader", cast.password)
    escape = "value => luoshi.escapeHtml(value)"
    assert page.evaluate(escape, f"{IMG}&'{SVG}") == (
        "&lt;img src=x onerror=alert(1)&gt;&amp;&#39;&quot;&gt;&lt;svg onload=alert(3)&gt;")
    assert page.evaluate(escape, SCRIPT) == "&lt;script&gt;alert(2)&lt;/script&gt;"
    assert page.evaluate(escape, None) == "" and page.evaluate(escape, 12.5) == "12.5" and page.evaluate(escape, "济阳区") == "济阳区"


PAGES = {
    "sun_leader": ["/", "/indicators/", "/indicators/i/retail/?region=370115", "/work/", "/work/gantt/?on=2020-05-07",
                   "/daily/", "/daily/town/370115001/", "/daily/village/370115001201/", "/api/v1/docs"],
    "li_ducha": ["/", "/indicators/", "/work/", "/work/gantt/?on=2020-05-07", "/work/schedule/import/", "/daily/forms/",
                 "/orgs/"],
    "zhou_shangwu": ["/", "/work/mine/", "/work/tasks/{t1}/", "/inbox/", "/account/tokens/"],
    "wu_cunju": ["/", "/daily/report/", "/daily/village/370115001201/"],
}


@pytest.mark.parametrize("username", list(PAGES))
def test_main_pages_work_under_the_policy_without_violations(page, live_server, username):
    cast = build_cast()
    plan = build_plan(cast)
    indicator_services.ensure_catalog()
    build_form(cast)
    seen = watch(page)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, username, cast.password)
    violations = []
    for path in PAGES[username]:
        response = page.goto(f"{live_server.url}{path.format(t1=plan.t1.pk)}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        if "gantt" in path:
            drawn(page)
        if "/indicators/i/" in path:
            page.wait_for_function("() => document.getElementById('chart-peers').dataset.drawn")
        if "/api/v1/docs" in path:
            page.wait_for_selector("#swagger-ui .info .title")
            assert "落实 luoshi API" in page.inner_text("#swagger-ui .info .title")
        violations += page.evaluate("window.__cspViolations")
    assert seen["csp"] == [] and violations == []
    assert errors == [] and seen["dialogs"] == []
