"""``conv_transpose2d``: the transposed convolution (the "deconvolution" of upsampling layers).

The filter is written in conv2d's forms: [kh][kw], [C][kh][kw] (one output
map) or [F][C][kh][kw] (F output maps, each reading the C input channels).
The engine takes PyTorch's (C, F, kh, kw) layout, so the bank's filter is
transposed on its way in.
"""

from __future__ import annotations

import itertools

import numpy as np

from .. import engine, forms
from ..forms import num
from . import teaching
from .base import DRAWN_CHANNELS, DefinitionError, Key, Kind, Picture, Window, get_pair
from .conv2d import (
    BIAS,
    CONVENTION,
    DILATION,
    FILTER,
    IMAGE,
    STRIDE,
    check_conv,
    common_mistake_answers,
    describe_conv,
    expected_of,
    read_conv,
)
from .teaching import Step, attempt


class ConvTranspose2d(Kind):
    name = "conv_transpose2d"
    keys = (
        IMAGE,
        FILTER._replace(
            doc="the forms of conv2d's: a 4-D filter is `[F][C][kh][kw]`, "
            "F output maps each reading the C input channels"
        ),
        BIAS,
        STRIDE,
        Key(
            "padding",
            "pair0",
            "`n` or `[ph, pw]`: rows and columns cut from each side of the result",
            0,
        ),
        Key(
            "output_padding",
            "pair0",
            "added to the bottom and right; smaller than the stride or the dilation",
            0,
        ),
        DILATION,
        CONVENTION,
    )
    form = forms.ARRAY
    mistakes = teaching.named(
        *teaching.CONV_MISTAKES,
        "padding_forgotten",
        output_padding_ignored="the output_padding was ignored",
    )
    examples = (
        {
            "image": [[1, 2], [3, 4]],
            "filter": [[1, 2], [3, 5]],
            "stride": 2,
            "padding": 1,
            "output_padding": 1,
            "bias": 1,
        },
        {
            "image": [[1, 0, 2], [2, 1, 3]],
            "filter": [[1, -1], [2, 3]],
            "dilation": 2,
            "convention": "convolution",
        },
        {
            "image": {"R": [[1, 2], [0, 1]], "G": [[2, 0], [1, 3]]},
            "filter": [[[1, 0], [0, 2]], [[0, 1], [1, 0]]],
        },
    )

    def parse(self, d, convention):
        if isinstance(d.get("padding"), str):
            raise DefinitionError(
                "padding of a transposed convolution must be n or [ph, pw]", "padding"
            )
        p = read_conv(d, convention)
        p = p._replace(
            padding=get_pair(d, "padding", 0, minimum=0),
            output_padding=get_pair(d, "output_padding", 0, minimum=0),
        )
        for a in range(2):
            if not engine.output_padding_fits(p.output_padding[a], p.stride[a], p.dilation[a]):
                raise DefinitionError(
                    "output_padding must be smaller than either stride or dilation, as in PyTorch",
                    "output_padding",
                )
        check_conv(p, transposed=True)
        return p

    def solve(self, p):
        out = engine.conv_transpose2d(
            p.image,
            p.kernel.transpose(1, 0, 2, 3),
            stride=p.stride,
            padding=p.padding,
            output_padding=p.output_padding,
            dilation=p.dilation,
            bias=p.bias,
        )
        return expected_of(out, p.multi)

    def describe(self, p):
        return describe_conv(
            p,
            [
                (
                    "output_padding",
                    str(p.output_padding[0])
                    if p.output_padding[0] == p.output_padding[1]
                    else str(list(p.output_padding)),
                )
            ],
        )

    def mistake_answers(self, p):
        out = []
        common_mistake_answers(self, p, out)
        if p.padding != (0, 0):
            attempt(
                out,
                "padding_forgotten",
                lambda: self.solve(p._replace(padding=(0, 0), output_padding=(0, 0))).value,
            )
        if p.output_padding != (0, 0):
            attempt(
                out,
                "output_padding_ignored",
                lambda: self.solve(p._replace(output_padding=(0, 0))).value,
            )
            if p.stride != (
                1,
                1,
            ):  # output_padding only exists for a stride: ignoring the stride drops it too
                attempt(
                    out,
                    "stride_ignored",
                    lambda: self.solve(p._replace(stride=(1, 1), output_padding=(0, 0))).value,
                )
        return out

    def explain(self, p, expected):
        x, w = p.image, p.kernel  # (C, H, W), (F, C, kh, kw)
        C, H, W = x.shape
        F, _, kh, kw = w.shape
        s, d, pad, op = p.stride, p.dilation, p.padding, p.output_padding
        steps = []
        if p.convention == "convolution":
            steps.append(Step("True convolution: rotate the kernel by 180° first", w[0, 0]))
        ek = engine.effective_kernel(kh, d[0]), engine.effective_kernel(kw, d[1])
        full_h, full_w = (
            engine.conv_transpose_output_size(H, kh, s[0], 0, 0, d[0]),
            engine.conv_transpose_output_size(W, kw, s[1], 0, 0, d[1]),
        )
        steps.append(
            Step(
                f"Each input cell x[i, j] adds x[i, j]·K to the output, "
                f"its corner at (i·{s[0]}, j·{s[1]})"
                + (f", the kernel's taps {d[0]} apart" if d != (1, 1) else "")
                + (", summed over the input channels" if C > 1 else "")
                + f": a {full_h}×{full_w} result before cropping"
            )
        )
        # the sum of all the pieces, uncropped: the engine's result with no padding to cut
        full = engine.conv_transpose2d(x, w.transpose(1, 0, 2, 3), stride=s, dilation=d)
        shown = 0
        for i, j, c in ((i, j, c) for i in range(H) for j in range(W) for c in range(C)):
            if shown >= teaching.SHOWN_CELLS:
                break
            shown += 1
            ch = f"[{c}]" if C > 1 else ""
            steps.append(
                Step(
                    f"x{ch}[{i}, {j}] = {num(x[c, i, j])}: adds {num(x[c, i, j])}·K at rows "
                    f"{i * s[0]}–{i * s[0] + ek[0] - 1}, "
                    f"columns {j * s[1]}–{j * s[1] + ek[1] - 1}"
                )
            )
        rest = C * H * W - shown
        steps.append(
            Step(
                teaching.rest_text(rest, "input cell") + "The sum of all the pieces:",
                full if p.multi else full[0],
            )
        )
        if pad != (0, 0) or op != (0, 0):
            Ho, Wo = expected.value.shape[-2:]
            steps.append(
                Step(
                    f"Cut padding {pad[0]} rows from the top and bottom "
                    f"and {pad[1]} columns from each side"
                    + (
                        f", then extend the bottom/right by output_padding {list(op)}"
                        if op != (0, 0)
                        else ""
                    )
                    + f": Hout = ({H}−1)·{s[0]} − 2·{pad[0]} + {d[0]}·({kh}−1) + {op[0]} + 1 "
                    f"= {Ho}, "
                    f"Wout = ({W}−1)·{s[1]} − 2·{pad[1]} + {d[1]}·({kw}−1) + {op[1]} + 1 = {Wo}"
                )
            )
        steps.append(Step("The output:", expected.value))
        return steps

    def picture(self, p, expected):
        return transposed_picture(p, expected.value)


