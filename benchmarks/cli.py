"""`cnncheck grade answers.example.yaml` against the import floor of its libraries, side by side.

    python benchmarks/cli.py [--runs N]

Runs the two commands alternately N times each, in fresh processes, and
prints the median wall time of each and their ratio. The floor is a bare
``python -c "import numpy, yaml, click, rich"``. Target: ratio <= 1.2.
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


def timed(cmd: list[str], ok_codes=(0,)) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if r.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    # An installed package has its bytecode compiled at install time; a source checkout may not
    # (PYTHONDONTWRITEBYTECODE), so compile it first to measure what users run.
    import cnncheck

    compileall.compile_dir(Path(cnncheck.__file__).parent, quiet=1)
    # the console script installed beside this interpreter (not a shim found on PATH)
    script = Path(sys.executable).parent / "cnncheck"
    grade = [str(script)] if script.exists() else [sys.executable, "-m", "cnncheck"]
    grade += ["grade", str(ROOT / "answers.example.yaml")]
    floor = [sys.executable, "-c", "import numpy, yaml, click, rich"]
    timed(grade, (0, 1)), timed(floor)  # warm the file cache
    ours, base = [], []
    for _ in range(args.runs):
        ours.append(timed(grade, (0, 1)))
        base.append(timed(floor))
    m_ours, m_base = statistics.median(ours), statistics.median(base)
    ratio = m_ours / m_base
    print(
        f"cnncheck grade: {m_ours * 1e3:.1f} ms   import floor: {m_base * 1e3:.1f} ms   "
        f"(median of {args.runs})"
    )
    print(f"ratio {ratio:.2f} (target <= 1.2): {'met' if ratio <= 1.2 else 'NOT met'}")


if __name__ == "__main__":
    main()
