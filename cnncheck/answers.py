"""Student answer files: YAML -> :class:`Submission`, untrusted input at the edge.

The file is a mapping with ``answers:`` (question id -> what the student
wrote) and optionally ``assignment:`` and ``student:``. Values are kept raw
here, with their lines; reading them is the grader's job, one answer at a
time, so one unreadable answer never stops the rest. Nothing in the file can
change points, ids or the bank: unknown top-level keys become notes.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from . import yamlio
from .yamlio import InputError

TOP_KEYS = ("assignment", "student", "answers")
MAX_NAME = 200
MAX_RECOVERED = 50  # answers YAML cannot parse, set aside one by one; past this the file is refused


class RawAnswer(NamedTuple):
    value: object  # as YAML gave it, or a ``forms.Unparsed`` when YAML could not parse it
    line: int
    source: object = None  # the value as written in the file, when YAML may have lost something


class Submission(NamedTuple):
    path: str
    assignment: str | None
    student: str | None
    answers: dict[str, RawAnswer]
    notes: tuple[str, ...] = ()  # things the grader ignored, said once
    line_of_assignment: int | None = None
    line_of_student: int | None = None


def _name(value, key: str, path: str, line: int) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        from .forms import describe_value as _describe

        raise InputError(f"{key}: must be a name, got {_describe(value)}", path, line)
    text = str(value).strip()
    if not text or len(text) > MAX_NAME:
        raise InputError(f"{key}: must be a name of 1 to {MAX_NAME} characters", path, line)
    return text


def load_submission(path: str, limits: yamlio.Limits = yamlio.ANSWER_LIMITS) -> Submission:
    """Read one answer file. Raises :class:`InputError` (with the line) when it cannot be used at
    all."""
    text = yamlio.read_text(path, limits)
    doc, unparsed = _load_recovering(text, path, limits)
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
        line = raw.line_of(qid)
        if line in unparsed:
            value = unparsed[line]
        answers[str(qid)] = RawAnswer(value, line, raw.source_of(qid))
    return Submission(
        path,
        assignment,
        student,
        answers,
        tuple(notes),
        doc.line_of("assignment") if "assignment" in doc else None,
        doc.line_of("student") if "student" in doc else None,
    )


# ------------------------------------------------------------ one broken answer, not a broken file

_ANSWERS = re.compile(r"^answers\s*:\s*(#.*)?$")
_KEY = re.compile(r"""^( +)("[^"]*"|'[^']*'|[^\s#'"{}\[\]&*!|>%@`-][^:#]*?)\s*:(?:\s|$)""")


def _load_recovering(text: str, path: str, limits: yamlio.Limits):
    """Parse an answer file; when YAML cannot parse one answer (``q4: Matching: the filter...``,
    an unquoted colon in prose), set that answer aside as a ``forms.Unparsed`` with its lines and
    YAML's reason, and parse the rest, so every other answer is graded. Returns the document and
    {line of the answer's id: Unparsed}. A syntax error outside ``answers:`` is the file's."""
    from .forms import Unparsed

    lines = text.split("\n")
    unparsed: dict[int, Unparsed] = {}
    while True:
        try:
            return yamlio.loads("\n".join(lines), path, limits), unparsed
        except InputError as e:
            entry = _entry_at(lines, e.first_line) if e.syntax else None
            if entry is None or len(unparsed) >= MAX_RECOVERED or entry[0] + 1 in unparsed:
                if unparsed and e.syntax:  # say which answers were already set aside
                    e.message += f" (and {len(unparsed)} answer(s) above could not be read)"
                raise
            start, end, indent, key = entry
            first = lines[start].split(":", 1)[1] if ":" in lines[start] else ""
            body = [first.strip()] + [line.strip() for line in lines[start + 1 : end]]
            unparsed[start + 1] = Unparsed("\n".join(b for b in body if b), e.syntax, start + 1)
            lines[start] = f"{' ' * indent}{key}: ~"
            for i in range(start + 1, end):
                lines[i] = ""  # the answer's other lines, blank: every line keeps its number


def _entry_at(lines: list[str], line: int | None):
    """The answer entry (first line, end, indent, key as written) holding 1-based ``line`` inside
    a block ``answers:`` mapping at the top level, or None."""
    if not line:
        return None
    top = next((i for i, text in enumerate(lines) if _ANSWERS.match(text)), None)
    if top is None or line - 1 <= top:
        return None
    body = [
        i
        for i in range(top + 1, len(lines))
        if lines[i].strip() and not lines[i].lstrip().startswith("#")
    ]
    if not body:
        return None
    indent = len(lines[body[0]]) - len(lines[body[0]].lstrip(" "))
    if indent == 0:
        return None
    start = None
    for i in body:
        here = len(lines[i]) - len(lines[i].lstrip(" "))
        if i > line - 1 and here <= indent:
            break
        if here < indent:
            return None  # the answers ended before the error: it is the file's
        if here == indent and i <= line - 1:
            start = i
    if start is None:
        return None
    key = _KEY.match(lines[start])
    if key is None or len(key.group(1)) != indent:
        return None
    end = next(
        (i for i in body if i > start and len(lines[i]) - len(lines[i].lstrip(" ")) <= indent),
        len(lines),
    )
    return start, end, indent, key.group(2)
