"""``receptive_field``: the side of the input window one output unit sees."""

from __future__ import annotations

from typing import NamedTuple

from .. import engine, forms
from . import teaching
from .base import DefinitionError, Key, Kind
from .layers import Layer, parse_layers
from .teaching import Step, attempt


class RFParams(NamedTuple):
    layers: tuple[Layer, ...]

    @property
    def rf_layers(self) -> list[engine.RFLayer]:
        return [layer.rf_layer for layer in self.layers]


class ReceptiveField(Kind):
    name = "receptive_field"
    keys = (
        Key(
            "layers",
            "layers",
            "`conv2d` (`kernel`, `stride`, `dilation`) and `pool2d` "
            "(`size`, `stride`) layers, square",
            required=True,
        ),
    )
    form = forms.COUNT
    mistakes = teaching.named(
        "dilation_ignored",
        no_jump="the receptive field grew without the stride's jump (the product of earlier "
        "strides)",
        k_not_k_minus_1="each layer added its kernel size k instead of k − 1",
    )
    examples = (
        {
            "layers": [
                {"type": "conv2d", "kernel": 3, "stride": 2},
                {"type": "pool2d", "size": 2},
                {"type": "conv2d", "kernel": 3, "dilation": 2},
            ]
        },
    )

    def parse(self, d, convention):
        layers = parse_layers(d, single_key=None)
        for i, layer in enumerate(layers):
            if not layer.in_receptive_field:
                raise DefinitionError(
                    f"layer {i + 1}: a receptive field stack holds conv2d and pool2d layers",
                    "layers",
                )
            if (
                len({layer.kernel[0], layer.kernel[1]}) > 1
                or len(set(layer.stride)) > 1
                or len(set(layer.dilation)) > 1
            ):
                raise DefinitionError(
                    f"layer {i + 1}: receptive fields are asked of square kernels, "
                    f"strides and dilations",
                    "layers",
                )
        return RFParams(tuple(layers))

    def solve(self, p):
        return forms.Expected(engine.receptive_field(p.rf_layers)[-1][0])

    def mistake_answers(self, p):
        out = []
        rf = p.rf_layers
        attempt(
            out,
            "no_jump",
            lambda: 1 + sum(engine.effective_kernel(L.kernel, L.dilation) - 1 for L in rf),
        )
        attempt(
            out,
            "k_not_k_minus_1",
            lambda: _grow(rf, lambda L, j: engine.effective_kernel(L.kernel, L.dilation) * j),
        )
        if any(L.dilation != 1 for L in rf):
            attempt(
                out,
                "dilation_ignored",
                lambda: engine.receptive_field([L._replace(dilation=1) for L in rf])[-1][0],
            )
        return out

    def explain(self, p, expected):
        steps = [
            Step(
                "Start from one input pixel: r = 1, and neighbouring units 1 pixel apart: j = 1. "
                "Each layer adds (k_eff − 1)·j to r, then multiplies j by its stride"
            )
        ]
        trail = engine.receptive_field(p.rf_layers)
        for n, L in enumerate(p.rf_layers):
            (r0, j0), (r1, j1) = trail[n], trail[n + 1]
            ke = engine.effective_kernel(L.kernel, L.dilation)
            kd = f"{ke} (kernel {L.kernel}, dilation {L.dilation})" if L.dilation != 1 else f"{ke}"
            steps.append(
                Step(
                    f"layer {n + 1}, {p.layers[n].type} k={kd}, stride {L.stride}: "
                    f"r = {r0} + ({ke} − 1)·{j0} = {r1}; j = {j0}·{L.stride} = {j1}"
                )
            )
        steps.append(Step("The receptive field of one output unit:", expected.value))
        return steps

    def describe(self, p):
        return [(f"layer {i + 1}", layer.describe()) for i, layer in enumerate(p.layers)]


def _grow(layers, step) -> int:
    r, j = 1, 1
    for L in layers:
        r, j = r + step(L, j), j * L.stride
    return r


KIND = ReceptiveField()
