"""Convolutions: conv2d, conv1d and conv_transpose2d, with PyTorch's semantics.

All three are cross-correlations (no kernel flip), summed over input
channels, as ``torch.nn.functional.conv2d`` and friends compute them. Each
one lowers to matrix products: the Python loops below run over the kernel's
offsets and over blocks of output rows, never over pixels or windows.

conv2d does not copy the input once per kernel offset (im2col). It copies it
once, into one flat buffer per stride phase, and reads each kernel offset as
a shifted window of such a buffer: a matrix that BLAS takes as it is (see
:func:`_lowered`).
"""

from __future__ import annotations

import math
import threading

import numpy as np

from . import _exact
from .shapes import (
    conv_output_size,
    conv_transpose_output_size,
    effective_kernel,
    line_padding,
    normalize_padding,
    output_padding_fits,
    pair,
)

__all__ = ["conv2d", "conv1d", "conv_transpose2d"]


def _check_positive(name: str, value: tuple[int, int]) -> None:
    if min(value) < 1:
        raise ValueError(
            f"{name} must be at least 1, got {value[0] if value[0] == value[1] else value}"
        )


def _bias(bias, n: int) -> np.ndarray | None:
    if bias is None:
        return None
    b = _exact.as_numeric(bias, "bias")
    if b.ndim == 0:
        b = (
            np.full(n, b.item(), dtype=b.dtype)
            if b.dtype != object
            else np.array([b.item()] * n, dtype=object)
        )
    if b.shape != (n,):
        raise ValueError(
            f"bias must be a number or {n} numbers (one per filter), got shape {b.shape}"
        )
    return b


def _inputs(image, filters, stride, dilation, *, transposed: bool):
    """Checked arrays and steps: x (C, H, W), w (F, C, kh, kw) or, transposed, (C, F, kh, kw);
    stride and dilation pairs. ``x`` is not :func:`_exact.widen`-ed yet."""
    x = _exact.as_array(image, "image")
    w = _exact.as_numeric(filters, "filters")
    layout = "(C, F, kh, kw)" if transposed else "(F, C, kh, kw)"
    if x.ndim != 3:
        raise ValueError(f"image must have shape (C, H, W), got {x.ndim} dimensions")
    if w.ndim != 4:
        raise ValueError(f"filters must have shape {layout}, got {w.ndim} dimensions")
    cw = w.shape[0 if transposed else 1]
    if cw != x.shape[0]:
        raise ValueError(
            f"filters have {cw} {'input ' if transposed else ''}channels "
            f"but the image has {x.shape[0]}"
        )
    if min(w.shape) < 1 or min(x.shape) < 1:
        raise ValueError("image and filters must not be empty")
    s, d = pair(stride, "stride"), pair(dilation, "dilation")
    _check_positive("stride", s)
    _check_positive("dilation", d)
    return x, w, s, d


# Two ways to sum the kernel offsets' products, chosen by the image's channels C:
# - C >= MIN_DEPTH: one product per offset, (F, C) @ (C, n), read in place from the buffers and
#   added up, in blocks of output rows that touch about BLOCK_BYTES (the sums, the products
#   added to them and the rows the overlapping windows read), so that they stay in cache;
# - fewer channels: the windows of all offsets copied one under the other (im2col), in blocks
#   of at most IM2COL_BYTES, and one deep product per block.
MIN_DEPTH = 16
BLOCK_BYTES = 2 << 20
IM2COL_BYTES = 16 << 20
# x is copied into the buffers this many bytes of it at a time.
CHUNK_BYTES = 4 << 20
# The buffers and the scratch rows live in memory kept from one call to the next (per thread, at
# most KEEP_BYTES each): fresh memory costs a page fault per 4 KiB on first write, on some
# machines as much time as the arithmetic of a small convolution, and whether the allocator
# hands back fresh memory depends on what ran before.
KEEP_BYTES = 32 << 20
_kept = threading.local()


