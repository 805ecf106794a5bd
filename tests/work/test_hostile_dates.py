"""Days asked about in key work are real days from 2000 to 2100 (core.periods.parse_day): a Chinese message, never a 500."""

import pytest
from django.core.management import CommandError, call_command

from luoshi.work.models import ProgressReport


@pytest.mark.parametrize("raw", ["9999-12-31", "3000-01-01", "2020-02-30", "0001-01-01", "昨天"])
def test_the_work_pages_judge_as_of_today_with_a_message_for_an_impossible_day(client_for, plan, raw):
    client = client_for("li_ducha")
    for url in ["/work/", "/work/gantt/"]:
        response = client.get(url, {"on": raw}, follow=True)
        assert response.status_code == 200
        assert "已按今天显示" in response.content.decode()


@pytest.mark.parametrize("raw", ["9999-12-31", "2020-02-30", "1999-12-31"])
def test_the_work_api_refuses_an_impossible_day_in_chinese(client_for, plan, raw):
    client = client_for("li_ducha")
    for url in ["/api/v1/work/status", "/api/v1/work/rollup", "/api/v1/work/gantt"]:
        response = client.get(url, {"on": raw})
        assert response.status_code in (400, 422), (url, response.status_code)
        assert "error" in response.json()


def test_work_status_refuses_a_day_beyond_2100(plan):
    with pytest.raises(CommandError, match="超出可查询的范围"):
        call_command("work", "status", "--on", "3000-01-01")


def test_a_completion_dated_in_year_9999_is_refused_and_nothing_is_saved(client_for, plan):
    client = client_for("zhou_shangwu")
    before = ProgressReport.objects.count()
    response = client.post(f"/work/tasks/{plan.t1.pk}/report", {
        "percent": "50", "done_text": "推进中", f"done_{plan.m11.pk}": "on", f"done_on_{plan.m11.pk}": "9999-12-31"})
    assert response.status_code in (200, 400)
    assert "超出可查询的范围" in response.content.decode()
    assert ProgressReport.objects.count() == before
