"""Student answer files: YAML -> :class:`Submission`, untrusted input at the edge.

The file is a mapping with ``answers:`` (question id -> what the student
wrote) and optionally ``assignment:`` and ``student:``. Values are kept raw
here, with their lines; reading them is the grader's job, one answer at a
time, so one unreadable answer never stops the rest. Nothing in the file can
change points, ids or the bank: unknown top-level keys become notes.
"""

from __future__ import annotations

from typing import NamedTuple

from . import yamlio
from .yamlio import InputError

TOP_KEYS = ("assignment", "student", "answers")
MAX_NAME = 200


class RawAnswer(NamedTuple):
    value: object
    line: int


class Submission(NamedTuple):
    path: str
    assignment: str | None
    student: str | None
    answers: dict[str, RawAnswer]
    notes: tuple[str, ...] = ()  # things the grader ignored, said once
    line_of_assignment: int | None = None


def _name(value, key: str, path: str, line: int) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        from .forms import _describe

        raise InputError(f"{key}: must be a name, got {_describe(value)}", path, line)
    text = str(value).strip()
    if not text or len(text) > MAX_NAME:
        raise InputError(f"{key}: must be a name of 1 to {MAX_NAME} characters", path, line)
    return text


def load_submission(path: str, limits: yamlio.Limits = yamlio.ANSWER_LIMITS) -> Submission:
    """Read one answer file. Raises :class:`InputError` (with the line) when it cannot be used at
    all."""
    doc = yamlio.load_file(path, limits)
    if doc is None:
        raise InputError("the file is empty; expected a mapping with answers:", path, 1)
    if not isinstance(doc, dict):
        kind = "a list" if isinstance(doc, list) else "a single value"
        raise InputError(
            f"expected a mapping with answers:, got {kind}", path, getattr(doc, "line", 1)
        )
    notes = []
    for key in doc:
        if key not in TOP_KEYS:
            notes.append(
                f"line {doc.line_of(key)}: unknown key {str(key)[:40]!r} ignored "
                f"(an answer file has {', '.join(TOP_KEYS)})"
            )
    assignment = doc.get("assignment")
    if assignment is not None:
        assignment = _name(assignment, "assignment", path, doc.line_of("assignment"))
    student = doc.get("student")
    if student is not None:
        student = _name(student, "student", path, doc.line_of("student"))
    if "answers" not in doc:
        raise InputError(
            "no answers: mapping (write answers: and then one line per question, e.g. q1: ...)",
            path,
            doc.line,
        )
    raw = doc["answers"]
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError(
            "answers: must be a mapping of question ids to answers", path, doc.line_of("answers")
        )
    answers = {}
    for qid, value in raw.items():
        if isinstance(qid, (dict, list)) or isinstance(qid, bool):
            raise InputError("a question id must be a name such as q1", path, raw.line_of(qid))
        answers[str(qid)] = RawAnswer(value, raw.line_of(qid))
    return Submission(
        path,
        assignment,
        student,
        answers,
        tuple(notes),
        doc.line_of("assignment") if "assignment" in doc else None,
    )
