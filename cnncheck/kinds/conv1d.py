"""``conv1d``: the same as conv2d, in one dimension."""

from __future__ import annotations

from .. import engine, forms
from .base import DefinitionError, Kind, get_int
from .conv2d import describe_conv, expected_of, read_conv


def _padding1d(d: dict):
    v = d.get("padding", 0)
    if v in ("valid", "same"):
        return v
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return v
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v):
        return (v[0], v[1])
    raise DefinitionError(f"padding must be n, [left, right], 'valid' or 'same' (not negative), got {v!r}", "padding")


class Conv1d(Kind):
    name = "conv1d"
    keys = frozenset({"image", "filter", "bias", "stride", "padding", "dilation", "convention"})
    required = frozenset({"image", "filter"})
    form = forms.ARRAY

    def parse(self, d, convention):
        p = read_conv(d, convention, spatial=1)
        p = p._replace(stride=get_int(d, "stride", 1, minimum=1), dilation=get_int(d, "dilation", 1, minimum=1),
                    padding=_padding1d(d))
        if p.padding == "same" and p.stride != 1:
            raise DefinitionError("padding 'same' is not supported for strided convolutions, as in PyTorch", "padding")
        return p

    def solve(self, p):
        out = engine.conv1d(p.image, p.kernel, stride=p.stride, padding=p.padding, dilation=p.dilation, bias=p.bias)
        return expected_of(out, p.multi)

    def describe(self, p):
        return describe_conv(p)


KIND = Conv1d()
