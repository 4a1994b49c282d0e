"""Signals of copying (``grade CLASS/ --similarity``): measured on generated classes.

A class is generated from a bank: each student has a weakness (how often they go wrong) and habits
of writing (array and shape notations, comments); a wrong answer is one of the question's classic
mistakes (``Question.mistake_answers``) or a value a cell or a dimension away from the right one;
a written answer is one of ``tests/data/written_answers.yaml`` reworded (its words outside the
prompt and the rubric replaced or dropped, as students write the same ideas in their own words).
Copies are then planted: a file copied with a few changes, a pair sharing several rare wrong
answers, a student answering with a neighbour's variant. The tests measure how many planted copies
are listed and how many signals a class with no copy lists.
"""

from __future__ import annotations

import gc
import json
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from cnncheck import similarity
from cnncheck.bank import load_bank
from cnncheck.batch import grade_file
from cnncheck.cli import cli
from cnncheck.similarity import analyse, fingerprint

DATA = Path(__file__).parent / "data"
BANK = load_bank()
VARIANTS = load_bank(DATA / "variants.yaml")
CORPUS: dict[str, list[str]] = {}
for _e in yaml.safe_load((DATA / "written_answers.yaml").read_text())["answers"]:
    CORPUS.setdefault(_e["question"], []).append(" ".join(_e["answer"].split()))
VOCABULARY = sorted({w for texts in CORPUS.values() for t in texts for w in t.split()})
COMMENTS = ["# check", "# not sure", "# from lecture 3", "# used the formula", "# ??", "# done"]


# ------------------------------------------------------------ writing answers as students do


def _array(v: np.ndarray, style: str, indent: str) -> str:
    v = np.asarray(v)
    cells = v.tolist()

    def flat(x):
        return json.dumps(x, separators=(",", ":") if style == "tight" else (", ", ": "))

    if v.ndim == 2 and style == "rows":
        rows = "\n".join(indent + "  " + " ".join(str(c) for c in row) for row in cells)
        return "|\n" + rows
    return flat(cells)


def _value(q, v, habits: dict, rng: random.Random, indent: str = "  ") -> str:
    form = q.kind.form.name
    if form == "text":
        return json.dumps(v, ensure_ascii=False)
    if form == "shape":
        style = habits["shape"] if rng.random() > 0.2 else rng.choice(SHAPES)
        dims = [str(int(d)) for d in v]
        return {
            "x": "x".join(dims),
            "spaced": " x ".join(dims),
            "list": "[" + ", ".join(dims) + "]",
            "times": "×".join(dims),
        }[style]
    if form == "count":
        return str(int(v))
    style = habits["array"] if rng.random() > 0.2 else rng.choice(ARRAYS)
    v = np.asarray(v)
    channels = q.expected.channels
    if channels and v.ndim == 3 and len(channels) == v.shape[0]:
        return "\n" + "\n".join(
            f"{indent}  {c}: {_array(v[i], 'tight' if style == 'tight' else 'flow', indent)}"
            for i, c in enumerate(channels)
        )
    return _array(v, style, indent)


SHAPES = ("x", "spaced", "list", "times")
ARRAYS = ("flow", "tight", "rows")


def _reworded(text: str, q, rng: random.Random) -> str:
    """A written answer in a student's own words: the words outside the prompt and the rubric
    replaced (45%) or dropped (15%)."""
    keep = set(re.findall(r"[^\W_]+", (" ".join(similarity._strings(q.params)) + q.prompt).lower()))
    out = []
    for w in text.split():
        bare = re.sub(r"\W", "", w.lower())
        if bare in keep:
            out.append(w)
            continue
        r = rng.random()
        if r < 0.45:
            out.append(rng.choice(VOCABULARY))
        elif r >= 0.6:
            out.append(w)
    return " ".join(out)


