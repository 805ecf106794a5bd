"""全市对比 as the page showed it when the template wrote every row: the rows are now built in Python
(views._matrix_body) and the query reads the figures region by region (queries.matrix), so these hold the page
against the template it replaced — values, ranks with ties, blanks, links, the average, hostile names escaped — and
the query against the figures themselves, on both databases (the two read the figures with different SQL)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import engines
from django.utils.safestring import mark_safe

from luoshi.core.ranking import competition_ranks
from luoshi.indicators import queries
from luoshi.indicators.models import Figure, Indicator, PeerGrowth
from luoshi.orgs import services as org_services
from luoshi.orgs.models import Region, RegionLevel
from tests.indicators.test_table import MAR, figures, make_scene

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

HOSTILE_REGION = '<img src=x onerror="alert(1)">区 & \'引\''
HOSTILE_INDICATOR = '<script>alert("指标")</script> & 外资'

# The rows as matrix.html wrote them before (commit 14422eb), with the cells as views._cells_html built them.
BEFORE = """{% for row in data.rows %}
    <tr data-region="{{ row.region }}"><th>{% if row.may_open %}<a href="{% url 'indicators:index' %}?region={{ row.region }}&period={{ period_code }}">{{ row.name }}</a>{% else %}{{ row.name }}{% endif %}</th>
      {{ row.cells_html }}
      <td class="num">{{ row.average_rank|default_if_none:"—" }}</td></tr>
  {% endfor %}"""
BEFORE_HEAD = """{% for i in data.indicators %}<th><a href="?city={{ city.code }}&period={{ period_code }}&sort={{ i.code }}" title="按位次排序">{{ i.name }}</a>{% if sort == i.code %} ▲{% endif %}<br><small class="muted">增长% · 位次</small></th>{% endfor %}"""


def cells_html_before(row):
    parts = []
    for c in row["cells"]:
        if c["growth"] is None:
            parts.append('<td class="num">—</td>')
        else:
            parts.append(f'<td class="num">{float(c["growth"]):g} · <strong>{int(c["rank"])}</strong></td>')
    return mark_safe("".join(parts))


def rendered_before(data, readable, sort=""):
    for row in data["rows"]:
        row["cells_html"] = cells_html_before(row)
        row["may_open"] = readable is None or row["region"] in readable
    context = {"data": data, "period_code": data["period"], "city": {"code": data["city"]}, "sort": sort}
    django_engine = engines["django"]
    return django_engine.from_string(BEFORE).render(context), django_engine.from_string(BEFORE_HEAD).render(context)


def page_parts(html):
    body = re.search(r"<tbody>\n  (.*)\n  </tbody>", html, re.S).group(1)
    head = re.search(r'<thead><tr><th><a href="[^"]*">地区</a></th>\n    (.*)\n    <th><a href="[^"]*average', html, re.S).group(1)
    return body, head


@pytest.fixture
def hostile_scene(city, catalog):
    """The table's scene, plus a county with a hostile name (no figures), a hostile indicator name, a figure with a
    value and no growth, growth rounded half up for the page, and figures the matrix must leave out: an earlier
    version, a town under a county, a county of another city."""
    make_scene(city, catalog)
    Indicator.objects.filter(code="fdi").update(name=HOSTILE_INDICATOR)
    region, _ = org_services.save_region(None, code="370199", name=HOSTILE_REGION, level=RegionLevel.COUNTY,
                                         parent=city["370115"].parent)
    city["370199"] = region
    figures(catalog, city, "industry_va", MAR, {"370104": None}, {"370104": Decimal("88.5")})
    figures(catalog, city, "gdp", MAR, {"370105": 2.345, "370112": 2.344})
    figures(catalog, city, "gdp", MAR, {"370112": 9.9})  # a second version: 2.344 no longer current
    town, _ = org_services.save_region(None, code="370115001", name="某镇", level=RegionLevel.TOWN, parent=city["370115"])
    other_city, _ = org_services.save_region(None, code="370200", name="青岛市", level=RegionLevel.CITY)
    other, _ = org_services.save_region(None, code="370202", name="市南区", level=RegionLevel.COUNTY, parent=other_city)
    figures(catalog, {"t": town, "o": other}, "retail", MAR, {"t": 99.0, "o": 98.0})
    return city


@pytest.mark.parametrize("username, sort", [("wang_admin", ""), ("wang_admin", "retail"), ("wang_admin", "average"),
                                            ("zhao_fagai", ""), ("ma_lixia", "fdi")])
def test_the_matrix_page_shows_the_rows_the_template_wrote(client_for, hostile_scene, username, sort):
    from django.contrib.auth import get_user_model

    from luoshi.indicators import access

    html = client_for(username).get(f"/indicators/matrix/?city=370100&period=2020-03&sort={sort}").content.decode()
    readable = access.readable_region_ids(get_user_model().objects.get(username=username))
    if readable is not None:
        readable = set(Region.objects.filter(pk__in=readable).values_list("code", flat=True))
    body, head = rendered_before(queries.matrix(hostile_scene["370115"].parent, MAR, sort=sort or None), readable, sort)
    assert page_parts(html) == (body, head)


def test_the_matrix_page_cells_ranks_blanks_and_escaping(client_for, hostile_scene):
    html = client_for("wang_admin").get("/indicators/matrix/?city=370100&period=2020-03").content.decode()
    rows = dict(re.findall(r'<tr data-region="(\d+)"><th>(.*?)</tr>', html, re.S))
    assert list(rows) == ["370102", "370103", "370104", "370105", "370112", "370115", "370199"]
    # retail 1-3月: 5.0 first, 3.5 and 3.5 share second, then 2.0 fourth (competition ranking)
    assert '<td class="num">5 · <strong>1</strong></td>' in rows["370103"]
    assert '<td class="num">3.5 · <strong>2</strong></td>' in rows["370115"]
    assert '<td class="num">3.5 · <strong>2</strong></td>' in rows["370102"]
    assert '<td class="num">2 · <strong>4</strong></td>' in rows["370105"]
    # gdp: 2.345 shows as 2.35 (half up) and ranks below 370112's current 9.9, not its earlier 2.344
    assert '<td class="num">2.35 · <strong>2</strong></td>' in rows["370105"]
    assert '<td class="num">9.9 · <strong>1</strong></td>' in rows["370112"]
    # the hostile county: escaped, linked, every cell and the average blank
    assert HOSTILE_REGION not in html and "<img" not in html
    hostile = rows["370199"]
    assert ('<a href="/indicators/?region=370199&period=2020-03">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;区 &amp; '
            '&#x27;引&#x27;</a></th>') in hostile
    assert re.sub(r'<td class="num">—</td>', "", hostile.split("</th>", 1)[1]).split() == []
    # the hostile indicator name, escaped in its column head
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;指标&quot;)&lt;/script&gt; &amp; 外资</a>" in html
    # the town under a county and the other city's county are not rows
    assert "370115001" not in rows and "370202" not in rows


def test_the_matrix_reads_the_current_figures_of_the_citys_counties(hostile_scene):
    """queries.matrix against the figures themselves (the ORM and core.ranking), on both databases."""
    city = hostile_scene["370115"].parent
    data = queries.matrix(city, MAR)
    counties = list(Region.objects.filter(parent=city, level=RegionLevel.COUNTY).order_by("code"))
    current = {(f.region_id, f.indicator_id): f for f in Figure.objects.filter(region__in=counties, period=MAR, current=True)}
    shown = [i for i in Indicator.objects.all() if any(i.pk == k[1] for k in current)]
    assert [i["code"] for i in data["indicators"]] == [i.code for i in shown]
    assert [r["region"] for r in data["rows"]] == [r.code for r in counties]
    for n, indicator in enumerate(shown):
        ranks = competition_ranks({r.pk: current[r.pk, indicator.pk].growth for r in counties if (r.pk, indicator.pk) in current})
        assert data["indicators"][n]["peers"] == len(ranks)
        for row, region in zip(data["rows"], counties):
            cell = row["cells"][n]
            figure = current.get((region.pk, indicator.pk))
            assert cell["indicator"] == indicator.code
            assert cell["value"] == (queries._num(figure.value) if figure else None)
            assert cell["growth"] == (float(Decimal(figure.growth).quantize(Decimal("0.01"), "ROUND_HALF_UP"))
                                      if figure and figure.growth is not None else None)
            assert cell["rank"] == ranks.get(region.pk)
    by_region = {r["region"]: r for r in data["rows"]}
    assert by_region["370104"]["cells"][[i.code for i in shown].index("industry_va")] == {
        "indicator": "industry_va", "value": 88.5, "growth": None, "rank": None}
    assert by_region["370199"]["average_rank"] is None


def test_the_matrix_periods_and_default_come_from_the_counties_growth(client_for, hostile_scene, catalog):
    city = hostile_scene["370115"].parent
    assert queries.matrix_periods(city) == [MAR, date(2020, 2, 1)]
    assert queries.matrix_latest_period(city) == MAR
    figures(catalog, hostile_scene, "retail", date(2099, 1, 1), {"370103": 1.0})  # entered ahead: offered, not the default
    assert queries.matrix_periods(city)[0] == date(2099, 1, 1)
    assert queries.matrix_latest_period(city) == MAR
    html = client_for("wang_admin").get("/indicators/matrix/?city=370100").content.decode()
    assert 'name="period" value="2020-03"' in html
    assert '<option value="2099-01"><option value="2020-03"><option value="2020-02">' in html
    assert PeerGrowth.objects.filter(parent=city).exists()
    assert queries.matrix_periods(Region.objects.get(code="370200")) == [MAR]  # the other city's county
