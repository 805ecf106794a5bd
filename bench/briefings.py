"""Meeting-pack benchmark: generating the demo's 2020 Q1 pack (济阳区, 2020-03) as .docx.

    LUOSHI_DATA_DIR=/tmp/pack-bench .venv/bin/python bench/briefings.py [--runs N] [--fresh-runs N]

Builds the demo in LUOSHI_DATA_DIR when it is empty. Measures

1. warm: `pack.build` + `pack.word.render` in this process, N runs after one warm-up: median and worst of the two
   together (goal ≤ 0.3 s), and the medians of each;
2. county size: `render` of a pack made as large as a county's in the province bench (60 indicators, 19 charts:
   the demo's rows, outlook and charts repeated under other names; what python-docx and the charts cost, not the
   queries of a larger database), N runs, median and worst;
3. fresh: `luoshi briefings pack … --out` in a new process, after one untimed run: wall time including Python and
   Django start-up and its CPU time (user + system), median and worst of M runs (goal: wall ≤ 1.5 s). Twice: as
   this environment runs Python (with PYTHONDONTWRITEBYTECODE=1 nothing is cached, so luoshi's modules are
   compiled in every process), and with a bytecode cache (PYTHONPYCACHEPREFIX in a temporary folder: as an
   installed package runs, its .pyc written at install).

Each line gives the load average when it started: other processes on the machine slow the wall times, hardly the CPU.
"""

import argparse
import copy
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-pack-"))
os.environ.setdefault("LUOSHI_HTTPS", "0")
GOALS = {"warm_s": 0.3, "fresh_s": 1.5}
COUNTY_INDICATORS, COUNTY_CHARTS = 60, 19


def load():
    return f"load {os.getloadavg()[0]:.2f}"


def county_sized(pack):
    """The pack with 60 indicator rows (and as many outlook lines), a value chart of all rows with a value target and
    18 weakness charts: the demo's repeated, each copy named apart (济阳区's figures, 指标名 2, 3, …)."""
    big = copy.copy(pack)
    copies = -(-COUNTY_INDICATORS // len(pack.rows))
    big.rows = [dict(row, name=f"{row['name']}{n or ''}") for n in range(copies) for row in pack.rows][:COUNTY_INDICATORS]
    big.outlook = [dict(item, name=f"{item['name']}{n or ''}") for n in range(copies) for item in pack.outlook]
    big.outlook = big.outlook[:COUNTY_INDICATORS]
    if pack.value_chart:
        chart = pack.value_chart
        names = [f"{name}{n or ''}" for n in range(copies) for name in chart["names"]]
        big.value_chart = dict(chart, names=names,
                               series=[(label, values * copies) for label, values in chart["series"]])
    weakness = pack.weakness_charts or [dict(pack.value_chart, own=0)]
    big.weakness_charts = [dict(c, title=f"{c['title']}{n or ''}") for n in range(COUNTY_CHARTS)
                           for c in weakness][:COUNTY_CHARTS - (1 if big.value_chart else 0)]
    return big


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def fresh(runs, env):
    """Wall and CPU seconds of `luoshi briefings pack` in new processes (one untimed run first)."""
    out = Path(tempfile.mkdtemp()) / "pack.docx"
    command = [str(ROOT / ".venv/bin/luoshi"), "briefings", "pack", "--region", "370115", "--period", "2020-03",
               "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, env=env)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--fresh-runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from luoshi.briefings.pack.assemble import build
    from luoshi.briefings.pack.word import render
    from luoshi.orgs.models import Region

    call_command("migrate", "--noinput", verbosity=0)
    call_command("demo", "--if-empty", "--as-of", "2020-05-12", verbosity=0)  # the 2020 demo: the pack of 2020-03
    region, period = Region.objects.get(code="370115"), date(2020, 3, 1)
    pack = build(region, period)
    size = len(render(pack))  # warm-up
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"pack: {size / 1024:.0f} KiB, {len(pack.rows)} indicators, "
          f"{bool(pack.value_chart) + len(pack.weakness_charts)} charts")

    at = load()
    builds, renders = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        built = build(region, period)
        middle = time.perf_counter()
        render(built)
        builds.append(middle - started)
        renders.append(time.perf_counter() - middle)
    warm = [b + r for b, r in zip(builds, renders)]
    print(f"warm (build + render, {args.runs} runs, {at}): median {statistics.median(warm):.3f} s, worst "
          f"{max(warm):.3f} s (goal ≤ {GOALS['warm_s']} s); build {statistics.median(builds):.3f} s, render "
          f"{statistics.median(renders):.3f} s")

    big = county_sized(pack)
    at = load()
    county = timed(lambda: render(big), args.runs)
    print(f"county size (render of {len(big.rows)} indicators, {bool(big.value_chart) + len(big.weakness_charts)} "
          f"charts, {len(render(big)) / 1024:.0f} KiB, {args.runs} runs, {at}): median {statistics.median(county):.3f} s, "
          f"worst {max(county):.3f} s")

    env = os.environ.copy()
    results = {}
    for label, cached in (("as this environment runs Python", False), ("with a bytecode cache", True)):
        run_env = dict(env)
        if cached:
            run_env.pop("PYTHONDONTWRITEBYTECODE", None)
            run_env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="luoshi-bench-pyc-")
        note = "PYTHONDONTWRITEBYTECODE=1" if run_env.get("PYTHONDONTWRITEBYTECODE") else "bytecode cached"
        at = load()
        walls, cpus = fresh(args.fresh_runs, run_env)
        results[cached] = walls
        print(f"fresh process, {label} ({note}; luoshi briefings pack, {args.fresh_runs} runs, {at}): median "
              f"{statistics.median(walls):.2f} s, worst {max(walls):.2f} s (goal ≤ {GOALS['fresh_s']} s); CPU median "
              f"{statistics.median(cpus):.2f} s")
    ok = statistics.median(warm) <= GOALS["warm_s"] and statistics.median(results[False]) <= GOALS["fresh_s"]
    print("OK" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
