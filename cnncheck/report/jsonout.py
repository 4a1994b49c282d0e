"""Reports as JSON-ready dicts (the machine-readable contract)."""

from __future__ import annotations

from ..bank import Assignment
from ..grading import Report
from .feedback import run_level, views
from .values import raw_to_json, to_json


def _score(x: float):
    return int(x) if float(x).is_integer() else round(float(x), 6)


def grade_json(report: Report, feedback: str | None = None, memo: dict | None = None) -> dict:
    """``{"assignment", "student", "score", "max_score", "questions": [...]}``, showing what ``feedback`` allows.

    Fields a level hides are null: ``status`` below verdict; ``message``, ``diagnosis`` and
    ``wrong_cells`` below hints (but for unreadable answers); ``expected`` below full.
    """
    level = run_level(report, feedback)
    memo = {} if memo is None else memo  # id -> JSON of values shared by many reports (expected answers, cached answers)

    def once(value):
        key = id(value)
        if key not in memo:
            memo[key] = (value, to_json(value))  # the value is kept so its id stays unique
        return memo[key][1]

    questions = []
    for v in views(report, level):
        questions.append({
            "id": v.id,
            "kind": v.kind,
            "status": v.status,
            "score": _score(v.score),
            "max_score": _score(v.max_score),
            "expected": once(v.expected) if v.expected is not None else None,
            "answer": once(v.answer) if v.readable else raw_to_json(v.answer),
            "message": v.message,
            "diagnosis": v.diagnosis,
            "mistakes": list(v.mistakes) if v.mistakes else [],
            "wrong_cells": to_json(v.wrong) if v.wrong is not None else None,
            "line": v.line,
            "feedback": v.level,
        })
    return {
        "assignment": report.assignment.id,
        "student": report.student,
        "file": report.path,
        "score": _score(report.score),
        "max_score": _score(report.max_score),
        "feedback": level,
        "questions": questions,
        "notes": list(report.notes),
    }


def solve_json(assignment: Assignment, ids: list[str], explain: bool = False) -> dict:
    """``{"assignment": ID, "answers": {qid: answer}}``; with ``explain``, ``"working": {qid: [steps]}`` too."""
    out = {"assignment": assignment.id,
           "answers": {qid: to_json(assignment.questions[qid].expected.value) for qid in ids}}
    if explain:
        out["working"] = {qid: [_step_json(s) for s in _explain(assignment.questions[qid])] for qid in ids}
    return out


def _explain(q):
    return q.kind.explain(q.params, q.expected)


def _step_json(step) -> dict:
    value = step.value.value if hasattr(step.value, "channels") else step.value
    return {"text": step.text, "value": to_json(value) if value is not None else None}


def list_json(assignments: list[Assignment], default: str) -> dict:
    return {"default": default, "assignments": [
        {"id": a.id, "title": a.title, "file": a.path, "max_score": _score(a.max_score),
         "questions": [{"id": q.id, "kind": q.kind.name, "points": _score(q.points), "prompt": q.prompt}
                       for q in a.questions.values()]}
        for a in assignments]}
