"""Answer values as text and as JSON: shared by every reporter.

Anything a student wrote passes through :func:`safe` before it is shown:
control characters and ANSI escapes become visible ``\\x..`` escapes, and
reporters show it as plain text, never as markup.
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np

from ..forms import num

# re-exported for the reporters
from ..textsafe import MAX_SHOWN, safe, safe_lines, shown_path  # noqa: F401


def grid_rows(m: np.ndarray, wrong: np.ndarray | None = None) -> list[list[tuple[str, bool]]]:
    """A 1-D or 2-D array as rows of (cell text, is wrong)."""
    m2 = m.reshape(1, -1) if m.ndim == 1 else m
    w2 = None if wrong is None else wrong.reshape(m2.shape)
    return [
        [(num(v), bool(w2[i, j]) if w2 is not None else False) for j, v in enumerate(row)]
        for i, row in enumerate(m2)
    ]


def describe_raw(raw) -> str:
    """An unreadable answer, shown back as text."""
    if isinstance(raw, str):
        return safe(raw)
    return safe(_plain(raw) if raw is not None else "")


def _plain(raw) -> str:
    if isinstance(raw, dict):
        return "{" + ", ".join(f"{_plain(k)}: {_plain(v)}" for k, v in raw.items()) + "}"
    if isinstance(raw, list):
        return "[" + ", ".join(_plain(v) for v in raw) + "]"
    return str(raw)


def to_json(value):
    """A canonical answer or a read answer as JSON: nested lists, ints when exact."""
    if hasattr(value, "to_json"):  # a model summary table
        return value.to_json()
    if isinstance(value, np.ndarray):
        return to_json(value.tolist())
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if f.is_integer() and abs(f) < 2**53:
            return int(f)
        return f if math.isfinite(f) else str(f)
    if isinstance(value, str):  # a written answer: kept whole, new lines and all, nothing raw
        return safe_lines(value, 10_000)
    return value


def raw_to_json(raw):
    """What the student wrote, unreadable or not, as JSON-safe data."""
    if isinstance(raw, dict):
        return {safe(k, 200): raw_to_json(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [raw_to_json(v) for v in raw]
    if raw is None or isinstance(raw, (bool, int, str)):
        return safe(raw, 10_000) if isinstance(raw, str) else raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else str(raw)
    if isinstance(raw, (_dt.date, _dt.datetime)):
        return raw.isoformat()
    return safe(repr(raw), 200)
