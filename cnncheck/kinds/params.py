"""``params``: the number of learnable parameters of a layer."""

from __future__ import annotations

from typing import NamedTuple

from .. import forms
from .base import DefinitionError, Kind, get_int
from .layers import Layer, params_of, parse_layers, read_input_shape
from .teaching import Step, attempt


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

    def variants(self, p):
        out = []
        layer, C = p.layer, p.in_channels
        if layer.type == "pool2d":
            return out
        total = params_of(layer, C, p.inputs or 0)
        n_bias = (layer.units if layer.type == "dense" else layer.filters) if layer.bias else 0
        if n_bias:
            attempt(out, "bias_omitted", lambda: total - n_bias)
            attempt(out, "bias_once", lambda: total - n_bias + 1)
        if layer.type == "dense":
            if p.inputs and C > 1:
                attempt(out, "channels_left_out", lambda: params_of(layer, 1, p.inputs // C))
        else:
            g = layer.groups
            attempt(out, "channels_left_out", lambda: params_of(layer._replace(groups=1, depth=None), 1, 0))
            attempt(out, "output_channels_as_depth",
                    lambda: params_of(layer._replace(groups=1, depth=None), layer.filters, 0))
            if g > 1:
                attempt(out, "groups_ignored", lambda: params_of(layer._replace(groups=1, depth=None), C, 0))
        return out

    def explain(self, p, expected):
        layer = p.layer
        if layer.type == "pool2d":
            return [Step("A pooling layer learns nothing: 0 parameters", expected.value)]
        if layer.type == "dense":
            w = p.inputs * layer.units
            steps = [Step(f"A dense layer sees the flattened input: {p.inputs:,} values"),
                     Step(f"weights: {p.inputs:,} inputs × {layer.units:,} units = {w:,}")]
            bias = layer.units if layer.bias else 0
        else:
            kh, kw = layer.kernel
            per = p.in_channels // layer.groups
            w = layer.filters * per * kh * kw
            depth = f"{p.in_channels} channels / {layer.groups} groups" if layer.groups > 1 else f"{per} channel{'s' if per != 1 else ''}"
            steps = [Step(f"Each filter is {kh}×{kw}×{per} ({depth}); stride and padding do not change the count"),
                     Step(f"weights: {layer.filters} filters × {per} × {kh} × {kw} = {w:,}")]
            bias = layer.filters if layer.bias else 0
        steps.append(Step(f"biases: {bias:,}" + (" (one per filter)" if layer.type != "dense" and bias else
                                                  " (one per unit)" if bias else " (bias: false)")))
        steps.append(Step(f"total: {w:,} + {bias:,} = {w + bias:,}", expected.value))
        return steps

    def describe(self, p):
        from .output_shape import describe_layer

        rows: list[tuple[str, object]] = [("input", f"{p.in_channels} channels" if p.inputs is None
                                           else f"{p.in_channels} channels, {p.inputs:,} values flattened")]
        rows.append(("layer", describe_layer(p.layer)))
        return rows


KIND = Params()