def _wrong(q, rng: random.Random):
    """A wrong answer: a classic mistake (65%), else a cell or a dimension off."""
    right = q.expected.value
    mistakes = [m.value for m in q.mistake_answers]
    if mistakes and rng.random() < 0.65:
        i = min(int(rng.expovariate(0.8)), len(mistakes) - 1)  # the first mistakes most often
        return mistakes[i]
    if isinstance(right, tuple):
        v = list(right)
        i = rng.randrange(len(v))
        v[i] = max(1, v[i] + rng.choice([-3, -2, -1, 1, 2, 3]))
        return tuple(v)
    if isinstance(right, (int, np.integer)):
        return int(right) + rng.choice([-1, 1]) * rng.randint(1, 60)
    v = np.array(right, copy=True)
    for _ in range(rng.randint(1, 2)):
        idx = tuple(rng.randrange(s) for s in v.shape)
        v[idx] = v[idx] + rng.choice([-9, -5, -3, -2, -1, 1, 2, 3, 5, 9])
    return v


class Student:
    def __init__(self, name: str, assignment, rng: random.Random, rates: dict):
        self.name = name
        self.a = assignment.for_student(name)
        self.weak = rng.lognormvariate(0, 0.5)
        self.habits = {
            "array": rng.choice(ARRAYS),
            "shape": rng.choice(SHAPES),
            "comments": rng.random() < 0.25,
        }
        self.values: dict[str, object] = {}
        for qid, q in self.a.questions.items():
            if rng.random() < 0.03:
                continue  # left out
            if q.kind.form.name == "text":
                texts = CORPUS.get(f"{self.a.id}/{qid}")
                if texts:
                    self.values[qid] = _reworded(rng.choice(texts), q, rng)
                continue
            wrong = rng.random() < min(0.9, rates[qid] * self.weak)
            self.values[qid] = _wrong(q, rng) if wrong else q.expected.value
        self.comments = {
            qid: (
                rng.choice(COMMENTS)
                if rng.random() < 0.8
                else "# " + " ".join(rng.sample(VOCABULARY, 3))
            )
            for qid in self.values
            if self.habits["comments"] and rng.random() < 0.3
        }
        self.seed = rng.random()

    def text(self) -> str:
        rng = random.Random(self.seed)
        lines = [f"assignment: {self.a.id}", f"student: {self.name}", "answers:"]
        for qid, v in self.values.items():
            q = self.a.questions[qid]
            line = f"  {qid}: {_value(q, v, self.habits, rng)}"
            if qid in self.comments and "\n" not in line:
                line += "  " + self.comments[qid]
            lines.append(line)
        return "\n".join(lines) + "\n"


def make_class(assignment, n: int, seed: int):
    rng = random.Random(seed)
    rates = {qid: rng.uniform(0.1, 0.45) for qid in assignment.questions}
    return [Student(f"s{seed}-{i:04d}", assignment, rng, rates) for i in range(n)], rng


def plant(students: list, rng: random.Random, variants: bool = False) -> list[tuple[str, str]]:
    """Plant copies; return the pairs (names) planted."""
    planted = []
    picks = rng.sample(range(len(students)), 6)
    # a file copied with a few changes: the same text, two answers the copier's own
    src, dst = students[picks[0]], students[picks[1]]
    mine = dict(dst.values)
    dst.values = dict(src.values)
    dst.habits, dst.comments, dst.seed = src.habits, src.comments, src.seed
    for qid in rng.sample([q for q in mine if q in dst.values], min(2, len(mine))):
        dst.values[qid] = mine[qid]
    planted.append((src.name, dst.name))
    if variants:
        # a student answering with a neighbour's variant: the neighbour's answers, own notation
        src, dst = students[picks[2]], students[picks[3]]
        dst.values = {q: v for q, v in src.values.items() if q in dst.a.questions}
        planted.append((src.name, dst.name))
        return planted
    # two students sharing several rare wrong answers (each written in their own notation)
    src, dst = students[picks[2]], students[picks[3]]
    numeric = [q for q, x in src.a.questions.items() if x.kind.form.name != "text"]
    for qid in rng.sample(numeric, 4):
        q = src.a.questions[qid]
        value = _wrong(q, rng)
        while _same_value(value, q.expected.value) or any(
            _same_value(value, m.value) for m in q.mistake_answers
        ):
            value = _wrong(q, rng)
        src.values[qid] = dst.values[qid] = value
    planted.append((src.name, dst.name))
    # written answers passed on: two of one student's answers in words, a word in ten changed
    src, dst = students[picks[4]], students[picks[5]]
    texts = [
        q for q, x in src.a.questions.items() if x.kind.form.name == "text" and q in src.values
    ]
    for qid in rng.sample(texts, min(2, len(texts))):
        words = src.values[qid].split()
        dst.values[qid] = " ".join(
            rng.choice(VOCABULARY) if rng.random() < 0.1 else w for w in words
        )
    planted.append((src.name, dst.name))
    return planted


