"""``network``: a model summary, row by row: each layer's output shape and parameter count, and the
total."""

from __future__ import annotations

from typing import NamedTuple

from .. import forms
from ..forms import LayerTable
from . import teaching
from .base import MAX_ANSWER, MAX_SIZE, Key, Kind
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


class NetworkParams(NamedTuple):
    input_chw: tuple[int, int, int]
    layout: str
    layers: tuple[Layer, ...]


def _count(layer: Layer, c: int, inputs: int) -> int:
    return layer.params(c, inputs)


def summary(
    p: NetworkParams, *, rule=None, count=_count, shape_of=None
) -> tuple[LayerTable, list[tuple]]:
    """The summary table, and each layer's input shape (C, H, W) or (n,), for the working.

    ``count(layer, in_channels, inputs)`` counts a layer's parameters and ``shape_of(layer, shape,
    where)`` gives its output shape (a mistaken count or shape, for the answers of mistakes).
    """
    shape: tuple = p.input_chw
    rows, inputs = [], []
    for i, layer in enumerate(p.layers):
        where = f"layer {i + 1}"
        inputs.append(shape)
        params = count(layer, *layer.fan_in(shape, where))
        shape = shape_of(layer, shape, where) if shape_of else layer.next_shape(shape, where, rule)
        rows.append((to_layout(shape, p.layout) if len(shape) == 3 else shape, params))
    return LayerTable(rows, sum(n for _, n in rows)), inputs


def _no_bias(layer: Layer, c: int, inputs: int) -> int:
    return layer.replace(bias=False).params(c, inputs)


def _all_biased(layer: Layer, c: int, inputs: int) -> int:
    return layer.replace(bias=True).params(c, inputs)


def _same_if_unpadded(layer: Layer, shape: tuple, where: str) -> tuple:
    if layer.padded:
        return layer.next_shape(shape, where)
    return layer.same_padded_shape(shape, where)


def _no_channels(layer: Layer, c: int, inputs: int) -> int:
    return layer.params_channels_left_out(c, inputs)


