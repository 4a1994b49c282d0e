"""Classroom 50's ``result.json`` (schema ``classroom50/result/v1``) for one submission.

The contract, as Classroom 50's runner and score collector check it (``runner.py`` and
``collect_scores.py``: ``validate_result``; ``schemas/result-v1.schema.json``):

* ``schema``, and ``classroom``, ``assignment``, ``owner`` equal to what the runner set;
  ``submission`` a ``submit/`` tag; ``commit``, ``release``, ``review`` and ``datetime``
  (``YYYY-MM-DDTHH:MM:SSZ``) non-empty; no other top-level key (the schema forbids them);
* ``score`` and ``max-score`` whole numbers, ``0 <= score <= max-score``: here the sums of the
  tests';
* one test per question: ``test-name``, ``passed`` (a boolean), whole ``score`` and
  ``max-score``; other keys are kept as written, so each test also carries cnncheck's
  ``status``, exact ``points``, the answer's ``line`` and the feedback ``output``. The report's
  notes (a ``student:`` that is not the owner, say) have no key here: ``--format markdown``
  writes them into the release's body.

Points are whole numbers there: a fractional score, and a question worth a fraction, are
rounded down (so full marks stay full marks; ``points`` keeps the exact score). An answer
waiting for a TA scores 0, not passed, with ``pending: true`` and the rubric's ``suggested``
points: the gradebook holds the points decided so far until a TA's sheet (``--scores``) is
graded in. A file that cannot be graded scores 0 on each question of the assignment the run
grades against (``-a``, else the bank's default), with the reason.
"""

from __future__ import annotations

import math

from ..grading import Status
from ..platforms.classroom50 import submission
from .feedback import run_level, views
from .plain import view_lines
from .values import safe

SCHEMA = "classroom50/result/v1"


def _whole(x: float) -> int:
    """Whole points, rounded down (a full score stays a full score)."""
    return max(0, math.floor(round(float(x), 9)))


def _exact(x: float):
    return int(x) if float(x).is_integer() else round(float(x), 6)


def classroom50_result(outcome, feedback=None, assignment=None, environ=None) -> dict:
    """``result.json`` for one outcome. ``assignment``: what the run grades against, to list an
    unreadable file's questions."""
    result = {"schema": SCHEMA, **submission(environ)}
    tests = []
    if not outcome.ok:
        why = safe(str(outcome), 2000)
        for q in assignment.questions.values() if assignment is not None else ():
            tests.append(
                {
                    "test-name": safe(q.id, 100),
                    "passed": False,
                    "score": 0,
                    "max-score": _whole(q.points),
                    "status": "not graded",
                    "output": why,
                }
            )
        if not tests:
            tests.append(
                {
                    "test-name": "answer file",
                    "passed": False,
                    "score": 0,
                    "max-score": 0,
                    "status": "not graded",
                    "output": why,
                }
            )
    else:
        level = run_level(outcome, feedback)
        for v, r in zip(views(outcome, level), outcome.results):
            test = {
                "test-name": safe(v.id, 100),
                "passed": r.status is Status.CORRECT,
                "score": 0 if r.status.pending else _whole(v.score),
                "max-score": _whole(v.max_score),
                "status": str(r.status) if v.status is not None or r.status.pending else None,
                "points": _exact(v.score),
                "line": v.line,
                "output": "\n".join(view_lines(v)) if level != "score" else "",
            }
            if r.status.pending:
                test["pending"] = True
                test["suggested"] = None if r.suggested is None else _exact(r.suggested)
            if test["status"] is None:
                del test["status"]
            tests.append(test)
    result["score"] = sum(t["score"] for t in tests)
    result["max-score"] = sum(t["max-score"] for t in tests)
    result["tests"] = tests
    return result
