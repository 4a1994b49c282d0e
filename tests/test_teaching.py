"""Grading that teaches: named mistakes, partial credit, worked solutions, feedback levels."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cnncheck import engine as E
from cnncheck.bank import BankError, load_bank
from cnncheck.cli import cli
from cnncheck.forms import Expected
from cnncheck.grading import grade_answer
from cnncheck.kinds.teaching import MISTAKES

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
T = load_bank(DATA / "teaching.yaml").get("teaching")
HW4 = load_bank().get("cs577-hw4")
HW2 = load_bank().get("cs577-hw2")

C2 = T.questions["c2"].params
C2S = T.questions["c2s"].params
P5 = np.array(T.questions["ppad"].params.image)  # (1, 5, 5)
PMAX = T.questions["pmax"].params.image  # (2, 5, 5)


def flip(w):
    return np.flip(w, axis=(-2, -1))


def c2(**kw):
    args = dict(padding=1, bias=[1])
    args.update(kw)
    w = args.pop("w", C2.weight)
    return E.conv2d(C2.image, w, **args)[0]


def c2s(**kw):
    args = dict(stride=2, dilation=2)
    args.update(kw)
    return E.conv2d(C2S.image, args.pop("w", C2S.weight), **args)[0]


def t2(**kw):
    args = dict(stride=2, padding=1, output_padding=1)
    args.update(kw)
    return E.conv_transpose2d([[[1, 2], [3, 4]]], args.pop("w", [[[[1, 2], [3, 5]]]]), **args)[0]


def c1(**kw):
    args = dict(padding=1)
    args.update(kw)
    return E.conv1d([[4, 1, -1, 3, 2, 5]], args.pop("w", [[[-2, 1, 3]]]), **args)[0]


C1S_X = [[4, 1, -1, 3, 2, 5, 0, 2, 7], [1, 1, 2, 3, 5, 8, 1, 3, 4]]

# (question, the mistaken answer, computed independently, the mistake it must be named as)
CASES = [
    ("c2", lambda: c2(w=flip(C2.weight)), "kernel_flipped"),
    ("c2", lambda: c2(padding=0), "padding_forgotten"),
    ("c2", lambda: c2(padding=((1, 0), (1, 0))), "padding_one_side"),
    ("c2", lambda: c2(padding=2), "padding_amount"),
    ("c2", lambda: c2(padding="same"), "same_padding"),
    ("c2", lambda: c2(bias=None), "bias_omitted"),
    ("c2", lambda: c2().T, "transposed"),
    (
        "c2",
        lambda: np.stack(
            [
                E.conv2d(C2.image[c : c + 1], C2.weight[:, c : c + 1], padding=1, bias=[1])[0]
                for c in range(2)
            ]
        ),
        "channels_not_summed",
    ),
    ("c2s", lambda: c2s(dilation=1), "dilation_ignored"),
    ("c2s", lambda: c2s(stride=1), "stride_ignored"),
    ("c2s", lambda: c2s(padding=1), "padding_added"),
    (
        "c2conv",
        lambda: E.conv2d([[[1, 2, 3], [4, 5, 6], [7, 8, 10]]], [[[[1, 2], [3, 4]]]])[0],
        "kernel_not_flipped",
    ),
    ("c1", lambda: c1(w=[[[3, 1, -2]]]), "kernel_flipped"),
    ("c1", lambda: c1(padding=0), "padding_forgotten"),
    ("c1", lambda: c1(padding=(1, 0)), "padding_one_side"),
    ("c1", lambda: c1(padding=2), "padding_amount"),
    (
        "c1s",
        lambda: E.conv1d(C1S_X, [[[1, -1], [1, -1]]], stride=2, dilation=1)[0],
        "dilation_ignored",
    ),
    (
        "c1s",
        lambda: E.conv1d(C1S_X, [[[1, -1], [1, -1]]], stride=1, dilation=2)[0],
        "stride_ignored",
    ),
    (
        "c1s",
        lambda: E.conv1d(C1S_X, [[[1, -1], [1, -1]]], stride=2, dilation=2, padding=1)[0],
        "padding_added",
    ),
    (
        "c1s",
        lambda: np.stack(
            [E.conv1d([C1S_X[c]], [[[1, -1]]], stride=2, dilation=2)[0] for c in range(2)]
        ),
        "channels_not_summed",
    ),
    ("t2", lambda: t2(w=[[[[5, 3], [2, 1]]]]), "kernel_flipped"),
    ("t2", lambda: t2(padding=0, output_padding=0), "padding_forgotten"),
    ("t2", lambda: t2(output_padding=0), "output_padding_ignored"),
    (
        "t2d",
        lambda: E.conv_transpose2d([[[1, 2], [3, 4]]], [[[[1, 2], [3, 5]]]])[0],
        "dilation_ignored",
    ),
    ("t2", lambda: t2(stride=1, output_padding=0), "stride_ignored"),
    ("t2", lambda: t2().T, "transposed"),
    ("pmax", lambda: E.avg_pool2d(PMAX, 2), "avg_instead_of_max"),
    ("pmax", lambda: E.max_pool2d(PMAX, 2, ceil_mode=True), "ceil_instead_of_floor"),
    ("pmax", lambda: E.max_pool2d(PMAX, 2, stride=1), "stride_ignored"),
    ("pmax", lambda: E.max_pool2d(PMAX, 2).sum(axis=0), "channels_summed"),
    ("pmax", lambda: [[[9, 4], [8, 7]], [[4, 7], [2, 5]]], "transposed"),
    ("ppad", lambda: E.max_pool2d(P5, 3, stride=2)[0], "padding_forgotten"),
    ("pdil", lambda: E.max_pool2d(P5, 2, stride=1)[0], "dilation_ignored"),
    ("pavg", lambda: E.max_pool2d(P5, 2, ceil_mode=True)[0], "max_instead_of_avg"),
    ("pavg", lambda: "5.25 3.5; 2 3.75", "floor_instead_of_ceil"),
    ("s1", lambda: "64x113x113", "ceil_instead_of_floor"),  # ⌈(224 + 6 − 7)/2⌉ + 1
    ("s1", lambda: "64x111x111", "plus_one_forgotten"),  # ⌊223/2⌋, no +1
    ("s1", lambda: "64x109x109", "padding_forgotten"),  # ⌊217/2⌋ + 1
    ("s1", lambda: "64x224x224", "stride_ignored"),
    ("s1", lambda: "112x112x64", "channels_last"),
    ("s2", lambda: "8x28x28", "channels_first"),
    ("s2", lambda: "30x30x8", "dilation_ignored"),
    ("pc", lambda: 432, "bias_omitted"),  # 16·3·3·3
    ("pc", lambda: 433, "bias_once"),
    ("pc", lambda: 160, "channels_left_out"),  # 16·3·3 + 16
    ("pc", lambda: 2320, "output_channels_as_depth"),  # 16·16·9 + 16
    ("pg", lambda: 1168, "groups_ignored"),  # 16·8·9 + 16 instead of 16·2·9 + 16
    ("pd", lambda: 170, "channels_left_out"),  # 4·4·10 + 10 instead of 48·10 + 10
    ("pd", lambda: "480", "bias_omitted"),
    ("rf", lambda: 6, "no_jump"),  # 1 + 2 + 2 + 1 instead of 1 + 2 + 2·2 + 1·2 = 9
    ("rf", lambda: 14, "k_not_k_minus_1"),  # 1 + 3 + 3·2 + 2·2
    ("rfd", lambda: 3, "dilation_ignored"),
    ("pad", lambda: 4, "total_padding"),
    ("pads", lambda: 0, "stride_ignored"),  # stride 1: 5 + 2p − 2 + 1 = 4 at p = 0
    ("q8", lambda: "64x64x16", "ceil_instead_of_floor"),
    ("q11", lambda: [[5, 5], [7, 7]], "channels_summed"),
    ("q7", lambda: "16x126x126", "channels_first"),
    ("q7", lambda: "128x128x16", "padding_added"),  # 'same' padding: the input's 128×128
    ("q7", lambda: "126x126x32", "channels_kept"),  # the input's 32 channels, not 16 filters
    ("pnb", lambda: 448, "bias_added"),  # 16·3·3·3 + 16, for a layer without biases
    # each window's sum over the real pixels only: 1/1, (2+3)/2, 4/1; (5+9)/2, (6+7+10+11)/4, ...
    ("pavgpad", lambda: [[1, 2.5, 4], [7, 8.5, 10], [13, 14.5, 16]], "padding_not_counted"),
    # each window's sum over 4, the padded cells counted: 1/4, (2+3)/4, 4/4; (5+9)/4, ...
    ("pavgtf", lambda: [[0.25, 1.25, 1], [3.5, 8.5, 5], [3.25, 7.25, 4]], "padding_counted"),
]


def question(qid):
    return T.questions.get(qid) or HW4.questions[qid]


def as_answer(v):
    return v.tolist() if isinstance(v, np.ndarray) else v


@pytest.mark.parametrize("qid, make, mistake", CASES, ids=[f"{q}-{m}" for q, _, m in CASES])
def test_mistake_is_named(qid, make, mistake):
    r = grade_answer(question(qid), as_answer(make()))
    assert r.status == "incorrect", r.message
    assert mistake in r.mistakes, (r.mistakes, r.answer)


def test_every_mistake_of_the_issue_is_covered():
    assert {m for _, _, m in CASES} == set(MISTAKES)


@pytest.mark.parametrize("qid", list(T.questions) + ["q3", "q8", "q11"])
def test_a_wrong_answer_matching_no_mistake_gets_no_diagnosis(qid):
    q = question(qid)
    v = q.expected.value
    if isinstance(v, np.ndarray):
        wrong = v.astype(np.float64 if v.dtype.kind == "f" else np.int64).copy()
        wrong.flat[0] += 1000
        raw = wrong.tolist()
    elif isinstance(v, tuple):
        raw = [v[0] + 1000, *v[1:]]
    else:
        raw = v + 999
    r = grade_answer(q, raw)
    assert r.status == "incorrect" and r.mistakes == ()


def test_mistake_answers_are_computed_once_per_question():
    q = load_bank(DATA / "teaching.yaml").get("teaching").questions["c2"]
    calls = []
    original = q.kind.mistake_answers

    def counting(params):
        calls.append(1)
        return original(params)

    q.kind.mistake_answers = counting
    try:
        for _ in range(5):
            grade_answer(q, [[0]])
    finally:
        del q.kind.mistake_answers
    assert len(calls) == 1


def test_ambiguous_answers_name_every_matching_mistake():
    # 224 + 2·3 − 7 = 223: ⌊223/2⌋ = 111 with the +1 forgotten; padding on one side,
    # ⌊220/2⌋ + 1 = 111 too
    r = grade_answer(T.questions["s1"], "64x111x111")
    assert set(r.mistakes) == {"plus_one_forgotten", "padding_one_side"}


# ------------------------------------------------------------ partial credit


def bank(tmp_path, text):
    p = tmp_path / "b.yaml"
    p.write_text(textwrap.dedent(text))
    return load_bank(p).get("t")


def test_partial_credit_cells_and_dimensions(tmp_path):
    a = bank(
        tmp_path,
        """\
        assignment: t
        partial: [cells, dimensions]
        questions:
          m: {kind: conv2d, image: [[1, 2], [3, 4]], filter: [[1]], points: 4}
          s: {kind: output_shape, input_shape: [3, 8, 8], layer: {type: pool2d, size: 2}, points: 3}
          off: {kind: conv2d, image: [[1, 2], [3, 4]], filter: [[1]], partial: none}
          c: {kind: padding, input_size: 4, kernel: 2, output_size: 5}
        """,
    )
    r = grade_answer(a.questions["m"], [[1, 2], [0, 0]])
    assert (r.status, r.score) == ("partial", 2.0)
    assert grade_answer(a.questions["m"], [[0, 0], [0, 0]]).status == "incorrect"
    assert grade_answer(a.questions["m"], [[1, 2, 3]]).score == 0  # the wrong shape earns nothing
    r = grade_answer(a.questions["s"], "3x4x5")
    assert (r.status, r.score) == ("partial", 2.0)
    assert grade_answer(a.questions["off"], [[1, 2], [0, 0]]).status == "incorrect"
    assert not a.questions["c"].partial


def test_partial_credit_is_off_by_default():
    assert grade_answer(HW4.questions["q3"], [[24, 24], [0, 0]]).score == 0


def test_partial_for_a_count_is_refused(tmp_path):
    with pytest.raises(BankError, match="a padding answer is a single number: no partial credit"):
        bank(
            tmp_path,
            "assignment: t\nquestions:\n"
            "  c: {kind: padding, input_size: 4, kernel: 2, output_size: 5, partial: true}\n",
        )


# ------------------------------------------------------------ worked solutions


def steps(q):
    return [s.text for s in q.kind.explain(q.params, q.expected)]


def test_explain_conv2d():
    s = steps(HW4.questions["q3"])
    assert "Pad the input with zeros: 1 top, 1 bottom, 1 left, 1 right" in s
    assert "Dilate the kernel by 2: 1 zero between taps, so it spans 5×5" in s
    assert "Hout = ⌊(4 + 2 − 5) / 1⌋ + 1 = 2; Wout = ⌊(4 + 2 − 5) / 1⌋ + 1 = 2" in s
    assert (
        "out[0, 0] = R: sum([0 0 0; 0 1 1; 0 1 1] ⊙ K) = 4 + G: sum([0 0 0; 0 2 2; 0 2 2] ⊙ K) = 8 "
        "+ B: sum([0 0 0; 0 2 2; 0 4 4] ⊙ K) = 12 = 24"
    ) in s
    assert "True convolution" in " ".join(steps(T.questions["c2conv"]))
    assert any(
        t.startswith("out[0, 0] = ") and t.endswith("bias 1 = 0") for t in steps(T.questions["c2"])
    )


def test_explain_conv1d():
    s = steps(HW2.questions["q10b"])
    assert "Pad the input with zeros: 1 left, 1 right" in s
    assert "out[1] = sum([4 1] ⊙ K) = -7" in s
    assert "… and the other 1 cell likewise. The output:" in s


def test_explain_conv_transpose2d():
    s = steps(T.questions["t2"])
    assert s[0].startswith(
        "Each input cell x[i, j] adds x[i, j]·K to the output, its corner at (i·2, j·2)"
    )
    assert "x[1, 1] = 4: adds 4·K at rows 2–3, columns 2–3" in s
    assert any(
        t.startswith("Cut padding 1 rows") and "Hout = (2−1)·2 − 2·1 + 1·(2−1) + 1 + 1 = 3" in t
        for t in s
    )
    full = T.questions["t2"].kind.explain(T.questions["t2"].params, T.questions["t2"].expected)
    pieces = next(st.value for st in full if st.text.endswith("The sum of all the pieces:"))
    assert (
        pieces.tolist()
        == E.conv_transpose2d([[[1, 2], [3, 4]]], [[[[1, 2], [3, 5]]]], stride=2)[0].tolist()
    )


def test_explain_pool2d():
    assert "B [0, 0] = max(1, 1, 2, 2) = 2" in steps(HW4.questions["q11"])
    s = steps(T.questions["pavg"])
    assert "[0, 0] = (1 + 9 + 5 + 6) / 4 = 5.25" in s
    assert any("ceil_mode rounds up" in t for t in s)
    assert "[0, 2] = (4 + 0) / 2 = 2" in s  # the ceil-mode overhang is not counted in the divisor
    s = steps(T.questions["ppad"])
    assert (
        "Pad 1 row(s) top and bottom, 1 column(s) left and right, "
        "with −∞ (a padded cell never wins)" in s
    )


def test_explain_shapes_params_rf_padding():
    assert steps(HW4.questions["q8"])[0] == (
        "conv2d, 16 filters 3×3, stride 2: H = ⌊(128 + 2·0 − 3) / 2⌋ + 1 = 63; "
        "W = ⌊(128 + 2·0 − 3) / 2⌋ + 1 = 63; C = 16, one channel per filter"
    )
    assert "weights: 10 filters × 1 × 5 × 5 = 250" in steps(HW2.questions["q2"])
    assert "total: 250 + 10 = 260" in steps(HW2.questions["q2"])
    assert "weights: 750,000 inputs × 100 units = 75,000,000" in steps(HW2.questions["q1"])
    s = steps(T.questions["rf"])
    assert "layer 2, conv2d k=3, stride 1: r = 3 + (3 − 1)·2 = 7; j = 2·1 = 2" in s
    assert "layer 3, pool2d k=2, stride 2: r = 7 + (2 − 1)·2 = 9; j = 2·2 = 4" in s
    assert "p = 1: ⌊(4 + 2 − 2) / 1⌋ + 1 = 5 ✓" in steps(HW2.questions["q10a"])


@pytest.mark.parametrize("qid", list(T.questions))
def test_explain_agrees_with_the_answer(qid):
    q = T.questions[qid]
    work = q.kind.explain(q.params, q.expected)
    last = work[-1].value
    last = last.value if isinstance(last, Expected) else last
    assert np.array_equal(np.asarray(last), np.asarray(q.expected.value))
    if q.kind.name == "conv2d":  # every cell worked out equals the engine's
        for text in (s.text for s in work):
            m = re.match(r"(?:filter \d+, )?out\[(\d+), (\d+)\] = .* = (-?\d+)$", text)
            if m:
                assert q.expected.value[int(m[1]), int(m[2])] == int(m[3])


# ------------------------------------------------------------ feedback levels

EXAMPLE = ROOT / "answers.example.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "160"})


@pytest.mark.parametrize("level", ["score", "verdict", "hints", "full"])
def test_feedback_levels_json(level):
    data = json.loads(run("grade", EXAMPLE, "--format", "json", "--feedback", level).output)
    q = {x["id"]: x for x in data["questions"]}
    assert data["feedback"] == level and data["score"] == 11
    assert (q["q3"]["status"] is None) == (level == "score")
    assert (q["q8"]["diagnosis"] is not None) == (level in ("hints", "full"))
    assert (q["q3"]["wrong_cells"] is not None) == (level in ("hints", "full"))
    # expected answers at full only; a rubric's ideas never for a written question left unanswered
    # (q12 of the example), where a student could paste them in
    assert all(
        (x["expected"] is not None) == (level == "full" and x["id"] != "q12")
        for x in data["questions"]
    )
    if level != "full":  # the canonical answers appear nowhere
        text = json.dumps(data)
        assert "63" not in text and "[24, 24]" not in text and "[[24, 24], [20, 20]]" not in text
    assert q["q3"]["answer"] == [[24, 20], [24, 20]]  # the student's own answer, at every level


@pytest.mark.parametrize("level", ["score", "verdict", "hints", "full"])
def test_feedback_levels_table(level):
    out = run("grade", EXAMPLE, "--feedback", level, "--explain").output
    assert ("expected" in out) == (level == "full")
    assert ("incorrect" in out) == (level != "score")
    assert ("2 of 4 cells right" in out) == (level in ("hints", "full"))
    assert ("likely mistake: the matrix is transposed" in out) == (level in ("hints", "full"))
    assert ("the working" in out) == (level == "full")
    if level != "full":
        assert "63" not in out and "20 20" not in out and "24 24" not in out


def test_wrong_shape_hint_does_not_name_the_shape(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("answers:\n  q1: [[45, 45, 1], [54, 54, 1]]\n")
    data = json.loads(run("grade", p, "--format", "json", "--feedback", "hints").output)
    q1 = data["questions"][0]
    assert q1["message"] == "your answer is 2×3, which is not the shape of the answer"
    data = json.loads(run("grade", p, "--format", "json").output)
    assert data["questions"][0]["message"] == "your answer is 2×3, expected 2×2"


def test_bank_default_and_question_cap(tmp_path):
    b = tmp_path / "bank.yaml"
    b.write_text(
        textwrap.dedent("""\
        assignment: t
        feedback: hints
        questions:
          a: {kind: padding, input_size: 4, kernel: 2, output_size: 5}
          b: {kind: padding, input_size: 4, kernel: 2, output_size: 5, feedback: verdict}
        """)
    )
    p = tmp_path / "a.yaml"
    p.write_text("answers: {a: 2, b: 2}\n")
    data = json.loads(run("--bank", b, "grade", p, "--format", "json").output)
    a, bq = data["questions"]
    assert data["feedback"] == "hints" and a["feedback"] == "hints" and a["expected"] is None
    assert a["diagnosis"] == "likely mistake: " + MISTAKES["total_padding"]
    assert bq["feedback"] == "verdict" and bq["diagnosis"] is None and bq["status"] == "incorrect"
    # asking for more on the command line still respects the question's cap
    data = json.loads(run("--bank", b, "grade", p, "--format", "json", "--feedback", "full").output)
    assert data["questions"][0]["expected"] == 1 and data["questions"][1]["expected"] is None


def test_solve_explain_every_kind():
    r = run("--bank", DATA / "teaching.yaml", "solve", "--all", "--explain")
    assert r.exit_code == 0, r.output
    assert r.output.count("working") == len(T.questions)
    data = json.loads(
        run(
            "--bank", DATA / "teaching.yaml", "solve", "--all", "--explain", "--format", "json"
        ).output
    )
    assert set(data["working"]) == set(T.questions)
    assert data["working"]["pc"][-1] == {"text": "total: 432 + 16 = 448", "value": 448}
