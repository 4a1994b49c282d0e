"""Exact arithmetic for integer inputs.

A convolution is a matrix product. When the inputs are integers, every
partial sum of that product is an integer bounded by
``max|x| * max_f sum|w_f|`` (plus the bias): it is a sum of some of the
products ``x*w`` (and perhaps the bias), whatever the order and grouping (BLAS
blocks, fused multiply-adds, conv2d's products per kernel offset added block by
block). A float type represents every integer below ``2**(mantissa+1)``
exactly, so each of those sums, and the result, is exact when the bound is
below it:

* bound < 2**24: float32 (single-precision BLAS, the fast path), exact;
* bound < 2**53: float64, exact;
* bound < 2**63: int64, exact (NumPy's integer matmul, slower);
* otherwise: Python ints (object arrays), exact whatever the size.

Non-integer inputs are computed in float64.
"""

from __future__ import annotations

import math

import numpy as np

F32_EXACT = 2**24
F64_EXACT = 2**53
I64_EXACT = 2**63


def as_numeric(a, name: str) -> np.ndarray:
    """``a`` as an int64 array when every value is an integer, else float64.

    Integers whose magnitude may not fit int64 stay Python ints (an object array).
    """
    return widen(as_array(a, name))


def as_array(a, name: str) -> np.ndarray:
    """:func:`as_numeric` without the pass over an int64 array that looks for ``-2**63``.

    Callers that read such an array only through a bound that ``-2**63`` fails (conv2d's
    float32 path) skip that pass, and :func:`widen` the array before any other use.
    """
    arr = np.asarray(a)
    if arr.dtype == object:
        try:
            if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in arr.flat):
                if arr.size and max(abs(int(v)) for v in arr.flat) >= I64_EXACT:
                    return arr  # huge Python ints: kept as objects, computed exactly
                return arr.astype(np.int64)
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{name} must hold numbers only") from e
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if arr.dtype.kind in "iu":
        if arr.dtype == np.uint64:
            return arr.astype(object)  # |value| may not fit int64: exact Python ints
        return arr.astype(np.int64, copy=False)
    arr = arr.astype(np.float64, copy=False)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers")
    return arr


def widen(arr: np.ndarray) -> np.ndarray:
    """An int64 array holding ``-2**63`` as Python ints: its magnitude does not fit int64."""
    if arr.dtype == np.int64 and arr.size and arr.min() == np.iinfo(np.int64).min:
        return arr.astype(object)
    return arr


def is_integer(a: np.ndarray) -> bool:
    return a.dtype.kind in "iu" or a.dtype == object


def magnitude(a: np.ndarray | None) -> int:
    """``max |a|`` as a Python int (0 for None or an empty array); ``a`` holds integers."""
    if a is None or not a.size:
        return 0
    if a.dtype == object:
        return max(abs(int(v)) for v in a.flat)
    return max(-int(a.min()), int(a.max()))  # no abs(): |-2**63| does not fit int64


def weight_sum(w: np.ndarray, reduce_axes: tuple[int, ...]) -> int:
    """``max_f sum |w_f|`` over ``reduce_axes`` as a Python int; ``w`` holds integers."""
    if not w.size:
        return 0
    n = math.prod(w.shape[a] for a in reduce_axes)
    if w.dtype != object and magnitude(w) * n < 2**62:  # int64 sums cannot overflow
        return int(np.max(np.sum(np.abs(w), axis=reduce_axes)))
    return int(np.max(np.sum(np.abs(w.astype(object)), axis=reduce_axes)))


def dtype_for(bound: int):
    """The narrowest dtype whose every partial sum below ``bound`` is exact."""
    if bound < F32_EXACT:
        return np.float32
    if bound < F64_EXACT:
        return np.float64
    if bound < I64_EXACT:
        return np.int64
    return object


def work_dtype(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None, reduce_axes: tuple[int, ...]):
    """The narrowest dtype that computes ``sum(x*w) + bias`` exactly.

    ``reduce_axes`` are the axes of ``w`` summed into one output value.
    """
    if not (is_integer(x) and is_integer(w) and (bias is None or is_integer(bias))):
        return np.float64
    return dtype_for(magnitude(x) * weight_sum(w, reduce_axes) + magnitude(bias))


def finish(out: np.ndarray, exact_int: bool) -> np.ndarray:
    """Back to int64 (or Python ints past int64) when the inputs were integers."""
    if not exact_int:
        return out.astype(np.float64, copy=False)
    if out.dtype == object:
        if out.size == 0 or max(abs(int(v)) for v in out.flat) < I64_EXACT:
            return out.astype(np.int64)
        return out
    if out.dtype.kind == "f":
        return np.rint(out).astype(np.int64)
    return out.astype(np.int64, copy=False)
