"""``padding``: the padding that makes a convolution's output a given size."""

from __future__ import annotations

from typing import NamedTuple

from .. import engine, forms
from .base import DefinitionError, Kind, get_int


class PaddingParams(NamedTuple):
    input_size: int
    kernel: int
    stride: int
    dilation: int
    output_size: int


class Padding(Kind):
    name = "padding"
    keys = frozenset({"input_size", "kernel", "stride", "dilation", "output_size"})
    required = frozenset({"input_size", "kernel", "output_size"})
    form = forms.COUNT

    def parse(self, d, convention):
        p = PaddingParams(get_int(d, "input_size", minimum=1), get_int(d, "kernel", minimum=1),
                          get_int(d, "stride", 1, minimum=1), get_int(d, "dilation", 1, minimum=1),
                          get_int(d, "output_size", minimum=1))
        if engine.padding_for_output(p.input_size, p.kernel, p.output_size, p.stride, p.dilation) is None:
            near = [engine.conv_output_size(p.input_size, p.kernel, p.stride, q, p.dilation) for q in range(3)]
            raise DefinitionError(f"no padding gives output size {p.output_size} (padding 0, 1, 2 give "
                                  f"{', '.join(map(str, near))})", "output_size")
        return p

    def solve(self, p):
        return forms.Expected(engine.padding_for_output(p.input_size, p.kernel, p.output_size, p.stride, p.dilation))

    def describe(self, p):
        rows: list[tuple[str, object]] = [("input size", str(p.input_size)), ("kernel", str(p.kernel)),
                                          ("stride", str(p.stride))]
        if p.dilation != 1:
            rows.append(("dilation", str(p.dilation)))
        rows.append(("output size", str(p.output_size)))
        return rows


KIND = Padding()
