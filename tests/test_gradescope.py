"""examples/gradescope under Gradescope's documented autograder contract.

What is reproduced, from Gradescope's autograder documentation
(gradescope-autograders.readthedocs.io, built from github.com/gradescope/autograder_samples
docs/, read at commit a8edb7e, 2025-01-15):

* specs.md, "File hierarchy": the zip's contents are in /autograder/source; the harness puts the
  student's files in /autograder/submission and runs /autograder/run_autograder with the
  working directory /autograder; results go to /autograder/results/results.json.
* submission_metadata.md: /autograder/submission_metadata.json, its documented example copied
  below as it stands (users with email, id, name); files captured from real runs also carry
  ``sid``, often empty.
* specs.md, "Output format": the keys results.json may have and the values they take; "If test
  cases are hidden, students will not be able to see their total score"; a test's ``status`` is
  ``passed`` or ``failed``, else passed exactly when it earned its ``max_score``; the top-level
  ``score`` overrides the tests' total.

The root is a temporary folder (``AUTOGRADER_ROOT``), and ``cnncheck`` runs this checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnncheck.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "gradescope" / "run_autograder"
VARIANTS = ROOT / "tests" / "data" / "variants.yaml"

# submission_metadata.md's example, as documented (its comments dropped: JSON has none)
DOCUMENTED_METADATA = {
    "id": 123456,
    "created_at": "2018-07-01T14:22:32.365935-07:00",
    "assignment": {
        "due_date": "2018-07-31T23:00:00.000000-07:00",
        "group_size": 4,
        "group_submission": True,
        "id": 25828,
        "course_id": 1234,
        "late_due_date": None,
        "release_date": "2018-07-02T00:00:00.000000-07:00",
        "title": "Programming Assignment 1",
        "total_points": "20.0",
    },
    "submission_method": "upload",
    "users": [{"email": "student@example.com", "id": 1234, "name": "Student User"}],
    "previous_submissions": [],
}


def with_user(email: str, sid: str = "", name: str = "Student User") -> dict:
    """The metadata as real runs write it: each user with a ``sid`` (empty when the course's
    roster gave Gradescope none)."""
    meta = json.loads(json.dumps(DOCUMENTED_METADATA))
    meta["users"] = [{"email": email, "id": 2651667, "name": name, "sid": sid}]
    return meta


# specs.md, "Output format" and "Output String Formatting"
TOP_KEYS = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
}
TEST_KEYS = {
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def check_spec(results: dict) -> None:
    """results.json as the specification allows it, and as a student can read their total."""
    assert set(results) <= TOP_KEYS
    assert "score" in results or all("score" in t for t in results.get("tests", []))
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert results.get(key, "text") in FORMATS
    assert results.get("visibility", "visible") in VISIBILITY
    assert results.get("stdout_visibility", "hidden") in VISIBILITY
    for t in results["tests"]:
        assert set(t) <= TEST_KEYS
        # any hidden test hides the student's total: none is hidden
        assert t.get("visibility", results.get("visibility", "visible")) == "visible"
        assert t.get("status", "passed") in ("passed", "failed")
        if "score" in t and "max_score" in t:
            assert 0 <= t["score"] <= t["max_score"]
            # the status a student sees agrees with the points
            derived = "passed" if t["score"] == t["max_score"] else "failed"
            assert t.get("status", derived) == derived
    assert results["score"] == pytest.approx(sum(t.get("score", 0) for t in results["tests"]))


def autograder(
    tmp_path, submission: dict[str, str], metadata: dict | None = None, source=None, **env
):
    """/autograder laid out as the harness lays it out; run_autograder run in it. Returns
    (exit code, results.json, the root)."""
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    for name, text in (source or {}).items():
        (root / "source" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "source" / name).write_text(text)
    for name, text in submission.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_text(text)
    (root / "submission_metadata.json").write_text(
        json.dumps(DOCUMENTED_METADATA if metadata is None else metadata)
    )
    shim = tmp_path / "bin" / "cnncheck"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cnncheck "$@"\n')
    shim.chmod(0o755)
    environ = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "AUTOGRADER_ROOT": str(root),
        "CNNCHECK": str(shim),
        **env,
    }
    r = subprocess.run(
        ["bash", str(SCRIPT)], cwd=root, env=environ, capture_output=True, text=True, timeout=120
    )
    results = json.loads((root / "results" / "results.json").read_text())
    check_spec(results)
    return r.returncode, results


def cli_points(path: Path, *bank: str) -> float:
    r = subprocess.run(
        [sys.executable, "-m", "cnncheck", *bank, "grade", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(r.stdout)["score"]


def test_the_answer_file_is_graded_to_the_same_points_and_named(tmp_path):
    example = (ROOT / "answers.example.yaml").read_text()
    full = example.replace("24 20", "24 24").replace("20 24", "20 20")  # decoys sort first
    code, results = autograder(
        tmp_path,
        {
            ".pre-commit-config.yaml": "repos: []\n",
            "ans-old.yaml": full,
            "answers.yaml": example,
        },
    )
    assert code == 0
    assert results["score"] == cli_points(ROOT / "answers.example.yaml") == 11
    assert results["output"].startswith("graded answers.yaml as student@example.com")
    failed = [t["name"].split()[0] for t in results["tests"] if t["status"] == "failed"]
    assert failed == ["q3", "q5", "q6", "q8", "q12"]
    q8 = next(t for t in results["tests"] if t["name"] == "q8 (output_shape)")
    assert "likely mistake" in q8["output"]
    assert "63" not in json.dumps(results)  # hints, the default here: no answers
    assert results["output_format"] == "text" and results["execution_time"] >= 0


def test_the_student_is_who_the_metadata_says(tmp_path):
    # Bob (sid s002) submits Alice's solved variant, saying student: alice
    a = load_bank(VARIANTS).get("var").for_student("alice")
    lines = ["assignment: var", "student: alice", "answers:"]
    for qid in ("c", "big_kernel", "p"):
        v = a.questions[qid].expected.value
        lines.append(f"  {qid}: {json.dumps(v.tolist() if hasattr(v, 'tolist') else v)}")
    source = {"bank/var.yaml": VARIANTS.read_text()}
    answers = {"answers.yaml": "\n".join(lines) + "\n"}
    code, as_alice = autograder(
        tmp_path / "a", answers, with_user("alice@uni.edu", "alice"), source
    )
    assert as_alice["score"] == 3  # her own variant: all three right
    code, as_bob = autograder(tmp_path / "b", answers, with_user("bob@uni.edu", "bob"), source)
    assert code == 0 and as_bob["score"] < 3
    assert "graded answers.yaml as bob" in as_bob["output"]
    assert "says student: 'alice'" in as_bob["output"]
    # no sid: the e-mail address, matched through the roster to the student's id
    roster = "id,email\nalice,alice@uni.edu\nbob,bob@uni.edu\n"
    code, by_email = autograder(
        tmp_path / "c", answers, with_user("BOB@uni.edu"), {**source, "roster.csv": roster}
    )
    assert by_email["score"] == as_bob["score"] and "as bob " in by_email["output"]


def test_a_missing_answer_file_says_what_was_submitted(tmp_path):
    code, results = autograder(tmp_path, {"answer.yml": "answers: {}\n", "notes.txt": "hi"})
    assert code == 0 and results["score"] == 0 and results["tests"] == []
    assert "no answers.yaml was submitted" in results["output"]
    assert "answer.yml, notes.txt" in results["output"]


def test_an_answer_file_in_a_subfolder_and_another_name(tmp_path):
    # a submission from GitHub keeps the repository's folders
    example = (ROOT / "answers.example.yaml").read_text()
    code, results = autograder(tmp_path, {"hw4/answers.yaml": example})
    assert results["score"] == 11 and "graded hw4/answers.yaml" in results["output"]
    code, results = autograder(tmp_path / "n", {"hw4.yml": example}, CNNCHECK_ANSWERS="hw4.yml")
    assert results["score"] == 11


def test_an_unreadable_file_is_a_zero_with_the_reason(tmp_path):
    code, results = autograder(tmp_path, {"answers.yaml": "answers:\n\tq1: 1\n"})
    assert code == 0 and results["score"] == 0 and "a tab" in results["output"]


def test_score_feedback_keeps_the_total_visible(tmp_path):
    example = (ROOT / "answers.example.yaml").read_text()
    code, results = autograder(tmp_path, {"answers.yaml": example}, CNNCHECK_FEEDBACK="score")
    assert results["score"] == 11 and len(results["tests"]) == 12
    assert all(t["output"] == "" for t in results["tests"])  # points, and nothing else


def test_answers_waiting_for_a_ta_are_neither_passed_nor_failed(tmp_path):
    bank = (
        "assignment: hw1\nquestions:\n"
        "  p: {kind: padding, input_size: 4, kernel: 2, output_size: 5, points: 3}\n"
        "  w: {kind: text, prompt: Why pad?, points: 2}\n"
    )
    code, results = autograder(
        tmp_path,
        {"answers.yaml": "answers:\n  p: 1\n  w: to keep the size\n"},
        source={"bank/hw.yaml": bank},
        CNNCHECK_FEEDBACK="full",
    )
    assert [t["name"] for t in results["tests"]] == ["p (padding)"]
    assert results["score"] == 3 and results["tests"][0]["status"] == "passed"
    assert "awaiting a TA, not in this score: w (2 points)" in results["output"]
    assert results["extra_data"]["pending"]["w"]["points"] == 2
