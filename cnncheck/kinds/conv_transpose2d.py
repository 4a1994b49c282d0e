"""``conv_transpose2d``: the transposed convolution (the "deconvolution" of upsampling layers).

The filter is written in conv2d's forms: [kh][kw], [C][kh][kw] (one output
map) or [F][C][kh][kw] (F output maps, each reading the C input channels).
The engine takes PyTorch's (C, F, kh, kw) layout, so the bank's filter is
transposed on its way in.
"""

from __future__ import annotations

from .. import engine, forms
from .base import DefinitionError, Kind, get_pair
from .conv2d import describe_conv, expected_of, read_conv


class ConvTranspose2d(Kind):
    name = "conv_transpose2d"
    keys = frozenset({"image", "filter", "bias", "stride", "padding", "output_padding", "dilation", "convention"})
    required = frozenset({"image", "filter"})
    form = forms.ARRAY

    def parse(self, d, convention):
        if isinstance(d.get("padding"), str):
            raise DefinitionError("padding of a transposed convolution must be n or [ph, pw]", "padding")
        p = read_conv(d, convention)
        p = p._replace(padding=get_pair(d, "padding", 0, minimum=0), output_padding=get_pair(d, "output_padding", 0, minimum=0))
        for a in range(2):
            if not (p.output_padding[a] < p.stride[a] or p.output_padding[a] < p.dilation[a]):
                raise DefinitionError("output_padding must be smaller than either stride or dilation, as in PyTorch",
                                      "output_padding")
        return p

    def solve(self, p):
        out = engine.conv_transpose2d(p.image, p.kernel.transpose(1, 0, 2, 3), stride=p.stride, padding=p.padding,
                                      output_padding=p.output_padding, dilation=p.dilation, bias=p.bias)
        return expected_of(out, p.multi)

    def describe(self, p):
        return describe_conv(p, [("output_padding", str(p.output_padding[0]) if p.output_padding[0] == p.output_padding[1]
                                  else str(list(p.output_padding)))])


KIND = ConvTranspose2d()
