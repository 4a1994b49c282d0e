"""``output_shape``: the shape a layer, or a stack of layers, gives an input."""

from __future__ import annotations

from typing import NamedTuple

from .. import forms
from . import teaching
from .base import Key, Kind
from .layers import (
    INPUT_SHAPE,
    LAYOUT,
    MISTAKEN_RULES,
    Layer,
    parse_layers,
    read_input_shape,
    to_layout,
)
from .teaching import Step, attempt


class ShapeParams(NamedTuple):
    input_chw: tuple[int, int, int]
    layout: str
    layers: tuple[Layer, ...]


def shapes(p: ShapeParams, rule=None) -> list[tuple[int, int, int]]:
    """(C, H, W) before and after every layer; ``rule`` replaces the output-size formula."""
    out = [p.input_chw]
    for i, layer in enumerate(p.layers):
        out.append(layer.output_shape(out[-1], _where(p, i), rule))
    return out


class OutputShape(Kind):
    name = "output_shape"
    keys = (
        INPUT_SHAPE._replace(required=True),
        LAYOUT,
        Key("layer", "layer", "one layer, a mapping with `type` and that type's options"),
        Key("layers", "layers", "a list of layers, applied in order (`layer` or `layers`)"),
    )
    takes = {"output_shape": "input_shape"}
    form = forms.SHAPE
    mistakes = teaching.named(
        "ceil_instead_of_floor",
        "plus_one_forgotten",
        "padding_one_side",
        "padding_forgotten",
        "padding_added",
        "same_padding",
        "floor_instead_of_ceil",
        "stride_ignored",
        "dilation_ignored",
        channels_kept="the output keeps the input's channels, but a convolution gives one "
        "channel per filter",
        channels_first="the shape is channels-first (C×H×W), but the question asks for "
        "channels-last (H×W×C)",
        channels_last="the shape is channels-last (H×W×C), but the question asks for "
        "channels-first (C×H×W)",
    )
    examples = (
        {
            "input_shape": [3, 32, 32],
            "layer": {
                "type": "conv2d",
                "filters": 16,
                "kernel": 5,
                "stride": 2,
                "padding": 1,
                "dilation": 2,
            },
        },
        {
            "input_shape": [29, 29, 3],
            "layout": "hwc",
            "layers": [
                {"type": "conv2d", "filters": 8, "kernel": 3, "padding": "same"},
                {
                    "type": "conv_transpose2d",
                    "filters": 4,
                    "kernel": 3,
                    "stride": 2,
                    "output_padding": 1,
                },
            ],
        },
        {"input_shape": [2, 9, 9], "layers": [{"type": "pool2d", "size": 2}] * 2},
        {
            "input_shape": [30, 30, 8],
            "layout": "hwc",
            "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 3},
                {"type": "pool2d", "size": 3, "stride": 2, "ceil_mode": True},
            ],
        },
    )

    def parse(self, d, convention):
        chw, layout = read_input_shape(d)
        p = ShapeParams(chw, layout, tuple(parse_layers(d)))
        shapes(p)  # refuse a layer that does not fit, when the bank loads
        return p

    def solve(self, p):
        return forms.Expected(to_layout(shapes(p)[-1], p.layout), axes=p.layout.upper())

    def mistake_answers(self, p):
        out = []

        def with_layers(change):
            return lambda: to_layout(
                shapes(p._replace(layers=tuple(map(change, p.layers))))[-1], p.layout
            )

        def layer_by_layer(shape_of):
            """``shape_of(layer, chw, where)`` in place of each layer's output shape."""

            def compute():
                chw = p.input_chw
                for n, layer in enumerate(p.layers):
                    chw = shape_of(layer, chw, _where(p, n))
                return to_layout(chw, p.layout)

            return compute

        def padded_same(which):
            """The layers ``which`` picks padded 'same', the others as they are."""

            def shape_of(layer, chw, where):
                if which(layer):
                    return layer.same_padded_shape(chw, where)
                return layer.output_shape(chw, where)

            return layer_by_layer(shape_of)

        for mistake, rule in MISTAKEN_RULES.items():
            attempt(out, mistake, lambda rule=rule: to_layout(shapes(p, rule)[-1], p.layout))
        if any(layer.padded for layer in p.layers):
            attempt(out, "padding_forgotten", with_layers(lambda layer: layer.padding_forgotten()))
            attempt(
                out,
                "same_padding",
                padded_same(lambda layer: layer.padded and layer.padding != "same"),
            )
        if not all(layer.padded for layer in p.layers):
            attempt(out, "padding_added", padded_same(lambda layer: not layer.padded))
        attempt(
            out,
            "channels_kept",
            layer_by_layer(lambda layer, chw, where: layer.channels_kept_shape(chw, where)),
        )
        if any(layer.ceil_mode for layer in p.layers):
            attempt(
                out,
                "floor_instead_of_ceil",
                with_layers(lambda layer: layer.replace(ceil_mode=False)),
            )
        if any(layer.strided for layer in p.layers):
            attempt(out, "stride_ignored", with_layers(lambda layer: layer.replace(stride=(1, 1))))
        if any(layer.dilated for layer in p.layers):
            attempt(
                out, "dilation_ignored", with_layers(lambda layer: layer.replace(dilation=(1, 1)))
            )
        other = "chw" if p.layout == "hwc" else "hwc"
        attempt(
            out,
            "channels_first" if p.layout == "hwc" else "channels_last",
            lambda: to_layout(shapes(p)[-1], other),
        )
        return out

    def warnings(self, p):
        sizes = shapes(p)
        return [
            w
            for n, layer in enumerate(p.layers)
            for w in layer.warnings(sizes[n][1:], _where(p, n))
        ]

    def explain(self, p, expected):
        steps = []
        sizes = shapes(p)
        for n, layer in enumerate(p.layers):
            (_, H, W), (C2, H2, W2) = sizes[n], sizes[n + 1]
            head = f"Layer {n + 1}, " if len(p.layers) > 1 else ""
            formulas = [layer.size_formula(ax, i, o) for ax, i, o in (("H", H, H2), ("W", W, W2))]
            steps.append(
                Step(
                    f"{head}{layer.describe()}: "
                    + "; ".join(formulas)
                    + "; "
                    + layer.channels_note(C2)
                )
            )
        steps.append(
            Step(f"The output, {'C×H×W' if p.layout == 'chw' else 'H×W×C'}:", expected.value)
        )
        return steps

    def describe(self, p):
        rows: list[tuple[str, object]] = [
            ("input", _shape(to_layout(p.input_chw, p.layout), p.layout))
        ]
        for i, layer in enumerate(p.layers):
            rows.append((f"layer {i + 1}" if len(p.layers) > 1 else "layer", layer.describe()))
        return rows


def _where(p: ShapeParams, n: int) -> str:
    return f"layer {n + 1}" if len(p.layers) > 1 else "the layer"


def _shape(shape, layout) -> str:
    return "×".join(map(str, shape)) + f" ({'C×H×W' if layout == 'chw' else 'H×W×C'})"


KIND = OutputShape()
