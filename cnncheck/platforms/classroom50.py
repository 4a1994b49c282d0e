"""Classroom 50: the student from ``OWNER``, and the submission's facts for ``result.json``.

Classroom 50's runner (``runner.py`` in the course's ``classroom50`` configuration repository)
runs an assignment's ``autograder.py`` with no arguments, in the student's checkout, and gives
it ``CLASSROOM``, ``ASSIGNMENT``, ``ASSIGNMENT_TYPE``, ``SUBMISSION_TAG``, ``OWNER`` (the student's
login: the tail of ``<classroom>-<assignment>-<login>``; the organisation is
``GITHUB_REPOSITORY_OWNER``), ``COMMIT_URL``, ``RELEASE_URL`` and ``REVIEW_URL`` (older runners
leave it out: the commit's URL stands in). The autograder writes ``./result.json``.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone

from ..yamlio import InputError

NEEDED = ("CLASSROOM", "ASSIGNMENT", "OWNER", "SUBMISSION_TAG", "COMMIT_URL", "RELEASE_URL")


def submission(environ=None) -> dict:
    """The submission's facts as ``result.json`` states them. Raises :class:`InputError` naming
    what the runner did not set."""
    env = os.environ if environ is None else environ
    missing = [k for k in NEEDED if not (env.get(k) or "").strip()]
    if missing:
        raise InputError(
            f"--format classroom50: {', '.join(missing)} not set; Classroom 50's runner sets "
            "them for autograder.py"
        )
    return {
        "classroom": env["CLASSROOM"],
        "assignment": env["ASSIGNMENT"],
        "assignment_type": env.get("ASSIGNMENT_TYPE") or "individual",
        "owner": env["OWNER"].strip(),
        "submission": env["SUBMISSION_TAG"],
        "commit": env["COMMIT_URL"],
        "release": env["RELEASE_URL"],
        "review": env.get("REVIEW_URL") or env["COMMIT_URL"],
        "datetime": submitted_at(env),
    }


def submitted_at(environ) -> str:
    """When the work was submitted: the graded commit's committer date in UTC (the runner's own
    rule; newer runners stamp it themselves), else now. ``YYYY-MM-DDTHH:MM:SSZ``."""
    sha = (environ.get("GITHUB_SHA") or "HEAD").strip()
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", sha, "--"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        when = datetime.fromtimestamp(int(out), timezone.utc)
    except (OSError, ValueError, subprocess.SubprocessError):
        when = datetime.now(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
