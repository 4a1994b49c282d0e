"""Answer values as text and as JSON: shared by every reporter.

Anything a student wrote passes through :func:`safe` before it is shown:
control characters and ANSI escapes become visible ``\\x..`` escapes, and
reporters show it as plain text, never as markup.
"""

from __future__ import annotations

import datetime as _dt
import math

from ..forms import Unparsed, form_of, num  # noqa: F401 (num: re-exported for the reporters)

# re-exported for the reporters
from ..textsafe import MAX_SHOWN, safe, safe_lines, shown_path  # noqa: F401


def mean_text(x: float) -> str:
    """A mean to two decimals, a half rounded up as a person rounds it (2.625 -> 2.63, where
    ``round`` gives 2.62)."""
    from decimal import ROUND_HALF_UP, Decimal

    return num(float(Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))


def describe_raw(raw) -> str:
    """An unreadable answer, shown back as text."""
    if isinstance(raw, Unparsed):  # the lines as written, which YAML could not parse
        return safe_lines(raw.text, MAX_SHOWN)
    if isinstance(raw, str):
        return safe(raw)
    return safe(_plain(raw) if raw is not None else "")


def _plain(raw) -> str:
    if isinstance(raw, dict):
        return "{" + ", ".join(f"{_plain(k)}: {_plain(v)}" for k, v in raw.items()) + "}"
    if isinstance(raw, list):
        return "[" + ", ".join(_plain(v) for v in raw) + "]"
    return str(raw)


def to_json(value, form=None):
    """A canonical answer or a read answer as JSON, as its form writes it (nested lists, ints
    when exact); a wrong-cells mask as lists of booleans."""
    if value is None:
        return None
    return (form or form_of(value)).json(value)


def raw_to_json(raw):
    """What the student wrote, unreadable or not, as JSON-safe data."""
    if isinstance(raw, Unparsed):
        return safe_lines(raw.text, 10_000)
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
