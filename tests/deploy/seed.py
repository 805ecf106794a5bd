"""Data for the multi-server test, written through luoshi's services into the stack's primary.

    (environment of deploy.stack.Stack.env) .venv/bin/python tests/deploy/seed.py VILLAGES

The fixed cast of tests/conftest.py (its people sign in with its password), one key-work task around today led by
区商务局 (zhou_shangwu reports it, sun_leader and li_ducha read it), a daily form for 济阳街道 and VILLAGES more
villages there, each with a reporter and an API token. Prints what the test needs as one JSON line.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")


def main(villages_n):
    import django

    django.setup()
    from django.utils import timezone

    from luoshi.daily import services as daily_services
    from luoshi.orgs import services as org_services
    from luoshi.orgs.models import RegionLevel, Role, UnitKind
    from luoshi.work import services as work_services
    from tests.conftest import PASSWORD, build_cast
    from tests.daily.conftest import FIELDS

    cast = build_cast()
    today = timezone.localdate()
    campaign = work_services.save_campaign(None, name="双招双引", order=0)
    task, _ = work_services.save_task(None, campaign=campaign, number="1", title="招商引资项目签约",
                                      lead_unit=cast.units.shangwu, responsible_units=[cast.units.town],
                                      start=today - timedelta(days=60), deadline=today + timedelta(days=120))
    m1, _ = work_services.save_milestone(None, task=task, number="1.1", title="完成项目洽谈",
                                         due=today - timedelta(days=10), order=0)
    m2, _ = work_services.save_milestone(None, task=task, number="1.2", title="签订合作协议",
                                         due=today + timedelta(days=30), follows=m1, order=1)

    tokens = {}
    for n in range(1, villages_n + 1):
        code = f"370115001{300 + n:03d}"
        village, _ = org_services.save_region(None, code=code, name=f"测试{n}村", level=RegionLevel.VILLAGE,
                                              parent=cast.town)
        unit, _ = org_services.save_unit(None, code=code, name=f"济阳街道测试{n}村村民委员会", kind=UnitKind.VILLAGE,
                                         region=village)
        user = org_services.create_account(None, username=f"r{code}", password=PASSWORD, full_name=f"测试{n}村文书")
        org_services.assign_role(None, user=user, role=Role.REPORTER, unit=unit)
        _, raw = org_services.create_api_token(None, user, "多服务器测试")
        tokens[code] = raw
    form = daily_services.define_form(cast.li_ducha, code="yiqing", title="疫情防控日报", region=cast.jiyang,
                                      fields=FIELDS)
    daily_services.assign_villages(cast.li_ducha, form, ["370115001"], today - timedelta(days=7))
    print(json.dumps({"password": PASSWORD, "task": task.pk, "milestones": [m1.pk, m2.pk], "form": form.code,
                      "town": cast.town.code, "district": cast.jiyang.code, "tokens": tokens,
                      "today": today.isoformat()}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
