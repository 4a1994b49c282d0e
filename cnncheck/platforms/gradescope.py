"""Gradescope: the student from ``submission_metadata.json``, and the answer file's place.

Gradescope's autograder runs ``/autograder/run_autograder`` with the student's files in
``/autograder/submission/`` and, beside them, ``/autograder/submission_metadata.json``, whose
``users`` list holds the submitter (and the group's other members) with their ``name``,
``email`` and ``sid`` (the student id the course's roster gave Gradescope). The root is
``/autograder``; ``AUTOGRADER_ROOT`` moves it (cnncheck's tests grade in a temporary root).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..textsafe import safe
from ..yamlio import InputError
from . import Identity

METADATA = "submission_metadata.json"
MAX_METADATA_BYTES = 5_000_000
MAX_LISTED = 20  # files named when the answer file is not among them


def root(environ=None) -> Path:
    environ = os.environ if environ is None else environ
    return Path(environ.get("AUTOGRADER_ROOT") or "/autograder")


def identity(environ) -> Identity:
    """The submitter: their ``sid`` when the course gave Gradescope one, else their e-mail."""
    path = root(environ) / METADATA
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_METADATA_BYTES + 1)
        meta = json.loads(data)
    except OSError as e:
        raise InputError(f"--platform gradescope: cannot read {path}: {e.strerror}") from None
    except ValueError as e:
        raise InputError(f"--platform gradescope: {path} is not JSON: {e}") from None
    users = meta.get("users") if isinstance(meta, dict) else None
    if not isinstance(users, list) or not users or not isinstance(users[0], dict):
        raise InputError(f"--platform gradescope: {path} lists no users")
    user = users[0]

    def text(key: str) -> str:
        value = user.get(key)
        return str(value).strip() if isinstance(value, (str, int)) else ""

    others = tuple(text(k) for k in ("email", "sid", "name") if text(k))
    group = len(users) > 1
    if text("sid"):
        source = "Gradescope's submission metadata (sid)"
        found = Identity(text("sid"), "id", source, others)
    elif text("email"):
        source = "Gradescope's submission metadata (email)"
        found = Identity(text("email"), "email", source, others)
    else:
        raise InputError(f"--platform gradescope: {path}: the submitter has no sid and no email")
    if group:
        found = found._replace(source=found.source + ", the group's first member")
    return found


def missing_answers(path: str) -> str:
    """Why a submission has no answer file at ``path``, and what it does hold."""
    folder = Path(path).parent
    name = Path(path).name
    try:
        found = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    except OSError:
        found = []
    if not found:
        held = "the submission is empty"
    else:
        shown = ", ".join(safe(f, 80) for f in found[:MAX_LISTED])
        more = f" and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
        held = f"the submission holds {shown}{more}"
    return (
        f"no {safe(name, 80)} was submitted ({held}): submit your answer file as {safe(name, 80)}"
    )


def locate(path: str) -> str:
    """The answer file: ``path`` when it is there, else the one file of that name anywhere in
    its folder (a submission from GitHub may keep it in a subfolder); else ``path`` itself,
    which :func:`missing_answers` then explains."""
    p = Path(path)
    if os.path.lexists(p) or not p.parent.is_dir():
        return path
    try:
        found = sorted(f for f in p.parent.rglob(p.name) if f.is_file())
    except OSError:
        return path
    return str(found[0]) if len(found) == 1 else path


def shown(path: str, environ=None) -> str:
    """A submitted file's name as the student knows it: from their submission's top."""
    try:
        return str(Path(path).relative_to(root(environ) / "submission"))
    except ValueError:
        return path
