"""Answer forms: read what a student wrote, compare it with the canonical answer.

Three forms cover every kind: an array (a matrix, a vector, or one matrix per
channel or filter), a shape (``126x126x16``) and a count (``75,000,100``).
Reading is lenient about notation, as on paper, and strict about values:
whatever cannot be read raises :class:`AnswerError` with what was wrong.
Nothing here touches YAML, files or the terminal.
"""

from __future__ import annotations

import math
import re
import sys
from typing import NamedTuple

import numpy as np

MIN_ELEMENTS = (
    10_000  # an answer may hold this many numbers, or 100 times the question's answer if more
)
MAX_DEPTH = 8  # levels of nesting in an array answer (a stack of matrices has 3; NumPy stops at 64)
MAX_MAGNITUDE = (
    sys.float_info.max
)  # beyond it a number has no float64 value to compare within a tolerance


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
    channels: tuple[str, ...] | None = (
        None  # names of the leading axis (R, G, B), when the question has them
    )
    exact: bool = True  # integers, compared exactly; False for averages and float inputs


class Check(NamedTuple):
    """The outcome of comparing one readable answer."""

    correct: (
        bool | None
    )  # None: no machine can tell (a text question without a rubric): a human grades it
    value: object  # the answer as read (ndarray, tuple or int)
    message: str = ""
    wrong: np.ndarray | None = None  # bool mask of differing cells, same shape
    right_cells: int | None = None
    total_cells: int | None = None
    # the message without the expected answer (for feedback below "full"); None: same as message
    hint: str | None = None


# ---------------------------------------------------------------- numbers

