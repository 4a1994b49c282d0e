"""What every answer form shares: the canonical answer, the outcome of a comparison, numbers as
people write them, and the :class:`Form` every form class implements.

Nothing here touches YAML, files or the terminal.
"""

from __future__ import annotations

import math
import re
import sys
from typing import NamedTuple

import numpy as np

MAX_MAGNITUDE = sys.float_info.max  # beyond it a number has no float64 value to compare
MAX_UNPARSED = 10_000  # characters of an answer YAML could not parse that a form tries to read


class AnswerError(ValueError):
    """An answer that cannot be read, with the reason."""


class Tolerance(NamedTuple):
    """Floats match when ``|a - e| <= max(abs, rel * |e|)``; integers match exactly.

    The default accepts answers rounded to two decimals (0.44 for 4/9).
    """

    abs: float = 0.005
    rel: float = 1e-3

    def close(self, a: np.ndarray, e: np.ndarray) -> np.ndarray:
        return np.abs(a - e) <= np.maximum(self.abs, self.rel * np.abs(e)) + 1e-12


class Expected(NamedTuple):
    """A canonical answer: ``value`` (ndarray, tuple of ints or int) and how to name its parts."""

    value: object
    channels: tuple[str, ...] | None = None  # names of the leading axis (R, G, B), if any
    exact: bool = True  # integers, compared exactly; False for averages and float inputs
    axes: str | None = None  # a shape's axes in order, e.g. "HWC" or "CHW"


class Check(NamedTuple):
    """The outcome of comparing one readable answer."""

    correct: bool | None  # None: no machine can tell (a text question without a rubric)
    value: object  # the answer as read (ndarray, tuple or int)
    message: str = ""
    wrong: np.ndarray | None = None  # bool mask of differing cells, same shape
    right_cells: int | None = None
    total_cells: int | None = None
    # the message without the expected answer (for feedback below "full"); None: same as message
    hint: str | None = None
    review: str | None = None  # why a person should decide (the points are only suggested)


class Reading(NamedTuple):
    """An answer as read: its value, what the reader had to do to read it (said to the student),
    and whether the student wrote a rounded number (``7.5e7``, ``75M``): a rounded answer is never
    diagnosed as a named mistake it merely comes near."""

    value: object
    notes: tuple[str, ...] = ()
    rounded: bool = False


class Unparsed(NamedTuple):
    """An answer YAML could not parse (``q4: Matching: the filter...``), kept as the lines the
    student wrote, with YAML's reason. The rest of the file is still graded."""

    text: str
    problem: str
    line: int

    def readable_text(self) -> str:
        """The lines to read, when they are few enough to be an answer; else the fix."""
        if len(self.text) > MAX_UNPARSED:
            raise AnswerError(self.fix())
        return self.text

    def note(self) -> str:
        """Said when a form read the lines anyway (a number, a shape or an array)."""
        return (
            f"YAML could not parse this answer ({self.problem}), so it was read from the text as "
            f"written; next time put it in quotes or after |"
        )

    def fix(self) -> str:
        return (
            f"line {self.line}: YAML cannot read this answer ({self.problem}): put it in "
            f"quotes, or start it with | and write it on the lines below"
        )


# ---------------------------------------------------------------- numbers

