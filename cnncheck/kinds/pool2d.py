"""``pool2d``: max or average pooling, per channel."""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from .. import engine, forms
from ..forms import num
from . import teaching
from .base import (
    DefinitionError,
    Key,
    Kind,
    Picture,
    Window,
    check_exact,
    check_size,
    get_bool,
    get_choice,
    get_image,
    get_pair,
)
from .conv2d import IMAGE
from .teaching import Step, attempt


class PoolParams(NamedTuple):
    image: np.ndarray  # (C, H, W)
    channels: tuple[str, ...] | None
    single: bool  # the image had no channel axis: the answer is one matrix
    op: str
    size: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    ceil_mode: bool
    count_include_pad: bool


def pool(p: PoolParams, *, op: str | None = None, ceil_mode: bool | None = None) -> np.ndarray:
    """Run the engine; ``op`` and ``ceil_mode`` may be overridden (for the answers of mistakes)."""
    op = op or p.op
    ceil = p.ceil_mode if ceil_mode is None else ceil_mode
    if op == "max":
        return engine.max_pool2d(
            p.image, p.size, stride=p.stride, padding=p.padding, dilation=p.dilation, ceil_mode=ceil
        )
    return engine.avg_pool2d(
        p.image,
        p.size,
        stride=p.stride,
        padding=p.padding,
        ceil_mode=ceil,
        count_include_pad=p.count_include_pad,
    )


class Pool2d(Kind):
    name = "pool2d"
    keys = (
        IMAGE._replace(doc="as conv2d"),
        Key("op", "choice", "`max` or `avg`", "max", choices=("max", "avg")),
        Key("size", "pair", "`n` or `[kh, kw]`", required=True),
        Key("stride", "pair", "`n` or `[sh, sw]`", "the size"),
        Key("padding", "pair0", "`n` or `[ph, pw]`, at most half the window", 0),
        Key("dilation", "pair", "max pooling only", 1),
        Key(
            "ceil_mode",
            "bool",
            "round the output size up; a last window that would start in "
            "the right padding is dropped",
            False,
        ),
        Key(
            "count_include_pad",
            "bool",
            "average pooling: padding cells count in the divisor (PyTorch's default)",
            True,
        ),
    )
    form = forms.ARRAY
    maps = "channel"
    mistakes = teaching.named(
        "ceil_instead_of_floor",
        "floor_instead_of_ceil",
        "padding_forgotten",
        "stride_ignored",
        "dilation_ignored",
        "transposed",
        avg_instead_of_max="average pooling was used instead of max pooling",
        max_instead_of_avg="max pooling was used instead of average pooling",
        padding_not_counted="the padded cells were left out of the average's divisor, but the "
        "question counts them (count_include_pad, PyTorch's default)",
        padding_counted="the padded cells were counted in the average's divisor, but the "
        "question leaves them out (count_include_pad: false, as TensorFlow)",
        channels_summed="the channels were summed, but pooling works on each channel separately",
    )
    examples = (
        {
            "image": [
                [1, 3, 2, 0, 5],
                [4, 0, 1, 2, 1],
                [2, 6, 0, 3, 2],
                [1, 2, 4, 0, 3],
                [3, 1, 0, 2, 4],
            ],
            "size": 2,
            "dilation": 2,
            "stride": 1,
        },
        {
            "image": [
                [1, 3, 2, 0, 5, 1],
                [4, 0, 1, 2, 1, 3],
                [2, 6, 0, 3, 2, 0],
                [1, 2, 4, 0, 3, 2],
                [3, 1, 0, 2, 4, 1],
                [0, 2, 1, 3, 1, 2],
            ],
            "op": "avg",
            "size": 3,
            "stride": 2,
            "padding": 1,
            "ceil_mode": True,
        },
        {
            "image": {
                "R": [[1, 3, 2], [4, 0, 1], [2, 6, 0]],
                "G": [[0, 1, 5], [2, 2, 1], [3, 0, 4]],
            },
            "size": 2,
        },
        {
            "image": [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]],
            "op": "avg",
            "size": 2,
            "padding": 1,
            "count_include_pad": False,
        },
    )

    def parse(self, d, convention):
        image, names, single = get_image(d)
        size = get_pair(d, "size", None) if d.get("size") is not None else None
        if size is None:
            raise DefinitionError("size is required", "size")
        op = get_choice(d, "op", ("max", "avg"), "max")
        dilation = get_pair(d, "dilation")
        if op == "avg" and dilation != (1, 1):
            raise DefinitionError("average pooling has no dilation in PyTorch", "dilation")
        padding = get_pair(d, "padding", 0, minimum=0)
        for a in range(2):
            if not engine.pool_padding_fits(padding[a], size[a]):
                raise DefinitionError(
                    f"padding ({padding[a]}) must be at most half the window size ({size[a]}), "
                    f"as in PyTorch",
                    "padding",
                )
        p = PoolParams(
            image,
            names,
            single,
            op,
            size,
            get_pair(d, "stride", list(size)),
            padding,
            dilation,
            get_bool(d, "ceil_mode", False),
            get_bool(d, "count_include_pad", True),
        )
        check_pool(p)
        return p

    def solve(self, p):
        out = pool(p)
        value = out[0] if p.single else out
        return forms.Expected(
            value, None if p.single else p.channels, exact=value.dtype.kind in "iuO"
        )

    def describe(self, p):
        rows: list[tuple[str, object]] = [
            ("image", p.image[0] if p.single else forms.Expected(p.image, p.channels))
        ]
        rows += [
            ("pooling", f"{p.op}, {p.size[0]}×{p.size[1]} window, per channel"),
            ("stride", _pair(p.stride)),
            ("padding", _pair(p.padding)),
        ]
        if p.dilation != (1, 1):
            rows.append(("dilation", _pair(p.dilation)))
        if p.ceil_mode:
            rows.append(
                ("ceil_mode", "true (a last partial window counts if it starts inside the input)")
            )
        if p.op == "avg" and p.padding != (0, 0):
            rows.append(("count_include_pad", str(p.count_include_pad).lower()))
        return rows

    def mistake_answers(self, p):
        return pool_mistake_answers(p)

    def warnings(self, p):
        return teaching.coverage_warnings(
            "the pooling",
            p.image.shape[1:],
            p.size,
            p.stride,
            [(q, q) for q in p.padding],
            p.dilation,
            p.ceil_mode,
        )

    def explain(self, p, expected):
        return explain_pool(p, expected.value)

    def picture(self, p, expected):
        return pool_picture(p, expected.value)


