"""A class run always finishes with a row per file: hostile files among good ones, dead and stalled
workers, Ctrl-C and SIGTERM, and output paths that must not be destroyed.

Hostile files are generated here (none is committed); runs that could crash go through a subprocess,
so a crash fails the test instead of ending pytest.
"""

from __future__ import annotations

import csv
import faulthandler
import io
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncheck import batch
from cnncheck.bank import load_bank
from cnncheck.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOOD = "student: {name}\nanswers:\n  q7: 126x126x16\n  q8: 63x63x16\n  q3: 24 24; 20 20\n"
GOOD_SCORE = 3  # q3, q7 and q8 of cs577-hw4, one point each
BOUND = 120  # seconds for a whole class run: a hang detector, not a speed target


def hostile_files() -> dict[bytes, bytes]:
    """File name -> content: each one of the ways a single file used to crash, hang or stop a
    class."""
    deep = b"[" * 50_000 + b"]" * 50_000
    bomb = [b"a0: &a0 {k: 1}"] + [
        b"a%d: &a%d {<<: [*a%d, *a%d], k%d: 1}" % (i, i, i - 1, i - 1, i) for i in range(1, 27)
    ]
    many = " ".join(["1"] * 5_000).encode()
    return {
        b"h-deep.yaml": b"answers:\n  q1: " + deep + b"\n",
        b"h-deep-block.yaml": b"answers:\n  q1: " + b"- " * 30_000 + b"1\n",
        b"h-quadratic.yaml": b"answers:\n  q1: "
        + b"[" * 20_000
        + b"1," * 479_000
        + b"]" * 20_000
        + b"\n",
        b"h-merge-bomb.yaml": b"\n".join(bomb) + b"\nanswers:\n  q1: 1\n",
        b"h-aliases.yaml": b'x: &s "'
        + many
        + b'"\nanswers:\n  q1: ['
        + b", ".join([b"*s"] * 990)
        + b"]\n",
        b"h-hex.yaml": b"student: 0x"
        + b"f" * 5_000
        + b"\nanswers:\n  q7: 0x"
        + b"f" * 5_000
        + b"\n",
        b"h-brackets.yaml": b'answers:\n  q1: "' + b"[" * 900 + b"1" + b"]" * 900 + b'"\n',
        b"h-brackets65.yaml": b'answers:\n  q1: "' + b"[" * 65 + b"1" + b"]" * 65 + b'"\n',
        b"h-bigint-pool.yaml": b"answers:\n  q3: [[" + b"9" * 400 + b", 24], [20, 20]]\n",
        b"h-base60.yaml": b"answers:\n  q7: [2:06.0, 2:06.0, 16]\n  q8: 4:20.0\n",
        b"h-nul.yaml": b"answers:\n  q1: \x00\n",
        b"h-caf\xe9.yaml": GOOD.format(name="latin1-name").encode(),
        b"=HYPERLINK(1).yaml": (
            b'student: "=HYPERLINK(\\"http://x.invalid\\")"\nanswers:\n  q7: 126x126x16\n'
        ),
        b"h-\x1b[31mred.yaml": b'student: "\\e[2J"\nanswers:\n  q8: 63x63x16\n',
    }


def make_class(root: Path, good: int) -> tuple[list[str], list[bytes]]:
    root.mkdir()
    names = [f"good-{i:04d}" for i in range(good)]
    for name in names:
        (root / f"{name}.yaml").write_text(GOOD.format(name=name))
    for name, data in hostile_files().items():
        with open(os.path.join(os.fsencode(root), name), "wb") as f:
            f.write(data)
    return names, list(hostile_files())


