"""A class roster: who may be graded, under which id, and the ids each student has elsewhere.

``roster.csv`` has a header row and one row per student. Its columns, named in any order and in
any case (unknown columns are kept for the gradebook exports):

``id``
    required: the student's id in cnncheck, the one per-student variants are drawn from
    (``cnncheck template --student ID``) and reports name.
``name``, ``email``, ``section``
    as a gradebook shows them.
``github``, ``gitlab``
    the student's login on those platforms: Classroom 50 and GitHub Actions name a student by
    GitHub login, GitLab by its own.
``sis_user_id``, ``sis_login_id``, ``canvas_id``, ``username``, ``idnumber``
    the ids a learning management system matches grade imports on (see ``report/lms.py``).

An id from a platform or an answer file is looked up in the columns that can hold it, without
regard to case (GitHub, GitLab and e-mail addresses ignore it; an id that differs from a
roster's only in case is the same student), and the roster's own ``id`` is what is graded.
Two rows that share an id, a login or an e-mail address make the roster unusable: a submission
could then be graded as either student.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from .sheets import read_sheet
from .yamlio import InputError

MAX_ROSTER_BYTES = 20_000_000
KEYS = ("id", "email", "github", "gitlab", "username")  # columns that name one student each
PLACEHOLDERS = frozenset({"your-id", "your_id", "your id", "student-id", "student_id", "id"})


def is_placeholder(student: str | None) -> bool:
    """The id ``cnncheck template`` writes when it is not told the student's (and its kin)."""
    if student is None:
        return False
    return student.strip().strip("<>[]{}").strip().lower() in PLACEHOLDERS


class Member(NamedTuple):
    id: str
    line: int  # the roster's line, for messages
    fields: dict  # column (lower case) -> value, every column of the row

    def get(self, column: str) -> str:
        return self.fields.get(column, "")

    @property
    def name(self) -> str:
        return self.get("name")


class Roster:
    """Students by every id they can be named by; built by :func:`read_roster`."""

    def __init__(self, path: str, columns: list[str], members: list[Member]):
        self.path, self.columns, self.members = path, columns, members
        self._by: dict[tuple[str, str], Member] = {}
        for m in members:
            for column in KEYS:
                value = m.get(column).casefold()
                if value:
                    self._by[(column, value)] = m

    def find(self, student: str, column: str | None = None) -> Member | None:
        """The student named ``student``: in ``column`` when the name's kind is known (a GitHub
        login), else in any column that names one student, ``id`` first."""
        key = student.strip().casefold()
        for c in (column,) if column else KEYS:
            m = self._by.get((c, key))
            if m is not None:
                return m
        return None

    def __len__(self) -> int:
        return len(self.members)


def read_roster(path) -> Roster:
    """Read ``roster.csv``. Raises :class:`InputError` (``path:line: message``) for a file that is
    not a roster, a row without an id, and two rows naming the same student."""
    name, header, lines = read_sheet(path, MAX_ROSTER_BYTES, "roster")
    header = [h.lower().replace(" ", "_") for h in header]
    if "id" not in header:
        raise InputError(
            "not a roster: no id column (its columns: id, and any of name, email, section, "
            "github, gitlab, sis_user_id, sis_login_id, canvas_id, username, idnumber)",
            name,
            1,
        )
    members: list[Member] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in lines:
        fields = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        if not fields["id"]:
            raise InputError("a student without an id", name, line)
        if is_placeholder(fields["id"]):
            raise InputError(
                f"id: {fields['id']!r} is a placeholder, not a student's id", name, line
            )
        for column in KEYS:
            value = fields.get(column, "").casefold()
            if not value:
                continue
            if (column, value) in seen:
                raise InputError(
                    f"{column} {fields[column]!r} is also on line {seen[(column, value)]}: "
                    "two rows cannot name the same student",
                    name,
                    line,
                )
            seen[(column, value)] = line
        members.append(Member(fields["id"], line, fields))
    if not members:
        raise InputError("the roster has no students", name, 1)
    return Roster(name, header, members)


def who_is_graded(written: str | None, random: bool, identity=None, roster: Roster | None = None):
    """``(student, notes)``: the id a submission is graded as, and what a TA should know about it.

    ``written`` is the file's ``student:``; ``identity`` (a ``platforms.Identity``) what the
    platform says, which wins; ``random``: the assignment differs from student to student, so
    grading as the wrong id grades against someone else's variant. Raises :class:`InputError`
    when the submission cannot be graded as anyone: a placeholder or an unknown id on such an
    assignment.
    """
    notes: list[str] = []
    if identity is not None:
        student, column, source = identity.student, identity.column, identity.source
    else:
        student, column, source = written, None, "the answer file's student:"
        if is_placeholder(written):
            why = f"student: {written!r} is the template's placeholder: write your own id there"
            if random:
                raise InputError(why + " (your questions were drawn for it)")
            notes.append(why)
            student = None
    member = None
    if roster is not None and student:
        member = roster.find(student, column)
        if member is None and column == "id":  # a configured id may be a login or an address
            member = roster.find(student)
        if member is None:
            why = f"{student!r} ({source}) is not on the roster {os.path.basename(roster.path)}"
            if random:
                raise InputError(why + ": not graded against another student's variant")
            notes.append(why)
        else:
            student = member.id
    if identity is not None and written and not is_placeholder(written):
        same = {student.casefold(), identity.student.casefold()}
        same |= {a.casefold() for a in identity.aliases}
        if member is not None:
            same |= {member.get(c).casefold() for c in KEYS if member.get(c)}
        if written.strip().casefold() not in same:
            notes.append(
                f"the file says student: {written!r}, but {source} says this is the submission "
                f"of {identity.student!r}: graded as {student!r}"
            )
    return student, notes
