"""Gradebooks that a learning management system imports: Canvas, Moodle, Blackboard Learn.

A class run becomes one CSV file with a row per student and a column per assignment. The
column holds the assignment's total points, and only grades that are final and that the LMS
can put on the right student go into it. Every submission left out is listed apart, with the
reason, so a TA can enter those grades by hand (:meth:`Gradebook.apart_csv`):

* a file that could not be graded, or that names no student;
* a student not on the roster, or whose roster row lacks the id the LMS matches on, or has an
  id that the file cannot carry unchanged (see ``_unusable``), or shares it with another row;
* a student graded more than once for an assignment. None of their files is imported: the
  files may be a resubmission or a classmate's file under the wrong id, and nothing in a
  file says which one counts. Importing the highest score would reward the second case;
* points that wait for a TA (``cnncheck review``, then ``grade --scores``). The grade is not
  final, and a blank or 0 would replace what the LMS holds;
* a student without a final grade in every column of the file. The importers give a blank
  cell a meaning: Moodle clears the grade ("''" and "-" become null, ``update_grade_item``), and
  Canvas counts a blank over an existing score as a change (``no_change_to_value?`` is false
  when one side is blank). So a row is either complete or left out. Grade each assignment on
  its own (``-a``) to import students who have a final grade in only some of them;
* a roster student with nothing graded for the assignment in this run.

The rules each LMS's importer checks, and where they are written, are in docs/gradebooks.md.
In short:

Canvas (``lib/gradebook_importer.rb``)
    Header ``Student,ID,SIS User ID,SIS Login ID,Section,<assignment>...`` (the only layout
    with both SIS columns that ``update_column_count`` accepts), then a ``Points Possible`` row,
    which sets each assignment's points. Students are matched by the roster's ``canvas_id``
    (Canvas's numeric user id), then ``sis_user_id``, then ``sis_login_id``. One of them is
    required: matching by name is left to Canvas only as its own fallback. A roster is required.
Moodle (``grade/import/csv``)
    Header: the identifier column, ``Name``, one column per assignment. In the import form the
    teacher maps the identifier column to the Moodle field it holds (``username`` by default;
    ``idnumber`` or ``email`` with ``match``). One unknown user aborts the whole import, so only
    students who are on the roster and have that field are written. Without a roster, the
    graded ids are written as they are.
Blackboard Learn (Grade Center, "Work Offline" upload)
    Header ``Last Name,First Name,Username,<assignment>...``, every field quoted. Students are
    matched by the roster's ``username``, or by the graded id without a roster. A header without
    a ``|<column id>`` suffix creates a new text column worth 0 points, so copy the column's
    header from a Grade Center download into ``column``.

Numbers are plain decimals (``11``, ``10.5``): no thousands separator (Canvas reads ``1,234``
as 1.234), no exponent, no formula-escape apostrophe (``'11`` is text to every importer).
Names and sections are text, shown but never matched on, so one that a spreadsheet would run
as a formula is prefixed with ``'``. Ids and headers must match exactly, so they are never
changed: a header that would run as a formula is refused, and a student whose id would run as
one is listed apart.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from ..roster import Member, Roster
from .csvout import FORMULA_START, Entry, gradebook_entry
from .values import safe

LMS_NAMES = ("canvas", "moodle", "blackboard")
MOODLE_FIELDS = {"username": "Username", "idnumber": "ID number", "email": "Email address"}
CANVAS_IDS = ("canvas_id", "sis_user_id", "sis_login_id")  # the roster's columns, in match order
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
BLACKBOARD_HEADER = ["Last Name", "First Name", "Username"]
# Canvas drops an assignment column whose header contains one of these (unanchored regex,
# strip_non_assignment_columns) or equals one of its student columns.
CANVAS_NOT_ASSIGNMENTS = (
    "Current Score", "Current Points", "Current Grade", "Final Score", "Final Points",
    "Final Grade", "Override Score", "Override Grade", "Override Status",
)  # fmt: skip
CANVAS_RESERVED = (
    "Student", "LastName", "FirstName", "ID", "SIS User ID", "SIS Login ID", "Section",
    "Integration ID", "Root Account",
)  # fmt: skip
# Canvas's decimal_comma_to_period converter rewrites a cell that matches this
_CANVAS_NUMBER = re.compile(r"^-?[0-9.,]+%?$")
MOODLE_LAST_DOWNLOADED = "Last downloaded from this course"  # needs a timestamp per row
MOODLE_MAX_GRADE = 100  # grades above it abort Moodle's import unless the site allows more


class Apart(NamedTuple):
    """A submission (or a roster student) that is not in the import, and why."""

    file: str  # "" for a roster student with nothing graded
    student: str
    assignment: str
    why: str


@dataclass(frozen=True)
class Gradebook:
    """What :func:`lms_gradebook` makes: the file to import and what was left out of it."""

    lms: str
    text: str  # the CSV to import (UTF-8, no byte order mark)
    apart: tuple[Apart, ...]  # not in the import, with the reasons
    students: int  # rows in the import
    columns: tuple[str, ...]  # the grade columns' headers, one per assignment
    notes: tuple[str, ...] = ()  # what to do in the LMS before or while importing

    def apart_csv(self) -> str:
        """The rows apart as CSV (file, student, assignment, why), safe to open in a
        spreadsheet."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["file", "student", "assignment", "why"])
        for row in self.apart:
            w.writerow([_text_cell(safe(c, 2000)) for c in row])
        return buf.getvalue()


