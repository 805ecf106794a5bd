"""全市对比 links only where the reader may go: every district's name links to its table for an administrator, only
the reader's own for everyone else — and every link shown opens (no 403 behind a link)."""

import re

import pytest

from tests.indicators.test_table import scene  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
def linked_regions(html):
    return set(re.findall(r'<th><a href="/indicators/\?region=(\d+)&', html))


@pytest.mark.parametrize("username, expected", [("wang_admin", "all"), ("zhao_fagai", {"370115"}),
                                                ("sun_leader", {"370115"}), ("zhou_shangwu", {"370115"}),
                                                ("ma_lixia", {"370102"})])
def test_the_city_matrix_links_only_the_districts_the_reader_may_open(client_for, scene, username, expected):
    client = client_for(username)
    html = client.get("/indicators/matrix/?city=370100&period=2020-03").content.decode()
    districts = set(re.findall(r'data-region="(\d+)"', html))
    assert districts >= {"370102", "370103", "370104", "370115"}
    expected = districts if expected == "all" else expected
    assert linked_regions(html) == expected
    for code in expected:
        assert client.get(f"/indicators/?region={code}&period=2020-03").status_code == 200
