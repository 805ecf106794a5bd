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
