"""Grading a class: `cnncheck grade FOLDER --format json` against just parsing the same files.

    python benchmarks/batch.py [--students 2000] [--runs 3] [--format json|table|csv]

Generates realistic cs577-hw4 submissions (right, wrong and missing answers,
in the notations students use) in a temporary folder, then measures side by
side, best of N runs each:

* cnncheck: `cnncheck grade FOLDER --format json` (or `--format table`), output discarded;
* the floor: one Python process that imports PyYAML and parses every file
  with libyaml's C loader (`yaml.load(f, Loader=yaml.CSafeLoader)`).

Prints both times, their ratio (target <= 1.2), and cnncheck's peak memory
(the largest total proportional set size of its process tree; target < 100 MB).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RIGHT = {
    "q1": ["[[45, 45], [54, 54]]", "45 45; 54 54"],
    "q2": [
        "[[18, 27, 27, 18], [30, 45, 45, 30], [36, 54, 54, 36], [26, 39, 39, 26]]",
        "|\n    18 27 27 18\n    30 45 45 30\n    36 54 54 36\n    26 39 39 26",
    ],
    "q3": ["[[24, 24], [20, 20]]", "24 24; 20 20"],
    "q7": ["126x126x16", "126 x 126 x 16", "[126, 126, 16]"],
    "q8": ["63x63x16", "63×63×16"],
    "q11": [
        "\n    R: [[1, 1], [1, 1]]\n    G: [[2, 2], [2, 2]]\n    B: [[2, 2], [4, 4]]",
        "[[[1, 1], [1, 1]], [[2, 2], [2, 2]], [[2, 2], [4, 4]]]",
    ],
    "q4": ["The filter is a template, and the output is large where a patch resembles it."],
    "q5": ["Deeper units have a larger receptive field; pooling shrinks the maps."],
    "q6": ["More channels hold more abstract features and keep the information balanced."],
    "q9": ["It mixes channels at each pixel and reduces the number of channels."],
    "q10": ["Early layers detect edges and colours; deep layers detect object parts."],
    "q12": ["Pooling shrinks the maps to cut computation and gives invariance to small shifts."],
}
WRONG = {
    "q1": ["[[45, 54], [45, 54]]", "[[15, 15], [18, 18]]", "45 45; 45 45"],
    "q2": [
        "[[45, 45], [54, 54]]",
        "[[18, 27, 27, 18], [30, 45, 45, 30], [36, 54, 54, 36], [26, 39, 39, 20]]",
    ],
    "q3": [
        "[[24, 20], [24, 20]]",
        "[[18, 27, 27, 18], [30, 45, 45, 30], [36, 54, 54, 36], [26, 39, 39, 26]]",
        "24 24; 24 24",
    ],
    "q7": ["16x126x126", "125x125x16", "128x128x16"],
    "q8": ["64x64x16", "62x62x16", "16x63x63"],
    "q11": [
        "[[5, 5], [7, 7]]",
        "\n    R: [[1, 1], [1, 1]]\n    G: [[2, 2], [2, 2]]\n    B: [[1.5, 1.5], [3.5, 3.5]]",
    ],
    "q4": ["It finds features.", "Because the filter slides over the image."],
    "q5": ["With a larger receptive field.", "It uses several filters."],
    "q6": ["Because the network gets deeper."],
    "q9": ["To reduce the number of channels."],
    "q10": ["Edges first.", "Simple then complex things."],
    "q12": ["To make it faster.", "Pooling makes it smaller."],
}


def write_class(folder: Path, students: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    for i in range(students):
        lines = [
            f"# answers of student {i}",
            "assignment: cs577-hw4",
            f"student: s{i:05d}",
            "answers:",
        ]
        for qid in RIGHT:
            r = rng.random()
            if r < 0.08:
                continue  # missing
            value = rng.choice(RIGHT[qid] if r < 0.75 else WRONG[qid])
            if qid in ("q4", "q5", "q6", "q9", "q10", "q12"):
                # words differ from student to student
                value = f'"{value[:-1]} ({rng.randrange(1000)})."'
            lines.append(f"  {qid}: {value}")
        (folder / f"s{i:05d}.yaml").write_text("\n".join(lines) + "\n")


FLOOR = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob("*.yaml")):
    with open(p, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""


def _tree_pss(pid: int) -> int:
    """The memory (KB) of a process and all its descendants, read from /proc: the proportional
    set size, so that pages forked workers share with their parent are counted once."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall time and the peak memory (KB, proportional set size) of the command's process tree.

    The tree is sampled every 20 ms from /proc (Linux); without /proc the largest single
    process that has run so far stands in for it.
    """
    t = time.perf_counter()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    peak = 0
    if Path("/proc/self/task").exists():
        while proc.poll() is None:
            peak = max(peak, _tree_pss(proc.pid))
            time.sleep(0.02)
    proc.wait()
    err.seek(0)
    elapsed = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:3]} exited {proc.returncode}: {err.read().decode()[-400:]}")
    return elapsed, peak or resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--format",
        default="json",
        choices=["json", "table", "csv", "junit"],
        help="the report format graded to (table: each submission's table, streamed)",
    )
    args = ap.parse_args()
    script = Path(sys.executable).parent / "cnncheck"
    ours = [str(script)] if script.exists() else [sys.executable, "-m", "cnncheck"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_class(folder, args.students)
        grade = ours + ["grade", str(folder), "--format", args.format]
        floor = [sys.executable, "-c", FLOOR, str(folder)]
        timed(floor)  # warm the file cache
        t_ours, t_floor, peak = [], [], 0
        for _ in range(args.runs):
            t, _ = timed(floor)
            t_floor.append(t)
            t, rss = timed(grade)
            t_ours.append(t)
            peak = max(peak, rss)
    for n, (t, f) in enumerate(zip(t_ours, t_floor), 1):
        print(f"run {n}: cnncheck grade {t:.2f} s, parse-only floor {f:.2f} s, ratio {t / f:.2f}")
    a, b = min(t_ours), min(t_floor)
    print(
        f"{args.students} submissions, --format {args.format}: cnncheck grade {a:.2f} s, "
        f"parse-only floor {b:.2f} s (best of {args.runs})"
    )
    verdict = "met" if a / b <= 1.2 else "NOT met"
    print(f"ratio {a / b:.2f} against the parse-only floor {b:.2f} s (target <= 1.2): {verdict}")
    print(f"peak memory of the whole process tree: {peak / 1024:.0f} MB (target < 100 MB)")


if __name__ == "__main__":
    main()
