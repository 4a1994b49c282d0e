"""``conv2d``: convolve an image with one filter, or with F filters."""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from .. import engine, forms
from ..forms import num
from . import teaching
from .base import (
    DRAWN_CHANNELS,
    MAX_CELLS,
    DefinitionError,
    Key,
    Kind,
    Picture,
    Window,
    check_exact,
    check_size,
    get_array,
    get_choice,
    get_image,
    get_padding2d,
    get_pair,
)
from .teaching import MistakeAnswer, Step, attempt

CONVENTIONS = ("cross-correlation", "convolution")


class ConvView:
    """How a convolution is shown: here as 2-D; conv1d shows its height-1 convolution as 1-D."""

    axes = (0, 1)  # the spatial axes shown: 0 the height, 1 the width
    names = ("H", "W")

    def shown(self, arr: np.ndarray) -> np.ndarray:
        """An array whose last two axes are the height and width, as shown."""
        return arr

    def option(self, p: ConvParams, name: str):
        """stride, padding or dilation, as written."""
        return getattr(p, name)

    def symmetric(self, q: int):
        """The padding of ``q`` on each side of every shown axis."""
        return q

    def pad_where(self, top: int, bottom: int, left: int, right: int) -> str:
        return f"{top} top, {bottom} bottom, {left} left, {right} right"

    def padded_input(self, xp: np.ndarray, names):
        """xp : (C, H, W), the padded input, as shown."""
        return _named(xp, names) if xp.shape[0] > 1 else xp[0]

    def index(self, i: int, j: int) -> str:
        return f"[{i}, {j}]"

    def words(self, text: str) -> str:
        """A sentence about rows and columns, in the words of this view."""
        return text


GRID = ConvView()


class ConvParams(NamedTuple):
    image: np.ndarray  # (C, H, W)
    channels: tuple[str, ...] | None
    weight: np.ndarray  # (F, C, kh, kw), as given (unflipped)
    multi: bool  # a filter bank was given: the answer has one map per filter
    bias: np.ndarray | None
    stride: tuple[int, int]
    padding: object
    dilation: tuple[int, int]
    convention: str
    output_padding: object = 0
    view: ConvView = GRID  # how to show it: conv1d's is a height-1 convolution shown as 1-D

    @property
    def kernel(self) -> np.ndarray:
        """The weights the engine uses: flipped on every spatial axis for true convolution."""
        if self.convention == "convolution":
            return np.flip(self.weight, axis=(2, 3))
        return self.weight


def read_filters(d: dict, image: np.ndarray, *, spatial: int = 2) -> tuple[np.ndarray, bool]:
    """filter as [k..] (same kernel on every channel, summed), [C][k..] (one filter) or
    [F][C][k..]."""
    C = image.shape[0]
    f = get_array(d, "filter", ndims=(spatial, spatial + 1, spatial + 2))
    if f.ndim == spatial:
        if C * f.size > MAX_CELLS:
            raise DefinitionError(
                f"the filter repeated on {C:,} channels would hold {C * f.size:,} values; "
                f"a question's arrays hold at most {MAX_CELLS:,}",
                "filter",
            )
        return np.broadcast_to(f, (1, C) + f.shape).copy(), False
    if f.ndim == spatial + 1:
        if f.shape[0] != C:
            raise DefinitionError(
                f"the filter has {f.shape[0]} channels but the image has {C}", "filter"
            )
        return f[None], False
    if f.shape[1] != C:
        raise DefinitionError(
            f"the filters have {f.shape[1]} channels each but the image has {C}", "filter"
        )
    return f, True


def read_bias(d: dict, n_filters: int) -> np.ndarray | None:
    if d.get("bias") is None:
        return None
    v = d["bias"]
    b = get_array({"bias": v if isinstance(v, list) else [v]}, "bias", ndims=(1,))
    if b.shape[0] == 1:
        b = np.repeat(b, n_filters)
    if b.shape[0] != n_filters:
        raise DefinitionError(
            f"bias must be one number or {n_filters} (one per filter), got {b.shape[0]}", "bias"
        )
    return b


def read_operands(d: dict, convention: str, *, spatial: int = 2) -> ConvParams:
    """image, filter, convention and bias, with ``spatial`` axes; the other options at their
    defaults."""
    image, names, _ = get_image(d, spatial=spatial)
    weight, multi = read_filters(d, image, spatial=spatial)
    conv = get_choice(d, "convention", CONVENTIONS, convention)
    return ConvParams(
        image=image,
        channels=names,
        weight=weight,
        multi=multi,
        bias=read_bias(d, weight.shape[0]),
        stride=(1, 1),
        padding=0,
        dilation=(1, 1),
        convention=conv,
    )