# what each planted pair is, in the order plant() returns them
PLANTED = {False: ("file", "wrong", "wording"), True: ("file", "variant")}


def _same_value(x, y) -> bool:
    x, y = np.asarray(x), np.asarray(y)
    return x.shape == y.shape and bool((x == y).all())


def fingerprints(students, bank, tmp: Path, cache: dict) -> list:
    out = []
    for s in students:
        path = tmp / f"{s.name}.yaml"
        text = s.text()
        path.write_text(text)
        report = grade_file(bank, str(path), cache=cache)
        assert report.ok, report
        out.append(fingerprint(report, text))
    return out


def flagged(result: dict) -> set[frozenset]:
    return {frozenset(p["students"]) for p in result["pairs"]}


def measure(
    bank, aid: str, sizes, seeds, tmp: Path, *, planted: bool, variants: bool = False, kinds=None
):
    """(planted copies found, planted copies, signals not about a planted copy, classes).
    ``kinds``: a Counter, given, gets per kind of plant (:data:`PLANTED`) ``(kind, True)`` for
    each one listed and ``(kind, False)`` for each one missed."""
    found = total = false = classes = 0
    cache: dict = {}
    for n in sizes:
        for seed in seeds:
            students, rng = make_class(bank.get(aid), n, seed * 1000 + n)
            pairs = plant(students, rng, variants) if planted else []
            folder = tmp / f"{aid}-{n}-{seed}-{planted}"
            folder.mkdir()
            result = analyse(fingerprints(students, bank, folder, cache))
            got = flagged(result)
            total += len(pairs)
            hits = [frozenset(p) in got for p in pairs]
            found += sum(hits)
            if kinds is not None:
                kinds.update(zip(PLANTED[variants], hits))
            planted_people = {x for p in pairs for x in p}
            false += sum(not (set(g) <= planted_people) for g in got)
            classes += 1
    return found, total, false, classes


# ------------------------------------------------------------ the model, by hand


def test_tail_is_the_chance_of_every_rare_answer_shared():
    # two students both wrong on three questions, the same wrong answer on all three, each given
    # by 1 in 20 of the class's wrong answers: the chance is (1/20)**3, and the bound above it
    terms = [(0.05, True)] * 3
    assert similarity._tail(terms) == pytest.approx(3 * np.log(0.05), rel=1e-9)
    assert similarity._bound(terms) >= similarity._tail(terms)
    # a question that could have agreed and did not makes the agreement likelier by chance
    assert similarity._tail(terms + [(0.05, False)]) > similarity._tail(terms)


def test_share_leaves_the_pair_out():
    # 2 of 41 wrong answers, given by the pair only: half a student of the other 40
    assert similarity._share(2, 41, True) == pytest.approx(0.5 / 40)
    # given by 11: 9 others besides the pair
    assert similarity._share(11, 41, True) == pytest.approx(9.5 / 40)
    # the first student's answer, which the second did not give: the other 10
    assert similarity._share(11, 41, False) == pytest.approx(10.5 / 40)


def test_written_words_leave_out_the_prompt_and_the_rubric():
    q = BANK.get("cs577-hw4").questions["q4"]
    said = "The filter is a template; I used a stencil of little motifs, like my cat."
    words = similarity._words(said, q).split()
    assert "template" not in words and "filter" not in words  # the rubric's and the prompt's
    assert {"stencil", "motifs", "cat"} <= set(words)


# ------------------------------------------------------------ measured on generated classes

# Measured with `python tests/test_similarity.py 10` (docs/similarity.md gives the table): in 10
# classes each of cs577-hw4 of 100 and of 300 and of var (tests/data/variants.yaml) of 100, every
# kind of plant but written answers listed 56 of 60 times; short written answers passed on 2 of
# 20; no pair listed that nobody planted, in 30 classes with copies and 30 clean ones. The tests
# below run a smaller sample with margins that a real loss would break.
SIZES = {"cs577-hw4": (100, 300), "var": (100,)}


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("classes")
    out = {}
    for aid, bank, variants in (("cs577-hw4", BANK, False), ("var", VARIANTS, True)):
        for n in SIZES[aid]:
            seeds = range(1, 5) if n <= 100 else range(1, 3)
            kinds: Counter = Counter()
            out[aid, n, True] = measure(
                bank, aid, [n], seeds, tmp, planted=True, variants=variants, kinds=kinds
            )
            out[aid, n, "kinds"] = kinds
            clean = range(101, 105) if n <= 100 else range(101, 103)
            out[aid, n, False] = measure(bank, aid, [n], clean, tmp, planted=False)
    return out


