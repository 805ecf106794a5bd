"""The real `luoshi` command in a subprocess, on its own SQLite database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.both_databases

HEADER = "代码,名称,类别,上级代码\n"


def run(args, data_dir):
    env = {**os.environ, "LUOSHI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "luoshi.settings"}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "luoshi", *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli")
    result = run(["migrate", "--noinput"], path)
    assert result.returncode == 0, result.stderr
    return path


def test_python_m_luoshi_lists_the_project_subcommands(data_dir):
    result = run(["help"], data_dir)
    assert result.returncode == 0
    for name in ["import", "export", "demo", "migrate", "createsuperuser"]:
        assert name in result.stdout


def test_import_orgs_exits_1_with_the_problems_and_0_when_saved(data_dir):
    bad = Path(data_dir) / "bad.csv"
    bad.write_text(HEADER + "370100,济南市,市,\n370115,,县级,370100\n", encoding="utf-8")
    result = run(["import", "orgs", str(bad)], data_dir)
    assert result.returncode == 1
    assert "第3行「名称」列：名称不能为空" in result.stderr

    good = Path(data_dir) / "good.csv"
    good.write_text(HEADER + "370100,济南市,市,\n370115,济阳区,县级,370100\n", encoding="utf-8")
    result = run(["import", "orgs", str(good)], data_dir)
    assert result.returncode == 0, result.stderr
    assert "已导入 2 个地区" in result.stdout

    out = Path(data_dir) / "out.csv"
    result = run(["export", "orgs", str(out)], data_dir)
    assert result.returncode == 0
    assert "370115,济阳区,县级,370100" in out.read_text(encoding="utf-8-sig")


def test_unknown_import_kind_is_an_error(data_dir):
    result = run(["import", "nonsense", "x.csv"], data_dir)
    assert result.returncode != 0 and "未知的导入种类" in result.stderr


def test_work_and_daily_status_without_a_day_judge_today_and_old_flags_still_work(data_dir):
    for args in (["work", "status"], ["work", "status", "--on", "2020-05-12"], ["daily", "status"],
                 ["daily", "status", "--on", "2020-04-14"], ["daily", "status", "--date", "2020-04-14"]):
        result = run(args, data_dir)
        assert result.returncode == 0, (args, result.stderr)
        assert "合计：" in result.stdout
    result = run(["daily", "status", "--date", "2020-04-14", "--json"], data_dir)
    assert result.returncode == 0 and result.stdout.strip() == "[]"


def test_a_command_without_its_subcommand_or_with_a_bad_day_answers_in_chinese(data_dir):
    result = run(["work"], data_dir)
    assert result.returncode == 1 and "请指定子命令：status" in result.stderr
    result = run(["daily", "status", "--date", "2020-02-30"], data_dir)
    assert result.returncode == 1 and "日期「2020-02-30」不是真实的日期" in result.stderr
