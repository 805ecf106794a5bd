"""`luoshi projects import|status|export` per the issue's contract."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.projects.models import Project
from tests.projects.tables import project, workbook


def run(*args):
    out = StringIO()
    call_command("projects", *args, stdout=out)
    return out.getvalue()


def test_status_json_is_the_contract(cast, pool, frozen):
    data = json.loads(run("status", "--region", "370115", "--period", "2020-03", "--json"))
    assert list(data) == ["period", "pace", "projects", "summary"]
    assert data["projects"][2] == {"name": "济阳街道社区服务中心", "kind": "新建", "unit": "济阳街道", "total_investment": 6000.0,
                                   "year_plan": 5000.0, "done_ytd": 0.0, "completion_rate": 0.0, "light": "red",
                                   "started": False, "in_statistics": False}
    assert data["summary"]["completion_rate"] == 15.45


def test_status_in_words(cast, pool, frozen):
    text = run("status", "--region", "370115", "--period", "2020-03")
    assert "[红灯] 济阳街道社区服务中心（新建，济阳街道）" in text and "未报送：济阳街道（济阳街道社区服务中心）" in text


def test_import_json_dry_run_then_for_real(cast, frozen, tmp_path):
    path = tmp_path / "调度表.xlsx"
    path.write_bytes(workbook([("一、产业项目", [project("命令行项目", unit="区财政局", plan=500, done=100)])]))
    data = json.loads(run("import", str(path), "--region", "370115", "--period", "2020-03", "--dry-run", "--json"))
    assert data["ok"] is True and data["dry_run"] is True and data["created"] == 1
    assert not Project.objects.filter(name="命令行项目").exists()
    assert "已导入：2020-03 调度表 1 个项目，新增 1" in run("import", str(path), "--region", "370115", "--period", "2020-03")
    assert Project.objects.get(name="命令行项目").category == "产业项目"


def test_a_rejected_import_lists_every_problem_and_exits_1(cast, frozen, tmp_path):
    path = tmp_path / "调度表.xlsx"
    path.write_bytes(workbook([(None, [project("坏项目", unit="区宇宙局")])], fix_total={5: 1}))
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("projects", "import", str(path), "--region", "370115", "--period", "2020-03", "--json", stdout=out)
    assert failed.value.returncode == 1
    data = json.loads(out.getvalue())
    assert data["ok"] is False and data["problems"][0]["column"] == "责任单位"
    with pytest.raises(CommandError, match="地区 999999 不存在"):
        run("status", "--region", "999999", "--period", "2020-03")
    with pytest.raises(CommandError, match="调度月份"):
        run("status", "--region", "370115", "--period", "2020-13")


def test_export_writes_the_table(cast, pool, frozen, tmp_path):
    path = tmp_path / "out.xlsx"
    assert "已导出调度表" in run("export", str(path), "--region", "370115", "--period", "2020-03")
    assert path.stat().st_size > 1000
