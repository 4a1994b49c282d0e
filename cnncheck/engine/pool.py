"""Pooling, per channel, as ``torch.nn.functional.max_pool2d`` / ``avg_pool2d``."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _exact
from .shapes import effective_kernel, pair, pool_output_size, pool_padding_fits

__all__ = ["max_pool2d", "avg_pool2d", "avg_pool_extent"]


def _setup(image, size, stride, padding, dilation, ceil_mode):
    """Shared argument checks. Returns x (C, H, W) and the per-axis geometry."""
    x = _exact.as_numeric(image, "image")
    if x.ndim != 3:
        raise ValueError(f"image must have shape (C, H, W), got {x.ndim} dimensions")
    if min(x.shape) < 1:
        raise ValueError("image must not be empty")
    k = pair(size, "size")
    s = k if stride is None else pair(stride, "stride")
    p, d = pair(padding, "padding"), pair(dilation, "dilation")
    if min(k) < 1 or min(s) < 1 or min(d) < 1:
        raise ValueError(
            f"size, stride and dilation must be at least 1, got size {k}, stride {s}, dilation {d}"
        )
    if min(p) < 0:
        raise ValueError(f"padding must not be negative, got {p}")
    for a in range(2):
        if not pool_padding_fits(p[a], k[a]):
            raise ValueError(
                f"padding ({p[a]}) must be at most half the window size ({k[a]}), as in PyTorch"
            )
    out = tuple(
        pool_output_size(x.shape[1 + a], k[a], s[a], p[a], d[a], ceil_mode) for a in range(2)
    )
    if min(out) < 1:
        raise ValueError(
            f"the window ({effective_kernel(k[0], d[0])}x{effective_kernel(k[1], d[1])}) "
            f"is larger than the padded input ({x.shape[1] + 2 * p[0]}x{x.shape[2] + 2 * p[1]})"
        )
    for a in range(2):
        taps = (
            np.arange(out[a])[:, None] * s[a] - p[a] + np.arange(k[a])[None, :] * d[a]
        )  # (Ho, kh)
        inside = (taps >= 0) & (taps < x.shape[1 + a])
        if not inside.any(axis=1).all():
            raise ValueError(
                "a pooling window falls entirely in the padding (it reads no input cell)"
            )
    return x, k, s, p, d, out


def avg_pool_extent(start, k: int, n: int, p: int, count_include_pad: bool = True):
    """Along one axis, the cells of a window that count in an average's divisor (PyTorch's rule).

    ``start``: the window's first cell (an int or an array of them), ``-p`` for the first window.
    The window is clipped to the padded input ``[-p, n + p)``; without ``count_include_pad``, to
    ``[0, n)``.
    """
    stop = np.minimum(start + k, n + p)
    if not count_include_pad:
        start, stop = np.maximum(start, 0), np.minimum(stop, n)
    return stop - start


def _windows(xp: np.ndarray, k, s, d, out) -> np.ndarray:
    """xp : (C, Hp, Wp) padded far enough -> view (C, Ho, Wo, kh, kw) of the windows."""
    ext = (effective_kernel(k[0], d[0]), effective_kernel(k[1], d[1]))
    v = sliding_window_view(xp, ext, axis=(1, 2))  # (C, Hp-eh+1, Wp-ew+1, eh, ew)
    return v[
        :, : (out[0] - 1) * s[0] + 1 : s[0], : (out[1] - 1) * s[1] + 1 : s[1], :: d[0], :: d[1]
    ]


def _pad_to(x: np.ndarray, p, k, s, d, out, fill) -> np.ndarray:
    """Pad left/top by ``p`` and right/bottom far enough for the last window (ceil_mode
    overhang)."""
    extra = [
        max(p[a], (out[a] - 1) * s[a] + effective_kernel(k[a], d[a]) - x.shape[1 + a] - p[a])
        for a in range(2)
    ]
    return np.pad(x, ((0, 0), (p[0], extra[0]), (p[1], extra[1])), constant_values=fill)


def max_pool2d(image, size, *, stride=None, padding=0, dilation=1, ceil_mode=False) -> np.ndarray:
    """Max pooling per channel.

    image : (C, H, W); size, stride (default: size), padding, dilation : int or pair.
    Returns (C, Ho, Wo), the input's dtype. Padding is -infinity: a padded cell never wins.

    >>> max_pool2d([[[1, 2], [3, 4]]], 2)
    array([[[4]]])
    """
    x, k, s, p, d, out = _setup(image, size, stride, padding, dilation, ceil_mode)
    if x.dtype == object:
        x = x.astype(np.float64) if not _exact.is_integer(x) else x
    fill = (
        -np.inf if x.dtype.kind == "f" else (np.iinfo(np.int64).min if x.dtype != object else None)
    )
    if (
        fill is None
    ):  # Python ints past int64: pad with the smallest value present, which never changes a max
        fill = min(x.flat)
    xp = _pad_to(x, p, k, s, d, out, fill)
    return _windows(xp, k, s, d, out).max(axis=(-2, -1))


def avg_pool2d(
    image,
    size,
    *,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
) -> np.ndarray:
    """Average pooling per channel.

    image : (C, H, W). Returns (C, Ho, Wo) as float64: each window's exact sum
    (integer inputs are summed as integers) divided once by the divisor, so
    the result is the correctly rounded quotient.

    The divisor is PyTorch's (``AvgPoolKernel.cpp``): the window clipped to the
    padded input (padding cells count, the ceil_mode overhang past the
    padding does not); only real cells with ``count_include_pad=False``.

    >>> avg_pool2d([[[1, 2], [3, 4]]], 2)
    array([[[2.5]]])
    """
    x, k, s, p, d, out = _setup(image, size, stride, padding, 1, ceil_mode)
    xp = _pad_to(x, p, k, s, d, out, 0)
    sums = _windows(xp, k, s, d, out).sum(axis=(-2, -1))  # (C, Ho, Wo), exact for integers
    if divisor_override is not None:
        if not isinstance(divisor_override, int) or divisor_override < 1:
            raise ValueError(f"divisor_override must be a positive int, got {divisor_override!r}")
        div = np.full(out, divisor_override)
    else:
        sizes = []
        for a in range(2):
            start = np.arange(out[a]) * s[a] - p[a]
            sizes.append(avg_pool_extent(start, k[a], x.shape[1 + a], p[a], count_include_pad))
        div = np.outer(sizes[0], sizes[1])  # (Ho, Wo)
    if sums.dtype == object:
        return np.array([float(v) for v in (sums / div).flat]).reshape(sums.shape)
    return sums / div
