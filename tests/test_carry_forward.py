"""Error carried forward: an answer wrong only because it builds on the student's own wrong answer
upstream earns the bank's share of its points. Every expected value is worked by hand here (or by
the formula written out), never by the code path under test."""

from __future__ import annotations

import csv
import json
import math
import os
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncheck.answers import Submission
from cnncheck.bank import BankError, load_bank
from cnncheck.cli import cli
from cnncheck.grading import grade

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent

# hw2's q10b: [4, 1, -1, 3] ⊛ [-2, 1] (cross-correlation, stride 1), out[i] = -2·x[i] + x[i+1].
# With the canonical padding 1: [0, 4, 1, -1, 3, 0] -> [4, -7, -3, 5, -6].
# With a student's padding 2: [0, 0, 4, 1, -1, 3, 0, 0] -> [0, 4, -7, -3, 5, -6, 0].
# With padding 0: [4, 1, -1, 3] -> [-7, -3, 5].
ON_PADDING_2 = [0, 4, -7, -3, 5, -6, 0]
ON_PADDING_0 = [-7, -3, 5]


def answers_file(tmp_path, answers: dict, assignment="cs577-hw2", name="a.yaml", student=None):
    doc = {"assignment": assignment, "answers": answers}
    if student:
        doc["student"] = student
    p = tmp_path / name
    p.write_text(json.dumps(doc))  # JSON is YAML
    return p


def graded(bank, aid, answers: dict, student=None):
    from cnncheck.answers import RawAnswer

    sub = Submission(
        "a.yaml",
        aid,
        student,
        {k: RawAnswer(v, i + 1) for i, (k, v) in enumerate(answers.items())},
    )
    report = grade(bank.get(aid), sub)
    return {r.id: r for r in report.results}, report


