"""The text form: answers in words (conceptual questions), scored against a rubric's key ideas."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .core import AnswerError, Check, Expected, Form, Reading, Tolerance, Unparsed, describe_value
from .core import num as _num

BY_HAND = "graded by hand: no answer key, a TA grades each answer"


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.;:!?,]")
_BY = re.compile(r"(\d)\s*[x×]\s*(\d)")
_ABBREVIATIONS = re.compile(r"\b(?:i\.e|e\.g|etc|vs|cf)\.")
_CONTRACTIONS = {"can't": "can not", "won't": "will not", "shan't": "shall not"}
NEGATORS = frozenset(
    """not no never without nor neither none nothing cannot hardly barely dont doesnt isnt
    arent wasnt werent cant wont didnt shouldnt couldnt wouldnt hasnt havent""".split()
)  # and any word ending in n't
# where a negation stops: a sentence or clause ends, or the sentence turns
CLAUSE_BREAKS = frozenset(". ; : ! ? , but however although though whereas instead yet".split())
_STOPS = frozenset(".;:!?")  # a phrase's words never span a sentence
# the small words a sentence has and a list of keywords has not
FUNCTION_WORDS = frozenset(
    """a an the is are was were be been being of to in on at by for with from as and or so that
    this these those it its they them their there which who what when where how why because if
    than then can could will would should may might must do does did has have had each every
    into over under about more less most much many very also only just not no we you i he she
    one ones all any some such while whereas but however thus hence therefore up down out""".split()
)
# words that take back or qualify what came before
TURNS = frozenset("but however actually although though whereas instead except unless".split())
# Words that say which way a claim goes, by class, and the class that reverses each: an answer that
# finds an idea about shrinking (its sentence in the rubric) but only says "increases" states the
# idea backwards, with the rubric's words; a person reads it.
POLARITY = {
    "smaller": ("shrink", "reduc", "smaller", "less", "fewer", "decreas", "downsampl", "halv",
                "lower", "compress", "subsampl"),
    "bigger": ("increas", "enlarg", "bigger", "larger", "grow", "upsampl", "doubl", "expand"),
    "adds": ("add", "sum", "plus"),
    "multiplies": ("multipl", "concaten"),
    "invariant": ("invarian", "robust", "insensitiv", "toleran"),
    "sensitive": ("sensitiv",),
}  # fmt: skip
REVERSED = {
    "smaller": "bigger",
    "bigger": "smaller",
    "adds": "multiplies",
    "invariant": "sensitive",
}
NEAR = 12  # words that may separate the concepts of an all: idea
MAX_GAP = 2  # other words allowed between two words of a phrase
NEGATION_REACH = 3  # words before a phrase a negation governs
SHORT = 4  # an answer of fewer words is never scored automatically
SALAD = 0.12  # below this share of small words, an answer is a list of keywords


# suffixes stripped to find a word's stem, longest first: (suffix, what replaces it)
_SUFFIXES = tuple(
    (suffix, "")
    for suffix in """ational ization ations fulness ousness iveness ability ibility
    ation ition ative ement ments ingly edly ities ances ences ment ness ings ance ence able ible
    ity ion
    ing ies ied ive ous ize ise ful ed es ly al er s""".split()
)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A word's stem, so "resembles", "resembling" and "resemblance" meet: a light suffix
    stripper (both the rubric's phrases and the answers go through it, so it need only be
    consistent), fast enough for a class of thousands."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # stopped -> stopp -> stop
    return word


def tokens(text: str) -> list[str]:
    """Lower-case words and the punctuation that ends clauses; "isn't" is "is not"."""
    out: list[str] = []
    text = _BY.sub(r"\1x\2", text.lower().replace("\u2019", "'"))  # 1×1, 1 x 1: 1x1
    text = _ABBREVIATIONS.sub(" ", text)  # i.e. and e.g. do not end a sentence
    for t in _WORD.findall(text):
        t = _CONTRACTIONS.get(t, t)
        if t.endswith("n't"):
            out += [t[:-3] or "not", "not"]
        elif " " in t:
            out += t.split()
        else:
            out.append(t.split("'")[0])
    return out


def _close(a: str, b: str) -> bool:
    """One edit apart (a letter added, dropped, changed or two swapped)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        )
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class _Term(NamedTuple):
    word: str
    stem: str

    def matches(self, word: str, stem: str) -> bool:
        w = self.word
        return (
            stem == self.stem
            or (len(w) >= 4 and word.startswith(w))  # 'downsampl' finds 'downsampling'
            # one-letter misspellings of long words ('gradiants'); never on stems, where
            # 'pretrain' and 'retrain' would meet
            or (len(w) >= 6 and word[:1] == w[:1] and _close(word, w))
        )


