"""The array form: a vector, a matrix, or one matrix per channel or filter."""

from __future__ import annotations

import math
import re

import numpy as np

from .core import (
    MAX_MAGNITUDE,
    MINUSES,
    AnswerError,
    Check,
    Expected,
    Form,
    Reading,
    Tolerance,
    describe_value,
    fmt_shape,
    from_latex,
    num,
    number,
)
from .notations import labelled, printed
from .notations.source import as_written, text_of

MIN_ELEMENTS = 10_000  # an answer may hold this many numbers, or 100 times the answer's if more
_SPELLED = 16  # cells an example spells out in full (a 4×4 matrix); past it, a pattern
MAX_DEPTH = 8  # levels of nesting in an array answer (a stack of matrices has 3; NumPy stops at 64)
WRONG_MARK = "*"  # after a cell that differs, so the diff shows without colour too
_COLOURS = {"red": "r", "green": "g", "blue": "b", "alpha": "a"}
_LABEL_WORDS = re.compile(r"\b(?:channel|ch|filter|kernel|map|feature|output|out|slice|k)\b")


# ---------------------------------------------------------------- reading written arrays


def text_depth(t: str) -> int:
    """How deep the brackets of a written matrix nest, counted without parsing it."""
    deepest = depth = 0
    for c in t:
        if c in "[(":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "])":
            depth -= 1
    return deepest


def list_depth(raw) -> int:
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


def check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise AnswerError(
            f"nested {depth} levels deep; an answer has at most {MAX_DEPTH} "
            f"(a matrix has 2, one matrix per channel 3)"
        )


def _rows(text: str):
    """``'45 45; 54 54'`` or rows on lines: a matrix (a row alone is a vector)."""
    bracketed = printed.read(text, MAX_DEPTH)
    if bracketed is not None:
        return bracketed
    rows = [r for r in re.split(r"[;\n]", text) if r.strip()]
    parsed = [[c for c in re.split(r"[\s,]+", r.strip().strip("[]()|")) if c] for r in rows]
    if len(parsed) == 1:
        return parsed[0]
    return parsed


def matrix_from_text(text: str):
    """A written array: nested lists of number strings, or a mapping label -> them."""
    t = from_latex(text.strip().translate(MINUSES))
    check_depth(text_depth(t))
    t = _TRAILING_REMARK.sub("", t)  # [[...]] (stride 1)
    if not labelled.has_inline_labels(t):
        t = _LEAD_LABEL.sub("", t)  # The output is [[...]]
    t = printed.unwrap(t)
    if t.startswith(("[", "(")):
        return _rows(t)
    parts = labelled.blocks(t)
    if len(parts) <= 1:
        return _rows(parts[0][1] if parts else t)
    labels = [label for label, _ in parts]
    if all(label is None for label in labels):
        return [_rows(body) for _, body in parts]
    if any(label is None for label in labels):
        raise AnswerError(
            "some matrices have a label and some do not: label each one (R: ...) or none"
        )
    return {label: _rows(body) for label, body in parts}


def nested(raw, depth: int = 0):
    """Nested lists of numbers; a string holding several numbers is read as a row or a matrix (a
    list item YAML folded from several lines is read from its lines, as the file has them)."""
    if isinstance(raw, str) and depth < 2 and re.search(r"[\s;,\[\]()\\$&]", raw.strip()):
        return numbers_of(matrix_from_text(raw))
    if isinstance(raw, (list, tuple)):
        sources = getattr(raw, "sources", {})
        return [
            nested(
                as_written(v, sources[i])[0] if i in sources and isinstance(v, str) else v,
                depth + 1,
            )
            for i, v in enumerate(raw)
        ]
    return number(raw)


def _as_written_values(mapping: dict) -> dict:
    """A mapping by channel whose values YAML folded from several lines, read from its lines."""
    sources = getattr(mapping, "sources", {})
    return {
        k: as_written(v, sources[k])[0] if k in sources and isinstance(v, str) else v
        for k, v in mapping.items()
    }


def numbers_of(parsed):
    if isinstance(parsed, dict):
        return {k: numbers_of(v) for k, v in parsed.items()}
    if isinstance(parsed, list):
        return [numbers_of(v) for v in parsed]
    return number(parsed)


