"""Answers the forms must read safely: nesting deeper than any answer, numbers too large for
float64, numbers past int64. Each hostile answer goes through the real CLI against the built-in
bank (the network kind against tests/data/networks.yaml): it is ``invalid`` with its reason, or
``incorrect`` when it is a readable wrong number; every other answer of the file is still graded.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cnncheck import forms
from cnncheck.cli import cli
from cnncheck.forms import array as array_form

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = ROOT / "tests" / "data" / "networks.yaml"
# a 400-digit integer: written in YAML, it stays text (yamlio builds ints of 100 characters at most)
BIG = "1" * 400
HUGE_TEXT = "1" * 5_000  # past Python's 4,300-digit int conversion
PAST_INT64 = str(2**63)
FAR_PAST_INT64 = "9" * 60  # an int YAML builds, far past int64, well inside float64

# The other answers of every file, and what they get (answers.example.yaml's q1, q7 and q8).
HW4_REST = {
    "q1": ("[[45, 45], [54, 54]]", "correct"),
    "q7": ("126x126x16", "correct"),
    "q8": ("64 x 64 x 16", "incorrect"),
}
HW2_REST = {
    "q1": ("75,000,100", "correct"),
    "q7": ("128x64x64", "correct"),
    "q10a": ("1", "correct"),
}

TOO_LONG = "a 400-digit number is too long (a number has at most 64 characters)"
HUGE = "a 5,000-digit number is too long (a number has at most 64 characters)"
# what an unreadable answer is told to look like: its question's form describes it
ARRAY = '. Expected a 2×2 matrix, e.g. "1 2; 3 4"'
RGB = (
    ". Expected 3 matrices of 2×2 (R, G, B: one per channel), as a list or a mapping by "
    "channel name, e.g. {R: [[1, 2], [3, 4]], G: [[5, 6], [7, 8]], B: [[9, 10], [11, 12]]}"
)
SHAPE = ". Expected a shape, H×W×C, e.g. 28x28x6"
COUNT = ". Expected a whole number, e.g. 1,234"
ROUNDED = "a rounded number: an exact answer gives every digit"
DEEP = "levels deep; an answer has at most 8 (a matrix has 2, one matrix per channel 3)"


def rgb(r: str) -> str:
    """q11's answer (max pooling, one matrix per channel) with R's first row replaced."""
    return f"{{R: [[{r}], [1, 1]], G: [[2, 2], [2, 2]], B: [[2, 2], [4, 4]]}}"


def rgb_text(r: str) -> str:
    """The same as one bracketed string (read as JSON: its integers are not capped by YAML)."""
    return f"'[[[{r}], [1, 1]], [[2, 2], [2, 2]], [[2, 2], [4, 4]]]'"


# (assignment, question, answer as YAML) -> (status, message)
CASES = [
    # nesting: NumPy stops at 64 dimensions, Python's recursion near 1,000
    (
        "cs577-hw4",
        "q1",
        '"' + "[" * 65 + "1" + "]" * 65 + '"',
        ("invalid", f"cannot read the answer: nested 65 {DEEP}{ARRAY}"),
    ),
    (
        "cs577-hw4",
        "q1",
        '"' + "[" * 900 + "1" + "]" * 900 + '"',
        ("invalid", f"cannot read the answer: nested 900 {DEEP}{ARRAY}"),
    ),
    (
        "cs577-hw4",
        "q1",
        "[" * 9 + "1" + "]" * 9,
        ("invalid", f"cannot read the answer: nested 9 {DEEP}{ARRAY}"),
    ),
    (
        "cs577-hw4",
        "q11",
        "[" * 8 + "1" + "]" * 8,
        ("incorrect", "your answer is 1×1×1, expected 3×2×2"),
    ),
    # numbers past float64, or too long to read: refused, in every form
    (
        "cs577-hw4",
        "q11",
        rgb(f"{BIG}, 1"),
        ("invalid", f"cannot read the answer: {TOO_LONG}{RGB}"),
    ),
    (
        "cs577-hw4",
        "q11",
        rgb(f"-{BIG}, 1"),
        ("invalid", f"cannot read the answer: {TOO_LONG}{RGB}"),
    ),
    (
        "cs577-hw4",
        "q11",
        rgb_text(f"{BIG}, 1"),
        ("invalid", f"cannot read the answer: {TOO_LONG}{RGB}"),
    ),
    (
        "cs577-hw4",
        "q1",
        f"'[[-{BIG}, 45], [54, 54]]'",
        ("invalid", f"cannot read the answer: {TOO_LONG}{ARRAY}"),
    ),
    ("cs577-hw4", "q1", f"'{HUGE_TEXT}'", ("invalid", f"cannot read the answer: {HUGE}{ARRAY}")),
    (
        "cs577-hw4",
        "q1",
        "[[1e309, 45], [54, 54]]",
        ("invalid", f"cannot read the answer: expected a finite number, got '1e309'{ARRAY}"),
    ),
    (
        "cs577-hw4",
        "q7",
        f"[{BIG}, 126, 16]",
        ("invalid", f"cannot read the answer: {TOO_LONG}{SHAPE}"),
    ),
    (
        "cs577-hw4",
        "q7",
        f"{BIG}x126x16",
        (
            "invalid",
            f"cannot read the answer: expected a shape such as 126x126x16, "
            f"got a long string{SHAPE}",
        ),
    ),
    ("cs577-hw2", "q1", f"-{BIG}", ("invalid", f"cannot read the answer: {TOO_LONG}{COUNT}")),
    ("cs577-hw2", "q1", f"'{HUGE_TEXT}'", ("invalid", f"cannot read the answer: {HUGE}{COUNT}")),
    ("cs577-hw2", "q10a", BIG, ("invalid", f"cannot read the answer: {TOO_LONG}{COUNT}")),
    # readable wrong numbers: compared exactly (past int64) or as float64 (1e308), never an
    # OverflowError
    ("cs577-hw4", "q11", rgb(f"{FAR_PAST_INT64}, 1"), ("incorrect", "11 of 12 cells right")),
    (  # in a string, a number is at most 64 characters, whatever its notation
        "cs577-hw4",
        "q11",
        rgb_text(f"{'9' * 300}, 1"),
        ("invalid", f"cannot read the answer: {TOO_LONG.replace('400', '300')}{RGB}"),
    ),
    ("cs577-hw4", "q11", rgb(f"{PAST_INT64}, 1.5"), ("incorrect", "10 of 12 cells right")),
    ("cs577-hw4", "q11", rgb("1.0e+308, -1.0e+308"), ("incorrect", "10 of 12 cells right")),
    ("cs577-hw4", "q1", f"[[{PAST_INT64}, 45], [54, 54]]", ("incorrect", "3 of 4 cells right")),
    (
        "cs577-hw4",
        "q1",
        f"[[-{FAR_PAST_INT64}, 45.0], [54, 54]]",
        ("incorrect", "3 of 4 cells right"),
    ),
    ("cs577-hw4", "q7", f"[{PAST_INT64}, 126, 16]", ("incorrect", "2 of 3 dimensions right")),
    ("cs577-hw4", "q7", "[1.0e+308, 126, 16]", ("incorrect", "2 of 3 dimensions right")),
    ("cs577-hw2", "q1", FAR_PAST_INT64, ("incorrect", "")),
    ("cs577-hw2", "q1", "1.0e+308", ("incorrect", ROUNDED)),
    ("cs577-hw2", "q10b", f"[{PAST_INT64}, -7, -3, 5, -6]", ("incorrect", "4 of 5 cells right")),
]


def grade_json(tmp_path: Path, text: str, *bank: str) -> tuple[int, dict]:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(cli, [*bank, "grade", str(path), "--format", "json"])
    assert r.exit_code in (0, 1), r.output  # graded: never an error for one answer
    return r.exit_code, {q["id"]: q for q in json.loads(r.stdout)["questions"]}


@pytest.mark.parametrize("assignment, qid, answer, want", CASES)
def test_hostile_answer_is_graded_alone(tmp_path, assignment, qid, answer, want):
    rest = HW4_REST if assignment == "cs577-hw4" else HW2_REST
    others = {k: v for k, v in rest.items() if k != qid}
    lines = [f"  {qid}: {answer}"] + [f"  {k}: {v}" for k, (v, _) in others.items()]
    code, results = grade_json(
        tmp_path, f"assignment: {assignment}\nanswers:\n" + "\n".join(lines) + "\n"
    )
    assert code == 1
    assert (results[qid]["status"], results[qid]["message"]) == want
    for k, (_, status) in others.items():
        assert results[k]["status"] == status, k


TABLE = (
    ". Expected one row per layer (8 layers): the output shape and the parameters, then the "
    "total, e.g. '6x28x28, 156' on one line, '6x14x14, 0' on the next, ..., then 'total: 61706'"
)
LENET_ROWS = [
    "6x28x28, 156",
    "6x14x14, 0",
    "16x10x10, 2416",
    "16x5x5, 0",
    "400, 0",
    "120, 48120",
    "84, 10164",
    "10, 850",
]


@pytest.mark.parametrize(
    "row, total, want",
    [
        (
            f"6x28x28, {BIG}",
            61706,
            ("invalid", f"cannot read the answer: row 1: {TOO_LONG}{TABLE}"),
        ),
        ("6x28x28, 156", f"-{BIG}", ("invalid", f"cannot read the answer: {TOO_LONG}{TABLE}")),
        (
            [f"{BIG}x28x28", 156],
            61706,
            (
                "invalid",
                "cannot read the answer: row 1: expected a shape such as 126x126x16, "
                f"got a long string{TABLE}",
            ),
        ),
        (
            [[BIG, 28, 28], 156],
            61706,
            ("invalid", f"cannot read the answer: row 1: {TOO_LONG}{TABLE}"),
        ),
        (
            [[FAR_PAST_INT64, 28, 28], 156],
            61706,
            ("incorrect", "8 of 9 rows right (the total counts as a row)"),
        ),
        (
            [[PAST_INT64, 28, 28], 156],
            61706,
            ("incorrect", "8 of 9 rows right (the total counts as a row)"),
        ),
        (
            "6x28x28, 156",
            PAST_INT64,
            ("incorrect", "8 of 9 rows right (the total counts as a row)"),
        ),
        (
            "6x28x28, 156",
            "1.0e+308",
            ("incorrect", "8 of 9 rows right (the total counts as a row)"),
        ),
    ],
)
def test_hostile_layer_table(tmp_path, row, total, want):
    first = json.dumps(row).replace('"', "") if isinstance(row, list) else f"'{row}'"
    rows = [first] + [f"'{r}'" for r in LENET_ROWS[1:]]
    text = (
        f"assignment: nets\nanswers:\n  lenet:\n    layers: [{', '.join(rows)}]\n"
        f"    total: {total}\n"
        f"  vgg16: 138357544\n"
    )
    code, results = grade_json(tmp_path, text, "--bank", str(NETWORKS))
    assert code == 1
    assert (results["lenet"]["status"], results["lenet"]["message"]) == want
    assert (
        results["vgg16"]["status"] == "invalid"
    )  # a total alone is not a table: still graded, on its own


@pytest.mark.parametrize(
    "raw", [10**400, -(10**400), 2**1024, float("1e308"), 2**63, -(2**63) - 1, str(2**63)]
)
def test_every_form_reads_or_refuses_without_raising_anything_else(raw):
    """Each form, huge numbers alone and inside lists: a value or an AnswerError, nothing else."""
    expected = {
        forms.ARRAY: forms.Expected(np.array([[1, 2], [3, 4]])),
        forms.SHAPE: forms.Expected((1, 2, 3)),
        forms.COUNT: forms.Expected(5),
    }
    for form, exp in expected.items():
        for value in (raw, [raw, 1, 2], [[raw, 1], [2, 3]]):
            try:
                got = form.read(value, exp)
            except forms.AnswerError:
                continue
            for tol in (forms.Tolerance(), forms.Tolerance(0, 0)):
                assert form.compare(got, exp, tol).correct is False
                assert form.compare(got, exp._replace(exact=False), tol).correct is False


def _limited():
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB of address space

    return limit


def test_hostile_answers_in_bounded_time_and_memory(tmp_path):
    """A whole file of the worst answers, in a process limited to 1 GiB: graded, within the hang
    bound."""
    path = tmp_path / "worst.yaml"
    path.write_text(
        f'assignment: cs577-hw4\nanswers:\n  q1: "{"[" * 900}1{"]" * 900}"\n'
        f"  q2: '{'[' * 9_000}'\n  q3: '[[{BIG}, 1], [1, 1]]'\n  q11: {rgb(f'{BIG}, 1')}\n"
        f"  q7: [{BIG}, 1, 1]\n  q8: 64 x 64 x 16\n",
        encoding="utf-8",
    )
    r = subprocess.run(
        [sys.executable, "-m", "cnncheck", "grade", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=20,
        preexec_fn=_limited(),
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OPENBLAS_NUM_THREADS": "1"},
    )
    assert r.returncode == 1, r.stderr
    results = {q["id"]: q["status"] for q in json.loads(r.stdout)["questions"]}
    assert [results[q] for q in ("q1", "q2", "q3", "q11", "q7", "q8")] == ["invalid"] * 5 + [
        "incorrect"
    ]


def test_numbers_in_aliased_strings_are_counted_before_any_is_read(tmp_path, monkeypatch):
    # 999 aliases of one 500-number string: 499,500 numbers, refused before a single one is parsed
    # (the long fuzz run found it taking seconds when each string was read first)
    parsed = []
    real = array_form.nested
    monkeypatch.setattr(array_form, "nested", lambda raw, *a: parsed.append(raw) or real(raw, *a))
    text = " ".join(["1"] * 500)
    code, report = grade_json(
        tmp_path, f's: &s "{text}"\nanswers:\n  q1: [' + ", ".join(["*s"] * 999) + "]\n"
    )
    q1 = report["q1"]
    assert code == 1 and q1["status"] == "invalid" and "more than 10,000 numbers" in q1["message"]
    assert parsed == []