def _workspace(name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
    """An uninitialised array of ``shape`` in the memory kept under ``name``, valid until the
    next call with that name in this thread; a fresh one for objects or above KEEP_BYTES."""
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    if dtype.hasobject or nbytes > KEEP_BYTES:
        return np.empty(shape, dtype=dtype)
    kept = getattr(_kept, name, None)
    if kept is None or kept.size < nbytes:
        kept = np.empty(nbytes, dtype=np.uint8)
        setattr(_kept, name, kept)
    return kept[:nbytes].view(dtype).reshape(shape)


def _taps(k: int, s: int, d: int) -> dict[int, list[tuple[int, int]]]:
    """Along one axis: ``{phase: [(tap, shift), ...]}``.

    Tap ``t`` of output ``o`` reads padded cell ``s*o + t*d = s*(o + shift) + phase``: cell
    ``o + shift`` of the phase's buffer, whose cells are every ``s``-th from ``phase``.
    """
    taps: dict[int, list[tuple[int, int]]] = {}
    for t in range(k):
        taps.setdefault(t * d % s, []).append((t, t * d // s))
    return taps


def _inside(phase: int, s: int, pad: int, n: int, m: int) -> tuple[int, int]:
    """The cells ``u`` in ``[0, m)`` whose padded cell ``phase + s*u`` is one of the input's
    ``n`` (input cell ``phase + s*u - pad``), as ``[u0, u1)``."""
    u0 = min(m, max(0, -((phase - pad) // s)))
    return u0, max(u0, min(m, (n - 1 + pad - phase) // s + 1))


def _phase(grid: np.ndarray, pads, s, phase, HW):
    """Zero the cells of ``grid`` (C, Hq, Wq), one stride phase of the padded input, that are
    not input cells, and return where the input cells go and come from: ``(to, of)``, with
    ``grid[:, to] = x[:, of]``, or None when there are none.

    ``grid[c, u, v]`` is padded cell ``(phase[0] + s[0]*u, phase[1] + s[1]*v)``.
    """
    Hq, Wq = grid.shape[1:]
    u0, u1 = _inside(phase[0], s[0], pads[0][0], HW[0], Hq)
    v0, v1 = _inside(phase[1], s[1], pads[1][0], HW[1], Wq)
    for zeros in (grid[:, :u0], grid[:, u1:], grid[:, u0:u1, :v0], grid[:, u0:u1, v1:]):
        zeros[...] = 0
    if u1 == u0 or v1 == v0:
        return None
    r = phase[0] + s[0] * u0 - pads[0][0]  # the first input row and column read
    c = phase[1] + s[1] * v0 - pads[1][0]
    to = (slice(u0, u1), slice(v0, v1))
    of = (
        slice(r, r + s[0] * (u1 - u0 - 1) + 1, s[0]),
        slice(c, c + s[1] * (v1 - v0 - 1) + 1, s[1]),
    )
    return to, of


def _lowered(x: np.ndarray, dt, kernel, pads, s, d, out, *, bound: bool = False):
    """The padded input as flat buffers of dtype ``dt``, one per stride phase, and every kernel
    offset as a window of one of them.

    Returns ``(buffers, taps, Wq, xmax)``: buffers (P, C, L) and ``taps``, a list of
    ``(i, j, buffer, offset)``. For the ``n = rows*Wq`` outputs of rows ``r0 .. r0+rows-1``,
    ``buffers[buffer, :, r0*Wq + offset : r0*Wq + offset + n]``, shape (C, n), holds what
    offset ``(i, j)`` multiplies, in ``rows`` rows of ``Wq`` columns: the ``Wo`` outputs and
    ``Wq - Wo`` columns that wrap past the row's end, computed and then dropped. With stride 1
    there is one buffer, the padded image itself. With ``bound``, ``xmax`` is the largest
    magnitude in the buffers (as a Python int), else None.
    """
    if kernel == (1, 1) and pads == ((0, 0), (0, 0)):
        return _pointwise(x, dt, s, bound=bound)
    rows, cols = _taps(kernel[0], s[0], d[0]), _taps(kernel[1], s[1], d[1])
    last_row = max(shift for taps in rows.values() for _, shift in taps)
    last_col = max(shift for taps in cols.values() for _, shift in taps)
    Hq, Wq = out[0] + last_row, out[1] + last_col
    phases = [(a, b) for a in rows for b in cols]
    C = x.shape[0]
    buffers = _workspace("buffers", (len(phases), C, Hq * Wq + last_col), dt)  # all phases
    buffers[:, :, Hq * Wq :] = 0  # the tail, read by the last windows' dropped columns
    grids = buffers[:, :, : Hq * Wq].reshape(len(phases), C, Hq, Wq)  # views: they fill buffers
    fills = [
        (grids[k], _phase(grids[k], pads, s, phase, x.shape[1:])) for k, phase in enumerate(phases)
    ]
    # a few channels at a time: the phases read the same cells of x, and the bound reads the
    # cells just written, from cache
    step = max(1, CHUNK_BYTES // x[0].nbytes) if len(phases) > 1 or bound else C
    lo = hi = 0
    for c in range(0, C, step):
        for grid, fill in fills:
            if fill is not None:
                to, of = fill
                grid[c : c + step][(slice(None), *to)] = x[c : c + step][(slice(None), *of)]
                # the only pass over x; it casts to the buffers' dtype as it copies
        if bound:
            chunk = buffers[:, c : c + step]
            lo, hi = min(lo, chunk.min()), max(hi, chunk.max())
    taps = [
        (i, j, k, si * Wq + sj)
        for k, (a, b) in enumerate(phases)
        for i, si in rows[a]
        for j, sj in cols[b]
    ]
    return buffers, taps, Wq, max(-int(lo), int(hi)) if bound else None


def _pointwise(x: np.ndarray, dt, s, *, bound: bool):
    """:func:`_lowered` for a 1x1 kernel without padding: one buffer (1, C, Ho*Wo) of the cells
    the stride reads, in one copy, and one offset."""
    cells = x[:, :: s[0], :: s[1]]  # (C, Ho, Wo), a view
    C, Ho, Wo = cells.shape
    buffers = _workspace("buffers", (1, C, Ho * Wo), dt)
    buffers.reshape(C, Ho, Wo)[...] = cells  # the only pass over x; it casts as it copies
    xmax = max(-int(buffers.min()), int(buffers.max())) if bound else None
    return buffers, [(0, 0, 0, 0)], Wo, xmax


def _correlate(buffers, taps, Wq: int, w: np.ndarray, b, out: np.ndarray) -> np.ndarray:
    """Fill ``out`` (F, Ho, Wo) with ``sum over taps of w[:, :, i, j] @ window`` plus ``b``.

    ``w`` : (F, C, kh, kw) and ``b`` : (F,) or None, in the buffers' dtype. Blocks of output
    rows are summed in that dtype, then copied (cast) into ``out``.
    """
    F, C = w.shape[:2]
    Ho, Wo = out.shape[1:]
    if C >= MIN_DEPTH or len(taps) == 1:
        g, groups = 1, [[t] for t in taps]  # offsets per product, and the products' offsets
        per_tap = np.ascontiguousarray(w.transpose(2, 3, 0, 1))  # (kh, kw, F, C)
        weights = [per_tap[i, j] for i, j, _, _ in taps]  # (F, C) each
    else:
        g, groups = len(taps), [taps]  # one product of every offset's windows, copied
        w_taps = w[:, :, [t[0] for t in taps], [t[1] for t in taps]]  # (F, C, taps)
        # (F, taps*C), offset-major, as the windows are copied below
        weights = [np.ascontiguousarray(w_taps.transpose(0, 2, 1)).reshape(F, g * C)]
    # per output row: the sums, the products added to them, the copied windows
    per_row = [F, F if len(groups) > 1 else 0, g * C if g > 1 else 0]
    if g > 1:
        R = IM2COL_BYTES // (sum(per_row) * Wq * buffers.itemsize)
    elif len(taps) > 1:  # the rows that the overlapping windows read count too
        R = BLOCK_BYTES // ((sum(per_row) + C) * Wq * buffers.itemsize)
    else:
        R = Ho  # one product, nothing added: no reason to cut it
    R = max(1, min(Ho, R))  # output rows per block
    scratch = _workspace("scratch", (sum(per_row) * R * Wq,), buffers.dtype)
    acc, tmp, cols = (
        scratch[sum(per_row[:k]) * R * Wq : sum(per_row[: k + 1]) * R * Wq].reshape(-1, R * Wq)
        for k in range(3)
    )  # (F, R*Wq), (F or 0, R*Wq), (g*C or 0, R*Wq)
    for r0 in range(0, Ho, R):
        rows = min(R, Ho - r0)
        n, base = rows * Wq, r0 * Wq
        for k, (grp, wk) in enumerate(zip(groups, weights)):
            if len(grp) == 1:
                _, _, q, off = grp[0]
                src = buffers[q, :, base + off : base + off + n]  # (C, n), a view
            else:
                src = cols[: len(grp) * C, :n]  # (len(grp)*C, n)
                for t, (_, _, q, off) in enumerate(grp):
                    src[t * C : (t + 1) * C] = buffers[q, :, base + off : base + off + n]
            if k == 0:
                np.matmul(wk, src, out=acc[:, :n])
            else:
                np.matmul(wk, src, out=tmp[:, :n])
                acc[:, :n] += tmp[:, :n]
        block = acc[:, :n]  # (F, n)
        if b is not None:
            block += b[:, None]
        out[:, r0 : r0 + rows] = block.reshape(F, rows, Wq)[:, :, :Wo]
    return out


def conv2d(image, filters, *, stride=1, padding=0, dilation=1, bias=None) -> np.ndarray:
    """2-D cross-correlation, as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    image : array_like, shape (C, H, W)
    filters : array_like, shape (F, C, kh, kw)
    stride, dilation : int or (int, int)
    padding : int, (ph, pw), ((top, bottom), (left, right)), 'valid' or 'same'
    bias : None, a number, or array_like of shape (F,)

    Returns
    -------
    ndarray, shape (F, Ho, Wo)
        int64 when every input is an integer (exact), else float64, with
        ``Ho = floor((H + top + bottom - dh*(kh-1) - 1) / sh) + 1``.

    >>> conv2d([[[1, 2], [3, 4]]], [[[[1, 0], [0, 1]]]])
    array([[[5]]])
    """
    x, w, s, d = _inputs(image, filters, stride, dilation, transposed=False)
    C, H, W = x.shape
    F, _, kh, kw = w.shape
    pads = normalize_padding(padding, (kh, kw), d, s)
    b = _bias(bias, F)
    Ho = conv_output_size(H, kh, s[0], pads[0], d[0])
    Wo = conv_output_size(W, kw, s[1], pads[1], d[1])
    if Ho < 1 or Wo < 1:
        raise ValueError(
            f"the kernel ({effective_kernel(kh, d[0])}x{effective_kernel(kw, d[1])} with dilation) "
            "is larger than "
            f"the padded input ({H + sum(pads[0])}x{W + sum(pads[1])})"
        )
    exact = _exact.is_integer(x) and _exact.is_integer(w) and (b is None or _exact.is_integer(b))
    lowered = None
    if exact and x.dtype == w.dtype == np.int64 and (b is None or b.dtype == np.int64):
        # float32 when every partial sum stays below 2**24 (_exact). x is cast to float32 before
        # its bound is known: the cast rounds monotonically and 2**24 is a float32, so if every
        # cast value is below 2**24 in magnitude, so is every value of x, and the cast was exact.
        wsum, bmax = _exact.weight_sum(w, (1, 2, 3)), _exact.magnitude(b)
        if bmax < _exact.F32_EXACT:
            *lowered, xmax = _lowered(x, np.float32, (kh, kw), pads, s, d, (Ho, Wo), bound=True)
            if xmax * wsum + bmax >= _exact.F32_EXACT:  # xmax: of the cells the windows read
                lowered = None
    if lowered is None:
        x = _exact.widen(x)
        dt = _exact.work_dtype(x, w, b, (1, 2, 3))
        *lowered, _ = _lowered(x, dt, (kh, kw), pads, s, d, (Ho, Wo))
    dt = lowered[0].dtype
    # integer sums computed in floats are exact integers: copied into int64, they stay exact
    out = np.empty((F, Ho, Wo), dtype=np.int64 if exact and dt.kind == "f" else dt)
    _correlate(*lowered, w.astype(dt, copy=False), None if b is None else b.astype(dt), out)
    return _exact.finish(out, exact)


def conv1d(image, filters, *, stride=1, padding=0, dilation=1, bias=None) -> np.ndarray:
    """1-D cross-correlation, as ``torch.nn.functional.conv1d``.

    image : (C, L); filters : (F, C, k); padding : n, (left, right), 'valid' or 'same'.
    Returns (F, Lo). Computed as a conv2d of height 1.

    >>> conv1d([[4, 1, -1, 3]], [[[-2, 1]]], padding=1)
    array([[ 4, -7, -3,  5, -6]])
    """
    x = _exact.as_numeric(image, "image")
    w = _exact.as_numeric(filters, "filters")
    if x.ndim != 2:
        raise ValueError(f"image must have shape (C, L), got {x.ndim} dimensions")
    if w.ndim != 3:
        raise ValueError(f"filters must have shape (F, C, k), got {w.ndim} dimensions")
    for name, v in (("stride", stride), ("dilation", dilation)):
        if not isinstance(v, int) or isinstance(v, bool):
            raise ValueError(f"{name} must be an int, got {v!r}")
    out = conv2d(
        x[:, None, :],
        w[:, :, None, :],
        stride=(1, stride),
        padding=line_padding(padding),
        dilation=(1, dilation),
        bias=bias,
    )
    return out[:, 0, :]


def conv_transpose2d(
    image, filters, *, stride=1, padding=0, output_padding=0, dilation=1, bias=None
) -> np.ndarray:
    """Transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    Parameters
    ----------
    image : array_like, shape (C, H, W)
    filters : array_like, shape (C, F, kh, kw)
        PyTorch's layout for transposed convolutions: input channels first.
    stride, padding, output_padding, dilation : int or (int, int)

    Returns
    -------
    ndarray, shape (F, Ho, Wo) with ``Ho = (H-1)*sh - 2*ph + dh*(kh-1) + oph + 1``.

    Each input cell scatters ``x[c, i, j] * w[c, f]`` onto the output at
    ``(i*sh + m*dh, j*sw + n*dw)``; ``padding`` rows and columns are then cut
    from each side, and ``output_padding`` extends the bottom and right.
    """
    x, w, s, d = _inputs(image, filters, stride, dilation, transposed=True)
    x = _exact.widen(x)
    C, H, W = x.shape
    _, F, kh, kw = w.shape
    p, op = pair(padding, "padding"), pair(output_padding, "output_padding")
    if min(p) < 0 or min(op) < 0:
        raise ValueError("padding and output_padding must not be negative")
    for a in range(2):
        if not output_padding_fits(op[a], s[a], d[a]):
            raise ValueError(
                f"output_padding ({op[a]}) must be smaller than either stride ({s[a]}) "
                f"or dilation ({d[a]}), as in PyTorch"
            )
    b = _bias(bias, F)
    Ho = conv_transpose_output_size(H, kh, s[0], p[0], op[0], d[0])
    Wo = conv_transpose_output_size(W, kw, s[1], p[1], op[1], d[1])
    if Ho < 1 or Wo < 1:
        raise ValueError(f"padding {p} crops the whole output")
    exact = _exact.is_integer(x) and _exact.is_integer(w) and (b is None or _exact.is_integer(b))
    dt = _exact.work_dtype(x, w, b, reduce_axes=(0, 2, 3))
    # (F*kh*kw, C) @ (C, H*W): every input cell times every kernel tap
    cols = w.astype(dt, copy=False).reshape(C, F * kh * kw).T @ x.astype(dt, copy=False).reshape(
        C, H * W
    )
    cols = cols.reshape(F, kh, kw, H, W)
    # the uncropped result, with room for the crop and output_padding
    Hf = max(conv_transpose_output_size(H, kh, s[0], 0, 0, d[0]), p[0] + Ho)
    Wf = max(conv_transpose_output_size(W, kw, s[1], 0, 0, d[1]), p[1] + Wo)
    full = np.zeros((F, Hf, Wf), dtype=dt)
    for i in range(kh):  # col2im: scatter-add one kernel offset at a time
        r0 = i * d[0]
        for j in range(kw):
            c0 = j * d[1]
            full[:, r0 : r0 + (H - 1) * s[0] + 1 : s[0], c0 : c0 + (W - 1) * s[1] + 1 : s[1]] += (
                cols[:, i, j]
            )
    out = full[:, p[0] : p[0] + Ho, p[1] : p[1] + Wo]
    if b is not None:
        out = out + b.astype(dt, copy=False)[:, None, None]
    return _exact.finish(np.ascontiguousarray(out), exact)
