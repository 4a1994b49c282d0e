"""The shape form (``126x126x16``) and the count form (``75,000,100``): one value each, which a
student may write among words, in LaTeX, or with its working before an ``=``."""

from __future__ import annotations

import re

import numpy as np

from .core import (
    MINUSES,
    AnswerError,
    Check,
    Expected,
    Form,
    Reading,
    Tolerance,
    describe_value,
    from_latex,
    number,
    quoted,
    read_number,
)
from .notations import labelled, printed
from .notations.source import text_of

_SHAPE_SPLIT = re.compile(r"\s*(?:[x×X*,]|\s)\s*")
_BARE_SHAPE = re.compile(r"[\d\s,x×X*+\-.eE]*")  # 126x126x16, 126, 126, 16, 126 126 16
_BARE_NUMBER = re.compile(r"[-+]?[\d.,_' ]+(?:[eE][-+]?\d+)?|\s*\d+\s*/\s*\d+\s*")
_BY = re.compile(r"(?<=\d)\s+by\s+(?=\d)")  # 126 by 126 by 16
_SAID = re.compile(r"[A-Za-z=]")  # words, or working before an '='
_AXIS_EXAMPLE = {"H": "28", "W": "28", "C": "6", "N": "1"}


def _text_of(raw, source, notes: list) -> str | None:
    """The text to read for a one-value answer (None when YAML gave a number or a list)."""
    text = text_of(raw, source, notes)
    if not isinstance(text, str):
        return None
    return labelled.powers(from_latex(text.translate(MINUSES)))


_AXIS = re.compile(r"\b([HWCDN])\s*[=:]\s*(\d+)\b")


def _by_axis(text: str, expected: Expected | None) -> str | None:
    """``H = 126, W = 126, C = 16``: each axis named, put in the question's order."""
    named = _AXIS.findall(text)
    axes = expected.axes if expected is not None else None
    if not named or not axes or len(named) != len(axes):
        return None
    rest = re.sub(r"[\s,;.]", "", _AXIS.sub("", text))
    given = dict(named)
    if rest or len(given) != len(named) or set(given) != set(axes):
        return None
    return "x".join(given[a] for a in axes)


def _whole(v, what: str) -> int:
    n = number(v)
    if isinstance(n, float):
        if not n.is_integer():
            raise AnswerError(f"{what} holds whole numbers, got {v}")
        n = int(n)
    return n