def bank_file(tmp_path, text: str, name="b.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


# ------------------------------------------------------------ hw2: the padding and the conv1d


def test_hw2_conv1d_carried_forward_from_the_padding():
    rs, report = graded(load_bank(), "cs577-hw2", {"q10a": 2, "q10b": ON_PADDING_2})
    assert rs["q10a"].status == "incorrect" and rs["q10a"].score == 0
    r = rs["q10b"]
    assert (r.status, r.score, r.carried_from) == ("correct", 0.5, "q10a")
    assert r.message == "carried forward from q10a: right for your q10a = 2 (half credit)"
    assert r.mistakes == () and r.wrong is None
    assert not report.full_marks  # half the points is not full marks


def test_upstream_right_means_no_carry():
    # q10a right: q10b must be right on its own; the padding-2 answer is then just wrong
    rs, _ = graded(load_bank(), "cs577-hw2", {"q10a": 1, "q10b": ON_PADDING_2})
    assert (rs["q10b"].status, rs["q10b"].score, rs["q10b"].carried_from) == ("incorrect", 0, None)


@pytest.mark.parametrize("upstream", [None, "", "two or three", "P = 1, or 2"])
def test_no_carry_from_a_missing_or_unreadable_upstream(upstream):
    answers = (
        {"q10b": ON_PADDING_2} if upstream is None else {"q10a": upstream, "q10b": ON_PADDING_2}
    )
    rs, _ = graded(load_bank(), "cs577-hw2", answers)
    assert rs["q10a"].status in ("missing", "invalid")
    assert (rs["q10b"].status, rs["q10b"].score, rs["q10b"].carried_from) == ("incorrect", 0, None)


def test_only_the_exact_recomputation():
    # right for padding 0, but the student wrote padding 2: nothing carries
    rs, _ = graded(load_bank(), "cs577-hw2", {"q10a": 2, "q10b": ON_PADDING_0})
    assert rs["q10b"].status == "incorrect" and rs["q10b"].carried_from is None
    # one cell off the recomputation
    rs, _ = graded(load_bank(), "cs577-hw2", {"q10a": 2, "q10b": [0, 4, -7, -3, 5, -6, 1]})
    assert rs["q10b"].status == "incorrect" and rs["q10b"].carried_from is None
    # right for padding 0, and the student wrote padding 0
    rs, _ = graded(load_bank(), "cs577-hw2", {"q10a": 0, "q10b": ON_PADDING_0})
    assert (rs["q10b"].status, rs["q10b"].score) == ("correct", 0.5)


def _padded_conv1d(x: list[int], w: list[int], p: int) -> list[int]:
    """Cross-correlation at stride 1 with ``p`` zeros each side, as a plain loop."""
    x = [0] * p + x + [0] * p
    return [sum(x[i + j] * w[j] for j in range(len(w))) for i in range(len(x) - len(w) + 1)]


HW2 = load_bank()


@settings(  # CNNCHECK_FUZZ_EXAMPLES=N runs it longer, with new examples (as tests/test_fuzz.py)
    max_examples=int(os.environ.get("CNNCHECK_FUZZ_EXAMPLES", "300")),
    deadline=None,
    derandomize="CNNCHECK_FUZZ_EXAMPLES" not in os.environ,
)
@given(
    upstream=st.one_of(
        st.integers(-3, 12),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=8),
        st.lists(st.integers(0, 3), max_size=3),
    ),
    downstream=st.one_of(
        st.integers(-2, 12).map(
            lambda p: _padded_conv1d([4, 1, -1, 3], [-2, 1], p) if p >= 0 else []
        ),
        st.lists(st.integers(-20, 20), max_size=12),
        st.text(max_size=12),
    ),
)
def test_any_upstream_and_downstream_carry_exactly_as_a_plain_loop_says(upstream, downstream):
    """Whatever a student writes for q10a and q10b: grading never fails, and q10b carries from
    q10a exactly when q10a is a whole padding other than the right one (1) and q10b is, cell for
    cell, the plain loop's output with that padding."""
    rs, _ = graded(HW2, "cs577-hw2", {"q10a": upstream, "q10b": downstream})
    q10b = rs["q10b"]
    # a whole number, as the padding question reads it (0.0 is 0)
    whole = (
        isinstance(upstream, (int, float))
        and not isinstance(upstream, bool)
        and math.isfinite(upstream)
        and upstream == int(upstream)
    )
    expect = (
        whole
        and upstream != 1
        and 0 <= upstream <= 1000  # a padding the bank's own limits admit
        and downstream == _padded_conv1d([4, 1, -1, 3], [-2, 1], int(upstream))
    )
    assert (q10b.carried_from == "q10a") == expect, (upstream, downstream, q10b.message)
    if expect:
        assert (q10b.status, q10b.score) == ("correct", 0.5)
    elif q10b.status == "correct":  # right on its own: only the canonical answer
        assert downstream == [4, -7, -3, 5, -6] and q10b.score == 1


@pytest.mark.parametrize("upstream", [-1, 10**9, 2.5, "1e30"])
def test_an_ill_posed_or_huge_upstream_value_carries_nothing(upstream):
    rs, _ = graded(load_bank(), "cs577-hw2", {"q10a": upstream, "q10b": ON_PADDING_2})
    assert rs["q10b"].status == "incorrect" and rs["q10b"].carried_from is None


def test_hw4_shapes_are_independent_and_the_example_still_grades_11_of_18():
    # q8 is q7's layer at stride 2 on the same input, not on q7's output: no uses, no carry
    hw4 = load_bank().get("cs577-hw4")
    assert all(not q.uses for q in hw4.questions.values())
    result = CliRunner().invoke(
        cli, ["grade", str(ROOT / "answers.example.yaml"), "--format", "json"]
    )
    data = json.loads(result.output)
    assert (data["score"], data["max_score"]) == (11, 18)
    assert all(q["carried_from"] is None for q in data["questions"])


# ------------------------------------------------------------ full, half, none; bank and question

CHAIN = """\
    assignment: chain
    {bank_carry}
    questions:
      s1:
        kind: output_shape
        input_shape: [3, 32, 32]
        layer: {{type: conv2d, filters: 8, kernel: 5}}
      s2:
        kind: output_shape
        uses: s1
        {s2_carry}
        input_shape: [8, 28, 28]
        layer: {{type: pool2d, size: 2}}
      s3:
        kind: output_shape
        uses: {{s2: input_shape}}
        input_shape: [8, 14, 14]
        layer: {{type: conv2d, filters: 4, kernel: 3, padding: 1}}
    """