class Network(Kind):
    name = "network"
    keys = (
        INPUT_SHAPE._replace(required=True),
        LAYOUT,
        Key(
            "layers",
            "layers",
            "`conv2d`, `conv_transpose2d`, `pool2d`, `flatten` and `dense` (after a flatten)",
            required=True,
        ),
    )
    takes = {"output_shape": "input_shape"}
    form = forms.TABLE
    mistakes = teaching.named(
        "ceil_instead_of_floor",
        "plus_one_forgotten",
        "padding_one_side",
        "bias_omitted",
        "bias_added",
        "channels_left_out",
        "stride_ignored",
        "padding_forgotten",
        "padding_added",
        "floor_instead_of_ceil",
    )
    examples = (
        {
            "input_shape": [2, 29, 29],
            "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 3, "stride": 2, "padding": 1},
                {"type": "pool2d", "size": 2, "padding": 1},
                {"type": "flatten"},
                {"type": "dense", "units": 10},
            ],
        },
        {
            "input_shape": [1, 12, 12],
            "layers": [
                {"type": "conv2d", "filters": 2, "kernel": 3, "bias": False},
                {"type": "pool2d", "size": 3, "stride": 2, "ceil_mode": True},
                {"type": "flatten"},
                {"type": "dense", "units": 3},
            ],
        },
    )

    def parse(self, d, convention):
        chw, layout = read_input_shape(d)
        p = NetworkParams(chw, layout, tuple(parse_layers(d, single_key=None)))
        summary(p)  # refuse a layer that does not fit, when the bank loads
        return p

    def solve(self, p):
        return forms.Expected(summary(p)[0])

    def describe(self, p):
        rows: list[tuple[str, object]] = [
            (
                "input",
                "×".join(map(str, to_layout(p.input_chw, p.layout)))
                + f" ({'C×H×W' if p.layout == 'chw' else 'H×W×C'})",
            )
        ]
        rows += [(f"layer {i + 1}", layer.describe()) for i, layer in enumerate(p.layers)]
        return rows

    def mistake_answers(self, p):
        out = []
        for mistake, rule in MISTAKEN_RULES.items():
            attempt(out, mistake, lambda rule=rule: summary(p, rule=rule)[0])
        attempt(out, "bias_omitted", lambda: summary(p, count=_no_bias)[0])
        if any(layer.replace(bias=True).bias_count > layer.bias_count for layer in p.layers):
            attempt(out, "bias_added", lambda: summary(p, count=_all_biased)[0])
        attempt(out, "channels_left_out", lambda: summary(p, count=_no_channels)[0])
        if any(layer.strided for layer in p.layers):
            attempt(
                out,
                "stride_ignored",
                lambda: summary(
                    p._replace(layers=tuple(layer.replace(stride=(1, 1)) for layer in p.layers))
                )[0],
            )

        def with_layers(change):
            return lambda: summary(p._replace(layers=tuple(map(change, p.layers))))[0]

        if any(layer.padded for layer in p.layers):
            attempt(out, "padding_forgotten", with_layers(lambda layer: layer.padding_forgotten()))
        if any(layer.ceil_mode for layer in p.layers):
            attempt(
                out,
                "floor_instead_of_ceil",
                with_layers(lambda layer: layer.replace(ceil_mode=False)),
            )
        attempt(out, "padding_added", lambda: summary(p, shape_of=_same_if_unpadded)[0])
        return out

    def carried_rows(self, p, got):
        """Row ``n`` as layer ``n`` gives it on the student's own output of the layer before
        (when that shape is wrong), and the total as the sum of the student's own counts (when
        they are wrong)."""
        if not isinstance(got, LayerTable) or len(got.rows) != len(p.layers):
            return ()
        want, _ = summary(p)
        rows = [None]
        for n in range(1, len(p.layers)):
            above, right = got.rows[n - 1][0], want.rows[n - 1][0]
            wrong = above != right and len(above) == len(right)
            rows.append(row_after(p, n, above) if wrong else None)
        counts = [n for _, n in got.rows]
        wrong_counts = counts != [n for _, n in want.rows]
        return (*rows, sum(counts) if wrong_counts else None)

    def carry_working(self, p, got, carried) -> list:
        """The working of the rows ``carried`` (their indices), each from the student's own row
        above it."""
        steps = []
        for n in carried:
            if n >= len(p.layers):
                counts = [c for _, c in got.rows]
                steps.append(
                    Step(
                        f"total, from your own counts: {' + '.join(f'{c:,}' for c in counts if c)}"
                        f" = {sum(counts):,}"
                    )
                )
                continue
            layer, above = p.layers[n], got.rows[n - 1][0]
            chw = to_chw(above, p.layout) if len(above) == 3 else above
            shape, params = row_after(p, n, above)
            steps.append(
                Step(
                    f"layer {n + 1}, {layer.describe()}, on your row {n} "
                    f"({'×'.join(map(str, above))}): "
                    + layer.summary_working(
                        chw,
                        to_chw(shape, p.layout) if len(shape) == 3 else shape,
                        "×".join(map(str, shape)),
                        params,
                    )
                )
            )
        return steps

    def warnings(self, p):
        _, inputs = summary(p)
        return [
            w
            for n, layer in enumerate(p.layers)
            for w in layer.warnings(inputs[n][1:], f"layer {n + 1}")
        ]

    def explain(self, p, expected):
        table, inputs = summary(p)
        steps = [
            Step(
                "Each layer: its output shape from the size formula, "
                "its parameters from its weights and biases"
            )
        ]
        for n, (layer, (shape, params)) in enumerate(zip(p.layers, table.rows)):
            out = to_chw(shape, p.layout) if len(shape) == 3 else shape
            steps.append(
                Step(
                    f"layer {n + 1}, {layer.describe()}: "
                    + layer.summary_working(inputs[n], out, "×".join(map(str, shape)), params)
                )
            )
        steps.append(
            Step(
                f"total: {' + '.join(f'{n:,}' for _, n in table.rows if n)} = {table.total:,}",
                expected.value,
            )
        )
        return steps


def row_after(p: NetworkParams, n: int, above: tuple) -> tuple | None:
    """Row ``n`` (from 0) of the summary, computed by layer ``n`` on ``above``, a shape written as
    the row before it (C×H×W or H×W×C, or flat); None when that shape is too large to be a
    layer's or the layer cannot take it."""
    if len(above) not in (1, 3) or min(above) < 1:
        return None
    if (len(above) == 3 and max(above) > MAX_SIZE) or max(above) >= MAX_ANSWER:
        return None
    shape = to_chw(above, p.layout) if len(above) == 3 else above
    layer, where = p.layers[n], f"layer {n + 1}"
    try:
        params = layer.params(*layer.fan_in(shape, where))
        out = layer.next_shape(shape, where)
    except ValueError:  # a shape the layer cannot take: nothing follows from it
        return None
    if params >= MAX_ANSWER:
        return None
    return (to_layout(out, p.layout) if len(out) == 3 else out, params)


def to_chw(shape: tuple, layout: str) -> tuple:
    return shape if layout == "chw" else (shape[2], shape[0], shape[1])


KIND = Network()
