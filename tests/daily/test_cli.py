"""luoshi daily status --date … [--town …] [--json]: the contract keys, one object per village."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.daily.conftest import DAY, at, submit

pytestmark = pytest.mark.django_db


def status(*args):
    out = StringIO()
    call_command("daily", "status", *args, stdout=out)
    return out.getvalue()


def test_json_has_one_object_per_village_with_the_contract_keys(cast, form):
    submit(cast, now=at(DAY, 9, 5))
    submit(cast, user="chen_cunju", village="370115001202", now=at(DAY, 10, 30), zero_report=True, values=None)
    rows = json.loads(status("--date", "2020-04-14", "--json"))
    assert [r["village"] for r in rows] == ["370115001201", "370115001202", "370115101201"]
    assert set(rows[0]) >= {"village", "name", "town", "status", "submitted_at", "zero_report"}
    assert rows[0] | {} == {**rows[0], "village": "370115001201", "name": "东关村", "town": "370115001", "status": "on_time",
                            "submitted_at": "2020-04-14T09:05:00+08:00", "zero_report": False}
    assert (rows[1]["status"], rows[1]["zero_report"]) == ("late", True)
    assert (rows[2]["status"], rows[2]["submitted_at"], rows[2]["zero_report"]) == ("missing", None, False)


def test_town_option_keeps_only_its_villages(cast, form):
    rows = json.loads(status("--date", "2020-04-14", "--town", "370115101", "--json"))
    assert [(r["village"], r["town"]) for r in rows] == [("370115101201", "370115101")]


def test_status_keeps_the_first_submission_time_after_a_correction(cast, form):
    submit(cast, now=at(DAY, 9), idempotency_key="a")
    submit(cast, now=at(DAY, 11), idempotency_key="b")
    row = json.loads(status("--date", "2020-04-14", "--json"))[0]
    assert (row["status"], row["submitted_at"], row["version"]) == ("on_time", "2020-04-14T09:00:00+08:00", 2)


def test_a_day_before_the_form_started_lists_no_villages(cast, form):
    assert json.loads(status("--date", "2020-03-31", "--json")) == []


def test_text_output_lists_villages_and_totals(cast, form):
    submit(cast, now=at(DAY, 9, 5))
    out = status("--date", "2020-04-14")
    assert "济阳街道 东关村（370115001201）[yiqing]：按时报送 09:05" in out
    assert "2020-04-14 合计：按时报送 1，逾期报送 0，未报 2" in out


def test_bad_date_and_unknown_town_are_explained(cast, form):
    with pytest.raises(CommandError, match="无法识别的日期「2020-4-x」"):
        status("--date", "2020-4-x")
    with pytest.raises(CommandError, match="镇（街道）370115999 不存在"):
        status("--date", "2020-04-14", "--town", "370115999")


def test_on_is_the_day_and_the_old_date_flag_gives_the_same_rows(cast, form):
    submit(cast, now=at(DAY, 9, 5))
    by_on = status("--on", "2020-04-14", "--json")
    assert json.loads(by_on)[0]["status"] == "on_time"
    assert status("--date", "2020-04-14", "--json") == by_on
    assert status("--on", "2020-04-15", "--json") != by_on
    with pytest.raises(CommandError, match="无法识别的日期「2020-4-x」"):
        status("--on", "2020-4-x")


def test_without_a_day_the_status_is_today_in_jinan(cast, form):
    submit(cast, now=at(DAY, 9, 5))
    import time_machine

    # 17:00 UTC on 13 April is 01:00 on 14 April in 济南.
    with time_machine.travel("2020-04-13 17:00 +0000", tick=False):
        assert status("--json") == status("--on", "2020-04-14", "--json")
        assert "2020-04-14 合计：" in status()
