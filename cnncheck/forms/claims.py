"""Roles: what a rubric idea's claim fixes, and the answers that put the wrong filler in it.

An idea such as "new training images are made by transforming the ones we have" is about the
training data; an answer that says "we flip and crop the test images" earns it with the rubric's
own words ("flip", "crop") and states a wrong claim. An idea declares the roles its claim fixes
(``roles: {data: training}`` in the bank); :data:`LEXICON` names, in one place, each role's fillers
and the words students use for them. An answer that earns an idea, where a clause stating it names
a conflicting filler of one of its roles and no clause stating it names the idea's own, goes to a
TA (:func:`conflict`): "the answer says 'test images' where the idea says training data".
"""

from __future__ import annotations

from functools import lru_cache

from .text import CLAUSE_BREAKS, NEGATION_REACH, NEGATORS, Rubric, _Answer, _stem, _Term, tokens

# the words students use for the network's input, in the roles that name it
INPUT_IMAGE = (
    "input image",
    "input images",
    "the image",
    "an image",
    "the input",
    "pixels",
    "pixel values",
)
# role -> filler -> (how a TA names it, the words students use for it); the fillers of a role
# conflict with one another
LEXICON: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "data": {
        "training": (
            "training data",
            (
                "train set",
                "training set",
                "training images",
                "training data",
                "training samples",
                "training examples",
                "during training",
                "train images",
                "train data",
                "while training",
            ),
        ),
        "test": (
            "test data",
            (
                "test set",
                "test images",
                "test data",
                "test time",
                "test samples",
                "testing",
                "inference",
                "evaluation",
                "validation",
                "evaluated",
                "at prediction",
            ),
        ),
    },
    "layers": {
        "early": (
            "the early layers",
            (
                "early layers",
                "earlier layers",
                "first layers",
                "first few layers",
                "lower layers",
                "bottom layers",
                "shallow layers",
                "initial layers",
                "near the input",
                "early ones",
                "first ones",
            ),
        ),
        "deep": (
            "the deep layers",
            (
                "last layers",
                "last few layers",
                "top layers",
                "later layers",
                "deeper layers",
                "deep layers",
                "higher layers",
                "final layers",
                "near the output",
                "last ones",
                "top ones",
            ),
        ),
    },
    "combine": {
        "concatenate": (
            "concatenation",
            (
                "concaten",
                "concat",
                "stack",
                "stacked",
                "along the channel",
                "along the depth",
            ),
        ),
        "add": (
            "adding",
            (
                "sum",
                "sums",
                "summed",
                "summing",
                "added together",
                "add together",
                "add them",
                "adds them",
                "add up",
                "adds up",
                "added up",
                "are added",
                "is added",
                "averaged",
                "element-wise",
                "elementwise",
            ),
        ),
    },
    "target": {
        "input": ("the input image", (*INPUT_IMAGE, "blank image", "noise image", "random image")),
        "weights": ("the weights", ("weights", "parameters", "kernels", "the network's weights")),
    },
    "gradient": {  # what a gradient is taken with respect to
        "maps": (
            "the feature maps",
            (
                "feature map",
                "feature maps",
                "activation map",
                "activation maps",
                "last conv",
                "final conv",
                "last convolutional",
                "final convolutional",
                "a^k",
            ),
        ),
        "input": ("the input image", (*INPUT_IMAGE, "generate an image", "generated image")),
    },
    "objective": {
        "activation": (
            "a filter's activation",
            (
                "activation",
                "activations",
                "activates",
                "response",
                "responds",
                "fires",
                "score",
                "output of the filter",
                "filter output",
            ),
        ),
        "loss": ("the loss", ("loss", "error", "cost function")),
    },
    "direction": {
        "increase": (
            "an increase",
            (
                "increase",
                "increases",
                "grow",
                "grows",
                "larger",
                "bigger",
                "more",
                "expand",
                "expands",
                "enlarge",
                "enlarges",
            ),
        ),
        "decrease": (
            "a decrease",
            (
                "decrease",
                "decreases",
                "reduce",
                "reduces",
                "fewer",
                "smaller",
                "shrink",
                "shrinks",
                "less",
            ),
        ),
    },
    "model": {  # which side of a transfer each stands on: after "from", or after "into"
        "source": (
            "the pretrained model as the source",
            (
                "pretrained",
                "pre-trained",
                "large dataset",
                "big dataset",
                "huge dataset",
                "imagenet",
                "big model",
                "large model",
                "bigger model",
            ),
        ),
        "target": (
            "the new task as the target",
            (
                "new task",
                "small dataset",
                "smaller dataset",
                "small model",
                "smaller model",
                "own dataset",
                "own data",
            ),
        ),
    },
}
# a role whose fillers are placed by the word before them: which slot each marker gives
SLOTS = {"model": {"from": "source", "into": "target", "onto": "target"}}
SLOT_REACH = 4  # words between a marker and the filler it places
# where a clause ends: text.py's breaks, and the words that start a claim of its own
BREAKS = CLAUSE_BREAKS | frozenset("so because which while since then whereas".split())
_STOPS = frozenset(".;:!?")


