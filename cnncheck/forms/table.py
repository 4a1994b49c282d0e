"""The layer-table form (network questions): one (output shape, parameters) row per layer, and the
total, as a model summary lists them."""

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
    Unparsed,
    describe_value,
)
from .notations.source import text_of
from .shape import COUNT, SHAPE


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
_TOTAL = re.compile(r"^\s*total(?:\s+params|\s+parameters)?\s*[:=]?\s*(.+)$", re.IGNORECASE)


def _read_shape(raw):
    return SHAPE.read(raw, None)


def _read_count(raw):
    return COUNT.read(raw, None)


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
        m = _ROW.match(raw.translate(MINUSES))
        if not m:
            raise AnswerError(
                f"{where}: write a row as '6x28x28, 156' (the shape, then the parameters)"
            )
        shape_raw, count_raw = m.group(1), m.group(2)
    else:
        raise AnswerError(
            f"{where}: write a row as '6x28x28, 156' or [6x28x28, 156], got {describe_value(raw)}"
        )
    try:
        return _read_shape(shape_raw), _read_count(count_raw)
    except AnswerError as e:
        raise AnswerError(f"{where}: {e}") from None


def _total_of(row) -> object:
    """The total written as a row (``total: 61706`` in a block, ``- total: 61706`` in a list), or
    None when the row is a layer's."""
    if isinstance(row, dict) and len(row) == 1 and str(next(iter(row))).strip().lower() == "total":
        return next(iter(row.values()))
    if isinstance(row, str):
        m = _TOTAL.match(row)
        if m:
            return m.group(1)
    return None


class TableForm(Form):
    name = "table"
    partial = "rows"
    example = "{layers: ['6x28x28, 156', '6x14x14, 0'], total: 61706}"

    def reading(self, raw, expected: Expected, source=None) -> Reading:
        """``{layers: [rows...], total: N}`` or the rows alone, the total last (``total: N``); a
        row is '6x28x28, 156', [6x28x28, 156] or {shape: 6x28x28, params: 156}."""
        notes: list[str] = []
        if isinstance(raw, Unparsed):
            raw = text_of(raw, source, notes)
        total = None
        if isinstance(raw, dict) and _total_of(raw) is None:
            low = {str(k).strip().lower(): v for k, v in raw.items()}
            if not set(low) <= {"layers", "total", "rows"} or not ({"layers", "rows"} & set(low)):
                raise AnswerError("expected layers: (one row per layer) and total:")
            rows_raw = low.get("layers", low.get("rows"))
            if low.get("total") is not None:
                total = _read_count(low["total"])
        else:
            rows_raw = raw
        if isinstance(rows_raw, str):
            text = text_of(rows_raw, source if rows_raw is raw else None, notes)
            rows_raw = [r for r in text.splitlines() if r.strip()]
        if not isinstance(rows_raw, list):
            raise AnswerError(
                f"expected a list of rows, one per layer, got {describe_value(rows_raw)}"
            )
        if len(rows_raw) > 10 * max(1, len(expected.value.rows)):
            raise AnswerError(f"the answer has {len(rows_raw)} rows")
        rows = list(rows_raw)
        if rows and _total_of(rows[-1]) is not None:
            if total is not None:
                raise AnswerError("the total is given twice")
            total = _read_count(_total_of(rows.pop()))
        return Reading(LayerTable([_table_row(r, i) for i, r in enumerate(rows)], total), notes)

    def compare(self, got: LayerTable, expected: Expected, tol: Tolerance | None = None) -> Check:
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
            ""
            if not wrong.any()
            else f"{right} of {len(wrong)} rows right (the total counts as a row)"
        )
        return Check(not wrong.any(), got, msg, wrong, right, len(wrong))

    def describe(self, expected: Expected, maps: str = "filter") -> str:
        return (
            f"one row per layer ({len(expected.value.rows)} layers): the output shape and the "
            f"parameters, then the total, e.g. {self.example_for(expected)}"
        )

    def example_for(self, expected: Expected) -> str:
        return "'6x28x28, 156' on one line, '6x14x14, 0' on the next, ..., then 'total: 61706'"

    def _cells(self, value: LayerTable) -> list[tuple[str, str]]:
        return [("×".join(map(str, s)), f"{n:,}") for s, n in value.rows] + [
            ("total", f"{value.total:,}" if value.total is not None else "—")
        ]

    def text(self, value: LayerTable, channels=None, *, inline: bool = False) -> str:
        rows = [f"{s} {n}" for s, n in self._cells(value)]
        return "; ".join(rows) if inline else "\n".join(rows)

    def rich(self, value: LayerTable, wrong=None, channels=None):
        """Rows of 'output shape   parameters', the total last; rows that are not right marked."""
        from rich.text import Text

        from .array import WRONG_MARK

        cells = self._cells(value)
        w0, w1 = max(len(a) for a, _ in cells), max(len(b) for _, b in cells)
        out = Text(no_wrap=True)
        for i, (shape, params) in enumerate(cells):
            bad = wrong is not None and i < len(wrong) and bool(wrong[i])
            out.append("\n" if i else "")
            out.append(f"{shape.ljust(w0)}  {params.rjust(w1)}", style="wrong" if bad else "")
            if wrong is not None and wrong.any():
                out.append(WRONG_MARK if bad else " ", style="wrong")
        return out

    def json(self, value: LayerTable):
        return value.to_json()

    def wrong_text(self, value: LayerTable, wrong: np.ndarray) -> str:
        rows = [str(i + 1) if i < len(value.rows) else "total" for i in np.flatnonzero(wrong)]
        return f"rows not right: {', '.join(rows)} (counted from 1)"


TABLE = TableForm()
