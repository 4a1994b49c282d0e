"""The built-in bank's answers, and refusals of ill-posed definitions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from cnncheck.bank import BankError, load_bank
from cnncheck.yamlio import InputError

HW4 = {
    "q1": [[45, 45], [54, 54]],
    "q2": [[18, 27, 27, 18], [30, 45, 45, 30], [36, 54, 54, 36], [26, 39, 39, 26]],
    "q3": [[24, 24], [20, 20]],
    "q7": (126, 126, 16),
    "q8": (63, 63, 16),
    "q11": [[[1, 1], [1, 1]], [[2, 2], [2, 2]], [[2, 2], [4, 4]]],
}
HW2 = {
    "q1": 75_000_100,
    "q2": 260,
    "q6": 5,
    "q7": (128, 64, 64),
    "q10a": 1,
    "q10b": [4, -7, -3, 5, -6],
}


@pytest.mark.parametrize("aid, answers", [("cs577-hw4", HW4), ("cs577-hw2", HW2)])
def test_builtin_answers(aid, answers):
    a = load_bank().get(aid)
    assert [q for q in a.questions if a.questions[q].kind.name != "text"] == list(answers)
    for qid, want in answers.items():
        got = a.questions[qid].expected.value
        if isinstance(want, list):
            assert isinstance(got, np.ndarray) and got.dtype == np.int64
            assert got.tolist() == want, qid
        else:
            assert got == want, qid


def test_builtin_questions_in_words():
    bank = load_bank()
    hw4, hw5 = bank.get("cs577-hw4"), bank.get("cs577-hw5")
    assert [q for q in hw4.questions if hw4.questions[q].kind.name == "text"] == [
        "q4",
        "q5",
        "q6",
        "q9",
        "q10",
        "q12",
    ]
    assert list(hw5.questions) == [f"q{i}" for i in range(1, 9)]
    for q in list(hw4.questions.values()) + list(hw5.questions.values()):
        if q.kind.name == "text":
            assert q.expected.value is not None and q.expected.value.total == q.points == 2, q.id
    assert hw4.max_score == 18


def test_builtin_default_and_channels():
    bank = load_bank()
    assert bank.default == "cs577-hw4"
    assert bank.get(None).questions["q11"].expected.channels == ("R", "G", "B")


def bank_file(tmp_path, body: str, name="b.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(body))
    return p


HEAD = """\
assignment: t
questions:
"""


@pytest.mark.parametrize(
    "question, message, line",
    [
        (
            "  q1: {kind: conv2d, image: [[1, 2], [3, 4]], filter: "
            "[[1, 1, 1], [1, 1, 1], [1, 1, 1]]}\n",
            r"question q1: the kernel \(3x3 with dilation\) is larger than "
            r"the padded input \(2x2\)",
            3,
        ),
        (
            "  q1: {kind: conv2d, image: [[1, 2], [3, 4]], filter: [[1]], stride: 0}\n",
            "question q1: stride must be at least 1",
            3,
        ),
        (
            "  q1: {kind: conv2d, image: [[1, 2], [3, 4]], filter: [[1]], dilation: 0}\n",
            "dilation must be at least 1",
            3,
        ),
        (
            "  q1: {kind: conv2d, image: [[1, 2], [3, 4]], filter: [[1]], padding: -1}\n",
            "padding must not be negative",
            3,
        ),
        (
            "  q1: {kind: conv2d, image: [[[1, 2], [3, 4]]], filter: [[[1]], [[1]]]}\n",
            "the filter has 2 channels but the image has 1",
            3,
        ),
        (
            "  q1: {kind: conv2d, image: [[1, 2], [3]], filter: [[1]]}\n",
            r"image: ragged: row 2 has 1 entries, expected 2",
            3,
        ),
        (
            "  q1: {kind: convolution, image: [[1]], filter: [[1]]}\n",
            r"unknown kind 'convolution'",
            3,
        ),
        (
            "  q1: {kind: conv2d, image: [[1]], filter: [[1]], strides: 2}\n",
            r"unknown key 'strides'.*did you mean 'stride'",
            3,
        ),
        (
            "  q1: {kind: padding, input_size: 5, kernel: 3, output_size: 4}\n",
            "no padding gives output size 4",
            3,
        ),
        (
            "  q1: {kind: conv2d, image: [[1, 2], [3, 4]], filter: [[1]], "
            "padding: same, stride: 2}\n",
            "'same' is not supported for strided",
            3,
        ),
        (
            "  q1: {kind: pool2d, image: [[1, 2], [3, 4]], size: 2, padding: 2}\n",
            "at most half the window",
            3,
        ),
        (
            "  q1: {kind: output_shape, input_shape: [3, 8, 8], "
            "layer: {type: conv2d, filters: 4, kernel: 9}}\n",
            "the kernel does not fit the 8×8 input",
            3,
        ),
        (
            "  q1: {kind: output_shape, input_shape: [8, 8, 3], layout: hwc, "
            "layer: {type: conv2d, filters: 4, kernel: [3, 3, 4]}}\n",
            "the kernel is 3×3×4 but the input has 3 channels",
            3,
        ),
        (
            "  q1: {kind: conv2d, image: [[1]], filter: [[1]], points: -1}\n",
            "points must be a non-negative number",
            3,
        ),
    ],
)
def test_ill_posed_definitions_are_refused(tmp_path, question, message, line):
    p = bank_file(tmp_path, HEAD + question)
    bank = load_bank(
        p
    )  # reads the file; the questions are checked when the assignment is first used
    with pytest.raises(BankError, match=message) as e:
        bank.get("t")
    assert len(e.value.problems) == 1
    assert e.value.problems[0].path == str(p)
    assert e.value.problems[0].line == line


def test_errors_name_the_key_line_and_all_problems(tmp_path):
    p = bank_file(
        tmp_path,
        """\
        assignment: t
        questions:
          q1:
            kind: conv2d
            image: [[1, 2], [3, 4]]
            filter: [[1]]
            stride: 0
          q2:
            kind: pool2d
            image: [[1, 2], [3, 4]]
            size: 2
            op: maximum
        """,
    )
    with pytest.raises(BankError) as e:
        load_bank(p).assignments
    assert [(x.line, x.message.split(":")[0]) for x in e.value.problems] == [
        (7, "question q1"),
        (12, "question q2"),
    ]
    assert "op must be one of max, avg, got 'maximum' (did you mean 'max'?)" in str(e.value)


def test_folder_bank_and_default(tmp_path):
    bank_file(
        tmp_path,
        HEAD + "  a: {kind: padding, input_size: 4, kernel: 2, output_size: 5}\n",
        "one.yaml",
    )
    bank_file(
        tmp_path,
        "assignment: u\ndefault: true\nquestions:\n"
        "  b: {kind: padding, input_size: 4, kernel: 3, output_size: 4}\n",
        "two.yml",
    )
    bank = load_bank(tmp_path)
    assert list(bank.assignments) == ["t", "u"] and bank.default == "u"
    assert bank.get("u").questions["b"].expected.value == 1


def test_a_broken_assignment_does_not_block_the_others(tmp_path):
    bank_file(
        tmp_path,
        HEAD + "  a: {kind: padding, input_size: 4, kernel: 2, output_size: 5}\n",
        "one.yaml",
    )
    bank_file(
        tmp_path,
        "assignment: u\nquestions:\n"
        "  b: {kind: padding, input_size: 4, kernel: 3, output_size: 45}\n",
        "two.yaml",
    )
    bank = load_bank(tmp_path)
    assert bank.get("t").questions["a"].expected.value == 1
    with pytest.raises(BankError, match="two.yaml:3: question b: no padding gives output size 45"):
        bank.get("u")
    with pytest.raises(BankError):
        bank.assignments


def test_duplicate_assignment_ids(tmp_path):
    bank_file(
        tmp_path,
        HEAD + "  a: {kind: padding, input_size: 4, kernel: 2, output_size: 5}\n",
        "one.yaml",
    )
    bank_file(
        tmp_path,
        HEAD + "  a: {kind: padding, input_size: 4, kernel: 2, output_size: 5}\n",
        "two.yaml",
    )
    with pytest.raises(BankError, match="assignment 't' is also defined in"):
        load_bank(tmp_path)


def test_unknown_assignment_suggests(tmp_path):
    with pytest.raises(
        InputError, match=r"unknown assignment 'cs577-hw6' \(did you mean 'cs577-hw\d'\?\)"
    ):
        load_bank().get("cs577-hw6")


def test_env_var_bank(tmp_path, monkeypatch):
    p = bank_file(
        tmp_path, HEAD + "  a: {kind: padding, input_size: 4, kernel: 2, output_size: 5}\n"
    )
    monkeypatch.setenv("CNNCHECK_BANK", str(p))
    assert list(load_bank().assignments) == ["t"]


def test_convention_convolution_flips_the_kernel(tmp_path):
    p = bank_file(
        tmp_path,
        """\
        assignment: t
        convention: convolution
        questions:
          flipped: {kind: conv2d, image: [[1, 2], [3, 4]], filter: [[1, 0], [0, 0]]}
          xcorr: {kind: conv2d, image: [[1, 2], [3, 4]], filter: [[1, 0], [0, 0]],
                  convention: cross-correlation}
          one_d: {kind: conv1d, image: [4, 1, -1, 3], filter: [-2, 1], padding: 1}
        """,
    )
    a = load_bank(p).get("t")
    assert a.questions["flipped"].expected.value.tolist() == [[4]]
    assert a.questions["xcorr"].expected.value.tolist() == [[1]]
    # np.convolve flips the kernel: the textbook "true" convolution
    assert (
        a.questions["one_d"].expected.value.tolist() == np.convolve([4, 1, -1, 3], [-2, 1]).tolist()
    )


def test_every_kind_with_every_form(tmp_path):
    p = bank_file(
        tmp_path,
        """\
        assignment: t
        questions:
          bank4d: {kind: conv2d, image: [[[1, 2], [3, 4]]], filter: [[[[1]]], [[[2]]]],
                   bias: [10, 20]}
          per_channel_filter: {kind: conv2d, image: [[[1, 2], [3, 4]], [[1, 1], [1, 1]]],
                               filter: [[[1]], [[-1]]]}
          tconv: {kind: conv_transpose2d, image: [[0, 1], [2, 3]], filter: [[0, 1], [2, 3]],
                  stride: 2}
          avg: {kind: pool2d, op: avg, image: [[1, 2, 3], [4, 5, 6], [7, 8, 9]], size: 2, stride: 1}
          ceil: {kind: pool2d, image: [[1, 2, 3], [4, 5, 6], [7, 8, 9]], size: 2, ceil_mode: true}
          stack: {kind: output_shape, input_shape: [3, 32, 32],
                  layers: [{type: conv2d, filters: 8, kernel: 3, padding: same},
                           {type: pool2d, size: 2},
                           {type: conv_transpose2d, filters: 4, kernel: 2, stride: 2}]}
          dense: {kind: params, input_shape: [3, 4, 4],
                  layer: {type: dense, units: 10, bias: false}}
          rf: {kind: receptive_field,
               layers: [{type: conv2d, kernel: 3, stride: 2},
                        {type: conv2d, kernel: 3, dilation: 2}]}
        """,
    )
    q = load_bank(p).get("t").questions
    assert q["bank4d"].expected.value.tolist() == [[[11, 12], [13, 14]], [[22, 24], [26, 28]]]
    assert q["per_channel_filter"].expected.value.tolist() == [[0, 1], [2, 3]]
    assert q["tconv"].expected.value.tolist() == [
        [0, 0, 0, 1],
        [0, 0, 2, 3],
        [0, 2, 0, 3],
        [4, 6, 6, 9],
    ]
    assert (
        q["avg"].expected.value.tolist() == [[3.0, 4.0], [6.0, 7.0]] and not q["avg"].expected.exact
    )
    assert q["ceil"].expected.value.tolist() == [[5, 6], [8, 9]]
    assert q["stack"].expected.value == (4, 32, 32)
    assert q["dense"].expected.value == 480
    assert q["rf"].expected.value == 1 + 2 + 2 * 2 * 2


# ------------------------------------------------------------ check-bank


def _line_of(bank: str, qid: str) -> int:
    """The line of question ``qid`` in a built-in bank (1-based)."""
    lines = (Path(__file__).resolve().parent.parent / "questions" / bank).read_text().split("\n")
    return lines.index(f"  {qid}:") + 1


def test_check_bank_builtin_warnings():
    from cnncheck.checks import check_bank

    found = [(f.severity, Path(f.path).name, f.line, f.message) for f in check_bank(load_bank())]
    assert found == [
        (
            "warning",
            "cs577-hw2.yaml",
            32,
            "question q7: the layer: the stride leaves the last row and the last column "
            "of the padded input uncovered",
        ),
        (
            "warning",
            "cs577-hw4.yaml",
            31,
            "question q3: the convolution: the kernel is larger than the unpadded input "
            "(5 rows > 4, 5 columns > 4); only the padding makes it fit",
        ),
        (
            "warning",
            "cs577-hw4.yaml",
            _line_of("cs577-hw4.yaml", "q8"),  # below the rubrics, which change
            "question q8: the layer: the stride leaves the last row and the last column "
            "of the padded input uncovered",
        ),
    ]


def test_check_bank_cli(tmp_path):
    import json

    from click.testing import CliRunner

    from cnncheck.cli import cli

    good = bank_file(
        tmp_path,
        HEAD
        + """\
          big: {kind: conv2d, image: [[0]], filter: [[1]], padding: 400}
          short: {kind: pool2d, op: avg, image: [[1, 2], [3, 3]], size: 2, tolerance: 0}
          exact: {kind: pool2d, op: avg, image: [[1, 0, 0]], size: [1, 3], tolerance: 0}
          free: {kind: padding, input_size: 4, kernel: 2, output_size: 5, points: 0}
          fine: {kind: padding, input_size: 4, kernel: 2, output_size: 5}
        """,
        "good.yaml",
    )
    r = CliRunner().invoke(cli, ["check-bank", str(good)])
    assert r.exit_code == 0, r.output
    assert "question big: the answer has 641,601 numbers: an answer file cannot hold it" in r.output
    assert (
        "question exact: tolerance 0 on non-integer answers such as 0.3333333333333333" in r.output
    )
    assert "question short" not in r.output  # 9/4 = 2.25 is easy to write exactly
    assert "question free: the question is worth 0 points" in r.output
    assert r.output.strip().endswith("0 errors, 3 warnings in 1 assignment")
    assert CliRunner().invoke(cli, ["check-bank", str(good), "--strict"]).exit_code == 1
    bad = bank_file(
        tmp_path,
        HEAD + "  a: {kind: conv2d, image: [[1]], filter: [[1, 1]]}\n  b: {kind: nope}\n",
        "bad.yaml",
    )
    r = CliRunner().invoke(cli, ["check-bank", str(bad), "--format", "json"])
    assert r.exit_code == 2
    data = json.loads(r.output)
    assert data["errors"] == 2 and [f["line"] for f in data["findings"]] == [3, 4]
    r = CliRunner().invoke(cli, ["--bank", str(good), "check-bank"])
    assert r.exit_code == 0 and "question big" in r.output