# words naming a bracketed answer before it, and a remark in words after it
_LEAD_LABEL = re.compile(
    r"^[A-Za-z][A-Za-z ]{0,40}?(?:\s*[=:]|\s+(?:is|are|equals))\s*(?=[\[(]|\w+\()"
)
_TRAILING_REMARK = re.compile(r"(?<=[\])])\s*\(\s*[A-Za-z][^()]*\)\s*\.?\s*$")
_DIGIT_RUN = re.compile(r"\d+")


def count_leaves(raw, limit: int) -> int:
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


def to_array(values) -> np.ndarray:
    """Nested lists of numbers -> an ndarray (int64 when whole, object past int64, else float)."""

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

    shape = shape_of(values)
    check(values, shape, "")
    if 0 in shape:
        raise AnswerError("the answer is empty")
    flat = np.array(values, dtype=object).reshape(-1) if shape else np.array([values], dtype=object)
    if all(isinstance(v, int) for v in flat):
        if any(abs(v) >= 2**63 for v in flat):
            return np.array(values, dtype=object)
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=np.float64)


def _label_key(label) -> str:
    """A channel's label as written, reduced to compare: 'Red channel', 'red', 'R' -> 'r'."""
    text = _LABEL_WORDS.sub(" ", str(label).strip().lower()).strip(" :=[]()")
    return _COLOURS.get(text, text)


def by_label(mapping: dict, expected: Expected) -> list:
    """Matrices given by label, in the answer's order: channel names (R, Red, red channel) or
    numbers (filter 1, 2, ...)."""
    names = expected.channels
    if np.ndim(expected.value) < 3:
        raise AnswerError("expected a list of numbers or matrices, got a mapping")
    if names:
        wanted = {_label_key(n): n for n in names}
        given = {}
        for label, value in mapping.items():
            key = _label_key(label)
            if key in given:
                raise AnswerError(f"channel {str(label)[:20]!r} is given twice")
            given[key] = value
        missing = [n for k, n in wanted.items() if k not in given]
        extra = [str(label)[:20] for label in mapping if _label_key(label) not in wanted]
        if missing or extra:
            parts = ["missing " + ", ".join(missing)] if missing else []
            parts += ["unknown " + ", ".join(extra)] if extra else []
            raise AnswerError(f"channels by name must be {', '.join(names)}: {'; '.join(parts)}")
        return [given[k] for k in wanted]
    numbers = [re.findall(r"\d+", str(label)) for label in mapping]
    if mapping and all(len(n) == 1 for n in numbers):
        order = [int(n[0]) for n in numbers]
        if sorted(order) in (list(range(len(order))), list(range(1, len(order) + 1))):
            return [v for _, v in sorted(zip(order, mapping.values()), key=lambda p: p[0])]
    raise AnswerError(
        "expected the matrices in order (one per filter), got a mapping by name: "
        "write them as a list, or number them from 1"
    )


def fit_singletons(arr: np.ndarray, want: tuple[int, ...]) -> tuple[np.ndarray, str | None]:
    """An answer that differs from the answer's shape only in dimensions of size 1 (a 2×2 map for
    one 1×2×2 filter, a column for a row), reshaped, with a note saying so."""
    if arr.shape == want or arr.size != math.prod(want):
        return arr, None
    squeeze = tuple(n for n in arr.shape if n != 1)
    if squeeze != tuple(n for n in want if n != 1):
        return arr, None
    note = (
        f"read as {fmt_shape(want)}: your answer is {fmt_shape(arr.shape)}, "
        f"and only dimensions of size 1 differ"
    )
    return arr.reshape(want), note


# ---------------------------------------------------------------- the form


def floats(a: np.ndarray) -> np.ndarray:
    """float64 values: ints past int64 (object arrays) rounded, never an OverflowError (numbers are
    read below :data:`MAX_MAGNITUDE`; anything larger becomes ±inf, farther than any tolerance)."""
    if a.dtype != object:
        return a.astype(np.float64)
    return np.array(
        [float(v) if abs(v) <= MAX_MAGNITUDE else math.copysign(math.inf, v) for v in a.flat],
        dtype=np.float64,
    ).reshape(a.shape)


