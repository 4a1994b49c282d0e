"""Grading: (assignment, submission) -> report. Pure: no files, no printing.

Every question of the assignment gets a result, answered or not; one bad
answer becomes an ``invalid`` result and never stops the rest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import NamedTuple

import numpy as np

from . import forms
from .answers import Submission
from .bank import Assignment, Question
from .kinds.teaching import Step
from .yamlio import InputError


class Status(str, Enum):
    """A question's verdict. A ``str``, so JSON, styles and comparisons see its plain value."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    MISSING = "missing"
    INVALID = "invalid"
    MANUAL = "manual"  # answered, waiting for a human: counted neither right nor wrong
    # answered, scored by the rubric only tentatively (weak or mixed evidence): its suggested
    # points wait for a TA, counted neither earned nor lost
    REVIEW = "review"

    __str__ = str.__str__
    __format__ = str.__format__

    @property
    def pending(self) -> bool:
        """Waiting for a person: its points are neither earned nor lost until a TA decides."""
        return self in (Status.MANUAL, Status.REVIEW)

    @property
    def done(self) -> bool:
        """Nothing left to earn: right, or waiting for a human."""
        return self is Status.CORRECT or self.pending


CORRECT, PARTIAL, INCORRECT, MISSING, INVALID, MANUAL, REVIEW = Status
STATUSES = tuple(Status)


@dataclass(frozen=True, eq=False)
class QuestionResult:
    question: Question
    status: Status
    score: float
    answer: object = (
        None  # the answer as read (ndarray, tuple, int), or the raw value when unreadable
    )
    message: str = ""
    wrong: np.ndarray | None = None  # cells that differ, for array answers of the right shape
    line: int | None = None  # where the answer stands in the file
    mistakes: tuple[
        str, ...
    ] = ()  # the named mistakes (keys of teaching.MISTAKES) the answer matches
    hint: str = ""  # the message without the expected answer, for feedback below "full"
    suggested: float | None = None  # a pending answer's points as the rubric sees them
    # the grader's status before a TA's points made this result final (None: not reviewed)
    reviewed_from: Status | None = None
    # error carried forward: what the credit came from ("q7", "row 2"), and the student's own
    # upstream answers it was recomputed on ((key, value, axes) each) or the rows carried
    carried_from: str | None = None
    carried_with: tuple = ()
    carried_rows: tuple[int, ...] = ()
    # how long grading the answer took (a remembered answer's: none); not part of the verdict
    seconds: float = field(default=0.0, compare=False)

    @property
    def readable(self) -> bool:
        """The answer was read (its form shows it), not kept as written."""
        return (self.reviewed_from or self.status) not in (Status.INVALID, Status.MISSING)

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def done(self) -> bool:
        """Nothing left to earn: right with all its points (an answer carried forward may earn
        less), or waiting for a human."""
        return self.status.done and not (self.carried_from and self.score < self.max_score)

    @property
    def max_score(self) -> float:
        return self.question.points


@dataclass(frozen=True, eq=False)
class Report:
    """A graded submission. ``ok``: it could be graded (a :class:`FileError` is not)."""

    assignment: Assignment
    student: str | None
    path: str
    results: tuple[QuestionResult, ...]
    notes: tuple[str, ...] = ()
    ok = True

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.results)

    @property
    def pending(self) -> float:
        """Points waiting for a TA (manual and review answers): neither earned nor lost."""
        return sum(r.max_score for r in self.results if r.status.pending)

    @property
    def full_marks(self) -> bool:
        """Every question right with all its points, but those waiting for a human."""
        return all(r.done for r in self.results)


class FileError(NamedTuple):
    """A submission that could not be graded: the file, the reason, the line. ``ok`` is False."""

    path: str
    message: str
    line: int | None = None
    ok = False

    def __str__(self) -> str:
        return str(InputError(self.message, self.path, self.line))


def internal_error(e: BaseException) -> str:
    """An unexpected exception, in the words every error row and message uses."""
    return (
        f"internal error: {type(e).__name__}: {str(e)[:200]}; "
        "run with --debug for the traceback, and please report it"
    )


def diagnose(q: Question, got) -> tuple[str, ...]:
    """The classic mistakes whose answer equals ``got`` (exactly, or within the question's
    tolerance)."""
    found: list[str] = []
    for v in q.mistake_answers:
        exact = not (isinstance(v.value, np.ndarray) and v.value.dtype.kind == "f")
        if (
            v.mistake not in found
            and q.kind.form.compare(
                got, forms.Expected(v.value, q.expected.channels, exact), q.tolerance
            ).correct
        ):
            found.append(v.mistake)
    return tuple(found)


