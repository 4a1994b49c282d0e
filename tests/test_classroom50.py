"""examples/classroom50/autograder.py run as Classroom 50's runner runs it, its result.json checked
by the runner's and the score collector's rules.

Reproduced from Classroom 50's own source (github.com/foundation50/classroom50):

* how it is run: ``runner.py``'s ``run_entrypoint`` runs ``[sys.executable, autograder.py]``
  with no arguments, the working directory the student's checkout, and an environment of the
  runner's job plus CLASSROOM, ASSIGNMENT, ASSIGNMENT_TYPE, SUBMISSION_TAG (``submit/…``),
  OWNER and USERNAME (the tail of the repository name ``<classroom>-<assignment>-<login>``),
  COMMIT_URL, RELEASE_URL, REVIEW_URL and CLASSROOM50_BUNDLE_DIR (the folder holding
  autograder.py); GITHUB_REPOSITORY_OWNER is the course's organisation. Exit 0 whenever
  grading ran; any other exit is an error and publishes nothing (wiki/Advanced-Autograding.md).
* what is checked: ``validate_result`` in ``runner.py`` and in ``collect_scores.py`` (the
  gradebook's ingest): the schema id; classroom and assignment equal to the runner's; owner
  equal to the repository's, without regard to case; ``submission`` starting ``submit/``;
  commit, release, review and datetime non-empty strings; ``score`` and ``max-score``
  non-negative integers (not booleans, not floats) with score <= max-score; each test a
  non-empty ``test-name``, a boolean ``passed`` and integer ``score`` <= ``max-score``. And
  ``schemas/result-v1.schema.json``: those keys required, no other top-level key, datetime
  ``YYYY-MM-DDTHH:MM:SSZ``. The rules are written out below in this test's words.
* before validating, the runner stamps ``owner`` (from OWNER), ``assignment_type`` and
  ``submitted_by`` itself (``finalize_result``); so does this test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cnncheck.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "classroom50"
VARIANTS = ROOT / "tests" / "data" / "variants.yaml"

REQUIRED = (
    "schema",
    "classroom",
    "assignment",
    "assignment_type",
    "owner",
    "submission",
    "commit",
    "release",
    "review",
    "datetime",
    "score",
    "max-score",
    "tests",
)
OPTIONAL = ("graded_at", "submitted_by")
UTC_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$")


def whole(x) -> bool:
    """A JSON integer as Python's json reads it: not a boolean, not 1.0."""
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0


