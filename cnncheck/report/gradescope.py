"""Gradescope's results.json for one submission (the autograder specification's format).

What Gradescope's specification says, and what this renderer does about it:

* ``visibility``: "If test cases are hidden, students will not be able to see their total
  score", so no test is ever hidden here. At feedback ``score`` each test shows its points and
  nothing else; the level decides what a test's ``output`` says, never whether it is shown.
* ``status``: only ``passed`` and ``failed`` exist, and a test without one passes when it earned
  its ``max_score``. An answer waiting for a TA (a question graded by hand, a written answer
  for review) is neither, so it is not a test: the top-level ``output`` lists it, with its
  points, and ``extra_data.pending`` carries it for the instructor (grade it as a manually
  graded question on Gradescope). The top-level ``score`` is the sum of the tests.
* ``output_format``, ``test_output_format``, ``test_name_format``: ``text``. Gradescope's
  default for the top-level output is ``simple_format``, which renders HTML; a student's answer
  is shown as written, never rendered.
* ``execution_time``: seconds, when the caller measured them.
"""

from __future__ import annotations

from ..forms import num
from ..platforms.gradescope import shown
from .feedback import run_level, views
from .plain import view_lines
from .values import safe, safe_lines, shown_path


def _points(x: float):
    return int(x) if float(x).is_integer() else round(float(x), 6)


def _formats(results: dict, seconds: float | None) -> dict:
    results.update(output_format="text", test_output_format="text", test_name_format="text")
    if seconds is not None:
        results["execution_time"] = round(seconds, 3)
    return results


def gradescope_results(outcome, feedback: str | None = None, seconds: float | None = None) -> dict:

    if not outcome.ok:
        return _formats(
            {
                "score": 0,
                "output": f"cnncheck could not grade {shown_path(shown(outcome.path))}: "
                f"{safe(outcome.message, 2000)}"
                + (f" (line {outcome.line})" if outcome.line else ""),
                "stdout_visibility": "hidden",
                "tests": [],
            },
            seconds,
        )
    level = run_level(outcome, feedback)
    tests, pending = [], {}
    for v, r in zip(views(outcome, level), outcome.results):
        if r.status.pending:
            pending[safe(v.id, 200)] = {
                "points": _points(v.max_score),
                "suggested": None if r.suggested is None else _points(r.suggested),
                "line": v.line,
            }
            continue
        lines = view_lines(v) if level != "score" else []
        tests.append(
            {
                "name": f"{safe(v.id, 200)} ({v.kind})",
                "score": _points(v.score),
                "max_score": _points(v.max_score),
                "status": "passed" if r.done else "failed",
                "output": "\n".join(lines),
                "visibility": "visible",
            }
        )
    who = f" as {safe(outcome.student, 200)}" if outcome.student else ""
    aid = safe(outcome.assignment.id, 200)
    lines = [
        f"graded {shown_path(shown(outcome.path))}{who} against {aid}: "
        f"{num(round(outcome.score, 3))} of {num(outcome.max_score - outcome.pending)} points "
        "graded automatically"
    ]
    if pending:
        waiting = ", ".join(f"{q} ({num(p['points'])} points)" for q, p in pending.items())
        lines.append(f"awaiting a TA, not in this score: {waiting}")
    lines += [f"note: {safe_lines(n, 2000)}" for n in outcome.notes]
    results = {
        "score": _points(sum(t["score"] for t in tests)),
        "output": "\n".join(lines),
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    if pending:
        results["extra_data"] = {"pending": pending}
    return _formats(results, seconds)