def check_pool(p: PoolParams) -> None:
    """Refuse a pooling too large to solve quickly with its named mistakes, or with numbers too
    large to stay exact. The output counted is the largest a named mistake gives (stride 1, no
    dilation, ceil_mode); the padded input has room for ceil_mode's last window; an average sums
    the window, and the "channels summed" mistake sums the channels."""
    C, H, W = p.image.shape
    padded = [n + 2 * q + s for n, q, s in zip((H, W), p.padding, p.stride)]
    out = C * int(
        np.prod([max(n + 2 * q - k + 2, 1) for n, q, k in zip((H, W), p.padding, p.size)])
    )
    taps = p.size[0] * p.size[1]
    check_size(
        {"the padded input": C * int(np.prod(padded)), "the output": out},
        out * taps,
        "padding" if p.padding != (0, 0) else "image",
    )
    check_exact(p.image, max(taps, C))


def pool_mistake_answers(p: PoolParams) -> list:
    out = []

    def shaped(v: np.ndarray) -> np.ndarray:
        return v[0] if p.single else v

    attempt(
        out,
        "max_instead_of_avg" if p.op == "avg" else "avg_instead_of_max",
        lambda: shaped(pool(p, op="max" if p.op == "avg" else "avg")),
    )
    attempt(
        out,
        "floor_instead_of_ceil" if p.ceil_mode else "ceil_instead_of_floor",
        lambda: shaped(pool(p, ceil_mode=not p.ceil_mode)),
    )
    if p.padding != (0, 0):
        attempt(out, "padding_forgotten", lambda: shaped(pool(p._replace(padding=(0, 0)))))
        if p.op == "avg":  # PyTorch counts the padded cells by default, TensorFlow never does
            attempt(
                out,
                "padding_counted" if not p.count_include_pad else "padding_not_counted",
                lambda: shaped(pool(p._replace(count_include_pad=not p.count_include_pad))),
            )
    if p.stride != (1, 1):
        attempt(out, "stride_ignored", lambda: shaped(pool(p._replace(stride=(1, 1)))))
    if p.dilation != (1, 1):
        attempt(out, "dilation_ignored", lambda: shaped(pool(p._replace(dilation=(1, 1)))))
    if not p.single and p.image.shape[0] > 1:
        attempt(out, "channels_summed", lambda: pool(p).sum(axis=0))
    attempt(out, "transposed", lambda: teaching.transposed(shaped(pool(p))))
    return out


