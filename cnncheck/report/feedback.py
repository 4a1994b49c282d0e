"""What a report may show at each feedback level: the only road from a graded result to a reporter.

Reporters read :class:`View` objects, never results, so a level below
``full`` cannot leak the canonical answer through any format: the fields it
must not show are None here.

* ``score``: points only;
* ``verdict``: and the status of each question (and why an answer could not be read);
* ``hints``: and which cells are wrong, a message that never states the answer, the named mistake;
* ``full``: and the expected answers, the full messages, and the working.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..bank import FEEDBACK_LEVELS
from ..forms import Rubric
from ..grading import QuestionResult, Report, Status
from ..kinds import KINDS
from ..kinds.teaching import MISTAKES


class View(NamedTuple):
    id: str
    kind: str
    score: float
    max_score: float
    line: int | None
    level: str
    readable: bool  # the answer was read (an ndarray, a shape or a count), not raw text
    answer: object  # what the student wrote: theirs to see at every level
    status: str | None = None
    message: str | None = None
    wrong: np.ndarray | None = None
    mistakes: tuple[str, ...] | None = None
    expected: object = None
    channels: tuple[str, ...] | None = None
    form: object = None  # the question's answer form: it shows the answer and the expected one
    suggested: float | None = None  # a pending answer's points as the rubric sees them
    carried_from: str | None = None  # credited by error carried forward from this ("q7", "row 2")

    @property
    def diagnosis(self) -> str | None:
        if not self.mistakes:
            return None
        # a mistake has one sentence whichever kind names it (test_kinds_meta), so the question's
        # own kind says it, without importing every kind for the table of all of them
        own = KINDS[self.kind].mistakes if self.kind in KINDS else {}
        return "likely mistake: " + "; or ".join(own.get(m) or MISTAKES[m] for m in self.mistakes)


def level_for(result: QuestionResult, run_level: str) -> str:
    """A question's own ``feedback`` can only show less than the run's level."""
    q = result.question.feedback
    if q is None:
        return run_level
    return min(run_level, q, key=FEEDBACK_LEVELS.index)


def view(r: QuestionResult, run_level: str) -> View:
    level = level_for(r, run_level)
    rank = FEEDBACK_LEVELS.index(level)
    readable = r.readable
    base = View(
        r.id,
        r.question.kind.name,
        r.score,
        r.max_score,
        r.line,
        level,
        readable,
        r.answer,
        channels=r.question.expected.channels,
        form=r.question.kind.form,
    )
    if rank < 1:
        return base
    if rank < 2:
        return base._replace(
            status=r.status,
            message=r.message if r.status is Status.INVALID else None,
            carried_from=r.carried_from,
        )
    base = base._replace(suggested=r.suggested, carried_from=r.carried_from)
    if rank < 3:
        return base._replace(status=r.status, message=r.hint, wrong=r.wrong, mistakes=r.mistakes)
    # a rubric's ideas are shown against an answer, never in place of one: a student could paste
    # them in and be scored on them
    hidden = r.status is Status.MISSING and isinstance(r.question.expected.value, Rubric)
    return base._replace(
        status=r.status,
        message=r.message,
        wrong=r.wrong,
        mistakes=r.mistakes,
        expected=None if hidden else r.question.expected.value,
    )


def views(report: Report, run_level: str) -> list[View]:
    return [view(r, run_level) for r in report.results]


def run_level(report: Report, requested: str | None) -> str:
    """The level asked on the command line, else the bank's default."""
    return requested or report.assignment.feedback
