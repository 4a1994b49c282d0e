"""``text``: a question answered in words. With a rubric, the ideas present earn their points;
without one, the answer waits for a human (status ``manual``)."""

from __future__ import annotations

from .. import forms
from ..forms import Rubric
from ..forms.claims import LEXICON, RoledRubric
from .base import DefinitionError, Key, Kind
from .teaching import Step


def read_rubric(d: dict) -> Rubric | None:
    if d.get("rubric") is None:
        return None
    v = d["rubric"]
    if not isinstance(v, list) or not v:
        raise DefinitionError(
            "rubric must be a list of key ideas, each {idea: ..., points: ..., phrases: [...]}",
            "rubric",
        )
    ideas = []
    for i, item in enumerate(v):
        where = f"rubric idea {i + 1}"
        if not isinstance(item, dict) or set(item) - {
            "idea",
            "points",
            "phrases",
            "all",
            "wrong",
            "roles",
        }:
            raise DefinitionError(
                f"{where} must be {{idea: ..., points: ..., phrases: [...]}} (or all: [[...], "
                "[...]] for two concepts together)",
                "rubric",
            )
        idea, points = item.get("idea"), item.get("points", 1)
        if not isinstance(idea, str) or not idea.strip():
            raise DefinitionError(f"{where}: idea must say the idea in a few words", "rubric")
        if not isinstance(points, (int, float)) or isinstance(points, bool) or points < 0:
            raise DefinitionError(f"{where}: points must be a non-negative number", "rubric")
        phrases = _phrases(item.get("phrases"), f"{where}: phrases", optional="all" in item)
        groups = item.get("all")
        if groups is not None:
            if not isinstance(groups, list) or len(groups) < 2:
                raise DefinitionError(
                    f"{where}: all must list two or more groups of phrases, [[...], [...]]",
                    "rubric",
                )
            groups = [_phrases(g, f"{where}: all, group {n + 1}") for n, g in enumerate(groups)]
        wrong = _phrases(item["wrong"], f"{where}: wrong") if "wrong" in item else []
        roles = _roles(item.get("roles", {}), f"{where}: roles")
        ideas.append((idea.strip(), points, phrases, groups or [], wrong, roles))
    rubric = RoledRubric(ideas)
    if rubric.total <= 0:
        raise DefinitionError("the rubric's ideas are worth 0 points in all", "rubric")
    return rubric


def _roles(v, where: str) -> dict[str, str]:
    """The roles an idea's claim fixes: role -> filler, each of :data:`~..forms.claims.LEXICON`."""
    if not isinstance(v, dict):
        raise DefinitionError(
            f"{where} must map each role to its filler, {{data: training}}", "rubric"
        )
    for role, filler in v.items():
        if role not in LEXICON:
            raise DefinitionError(
                f"{where}: roles are {', '.join(LEXICON)}, not {role!r}", "rubric"
            )
        if filler not in LEXICON[role]:
            raise DefinitionError(
                f"{where}: {role} is one of {', '.join(LEXICON[role])}, not {filler!r}", "rubric"
            )
    return dict(v)


def _phrases(v, where: str, optional: bool = False) -> list[str]:
    if v is None and optional:
        return []
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(p, str) and p.strip() for p in v):
        raise DefinitionError(
            f"{where} must list the words or phrases that show the idea", "rubric"
        )
    return [p.strip() for p in v]


class Text(Kind):
    name = "text"
    keys = (
        Key("prompt", "text", "the question", required=True),
        Key(
            "rubric",
            "rubric",
            "key ideas, each `{idea: ..., points: ..., phrases: [...]}` (points default 1; "
            "`all: [[...], [...]]`: one phrase of each group, concepts needed together; "
            "`wrong: [...]`: misconceptions, which send an answer to a TA; "
            "`roles: {data: training}`: what the idea's claim fixes, and an answer that fills a "
            "role wrongly goes to a TA); "
            "without one, a TA grades the answer",
        ),
    )
    form = forms.TEXT
    examples = (
        {
            "prompt": "Why can a convolution be seen as template matching?",
            "rubric": [
                {"idea": "the filter is a template", "phrases": ["template", "pattern"]},
                {
                    "idea": "the output is large where the patch resembles it",
                    "points": 2,
                    "phrases": ["resembl", "similar", "match"],
                },
            ],
        },
        {"prompt": "What did you find hardest?"},
    )
    partial_default = True  # each idea present earns its share

    def parse(self, d, convention):
        return read_rubric(d)

    def solve(self, rubric):
        return forms.Expected(rubric)

    def describe(self, rubric):
        if rubric is None:
            return [("grading", "by hand: the answer waits for a TA (status manual)")]
        return [
            (
                f"idea {n + 1}",
                f"{i.idea} ({i.points} point{'s' if i.points != 1 else ''}): {i.said()}",
            )
            for n, i in enumerate(rubric.ideas)
        ]

    def warnings(self, rubric):
        return ["no rubric: every answer waits for a TA"] if rubric is None else []

    def explain(self, rubric, expected):
        if rubric is None:
            return [Step("This question is graded by hand.")]
        steps = [
            Step(
                "A good answer makes these points (any of the phrases shows the idea; a + joins "
                "concepts it needs together):"
            )
        ]
        steps += [
            Step(f"{i.idea} ({i.points} point{'s' if i.points != 1 else ''}): {i.said()}")
            for i in rubric.ideas
        ]
        return steps


KIND = Text()