@pytest.mark.parametrize("aid, n", [("cs577-hw4", 100), ("cs577-hw4", 300), ("var", 100)])
def test_planted_copies_are_listed(measured, aid, n):
    found, total, false, classes = measured[aid, n, True]
    kinds = measured[aid, n, "kinds"]
    assert total == len(PLANTED[aid == "var"]) * classes
    # files copied, rare wrong answers shared, a neighbour's variant: each listed; a short
    # written answer passed on leaves too few words of the student's own to be sure of (see
    # test_written_answers_passed_on_in_the_students_own_words for long ones), so it is counted
    # and not required
    for kind in PLANTED[aid == "var"]:
        if kind != "wording":
            hit, miss = kinds[kind, True], kinds[kind, False]
            assert hit / (hit + miss) >= 0.75, f"{kind}: {hit} of {hit + miss} listed"
    assert false / classes <= 0.25, f"{false} pairs listed that nobody planted"


@pytest.mark.parametrize("aid, n", [("cs577-hw4", 100), ("cs577-hw4", 300), ("var", 100)])
def test_a_clean_class_lists_no_pair(measured, aid, n):
    found, total, false, classes = measured[aid, n, False]
    assert total == 0
    assert false / classes <= 0.25, f"{false} pairs listed in {classes} classes with no copy"


def test_what_a_listed_pair_shows(tmp_path):
    students, rng = make_class(BANK.get("cs577-hw4"), 100, 4)
    (copied, copier), (src, dst), _ = plant(students, rng)
    result = analyse(fingerprints(students, BANK, tmp_path, {}))
    pairs = {frozenset(p["students"]): p for p in result["pairs"]}
    shared = pairs[frozenset((src, dst))]
    assert shared["chance"] <= similarity.THRESHOLD and shared["strength"] >= 1
    wrong = next(s for s in shared["signals"] if s["kind"] == "wrong")
    # the evidence: which answers, and how many in the class gave each
    assert len(wrong["evidence"]) >= 4
    assert all(e["count"] <= 5 and e["wrong"] >= 10 for e in wrong["evidence"][:4])  # rare ones
    assert "4 wrong answers in common" in wrong["summary"] or "wrong answers" in wrong["summary"]
    words = next(s for s in pairs[frozenset((copied, copier))]["signals"] if s["kind"] == "wording")
    assert max(e["jaccard"] for e in words["evidence"]) == 1.0
    # strongest first
    assert [p["strength"] for p in result["pairs"]] == sorted(
        (p["strength"] for p in result["pairs"]), reverse=True
    )


def test_written_answers_passed_on_in_the_students_own_words(tmp_path):
    """Two long answers in words, passed on with a word in ten changed: listed as worded alike,
    with the share of phrases and the phrases themselves."""
    students, rng = make_class(BANK.get("cs577-hw4"), 100, 12)
    a, b = students[10], students[11]
    a.values["q5"] = (
        "honestly I picture it as squinting at a photo from further and further away: every "
        "time the maps get halved the same little window is effectively sitting on a bigger "
        "chunk of the original picture, so by the end one unit is summarising most of the scene"
    )
    a.values["q12"] = (
        "mainly to throw away detail we do not care about and make everything cheaper, and a "
        "wiggle of a few pixels of the cat's ear does not change the max of its little square"
    )
    for q in ("q5", "q12"):
        words = a.values[q].split()
        b.values[q] = " ".join("really" if i % 10 == 4 else w for i, w in enumerate(words))
    result = analyse(fingerprints(students, BANK, tmp_path, {}))
    pair = next(p for p in result["pairs"] if set(p["students"]) == {a.name, b.name})
    wording = next(s for s in pair["signals"] if s["kind"] == "wording")
    assert {e["question"] for e in wording["evidence"]} == {"q5", "q12"}
    # a changed word breaks the two phrases it is in: fewer than half of them stay the same
    assert all(0.3 <= e["jaccard"] < 1 and e["phrases"] for e in wording["evidence"])
    assert pair["chance"] <= similarity.THRESHOLD


