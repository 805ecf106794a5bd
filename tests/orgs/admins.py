"""Administrators of one county, added to the cast (tests/conftest.py) by the tests that need them:

    jiyang_admin  administrator of 济阳区 (370115): its people, units, regions below it, roles, robots
    lixia_admin   administrator of 历下区 (370102), a peer county: none of 济阳区's
"""

from luoshi.orgs import services
from luoshi.orgs.models import Role


def add_region_admins(cast):
    for username, full_name, unit, region in (("jiyang_admin", "济阳管理", cast.units.ducha, cast.jiyang),
                                              ("lixia_admin", "历下管理", cast.units.lixia_gov, cast.lixia)):
        user = services.create_account(None, username=username, password=cast.password, full_name=full_name)
        services.save_person(None, name=full_name, title="信息中心", unit=unit, user=user)
        services.assign_role(None, user=user, role=Role.ADMIN, region=region)
        setattr(cast, username, user)
    return cast
