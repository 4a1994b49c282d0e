"""``cnncheck check-bank``: every problem of a bank, and warnings for legal but suspicious questions. Pure."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import yamlio
from .bank import Bank, BankError, Question


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
        out.append(f"the answer has {n:,} numbers: an answer file cannot hold it within the default limits "
                   f"(grade with --limit bytes=... --limit values=...)")
    if q.points == 0:
        out.append("the question is worth 0 points")
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and q.tolerance.abs == 0 and q.tolerance.rel == 0:
        inexact = [float(v) for v in value.flat if not float(v).is_integer() and len(repr(float(v))) > 8]
        if inexact:
            out.append(f"tolerance 0 on non-integer answers such as {inexact[0]!r}: students must write every "
                       f"digit (or a fraction)")
    return out


SAMPLE_STUDENTS = 50


def _sample_variants(q: Question) -> list[Finding]:
    """Pose the question for a sample of student ids: every one must have a well-posed variant."""
    from .yamlio import InputError

    for i in range(SAMPLE_STUDENTS):
        try:
            q.for_student(f"sample-student-{i}")
        except InputError as e:
            return [Finding("error", e.path, e.line, f"{e.message} (for student id sample-student-{i})")]
    return []


def check_bank(bank: Bank) -> list[Finding]:
    """Errors (the problems that refuse a question or a file) and warnings, in bank order."""
    findings: list[Finding] = []
    for aid in bank.ids:
        try:
            a = bank.get(aid)
        except BankError as e:
            findings += [Finding("error", p.path, p.line, p.message) for p in e.problems]
            continue
        for q in a.questions.values():
            findings += [Finding("warning", q.path, q.line, f"question {q.id}: {w}") for w in question_warnings(q)]
            if q.random:
                findings += _sample_variants(q)
    return findings
