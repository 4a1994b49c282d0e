"""``conv2d``: convolve an image with one filter, or with F filters."""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from .. import engine, forms
from ..forms import num
from . import teaching
from .base import (MAX_CELLS, DefinitionError, Kind, check_exact, check_size, get_array, get_choice, get_image,
                   get_padding2d, get_pair)
from .teaching import Step, Variant, attempt

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
        if C * f.size > MAX_CELLS:
            raise DefinitionError(f"the filter repeated on {C:,} channels would hold {C * f.size:,} values; "
                                  f"a question's arrays hold at most {MAX_CELLS:,}", "filter")
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


def check_conv(p: ConvParams, pads=None, *, transposed: bool = False) -> None:
    """Refuse a convolution too large to solve quickly with its named mistakes, or with numbers too
    large to stay exact.

    ``pads``: ((before, after),) per spatial axis. The arrays counted are those the engine builds
    (``engine/conv.py``): the padded input and the matrix of windows, or for a transposed convolution
    the products of every input cell and tap and the uncropped result. The named mistakes can grow
    the output (the stride or dilation ignored, "same" padding, padding + 2), so the output counted is
    the largest any of them gives: stride 1, no dilation, the padding of "same" or + 2 on each side.
    """
    C, *sides = p.image.shape
    F, _, *kernel = p.weight.shape
    taps = int(np.prod(kernel))
    stride = p.stride if isinstance(p.stride, tuple) else (p.stride,)
    dilation = p.dilation if isinstance(p.dilation, tuple) else (p.dilation,)
    if transposed:
        full = [(n - 1) * stride[a] + dilation[a] * (kernel[a] - 1) + 1 for a, n in enumerate(sides)]
        n_in = int(np.prod(sides))
        arrays = {"the uncropped output": F * int(np.prod(full)),
                  "the products of input cells and taps": F * taps * n_in}
        check_size(arrays, F * C * taps * n_in)
    else:
        padded = [n + max(sum(pad) + 4, dilation[a] * (kernel[a] - 1)) for a, (n, pad) in enumerate(zip(sides, pads))]
        out = int(np.prod([max(n - k + 1, 1) for n, k in zip(padded, kernel)]))
        arrays = {"the padded input": C * int(np.prod(padded)), "the output": F * out,
                  "the matrix of windows (channels × kernel × output)": C * taps * out}
        check_size(arrays, F * C * taps * out, "padding" if any(v for pad in pads for v in pad) else "image")
    w = np.abs(p.weight.astype(np.float64))
    check_exact(p.image, float(w.sum(axis=tuple(range(1, w.ndim))).max()), p.bias)


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
            pads = engine.normalize_padding(p.padding, k, p.dilation, p.stride)
        except ValueError as e:
            raise DefinitionError(str(e), "padding") from None
        check_conv(p, pads)
        return p

    def solve(self, p: ConvParams):
        out = engine.conv2d(p.image, p.kernel, stride=p.stride, padding=p.padding, dilation=p.dilation, bias=p.bias)
        return expected_of(out, p.multi)

    def describe(self, p):
        return describe_conv(p)

    def variants(self, p):
        return conv2d_variants(self, p)

    def warnings(self, p):
        pads = engine.normalize_padding(p.padding, p.weight.shape[2:], p.dilation, p.stride)
        return teaching.coverage_warnings("the convolution", p.image.shape[1:], p.weight.shape[2:], p.stride, pads,
                                          p.dilation)

    def explain(self, p, expected):
        return explain_conv(p, expected.value)


KIND = Conv2d()


# ------------------------------------------------------------ teaching


def channel_maps(kind: Kind, p: ConvParams) -> np.ndarray | None:
    """Each input channel convolved with its slice of the filter, not summed: (C, ...) or None."""
    if p.multi or p.image.shape[0] < 2:
        return None
    maps = [kind.solve(p._replace(image=p.image[c:c + 1], weight=p.weight[:, c:c + 1], channels=None)).value
            for c in range(p.image.shape[0])]
    return np.stack(maps)


def common_variants(kind: Kind, p: ConvParams, out: list[Variant]) -> None:
    """Mistakes every convolution kind shares: the flip, dilation, stride, channels, bias, transposition."""
    def solve(**changes):
        return kind.solve(p._replace(**changes)).value

    if p.convention == "cross-correlation":
        attempt(out, "kernel_flipped", lambda: solve(convention="convolution"))
    else:
        attempt(out, "kernel_not_flipped", lambda: solve(convention="cross-correlation"))
    one = (1, 1) if isinstance(p.dilation, tuple) else 1
    if p.dilation != one:
        attempt(out, "dilation_ignored", lambda: solve(dilation=one))
    if p.stride != one:
        attempt(out, "stride_ignored", lambda: solve(stride=one))
    attempt(out, "channels_not_summed", lambda: channel_maps(kind, p))
    if p.bias is not None:
        attempt(out, "bias_omitted", lambda: solve(bias=None))
    attempt(out, "transposed", lambda: teaching.transposed(kind.solve(p).value))


