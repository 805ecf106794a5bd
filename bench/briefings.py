"""Meeting-pack benchmark: generating the demo's 2020 Q1 pack (济阳区, 2020-03) as .docx.

    LUOSHI_DATA_DIR=/tmp/pack-bench .venv/bin/python bench/briefings.py [--runs N]

Builds the demo in LUOSHI_DATA_DIR when it is empty. Measures (1) warm: build + render in this process, N runs
after one warm-up, median and worst (goal ≤ 1 s); (2) fresh: `luoshi briefings pack … --out` in a new process, wall
time including Python and Django start-up, median of 3 (goal ≤ 3 s).
"""

import argparse
import os
import platform
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
GOALS = {"warm_s": 1.0, "fresh_s": 3.0}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
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
    size = len(render(build(region, period)))  # warm-up
    warm = []
    for _ in range(args.runs):
        started = time.perf_counter()
        render(build(region, period))
        warm.append(time.perf_counter() - started)
    fresh = []
    out = Path(tempfile.mkdtemp()) / "pack.docx"
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv/bin/luoshi"), "briefings", "pack", "--region", "370115", "--period", "2020-03",
                        "--out", str(out)], check=True, capture_output=True, env=os.environ.copy())
        fresh.append(time.perf_counter() - started)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"pack: {size / 1024:.0f} KiB")
    print(f"warm (build + render, {args.runs} runs): median {statistics.median(warm):.3f} s, worst {max(warm):.3f} s "
          f"(goal ≤ {GOALS['warm_s']} s)")
    print(f"fresh process (luoshi briefings pack, 3 runs): median {statistics.median(fresh):.2f} s, "
          f"worst {max(fresh):.2f} s (goal ≤ {GOALS['fresh_s']} s)")
    ok = statistics.median(warm) <= GOALS["warm_s"] and statistics.median(fresh) <= GOALS["fresh_s"]
    print("OK" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
