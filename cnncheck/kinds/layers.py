"""Layer descriptions shared by the shape, parameter and receptive-field kinds.

A layer is a mapping with ``type`` (conv2d, conv_transpose2d, pool2d, dense)
and that type's options. Shapes travel as (C, H, W); ``layout`` converts at
the edges.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .. import engine
from .base import MAX_SIZE, DefinitionError, did_you_mean, get_bool, get_choice, get_int, get_padding2d, get_pair

LAYER_KEYS = {
    "conv2d": {"type", "filters", "kernel", "stride", "padding", "dilation", "bias", "groups"},
    "conv_transpose2d": {"type", "filters", "kernel", "stride", "padding", "output_padding", "dilation", "bias", "groups"},
    "pool2d": {"type", "op", "size", "stride", "padding", "dilation", "ceil_mode"},
    "dense": {"type", "units", "bias"},
    "flatten": {"type"},
}
LAYOUTS = ("chw", "hwc")


class Layer(NamedTuple):
    type: str
    kernel: tuple[int, int] = (1, 1)  # the window, for pool2d
    depth: int | None = None  # a kernel written 3x3x32 names its depth
    filters: int | None = None  # needed for shapes and counts, not for receptive fields
    stride: tuple[int, int] = (1, 1)
    padding: object = 0
    dilation: tuple[int, int] = (1, 1)
    output_padding: tuple[int, int] = (0, 0)
    ceil_mode: bool = False
    units: int = 0
    bias: bool = True
    groups: int = 1

    @property
    def label(self) -> str:
        if self.type == "dense":
            return f"dense, {self.units} units"
        if self.type == "flatten":
            return "flatten"
        k = f"{self.kernel[0]}×{self.kernel[1]}"
        if self.type == "pool2d":
            return f"pool {k}"
        return f"{self.type}, {k}" if self.filters is None else f"{self.type}, {self.filters} filters {k}"


def _kernel(d: dict, key: str, where: str) -> tuple[tuple[int, int], int | None]:
    v = d.get(key)
    if isinstance(v, str) and re.fullmatch(r"\s*\d+(\s*[x×]\s*\d+){0,2}\s*", v):
        v = [int(t) for t in re.split(r"\s*[x×]\s*", v.strip())]
        v = v[0] if len(v) == 1 else v
    if isinstance(v, list) and len(v) == 3:
        (kh, kw), depth = get_pair({key: v[:2]}, key), v[2]
        if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= MAX_SIZE:
            raise DefinitionError(f"{where}: {key} depth must be a whole number from 1 to {MAX_SIZE:,}, got {depth!r}",
                                  key)
        return (kh, kw), depth
    try:
        return get_pair(d, key, None), None
    except DefinitionError as e:
        raise DefinitionError(f"{where}: {e}", key) from None


def parse_layer(d, where: str) -> Layer:
    """One layer mapping -> :class:`Layer`. ``where`` names it in messages ("layer 2")."""
    if not isinstance(d, dict):
        raise DefinitionError(f"{where} must be a mapping with a type, got {d!r}")
    t = d.get("type")
    if t not in LAYER_KEYS:
        raise DefinitionError(f"{where}: type must be one of {', '.join(LAYER_KEYS)}, got {t!r}{did_you_mean(t, LAYER_KEYS)}")
    unknown = [k for k in d if k not in LAYER_KEYS[t]]
    if unknown:
        k = unknown[0]
        raise DefinitionError(f"{where}: unknown key {k!r} for a {t} layer{did_you_mean(k, LAYER_KEYS[t])}")
    try:
        if t == "dense":
            return Layer(t, units=get_int(d, "units", minimum=1), bias=get_bool(d, "bias", True))
        if t == "flatten":
            return Layer(t)
        if t == "pool2d":
            kernel, _ = _kernel(d, "size", where)
            padding = get_pair(d, "padding", 0, minimum=0)
            return Layer(t, kernel=kernel, stride=get_pair(d, "stride", list(kernel)), padding=padding,
                         dilation=get_pair(d, "dilation"), ceil_mode=get_bool(d, "ceil_mode", False))
        kernel, depth = _kernel(d, "kernel", where)
        padding = get_padding2d(d)
        if t == "conv_transpose2d":
            if isinstance(padding, str):
                raise DefinitionError("padding of a transposed convolution must be n or [ph, pw]", "padding")
            padding = get_pair(d, "padding", 0, minimum=0)
        return Layer(t, kernel=kernel, depth=depth, filters=get_int(d, "filters", minimum=1) if "filters" in d else None, stride=get_pair(d, "stride"),
                     padding=padding, dilation=get_pair(d, "dilation"),
                     output_padding=get_pair(d, "output_padding", 0, minimum=0), bias=get_bool(d, "bias", True),
                     groups=get_int(d, "groups", 1, minimum=1))
    except DefinitionError as e:
        msg = str(e)
        raise DefinitionError(msg if msg.startswith(where) else f"{where}: {msg}") from None


def parse_layers(d: dict, *, single_key: str | None = "layer") -> list[Layer]:
    if single_key and single_key in d and "layers" in d:
        raise DefinitionError(f"give either {single_key} or layers, not both", "layers")
    key = single_key if single_key and single_key in d else "layers"
    try:
        if key == single_key:
            return [parse_layer(d[single_key], single_key)]
        layers = d.get("layers")
        if not isinstance(layers, list) or not layers:
            raise DefinitionError("layers must be a non-empty list of layers" if single_key is None or "layers" in d
                                  else f"{single_key} (or layers) is required", "layers")
        return [parse_layer(v, f"layer {i + 1}") for i, v in enumerate(layers)]
    except DefinitionError as e:  # a layer's problem is found on the line of layer: or layers:
        if e.key is not None and e.key in d:
            raise
        raise DefinitionError(str(e), key) from None


def read_input_shape(d: dict) -> tuple[tuple[int, int, int], str]:
    """input_shape in its layout -> ((C, H, W), layout)."""
    layout = get_choice(d, "layout", LAYOUTS, "chw")
    v = d.get("input_shape")
    if isinstance(v, str):
        parts = re.split(r"\s*[x×,]\s*", v.strip())
        v = [int(p) if p.isdigit() else p for p in parts]
    if not (isinstance(v, list) and len(v) == 3 and all(isinstance(x, int) and not isinstance(x, bool) and x >= 1 for x in v)):
        raise DefinitionError(f"input_shape must be three positive whole numbers ({'[C, H, W]' if layout == 'chw' else '[H, W, C]'}), "
                              f"got {v!r}", "input_shape")
    if max(v) > MAX_SIZE:
        raise DefinitionError(f"input_shape: a size is at most {MAX_SIZE:,}, got {max(v):,}", "input_shape")
    return (tuple(v) if layout == "chw" else (v[2], v[0], v[1])), layout


def to_layout(chw: tuple[int, int, int], layout: str) -> tuple[int, int, int]:
    return chw if layout == "chw" else (chw[1], chw[2], chw[0])


def _need_filters(layer: Layer, where: str) -> None:
    if layer.type in ("conv2d", "conv_transpose2d") and layer.filters is None:
        raise DefinitionError(f"{where}: filters is required (how many output channels)")


def _floor_rule(i: int, k: int, s: int, pads: tuple[int, int], d: int) -> int:
    return engine.conv_output_size(i, k, s, pads, d)


# Output-size rules as students misremember them, for the named mistakes of shape questions.
MISTAKEN_RULES = {
    "ceil_instead_of_floor": lambda i, k, s, pads, d: -((engine.effective_kernel(k, d) - i - sum(pads)) // s) + 1,
    "plus_one_forgotten": lambda i, k, s, pads, d: (i + sum(pads) - engine.effective_kernel(k, d)) // s,
    "padding_one_side": lambda i, k, s, pads, d: (i + pads[0] - engine.effective_kernel(k, d)) // s + 1,
}


def apply(layer: Layer, chw: tuple[int, int, int], where: str = "the layer", rule=None) -> tuple[int, int, int]:
    """The output shape (C, H, W) of one layer on an input of shape ``chw``.

    ``rule(i, k, s, (pad_l, pad_r), d)`` replaces the output-size formula of conv and pooling layers.
    """
    C, H, W = chw
    _need_filters(layer, where)
    if layer.depth is not None and layer.depth != C // layer.groups:
        raise DefinitionError(f"{where}: the kernel is {layer.kernel[0]}×{layer.kernel[1]}×{layer.depth} but the input has {C} channels")
    if layer.type in ("conv2d", "conv_transpose2d") and (C % layer.groups or layer.filters % layer.groups):
        raise DefinitionError(f"{where}: channels ({C}) and filters ({layer.filters}) must be divisible by groups ({layer.groups})")
    k, s, d = layer.kernel, layer.stride, layer.dilation
    if layer.type == "conv2d":
        try:
            pads = engine.normalize_padding(layer.padding, k, d, s)
        except ValueError as e:
            raise DefinitionError(f"{where}: {e}") from None
        out = (layer.filters,) + tuple((rule or _floor_rule)((H, W)[a], k[a], s[a], pads[a], d[a]) for a in range(2))
    elif layer.type == "conv_transpose2d":
        for a in range(2):
            if not (layer.output_padding[a] < s[a] or layer.output_padding[a] < d[a]):
                raise DefinitionError(f"{where}: output_padding must be smaller than either stride or dilation")
        out = (layer.filters,) + tuple(
            engine.conv_transpose_output_size((H, W)[a], k[a], s[a], layer.padding[a], layer.output_padding[a], d[a])
            for a in range(2))
    elif layer.type == "pool2d":
        for a in range(2):
            if layer.padding[a] > k[a] // 2:
                raise DefinitionError(f"{where}: padding must be at most half the window size, as in PyTorch")
        if rule is not None:
            out = (C,) + tuple(rule((H, W)[a], k[a], s[a], (layer.padding[a],) * 2, d[a]) for a in range(2))
        else:
            out = (C,) + tuple(engine.pool_output_size((H, W)[a], k[a], s[a], layer.padding[a], d[a], layer.ceil_mode)
                               for a in range(2))
    else:
        raise DefinitionError(f"{where}: a {layer.type} layer has no spatial output shape")
    if min(out) < 1:
        raise DefinitionError(f"{where}: the kernel does not fit the {H}×{W} input (output {out[1]}×{out[2]})")
    return out


def params_of(layer: Layer, in_channels: int, inputs: int) -> int:
    """Parameters of one layer on ``in_channels`` channels (``inputs`` values when flattened, for dense)."""
    if layer.type == "dense":
        return engine.dense_params(inputs, layer.units, bias=layer.bias)
    if layer.type == "pool2d":
        return 0
    _need_filters(layer, "the layer")
    if layer.depth is not None and layer.depth != in_channels // layer.groups:
        raise DefinitionError(f"the kernel is {layer.kernel[0]}×{layer.kernel[1]}×{layer.depth} but the input has {in_channels} channels")
    try:
        return engine.conv2d_params(in_channels, layer.filters, layer.kernel, bias=layer.bias, groups=layer.groups)
    except ValueError as e:
        raise DefinitionError(str(e)) from None