def conv2d_variants(kind: Kind, p: ConvParams) -> list[Variant]:
    out: list[Variant] = []
    common_variants(kind, p, out)
    pads = engine.normalize_padding(p.padding, p.weight.shape[2:], p.dilation, p.stride)
    (t, b), (l, r) = pads

    def padded(padding):
        return lambda: kind.solve(p._replace(padding=padding)).value

    if any((t, b, l, r)):
        attempt(out, "padding_forgotten", padded(0))
        attempt(out, "padding_one_side", padded(((t + b, 0), (l + r, 0))))
        attempt(out, "padding_one_side", padded(((t, 0), (l, 0))))
        attempt(out, "padding_one_side", padded(((0, b), (0, r))))
    else:
        attempt(out, "padding_added", padded(1))
    if p.stride == (1, 1) and p.padding != "same":
        attempt(out, "same_padding", padded("same"))
    if t == b == l == r:
        for q in (t - 1, t + 1, t + 2):
            if q > 0:
                attempt(out, "padding_amount", padded(q))
    return out


def explain_conv(p: ConvParams, expected: np.ndarray, *, one_d: bool = False) -> list[Step]:
    """The working of a (1-D or 2-D) convolution: padding, dilation, sizes, then cell by cell."""
    x = p.image if not one_d else p.image[:, None, :]  # (C, H, W)
    w = p.kernel if not one_d else p.kernel[:, :, None, :]  # (F, C, kh, kw)
    s = p.stride if not one_d else (1, p.stride)
    d = p.dilation if not one_d else (1, p.dilation)
    if one_d:
        pad = p.padding
        pads = engine.normalize_padding(pad if isinstance(pad, str) else ((0, 0), pad if isinstance(pad, tuple) else (pad, pad)),
                                        w.shape[2:], d, s)
    else:
        pads = engine.normalize_padding(p.padding, w.shape[2:], d, s)
    C, H, W = x.shape
    F, _, kh, kw = w.shape
    names = p.channels or (tuple(f"channel {c + 1}" for c in range(C)) if C > 1 else ("",))
    steps: list[Step] = []
    if p.convention == "convolution":
        steps.append(Step("True convolution: rotate the kernel by 180° (flip rows and columns), then slide it",
                          w[0, 0] if not one_d else w[0, 0, 0]))
    (t, b), (l, r) = pads
    xp = np.pad(x, ((0, 0), (t, b), (l, r)))
    if any((t, b, l, r)):
        where = f"{l} left, {r} right" if one_d else f"{t} top, {b} bottom, {l} left, {r} right"
        shown = (xp[:, 0] if one_d else xp) if xp[0].size <= 144 else None
        if shown is not None and C > 1 and not one_d:
            shown = _named(xp, p.channels)
        elif shown is not None and C == 1:
            shown = shown[0]
        steps.append(Step(f"Pad the input with zeros: {where}", shown))
    ekh, ekw = (d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1)
    if d != (1, 1):
        dil = np.zeros((ekh, ekw), dtype=w.dtype)
        dil[:: d[0], :: d[1]] = w[0, 0]
        gaps = d[1] - 1 if one_d or d[0] == d[1] else None
        between = (f"{gaps} zero{'s' if gaps != 1 else ''} between taps" if gaps is not None
                   else f"{d[0] - 1} zero(s) between rows, {d[1] - 1} between columns")
        steps.append(Step(f"Dilate the kernel by {d[1] if one_d else _pair(d)}: {between}, so it spans "
                          f"{ekw if one_d else f'{ekh}×{ekw}'}", dil[0] if one_d else dil))
    Ho, Wo = expected.shape[-2:] if not one_d else (1, expected.shape[-1])
    if one_d:
        steps.append(Step(_size_line("L", W, l + r, ekw, s[1], Wo)))
    else:
        steps.append(Step(_size_line("H", H, t + b, ekh, s[0], Ho) + "; " + _size_line("W", W, l + r, ekw, s[1], Wo)))
    same_kernel = C > 1 and bool((w[0] == w[0, :1]).all())
    if C > 1:
        steps.append(Step("Each output cell sums the window of every channel times the kernel"
                          + (" (the same kernel on every channel)" if same_kernel else "")
                          + ("; then the bias" if p.bias is not None else "")))
    shown_cells = 0
    out = expected.reshape(F if p.multi else 1, Ho, Wo)
    for f, i, j in itertools.islice(itertools.product(range(F), range(Ho), range(Wo)), teaching.SHOWN_CELLS):
        shown_cells += 1
        terms = []
        total = 0
        for c in range(C):
            win = xp[c, i * s[0]: i * s[0] + ekh: d[0], j * s[1]: j * s[1] + ekw: d[1]]
            v = (win * w[f, c]).sum()
            total += v
            win_t = teaching.window_text(win[0] if one_d else win)
            label = f"{names[c]}: " if C > 1 else ""
            terms.append(f"{label}sum({win_t} ⊙ K) = {num(v)}")
        if p.bias is not None:
            total += p.bias[f]
            terms.append(f"bias {num(p.bias[f])}")
        where = f"[{j}]" if one_d else f"[{i}, {j}]"
        who = f"filter {f + 1}, " if p.multi else ""
        steps.append(Step(f"{who}out{where} = " + (" + ".join(terms) + f" = {num(total)}" if len(terms) > 1
                                                   else terms[0])))
    rest = out.size - shown_cells
    steps.append(Step(teaching.rest_text(rest, "cell") + "The output:",
                      expected))
    return steps


def _size_line(axis: str, n: int, pad_total: int, k_eff: int, s: int, o: int) -> str:
    return f"{axis}out = ⌊({n} + {pad_total} − {k_eff}) / {s}⌋ + 1 = {o}"


def _pair(v) -> str:
    return str(v[0]) if v[0] == v[1] else f"{v[0]}×{v[1]}"


def _named(arr: np.ndarray, names):
    return forms.Expected(arr, names)
