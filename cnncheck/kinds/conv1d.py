"""``conv1d``: the same as conv2d, in one dimension.

A conv1d question is parsed into conv2d's parameters with a height of 1 (the signal a 1×L image, the
kernel 1×k, no padding above or below), so conv2d solves, explains, warns and names the mistakes;
:class:`LineView` shows the result as 1-D.
"""

from __future__ import annotations

from .. import engine, forms
from .base import MAX_SIZE, DefinitionError, Key, Kind, get_int
from .conv2d import BIAS, CONVENTION, Conv2d, ConvView, check_conv, read_operands


def _padding1d(d: dict):
    v = d.get("padding", 0)
    if v in ("valid", "same"):
        return v
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return v
    if (
        isinstance(v, list)
        and len(v) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v)
    ):
        return (v[0], v[1])
    raise DefinitionError(
        f"padding must be n, [left, right], 'valid' or 'same' (not negative), got {v!r}", "padding"
    )


class LineView(ConvView):
    """A height-1 convolution shown as 1-D: one axis, L, and (left, right) padding."""

    axes = (1,)
    names = (None, "L")

    def shown(self, arr):
        return arr[..., 0, :]

    def option(self, p, name):
        v = getattr(p, name)
        return v if isinstance(v, str) else v[1]

    def symmetric(self, q):
        return engine.line_padding(q)

    def pad_where(self, top, bottom, left, right):
        return f"{left} left, {right} right"

    def padded_input(self, xp, names):
        return xp[0, 0] if xp.shape[0] == 1 else xp[:, 0]

    def index(self, i, j):
        return f"[{j}]"

    def words(self, text):
        return text.replace("column", "value")


LINE = LineView()


class Conv1d(Kind):
    name = "conv1d"
    keys = (
        Key("image", "image1d", "`[L]` or `[C][L]`", required=True),
        Key("filter", "filter1d", "`[k]`, `[C][k]` or `[F][C][k]`, as conv2d's", required=True),
        BIAS,
        Key("stride", "count", "a number", 1),
        Key("padding", "padding1d", "`n`, `[left, right]`, `valid` or `same`", 0),
        Key("dilation", "count", "a number", 1),
        CONVENTION,
    )
    takes = {"padding": "padding"}
    form = forms.ARRAY
    mistakes = Conv2d.mistakes
    examples = (
        {"image": [4, 1, -1, 3, 2, 5], "filter": [-2, 1, 3], "padding": 1, "bias": 2},
        {
            "image": [[3, 1, 2, 0, 1, 4, 2], [1, 0, 2, 3, 1, 0, 2]],
            "filter": [1, -1, 2],
            "stride": 2,
            "dilation": 2,
            "convention": "convolution",
        },
        {"image": [[3, 1, 2, 0], [1, 0, 2, 3]], "filter": [[[1, -1], [0, 2]], [[2, 0], [1, 1]]]},
    )

    def parse(self, d, convention):
        p = read_operands(d, convention, spatial=1)
        stride, dilation = get_int(d, "stride", 1, minimum=1), get_int(d, "dilation", 1, minimum=1)
        padding = _padding1d(d)
        if padding == "same" and stride != 1:
            raise DefinitionError(
                "padding 'same' is not supported for strided convolutions, as in PyTorch", "padding"
            )
        # the image (C, 1, L), the filters (F, C, 1, k)
        p = p._replace(
            image=p.image[:, None, :],
            weight=p.weight[:, :, None, :],
            stride=(1, stride),
            padding=engine.line_padding(padding),
            dilation=(1, dilation),
            view=LINE,
        )
        pads = engine.normalize_padding(p.padding, p.weight.shape[2:], p.dilation, p.stride)
        if max(pads[1]) > MAX_SIZE:
            raise DefinitionError(
                f"padding must be at most {MAX_SIZE:,}, got {max(pads[1]):,}", "padding"
            )
        check_conv(p, pads)
        return p

    # conv2d's own: the parameters are a height-1 conv2d's, and p.view shows them as 1-D
    solve, describe, mistake_answers, warnings, explain, picture = (
        Conv2d.solve,
        Conv2d.describe,
        Conv2d.mistake_answers,
        Conv2d.warnings,
        Conv2d.explain,
        Conv2d.picture,
    )


KIND = Conv1d()
