"""Gradebook exports for Canvas, Moodle and Blackboard Learn, read back by each LMS's importer.

Each importer is re-implemented here from its own source or documentation, step by step, with
the file or page it comes from:

* Canvas: ``instructure/canvas-lms`` ``lib/gradebook_importer.rb`` (delimiter detection, the
  ``decimal_comma_to_period`` converter, ``header?`` / ``update_column_count``, the Points
  Possible row, ``process_student``'s matching order, ``process_submissions``) and
  ``app/models/assignment.rb`` (``title_and_id``, ``interpret_grade``).
* Moodle: ``moodle/moodle`` ``lib/csvlib.class.php`` (``csv_import_reader::load_csv_content``)
  and ``grade/import/csv/classes/load_data.php`` (``check_user_exists``, the abort on an
  unknown user, ``update_grade_item``, the maximum-grade check); MDL-50650's Behat feature for
  the item's own minimum and maximum.
* Blackboard Learn: its "Uploading External Grade Center Items" page (library.blackboard.com):
  the Username is the student's key, a column ID ties a column to an existing one, comma files
  quote every field; the Release 7 manual for unknown usernames.

The course is described once, as the LMS holds it (``PEOPLE``). The roster is what a TA
exported from it, with the gaps and the mistakes TAs make; the importers look students up in
the course, not in the roster. The points each file earns come from the answer files: the
example makes 11 of cs577-hw4's 18 points (its comments list what it gets wrong), the
full-marks file all 18.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml

from cnncheck.bank import load_bank
from cnncheck.batch import grade_files, iter_outcomes
from cnncheck.report.csvout import Entry, gradebook_entry
from cnncheck.report.lms import check_lms_options, lms_gradebook
from cnncheck.roster import read_roster

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "answers.example.yaml").read_text(encoding="utf-8")  # 11 of 18
FULL = (ROOT / "tests" / "data" / "full_marks.yaml").read_text(encoding="utf-8")  # 18 of 18
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection list

# The course as the LMS holds it. canvas: Canvas user id, SIS user id, login (SIS Login ID);
# moodle: user id; username, idnumber and email are Moodle's and Blackboard's user fields.
PEOPLE = {
    "alice": dict(
        canvas=101, sis="U0042", login="alice", moodle=1001, idnumber="0042",
        email="alice@uni.test", name='=HYPERLINK("http://x.test/?a=1,2","Alice")',
    ),
    "bjorn": dict(
        canvas=102, sis="U0043", login="bjorn", moodle=1002, idnumber="0043",
        email="bjorn@uni.test", name='Ødegård, Bjørn "BJ"',
    ),
    "chen": dict(
        canvas=103, sis="U0044", login="chen", moodle=1003, idnumber="0044",
        email="chen@uni.test", name="陈凯; Chen; Kai",
    ),
    "dana": dict(
        canvas=104, sis="U0045", login="dana", moodle=1004, idnumber="0045",
        email="dana@uni.test", name="Dana Diaz",
    ),
    "eve": dict(
        canvas=105, sis="U0046", login="eve", moodle=1005, idnumber="0046",
        email="eve@uni.test", name="Eve",
    ),
    "frank": dict(
        canvas=106, sis="U0047", login="frank", moodle=1006, idnumber="0047",
        email="frank@uni.test", name="Frank",
    ),
    "gus": dict(
        canvas=107, sis="U0048", login="-gus", moodle=1007, idnumber="0048",
        email="gus@uni.test", name="Gus",
    ),
    "hal": dict(
        canvas=108, sis="U0049", login="hal", moodle=1008, idnumber="0049",
        email="hal@uni.test", name="Points Possible, Hal",
    ),
}  # fmt: skip
for _who, _p in PEOPLE.items():
    _p["username"] = _who

# The roster a TA wrote from the LMS's export. chen has only a login; dana only an e-mail
# address; gus's canvas_id was mistyped (Canvas reads "101x" as user 101, alice: String#to_i)
# and his login starts with "-"; mallory is not on it.
ROSTER = [
    ["id", "name", "email", "section", "sis_user_id", "sis_login_id", "canvas_id", "username"],
    ["alice", PEOPLE["alice"]["name"], "alice@uni.test", "=S1", "U0042", "alice", "101", "alice"],
    ["bjorn", PEOPLE["bjorn"]["name"], "bjorn@uni.test", "S1", "U0043", "bjorn", "102", "bjorn"],
    ["chen", PEOPLE["chen"]["name"], "chen@uni.test", "S2", "", "chen", "", "chen"],
    ["dana", "Dana Diaz", "dana@uni.test", "S2", "", "", "", ""],
    ["eve", "Eve", "eve@uni.test", "S2", "U0046", "eve", "105", "eve"],
    ["frank", "Frank", "frank@uni.test", "S2", "U0047", "frank", "106", "frank"],
    ["gus", "Gus", "gus@uni.test", "S2", "", "-gus", "101x", "gus"],
    ["hal", "Points Possible, Hal", "hal@uni.test", "S2", "U0049", "hal", "108", "hal"],
]

# The submissions: bjorn wrote his e-mail address, eve handed in twice, mallory is nobody's.
FILES = {
    "alice.yaml": EXAMPLE.replace("student: jdoe", "student: alice"),
    "bjorn.yaml": FULL.replace("student: ada", "student: bjorn@uni.test"),
    "chen.yaml": EXAMPLE.replace("student: jdoe", "student: chen"),
    "dana.yaml": EXAMPLE.replace("student: jdoe", "student: dana"),
    "eve-1.yaml": EXAMPLE.replace("student: jdoe", "student: eve"),
    "eve-2.yaml": FULL.replace("student: ada", "student: eve"),
    "gus.yaml": EXAMPLE.replace("student: jdoe", "student: gus"),
    "hal.yaml": EXAMPLE.replace("student: jdoe", "student: hal"),
    "mallory.yaml": EXAMPLE.replace("student: jdoe", "student: mallory"),
    "broken.yaml": "assignment: cs577-hw4\nstudent: zed\nanswers: [q1, {\n",
}
assert all("student: jdoe" not in t and "student: ada" not in t for t in FILES.values())
HW4 = "cs577-hw4"


def write_roster(tmp_path, rows=ROSTER):
    path = tmp_path / "roster.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return read_roster(path)


def write_class(tmp_path, files=FILES) -> list[str]:
    d = tmp_path / "class"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return [str(d / name) for name in sorted(files)]


@pytest.fixture
def course(tmp_path):
    """The class graded with the roster (ids mapped: bjorn's address is graded as bjorn)."""
    roster = write_roster(tmp_path)
    files = write_class(tmp_path)
    outcomes = list(iter_outcomes(load_bank(), files, roster=roster, jobs=1))
    return outcomes, roster


def apart_of(gradebook) -> dict:
    return {(Path(a.file).name, a.student, a.assignment): a.why for a in gradebook.apart}


# -- Canvas: lib/gradebook_importer.rb ----------------------------------------------------------


class InvalidHeaderRow(Exception):
    pass


class Malformed(Exception):
    pass


def ruby_csv_line(line: str, sep: str) -> list:
    """One line as Ruby's CSV parses it: an unquoted empty field is nil (None), a quoted one "";
    a quote inside an unquoted field, or text after a closing quote, is CSV::MalformedCSVError.
    (process_pp assigns a cell "if row[...]": nil leaves the points alone, "" would not.)"""
    fields: list = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':
            j, buf = i + 1, []
            while True:
                k = line.find('"', j)
                if k < 0:
                    raise Malformed("unclosed quoted field")
                buf.append(line[j:k])
                if line[k + 1 : k + 2] == '"':
                    buf.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            fields.append("".join(buf))
            if i < n and line[i] != sep:
                raise Malformed("any value after quoted field isn't allowed")
        else:
            k = line.find(sep, i)
            raw = line[i:] if k < 0 else line[i:k]
            if '"' in raw:
                raise Malformed("illegal quoting")
            fields.append(raw or None)
            i = n if k < 0 else k
        if i >= n:
            return fields
        i += 1
        if i == n:
            fields.append(None)
            return fields


def canvas_delimiter(lines: list[str]) -> str:
    """identify_delimiter on the first 3 lines: a separator counts only if every line has the same
    number of fields with it; ";" wins only with more fields than ","."""
    counts = {}
    for sep in (";", ","):
        counts[sep] = 0
        try:
            sizes = [len(ruby_csv_line(line.rstrip("\r\n"), sep)) for line in lines]
        except Malformed:
            continue
        if len(set(sizes)) == 1:
            counts[sep] = sizes[0]
    return ";" if counts[";"] > counts[","] else ","


def decimal_comma_to_period(field):
    """CSV::Converters[:decimal_comma_to_period], applied to every cell."""
    if field is None or not re.match(r"^-?[0-9.,]+%?$", field):
        return field
    parts = re.split(r"[,.]", field)
    last = parts.pop()
    return last if not parts else "".join(parts) + "." + last


def canvas_student_columns(row: list) -> dict:
    """header? with row_has_student_headers? and update_column_count (no custom columns, the
    LastName/FirstName layout off): the student columns, or InvalidHeaderRow."""
    cell = [c or "" for c in row]
    if not (len(row) > 3 and "Student" in cell[0] and "ID" in cell[1]):
        raise InvalidHeaderRow(row)
    if cell[0] == "LastName" and cell[1] == "FirstName":
        raise InvalidHeaderRow("LastName/FirstName is off by default")
    info = {"student_columns": 3, "sis_user": None, "sis_login": None}
    n = 3
    if re.search(r"SIS\s+Login\s+ID", cell[n - 1]):
        info.update(sis_login=n - 1, student_columns=4)
    elif re.search(r"SIS\s+User\s+ID", cell[n - 1]) and re.search(
        r"SIS\s+Login\s+ID", cell[n] if n < len(cell) else ""
    ):
        i = 1 if n + 1 < len(cell) and re.search(r"Integration\s+ID", cell[n + 1]) else 0
        info.update(sis_user=n - 1, sis_login=n, student_columns=3 + 2 + i)
    if "Section" not in cell[info["student_columns"] - 1]:
        raise InvalidHeaderRow("the last student column is not Section")
    return info


NON_ASSIGNMENT = re.compile(
    "Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|"
    "Override Score|Override Grade|Override Status"
)


def ruby_to_i(text: str) -> int:
    m = re.match(r"\s*([+-]?\d+)", text)
    return int(m.group(1)) if m else 0


def interpret_grade(grade: str | None):
    """Assignment#interpret_grade for a points assignment without a grading scheme."""
    grade = grade or ""
    if re.fullmatch(r"[+-]?\d*\.?\d+%", grade):
        return ("percent", float(grade[:-1]))
    if re.fullmatch(r"[+-]?\d*\.?\d+", grade):
        return float(grade)
    return None


def canvas_import(text: str, course: dict) -> dict:
    """What Canvas's importer makes of the file, for a course of ``PEOPLE`` and ``assignments``
    ({id: title})."""
    assert not text.startswith("\ufeff")
    lines = text.splitlines(keepends=True)
    sep = canvas_delimiter(lines[:3])
    rows = []
    for line in lines:
        line = line.rstrip("\r\n")
        if re.fullmatch(r"[;, ]+", line):  # skip_lines: /^[;, ]+$/
            continue
        rows.append([decimal_comma_to_period(c) for c in ruby_csv_line(line, sep)])
    header, *body = rows
    info = canvas_student_columns(header)
    kept = [h for h in header[info["student_columns"] :] if not NON_ASSIGNMENT.search(h)]
    columns = {}
    for name in kept:  # parse_assignments, with Assignment.title_and_id
        m = re.fullmatch(r"(.*)\s\((\d+)\)", name)
        title, aid = (m.group(1), int(m.group(2))) if m else (name, None)
        if aid not in course["assignments"]:
            aid = next((i for i, t in course["assignments"].items() if t == name), None)
        columns[name] = {"index": header.index(name), "id": aid, "title": title}
    result = {"sep": sep, "columns": columns, "points": {}, "grades": {}, "new_students": []}
    by_id = {p["canvas"]: who for who, p in PEOPLE.items()}
    by_sis = {p["sis"]: who for who, p in PEOPLE.items()}
    by_login = {p["login"]: who for who, p in PEOPLE.items()}
    for row in body:
        if row[0] is not None and "Points Possible" in row[0]:  # process_pp
            for name, c in columns.items():
                if row[c["index"]] is not None:
                    result["points"][name] = row[c["index"]]
            continue
        if all(re.fullmatch(r"\s*(Muted|Manual Posting.*)?\s*", c, re.I) for c in row if c):
            continue
        who, how = None, None  # process_student: ID, then SIS User ID, then SIS Login ID, name
        if (row[1] or "").strip():
            who, how = by_id.get(ruby_to_i(row[1])), "ID"
        if who is None and info["sis_user"] is not None and (row[info["sis_user"]] or "").strip():
            who, how = by_sis.get(row[info["sis_user"]]), "SIS User ID"
        if who is None and info["sis_login"] is not None and (row[info["sis_login"]] or "").strip():
            who, how = by_login.get(row[info["sis_login"]]), "SIS Login ID"
        if who is None:
            who = next((w for w, p in PEOPLE.items() if p["name"] == row[0]), None)
            how = "name"
        if who is None:
            result["new_students"].append(row[0])
            continue
        assert who not in result["grades"], f"{who} has two rows"
        result["grades"][who] = {
            name: interpret_grade((row[c["index"]] or "").strip()) for name, c in columns.items()
        }
        result["grades"][who]["matched by"] = how
    return result


CANVAS_COURSE = {"assignments": {12345: "HW4", 12346: "HW2"}}


def test_the_canvas_importer_here_rejects_what_canvas_rejects():
    # gradebook_importer.rb: SIS User ID without SIS Login ID right after it leaves "SIS User
    # ID" as the last student column, which does not contain "Section"
    with pytest.raises(InvalidHeaderRow):
        canvas_student_columns(["Student", "ID", "SIS User ID", "Section", "HW4"])
    with pytest.raises(InvalidHeaderRow):
        canvas_student_columns(["Name", "ID", "Section", "HW4"])
    assert canvas_student_columns(["Student", "ID", "Section", "HW4"])["student_columns"] == 3
    # the converter's documented trap: a thousands separator without decimals
    assert decimal_comma_to_period("1,234") == "1.234"
    assert decimal_comma_to_period("10,5") == "10.5"
    # interpret_grade: "10." and "'85" are not numbers (nil: no score)
    assert interpret_grade("10.") is None and interpret_grade("'85") is None
    assert ruby_to_i("101x") == 101 and ruby_to_i("abc") == 0


def test_canvas_imports_each_student_matched_by_their_ids(course):
    outcomes, roster = course
    g = lms_gradebook(outcomes, "canvas", roster=roster)
    got = canvas_import(g.text, CANVAS_COURSE)
    assert got["sep"] == ","
    assert list(got["columns"]) == [HW4]
    assert got["columns"][HW4]["id"] is None  # no such title: Canvas creates the assignment
    assert got["points"] == {HW4: "18"}  # the Points Possible row sets its points
    assert got["new_students"] == []
    assert got["grades"] == {
        "alice": {HW4: 11.0, "matched by": "ID"},
        "bjorn": {HW4: 18.0, "matched by": "ID"},
        "chen": {HW4: 11.0, "matched by": "SIS Login ID"},
    }
    assert g.students == 3 and g.columns == (HW4,)
    assert any("creates a new assignment" in n for n in g.notes)
    apart = apart_of(g)
    assert "no canvas_id, sis_user_id or sis_login_id" in apart[("dana.yaml", "dana", HW4)]
    why = apart[("gus.yaml", "gus", HW4)]
    assert "canvas_id '101x' is not a Canvas user id" in why
    assert "sis_login_id '-gus' starts with '-'" in why
    assert "Points Possible" in apart[("hal.yaml", "hal", HW4)]
    assert_common_apart(apart)


def assert_common_apart(apart: dict) -> None:
    """What every LMS's export leaves out, whatever it matches students on."""
    assert apart[("mallory.yaml", "mallory", HW4)] == "not on the roster"
    for f in ("eve-1.yaml", "eve-2.yaml"):
        assert apart[(f, "eve", HW4)].startswith("graded 2 times for cs577-hw4")
        assert "none is imported" in apart[(f, "eve", HW4)]
    (broken,) = [v for (f, _, _), v in apart.items() if f == "broken.yaml"]
    assert broken.startswith("could not be graded: ") and "broken.yaml" in broken
    assert apart[("", "frank", HW4)] == "nothing graded for cs577-hw4 in this run"


def test_canvas_uses_the_instructors_header_and_several_assignments(tmp_path):
    roster = write_roster(tmp_path)
    hw2 = "assignment: cs577-hw2\nstudent: {}\nanswers:\n  q1: 75000100\n  q2: 260\n  q6: 5\n"
    # hw2, by hand: 500·500·3·100 + 100 = 75,000,100 and 10·5·5 + 10 = 260 parameters; a 3×3
    # convolution then a 3×3 pooling at stride 1 see 3 + 2 = 5 inputs; q7, q10a, q10b missing:
    # 3 of its 6 points
    files = write_class(
        tmp_path,
        {
            "alice.yaml": FILES["alice.yaml"],
            "alice-hw2.yaml": hw2.format("alice"),
            "bjorn.yaml": FILES["bjorn.yaml"],
            "chen-hw2.yaml": hw2.format("chen"),
            "chen.yaml": FILES["chen.yaml"],
        },
    )
    outcomes = grade_files(load_bank(), files, jobs=1)  # graded without the roster
    columns = {HW4: "HW4 (12345)", "cs577-hw2": "HW2"}
    g = lms_gradebook(outcomes, "canvas", roster=roster, column=columns)
    got = canvas_import(g.text, CANVAS_COURSE)
    assert {n: c["id"] for n, c in got["columns"].items()} == {"HW2": 12346, "HW4 (12345)": 12345}
    assert got["points"] == {"HW2": "6", "HW4 (12345)": "18"}
    assert got["grades"] == {
        "alice": {"HW2": 3.0, "HW4 (12345)": 11.0, "matched by": "ID"},
        "chen": {"HW2": 3.0, "HW4 (12345)": 11.0, "matched by": "SIS Login ID"},
    }
    # bjorn has no hw2: a blank cell would replace his Canvas grade, so his row is left out
    why = apart_of(g)[("bjorn.yaml", "bjorn", HW4)]
    assert why.startswith("no final grade for cs577-hw2 in this run")
    assert not any("new assignment" in n for n in g.notes if "12345" in n)


def test_canvas_refuses_what_it_cannot_import(course, tmp_path):
    outcomes, roster = course
    with pytest.raises(ValueError, match="needs a roster"):
        lms_gradebook(outcomes, "canvas")
    # strip_non_assignment_columns drops any header containing "Final Grade" (unanchored)
    with pytest.raises(ValueError, match="Canvas ignores a column named 'Final Grade'"):
        lms_gradebook(outcomes, "canvas", roster=roster, column="Final Grade Project (13)")
    with pytest.raises(ValueError, match="runs as a formula"):
        lms_gradebook(outcomes, "canvas", roster=roster, column="=HW4")
    with pytest.raises(ValueError, match="did you mean canvas"):
        lms_gradebook(outcomes, "canva", roster=roster)
    two = grade_files(
        load_bank(),
        write_class(
            tmp_path, {"a.yaml": EXAMPLE, "b.yaml": "assignment: cs577-hw2\nanswers:\n  q1: 5\n"}
        ),
    )
    with pytest.raises(ValueError, match="one column header was given and this run has 2"):
        lms_gradebook(two, "canvas", roster=roster, column="HW4 (12345)")
    bare = write_roster(tmp_path, [["id", "name"], ["alice", "Alice"]])
    with pytest.raises(ValueError, match="none of the columns Canvas matches"):
        lms_gradebook(outcomes, "canvas", roster=bare)


def test_two_roster_rows_with_one_lms_id_are_both_left_out(tmp_path):
    rows = [r[:] for r in ROSTER]
    rows[2][4] = "U0042"  # bjorn's SIS user id typed as alice's (roster.py checks no SIS ids)
    roster = write_roster(tmp_path, rows)
    outcomes = grade_files(load_bank(), write_class(tmp_path), jobs=1)
    g = lms_gradebook(outcomes, "canvas", roster=roster)
    got = canvas_import(g.text, CANVAS_COURSE)
    assert set(got["grades"]) == {"chen"}
    apart = apart_of(g)
    assert "same LMS id as bjorn" in apart[("alice.yaml", "alice", HW4)]
    assert "same LMS id as alice" in apart[("bjorn.yaml", "bjorn", HW4)]


def test_numbers_are_plain_decimals_every_importer_reads():
    # the scores Canvas would misread: a thousands separator, a long fraction, a whole number
    cases = {"1234.5": 1234.5, "0.333333": 0.3333, "7": 7.0, "0": 0.0, "12.5": 12.5}
    entries = [
        Entry(f"f{i}.yaml", f"s{i}", "big", (), frozenset(), {}, score, "2000", "", "0")
        for i, score in enumerate(cases)
    ]
    for lms in ("moodle", "blackboard"):
        g = lms_gradebook(entries, lms)
        grades = [r[-1] for r in csv.reader(io.StringIO(g.text))][1:]
        assert [float(x) for x in grades] == list(cases.values())
        for x in grades:
            assert decimal_comma_to_period(x) == x and interpret_grade(x) == float(x)
            assert re.fullmatch(r"\d+(\.\d+)?", x)


# -- Moodle: grade/import/csv -------------------------------------------------------------------


class MoodleAbort(Exception):
    """cleanup_import: "Import failed. No data was imported." and the reason."""


def moodle_import(text, users, mapfrom, mapto, mapping, items, gradepointmax=100):
    """What Moodle's CSV grade import does with the file: mapped by the teacher (``mapfrom``:
    the identifier column's header, ``mapto``: the user field, ``mapping``: header -> grade
    item), into ``items`` ({item: (min, max)}). Returns {user id: {item: grade}}."""
    content = text.removeprefix("\ufeff")  # core_text::trim_utf8_bom
    content = re.sub(r"\r\n?", "\n", content)  # "Fix mac/dos newlines"
    rows = [r for r in csv.reader(io.StringIO(content), delimiter=",") if r != []]
    header = [h.strip() for h in rows[0]]
    for r in rows:  # "check to make sure that the data columns match up with the headers"
        if len(r) != len(header):
            raise MoodleAbort("csvweirdcolumns")
    assert "Last downloaded from this course" not in header  # needs a timestamp on every row
    field = {"username": "username", "useridnumber": "idnumber", "useremail": "email"}[mapto]
    grades = {}
    for line in rows[1:]:
        if len(line) <= 1:  # "There is no data on this line, move on."
            continue
        value = line[header.index(mapfrom)]
        # check_user_exists: the whole user table; newer Moodle compares email and username
        # without regard to case and refuses a value two users share
        fold = field in ("email", "username")
        found = [
            u for u in users if (u[field].lower() == value.lower() if fold else u[field] == value)
        ]
        if len(found) != 1:
            raise MoodleAbort(f'User mapping error: Could not find user with {field} "{value}"')
        userid = found[0]["id"]
        for head, item in mapping.items():
            cell = line[header.index(head)]
            if cell == "" or cell == "-":  # update_grade_item: "No grade."
                grades.setdefault(userid, {})[item] = None
                continue
            # unformat_float($value, true) with "." as the decimal point (its source was not
            # available to compare with: a plain decimal is what it certainly accepts)
            if not re.fullmatch(r"-?\d*\.?\d+", cell.strip()):
                raise MoodleAbort("badgrade")
            x = float(cell)
            if x > gradepointmax:  # load_data.php: gradevaluetoobig
                raise MoodleAbort(f"larger than the allowed grade maximum of {gradepointmax}")
            low, high = items[item]  # MDL-50650 (grade_import.feature)
            if x > high or x < low:
                raise MoodleAbort(f"outside the item's range {low} to {high}")
            grades.setdefault(userid, {})[item] = x
    return grades


MOODLE_USERS = [
    {"id": p["moodle"], "username": p["username"], "idnumber": p["idnumber"], "email": p["email"]}
    for p in PEOPLE.values()
]


def moodle_id(who: str) -> int:
    return PEOPLE[who]["moodle"]


def test_the_moodle_importer_here_aborts_where_moodle_does():
    users, items = MOODLE_USERS, {"hw": (0, 18)}
    ok = "Username,hw\r\nalice,11\r\n"
    assert moodle_import(ok, users, "Username", "username", {"hw": "hw"}, items) == {
        1001: {"hw": 11.0}
    }
    for text, reason in [
        ("Username,hw\r\nalice,11\r\nmallory,3\r\n", "User mapping error"),
        ("Username,hw\r\nalice,11,\r\n", "csvweirdcolumns"),
        ("Username,hw\r\nalice,'11\r\n", "badgrade"),
        ("Username,hw\r\nalice,19\r\n", "outside the item's range"),
    ]:
        with pytest.raises(MoodleAbort, match=reason):
            moodle_import(text, users, "Username", "username", {"hw": "hw"}, items)


def test_moodle_imports_only_students_it_can_find(course):
    outcomes, roster = course
    g = lms_gradebook(outcomes, "moodle", roster=roster)  # username: the roster's first field
    header = next(csv.reader(io.StringIO(g.text)))
    assert header == ["Username", "Name", HW4]
    got = moodle_import(
        g.text, MOODLE_USERS, "Username", "username", {HW4: "hw4"}, {"hw4": (0, 18)}
    )
    assert got == {
        moodle_id("alice"): {"hw4": 11.0},
        moodle_id("bjorn"): {"hw4": 18.0},
        moodle_id("chen"): {"hw4": 11.0},
        moodle_id("gus"): {"hw4": 11.0},
        moodle_id("hal"): {"hw4": 11.0},
    }
    assert any("map from 'Username' to username" in n for n in g.notes)
    apart = apart_of(g)
    assert apart[("dana.yaml", "dana", HW4)].startswith("no username on the roster")
    assert_common_apart(apart)
    # matched by e-mail address, dana (who has one) is in, and nobody else changes
    g = lms_gradebook(outcomes, "moodle", roster=roster, match="email")
    assert next(csv.reader(io.StringIO(g.text)))[0] == "Email address"
    got = moodle_import(
        g.text, MOODLE_USERS, "Email address", "useremail", {HW4: "hw4"}, {"hw4": (0, 18)}
    )
    assert got[moodle_id("dana")] == {"hw4": 11.0} and len(got) == 6


def test_moodle_without_a_roster_writes_the_graded_ids(tmp_path):
    files = write_class(tmp_path)
    outcomes = grade_files(load_bank(), files, jobs=1)
    g = lms_gradebook(outcomes, "moodle")
    ids = [r[0] for r in csv.reader(io.StringIO(g.text))][1:]
    # as written in the files; bjorn's e-mail address is not his username
    assert ids == ["alice", "bjorn@uni.test", "chen", "dana", "gus", "hal", "mallory"]
    # ...so Moodle refuses the file as a whole: the reason to export with the roster
    with pytest.raises(MoodleAbort, match="User mapping error"):
        moodle_import(g.text, MOODLE_USERS, "Username", "username", {HW4: "h"}, {"h": (0, 18)})
    apart = apart_of(g)
    assert apart[("eve-1.yaml", "eve", HW4)].startswith("graded 2 times")
    assert not any(k[0] == "" for k in apart)  # no roster: nobody is known to be missing


# -- Blackboard Learn: Grade Center upload --------------------------------------------------------


def blackboard_upload(text, usernames, columns):
    """The Grade Center upload: ``columns`` {column id: title} exist; returns the grades by
    username and column, the usernames not processed, and the new columns."""
    for line in text.splitlines():
        # "Data in each column of comma-delimited files (file extension of .csv) must be
        # contained within a quote character"
        assert re.fullmatch(r'"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*', line), line
    header, *rows = list(csv.reader(io.StringIO(text)))
    # "The unique identifier used for each Student is the Student's User Name."
    user = header.index("Username")
    existing, new = {}, []
    for i, h in enumerate(header):
        m = re.search(r"\|(\d+)$", h)  # "a Column ID number" ties the column to an existing one
        if m and int(m.group(1)) in columns:
            existing[i] = int(m.group(1))
        elif h not in ("Last Name", "First Name", "Username"):
            new.append(h)  # "Columns that do not have Column ID numbers ... create new columns"
    grades, skipped = {}, []
    for r in rows:
        assert len(r) == len(header)
        # Release 7: "The Gradebook Upload will fail if the user name for each row of data is not
        # present"; "will not process the data for any Username that is not enrolled"
        assert r[user], "the upload fails"
        if r[user] not in usernames:
            skipped.append(r[user])
            continue
        grades[r[user]] = {columns[c]: float(r[i]) for i, c in existing.items()}
    return grades, skipped, new


def test_blackboard_uploads_into_the_instructors_column(course):
    outcomes, roster = course
    header = "HW4 [Total Pts: 18 Score] |664617"
    g = lms_gradebook(outcomes, "blackboard", roster=roster, column=header)
    grades, skipped, new = blackboard_upload(g.text, set(PEOPLE), {664617: "HW4"})
    assert (skipped, new) == ([], [])
    assert grades == {w: {"HW4": 18.0 if w == "bjorn" else 11.0} for w in grades}
    assert set(grades) == {"alice", "bjorn", "chen", "gus", "hal"}
    assert not g.notes
    apart = apart_of(g)
    assert apart[("dana.yaml", "dana", HW4)].startswith("no username on the roster")
    assert_common_apart(apart)
    # without the column's id, Blackboard makes a new (text, 0-point) column: said in a note
    g = lms_gradebook(outcomes, "blackboard", roster=roster)
    assert blackboard_upload(g.text, set(PEOPLE), {664617: "HW4"})[2] == [HW4]
    assert any("new text column worth 0 points" in n for n in g.notes)


# -- what every export shares ---------------------------------------------------------------------


@pytest.mark.parametrize("lms", ["canvas", "moodle", "blackboard"])
def test_cells_are_safe_in_a_spreadsheet_and_exact_for_the_lms(course, lms):
    outcomes, roster = course
    g = lms_gradebook(outcomes, lms, roster=roster)
    assert g.text.encode("utf-8").decode("utf-8") == g.text and not g.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(g.text)))
    assert len({len(r) for r in rows}) == 1  # Moodle: csvweirdcolumns otherwise
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA), cell  # nothing runs as a formula
        assert not row[-1].startswith("'") and re.fullmatch(r"\d+(\.\d+)?", row[-1])
    names = [r[{"canvas": 0, "moodle": 1, "blackboard": 0}[lms]] for r in rows]
    # the hostile names come back whole once the spreadsheet's text prefix is removed
    assert "'" + PEOPLE["alice"]["name"] in names
    assert PEOPLE["bjorn"]["name"] in names and PEOPLE["chen"]["name"] in names
    for row in csv.reader(io.StringIO(g.apart_csv())):
        assert not any(c.startswith(FORMULA) for c in row)


