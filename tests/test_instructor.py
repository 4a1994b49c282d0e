"""Instructor tools: answer templates and the JSON Schemas editors use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck import yamlio
from cnncheck.cli import cli

jsonschema = pytest.importorskip("jsonschema")
ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def schema(which):
    r = run("schema", which)
    assert r.exit_code == 0
    s = json.loads(r.output)
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


def as_json(path):
    return json.loads(json.dumps(yamlio.loads(Path(path).read_text()), default=str))


BANKS = sorted(ROOT.glob("questions/*.yaml")) + [
    ROOT / "tests" / "data" / n for n in ("teaching.yaml", "networks.yaml", "variants.yaml")
]
ANSWERS = [
    ROOT / "answers.example.yaml",
    ROOT / "tests" / "data" / "full_marks.yaml",
    *sorted(ROOT.glob("examples/*/answers.yaml")),
]


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_every_bank_validates(path):
    errors = list(schema("bank").iter_errors(as_json(path)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.parent.name + "/" + p.name)
def test_every_answer_file_validates(path):
    assert list(schema("answers").iter_errors(as_json(path))) == []


@pytest.mark.parametrize(
    "bad",
    [
        {
            "assignment": "x",
            "questions": {"q": {"kind": "conv2d", "image": [[1]], "filter": [[1]], "strides": 2}},
        },
        {"assignment": "x", "questions": {"q": {"kind": "conv2d", "image": [[1]]}}},
        {"assignment": "x", "questions": {"q": {"kind": "convolution"}}},
        {
            "assignment": "x",
            "questions": {"q": {"kind": "pool2d", "image": [[1]], "size": 2, "op": "maximum"}},
        },
        {
            "assignment": "x",
            "questions": {
                "q": {"kind": "output_shape", "input_shape": [1, 2], "layer": {"type": "conv2d"}}
            },
        },
        {"assignment": "x", "title": "t"},
        {"assignment": "x", "questions": {}, "colour": 1},
    ],
)
def test_schema_refuses_what_the_bank_refuses(bad):
    assert list(schema("bank").iter_errors(bad))


def test_schemas_ship_with_the_package():
    from importlib.resources import files

    assert (
        json.loads(files("cnncheck").joinpath("schemas/bank.schema.json").read_text())["title"]
        == "cnncheck question bank"
    )


def test_template_round_trip(tmp_path):
    r = run("template", "--student", "ada lovelace: #1")
    assert r.exit_code == 0
    text = r.output
    assert (
        "  # q8 (output_shape, 1 point)" in text
        and "  # answer: a shape, H×W×C, e.g. 28x28x6" in text
    )
    assert (
        "  # answer: a 2×2 matrix" in text
        and "  # answer: 3 matrices of 2×2 (R, G, B: one per channel)" in text
    )
    assert "  # answer: a few sentences, in words, on the indented lines below" in text
    p = tmp_path / "answers.yaml"
    p.write_text(text)
    data = json.loads(run("grade", p, "--format", "json").output)
    assert data["student"] == "ada lovelace: #1" and {q["status"] for q in data["questions"]} == {
        "missing"
    }
    assert list(schema("answers").iter_errors(as_json(p))) == []
    filled = text.replace("  q7:\n", "  q7: 126x126x16\n").replace(
        "  q1:\n", "  q1: 45 45; 54 54\n"
    )
    p.write_text(filled)
    data = json.loads(run("grade", p, "--format", "json").output)
    assert [q["id"] for q in data["questions"] if q["status"] == "correct"] == ["q1", "q7"]
    out = tmp_path / "hw2.yaml"
    assert run("template", "cs577-hw2", "-o", out).exit_code == 0
    assert (
        'assignment: "cs577-hw2"' in out.read_text()
        and "  # answer: a whole number" in out.read_text()
    )


@pytest.mark.parametrize("command", ["template", "generate"])
def test_the_assignment_as_grade_and_solve_take_it(command):
    # `-a ID` (as grade and solve take it) and the positional ASSIGNMENT give the same file
    flag, positional = run(command, "-a", "cs577-hw2"), run(command, "cs577-hw2")
    assert flag.exit_code == positional.exit_code == 0, flag.output
    assert flag.output == positional.output and "cs577-hw2" in flag.output
    both = run(command, "cs577-hw2", "-a", "cs577-hw4")
    assert (
        both.exit_code == 2 and "two assignments given: cs577-hw2 and -a cs577-hw4" in both.output
    )
