"""Views as plain text, for formats read by other tools: JUnit, Gradescope, GitHub annotations.

Everything shown comes from a feedback :class:`~.feedback.View`, so these
formats reveal exactly what the table does at the same level.
"""

from __future__ import annotations

import numpy as np

from ..forms import LayerTable, Rubric, num
from .feedback import View
from .values import describe_raw, safe


def value_text(value, channels=None, *, inline: bool = False) -> str:
    """A count, a shape, a vector, a matrix or a stack of them, as text."""
    if value is None:  # no answer key: a question graded by hand
        return "graded by hand"
    if isinstance(value, tuple):
        return "×".join(str(n) for n in value)
    if isinstance(value, str):
        return safe(value, 2000)
    if isinstance(value, Rubric):
        ideas = [f"{idea} ({num(points)})" for idea, points, _ in value.ideas]
        return "; ".join(ideas) if inline else "\n".join(ideas)
    if isinstance(value, LayerTable):
        rows = [f"{'×'.join(map(str, s))} {n:,}" for s, n in value.rows] + [
            f"total {value.total:,}" if value.total is not None else "total —"
        ]
        return "; ".join(rows) if inline else "\n".join(rows)
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
        inner = value_text(arr[c], inline=inline)
        parts.append(f"{name}: {inner}" if inline else f"{name}\n{inner}")
    return " | ".join(parts) if inline else "\n".join(parts)


def answer_text(v: View, *, inline: bool = False) -> str:
    if v.answer is None:
        return "(no answer)"
    if not v.readable:
        return describe_raw(v.answer)
    return value_text(v.answer, v.channels, inline=inline)


def view_lines(v: View, *, inline: bool = False) -> list[str]:
    """What a question's result says, line by line, as the level allows."""
    lines = []
    qid = safe(v.id, 200)
    if v.status is not None:
        lines.append(f"{qid}: {v.status}, {num(round(v.score, 3))}/{num(v.max_score)} points")
    else:
        lines.append(f"{qid}: {num(round(v.score, 3))}/{num(v.max_score)} points")
    lines.append(
        "your answer: " + answer_text(v, inline=inline)
        if inline or v.readable is False
        else "your answer:\n" + answer_text(v)
    )
    if v.wrong is not None and v.wrong.any() and v.readable and not isinstance(v.answer, str):
        if isinstance(v.answer, LayerTable):
            rows = [
                str(i + 1) if i < len(v.answer.rows) else "total" for i in np.flatnonzero(v.wrong)
            ]
            lines.append(f"rows not right: {', '.join(rows)} (counted from 1)")
        elif isinstance(v.answer, tuple):
            dims = [str(i + 1) for i in np.flatnonzero(v.wrong)]
            lines.append(
                f"dimension{'s' if len(dims) > 1 else ''} not right: {', '.join(dims)} "
                f"(counted from 1)"
            )
        else:
            cells = [", ".join(str(i) for i in idx) for idx in np.argwhere(v.wrong)]
            lines.append(
                "cells not right (indices from 0): "
                + "; ".join(f"[{c}]" for c in cells[:12])
                + (" …" if len(cells) > 12 else "")
            )
    if v.expected is not None:
        lines.append(
            "expected: " + value_text(v.expected, v.channels, inline=True)
            if inline
            else "expected:\n" + value_text(v.expected, v.channels)
        )
    for extra in (v.message, v.diagnosis):
        if extra:
            lines.append(safe(extra, 300))
    return lines
