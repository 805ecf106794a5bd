"""The fixed cast: one named user per role, in a small slice of 济南市.

    wang_admin    administrator (everything)
    sun_leader    leader of 济阳区
    li_ducha      supervision office of 济阳区
    zhao_fagai    analysis office (发改局) of 济阳区
    qian_tongji   statistics (统计局) of 济阳区
    zhou_shangwu  unit: 区商务局
    zheng_caizheng unit: 区财政局 (the "other unit")
    sun_jiedao    unit: 济阳街道办事处 (a town government)
    wu_cunju      reporter: 东关村 (370115001201)
    chen_cunju    reporter: 西街社区 (370115001202, the "other village")
    ma_lixia      leader of 历下区 (a peer district, outside 济阳区's scope)
    nobody        signed in, no role
"""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from luoshi.daily import services as daily_services
from luoshi.orgs import services
from luoshi.orgs.models import RegionLevel, Role, UnitKind

PASSWORD = "test-password-123"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is the production hasher (tested on its own); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _empty_cache():
    # A rolled-back test's site flags would outlive it in the cache, likewise the daily form versions a process has
    # seen. The Gantt chart's judged rows (work.gantt.judged_parts) are deliberately kept from test to test: they
    # must stay right whatever an earlier test left (tasks' revisions are random, never reused).
    cache.clear()
    daily_services._current_versions.clear()


@pytest.fixture(autouse=True)
def _no_token_use_from_other_tests():
    # Last-used times wait in a per-process batch (orgs.services); a rolled-back test's token ids are reused.
    services._token_use.clear()


REGIONS = [  # attribute, code, name, level, parent's attribute
    ("city", "370100", "济南市", RegionLevel.CITY, None),
    ("jiyang", "370115", "济阳区", RegionLevel.COUNTY, "city"),
    ("lixia", "370102", "历下区", RegionLevel.COUNTY, "city"),
    ("town", "370115001", "济阳街道", RegionLevel.TOWN, "jiyang"),
    ("other_town", "370115101", "曲堤镇", RegionLevel.TOWN, "jiyang"),
    ("village", "370115001201", "东关村", RegionLevel.VILLAGE, "town"),
    ("other_village", "370115001202", "西街社区", RegionLevel.VILLAGE, "town"),
    ("far_village", "370115101201", "王家村", RegionLevel.VILLAGE, "other_town"),
]
UNITS = [  # attribute, code, name, kind, region's attribute, short name
    ("ducha", "370115B03", "区委区政府督查室", UnitKind.OFFICE, "jiyang", "督查室"),
    ("fagai", "370115D01", "区发展和改革局", UnitKind.DEPARTMENT, "jiyang", "发改局"),
    ("tongji", "370115D02", "区统计局", UnitKind.DEPARTMENT, "jiyang", "统计局"),
    ("shangwu", "370115D03", "区商务局", UnitKind.DEPARTMENT, "jiyang", "商务局"),
    ("caizheng", "370115D04", "区财政局", UnitKind.DEPARTMENT, "jiyang", "财政局"),
    ("town", "370115001", "济阳街道办事处", UnitKind.TOWNSHIP, "town", "济阳街道"),
    ("other_town", "370115101", "曲堤镇人民政府", UnitKind.TOWNSHIP, "other_town", "曲堤镇"),
    ("village", "370115001201", "济阳街道东关村村民委员会", UnitKind.VILLAGE, "village", "东关村"),
    ("other_village", "370115001202", "济阳街道西街社区居民委员会", UnitKind.VILLAGE, "other_village", "西街社区"),
    ("far_village", "370115101201", "曲堤镇王家村村民委员会", UnitKind.VILLAGE, "far_village", "王家村"),
    ("lixia_gov", "370102B02", "历下区政府办公室", UnitKind.OFFICE, "lixia", "历下区府办"),
]
PEOPLE = [  # username, full name, title, role, unit's attribute, scope: region's or unit's attribute
    ("wang_admin", "王管理", "信息中心工程师", Role.ADMIN, "ducha", None, None),
    ("sun_leader", "孙区长", "区长", Role.LEADER, "ducha", "jiyang", None),
    ("li_ducha", "李督查", "督查室主任", Role.SUPERVISION, "ducha", "jiyang", None),
    ("zhao_fagai", "赵发改", "发改局局长", Role.ANALYSIS, "fagai", "jiyang", None),
    ("qian_tongji", "钱统计", "统计局副局长", Role.STATISTICS, "tongji", "jiyang", None),
    ("zhou_shangwu", "周商务", "商务局办公室主任", Role.UNIT, "shangwu", None, "shangwu"),
    ("zheng_caizheng", "郑财政", "财政局办公室主任", Role.UNIT, "caizheng", None, "caizheng"),
    ("sun_jiedao", "孙街道", "党政办主任", Role.UNIT, "town", None, "town"),
    ("wu_cunju", "吴村居", "村文书", Role.REPORTER, "village", None, "village"),
    ("chen_cunju", "陈村居", "社区网格员", Role.REPORTER, "other_village", None, "other_village"),
    ("ma_lixia", "马区长", "历下区区长", Role.LEADER, "lixia_gov", "lixia", None),
    ("nobody", "无角色", "", None, None, None, None),
]


