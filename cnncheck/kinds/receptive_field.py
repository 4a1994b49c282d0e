"""``receptive_field``: the side of the input window one output unit sees."""

from __future__ import annotations

from typing import NamedTuple

from .. import engine, forms
from .base import DefinitionError, Kind
from .layers import Layer, parse_layers


class RFParams(NamedTuple):
    layers: tuple[Layer, ...]

    @property
    def rf_layers(self) -> list[engine.RFLayer]:
        return [engine.RFLayer(layer.kernel[0], layer.stride[0], layer.dilation[0]) for layer in self.layers]


class ReceptiveField(Kind):
    name = "receptive_field"
    keys = frozenset({"layers"})
    required = frozenset({"layers"})
    form = forms.COUNT

    def parse(self, d, convention):
        layers = parse_layers(d, single_key=None)
        for i, layer in enumerate(layers):
            if layer.type not in ("conv2d", "pool2d"):
                raise DefinitionError(f"layer {i + 1}: a receptive field stack holds conv2d and pool2d layers", "layers")
            if len({layer.kernel[0], layer.kernel[1]}) > 1 or len(set(layer.stride)) > 1 or len(set(layer.dilation)) > 1:
                raise DefinitionError(f"layer {i + 1}: receptive fields are asked of square kernels, strides and dilations",
                                      "layers")
        return RFParams(tuple(layers))

    def solve(self, p):
        return forms.Expected(engine.receptive_field(p.rf_layers)[-1][0])

    def describe(self, p):
        from .output_shape import describe_layer

        return [(f"layer {i + 1}", describe_layer(layer)) for i, layer in enumerate(p.layers)]


KIND = ReceptiveField()
