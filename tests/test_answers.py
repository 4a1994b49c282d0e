"""Reading students' answers as written on paper, and grading them."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncheck import forms, yamlio
from cnncheck.answers import load_submission
from cnncheck.bank import load_bank
from cnncheck.grading import grade, grade_answer

HW4 = load_bank().get("cs577-hw4")
HW2 = load_bank().get("cs577-hw2")


def status(a, qid, raw):
    return grade_answer(a.questions[qid], raw)


@pytest.mark.parametrize(
    "raw",
    [
        [[45, 45], [54, 54]],
        "45 45; 54 54",
        "45 45\n54 54\n",
        "45, 45; 54, 54",
        "[[45, 45], [54, 54]]",
        ["45 45", "54 54"],
        [[45.0, 45], [54, 54]],
        [[[45, 45], [54, 54]]],
    ],
)
def test_matrix_notations(raw):
    r = status(HW4, "q1", raw)
    assert r.status == "correct", r.message


def test_wrong_cells_are_marked():
    r = status(HW4, "q3", [[24, 24], [24, 20]])
    assert r.status == "incorrect"
    assert r.wrong.tolist() == [[False, False], [True, False]]
    assert r.message == "3 of 4 cells right"


def test_wrong_shape_names_both_shapes():
    r = status(HW4, "q1", [[45, 45, 1], [54, 54, 1]])
    assert r.status == "incorrect" and r.message == "your answer is 2×3, expected 2×2"


@pytest.mark.parametrize(
    "raw",
    [
        "126x126x16",
        "126 x 126 x 16",
        "126×126×16",
        "126X126X16",
        [126, 126, 16],
        "(126, 126, 16)",
        "126, 126, 16",
    ],
)
def test_shape_notations(raw):
    assert status(HW4, "q7", raw).status == "correct"


def test_shape_order_matters():
    r = status(HW4, "q7", "16x126x126")
    assert r.status == "incorrect" and r.message == "1 of 3 dimensions right"


@pytest.mark.parametrize(
    "raw", [75000100, "75,000,100", "75 000 100", "75_000_100", "7.50001e7", 75000100.0]
)
def test_count_notations(raw):
    assert status(HW2, "q1", raw).status == "correct"


@pytest.mark.parametrize("raw", ["4 −7 −3 5 −6", [4, "−7", -3, 5, -6], "[4, -7, -3, 5, -6]"])
def test_unicode_minus(raw):
    assert status(HW2, "q10b", raw).status == "correct"


def test_per_channel_by_name_any_case_and_order():
    assert (
        status(HW4, "q11", {"b": [[2, 2], [4, 4]], "R": [[1, 1], [1, 1]], "g": "2 2; 2 2"}).status
        == "correct"
    )
    r = status(HW4, "q11", {"R": [[1, 1], [1, 1]], "G": [[2, 2], [2, 2]]})
    assert r.status == "invalid" and "missing B" in r.message


@pytest.mark.parametrize(
    "raw, why",
    [
        (None, "nothing (null)"),
        (True, "yes/no value"),
        ("forty-five", "expected a number, got 'forty-five'"),
        ([[45, 45], [54]], "ragged: row 2 has 1 entries, expected 2"),
        ([[45, float("nan")], [54, 54]], "expected a finite number"),
        ("45 45; 54 nan", "expected a finite number"),
        ("45 45; 54 .nan", "expected a number, got '.nan'"),
        ([[45, float("inf")], [54, 54]], "expected a finite number"),
        ({"x": 1}, "got a mapping"),
    ],
)
def test_unreadable_answers_are_invalid(raw, why):
    r = status(HW4, "q1", raw)
    assert r.status == "invalid" and why in r.message


def test_count_must_be_whole():
    r = status(HW2, "q2", 260.5)
    assert r.status == "invalid" and "whole number" in r.message


def test_float_tolerance(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_text(
        "assignment: t\nquestions:\n"
        "  a: {kind: pool2d, op: avg, image: [[1, 1], [1, 0]], size: 3, stride: 1, padding: 1}\n"
        "  b: {kind: pool2d, op: avg, image: [[1, 1], [1, 0]], size: 3, stride: 1, padding: 1, "
        "tolerance: 0.0001}\n"
    )
    a = load_bank(p).get("t")
    exact = a.questions["a"].expected.value  # 3/9 everywhere
    assert np.allclose(exact, 1 / 3)
    assert status(a, "a", "0.33 0.33; 0.33 0.33").status == "correct"
    assert status(a, "a", "1/3 1/3; 1/3 1/3").status == "correct"
    assert status(a, "a", "0.3 0.3; 0.3 0.3").status == "incorrect"
    assert status(a, "b", "0.33 0.33; 0.33 0.33").status == "incorrect"
    assert status(a, "b", "0.3333 0.3333; 0.3333 0.3333").status == "correct"


def test_integers_compare_exactly():
    assert status(HW4, "q1", [[45.001, 45], [54, 54]]).status == "incorrect"


def write(tmp_path, text, name="a.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return str(p)


def test_grade_every_question_appears(tmp_path):
    p = write(
        tmp_path,
        """\
        student: jdoe
        answers:
          q1: 45 45; 54 54
          Q2: [[0]]
          q99: 3
        extra: 1
        """,
    )
    report = grade(HW4, load_submission(p))
    assert [r.id for r in report.results] == list(HW4.questions)
    assert [r.status for r in report.results] == ["correct", "incorrect"] + ["missing"] * 10
    assert report.score == 1 and report.max_score == 18 and not report.full_marks
    assert report.results[1].line == 4
    assert any("'q99'" in n and "line 5" in n for n in report.notes)
    assert any("extra" in n for n in report.notes)


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("", "the file is empty", 1),
        ("- 1\n- 2\n", "expected a mapping with answers:, got a list", 1),
        ("just text\n", "got a single value", None),
        ("student: x\n", "no answers: mapping", 1),
        ("answers: [1, 2]\n", "answers: must be a mapping", 1),
        # a syntax error outside answers: is the file's (inside, it is one answer's: see
        # test_notations.py)
        ("student: [x\nanswers:\n  q1: 1\n", "did not find expected ',' or ']'", 2),
        (
            "answers:\n  q1: 1\n  q1: 2\n",
            "duplicate key 'q1' (first at line 2, again at line 3)",
            3,
        ),
        (
            "answers:\n  q1: !!python/object/apply:os.system ['echo hi']\n",
            "could not determine a constructor",
            2,
        ),
        ("answers:\n\tq1: 1\n", "a tab: YAML is indented with spaces only", 2),
    ],
)
def test_unusable_files(tmp_path, text, message, line):
    p = write(tmp_path, text)
    with pytest.raises(yamlio.InputError) as e:
        load_submission(p)
    assert message in e.value.message
    assert e.value.path == p
    if line is not None:
        assert e.value.line == line


def test_binary_and_big_files(tmp_path):
    p = tmp_path / "bin.yaml"
    p.write_bytes(b"answers:\n  q1: \xff\xfe\n")
    with pytest.raises(yamlio.InputError, match=r"not UTF-8 text \(byte 0xff"):
        load_submission(str(p))
    p.write_bytes(b"answers:\n" + b"  # padding\n" * 100_000)
    with pytest.raises(yamlio.InputError, match="larger than 1,000,000 bytes"):
        load_submission(str(p))


def test_billion_laughs_is_refused(tmp_path):
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("answers: {q1: *a9}")
    p = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(
        yamlio.InputError, match=r"holds more than 200,000 values \(aliases expanded\)"
    ):
        load_submission(p)


def test_keys_are_the_text_as_written(tmp_path):
    p = write(tmp_path, "answers:\n  no: 1\n  off: 2\n  017: 3\n  1: 4\n")
    assert list(load_submission(p).answers) == ["no", "off", "017", "1"]


def test_yaml_11_numbers_read_as_written(tmp_path):
    p = write(tmp_path, "answers:\n  q1: 017\n  q2: 1:30\n  q3: 1e-3\n")
    s = load_submission(p)
    assert s.answers["q1"].value == 17
    assert s.answers["q2"].value == "1:30"
    assert forms.number(s.answers["q3"].value) == 0.001


def test_huge_answers_refused_before_comparison():
    r = status(HW4, "q1", [[1] * 1000] * 200)
    assert r.status == "invalid" and "more than 10,000 numbers" in r.message


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda kids: (
            st.lists(kids, max_size=5) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_any_value_gets_a_verdict(raw):
    for a, qid in ((HW4, "q1"), (HW4, "q7"), (HW4, "q11"), (HW2, "q1"), (HW2, "q10b")):
        r = status(a, qid, raw)
        assert r.status in ("correct", "incorrect", "invalid")