def lms_gradebook(
    outcomes: Iterable,
    lms: str,
    *,
    roster: Roster | None = None,
    column: str | Mapping[str, str] | None = None,
    match: str | None = None,
) -> Gradebook:
    """A class run's outcomes as a gradebook ``lms`` imports (``canvas``, ``moodle``,
    ``blackboard``).

    ``outcomes``: reports, error rows, or their :class:`~cnncheck.report.csvout.Entry` rows.
    ``roster``: the class (required for Canvas). ``column``: the header of the grade column, as
    the LMS's own export writes it (Canvas ``HW4 (12345)``, Blackboard ``HW4 [Total Pts: 18
    Score] |664617``); with several assignments, a mapping from assignment id to header. Default:
    the assignment id. ``match``: for Moodle, the user field the file carries (``username``,
    ``idnumber`` or ``email``; default the first of these the roster has).

    Raises :class:`ValueError` for options the LMS cannot use: an unknown LMS, Canvas without a
    roster, a roster without the id column the LMS matches on, a header the LMS would misread.
    """
    lms = _lms_name(lms)
    entries = [o if isinstance(o, Entry) else gradebook_entry(o) for o in outcomes]
    field = _match_field(lms, roster, match)
    assignments = sorted({e.assignment for e in entries if e.assignment and not e.error})
    headers = _headers(lms, assignments, column)
    apart: list[Apart] = []

    # 1. each submission: whose it is, and whether its grade is final
    people: dict[str, Member | str] = {}  # key -> roster member, or the graded id
    order: list[str] = []
    graded: dict[tuple[str, str], list[Entry]] = {}
    for e in entries:
        if e.error:
            apart.append(Apart(e.path, "", "", f"could not be graded: {e.error}"))
            continue
        if not e.student:
            apart.append(Apart(e.path, "", e.assignment, "the file names no student (student:)"))
            continue
        member = roster.find(e.student) if roster is not None else None
        if roster is not None and member is None:
            apart.append(Apart(e.path, e.student, e.assignment, "not on the roster"))
            continue
        key = (member.id if member is not None else e.student).casefold()
        if key not in people:
            people[key] = member if member is not None else e.student
            order.append(key)
        graded.setdefault((key, e.assignment), []).append(e)

    totals: dict[str, set[float]] = {a: set() for a in assignments}
    final: dict[str, dict[str, str]] = {}  # key -> assignment -> the grade as written
    files: dict[str, list[tuple[str, str]]] = {}  # key -> (file, assignment) with a final grade
    for (key, aid), group in graded.items():
        name = _shown_id(people[key])
        if len(group) > 1:
            shown = ", ".join(e.path for e in group)
            for e in group:
                apart.append(
                    Apart(
                        e.path,
                        name,
                        aid,
                        f"graded {len(group)} times for {aid} ({shown}): none is imported; "
                        "keep the file that counts and grade it again",
                    )
                )
            continue
        (e,) = group
        grade, why = _final_grade(e)
        if why:
            apart.append(Apart(e.path, name, aid, why))
            continue
        totals[aid].add(float(e.max_score))
        final.setdefault(key, {})[aid] = grade
        files.setdefault(key, []).append((e.path, aid))

    # 2. each student with a final grade: the ids the LMS matches on, and a complete row
    if roster is not None:  # in the roster's order
        order = [k for k in dict.fromkeys(m.id.casefold() for m in roster.members) if k in people]
    rows: dict[str, list[str]] = {}
    for key in order:
        if key not in final:
            continue
        person = people[key]
        name = _shown_id(person)
        missing = [a for a in assignments if a not in final[key]]
        if missing:
            why = (
                f"no final grade for {', '.join(missing)} in this run, and a blank cell would "
                "clear the LMS's grade: import each assignment on its own (-a)"
            )
            apart.extend(Apart(f, name, a, why) for f, a in files[key])
            continue
        ids, why = _student_ids(lms, person, field)
        if why:
            apart.extend(Apart(f, name, a, why) for f, a in files[key])
            continue
        rows[key] = _student_row(lms, person, ids) + [final[key][a] for a in assignments]

    # 3. two rows with one LMS id would put one student's grades on the other
    for key, other in _shared_ids(lms, rows):
        why = (
            f"has the same LMS id as {_shown_id(people[other])} on the roster: "
            "the LMS cannot tell them apart"
        )
        apart.extend(Apart(f, _shown_id(people[key]), a, why) for f, a in files[key])
        rows.pop(key, None)

    # 4. roster students with nothing graded
    if roster is not None:
        for m in roster.members:
            key = m.id.casefold()
            for aid in assignments:
                if (key, aid) not in graded:
                    apart.append(
                        Apart("", _shown_id(m), aid, f"nothing graded for {aid} in this run")
                    )

    points = {a: max(totals[a]) if totals[a] else None for a in assignments}
    text = _write(lms, field, [headers[a] for a in assignments], points, list(rows.values()))
    notes = _notes(lms, field, assignments, headers, totals, roster)
    return Gradebook(
        lms, text, tuple(apart), len(rows), tuple(headers[a] for a in assignments), notes
    )


