"""The text form: answers in words (conceptual questions), scored against a rubric's key ideas."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from itertools import accumulate
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
# words that take back or qualify what came before, or call a claim wrong
RETRACTS = frozenset(
    "wrong incorrect untrue opposite myth misconception mistaken contrary disagree".split()
)
TURNS = RETRACTS | frozenset(
    "but however actually although though whereas instead except unless".split()
)
# the turns that weigh the words before them in the sentence (the others, and every negation, the
# words after them in the clause); "though", "although" and the words of RETRACTS both
LOOKS_BOTH = RETRACTS | frozenset("though although".split())
LOOKS_BACK = LOOKS_BOTH | frozenset("but however actually whereas".split())
TRUTHS = frozenset("true correct right accurate case".split())  # "not true" looks back
# Words that say which way a claim goes, by class, and the class that reverses each: an answer that
# finds an idea about shrinking (its sentence in the rubric) but only says "increases" states the
# idea backwards, with the rubric's words; a person reads it.
POLARITY = {
    "smaller": ("shrink", "reduc", "smaller", "less", "fewer", "decreas", "downsampl", "halv",
                "lower", "compress", "subsampl", "half"),
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
# full marks from fewer words than this per idea rest on a phrase or two each: a person confirms
BRIEF = 6
# words and pairs of words that say the writer is unsure of what they state (and "?")
HEDGES = frozenset("maybe perhaps probably possibly guess".split())
HEDGE_PAIRS = frozenset(
    {("i", "think"), ("i", "believe"), ("not", "sure"), ("no", "idea"), ("some", "say")}
    | {("people", "say"), ("people", "think")}  # a claim put in others' mouths
)
# A rubric phrase turned around: each word that says which way a claim goes, and its opposite.
# "largest where" gives "smallest where", "adds the input" gives "subtracts the input": an answer
# that states only the turned phrase says the idea backwards with the rubric's words. Plain
# adjectives are not here: "a small dataset" names a case, "a larger map" makes a claim.
_OPPOSITES = """larger:smaller largest:smallest bigger:smaller biggest:smallest higher:lower
    highest:lowest strongest:weakest strongly:weakly max:min maximal:minimal maximum:minimum
    maxima:minima peak:minimum peaks:minima increase:decrease increases:decreases
    increasing:decreasing increased:decreased grow:shrink grows:shrinks growing:shrinking
    grew:shrank expand:shrink expands:shrinks add:subtract adds:subtracts adding:subtracting
    added:subtracted plus:minus more:less fewer:more faster:slower cheaper:costlier
    deeper:shallower reduce:increase reduces:increases reducing:increasing
    reduced:increased""".split()
ANTONYMS = {  # both ways; where a word has two opposites, the first pair named wins
    w: o for a, b in (p.split(":") for p in reversed(_OPPOSITES)) for w, o in ((a, b), (b, a))
}

# Which end of the network a claim is about: a side word before a layer noun ("early layers",
# "higher levels"), or one that says it alone ("deeper in the network"). An idea about the early
# layers found only in claims about the deep ones ("deep layers detect edges") is a claim swapped.
SIDES = {
    "early": frozenset(
        "early earlier earliest first shallow shallower lower lowest initial".split()
    ),
    "deep": frozenset("deep deeper deepest later last higher highest final top late".split()),
}
_SIDE_WORDS = frozenset().union(*SIDES.values())
ALONE = frozenset("early earlier earliest deeper deepest".split())
LAYER_NOUNS = frozenset(
    "layer layers level levels unit units neuron neurons stage stages conv convolution".split()
    + "convolutions filters ones part parts".split()
)

# An answer given part of the credit is trusted only where the rubric vouches for most of what it
# says. Its claims are its sentences, its lines, and the clauses after ';', ':' or a word of
# CLAIM_BREAKS; a claim the rubric does not recognise holds no phrase of it yet CLAIM_WORDS content
# words or more, one of them a word of the rubric's topic, and is no example ("for example ...").
# Where such claims hold at least UNVOUCHED of the answer's content words, the unrecognised part
# may be the missing idea in other words or a wrong claim: a person reads it.
CLAIM_BREAKS = frozenset("so because which".split())
CLAIM_WORDS = 4
UNVOUCHED = 0.5
# words that state nothing of the topic by themselves: filler, and verbs and nouns of any claim
FILLER = frozenset(
    """basically essentially simply really actually just like generally usually mostly mainly
    words other instance example short summary sum mean means meaning called known kind sort
    thing things something way ways lot lots also well even still again make makes made get gets
    got use uses used using help helps helped allow allows let lets need needs needed want wants
    able idea ideas point work works done say says said think know see sees seen happen happens
    thus yes ok okay pretty quite bit little big good better best bad""".split()
)
EXAMPLE_LEAD_INS = (("for", "example"), ("for", "instance"), ("such", "as"), ("like",))
# what a claim acts on: beside a phrase of one idea, one of these words that idea never uses says
# something more of its own ("adding images to the test set")
OBJECTS = frozenset(
    """test testing inference prediction weights weight loss parameters parameter labels
    label""".split()
)


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
    if "'" not in text:  # no contraction, no possessive: the words as they are
        return _WORD.findall(text)
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
    unsure: str | None = None  # the writer hedges what they state ("I think", "maybe", "?")
    brief: bool = False  # every idea found, in a few words each
    swapped: str | None = None  # an idea about one end of the network said of the other only
    unrecognised: str | None = None  # a claim on the topic that holds no phrase of the rubric

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
        if self.swapped:
            return (
                f"the answer says {self.swapped!r}: the idea is about the other end of the network"
            )
        if self.unrecognised:
            return (
                f"the answer also says {self.unrecognised!r}, which the rubric does not recognise"
            )
        if self.salad:
            return "a list of keywords rather than sentences"
        if self.unsure:
            return f"the answer says {self.unsure!r}: the writer is not sure of it"
        if self.hedged:  # words can state an idea and then take it back: a person reads it
            return f"the answer also says {self.hedged!r}, which words alone cannot weigh"
        if self.brief:  # full marks that rest on a phrase or two each
            return f"every idea found in {self.words} words: a few words each"
        return None


class Rubric:
    """Key ideas of a written answer (:class:`Idea`), matched by meaning as far as words show it:
    stems and inflections, small misspellings, phrases whose words are a little apart, pairs of
    concepts, and negation ("not", "never", "without", "isn't") governing a phrase."""

    __slots__ = (
        "ideas", "_compiled", "_turned", "_hedging", "_sides", "_topic", "_lexicon", "_polar"
    )  # fmt: skip

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
        self._turned = None
        self._hedging = None
        self._sides = None
        self._topic = None
        self._lexicon = None
        self._polar = None

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
        ans = _Answer(words, self._lexicon_of())
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
        hedged = self._hedge(words, ans)
        plain = [w for w in words if w not in CLAUSE_BREAKS and w not in _STOPS]
        small = sum(w in FUNCTION_WORDS for w in plain)
        salad = len(plain) >= 3 and small / len(plain) < SALAD
        said = _polarity(w for w in words)
        turned = next(
            (
                said[REVERSED[c]]
                for polar, f in zip(self._polarities(), found)
                if f
                for c in polar
                if c in REVERSED and REVERSED[c] in said and c not in said
            ),
            None,
        )
        for terms, origin in self._turned_phrases() if turned is None else ():
            at = next((at for at in ans.places(terms) if not _negated(words, at)), None)
            if at and not _seen((origin,), ans)[0]:
                turned = " ".join(words[at[0] : at[-1] + 1])
                break
        swapped = self._swapped(found, ans)
        pairs = (f"{a} {b}" for a, b in zip(words, words[1:]) if (a, b) in HEDGE_PAIRS)
        unsure = next(pairs, None) or next((w for w in words if w in HEDGES or w == "?"), None)
        brief = len(found) > 1 and all(found) and len(plain) < BRIEF * len(found)
        return Finding(
            tuple(found),
            tuple(denied),
            tuple(mixed),
            len(plain),
            salad,
            hedged,
            misconception,
            turned,
            unsure,
            brief,
            swapped,
            self._unrecognised(text, ans) if any(found) and not all(found) else None,
        )

    def _unrecognised(self, text: str, ans: _Answer) -> str | None:
        """The first claim (:func:`_claims`) that talks about the question's topic and says what
        the rubric cannot vouch for, where such claims hold at least UNVOUCHED of the answer's
        content words: a claim that holds no phrase of the rubric (an idea's, a concept of an
        ``all:`` group, or a misconception) yet CLAIM_WORDS content words or more, one of them a
        word of the rubric; or one that holds a phrase of an idea and, in that phrase's clause, a
        word of OBJECTS the idea's rubric (its sentence, phrases and misconceptions) never uses:
        "the model transfers what it learned on the training set to the test set"."""
        topic, vocabulary = self._topic_of()
        owner: dict[int, set[int]] = {}  # a position -> the ideas whose phrases stand on it
        for n, (phrases, groups, wrong) in enumerate(self._terms()):
            for terms in (*phrases, *(t for g in groups for t in g), *wrong):
                for at in ans.places(terms):
                    for j in at:
                        owner.setdefault(j, set()).add(n)
        on_topic = ans.among(topic)
        words, stems = ans.words, ans.stems
        first, unvouched, said = None, 0, 0
        for lo, hi in _claims(text, words):
            content = [j for j in range(lo, hi) if _content(words[j])]
            ideas = set().union(*(owner.get(j, ()) for j in range(lo, hi)))
            if ideas:  # an object word beside an idea's phrase, in its clause, the idea never uses
                more = [
                    j
                    for j in content
                    if j not in owner and words[j] in OBJECTS
                    and (near := _beside(words, owner, j, lo, hi))
                    and not any(stems[j] in vocabulary[n] for n in near)
                ]  # fmt: skip
            else:
                example = any(tuple(words[lo : lo + len(w)]) == w for w in EXAMPLE_LEAD_INS)
                on = any(j in on_topic for j in content)
                more = content if len(content) >= CLAIM_WORDS and on and not example else []
            said += len(content)
            if more:
                unvouched += len(content)
                first = first or " ".join(w for w in words[lo:hi] if w not in _STOPS)
        return first if first and unvouched >= UNVOUCHED * said else None

    def _swapped(self, found: list[bool], ans: _Answer) -> str | None:
        """The claim that earns an idea about one end of the network (its sentence is about the
        early or the deep layers: "deeper units see ...") where every phrase of it that is said of
        an end is said of the other one. Only whole phrases count: a concept of an ``all:`` group
        alone states nothing."""
        if self._sides is None:  # each idea's end: one its sentence's first words name alone
            named = [{_side(ws, n) for n in range(min(4, len(ws)))} - {None} for ws in map(tokens, (
                i.idea for i in self.ideas))]  # fmt: skip
            self._sides = tuple(min(ends) if len(ends) == 1 else None for ends in named)
        if _SIDE_WORDS.isdisjoint(ans.words):  # no end of the network named anywhere
            return None
        for side, f, (phrases, _, _) in zip(self._sides, found, self._terms()):
            if side is None or not f:
                continue
            ends: dict = {}  # an end -> the words of the first claim said of it
            for terms in phrases:
                for at in ans.places(terms):
                    if not _negated(ans.words, at) and (end := _end(ans.words, at)):
                        ends.setdefault(end[0], (min(end[1], at[0]), max(end[1], at[-1])))
            if side not in ends and len(ends) == 1:
                lo, hi = next(iter(ends.values()))
                return " ".join(ans.words[lo : hi + 1])
        return None

    def _hedge(self, words: list[str], ans: _Answer) -> str | None:
        """The first negation or turn that may take back what the answer states: one whose reach
        holds a word of the rubric's phrases (any idea's, said or not). A negation a phrase holds
        itself ("not updated", "instead of training from scratch") is its meaning; one that
        reaches no word of the rubric ("without touching the width") takes nothing back."""
        marks = [i for i, w in enumerate(words) if w in NEGATORS or w in TURNS]
        if not marks:
            return None
        content, negative = self._hedging_of()
        rubric, meant = ans.among(content), set()
        for terms in negative:
            for at in ans.places(terms):
                if not _negated(words, at):
                    meant.update(j for j in at if words[j] in NEGATORS or words[j] in TURNS)
        for i in marks:
            if i in meant:
                continue
            # what follows in the clause, and the next clause too where this one has only small
            # words ("without it, ..."); a break right after the word does not end it
            end = i + 1
            while end < len(words) and all(
                w in FUNCTION_WORDS or w in CLAUSE_BREAKS for w in words[i + 1 : end]
            ):
                end = next(
                    (j for j in range(end + 1, len(words)) if words[j] in CLAUSE_BREAKS),
                    len(words),
                )
            reach, after = [], words[i + 1 : end]
            short = words[i + 1 : i + 3]  # "No.", "not really,", "it is not true", "wrong"
            retracts = words[i] in RETRACTS or (
                words[i] in NEGATORS
                and (
                    len(short) < 2 or any(w in CLAUSE_BREAKS or w in TRUTHS for w in short + after)
                )
            )
            if words[i] in LOOKS_BACK or retracts:
                # what came before in the sentence, and in the one before where the word takes a
                # claim back or its sentence holds only small words ("But ...", "That is wrong")
                stops = [j for j in range(i - 1, -1, -1) if words[j] in _STOPS]
                start = stops[0] + 1 if stops else 0
                if retracts or all(
                    w in FUNCTION_WORDS or w in CLAUSE_BREAKS for w in words[start:i]
                ):
                    start = stops[1] + 1 if len(stops) > 1 else 0
                reach += range(start, i)
            if words[i] not in TURNS or words[i] not in LOOKS_BACK - LOOKS_BOTH:
                reach += range(i + 1, end)
            if any(j in rubric for j in reach):  # "does not", "is not": the verb it denies
                verb = words[i - 1] if i and words[i - 1] not in CLAUSE_BREAKS else ""
                return f"{verb} not" if words[i] == "not" and verb else words[i]
        return None

    def _topic_of(self) -> tuple:
        """The rubric's content terms (:func:`_content`), and each idea's own stems (its sentence's,
        phrases' and misconceptions')."""
        if self._topic is None:
            own, every = [], set()
            for idea, (phrases, groups, wrong) in zip(self.ideas, self._terms()):
                sentence = tuple(_Term(w, _stem(w)) for w in tokens(idea.idea))
                terms = (*phrases, *(t for g in groups for t in g), sentence, *wrong)
                own.append(frozenset(w.stem for t in terms for w in t))
                every.update(w for t in terms for w in t if _content(w.word))
            self._topic = frozenset(every), tuple(own)
        return self._topic

    def _hedging_of(self) -> tuple:
        """The rubric's words (its phrases' terms but the small words), and its phrases that hold
        a negation or a turn."""
        if self._hedging is None:
            every = [t for ps, gs, _ in self._terms() for t in (*ps, *(t for g in gs for t in g))]
            self._hedging = (
                frozenset(w for terms in every for w in terms if w.word not in FUNCTION_WORDS),
                frozenset(
                    t for t in every if any(w.word in NEGATORS or w.word in TURNS for w in t)
                ),
            )
        return self._hedging

    def _lexicon_of(self) -> _Lexicon:
        """Every phrase and term the rubric looks an answer's words up by, indexed once
        (:class:`_Lexicon`)."""
        if self._lexicon is None:
            phrases = [
                t for p, g, w in self._terms() for t in (*p, *(t for gr in g for t in gr), *w)
            ]
            phrases += [t for pair in self._turned_phrases() for t in pair]
            terms = {w for t in phrases for w in t} | self._topic_of()[0] | self._hedging_of()[0]
            self._lexicon = _Lexicon(terms, phrases)
        return self._lexicon

    def _polarities(self) -> tuple:
        """The polarity classes each idea's sentence holds (:func:`_polarity`)."""
        if self._polar is None:
            self._polar = tuple(_polarity(tokens(idea.idea)) for idea in self.ideas)
        return self._polar

    def _turned_phrases(self) -> tuple:
        """The rubric's phrases of two words or more turned around (one word of each swapped for
        its opposite, :data:`ANTONYMS`), as (turned terms, the phrase's own terms): "largest
        where" gives "smallest where". A turned phrase that is itself a phrase of the rubric
        ("increase the number of channels" beside "reduce the number of channels"), or part of
        one ("low level" beside "low level features"), is left out, and so is one whose turned
        word the rubric uses itself ("larger dataset" where "trained on a large" shows an idea)."""
        if self._turned is None:

            def words_of(phrase: str) -> tuple[str, ...]:
                return tuple(w for w in tokens(phrase) if w not in _STOPS)

            def terms_of(words: tuple[str, ...]) -> tuple[_Term, ...]:
                return tuple(_Term(w, _stem(w)) for w in words)

            phrases = [words_of(p) for idea in self.ideas for p in idea.phrases]
            groups = [words_of(p) for idea in self.ideas for g in idea.all for p in g]
            own, out = set(phrases + groups), {}
            holding: dict[str, list] = {}  # a word -> the phrases it stands in
            for phrase in own:
                for w in set(phrase):
                    holding.setdefault(w, []).append(phrase)
            said = [
                {_stem(w) for w in ws} for ws in (*own, *(words_of(i.idea) for i in self.ideas))
            ]
            saying: dict[str, list] = {}  # a stem -> the stems said beside it
            for stems in said:
                for w in stems:
                    saying.setdefault(w, []).append(stems)
            for ws in phrases:
                polar = [n for n, w in enumerate(ws) if w in ANTONYMS]
                if len(ws) < 2 or len(polar) != 1 or any(w in NEGATORS for w in ws):
                    continue
                n = polar[0]
                turned = ws[:n] + (ANTONYMS[ws[n]],) + ws[n + 1 :]
                word, rest = _stem(turned[n]), {_stem(w) for w in ws if w not in FUNCTION_WORDS}
                if any(stems & rest - {_stem(ws[n])} for stems in saying.get(word, ())):
                    continue  # the rubric says the turned word of the same thing: no sign
                if not any(_within(turned, phrase) for phrase in holding.get(turned[n], ())):
                    # the turned word as written: "smaller region" is a claim, "small region" not
                    terms = terms_of(turned)
                    terms = terms[:n] + (_Term(turned[n], turned[n]),) + terms[n + 1 :]
                    out.setdefault(turned, (terms, terms_of(ws)))
            self._turned = tuple(out.values())
        return self._turned

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