def grade_answer(q: Question, raw, line: int | None = None, source=None) -> QuestionResult:
    """One answer against one question. ``source``: the answer as written in the file, when
    YAML's value may have lost what the student meant (see ``forms.notations.source``)."""
    form = q.kind.form
    try:
        reading = form.reading(raw, q.expected, source)
    except forms.AnswerError as e:
        reason = raw.fix() if isinstance(raw, forms.Unparsed) else f"cannot read the answer: {e}"
        message = f"{reason.rstrip('.')}. Expected {form.describe(q.expected, q.kind.maps)}"
        return QuestionResult(q, INVALID, 0, raw, message, line=line, hint=message)
    check = form.compare(reading.value, q.expected, q.tolerance)
    notes = "; ".join(reading.notes)

    def said(text: str | None) -> str:
        return "; ".join(t for t in (notes, text) if t)

    if check.review is not None:  # weak or mixed evidence: a TA decides, the points suggested
        return QuestionResult(
            q, REVIEW, 0, check.value, said(check.message), check.wrong, line,
            hint=said(check.hint), suggested=_suggested(q, check),
        )  # fmt: skip
    if check.correct is None:
        return QuestionResult(
            q, MANUAL, 0, check.value, said(check.message), line=line, hint=said(check.message)
        )
    if check.correct:
        return QuestionResult(
            q, CORRECT, q.points, check.value, said(check.message), line=line,
            hint=said(check.message),
        )  # fmt: skip
    status, score = INCORRECT, 0
    if q.partial and check.total_cells and check.right_cells:
        status, score = PARTIAL, q.points * check.right_cells / check.total_cells
    message, hint = check.message, check.hint or check.message
    if reading.rounded:  # 7.5e7 is not a count: never a named mistake it happens to equal
        rounded = "a rounded number: an exact answer gives every digit"
        message, hint = said(rounded if not message else f"{message}; {rounded}"), said(rounded)
        mistakes: tuple[str, ...] = ()
    else:
        message, hint, mistakes = said(message), said(hint), diagnose(q, check.value)
    return QuestionResult(q, status, score, check.value, message, check.wrong, line, mistakes, hint)


def _suggested(q: Question, check: forms.Check) -> float:
    """The points the rubric would give, on the question's scale."""
    if not check.total_cells:
        return 0.0
    share = (check.right_cells or 0) / check.total_cells
    if not q.partial:
        share = float(share == 1)
    return q.points * share


def _match_ids(assignment: Assignment, submission: Submission) -> tuple[dict[str, str], list[str]]:
    """Answer ids -> question ids (exact, else ignoring case); the answer ids that match nothing."""
    by_lower: dict[str, list[str]] = {}
    for qid in assignment.questions:
        by_lower.setdefault(qid.lower(), []).append(qid)
    mapping, unknown = {}, []
    for aid in submission.answers:
        if aid in assignment.questions:
            mapping[aid] = aid
        elif (
            len(by_lower.get(aid.lower(), [])) == 1
            and by_lower[aid.lower()][0] not in submission.answers
        ):
            mapping[aid] = by_lower[aid.lower()][0]
        else:
            unknown.append(aid)
    return mapping, unknown


_PLAIN = frozenset({str, int, float, bool, type(None)})  # hashable, nothing written inside


def _freeze(v):
    """A hashable key for a raw answer that tells apart everything reading could (45, 45.0, '45');
    None if unhashable."""
    if type(v) in _PLAIN:  # most values of a file: no need to look inside
        return (type(v).__name__, v)
    written = tuple(sorted(getattr(v, "sources", {}).items(), key=repr))  # as written, inside
    if isinstance(v, dict):
        items = tuple((_freeze(k), _freeze(x)) for k, x in v.items())
        return None if any(k is None or x is None for k, x in items) else ("d", items, written)
    if isinstance(v, list):
        items = tuple(_freeze(x) for x in v)
        return None if any(x is None for x in items) else ("l", items, written)
    try:
        hash(v)
    except TypeError:
        return None
    return (type(v).__name__, v)


def _copy(result: QuestionResult, **changes) -> QuestionResult:
    """``dataclasses.replace`` for the grader's hot path, a class of thousands: every field of a
    result is set by ``__init__``, which does nothing else, so copying them is the same."""
    new = object.__new__(type(result))
    new.__dict__.update(result.__dict__, **changes)
    return new


