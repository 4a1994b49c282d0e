"""What kinds share for teaching: the named mistakes and the steps of a worked solution.

A *variant* is the question solved the way a classic mistake solves it; when
a wrong answer equals a variant, the grader names the mistake. A worked
solution is a list of :class:`Step`: a line of text, optionally with a value
shown as a grid.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..forms import num

# One short sentence per classic mistake (SEMANTICS.md, part C). Keys are stable: JSON and tests use them.
MISTAKES = {
    "kernel_flipped": "the kernel was flipped (true convolution), but the question asks for cross-correlation",
    "kernel_not_flipped": "the kernel was not flipped, but the question asks for true convolution",
    "padding_forgotten": "the padding was left out",
    "padding_added": "padding was added, but the question has none",
    "same_padding": "'same' padding was used instead of the padding given",
    "padding_one_side": "the padding was put on one side only",
    "padding_amount": "a different amount of padding was used",
    "dilation_ignored": "the dilation was ignored",
    "stride_ignored": "the stride was ignored (stride 1)",
    "channels_not_summed": "the input channels were not summed (one map per channel)",
    "channels_summed": "the channels were summed, but pooling works on each channel separately",
    "avg_instead_of_max": "average pooling was used instead of max pooling",
    "max_instead_of_avg": "max pooling was used instead of average pooling",
    "ceil_instead_of_floor": "the output size was rounded up (ceil) instead of down (floor)",
    "floor_instead_of_ceil": "the output size was rounded down, but the question uses ceil_mode",
    "plus_one_forgotten": "the \"+1\" of the output-size formula was forgotten",
    "transposed": "the matrix is transposed (rows and columns swapped)",
    "channels_first": "the shape is channels-first (C×H×W), but the question asks for channels-last (H×W×C)",
    "channels_last": "the shape is channels-last (H×W×C), but the question asks for channels-first (C×H×W)",
    "bias_omitted": "the bias was left out",
    "bias_once": "the bias was counted once instead of once per filter",
    "channels_left_out": "the input channels (the filters' depth) were left out of the count",
    "output_channels_as_depth": "the number of filters was used as the filters' depth",
    "groups_ignored": "the groups were ignored (every filter reading every channel)",
    "output_padding_ignored": "the output_padding was ignored",
    "no_jump": "the receptive field grew without the stride's jump (the product of earlier strides)",
    "k_not_k_minus_1": "each layer added its kernel size k instead of k − 1",
    "total_padding": "the total padding (both sides together) was given instead of the padding per side",
}


class Variant(NamedTuple):
    mistake: str  # a key of MISTAKES
    value: object  # the answer that mistake gives: ndarray, shape tuple or int


class Step(NamedTuple):
    text: str
    value: object = None  # shown under the text as a grid: ndarray, shape tuple, or an Expected with channel names


def attempt(out: list, mistake: str, compute) -> None:
    """Append the variant ``compute()`` gives, unless the mistake makes the question unsolvable."""
    try:
        value = compute()
    except ValueError:  # DefinitionError and the engine's refusals alike
        return
    if value is None:  # the mistake does not apply here (a transposed vector, channels of one channel)
        return
    out.append(Variant(mistake, value))


def transposed(value: np.ndarray) -> np.ndarray | None:
    """The matrix (or each matrix of a stack) transposed; None for vectors."""
    if value.ndim < 2:
        return None
    return np.swapaxes(value, -1, -2)


def window_text(w: np.ndarray) -> str:
    """A small window inline: ``[1 2; 3 4]``."""
    if w.ndim == 1:
        return "[" + " ".join(num(v) for v in w) + "]"
    return "[" + "; ".join(" ".join(num(v) for v in row) for row in w) + "]"


SHOWN_CELLS = 4  # worked in full; the rest are condensed


def coverage_warnings(what: str, sizes, kernels, strides, pads, dilations, ceil_mode: bool = False) -> list[str]:
    """Warnings for one sliding window per axis: a stride that leaves input uncovered, a kernel
    that only fits thanks to the padding. ``pads`` are (before, after) per axis."""
    uncovered, too_big = [], []
    for axis, n, k, s, (lo, hi), d in zip(("row", "column"), sizes, kernels, strides, pads, dilations):
        ke = d * (k - 1) + 1
        left_over = (n + lo + hi - ke) % s
        if left_over and not ceil_mode:
            uncovered.append(f"the last {axis}" if left_over == 1 else f"the last {left_over} {axis}s")
        if ke > n:
            too_big.append(f"{ke} {axis}s > {n}")
    out = []
    if uncovered:
        out.append(f"{what}: the stride leaves {' and '.join(uncovered)} of the padded input uncovered")
    if too_big:
        out.append(f"{what}: the kernel is larger than the unpadded input ({', '.join(too_big)}); only the padding makes it fit")
    return out


def rest_text(rest: int, what: str) -> str:
    return f"… and the other {rest} {what}{'s' if rest != 1 else ''} likewise. " if rest > 0 else ""
