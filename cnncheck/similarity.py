"""Signals of copying in a class, for a teaching assistant to look at: never an accusation.

A class run (``cnncheck grade CLASS/ --similarity``) keeps one small :class:`Fingerprint` per
submission (the answers as keys, their verdicts, how each was written, the words of written
answers), made where the file is graded, and no report. :func:`analyse` then lists pairs of
students whose answers agree more than the class's own answers make likely:

``wrong``
    rare wrong answers in common (Harpp and Hogan's exact errors in common, weighed against the
    differences), each wrong answer as rare as the class made it;
``variant``
    with questions drawn per student: an answer that is another student's variant's right answer
    and not the student's own;
``file``
    answer files written alike: the same answers written the same rare way, the same comments;
``wording``
    written answers with the same wording (pairs of words in a row, the words of the prompt and of
    the rubric left out).

Each signal has its *chance*: how many pairs of a class of that size would show this much by
themselves, an upper bound computed from the class's own answer frequencies under independence
(see :func:`_bound`). Signals are listed strongest first, and only under :data:`THRESHOLD`, so a
class with nothing to see lists nothing.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import Counter, defaultdict
from typing import NamedTuple

THRESHOLD = 0.1  # a pair is listed when fewer pairs than this would agree as much by chance
SEED_CAP = 60  # an answer, way of writing or phrase shared by more students seeds no pair
MAX_OWNERS = 20  # a right answer of more variants than this names no partner
MAX_SIGNALS = 200  # signals listed at most (strongest first)
MAX_EVIDENCE = 12  # evidence rows per signal
SHINGLE = 2  # words per phrase compared in written answers
CLASS_SAMPLE = 2000  # pairs drawn to place a pair's ratio against the class's
LAMBDAS = (0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0)
MAX_FILE = 2_000_000  # bytes of an answer file read for how it is written

RIGHT, WRONG, PENDING, MISSING = "right", "wrong", "pending", "missing"
KINDS = ("variant", "wrong", "file", "wording")
_TOP = re.compile(r"^(student|assignment|name|answers|---)\s*:?\s*($|#|[^\s:]*$)", re.I)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class Answer(NamedTuple):
    """One question of a fingerprint."""

    question: str
    status: str  # right, wrong, pending, missing
    key: str | None  # the answer as read, as its form writes it (None: missing)
    own: str | None = None  # a question drawn per student: the student's own right answer
    written: int | None = None  # a hash of the answer as written in the file (its lines)
    words: str | None = None  # a written answer: its words, prompt and rubric left out


class Fingerprint(NamedTuple):
    """What the similarity analysis needs of one graded submission."""

    student: str | None
    path: str
    assignment: str
    answers: tuple[Answer, ...]
    free: tuple[int, ...] = ()  # hashes of the other lines: comments, lines of no answer


# ------------------------------------------------------------ a report -> its fingerprint


def fingerprint(outcome, text: str | None = None) -> Fingerprint | None:
    """A graded report's fingerprint (None for an error row). ``text``: the answer file as
    written (default: read again from the report's path; unreadable: the written forms are left
    out)."""
    if not getattr(outcome, "ok", False):
        return None
    from .grading import Status
    from .report.plain import value_text
    from .report.values import describe_raw

    if text is None:
        text = _read(outcome.path)
    lines = text.splitlines() if text else []
    starts = sorted(r.line for r in outcome.results if r.line and r.status is not Status.MISSING)
    blocks, free = _blocks(lines, starts)
    answers = []
    for r in outcome.results:
        q = r.question
        form = q.kind.form
        status = (
            MISSING
            if r.status is Status.MISSING
            else PENDING
            if r.status.pending
            else RIGHT
            if r.status is Status.CORRECT and not r.carried_from  # carried forward: a wrong value
            else WRONG
        )
        is_text = getattr(form, "name", "") == "text"
        key = words = own = written = None
        if status is not MISSING:
            if is_text:
                words = _words(r.answer if isinstance(r.answer, str) else describe_raw(r.answer), q)
                key = words
            elif r.readable:
                key = value_text(r.answer, q.expected.channels, inline=True, form=form)
            else:
                key = describe_raw(r.answer)
            if not is_text:
                written = blocks.get(r.line)
        if q.random and q.expected.value is not None and not is_text:
            own = value_text(q.expected.value, q.expected.channels, inline=True, form=form)
        answers.append(Answer(r.id, status, key, own, written, words))
    return Fingerprint(
        outcome.student, outcome.path, outcome.assignment.id, tuple(answers), tuple(free)
    )


def with_fingerprint(outcome, render) -> tuple:
    """``render(outcome)`` and the outcome's fingerprint, both made where the file is graded.
    A fingerprint that cannot be made is None: the report is never lost to it."""
    try:
        fp = fingerprint(outcome)
    except Exception:  # a bug here must not cost a student's report
        fp = None
    return render(outcome), fp


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(MAX_FILE).decode("utf-8", "replace")
    except OSError:
        return ""


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=8).digest())


def _blocks(lines: list[str], starts: list[int]) -> tuple[dict[int, int], list[int]]:
    """The file's lines, normalized (case, spaces): per answer (by its first line) a hash of its
    lines, and the hashes of the lines of no answer and of comment lines (the top matter, with the
    student's name, left out)."""
    blocks: dict[int, list[str]] = {}
    free: set[int] = set()
    ends = starts[1:] + [len(lines) + 1]
    owner = {}
    for s, e in zip(starts, ends):
        for n in range(s, e):
            owner[n] = s
    for n, raw in enumerate(lines, 1):
        line = " ".join(raw.split()).casefold()
        if not line or (_TOP.match(line) and n not in owner):
            continue
        if line.startswith("#") or n not in owner:
            free.add(_hash(line))
        else:
            blocks.setdefault(owner[n], []).append(line)
    return {s: _hash("\n".join(b)) for s, b in blocks.items()}, sorted(free)


_IGNORED: dict[int, frozenset] = {}


def _words(text: str, q) -> str:
    """A written answer's words, lowercased, without the words of the prompt and of the rubric
    (those every answer is expected to share)."""
    ignored = _IGNORED.get(id(q))
    if ignored is None:
        ignored = frozenset(_WORD.findall(" ".join(_strings(q.params) + [q.prompt]).casefold()))
        if len(_IGNORED) < 10_000:
            _IGNORED[id(q)] = ignored
    return " ".join(w for w in _WORD.findall(str(text).casefold()) if w not in ignored)


def _strings(params) -> list[str]:
    """Every string of a question's definition (a rubric's ideas and phrases)."""
    out: list[str] = []
    stack, seen = [params], 0
    while stack and seen < 100_000:
        v = stack.pop()
        seen += 1
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
        elif hasattr(v, "ideas"):
            stack.append(v.ideas)
    return out


# ------------------------------------------------------------ the class's fingerprints


class Collector:
    """A class's fingerprints as the run streams: answers kept as numbers (each distinct answer
    once), so memory grows with the class and not with its reports."""

    def __init__(self):
        self.students: list[tuple] = []  # (student, path, assignment, answers, free)
        self._ids: dict[str, int] = {}
        self.strings: list[str] = []

    def _id(self, s: str | None) -> int:
        if s is None:
            return -1
        i = self._ids.get(s)
        if i is None:
            i = self._ids[s] = len(self.strings)
            self.strings.append(s)
        return i

    def add(self, fp: Fingerprint | None) -> None:
        if fp is None:
            return
        answers = tuple(
            (
                self._id(a.question),
                a.status,
                self._id(a.key),
                self._id(a.own),
                a.written,
                a.words is not None,
            )
            for a in fp.answers
        )
        self.students.append(
            (fp.student, fp.path, self._id(fp.assignment), answers, frozenset(fp.free))
        )

    def __len__(self) -> int:
        return len(self.students)

    def analyse(self, threshold: float = THRESHOLD) -> dict:
        return _analyse(self, threshold)


def analyse(fingerprints, threshold: float = THRESHOLD) -> dict:
    """The signals in a class's fingerprints, strongest first, as JSON-ready data:
    ``{"submissions", "threshold", "signals": [...], "groups": [...]}``. Each signal has its
    ``kind`` (:data:`KINDS`), ``assignment``, ``students`` and ``files`` (two), ``chance`` (how
    many pairs of a class this size would show this much by chance, an upper bound), ``strength``
    (``-log10`` of the chance), a ``summary`` line and its ``evidence``."""
    c = Collector()
    for fp in fingerprints:
        c.add(fp)
    return c.analyse(threshold)


def _bound(terms: list[tuple[float, bool]]) -> float:
    """An upper bound on the chance that independent questions agree at least this much, from
    ``(p, matched)`` per question that could agree: ``p`` the chance that the second student
    gives the first one's answer by itself. The score is ``S = sum(-log p)`` over the matches;
    Markov's inequality on ``exp(λS)`` gives ``P(S >= s) <= prod(1 - p + p^(1-λ)) / exp(λs)``,
    the least over a few λ in (0, 1]. The product pays for every question that could have
    agreed, so searching for the pairs that agree most is paid for too."""
    score = sum(-math.log(p) for p, hit in terms if hit)
    best = 0.0
    for lam in LAMBDAS:
        log = -lam * score
        for p, _ in terms:
            log += math.log1p(-p + p ** (1 - lam)) if p > 0 else (math.log(2) if lam == 1 else 0)
        best = min(best, log)
    return best  # a natural log


STEP = 0.05  # nats: the score's grain when its tail is counted exactly


def _tail(terms: list[tuple[float, bool]]) -> float:
    """The log of ``P(S >= s)`` under the same independence as :func:`_bound`, counted over every
    subset of questions (a score grained to :data:`STEP`, each question's part rounded up and
    ``s`` down, so the chance is never smaller than the true one). Sharper than the bound when
    few questions agree, each rarely."""
    import numpy as np

    score = sum(-math.log(p) for p, hit in terms if hit)
    size = int(score / STEP)  # the states 0 .. size-1, and size: "reached s"
    if size <= 0:
        return 0.0
    dp = np.zeros(size + 1)
    dp[0] = 1.0
    for p, _ in terms:
        if p <= 0:
            continue
        step = min(size, math.ceil(-math.log(p) / STEP)) if p < 1 else 0
        moved = dp * p
        dp *= 1 - p
        if step:
            dp[step:] += moved[: size + 1 - step]
            dp[size] += moved[size + 1 - step :].sum()
        else:
            dp += moved
    reached = float(dp[size])
    return math.log(reached) if reached > 0 else -745.0


def _log_chance(terms: list[tuple[float, bool]], pairs: float, threshold: float) -> float:
    """The log of how many pairs of the class would agree this much by chance: the bound, and
    where it is near the threshold the exact tail."""
    log = _bound(terms)
    room = math.log(threshold / pairs)
    if room < log < room + math.log(1e4):
        log = min(log, _tail(terms))
    return log + math.log(pairs)


def _analyse(c: Collector, threshold: float) -> dict:
    from .textsafe import safe, shown_path

    by_assignment: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(c.students):
        by_assignment[s[2]].append(i)
    pairs: list[dict] = []
    for aid, members in by_assignment.items():
        if len(members) >= 2:
            pairs += _Class(c, aid, members).signals(threshold)
    pairs.sort(key=lambda s: (-s["strength"], s["files"]))
    pairs = pairs[:MAX_SIGNALS]
    for s in pairs:
        s["students"] = [safe(x, 200) if x else "(no student)" for x in s["students"]]
        s["files"] = [shown_path(f) for f in s["files"]]
    return {
        "submissions": len(c),
        "threshold": threshold,
        "pairs": pairs,
        "groups": _groups(pairs),
    }


def _groups(signals: list[dict]) -> list[dict]:
    """Three or more students linked by listed signals: one group each."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for s in signals:
        a, b = (f"{s['assignment']}\0{f}" for f in s["files"])
        parent[root(a)] = root(b)
    members: dict[str, list[str]] = defaultdict(list)
    for s in signals:
        for who, f in zip(s["students"], s["files"]):
            key = f"{s['assignment']}\0{f}"
            entry = f"{who} ({f})"
            if entry not in members[root(key)]:
                members[root(key)].append(entry)
    out = []
    for r, people in members.items():
        if len(people) >= 3:
            linked = [s for s in signals if root(f"{s['assignment']}\0{s['files'][0]}") == r]
            out.append(
                {
                    "assignment": linked[0]["assignment"],
                    "students": sorted(people),
                    "signals": len(linked),
                    "strength": max(s["strength"] for s in linked),
                }
            )
    return sorted(out, key=lambda g: -g["strength"])


class _Class:
    """One assignment's submissions: the class's frequencies, the candidate pairs, their
    signals."""

    def __init__(self, c: Collector, aid: int, members: list[int]):
        self.c, self.members = c, members
        self.aid = c.strings[aid]
        self.n = len(members)
        self.pairs = self.n * (self.n - 1) / 2
        rows = [c.students[i] for i in members]
        # per student: question -> (status, key, own, written, in words)
        self.answers = [{a[0]: a[1:] for a in row[3]} for row in rows]
        self.free = [row[4] for row in rows]
        self.who = [(row[0], row[1]) for row in rows]
        self.wrong_count: Counter = Counter()  # (question, own) -> students wrong
        self.wrong_key: Counter = Counter()  # (question, own, key) -> students wrong with it
        self.key_count: Counter = Counter()  # (question, own, key) -> students answering it
        self.written: Counter = Counter()  # (question, own, key, written) -> students
        self.line_count: Counter = Counter()  # free line -> files
        self.tiles: dict[tuple[int, int], list[int]] = {}  # (student, question) -> phrases
        self.tile_count: Counter = Counter()  # (question, phrase) -> students
        self.text_count: Counter = Counter()  # question -> students who answered it in words
        self.owners: dict[tuple[int, int], list[int]] = defaultdict(list)  # own answer -> who
        self.hits: Counter = Counter()  # question -> students with another variant's answer
        self.random_wrong: Counter = Counter()  # question -> students wrong on a drawn question
        self.answered: Counter = Counter()
        self.pooled_wrong: Counter = Counter()  # (drawn question, key) -> wrong, every variant
        self.slot_answered: Counter = Counter()  # (question, own) -> students answering it
        self.rate: list[float] = []  # per student: the share of their answers that are wrong
        for s, ans in enumerate(self.answers):
            for q, (status, key, own, written, _) in ans.items():
                if status == MISSING:
                    continue
                self.answered[q] += 1
                if own != -1:
                    self.owners[(q, own)].append(s)
                if self._is_text(s, q):
                    continue
                self.key_count[(q, own, key)] += 1
                self.slot_answered[(q, own)] += 1
                if written is not None:
                    self.written[(q, own, key, written)] += 1
                if status == WRONG:
                    self.wrong_count[(q, own)] += 1
                    self.wrong_key[(q, own, key)] += 1
                    if own != -1:
                        self.random_wrong[q] += 1
                        self.pooled_wrong[(q, key)] += 1
            self.line_count.update(self.free[s])
            graded = [v[0] for v in ans.values() if not v[4] and v[0] in (RIGHT, WRONG)]
            self.rate.append((graded.count(WRONG) + 1) / (len(graded) + 2))
        total = sum(self.slot_answered.values())
        self.mean_rate = max(sum(self.wrong_count.values()) / total if total else 0.5, 1e-3)
        self.variant_count = Counter(q for q, _ in self.owners)
        for s, ans in enumerate(self.answers):
            for q, (status, key, own, _, _) in ans.items():
                if own != -1 and status == WRONG and key != own and (q, key) in self.owners:
                    self.hits[q] += 1
                if self._is_text(s, q) and status != MISSING:
                    t = _tiles(self.c.strings[key]) if key != -1 else []
                    self.tiles[(s, q)] = t
                    self.tile_count.update((q, x) for x in set(t))
                    self.text_count[q] += 1

    def _is_text(self, s: int, q: int) -> bool:
        return self.answers[s][q][4]

    # -------------------------------------------------------- candidates

    def signals(self, threshold: float) -> list[dict]:
        """The pairs whose answers agree, all signals together, beyond ``threshold``."""
        candidates = set(self._variant_pairs())
        for seeds in (self._wrong_seeds(), self._file_seeds(), self._wording_seeds()):
            candidates |= self._seeded(seeds)
        tests = (
            ("variant", self._variants),
            ("wrong", self._wrong),
            ("file", self._file),
            ("wording", self._wording),
        )
        out = []
        for a, b in sorted(candidates):
            parts, together = [], ([], [])
            for kind, test in tests:
                found = test(a, b)
                if found is None:
                    continue
                directions, summary, evidence = found
                for i in (0, 1):
                    together[i].extend(directions[min(i, len(directions) - 1)])
                parts.append(
                    {
                        "kind": kind,
                        **self._chance(directions, threshold),
                        "summary": summary,
                        "evidence": evidence[:MAX_EVIDENCE],
                    }
                )
            if not parts:
                continue
            # the five tests (each kind, and all together) paid for: the least chance, times 5
            least = min(x["chance"] for x in [self._chance(together, threshold), *parts])
            overall = _chance_of(min(1.0, (len(tests) + 1) * least))
            if overall["chance"] > threshold:
                continue
            parts.sort(key=lambda x: -x["strength"])
            parts = [x for x in parts if x["chance"] < 1] or parts[:1]  # what says something
            out.append(
                {
                    "assignment": self.aid,
                    "students": [self.who[a][0], self.who[b][0]],
                    "files": [self.who[a][1], self.who[b][1]],
                    **overall,
                    "signals": parts,
                }
            )
        return out

    def _chance(self, directions: list, threshold: float) -> dict:
        """How many pairs of the class would agree this much by chance: the weaker of the two
        directions (which student's answers are taken as given)."""
        log = max(_log_chance(terms, self.pairs, threshold) for terms in directions)
        return _chance_of(min(1.0, math.exp(log)) if log > -700 else 0.0)

    def _seeded(self, groups) -> set[tuple[int, int]]:
        """The pairs among the students who share something rare: at most :data:`SEED_CAP`, and
        a twentieth of the class."""
        cap = min(SEED_CAP, max(3, self.n // 20))
        pairs: set[tuple[int, int]] = set()
        for who in groups:
            if 2 <= len(who) <= cap:
                who = sorted(who)
                pairs.update((x, y) for i, x in enumerate(who) for y in who[i + 1 :])
        return pairs

    def _wrong_seeds(self):
        index: dict[tuple, list[int]] = defaultdict(list)
        for s, ans in enumerate(self.answers):
            for q, (status, key, own, _, _) in ans.items():
                if status == WRONG and self.wrong_key[(q, own, key)] <= SEED_CAP:
                    index[(q, own, key)].append(s)
                if status == WRONG and own != -1 and self.pooled_wrong[(q, key)] <= SEED_CAP:
                    index[(q, key)].append(s)
        return index.values()

    def _file_seeds(self):
        index: dict[tuple, list[int]] = defaultdict(list)
        for s, ans in enumerate(self.answers):
            for q, (status, key, own, written, _) in ans.items():
                if written is not None and self.written[(q, own, key, written)] <= SEED_CAP:
                    index[(q, own, key, written)].append(s)
            for line in self.free[s]:
                if self.line_count[line] <= SEED_CAP:
                    index[line].append(s)
        return index.values()

    def _wording_seeds(self):
        index: dict[tuple, list[int]] = defaultdict(list)
        for (s, q), tiles in self.tiles.items():
            for t in set(tiles):
                if self.tile_count[(q, t)] <= SEED_CAP:
                    index[(q, t)].append(s)
        return index.values()

    def _variant_pairs(self) -> list[tuple[int, int]]:
        pairs = set()
        for s, ans in enumerate(self.answers):
            for q, (status, key, own, _, _) in ans.items():
                if own == -1 or status != WRONG or key == own:
                    continue
                owners = self.owners.get((q, key), ())
                if len(owners) <= MAX_OWNERS:
                    pairs.update((s, o) for o in owners if o != s)
        return sorted(pairs)

    # -------------------------------------------------------- the tests

    def _wrong(self, a: int, b: int):
        A, B = self.answers[a], self.answers[b]
        logs = []
        for first, second in ((A, B), (B, A)):
            terms = []
            rate = self.rate[b if first is A else a]  # how often the second one goes wrong
            for q, (status, key, own, _, text) in first.items():
                other = second.get(q)
                if text or status != WRONG or other is None or other[0] not in (RIGHT, WRONG):
                    continue
                if other[2] != own:  # variants differ: the same wrong answer, every variant's
                    if other[0] != WRONG and other[1] == key:
                        continue  # the other's right answer: a variant's signal
                    W, answered = self.random_wrong[q], self.answered[q]
                    f = self.pooled_wrong[(q, key)]
                else:
                    W, answered = self.wrong_count[(q, own)], self.slot_answered[(q, own)]
                    f = self.wrong_key[(q, own, key)]
                if W < 2:
                    continue
                # the second student goes wrong here (the question's rate, scaled by theirs),
                # and with this wrong answer (its share of the class's wrong answers)
                wrong = min(1.0, W / answered * rate / self.mean_rate)
                hit = other[1] == key
                terms.append((min(wrong * _share(f, W, hit), 1.0), hit))
            logs.append(terms)
        evidence, differences = [], 0
        for q, (status, key, own, _, text) in A.items():
            other = B.get(q)
            if text or other is None or MISSING in (status, other[0]):
                continue
            if other[2] != own:  # different variants: only the same wrong answer is counted
                if status == WRONG and other[0] == WRONG and other[1] == key:
                    evidence.append(
                        {
                            "question": self._s(q),
                            "answer": self._s(key, 300),
                            "count": self.pooled_wrong[(q, key)],
                            "wrong": self.random_wrong[q],
                            "variants_differ": True,
                        }
                    )
                continue
            if other[1] != key:
                differences += 1
            elif status == WRONG and other[0] == WRONG:
                evidence.append(
                    {
                        "question": self._s(q),
                        "answer": self._s(key, 300),
                        "count": self.wrong_key[(q, own, key)],
                        "wrong": self.wrong_count[(q, own)],
                    }
                )
        if not evidence:
            return None
        evidence.sort(key=lambda e: e["count"])
        common = len(evidence)
        ratio = common / differences if differences else None
        baseline = self._class_ratio()
        said = "∞" if ratio is None else f"{ratio:.2f}"
        summary = (
            f"{common} wrong answer{'s' if common != 1 else ''} in common, {differences} "
            f"difference{'s' if differences != 1 else ''} (ratio {said}; "
            f"class {baseline:.2f})"
        )
        return logs, summary, evidence

    def _class_ratio(self) -> float:
        """Harpp and Hogan's ratio for the class: exact errors in common over differences, summed
        over a sample of pairs."""
        if hasattr(self, "_ratio"):
            return self._ratio
        rng = random.Random(self.n)
        common = differences = 0
        for _ in range(min(CLASS_SAMPLE, int(self.pairs))):
            a, b = rng.sample(range(self.n), 2)
            A, B = self.answers[a], self.answers[b]
            for q, (status, key, own, _, text) in A.items():
                other = B.get(q)
                if text or other is None or other[2] != own or MISSING in (status, other[0]):
                    continue
                if other[1] != key:
                    differences += 1
                elif status == WRONG and other[0] == WRONG:
                    common += 1
        self._ratio = common / differences if differences else 0.0
        return self._ratio

    def _variants(self, a: int, b: int):
        """Either student answered with the other's variant."""
        found = [f for f in (self._variant(a, b), self._variant(b, a)) if f is not None]
        if not found:
            return None
        terms = [t for f in found for t in f[0][0]]
        return [terms], "; ".join(f[1] for f in found), [e for f in found for e in f[2]]

    def _variant(self, a: int, b: int):
        """``a`` answered with ``b``'s variant: answers that are ``b``'s right answers, not
        ``a``'s own."""
        A, B = self.answers[a], self.answers[b]
        terms, evidence = [], []
        for q, (status, key, own, _, _) in A.items():
            if own == -1 or status != WRONG or key == own:
                continue
            # how often a wrong answer is some variant's right one by itself (``a`` left out),
            # and this variant's share of the class
            mine = (q, key) in self.owners
            rate = (self.hits[q] - mine + 0.5) / max(1, self.random_wrong[q] - 1)
            other = B.get(q)
            hit = other is not None and other[2] == key
            m = len(self.owners[(q, key)]) if hit else self.answered[q] / self.variant_count[q]
            p = min(1.0, rate * m / max(1, self.answered[q] - 1))
            terms.append((p, hit))
            if hit:
                evidence.append(
                    {
                        "question": self._s(q),
                        "answer": self._s(key, 300),
                        "own": self._s(own, 300),
                        "variants_with_it": len(self.owners.get((q, key), ())),
                    }
                )
        if not evidence:
            return None
        n = len(evidence)
        summary = (
            f"{self._who(a)} gave {n} answer{'s' if n != 1 else ''} right for {self._who(b)}'s "
            "variant, not for their own"
        )
        for e in evidence:
            e["answered_by"], e["variant_of"] = self._who(a), self._who(b)
        return [terms], summary, evidence

    def _who(self, s: int) -> str:
        student, path = self.who[s]
        return _safe(student, 200) if student else _safe(path, 200)

    def _file(self, a: int, b: int):
        A, B = self.answers[a], self.answers[b]
        logs, alike = [], []
        for first, second, lines, other_lines in (
            (A, B, self.free[a], self.free[b]),
            (B, A, self.free[b], self.free[a]),
        ):
            terms = []
            for q, (status, key, own, written, _) in first.items():
                other = second.get(q)
                if written is None or other is None or other[1:3] != (key, own):
                    continue
                K = self.key_count[(q, own, key)]
                hit = other[3] == written
                p = _share(self.written[(q, own, key, written)], K, hit)
                terms.append((p, hit))
                if first is A and other[3] == written and p < 0.5:
                    alike.append((p, self._s(q)))
            for line in lines:
                hit = line in other_lines
                terms.append((_share(self.line_count[line], self.n, hit), hit))
            logs.append(terms)
        shared = self.free[a] & self.free[b]
        rare = sum(self.line_count[x] <= 2 for x in shared)
        if not alike and not rare:
            return None
        alike.sort()
        union = len(self.free[a] | self.free[b])
        same = sum(
            1 for q, v in A.items() if v[3] is not None and B.get(q, (0, 0, 0, None, 0))[3] == v[3]
        )
        summary = f"{same} answers written the same way ({len(alike)} of them rarely)"
        if shared:
            summary += (
                f", {len(shared)} of {union} other lines (comments) in common, {rare} of them "
                "in no other file"
            )
        evidence = [{"question": q, "share": round(p, 3)} for p, q in alike]
        return logs, summary, evidence

    def _wording(self, a: int, b: int):
        logs, evidence = [], []
        questions = [q for (s, q) in self.tiles if s == a and (b, q) in self.tiles]
        for first, second in ((a, b), (b, a)):
            terms = []
            for q in questions:
                mine, theirs = self.tiles[(first, q)], set(self.tiles[(second, q)])
                N = self.text_count[q]
                # every SHINGLE-th phrase: phrases that share no word, nearly independent
                for t in mine[::SHINGLE]:
                    hit = t in theirs
                    terms.append((_share(self.tile_count[(q, t)], N, hit), hit))
            logs.append(terms)
        for q in questions:
            x, y = set(self.tiles[(a, q)]), set(self.tiles[(b, q)])
            if not x or not y:
                continue
            common = x & y
            if not common:
                continue
            words = self.c.strings[self.answers[a][q][1]].split()
            phrases = [
                " ".join(words[i : i + SHINGLE])
                for i in range(len(words) - SHINGLE + 1)
                if _tile(words[i : i + SHINGLE]) in common
            ]
            evidence.append(
                {
                    "question": self._s(q),
                    "jaccard": round(len(common) / len(x | y), 3),
                    "phrases": [_safe(p, 120) for p in _merge(phrases)][:5],
                }
            )
        if not evidence:
            return None
        evidence.sort(key=lambda e: -e["jaccard"])
        best = evidence[0]
        summary = (
            f"written answers worded alike in {len(evidence)} question"
            f"{'s' if len(evidence) != 1 else ''} (most: {best['question']}, "
            f"{round(100 * best['jaccard'])}% of phrases the same)"
        )
        return logs, summary, evidence

    def _s(self, i: int, limit: int = 200) -> str:
        return _safe(self.c.strings[i], limit) if i != -1 else ""


def _chance_of(chance: float) -> dict:
    return {
        "chance": float(f"{chance:.3g}"),
        "strength": round(-math.log10(chance), 2) if chance > 0 else 300.0,
    }


def _share(count: int, whole: int, shared: bool) -> float:
    """The chance that the second student of a pair gives the first one's answer by themselves:
    how many others in the class gave it (the pair left out), with half a student added so that
    an answer only the pair gave is rare, not impossible: ``(others + 1/2) / (whole - 1)``."""
    if whole < 2:
        return 1.0
    others = count - 1 - shared
    return min(1.0, (others + 0.5) / (whole - 1))


def _safe(text: str, limit: int) -> str:
    from .textsafe import safe

    return safe(text, limit)


def _tile(words: list[str]) -> int:
    return _hash(" ".join(words)) & 0xFFFFFFFF


def _tiles(words: str) -> list[int]:
    """A written answer's phrases of :data:`SHINGLE` words, in order, as numbers."""
    w = words.split()
    return [_tile(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)]


def _merge(phrases: list[str]) -> list[str]:
    """Overlapping phrases in a row, joined: 'a b c', 'b c d' -> 'a b c d'."""
    out: list[str] = []
    for p in phrases:
        words = p.split()
        if out and out[-1].split()[-(SHINGLE - 1) :] == words[: SHINGLE - 1]:
            out[-1] += " " + words[-1]
        else:
            out.append(p)
    return out