def read_conv(d: dict, convention: str) -> ConvParams:
    p = read_operands(d, convention)
    return p._replace(
        stride=get_pair(d, "stride"), padding=get_padding2d(d), dilation=get_pair(d, "dilation")
    )


def check_conv(p: ConvParams, pads=None, *, transposed: bool = False) -> None:
    """Refuse a convolution too large to solve quickly with its named mistakes, or with numbers too
    large to stay exact.

    ``pads``: ((top, bottom), (left, right)). Only the axes the view shows are counted (a conv1d's
    height of 1 is no axis of its own). The arrays counted are those the engine builds
    (``engine/conv.py``): the padded input and the matrix of windows, or for a transposed
    convolution the products of every input cell and tap and the uncropped result. The named
    mistakes can grow the output (the stride or dilation ignored, "same" padding, padding + 2), so
    the output counted is the largest any of them gives: stride 1, no dilation, the padding of
    "same" or + 2 on each side.
    """
    axes = p.view.axes
    C, F = p.image.shape[0], p.weight.shape[0]
    sides, kernel = [p.image.shape[1 + a] for a in axes], [p.weight.shape[2 + a] for a in axes]
    stride, dilation = [p.stride[a] for a in axes], [p.dilation[a] for a in axes]
    taps = int(np.prod(kernel))
    if transposed:
        full = [
            engine.conv_transpose_output_size(n, kernel[i], stride[i], 0, 0, dilation[i])
            for i, n in enumerate(sides)
        ]
        n_in = int(np.prod(sides))
        arrays = {
            "the uncropped output": F * int(np.prod(full)),
            "the products of input cells and taps": F * taps * n_in,
        }
        check_size(arrays, F * C * taps * n_in)
    else:
        pads = [pads[a] for a in axes]
        padded = [
            n + max(sum(pad) + 4, engine.effective_kernel(kernel[i], dilation[i]) - 1)
            for i, (n, pad) in enumerate(zip(sides, pads))
        ]
        out = int(np.prod([max(n - k + 1, 1) for n, k in zip(padded, kernel)]))
        arrays = {
            "the padded input": C * int(np.prod(padded)),
            "the output": F * out,
            "the matrix of windows (channels × kernel × output)": C * taps * out,
        }
        check_size(
            arrays,
            F * C * taps * out,
            "padding" if any(v for pad in pads for v in pad) else "image",
        )
    w = np.abs(p.weight.astype(np.float64))
    check_exact(p.image, float(w.sum(axis=tuple(range(1, w.ndim))).max()), p.bias)


def expected_of(out: np.ndarray, multi: bool) -> forms.Expected:
    value = out if multi else out[0]
    return forms.Expected(value, None, exact=value.dtype.kind in "iuO")


def describe_conv(p: ConvParams, extra: list[tuple[str, object]] = ()) -> list[tuple[str, object]]:
    image, w = p.view.shown(p.image), p.view.shown(p.weight)
    rows: list[tuple[str, object]] = [
        ("image", forms.Expected(image, p.channels) if image.shape[0] > 1 else image[0])
    ]
    same = not p.multi and w.shape[1] > 1 and bool((w[0] == w[0, :1]).all())
    rows.append(("filter", w[0, 0] if same or w.shape[:2] == (1, 1) else (w if p.multi else w[0])))
    if same:
        rows.append(("", f"the same kernel on each of the {w.shape[1]} channels, summed"))
    if p.bias is not None:
        rows.append(("bias", ", ".join(str(b) for b in p.bias)))
    for name in ("stride", "padding", "dilation"):
        rows.append((name, _fmt(p.view.option(p, name))))
    rows.extend(extra)
    rows.append(
        (
            "convention",
            p.convention + (" (the kernel is flipped)" if p.convention == "convolution" else ""),
        )
    )
    return rows


def _fmt(v) -> str:
    if isinstance(v, tuple) and len(v) == 2 and v[0] == v[1] and not isinstance(v[0], tuple):
        return str(v[0])
    return str(v).replace("(", "[").replace(")", "]")


