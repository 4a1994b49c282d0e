"""The text form: answers in words (conceptual questions), scored against a rubric's key ideas."""

from __future__ import annotations

import re

import numpy as np

from .core import AnswerError, Check, Expected, Form, Reading, Tolerance, Unparsed, describe_value
from .core import num as _num

BY_HAND = "graded by hand: no answer key, a TA grades each answer"


def _normal(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


class Rubric:
    """Key ideas of a written answer: (idea, points, phrases); an idea is present when any phrase
    is."""

    __slots__ = ("ideas", "_needles")

    def __init__(self, ideas):
        self.ideas = tuple((str(idea), points, tuple(phrases)) for idea, points, phrases in ideas)
        self._needles = tuple(
            tuple(_normal(ph).rstrip() for ph in phrases) for _, _, phrases in self.ideas
        )

    def __eq__(self, other):
        return isinstance(other, Rubric) and self.ideas == other.ideas

    def __hash__(self):
        return hash(self.ideas)

    def found(self, text: str) -> list[bool]:
        """Which ideas the text holds: a phrase matches at the start of a word (so 'resembl' finds
        'resembles')."""
        norm = _normal(text)
        return [any(needle in norm for needle in needles) for needles in self._needles]

    @property
    def total(self) -> float:
        return sum(points for _, points, _ in self.ideas)

    def to_json(self) -> list:
        """The key ideas and their points (the phrases that find them are the grader's; `solve`
        shows them)."""
        return [{"idea": idea, "points": points} for idea, points, _ in self.ideas]


class TextForm(Form):
    name = "text"
    partial = "ideas"
    example = "a sentence or two, in quotes or after |"

    def reading(self, raw, expected: Expected, source=None) -> Reading:
        """Words: a string (or lines of one), numbers taken as written. An answer YAML could not
        parse is not guessed at: it says how to write it."""
        if isinstance(raw, Unparsed):
            raise AnswerError(raw.fix())
        if isinstance(raw, list) and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in raw
        ):
            raw = "\n".join(str(v) for v in raw)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str):
            raise AnswerError(f"expected a written answer, got {describe_value(raw)}")
        if not raw.strip():
            raise AnswerError("the answer is empty")
        return Reading(raw.strip())

    def compare(self, got: str, expected: Expected, tol: Tolerance | None = None) -> Check:
        rubric: Rubric | None = expected.value
        if rubric is None:
            return Check(None, got, "awaiting a TA (graded by hand)")
        found = rubric.found(got)
        earned = sum(points for (_, points, _), f in zip(rubric.ideas, found) if f)
        present = [idea for (idea, _, _), f in zip(rubric.ideas, found) if f]
        missing = [idea for (idea, _, _), f in zip(rubric.ideas, found) if not f]
        parts = [f"found: {'; '.join(present)}"] if present else []
        parts += [f"missing: {'; '.join(missing)}"] if missing else []
        counted = f"{len(present)} of {len(found)} key ideas found"
        wrong = np.array([not f for f in found])
        return Check(
            not missing,
            got,
            f"{counted}. " + ". ".join(parts) if missing else counted,
            wrong,
            earned,
            rubric.total,
            hint=counted,
        )

    def describe(self, expected: Expected, maps: str = "filter") -> str:
        return "a few sentences, in words, on the indented lines below the id's |"

    def example_for(self, expected: Expected) -> str:
        return "|\n    A sentence or two in your own words."

    def text(self, value, channels=None, *, inline: bool = False) -> str:
        from ..textsafe import safe

        if value is None:
            return "graded by hand"
        if isinstance(value, Rubric):
            ideas = [f"{idea} ({_num(points)})" for idea, points, _ in value.ideas]
            return "; ".join(ideas) if inline else "\n".join(ideas)
        return safe(value, 2000)

    def rich(self, value, wrong=None, channels=None):
        from rich.text import Text

        from ..textsafe import safe

        if value is None:  # no answer key: a text question without a rubric
            return Text(BY_HAND, style="manual")
        if isinstance(value, Rubric):
            return Text(
                "\n".join(
                    f"{'✗' if wrong is not None and wrong[i] else '•'} {idea} ({_num(points)})"
                    for i, (idea, points, _) in enumerate(value.ideas)
                )
            )
        return Text(safe(value, 2000).replace("\\n", "\n"))

    def json(self, value):
        from ..textsafe import safe_lines

        if value is None:
            return None
        if isinstance(value, Rubric):
            return value.to_json()
        return safe_lines(value, 10_000)


TEXT = TextForm()
