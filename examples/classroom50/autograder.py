#!/usr/bin/env python3
"""cnncheck as a Classroom 50 autograder.

Classroom 50's runner runs this file with no arguments, in the student's checkout, after each
submission, and publishes ./result.json (the score, one test per question) and
./release-body.md (what the student reads) as the submission's release. It lives in the
course's classroom50 repository at <classroom>/autograders/<assignment>/autograder.py; beside it:

  bank/            the course's questions (optional: cnncheck's built-in bank otherwise)
  roster.csv       optional: the class (id, github, ...): logins are checked against it
  reviewed.csv     optional: a TA's filled review sheet (cnncheck review): its points are final
  cnncheck-*.whl   the cnncheck to install (or set CNNCHECK_SPEC below: a pip requirement)

The student graded is Classroom 50's OWNER, never the file's student:. This script exits 0
whenever grading ran, whatever the score (the runner's rule: any other exit is an error and
publishes nothing); a missing or unreadable answer file is graded 0 with the reason.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(os.environ.get("CLASSROOM50_BUNDLE_DIR") or Path(__file__).resolve().parent)
ANSWERS = "answers.yaml"  # the file students submit
ASSIGNMENT = ""  # the bank's assignment this grades ("": the bank's default)
FEEDBACK = "hints"  # what students see: score, verdict, hints or full
CNNCHECK_SPEC = ""  # what pip installs when no wheel lies beside this file, e.g. a git URL


def install() -> bool:
    try:
        import cnncheck  # noqa: F401

        return True
    except ImportError:
        wheels = sorted(HERE.glob("cnncheck-*.whl"))
        spec = str(wheels[-1]) if wheels else CNNCHECK_SPEC
        if not spec:
            print("autograder.py: put cnncheck's wheel beside it, or set CNNCHECK_SPEC", flush=True)
            return False
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--user", spec]
        return subprocess.run(pip).returncode == 0


def cnncheck(*args: str) -> int:
    course = []
    if (HERE / "bank").exists():
        course += ["--bank", str(HERE / "bank")]
    if (HERE / "roster.csv").exists():
        course += ["--roster", str(HERE / "roster.csv")]
    if (HERE / "reviewed.csv").exists():
        course += ["--scores", str(HERE / "reviewed.csv")]
    if ASSIGNMENT:
        course += ["-a", ASSIGNMENT]
    command = [sys.executable, "-m", "cnncheck", "grade", ANSWERS, *course]
    command += ["--platform", "classroom50", "--feedback", FEEDBACK, *args]
    return subprocess.run(command).returncode


def main() -> int:
    if not install():
        return 1  # not a grade: the runner reports an error, and publishes nothing
    for name in ("result.json", "release-body.md"):
        Path(name).unlink(missing_ok=True)
    graded = cnncheck("--format", "classroom50", "-o", "result.json")
    cnncheck("--format", "markdown", "-o", "release-body.md")
    cnncheck("--format", "table")  # the job's log
    # 0 and 1 are grades, 2 a file that could not be graded (result.json says why)
    return 0 if graded in (0, 1, 2) and Path("result.json").is_file() else 1


if __name__ == "__main__":
    sys.exit(main())
