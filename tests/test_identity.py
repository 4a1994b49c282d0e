"""Whose submission is graded: the platform's identity over the file's ``student:``, and a roster.

With per-student variants, grading a file as the wrong student grades it against someone else's
numbers, so a student who names a classmate (whose variant they solved) must not get the
classmate's grade. The answers below are the engine's canonical answers for one student's
variant; the verdicts come from which variant they are graded against.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck.bank import load_bank
from cnncheck.cli import cli
from cnncheck.platforms import identify
from cnncheck.roster import read_roster, who_is_graded
from cnncheck.yamlio import InputError

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "tests" / "data" / "variants.yaml"
QUESTIONS = ("c", "big_kernel", "s", "p", "fixed")  # rgb left out: every file gets 0 for it


def solved(student: str, named: str | None = None) -> str:
    """An answer file with ``student``'s variant solved, saying ``student: named``."""
    a = load_bank(BANK).get("var").for_student(student)
    lines = ["assignment: var"]
    if named is not None:
        lines.append(f"student: {named}")
    lines.append("answers:")
    for qid in QUESTIONS:
        v = a.questions[qid].expected.value
        v = v.tolist() if hasattr(v, "tolist") else list(v) if isinstance(v, tuple) else v
        lines.append(f"  {qid}: {json.dumps(v)}")
    return "\n".join(lines) + "\n"


def grade(tmp_path, text: str, *args, env=None, name="answers.yaml"):
    path = tmp_path / name
    path.write_text(text)
    r = CliRunner().invoke(
        cli,
        ["--bank", str(BANK), "grade", str(path), "--format", "json", *map(str, args)],
        env={"COLUMNS": "160", "CNNCHECK_PLATFORM": None, **(env or {})},
    )
    return r


def score(r) -> tuple[float, str]:
    data = json.loads(r.stdout)
    report = data["submissions"][0] if "submissions" in data else data
    return report["score"], report.get("student")


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "id,name,email,github,gitlab,section\n"
        "s001,Alice Martin,alice@uni.edu,AliceM,alice.m,A\n"
        "s002,Bob Chen,bob@uni.edu,bobc,bchen,B\n"
    )
    return path


def test_the_file_names_the_student_without_a_platform(tmp_path):
    # a student checking their work at night: their own file, their own variant, full marks
    r = grade(tmp_path, solved("alice", "alice"))
    assert r.exit_code == 1  # rgb is unanswered
    assert score(r) == (5, "alice")


# GitHub Actions sets GITHUB_ACTOR to "the name of the person or app that initiated the
# workflow" (docs.github.com, "Variables": default environment variables); the workflow may
# instead set CNNCHECK_STUDENT from a repository variable.
def test_a_classmates_variant_is_graded_as_the_platforms_student(tmp_path):
    bob_copies = solved("alice", "alice")  # Bob submits Alice's solved variant as alice
    r = grade(tmp_path, bob_copies, "--platform", "github", env={"GITHUB_ACTOR": "bob"})
    points, student = score(r)
    assert student == "bob" and points < 3  # graded against Bob's own numbers
    report = json.loads(r.stdout)
    assert any("says student: 'alice'" in n and "'bob'" in n for n in report["notes"])
    r = grade(tmp_path, solved("bob", "alice"), "--platform", "github", env={"GITHUB_ACTOR": "bob"})
    assert score(r) == (5, "bob")
    r = grade(
        tmp_path,
        solved("bob"),
        "--platform",
        "github",
        env={"GITHUB_ACTOR": "someone-else", "CNNCHECK_STUDENT": "bob"},
    )
    assert score(r) == (5, "bob")


# Classroom 50's runner gives the autograder OWNER, the student's GitHub login; the
# organisation is GITHUB_REPOSITORY_OWNER, which must not be taken for the student.
def test_classroom50_owner_through_the_roster(tmp_path, roster):
    env = {"OWNER": "alicem", "GITHUB_REPOSITORY_OWNER": "cs577-org"}
    r = grade(
        tmp_path, solved("s001", "bob"), "--platform", "classroom50", "--roster", roster, env=env
    )
    assert score(r) == (5, "s001")  # the login matched without regard to case, graded as s001
    r = grade(tmp_path, solved("s001"), "--platform", "classroom50", env={"OWNER": ""})
    assert r.exit_code == 2 and "OWNER is not set" in r.output


# GitLab's predefined GITLAB_USER_LOGIN: "The username of the user who started the pipeline"
# (docs.gitlab.com, "Predefined CI/CD variables reference").
def test_gitlab_login_through_the_roster(tmp_path, roster):
    env = {"GITLAB_USER_LOGIN": "bchen"}
    r = grade(tmp_path, solved("s002", "s001"), "--platform", "gitlab", "--roster", roster, env=env)
    assert score(r) == (5, "s002")
    assert "says student: 's001'" in r.stdout


def test_unknown_and_placeholder_students_are_not_graded_against_a_variant(tmp_path, roster):
    r = grade(tmp_path, solved("s009", "s009"), "--roster", roster)
    assert r.exit_code == 2 and "not on the roster" in r.output
    r = grade(tmp_path, solved("your-id", "your-id"))
    assert r.exit_code == 2 and "placeholder" in r.output
    # the roster's id, written in another case, is the same student
    r = grade(tmp_path, solved("s002", "S002"), "--roster", roster)
    assert score(r) == (5, "s002")


def test_a_fixed_assignment_grades_an_unknown_student_and_says_so(roster):
    # no variants: everyone's numbers are the same, so grading is safe; the TA is told
    student, notes = who_is_graded("zed", random=False, roster=read_roster(roster))
    assert student == "zed" and "not on the roster" in notes[0]
    student, notes = who_is_graded("your-id", random=False)
    assert student is None and "placeholder" in notes[0]


def test_duplicate_students_in_a_class_run_are_reported(tmp_path):
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        (tmp_path / name).write_text(solved("alice", "alice" if name != "c.yaml" else "ALICE"))
    r = CliRunner().invoke(cli, ["--bank", str(BANK), "grade", str(tmp_path), "--format", "json"])
    assert "'alice' was graded 3 times" in r.stderr


def test_a_platform_grades_one_file(tmp_path):
    (tmp_path / "a.yaml").write_text(solved("alice"))
    (tmp_path / "b.yaml").write_text(solved("bob"))
    r = CliRunner().invoke(
        cli,
        ["--bank", str(BANK), "grade", str(tmp_path), "--platform", "github"],
        env={"GITHUB_ACTOR": "alice"},
    )
    assert r.exit_code == 2 and "grade a class without --platform" in r.output


@pytest.mark.parametrize(
    "text, line, problem",
    [
        ("name,email\nA,a@x\n", 1, "no id column"),
        ("id,name\n,Ann\n", 2, "without an id"),
        ("id,github\ns1,ann\ns2,ANN\n", 3, "also on line 2"),
        ("id\nyour-id\n", 2, "placeholder"),
        ("", 1, "empty"),
    ],
)
def test_a_roster_that_cannot_be_used_says_where(tmp_path, text, line, problem):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    with pytest.raises(InputError) as e:
        read_roster(path)
    assert e.value.line == line and problem in e.value.message


def test_identities_from_the_environment():
    assert identify("classroom50", {"OWNER": "ann", "GITHUB_REPOSITORY_OWNER": "org"}).student == (
        "ann"
    )
    assert identify("github", {"GITHUB_ACTOR": "ann"}).column == "github"
    assert identify("gitlab", {"GITLAB_USER_LOGIN": "ann"}).column == "gitlab"
    with pytest.raises(InputError):
        identify("gitlab", {})
