"""``output_shape``: the shape a layer, or a stack of layers, gives an input."""

from __future__ import annotations

from typing import NamedTuple

from .. import engine, forms
from .base import Kind
from .layers import MISTAKEN_RULES, Layer, apply, parse_layers, read_input_shape, to_layout
from .teaching import Step, attempt


class ShapeParams(NamedTuple):
    input_chw: tuple[int, int, int]
    layout: str
    layers: tuple[Layer, ...]


def shapes(p: ShapeParams, rule=None) -> list[tuple[int, int, int]]:
    """(C, H, W) before and after every layer; ``rule`` replaces the output-size formula."""
    out = [p.input_chw]
    for i, layer in enumerate(p.layers):
        out.append(apply(layer, out[-1], f"layer {i + 1}" if len(p.layers) > 1 else "the layer", rule))
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

    def variants(self, p):
        out = []

        def with_layers(**changes):
            return lambda: to_layout(shapes(p._replace(layers=tuple(
                layer._replace(**{k: v for k, v in changes.items() if k != "padding" or layer.type != "conv_transpose2d"})
                for layer in p.layers)))[-1], p.layout)

        for mistake, rule in MISTAKEN_RULES.items():
            attempt(out, mistake, lambda rule=rule: to_layout(shapes(p, rule)[-1], p.layout))
        if any(layer.padding not in (0, (0, 0), ((0, 0), (0, 0)), "valid") for layer in p.layers):
            attempt(out, "padding_forgotten", with_layers(padding=0))
        if any(layer.stride != (1, 1) for layer in p.layers):
            attempt(out, "stride_ignored", with_layers(stride=(1, 1)))
        if any(layer.dilation != (1, 1) for layer in p.layers):
            attempt(out, "dilation_ignored", with_layers(dilation=(1, 1)))
        other = "chw" if p.layout == "hwc" else "hwc"
        attempt(out, "channels_first" if p.layout == "hwc" else "channels_last",
                lambda: to_layout(shapes(p)[-1], other))
        return out

    def warnings(self, p):
        from .teaching import coverage_warnings

        out = []
        sizes = shapes(p)
        for n, layer in enumerate(p.layers):
            if layer.type == "conv_transpose2d":
                continue
            where = f"layer {n + 1}" if len(p.layers) > 1 else "the layer"
            pads = (engine.normalize_padding(layer.padding, layer.kernel, layer.dilation, layer.stride)
                    if layer.type == "conv2d" else [(q, q) for q in layer.padding])
            out += coverage_warnings(where, sizes[n][1:], layer.kernel, layer.stride, pads, layer.dilation,
                                     layer.ceil_mode)
        return out

    def explain(self, p, expected):
        steps = []
        sizes = shapes(p)
        for n, layer in enumerate(p.layers):
            (_, H, W), (C2, H2, W2) = sizes[n], sizes[n + 1]
            head = f"Layer {n + 1}, {describe_layer(layer)}: " if len(p.layers) > 1 else f"{describe_layer(layer)}: "
            steps.append(Step(head + "; ".join(_size_formula(layer, ax, i, o) for ax, i, o in (("H", H, H2), ("W", W, W2)))
                              + (f"; C = {C2}, one channel per filter" if layer.type != "pool2d"
                                 else f"; C = {C2}, pooling keeps the channels")))
        steps.append(Step(f"The output, {'C×H×W' if p.layout == 'chw' else 'H×W×C'}:", expected.value))
        return steps

    def describe(self, p):
        rows: list[tuple[str, object]] = [("input", _shape(to_layout(p.input_chw, p.layout), p.layout))]
        for i, layer in enumerate(p.layers):
            rows.append((f"layer {i + 1}" if len(p.layers) > 1 else "layer", describe_layer(layer)))
        return rows


def _shape(shape, layout) -> str:
    return "×".join(map(str, shape)) + f" ({'C×H×W' if layout == 'chw' else 'H×W×C'})"


def _size_formula(layer: Layer, axis: str, i: int, o: int) -> str:
    a = 0 if axis == "H" else 1
    k, s, d = layer.kernel[a], layer.stride[a], layer.dilation[a]
    ke = f"{d}·({k}−1)+1" if d != 1 else str(k)
    if layer.type == "conv_transpose2d":
        return (f"{axis} = ({i}−1)·{s} − 2·{layer.padding[a]} + {d}·({k}−1) + {layer.output_padding[a]} + 1 = {o}")
    if layer.type == "pool2d":
        lo, hi = ("⌈", "⌉") if layer.ceil_mode else ("⌊", "⌋")
        return f"{axis} = {lo}({i} + 2·{layer.padding[a]} − {ke}) / {s}{hi} + 1 = {o}"
    pads = engine.normalize_padding(layer.padding, layer.kernel, layer.dilation, layer.stride)[a]
    pad = f"2·{pads[0]}" if pads[0] == pads[1] else f"{pads[0]} + {pads[1]}"
    return f"{axis} = ⌊({i} + {pad} − {ke}) / {s}⌋ + 1 = {o}"


_DEFAULTS = {"padding": (0, (0, 0), ((0, 0), (0, 0)), "valid"), "dilation": ((1, 1),), "output_padding": ((0, 0),)}


def describe_layer(layer: Layer) -> str:
    """A layer in a few words, naming only the options that are not their defaults."""
    if layer.type in ("flatten", "dense"):
        return layer.label + ("" if layer.bias or layer.type == "flatten" else ", no bias")
    parts = [layer.label]
    if layer.type == "pool2d" or layer.stride != (1, 1):  # a pooling stride defaults to the window: always say it
        parts.append(f"stride {_plain(layer.stride)}")
    for name, defaults in _DEFAULTS.items():
        if getattr(layer, name) not in defaults:
            parts.append(f"{name} {_plain(getattr(layer, name))}")
    if layer.ceil_mode:
        parts.append("ceil_mode")
    return ", ".join(parts)


def _plain(v) -> str:
    """(2, 2) as 2; anything else as written."""
    if isinstance(v, tuple) and len(v) == 2 and v[0] == v[1] and not isinstance(v[0], tuple):
        return str(v[0])
    return str(v)


KIND = OutputShape()
