"""Workbook bombs and oversized files are refused by the reader itself, cheaply.

Each file is read in a child process whose address space may grow by at most 200 MB beyond what Python and the
reader's imports already hold (RLIMIT_AS), with a generous 20 s timeout: a reader that materialises the grid or
unzips the bomb dies there (calamine aborts when an allocation fails) instead of answering. The child also tells
how much its peak resident memory grew and how long it read: issue 20's bombs and the largest file the limits
accept are held to bounds on both. Times are measured by bench/imports.py (docs/benchmarks.md).
"""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from luoshi.core.problems import Rejected
from luoshi.core.tabular import read_sheets
from tests.core import bombs

ROOT = Path(__file__).resolve().parents[2]
CHILD = r"""
import json, resource, sys, time
from luoshi.core.problems import Rejected
from luoshi.core.tabular import read_sheets
try:
    from luoshi.core.limits import limits
    limits()  # settings read before the limit is set
except ImportError:  # a reader without limits
    pass
def memory():  # VmHWM: this process's peak (ru_maxrss would start at the parent's size, kept across exec)
    with open("/proc/self/status") as status:
        return {line.split(":")[0]: int(line.split()[1]) * 1024 for line in status if line.startswith("Vm")}
before = memory()
more = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (before["VmSize"] + more, before["VmSize"] + more))
start = time.perf_counter()
try:
    sheets = read_sheets(sys.argv[1])
except Rejected as rejected:
    answer = {"rejected": rejected.messages}
else:
    answer = {"rows": [len(s.rows) for s in sheets], "first": [s.rows[:2] for s in sheets][:1]}
cost = {"seconds": time.perf_counter() - start, "added_mb": (memory()["VmHWM"] - before["VmRSS"]) / 1024 / 1024}
print(json.dumps([answer, cost], default=str))
"""


def read_measured(path, memory_mb=200, timeout=20):
    """What read_sheets answers for the file in a child limited to `memory_mb` more address space, and what it cost
    ({"seconds", "added_mb"}: how far its peak resident memory rose above what it held before); fails if the child
    dies."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LUOSHI_DATA_DIR": "/tmp/luoshi-bombs"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(memory_mb)], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)
    assert done.returncode == 0, f"the reader died (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(done.stdout)


def read_bounded(path):
    """What read_sheets answers for the file in a child limited to 200 MB more memory."""
    return read_measured(path)[0]


def refused_cheaply(path, message):
    """Issue 20's bound for a bomb: refused with the message, within 100 MB more memory and 5 s."""
    answer, cost = read_measured(path)
    assert answer == {"rejected": [message]}
    assert cost["added_mb"] < 100 and cost["seconds"] < 5, cost


def test_a_value_in_the_last_cell_of_the_grid_is_refused_without_building_the_grid(tmp_path):
    answer = read_bounded(bombs.far_cell(tmp_path))
    assert answer == {"rejected": ["工作表「表1」的数据有 1048576 行，上限为 200000 行，请分成几个文件导入或删除多余的行。"]}


def test_the_same_far_cell_written_by_openpyxl_is_refused(tmp_path):
    answer = read_bounded(bombs.far_cell_openpyxl(tmp_path))
    assert "过大" in answer["rejected"][0] and "Sheet" in answer["rejected"][0]


def test_a_value_a_million_rows_down_is_refused(tmp_path):
    answer = read_bounded(bombs.far_cell(tmp_path, ref="Z1000000"))
    assert answer == {"rejected": ["工作表「表1」的数据有 1000000 行，上限为 200000 行，请分成几个文件导入或删除多余的行。"]}


def test_a_value_beyond_the_column_cap_is_refused(tmp_path):
    answer = read_bounded(bombs.far_cell(tmp_path, ref="ZZ2"))
    assert answer == {"rejected": ["工作表「表1」的数据宽到第 702 列（ZZ 列），上限为 200 列，请删除多余的列。"]}


def test_a_far_value_in_a_disguised_tag_is_still_found(tmp_path):
    assert "1048576 行" in read_bounded(bombs.disguised_far_cell(tmp_path))["rejected"][0]


def test_cells_without_a_position_are_refused(tmp_path):
    assert "未标明位置" in read_bounded(bombs.unplaced_cells(tmp_path))["rejected"][0]


def test_a_huge_declared_dimension_is_refused(tmp_path):
    answer = read_bounded(bombs.huge_dimension(tmp_path))
    assert answer == {"rejected": ["工作表「表1」声明的范围 A1:XFD1048576 过大（17179869184 个单元格，上限为 1000000 个），请删除多余的行列后另存再导入。"]}