def grade(
    assignment: Assignment,
    submission: Submission,
    cache: dict | None = None,
    *,
    debug: bool = False,
) -> Report:
    """Grade a submission against its assignment (the student's own variant of it).

    ``cache``, shared across the submissions of a run, remembers each distinct answer's result:
    a class writes the same right (and wrong) answers many times over. ``debug``: an unexpected
    error in one answer is raised, not made that answer's ``invalid`` result.
    """
    variant_note = []
    if assignment.random:
        if not submission.student:
            variant_note.append(
                f"{assignment.id} differs from student to student, and this file names no student: "
                f"graded against the default variant"
            )
        assignment = assignment.for_student(submission.student)
    mapping, unknown = _match_ids(assignment, submission)
    given = {qid: submission.answers[aid] for aid, qid in mapping.items()}
    results = []
    for qid, q in assignment.questions.items():
        if qid not in given:
            results.append(QuestionResult(q, MISSING, 0, None, "no answer", hint="no answer"))
            continue
        raw = given[qid]
        blank = isinstance(raw.value, str) and not raw.value.strip()  # "q4: |" and nothing
        if raw.value is None or blank:  # "q1:" with nothing after it: a template not filled in
            results.append(
                QuestionResult(
                    q,
                    MISSING,
                    0,
                    None,
                    f"left blank (line {raw.line})",
                    line=raw.line,
                    hint=f"left blank (line {raw.line})",
                )
            )
            continue
        key = (  # the question itself (variants differ), and the answer as written
            (id(q), _freeze(raw.value), raw.source) if cache is not None else None
        )
        if key is not None and key[1] is not None and key in cache:
            results.append(_copy(cache[key], line=raw.line, seconds=0.0))
            continue
        started = time.perf_counter()
        try:
            result = grade_answer(q, raw.value, raw.line, raw.source)
        except (
            Exception
        ) as e:  # a bug in cnncheck: this answer says so, and the rest are still graded
            if debug:
                raise
            message = f"cnncheck could not grade this answer ({internal_error(e)})"
            result = QuestionResult(q, INVALID, 0, raw.value, message, line=raw.line, hint=message)
        result = _copy(result, seconds=time.perf_counter() - started)
        if key is not None and key[1] is not None and len(cache) < 100_000:
            cache[key] = result
        results.append(result)
    results = carry_forward(results, cache)
    notes = list(submission.notes) + variant_note
    for aid in unknown:
        notes.append(
            f"line {submission.answers[aid].line}: an answer for {aid[:40]!r}, "
            f"which {assignment.id} does not have (its questions: "
            f"{', '.join(assignment.questions)})"
        )
    return Report(assignment, submission.student, submission.path, tuple(results), tuple(notes))


# ------------------------------------------------------------ error carried forward


def carry_forward(results: list[QuestionResult], cache: dict | None = None) -> list[QuestionResult]:
    """The results with error carried forward: an answer that is wrong, but right for the
    student's own wrong (and readable) answer to a question it ``uses``, or for the student's own
    rows above it, earns the question's ``carry`` share of the points, as ``correct`` with a note.

    Upstream questions come first, so a downstream answer is graded on what the student wrote
    upstream, never on a value they did not write. ``cache`` remembers each recomputation."""
    by_id = {r.id: r for r in results}
    done: set[str] = set()
    for r in results:  # each question once its upstream ones are settled, with a stack of its own
        stack = [r.id]
        while stack:
            qid = stack[-1]
            if qid in done:
                stack.pop()
                continue
            waiting = [u for u, _ in by_id[qid].question.uses if u in by_id and u not in done]
            if waiting and qid not in stack[:-1]:
                stack += waiting
                continue
            done.add(qid)  # (a cycle, which the bank refuses, would settle here as it stands)
            stack.pop()
            by_id[qid] = _from_rows(_from_upstream(by_id[qid], by_id, cache))
    return [by_id[r.id] for r in results]


def _wrong(r: QuestionResult) -> bool | None:
    """Whether an upstream answer is wrong (True), right (False), or nothing can follow from it
    (None: missing, unreadable, waiting for a person)."""
    if not r.readable or r.status.pending or r.answer is None:
        return None
    q = r.question
    return not q.kind.form.compare(r.answer, q.expected, q.tolerance).correct