_MINUSES = str.maketrans(
    {
        "\u2212": "-",
        "\u2013": "-",
        "\u2012": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        "\uff1b": ";",
        "\uff0c": ",",
        "\u3000": " ",
    }
)  # and full-width ; , and space
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}([,\u00a0\u202f _']\d{3})+$")
_FRACTION = re.compile(r"^[-+]?\d+\s*/\s*\d+$")


def number(raw) -> int | float:
    """One number as written: int, float, ``'1e-3'``, ``'−3'``, ``'75,000,100'``, ``'4/9'``."""
    if isinstance(raw, bool) or raw is None:
        raise AnswerError(f"expected a number, got {_describe(raw)}")
    if isinstance(raw, (int, np.integer)):
        return _in_range(int(raw))
    if isinstance(raw, (float, np.floating)):
        if not math.isfinite(raw):
            raise AnswerError(f"expected a finite number, got {raw}")
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip().translate(_MINUSES)
        if len(text) > 64:
            digits = re.fullmatch(r"[-+]?\d+", text)
            raise AnswerError(
                f"a {len(text.lstrip('+-')):,}-digit number is too long (a number has at most 64 "
                f"characters)"
                if digits
                else "expected a number, got a long string"
            )
        if _THOUSANDS.match(text):
            return _in_range(int(re.sub(r"[^\d+-]", "", text)))
        if _FRACTION.match(text):
            from fractions import Fraction

            num, den = (int(t) for t in text.split("/"))
            if den == 0:
                raise AnswerError(f"division by zero in {raw!r}")
            f = Fraction(num, den)
            return int(f) if f.denominator == 1 else float(f)
        if re.fullmatch(r"[-+]?\d[\d_]*", text):
            return _in_range(int(text.replace("_", "")))
        try:
            value = float(text)
        except ValueError:
            raise AnswerError(f"expected a number, got {raw!r}") from None
        return _finite(value, raw)
    raise AnswerError(f"expected a number, got {_describe(raw)}")


def num(v) -> str:
    """A number as a person writes it: 45, -3, 0.4444, 2.5."""
    if isinstance(v, (float, np.floating)):
        if float(v).is_integer() and abs(v) < 2**53:
            return str(int(v))
        return f"{float(v):.4g}"
    return str(int(v)) if isinstance(v, (int, np.integer)) else str(v)


def _in_range(n: int) -> int:
    """A whole number, kept exact; refused beyond the largest float64 (no tolerance could compare
    it)."""
    if abs(n) > MAX_MAGNITUDE:
        try:
            digits = f"{len(str(abs(n))):,}-digit"
        except ValueError:  # past Python's limit on converting ints to text
            digits = "many-digit"
        raise AnswerError(f"a {digits} number is too large (numbers are at most about 1.8e308)")
    return n


def _finite(v: float, raw) -> float:
    if not math.isfinite(v):
        raise AnswerError(f"expected a finite number, got {raw!r}")
    return v


def _describe(raw) -> str:
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


# ---------------------------------------------------------------- arrays


def _matrix_from_text(text: str):
    """``'45 45; 54 54'``, rows on lines, or a bracketed literal ``'[[45, 45], [54, 54]]'``."""
    t = text.strip().translate(_MINUSES)
    _check_depth(_text_depth(t))
    if t.startswith("["):
        import json

        try:
            return json.loads(t)
        except (ValueError, RecursionError):
            raise AnswerError(f"cannot read {text!r} as a list of numbers") from None
    rows = [r for r in re.split(r"[;\n]", t) if r.strip()]
    parsed = [[c for c in re.split(r"[\s,]+", r.strip().strip("[]()|")) if c] for r in rows]
    if len(parsed) == 1:
        return parsed[0]
    return parsed


def _text_depth(t: str) -> int:
    """How deep the brackets of a written matrix nest, counted without parsing it."""
    deepest = depth = 0
    for c in t:
        if c in "[(":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "])":
            depth -= 1
    return deepest


def _list_depth(raw) -> int:
    """How deep lists nest in an answer as YAML gave it (without recursion)."""
    deepest, stack = 0, [(raw, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, (list, tuple)):
            depth += 1
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((x, depth) for x in v)
        elif isinstance(v, dict):
            stack.extend((x, depth) for x in v.values())
    return deepest


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise AnswerError(
            f"nested {depth} levels deep; an answer has at most {MAX_DEPTH} "
            f"(a matrix has 2, one matrix per channel 3)"
        )


def _nested(raw, depth: int = 0):
    """Nested lists of numbers; a string holding several numbers is read as a row or a matrix."""
    if isinstance(raw, str) and depth < 2 and re.search(r"[\s;,\[]", raw.strip()):
        return _numbers_of(_matrix_from_text(raw))
    if isinstance(raw, (list, tuple)):
        return [_nested(v, depth + 1) for v in raw]
    return number(raw)


def _numbers_of(parsed):
    if isinstance(parsed, list):
        return [_numbers_of(v) for v in parsed]
    return number(parsed)


_DIGIT_RUN = re.compile(r"\d+")


def _count_leaves(raw, limit: int) -> int:
    """How many numbers ``raw`` may hold, counted before anything is parsed (stopping past
    ``limit``): a string counts its runs of digits, so 999 aliases of a 500-number string count
    499,500."""
    n, stack = 0, [raw]
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
        else:
            n += max(1, len(_DIGIT_RUN.findall(v))) if isinstance(v, str) else 1
            if n > limit:
                break
    return n


def _to_array(nested) -> np.ndarray:
    def shape_of(v):
        return (
            (len(v),) + (shape_of(v[0]) if v and isinstance(v[0], list) else ())
            if isinstance(v, list)
            else ()
        )

    def check(v, shape, where):
        if not shape:
            if isinstance(v, list):
                raise AnswerError(
                    f"ragged: {where or 'the answer'} has a list where a number belongs"
                )
            return
        if not isinstance(v, list) or len(v) != shape[0]:
            got = f"{len(v)} entries" if isinstance(v, list) else "a number"
            raise AnswerError(f"ragged: {where or 'the answer'} has {got}, expected {shape[0]}")
        for i, c in enumerate(v):
            check(c, shape[1:], f"{where}[{i + 1}]" if where else f"row {i + 1}")

    shape = shape_of(nested)
    check(nested, shape, "")
    if 0 in shape:
        raise AnswerError("the answer is empty")
    flat = np.array(nested, dtype=object).reshape(-1) if shape else np.array([nested], dtype=object)
    if all(isinstance(v, int) for v in flat):
        if any(abs(v) >= 2**63 for v in flat):
            return np.array(nested, dtype=object)
        return np.array(nested, dtype=np.int64)
    return np.array(nested, dtype=np.float64)


def read_array(raw, expected: Expected) -> np.ndarray:
    """A matrix, vector or stack of matrices; a mapping by channel name for per-channel answers."""
    limit = max(
        MIN_ELEMENTS, 100 * np.size(expected.value)
    )  # far beyond the answer: refused before it is compared
    if _count_leaves(raw, limit) > limit:
        raise AnswerError(f"the answer has more than {limit:,} numbers")
    _check_depth(_list_depth(raw))
    if isinstance(raw, dict):
        names = expected.channels
        if not names:
            raise AnswerError("expected a list of numbers or matrices, got a mapping")
        by_lower = {str(k).strip().lower(): v for k, v in raw.items()}
        missing = [n for n in names if n.lower() not in by_lower]
        extra = [str(k) for k in raw if str(k).strip().lower() not in {n.lower() for n in names}]
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(missing))
            if extra:
                parts.append("unknown " + ", ".join(extra))
            raise AnswerError(f"channels by name must be {', '.join(names)}: {'; '.join(parts)}")
        raw = [by_lower[n.lower()] for n in names]
    if isinstance(raw, (bool, type(None))) or not isinstance(raw, (list, tuple, str, int, float)):
        raise AnswerError(f"expected a list of numbers or a matrix, got {_describe(raw)}")
    arr = _to_array(_nested(raw))
    want = np.asarray(expected.value)
    while arr.ndim > want.ndim and arr.shape[0] == 1:  # [[[45, 45], [54, 54]]] for a single map
        arr = arr[0]
    return arr


def fmt_shape(shape) -> str:
    return (
        "×".join(str(n) for n in shape)
        if len(shape) > 1
        else f"{shape[0]} long"
        if shape
        else "a number"
    )


def _floats(a: np.ndarray) -> np.ndarray:
    """float64 values: ints past int64 (object arrays) rounded, never an OverflowError (numbers are
    read below :data:`MAX_MAGNITUDE`; anything larger becomes ±inf, farther than any tolerance)."""
    if a.dtype != object:
        return a.astype(np.float64)
    return np.array(
        [float(v) if abs(v) <= MAX_MAGNITUDE else math.copysign(math.inf, v) for v in a.flat],
        dtype=np.float64,
    ).reshape(a.shape)


def compare_array(got: np.ndarray, expected: Expected, tol: Tolerance) -> Check:
    want = np.asarray(expected.value)
    if got.shape != want.shape:
        return Check(
            False,
            got,
            f"your answer is {fmt_shape(got.shape)}, expected {fmt_shape(want.shape)}",
            hint=f"your answer is {fmt_shape(got.shape)}, which is not the shape of the answer",
        )
    if expected.exact and got.dtype != np.float64:
        wrong = got != want  # exact, Python ints past int64 included
    elif expected.exact:  # 45.0 for 45 is right; 45.2 is not
        wrong = got != _floats(want)
    else:
        with np.errstate(over="ignore", invalid="ignore"):  # 1e308 - (-1e308) is inf: not close
            wrong = ~tol.close(_floats(got), _floats(want))
    wrong = np.asarray(wrong, dtype=bool)
    n_wrong, total = int(wrong.sum()), wrong.size
    msg = "" if not n_wrong else f"{total - n_wrong} of {total} cells right"
    return Check(n_wrong == 0, got, msg, wrong, total - n_wrong, total)


# ---------------------------------------------------------------- shapes

_SHAPE_SPLIT = re.compile(r"\s*(?:[x×X*,]|\s)\s*")


def read_shape(raw, expected: Expected) -> tuple[int, ...]:
    """``126x126x16``, ``126 x 126 x 16``, ``126×126×16``, ``(126, 126, 16)`` or a list."""
    if isinstance(raw, str):
        text = raw.strip().strip("()[]").strip()
        if len(text) > 200:
            raise AnswerError("expected a shape such as 126x126x16, got a long string")
        parts = [p for p in _SHAPE_SPLIT.split(text) if p]
        if not parts:
            raise AnswerError(f"expected a shape such as 126x126x16, got {raw!r}")
        values = parts
    elif isinstance(raw, (list, tuple)):
        values = list(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        values = [raw]
    else:
        raise AnswerError(f"expected a shape such as 126x126x16, got {_describe(raw)}")
    if len(values) > 16:
        raise AnswerError(f"a shape has a few dimensions, got {len(values)}")
    out = []
    for v in values:
        n = number(v)
        if isinstance(n, float):
            if not n.is_integer():
                raise AnswerError(f"a shape holds whole numbers, got {v}")
            n = int(n)
        out.append(n)
    return tuple(out)


def compare_shape(got: tuple[int, ...], expected: Expected) -> Check:
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


# ---------------------------------------------------------------- counts


def read_count(raw, expected: Expected) -> int:
    """A whole number: ``75000100``, ``'75,000,100'``, ``'75 000 100'``, ``'7.5e7'``."""
    if isinstance(raw, (list, dict)):
        raise AnswerError(f"expected a whole number, got {_describe(raw)}")
    n = number(raw)
    if isinstance(n, float):
        if not n.is_integer():
            raise AnswerError(f"expected a whole number, got {raw}")
        n = int(n)
    return n


def compare_count(got: int, expected: Expected) -> Check:
    return Check(got == expected.value, got)


# -------------------------------------------------------------- model summaries (network questions)


class LayerTable:
    """A model summary: one (output shape, parameter count) row per layer, and the total."""

    __slots__ = ("rows", "total")

    def __init__(self, rows, total: int | None):
        self.rows = tuple((tuple(shape), int(params)) for shape, params in rows)
        self.total = total

    def __eq__(self, other):
        return isinstance(other, LayerTable) and (self.rows, self.total) == (
            other.rows,
            other.total,
        )

    def __hash__(self):
        return hash((self.rows, self.total))

    def __repr__(self):
        return f"LayerTable({self.rows!r}, total={self.total!r})"

    def to_json(self) -> dict:
        return {
            "layers": [{"shape": list(s), "params": n} for s, n in self.rows],
            "total": self.total,
        }


_ROW = re.compile(r"^\s*(.+?)\s*(?:\||;|,\s|\s)\s*([-+]?[0-9][0-9,_]*)\s*$")


def _table_row(raw, i: int):
    where = f"row {i + 1}"
    if isinstance(raw, dict):
        low = {str(k).strip().lower(): v for k, v in raw.items()}
        if set(low) - {"shape", "params", "output", "parameters", "layer", "name"} or not (
            {"shape", "output"} & set(low) and {"params", "parameters"} & set(low)
        ):
            raise AnswerError(f"{where}: a row is {{shape: ..., params: ...}}")
        shape_raw, count_raw = (
            low.get("shape", low.get("output")),
            low.get("params", low.get("parameters")),
        )
    elif isinstance(raw, (list, tuple)) and len(raw) == 2:
        shape_raw, count_raw = raw
    elif isinstance(raw, str):
        m = _ROW.match(raw.translate(_MINUSES))
        if not m:
            raise AnswerError(
                f"{where}: write a row as '6x28x28, 156' (the shape, then the parameters)"
            )
        shape_raw, count_raw = m.group(1), m.group(2)
    else:
        raise AnswerError(
            f"{where}: write a row as '6x28x28, 156' or [6x28x28, 156], got {_describe(raw)}"
        )
    try:
        return read_shape(shape_raw, None), read_count(count_raw, None)
    except AnswerError as e:
        raise AnswerError(f"{where}: {e}") from None


def read_table(raw, expected: Expected) -> LayerTable:
    """``{layers: [rows...], total: N}`` or just the list of rows; a row is '6x28x28, 156',
    [6x28x28, 156] or {shape: 6x28x28, params: 156}."""
    total = None
    if isinstance(raw, dict):
        low = {str(k).strip().lower(): v for k, v in raw.items()}
        if not set(low) <= {"layers", "total", "rows"} or not ({"layers", "rows"} & set(low)):
            raise AnswerError("expected layers: (one row per layer) and total:")
        rows_raw = low.get("layers", low.get("rows"))
        if low.get("total") is not None:
            total = read_count(low["total"], None)
    else:
        rows_raw = raw
    if isinstance(rows_raw, str):
        rows_raw = [r for r in rows_raw.splitlines() if r.strip()]
    if not isinstance(rows_raw, list):
        raise AnswerError(f"expected a list of rows, one per layer, got {_describe(rows_raw)}")
    if len(rows_raw) > 10 * max(1, len(expected.value.rows)):
        raise AnswerError(f"the answer has {len(rows_raw)} rows")
    return LayerTable([_table_row(r, i) for i, r in enumerate(rows_raw)], total)


def compare_table(got: LayerTable, expected: Expected) -> Check:
    want: LayerTable = expected.value
    if len(got.rows) != len(want.rows):
        return Check(
            False,
            got,
            f"your table has {len(got.rows)} rows, expected {len(want.rows)}",
            hint=f"your table has {len(got.rows)} rows, which is not one per layer",
        )
    wrong = np.array([g != w for g, w in zip(got.rows, want.rows)] + [got.total != want.total])
    right = int((~wrong).sum())
    msg = (
        "" if not wrong.any() else f"{right} of {len(wrong)} rows right (the total counts as a row)"
    )
    return Check(not wrong.any(), got, msg, wrong, right, len(wrong))


# ---------------------------------------------------------------- text (conceptual questions)


def _normal(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


class Rubric:
    """Key ideas of a written answer: (idea, points, phrases); an idea is present when any phrase
    is."""

    __slots__ = ("ideas", "_needles")

    def __init__(self, ideas):
        self.ideas = tuple((str(idea), points, tuple(phrases)) for idea, points, phrases in ideas)
        self._needles = tuple(
            tuple(_normal(ph).rstrip() for ph in phrases) for _, _, phrases in self.ideas
        )

    def __eq__(self, other):
        return isinstance(other, Rubric) and self.ideas == other.ideas

    def __hash__(self):
        return hash(self.ideas)

    def found(self, text: str) -> list[bool]:
        """Which ideas the text holds: a phrase matches at the start of a word (so 'resembl' finds
        'resembles')."""
        norm = _normal(text)
        return [any(needle in norm for needle in needles) for needles in self._needles]

    @property
    def total(self) -> float:
        return sum(points for _, points, _ in self.ideas)

    def to_json(self) -> list:
        """The key ideas and their points (the phrases that find them are the grader's; `solve`
        shows them)."""
        return [{"idea": idea, "points": points} for idea, points, _ in self.ideas]


def read_text(raw, expected: Expected) -> str:
    """Words: a string (or lines of one), numbers taken as written."""
    if isinstance(raw, list) and all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in raw
    ):
        raw = "\n".join(str(v) for v in raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise AnswerError(f"expected a written answer, got {_describe(raw)}")
    if not raw.strip():
        raise AnswerError("the answer is empty")
    return raw.strip()


def compare_text(got: str, expected: Expected) -> Check:
    rubric: Rubric | None = expected.value
    if rubric is None:
        return Check(None, got, "awaiting a TA (graded by hand)")
    found = rubric.found(got)
    earned = sum(points for (_, points, _), f in zip(rubric.ideas, found) if f)
    present = [idea for (idea, _, _), f in zip(rubric.ideas, found) if f]
    missing = [idea for (idea, _, _), f in zip(rubric.ideas, found) if not f]
    parts = [f"found: {'; '.join(present)}"] if present else []
    parts += [f"missing: {'; '.join(missing)}"] if missing else []
    counted = f"{len(present)} of {len(found)} key ideas found"
    wrong = np.array([not f for f in found])
    return Check(
        not missing,
        got,
        f"{counted}. " + ". ".join(parts) if missing else counted,
        wrong,
        earned,
        rubric.total,
        hint=counted,
    )


class Form(NamedTuple):
    """How one kind's answers are read and compared."""

    name: str  # "array", "shape" or "count"
    read: object
    compare: object
    example: str  # how to write one, for messages and templates
    partial: str | None = (
        None  # the unit of partial credit an instructor may turn on: "cells", "dimensions"
    )


ARRAY = Form("array", read_array, compare_array, "[[1, 2], [3, 4]] or '1 2; 3 4'", "cells")
SHAPE = Form(
    "shape",
    read_shape,
    lambda got, exp, tol: compare_shape(got, exp),
    "126x126x16 or [126, 126, 16]",
    "dimensions",
)
COUNT = Form(
    "count", read_count, lambda got, exp, tol: compare_count(got, exp), "75,000,100 or 75000100"
)
TEXT = Form(
    "text",
    read_text,
    lambda got, exp, tol: compare_text(got, exp),
    "a sentence or two, in quotes or after |",
    "ideas",
)
TABLE = Form(
    "table",
    read_table,
    lambda got, exp, tol: compare_table(got, exp),
    "{layers: ['6x28x28, 156', '6x14x14, 0'], total: 61706}",
    "rows",
)
