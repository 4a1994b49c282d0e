"""``cnncheck check-bank``: every problem of a bank, and warnings for legal but suspicious
questions. Pure."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import variants, yamlio
from .bank import Bank, BankError, DrawRateError, Question


class Finding(NamedTuple):
    severity: str  # "error" or "warning"
    path: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = (self.path or "<bank>") + (f":{self.line}" if self.line else "")
        return f"{where}: {self.severity}: {self.message}"


def question_warnings(q: Question) -> list[str]:
    out = list(q.kind.warnings(q.params))
    value = q.expected.value
    n = int(np.size(value))
    limits = yamlio.ANSWER_LIMITS
    if n * 2 > limits.bytes or n > limits.values:  # at least "1 " per number
        out.append(
            f"the answer has {n:,} numbers: an answer file cannot hold it within the default "
            f"limits (grade with --limit bytes=... --limit values=...)"
        )
    if q.points == 0:
        out.append("the question is worth 0 points")
    prompt = q.template.get("prompt", "") if q.template is not None else q.prompt
    unknown = variants.unknown_placeholders(
        prompt if isinstance(prompt, str) else "", q.template or {}
    )
    if unknown:
        names = ", ".join("{" + n + "}" for n in dict.fromkeys(unknown))
        why = "it names no drawn value" if q.template is not None else "the question has no draws"
        out.append(f"prompt: {names} is printed as written: {why}")
    if (
        isinstance(value, np.ndarray)
        and value.dtype.kind == "f"
        and q.tolerance.abs == 0
        and q.tolerance.rel == 0
    ):
        inexact = [
            float(v) for v in value.flat if not float(v).is_integer() and len(repr(float(v))) > 8
        ]
        if inexact:
            out.append(
                f"tolerance 0 on non-integer answers such as {inexact[0]!r}: students must write "
                f"every digit (or a fraction)"
            )
    return out


def _error(p) -> Finding:
    """A problem as a finding; a question whose draws often fail gets an example student id."""
    message = p.message
    if isinstance(p, DrawRateError) and p.find_example is not None:
        student, tried = p.find_example()
        message += (
            f" (student id {student!r} gets none)"
            if student
            else f" (no example among the first {tried:,} student ids)"
        )
    return Finding("error", p.path, p.line, message)


def _warnings(q: Question) -> list[Finding]:
    return [
        Finding("warning", q.path, q.line, f"question {q.id}: {w}") for w in question_warnings(q)
    ]


def check_bank(bank: Bank) -> list[Finding]:
    """Errors (every problem that refuses a question or a file, each with its line) and warnings
    (for every question that could be built, also in a file with errors), in bank order."""
    findings: list[Finding] = []
    for aid in bank.ids:
        try:
            questions = bank.get(aid).questions.values()
        except BankError as e:
            found = [_error(p) for p in e.problems] + [
                f for q in e.questions.values() for f in _warnings(q)
            ]
            findings += sorted(found, key=lambda f: (f.path or "", f.line or 0, f.severity))
            continue
        for q in questions:
            findings += _warnings(q)
    return findings