def check_lms_options(
    lms: str,
    *,
    roster: Roster | None = None,
    column: str | None = None,
    match: str | None = None,
) -> str:
    """The LMS's name, once the options are known to suit it: what :func:`lms_gradebook` would
    refuse before any file is graded (its :class:`ValueError`). A header's fit with the run's
    assignments is checked by :func:`lms_gradebook`."""
    lms = _lms_name(lms)
    _match_field(lms, roster, match)
    if isinstance(column, str):
        _check_header(lms, "the assignment", column.strip())
    return lms


# -- options -----------------------------------------------------------------------------------


def _lms_name(lms: str) -> str:
    name = str(lms).strip().lower()
    if name not in LMS_NAMES:
        close = difflib.get_close_matches(name, LMS_NAMES, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"unknown LMS {lms!r}{hint}: expected one of {', '.join(LMS_NAMES)}")
    return name


def _match_field(lms: str, roster: Roster | None, match: str | None) -> str:
    """The roster column the LMS matches students on (Canvas: all of CANVAS_IDS)."""
    if lms == "canvas":
        if match is not None:
            raise ValueError(
                "Canvas matches on canvas_id, sis_user_id and sis_login_id together: no match"
            )
        if roster is None:
            raise ValueError(
                "a Canvas gradebook needs a roster: Canvas matches students by canvas_id, "
                "sis_user_id or sis_login_id, which only the roster has"
            )
        if not any(c in roster.columns for c in CANVAS_IDS):
            raise ValueError(
                f"the roster {roster.path} has none of the columns Canvas matches students on: "
                + ", ".join(CANVAS_IDS)
            )
        return "canvas"
    if lms == "blackboard":
        if match not in (None, "username"):
            raise ValueError("Blackboard matches students by username only")
        field = "username"
    elif match is not None:
        if match not in MOODLE_FIELDS:
            raise ValueError(f"Moodle matches on {', '.join(MOODLE_FIELDS)}, not {match!r}")
        field = match
    elif roster is not None:
        field = next((f for f in MOODLE_FIELDS if f in roster.columns), "username")
    else:
        field = "username"
    if roster is not None and field not in roster.columns:
        raise ValueError(
            f"the roster {roster.path} has no {field} column: {lms.capitalize()} matches "
            f"students by {field}"
        )
    return field