def test_an_answer_of_another_students_variant(tmp_path):
    students, rng = make_class(VARIANTS.get("var"), 60, 9)
    a, b = students[3], students[4]
    b.values = {q: v for q, v in a.values.items() if q in b.a.questions}
    for q in ("c", "rgb"):  # the copied answers are the neighbour's right ones
        a.values[q] = a.a.questions[q].expected.value
        b.values[q] = a.values[q]
    result = analyse(fingerprints(students, VARIANTS, tmp_path, {}))
    pair = next(p for p in result["pairs"] if set(p["students"]) == {a.name, b.name})
    variant = next(s for s in pair["signals"] if s["kind"] == "variant")
    seen = {e["question"] for e in variant["evidence"]}
    assert {"c", "rgb"} <= seen
    e = next(e for e in variant["evidence"] if e["question"] == "c")
    assert (e["answered_by"], e["variant_of"]) == (b.name, a.name)
    assert e["own"] != e["answer"]


# ------------------------------------------------------------ the command line


def _class(folder: Path, n: int = 60, seed: int = 7, planted: bool = True) -> list:
    folder.mkdir(exist_ok=True)
    students, rng = make_class(BANK.get("cs577-hw4"), n, seed)
    pairs = plant(students, rng) if planted else []
    for s in students:
        (folder / f"{s.name}.yaml").write_text(s.text())
    return pairs


def _grade(*args):
    return CliRunner().invoke(cli, ["grade", *map(str, args)])


def test_a_class_run_lists_pairs_on_stderr_only(tmp_path):
    pairs = _class(tmp_path / "class")
    r = _grade(tmp_path / "class", "--similarity", "--format", "json")
    assert r.exit_code == 1, r.output
    reports = json.loads(r.stdout)  # the reports, as without --similarity
    assert len(reports) == 60 and "Similar answers" not in r.stdout
    assert "Similar answers, for a person to look at" in r.stderr
    for a, b in pairs:
        assert f"{a} (" in r.stderr and f"{b} (" in r.stderr
    plain = _grade(tmp_path / "class", "--format", "json")
    assert plain.stdout == r.stdout and "Similar" not in plain.stderr
    table = _grade(tmp_path / "class", "--similarity")
    assert "Similar answers" not in table.stdout and "Similar answers" in table.stderr


def test_summary_and_html_carry_the_list(tmp_path):
    pairs = _class(tmp_path / "class")
    r = _grade(tmp_path / "class", "--similarity", "--summary", "--format", "json")
    assert r.exit_code == 1, r.output
    data = json.loads(r.stdout)
    listed = {frozenset(p["students"]) for p in data["similarity"]["pairs"]}
    assert {frozenset(p) for p in pairs} <= listed
    assert "Similar" not in r.stderr
    text = _grade(tmp_path / "class", "--similarity", "--summary")
    assert "Similar answers, for a person to look at" in text.stdout
    assert "chance" in text.stdout
    report = tmp_path / "report.html"
    html = _grade(tmp_path / "class", "--similarity", "--format", "html", "-o", report)
    assert html.exit_code == 1, html.output
    page = report.read_text()
    assert 'id="similar"' in page and 'href="#similar"' in page
    assert all(a in page for p in pairs for a in p)
    without = tmp_path / "plain.html"
    _grade(tmp_path / "class", "--format", "html", "-o", without)
    assert 'id="similar"' not in without.read_text()


def test_the_section_in_a_real_browser(tmp_path):
    """The class report with --similarity opened in headless Chromium: a silent console, the
    section linked from the contents, each planted pair shown with its chance and evidence."""
    from tests.browser import open_page

    pairs = _class(tmp_path / "class")
    report = tmp_path / "report.html"
    r = _grade(tmp_path / "class", "--similarity", "--format", "html", "-o", report)
    assert r.exit_code == 1, r.output
    page = open_page(report, tmp_path / "similar.png")
    assert page.console == []
    section = page.dom[page.dom.index('id="similar"') :]
    section = section[: section.index("</section>")]
    assert "Pairs, strongest signal first" in section and "chance" in section
    for a, b in pairs:
        assert a in section and b in section
    assert "wrong answers in common" in section  # the evidence, in words
    assert 'href="#similar"' in page.dom


