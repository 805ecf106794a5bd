"""Import reader benchmark: hostile workbooks refused, and what the limits' checks cost a large honest file.

    .venv/bin/python bench/imports.py

Each file is read by core.tabular.read_sheets in a fresh child process; it prints the answer, the wall time of
read_sheets and the peak memory it added (the child's peak RSS, VmHWM, after reading minus its RSS before). The
honest file is the long indicator template with 100,000 rows × 8 columns, read with and without
core.limits.check_xlsx; the largest files the limits accept are tests.core.bombs.at_the_limits, in Chinese and in
4-byte characters in a 20 MB file. Goals: every bomb refused in under 2 s and under 200 MB (issue 11); any file the
limits accept read within 300 MB more (issue 20).
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, time
from luoshi.core import limits
from luoshi.core.problems import Rejected
from luoshi.core.tabular import read_sheets
limits.limits()
if sys.argv[2] == "unchecked":
    limits.check_xlsx = lambda data, limit=None: None
def memory(field):  # VmHWM, not ru_maxrss: that one starts at the parent's size, kept across exec
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))
before = memory("VmRSS")
start = time.perf_counter()
try:
    sheets = read_sheets(sys.argv[1])
    answer = f"read {sum(len(s.rows) for s in sheets)} rows"
except Rejected as rejected:
    answer = rejected.messages[0]
seconds = time.perf_counter() - start
print(json.dumps({"answer": answer, "seconds": seconds, "added_mb": (memory("VmHWM") - before) / 1024}))
"""


def run(path, mode="checked"):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, env=env,
                          timeout=600)
    if done.returncode:
        return {"answer": f"child died ({done.returncode})", "seconds": float("nan"), "added_mb": float("nan")}
    return json.loads(done.stdout)


def honest_file(directory):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(["地区代码", "地区名称", "指标代码", "指标名称", "单位", "期间", "累计值", "同比增长(%)"])
    for n in range(100_000):
        sheet.append([f"370115{n % 900:03d}", f"第{n % 900}村", "gdp", "地区生产总值", "亿元", f"2020年1-{n % 12 + 1}月",
                      n * 1.5, (n % 200) / 10])
    path = Path(directory) / "honest.xlsx"
    book.save(path)
    return path


def main():
    from tests.core import bombs

    print(f"machine: {platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()}")
    print()
    print("| file | size | answer | time | memory added |")
    print("| --- | ---: | --- | ---: | ---: |")
    with tempfile.TemporaryDirectory() as directory:
        cases = [("one value at XFD1048576 (no dimension)", bombs.far_cell(directory)),
                 ("one value at XFD1048576 (openpyxl)", bombs.far_cell_openpyxl(directory)),
                 ("one value at Z1000000", bombs.far_cell(directory, ref="Z1000000", name="z.xlsx")),
                 ('dimension ref="A1:XFD1048576"', bombs.huge_dimension(directory)),
                 ("900 MB sheet XML, zipped", bombs.compressed_sheet(directory)),
                 ("300 MB sheet XML, headers say 2 KB", bombs.lying_sizes(directory)),
                 ("12 sheets × 200 columns × 4,000 rows", bombs.many_sheets(directory)),
                 ("60,000 merged ranges", bombs.many_merges(directory)),
                 ("60,000 merged ranges over 2 sheets", bombs.many_merges(directory, 30_000, "merges2.xlsx", 2)),
                 ("200 merged ranges over one 1,000 × 10 sheet", bombs.overlapping_merges(directory)),
                 ("1 MB shared string × 1,500 cells (issue 20)", bombs.shared_string_bomb(directory)),
                 ("32,767-character shared string × 1,500 cells",
                  bombs.shared_string_bomb(directory, length=32_767, name="strings2.xlsx")),
                 ("the same, cells with a namespace prefix",
                  bombs.shared_string_bomb(directory, length=32_767, name="strings3.xlsx", prefix="x:")),
                 ("150,000 empty members (issue 20)", bombs.many_members(directory)),
                 ("one sheet part named by 1,000 sheets", bombs.repeated_sheet(directory)),
                 ("20,000 defined names", bombs.many_entries(directory, names=20_000)),
                 ("20,000 number formats", bombs.many_entries(directory, formats=20_000, name="formats.xlsx")),
                 ("100,000-character number format × 10,000 cell formats", bombs.long_format(directory)),
                 ("100,000 elements one in another", bombs.deep_nesting(directory)),
                 ("1.9 million characters × 3 cells, \"c>\" in the text", bombs.split_text(directory)),
                 ("19 MB csv of line breaks", bombs.line_breaks_csv(directory)),
                 ("empty formatted cell at XFD1048576 (read)", bombs.stray_formatted_cell(directory)),
                 ("at the limits: 1,000,000 cells, 1,000,000 strings, 5,000,000 Chinese characters",
                  bombs.at_the_limits(directory)),
                 ("the same in 4-byte characters (emoji), in a 20 MB file",
                  bombs.at_the_limits(directory, name="emoji.xlsx", first=0x1F300, size=20_000_000))]
        started = time.perf_counter()
        honest = honest_file(directory)
        made = time.perf_counter() - started
        for label, path in cases:
            result = run(path)
            print(f"| {label} | {path.stat().st_size / 1024:,.0f} KB | {result['answer'][:60]} | "
                  f"{result['seconds']:.2f} s | {result['added_mb']:.0f} MB |")
        for mode in ("checked", "unchecked"):
            result = run(honest, mode)
            label = "100,000 × 8 honest xlsx" + (", limits checked" if mode == "checked" else ", without check_xlsx")
            print(f"| {label} | {honest.stat().st_size / 1024:,.0f} KB | {result['answer'][:60]} | "
                  f"{result['seconds']:.2f} s | {result['added_mb']:.0f} MB |")
        import zipfile

        with zipfile.ZipFile(honest) as archive:
            info = max(archive.infolist(), key=lambda m: m.file_size)
        print()
        print(f"honest file written in {made:.1f} s; its largest member {info.filename}: {info.file_size / 1e6:.1f} MB, "
              f"compression ratio {info.file_size / info.compress_size:.1f}:1")


if __name__ == "__main__":
    main()
