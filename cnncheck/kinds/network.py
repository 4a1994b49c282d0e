"""``network``: a model summary, row by row: each layer's output shape and parameter count, and the total."""

from __future__ import annotations

from math import prod
from typing import NamedTuple

from .. import engine, forms
from ..forms import LayerTable
from .base import DefinitionError, Kind
from .layers import MISTAKEN_RULES, Layer, apply, params_of, parse_layers, read_input_shape, to_layout
from .output_shape import _size_formula, describe_layer
from .teaching import Step, attempt, coverage_warnings


class NetworkParams(NamedTuple):
    input_chw: tuple[int, int, int]
    layout: str
    layers: tuple[Layer, ...]


def summary(p: NetworkParams, *, rule=None, count=params_of) -> tuple[LayerTable, list[tuple]]:
    """The summary table, and each layer's input shape (C, H, W) or (n,), for the working."""
    shape: tuple = p.input_chw
    rows, inputs = [], []
    for i, layer in enumerate(p.layers):
        where = f"layer {i + 1}"
        inputs.append(shape)
        if layer.type == "flatten":
            shape, params = (prod(shape),), 0
        elif layer.type == "dense":
            if len(shape) != 1:
                raise DefinitionError(f"{where}: a dense layer needs a flatten before it", "layers")
            params = count(layer, 1, shape[0])
            shape = (layer.units,)
        else:
            if len(shape) != 3:
                raise DefinitionError(f"{where}: a {layer.type} layer needs a C×H×W input, not a flat one", "layers")
            params = count(layer, shape[0], 0)
            shape = apply(layer, shape, where, rule)
        rows.append((to_layout(shape, p.layout) if len(shape) == 3 else shape, params))
    return LayerTable(rows, sum(n for _, n in rows)), inputs


def _no_bias(layer: Layer, c: int, inputs: int) -> int:
    return params_of(layer._replace(bias=False), c, inputs)


def _no_channels(layer: Layer, c: int, inputs: int) -> int:
    return params_of(layer._replace(groups=1, depth=None), 1, inputs) if layer.type in ("conv2d", "conv_transpose2d") \
        else params_of(layer, c, inputs)


class Network(Kind):
    name = "network"
    keys = frozenset({"input_shape", "layout", "layers"})
    required = frozenset({"input_shape", "layers"})
    form = forms.TABLE

    def parse(self, d, convention):
        chw, layout = read_input_shape(d)
        p = NetworkParams(chw, layout, tuple(parse_layers(d, single_key=None)))
        summary(p)  # refuse a layer that does not fit, when the bank loads
        return p

    def solve(self, p):
        return forms.Expected(summary(p)[0])

    def describe(self, p):
        rows: list[tuple[str, object]] = [("input", "×".join(map(str, to_layout(p.input_chw, p.layout)))
                                           + f" ({'C×H×W' if p.layout == 'chw' else 'H×W×C'})")]
        rows += [(f"layer {i + 1}", describe_layer(layer)) for i, layer in enumerate(p.layers)]
        return rows

    def variants(self, p):
        out = []
        for mistake, rule in MISTAKEN_RULES.items():
            attempt(out, mistake, lambda rule=rule: summary(p, rule=rule)[0])
        attempt(out, "bias_omitted", lambda: summary(p, count=_no_bias)[0])
        attempt(out, "channels_left_out", lambda: summary(p, count=_no_channels)[0])
        if any(layer.stride != (1, 1) for layer in p.layers if layer.type not in ("dense", "flatten")):
            attempt(out, "stride_ignored", lambda: summary(p._replace(layers=tuple(
                layer._replace(stride=(1, 1)) for layer in p.layers)))[0])
        return out

    def warnings(self, p):
        out = []
        _, inputs = summary(p)
        for n, layer in enumerate(p.layers):
            if layer.type in ("conv2d", "pool2d"):
                pads = (engine.normalize_padding(layer.padding, layer.kernel, layer.dilation, layer.stride)
                        if layer.type == "conv2d" else [(q, q) for q in layer.padding])
                out += coverage_warnings(f"layer {n + 1}", inputs[n][1:], layer.kernel, layer.stride, pads,
                                         layer.dilation, layer.ceil_mode)
        return out

    def explain(self, p, expected):
        table, inputs = summary(p)
        steps = [Step("Each layer: its output shape from the size formula, its parameters from its weights and biases")]
        for n, (layer, (shape, params)) in enumerate(zip(p.layers, table.rows)):
            head = f"layer {n + 1}, {describe_layer(layer)}: "
            shown = "×".join(map(str, shape))
            if layer.type == "flatten":
                steps.append(Step(head + f"{'·'.join(map(str, inputs[n]))} = {shape[0]:,} values, 0 parameters"))
            elif layer.type == "dense":
                b = layer.units if layer.bias else 0
                steps.append(Step(head + f"{inputs[n][0]:,} × {layer.units:,} + {b:,} = {params:,} parameters"))
            else:
                C, H, W = inputs[n]
                sizes = "; ".join(_size_formula(layer, ax, i, o) for ax, i, o in
                                  (("H", H, to_chw(shape, p.layout)[1]), ("W", W, to_chw(shape, p.layout)[2])))
                if layer.type == "pool2d":
                    count = "0 parameters"
                else:
                    kh, kw = layer.kernel
                    per = C // layer.groups
                    b = layer.filters if layer.bias else 0
                    count = f"{layer.filters}·{per}·{kh}·{kw} + {b} = {params:,} parameters"
                steps.append(Step(head + f"{sizes}; output {shown}; {count}"))
        steps.append(Step(f"total: {' + '.join(f'{n:,}' for _, n in table.rows if n)} = {table.total:,}", expected.value))
        return steps


def to_chw(shape: tuple, layout: str) -> tuple:
    return shape if layout == "chw" else (shape[2], shape[0], shape[1])


KIND = Network()
