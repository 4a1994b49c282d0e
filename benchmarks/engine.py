"""cnncheck's conv2d against torch.nn.functional.conv2d in float64, side by side in one run.

    python benchmarks/engine.py [--repeat N]

For each case: integer inputs (the kind a question has, values in -9..9),
the best of N runs of each, the ratio cnncheck / torch, and whether the two
results are equal element for element. Torch runs with the same number of
threads as NumPy's BLAS. Target: median ratio <= 0.5, every result exact.
"""

from __future__ import annotations

import argparse
import os
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


def blas_threads() -> int:
    try:
        from threadpoolctl import threadpool_info

        return max(
            (p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"),
            default=os.cpu_count(),
        )
    except ImportError:
        return os.cpu_count() or 1


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    import torch
    import torch.nn.functional as F

    threads = blas_threads()
    torch.set_num_threads(threads)
    print(f"numpy {np.__version__}, torch {torch.__version__}, {threads} threads each")
    print(f"{'case':30} {'cnncheck ms':>12} {'torch ms':>10} {'ratio':>7}  exact")
    rng = np.random.default_rng(0)
    ratios, all_exact = [], True
    for label, C, H, W, Fn, k, s, p, d in CASES:
        x = rng.integers(-9, 10, (C, H, W))
        w = rng.integers(-9, 10, (Fn, C, k, k))
        xt, wt = torch.tensor(x, dtype=torch.float64)[None], torch.tensor(w, dtype=torch.float64)
        ours = engine.conv2d(x, w, stride=s, padding=p, dilation=d)
        theirs = F.conv2d(xt, wt, None, s, p, d)[0].numpy()
        exact = ours.dtype == np.int64 and np.array_equal(ours, theirs)
        all_exact &= exact
        t_ours = best(lambda: engine.conv2d(x, w, stride=s, padding=p, dilation=d), args.repeat)
        t_torch = best(lambda: F.conv2d(xt, wt, None, s, p, d), args.repeat)
        ratios.append(t_ours / t_torch)
        print(f"{label:30} {t_ours * 1e3:12.1f} {t_torch * 1e3:10.1f} {ratios[-1]:7.2f}  {exact}")
    med = statistics.median(ratios)
    print(
        f"median ratio {med:.2f} (target <= 0.5): {'met' if med <= 0.5 else 'NOT met'}; "
        f"all exact: {all_exact}"
    )


if __name__ == "__main__":
    main()