def chain_bank(tmp_path, bank_carry="", s2_carry=""):
    return load_bank(bank_file(tmp_path, CHAIN.format(bank_carry=bank_carry, s2_carry=s2_carry)))


# s1 right: 8×28×28 (32 − 5 + 1). A student who forgets the "+1": 8×27×27; then
# s2 (pool 2, stride 2) on it: ⌊(27 − 2) / 2⌋ + 1 = 13 -> 8×13×13; s3 (3×3, padding 1): 4×13×13.
STUDENT = {"s1": "8x27x27", "s2": "8x13x13", "s3": "4x13x13"}


@pytest.mark.parametrize(
    "bank_carry, s2_carry, s2_points, s3_points",
    [
        ("", "", 0.5, 0.5),  # the default: half
        ("carry_forward: full", "", 1, 1),
        ("carry_forward: none", "", 0, 0),
        ("carry_forward: none", "carry_forward: full", 1, 0),  # a question overrides the bank
        ("", "carry_forward: none", 0, 0.5),
    ],
)
def test_full_half_none_per_bank_and_question(tmp_path, bank_carry, s2_carry, s2_points, s3_points):
    rs, _ = graded(chain_bank(tmp_path, bank_carry, s2_carry), "chain", STUDENT)
    assert rs["s1"].status == "incorrect"
    for qid, points in (("s2", s2_points), ("s3", s3_points)):
        r = rs[qid]
        assert r.score == points, qid
        if points:
            assert (r.status, r.carried_from) == ("correct", "s1" if qid == "s2" else "s2"), qid
        else:  # none: the answer stays wrong, and the note says why it earns nothing
            assert (r.status, r.carried_from) == ("incorrect", None), qid
            assert "gives carry-forward no credit" in r.message, qid


def test_a_chain_follows_what_the_student_wrote_never_a_guess(tmp_path):
    bank = chain_bank(tmp_path)
    # s2 missing: s3, right for what s2 would have been on the student's s1, earns nothing
    rs, _ = graded(bank, "chain", {"s1": "8x27x27", "s3": "4x13x13"})
    assert rs["s3"].status == "incorrect" and rs["s3"].carried_from is None
    # s2 a wrong guess (not from s1): s3 right for that guess is carried from s2 itself
    rs, _ = graded(bank, "chain", {"s1": "8x27x27", "s2": "8x20x20", "s3": "4x20x20"})
    assert rs["s2"].status == "incorrect"
    assert (rs["s3"].status, rs["s3"].carried_from) == ("correct", "s2")
    # s2 right: s3 must be right on its own
    rs, _ = graded(bank, "chain", {"s1": "8x27x27", "s2": "8x14x14", "s3": "4x13x13"})
    assert rs["s3"].status == "incorrect"


def test_layouts_are_matched_between_questions(tmp_path):
    bank = load_bank(
        bank_file(
            tmp_path,
            """\
            assignment: lay
            questions:
              a:
                kind: output_shape
                input_shape: [32, 32, 3]
                layout: hwc
                layer: {type: conv2d, filters: 8, kernel: 5}
              b:
                kind: params
                uses: a
                input_shape: [8, 28, 28]
                layer: {type: dense, units: 10}
            """,
        )
    )
    # a right: 28×28×8 (H×W×C). A student's 27×27×8 is C×H×W 8×27×27: b's dense layer then
    # has 8·27·27 = 5,832 inputs: 5,832·10 + 10 = 58,330 parameters (right: 6,272·10 + 10 = 62,730)
    rs, _ = graded(bank, "lay", {"a": "27x27x8", "b": 58330})
    assert (rs["b"].status, rs["b"].score, rs["b"].carried_from) == ("correct", 0.5, "a")
    rs, _ = graded(bank, "lay", {"a": "28x28x8", "b": 62730})
    assert (rs["b"].status, rs["b"].score, rs["b"].carried_from) == ("correct", 1, None)


# ------------------------------------------------------------ variants