class Idea(NamedTuple):
    """A key idea: found when any of ``phrases`` is there, or one phrase of each group of
    ``all`` (two concepts together); a phrase under negation does not count."""

    idea: str
    points: float
    phrases: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()
    wrong: tuple[str, ...] = ()  # misconceptions about this idea: an answer stating one is reviewed

    def said(self) -> str:
        """The phrases that show the idea, as a TA reads them."""
        parts = list(self.phrases)
        parts += [" + ".join("/".join(group) for group in self.all)] if self.all else []
        return ", ".join(parts)


class Finding(NamedTuple):
    """What the rubric sees in one answer."""

    found: tuple[bool, ...]  # each idea: affirmed (and not also denied)
    denied: tuple[bool, ...]  # each idea: only under negation
    mixed: tuple[bool, ...]  # each idea: affirmed and denied both
    words: int
    salad: bool  # keywords without sentences
    hedged: str | None = None  # a negation or a turn ("but", "actually") beside the ideas found
    misconception: str | None = None  # a rubric's wrong claim, found in the answer
    reversed: str | None = None  # a word that turns a found idea around ("increases" for shrink)

    def doubt(self) -> str | None:
        """Why a person should look before any points are given, or None."""
        if not any(self.found) and not any(self.mixed):
            return None  # no credit given: nothing a keyword matcher could be fooled into
        if any(self.mixed):
            return "the answer both states and denies an idea"
        if self.words < SHORT:
            return f"a {self.words}-word answer is too short to score by its words"
        if self.misconception:
            return f"the answer says {self.misconception!r}, a known misconception"
        if self.reversed:
            return f"the answer says {self.reversed!r} where the idea goes the other way"
        if self.salad:
            return "a list of keywords rather than sentences"
        if self.hedged:  # words can state an idea and then take it back: a person reads it
            return f"the answer also says {self.hedged!r}, which words alone cannot weigh"
        return None


