"""Hostile answer files: each gets its exact exit code and message, never a traceback, never code
run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck.cli import cli

HOSTILE = Path(__file__).parent / "data" / "hostile"

# file -> (exit code, what stderr says, or {question: (status, message part)} for graded files)
CASES = {
    "empty.yaml": (2, ":1: the file is empty; expected a mapping with answers:"),
    "only_comment.yaml": (2, ":1: the file is empty"),
    "list.yaml": (2, ":1: expected a mapping with answers:, got a list"),
    "scalar.yaml": (2, ":1: expected a mapping with answers:, got a single value"),
    "answers_list.yaml": (2, ":1: answers: must be a mapping of question ids to answers"),
    "no_answers.yaml": (2, ":1: no answers: mapping"),
    "binary.yaml": (2, ": not a text file (it contains NUL bytes)"),
    "latin1.yaml": (2, ":2: not UTF-8 text (byte 0xe9 at offset 18)"),
    "tabs.yaml": (
        2,
        ":2: found character that cannot start any token "
        "(a tab: YAML is indented with spaces only) (column 1)",
    ),
    # one answer YAML cannot parse: that answer is invalid, with its line; the rest is graded
    "syntax.yaml": (
        1,
        {
            "q1": ("invalid", "line 2: YAML cannot read this answer (did not find expected"),
            "q2": ("incorrect", "your answer is a number, expected 4×4"),
        },
    ),
    "duplicate.yaml": (2, ":4: duplicate key 'q1' (first at line 2, again at line 4)"),
    "python_tag.yaml": (
        2,
        ":2: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    "python_name.yaml": (
        2,
        ":1: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/name:os.system'",
    ),
    "billion_laughs.yaml": (2, ": the YAML holds more than 200,000 values (aliases expanded)"),
    "deep.yaml": (2, ": the YAML is nested more than 64 levels deep"),
    "long_string.yaml": (2, ": a string is longer than 10,000 characters"),
    "control_char.yaml": (
        2,
        ":2: unacceptable character #x0001 (control characters are not allowed)",
    ),
    "key_mapping.yaml": (2, ":2: a mapping key must be a plain value, not a list or mapping"),
    "wrong_assignment_type.yaml": (2, ":1: assignment: must be a name, got a list"),
    "nan_inf.yaml": (
        1,
        {
            "q1": ("invalid", "expected a finite number"),
            "q2": ("invalid", "expected a finite number"),
            "q8": ("invalid", "expected a finite number"),
        },
    ),
    "too_big_for_float.yaml": (
        1,
        {
            "q1": ("invalid", "expected a finite number"),
            "q7": ("invalid", "expected a finite number"),
        },
    ),
    "huge_int.yaml": (1, {"q8": ("invalid", "expected a shape such as 126x126x16")}),
    "dates_bools_nulls.yaml": (
        1,
        {
            "q1": ("invalid", "expected a list of numbers or a matrix, got a date (2024-01-01)"),
            "q2": ("invalid", "got a yes/no value (true)"),
            "q3": ("missing", "left blank (line 4)"),
            "q7": ("missing", "left blank (line 5)"),
            "q8": ("invalid", "expected a number, got '2024-13-45'"),
        },
    ),
    "ragged.yaml": (
        1,
        {
            "q1": ("invalid", "ragged: row 2 has 1 entries, expected 2"),
            "q2": ("invalid", "ragged: row 2 has 1 entries, expected 2"),
        },
    ),
    "many_numbers.yaml": (1, {"q1": ("invalid", "the answer has more than 10,000 numbers")}),
    "sexagesimal_octal.yaml": (
        1,
        {
            "q7": ("invalid", "got '1:30'"),
            "q8": ("incorrect", "a shape of 1 dimensions, expected 3"),
        },
    ),
    "tries_to_score.yaml": (
        1,
        {"q1": ("invalid", "expected a list of numbers or matrices, got a mapping")},
    ),
    "crlf_bom.yaml": (1, {"q1": ("correct", "")}),
    "unicode.yaml": (1, {"q1": ("correct", ""), "q7": ("correct", "")}),
    "markup.yaml": (
        1,
        {"q1": ("invalid", "cannot read '[link=https://example.invalid]click me[/link]'")},
    ),
    "ansi.yaml": (1, {"q1": ("invalid", "got '\\x1b[2J\\x1b[H'")}),
}


def test_every_file_has_a_case():
    assert {p.name for p in HOSTILE.glob("*.yaml")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file(name, tmp_path):
    code, want = CASES[name]
    path = HOSTILE / name
    for fmt in ("table", "json"):
        r = CliRunner().invoke(cli, ["grade", str(path), "--format", fmt], env={"COLUMNS": "200"})
        assert r.exit_code == code, r.output
        assert "Traceback" not in r.output and "internal error" not in r.output
        assert "\x1b" not in r.output  # no escape sequence reaches the terminal
        if code == 2:
            assert r.output.startswith(f"cnncheck: error: {path}")
            assert want in r.output
            assert r.output.count("\n") == 1  # one line
        elif fmt == "json":
            data = json.loads(r.output)
            got = {q["id"]: q for q in data["questions"]}
            for qid, (status, message) in want.items():
                assert got[qid]["status"] == status, got[qid]
                assert message in (got[qid]["message"] or ""), got[qid]["message"]
    assert not Path("/tmp/cnncheck-pwned").exists()


def test_nothing_in_the_file_changes_points_or_ids():
    r = CliRunner().invoke(cli, ["grade", str(HOSTILE / "tries_to_score.yaml"), "--format", "json"])
    data = json.loads(r.output)
    assert (data["score"], data["max_score"]) == (0, 18)
    assert [q["id"] for q in data["questions"]] == [
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
        "q6",
        "q7",
        "q8",
        "q9",
        "q10",
        "q11",
        "q12",
    ]
    assert any("unknown key 'score' ignored" in n for n in data["notes"])
    assert any("'q99', which cs577-hw4 does not have" in n for n in data["notes"])


def test_markup_and_escapes_shown_literally():
    r = CliRunner().invoke(cli, ["grade", str(HOSTILE / "markup.yaml")], env={"COLUMNS": "200"})
    assert (
        "[bold red]root[/bold red]" in r.output
        and "[link=https://example.invalid]click me[/link]" in r.output
    )
    r = CliRunner().invoke(cli, ["grade", str(HOSTILE / "ansi.yaml")], env={"COLUMNS": "200"})
    assert "\\x1b[31mred\\x1b[0m" in r.output and "\x1b" not in r.output and "\r" not in r.output


def test_file_size_limit_and_raising_it(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_bytes(b"answers:\n  q1: 45 45; 54 54\n" + b"# padding\n" * 120_000)
    r = CliRunner().invoke(cli, ["grade", str(p)])
    assert r.exit_code == 2 and "file is larger than 1,000,000 bytes" in r.output
    r = CliRunner().invoke(cli, ["grade", str(p), "--limit", "bytes=2_000_000", "--format", "json"])
    assert r.exit_code == 1 and json.loads(r.output)["questions"][0]["status"] == "correct"
    r = CliRunner().invoke(cli, ["grade", str(p), "--limit", "byte=5"])
    assert r.exit_code == 2 and "unknown limit 'byte'" in r.output


def test_lower_limits(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("answers:\n  q1: [[45, 45], [54, 54]]\n")
    r = CliRunner().invoke(cli, ["grade", str(p), "--limit", "depth=3"])
    assert r.exit_code == 2 and "nested more than 3 levels deep" in r.output
    r = CliRunner().invoke(cli, ["grade", str(p), "--limit", "string=3"])
    assert r.exit_code == 2 and "a key is longer than 3 characters" in r.output


def test_unreadable_bank_is_reported_too(tmp_path):
    bank = tmp_path / "bank.yaml"
    bank.write_bytes(
        b"assignment: x\nquestions: !!python/object/apply:os.system ['touch /tmp/cnncheck-pwned']\n"
    )
    r = CliRunner().invoke(cli, ["--bank", str(bank), "list"])
    assert r.exit_code == 2 and f"{bank}:2: could not determine a constructor" in r.output
    assert not Path("/tmp/cnncheck-pwned").exists()
