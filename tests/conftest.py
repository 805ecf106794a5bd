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

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from luoshi.daily import services as daily_services
from luoshi.orgs import services
from luoshi.orgs.models import RegionLevel, Role, UnitKind

PASSWORD = "test-password-123"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is the production hasher (tested on its own); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def build_cast():
    s = services
    city, _ = s.save_region(None, code="370100", name="济南市", level=RegionLevel.CITY)
    jiyang, _ = s.save_region(None, code="370115", name="济阳区", level=RegionLevel.COUNTY, parent=city)
    lixia, _ = s.save_region(None, code="370102", name="历下区", level=RegionLevel.COUNTY, parent=city)
    town, _ = s.save_region(None, code="370115001", name="济阳街道", level=RegionLevel.TOWN, parent=jiyang)
    other_town, _ = s.save_region(None, code="370115101", name="曲堤镇", level=RegionLevel.TOWN, parent=jiyang)
    village, _ = s.save_region(None, code="370115001201", name="东关村", level=RegionLevel.VILLAGE, parent=town)
    other_village, _ = s.save_region(None, code="370115001202", name="西街社区", level=RegionLevel.VILLAGE, parent=town)
    far_village, _ = s.save_region(None, code="370115101201", name="王家村", level=RegionLevel.VILLAGE, parent=other_town)

    def unit(code, name, kind, region, short=""):
        return s.save_unit(None, code=code, name=name, kind=kind, region=region, short_name=short)[0]

    units = SimpleNamespace(
        ducha=unit("370115B03", "区委区政府督查室", UnitKind.OFFICE, jiyang, "督查室"),
        fagai=unit("370115D01", "区发展和改革局", UnitKind.DEPARTMENT, jiyang, "发改局"),
        tongji=unit("370115D02", "区统计局", UnitKind.DEPARTMENT, jiyang, "统计局"),
        shangwu=unit("370115D03", "区商务局", UnitKind.DEPARTMENT, jiyang, "商务局"),
        caizheng=unit("370115D04", "区财政局", UnitKind.DEPARTMENT, jiyang, "财政局"),
        town=unit("370115001", "济阳街道办事处", UnitKind.TOWNSHIP, town, "济阳街道"),
        other_town=unit("370115101", "曲堤镇人民政府", UnitKind.TOWNSHIP, other_town, "曲堤镇"),
        village=unit("370115001201", "济阳街道东关村村民委员会", UnitKind.VILLAGE, village, "东关村"),
        other_village=unit("370115001202", "济阳街道西街社区居民委员会", UnitKind.VILLAGE, other_village, "西街社区"),
        far_village=unit("370115101201", "曲堤镇王家村村民委员会", UnitKind.VILLAGE, far_village, "王家村"),
        lixia_gov=unit("370102B02", "历下区政府办公室", UnitKind.OFFICE, lixia, "历下区府办"),
    )
    cast = SimpleNamespace(city=city, jiyang=jiyang, lixia=lixia, town=town, other_town=other_town, village=village,
                           other_village=other_village, far_village=far_village, units=units, password=PASSWORD)

    def person(username, full_name, title, role, unit_obj, region=None, scoped_unit=None):
        user = s.create_account(None, username=username, password=PASSWORD, full_name=full_name)
        s.save_person(None, name=full_name, title=title, unit=unit_obj, user=user)
        if role:
            s.assign_role(None, user=user, role=role, region=region, unit=scoped_unit)
        setattr(cast, username, user)
        return user

    person("wang_admin", "王管理", "信息中心工程师", Role.ADMIN, units.ducha)
    person("sun_leader", "孙区长", "区长", Role.LEADER, units.ducha, region=jiyang)
    person("li_ducha", "李督查", "督查室主任", Role.SUPERVISION, units.ducha, region=jiyang)
    person("zhao_fagai", "赵发改", "发改局局长", Role.ANALYSIS, units.fagai, region=jiyang)
    person("qian_tongji", "钱统计", "统计局副局长", Role.STATISTICS, units.tongji, region=jiyang)
    person("zhou_shangwu", "周商务", "商务局办公室主任", Role.UNIT, units.shangwu, scoped_unit=units.shangwu)
    person("zheng_caizheng", "郑财政", "财政局办公室主任", Role.UNIT, units.caizheng, scoped_unit=units.caizheng)
    person("sun_jiedao", "孙街道", "党政办主任", Role.UNIT, units.town, scoped_unit=units.town)
    person("wu_cunju", "吴村居", "村文书", Role.REPORTER, units.village, scoped_unit=units.village)
    person("chen_cunju", "陈村居", "社区网格员", Role.REPORTER, units.other_village, scoped_unit=units.other_village)
    person("ma_lixia", "马区长", "历下区区长", Role.LEADER, units.lixia_gov, region=lixia)
    person("nobody", "无角色", "", None, None)
    return cast


@pytest.fixture
def cast(db):
    return build_cast()


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
