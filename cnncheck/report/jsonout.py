"""Reports as JSON-ready dicts (the machine-readable contract)."""

from __future__ import annotations

from ..bank import Assignment
from ..grading import Report
from .feedback import run_level, views
from .values import raw_to_json, safe, safe_lines, shown_path, to_json

LONG = 10_000  # characters of a message or a name kept in JSON


def _score(x: float):
    return int(x) if float(x).is_integer() else round(float(x), 6)


def grade_json(report: Report, feedback: str | None = None, memo: dict | None = None) -> dict:
    """``{"assignment", "student", "score", "max_score", "questions": [...]}``, showing what
    ``feedback`` allows.

    Fields a level hides are null: ``status`` below verdict; ``message``, ``diagnosis`` and
    ``wrong_cells`` below hints (but for unreadable answers); ``expected`` below full.
    """
    level = run_level(report, feedback)
    memo = (
        {} if memo is None else memo
    )  # id -> JSON of values shared by many reports (expected answers, cached answers)

    def once(value, form):
        key = id(value)
        if key not in memo:  # the value is kept so its id stays unique
            memo[key] = (value, to_json(value, form))
        return memo[key][1]

    questions = []
    for v in views(report, level):
        questions.append(
            {
                "id": safe(v.id, 200),
                "kind": v.kind,
                "status": v.status,
                "score": _score(v.score),
                "max_score": _score(v.max_score),
                "suggested": _score(v.suggested) if v.suggested is not None else None,
                "expected": once(v.expected, v.form) if v.expected is not None else None,
                "answer": once(v.answer, v.form) if v.readable else raw_to_json(v.answer),
                "message": safe_lines(v.message, LONG) if v.message is not None else None,
                "diagnosis": safe_lines(v.diagnosis, LONG) if v.diagnosis is not None else None,
                "mistakes": list(v.mistakes) if v.mistakes else [],
                "wrong_cells": to_json(v.wrong) if v.wrong is not None else None,
                "line": v.line,
                "feedback": v.level,
                "carried_from": safe(v.carried_from, 200) if v.carried_from else None,
            }
        )
    return {
        "assignment": safe(report.assignment.id, 200),
        "student": safe(report.student, 200) if report.student is not None else None,
        "file": shown_path(report.path),
        "score": _score(report.score),
        "max_score": _score(report.max_score),
        "pending": _score(report.pending),  # points waiting for a TA: neither earned nor lost
        "feedback": level,
        "questions": questions,
        "notes": [safe_lines(n, LONG) for n in report.notes],
    }


def solve_json(assignment: Assignment, ids: list[str], explain: bool = False) -> dict:
    """``{"assignment": ID, "answers": {qid: answer}}``; with ``explain``,
    ``"working": {qid: [steps]}`` too.

    A question graded by hand (a text question without a rubric) has no answer key: its answer is
    null, and ``"by_hand": [qid, ...]`` names it (the key is there only when some question is).
    """
    questions = [(safe(qid, 200), assignment.questions[qid]) for qid in ids]
    out = {
        "assignment": safe(assignment.id, 200),
        "answers": {qid: to_json(q.expected.value, q.kind.form) for qid, q in questions},
    }
    by_hand = [qid for qid, q in questions if q.expected.value is None]
    if by_hand:
        out["by_hand"] = by_hand
    if explain:
        out["working"] = {qid: [_step_json(s) for s in _explain(q)] for qid, q in questions}
    return out


def _explain(q):
    return q.kind.explain(q.params, q.expected)


def _step_json(step) -> dict:
    value = step.value.value if hasattr(step.value, "channels") else step.value
    return {
        "text": safe_lines(step.text, LONG),
        "value": to_json(value) if value is not None else None,
    }


def list_json(assignments: list[Assignment], default: str) -> dict:
    return {
        "default": safe(default, 200),
        "assignments": [
            {
                "id": safe(a.id, 200),
                "title": safe(a.title, LONG),
                "file": shown_path(a.path),
                "max_score": _score(a.max_score),
                "questions": [
                    {
                        "id": safe(q.id, 200),
                        "kind": q.kind.name,
                        "points": _score(q.points),
                        "prompt": safe_lines(q.prompt, LONG),
                    }
                    for q in a.questions.values()
                ],
            }
            for a in assignments
        ],
    }