class Rubric:
    """Key ideas of a written answer (:class:`Idea`), matched by meaning as far as words show it:
    stems and inflections, small misspellings, phrases whose words are a little apart, pairs of
    concepts, and negation ("not", "never", "without", "isn't") governing a phrase."""

    __slots__ = ("ideas", "_compiled")

    def __init__(self, ideas):
        self.ideas = tuple(
            Idea(
                str(i[0]),
                i[1],
                tuple(i[2]),
                tuple(tuple(g) for g in i[3]) if len(i) > 3 else (),
                tuple(i[4]) if len(i) > 4 else (),
            )
            for i in ideas
        )
        self._compiled = None

    def __eq__(self, other):
        return isinstance(other, Rubric) and self.ideas == other.ideas

    def __hash__(self):
        return hash(self.ideas)

    def _terms(self):
        if self._compiled is None:

            def compile_(phrase: str) -> tuple[_Term, ...]:
                return tuple(_Term(w, _stem(w)) for w in tokens(phrase) if w not in _STOPS)

            self._compiled = tuple(
                (
                    tuple(compile_(p) for p in idea.phrases),
                    tuple(tuple(compile_(p) for p in group) for group in idea.all),
                    tuple(compile_(p) for p in idea.wrong),
                )
                for idea in self.ideas
            )
        return self._compiled

    def finding(self, text: str) -> Finding:
        words = tokens(text)
        ans = _Answer(words)
        found, denied, mixed = [], [], []
        misconception = None
        for (phrases, groups, wrong), idea in zip(self._terms(), self.ideas):
            for terms, text_ in zip(wrong, idea.wrong):
                if misconception is None and _seen((terms,), ans)[0]:
                    misconception = text_
            yes, no = _seen(phrases, ans) if phrases else (False, False)
            if groups and not yes:
                g_yes = _together_somewhere(groups, ans)
                seen = [_seen(group, ans) for group in groups]
                g_no = all(y or n for y, n in seen) and any(n and not y for y, n in seen)
                yes, no = g_yes, no or (g_no and not g_yes)
            found.append(yes and not no)
            denied.append(no and not yes)
            mixed.append(yes and no)
        hedged = next((w for w in words if w in NEGATORS or w in TURNS), None)
        if hedged == "not":
            hedged = next(
                (f"{words[i - 1]} not" for i, w in enumerate(words) if w == "not" and i), "not"
            )
        plain = [w for w in words if w not in CLAUSE_BREAKS and w not in _STOPS]
        small = sum(w in FUNCTION_WORDS for w in plain)
        salad = len(plain) >= 3 and small / len(plain) < SALAD
        said = _polarity(w for w in words)
        turned = next(
            (
                said[REVERSED[c]]
                for idea, f in zip(self.ideas, found)
                if f
                for c in _polarity(tokens(idea.idea))
                if c in REVERSED and REVERSED[c] in said and c not in said
            ),
            None,
        )
        return Finding(
            tuple(found),
            tuple(denied),
            tuple(mixed),
            len(plain),
            salad,
            hedged,
            misconception,
            turned,
        )

    @property
    def total(self) -> float:
        return sum(idea.points for idea in self.ideas)

    def model_answer(self) -> str:
        """A sentence that states every idea in the rubric's own words (for tests and examples)."""
        said = [
            idea.phrases[0] if idea.phrases else " ".join(g[0] for g in idea.all)
            for idea in self.ideas
        ]
        return "The answer is that it is about " + ", and also about ".join(said) + "."

    def to_json(self) -> list:
        """The key ideas and their points (the phrases that find them are the grader's; `solve`
        shows them)."""
        return [{"idea": idea.idea, "points": idea.points} for idea in self.ideas]


def _polarity(words) -> dict[str, str]:
    """The polarity classes the words hold: class -> the first word of it."""
    out: dict[str, str] = {}
    for w in words:
        for c, stems in POLARITY.items():
            if c not in out and w.startswith(stems):
                out[c] = w
    return out


class _Answer:
    """An answer's words and stems, indexed so each phrase is looked up, not scanned for: a
    class of thousands, or one answer of 10,000 characters, costs a few lookups per phrase."""

    def __init__(self, words: list[str]):
        self.words = words
        self.stems = [_stem(w) for w in words]
        self._by_stem: dict[str, list[int]] = {}
        self._by_head: dict[str, list[int]] = {}
        for i, (w, st) in enumerate(zip(words, self.stems)):
            self._by_stem.setdefault(st, []).append(i)
            self._by_head.setdefault(w[:1], []).append(i)
        self._where: dict = {}  # a term -> the positions it matches
        self._places: dict = {}  # a phrase (its terms) -> where it stands

    def where(self, term: _Term) -> frozenset[int]:
        found = self._where.get(term)
        if found is None:
            found = set(self._by_stem.get(term.stem, ()))
            if len(term.word) >= 4:  # a prefix or a misspelling shares the first letter
                found.update(
                    i
                    for i in self._by_head.get(term.word[:1], ())
                    if term.matches(self.words[i], self.stems[i])
                )
            self._where[term] = found = frozenset(found)
        return found

    def places(self, terms) -> list[tuple[int, ...]]:
        """Where a phrase stands (the positions of its words): its words in order, at most
        MAX_GAP words between two of them, never across a sentence's end."""
        found = self._places.get(terms)
        if found is None:
            found = []
            rest = [self.where(t) for t in terms[1:]]
            for i in sorted(self.where(terms[0])) if terms else ():
                at = [i]
                for positions in rest:
                    nxt = next(
                        (
                            j
                            for j in range(at[-1] + 1, min(len(self.words), at[-1] + 2 + MAX_GAP))
                            if j in positions
                        ),
                        None,
                    )
                    stop = any(
                        self.words[j] in _STOPS for j in range(at[-1] + 1, (nxt or at[-1]) + 1)
                    )
                    if nxt is None or stop:
                        break
                    at.append(nxt)
                if len(at) == len(terms):
                    found.append(tuple(at))
            self._places[terms] = found
        return found