def transposed_picture(p, expected: np.ndarray) -> Picture:
    """A transposed convolution as the direct convolution it equals (SEMANTICS.md A.3), as
    Dumoulin & Visin draw it: the input spread out by the stride (zeros between its cells), padded
    by dilation·(k−1) − padding on each side (output_padding more at the bottom and right), read
    at stride 1 by the kernel rotated 180° and dilated. Filter 1, the first channels."""
    x, w = p.image, p.kernel  # (C, H, W), (F, C, kh, kw)
    C, H, W = x.shape
    F, _, kh, kw = w.shape
    s, d, pad, op = p.stride, p.dilation, p.padding, p.output_padding
    edge = (d[0] * (kh - 1) - pad[0], d[1] * (kw - 1) - pad[1])  # below 0: cells cut instead
    spread = ((H - 1) * s[0] + 1, (W - 1) * s[1] + 1)
    out = np.asarray(expected).reshape(-1, *np.shape(expected)[-2:])[0]  # (Ho, Wo): filter 1's
    n = min(DRAWN_CHANNELS, C)
    rotated = w[0, :, ::-1, ::-1]  # (C, kh, kw): tap (m, n) multiplies w[k−1−m, k−1−n]
    windows = []
    for i, j in itertools.islice(np.ndindex(*out.shape), teaching.SHOWN_CELLS):
        rows = np.array([i - edge[0] + m * d[0] for m in range(kh)])
        cols = np.array([j - edge[1] + q * d[1] for q in range(kw)])
        # the taps on an input cell (the others read a zero): their rows and columns in x
        on_rows = (rows >= 0) & (rows < spread[0]) & (rows % s[0] == 0)
        on_cols = (cols >= 0) & (cols < spread[1]) & (cols % s[1] == 0)
        read = np.zeros((C, kh, kw), dtype=x.dtype)  # (C, kh, kw): the values under the taps
        read[:, on_rows[:, None] & on_cols[None, :]] = x[:, rows[on_rows] // s[0]][
            :, :, cols[on_cols] // s[1]
        ].reshape(C, -1)
        products = read * rotated  # (C, kh, kw)
        windows.append(
            Window(
                label=f"out[{i}, {j}]",
                out=(i, j),
                taps=tuple((int(r), int(q)) for r in rows for q in cols),
                value=out[i, j],
                parts=tuple(products[c].sum() for c in range(n)),
                others=products[n:].sum() if C > n else None,
            )
        )
    names = p.channels or (tuple(f"channel {c + 1}" for c in range(C)) if C > 1 else ("",))
    where = (
        f"{edge[0]} row(s) top and bottom, {edge[1]} column(s) left and right"
        if min(edge) >= 0
        else f"{edge[0]} rows and {edge[1]} columns each side (negative: cut from the input)"
    )
    notes = [
        f"The input is spread out by the stride ({s[0]}, {s[1]}): "
        f"{s[0] - 1} zero row(s) and {s[1] - 1} zero column(s) between its cells."
        if s != (1, 1)
        else "At stride 1 the input is not spread out.",
        f"Padded by dilation·(k−1) − padding: {where}"
        + (f", plus output_padding {list(op)} at the bottom and right" if op != (0, 0) else "")
        + ".",
        "The kernel is rotated by 180°, as the taps' weights show; it moves 1 step at a time.",
    ]
    if p.multi:
        notes.append(f"Filter 1 of {F} is drawn.")
    return Picture(
        kind="transposed",
        channels=tuple((names[c], x[c]) for c in range(n)),
        n_channels=C,
        rows=(min(-edge[0], 0), max(spread[0] + edge[0] + op[0], spread[0])),
        cols=(min(-edge[1], 0), max(spread[1] + edge[1] + op[1], spread[1])),
        kernel=(kh, kw),
        stride=(1, 1),
        dilation=d,
        output=out,
        windows=tuple(windows),
        weights=tuple(rotated[c] for c in range(n)),
        spread=s,
        bias=None if p.bias is None else p.bias[0],
        notes=tuple(notes),
    )


KIND = ConvTranspose2d()