def test_an_empty_formatted_cell_far_away_does_not_count_and_the_sheet_is_read_by_its_data(tmp_path):
    assert read_bounded(bombs.stray_formatted_cell(tmp_path)) == {"rows": [2], "first": [[["代码"], [370115.0]]]}


def test_a_900_mb_sheet_zipped_into_3_mb_is_refused_before_unzipping(tmp_path):
    path = bombs.compressed_sheet(tmp_path)
    assert path.stat().st_size < 3_000_000
    answer = read_bounded(path)
    assert answer == {"rejected": ["文件解压后过大（900 MB），上限为 100 MB，请删除多余的行列或工作表后另存再导入。"]}


def test_a_bomb_whose_headers_lie_about_its_size_is_refused_by_its_real_bytes(tmp_path):
    answer = read_bounded(bombs.lying_sizes(tmp_path))
    assert answer["rejected"][0].startswith("文件中的「xl/worksheets/sheet1.xml」压缩比过高")


def test_sheets_within_their_caps_are_refused_when_together_they_pass_the_cell_cap(tmp_path):
    answer = read_bounded(bombs.many_sheets(tmp_path))
    assert answer == {"rejected": ["各工作表的数据区域合计超过 1000000 个单元格的上限，请分成几个文件导入。"]}


def test_too_many_merged_ranges_are_refused(tmp_path):
    assert read_bounded(bombs.many_merges(tmp_path)) == {"rejected": ["工作表「表1」有 60000 个合并单元格，上限为 50000 个。"]}


def test_merged_ranges_are_capped_for_all_sheets_together(tmp_path):
    answer = read_bounded(bombs.many_merges(tmp_path, count=30_000, sheets=2))
    assert answer == {"rejected": ["各工作表合计有 60000 个合并单元格，上限为 50000 个。"]}


def test_merged_ranges_one_on_another_are_refused_before_they_are_filled(tmp_path):
    refused_cheaply(bombs.overlapping_merges(tmp_path), "合并单元格合计覆盖超过 1000000 个单元格的上限，请取消多余的合并后另存再导入。")


def test_a_one_megabyte_shared_string_named_by_1500_cells_is_refused_before_it_is_copied(tmp_path):
    path = bombs.shared_string_bomb(tmp_path)
    assert path.stat().st_size < 800_000
    refused_cheaply(path, "文件中有一段文字长 1000000 个字符，超过 Excel 单元格 32767 个字符的上限，疑似异常文件，未读取。")


@pytest.mark.parametrize("prefix", ["", "x:"])  # "x:": a sheet the fast scan does not trust, counted precisely
def test_shared_strings_named_by_many_cells_count_for_each_cell(tmp_path, prefix):
    refused_cheaply(bombs.shared_string_bomb(tmp_path, length=32_767, prefix=prefix),
                    "各工作表单元格中的文字合计超过 5000000 个字符的上限（一段文字被多个单元格引用时，每处都算），请分成几个文件导入。")


def test_text_is_counted_whole_where_it_holds_what_looks_like_the_end_of_a_cell(tmp_path):
    refused_cheaply(bombs.split_text(tmp_path),
                    "各工作表单元格中的文字合计超过 5000000 个字符的上限（一段文字被多个单元格引用时，每处都算），请分成几个文件导入。")


def test_a_sheet_that_many_sheets_of_the_workbook_point_to_is_refused(tmp_path):
    refused_cheaply(bombs.repeated_sheet(tmp_path),
                    "工作簿中的工作表「表2」与另一个工作表同名或指向同一内容，无法安全读取，请用 Excel 或 WPS 打开后另存为 xlsx 再导入。")


def test_defined_names_and_number_formats_are_capped(tmp_path):
    assert read_bounded(bombs.many_entries(tmp_path, names=10_000, formats=10_000))["rows"] == [1]
    refused_cheaply(bombs.many_entries(tmp_path, names=20_000, name="names.xlsx"),
                    "文件中的名称定义超过 10000 个的上限，疑似异常文件，未读取。")
    refused_cheaply(bombs.many_entries(tmp_path, formats=20_000, name="formats.xlsx"),
                    "文件中的数字格式超过 10000 个的上限，疑似异常文件，未读取。")


def test_a_long_number_format_named_by_many_cell_formats_is_refused(tmp_path):
    refused_cheaply(bombs.long_format(tmp_path), "文件中有超过 255 个字符的数字格式（Excel 的上限），疑似异常文件，未读取。")


def test_elements_nested_deeper_than_a_workbook_needs_are_refused(tmp_path):
    refused_cheaply(bombs.deep_nesting(tmp_path), "文件中的 XML 嵌套超过 64 层，疑似异常文件，未读取。")