class RoledRubric(Rubric):
    """A rubric whose ideas may declare roles: each idea's roles, a dict role -> filler."""

    __slots__ = ("roles",)

    def __init__(self, ideas):
        super().__init__(ideas)
        self.roles = tuple(dict(i[5]) if len(i) > 5 else {} for i in ideas)

    def __eq__(self, other):
        return super().__eq__(other) and getattr(other, "roles", None) == self.roles

    def __hash__(self):
        return hash((self.ideas, tuple(tuple(sorted(r.items())) for r in self.roles)))


@lru_cache(maxsize=4096)
def _phrase(text: str) -> tuple[_Term, ...]:
    return tuple(_Term(w, _stem(w)) for w in tokens(text) if w not in _STOPS)


def _places(words: list[str], phrase: tuple[_Term, ...]) -> list[tuple[int, int]]:
    """Where a phrase stands, as (first, last) positions, as the rubric's matcher finds it."""
    return [(at[0], at[-1]) for at in _Answer(words).places(phrase)] if phrase else []


def _negated(words: list[str], start: int) -> bool:
    for j in range(start - 1, max(-1, start - 1 - NEGATION_REACH), -1):
        if words[j] in BREAKS:
            return False
        if words[j] in NEGATORS:
            return True
    return False


def _clause(words: list[str], i: int) -> tuple[int, int]:
    """The clause of the word at ``i``, as (start, end)."""
    start = next((j + 1 for j in range(i - 1, -1, -1) if words[j] in BREAKS), 0)
    end = next((j for j in range(i + 1, len(words)) if words[j] in BREAKS), len(words))
    return start, end


def _slot(words: list[str], role: str, start: int, lo: int) -> str | None:
    """The slot a marker before the filler at ``start`` (in its clause, from ``lo``) gives it."""
    for j in range(start - 1, max(lo - 1, start - 1 - SLOT_REACH), -1):
        if words[j] in SLOTS[role]:
            return SLOTS[role][words[j]]
    return None


def _fillers(words, role: str, lo: int, hi: int, own: set, declared: str) -> list[tuple]:
    """The fillers of a role affirmed in words[lo:hi], as (filler, first, last), leaving out those
    on the positions of ``own`` (the idea's own phrases). Where a marker places fillers (a role of
    SLOTS), only placed ones count: one in its own slot agrees with the idea (``declared``), one in
    the other slot ("into a big model") conflicts."""
    out = []
    clause = words[lo:hi]
    for filler, (_, phrases) in LEXICON[role].items():
        for phrase in phrases:
            for a, b in _places(clause, _phrase(phrase)):
                a, b = a + lo, b + lo
                if _negated(words, a) or (filler != declared and own & set(range(a, b + 1))):
                    continue  # a conflicting word the idea's own phrase holds is its meaning
                said = filler
                if role in SLOTS:
                    slot = _slot(words, role, a, lo)
                    if slot is None:
                        continue  # placed on neither side: no claim of which way it goes
                    said = declared if slot == filler else _other(role, declared)
                out.append((said, a, b))
    return out


def _other(role: str, filler: str) -> str:
    return next(f for f in LEXICON[role] if f != filler)


def _affirmed(words: list[str], phrases) -> list[tuple[int, int]]:
    return [p for t in phrases for p in _places(words, _phrase(t)) if not _negated(words, p[0])]


def _sentence(words: list[str], i: int) -> int:
    return sum(w in _STOPS for w in words[:i])


def _stated(words: list[str], idea) -> list[tuple[int, int]]:
    """Where the answer states an idea: its phrases, affirmed, and the concepts of its ``all:``
    groups in the sentences that hold one of each."""
    places = _affirmed(words, idea.phrases)
    groups = [_affirmed(words, g) for g in idea.all]
    whole = (
        set.intersection(*({_sentence(words, a) for a, _ in g} for g in groups)) if groups else ()
    )
    return places + [p for g in groups for p in g if _sentence(words, p[0]) in whole]


def conflict(rubric: Rubric, text: str, found) -> str | None:
    """Why a person should read an answer that earns an idea with a role the answer fills
    wrongly, or None: some clause that states the idea (holds one of its phrases, affirmed)
    names a conflicting filler of the role, and no such clause names the idea's own."""
    roles = getattr(rubric, "roles", ())
    if not any(r for r, f in zip(roles, found) if f):
        return None
    words = tokens(text)
    for idea, declared, f in zip(rubric.ideas, roles, found):
        if not f or not declared:
            continue
        places = _stated(words, idea)
        own = {j for a, b in places for j in range(a, b + 1)}
        clauses = sorted({_clause(words, a) for a, _ in places})
        for role, filler in declared.items():
            said = [s for lo, hi in clauses for s in _fillers(words, role, lo, hi, own, filler)]
            wrong = [(a, b) for s, a, b in said if s != filler]
            if wrong and not any(s == filler for s, _, _ in said):
                a, b = wrong[0]
                return (
                    f"the answer says {' '.join(words[a : b + 1])!r} where the idea says "
                    f"{LEXICON[role][filler][0]}"
                )
    return None
