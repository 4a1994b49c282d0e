"""``params``: the number of learnable parameters of a layer."""

from __future__ import annotations

from typing import NamedTuple

from .. import forms
from .base import DefinitionError, Kind, get_int
from .layers import Layer, params_of, parse_layers, read_input_shape


class ParamsParams(NamedTuple):
    in_channels: int
    inputs: int | None  # values in the flattened input, for dense layers
    layer: Layer


class Params(Kind):
    name = "params"
    keys = frozenset({"input_shape", "layout", "in_channels", "layer"})
    required = frozenset({"layer"})
    form = forms.COUNT

    def parse(self, d, convention):
        layer = parse_layers(d)[0] if "layer" in d else None
        if layer is None:
            raise DefinitionError("layer is required", "layer")
        if "input_shape" in d:
            (C, H, W), _ = read_input_shape(d)
            inputs = C * H * W
        elif layer.type == "dense":
            raise DefinitionError("a dense layer needs input_shape (it sees the flattened input)", "input_shape")
        else:
            C, inputs = get_int(d, "in_channels", None, minimum=1), None
        p = ParamsParams(C, inputs, layer)
        params_of(layer, C, inputs or 0)  # refuse groups or depth that do not fit, when the bank loads
        return p

    def solve(self, p):
        return forms.Expected(params_of(p.layer, p.in_channels, p.inputs or 0))

    def describe(self, p):
        from .output_shape import describe_layer

        rows: list[tuple[str, object]] = [("input", f"{p.in_channels} channels" if p.inputs is None
                                           else f"{p.in_channels} channels, {p.inputs:,} values flattened")]
        rows.append(("layer", describe_layer(p.layer)))
        return rows


KIND = Params()
