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

from ..forms import num
from .values import safe, safe_lines, shown_path
from ..grading import Status

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _points(x: float) -> str:
    return num(round(x, 6))


def _cell(text: str) -> str:
    """A cell no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _text(answer: str) -> str:
    """A written answer for a spreadsheet: control characters escaped (new lines kept)."""
    return safe_lines(answer, 5000)


def gradebook_csv(outcomes: list) -> str:

    reports = [o for o in outcomes if o.ok]
    assignments = sorted({r.assignment.id: r.assignment for r in reports}.items())
    several = len(assignments) > 1
    manual = {(aid, qid) for aid, a in assignments for qid, q in a.questions.items()
              if q.kind.name == "text" and q.expected.value is None}
    columns = [(aid, qid, part) for aid, a in assignments for qid in a.questions
               for part in (("points", "answer") if (aid, qid) in manual else ("points",))]
    header = ["file", "student", "assignment"] + [
        (f"{aid}:{qid}" if several else qid) + (" (answer)" if part == "answer" else "") for aid, qid, part in columns]
    header += ["total", "max", "error"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([_cell(safe(h, 500)) for h in header])
    for o in outcomes:
        if not o.ok:
            w.writerow([_cell(c) for c in [shown_path(o.path), "", ""] + [""] * len(columns) + ["", "", str(o)]])
            continue
        earned = {}
        for r in o.results:
            if r.status is Status.MANUAL:
                earned[(o.assignment.id, r.id, "points")] = ""
                earned[(o.assignment.id, r.id, "answer")] = _text(r.answer)
            else:
                earned[(o.assignment.id, r.id, "points")] = _points(r.score)
                earned[(o.assignment.id, r.id, "answer")] = _text(r.answer) if isinstance(r.answer, str) else ""
        row = [shown_path(o.path), safe(o.student or "", 200), safe(o.assignment.id, 200)]
        row += [earned.get(c, "") for c in columns] + [_points(o.score), _points(o.max_score), ""]
        w.writerow([_cell(c) for c in row])
    return buf.getvalue()
