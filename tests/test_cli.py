"""The command line, through click's CliRunner: output, JSON contract, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck import __version__
from cnncheck.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "answers.example.yaml"


def run(*args, env=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})
    return result


def write(tmp_path, text, name="answers.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def test_grade_example_table():
    r = run("grade", EXAMPLE)
    assert r.exit_code == 1, r.output
    out = r.output
    assert "cs577-hw4 · CS577 HW4: convolutional layers" in out
    assert "student: jdoe" in out
    assert "[[" not in out and "array(" not in out  # grids, not reprs
    assert "20*" in out and "24*" in out  # q3 is transposed: its off-diagonal cells are marked
    assert "2 of 4 cells right" in out
    assert "likely mistake: the matrix is transposed" in out
    assert "64*×64*×16" in out and "63×63×16" in out  # the wrong dimensions marked
    assert "total" in out and "11/18" in out
    assert "1 of 2 key ideas found" in out  # q5, in words


def test_grade_example_json_contract():
    r = run("grade", EXAMPLE, "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert {"assignment", "student", "score", "max_score", "questions"} <= set(data)
    assert (data["assignment"], data["student"], data["score"], data["max_score"]) == (
        "cs577-hw4",
        "jdoe",
        11,
        18,
    )
    q = {x["id"]: x for x in data["questions"]}
    assert list(q) == ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12"]
    assert [q[i]["status"] for i in ("q4", "q5", "q6", "q12")] == [
        "correct",
        "partial",
        "incorrect",
        "missing",
    ]
    for x in data["questions"]:
        assert {
            "id",
            "kind",
            "status",
            "score",
            "max_score",
            "expected",
            "answer",
            "message",
        } <= set(x)
    assert q["q3"]["status"] == "incorrect" and q["q3"]["expected"] == [[24, 24], [20, 20]]
    assert q["q3"]["answer"] == [[24, 20], [24, 20]]
    assert (
        q["q3"]["diagnosis"]
        == "likely mistake: the matrix is transposed (rows and columns swapped)"
    )
    assert q["q3"]["wrong_cells"] == [[False, True], [True, False]]
    # 64 is both ceil((128 - 3) / 2) + 1 and what 'same' padding gives, ceil(128 / 2)
    assert q["q8"]["mistakes"] == ["ceil_instead_of_floor", "padding_added"]
    assert q["q8"]["expected"] == [63, 63, 16] and q["q8"]["answer"] == [64, 64, 16]
    assert q["q11"]["status"] == "correct" and q["q11"]["expected"][2] == [[2, 2], [4, 4]]


def test_grade_full_marks_exits_0():
    r = run("grade", ROOT / "tests" / "data" / "full_marks.yaml")
    assert r.exit_code == 0, r.output
    assert "18/18" in r.output


def test_grade_other_assignment(tmp_path):
    p = write(tmp_path, "assignment: cs577-hw2\nanswers:\n  q1: 75,000,100\n  q10b: 4 -7 -3 5 -6\n")
    data = json.loads(run("grade", p, "--format", "json").output)
    assert data["assignment"] == "cs577-hw2" and data["score"] == 2 and data["student"] is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("answers: [1]\n", "answers.yaml:1: answers: must be a mapping"),
        (
            "assignment: cs577-hw9\nanswers: {}\n",
            "answers.yaml:1: unknown assignment 'cs577-hw9' (did you mean",
        ),
        # outside answers:, a syntax error is the file's (inside, one answer's: test_notations)
        ("student: [x\nanswers:\n  q1: 1\n", "answers.yaml:2: did not find expected"),
    ],
)
def test_grade_unusable_file_exits_2(tmp_path, text, message):
    p = write(tmp_path, text)
    r = run("grade", p)
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output


def test_grade_missing_file_exits_2(tmp_path):
    r = run("grade", tmp_path / "nope.yaml")
    assert r.exit_code == 2 and "no such file" in r.output


def test_student_text_is_never_markup(tmp_path):
    p = write(
        tmp_path,
        """\
        student: "[bold red]root[/] \\e[31mred\\e[0m"
        answers:
          q1: "[link=http://x]click[/link]"
          q7: "\\e[2J cleared"
        """,
    )
    r = run("grade", p)
    assert r.exit_code == 1
    assert "[bold red]root[/]" in r.output
    assert "[link=http://x]click[/link]" in r.output
    assert "\x1b" not in r.output and "\\x1b[31mred" in r.output
    data = json.loads(run("grade", p, "--format", "json").output)
    assert next(q for q in data["questions"] if q["id"] == "q7")["answer"] == "\\x1b[2J cleared"


def test_solve_q3_default_assignment():
    r = run("solve", "q3")
    assert r.exit_code == 0
    assert "q3 · conv2d" in r.output and "dilation" in r.output
    answer = r.output[r.output.index("answer") :].splitlines()
    assert [line.strip(" │") for line in answer[:2]] == ["answer  24 24", "20 20"]


def test_solve_json_contract():
    data = json.loads(run("solve", "--all", "-a", "cs577-hw2", "--format", "json").output)
    assert data == {
        "assignment": "cs577-hw2",
        "answers": {
            "q1": 75000100,
            "q2": 260,
            "q6": 5,
            "q7": [128, 64, 64],
            "q10a": 1,
            "q10b": [4, -7, -3, 5, -6],
        },
    }
    data = json.loads(run("solve", "cs577-hw4:q11", "q7", "--format", "json").output)
    assert data["answers"] == {
        "q11": [[[1, 1], [1, 1]], [[2, 2], [2, 2]], [[2, 2], [4, 4]]],
        "q7": [126, 126, 16],
    }


def test_solve_renders_every_kind(tmp_path):
    bank = write(
        tmp_path,
        """\
        assignment: every
        questions:
          c2: {kind: conv2d, image: [[[1, 2], [3, 4]]], filter: [[[[1]]], [[[2]]]], bias: [10, 20]}
          c1: {kind: conv1d, image: [4, 1, -1, 3], filter: [-2, 1], padding: 1}
          tc: {kind: conv_transpose2d, image: [[0, 1], [2, 3]], filter: [[0, 1], [2, 3]], stride: 2,
               output_padding: 1}
          ap: {kind: pool2d, op: avg, image: [[1, 2, 3], [4, 5, 6], [7, 8, 10]], size: 2, stride: 1,
               padding: 1, ceil_mode: true}
          sh: {kind: output_shape, input_shape: [3, 32, 32],
               layers: [{type: conv2d, filters: 8, kernel: 3, padding: same},
                        {type: pool2d, size: 2}]}
          pa: {kind: params, in_channels: 3,
               layer: {type: conv2d, filters: 8, kernel: 3, bias: false}}
          rf: {kind: receptive_field, layers: [{type: conv2d, kernel: 3}, {type: pool2d, size: 2}]}
          pd: {kind: padding, input_size: 32, kernel: 5, output_size: 32}
        """,
        "bank.yaml",
    )
    r = run("--bank", bank, "solve", "--all")
    assert r.exit_code == 0, r.output
    for qid in ("c2", "c1", "tc", "ap", "sh", "pa", "rf", "pd"):
        assert f"{qid} · " in r.output
    assert "[0]" in r.output and "8×16×16" in r.output and "216" in r.output
    assert (
        "7.25" in r.output and "0.25" in r.output
    )  # (5+6+8+10)/4; the corner 1/4 counts its padding


def test_solve_errors():
    r = run("solve", "q33")
    assert r.exit_code == 2 and "cs577-hw4 has no question 'q33' (did you mean 'q3'?)" in r.output
    assert run("solve").exit_code == 2
    assert run("solve", "q1", "--all").exit_code == 2


def test_list():
    r = run("list")
    assert r.exit_code == 0 and "cs577-hw4 (default)" in r.output and "receptive_field" in r.output
    data = json.loads(run("list", "--format", "json").output)
    assert data["default"] == "cs577-hw4"
    assert [a["id"] for a in data["assignments"]] == ["cs577-hw2", "cs577-hw4", "cs577-hw5"]


def test_bank_option_and_env(tmp_path):
    bank = write(
        tmp_path,
        "assignment: mine\nquestions:\n"
        "  p: {kind: padding, input_size: 4, kernel: 2, output_size: 5}\n",
        "bank.yaml",
    )
    assert json.loads(run("--bank", bank, "solve", "p", "--format", "json").output) == {
        "assignment": "mine",
        "answers": {"p": 1},
    }
    assert json.loads(
        run("solve", "p", "--format", "json", env={"CNNCHECK_BANK": str(bank)}).output
    )["answers"] == {"p": 1}


def test_bad_bank_exits_2_naming_the_line(tmp_path):
    bank = write(
        tmp_path,
        "assignment: mine\nquestions:\n"
        "  p: {kind: padding, input_size: 4, kernel: 2, output_size: 6}\n",
        "bank.yaml",
    )
    r = run("--bank", bank, "list")
    assert r.exit_code == 2
    assert f"{bank}:3: question p: no padding gives output size 6" in r.output


def test_help_everywhere_with_an_example():
    for command in cli.commands:
        r = run(command, "--help")
        assert r.exit_code == 0 and "Example" in r.output, command
    r = run("--help")
    assert r.exit_code == 0 and "Examples" in r.output


def test_version():
    assert run("--version").output.strip() == f"cnncheck, version {__version__}"


def test_unexpected_errors_are_one_line(monkeypatch, tmp_path):
    import cnncheck.batch

    def boom(*a, **k):
        raise KeyError("surprise")

    monkeypatch.setattr(cnncheck.batch, "grade", boom)
    r = run("grade", EXAMPLE)
    assert r.exit_code == 2
    assert (
        "internal error: KeyError" in r.output
        and "--debug" in r.output
        and "Traceback" not in r.output
    )
    r = run("--debug", "grade", EXAMPLE)
    assert isinstance(r.exception, KeyError)


def test_installed_command_from_another_directory(tmp_path):
    # the console script as a user runs it: the built-in bank found from any directory
    out = subprocess.run(
        [sys.executable, "-m", "cnncheck", "grade", str(EXAMPLE), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout)["score"] == 11
