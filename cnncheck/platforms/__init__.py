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


def _configured(environ, platform: str) -> Identity | None:
    student = _env(environ, "CNNCHECK_STUDENT")
    if student:
        return Identity(student, "id", f"{platform}'s CNNCHECK_STUDENT variable")
    return None


def _classroom50(environ) -> Identity:
    owner = _env(environ, "OWNER")
    if not owner:
        raise InputError(
            "--platform classroom50: OWNER is not set; Classroom 50's runner sets it to the "
            "student's GitHub login"
        )
    return Identity(owner, "github", "Classroom 50's OWNER")


def _github(environ) -> Identity:
    found = _configured(environ, "the workflow")
    if found:
        return found
    actor = _env(environ, "GITHUB_ACTOR")
    if not actor:
        raise InputError(
            "--platform github: neither CNNCHECK_STUDENT nor GITHUB_ACTOR is set (is this a "
            "GitHub Actions job?)"
        )
    return Identity(actor, "github", "GitHub Actions' GITHUB_ACTOR")


def _gitlab(environ) -> Identity:
    found = _configured(environ, "the pipeline")
    if found:
        return found
    login = _env(environ, "GITLAB_USER_LOGIN")
    if not login:
        raise InputError(
            "--platform gitlab: neither CNNCHECK_STUDENT nor GITLAB_USER_LOGIN is set (is this "
            "a GitLab CI job?)"
        )
    return Identity(login, "gitlab", "GitLab's GITLAB_USER_LOGIN")


def _gradescope(environ) -> Identity:
    from .gradescope import identity

    return identity(environ)


PLATFORMS = {
    "gradescope": _gradescope,
    "classroom50": _classroom50,
    "github": _github,
    "gitlab": _gitlab,
}


def identify(platform: str, environ: Mapping[str, str] | None = None) -> Identity:
    """The student a platform says this run grades. Raises :class:`InputError` when the platform
    does not say."""
    return PLATFORMS[platform](os.environ if environ is None else environ)