class ShapeForm(Form):
    name = "shape"
    partial = "dimensions"
    example = "126x126x16 or [126, 126, 16]"

    def reading(self, raw, expected: Expected, source=None) -> Reading:
        notes: list[str] = []
        text = _text_of(raw, source, notes)
        if text is not None:
            if len(text) > 200:
                raise AnswerError("expected a shape such as 126x126x16, got a long string")
            text = printed.unwrap(_BY.sub("x", text))
            bare = text.strip().strip("()[]")
            by_axis = _by_axis(text, expected)
            if by_axis is not None:
                value = by_axis
            elif _BARE_SHAPE.fullmatch(bare):
                value = text
            elif _SAID.search(text):  # words or working around the shape
                value, aside = labelled.one_value(text, "shape")
                if aside:  # say where the value came from, so a misreading shows
                    notes.append(f"read {value.strip()} from {quoted(raw)}")
            else:
                raise AnswerError(f"expected a shape such as 126x126x16, got {quoted(raw)}")
            parts = [p for p in _SHAPE_SPLIT.split(value.strip().strip("()[]").strip()) if p]
            if not parts:
                raise AnswerError(f"expected a shape such as 126x126x16, got {raw!r}")
            values = parts
        elif isinstance(raw, (list, tuple)):
            values = list(raw)
        elif isinstance(raw, int) and not isinstance(raw, bool):
            values = [raw]
        else:
            raise AnswerError(f"expected a shape such as 126x126x16, got {describe_value(raw)}")
        if len(values) > 16:
            raise AnswerError(f"a shape has a few dimensions, got {len(values)}")
        shape = tuple(_whole(v, "a shape") for v in values)
        want = np.shape(expected.value) if expected is not None else None
        if want and len(shape) == want[0] + 1 and shape[0] == 1 and want[0] >= 3:
            notes.append("read without the leading 1 (a batch of one is not part of the shape)")
            shape = shape[1:]
        return Reading(shape, tuple(notes))

    def compare(self, got, expected: Expected, tol: Tolerance | None = None) -> Check:
        want = tuple(expected.value)
        if len(got) != len(want):
            return Check(
                False,
                got,
                f"a shape of {len(got)} dimensions, expected {len(want)}",
                hint=f"a shape of {len(got)} dimensions, which is not how many the answer has",
            )
        wrong = np.array([g != w for g, w in zip(got, want)])
        return Check(
            not wrong.any(),
            got,
            "" if not wrong.any() else f"{int((~wrong).sum())} of {len(want)} dimensions right",
            wrong,
            int((~wrong).sum()),
            len(want),
        )

    def describe(self, expected: Expected, maps: str = "filter") -> str:
        if expected.axes and len(expected.axes) == len(expected.value):
            return f"a shape, {'×'.join(expected.axes)}, e.g. {self.example_for(expected)}"
        return f"a shape of {len(expected.value)} numbers, e.g. {self.example_for(expected)}"

    def example_for(self, expected: Expected) -> str:
        axes = expected.axes or ""
        sizes = [_AXIS_EXAMPLE.get(a, "2") for a in axes]
        if len(axes) != len(expected.value):
            sizes = ["2"] * len(expected.value)
        if [int(n) for n in sizes] == list(expected.value):  # the example is never the answer
            sizes = [str(int(n) + 4) for n in sizes]
        return "x".join(sizes)

    def text(self, value, channels=None, *, inline: bool = False) -> str:
        return "×".join(str(n) for n in value)

    def rich(self, value, wrong=None, channels=None):
        from rich.text import Text

        from .array import WRONG_MARK

        out = Text(no_wrap=True)
        for i, n in enumerate(value):
            if i:
                out.append("×")
            bad = wrong is not None and bool(wrong[i])
            out.append(str(n), style="wrong" if bad else "")
            if bad:  # seen without colour too
                out.append(WRONG_MARK, style="wrong")
        return out

    def json(self, value):
        return [int(n) for n in value]

    def wrong_text(self, value, wrong: np.ndarray) -> str:
        dims = [str(i + 1) for i in np.flatnonzero(wrong)]
        return (
            f"dimension{'s' if len(dims) > 1 else ''} not right: {', '.join(dims)} (counted from 1)"
        )


class CountForm(Form):
    name = "count"
    example = "75,000,100 or 75000100"

    def reading(self, raw, expected: Expected | None, source=None) -> Reading:
        if isinstance(raw, (list, dict)):
            raise AnswerError(f"expected a whole number, got {describe_value(raw)}")
        notes: list[str] = []
        text = _text_of(raw, source, notes)
        if text is None and isinstance(raw, float) and source is not None:
            text = source.text  # 7.5e+7 as written: a rounded count
        if text is None:
            n, rounded = read_number(raw)
        else:
            value = text
            if text.strip() and not _BARE_NUMBER.fullmatch(text.strip()):
                if not _SAID.search(text):
                    raise AnswerError(f"expected a number, got {quoted(raw)}")
                value, aside = labelled.one_value(text, "count")
                if aside:  # say where the value came from, so a misreading shows
                    notes.append(f"read {value.strip()} from {quoted(raw)}")
            sides = [s for s in re.split(r"\s*[x×X*]\s*", value.strip()) if s]
            if len(sides) > 1:
                if len(set(sides)) > 1 or not re.fullmatch(r"\d+", sides[0]):
                    raise AnswerError(f"expected one number, got the product {value.strip()}")
                notes.append(f"{value.strip()} read as {sides[0]} (one side of a square)")
                value = sides[0]
            n, rounded = read_number(value)
        if isinstance(n, float):
            if not n.is_integer():
                raise AnswerError(f"expected a whole number, got {raw}")
            n = int(n)
        return Reading(n, tuple(notes), rounded)

    def compare(self, got, expected: Expected, tol: Tolerance | None = None) -> Check:
        return Check(got == expected.value, got)

    def describe(self, expected: Expected, maps: str = "filter") -> str:
        return f"a whole number, e.g. {self.example_for(expected)}"

    def example_for(self, expected: Expected) -> str:
        return "1,234" if expected is None or expected.value != 1234 else "4,321"

    def text(self, value, channels=None, *, inline: bool = False) -> str:
        return f"{int(value):,}"

    def rich(self, value, wrong=None, channels=None):
        from rich.text import Text

        return Text(self.text(value), no_wrap=True)

    def json(self, value):
        return int(value)


SHAPE = ShapeForm()
COUNT = CountForm()
