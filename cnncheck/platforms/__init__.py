"""Where a grade runs, and whose submission it is.

On a grading platform the student is who the platform says, never who the answer file says: a
file's ``student:`` can be typed by anyone (and a student could name a classmate whose variant
they have solved). Each platform module reads the identity its platform gives and knows where it
keeps its files; :func:`identify` is the one entry point.

============  ===========================================================  ====================
platform      the student, read from                                       roster column
============  ===========================================================  ====================
gradescope    ``/autograder/submission_metadata.json``: the first user's   id (sid), else email
              ``sid``, else their e-mail address
classroom50   ``OWNER``: the student's GitHub login (``GITHUB_REPOSITORY_  github
              OWNER`` there is the course's organisation)
github        ``CNNCHECK_STUDENT`` when the workflow sets it, else         id, else github
              ``GITHUB_ACTOR``
gitlab        ``CNNCHECK_STUDENT`` when the pipeline sets it, else         id, else gitlab
              ``GITLAB_USER_LOGIN``
============  ===========================================================  ====================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from ..yamlio import InputError


class Identity(NamedTuple):
    """Whose submission this is, as a platform says."""

    student: str  # the id as the platform gives it
    column: str  # the roster column that holds such ids: id, email, github, gitlab
    source: str  # where it was read, for messages: "Gradescope's submission metadata (sid)"
    aliases: tuple[str, ...] = ()  # the person's other ids the platform gives (e-mail, name)


def _env(environ: Mapping[str, str], name: str) -> str:
    return (environ.get(name) or "").strip()


def _ci(environ, name: str, label: str, variable: str, column: str, job: str) -> Identity:
    """A CI job's student: ``CNNCHECK_STUDENT`` when the job sets it, else the platform's user."""
    student = _env(environ, "CNNCHECK_STUDENT")
    if student:
        return Identity(student, "id", f"the {job}'s CNNCHECK_STUDENT variable")
    user = _env(environ, variable)
    if not user:
        raise InputError(
            f"--platform {name}: neither CNNCHECK_STUDENT nor {variable} is set (is this a "
            f"{label} job?)"
        )
    return Identity(user, column, f"{label}'s {variable}")


def _classroom50(environ) -> Identity:
    owner = _env(environ, "OWNER")
    if not owner:
        raise InputError(
            "--platform classroom50: OWNER is not set; Classroom 50's runner sets it to the "
            "student's GitHub login"
        )
    return Identity(owner, "github", "Classroom 50's OWNER")


def _gradescope(environ) -> Identity:
    from .gradescope import identity

    return identity(environ)


PLATFORMS = {
    "gradescope": _gradescope,
    "classroom50": _classroom50,
    "github": lambda env: _ci(
        env, "github", "GitHub Actions", "GITHUB_ACTOR", "github", "workflow"
    ),
    "gitlab": lambda env: _ci(env, "gitlab", "GitLab", "GITLAB_USER_LOGIN", "gitlab", "pipeline"),
}


def identify(platform: str, environ: Mapping[str, str] | None = None) -> Identity:
    """The student a platform says this run grades. Raises :class:`InputError` when the platform
    does not say."""
    return PLATFORMS[platform](os.environ if environ is None else environ)
