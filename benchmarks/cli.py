"""`cnncheck grade answers.example.yaml` (the table, and --format json) against the import floor.

    python benchmarks/cli.py [--runs N] [--stages]

Runs the three commands in turn N times each, in fresh processes, and prints
the median wall time of each and each command's ratio to the floor: a bare
``python -c "import numpy, yaml, click, rich.console, rich.table"``, the
libraries a grade cannot do without. Targets: the table <= 1.15, JSON <= 1.05.
``--stages``: also where the time over the floor goes, in fresh processes
(median ms): cnncheck's imports, loading the bank (reading its files, parsing
the graded assignment's), building the assignment (its questions checked and
solved), grading the file, rendering the report.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import numpy, yaml, click, rich.console, rich.table"
TARGETS = {"table": 1.15, "json": 1.05}


def timed(cmd: list[str], ok_codes=(0,)) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if r.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.decode()[-500:]}")
    return elapsed


# One grade step by step in a fresh process (argv[1]: table or json), printing "stage ms" pairs.
STAGES = f"""
import sys, time
t0 = time.perf_counter()
{FLOOR}
t1 = time.perf_counter()
import cnncheck.cli, cnncheck.run
from cnncheck.report import render as R
t2 = time.perf_counter()
from cnncheck.bank import load_bank_for
bank = load_bank_for(None, sys.argv[2])
t3 = time.perf_counter()
bank.get("cs577-hw4")
t4 = time.perf_counter()
from cnncheck.batch import grade_file
report = grade_file(bank, sys.argv[2], cache={{}})
t5 = time.perf_counter()
if sys.argv[1] == "json":
    R.render([report], "json")
else:
    R.table_text(report, screen=R.Screen(80))
t6 = time.perf_counter()
ms = [round((b - a) * 1e3, 2) for a, b in ((t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6))]
print(*ms)
"""
STAGE_NAMES = ("imports", "bank", "build", "grade", "render")


def stages(runs: int) -> None:
    for fmt in TARGETS:
        cmd = [sys.executable, "-c", STAGES, fmt, str(ROOT / "answers.example.yaml")]
        rows = [
            [float(x) for x in subprocess.run(cmd, capture_output=True, check=True).stdout.split()]
            for _ in range(runs)
        ]
        cells = [
            f"{n} {statistics.median(r[i] for r in rows):.1f}" for i, n in enumerate(STAGE_NAMES)
        ]
        total = statistics.median(sum(r) for r in rows)
        print(f"{fmt:5} over the floor, in process (ms): {', '.join(cells)}; total {total:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--stages", action="store_true", help="where the time goes, in process")
    args = ap.parse_args()
    # An installed package has its bytecode compiled at install time; a source checkout may not
    # (PYTHONDONTWRITEBYTECODE), so compile it first to measure what users run.
    import cnncheck

    compileall.compile_dir(Path(cnncheck.__file__).parent, quiet=1)
    # the console script installed beside this interpreter (not a shim found on PATH)
    script = Path(sys.executable).parent / "cnncheck"
    grade = [str(script)] if script.exists() else [sys.executable, "-m", "cnncheck"]
    grade += ["grade", str(ROOT / "answers.example.yaml")]
    commands = {
        "table": grade,
        "json": grade + ["--format", "json"],
        "floor": [sys.executable, "-c", FLOOR],
    }
    ok = {"table": (0, 1), "json": (0, 1), "floor": (0,)}
    for name, cmd in commands.items():  # warm the file cache
        timed(cmd, ok[name])
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd, ok[name]))
    median = {name: statistics.median(t) for name, t in times.items()}
    print(f"import floor ({FLOOR}): {median['floor'] * 1e3:.1f} ms (median of {args.runs})")
    for name, target in TARGETS.items():
        ratio = median[name] / median["floor"]
        print(
            f"cnncheck grade, {name:5}: {median[name] * 1e3:6.1f} ms vs floor "
            f"{median['floor'] * 1e3:.1f} ms: ratio {ratio:.2f} (target <= {target}): "
            f"{'met' if ratio <= target else 'NOT met'}"
        )
    if args.stages:
        stages(args.runs)


if __name__ == "__main__":
    main()