IMAGE = Key(
    "image",
    "image2d",
    "`[H][W]`, `[C][H][W]`, or a mapping of channel names to `[H][W]` matrices (R/G/B)",
    required=True,
)
FILTER = Key(
    "filter",
    "filter2d",
    "`[kh][kw]`: the same kernel on every channel, summed into one "
    "map; `[C][kh][kw]`: one filter; `[F][C][kh][kw]`: F filters",
    required=True,
)
BIAS = Key("bias", "bias", "a number, or one per filter")
STRIDE = Key("stride", "pair", "`n` or `[sh, sw]`", 1)
DILATION = Key("dilation", "pair", "`n` or `[dh, dw]`", 1)
CONVENTION = Key(
    "convention",
    "choice",
    "`cross-correlation` or `convolution`",
    "the bank's",
    choices=CONVENTIONS,
)


class Conv2d(Kind):
    name = "conv2d"
    keys = (
        IMAGE,
        FILTER,
        BIAS,
        STRIDE,
        Key(
            "padding",
            "padding2d",
            "`n`, `[ph, pw]`, `[[top, bottom], [left, right]]`, "
            "`valid`, `same` (stride 1 only; the odd extra row/column goes bottom/right, as in "
            "PyTorch)",
            0,
        ),
        DILATION,
        CONVENTION,
    )
    takes = {"padding": "padding"}
    form = forms.ARRAY
    mistakes = teaching.named(
        *teaching.CONV_MISTAKES,
        "padding_forgotten",
        "padding_one_side",
        "padding_added",
        "same_padding",
        "padding_amount",
    )
    examples = (
        {
            "image": [[1, 2, 0, 1], [0, 1, 3, 2], [2, 1, 0, 1], [1, 0, 2, 3]],
            "filter": [[1, 0], [2, -1]],
            "padding": 1,
            "bias": 1,
        },
        {
            "image": [
                [3, 1, 2, 0, 1],
                [0, 2, 1, 3, 1],
                [1, 0, 2, 1, 2],
                [2, 1, 0, 1, 3],
                [1, 3, 1, 0, 2],
            ],
            "filter": [[1, 2], [0, -1]],
            "stride": 2,
            "dilation": 2,
            "convention": "convolution",
        },
        {
            "image": {
                "R": [[1, 2, 0], [0, 1, 3], [2, 1, 0]],
                "G": [[0, 1, 1], [2, 0, 1], [1, 3, 0]],
            },
            "filter": [[[1, 0], [0, 2]], [[0, 1], [1, 0]]],
        },
    )

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
        out = engine.conv2d(
            p.image, p.kernel, stride=p.stride, padding=p.padding, dilation=p.dilation, bias=p.bias
        )
        return expected_of(p.view.shown(out), p.multi)

    def describe(self, p):
        return describe_conv(p)

    def mistake_answers(self, p):
        return conv2d_mistake_answers(self, p)

    def warnings(self, p):
        pads = engine.normalize_padding(p.padding, p.weight.shape[2:], p.dilation, p.stride)
        return [
            p.view.words(w)
            for w in teaching.coverage_warnings(
                "the convolution", p.image.shape[1:], p.weight.shape[2:], p.stride, pads, p.dilation
            )
        ]

    def explain(self, p, expected):
        return explain_conv(p, expected.value)

    def picture(self, p, expected):
        return conv_picture(p, expected.value)


KIND = Conv2d()


# ------------------------------------------------------------ teaching


def channel_maps(kind: Kind, p: ConvParams) -> np.ndarray | None:
    """Each input channel convolved with its slice of the filter, not summed: (C, ...) or None."""
    if p.multi or p.image.shape[0] < 2:
        return None
    maps = [
        kind.solve(
            p._replace(image=p.image[c : c + 1], weight=p.weight[:, c : c + 1], channels=None)
        ).value
        for c in range(p.image.shape[0])
    ]
    return np.stack(maps)


def common_mistake_answers(kind: Kind, p: ConvParams, out: list[MistakeAnswer]) -> None:
    """Mistakes every convolution kind shares: the flip, dilation, stride, channels, bias,
    transposition."""

    def solve(**changes):
        return kind.solve(p._replace(**changes)).value

    if p.convention == "cross-correlation":
        attempt(out, "kernel_flipped", lambda: solve(convention="convolution"))
    else:
        attempt(out, "kernel_not_flipped", lambda: solve(convention="cross-correlation"))
    one = (1, 1)
    if p.dilation != one:
        attempt(out, "dilation_ignored", lambda: solve(dilation=one))
    if p.stride != one:
        attempt(out, "stride_ignored", lambda: solve(stride=one))
    attempt(out, "channels_not_summed", lambda: channel_maps(kind, p))
    if p.bias is not None:
        attempt(out, "bias_omitted", lambda: solve(bias=None))
    attempt(out, "transposed", lambda: teaching.transposed(kind.solve(p).value))