def problems(result, classroom: str, assignment: str, owner: str) -> list[str]:
    """What Classroom 50's validators and schema reject in a result.json."""
    out = []
    if not isinstance(result, dict):
        return ["not an object"]
    if result.get("schema") != "classroom50/result/v1":
        out.append("schema")
    if result.get("classroom") != classroom:
        out.append("classroom")
    if result.get("assignment") != assignment:
        out.append("assignment")
    if not isinstance(result.get("owner"), str) or result["owner"].lower() != owner.lower():
        out.append("owner")
    if not str(result.get("submission", "")).startswith("submit/"):
        out.append("submission")
    for key in ("submission", "commit", "release", "review", "datetime"):
        if not isinstance(result.get(key), str) or not result[key]:
            out.append(key)
    if not UTC_SECOND.match(str(result.get("datetime"))):
        out.append("datetime pattern")
    missing = [k for k in REQUIRED if k not in result]
    extra = [k for k in result if k not in REQUIRED + OPTIONAL]
    out += [f"missing {k}" for k in missing] + [f"extra {k}" for k in extra]
    score, top = result.get("score"), result.get("max-score")
    if not whole(score) or not whole(top) or score > top:
        out.append("score")
    tests = result.get("tests")
    if not isinstance(tests, list):
        return out + ["tests"]
    for i, t in enumerate(tests):
        if not isinstance(t, dict):
            out.append(f"tests[{i}]")
            continue
        if not isinstance(t.get("test-name"), str) or not t["test-name"]:
            out.append(f"tests[{i}].test-name")
        if not isinstance(t.get("passed"), bool):
            out.append(f"tests[{i}].passed")
        if not whole(t.get("score")) or not whole(t.get("max-score")):
            out.append(f"tests[{i}] points")
        elif t["score"] > t["max-score"]:
            out.append(f"tests[{i}] score > max-score")
    return out


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "s",
        "GIT_AUTHOR_EMAIL": "s@x",
        "GIT_COMMITTER_NAME": "s",
        "GIT_COMMITTER_EMAIL": "s@x",
        "GIT_COMMITTER_DATE": "2026-06-01T14:32:01Z",
        "GIT_AUTHOR_DATE": "2026-06-01T14:32:01Z",
    }
    r = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def run_autograder(tmp_path, files: dict[str, str], login="jdoe", bundle_extra=None):
    """A student's checkout with ``files`` committed, the bundle extracted where the runner
    extracts it, autograder.py run as ``run_entrypoint`` runs it; then the runner's stamps.
    Returns (exit code, result.json, release-body.md, the job's log)."""
    if not shutil.which("git"):
        pytest.fail("git is needed: Classroom 50 grades a git checkout")
    checkout = tmp_path / "work" / f"cs577-hw4-{login}"
    checkout.mkdir(parents=True)
    for name, text in files.items():
        (checkout / name).write_text(text)
    git(checkout, "init", "-q")
    git(checkout, "add", "-A")
    git(checkout, "commit", "-q", "-m", "submission", "--allow-empty")
    sha = git(checkout, "rev-parse", "HEAD")
    bundle = tmp_path / "runner_temp" / "classroom50-runtime" / "hw4"
    bundle.mkdir(parents=True)
    shutil.copy(EXAMPLE / "autograder.py", bundle / "autograder.py")
    for name, text in (bundle_extra or {}).items():
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_text(text)
    repo = f"cs577-org/cs577-hw4-{login}"
    tag = "submit/2026-06-01T14-32-05Z-" + sha[:7]
    server = "https://github.com"
    env = {
        # the grade job: a GitHub-hosted runner (PATH, HOME, GITHUB_*, RUNNER_TEMP)
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": repo,
        "GITHUB_REPOSITORY_OWNER": "cs577-org",
        "GITHUB_SHA": sha,
        "GITHUB_SERVER_URL": server,
        "GITHUB_ACTOR": login,
        "GITHUB_WORKSPACE": str(checkout),
        "RUNNER_TEMP": str(tmp_path / "runner_temp"),
        # the job's env block and runner.py's run_entrypoint
        "CLASSROOM": "cs577",
        "ASSIGNMENT": "hw4",
        "SUBMISSION_TAG": tag,
        "PAGES_BASE_URL": "https://cs577-org.github.io/classroom50",
        "OWNER": login,
        "USERNAME": login,
        "ASSIGNMENT_TYPE": "individual",
        "COMMIT_URL": f"{server}/{repo}/commit/{sha}",
        "RELEASE_URL": f"{server}/{repo}/releases/tag/submit%2F2026-06-01T14-32-05Z-{sha[:7]}",
        "REVIEW_URL": f"{server}/{repo}/compare/{sha}...{sha}",
        "CLASSROOM50_BUNDLE_DIR": str(bundle),
        # this checkout of cnncheck stands for the one autograder.py would install
        "PYTHONPATH": str(ROOT),
    }
    r = subprocess.run(
        [sys.executable, str(bundle / "autograder.py")],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result_path = checkout / "result.json"
    result = json.loads(result_path.read_text()) if result_path.exists() else None
    if isinstance(result, dict):  # finalize_result: the runner's own stamps
        result.update(owner=login, assignment_type="individual")
        result["submitted_by"] = {"username": login, "id": None}
    body = checkout / "release-body.md"
    return r.returncode, result, body.read_text() if body.exists() else "", r.stdout


def cli_score(path: Path, *args: str) -> float:
    r = subprocess.run(
        [sys.executable, "-m", "cnncheck", *args, "grade", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(r.stdout)["score"]


def test_the_example_grades_to_cnnchecks_points_under_the_runners_rules(tmp_path):
    code, result, body, log = run_autograder(
        tmp_path, {"answers.yaml": (ROOT / "answers.example.yaml").read_text()}
    )
    assert code == 0
    assert problems(result, "cs577", "hw4", "jdoe") == []
    assert result["score"] == cli_score(ROOT / "answers.example.yaml") == 11
    assert result["max-score"] == 18 == sum(t["max-score"] for t in result["tests"])
    assert result["score"] == sum(t["score"] for t in result["tests"])
    by_name = {t["test-name"]: t for t in result["tests"]}
    assert by_name["q5"]["score"] == 1 and by_name["q5"]["passed"] is False  # partial credit
    assert [n for n, t in by_name.items() if not t["passed"]] == ["q3", "q5", "q6", "q8", "q12"]
    assert result["datetime"] == "2026-06-01T14:32:01Z"  # the graded commit's date
    assert "11/18 points" in body and "likely mistake" in body
    assert "q8" in log  # the table, in the job's log


def test_the_student_is_the_owner_not_the_files_student(tmp_path):
    a = load_bank(VARIANTS).get("var").for_student("alice")
    lines = ["assignment: var", "student: alice", "answers:"]
    for qid in ("c", "big_kernel", "p"):
        v = a.questions[qid].expected.value
        lines.append(f"  {qid}: {json.dumps(v.tolist() if hasattr(v, 'tolist') else v)}")
    files = {"answers.yaml": "\n".join(lines) + "\n"}
    bank = {"bank/var.yaml": VARIANTS.read_text()}
    _, as_alice, _, _ = run_autograder(tmp_path / "a", files, "alice", bank)
    code, as_bob, body, _ = run_autograder(tmp_path / "b", files, "bob", bank)
    assert code == 0 and problems(as_bob, "cs577", "hw4", "bob") == []
    scored = {t["test-name"]: t["score"] for t in as_alice["tests"]}
    assert [scored[q] for q in ("c", "big_kernel", "p")] == [1, 1, 1]
    assert as_bob["score"] < as_alice["score"]  # Bob is graded on his own numbers
    assert "says student: 'alice'" in body


@pytest.mark.parametrize(
    "files, why",
    [
        ({"notes.txt": "forgot"}, "no such file"),
        ({"answers.yaml": "answers:\n\tq1: 1\n"}, "tab"),
        ({"answers.yaml": "[1, 2]\n"}, "expected a mapping"),
    ],
)
def test_an_answer_file_that_cannot_be_graded_still_publishes_a_zero(tmp_path, files, why):
    code, result, _, _ = run_autograder(tmp_path, files)
    assert code == 0 and problems(result, "cs577", "hw4", "jdoe") == []
    assert result["score"] == 0 and result["max-score"] == 18
    assert why in result["tests"][0]["output"]


def test_fractional_and_pending_points_stay_whole_and_honest(tmp_path):
    bank = (
        "assignment: hw\nquestions:\n"
        "  p: {kind: padding, input_size: 4, kernel: 2, output_size: 5, points: 2.5}\n"
        "  w: {kind: text, prompt: Why pad?, points: 2}\n"
    )
    code, result, body, _ = run_autograder(
        tmp_path,
        {"answers.yaml": "answers:\n  p: 1\n  w: to keep the size\n"},
        "jdoe",
        {"bank/hw.yaml": bank},
    )
    assert code == 0 and problems(result, "cs577", "hw4", "jdoe") == []
    p, w = result["tests"]
    # whole numbers, rounded down: full marks stay full marks
    assert (p["score"], p["max-score"], p["points"], p["passed"]) == (2, 2, 2.5, True)
    assert (w["score"], w["passed"], w["pending"]) == (0, False, True)
    assert "wait for a TA" in body