def test_variants_recompute_on_the_students_own_numbers(tmp_path):
    bank = load_bank(
        bank_file(
            tmp_path,
            """\
            assignment: drawn
            questions:
              pad:
                kind: padding
                input_size: {range: [4, 7]}
                kernel: 3
                output_size: 8
              conv:
                kind: conv1d
                uses: pad
                image: {random: [5], range: [-3, 3]}
                filter: [1, 0, -1]
                padding: 1
            """,
        )
    )
    for student in ("ana", "ben", "chloé"):
        mine = bank.get("drawn").for_student(student)
        x = [int(v) for v in mine.questions["conv"].params.image.ravel()]
        # the student answers padding 2 (wrong: the right padding is (8 − 1 + 3 − L) / 2 ≠ 2
        # unless L = 6; then they answer 3) and convolves their own signal with it
        right = (8 - 1 + 3 - mine.questions["pad"].params.input_size + 1) // 2
        p = 2 if right != 2 else 3
        padded = [0] * p + x + [0] * p
        out = [padded[i] - padded[i + 2] for i in range(len(padded) - 2)]
        rs, _ = graded(bank, "drawn", {"pad": p, "conv": out}, student=student)
        assert (rs["conv"].status, rs["conv"].score, rs["conv"].carried_from) == (
            "correct",
            0.5,
            "pad",
        ), student
        # another student's signal with the same padding: not this student's recomputation
        other = bank.get("drawn").for_student(student + "-x").questions["conv"].params.image
        if [int(v) for v in other.ravel()] != x:
            padded = [0] * p + [int(v) for v in other.ravel()] + [0] * p
            theirs = [padded[i] - padded[i + 2] for i in range(len(padded) - 2)]
            rs, _ = graded(bank, "drawn", {"pad": p, "conv": theirs}, student=student)
            assert rs["conv"].carried_from is None, student


# ------------------------------------------------------------ model summaries, row by row


def nets(tmp_path, partial=True):
    text = (DATA / "networks.yaml").read_text()
    if partial:
        text = text.replace("assignment: nets", "assignment: nets\npartial: rows")
    return load_bank(bank_file(tmp_path, text, "nets.yaml"))


def row_text(shape, params):
    return f"{'x'.join(map(str, shape))}, {params}"


# LeNet-5 with the first convolution's padding 2 forgotten: 28 − 5 + 1 = 24, and every later row
# computed right from it: pool -> 12; conv 5×5 -> 8; pool -> 4; flatten 16·4·4 = 256;
# dense 120: 256·120 + 120 = 30,840; then 84 and 10 as in LeNet (10,164 and 850).
LENET_WRONG = [
    ((6, 24, 24), 156),
    ((6, 12, 12), 0),
    ((16, 8, 8), 2416),
    ((16, 4, 4), 0),
    ((256,), 0),
    ((120,), 30840),
    ((84,), 10164),
    ((10,), 850),
]
LENET_WRONG_TOTAL = 156 + 2416 + 30840 + 10164 + 850  # 44,426


@pytest.mark.parametrize(
    "carry, points", [("half", (2 + 0.5 * 6) / 9), ("full", 8 / 9), ("none", 2 / 9)]
)
def test_lenet5_one_wrong_early_row(tmp_path, carry, points):
    nets(tmp_path)  # writes nets.yaml, split by rows
    path = bank_file(
        tmp_path,
        (tmp_path / "nets.yaml")
        .read_text()
        .replace("partial: rows", f"partial: rows\ncarry_forward: {carry}"),
        "nets2.yaml",
    )
    rows = [row_text(*r) for r in LENET_WRONG]
    rs, _ = graded(load_bank(path), "nets", {"lenet": {"layers": rows, "total": LENET_WRONG_TOTAL}})
    r = rs["lenet"]
    # rows 7 and 8 are right; row 1 is the mistake; rows 2-6 and the total follow from it
    assert r.score == pytest.approx(points)
    assert r.status == "partial"
    if carry == "none":
        assert r.carried_from is None and "no credit" in r.message
        return
    assert r.carried_from == "row 1" and r.carried_rows == (1, 2, 3, 4, 5, 8)
    assert r.wrong.tolist() == [True] + [False] * 8  # only the row at fault is marked
    assert "rows 2, 3, 4, 5, 6 and the total right for your own rows above them" in r.message


