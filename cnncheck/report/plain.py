"""Views as plain text, for formats read by other tools: JUnit, Gradescope, GitHub annotations.

Everything shown comes from a feedback :class:`~.feedback.View`, so these
formats reveal exactly what the table does at the same level.
"""

from __future__ import annotations

from ..forms import form_of, num
from .feedback import View
from .values import describe_raw, safe


def value_text(value, channels=None, *, inline: bool = False, form=None) -> str:
    """A value as text, as its form writes it (an answer's form is its question's)."""
    if value is None:  # no answer key: a question graded by hand
        return "graded by hand"
    return (form or form_of(value)).text(value, channels, inline=inline)


def answer_text(v: View, *, inline: bool = False) -> str:
    if v.answer is None:
        return "(no answer)"
    if not v.readable:
        return describe_raw(v.answer)
    return value_text(v.answer, v.channels, inline=inline, form=v.form)


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
    if v.wrong is not None and v.wrong.any() and v.readable:
        said = (v.form or form_of(v.answer)).wrong_text(v.answer, v.wrong)
        lines += [said] if said else []
    if v.expected is not None:
        lines.append(
            "expected: " + value_text(v.expected, v.channels, inline=True, form=v.form)
            if inline
            else "expected:\n" + value_text(v.expected, v.channels, form=v.form)
        )
    for extra in (v.message, v.diagnosis):
        if extra:
            lines.append(safe(extra, 300))
    return lines