def test_a_zip_of_150000_empty_members_is_refused_before_its_directory_is_read(tmp_path):
    refused_cheaply(bombs.many_members(tmp_path), "文件中有 150005 个部件（xlsx 是一个压缩包），上限为 10000 个，疑似压缩炸弹，未读取。")


def test_the_largest_file_the_limits_accept_is_read_within_300_mb_more(tmp_path):
    answer, cost = read_measured(bombs.at_the_limits(tmp_path), memory_mb=2000, timeout=120)
    assert answer["rows"] == [100_000]
    assert cost["added_mb"] < 300, cost


def test_workbooks_of_other_formats_are_refused_whatever_their_name():
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)  # a compound file, as an .xls is
    for data, name in ((xls, "a.xls"), (xls, "a.xlsx"), (ods.getvalue(), "a.xlsx")):
        with pytest.raises(Rejected) as info:
            read_sheets(data, name)
        assert info.value.messages == ["只能导入 xlsx 格式的 Excel 文件（旧版 .xls、.xlsb、.ods 无法在读取前检查），"
                                       "请用 Excel 或 WPS 另存为 .xlsx 后再导入。"]


def test_a_merged_range_over_the_whole_grid_fills_only_the_rows_read(tmp_path):
    assert read_bounded(bombs.huge_merge(tmp_path)) == {"rows": [2], "first": [[["代码"], ["代码"]]]}


def test_a_csv_of_millions_of_line_breaks_is_refused_at_the_row_cap(tmp_path):
    assert read_bounded(bombs.line_breaks_csv(tmp_path)) == {"rejected": ["文件超过 200000 行的上限，请分成几个文件导入。"]}


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as f:
        f.write(b"\xe4" * (21 * 1024 * 1024))  # not even text: it is never decoded
    assert read_bounded(path) == {"rejected": ["文件过大（21 MB），上限为 20 MB。"]}


def test_a_csv_row_wider_than_the_column_cap_is_refused_but_empty_cells_at_its_end_do_not_count():
    with pytest.raises(Rejected) as info:
        read_sheets(("代码," + ",".join(["x"] * 250) + "\n").encode(), "a.csv")
    assert info.value.messages == ["第1行有 251 列，上限为 200 列。"]
    assert read_sheets(("代码,名称" + "," * 5000 + "\n").encode(), "a.csv")[0].rows == [["代码", "名称"]]


def test_a_csv_cell_longer_than_the_csv_module_reads_is_a_chinese_refusal():
    with pytest.raises(Rejected) as info:
        read_sheets(b'a,b\n1,"' + b"x" * 200_000 + b'"\n', "a.csv")
    assert info.value.messages == ["第2行无法按 CSV 读取（单元格过长或含有无法识别的字符），请检查后另存为 CSV 或 xlsx。"]


def _workbook(*rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_text_members_and_time_limits_come_from_settings(settings):
    data = _workbook(["代码", "名称"], ["370115", "济阳区"])
    assert read_sheets(data, "a.xlsx")[0].rows == [["代码", "名称"], ["370115", "济阳区"]]
    settings.LUOSHI_MAX_UPLOAD_TEXT = 12
    with pytest.raises(Rejected) as info:
        read_sheets(data, "a.xlsx")
    assert info.value.messages == ["各工作表单元格中的文字合计超过 12 个字符的上限（一段文字被多个单元格引用时，每处都算），请分成几个文件导入。"]
    settings.LUOSHI_MAX_UPLOAD_MEMBERS = 5
    with pytest.raises(Rejected) as info:
        read_sheets(data, "a.xlsx")
    assert info.value.messages[0].startswith("文件中有 9 个部件（xlsx 是一个压缩包），上限为 5 个")
    settings.LUOSHI_MAX_UPLOAD_MEMBERS = 10_000
    settings.LUOSHI_MAX_UPLOAD_SECONDS = 0
    with pytest.raises(Rejected) as info:
        read_sheets(data, "a.xlsx")
    assert info.value.messages == ["检查文件用时超过 0 秒的上限，未读取，请删除多余的内容后另存再导入。"]


def test_limits_come_from_settings(settings, tmp_path):
    settings.LUOSHI_MAX_UPLOAD_ROWS = 3
    with pytest.raises(Rejected) as info:
        read_sheets(b"a\n1\n2\n3\n", "a.csv")
    assert info.value.messages == ["文件超过 3 行的上限，请分成几个文件导入。"]
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    with pytest.raises(Rejected) as info:
        read_sheets(b"a\n" * (600 * 1024), "a.csv")
    assert info.value.messages == ["文件过大（1.2 MB），上限为 1 MB。"]