def _seen(phrases, ans: _Answer) -> tuple[bool, bool]:
    """Whether any phrase is in the answer affirmed, and whether any is there only denied."""
    no = False
    for terms in phrases:
        for at in ans.places(terms):
            if _negated(ans.words, at):
                no = True
            else:
                return True, no
    return False, no


def _together_somewhere(groups, ans: _Answer, taken: tuple = ()) -> bool:
    """Whether each group has a phrase affirmed, all of them within one statement (every place
    of each phrase is tried, not the first only): the concepts of an ``all:`` idea are said
    together, in two places of one statement."""
    if not groups:
        return True
    for terms in groups[0]:
        for at in ans.places(terms):
            if set(at) & set(taken) or _negated(ans.words, at):
                continue
            if taken and not _together(ans.words, taken, at):
                continue
            if _together_somewhere(groups[1:], ans, taken + at):
                return True
    return False


def _together(words: list[str], a: tuple, b: tuple) -> bool:
    lo, hi = min(a + b), max(a + b)
    return hi - lo <= NEAR and not any(words[j] in _STOPS for j in range(lo, hi))


def _negated(words: list[str], at: tuple) -> bool:
    """A negation within NEGATION_REACH words before the phrase (in its clause), or between its
    words; a negation the phrase itself holds ("not updated") is its meaning, not a denial."""
    start, end = at[0], at[-1]
    for j in range(start - 1, max(-1, start - 1 - NEGATION_REACH), -1):
        if words[j] in CLAUSE_BREAKS:
            break
        if words[j] in NEGATORS:
            return True
    return any(words[j] in NEGATORS for j in range(start + 1, end) if j not in at)


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
        seen = rubric.finding(got)
        earned = sum(i.points for i, f in zip(rubric.ideas, seen.found) if f)
        present = [i.idea for i, f in zip(rubric.ideas, seen.found) if f]
        missing = [i.idea for i, f in zip(rubric.ideas, seen.found) if not f]
        denied = [i.idea for i, d in zip(rubric.ideas, seen.denied) if d]
        parts = [f"found: {'; '.join(present)}"] if present else []
        parts += [f"missing: {'; '.join(missing)}"] if missing else []
        parts += [f"denied, not earned: {'; '.join(denied)}"] if denied else []
        counted = f"{len(present)} of {len(seen.found)} key ideas found"
        numbers = [str(n + 1) for n, f in enumerate(seen.found) if not f]
        # the hint names the missing ideas by number, never by their words
        hint = counted + (f"; missing: idea {', '.join(numbers)}" if numbers else "")
        wrong = np.array([not f for f in seen.found])
        doubt = seen.doubt()
        if doubt:  # a person decides; the rubric's points are only a suggestion
            message = f"for a TA to review: {doubt}; {counted}. " + ". ".join(parts)
            return Check(
                None, got, message, wrong, earned, rubric.total,
                hint=f"for a TA to review: {doubt}", review=doubt,
            )  # fmt: skip
        return Check(
            not missing,
            got,
            f"{counted}. " + ". ".join(parts) if missing else counted,
            wrong,
            earned,
            rubric.total,
            hint=hint,
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
            ideas = [f"{i.idea} ({_num(i.points)})" for i in value.ideas]
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
                    f"{'✗' if wrong is not None and wrong[n] else '•'} {i.idea} ({_num(i.points)})"
                    for n, i in enumerate(value.ideas)
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