def cnncheck(*args, timeout=BOUND, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cnncheck", *map(str, args)],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "100", "PYTHONPATH": str(ROOT)},
        **kw,
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_hostile_files_among_a_class_keep_every_good_row_in_every_format(tmp_path, jobs):
    # enough files for the workers to start with -j 2 (batch.PARALLEL_FROM)
    names, hostile = make_class(tmp_path / "class", batch.PARALLEL_FROM + 5 if jobs == 2 else 20)
    folder = tmp_path / "class"
    outputs = {}
    for fmt in ("json", "csv", "junit", "table", "github"):
        out = tmp_path / f"report.{fmt}"
        started = time.monotonic()
        r = cnncheck("grade", folder, "--format", fmt, "-j", jobs, "-o", out)
        assert time.monotonic() - started < BOUND
        assert r.returncode == 2, (
            fmt,
            r.returncode,
            r.stderr[-2000:],
        )  # 2: some files cannot be used
        # each file that cannot be used is one line on stderr too; the report has its row
        said = r.stderr.decode().splitlines()
        assert (
            out.exists() and said and all(line.startswith("cnncheck: error: ") for line in said)
        ), said
        text = out.read_text(encoding="utf-8")  # valid UTF-8 whatever the file names were
        assert "\x1b" not in text and "Traceback" not in text
        outputs[fmt] = text
    rows = {Path(row["file"]).name: row for row in json.loads(outputs["json"])}
    assert len(rows) == len(names) + len(hostile)
    for name in names:
        assert (
            rows[f"{name}.yaml"]["score"] == GOOD_SCORE and rows[f"{name}.yaml"]["student"] == name
        )
    assert rows["h-caf\\udce9.yaml"]["score"] == GOOD_SCORE  # read, graded, and shown escaped
    errors = {name for name, row in rows.items() if "error" in row}
    # `q1: - - - ...` is not YAML inside one answer: that answer is invalid, the rest graded
    deep_block = {q["id"]: q for q in rows["h-deep-block.yaml"]["questions"]}
    assert deep_block["q1"]["status"] == "invalid" and "YAML cannot read" in str(deep_block["q1"])
    assert {
        "h-deep.yaml",
        "h-quadratic.yaml",
        "h-merge-bomb.yaml",
        "h-aliases.yaml",
        "h-nul.yaml",
    } <= errors
    assert len(said) == len(errors)
    for name in ("h-brackets.yaml", "h-brackets65.yaml", "h-bigint-pool.yaml", "h-base60.yaml"):
        assert "internal error" not in json.dumps(rows[name]), rows[name]
    gradebook = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert len(gradebook) == len(names) + len(hostile)
    for row in gradebook:
        for cell in row.values():
            assert (
                cell[:1] not in ("=", "+", "-", "@") or cell.lstrip("-").replace(".", "").isdigit()
            ), row
    suites = ET.fromstring(outputs["junit"]).findall("testsuite")
    assert len(suites) == len(names) + len(hostile)
    for name in names:
        assert f"{name}.yaml" in outputs["table"] and f"{name}.yaml" in outputs["junit"]
    assert f"{len(names) + len(hostile)} submissions" in outputs["table"]


def test_a_fifo_named_among_files_is_an_error_row(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD.format(name="ada"))
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    for args in ([good, fifo], [tmp_path]):  # named, or found in a folder
        r = cnncheck("grade", *args, "--format", "json", timeout=30)
        rows = {Path(row["file"]).name: row for row in json.loads(r.stdout)}
        assert r.returncode == 2 and rows["good.yaml"]["score"] == GOOD_SCORE
        assert rows["pipe.yaml"]["error"] == "not a regular file: a FIFO (named pipe)"
    assert rows["gone.yaml"]["error"] == "no such file"


# ------------------------------------------------------------ workers that die or stall


def _class(tmp_path: Path, n: int) -> list[str]:
    for i in range(n):
        (tmp_path / f"s{i:04d}.yaml").write_text(GOOD.format(name=f"s{i}"))
    return batch.submission_files([str(tmp_path)])


@pytest.mark.parametrize("how", ["segfault", "exit", "stall"])
def test_a_worker_that_dies_or_stalls_makes_one_error_row(tmp_path, monkeypatch, how):
    files = _class(tmp_path, batch.PARALLEL_FROM + 40)
    victim = files[77]
    real = batch.grade_file

    def grade_file(bank, path, **kw):  # runs in the forked workers
        if path == victim:
            if how == "segfault":
                faulthandler.disable()  # pytest's: no dump of this deliberate crash
                os.kill(os.getpid(), signal.SIGSEGV)
            elif how == "exit":
                os._exit(3)
            else:
                time.sleep(600)
        return real(bank, path, **kw)

    monkeypatch.setattr(batch, "grade_file", grade_file)
    monkeypatch.setattr(batch, "FILE_SECONDS", 2)
    started = time.monotonic()
    outcomes = batch.grade_files(load_bank(), files, jobs=2)
    assert time.monotonic() - started < BOUND
    assert [getattr(o, "path") for o in outcomes] == files  # a row per file, in order
    errors = [o for o in outcomes if isinstance(o, batch.FileError)]
    assert [e.path for e in errors] == [victim]
    assert (
        errors[0].message
        == "cnncheck could not grade this file: "
        + {
            "segfault": "the process grading it was killed (SIGSEGV)",
            "exit": "the process grading it stopped (exit code 3)",
            "stall": "grading it took longer than 2 s; it was stopped",
        }[how]
    )
    assert all(o.score == GOOD_SCORE for o in outcomes if o is not errors[0])


def test_worker_outcomes_equal_serial_ones_with_a_renderer(tmp_path):
    from functools import partial

    from cnncheck.report.render import json_line

    files = _class(tmp_path, batch.PARALLEL_FROM + 3)
    render = partial(json_line, memo={})
    serial = list(batch.iter_outcomes(load_bank(), files, jobs=1, render=render))
    parallel = list(batch.iter_outcomes(load_bank(), files, jobs=2, render=render))
    assert [text for _, text in parallel] == [text for _, text in serial]
    assert [t.score for t, _ in parallel] == [GOOD_SCORE] * len(files)


def test_outcomes_come_one_at_a_time(tmp_path, monkeypatch):
    # the table is streamed: the first report is out before the second file is read
    files = _class(tmp_path, 3)
    read = []
    real = batch.load_submission
    monkeypatch.setattr(
        batch, "load_submission", lambda path, limits: read.append(path) or real(path, limits)
    )
    first = next(batch.iter_outcomes(load_bank(), files, jobs=1))
    assert first.path == files[0] and read == files[:1]


def test_one_answer_that_breaks_the_grader_leaves_the_others_graded(monkeypatch):
    import cnncheck.grading as grading

    real = grading.grade_answer

    def grade_answer(q, raw, *where):
        if q.id == "q7":
            raise ZeroDivisionError("a bug")
        return real(q, raw, *where)

    monkeypatch.setattr(grading, "grade_answer", grade_answer)
    r = CliRunner().invoke(cli, ["grade", str(ROOT / "answers.example.yaml"), "--format", "json"])
    got = {q["id"]: q for q in json.loads(r.output)["questions"]}
    assert r.exit_code == 1 and got["q7"]["status"] == "invalid"
    assert got["q7"]["message"].startswith(
        "cnncheck could not grade this answer (internal error: ZeroDivisionError"
    )
    assert [got[q]["status"] for q in ("q1", "q2", "q8")] == ["correct", "correct", "incorrect"]


# ------------------------------------------------------------ Ctrl-C and SIGTERM


def _group(pgid: int) -> list[int]:
    """The processes of a process group (Linux's /proc: the fifth field of each stat line)."""
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[2]) == pgid:
                out.append(int(pid))
    return out