def test_a_row_after_a_right_row_must_be_right(tmp_path):
    # row 3 wrong on its own (the padding-less 16×10×10 written as 16×12×12): row 4, right for
    # that row, is carried; row 2 above row 3 is right, so row 3 earns nothing
    rows = [
        ((6, 28, 28), 156),
        ((6, 14, 14), 0),
        ((16, 12, 12), 2416),
        ((16, 6, 6), 0),  # pool 2 on 12: 6
        ((576,), 0),  # 16·6·6
        ((120,), 576 * 120 + 120),
        ((84,), 10164),
        ((10,), 850),
    ]
    total = 156 + 2416 + 576 * 120 + 120 + 10164 + 850
    rs, _ = graded(
        nets(tmp_path), "nets", {"lenet": {"layers": [row_text(*r) for r in rows], "total": total}}
    )
    r = rs["lenet"]
    assert r.carried_rows == (3, 4, 5, 8) and r.carried_from == "row 3"
    # right: rows 1, 2, 7, 8; carried at half: rows 4, 5, 6 and the total; row 3 wrong
    assert r.score == pytest.approx((4 + 0.5 * 4) / 9)


def test_rows_carry_only_where_the_points_are_split_by_rows(tmp_path):
    rows = [row_text(*r) for r in LENET_WRONG]
    rs, _ = graded(
        nets(tmp_path, partial=False),
        "nets",
        {"lenet": {"layers": rows, "total": LENET_WRONG_TOTAL}},
    )
    assert (rs["lenet"].status, rs["lenet"].score, rs["lenet"].carried_from) == (
        "incorrect",
        0,
        None,
    )


def vgg16_rows(first_padding: int):
    """VGG-16's summary (H×W×C) written out by its formulas, its first convolution padded
    ``first_padding``: a 3×3 convolution of padding p gives H + 2p − 2, a 2×2 pool ⌊H / 2⌋."""
    rows, h, c = [], 224, 3
    blocks = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]
    first = True
    for filters, convs in blocks:
        for _ in range(convs):
            h = h + 2 * (first_padding if first else 1) - 2
            rows.append(((h, h, filters), 9 * c * filters + filters))
            c, first = filters, False
        h //= 2
        rows.append(((h, h, c), 0))
    flat = h * h * c
    rows.append(((flat,), 0))
    for units in (4096, 4096, 1000):
        rows.append(((units,), flat * units + units))
        flat = units
    return rows


def test_vgg16_one_wrong_early_row(tmp_path):
    right = vgg16_rows(1)
    assert sum(n for _, n in right) == 138_357_544  # the published total: the formulas are right
    wrong = vgg16_rows(0)  # the first convolution unpadded: 222, then everything after it
    # rows 2-20 differ (row 20: 6·6·512 = 18,432 inputs); rows 21 and 22 are as in VGG-16
    assert [a != b for a, b in zip(wrong, right)] == [True] * 20 + [False] * 2
    total = sum(n for _, n in wrong)
    assert total == 138_357_544 - 102_764_544 + (18_432 * 4096 + 4096)
    rs, _ = graded(
        nets(tmp_path), "nets", {"vgg16": {"layers": [row_text(*r) for r in wrong], "total": total}}
    )
    r = rs["vgg16"]
    assert r.carried_rows == tuple(range(1, 20)) + (22,) and r.carried_from == "row 1"
    # 2 right, 20 carried at half, row 1 wrong: of 23 cells
    assert r.score == pytest.approx((2 + 0.5 * 20) / 23)


# ------------------------------------------------------------ every format shows it


