"""luoshi holidays load --year YYYY FILE (the notice's text, a csv or an xlsx) and luoshi holidays show --year YYYY:
what was read is printed, any problem stops it with exit status 1 and the lines named, nothing saved."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from luoshi.audit.models import AuditEntry
from luoshi.core import workdays
from luoshi.holidays.models import Arrangement
from tests.holidays.conftest import NOTICE_2027, TABLE_2027

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db]


def holidays(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("holidays", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def notice(tmp_path):
    path = tmp_path / "2027年放假通知.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    return path


def test_load_prints_what_it_read_saves_a_version_and_counts_with_it(cast, notice):
    code, out, err = holidays("load", "--year", "2027", str(notice), "--user", "wang_admin")
    assert code == 0, err
    lines = out.splitlines()
    assert "2027-02-20 周六 上班 春节" in lines and "2027-10-07 周四 放假 国庆节" in lines
    assert lines[-1].startswith("已录入2027年放假安排（第1版）：放假 29 天，调休上班 6 天。")
    arrangement = Arrangement.objects.get()
    assert (arrangement.loaded_by, arrangement.notice_number, arrangement.source_text) == (
        cast.wang_admin, "国办发明电〔2026〕7号", NOTICE_2027)
    assert AuditEntry.objects.get(object_type="holidays.Arrangement").actor == cast.wang_admin
    workdays.refresh()
    assert workdays.effective_due(date(2027, 2, 8)) == date(2027, 2, 14)

    code, out, _ = holidays("show", "--year", "2027")
    assert out.splitlines()[0].startswith("2027年放假安排 第1版（现行；王管理 ")
    assert "2027-02-14 周日 上班 春节" in out and out.splitlines()[-1] == "合计：放假 29 天，调休上班 6 天；共 1 版。"


def test_a_csv_or_an_xlsx_table_loads_too_and_show_gives_each_version(cast, tmp_path):
    csv = tmp_path / "春节.csv"
    csv.write_text(TABLE_2027, encoding="gbk")
    assert holidays("load", "--year", "2027", str(csv))[0] == 0
    book = Workbook()
    book.active.append(["日期", "类型", "名称"])
    book.active.append([date(2027, 1, 1), "放假", "元旦"])
    book.save(tmp_path / "元旦.xlsx")
    code, out, _ = holidays("load", "--year", "2027", str(tmp_path / "元旦.xlsx"), "--note", "只有元旦")
    assert code == 0 and "第2版" in out
    assert Arrangement.objects.get(version=1).source_text == TABLE_2027.split("\n", 1)[1].strip()  # the days as a table
    assert Arrangement.objects.get(version=2).loaded_by_label == "命令行"
    _, out, _ = holidays("show", "--year", "2027", "--version", "1")
    assert "第1版（早先版本，现行为第2版" in out and "2027-02-05 周五 放假 春节" in out
    _, out, _ = holidays("show", "--year", "2027", "--json")
    shown = json.loads(out)
    assert (shown["version"], shown["versions"], shown["note"]) == (2, [2, 1], "只有元旦")
    assert shown["days"] == [{"date": "2027-01-01", "kind": "rest", "kind_label": "放假", "name": "元旦"}]
    with pytest.raises(CommandError, match="2027年放假安排没有第9版"):
        call_command("holidays", "show", "--year", "2027", "--version", "9", stdout=StringIO())


def test_check_reads_without_saving(notice):
    code, out, _ = holidays("load", "--year", "2027", str(notice), "--check")
    assert code == 0 and out.splitlines()[-1] == "核对无误：2027年 放假 29 天，调休上班 6 天（未保存）。"
    assert not Arrangement.objects.exists()


def test_a_bad_file_exits_1_with_each_problem_and_its_line_and_saves_nothing(tmp_path, notice):
    bad = tmp_path / "bad.txt"
    bad.write_text(NOTICE_2027.replace("至7日（周四）", "至8日（周四）"), encoding="utf-8")
    code, out, err = holidays("load", "--year", "2027", str(bad))
    assert code == 1 and out == ""
    assert err.splitlines() == ["放假安排被拒绝，共 1 个问题，未保存任何数据：",
                                "  - 第12行：2027年10月8日是周五，原文写的是周四；请核对年份或日期"]
    code, _, err = holidays("load", "--year", "2028", str(notice))
    assert code == 1 and "第1行：这是2027年的放假安排，与录入年份2028年不符" in err
    word = tmp_path / "通知.docx"
    word.write_bytes(b"PK\x03\x04")
    code, _, err = holidays("load", "--year", "2027", str(word))
    assert code == 1 and "不支持的文件类型「.docx」" in err
    gbk_nul = tmp_path / "nul.txt"
    gbk_nul.write_bytes("一、元旦：1月1日放假\x00，共1天。".encode())
    code, _, err = holidays("load", "--year", "2027", str(gbk_nul))
    assert code == 1 and "控制字符（U+0000）" in err
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("holidays", "load", "--year", "2027", str(tmp_path / "none.txt"), stdout=StringIO())
    with pytest.raises(CommandError, match="年度「27」不正确"):
        call_command("holidays", "load", "--year", "27", str(notice), stdout=StringIO())
    with pytest.raises(CommandError, match="账号 nobody-here 不存在"):
        call_command("holidays", "load", "--year", "2027", str(notice), "--user", "nobody-here", stdout=StringIO())
    assert not Arrangement.objects.exists()


def test_show_says_where_a_year_not_loaded_comes_from():
    assert holidays("show", "--year", "2027")[1].strip() == "2027年尚未录入放假安排：按周一至周五计算工作日。"
    assert holidays("show", "--year", "2026")[1].strip() == "2026年尚未录入放假安排：内置日历（chinesecalendar）。"
    assert holidays("show", "--year", "2027", "--json")[1].strip() == "null"
    with pytest.raises(CommandError, match="请指定子命令：load、show"):
        call_command("holidays", stdout=StringIO())
