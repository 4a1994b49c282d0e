"""The written-answer matcher's indexes find what a plain scan finds.

A rubric looks an answer's words up through its :class:`~cnncheck.forms.text._Lexicon` (every
term indexed once, each answer word matched once per rubric) and places each phrase from those
lookups. Here every labelled answer, and answers recombined from their sentences, is scored both
ways, against its own rubric and another one: the indexed path and a plain one written from the
definitions (a word matches a term as :meth:`_Term.matches` says; a phrase is its words in order,
at most MAX_GAP apart, never across a sentence's end) must give the same :class:`Finding`.
"""

from __future__ import annotations

import random
from dataclasses import fields, replace
from itertools import accumulate
from pathlib import Path

import pytest

from cnncheck.bank import load_bank
from cnncheck.forms import text
from cnncheck.grading import QuestionResult, Status, _copy
from cnncheck.yamlio import loads

DATA = Path(__file__).resolve().parent / "data"
BANK = load_bank()


def labelled() -> list[tuple[str, str]]:
    out = []
    for path in sorted(DATA.glob("written_*.yaml")):
        out += [(e["question"], e["answer"]) for e in loads(path.read_text())["answers"]]
    return out


def recombined(answers: list[str], n: int) -> list[str]:
    """Sentences of different answers put together, with the joints and misspellings students
    write (a letter dropped, doubled or two swapped)."""
    rng = random.Random(12)
    parts = [s.strip() for a in answers for s in a.replace(";", ".").split(".") if s.strip()]
    joints = [". ", "; ", ", but ", " because ", "\n- ", ", not ", " (42). "]

    def typo(word: str) -> str:
        if len(word) < 5 or rng.random() > 0.15:
            return word
        i = rng.randrange(1, len(word) - 1)
        return rng.choice([word[:i] + word[i + 1 :], word[:i] + word[i] + word[i:],
                           word[:i] + word[i + 1] + word[i] + word[i + 2 :]])  # fmt: skip

    out = []
    for _ in range(n):
        said = rng.choice(joints).join(rng.sample(parts, rng.randint(1, 4)))
        out.append(" ".join(map(typo, said.split(" "))) + rng.choice([".", "?", ""]))
    return out


class PlainAnswer:
    """The reference: each term and phrase found by scanning every word, nothing indexed."""

    def __init__(self, words: list[str], lexicon=None):
        self.words = words
        self.stems = [text._stem(w) for w in words]
        self._places: dict = {}  # nothing placed ahead: every phrase goes through places()
        self._where: dict = {}

    def where(self, term) -> set[int]:
        if term not in self._where:
            pairs = enumerate(zip(self.words, self.stems))
            self._where[term] = {i for i, (w, s) in pairs if term.matches(w, s)}
        return self._where[term]

    def among(self, terms) -> set[int]:
        return set().union(*(self.where(t) for t in terms))

    def places(self, terms) -> list[tuple[int, ...]]:
        found = []
        for i in sorted(self.where(terms[0])) if terms else ():
            at = [i]
            for term in terms[1:]:
                nxt = None
                for j in range(at[-1] + 1, min(len(self.words), at[-1] + 2 + text.MAX_GAP)):
                    if j in self.where(term):
                        nxt = j
                        break
                if nxt is None or any(
                    self.words[k] in text._STOPS for k in range(at[-1] + 1, nxt + 1)
                ):
                    break
                at.append(nxt)
            if len(at) == len(terms):
                found.append(tuple(at))
        return found


def rubrics() -> list:
    return [
        q.expected.value
        for aid in BANK.ids
        for q in BANK.get(aid).questions.values()
        if isinstance(q.expected.value, text.Rubric)
    ]


CASES = labelled()


def test_the_indexed_matcher_finds_what_a_plain_scan_finds(monkeypatch):
    by_ref = {
        ref: BANK.get(ref.split("/")[0]).questions[ref.split("/")[1]].expected.value
        for ref, _ in CASES
    }
    every = rubrics()
    answers = [a for _, a in CASES]
    pairs = [(by_ref[ref], a) for ref, a in CASES]
    pairs += [(every[n % len(every)], a) for n, a in enumerate(answers)]  # another rubric's
    pairs += [(every[n % len(every)], a) for n, a in enumerate(recombined(answers, 600))]
    indexed = [r.finding(a.strip()) for r, a in pairs]
    monkeypatch.setattr(text, "_Answer", PlainAnswer)
    plain = [r.finding(a.strip()) for r, a in pairs]
    differ = [(a, i, p) for (_, a), i, p in zip(pairs, indexed, plain) if i != p]
    assert not differ, differ[:3]
    assert len(pairs) > 2000
    assert sum(any(f.found) for f in indexed) > 500  # the answers earn ideas, and miss some
    assert sum(not all(f.found) for f in indexed) > 500


def test_a_term_outside_the_rubrics_lexicon_is_still_found():
    rubric = rubrics()[0]
    words = text.tokens("The gradiants flow back; downsampling halves the maps.")
    ans = text._Answer(words, rubric._lexicon_of())
    plain = PlainAnswer(words)
    for word in ("gradient", "downsampl", "halv", "map", "flow", "back", "xyz"):
        term = text._Term(word, text._stem(word))
        assert set(ans.where(term)) == plain.where(term), word
        assert list(ans.places((term,))) == plain.places((term,)), word


@pytest.mark.parametrize(
    "answer",
    [
        "One line, no bullets.",
        "- first claim\n- second claim so a third\n- and the last",
        "Line one: a claim\n\nline three; more\nit isn't so",
        "a\nb",
    ],
)
def test_claims_stand_where_a_plain_split_puts_them(answer):
    words = text.tokens(answer)
    counts = [len(text.tokens(line)) for line in answer.splitlines()]
    starts = set(accumulate(counts[:-1])) if sum(counts) == len(words) else set()
    out, lo = [], 0
    for i, w in enumerate(words):
        if i in starts or w in text.CLAIM_BREAKS:
            out.append((lo, i))
            lo = i + (w in text.CLAIM_BREAKS)
        elif w in text._STOPS:
            out.append((lo, i))
            lo = i + 1
    out.append((lo, len(words)))
    assert text._claims(answer, words) == [(a, b) for a, b in out if b > a]


def test_polarity_is_each_class_first_word():
    words = text.tokens("It reduces and then increases, doubling what shrinks; robust, sensitive")
    plain: dict[str, str] = {}
    for w in words:
        for c, stems in text.POLARITY.items():
            if c not in plain and w.startswith(stems):
                plain[c] = w
    assert text._polarity(words) == plain
    assert list(text._polarity(words)) == list(plain)  # in the same order


def test_a_result_copied_on_the_hot_path_is_a_replaced_one():
    assert all(f.init for f in fields(QuestionResult))  # what _copy relies on
    assert not hasattr(QuestionResult, "__post_init__")
    q = next(iter(BANK.get("cs577-hw4").questions.values()))
    r = QuestionResult(q, Status.PARTIAL, 1.5, "x", "message", line=3, hint="h", suggested=1.0)
    a, b = _copy(r, line=9, seconds=0.25), replace(r, line=9, seconds=0.25)
    assert type(a) is type(b)
    assert all(getattr(a, f.name) == getattr(b, f.name) for f in fields(QuestionResult))
    assert r.line == 3