def explain_pool(p: PoolParams, expected: np.ndarray) -> list[Step]:
    x = p.image
    C, H, W = x.shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = p.size, p.stride, p.padding, p.dilation
    out = expected[None] if p.single else expected
    Ho, Wo = out.shape[-2:]
    steps = [
        Step(
            f"{'Max' if p.op == 'max' else 'Average'} pooling works on each channel separately: "
            f"a {kh}×{kw} window moved {sh} down and {sw} across"
        )
    ]
    if (ph, pw) != (0, 0):
        fill = (
            "−∞ (a padded cell never wins)"
            if p.op == "max"
            else "zeros (they count in the divisor)"
            if p.count_include_pad
            else "zeros (not counted in the divisor)"
        )
        steps.append(
            Step(f"Pad {ph} row(s) top and bottom, {pw} column(s) left and right, with {fill}")
        )
    eh, ew = engine.effective_kernel(kh, dh), engine.effective_kernel(kw, dw)
    lo, hi = ("⌈", "⌉") if p.ceil_mode else ("⌊", "⌋")
    steps.append(
        Step(
            f"Hout = {lo}({H} + 2·{ph} − {eh}) / {sh}{hi} + 1 = {Ho}; "
            f"Wout = {lo}({W} + 2·{pw} − {ew}) / {sw}{hi} + 1 = {Wo}"
            + (
                " (ceil_mode rounds up, but drops a last window that would start in the right "
                "padding)"
                if p.ceil_mode
                else ""
            )
        )
    )
    names = p.channels or tuple(f"channel {c + 1}" for c in range(C))
    per_channel = max(1, teaching.SHOWN_CELLS // C)
    shown = 0
    for c in range(C):
        for i, j in itertools.islice(itertools.product(range(Ho), range(Wo)), per_channel):
            shown += 1
            rows = [i * sh - ph + m * dh for m in range(kh)]
            cols = [j * sw - pw + n * dw for n in range(kw)]
            cells = [x[c, r, q] for r in rows for q in cols if 0 <= r < H and 0 <= q < W]
            label = "" if p.single else f"{names[c]} "
            values = ", ".join(num(v) for v in cells)
            if p.op == "max":
                steps.append(Step(f"{label}[{i}, {j}] = max({values}) = {num(out[c, i, j])}"))
            else:
                div = _divisor(p, rows, cols, H, W)
                total = " + ".join(num(v) for v in cells)
                steps.append(Step(f"{label}[{i}, {j}] = ({total}) / {div} = {num(out[c, i, j])}"))
    rest = out.size - shown
    steps.append(
        Step(
            teaching.rest_text(rest, "cell") + "The output:",
            expected if p.single else forms.Expected(expected, p.channels),
        )
    )
    return steps


def pool_picture(p: PoolParams, expected: np.ndarray) -> Picture:
    """The first windows of :func:`explain_pool` on channel 1, for a picture."""
    x = p.image
    C, H, W = x.shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = p.size, p.stride, p.padding, p.dilation
    out = (expected[None] if p.single else expected)[0]  # (Ho, Wo): channel 1's
    Ho, Wo = out.shape
    windows = []
    for i, j in itertools.islice(np.ndindex(Ho, Wo), teaching.SHOWN_CELLS):
        rows = [i * sh - ph + m * dh for m in range(kh)]
        cols = [j * sw - pw + n * dw for n in range(kw)]
        windows.append(
            Window(
                label=f"out[{i}, {j}]",
                out=(i, j),
                taps=tuple((r, q) for r in rows for q in cols),
                value=out[i, j],
                divisor=_divisor(p, rows, cols, H, W) if p.op == "avg" else None,
            )
        )
    eh, ew = engine.effective_kernel(kh, dh), engine.effective_kernel(kw, dw)
    name = "" if p.single or C == 1 else (p.channels or ("channel 1",))[0]
    notes = [f"Each channel is pooled alike; {name} (1 of {C}) is drawn."] if C > 1 else []
    if p.op == "avg" and (ph, pw) != (0, 0):
        notes.append(
            "The padded cells count in the divisor (count_include_pad)."
            if p.count_include_pad
            else "The padded cells do not count in the divisor (count_include_pad: false)."
        )
    if p.ceil_mode:
        notes.append(
            "ceil_mode: the last window may reach past the padding; cells there are left out."
        )
    return Picture(
        kind="pooling",
        channels=((name, x[0]),),
        n_channels=C,
        # ceil_mode's last window may reach past the padding
        rows=(-ph, max(H + ph, (Ho - 1) * sh - ph + eh)),
        cols=(-pw, max(W + pw, (Wo - 1) * sw - pw + ew)),
        kernel=(kh, kw),
        stride=(sh, sw),
        dilation=(dh, dw),
        output=out,
        windows=tuple(windows),
        fill="−∞" if p.op == "max" else "0",
        op=p.op,
        notes=tuple(notes),
    )


def _divisor(p: PoolParams, rows, cols, H, W) -> int:
    """PyTorch's divisor of the window whose first cell is (rows[0], cols[0]), as the engine's."""
    return int(
        engine.avg_pool_extent(rows[0], p.size[0], H, p.padding[0], p.count_include_pad)
        * engine.avg_pool_extent(cols[0], p.size[1], W, p.padding[1], p.count_include_pad)
    )


def _pair(v) -> str:
    return str(v[0]) if v[0] == v[1] else f"[{v[0]}, {v[1]}]"


KIND = Pool2d()
