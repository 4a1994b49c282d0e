"""Reports as JSON-ready dicts (the machine-readable contract)."""

from __future__ import annotations

from ..bank import Assignment
from ..grading import Report
from .values import raw_to_json, to_json


def _score(x: float):
    return int(x) if float(x).is_integer() else round(float(x), 6)


def grade_json(report: Report) -> dict:
    """``{"assignment", "student", "score", "max_score", "questions": [...]}``."""
    questions = []
    for r in report.results:
        readable = r.status not in ("invalid", "missing")
        questions.append({
            "id": r.id,
            "kind": r.question.kind.name,
            "status": r.status,
            "score": _score(r.score),
            "max_score": _score(r.max_score),
            "expected": to_json(r.question.expected.value),
            "answer": to_json(r.answer) if readable else raw_to_json(r.answer),
            "message": r.message,
            "line": r.line,
        })
    return {
        "assignment": report.assignment.id,
        "student": report.student,
        "file": report.path,
        "score": _score(report.score),
        "max_score": _score(report.max_score),
        "questions": questions,
        "notes": list(report.notes),
    }


def solve_json(assignment: Assignment, ids: list[str]) -> dict:
    """``{"assignment": ID, "answers": {qid: answer}}``."""
    return {"assignment": assignment.id,
            "answers": {qid: to_json(assignment.questions[qid].expected.value) for qid in ids}}


def list_json(assignments: list[Assignment], default: str) -> dict:
    return {"default": default, "assignments": [
        {"id": a.id, "title": a.title, "file": a.path, "max_score": _score(a.max_score),
         "questions": [{"id": q.id, "kind": q.kind.name, "points": _score(q.points), "prompt": q.prompt}
                       for q in a.questions.values()]}
        for a in assignments]}
