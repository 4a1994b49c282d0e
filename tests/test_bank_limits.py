"""Banks that check-bank must refuse, with the file and line, and that grading must never meet:
numbers past exactness, sizes that would need gigabytes, draws that leave some students without a
variant; every problem of a question listed at once; prompt placeholders of nested draws filled."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck import bank as bankmod
from cnncheck.bank import VariantError, load_bank
from cnncheck.cli import cli

E18 = 10**18
ANSWERS = "assignment: t\nanswers:\n  q: 1\n"
LAYERS3 = "".join(
    "      - {type: conv_transpose2d, filters: 8, kernel: 3, stride: 10000}\n" for _ in range(3)
)
RF5 = "".join("      - {type: conv2d, kernel: 9999, stride: 9999}\n" for _ in range(5))
PADDED = (
    "the padded input would hold 100,120,036 values; a question's arrays hold at most 10,000,000"
)

# name -> (the question's keys, (line, message)); the question starts on line 3, its kind on line 4
CASES = {
    "image_1e18": (
        f"kind: conv2d\nimage: [[{E18}, 2], [3, 4]]\nfilter: [[1, 1], [1, 1]]",
        (
            5,
            "image: 1000000000000000000 is too large: a question's numbers are at most 10^12 in "
            "magnitude",
        ),
    ),
    "filter_1e18": (
        f"kind: conv2d\nimage: [[1, 2], [3, 4]]\nfilter: [[{E18}, 1], [1, 1]]",
        (
            6,
            "filter: 1000000000000000000 is too large: a question's numbers are at most 10^12 in "
            "magnitude",
        ),
    ),
    "bias_1e18": (
        f"kind: conv_transpose2d\nimage: [[1, 2], [3, 4]]\nfilter: [[1, 1], [1, 1]]\nbias: -{E18}",
        (
            7,
            "bias: -1000000000000000000 is too large: a question's numbers are at most 10^12 in "
            "magnitude",
        ),
    ),
    "pool_1e18": (
        f"kind: pool2d\nimage: {{R: [[{E18}, 2], [3, 4]]}}\nsize: 2",
        (
            5,
            "image: 1000000000000000000 is too large: a question's numbers are at most 10^12 in "
            "magnitude",
        ),
    ),
    "float_1e300": (
        "kind: conv1d\nimage: [1.0e+300, 2, 3]\nfilter: [1, 1]",
        (5, "image: 1e+300 is too large: a question's numbers are at most 10^12 in magnitude"),
    ),
    "sums_past_2_53": (
        "kind: conv2d\nimage: [[1000000000000, 2], [3, 4]]\nfilter: [[10000, 1], [1, 1]]",
        (
            5,
            "the numbers are too large: an output value could reach 1e+16, and answers stay below "
            "2**53 (9,007,199,254,740,992) so that they are exact",
        ),
    ),
    "padding_100000": (
        "kind: conv2d\nimage: [[1, 2], [3, 4]]\nfilter: [[1, 1], [1, 1]]\npadding: 100000",
        (7, "padding must be at most 10,000, got 100,000"),
    ),
    "padded_input": (
        "kind: conv2d\nimage: [[1, 2], [3, 4]]\nfilter: [[1, 1], [1, 1]]\npadding: 5000",
        (7, PADDED),
    ),
    "dilation_same": (
        "kind: conv2d\nimage: [[1, 2], [3, 4]]\nfilter: [[1, 1], [1, 1]]\ndilation: 10000\n"
        "padding: same",
        (8, PADDED),
    ),
    "stride_transposed": (
        "kind: conv_transpose2d\nimage: [[1, 2], [3, 4]]\nfilter: [[1, 1], [1, 1]]\nstride: 10000",
        (
            3,
            "the uncropped output would hold 100,040,004 values; a question's arrays hold at most "
            "10,000,000",
        ),
    ),
    "stride_huge": (
        "kind: conv2d\nimage: [[1, 2], [3, 4]]\nfilter: [[1]]\nstride: 1000000000",
        (7, "stride must be at most 10,000, got 1,000,000,000"),
    ),
    "conv1d_padding": (
        "kind: conv1d\nimage: [1, 2, 3]\nfilter: [1, 1]\npadding: [0, 20000]",
        (7, "padding must be at most 10,000, got 20,000"),
    ),
    "pool_window": (
        "kind: pool2d\nimage: [[1, 2], [3, 4]]\nsize: 9000\npadding: 4500",
        (
            7,
            "the padded input would hold 324,072,004 values; a question's arrays hold at most "
            "10,000,000",
        ),
    ),
    "input_shape": (
        "kind: output_shape\ninput_shape: [3, 1000000, 1000000]\nlayer: {type: conv2d, filters: 8, "
        "kernel: 3}",
        (5, "input_shape: a size is at most 10,000, got 1,000,000"),
    ),
    "filters": (
        "kind: output_shape\ninput_shape: [3, 32, 32]\n"
        "layer: {type: conv2d, filters: 1000000, kernel: 3}",
        (6, "layer: filters must be at most 10,000, got 1,000,000"),
    ),
    "shape_answer": (
        "kind: output_shape\ninput_shape: [3, 10000, 10000]\nlayers:\n" + LAYERS3,
        (
            3,
            "the answer reaches 1e+16: answers stay below 2**53 (9,007,199,254,740,992), "
            "the integers float64 and JSON hold exactly",
        ),
    ),
    "dense": (
        "kind: params\ninput_shape: [10000, 10000, 10000]\nlayer: {type: dense, units: 10000}",
        (
            3,
            "the answer reaches 1e+16: answers stay below 2**53 (9,007,199,254,740,992), "
            "the integers float64 and JSON hold exactly",
        ),
    ),
    "receptive_field": (
        "kind: receptive_field\nlayers:\n" + RF5,
        (
            3,
            "the answer reaches 1e+20: answers stay below 2**53 (9,007,199,254,740,992), the "
            "integers float64 and JSON hold exactly",
        ),
    ),
    "padding_kind": (
        "kind: padding\ninput_size: 1\nkernel: 10000\ndilation: 10000\noutput_size: 10000",
        (8, "the padding would be at least 50,000,000; a padding is at most 10,000"),
    ),
    "drawn_array": (
        "kind: conv2d\nimage: {random: [10000, 10000], range: [0, 1]}\nfilter: [[1]]",
        (
            3,
            "no well-posed variant in 100 draws (the last: the question, image: "
            "a variant draws at most 2,000 numbers in all, and this array holds 100,000,000)",
        ),
    ),
}


def question(keys: str, qid: str = "q") -> str:
    return f"{qid}:\n" + textwrap.indent(keys, "  ") + "\n"


def check_bank(path: Path):
    return CliRunner().invoke(cli, ["--bank", str(path), "check-bank"])


def grade(path: Path, answers: Path):
    return CliRunner().invoke(cli, ["--bank", str(path), "grade", str(answers), "--format", "json"])


@pytest.mark.parametrize("name", CASES)
def test_check_bank_and_grade_refuse_with_file_and_line(tmp_path, name):
    keys, (line, message) = CASES[name]
    b = tmp_path / "b.yaml"
    b.write_text(
        "assignment: t\nquestions:\n" + textwrap.indent(question(keys), "  "), encoding="utf-8"
    )
    r = check_bank(b)
    assert r.exit_code == 2
    assert (
        r.output
        == f"{b}:{line}: error: question q: {message}\n1 error, 0 warnings in 1 assignment\n"
    )
    a = tmp_path / "answers.yaml"
    a.write_text(ANSWERS, encoding="utf-8")
    r = grade(b, a)
    assert r.exit_code == 2
    # one line on stderr; its prefix ("the question bank cannot be used" / "its assignment cannot be
    # used") is the command line's, the located problem the bank's
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("cnncheck: error: ")
    assert f"cannot be used: {b}:{line}: question q: {message}\n" in r.stderr
    assert "internal error" not in r.output


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB of address space


@pytest.mark.parametrize(
    "name",
    [
        "image_1e18",
        "padding_100000",
        "padded_input",
        "dilation_same",
        "pool_window",
        "stride_transposed",
        "drawn_array",
        "padding_kind",
    ],
)
def test_refused_in_bounded_time_and_memory(tmp_path, name):
    """In a process that may not use more than 1 GiB, within the hang bound (before the bounds: a
    MemoryError for 149 GiB, an OverflowError in the engine, a hang)."""
    keys, (line, message) = CASES[name]
    b = tmp_path / "b.yaml"
    b.write_text(
        "assignment: t\nquestions:\n" + textwrap.indent(question(keys), "  "), encoding="utf-8"
    )
    a = tmp_path / "answers.yaml"
    a.write_text(ANSWERS, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OPENBLAS_NUM_THREADS": "1"}
    for args in (["check-bank"], ["grade", str(a)]):
        r = subprocess.run(
            [sys.executable, "-m", "cnncheck", "--bank", str(b), *args],
            capture_output=True,
            text=True,
            timeout=20,
            preexec_fn=_limit_memory,
            env=env,
        )
        assert r.returncode == 2, r.stderr
        assert f"{b}:{line}: " in r.stdout + r.stderr and "internal error" not in r.stderr


def test_large_questions_within_the_bounds_are_solved(tmp_path):
    """The bounds leave room: padding 500 (a 1001×1001 answer), values of 10^12 with small sums,
    the largest sizes."""
    b = tmp_path / "b.yaml"
    b.write_text(
        textwrap.dedent("""\
        assignment: t
        questions:
          big:
            kind: conv2d
            image: [[1000000000000, 2], [3, 4]]
            filter: [[1, 1], [1, 1]]
            padding: 500
          shape:
            kind: output_shape
            input_shape: [3, 10000, 10000]
            layer: {type: conv2d, filters: 10000, kernel: 10000, stride: 10000}
        """),
        encoding="utf-8",
    )
    r = check_bank(b)
    assert r.exit_code == 0, r.output
    a = load_bank(b).get("t")
    assert a.questions["big"].expected.value.shape == (1001, 1001)
    assert a.questions["big"].expected.value[500, 500] == 1000000000009
    assert a.questions["shape"].expected.value == (10000, 1, 1)


# ------------------------------------------------------------ every problem of a question at once


def test_every_problem_of_a_question_is_listed(tmp_path):
    b = tmp_path / "b.yaml"
    b.write_text(
        textwrap.dedent("""\
        assignment: t
        questions:
          q1:
            kind: pool2d
            image: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
            op: median
            size: 2
            padding: 3
            ceil_mode: maybe
            strides: 2
          q2:
            kind: conv2d
            image: [[1, 2], [3, 4]]
            filter: [[1]]
            stride: 0
            dilation: -1
            points: -3
          ok:
            kind: conv2d
            image: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
            filter: [[1, 1], [1, 1]]
            stride: 2
        """),
        encoding="utf-8",
    )
    r = check_bank(b)
    assert r.exit_code == 2
    lines = r.output.splitlines()
    assert lines == [
        f"{b}:6: error: question q1: op must be one of max, avg, got 'median'",
        f"{b}:8: error: question q1: padding (3) must be at most half the window size (2), "
        f"as in PyTorch",
        f"{b}:9: error: question q1: ceil_mode must be true or false, got 'maybe'",
        f"{b}:10: error: question q1: unknown key 'strides' for a pool2d question "
        f"(did you mean 'stride'?)",
        f"{b}:15: error: question q2: stride must be at least 1, got 0",
        f"{b}:16: error: question q2: dilation must be at least 1, got -1",
        f"{b}:17: error: question q2: points must be a non-negative number, got -3",
        f"{b}:18: warning: question ok: the convolution: the stride leaves the last row and "
        f"the last column of the padded input uncovered",
        "7 errors, 1 warning in 1 assignment",
    ]


def test_a_key_set_aside_brings_no_false_problem(tmp_path):
    """A layer's problem is one problem: setting the layer aside does not add
    "layer is required"."""
    b = tmp_path / "b.yaml"
    b.write_text(
        "assignment: t\nquestions:\n  q:\n    kind: output_shape\n    input_shape: [3, 8, 8]\n"
        "    layer: {type: conv2d, filters: 4, kernel: 3, stride: 100000}\n",
        encoding="utf-8",
    )
    r = check_bank(b)
    assert r.output.splitlines() == [
        f"{b}:6: error: question q: layer: stride must be at most 10,000, got 100,000",
        "1 error, 0 warnings in 1 assignment",
    ]


# ------------------------------------------------------------ draws that fail for some students

# a 4×4 image and a kernel of 1 to 16 rows and columns: 1 draw in 16 fits, so a student gets no
# variant in 100 draws with probability (15/16)**100, about 1 in 600
ONE_IN_600 = textwrap.dedent("""\
    assignment: t
    questions:
      fine:
        kind: conv2d
        image: {random: [4, 4], range: [0, 3]}
        filter: {random: [{range: [1, 8]}, {range: [1, 8]}], range: [-1, 1]}
      rare:
        kind: conv2d
        prompt: A {kernel} kernel
        image: {random: [4, 4], range: [0, 3]}
        filter: {random: [{range: [1, 16]}, {range: [1, 16]}], range: [-1, 1]}
    """)
RARE = (
    "question rare: 187 of 200 sample draws are ill-posed (e.g. the kernel (11x5 with dilation) "
    "is larger than the padded input (4x4)), so an estimated 1 in 830 student ids would get "
    "no well-posed variant in 100 draws; widen the fixed parameters or narrow the draws"
)
# the first of student-0, student-1, ... with no variant of rare (found once, offline)
NO_VARIANT = "student-528"


def test_check_bank_refuses_draws_that_leave_students_without_a_variant(tmp_path):
    b = tmp_path / "b.yaml"
    b.write_text(ONE_IN_600, encoding="utf-8")
    r = check_bank(b)
    assert r.exit_code == 2
    # an example is searched within 3,000 draws: here none is found, the estimate alone refuses
    assert r.output == (
        f"{b}:7: error: {RARE} (no example among the first 169 student ids)\n"
        f"1 error, 0 warnings in 1 assignment\n"
    )
    with pytest.raises(
        VariantError,
        match=rf"question rare: no well-posed variant for student '{NO_VARIANT}' in "
        r"100 draws \(the last: the kernel",
    ):
        bankmod.pose(
            "t",
            "rare",
            load_bank_template(b, "rare"),
            _kind("conv2d"),
            "cross-correlation",
            NO_VARIANT,
            str(b),
            7,
            False,
            None,
        )


def test_check_bank_names_a_student_with_no_variant(tmp_path):
    """A kernel of 1 to 24 on a 4×4 image: about 1 student in 16 has no variant; the first is
    named."""
    b = tmp_path / "b.yaml"
    b.write_text(ONE_IN_600.split("  rare:")[0].replace("[1, 8]", "[1, 24]"), encoding="utf-8")
    r = check_bank(b)
    assert r.exit_code == 2
    assert r.output.splitlines()[0].startswith(f"{b}:3: error: question fine: ")
    assert r.output.splitlines()[0].endswith(
        "student ids would get no well-posed variant in 100 draws; widen the "
        "fixed parameters or narrow the draws (student id 'student-7' gets none)"
    )


def load_bank_template(path: Path, qid: str) -> dict:
    from cnncheck import yamlio

    return yamlio.load_file(path, yamlio.BANK_LIMITS)["questions"][qid]


def _kind(name: str):
    from cnncheck.kinds import KINDS

    return KINDS[name]


def test_grading_refuses_the_same_bank_once_when_it_loads(tmp_path):
    b = tmp_path / "b.yaml"
    b.write_text(ONE_IN_600, encoding="utf-8")
    a = tmp_path / "answers.yaml"
    a.write_text("assignment: t\nstudent: student-3\nanswers:\n  fine: [[1]]\n", encoding="utf-8")
    r = grade(b, a)
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and f"cannot be used: {b}:7: {RARE}\n" in r.stderr


def test_a_student_with_no_variant_at_grade_time_is_an_input_error_naming_the_question(
    tmp_path, monkeypatch
):
    """Should a bank below the refusal rate meet such a student, grading them raises VariantError
    (an InputError with the bank file, the question's line and the student), never anything else."""
    b = tmp_path / "b.yaml"
    b.write_text(ONE_IN_600, encoding="utf-8")
    monkeypatch.setattr(bankmod, "MAX_FAILURE_RATE", 1.0)  # let the bank load
    a = load_bank(b).get("t")
    assert a.for_student("student-3").questions["rare"].params.weight.shape[2:] <= (4, 4)
    with pytest.raises(VariantError) as e:
        a.for_student(NO_VARIANT)
    assert (e.value.path, e.value.line) == (str(b), 7)
    assert e.value.message.startswith(
        f"question rare: no well-posed variant for student '{NO_VARIANT}' in 100 draws"
    )


def test_rarely_ill_posed_draws_are_accepted(tmp_path):
    """A kernel of 1 to 8 on a 4×4 image fits 1 draw in 4: (3/4)**100 is 3e-13, well below one in
    a million."""
    b = tmp_path / "b.yaml"
    b.write_text(ONE_IN_600.split("  rare:")[0], encoding="utf-8")
    r = check_bank(b)
    assert (r.exit_code, r.output) == (0, "0 errors, 0 warnings in 1 assignment\n")


# ----------------------------------------------------------- placeholders of draws nested in layers


PLACEHOLDERS = textwrap.dedent("""\
    assignment: t
    questions:
      s:
        kind: output_shape
        prompt: "{filters} filters of {kernel}×{kernel} ({layer.kernel}) on {input_shape},
          stride {stride}; {nope}"
        input_shape: [3, {range: [28, 40]}, {range: [28, 40]}]
        layer: {type: conv2d, filters: {choice: [8, 16]}, kernel: {choice: [3, 5]}, stride: 2}
      n:
        kind: network
        prompt: "{layers.1.filters} then {layers.3.units} units"
        input_shape: [1, 8, 8]
        layers: [{type: conv2d, filters: {range: [2, 4]}, kernel: 3},
                 {type: flatten},
                 {type: dense, units: {choice: [10, 20]}}]
      f:
        kind: padding
        prompt: "Pad {stride}"
        input_size: 4
        kernel: 2
        output_size: 5
    """)


def test_nested_draws_fill_their_placeholders_on_sheets(tmp_path):
    b = tmp_path / "b.yaml"
    b.write_text(PLACEHOLDERS, encoding="utf-8")
    a = load_bank(b).get("t").for_student("x")
    s, n = a.questions["s"], a.questions["n"]
    layer = s.params.layers[0]
    _, h, w = s.params.input_chw
    assert s.prompt == (
        f"{layer.filters} filters of {layer.kernel[0]}×{layer.kernel[0]} ({layer.kernel[0]}) on "
        f"3×{h}×{w}, stride {{stride}}; {{nope}}"
    )
    assert n.prompt == f"{n.params.layers[0].filters} then {n.params.layers[2].units} units"
    r = CliRunner().invoke(
        cli, ["--bank", str(b), "generate", "--student", "x", "--format", "markdown"]
    )
    assert r.exit_code == 0 and "{filters}" not in r.output and "{kernel}" not in r.output


def test_check_bank_warns_about_unknown_placeholders(tmp_path):
    b = tmp_path / "b.yaml"
    b.write_text(PLACEHOLDERS, encoding="utf-8")
    r = check_bank(b)
    assert r.exit_code == 0
    assert r.output.splitlines() == [
        f"{b}:3: warning: question s: prompt: {{stride}}, {{nope}} is printed as written: "
        f"it names no drawn value",
        f"{b}:16: warning: question f: prompt: {{stride}} is printed as written: "
        f"the question has no draws",
        "0 errors, 2 warnings in 1 assignment",
    ]


def test_warnings_of_good_questions_are_shown_next_to_errors(tmp_path):
    b = tmp_path / "b.yaml"
    b.write_text(
        textwrap.dedent("""\
        assignment: t
        questions:
          bad: {kind: conv2d, image: [[1]], filter: [[1]], padding: 100000}
          zero: {kind: padding, input_size: 4, kernel: 2, output_size: 5, points: 0}
        """),
        encoding="utf-8",
    )
    r = check_bank(b)
    assert (r.exit_code, r.output.splitlines()) == (
        2,
        [
            f"{b}:3: error: question bad: padding must be at most 10,000, got 100,000",
            f"{b}:4: warning: question zero: the question is worth 0 points",
            "1 error, 1 warning in 1 assignment",
        ],
    )
