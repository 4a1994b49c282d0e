"""``conv1d``: the same as conv2d, in one dimension."""

from __future__ import annotations

from .. import engine, forms
from .base import MAX_SIZE, DefinitionError, Kind, get_int
from .conv2d import check_conv, common_variants, describe_conv, expected_of, explain_conv, read_conv
from . import teaching
from .teaching import attempt


def _padding1d(d: dict):
    v = d.get("padding", 0)
    if v in ("valid", "same"):
        return v
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return v
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v):
        return (v[0], v[1])
    raise DefinitionError(f"padding must be n, [left, right], 'valid' or 'same' (not negative), got {v!r}", "padding")


def _pads(p) -> tuple[int, int]:
    """(left, right) padding of a parsed conv1d question."""
    if p.padding == "same":
        return engine.same_padding(p.weight.shape[-1], p.dilation)
    if p.padding == "valid":
        return (0, 0)
    return p.padding if isinstance(p.padding, tuple) else (p.padding, p.padding)


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
        pads = _pads(p)
        if max(pads) > MAX_SIZE:
            raise DefinitionError(f"padding must be at most {MAX_SIZE:,}, got {max(pads):,}", "padding")
        check_conv(p, (pads,))
        return p

    def solve(self, p):
        out = engine.conv1d(p.image, p.kernel, stride=p.stride, padding=p.padding, dilation=p.dilation, bias=p.bias)
        return expected_of(out, p.multi)

    def describe(self, p):
        return describe_conv(p)

    def variants(self, p):
        out = []
        common_variants(self, p, out)
        left, right = _pads(p)

        def padded(padding):
            return lambda: self.solve(p._replace(padding=padding)).value

        if left or right:
            attempt(out, "padding_forgotten", padded(0))
            attempt(out, "padding_one_side", padded((left + right, 0)))
            attempt(out, "padding_one_side", padded((left, 0)))
            attempt(out, "padding_one_side", padded((0, right)))
        else:
            attempt(out, "padding_added", padded(1))
        if p.stride == 1 and p.padding != "same":
            attempt(out, "same_padding", padded("same"))
        if left == right:
            for q in (left - 1, left + 1, left + 2):
                if q > 0:
                    attempt(out, "padding_amount", padded(q))
        return out

    def explain(self, p, expected):
        return explain_conv(p, expected.value, one_d=True)

    def warnings(self, p):
        k, pads = p.weight.shape[-1], _pads(p)
        return [w.replace("row", "value") for w in teaching.coverage_warnings(
            "the convolution", p.image.shape[1:], (k,), (p.stride,), (pads,), (p.dilation,))]


KIND = Conv1d()
