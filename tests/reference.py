"""Plain-loop references, written from the definitions, independent of the engine.

Slow and obvious on purpose: every output cell is a sum or a max over its
window, read straight off PyTorch's documented formulas. Python ints
throughout, so integer results are exact whatever their size.
"""

from __future__ import annotations

from fractions import Fraction


def conv2d(x, w, stride=(1, 1), pads=((0, 0), (0, 0)), dilation=(1, 1), bias=None):
    """x[C][H][W], w[F][C][kh][kw] -> out[F][Ho][Wo];
    out = bias + sum x[c, i*s+m*d - top, ...] * w.
    """
    C, H, W = len(x), len(x[0]), len(x[0][0])
    F, kh, kw = len(w), len(w[0][0]), len(w[0][0][0])
    (top, bottom), (left, right) = pads
    sh, sw = stride
    dh, dw = dilation
    out = []
    for f in range(F):
        rows = []
        i = 0
        while i * sh + dh * (kh - 1) < H + top + bottom:
            row = []
            j = 0
            while j * sw + dw * (kw - 1) < W + left + right:
                acc = bias[f] if bias is not None else 0
                for c in range(C):
                    for m in range(kh):
                        for n in range(kw):
                            y, z = i * sh + m * dh - top, j * sw + n * dw - left
                            if 0 <= y < H and 0 <= z < W:
                                acc += x[c][y][z] * w[f][c][m][n]
                row.append(acc)
                j += 1
            rows.append(row)
            i += 1
        out.append(rows)
    return out


def conv_transpose2d(x, w, stride=(1, 1), padding=(0, 0), output_padding=(0, 0), dilation=(1, 1)):
    """x[C][H][W], w[C][F][kh][kw]: scatter x[c,i,j]*w[c,f,m,n] to (i*s + m*d, j*s + n*d),
    crop, extend.
    """
    C, H, W = len(x), len(x[0]), len(x[0][0])
    F, kh, kw = len(w[0]), len(w[0][0]), len(w[0][0][0])
    Ho = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + output_padding[0] + 1
    Wo = (W - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + output_padding[1] + 1
    out = [[[0] * Wo for _ in range(Ho)] for _ in range(F)]
    for c in range(C):
        for i in range(H):
            for j in range(W):
                for f in range(F):
                    for m in range(kh):
                        for n in range(kw):
                            y = i * stride[0] + m * dilation[0] - padding[0]
                            z = j * stride[1] + n * dilation[1] - padding[1]
                            if 0 <= y < Ho and 0 <= z < Wo:
                                out[f][y][z] += x[c][i][j] * w[c][f][m][n]
    return out


def _pool_count(n, k, s, p, d, ceil_mode):
    """Windows along one axis, counted one by one, in padded coordinates.

    A window always counts when it fits in the padded input. With ceil_mode, a
    last partial window also counts when it overhangs the padded input by
    fewer than ``s`` cells, unless it would start in the right padding.
    """
    extent, padded = d * (k - 1) + 1, n + 2 * p
    count = 0
    while True:
        start = count * s
        overhang = start + extent - padded
        if overhang > 0 and not (ceil_mode and overhang < s and start < n + p):
            return count
        count += 1


def pool2d(x, op, k, s, p, d=(1, 1), ceil_mode=False, count_include_pad=True):
    """x[C][H][W] -> [C][Ho][Wo]; max over real cells (padding is -inf), avg as Fraction with
    PyTorch's divisor.
    """
    C, H, W = len(x), len(x[0]), len(x[0][0])
    Ho = _pool_count(H, k[0], s[0], p[0], d[0], ceil_mode)
    Wo = _pool_count(W, k[1], s[1], p[1], d[1], ceil_mode)
    out = []
    for c in range(C):
        rows = []
        for i in range(Ho):
            row = []
            for j in range(Wo):
                y0, z0 = i * s[0] - p[0], j * s[1] - p[1]
                cells = [
                    x[c][y0 + m * d[0]][z0 + n * d[1]]
                    for m in range(k[0])
                    for n in range(k[1])
                    if 0 <= y0 + m * d[0] < H and 0 <= z0 + n * d[1] < W
                ]
                if not cells:
                    raise ValueError("a window reads no input cell")
                if op == "max":
                    row.append(max(cells))
                else:
                    if count_include_pad:  # window cells inside the padded extent
                        hh = min(y0 + k[0], H + p[0]) - y0
                        ww = min(z0 + k[1], W + p[1]) - z0
                        div = hh * ww
                    else:
                        div = len(cells)
                    row.append(Fraction(sum(cells), div))
            rows.append(row)
        out.append(rows)
    return out