def test_streamed_entries_give_the_same_gradebook(course):
    outcomes, roster = course
    entries = [gradebook_entry(o) for o in outcomes]
    for lms in ("canvas", "moodle", "blackboard"):
        assert lms_gradebook(entries, lms, roster=roster) == lms_gradebook(
            outcomes, lms, roster=roster
        )


@pytest.fixture
def review_bank(tmp_path):
    """The built-in cs577-hw4 and q13, a question in words without a rubric: its answers wait
    for a TA (status manual), so the assignment is out of 21."""
    doc = yaml.safe_load((ROOT / "questions" / "cs577-hw4.yaml").read_text(encoding="utf-8"))
    doc["questions"]["q13"] = {"kind": "text", "points": 3, "prompt": "What was hard?"}
    (tmp_path / "bank.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return load_bank(tmp_path / "bank.yaml")


@pytest.mark.parametrize("lms", ["canvas", "moodle", "blackboard"])
def test_a_grade_waiting_for_a_ta_is_not_imported(tmp_path, review_bank, lms):
    roster = write_roster(tmp_path)
    files = write_class(
        tmp_path,
        {
            "alice.yaml": FILES["alice.yaml"],  # no q13: missing, 0 of 3, final at 11 of 21
            "bjorn.yaml": FILES["bjorn.yaml"] + "  q13: Dilation, and the gaps in the taps.\n",
        },
    )
    outcomes = grade_files(review_bank, files, jobs=1)
    g = lms_gradebook(outcomes, lms, roster=roster)
    apart = apart_of(g)
    assert apart[("bjorn.yaml", "bjorn", HW4)].startswith("3 points wait for a TA")
    if lms == "canvas":
        got = canvas_import(g.text, CANVAS_COURSE)
        assert got["points"] == {HW4: "21"}
        assert got["grades"] == {"alice": {HW4: 11.0, "matched by": "ID"}}
    elif lms == "moodle":
        got = moodle_import(
            g.text, MOODLE_USERS, "Username", "username", {HW4: "h"}, {"h": (0, 21)}
        )
        assert got == {moodle_id("alice"): {"h": 11.0}}  # bjorn's grade is not cleared
    else:
        assert blackboard_upload(g.text, set(PEOPLE), {})[2] == [HW4]
        assert [r[2] for r in csv.reader(io.StringIO(g.text))] == ["Username", "alice"]


def test_options_are_checked_before_a_class_is_graded(tmp_path):
    roster = write_roster(tmp_path)
    assert check_lms_options("Canvas", roster=roster, column="HW4 (12345)") == "canvas"
    assert check_lms_options("moodle", match="idnumber") == "moodle"
    for lms, kwargs, message in [
        ("canvas", {}, "needs a roster"),
        ("canvas", {"roster": roster, "column": "Current Score"}, "Canvas ignores"),
        ("moodle", {"match": "github"}, "Moodle matches on username, idnumber, email"),
        ("blackboard", {"column": "@HW4"}, "runs as a formula"),
        ("sakai", {}, "unknown LMS 'sakai'"),
    ]:
        with pytest.raises(ValueError, match=message):
            check_lms_options(lms, **kwargs)
    bare = write_roster(tmp_path, [["id", "name"], ["alice", "Alice"]])
    with pytest.raises(ValueError, match="has no idnumber column"):
        check_lms_options("moodle", roster=bare, match="idnumber")


def test_the_command_line_writes_the_import_and_the_rows_left_out(tmp_path):
    """``grade CLASS --roster R --lms canvas --csv F``: F is what Canvas's importer reads, and
    F's .apart.csv lists every submission it leaves out, with the reason."""
    from click.testing import CliRunner

    from cnncheck.cli import cli

    write_roster(tmp_path)
    write_class(tmp_path)
    book = tmp_path / "canvas.csv"
    r = CliRunner().invoke(
        cli,
        ["grade", str(tmp_path / "class"), "--roster", str(tmp_path / "roster.csv"),
         "--lms", "canvas", "--csv", str(book), "--format", "json"],
    )  # fmt: skip
    assert r.exit_code == 2, r.output  # an unreadable file is in the class
    got = canvas_import(book.read_text(encoding="utf-8"), CANVAS_COURSE)
    assert set(got["grades"]) == {"alice", "bjorn", "chen"}
    apart = list(csv.DictReader(io.StringIO((tmp_path / "canvas.apart.csv").read_text())))
    assert {Path(a["file"]).name for a in apart} >= {"dana.yaml", "gus.yaml"}
    assert "3 students for Canvas" in r.stderr
    r = CliRunner().invoke(cli, ["grade", str(tmp_path / "class"), "--lms", "canvas"])
    assert r.exit_code == 2 and "give --csv FILE" in r.output
    r = CliRunner().invoke(
        cli, ["grade", str(tmp_path / "class"), "--lms-match", "email", "--csv", str(book)]
    )
    assert r.exit_code == 2 and "go with --lms" in r.output