def _cast_namespace(regions, units, users):
    cast = SimpleNamespace(units=SimpleNamespace(**units), password=PASSWORD, **regions)
    for username, user in users.items():
        setattr(cast, username, user)
    return cast


def build_cast():
    """Save the cast through luoshi's services (as an administrator would) and return it."""
    s = services
    regions, units, users = {}, {}, {}
    for attr, code, name, level, parent in REGIONS:
        regions[attr], _ = s.save_region(None, code=code, name=name, level=level, parent=regions.get(parent))
    for attr, code, name, kind, region, short in UNITS:
        units[attr], _ = s.save_unit(None, code=code, name=name, kind=kind, region=regions[region], short_name=short)
    for username, full_name, title, role, unit, region, scoped_unit in PEOPLE:
        user = s.create_account(None, username=username, password=PASSWORD, full_name=full_name)
        s.save_person(None, name=full_name, title=title, unit=units.get(unit), user=user)
        if role:
            s.assign_role(None, user=user, role=role, region=regions.get(region), unit=units.get(scoped_unit))
        users[username] = user
    return _cast_namespace(regions, units, users)


def load_cast():
    """The cast as the database holds it, or None when it does not (a transactional test emptied the database)."""
    from django.contrib.auth import get_user_model

    from luoshi.orgs.models import Region, Unit

    by_code = {r.code: r for r in Region.objects.filter(code__in=[r[1] for r in REGIONS])}
    unit_by_code = {u.code: u for u in Unit.objects.filter(code__in=[u[1] for u in UNITS])}
    by_name = {u.username: u for u in get_user_model().objects.filter(username__in=[p[0] for p in PEOPLE])}
    if len(by_code) < len(REGIONS) or len(unit_by_code) < len(UNITS) or len(by_name) < len(PEOPLE):
        return None
    return _cast_namespace({attr: by_code[code] for attr, code, *_ in REGIONS},
                           {attr: unit_by_code[code] for attr, code, *_ in UNITS},
                           {p[0]: by_name[p[0]] for p in PEOPLE})


def commit_cast():
    """The cast saved for good (outside any test's transaction), with the fast test hasher."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        build_cast()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The cast is saved once per test database; each test runs in a transaction rolled back afterwards, so every
    # test starts from the same cast. A transactional test starts from an empty database instead (see below).
    with django_db_blocker.unblock():
        commit_cast()


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    return "transactional_db" in names or "live_server" in names or bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))


@pytest.fixture(autouse=True)
def _transactional_tests_start_empty(request):
    # Transactional tests commit, and Django empties the database after each one; the first of them empties it
    # before too, so that each sees the database as it was before the session cast existed.
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        from django.core.management import call_command

        if load_cast() is not None:
            call_command("flush", interactive=False, verbosity=0)


@contextmanager
def committed_data(django_db_blocker, build):
    """For a module's fixture: the database emptied, `build()` committed, and afterwards emptied again with the cast
    restored. Tests inside still run in their own rolled-back transactions."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        built = build()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            commit_cast()


@pytest.fixture
def cast(db):
    return load_cast() or build_cast()


@pytest.fixture
def empty_database(db):
    """For tests that build a whole district themselves (the demo): the database emptied inside the test's own
    transaction, which is rolled back afterwards."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


ROLE_USERS = ["wang_admin", "sun_leader", "li_ducha", "zhao_fagai", "qian_tongji", "zhou_shangwu", "sun_jiedao", "wu_cunju"]


@pytest.fixture
def client_for(client, cast):
    """client_for("zhou_shangwu") → a Django test client signed in as that cast member."""
    from django.test import Client

    def make(username):
        c = Client()
        c.force_login(getattr(cast, username))
        return c

    return make


# Which database ran how many tests: `make test` runs every test on SQLite and again, on PostgreSQL, those marked
# both_databases (pyproject.toml); the summary says so for each stage.
_ran = {"tests": 0, "both_databases": 0, "skipped": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.skipped):
        if report.skipped:
            _ran["skipped"] += 1
            return
        _ran["tests"] += 1
        _ran["both_databases"] += "both_databases" in report.keywords


def pytest_terminal_summary(terminalreporter):
    import os

    url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    terminalreporter.write_line(
        f"数据库 {database}：运行 {_ran['tests']} 个测试，其中标记 both_databases 的 {_ran['both_databases']} 个"
        f"（两个数据库都运行），跳过 {_ran['skipped']} 个")
