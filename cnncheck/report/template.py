"""Answer-file templates and question sheets: what a student starts from."""

from __future__ import annotations

import json
import textwrap

import numpy as np

from ..bank import Assignment, Question
from ..textsafe import safe, safe_lines


def answer_form(q: Question) -> str:
    """The expected form of an answer, in words, without giving it away: the kind's own words."""
    return q.kind.answer_form(q.params, q.expected)


def question_sheet(a: Assignment, student: str | None) -> str:
    """A student's question sheet in Markdown: every prompt with its parameters, no answers."""
    from ..forms import ARRAY, Expected

    out = [
        f"# {safe(a.title)}",
        "",
        f"**Assignment** {safe(a.id, 200)}"
        + (f" · **Student** {safe(student, 200)}" if student else ""),
        "",
    ]
    for q in a.questions.values():
        points = f"{q.points:g} point{'s' if q.points != 1 else ''}"
        out += [f"## {safe(q.id, 200)} · {points}", ""]
        if q.prompt:
            out += [safe_lines(q.prompt, 2000), ""]
        for label, value in q.kind.describe(q.params):
            if isinstance(value, (Expected, np.ndarray)):
                arr, names = (
                    (value.value, value.channels) if isinstance(value, Expected) else (value, None)
                )
                out += (
                    [f"**{label}**:", ""]
                    + ["    " + line for line in ARRAY.text(arr, names).splitlines()]
                    + [""]
                )
            elif label:
                out.append(f"- **{safe(label, 200)}**: {safe(str(value), 2000)}")
            else:
                out.append(f"- {safe(str(value), 2000)}")
        out += ["", f"*Answer: {answer_form(q)}.*", ""]
    return "\n".join(out).rstrip() + "\n"


def _comment(text: str, width: int = 92) -> list[str]:
    lines = []
    for para in text.splitlines() or [""]:
        lines += textwrap.wrap(para, width) or [""]
    return [f"  # {line}".rstrip() for line in lines]


def answer_template(a: Assignment, student: str | None = None) -> str:
    """A YAML answer file with every question id, its prompt and answer form as comments."""
    out = [
        # one comment line, whatever the title holds
        f"# {safe(a.id, 200)}: {safe(a.title)}".rstrip(),
        "# Write each answer after its id (a blank answer counts as missing), then run:",
        "#   cnncheck grade THIS-FILE",
        f"assignment: {json.dumps(a.id, ensure_ascii=False)}",
        # quoted: any id is safe
        f"student: {json.dumps(student or 'your-id', ensure_ascii=False)}",
        "answers:",
    ]
    for q in a.questions.values():
        points = f"{q.points:g} point{'s' if q.points != 1 else ''}"
        out.append(f"  # {safe(q.id, 200)} ({q.kind.name}, {points})")
        if q.prompt:
            out += _comment(q.prompt)
        out += _comment(f"answer: {answer_form(q)}")
        # words go in a block (|): a colon or a quote in prose is then just text to YAML
        out.append(f"  {q.id}: |" if q.kind.form.name == "text" else f"  {q.id}:")
    return "\n".join(out) + "\n"