def _headers(lms: str, assignments: list[str], column) -> dict[str, str]:
    """Each assignment's grade-column header: the instructor's, else the assignment id."""
    if column is None:
        given: dict[str, str] = {}
    elif isinstance(column, str):
        if len(assignments) != 1:
            raise ValueError(
                f"one column header was given and this run has {len(assignments)} assignments "
                f"({', '.join(assignments) or 'none graded'}): name one header per assignment"
            )
        given = {assignments[0]: column}
    else:
        given = dict(column)
        unknown = sorted(set(given) - set(assignments))
        if unknown:
            raise ValueError(
                f"a column header for {', '.join(unknown)}, which nothing in this run was "
                f"graded as (graded: {', '.join(assignments) or 'none'})"
            )
    headers = {a: given[a].strip() if a in given else a for a in assignments}
    seen: dict[str, str] = {}
    for aid, header in headers.items():
        _check_header(lms, aid, header)
        if header in seen:
            raise ValueError(f"{seen[header]} and {aid} have the same column header {header!r}")
        seen[header] = aid
    return headers


def _check_header(lms: str, aid: str, header: str) -> None:
    where = f"the column header {header!r} (for {aid})"
    if not header or not header.isprintable():
        raise ValueError(f"{where} is empty or has a control character")
    if header.startswith(FORMULA_START):
        raise ValueError(
            f"{where} starts with {header[0]!r}, which a spreadsheet runs as a formula: "
            "give another header"
        )
    if lms == "canvas":
        dropped = [p for p in CANVAS_NOT_ASSIGNMENTS if p in header]
        if dropped or header in CANVAS_RESERVED:
            raise ValueError(
                f"{where}: Canvas ignores a column named {(dropped or [header])[0]!r}, "
                "so its grades would not be imported: give another header"
            )
        if header.startswith("Points Possible"):
            raise ValueError(f"{where}: Canvas reads it as its Points Possible row")
    if lms == "moodle" and header == MOODLE_LAST_DOWNLOADED:
        raise ValueError(f"{where} is the column of Moodle's export time, not a grade")
    if lms != "canvas" and header in {*MOODLE_FIELDS.values(), "Name", *BLACKBOARD_HEADER}:
        raise ValueError(f"{where} is the name of a student column")


# -- grades --------------------------------------------------------------------------------------


def _final_grade(e: Entry) -> tuple[str, str]:
    """``(grade as written, "")``, or ``("", why)`` when the grade is not final or not usable."""
    try:
        pending = float(e.pending or 0)
        score, total = float(e.score), float(e.max_score)
    except ValueError:
        return "", f"no score to import ({e.score!r} of {e.max_score!r})"
    if pending > 0:
        return "", (
            f"{_number(pending)} points wait for a TA (cnncheck review, then grade --scores): "
            "the grade is not final"
        )
    if not (math.isfinite(score) and math.isfinite(total) and 0 <= score <= total + 1e-9):
        return "", f"the score {e.score} is outside 0 to {e.max_score}"
    return _number(score), ""


def _number(x: float) -> str:
    """A plain decimal every importer reads: ``11``, ``10.5``; no grouping, no exponent, at most
    4 decimals."""
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# -- students ------------------------------------------------------------------------------------


def _shown_id(person: Member | str) -> str:
    return person.id if isinstance(person, Member) else person


def _unusable(value: str) -> str:
    """Why an id cannot be written as it must be matched ("" if it can)."""
    if not value.isprintable():
        return "has a control character"
    if value.startswith(FORMULA_START):
        return (
            f"starts with {value[0]!r}: a spreadsheet would run it as a formula, and "
            "escaping it would stop the LMS matching it"
        )
    return ""


def _student_ids(lms: str, person: Member | str, field: str) -> tuple[list[str], str]:
    """The id cells of a student's row, or why the student cannot be matched."""
    if lms != "canvas":
        value = person.get(field) if isinstance(person, Member) else person
        if not value:
            return [], f"no {field} on the roster: {lms.capitalize()} matches students by it"
        why = _unusable(value)
        return ([value], "") if not why else ([], f"its {field} {why}")
    assert isinstance(person, Member)
    cells, problems = [], []
    for c in CANVAS_IDS:
        value = person.get(c)
        why = _unusable(value) if value else ""
        if value and not why and c == "canvas_id" and not value.isdigit():
            why = "is not a Canvas user id (digits)"  # Canvas reads "12ab" as user 12 (to_i)
        if value and not why and _canvas_converted(value) != value:
            why = f"would be read by Canvas as {_canvas_converted(value)!r}"
        if why:
            problems.append(f"its {c} {value!r} {why}")
        cells.append(value if value and not why else "")
    if not any(cells):
        return [], "; ".join(problems) or (
            "no canvas_id, sis_user_id or sis_login_id on the roster: Canvas matches by them"
        )
    name = safe(person.name, 500)
    if "Points Possible" in name:  # check_for_non_student_row: row[0].include?("Points Possible")
        return [], "its name contains 'Points Possible': Canvas would read the row as the points"
    return cells, ""