def conv2d_mistake_answers(kind: Kind, p: ConvParams) -> list[MistakeAnswer]:
    out: list[MistakeAnswer] = []
    common_mistake_answers(kind, p, out)
    pads = engine.normalize_padding(p.padding, p.weight.shape[2:], p.dilation, p.stride)
    (top, bottom), (left, right) = pads

    def padded(padding):
        return lambda: kind.solve(p._replace(padding=padding)).value

    if any((top, bottom, left, right)):
        attempt(out, "padding_forgotten", padded(0))
        attempt(out, "padding_one_side", padded(((top + bottom, 0), (left + right, 0))))
        attempt(out, "padding_one_side", padded(((top, 0), (left, 0))))
        attempt(out, "padding_one_side", padded(((0, bottom), (0, right))))
    else:
        attempt(out, "padding_added", padded(p.view.symmetric(1)))
    if p.stride == (1, 1) and p.padding != "same":
        attempt(out, "same_padding", padded("same"))
    elif p.stride != (1, 1):  # PyTorch refuses 'same' here; Keras and TensorFlow pad it
        attempt(out, "same_padding", padded(strided_same_padding(p)))
    shown = {q for a in p.view.axes for q in pads[a]}
    if len(shown) == 1:  # the same padding on every side shown
        q0 = shown.pop()
        for q in (q0 - 1, q0 + 1, q0 + 2):
            if q > 0:
                attempt(out, "padding_amount", padded(p.view.symmetric(q)))
    return out


