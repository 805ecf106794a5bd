"""`luoshi breakdown import` and `luoshi work import-plan` (issue #25's contract): the same service as the page."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from luoshi.work.models import Milestone, Task
from luoshi.work.queries import board, status_rows
from tests.breakdown import documents as d

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def table_file(tmp_path):
    path = tmp_path / "方案.docx"
    path.write_bytes(d.word_table(d.TABLE_ROWS))
    return str(path)


def test_a_dry_run_lists_the_items_as_json_and_saves_nothing(cast, table_file, march_20):
    result = json.loads(run("breakdown", "import", table_file, "--region", "370115", "--year", "2026", "--dry-run",
                            "--json"))
    assert result["saved"] is False and result["problems"] == []
    assert result["tasks"][1] == {
        "section": "一、着力扩大有效需求", "number": "2",
        "title": "开展消费提振年活动，6月底前出台促消费政策措施，年底前社会消费品零售总额增长6%。",
        "text": "2｜开展消费提振年活动，6月底前出台促消费政策措施，年底前社会消费品零售总额增长6%。｜区商务局｜区统计局、区财政局",
        "lead_units": ["370115D03"], "units": ["370115D02", "370115D04"], "leader": None, "due": "2026-12-31",
        "status": "added"}
    assert [t["lead_units"] for t in result["tasks"]] == [["370115D01", "370115D04"], ["370115D03"],
                                                          ["370115D01", "370115001"]]
    assert not Task.objects.exists()


def test_work_import_plan_saves_every_item_as_a_task_that_work_status_lists(cast, table_file, march_20):
    result = json.loads(run("work", "import-plan", table_file, "--region", "370115", "--year", "2026", "--json"))
    assert result["saved"] is True
    assert Task.objects.count() == 3 and all(t.milestones.exists() for t in Task.objects.all())
    listed = {row["task"] for row in status_rows(board(date(2026, 3, 20)))}
    assert len(listed) == 3
    again = json.loads(run("work", "import-plan", table_file, "--region", "370115", "--year", "2026", "--json"))
    assert (again["saved"], again["unchanged"]) == (False, True)
    assert Milestone.objects.count() == 7


def test_problems_stop_the_import_with_exit_status_one(cast, tmp_path, march_20):
    path = tmp_path / "方案.docx"
    path.write_bytes(d.word_table([["1", "建设智慧城市大脑，年底前建成。", "区府办", ""]]))
    with pytest.raises(CommandError, match="有 1 个问题，未保存"):
        run("breakdown", "import", str(path), "--region", "370115", "--year", "2026", "--json")
    assert not Task.objects.exists()
    with pytest.raises(CommandError, match="没有行政区划代码为 999999 的地区"):
        run("breakdown", "import", str(path), "--region", "999999", "--year", "2026")
    with pytest.raises(CommandError, match="年度应在 2000 年至 2100 年之间"):
        run("breakdown", "import", str(path), "--region", "370115", "--year", "1999")
