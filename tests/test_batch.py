"""Class-scale and CI grading: many files, error rows, exit codes, and the reports other tools
read."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck import batch
from cnncheck.bank import load_bank
from cnncheck.cli import cli
from cnncheck.fileio import write_atomic

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "answers.example.yaml"
FULL = (ROOT / "tests" / "data" / "full_marks.yaml").read_text()
HW4 = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12"]


def run(*args, cwd=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "160"})


@pytest.fixture
def klass(tmp_path):
    """A class folder: a full-marks file, the example (4/6), a nested hw2 file, an unreadable
    file."""
    d = tmp_path / "class"
    (d / "b").mkdir(parents=True)
    (d / "ada.yaml").write_text(FULL)
    shutil.copy(EXAMPLE, d / "jdoe.yaml")
    (d / "b" / "bob.yml").write_text(
        "assignment: cs577-hw2\nstudent: bob\nanswers:\n  q1: 75,000,100\n  q2: 250\n"
    )
    # broken outside its answers (one broken answer is only that answer's: test_notations.py)
    (d / "broken.yaml").write_text("answers: [\n  1, [1, 2\n")
    (d / "notes.txt").write_text("not an answer file")
    return d


def test_folders_are_expanded_sorted_and_recursive(klass):
    files = batch.submission_files([str(klass)])
    assert [Path(f).relative_to(klass).as_posix() for f in files] == [
        "ada.yaml",
        "b/bob.yml",
        "broken.yaml",
        "jdoe.yaml",
    ]


def test_one_bad_file_is_an_error_row_and_exit_2(klass):
    r = run("grade", klass, "--format", "json")
    assert r.exit_code == 2
    data = json.loads(r.stdout)
    assert isinstance(data, list) and len(data) == 4
    by = {Path(x["file"]).name: x for x in data}
    assert by["broken.yaml"] == {
        "file": str(klass / "broken.yaml"),
        "error": "did not find expected ',' or ']' (column 1)",
        "line": 3,
    }
    assert (by["ada.yaml"]["score"], by["jdoe.yaml"]["score"], by["bob.yml"]["score"]) == (
        18,
        11,
        1,
    )
    assert by["bob.yml"]["assignment"] == "cs577-hw2"  # each file against its own assignment
    # and the file that cannot be used is also one line on stderr, as a single file's error is
    assert r.stderr == (
        f"cnncheck: error: {klass / 'broken.yaml'}:3: did not find expected ',' or ']' (column 1)\n"
    )
    r = run(
        "grade", klass, "--format", "json", "-a", "cs577-hw4"
    )  # the run, not the file, says which
    by = {Path(x["file"]).name: x for x in json.loads(r.stdout)}
    assert by["bob.yml"] == {
        "file": str(klass / "b" / "bob.yml"),
        "line": 1,
        "error": "assignment: names 'cs577-hw2', but this run grades 'cs577-hw4' (-a): "
        "a file cannot choose what it is graded against",
    }
    assert (by["ada.yaml"]["score"], by["jdoe.yaml"]["score"]) == (18, 11)
    r = run("grade", klass)
    assert (
        r.exit_code == 2
        and "✗ " in r.output
        and "4 submissions: 1 with full marks, 2 below, 1 unreadable" in r.output
    )


def test_exit_codes_and_fail_under(tmp_path):
    (tmp_path / "a.yaml").write_text(FULL)
    assert run("grade", tmp_path / "a.yaml").exit_code == 0
    shutil.copy(EXAMPLE, tmp_path / "b.yaml")
    assert run("grade", tmp_path).exit_code == 1
    assert run("grade", tmp_path, "--fail-under", "61").exit_code == 0  # 11/18 = 61.1%
    assert run("grade", tmp_path, "--fail-under", "62").exit_code == 1
    assert run("grade", tmp_path / "nothing-here").exit_code == 2


def test_question_filter(tmp_path):
    r = run("grade", EXAMPLE, "-q", "q1", "-q", "q7", "--format", "json")
    assert r.exit_code == 0
    assert [q["id"] for q in json.loads(r.output)["questions"]] == ["q1", "q7"]
    assert run("grade", EXAMPLE, "-q", "q8").exit_code == 1
    r = run("grade", EXAMPLE, "-q", "q13")
    assert r.exit_code == 2 and "cs577-hw4 has no question 'q13'" in r.output


def test_junit(klass):
    r = run("grade", klass, "--format", "junit")
    assert r.exit_code == 2
    root = ET.fromstring(r.stdout.encode())
    suites = root.findall("testsuite")
    assert root.tag == "testsuites" and sum(int(s.get("tests")) for s in suites) == 12 + 6 + 1 + 12
    names = ["ada.yaml", "b/bob.yml", "broken.yaml", "jdoe.yaml"]
    assert [s.get("name") for s in suites] == [str(klass / n) for n in names]
    jdoe = suites[3]
    cases = jdoe.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [("cs577-hw4", q) for q in HW4]
    failed = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert set(failed) == {"q3", "q5", "q6", "q8", "q12"} and jdoe.get("failures") == "5"
    assert failed["q5"].get("message") == "q5 partial (line 17)"
    assert failed["q8"].get("message") == "q8 incorrect (line 20)"
    assert "likely mistake: the output size was rounded up" in failed["q8"].text
    props = {p.get("name"): p.get("value") for p in jdoe.iter("property")}
    assert props["file"] == str(klass / "jdoe.yaml") and props["student"] == "jdoe"
    bob = suites[1]
    assert {c.get("name") for c in bob.findall("testcase") if c.find("failure") is not None} == {
        "q2",
        "q6",
        "q7",
        "q10a",
        "q10b",
    }
    assert suites[2].get("errors") == "1" and suites[2].find("testcase/error") is not None


def test_junit_is_valid_xml_whatever_the_student_wrote():
    r = run("grade", ROOT / "tests" / "data" / "hostile" / "ansi.yaml", "--format", "junit")
    root = ET.fromstring(r.stdout.encode())
    student = root.find("testsuite/properties/property[@name='student']")
    assert student.get("value").startswith("\\x1b[31mred")


def test_gradescope(tmp_path):
    r = run("grade", EXAMPLE, "--format", "gradescope")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert set(data) >= {"score", "output", "tests"}
    assert data["score"] == sum(t["score"] for t in data["tests"]) == 11
    assert len(data["tests"]) == 12
    for t in data["tests"]:
        assert set(t) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert t["status"] in ("passed", "failed") and t["visibility"] in (
            "visible",
            "hidden",
            "after_due_date",
            "after_published",
        )
    failed = [t["name"].split()[0] for t in data["tests"] if t["status"] == "failed"]
    assert failed == ["q3", "q5", "q6", "q8", "q12"]
    assert (
        next(t for t in data["tests"] if t["name"] == "q5 (text)")["score"] == 1
    )  # one idea of two
    points_only = json.loads(
        run("grade", EXAMPLE, "--format", "gradescope", "--feedback", "score").stdout
    )
    # a hidden test would hide the total (Gradescope's spec): points only, every test visible
    assert {t["visibility"] for t in points_only["tests"]} == {"visible"}
    assert {t["output"] for t in points_only["tests"]} == {""} and points_only["score"] == 11
    p = tmp_path / "bad.yaml"
    p.write_text("answers: [1]\n")
    r = run("grade", p, "--format", "gradescope")
    bad = json.loads(r.stdout)
    assert (
        r.stderr
        == f"cnncheck: error: {p}:1: answers: must be a mapping of question ids to answers\n"
    )
    assert (
        bad["score"] == 0 and bad["tests"] == [] and "answers: must be a mapping" in bad["output"]
    )
    r = run("grade", EXAMPLE, EXAMPLE, "--format", "gradescope")
    assert r.exit_code == 2 and "one answer file" in r.output


def test_github_annotations(tmp_path):
    p = tmp_path / "a, b: c.yaml"
    p.write_text('student: "50% done"\nanswers:\n  q1: [[45, 45], [54, 54]]\n  q8: 64x64x16\n')
    out = run("grade", p, "--format", "github").output.splitlines()
    q8 = next(line for line in out if "title=q8" in line)
    assert q8.startswith(
        "::error file="
        + str(p).replace(":", "%3A").replace(",", "%2C")
        + ",line=4,title=q8 incorrect::"
    )
    assert "%0A" in q8
    assert "likely mistake: the output size was rounded up (ceil) instead of down (floor)" in q8
    # q2 to q12 but q8 missing and q8 incorrect: 11 errors, of which GitHub shows 10 per step
    # (actions/toolkit docs/problem-matchers.md), so 9, then one naming the other 2
    errors = [line for line in out if line.startswith("::error")]
    assert len(errors) == 10 and any("title=q2 missing" in line for line in errors)
    assert errors[-1].startswith("::error title=cnncheck%3A 2 more errors::2 more: q11 (")
    assert "q12 (" in errors[-1]
    assert "::notice title=cnncheck::50%25 done: 1/18 points on cs577-hw4" in out


def test_csv_cells_are_harmless(tmp_path):
    bank = tmp_path / "bank.yaml"
    bank.write_text("assignment: w\nquestions:\n  essay: {kind: text, prompt: Discuss.}\n")
    p = tmp_path / "a.yaml"
    p.write_text(
        'student: "\\e[31mred"\nanswers:\n'
        '  essay: "=HYPERLINK(\\"http://x\\")\\nsecond \\e[2J line"\n'
    )
    r = CliRunner().invoke(cli, ["--bank", str(bank), "grade", str(p), "--format", "csv"])
    rows = list(csv.reader(io.StringIO(r.output)))
    assert rows[0] == [
        "file",
        "student",
        "assignment",
        "essay",
        "essay (answer)",
        "total",
        "max",
        "error",
    ]
    assert rows[1][1] == "\\x1b[31mred" and rows[1][3] == ""  # the points are the TA's to fill in
    assert rows[1][4] == '\'=HYPERLINK("http://x")\nsecond \\x1b[2J line'
    assert "\x1b" not in r.output


def test_csv_gradebook(klass, tmp_path):
    out = tmp_path / "grades.csv"
    r = run("grade", klass, "--csv", out)
    assert r.exit_code == 2
    rows = list(csv.reader(io.StringIO(out.read_text())))
    header = rows[0]
    assert header[:3] == ["file", "student", "assignment"] and header[-3:] == [
        "total",
        "max",
        "error",
    ]
    assert (
        "cs577-hw4:q3" in header and "cs577-hw2:q10b" in header
    )  # two assignments: prefixed columns
    by = {Path(row[0]).name: dict(zip(header, row)) for row in rows[1:]}
    assert by["jdoe.yaml"]["cs577-hw4:q3"] == "0" and by["jdoe.yaml"]["cs577-hw4:q1"] == "1"
    assert (by["jdoe.yaml"]["total"], by["jdoe.yaml"]["max"]) == ("11", "18")
    assert by["jdoe.yaml"]["cs577-hw4:q5"] == "1"
    assert by["bob.yml"]["cs577-hw2:q1"] == "1" and by["bob.yml"]["cs577-hw4:q1"] == ""
    assert "did not find expected" in by["broken.yaml"]["error"]
    first = out.read_bytes()
    run("grade", klass, "--csv", out)
    assert out.read_bytes() == first  # stable columns, byte-identical
    single = tmp_path / "one.csv"
    run("grade", EXAMPLE, "--csv", single)
    assert (
        single.read_text().splitlines()[0]
        == "file,student,assignment," + ",".join(HW4) + ",total,max,error"
    )


@pytest.mark.parametrize("fmt", ["table", "json", "junit", "github"])
def test_reports_are_byte_identical_and_written_to_files(klass, tmp_path, fmt):
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    r1, r2 = (
        run("grade", klass, "--format", fmt, "-o", a),
        run("grade", klass, "--format", fmt, "-o", b),
    )
    assert r1.exit_code == r2.exit_code == 2 and r1.stdout == ""
    assert r1.stderr == (
        f"cnncheck: error: {klass / 'broken.yaml'}:3: did not find expected ',' or ']' (column 1)\n"
    )
    if fmt == "junit":  # how long grading took, and when, differ from run to run
        timed = re.compile(rb' (time|timestamp)="[^"]*"')
        a.write_bytes(timed.sub(b"", a.read_bytes()))
        b.write_bytes(timed.sub(b"", b.read_bytes()))
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 100


def test_atomic_write_survives_an_interruption(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("the old report\n")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(
        os, "fsync", interrupted
    )  # the process dies while the new file is being written
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "x" * 1_000_000)
    assert target.read_text() == "the old report\n"
    assert [p.name for p in tmp_path.iterdir()] == [
        "report.json"
    ]  # no half-written or temporary file left
    monkeypatch.undo()
    monkeypatch.setattr(os, "replace", interrupted)  # ... or just before the rename
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    assert target.read_text() == "the old report\n" and len(list(tmp_path.iterdir())) == 1
    monkeypatch.undo()
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n"


def test_interrupted_cli_run_keeps_the_old_csv(klass, tmp_path, monkeypatch):
    out = tmp_path / "grades.csv"
    out.write_text("old\n")
    import cnncheck.report.csvout as csvout

    def boom(outcomes):
        raise KeyboardInterrupt

    monkeypatch.setattr(csvout, "gradebook_csv", boom)
    r = run("grade", klass, "--csv", out)
    assert r.exit_code != 0 and out.read_text() == "old\n"


def test_summary(klass):
    data = json.loads(run("grade", klass, "--summary", "--format", "json").stdout)
    assert (data["submissions"], data["errors"]) == (4, 1)
    hw4 = next(a for a in data["assignments"] if a["id"] == "cs577-hw4")
    assert (hw4["submissions"], hw4["full_marks"], hw4["mean_score"]) == (2, 1, 14.5)
    q8 = next(q for q in hw4["questions"] if q["id"] == "q8")
    assert (q8["answered"], q8["correct"], q8["mean_score"]) == (2, 1, 0.5)
    assert q8["common_wrong_answers"] == [{"answer": "64×64×16", "count": 1}]
    assert q8["common_mistakes"][0]["mistake"] == "ceil_instead_of_floor"
    r = run("grade", klass, "--summary")
    assert "most common wrong answers" in r.output and "64×64×16" in r.output


@pytest.mark.parametrize("fmt", ["json", "junit", "github", "gradescope", "table"])
def test_feedback_hints_leaks_no_answer_in_any_format(fmt):
    out = run("grade", EXAMPLE, "--format", fmt, "--feedback", "hints").output
    out = re.sub(r' (time|timestamp|execution_time)="[^"]*"', "", out)  # durations are not answers
    out = re.sub(r'"execution_time": [\d.]+', "", out)
    assert "63" not in out and "24 24" not in out and "20 20" not in out and "[24, 24]" not in out
    assert "likely mistake" in out


def test_parallel_grading_equals_serial(tmp_path):
    for i in range(batch.PARALLEL_FROM + 10):
        text = FULL if i % 3 else EXAMPLE.read_text()
        (tmp_path / f"s{i:04d}.yaml").write_text(
            text.replace("ada", f"s{i}") if i % 7 else "answers: ["
        )
    bank = load_bank()
    files = batch.submission_files([str(tmp_path)])
    serial = batch.grade_files(bank, files, jobs=1)
    parallel = batch.grade_files(load_bank(), files, jobs=2)
    from cnncheck.report.render import render

    assert render(parallel, "json") == render(serial, "json")
    timed = re.compile(r' (time|timestamp)="[^"]*"')  # how long grading took differs run to run
    assert timed.sub("", render(parallel, "junit")) == timed.sub("", render(serial, "junit"))


def test_many_small_files_single_assignment_columns(tmp_path):
    for name in ("x", "y"):
        (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(FULL))
    out = tmp_path / "g.csv"
    run("grade", tmp_path, "--csv", out)
    rows = list(csv.reader(out.open()))
    assert rows[0][3:15] == HW4 and [r[-3] for r in rows[1:]] == ["18", "18"]