@pytest.mark.parametrize(
    "signum, code, word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_interrupting_a_parallel_run_stops_every_process(tmp_path, signum, code, word):
    _class(tmp_path, 1500)
    # a terminal's Ctrl-C reaches the whole process group; SIGTERM (a CI runner's cancel) the
    # parent only
    p = subprocess.Popen(
        [sys.executable, "-m", "cnncheck", "grade", str(tmp_path), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # the workers are grading: the run's process group holds the parent and its workers (waited
    # for, not timed, so a fast machine cannot finish the class before the signal)
    deadline = time.monotonic() + 60
    while len(_group(p.pid)) < 3 and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    assert p.poll() is None and len(_group(p.pid)) >= 3
    if signum == signal.SIGINT:
        os.killpg(p.pid, signum)
    else:
        os.kill(p.pid, signum)
    _, err = p.communicate(timeout=30)
    assert p.returncode == code and err.decode() == f"cnncheck: error: {word}\n"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(p.pid, 0)  # any process left in its group: an orphaned worker
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("workers were left running")


# ------------------------------------------------------------ options that would destroy or mislead


def test_outputs_that_would_destroy_an_input_are_refused(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(GOOD.format(name="ada"))
    before = answers.read_bytes()
    link = tmp_path / "report.json"
    link.symlink_to(answers)
    for args, message in [
        (["-o", answers], f"-o {answers} is one of the answer files being graded"),
        (["--csv", link], f"--csv {link} is one of the answer files being graded"),
        (
            ["-o", tmp_path / "x.csv", "--csv", tmp_path / "x.csv"],
            "-o and --csv name the same file",
        ),
        (["--csv", ""], "Invalid value for --csv: needs a file name"),
        (["-o", " "], "Invalid value for -o: needs a file name"),
        (["--fail-under", "nan"], "nan is not a percentage from 0 to 100"),
    ]:
        r = CliRunner().invoke(cli, ["grade", str(answers), *map(str, args)])
        assert r.exit_code == 2 and message in r.output, (args, r.output)
    assert answers.read_bytes() == before and not (tmp_path / "x.csv").exists()


def test_csv_and_report_through_links_to_the_same_file_are_refused(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(GOOD.format(name="ada"))
    link = tmp_path / "grades.csv"
    link.symlink_to(tmp_path / "report.txt")  # dangling: both would end up in report.txt
    r = CliRunner().invoke(
        cli, ["grade", str(answers), "--csv", str(link), "-o", str(tmp_path / "report.txt")]
    )
    assert r.exit_code == 2 and "-o and --csv name the same file" in r.output


def test_a_missing_output_folder_is_refused_before_grading(tmp_path, monkeypatch):
    graded = []
    monkeypatch.setattr(batch, "grade_file", lambda *a, **k: graded.append(a) or None)
    r = CliRunner().invoke(
        cli, ["grade", str(ROOT / "answers.example.yaml"), "--csv", str(tmp_path / "no" / "g.csv")]
    )
    assert r.exit_code == 2 and graded == []
    assert r.output == (
        f"cnncheck: error: {tmp_path / 'no' / 'g.csv'}: cannot write: No such file or directory\n"
    )


def test_table_and_gradebook_of_a_class_are_both_streamed(tmp_path):
    files = _class(tmp_path, 5)
    (tmp_path / "broken.yaml").write_text("answers: [\n")
    csv_path = tmp_path.parent / f"{tmp_path.name}.csv"
    r = CliRunner().invoke(
        cli, ["grade", str(tmp_path), "--csv", str(csv_path)], env={"COLUMNS": "100"}
    )
    assert (
        r.exit_code == 2 and "6 submissions: 0 with full marks, 5 below, 1 unreadable" in r.stdout
    )
    rows = list(csv.DictReader(csv_path.open()))
    assert [Path(row["file"]).name for row in rows] == ["broken.yaml"] + [
        Path(f).name for f in files
    ]
    assert [row["total"] for row in rows] == [""] + [str(GOOD_SCORE)] * 5 and rows[0]["error"]
    # the same gradebook as a run that renders no table
    again = tmp_path.parent / f"{tmp_path.name}-2.csv"
    CliRunner().invoke(cli, ["grade", str(tmp_path), "--csv", str(again), "--format", "junit"])
    assert again.read_text() == csv_path.read_text()


def test_report_to_dev_stdout_through_a_pipe_and_a_reader_that_stops(tmp_path):
    files = _class(tmp_path, 30)
    shell = f"{sys.executable} -m cnncheck grade {files[0]} --format json -o /dev/stdout | cat"
    r = subprocess.run(
        ["bash", "-c", shell], capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert json.loads(r.stdout)["score"] == GOOD_SCORE and r.stderr == b""
    # `| head -1`: the rest of the report has nowhere to go; no error, no traceback
    shell = (
        f'{sys.executable} -m cnncheck grade {tmp_path} | head -1; echo "${{PIPESTATUS[0]}}" >&2'
    )
    r = subprocess.run(
        ["bash", "-c", shell],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=BOUND,
    )
    assert r.stdout.count(b"\n") == 1 and r.stderr == b"141\n"


def test_sigterm_while_the_parent_grades_alone(tmp_path):
    # -j 1 and --summary: no workers, the parent grades and gathers; SIGTERM still ends in one line
    (tmp_path / "class").mkdir()
    _class(tmp_path / "class", 300)
    started = tmp_path / "started"
    slow = (
        "import time, cnncheck.batch as b; real = b.grade_file\n"
        "def grade_file(*a, **k):\n"
        f"    open({str(started)!r}, 'a').close(); time.sleep(0.05); return real(*a, **k)\n"
        "b.grade_file = grade_file\nfrom cnncheck.cli import main; main()"
    )
    p = subprocess.Popen(
        [sys.executable, "-c", slow, "grade", str(tmp_path / "class"), "--summary", "-j", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists() and p.poll() is None
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 143 and err.decode() == "cnncheck: error: terminated\n"
