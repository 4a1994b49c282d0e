"""The ready-made CI examples, run as their platforms run them (as far as can be done here)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cnncheck import yamlio
from cnncheck.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def cnncheck_bin(tmp_path):
    """A `cnncheck` command on PATH that runs this checkout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "cnncheck"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cnncheck "$@"\n')
    script.chmod(0o755)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    }
    return script, env


def autograder(tmp_path, cnncheck_bin, submission: dict[str, str] | None, **extra_env):
    """Lay out /autograder as Gradescope does, run run_autograder, return (exit code,
    results.json)."""
    script, env = cnncheck_bin
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True, exist_ok=True)
    (root / "submission").mkdir()
    for name, text in (submission or {}).items():
        (root / "submission" / name).write_text(text)
    env = {**env, "AUTOGRADER_ROOT": str(root), "CNNCHECK": str(script), **extra_env}
    r = subprocess.run(
        ["bash", str(EXAMPLES / "gradescope" / "run_autograder")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return r.returncode, json.loads((root / "results" / "results.json").read_text())


def test_gradescope_autograder_grades_a_submission(tmp_path, cnncheck_bin):
    code, results = autograder(
        tmp_path, cnncheck_bin, {"answers.yaml": (ROOT / "answers.example.yaml").read_text()}
    )
    assert code == 0
    assert results["score"] == 11 and len(results["tests"]) == 12
    failed = [t["name"].split()[0] for t in results["tests"] if t["status"] == "failed"]
    assert failed == ["q3", "q5", "q6", "q8", "q12"]
    q8 = next(t for t in results["tests"] if t["name"] == "q8 (output_shape)")
    assert q8["visibility"] == "visible" and "likely mistake" in q8["output"]
    assert "63" not in json.dumps(results)  # the default feedback here is hints: no answers


def test_gradescope_autograder_unreadable_and_absent(tmp_path, cnncheck_bin):
    code, results = autograder(tmp_path, cnncheck_bin, {"answers.yaml": "answers:\n\tq1: 1\n"})
    assert code == 0 and results["score"] == 0 and "a tab" in results["output"]
    code, results = autograder(tmp_path / "none", cnncheck_bin, {"notes.txt": "hello"})
    assert code == 0 and results["score"] == 0 and "No answer file" in results["output"]


def test_gradescope_autograder_course_bank_and_full_feedback(tmp_path, cnncheck_bin):
    root = tmp_path / "autograder"
    (root / "source" / "bank").mkdir(parents=True)
    (root / "source" / "bank" / "hw.yaml").write_text(
        "assignment: hw1\nquestions:\n"
        "  p: {kind: padding, input_size: 4, kernel: 2, output_size: 5, points: 3}\n"
    )
    code, results = autograder(
        tmp_path, cnncheck_bin, {"a.yml": "answers: {p: 1}\n"}, CNNCHECK_FEEDBACK="full"
    )
    assert code == 0 and results["score"] == 3 and results["tests"][0]["max_score"] == 3


def steps(workflow):
    return workflow["jobs"]["autograding"]["steps"]


def test_github_classroom_workflow_is_consistent():
    workflow = yamlio.loads(
        (EXAMPLES / "github-classroom" / ".github" / "workflows" / "classroom.yml").read_text()
    )
    graders = [
        s
        for s in steps(workflow)
        if str(s.get("uses", "")).startswith("classroom-resources/autograding-command-grader")
    ]
    reporter = next(
        s
        for s in steps(workflow)
        if str(s.get("uses", "")).startswith("classroom-resources/autograding-grading-reporter")
    )
    a = load_bank().get("cs577-hw4")
    assert [s["id"] for s in graders] == list(a.questions)
    assert [s["with"]["max-score"] for s in graders] == [q.points for q in a.questions.values()]
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in graders]
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in graders}


def test_github_classroom_commands_run(tmp_path, cnncheck_bin):
    _, env = cnncheck_bin
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "github-classroom", repo)
    workflow = yamlio.loads((repo / ".github" / "workflows" / "classroom.yml").read_text())
    env = {**env, **{k: str(v) for k, v in workflow["env"].items()}}

    def sh(command):
        return subprocess.run(
            ["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, timeout=120
        )

    annotate = next(s["run"] for s in steps(workflow) if s.get("name") == "Annotate the mistakes")
    r = sh(annotate)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert (
        sum(line.startswith("::error file=answers.yaml") for line in lines) == 4
    )  # q3, q6, q8, and q12 missing
    assert (
        sum(line.startswith("::warning file=answers.yaml") for line in lines) == 1
    )  # q5, partly right
    passed = {
        s["id"]: sh(s["with"]["command"]).returncode == 0
        for s in steps(workflow)
        if "with" in s and "command" in s["with"]
    }
    assert [q for q, ok in passed.items() if not ok] == ["q3", "q5", "q6", "q8", "q12"]