def grid_rows(m: np.ndarray, wrong: np.ndarray | None = None) -> list[list[tuple[str, bool]]]:
    """A 1-D or 2-D array as rows of (cell text, is wrong)."""
    m2 = m.reshape(1, -1) if m.ndim == 1 else m
    w2 = None if wrong is None else wrong.reshape(m2.shape)
    return [
        [(num(v), bool(w2[i, j]) if w2 is not None else False) for j, v in enumerate(row)]
        for i, row in enumerate(m2)
    ]


class ArrayForm(Form):
    name = "array"
    partial = "cells"
    example = "[[1, 2], [3, 4]] or '1 2; 3 4'"

    def reading(self, raw, expected: Expected, source=None) -> Reading:
        notes: list[str] = []
        raw = text_of(raw, source, notes)
        # far beyond the answer: refused before it is compared
        limit = max(MIN_ELEMENTS, 100 * np.size(expected.value))
        if count_leaves(raw, limit) > limit:
            raise AnswerError(f"the answer has more than {limit:,} numbers")
        check_depth(list_depth(raw))
        if isinstance(raw, (bool, type(None))) or not isinstance(
            raw, (list, tuple, str, int, float, dict)
        ):
            raise AnswerError(f"expected a list of numbers or a matrix, got {describe_value(raw)}")
        values = nested(raw) if not isinstance(raw, dict) else _as_written_values(raw)
        if isinstance(values, dict):
            values = [nested(v, 1) for v in by_label(values, expected)]
        arr = to_array(values)
        want = np.shape(expected.value)
        if isinstance(raw, str) and len(want) == 2 and arr.ndim == 3 and arr.shape[0] > 1:
            raise AnswerError(f"{arr.shape[0]} matrices for a question with one answer: give one")
        while arr.ndim > len(want) and arr.shape[0] == 1:  # [[[45, 45], [54, 54]]] for one map
            arr = arr[0]
        arr, note = fit_singletons(arr, want)
        return Reading(arr, tuple(notes + ([note] if note else [])))

    def compare(self, got: np.ndarray, expected: Expected, tol: Tolerance) -> Check:
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
            wrong = got != floats(want)
        else:
            with np.errstate(over="ignore", invalid="ignore"):  # 1e308 - (-1e308): not close
                wrong = ~tol.close(floats(got), floats(want))
        wrong = np.asarray(wrong, dtype=bool)
        n_wrong, total = int(wrong.sum()), wrong.size
        msg = "" if not n_wrong else f"{total - n_wrong} of {total} cells right"
        return Check(n_wrong == 0, got, msg, wrong, total - n_wrong, total)

    def describe(self, expected: Expected, maps: str = "filter") -> str:
        arr = np.asarray(expected.value)
        example = self.example_for(expected)
        if arr.ndim == 1:
            return f"a row of {arr.shape[0]} numbers, e.g. {example}"
        if arr.ndim == 2:
            rows = ", rows on lines after | or split by ;" if arr.size > _SPELLED else ""
            return f"a {arr.shape[0]}×{arr.shape[1]} matrix{rows}, e.g. {example}"
        names = expected.channels
        what = f"{', '.join(names)}: " if names else ""
        count = arr.shape[0]
        if count == 1 and arr.ndim == 3:  # one map: written as a matrix, its 1 forgiven
            return f"a {fmt_shape(arr.shape[1:])} matrix (the one {maps}'s map), e.g. {example}"
        return (
            f"{count} matrices of {fmt_shape(arr.shape[1:])} ({what}one per "
            f"{'channel' if names else maps}), as a list"
            + (" or a mapping by channel name" if names else "")
            + f", e.g. {example}"
        )

    def example_for(self, expected: Expected) -> str:
        """Counting numbers in the answer's shape (a generic 2×2 past 24 cells): never the
        answer, and read back as an answer of the right shape."""
        arr = np.asarray(expected.value)
        if arr.ndim == 3 and arr.shape[0] == 1:
            arr = arr[0]
        if arr.shape == (2, 2) and arr.tolist() != [[1, 2], [3, 4]]:
            return '"1 2; 3 4"'
        if arr.size > _SPELLED:
            return '"1 2; 3 4"' if arr.ndim == 2 else "[[1, 2], [3, 4]]"
        counting = np.arange(1, arr.size + 1).reshape(arr.shape)
        if np.array_equal(counting, arr):  # the example is never the answer
            counting = counting + 1
        if expected.channels and arr.ndim == 3 and len(expected.channels) == arr.shape[0]:
            return (
                "{"
                + ", ".join(f"{n}: {m.tolist()}" for n, m in zip(expected.channels, counting))
                + "}"
            )
        return str(counting.tolist())

    # ------------------------------------------------------------ rendering

    def text(self, value, channels=None, *, inline: bool = False) -> str:
        arr = np.asarray(value)
        if arr.ndim == 0:
            return f"{int(arr):,}" if arr.dtype.kind in "iuO" else num(arr.item())
        if arr.ndim == 1:
            return " ".join(num(v) for v in arr)
        if arr.ndim == 2:
            cells = [[num(v) for v in row] for row in arr]
            if inline:
                return "; ".join(" ".join(row) for row in cells)
            widths = [max(len(row[j]) for row in cells) for j in range(len(cells[0]))]
            return "\n".join(" ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells)
        parts = []
        for c in range(arr.shape[0]):
            name = channels[c] if channels and c < len(channels) else f"[{c}]"
            inner = self.text(arr[c], inline=inline)
            parts.append(f"{name}: {inner}" if inline else f"{name}\n{inner}")
        return " | ".join(parts) if inline else "\n".join(parts)

    def rich(self, value, wrong=None, channels=None):
        from rich.text import Text

        arr = np.asarray(value)
        if arr.ndim == 0:
            out = Text(f"{int(arr):,}" if arr.dtype.kind in "iuO" else num(arr.item()))
        elif arr.ndim <= 2:
            out = _matrix(arr, wrong)
        else:
            blocks = []
            for c in range(arr.shape[0]):  # one block per channel or filter; a 4-D bank nests
                name = channels[c] if channels and c < len(channels) else f"[{c}]"
                block = Text(f"{name}\n", style="label")
                block.append_text(self.rich(arr[c], None if wrong is None else wrong[c]))
                blocks.append(block)
            out = _side_by_side(blocks) if arr.ndim == 3 else None
            if out is None:  # stacked, one under the other
                out = Text("\n").join(blocks)
        out.no_wrap = True
        return out

    def json(self, value):
        return json_numbers(np.asarray(value).tolist())

    def wrong_text(self, value, wrong: np.ndarray) -> str:
        cells = [", ".join(str(i) for i in idx) for idx in np.argwhere(wrong)]
        return (
            "cells not right (indices from 0): "
            + "; ".join(f"[{c}]" for c in cells[:12])
            + (" …" if len(cells) > 12 else "")
        )


SIDE_BY_SIDE = 32  # characters: small channels are laid out in a row, larger ones stacked


def _side_by_side(blocks: list):
    """Small blocks (a label over a matrix) in a row, three spaces apart; None when too wide."""
    from rich.cells import cell_len
    from rich.text import Text

    split = [b.split("\n") for b in blocks]
    widths = [max(cell_len(line.plain) for line in lines) for lines in split]
    if sum(widths) + 3 * (len(blocks) - 1) > SIDE_BY_SIDE:
        return None
    out = Text()
    for k in range(max(len(lines) for lines in split)):
        if k:
            out.append("\n")
        for i, lines in enumerate(split):
            part = lines[k] if k < len(lines) else Text("")
            out.append_text(part)
            if i < len(split) - 1:
                out.append(" " * (widths[i] - cell_len(part.plain) + 3))
    out.rstrip()
    return out


def _matrix(m: np.ndarray, wrong: np.ndarray | None):
    from rich.text import Text

    rows = grid_rows(m, wrong)
    widths = [max(len(rows[i][j][0]) for i in range(len(rows))) for j in range(len(rows[0]))]
    mark = wrong is not None and bool(np.any(wrong))
    out = Text()
    for i, row in enumerate(rows):
        if i:
            out.append("\n")
        for j, (cell, bad) in enumerate(row):
            out.append(" " if j else "")
            out.append(cell.rjust(widths[j]), style="wrong" if bad else "")
            if mark:
                out.append(WRONG_MARK if bad else " ", style="wrong")
    return out


def json_numbers(value):
    """Numbers as JSON: ints when whole, floats otherwise, text for what JSON cannot hold."""
    if isinstance(value, (list, tuple)):
        return [json_numbers(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if f.is_integer() and abs(f) < 2**53:
            return int(f)
        return f if math.isfinite(f) else str(f)
    return value


ARRAY = ArrayForm()