def _canvas_converted(value: str) -> str:
    """A cell after Canvas's decimal_comma_to_period converter (gradebook_importer.rb)."""
    if not _CANVAS_NUMBER.match(value):
        return value
    parts = re.split(r"[,.]", value)
    last = parts.pop()
    return last if not parts else "".join(parts) + "." + last


def _student_row(lms: str, person: Member | str, ids: list[str]) -> list[str]:
    member = person if isinstance(person, Member) else None
    name = _text_cell(safe(member.name, 500)) if member else ""
    if lms == "canvas":
        section = _text_cell(safe(member.get("section"), 500)) if member else ""
        return [name, *ids, section]
    if lms == "moodle":
        return [ids[0], name]
    first = _text_cell(safe(member.get("first_name"), 500)) if member else ""
    last = _text_cell(safe(member.get("last_name"), 500)) if member else ""
    return [last or (name if not first else ""), first, ids[0]]


def _shared_ids(lms: str, rows: dict[str, list[str]]) -> list[tuple[str, str]]:
    """``(key, other)`` for every row whose LMS id another row has too."""
    width = 3 if lms == "canvas" else 1
    start = {"canvas": 1, "moodle": 0, "blackboard": 2}[lms]
    owner: dict[tuple[int, str], str] = {}
    shared: list[tuple[str, str]] = []
    for key, row in rows.items():
        for i in range(start, start + width):
            value = row[i].casefold()
            if not value:
                continue
            other = owner.setdefault((i, value), key)
            if other != key:
                shared += [(key, other), (other, key)]
    return list(dict.fromkeys(shared))


def _text_cell(text: str) -> str:
    """Text a spreadsheet shows as text (OWASP's CSV injection advice): never an id or a
    number."""
    return "'" + text if text.startswith(FORMULA_START) else text


# -- the file ------------------------------------------------------------------------------------


def _write(lms: str, field: str, headers: list[str], points: dict, rows: list[list[str]]) -> str:
    buf = io.StringIO()
    if lms == "blackboard":  # "Data in each column of comma-delimited files ... must be ...
        w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")  # within a quote"
        w.writerow(BLACKBOARD_HEADER + headers)
    elif lms == "moodle":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([MOODLE_FIELDS[field], "Name"] + headers)
    else:
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(CANVAS_HEADER + headers)
        w.writerow(
            ["Points Possible", "", "", "", ""]
            + [_number(p) if p is not None else "" for p in points.values()]
        )
    w.writerows(rows)
    return buf.getvalue()


def _notes(lms, field, assignments, headers, totals, roster) -> tuple[str, ...]:
    notes: list[str] = []
    for aid in assignments:
        header = headers[aid]
        if len(totals[aid]) > 1:
            notes.append(
                f"{aid} is out of different totals in this run "
                f"({', '.join(_number(t) for t in sorted(totals[aid]))})"
            )
        if lms == "canvas" and not re.fullmatch(r"(.*)\s\((\d+)\)", header):
            notes.append(
                f"Canvas matches the column {header!r} to the assignment with exactly that "
                "title, or creates a new assignment: copy the header of an existing one "
                "(Title (id)) from Canvas's gradebook export to be sure"
            )
        if lms == "blackboard" and not re.search(r"\|\d+$", header):
            notes.append(
                f"Blackboard makes the column {header!r} a new text column worth 0 points: "
                "create the column first and copy its header (with |id) from a Grade Center "
                "download"
            )
        if lms == "moodle" and max(totals[aid], default=0) > MOODLE_MAX_GRADE:
            notes.append(
                f"{aid} is worth more than {MOODLE_MAX_GRADE} points: Moodle refuses such "
                "grades unless the site allows unlimited grades"
            )
    if lms == "moodle":
        notes.append(
            f"in Moodle's import form, map from {MOODLE_FIELDS[field]!r} to {field}, ignore "
            "Name, and map each grade column to its grade item"
            + ("" if roster is not None else f" (the graded ids are written as {field}s)")
        )
    return tuple(notes)
