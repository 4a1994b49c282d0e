"""A gradebook as CSV: one row per submission, one column per question with the points earned.

Columns: file, student, assignment, the question ids (in bank order; prefixed
``assignment:`` when the run spans several assignments), total, max, error. A
question graded by hand (a text question without a rubric) has its points
column left blank for the TA, and the student's words in an ``(answer)`` column
beside it.

Every cell is safe to open in a spreadsheet and to print on a terminal: control
characters are escaped (``\\x1b``; new lines only in written answers), and a
cell a spreadsheet would run as a formula (one starting ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: OWASP's list for CSV injection) is prefixed
with ``'``, which shows it as text.
"""

from __future__ import annotations

import csv
import io
from typing import NamedTuple

from ..forms import num
from .values import safe, safe_lines, shown_path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _points(x: float) -> str:
    return num(round(x, 6))


def _cell(text: str) -> str:
    """A cell no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _text(answer: str) -> str:
    """A written answer for a spreadsheet: control characters escaped (new lines kept)."""
    return safe_lines(answer, 5000)


class Entry(NamedTuple):
    """One submission's gradebook row, before the columns are known: small, made where it is
    graded."""

    path: str
    student: str
    assignment: str  # "" for a file that could not be graded
    questions: tuple[str, ...]  # the assignment's question ids, in bank order
    manual: frozenset  # the ids graded by hand: their points are left blank, their answer shown
    earned: dict  # (question id, "points" or "answer") -> cell
    score: str
    max_score: str
    error: str
    pending: str = ""  # points waiting for a TA ("" or "0": none)


def gradebook_entry(o) -> Entry:
    """A report (or an error row) as its gradebook row."""
    if not o.ok:
        return Entry(shown_path(o.path), "", "", (), frozenset(), {}, "", "", str(o), "")
    a = o.assignment
    manual = frozenset(
        qid for qid, q in a.questions.items() if q.kind.name == "text" and q.expected.value is None
    )
    earned = {}
    for r in o.results:
        if r.status.pending:
            earned[(r.id, "points")] = ""
            earned[(r.id, "answer")] = _text(r.answer)
        else:
            earned[(r.id, "points")] = _points(r.score)
            earned[(r.id, "answer")] = _text(r.answer) if isinstance(r.answer, str) else ""
    return Entry(
        shown_path(o.path),
        safe(o.student or "", 200),
        safe(a.id, 200),
        tuple(a.questions),
        manual,
        earned,
        _points(o.score),
        _points(o.max_score),
        "",
        _points(o.pending),
    )


def gradebook_csv(outcomes: list) -> str:
    """The gradebook of reports, error rows or their :class:`Entry` rows (made where each was
    graded)."""
    entries = [o if isinstance(o, Entry) else gradebook_entry(o) for o in outcomes]
    assignments = sorted({e.assignment: e for e in entries if e.assignment}.items())
    several = len(assignments) > 1
    columns = [
        (aid, qid, part)
        for aid, e in assignments
        for qid in e.questions
        for part in (("points", "answer") if qid in e.manual else ("points",))
    ]
    header = ["file", "student", "assignment"] + [
        (f"{aid}:{qid}" if several else qid) + (" (answer)" if part == "answer" else "")
        for aid, qid, part in columns
    ]
    header += ["total", "max", "error"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([_cell(safe(h, 500)) for h in header])
    for e in entries:
        row = [e.path, e.student, e.assignment]
        row += [
            e.earned.get((qid, part), "") if aid == e.assignment else ""
            for aid, qid, part in columns
        ]
        row += [e.score, e.max_score, e.error]
        w.writerow([_cell(c) for c in row])
    return buf.getvalue()
