"""``params``: the number of learnable parameters of a layer."""

from __future__ import annotations

from typing import NamedTuple

from .. import forms
from . import teaching
from .base import DefinitionError, Key, Kind, get_int
from .layers import INPUT_SHAPE, LAYOUT, Layer, parse_layers, read_input_shape
from .teaching import attempt


class ParamsParams(NamedTuple):
    in_channels: int
    inputs: int | None  # values in the flattened input, for dense layers
    layer: Layer


class Params(Kind):
    name = "params"
    keys = (
        INPUT_SHAPE._replace(doc=INPUT_SHAPE.doc + "; needed for dense layers"),
        LAYOUT,
        Key(
            "in_channels", "count", "the input's channels, for a convolution without `input_shape`"
        ),
        Key(
            "layer",
            "layer",
            "`conv2d`, `conv_transpose2d`, `dense` or `pool2d` (0 parameters)",
            required=True,
        ),
    )
    takes = {"output_shape": "input_shape"}
    form = forms.COUNT
    mistakes = teaching.named(
        "bias_omitted",
        "bias_added",
        "channels_left_out",
        bias_once="the bias was counted once instead of once per filter",
        output_channels_as_depth="the number of filters was used as the filters' depth",
        groups_ignored="the groups were ignored (every filter reading every channel)",
    )
    examples = (
        {"in_channels": 4, "layer": {"type": "conv2d", "filters": 6, "kernel": 3, "groups": 2}},
        {"input_shape": [2, 4, 4], "layer": {"type": "dense", "units": 10}},
        {"in_channels": 3, "layer": {"type": "conv2d", "filters": 8, "kernel": 3, "bias": False}},
    )

    def parse(self, d, convention):
        layer = parse_layers(d)[0] if "layer" in d else None
        if layer is None:
            raise DefinitionError("layer is required", "layer")
        if "input_shape" in d:
            (C, H, W), _ = read_input_shape(d)
            inputs = C * H * W
        elif layer.reads_flat:
            raise DefinitionError(
                "a dense layer needs input_shape (it sees the flattened input)", "input_shape"
            )
        else:
            C, inputs = get_int(d, "in_channels", None, minimum=1), None
        p = ParamsParams(C, inputs, layer)
        layer.params(C, inputs or 0)  # refuse groups or depth that do not fit, when the bank loads
        return p

    def solve(self, p):
        return forms.Expected(p.layer.params(p.in_channels, p.inputs or 0))

    def mistake_answers(self, p):
        out = []
        layer, C, inputs = p.layer, p.in_channels, p.inputs or 0
        total, n_bias = layer.params(C, inputs), layer.bias_count
        if n_bias:
            attempt(out, "bias_omitted", lambda: total - n_bias)
            attempt(out, "bias_once", lambda: total - n_bias + 1)
        biased = layer.replace(bias=True)
        if biased.bias_count > n_bias:  # bias: false, and one who counts them anyway
            attempt(out, "bias_added", lambda: biased.params(C, inputs))
        attempt(out, "channels_left_out", lambda: layer.params_channels_left_out(C, inputs))
        for mistake, count in layer.miscounts(C):
            attempt(out, mistake, count)
        return out

    def explain(self, p, expected):
        return p.layer.explain_params(p.in_channels, p.inputs, expected.value)

    def describe(self, p):
        rows: list[tuple[str, object]] = [
            (
                "input",
                _channels(p.in_channels)
                if p.inputs is None
                else f"{_channels(p.in_channels)}, {p.inputs:,} values flattened",
            )
        ]
        rows.append(("layer", p.layer.describe()))
        return rows


KIND = Params()


def _channels(n: int) -> str:
    return f"{n} channel{'' if n == 1 else 's'}"