def _within(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether the words of ``part`` stand together, in order, in ``whole``."""
    return any(whole[i : i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def _content(word: str) -> bool:
    """Whether a word says something of its own: not a small word, a negation, a turn or filler."""
    return not (
        word in FUNCTION_WORDS
        or word in NEGATORS
        or word in CLAUSE_BREAKS
        or word in CLAIM_BREAKS
        or word in FILLER
        or word in _STOPS
        or (len(word) < 3 and not any(c.isdigit() for c in word))
    )


def _beside(words: list[str], owner: dict, j: int, lo: int, hi: int) -> set[int]:
    """The ideas whose phrases stand in the clause of the word at ``j`` (within ``lo:hi``)."""
    start = next((i + 1 for i in range(j - 1, lo - 1, -1) if words[i] in CLAUSE_BREAKS), lo)
    end = next((i for i in range(j + 1, hi) if words[i] in CLAUSE_BREAKS), hi)
    return set().union(*(owner.get(i, ()) for i in range(start, end)))


def _claims(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where each claim of an answer stands, as (start, end) in its words: a sentence, a line
    (a bullet), or the part of a sentence after ';', ':' or a word of CLAIM_BREAKS ("so",
    "because", "which")."""
    lines = text.splitlines()
    starts: set[int] = set()  # where a line starts (the first line's start: no claim's end)
    if len(lines) > 1:
        counts = [len(tokens(line)) for line in lines]
        starts = set(accumulate(counts[:-1])) if sum(counts) == len(words) else starts
    out, lo = [], 0
    for i, w in enumerate(words):
        if i in starts or w in CLAIM_BREAKS:
            out.append((lo, i))
            lo = i + (w in CLAIM_BREAKS)
        elif w in _STOPS:
            out.append((lo, i))
            lo = i + 1
    out.append((lo, len(words)))
    return [(a, b) for a, b in out if b > a]


def _side(words: list[str], i: int) -> str | None:
    """The end of the network the word at ``i`` names, if it names one."""
    w = words[i]
    for side, names in SIDES.items():
        if w in names and (w in ALONE or any(v in LAYER_NOUNS for v in words[i + 1 : i + 3])):
            return side
    return None


def _end(words: list[str], at: tuple) -> tuple[str, int] | None:
    """The end of the network a phrase is said of, and the word that names it: a side word in
    the phrase, else the nearest before it in its clause, else the nearest after it."""
    before = range(at[0] - 1, -1, -1)
    for scan in (at, before, range(at[-1] + 1, len(words))):
        for j in scan:
            if scan is not at and words[j] in CLAUSE_BREAKS:
                break
            if side := _side(words, j):
                return side, j
    return None


def _polarity(words) -> dict[str, str]:
    """The polarity classes the words hold: class -> the first word of it."""
    out: dict[str, str] = {}
    for w in words:
        for c in _classes(w):
            if c not in out:
                out[c] = w
    return out


@lru_cache(maxsize=65536)
def _classes(word: str) -> tuple[str, ...]:
    """The polarity classes a word is of, in the order of :data:`POLARITY`."""
    return tuple(c for c, stems in POLARITY.items() if word.startswith(stems))


class _Lexicon:
    """A rubric's terms indexed by what finds each (its stem, its word as a prefix, its length
    and first letter for a misspelling), and every answer word's matching terms once worked out:
    the answers of a class share most of their words, so each word is matched once per rubric."""

    __slots__ = ("terms", "nowhere", "by_first", "_by_stem", "_by_prefix", "_by_size", "_matches")
    MEMO = 100_000  # words remembered per rubric; past that the memory starts over

    def __init__(self, terms, phrases):
        self.terms = frozenset(terms)  # every term of ``phrases``, and more
        self.nowhere = {p: () for p in phrases}  # each phrase, placed where its first word is not
        self.by_first: dict[_Term, list[tuple]] = {}  # a term -> the phrases it begins
        for p in self.nowhere:
            if p:
                self.by_first.setdefault(p[0], []).append(p)
        self._by_stem: dict[str, list[_Term]] = {}
        self._by_prefix: dict[str, list[_Term]] = {}
        self._by_size: dict[tuple[str, int], list[_Term]] = {}
        for t in self.terms:
            self._by_stem.setdefault(t.stem, []).append(t)
            if len(t.word) >= 4:
                self._by_prefix.setdefault(t.word, []).append(t)
            if len(t.word) >= 6:
                self._by_size.setdefault((t.word[0], len(t.word)), []).append(t)
        self._matches: dict[str, tuple[_Term, ...]] = {}

    def matches(self, word: str) -> tuple[_Term, ...]:
        """The terms an answer's word matches (as :meth:`_Term.matches` has it)."""
        found = self._matches.get(word)
        if found is None:
            hits = set(self._by_stem.get(_stem(word), ()))
            for k in range(4, len(word) + 1):
                hits.update(self._by_prefix.get(word[:k], ()))
            for size in (len(word) - 1, len(word), len(word) + 1):
                hits.update(
                    t for t in self._by_size.get((word[:1], size), ()) if _close(word, t.word)
                )
            if len(self._matches) >= self.MEMO:
                self._matches.clear()
            self._matches[word] = found = tuple(hits)
        return found


_NOWHERE: frozenset[int] = frozenset()


class _Answer:
    """An answer's words and stems, indexed so each phrase is looked up, not scanned for: a
    class of thousands, or one answer of 10,000 characters, costs a few lookups per phrase. With
    the rubric's :class:`_Lexicon`, every term of the rubric is placed in one pass over the words;
    a term it does not hold is looked for word by word."""

    def __init__(self, words: list[str], lexicon: _Lexicon | None = None):
        self.words = words
        self.stems = [_stem(w) for w in words]
        self._known = lexicon.terms if lexicon is not None else _NOWHERE
        hits: dict[_Term, list[int]] = {}
        if lexicon is not None:
            for i, w in enumerate(words):
                for t in lexicon.matches(w):
                    hits.setdefault(t, []).append(i)
        self._where: dict = hits  # a term -> the positions it matches, in order
        self._places: dict = {}  # a phrase (its terms) -> where it stands
        if lexicon is not None:  # a phrase whose first word the answer lacks stands nowhere
            self._places.update(lexicon.nowhere)
            for t in hits:
                for p in lexicon.by_first.get(t, ()):
                    del self._places[p]
        # how many sentence ends stand before each position
        self._stops = list(accumulate((w in _STOPS for w in words), initial=0))

    def where(self, term: _Term) -> Collection[int]:
        """The positions a term matches."""
        found = self._where.get(term)
        if found is None:
            if term in self._known:
                return _NOWHERE
            found = frozenset(
                i
                for i, (w, st) in enumerate(zip(self.words, self.stems))
                if st == term.stem or (len(term.word) >= 4 and term.matches(w, st))
            )
            self._where[term] = found
        return found

    def among(self, terms: frozenset[_Term]) -> set[int]:
        """The positions any of ``terms`` matches."""
        if not terms <= self._known:
            return set().union(*(self.where(t) for t in terms))
        out: set[int] = set()
        for t, at in self._where.items():
            if t in terms:
                out.update(at)
        return out

    def places(self, terms) -> Sequence[tuple[int, ...]]:
        """Where a phrase stands (the positions of its words): its words in order, at most
        MAX_GAP words between two of them, never across a sentence's end."""
        found = self._places.get(terms)
        if found is None:
            self._places[terms] = found = self._find(terms)
        return found

    def _find(self, terms) -> list[tuple[int, ...]]:
        where, hits, known = [], self._where, self._known
        for t in terms:  # most phrases stop at their first word: it is not in the answer
            at = hits.get(t)
            if at is None:
                if t in known:
                    return []
                at = self.where(t)
            if not at:
                return []
            where.append(at)
        found, n, stops = [], len(self.words), self._stops
        for i in sorted(where[0]) if where else ():
            at = [i]
            for positions in where[1:]:
                last, nxt = at[-1], None
                for j in range(last + 1, min(n, last + 2 + MAX_GAP)):
                    if j in positions:
                        nxt = j
                        break
                if nxt is None or stops[nxt + 1] > stops[last + 1]:  # a sentence ends
                    break
                at.append(nxt)
            else:
                found.append(tuple(at))
        return found


def _seen(phrases, ans: _Answer) -> tuple[bool, bool]:
    """Whether any phrase is in the answer affirmed, and whether any is there only denied."""
    no, placed = False, ans._places  # most phrases: placed nowhere already
    for terms in phrases:
        found = placed.get(terms)
        for at in ans.places(terms) if found is None else found:
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
        from .claims import conflict  # a role of a found idea filled wrongly (claims.py)

        doubt = seen.doubt() or conflict(rubric, got, seen.found)
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
