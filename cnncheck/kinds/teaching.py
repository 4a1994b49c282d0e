"""What kinds share for teaching: the named mistakes and the steps of a worked solution.

A *variant* is the question solved the way a classic mistake solves it; when
a wrong answer equals a variant, the grader names the mistake. A worked
solution is a list of :class:`Step`: a line of text, optionally with a value
shown as a grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from ..engine import effective_kernel
from ..forms import num

# The sentences of the classic mistakes (SEMANTICS.md, part C) that several kinds name. A kind
# declares its mistakes (``Kind.mistakes``): these by name, through :func:`named`, and its own with
# their sentences. Keys are stable: JSON and tests use them.
SHARED = {
    "kernel_flipped": (
        "the kernel was flipped (true convolution), but the question asks for cross-correlation"
    ),
    "kernel_not_flipped": "the kernel was not flipped, but the question asks for true convolution",
    "padding_forgotten": "the padding was left out",
    "padding_added": "padding was added, but the question has none",
    "same_padding": "'same' padding was used instead of the padding given",
    "padding_one_side": "the padding was put on one side only",
    "padding_amount": "a different amount of padding was used",
    "dilation_ignored": "the dilation was ignored",
    "stride_ignored": "the stride was ignored (stride 1)",
    "channels_not_summed": "the input channels were not summed (one map per channel)",
    "ceil_instead_of_floor": "the output size was rounded up (ceil) instead of down (floor)",
    "floor_instead_of_ceil": "the output size was rounded down, but the question uses ceil_mode",
    "plus_one_forgotten": 'the "+1" of the output-size formula was forgotten',
    "transposed": "the matrix is transposed (rows and columns swapped)",
    "bias_omitted": "the bias was left out",
    "bias_added": "biases were counted, but the layer has none (bias: false)",
    "channels_left_out": "the input channels (the filters' depth) were left out of the count",
}
CONV_MISTAKES = (
    "kernel_flipped",
    "kernel_not_flipped",
    "dilation_ignored",
    "stride_ignored",
    "channels_not_summed",
    "bias_omitted",
    "transposed",
)  # conv2d.common_mistake_answers


def named(*keys: str, **own: str) -> dict[str, str]:
    """A kind's mistakes: shared ones by key, and its own as ``key="sentence"``."""
    return {**{k: SHARED[k] for k in keys}, **own}


class _Mistakes(Mapping):
    """Every kind's mistakes, keyed by mistake: the union over the registry, built on first use.
    Looking up a key no kind declares (a bug the meta-test catches) gives a plain sentence naming
    it, never a KeyError that would stop a grade."""

    _table: dict[str, str] | None = None

    def table(self) -> dict[str, str]:
        if self._table is None:
            from . import KINDS

            table: dict[str, str] = {}
            for name in KINDS:
                table.update(KINDS[name].mistakes)
            self._table = table
        return self._table

    def __getitem__(self, key: str) -> str:
        text = self.table().get(key)
        return text if text is not None else f"the mistake {str(key)!r}"

    def __contains__(self, key) -> bool:
        return key in self.table()

    def __iter__(self):
        return iter(self.table())

    def __len__(self) -> int:
        return len(self.table())

    def forget(self) -> None:
        """Build the table again at the next lookup (after a kind is registered)."""
        self._table = None


MISTAKES: Mapping[str, str] = _Mistakes()


class MistakeAnswer(NamedTuple):
    mistake: str  # a key of the kind's mistakes
    value: object  # the answer that mistake gives: ndarray, shape tuple or int


class Step(NamedTuple):
    text: str
    # shown under the text as a grid: ndarray, shape tuple, or an Expected with channel names
    value: object = None


def attempt(out: list, mistake: str, compute) -> None:
    """Append the variant ``compute()`` gives, unless the mistake makes the question unsolvable."""
    try:
        value = compute()
    except ValueError:  # DefinitionError and the engine's refusals alike
        return
    if (
        value is None
    ):  # the mistake does not apply here (a transposed vector, channels of one channel)
        return
    out.append(MistakeAnswer(mistake, value))


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


def coverage_warnings(
    what: str, sizes, kernels, strides, pads, dilations, ceil_mode: bool = False
) -> list[str]:
    """Warnings for one sliding window per axis: a stride that leaves input uncovered, a kernel
    that only fits thanks to the padding. ``pads`` are (before, after) per axis."""
    uncovered, too_big = [], []
    for axis, n, k, s, (lo, hi), d in zip(
        ("row", "column"), sizes, kernels, strides, pads, dilations
    ):
        ke = effective_kernel(k, d)
        left_over = (n + lo + hi - ke) % s
        if left_over and not ceil_mode:
            uncovered.append(
                f"the last {axis}" if left_over == 1 else f"the last {left_over} {axis}s"
            )
        if ke > n:
            too_big.append(f"{ke} {axis}s > {n}")
    out = []
    if uncovered:
        out.append(
            f"{what}: the stride leaves {' and '.join(uncovered)} of the padded input uncovered"
        )
    if too_big:
        out.append(
            f"{what}: the kernel is larger than the unpadded input ({', '.join(too_big)}); "
            f"only the padding makes it fit"
        )
    return out


def rest_text(rest: int, what: str) -> str:
    return f"… and the other {rest} {what}{'s' if rest != 1 else ''} likewise. " if rest > 0 else ""
