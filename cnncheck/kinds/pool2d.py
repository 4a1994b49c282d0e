"""``pool2d``: max or average pooling, per channel."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import engine, forms
from .base import DefinitionError, Kind, get_bool, get_choice, get_image, get_pair


class PoolParams(NamedTuple):
    image: np.ndarray  # (C, H, W)
    channels: tuple[str, ...] | None
    single: bool  # the image had no channel axis: the answer is one matrix
    op: str
    size: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    ceil_mode: bool
    count_include_pad: bool


def pool(p: PoolParams, *, op: str | None = None, ceil_mode: bool | None = None) -> np.ndarray:
    """Run the engine; ``op`` and ``ceil_mode`` may be overridden (for variants of a question)."""
    op = op or p.op
    ceil = p.ceil_mode if ceil_mode is None else ceil_mode
    if op == "max":
        return engine.max_pool2d(p.image, p.size, stride=p.stride, padding=p.padding, dilation=p.dilation, ceil_mode=ceil)
    return engine.avg_pool2d(p.image, p.size, stride=p.stride, padding=p.padding, ceil_mode=ceil,
                             count_include_pad=p.count_include_pad)


class Pool2d(Kind):
    name = "pool2d"
    keys = frozenset({"image", "op", "size", "stride", "padding", "dilation", "ceil_mode", "count_include_pad"})
    required = frozenset({"image", "size"})
    form = forms.ARRAY

    def parse(self, d, convention):
        image, names, single = get_image(d)
        size = get_pair(d, "size", None) if d.get("size") is not None else None
        if size is None:
            raise DefinitionError("size is required", "size")
        op = get_choice(d, "op", ("max", "avg"), "max")
        dilation = get_pair(d, "dilation")
        if op == "avg" and dilation != (1, 1):
            raise DefinitionError("average pooling has no dilation in PyTorch", "dilation")
        padding = get_pair(d, "padding", 0, minimum=0)
        for a in range(2):
            if padding[a] > size[a] // 2:
                raise DefinitionError(f"padding ({padding[a]}) must be at most half the window size ({size[a]}), as in PyTorch",
                                      "padding")
        return PoolParams(image, names, single, op, size, get_pair(d, "stride", list(size)), padding, dilation,
                          get_bool(d, "ceil_mode", False), get_bool(d, "count_include_pad", True))

    def solve(self, p):
        out = pool(p)
        value = out[0] if p.single else out
        return forms.Expected(value, None if p.single else p.channels, exact=value.dtype.kind in "iuO")

    def describe(self, p):
        rows: list[tuple[str, object]] = [("image", p.image[0] if p.single else forms.Expected(p.image, p.channels))]
        rows += [("pooling", f"{p.op}, {p.size[0]}×{p.size[1]} window, per channel"),
                 ("stride", _pair(p.stride)), ("padding", _pair(p.padding))]
        if p.dilation != (1, 1):
            rows.append(("dilation", _pair(p.dilation)))
        if p.ceil_mode:
            rows.append(("ceil_mode", "true (a last partial window counts if it starts inside the input)"))
        if p.op == "avg" and p.padding != (0, 0):
            rows.append(("count_include_pad", str(p.count_include_pad).lower()))
        return rows


def _pair(v) -> str:
    return str(v[0]) if v[0] == v[1] else f"[{v[0]}, {v[1]}]"


KIND = Pool2d()
