"""Per-student variants: reproducible draws, redrawn when ill-posed, solved, sheeted and graded
per student."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cnncheck import engine, variants
from cnncheck.bank import BankError, load_bank
from cnncheck.batch import grade_files, submission_files
from cnncheck.cli import cli
from cnncheck.yamlio import loads

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "tests" / "data" / "variants.yaml"


def run(*args):
    return CliRunner().invoke(
        cli, ["--bank", str(BANK), *[str(a) for a in args]], env={"COLUMNS": "160"}
    )


def test_stream_is_pinned():
    # SHA-256 in counter mode: these numbers are the same on every machine and every release
    s = variants.Stream("a", "q", "s", "0")
    assert [s.integer(0, 9) for _ in range(8)] == [0, 0, 5, 4, 7, 3, 9, 3]
    s = variants.Stream("a", "q", "s", "0")
    draws = [s.integer(-1, 1) for _ in range(3000)]
    assert {-1, 0, 1} == set(draws) and all(900 < draws.count(v) < 1100 for v in (-1, 0, 1))


def test_same_student_same_variant_others_differ():
    a = load_bank(BANK).get("var")
    jdoe, again, ada = (
        a.for_student("jdoe"),
        load_bank(BANK).get("var").for_student("jdoe"),
        a.for_student("ada"),
    )
    assert np.array_equal(jdoe.questions["c"].params.image, again.questions["c"].params.image)
    assert not np.array_equal(jdoe.questions["c"].params.image, ada.questions["c"].params.image)
    assert jdoe.questions["fixed"] is a.questions["fixed"]  # a fixed question is shared
    assert a.for_student("jdoe") is jdoe  # posed once, then remembered


def test_variant_is_the_same_in_another_process():
    code = (
        "from cnncheck.bank import load_bank; import json; "
        f"q = load_bank({str(BANK)!r}).get('var').for_student('jdoe').questions['c']; "
        "print(json.dumps(q.expected.value.tolist()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    here = load_bank(BANK).get("var").for_student("jdoe").questions["c"].expected.value.tolist()
    assert json.loads(out.stdout) == here


def test_variants_are_solved_by_the_engine():
    for student in ("jdoe", "ada", "bo", "zoë"):
        q = load_bank(BANK).get("var").for_student(student).questions["c"]
        p = q.params
        want = engine.conv2d(p.image, p.weight, stride=p.stride, padding=p.padding)[0]
        assert np.array_equal(q.expected.value, want)
        assert f"at stride {p.stride[0]} and padding {p.padding}." in q.prompt


def test_ill_posed_draws_are_redrawn():
    template = loads(BANK.read_text())["questions"]["big_kernel"]
    redrawn = 0
    a = load_bank(BANK).get("var")
    for i in range(40):
        student = f"s{i}"
        first = variants.resolve(template, variants.Stream("var", "big_kernel", student, "0"))
        ill_posed = max(len(first["filter"]), len(first["filter"][0])) > 4
        q = a.for_student(student).questions["big_kernel"]
        kh, kw = q.params.weight.shape[2:]
        assert kh <= 4 and kw <= 4  # every student gets a well-posed variant
        if ill_posed:
            redrawn += 1
            assert q.params.weight.shape[2:] != (len(first["filter"]), len(first["filter"][0]))
    assert redrawn > 10


@pytest.mark.parametrize(
    "definition, message",
    [
        (
            "{kind: conv2d, image: {random: [0, 2], range: [0, 1]}, filter: [[1]]}",
            "random must be a shape",
        ),
        (
            "{kind: conv2d, image: [[1, 2]], filter: {choice: []}}",
            "choice must be a non-empty list",
        ),
        (
            "{kind: conv2d, image: {random: [2, 2], range: [3, 1]}, filter: [[1]]}",
            "range must be [low, high]",
        ),
        (
            "{kind: padding, input_size: 4, kernel: 2, output_size: 5, points: {choice: [1, 2]}}",
            "points cannot be drawn at random",
        ),
        (
            "{kind: conv2d, image: [[1, 2], [3, 4]], filter: {random: [5, 5], range: [0, 1]}}",
            "no well-posed variant in 100 draws (the last: the kernel (5x5 with dilation) "
            "is larger than the padded input",
        ),
    ],
)
def test_malformed_or_impossible_draws_are_refused(tmp_path, definition, message):
    p = tmp_path / "b.yaml"
    p.write_text(f"assignment: t\nquestions:\n  q: {definition}\n")
    with pytest.raises(BankError) as e:
        load_bank(p).get("t")
    assert message in str(e.value) and e.value.problems[0].line == 3


def test_sheet_solve_and_grade_round_trip(tmp_path):
    sheet = run("generate", "--student", "jdoe", "--format", "markdown").output
    q = load_bank(BANK).get("var").for_student("jdoe").questions
    assert "**Student** jdoe" in sheet and q["c"].prompt in sheet
    first_row = " ".join(str(v) for v in q["c"].params.image[0, 0])
    assert "    " + first_row in sheet  # the student's own image
    md = tmp_path / "jdoe.md"
    assert run("generate", "--student", "jdoe", "-o", md).exit_code == 0 and md.read_text() == sheet

    solved = json.loads(run("solve", "--all", "--student", "jdoe", "--format", "json").output)[
        "answers"
    ]
    answers = {qid: (json.dumps(v) if not isinstance(v, int) else v) for qid, v in solved.items()}
    lines = ["student: jdoe", "answers:"] + [f"  {qid}: {v}" for qid, v in answers.items()]
    p = tmp_path / "jdoe.yaml"
    p.write_text("\n".join(lines) + "\n")
    report = json.loads(run("grade", p, "--format", "json").output)
    assert report["score"] == report["max_score"] == 6
    # the same answers are (mostly) wrong for someone else's variant
    p.write_text(p.read_text().replace("student: jdoe", "student: ada"))
    report = json.loads(run("grade", p, "--format", "json").output)
    assert report["score"] < 4
    # a file that names no student is graded against the default variant, and told so
    p.write_text(p.read_text().replace("student: ada\n", ""))
    report = json.loads(run("grade", p, "--format", "json").output)
    assert any("differs from student to student" in n for n in report["notes"])
    assert run("template", "--student", "jdoe").output.count("  # answer:") == 6


def test_class_statistics_across_variants(tmp_path):
    for student in ("a", "b", "c", "d"):
        q = load_bank(BANK).get("var").for_student(student).questions
        right = q["p"].expected.value
        (tmp_path / f"{student}.yaml").write_text(
            f"student: {student}\nanswers:\n"
            f"  p: {right - q['p'].params.layer.filters}\n  fixed: 1\n"
        )
    data = json.loads(run("grade", tmp_path, "--summary", "--format", "json").output)
    qs = {q["id"]: q for q in data["assignments"][0]["questions"]}
    assert qs["p"]["differs_per_student"] and qs["p"]["common_wrong_answers"] == []
    assert qs["p"]["common_mistakes"][0] == {
        "mistake": "bias_omitted",
        "text": "the bias was left out",
        "count": 4,
    }
    assert qs["fixed"]["correct"] == 4 and not qs["fixed"]["differs_per_student"]


def test_parallel_grading_uses_each_students_variant(tmp_path):
    from cnncheck import batch

    a = load_bank(BANK).get("var")
    for i in range(batch.PARALLEL_FROM + 5):
        student = f"s{i}"
        right = a.for_student(student).questions["s"].expected.value
        (tmp_path / f"{student}.yaml").write_text(
            f"student: {student}\nanswers:\n  s: {'x'.join(map(str, right))}\n"
        )
    files = submission_files([str(tmp_path)])
    for jobs in (1, 2):
        outcomes = grade_files(load_bank(BANK), files, jobs=jobs)
        assert all(o.results[3].status == "correct" for o in outcomes)


def test_check_bank_poses_a_sample_of_students(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_text(
        textwrap.dedent("""\
        assignment: t
        questions:
          q: {kind: conv2d, image: {random: [3, 3], range: [0, 1]},
              filter: {random: [{range: [1, 3]}, 3], range: [0, 1]}}
        """)
    )
    r = CliRunner().invoke(cli, ["check-bank", str(p)])
    assert r.exit_code == 0, r.output
    assert CliRunner().invoke(cli, ["check-bank", str(BANK)]).exit_code == 0