def strided_same_padding(p: ConvParams) -> tuple[tuple[int, int], tuple[int, int]]:
    """'same' padding at any stride, as TensorFlow and Keras pad it: ((top, bottom), (left,
    right)) making the output ⌈n / s⌉, the odd one bottom/right (SEMANTICS.md A.4)."""
    pads = []
    for a in range(2):
        n, s = p.image.shape[1 + a], p.stride[a]
        k_eff = engine.effective_kernel(p.weight.shape[2 + a], p.dilation[a])
        total = max((-(-n // s) - 1) * s + k_eff - n, 0)
        pads.append((total // 2, total - total // 2))
    return tuple(pads)


def explain_conv(p: ConvParams, expected: np.ndarray) -> list[Step]:
    """The working of a convolution: padding, dilation, sizes, then cell by cell, as ``p.view``
    shows it."""
    view, x, w, s, d = p.view, p.image, p.kernel, p.stride, p.dilation  # (C, H, W), (F, C, kh, kw)
    pads = engine.normalize_padding(p.padding, w.shape[2:], d, s)
    C, H, W = x.shape
    F, _, kh, kw = w.shape
    names = p.channels or (tuple(f"channel {c + 1}" for c in range(C)) if C > 1 else ("",))
    steps: list[Step] = []
    if p.convention == "convolution":
        steps.append(
            Step(
                "True convolution: rotate the kernel by 180° (flip rows and columns), "
                "then slide it",
                view.shown(w[0, 0]),
            )
        )
    (top, bottom), (left, right) = pads
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right)))
    if any((top, bottom, left, right)):
        shown = view.padded_input(xp, p.channels) if xp[0].size <= 144 else None
        steps.append(
            Step(f"Pad the input with zeros: {view.pad_where(top, bottom, left, right)}", shown)
        )
    ek = (engine.effective_kernel(kh, d[0]), engine.effective_kernel(kw, d[1]))
    if d != (1, 1):
        dil = np.zeros(ek, dtype=w.dtype)
        dil[:: d[0], :: d[1]] = w[0, 0]
        gaps = d[1] - 1 if len({d[a] for a in view.axes}) == 1 else None
        between = (
            f"{gaps} zero{'s' if gaps != 1 else ''} between taps"
            if gaps is not None
            else f"{d[0] - 1} zero(s) between rows, {d[1] - 1} between columns"
        )
        steps.append(
            Step(
                f"Dilate the kernel by {_pair(d, view.axes)}: {between}, so it spans "
                f"{'×'.join(str(ek[a]) for a in view.axes)}",
                view.shown(dil),
            )
        )
    size = tuple(
        engine.conv_output_size(n, k, s[a], pads[a], d[a])
        for a, (n, k) in enumerate(((H, kh), (W, kw)))
    )
    steps.append(
        Step(
            "; ".join(
                _size_line(view.names[a], (H, W)[a], sum(pads[a]), ek[a], s[a], size[a])
                for a in view.axes
            )
        )
    )
    same_kernel = C > 1 and bool((w[0] == w[0, :1]).all())
    if C > 1:
        steps.append(
            Step(
                "Each output cell sums the window of every channel times the kernel"
                + (" (the same kernel on every channel)" if same_kernel else "")
                + ("; then the bias" if p.bias is not None else "")
            )
        )
    shown_cells = 0
    Ho, Wo = size
    for f, i, j in itertools.islice(
        itertools.product(range(F), range(Ho), range(Wo)), teaching.SHOWN_CELLS
    ):
        shown_cells += 1
        terms = []
        total = 0
        for c in range(C):
            win = xp[c, i * s[0] : i * s[0] + ek[0] : d[0], j * s[1] : j * s[1] + ek[1] : d[1]]
            v = (win * w[f, c]).sum()
            total += v
            label = f"{names[c]}: " if C > 1 else ""
            terms.append(f"{label}sum({teaching.window_text(view.shown(win))} ⊙ K) = {num(v)}")
        if p.bias is not None:
            total += p.bias[f]
            terms.append(f"bias {num(p.bias[f])}")
        who = f"filter {f + 1}, " if p.multi else ""
        steps.append(
            Step(
                f"{who}out{view.index(i, j)} = "
                + (" + ".join(terms) + f" = {num(total)}" if len(terms) > 1 else terms[0])
            )
        )
    rest = (F if p.multi else 1) * Ho * Wo - shown_cells
    steps.append(Step(teaching.rest_text(rest, "cell") + "The output:", expected))
    return steps


def conv_picture(p: ConvParams, expected: np.ndarray) -> Picture:
    """The first windows of :func:`explain_conv`, for a picture: filter 1, the first channels."""
    x, w, s, d = p.image, p.kernel, p.stride, p.dilation  # (C, H, W), (F, C, kh, kw)
    C, H, W = x.shape
    F, _, kh, kw = w.shape
    (top, bottom), (left, right) = engine.normalize_padding(p.padding, (kh, kw), d, s)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right)))
    ek = (engine.effective_kernel(kh, d[0]), engine.effective_kernel(kw, d[1]))
    size = (
        engine.conv_output_size(H, kh, s[0], (top, bottom), d[0]),
        engine.conv_output_size(W, kw, s[1], (left, right), d[1]),
    )
    out = np.asarray(expected).reshape(-1, *size)[0]  # (Ho, Wo): filter 1's map
    n = min(DRAWN_CHANNELS, C)
    names = p.channels or (tuple(f"channel {c + 1}" for c in range(C)) if C > 1 else ("",))
    windows = []
    for i, j in itertools.islice(np.ndindex(*out.shape), teaching.SHOWN_CELLS):
        rows, cols = (
            slice(i * s[0], i * s[0] + ek[0], d[0]),
            slice(j * s[1], j * s[1] + ek[1], d[1]),
        )
        products = xp[:, rows, cols] * w[0]  # (C, kh, kw)
        windows.append(
            Window(
                label=f"out{p.view.index(i, j)}",
                out=(i, j),
                taps=tuple(
                    (i * s[0] - top + m * d[0], j * s[1] - left + q * d[1])
                    for m in range(kh)
                    for q in range(kw)
                ),
                value=out[i, j],
                parts=tuple(products[c].sum() for c in range(n)),
                others=products[n:].sum() if C > n else None,
            )
        )
    notes = []
    if p.convention == "convolution":
        notes.append("True convolution: the kernel is rotated by 180°, as the taps' weights show.")
    if p.multi:
        notes.append(f"Filter 1 of {F} is drawn.")
    return Picture(
        kind="convolution",
        channels=tuple((names[c], x[c]) for c in range(n)),
        n_channels=C,
        rows=(-top, H + bottom),
        cols=(-left, W + right),
        kernel=(kh, kw),
        stride=s,
        dilation=d,
        output=out,
        windows=tuple(windows),
        weights=tuple(w[0, c] for c in range(n)),
        bias=None if p.bias is None else p.bias[0],
        one_d=p.view.axes == (1,),
        notes=tuple(notes),
    )


def _size_line(axis: str, n: int, pad_total: int, k_eff: int, s: int, o: int) -> str:
    return f"{axis}out = ⌊({n} + {pad_total} − {k_eff}) / {s}⌋ + 1 = {o}"


def _pair(v, axes=(0, 1)) -> str:
    """A pair on the axes shown: 2 for (2, 2), 1×2 for (1, 2)."""
    shown = [v[a] for a in axes]
    return str(shown[0]) if len(set(shown)) == 1 else "×".join(map(str, shown))


def _named(arr: np.ndarray, names):
    return forms.Expected(arr, names)
