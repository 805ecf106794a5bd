"""A small 2020 plan on the fixed cast (tests/conftest.py).

    双招双引 (monthly reports)
      1   招商引资项目签约 — lead 区商务局, responsible 济阳街道, cooperating 区财政局, leader 孙区长
          1.1 完成项目洽谈   due Thu 30 Apr 2020
          1.2 签订合作协议   due Fri 1 May 2020 (五一: effective Wed 6 May)
          1.3 项目开工       due Tue 30 Jun 2020
    合村并点 (monthly reports)
      2   合村并点安置区建设 — lead 区财政局
          2.1 完成选址       due Fri 3 Apr 2020
      3   历下区协作事项 — lead 历下区政府办公室 (outside 济阳区)
          3.1 对接协作       due Thu 30 Apr 2020
"""

from datetime import date

import pytest

from luoshi.work import services


def build_plan(cast):
    s = services
    u = cast.units
    zs = s.save_campaign(None, name="双招双引", order=0)
    hc = s.save_campaign(None, name="合村并点", order=1)
    from luoshi.orgs.models import Person

    leader = Person.objects.get(user=cast.sun_leader)
    t1, _ = s.save_task(None, campaign=zs, number="1", title="招商引资项目签约", lead_unit=u.shangwu, responsible_units=[u.town],
                        cooperating_units=[u.caizheng], leader_name="孙区长", leader=leader, start=date(2020, 3, 1),
                        deadline=date(2020, 6, 30), indicator_codes=["sjlywz"])
    m11, _ = s.save_milestone(None, task=t1, number="1.1", title="完成项目洽谈", due=date(2020, 4, 30), order=0)
    m12, _ = s.save_milestone(None, task=t1, number="1.2", title="签订合作协议", due=date(2020, 5, 1), follows=m11, order=1)
    m13, _ = s.save_milestone(None, task=t1, number="1.3", title="项目开工", due=date(2020, 6, 30), follows=m12, order=2)
    t2, _ = s.save_task(None, campaign=hc, number="2", title="合村并点安置区建设", lead_unit=u.caizheng,
                        start=date(2020, 2, 1), deadline=date(2020, 4, 3))
    m21, _ = s.save_milestone(None, task=t2, number="2.1", title="完成选址", due=date(2020, 4, 3))
    t3, _ = s.save_task(None, campaign=hc, number="3", title="历下区协作事项", lead_unit=u.lixia_gov,
                        start=date(2020, 3, 1), deadline=date(2020, 4, 30))
    m31, _ = s.save_milestone(None, task=t3, number="3.1", title="对接协作", due=date(2020, 4, 30))
    from types import SimpleNamespace

    return SimpleNamespace(zs=zs, hc=hc, t1=t1, t2=t2, t3=t3, m11=m11, m12=m12, m13=m13, m21=m21, m31=m31)


@pytest.fixture
def plan(cast):
    return build_plan(cast)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def may_12():
    """Tuesday 12 May 2020, 10:00 in 济南 (after the 五一 break)."""
    import time_machine

    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        yield date(2020, 5, 12)


def add_lixia_office(cast):
    """A second district's supervision office (历下区督查室, user liu_ducha), which the fixed cast lacks: the office
    that must not change 济阳区's plan. Added to the cast namespace so client_for("liu_ducha") works."""
    from luoshi.orgs import services as org_services
    from luoshi.orgs.models import Role, UnitKind

    unit, _ = org_services.save_unit(None, code="370102B03", name="历下区委区政府督查室", kind=UnitKind.OFFICE,
                                     region=cast.lixia, short_name="历下督查室")
    user = org_services.create_account(None, username="liu_ducha", password=cast.password, full_name="刘督查")
    org_services.save_person(None, name="刘督查", title="历下区督查室主任", unit=unit, user=user)
    org_services.assign_role(None, user=user, role=Role.SUPERVISION, region=cast.lixia)
    cast.liu_ducha, cast.units.lixia_ducha = user, unit
    return user


@pytest.fixture
def lixia_office(cast):
    return add_lixia_office(cast)
