"""Layer descriptions shared by the shape, parameter and receptive-field kinds.

A layer is a mapping with ``type`` (conv2d, conv_transpose2d, pool2d, dense,
flatten) and that type's options, parsed into the class of its type: each
knows its output shape, parameters, description, size formula and warnings,
from the engine's single formula for each. Shapes travel as (C, H, W);
``layout`` converts at the edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from math import prod
from typing import ClassVar

from .. import engine
from .base import (
    MAX_SIZE,
    DefinitionError,
    Key,
    did_you_mean,
    get_bool,
    get_choice,
    get_int,
    get_padding2d,
    get_pair,
)
from .teaching import Step, coverage_warnings

LAYER_KEYS = {
    "conv2d": {"type", "filters", "kernel", "stride", "padding", "dilation", "bias", "groups"},
    "conv_transpose2d": {
        "type",
        "filters",
        "kernel",
        "stride",
        "padding",
        "output_padding",
        "dilation",
        "bias",
        "groups",
    },
    "pool2d": {"type", "op", "size", "stride", "padding", "dilation", "ceil_mode"},
    "dense": {"type", "units", "bias"},
    "flatten": {"type"},
}
LAYOUTS = ("chw", "hwc")

# What a layer's options and the keys that give an input shape look like (the schema and docs use
# them).
OPTIONS = (
    Key("type", "choice", "the layer's type", required=True, choices=tuple(LAYER_KEYS)),
    Key("filters", "count", "output channels (conv2d, conv_transpose2d)"),
    Key(
        "kernel",
        "kernel",
        '`n`, `[kh, kw]`, `[kh, kw, depth]` or `"3x3x32"`; a depth must match the '
        "input's channels",
    ),
    Key("stride", "pair", "`n` or `[sh, sw]`", "1 (pool2d: the size)"),
    Key("padding", "padding2d", "as conv2d's (pool2d and conv_transpose2d: `n` or `[ph, pw]`)", 0),
    Key("dilation", "pair", "`n` or `[dh, dw]`", 1),
    Key("output_padding", "pair0", "conv_transpose2d: added to the bottom and right", 0),
    Key("bias", "bool", "whether the layer has biases", True),
    Key("groups", "count", "convolutions: channels and filters split into groups", 1),
    Key("size", "kernel", "pool2d: the window, `n` or `[kh, kw]`"),
    Key("ceil_mode", "bool", "pool2d: round the output size up", False),
    Key("op", "choice", "pool2d: `max` or `avg`", "max", choices=("max", "avg")),
    Key("units", "count", "dense: output values"),
)
INPUT_SHAPE = Key(
    "input_shape", "shape", "`[C, H, W]` with `layout: chw`, `[H, W, C]` with `layout: hwc`"
)
LAYOUT = Key(
    "layout", "choice", "chw: [C, H, W] (the default); hwc: [H, W, C]", "chw", choices=LAYOUTS
)


def _kernel(d: dict, key: str, where: str) -> tuple[tuple[int, int], int | None]:
    v = d.get(key)
    if isinstance(v, str) and re.fullmatch(r"\s*\d+(\s*[x×]\s*\d+){0,2}\s*", v):
        v = [int(t) for t in re.split(r"\s*[x×]\s*", v.strip())]
        v = v[0] if len(v) == 1 else v
    if isinstance(v, list) and len(v) == 3:
        (kh, kw), depth = get_pair({key: v[:2]}, key), v[2]
        if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= MAX_SIZE:
            raise DefinitionError(
                f"{where}: {key} depth must be a whole number from 1 to {MAX_SIZE:,}, "
                f"got {depth!r}",
                key,
            )
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
        raise DefinitionError(
            f"{where}: type must be one of {', '.join(LAYER_KEYS)}, "
            f"got {t!r}{did_you_mean(t, LAYER_KEYS)}"
        )
    unknown = [k for k in d if k not in LAYER_KEYS[t]]
    if unknown:
        k = unknown[0]
        raise DefinitionError(
            f"{where}: unknown key {k!r} for a {t} layer{did_you_mean(k, LAYER_KEYS[t])}"
        )
    try:
        return LAYERS[t].parse(d, where)
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
            raise DefinitionError(
                "layers must be a non-empty list of layers"
                if single_key is None or "layers" in d
                else f"{single_key} (or layers) is required",
                "layers",
            )
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
    if not (
        isinstance(v, list)
        and len(v) == 3
        and all(isinstance(x, int) and not isinstance(x, bool) and x >= 1 for x in v)
    ):
        raise DefinitionError(
            f"input_shape must be three positive whole numbers "
            f"({'[C, H, W]' if layout == 'chw' else '[H, W, C]'}), "
            f"got {v!r}",
            "input_shape",
        )
    if max(v) > MAX_SIZE:
        raise DefinitionError(
            f"input_shape: a size is at most {MAX_SIZE:,}, got {max(v):,}", "input_shape"
        )
    return (tuple(v) if layout == "chw" else (v[2], v[0], v[1])), layout


def to_layout(chw: tuple[int, int, int], layout: str) -> tuple[int, int, int]:
    return chw if layout == "chw" else (chw[1], chw[2], chw[0])


# Output-size rules as students misremember them, for the named mistakes of shape questions.
MISTAKEN_RULES = {
    "ceil_instead_of_floor": lambda i, k, s, pads, d: (
        -((engine.effective_kernel(k, d) - i - sum(pads)) // s) + 1
    ),
    "plus_one_forgotten": lambda i, k, s, pads, d: (
        (i + sum(pads) - engine.effective_kernel(k, d)) // s
    ),
    "padding_one_side": lambda i, k, s, pads, d: (
        (i + pads[0] - engine.effective_kernel(k, d)) // s + 1
    ),
}
_NO_PADDING = (0, (0, 0), ((0, 0), (0, 0)), "valid")


def _same_size(i, k, s, pads, d):
    """The output size 'same' padding gives at any stride, as Keras and TensorFlow pad: ⌈i / s⌉
    (i at stride 1)."""
    return -(-i // s)


@dataclass(frozen=True)
class Layer:
    """One layer of a stack: its options, and what it does to a shape, (C, H, W) or (n,) once flat.

    ``rule(i, k, s, (pad_l, pad_r), d)``, where a method takes one, replaces the output-size formula
    of convolutions and pooling (a misremembered rule, for the named mistakes).
    """

    type: ClassVar[str]
    in_receptive_field: ClassVar[bool] = False  # a receptive-field stack holds this type
    reads_flat: ClassVar[bool] = False  # it sees the flattened input: a count needs its size

    @classmethod
    def parse(cls, d: dict, where: str) -> Layer:
        return cls()

    def replace(self, **changes) -> Layer:
        """A copy with ``changes``; an option this type does not have is left out."""
        return replace(self, **{k: v for k, v in changes.items() if k in self.__dataclass_fields__})

    @property
    def label(self) -> str:
        return self.type

    def describe(self) -> str:
        """The layer in a few words, naming only the options that are not their defaults."""
        return self.label

    strided = padded = dilated = ceil_mode = False  # an option a named mistake would change
    bias_count = 0  # the biases among the parameters

    def output_shape(
        self, chw: tuple[int, int, int], where: str = "the layer", rule=None
    ) -> tuple[int, int, int]:
        """The output shape (C, H, W) on an input of shape ``chw``."""
        raise DefinitionError(f"{where}: a {self.type} layer has no spatial output shape")

    def fan_in(self, shape: tuple, where: str) -> tuple[int, int]:
        """(in_channels, inputs) for :meth:`params` in a stack, where the input has ``shape``."""
        return shape[0], 0

    def next_shape(self, shape: tuple, where: str, rule=None) -> tuple:
        """The shape after this layer in a stack, (C, H, W) or (n,)."""
        return self.output_shape(shape, where, rule)

    def params(self, in_channels: int, inputs: int = 0) -> int:
        """Parameters on ``in_channels`` channels (``inputs`` values when flattened, for dense)."""
        return 0

    def params_channels_left_out(self, in_channels: int, inputs: int = 0) -> int:
        """The count of one who forgets the input's channels."""
        return self.params(in_channels, inputs)

    def miscounts(self, in_channels: int) -> list[tuple[str, object]]:
        """Further (mistake, count thunk) pairs a parameter count can go wrong by."""
        return []

    def explain_params(self, in_channels: int, inputs: int, value) -> list[Step]:
        return [Step(f"A {self.type} layer learns nothing: 0 parameters", value)]

    def summary_working(self, in_shape: tuple, out_shape: tuple, shown: str, params: int) -> str:
        """This layer's line of a model summary's working (after its head); ``out_shape`` as
        (C, H, W) or (n,)."""
        raise NotImplementedError

    def padding_forgotten(self) -> Layer:
        """The layer of one who forgets its padding."""
        return self

    def same_padded_shape(self, chw: tuple, where: str = "the layer") -> tuple:
        """The output shape of one who pads the layer 'same' (⌈H / stride⌉, as Keras pads at
        any stride); a layer no one pads so keeps its shape."""
        return self.next_shape(chw, where)

    def channels_kept_shape(self, chw: tuple, where: str = "the layer") -> tuple:
        """The output shape of one who gives the output the input's channels, not one per
        filter."""
        return self.next_shape(chw, where)

    def warnings(self, hw: tuple[int, int], where: str) -> list[str]:
        return []


