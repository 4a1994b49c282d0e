"""``conv2d``: convolve an image with one filter, or with F filters."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import engine, forms
from .base import DefinitionError, Kind, get_array, get_choice, get_image, get_padding2d, get_pair

CONVENTIONS = ("cross-correlation", "convolution")


class ConvParams(NamedTuple):
    image: np.ndarray  # (C, H, W) or (C, L)
    channels: tuple[str, ...] | None
    weight: np.ndarray  # (F, C, kh, kw) or (F, C, k), as given (unflipped)
    multi: bool  # a filter bank was given: the answer has one map per filter
    bias: np.ndarray | None
    stride: object
    padding: object
    dilation: object
    convention: str
    output_padding: object = 0

    @property
    def kernel(self) -> np.ndarray:
        """The weights the engine uses: flipped on every spatial axis for true convolution."""
        if self.convention == "convolution":
            spatial = tuple(range(2, self.weight.ndim))
            return np.flip(self.weight, axis=spatial)
        return self.weight


def read_filters(d: dict, image: np.ndarray, *, spatial: int = 2) -> tuple[np.ndarray, bool]:
    """filter as [k..] (same kernel on every channel, summed), [C][k..] (one filter) or [F][C][k..]."""
    C = image.shape[0]
    f = get_array(d, "filter", ndims=(spatial, spatial + 1, spatial + 2))
    if f.ndim == spatial:
        return np.broadcast_to(f, (1, C) + f.shape).copy(), False
    if f.ndim == spatial + 1:
        if f.shape[0] != C:
            raise DefinitionError(f"the filter has {f.shape[0]} channels but the image has {C}", "filter")
        return f[None], False
    if f.shape[1] != C:
        raise DefinitionError(f"the filters have {f.shape[1]} channels each but the image has {C}", "filter")
    return f, True


def read_bias(d: dict, n_filters: int) -> np.ndarray | None:
    if d.get("bias") is None:
        return None
    v = d["bias"]
    b = get_array({"bias": v if isinstance(v, list) else [v]}, "bias", ndims=(1,))
    if b.shape[0] == 1:
        b = np.repeat(b, n_filters)
    if b.shape[0] != n_filters:
        raise DefinitionError(f"bias must be one number or {n_filters} (one per filter), got {b.shape[0]}", "bias")
    return b


def read_conv(d: dict, convention: str, *, spatial: int = 2) -> ConvParams:
    image, names, _ = get_image(d, spatial=spatial)
    weight, multi = read_filters(d, image, spatial=spatial)
    conv = get_choice(d, "convention", CONVENTIONS, convention)
    return ConvParams(
        image=image, channels=names, weight=weight, multi=multi, bias=read_bias(d, weight.shape[0]),
        stride=get_pair(d, "stride") if spatial == 2 else d.get("stride", 1),
        padding=get_padding2d(d) if spatial == 2 else d.get("padding", 0),
        dilation=get_pair(d, "dilation") if spatial == 2 else d.get("dilation", 1),
        convention=conv,
    )


def expected_of(out: np.ndarray, multi: bool) -> forms.Expected:
    value = out if multi else out[0]
    return forms.Expected(value, None, exact=value.dtype.kind in "iuO")


def describe_conv(p: ConvParams, extra: list[tuple[str, object]] = ()) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [("image", forms.Expected(p.image, p.channels) if p.image.shape[0] > 1 else p.image[0])]
    w = p.weight
    same = not p.multi and w.shape[1] > 1 and bool((w[0] == w[0, :1]).all())
    rows.append(("filter", w[0, 0] if same or w.shape[:2] == (1, 1) else (w if p.multi else w[0])))
    if same:
        rows.append(("", f"the same kernel on each of the {w.shape[1]} channels, summed"))
    if p.bias is not None:
        rows.append(("bias", ", ".join(str(b) for b in p.bias)))
    for name in ("stride", "padding", "dilation"):
        rows.append((name, _fmt(getattr(p, name))))
    rows.extend(extra)
    rows.append(("convention", p.convention + (" (the kernel is flipped)" if p.convention == "convolution" else "")))
    return rows


def _fmt(v) -> str:
    if isinstance(v, tuple) and len(v) == 2 and v[0] == v[1] and not isinstance(v[0], tuple):
        return str(v[0])
    return str(v).replace("(", "[").replace(")", "]")


class Conv2d(Kind):
    name = "conv2d"
    keys = frozenset({"image", "filter", "bias", "stride", "padding", "dilation", "convention"})
    required = frozenset({"image", "filter"})
    form = forms.ARRAY

    def parse(self, d, convention):
        p = read_conv(d, convention)
        k = p.weight.shape[2:]
        try:
            engine.normalize_padding(p.padding, k, p.dilation, p.stride)
        except ValueError as e:
            raise DefinitionError(str(e), "padding") from None
        return p

    def solve(self, p: ConvParams):
        out = engine.conv2d(p.image, p.kernel, stride=p.stride, padding=p.padding, dilation=p.dilation, bias=p.bias)
        return expected_of(out, p.multi)

    def describe(self, p):
        return describe_conv(p)


KIND = Conv2d()