MINUSES = str.maketrans(
    {
        "\u2212": "-",
        "\u2013": "-",
        "\u2012": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        "\uff1b": ";",
        "\uff0c": ",",
        "\u3000": " ",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
    }
)  # and full-width ; , and space
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}([,\u202f _']\d{3})+$")
_DOTTED_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(\.\d{3}){2,}$")  # 75.000.100: two dots or more
_FRACTION = re.compile(r"^[-+]?\d+\s*/\s*\d+$")
_SCALED = re.compile(
    r"^([-+]?\d+(?:\.\d+)?)\s*(k|K|thousand|M|mln|million|B|G|bn|billion)$", re.IGNORECASE
)
_SCALES = {"k": 10**3, "thousand": 10**3, "m": 10**6, "mln": 10**6, "million": 10**6}
_SCALES.update(b=10**9, g=10**9, bn=10**9, billion=10**9)
_SCIENTIFIC = re.compile(r"[eE]")


def number(raw) -> int | float:
    """One number as written: int, float, ``'1e-3'``, ``'−3'``, ``'75,000,100'``, ``'4/9'``."""
    return read_number(raw)[0]


def read_number(raw) -> tuple[int | float, bool]:
    """A number and whether it was written rounded (``7.5e7``, ``75M``: a few digits scaled)."""
    if isinstance(raw, bool) or raw is None:
        raise AnswerError(f"expected a number, got {describe_value(raw)}")
    if isinstance(raw, (int, np.integer)):
        return in_range(int(raw)), False
    if isinstance(raw, (float, np.floating)):
        if not math.isfinite(raw):
            raise AnswerError(f"expected a finite number, got {raw}")
        return float(raw), False
    if not isinstance(raw, str):
        raise AnswerError(f"expected a number, got {describe_value(raw)}")
    text = raw.strip().translate(MINUSES)
    if len(text) > 64:
        digits = re.fullmatch(r"[-+]?\d+", text)
        raise AnswerError(
            f"a {len(text.lstrip('+-')):,}-digit number is too long (a number has at most 64 "
            f"characters)"
            if digits
            else "expected a number, got a long string"
        )
    if text.endswith(".") and _THOUSANDS.match(text[:-1]):
        text = text[:-1]  # 75,000,100. at the end of a sentence
    if _THOUSANDS.match(text) or _DOTTED_THOUSANDS.match(text):
        return in_range(int(re.sub(r"[^\d+-]", "", text))), False
    if _FRACTION.match(text):
        from fractions import Fraction

        num_, den = (int(t) for t in text.split("/"))
        if den == 0:
            raise AnswerError(f"division by zero in {raw!r}")
        f = Fraction(num_, den)
        return (int(f) if f.denominator == 1 else float(f)), False
    if re.fullmatch(r"[-+]?\d[\d_]*", text):
        return in_range(int(text.replace("_", ""))), False
    scaled = _SCALED.match(text)
    if scaled:
        from fractions import Fraction

        value = Fraction(scaled.group(1)) * _SCALES[scaled.group(2).lower()]
        return (int(value) if value.denominator == 1 else float(value)), True
    try:
        value = float(text)
    except ValueError:
        raise AnswerError(f"expected a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise AnswerError(f"expected a finite number, got {raw!r}")
    return value, bool(_SCIENTIFIC.search(text))


def num(v) -> str:
    """A number as a person writes it: 45, -3, 0.4444, 2.5."""
    if isinstance(v, (float, np.floating)):
        if float(v).is_integer() and abs(v) < 2**53:
            return str(int(v))
        return f"{float(v):.4g}"
    return str(int(v)) if isinstance(v, (int, np.integer)) else str(v)


def in_range(n: int) -> int:
    """A whole number, kept exact; refused beyond the largest float64 (no tolerance could compare
    it)."""
    if abs(n) > MAX_MAGNITUDE:
        try:
            digits = f"{len(str(abs(n))):,}-digit"
        except ValueError:  # past Python's limit on converting ints to text
            digits = "many-digit"
        raise AnswerError(f"a {digits} number is too large (numbers are at most about 1.8e308)")
    return n


def describe_value(raw) -> str:
    """What a value YAML gave is, in a person's words."""
    if raw is None:
        return "nothing (null)"
    if isinstance(raw, bool):
        return f"a yes/no value ({str(raw).lower()})"
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, str):
        return f"the text {raw!r}"
    return f"a {type(raw).__name__} ({raw})"


def quoted(text: str, width: int = 60) -> str:
    """What a student wrote (an unparsed answer's lines too), quoted on one line for a message,
    cut at ``width`` characters."""
    text = " ".join(str(text.text if isinstance(text, Unparsed) else text).split())
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def from_latex(text: str) -> str:
    """``notations.latex.to_plain``, importing the LaTeX reader (and compiling its patterns) only
    for an answer that has a backslash or a ``$`` (``latex.looks_like``): others are unchanged."""
    if "\\" not in text and "$" not in text:
        return text
    from .notations import latex

    return latex.to_plain(text)


def fmt_shape(shape) -> str:
    if len(shape) > 1:
        return "×".join(str(n) for n in shape)
    return f"{shape[0]} long" if shape else "a number"


# ---------------------------------------------------------------- the form interface


class Form:
    """One answer form: how an answer is read, compared, described and shown.

    ``read`` takes what YAML gave (and, when the file was written unusually, ``source``: the
    scalar as it stands in the file); ``compare`` is pure; ``describe`` says what an answer to a
    question looks like without giving it away, with an ``example`` that reads back. ``text``,
    ``rich`` and ``json`` render a value of this form (the answer as read, or the expected one).
    """

    name = ""
    partial: str | None = None  # the unit of partial credit an instructor may turn on
    example = ""  # how to write one, for messages

    def reading(self, raw, expected: Expected, source=None) -> Reading:
        raise NotImplementedError

    def read(self, raw, expected: Expected, source=None):
        return self.reading(raw, expected, source).value

    def compare(self, got, expected: Expected, tol: Tolerance) -> Check:
        raise NotImplementedError

    def describe(self, expected: Expected, maps: str = "filter") -> str:
        return self.example

    def example_for(self, expected: Expected) -> str:
        """An answer of the right form and shape, not the answer: for templates and messages."""
        return self.example

    def text(self, value, channels=None, *, inline: bool = False) -> str:
        raise NotImplementedError

    def rich(self, value, wrong=None, channels=None):
        raise NotImplementedError

    def json(self, value):
        raise NotImplementedError

    def wrong_text(self, value, wrong: np.ndarray) -> str:
        """Which parts of a readable answer are not right, in words."""
        return ""

    def __repr__(self) -> str:
        return f"<form {self.name}>"