@pytest.fixture
def hw2_class(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    answers_file(folder, {"q10a": 2, "q10b": ON_PADDING_2}, name="ana.yaml", student="ana")
    answers_file(folder, {"q10a": 1, "q10b": [4, -7, -3, 5, -6]}, name="ben.yaml", student="ben")
    answers_file(folder, {"q10a": 1, "q10b": ON_PADDING_2}, name="cy.yaml", student="cy")
    return folder


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_table_and_explain(hw2_class):
    out = run("grade", hw2_class / "ana.yaml", "-q", "q10b", "--explain").output
    assert "0.5/1" in out and "~ carried" in out and "✓ correct" not in out  # not full marks
    assert "carried forward from q10a: right for your q10a = 2 (half credit)" in out
    assert "q10b: the working, carried forward from q10a" in out
    assert "Worked with your own padding = 2 (from q10a)" in out
    assert "0 0 4 1 -1 3 0 0" in out  # the input padded with the student's 2
    assert "⌊(4 + 4 − 2) / 1⌋ + 1 = 7" in out


def test_json_junit_gradescope_csv(hw2_class, tmp_path):
    ana = hw2_class / "ana.yaml"
    data = json.loads(run("grade", ana, "--format", "json").output)
    q = {x["id"]: x for x in data["questions"]}
    assert q["q10b"]["carried_from"] == "q10a" and q["q10b"]["score"] == 0.5
    assert q["q10b"]["status"] == "correct" and q["q10a"]["carried_from"] is None
    # below full feedback the note stays (it names only the student's own number)
    hints = json.loads(run("grade", ana, "--format", "json", "--feedback", "hints").output)
    assert {x["id"]: x for x in hints["questions"]}["q10b"]["carried_from"] == "q10a"

    root = ET.fromstring(run("grade", ana, "--format", "junit").output)
    case = next(c for c in root.iter("testcase") if c.get("name") == "q10b")
    failure = case.find("failure")  # half the points: not a pass
    assert failure.get("message") == "q10b carried forward from q10a: 0.5/1 points (line 1)"
    assert "carried forward from q10a" in failure.text

    gs = json.loads(run("grade", ana, "--format", "gradescope").output)
    test = next(t for t in gs["tests"] if t["name"].startswith("q10b"))
    assert (test["score"], test["status"]) == (0.5, "failed")
    assert "carried forward from q10a: right for your q10a = 2" in test["output"]

    sheet = tmp_path / "grades.csv"
    run("grade", hw2_class, "--csv", sheet)
    rows = {r["student"]: r for r in csv.DictReader(sheet.open())}
    assert rows["ana"]["q10b"] == "0.5" and rows["ben"]["q10b"] == "1" and rows["cy"]["q10b"] == "0"


def test_full_credit_passes_in_junit_and_says_so(tmp_path):
    bank = bank_file(
        tmp_path,
        (ROOT / "questions" / "cs577-hw2.yaml")
        .read_text()
        .replace("title:", "carry_forward: full\ntitle:", 1),
    )
    ana = answers_file(tmp_path, {"q10a": 2, "q10b": ON_PADDING_2})
    root = ET.fromstring(run("--bank", bank, "grade", ana, "--format", "junit").output)
    case = next(c for c in root.iter("testcase") if c.get("name") == "q10b")
    assert list(case) == []  # passed
    assert "q10b: carried forward from q10a" in root.find("testsuite/system-out").text
    gs = json.loads(run("--bank", bank, "grade", ana, "--format", "gradescope").output)
    test = next(t for t in gs["tests"] if t["name"].startswith("q10b"))
    assert (test["score"], test["status"]) == (1, "passed")


def test_summary_and_html_report(hw2_class, tmp_path):
    stats = json.loads(run("grade", hw2_class, "--summary", "--format", "json").output)
    q = {x["id"]: x for x in stats["assignments"][0]["questions"]}
    assert q["q10b"]["carried_forward"] == 1 and q["q10a"]["carried_forward"] == 0
    assert q["q10b"]["correct"] == 2  # ana (carried) and ben
    out = run("grade", hw2_class, "--summary").output
    assert "\nCredited by carrying forward (among the correct): q10b 1\n" in out
    assert max(len(line) for line in out.splitlines()) <= 80

    page = tmp_path / "report.html"
    run("grade", hw2_class, "--format", "html", "-o", page, "--explain")
    html = page.read_text()
    assert '<th scope="col" class=n>carried forward</th><th scope="col" class=n>mean</th>' in html
    q10b = html[html.index('<th scope="row">q10b</th>') :]
    q10b = q10b[: q10b.index("</tr>")]
    # right 2 of 3 (ana carried, ben), wrong 1 (cy), 1 of 3 carried forward, mean 0.5
    assert q10b.endswith('<td class=n>1 <span class="pc">33%</span></td><td class=n>0.5</td>'), q10b
    assert '<td class=n>2 <span class="pc">67%</span></td>' in q10b
    assert "The working of q10b, carried forward" in html
    assert "carried forward from q10a: right for your q10a = 2 (half credit)" in html


def test_no_carry_column_when_nothing_carries(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    answers_file(folder, {"q10a": 1, "q10b": [4, -7, -3, 5, -6]}, name="x.yaml")
    out = run("grade", folder, "--summary").output
    assert "carried" not in out


# ------------------------------------------------------------ the bank checks uses:


def problems_of(tmp_path, text: str) -> list[str]:
    path = bank_file(tmp_path, text)
    with pytest.raises(BankError) as e:
        load_bank(path).get(load_bank(path).ids[0])
    return [str(p) for p in e.value.problems]


def test_unknown_id_with_did_you_mean_and_line(tmp_path):
    [p] = problems_of(
        tmp_path,
        """\
        assignment: x
        questions:
          q10a: {kind: padding, input_size: 4, kernel: 2, output_size: 5}
          q10b:
            kind: conv1d
            image: [4, 1, -1, 3]
            filter: [-2, 1]
            uses: q10
        """,
    )
    assert p.endswith(
        ":8: question q10b: uses 'q10', which is no question here (did you mean 'q10a'?)"
    )


def test_self_cycle_and_wrong_kinds(tmp_path):
    ps = problems_of(
        tmp_path,
        """\
        assignment: x
        questions:
          pad: {kind: padding, input_size: 4, kernel: 2, output_size: 5}
          a:
            kind: output_shape
            input_shape: [3, 8, 8]
            layer: {type: pool2d, size: 2}
            uses: b
          b:
            kind: output_shape
            input_shape: [3, 4, 4]
            layer: {type: pool2d, size: 2}
            uses: a
          c:
            kind: output_shape
            input_shape: [3, 8, 8]
            layer: {type: pool2d, size: 2}
            uses: c
          d:
            kind: params
            in_channels: 3
            layer: {type: conv2d, filters: 2, kernel: 3}
            uses: pad
          e:
            kind: conv1d
            image: [1, 2, 3]
            filter: [1, 1]
            uses: {pad: stride}
          f:
            kind: params
            in_channels: 3
            layer: {type: conv2d, filters: 2, kernel: 3}
            uses: [a, b]
        """,
    )
    assert any(p.endswith(":8: question a: uses form a cycle: a → b → a") for p in ps), ps
    assert any(
        p.endswith(":18: question c: uses itself: an answer can only build on another question's")
        for p in ps
    ), ps
    assert any(
        p.endswith(
            ":23: question d: uses pad, a padding question, whose answer cannot feed a params "
            "question (a output_shape question's answer feeds its input_shape)"
        )
        for p in ps
    ), ps
    assert any(
        p.endswith(
            ":28: question e: uses pad for its stride, but a padding answer feeds its padding"
        )
        for p in ps
    ), ps
    assert any(
        p.endswith(":33: question f: uses a and b for the same key, input_shape") for p in ps
    ), ps
    assert len(ps) == 5, ps


def test_carry_forward_values_and_draws_are_checked(tmp_path):
    ps = problems_of(
        tmp_path,
        """\
        assignment: x
        carry_forward: halve
        questions:
          pad: {kind: padding, input_size: 4, kernel: 2, output_size: 5}
          a:
            kind: conv1d
            image: [1, 2, 3, 4]
            filter: [1, 1]
            uses: pad
            carry_forward: most
          b:
            kind: conv1d
            image: {random: [4], range: [0, 3]}
            filter: [1, 1]
            uses: {choice: [pad]}
          c:
            kind: conv1d
            image: [1, 2, 3, 4]
            filter: [1, 1]
            uses: 3.5
        """,
    )
    assert any(
        p.endswith(
            ":2: carry_forward must be one of full, half, none, got 'halve' (did you mean 'half'?)"
        )
        for p in ps
    ), ps
    assert any(
        p.endswith(":10: question a: carry_forward must be one of full, half, none, got 'most'")
        for p in ps
    ), ps
    assert any(
        p.endswith(
            ":15: question b: uses cannot be drawn at random; "
            "draws stand for a question's parameters"
        )
        for p in ps
    ), ps
    assert any(
        p.endswith(
            ":20: question c: uses must be a question id, a list of ids or {id: key}, got 3.5"
        )
        for p in ps
    ), ps


def test_the_builtin_bank_declares_the_padding_link():
    hw2 = load_bank().get("cs577-hw2")
    assert hw2.questions["q10b"].uses == (("q10a", "padding"),)
    assert hw2.questions["q10b"].carry == 0.5


def test_explain_works_each_carried_row_on_the_students_row_above(tmp_path):
    nets(tmp_path)
    rows = [row_text(*r) for r in LENET_WRONG]
    path = answers_file(
        tmp_path, {"lenet": {"layers": rows, "total": LENET_WRONG_TOTAL}}, assignment="nets"
    )
    wide = {"COLUMNS": "200"}  # each step on one line
    args = ["--bank", tmp_path / "nets.yaml", "grade", path, "--explain"]
    out = CliRunner().invoke(cli, [str(a) for a in args], env=wide).output
    assert "lenet: the working, carried forward from row 1" in out
    assert "layer 2, pool 2×2, stride 2, on your row 1 (6×24×24)" in out
    assert "on your row 5 (256): 256 × 120 + 120 = 30,840 parameters" in out
    assert "total, from your own counts: 156 + 2,416 + 30,840 + 10,164 + 850 = 44,426" in out
    assert "lenet: the working\n" in out or "lenet: the working ─" in out  # row 1 is still wrong


def test_a_class_graded_in_parallel_carries_the_same(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(210):  # past batch.PARALLEL_FROM: forked workers grade it
        answers_file(
            folder, {"q10a": 2, "q10b": ON_PADDING_2}, name=f"s{i:03d}.yaml", student=f"s{i}"
        )
    data = json.loads(run("grade", folder, "-j", "2", "--format", "json").output)
    assert len(data) == 210
    assert {r["score"] for r in data} == {0.5}
    assert {q["carried_from"] for r in data for q in r["questions"] if q["id"] == "q10b"} == {
        "q10a"
    }


def test_a_chain_of_thousands_of_questions_recurses_nowhere(tmp_path):
    """A bank whose 3,000 questions each use the one before (a hostile or generated bank) is
    checked and graded without recursion: each carried answer follows the student's own above."""
    n = 3000
    lines = ["assignment: chain", "questions:"]
    for i in range(n):
        lines += [
            f"  q{i}:",
            "    kind: output_shape",
            "    input_shape: [3, 32, 32]",
            "    layers: [{type: conv2d, filters: 4, kernel: 3}]",
        ] + ([f"    uses: q{i - 1}"] if i else [])
    bank = load_bank(bank_file(tmp_path, "\n".join(lines) + "\n"))
    # q0 is 4×30×30; the student writes 4×31×31, then each layer's 3×3 shrinks their own by 2
    sizes = [31 - 2 * i for i in range(14)]  # 31, 29, ..., 5
    answers = {f"q{i}": [4, s, s] for i, s in enumerate(sizes)}
    rs, _ = graded(bank, "chain", answers)
    assert rs["q0"].status == "incorrect"
    assert all(rs[f"q{i}"].carried_from == f"q{i - 1}" for i in range(1, len(sizes)))
    assert rs[f"q{len(sizes)}"].status == "missing"


def test_a_long_cycle_is_named_once(tmp_path):
    lines = ["assignment: ring", "questions:"]
    for i in range(2000):
        lines += [
            f"  q{i}:",
            "    kind: output_shape",
            "    input_shape: [3, 32, 32]",
            "    layers: [{type: conv2d, filters: 3, kernel: 3, padding: 1}]",
            f"    uses: q{(i + 1) % 2000}",
        ]
    said = problems_of(tmp_path, "\n".join(lines) + "\n")
    assert len(said) == 1 and "uses form a cycle: q0 → q1 → q2 →" in said[0], said[:1]