@dataclass(frozen=True)
class Flatten(Layer):
    type: ClassVar[str] = "flatten"

    def fan_in(self, shape, where):
        return 1, 0

    def next_shape(self, shape, where, rule=None):
        return (prod(shape),)

    def summary_working(self, in_shape, out_shape, shown, params):
        return f"{'·'.join(map(str, in_shape))} = {out_shape[0]:,} values, 0 parameters"


@dataclass(frozen=True)
class Dense(Layer):
    type: ClassVar[str] = "dense"
    reads_flat: ClassVar[bool] = True
    units: int = 0
    bias: bool = True

    @classmethod
    def parse(cls, d, where):
        return cls(units=get_int(d, "units", minimum=1), bias=get_bool(d, "bias", True))

    @property
    def label(self):
        return f"dense, {self.units} units"

    def describe(self):
        return self.label + ("" if self.bias else ", no bias")

    @property
    def bias_count(self):
        return self.units if self.bias else 0

    def fan_in(self, shape, where):
        if len(shape) != 1:
            raise DefinitionError(f"{where}: a dense layer needs a flatten before it", "layers")
        return 1, shape[0]

    def next_shape(self, shape, where, rule=None):
        return (self.units,)

    def params(self, in_channels, inputs=0):
        return engine.dense_params(inputs, self.units, bias=self.bias)

    def params_channels_left_out(self, in_channels, inputs=0):
        return self.params(1, inputs // in_channels)

    def explain_params(self, in_channels, inputs, value):
        w = inputs * self.units
        return [
            Step(f"A dense layer sees the flattened input: {inputs:,} values"),
            Step(f"weights: {inputs:,} inputs × {self.units:,} units = {w:,}"),
            *_totals(w, self.bias_count, "unit", value),
        ]

    def summary_working(self, in_shape, out_chw, shown, params):
        return f"{in_shape[0]:,} × {self.units:,} + {self.bias_count:,} = {params:,} parameters"


@dataclass(frozen=True)
class Window(Layer):
    """A layer that slides a window over the height and width: convolutions and pooling."""

    kernel: tuple[int, int] = (1, 1)  # the window, for pool2d
    stride: tuple[int, int] = (1, 1)
    padding: object = 0
    dilation: tuple[int, int] = (1, 1)

    @property
    def strided(self):
        return self.stride != (1, 1)

    @property
    def padded(self):
        return self.padding not in _NO_PADDING

    @property
    def dilated(self):
        return self.dilation != (1, 1)

    @property
    def rf_layer(self) -> engine.RFLayer:
        return engine.RFLayer(self.kernel[0], self.stride[0], self.dilation[0])

    def describe(self):
        parts = [self.label]
        if self.stride_shown:
            parts.append(f"stride {_plain(self.stride)}")
        for name, defaults in _DEFAULTS.items():
            if name in self.__dataclass_fields__ and getattr(self, name) not in defaults:
                parts.append(f"{name} {_plain(getattr(self, name))}")
        return ", ".join(parts)

    @property
    def stride_shown(self) -> bool:
        return self.strided

    def fan_in(self, shape, where):
        if len(shape) != 3:
            raise DefinitionError(
                f"{where}: a {self.type} layer needs a C×H×W input, not a flat one", "layers"
            )
        return shape[0], 0

    def pads(self, where: str = "the layer") -> tuple[tuple[int, int], tuple[int, int]]:
        """((top, bottom), (left, right))."""
        return tuple((q, q) for q in self.padding)

    def _fit(self, out: tuple[int, int, int], hw, where: str) -> tuple[int, int, int]:
        if min(out) < 1:
            raise DefinitionError(
                f"{where}: the kernel does not fit the {hw[0]}×{hw[1]} input "
                f"(output {out[1]}×{out[2]})"
            )
        return out

    def _extent_text(self, a: int) -> str:
        k, d = self.kernel[a], self.dilation[a]
        return f"{d}·({k}−1)+1" if d != 1 else str(k)

    def padding_forgotten(self):
        return self.replace(padding=0)

    def summary_working(self, in_shape, out_chw, shown, params):
        sizes = "; ".join(
            self.size_formula(ax, i, o)
            for ax, i, o in (("H", in_shape[1], out_chw[1]), ("W", in_shape[2], out_chw[2]))
        )
        return f"{sizes}; output {shown}; {self.count_working(in_shape[0], params)}"

    def count_working(self, in_channels: int, params: int) -> str:
        return "0 parameters"

    def warnings(self, hw, where, ceil_mode: bool = False):
        return coverage_warnings(
            where, hw, self.kernel, self.stride, self.pads(where), self.dilation, ceil_mode
        )


@dataclass(frozen=True)
class Pool2d(Window):
    type: ClassVar[str] = "pool2d"
    in_receptive_field: ClassVar[bool] = True
    ceil_mode: bool = False

    @classmethod
    def parse(cls, d, where):
        kernel, _ = _kernel(d, "size", where)
        padding = get_pair(d, "padding", 0, minimum=0)
        return cls(
            kernel=kernel,
            stride=get_pair(d, "stride", list(kernel)),
            padding=padding,
            dilation=get_pair(d, "dilation"),
            ceil_mode=get_bool(d, "ceil_mode", False),
        )

    @property
    def label(self):
        return f"pool {self.kernel[0]}×{self.kernel[1]}"

    stride_shown = True  # a pooling stride defaults to the window: always say it

    def describe(self):
        return super().describe() + (", ceil_mode" if self.ceil_mode else "")

    def output_shape(self, chw, where="the layer", rule=None):
        C, H, W = chw
        k, s, p, d = self.kernel, self.stride, self.padding, self.dilation
        if not all(engine.pool_padding_fits(p[a], k[a]) for a in range(2)):
            raise DefinitionError(
                f"{where}: padding must be at most half the window size, as in PyTorch"
            )
        if rule is not None:
            out = (C,) + tuple(rule((H, W)[a], k[a], s[a], (p[a],) * 2, d[a]) for a in range(2))
        else:
            out = (C,) + tuple(
                engine.pool_output_size((H, W)[a], k[a], s[a], p[a], d[a], self.ceil_mode)
                for a in range(2)
            )
        return self._fit(out, (H, W), where)

    def channels_note(self, c: int) -> str:
        return f"C = {c}, pooling keeps the channels"

    def size_formula(self, axis: str, i: int, o: int) -> str:
        a = 0 if axis == "H" else 1
        lo, hi = ("⌈", "⌉") if self.ceil_mode else ("⌊", "⌋")
        return (
            f"{axis} = {lo}({i} + 2·{self.padding[a]} − {self._extent_text(a)}) / "
            f"{self.stride[a]}{hi} + 1 = {o}"
        )

    def explain_params(self, in_channels, inputs, value):
        return [Step("A pooling layer learns nothing: 0 parameters", value)]

    def warnings(self, hw, where, ceil_mode: bool = False):
        return super().warnings(hw, where, self.ceil_mode)

    def padding_forgotten(self):
        return self.replace(padding=(0, 0))  # a pool's padding is a pair (rows, columns)


@dataclass(frozen=True)
class Conv2d(Window):
    type: ClassVar[str] = "conv2d"
    in_receptive_field: ClassVar[bool] = True
    depth: int | None = None  # a kernel written 3x3x32 names its depth
    filters: int | None = None  # needed for shapes and counts, not for receptive fields
    bias: bool = True
    groups: int = 1

    @classmethod
    def _padding(cls, d: dict):
        return get_padding2d(d)

    @classmethod
    def parse(cls, d, where):
        kernel, depth = _kernel(d, "kernel", where)
        padding = cls._padding(d)
        return cls(
            kernel=kernel,
            depth=depth,
            filters=get_int(d, "filters", minimum=1) if "filters" in d else None,
            stride=get_pair(d, "stride"),
            padding=padding,
            dilation=get_pair(d, "dilation"),
            **cls._more(d),
            bias=get_bool(d, "bias", True),
            groups=get_int(d, "groups", 1, minimum=1),
        )

    @classmethod
    def _more(cls, d: dict) -> dict:
        return {}

    @property
    def label(self):
        k = f"{self.kernel[0]}×{self.kernel[1]}"
        if self.filters is None:
            return f"{self.type}, {k}"
        return f"{self.type}, {self.filters} filters {k}"

    @property
    def bias_count(self):
        return self.filters if self.bias else 0

    def _check_channels(self, C: int, where: str | None) -> None:
        """Refuse a missing filter count, or a kernel depth that does not fit ``C`` channels."""
        at = f"{where}: " if where else ""
        if self.filters is None:
            raise DefinitionError(
                f"{where or 'the layer'}: filters is required (how many output channels)"
            )
        if self.depth is not None and self.depth != C // self.groups:
            kh, kw = self.kernel
            raise DefinitionError(
                f"{at}the kernel is {kh}×{kw}×{self.depth} but the input has {C} channels"
            )

    def _check_groups(self, C: int, where: str) -> None:
        if C % self.groups or self.filters % self.groups:
            raise DefinitionError(
                f"{where}: channels ({C}) and filters ({self.filters}) must be "
                f"divisible by groups ({self.groups})"
            )

    def pads(self, where="the layer"):
        try:
            return engine.normalize_padding(self.padding, self.kernel, self.dilation, self.stride)
        except ValueError as e:
            raise DefinitionError(f"{where}: {e}") from None

    def output_shape(self, chw, where="the layer", rule=None):
        C, H, W = chw
        self._check_channels(C, where)
        self._check_groups(C, where)
        pads, k, s, d = self.pads(where), self.kernel, self.stride, self.dilation
        size = rule or engine.conv_output_size
        out = (self.filters,) + tuple(size((H, W)[a], k[a], s[a], pads[a], d[a]) for a in range(2))
        return self._fit(out, (H, W), where)

    def channels_note(self, c: int) -> str:
        return f"C = {c}, one channel per filter"

    def same_padded_shape(self, chw, where="the layer"):
        return self.output_shape(chw, where, _same_size)

    def channels_kept_shape(self, chw, where="the layer"):
        return self.replace(filters=chw[0]).output_shape(chw, where)

    def size_formula(self, axis, i, o):
        a = 0 if axis == "H" else 1
        pads = self.pads()[a]
        pad = f"2·{pads[0]}" if pads[0] == pads[1] else f"{pads[0]} + {pads[1]}"
        return f"{axis} = ⌊({i} + {pad} − {self._extent_text(a)}) / {self.stride[a]}⌋ + 1 = {o}"

    def params(self, in_channels, inputs=0):
        self._check_channels(in_channels, None)
        try:
            return engine.conv2d_params(
                in_channels, self.filters, self.kernel, bias=self.bias, groups=self.groups
            )
        except ValueError as e:
            raise DefinitionError(str(e)) from None

    def params_channels_left_out(self, in_channels, inputs=0):
        return self.replace(groups=1, depth=None).params(1, inputs)

    def miscounts(self, in_channels):
        flat = self.replace(groups=1, depth=None)
        out = [("output_channels_as_depth", lambda: flat.params(self.filters))]
        if self.groups > 1:
            out.append(("groups_ignored", lambda: flat.params(in_channels)))
        return out

    def explain_params(self, in_channels, inputs, value):
        (kh, kw), g = self.kernel, self.groups
        per = in_channels // g
        w = self.filters * per * kh * kw
        depth = (
            f"{in_channels} channels / {g} groups"
            if g > 1
            else f"{per} channel{'s' if per != 1 else ''}"
        )
        return [
            Step(
                f"Each filter is {kh}×{kw}×{per} ({depth}); stride and padding do not change "
                "the count"
            ),
            Step(f"weights: {self.filters} filters × {per} × {kh} × {kw} = {w:,}"),
        ] + _totals(w, self.bias_count, "filter", value)

    def count_working(self, in_channels, params):
        kh, kw = self.kernel
        return (
            f"{self.filters}·{in_channels // self.groups}·{kh}·{kw} + {self.bias_count} = "
            f"{params:,} parameters"
        )


@dataclass(frozen=True)
class ConvTranspose2d(Conv2d):
    type: ClassVar[str] = "conv_transpose2d"
    in_receptive_field: ClassVar[bool] = False
    output_padding: tuple[int, int] = (0, 0)

    @classmethod
    def _padding(cls, d):
        if isinstance(super()._padding(d), str):
            raise DefinitionError(
                "padding of a transposed convolution must be n or [ph, pw]", "padding"
            )
        return get_pair(d, "padding", 0, minimum=0)

    @classmethod
    def _more(cls, d):
        return {"output_padding": get_pair(d, "output_padding", 0, minimum=0)}

    def padding_forgotten(self):  # its crop is not the padding one forgets
        return self

    def same_padded_shape(self, chw, where="the layer"):  # its padding crops: no 'same' to add
        return self.output_shape(chw, where)

    def pads(self, where="the layer"):
        return tuple((q, q) for q in self.padding)

    def output_shape(self, chw, where="the layer", rule=None):
        C, H, W = chw
        self._check_channels(C, where)
        self._check_groups(C, where)
        k, s, p, op, d = self.kernel, self.stride, self.padding, self.output_padding, self.dilation
        if not all(engine.output_padding_fits(op[a], s[a], d[a]) for a in range(2)):
            raise DefinitionError(
                f"{where}: output_padding must be smaller than either stride or dilation"
            )
        out = (self.filters,) + tuple(
            engine.conv_transpose_output_size((H, W)[a], k[a], s[a], p[a], op[a], d[a])
            for a in range(2)
        )
        return self._fit(out, (H, W), where)

    def size_formula(self, axis, i, o):
        a = 0 if axis == "H" else 1
        k, s, d = self.kernel[a], self.stride[a], self.dilation[a]
        return (
            f"{axis} = ({i}−1)·{s} − 2·{self.padding[a]} + {d}·({k}−1) + "
            f"{self.output_padding[a]} + 1 = {o}"
        )

    def warnings(self, hw, where, ceil_mode=False):
        return []


LAYERS: dict[str, type[Layer]] = {
    cls.type: cls for cls in (Conv2d, ConvTranspose2d, Pool2d, Dense, Flatten)
}


def _totals(w: int, bias: int, per: str, value) -> list[Step]:
    """The last steps of a parameter count: the biases, then the total."""
    return [
        Step(f"biases: {bias:,}" + (f" (one per {per})" if bias else " (bias: false)")),
        Step(f"total: {w:,} + {bias:,} = {w + bias:,}", value),
    ]


_DEFAULTS = {"padding": _NO_PADDING, "dilation": ((1, 1),), "output_padding": ((0, 0),)}


def _plain(v) -> str:
    """(2, 2) as 2; anything else as written."""
    if isinstance(v, tuple) and len(v) == 2 and v[0] == v[1] and not isinstance(v[0], tuple):
        return str(v[0])
    return str(v)
