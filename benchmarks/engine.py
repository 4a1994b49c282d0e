"""cnncheck's conv2d against torch.nn.functional.conv2d in float64, side by side in one run.

    python benchmarks/engine.py [--pairs N] [--runs N] [--only TEXT ...]

The floor is torch's float64 conv2d on the same input, with as many threads as NumPy's BLAS.
For each case (integer inputs, the kind a question has, values in -9..9) the two are timed in
N pairs of blocks, one right after the other (the order alternating): a block is warm-up calls
(at least 3, and at least 0.05 s of them) and then 5 timed calls, and its time is their median.
The ratio cnncheck / torch of each pair is taken, and the case's ratio is the median of its
pairs, so a moment of load elsewhere on the machine slows both sides of a pair, not one side
of the result.

Each block starts after a 0.3 s pause. Both libraries keep their worker threads spinning for a
while after a parallel call (OpenBLAS up to about 0.1 s on a 2-core machine): a call made by
the other library during that time gets one core instead of two, and measures the handover, not
the convolution. Each result is compared element for element with torch's.

The faults column is the median number of minor page faults per cnncheck call (fresh memory
that the kernel maps and zeroes on first write: a few microseconds each on some machines, and how
many depends on what the allocator kept from earlier calls). ``--runs`` prints the table that
many times; ``--only`` keeps the cases whose label contains one of the texts given (the median
and its target then cover those cases only, and say so).

Targets: the median over the six cases <= 0.5x the floor, no case above 0.8x, every result
exact (int64 and equal to torch's). The script reports them; it never fails on a timing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

import numpy as np

from cnncheck import engine

CASES = [
    # (label, C, H, W, F, k, stride, padding, dilation)
    ("32x128x128, 16 3x3, s1", 32, 128, 128, 16, 3, 1, 0, 1),
    ("32x128x128, 16 3x3, s2", 32, 128, 128, 16, 3, 2, 0, 1),
    ("64x224x224, 64 3x3, p1", 64, 224, 224, 64, 3, 1, 1, 1),
    ("256x56x56, 64 1x1", 256, 56, 56, 64, 1, 1, 0, 1),
    ("3x224x224, 64 7x7, s2 p3", 3, 224, 224, 64, 7, 2, 3, 1),
    ("32x128x128, 16 3x3, d2 p2", 32, 128, 128, 16, 3, 1, 2, 2),
]
MEDIAN_TARGET, CASE_TARGET = 0.5, 0.8


def blas_threads() -> int:
    try:
        from threadpoolctl import threadpool_info

        return max(
            (p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"),
            default=os.cpu_count(),
        )
    except ImportError:
        return os.cpu_count() or 1


PAUSE, WARM, WARM_SECONDS, TIMED = 0.3, 3, 0.05, 5


def faults() -> int:
    """Minor page faults of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def block(fn) -> tuple[float, float]:
    """Median time of ``TIMED`` calls of ``fn``, after a pause and the warm-up calls, and the
    page faults per timed call."""
    time.sleep(PAUSE)
    start, calls = time.perf_counter(), 0
    while calls < WARM or time.perf_counter() - start < WARM_SECONDS:
        fn()
        calls += 1
    times, before = [], faults()
    for _ in range(TIMED):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), (faults() - before) / TIMED


def paired(ours, theirs, pairs: int) -> tuple[float, float, float, float]:
    """Median ratio ours/theirs over ``pairs`` pairs of blocks, each side's median time and
    the median page faults per call of ours."""
    t_ours, t_theirs, ratios, f_ours = [], [], [], []
    for i in range(pairs):
        if i % 2:
            (b, _), (a, f) = block(theirs), block(ours)
        else:
            (a, f), (b, _) = block(ours), block(theirs)
        t_ours.append(a)
        t_theirs.append(b)
        ratios.append(a / b)
        f_ours.append(f)
    return (
        statistics.median(ratios),
        statistics.median(t_ours),
        statistics.median(t_theirs),
        statistics.median(f_ours),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--only", nargs="+", metavar="TEXT")
    args = ap.parse_args()
    import torch

    threads = blas_threads()
    torch.set_num_threads(threads)
    print(f"numpy {np.__version__}, torch {torch.__version__}, {threads} threads each")
    cases = [c for c in CASES if not args.only or any(t in c[0] for t in args.only)]
    for run in range(1, args.runs + 1):
        if args.runs > 1:
            print(f"run {run} of {args.runs}")
        table(cases, args.pairs)


def table(cases, pairs: int) -> None:
    """Measure ``cases`` and print one line each, then the targets."""
    import torch
    import torch.nn.functional as F

    print(f"floor: torch float64 conv2d; medians of {pairs} pairs of blocks of {TIMED} runs")
    print(f"{'case':27} {'cnncheck ms':>11} {'floor ms':>9} {'ratio':>6}  target  exact  faults")
    rng = np.random.default_rng(0)
    ratios, all_exact = [], True
    for label, C, H, W, Fn, k, s, p, d in cases:
        x = rng.integers(-9, 10, (C, H, W))
        w = rng.integers(-9, 10, (Fn, C, k, k))
        xt, wt = torch.tensor(x, dtype=torch.float64)[None], torch.tensor(w, dtype=torch.float64)
        ours = engine.conv2d(x, w, stride=s, padding=p, dilation=d)
        theirs = F.conv2d(xt, wt, None, s, p, d)[0].numpy()
        exact = ours.dtype == np.int64 and np.array_equal(ours, theirs)
        all_exact &= exact
        ratio, t_ours, t_torch, f_ours = paired(
            lambda: engine.conv2d(x, w, stride=s, padding=p, dilation=d),
            lambda: F.conv2d(xt, wt, None, s, p, d),
            pairs,
        )
        ratios.append(ratio)
        met = "met" if ratio <= CASE_TARGET else "NOT met"
        print(
            f"{label:27} {t_ours * 1e3:11.2f} {t_torch * 1e3:9.2f} {ratio:6.2f}  "
            f"<={CASE_TARGET} {met:7}  {str(exact):5} {f_ours:7.0f}"
        )
    med = statistics.median(ratios)
    over = "" if len(cases) == len(CASES) else f" ({len(cases)} of {len(CASES)} cases)"
    print(
        f"median ratio{over} {med:.2f} x torch float64 (target <= {MEDIAN_TARGET}): "
        f"{'met' if med <= MEDIAN_TARGET else 'NOT met'}; "
        f"largest {max(ratios):.2f} (target <= {CASE_TARGET}): "
        f"{'met' if max(ratios) <= CASE_TARGET else 'NOT met'}; all exact: {all_exact}"
    )


if __name__ == "__main__":
    main()
