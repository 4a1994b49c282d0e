"""Gradescope's results.json for one submission (the autograder specification's format).

Top level ``score`` (the sum of the tests), ``output``, ``tests``; each test
``name``, ``score``, ``max_score``, ``status`` (passed/failed), ``output`` and
``visibility``. At feedback level ``score`` the tests are hidden, so students
see the total only; otherwise each test shows what its level allows.
"""

from __future__ import annotations

from ..forms import num
from ..grading import Status
from .feedback import run_level, views
from .plain import view_lines
from .values import safe, safe_lines


def _points(x: float):
    return int(x) if float(x).is_integer() else round(float(x), 6)


def gradescope_results(outcome, feedback: str | None = None) -> dict:

    if not outcome.ok:
        return {
            "score": 0,
            "output": f"cnncheck could not read the answer file: {outcome}",
            "stdout_visibility": "hidden",
            "tests": [],
        }
    level = run_level(outcome, feedback)
    tests = []
    for v, r in zip(views(outcome, level), outcome.results):
        test = {
            "name": f"{safe(v.id, 200)} ({v.kind})",
            "score": _points(v.score),
            "max_score": _points(v.max_score),
            "status": "passed" if r.status is Status.CORRECT else "failed",
            "output": "\n".join(view_lines(v)),
            "visibility": "hidden" if v.level == "score" else "visible",
        }
        if r.status.pending:  # neither passed nor failed: the instructor grades it on Gradescope
            del test["status"]
            test["output"] = f"{safe(v.id, 200)}: awaiting manual grading"
        tests.append(test)
    lines = [
        f"{safe(outcome.assignment.id, 200)}: "
        f"{num(round(outcome.score, 3))}/{num(outcome.max_score)} points"
    ]
    lines += [f"note: {safe_lines(n, 2000)}" for n in outcome.notes]
    return {
        "score": _points(sum(t["score"] for t in tests)),
        "output": "\n".join(lines),
        "stdout_visibility": "hidden",
        "tests": tests,
    }