def test_a_name_in_the_list_is_escaped(tmp_path):
    folder = tmp_path / "class"
    students, rng = make_class(BANK.get("cs577-hw4"), 40, 3)
    students[0].name = "<script>alert(1)</script>"
    students[1].values = dict(students[0].values)
    students[1].habits, students[1].comments = students[0].habits, students[0].comments
    folder.mkdir()
    for i, s in enumerate(students):
        (folder / f"{i:03d}.yaml").write_text(s.text())
    report = tmp_path / "report.html"
    _grade(folder, "--similarity", "--format", "html", "-o", report)
    page = report.read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_clean_class_says_no_signal(tmp_path):
    _class(tmp_path / "class", n=80, seed=11, planted=False)
    r = _grade(tmp_path / "class", "--similarity", "--summary")
    assert "no signal" in " ".join(r.stdout.split()), r.stdout[-2000:]


def test_one_file_is_a_usage_error(tmp_path):
    answers = Path(__file__).parent.parent / "answers.example.yaml"
    r = _grade(answers, "--similarity")
    assert r.exit_code == 2
    assert "--similarity compares the submissions of a class" in r.stderr


@pytest.mark.parametrize("fmt", ["junit", "github", "markdown"])
def test_never_in_what_a_student_reads(tmp_path, fmt):
    _class(tmp_path / "class", n=10, planted=False)
    r = _grade(tmp_path / "class", "--similarity", "--format", fmt)
    assert r.exit_code == 2
    assert f"never goes into --format {fmt}" in r.stderr


# ------------------------------------------------------------ memory: fingerprints, not reports


def _nothing(outcome) -> str:
    return ""


def test_a_class_of_2000_keeps_no_report(tmp_path):
    """A streamed class run with --similarity keeps each submission's fingerprint (made where the
    file is graded) and a tally, never its report."""
    from cnncheck.grading import Report
    from cnncheck.run import GradeOptions, run_grade

    hw2 = BANK.get("cs577-hw2")
    students, _ = make_class(hw2, 2000, 5)
    for s in students:
        (tmp_path / f"{s.name}.yaml").write_text(s.text())
    run = run_grade(BANK, [str(tmp_path)], GradeOptions(similarity=True))
    run.render_each(_nothing)
    alive = []
    for i, (tally, text) in enumerate(run):
        assert text == ""
        if i in (500, 1999):
            gc.collect()
            alive.append(sum(type(o) is Report for o in gc.get_objects()))
    assert alive == [0, 0]  # no report alive, half way and at the end
    assert all(type(o).__name__ == "Tally" for o in run.outcomes)
    assert len(run.fingerprints) == 2000
    # the fingerprints: numbers and the distinct answers, each kept once
    assert len(run.fingerprints.strings) < 2000 * len(hw2.questions) / 2
    kept = run.fingerprints.students[0]
    assert all(isinstance(x, (int, str, frozenset)) for x in kept[3][0]) or kept[3][0][4] is None
    assert isinstance(run.similarity()["pairs"], list)


if __name__ == "__main__":  # python tests/test_similarity.py [classes per size]: the rates
    import sys
    import tempfile

    many = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    tmp = Path(tempfile.mkdtemp())
    for aid, bank, variants, sizes in (
        ("cs577-hw4", BANK, False, (100, 300)),
        ("var", VARIANTS, True, (100,)),
    ):
        for n in sizes:
            kinds: Counter = Counter()
            found, total, false, classes = measure(
                bank,
                aid,
                [n],
                range(1, many + 1),
                tmp,
                planted=True,
                variants=variants,
                kinds=kinds,
            )
            clean = measure(bank, aid, [n], range(501, 501 + many), tmp, planted=False)
            each = ", ".join(
                f"{k} {kinds[k, True]}/{kinds[k, True] + kinds[k, False]}"
                for k in PLANTED[variants]
            )
            print(
                f"{aid}, classes of {n}: planted copies listed {found}/{total} ({each}); "
                f"pairs nobody planted listed: {false} in {classes} classes with copies, "
                f"{clean[2]} in {clean[3]} clean classes"
            )
