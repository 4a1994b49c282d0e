"""``output_shape``: the shape a layer, or a stack of layers, gives an input."""

from __future__ import annotations

from typing import NamedTuple

from .. import forms
from .base import Kind
from .layers import Layer, apply, parse_layers, read_input_shape, to_layout


class ShapeParams(NamedTuple):
    input_chw: tuple[int, int, int]
    layout: str
    layers: tuple[Layer, ...]


def shapes(p: ShapeParams) -> list[tuple[int, int, int]]:
    """(C, H, W) before and after every layer."""
    out = [p.input_chw]
    for i, layer in enumerate(p.layers):
        out.append(apply(layer, out[-1], f"layer {i + 1}" if len(p.layers) > 1 else "the layer"))
    return out


class OutputShape(Kind):
    name = "output_shape"
    keys = frozenset({"input_shape", "layout", "layer", "layers"})
    required = frozenset({"input_shape"})
    form = forms.SHAPE

    def parse(self, d, convention):
        chw, layout = read_input_shape(d)
        p = ShapeParams(chw, layout, tuple(parse_layers(d)))
        shapes(p)  # refuse a layer that does not fit, when the bank loads
        return p

    def solve(self, p):
        return forms.Expected(to_layout(shapes(p)[-1], p.layout))

    def describe(self, p):
        rows: list[tuple[str, object]] = [("input", _shape(to_layout(p.input_chw, p.layout), p.layout))]
        for i, layer in enumerate(p.layers):
            rows.append((f"layer {i + 1}" if len(p.layers) > 1 else "layer", describe_layer(layer)))
        return rows


def _shape(shape, layout) -> str:
    return "×".join(map(str, shape)) + f" ({'C×H×W' if layout == 'chw' else 'H×W×C'})"


def describe_layer(layer: Layer) -> str:
    parts = [layer.label]
    if layer.type == "dense":
        return parts[0] + ("" if layer.bias else ", no bias")
    for name, default in (("stride", (1, 1) if layer.type != "pool2d" else layer.kernel), ("padding", 0),
                          ("dilation", (1, 1)), ("output_padding", (0, 0))):
        v = getattr(layer, name)
        if v != default and v not in ((0, 0), ((0, 0), (0, 0))) or (name == "stride" and layer.type == "pool2d"):
            parts.append(f"{name} {v[0] if isinstance(v, tuple) and v[0] == v[1] else v}")
    if layer.ceil_mode:
        parts.append("ceil_mode")
    return ", ".join(parts)


KIND = OutputShape()
