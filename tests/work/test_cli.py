"""luoshi work status: the day is `--on`, and without it today in 济南 (Asia/Shanghai), never an English error."""

import json

import pytest
import time_machine
from django.core.management import call_command

from luoshi.work.transfers import import_schedule
from tests.work.test_transfers import GOOD, xlsx

pytestmark = pytest.mark.django_db


def status_json(*args, capsys):
    call_command("work", "status", "--json", *args)
    return json.loads(capsys.readouterr().out)


def test_work_status_without_on_judges_as_of_today_in_jinan(cast, capsys):
    import_schedule(xlsx(GOOD), filename="配档表.xlsx")
    # 23:30 UTC on Thursday 7 May is 07:30 on Friday 8 May in 济南: today is the 8th.
    with time_machine.travel("2020-05-07 23:30 +0000", tick=False):
        today = status_json(capsys=capsys)
        friday = status_json("--on", "2020-05-08", capsys=capsys)
        thursday = status_json("--on", "2020-05-07", capsys=capsys)
    assert today == friday != thursday
    late = {r["milestone"]: r["working_days_late"] for r in today}
    assert late["签订合作协议"] == 2  # effective due 6 May: Thursday and Friday


def test_work_status_text_without_on_prints_the_totals(cast, capsys):
    with time_machine.travel("2020-05-12 10:00 +0800", tick=False):
        call_command("work", "status")
    assert "合计：" in capsys.readouterr().out
