"""A gradebook as CSV: one row per submission, one column per question with the points earned.

Columns: file, student, assignment, the question ids (in bank order; prefixed
``assignment:`` when the run spans several assignments), total, max, error.
"""

from __future__ import annotations

import csv
import io

from ..forms import num


def _points(x: float) -> str:
    return num(round(x, 6))


def gradebook_csv(outcomes: list) -> str:
    from ..batch import FileError

    reports = [o for o in outcomes if not isinstance(o, FileError)]
    assignments = sorted({r.assignment.id: r.assignment for r in reports}.items())
    several = len(assignments) > 1
    columns = [(aid, qid) for aid, a in assignments for qid in a.questions]
    header = ["file", "student", "assignment"] + [f"{aid}:{qid}" if several else qid for aid, qid in columns]
    header += ["total", "max", "error"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for o in outcomes:
        if isinstance(o, FileError):
            w.writerow([o.path, "", ""] + [""] * len(columns) + ["", "", str(o)])
            continue
        earned = {(o.assignment.id, r.id): _points(r.score) for r in o.results}
        w.writerow([o.path, o.student or "", o.assignment.id] + [earned.get(c, "") for c in columns]
                   + [_points(o.score), _points(o.max_score), ""])
    return buf.getvalue()
