"""Convolutions: conv2d, conv1d and conv_transpose2d, with PyTorch's semantics.

All three are cross-correlations (no kernel flip), summed over input
channels, as ``torch.nn.functional.conv2d`` and friends compute them. Each
one lowers to a single matrix product: the Python loops below run over the
kernel's offsets (``kh*kw`` slices, each a vectorized copy), never over pixels
or windows.
"""

from __future__ import annotations

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
    stride and dilation pairs."""
    x = _exact.as_numeric(image, "image")
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


def _pad(x: np.ndarray, pads, fill=0) -> np.ndarray:
    """x : (C, H, W) -> (C, H + top + bottom, W + left + right)."""
    (top, bottom), (left, right) = pads
    if not (top or bottom or left or right):
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right)), constant_values=fill)


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
    dt = _exact.work_dtype(x, w, b, reduce_axes=(1, 2, 3))
    xp = _pad(x.astype(dt, copy=False), pads)  # (C, Hp, Wp)
    if (kh, kw) == (1, 1) and s == (1, 1):
        cols = xp.reshape(C, 1, 1, Ho * Wo)  # (C, 1, 1, Ho*Wo): a 1x1 conv is a plain matmul
    else:
        cols = np.empty((C, kh, kw, Ho, Wo), dtype=dt)  # im2col, one kernel offset at a time
        for i in range(kh):
            r0 = i * d[0]
            for j in range(kw):
                c0 = j * d[1]
                cols[:, i, j] = xp[
                    :, r0 : r0 + (Ho - 1) * s[0] + 1 : s[0], c0 : c0 + (Wo - 1) * s[1] + 1 : s[1]
                ]
    out = w.astype(dt, copy=False).reshape(F, C * kh * kw) @ cols.reshape(
        C * kh * kw, Ho * Wo
    )  # (F, Ho*Wo)
    if b is not None:
        out += b.astype(dt, copy=False)[:, None]
    return _exact.finish(out.reshape(F, Ho, Wo), exact)


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
