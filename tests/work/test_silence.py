"""`luoshi work status` states a task's missed report periods (issue #12): the JSON key `missed_periods` beside every
existing key, and "缺报 N 期" beside the light in the text."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from luoshi.work import services

pytestmark = pytest.mark.django_db


def test_cli_work_status_json_adds_missed_periods_and_keeps_the_contract_keys(plan, capsys):
    # Judged Thu 7 May 2020. Task 1 (monthly, started 1 Mar) reported Fri 10 Apr: March missed, April reported → 0 in a
    # row. Task 2 (started 1 Feb, no report): February, March, April → 3. 1.3 (due 30 Jun) is not due: 推进中 even
    # in a silent task; 2.1 (due 3 Apr, not done) is past due in a silent task → 严重滞后.
    services.submit_report(None, plan.t1, percent=30, reported_on=date(2020, 4, 10))
    call_command("work", "status", "--on", "2020-05-07", "--json")
    rows = {r["milestone_number"]: r for r in json.loads(capsys.readouterr().out)}
    contract = {"campaign", "task", "milestone", "lead_unit", "due", "effective_due", "done_on", "status",
                "working_days_late", "task_light", "task_number", "milestone_number", "missed_periods"}
    assert all(contract <= set(r) for r in rows.values())
    assert [rows[n]["missed_periods"] for n in ("1.1", "1.2", "1.3", "2.1")] == [0, 0, 0, 3]
    assert rows["2.1"]["status"] == "seriously_overdue" and rows["2.1"]["task_light"] == "red"


def test_cli_work_status_text_shows_the_flag_beside_the_light(plan, capsys):
    # No report at all, judged 7 May 2020: task 1 missed March and April; 1.3 (due Tue 30 Jun) is 推进中, not late.
    call_command("work", "status", "--on", "2020-05-07")
    out = capsys.readouterr().out
    assert "[红灯 缺报 2 期] 双招双引 / 招商引资项目签约 / 项目开工（商务局）完成时限 2020-06-30：推进中" in out
    assert "[红灯 缺报 3 期] 合村并点 / 合村并点安置区建设 / 完成选址" in out