def _from_upstream(r: QuestionResult, by_id: dict, cache: dict | None) -> QuestionResult:
    q = r.question
    if not q.uses or r.status not in (INCORRECT, PARTIAL):
        return r
    values, wrong = [], []
    for uid, key in q.uses:
        up = by_id.get(uid)
        verdict = _wrong(up) if up is not None else None
        if verdict is None:  # never from a missing or unreadable answer
            return r
        if verdict:
            wrong.append(uid)
        values.append((key, _hashable(up.answer), up.question.expected.axes))
    if not wrong:  # every upstream answer right: this one must be right on its own
        return r
    values = tuple(values)
    key = ("carried", id(q), values)
    if cache is not None and key in cache:
        posed = cache[key]
    else:
        posed = q.carried(values)
        if cache is not None and len(cache) < 100_000:
            cache[key] = posed
    if posed is None or not q.kind.form.compare(r.answer, posed.expected, q.tolerance).correct:
        return r
    yours = ", ".join(
        f"your {uid} = {_shown(value)}"
        for (uid, _), (_, value, _) in zip(q.uses, values)
        if uid in wrong
    )
    return _credited(
        r, q.points * q.carry, ", ".join(wrong), f"right for {yours}", carried_with=values,
        wrong=None,
    )  # fmt: skip


def _from_rows(r: QuestionResult) -> QuestionResult:
    q = r.question
    if r.status not in (INCORRECT, PARTIAL) or r.wrong is None or not q.partial:
        return r
    followed = q.kind.carried_rows(q.params, r.answer)
    cells = [_row_cell(r.answer, n) for n in range(len(followed))]
    carried = tuple(
        n for n, v in enumerate(followed) if v is not None and r.wrong[n] and cells[n] == v
    )
    if not carried:
        return r
    rows = len(followed) - 1
    named = [f"{n + 1}" for n in carried if n < rows]
    said = (f"row{'s' if len(named) > 1 else ''} {', '.join(named)}" if named else "") + (
        f"{' and ' if named else ''}the total" if rows in carried else ""
    )
    first = next((n for n in carried if n < rows), None)
    source = f"row {first}" if first is not None else "your rows"
    still = r.wrong.copy()
    still[list(carried)] = False
    right = len(still) - int(r.wrong.sum())
    score = q.points * (right + q.carry * len(carried)) / len(still)
    said = f"{said} right for your own rows above {'them' if len(carried) > 1 else 'it'}"
    return _credited(r, score, source, said, carried_rows=carried, wrong=still)


def _row_cell(table, n: int):
    return table.rows[n] if n < len(table.rows) else table.total


def _credited(r: QuestionResult, score: float, source: str, said: str, **fields) -> QuestionResult:
    """``r`` credited by carrying forward from ``source``: ``correct`` when nothing else is wrong
    and the carry earns points, with the note; the points, when they are more than it had."""
    q = r.question
    note = f"carried forward from {source}: {said}"
    if q.carry == 0:
        note += "; this question gives carry-forward no credit"
        return replace(r, message=_join(r.message, note), hint=_join(r.hint, note))
    wrong = fields.get("wrong")
    status = CORRECT if wrong is None or not wrong.any() else r.status
    if score > r.score and status is not CORRECT:
        status = PARTIAL
    note += f" ({'full' if q.carry == 1 else 'half'} credit)"
    message = note if status is CORRECT else _join(r.message, note)
    return replace(
        r,
        status=status,
        score=max(score, r.score),
        message=message,
        hint=message if status is CORRECT else _join(r.hint, note),
        mistakes=() if status is CORRECT else r.mistakes,
        carried_from=source,
        **fields,
    )


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _hashable(v):
    return tuple(v) if isinstance(v, list) else v


def _shown(v) -> str:
    return "×".join(map(str, v)) if isinstance(v, tuple) else str(v)


def carried_working(r: QuestionResult) -> list:
    """The working of an answer credited by carrying forward, with the student's own numbers in:
    the question worked on their upstream answers, or each carried row on their row above it."""
    q = r.question
    if r.carried_rows:
        return q.kind.carry_working(q.params, r.answer, r.carried_rows)
    posed = q.carried(r.carried_with) if r.carried_with else None
    if posed is None:
        return []
    yours = ", ".join(f"{key} = {_shown(value)}" for key, value, _ in r.carried_with)
    head = Step(f"Worked with your own {yours} (from {r.carried_from}):")
    return [head, *q.kind.explain(posed.params, posed.expected)]
