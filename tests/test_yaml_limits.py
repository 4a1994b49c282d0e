"""The YAML boundary under hostile files: refused in bounded time and memory, in one located line.

Every file is generated here. Cases that used to crash the interpreter (libyaml's composer
recursing in C until the stack overflowed: exit -11) or to take gigabytes run in a subprocess,
under a 1 GiB address-space limit, so a crash or a blow-up fails the test instead of pytest.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cnncheck import yamlio
from cnncheck.cli import cli

ROOT = Path(__file__).resolve().parent.parent
BOUND_SECONDS = 20  # a hang detector, not a speed target: each case takes well under a second
GIB = 1 << 30


def _one_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line in its own process, limited to 1 GiB, timed."""
    started = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-m", "cnncheck", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        preexec_fn=_one_gib,
        timeout=BOUND_SECONDS,
        env={**os.environ, **(env or {})},
    )
    assert time.monotonic() - started < BOUND_SECONDS
    assert r.returncode >= 0, f"killed by signal {-r.returncode}: {r.stderr[-500:]}"
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr[-2000:]
    return r


def invoke(*args: str):
    started = time.monotonic()
    r = CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})
    assert time.monotonic() - started < BOUND_SECONDS
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


def refused(r, path: Path, message: str) -> None:
    """Exit code 2 and exactly one line: ``cnncheck: error: PATH[:LINE]: message``."""
    out = r.stderr if isinstance(r, subprocess.CompletedProcess) else r.output
    code = r.returncode if isinstance(r, subprocess.CompletedProcess) else r.exit_code
    assert code == 2, out[-1000:]
    assert out == f"cnncheck: error: {path}{message}\n", out[-1000:]


# ------------------------------------------------ 1, 2: deep nesting, refused before any recursion

N = 50_000  # levels: libyaml's composer overflowed the C stack from about 25,000
DEEP = {  # name -> (text, line and column of the first collection deeper than 64 levels)
    "flow sequences": ("answers:\n  q1: " + "[" * N + "]" * N + "\n", ":2:", 69),
    "flow mappings": ("answers:\n  q1: " + "{a: " * N + "1" + "}" * N + "\n", ":2:", 255),
    "block sequences on one line": ("answers:\n  q1:\n    " + "- " * N + "1\n", ":3:", 129),
    "block sequences by indentation": (
        "answers:\n  q1:\n" + "".join(" " * (i + 4) + "-\n" for i in range(200)),
        ":65:",
        67,
    ),
    "block mappings by indentation": (
        "answers:\n" + "".join(" " * (i + 2) + "a:\n" for i in range(200)),
        ":65:",
        66,
    ),
    "flow mixed": (
        "answers:\n  q1: " + "[{a: " * (N // 2) + "1" + "}]" * (N // 2) + "\n",
        ":2:",
        162,
    ),
    "complex keys of lists": ("? " + "[" * N + "]" * N + "\n", ":1:", 66),
    "complex keys of keys": ("? " * N + "a\n", ":1:", 129),
    "a top-level list": ("[" * N + "]" * N + "\n", ":1:", 65),
    "a top-level block list": ("- " * N + "1\n", ":1:", 129),
}


@pytest.mark.parametrize("form", sorted(DEEP))
def test_deep_nesting_refused_at_the_line_it_crosses(form, tmp_path):
    text, line, column = DEEP[form]
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    r = run("grade", str(path), "--format", "json")
    refused(r, path, f"{line} the YAML is nested more than 64 levels deep (column {column})")
    assert r.stdout == ""


def test_deep_bank_refused_by_check_bank_and_by_every_command(tmp_path):
    bank = tmp_path / "bank.yaml"
    bank.write_text("assignment: deep\nquestions:\n  - " + "[" * N + "]" * N + "\n")
    message = f"{bank}:3: the YAML is nested more than 64 levels deep (column 67)"
    r = run("check-bank", str(bank))
    assert r.returncode == 2
    assert r.stdout == f"{bank}:3: error: {message.split(': ', 1)[1]}\n1 error, 0 warnings\n"
    r = run("--bank", str(bank), "list")
    assert (
        r.returncode == 2
        and r.stderr == f"cnncheck: error: the question bank cannot be used: {message}\n"
    )
    r = run("list", env={"CNNCHECK_BANK": str(bank)})
    assert (
        r.returncode == 2
        and r.stderr == f"cnncheck: error: the question bank cannot be used: {message}\n"
    )


def test_deep_file_does_not_stop_the_class(tmp_path):
    (tmp_path / "a_deep.yaml").write_text("answers:\n  q1: " + "[" * N + "]" * N + "\n")
    (tmp_path / "b_good.yaml").write_text("answers:\n  q1: [[45, 45], [54, 54]]\n")
    r = run("grade", str(tmp_path), "--format", "csv")
    assert r.returncode == 2
    rows = r.stdout.splitlines()
    assert (
        rows[1].startswith(f"{tmp_path / 'a_deep.yaml'},")
        and "nested more than 64 levels deep" in rows[1]
    )
    assert rows[2].startswith(f"{tmp_path / 'b_good.yaml'},,cs577-hw4,1,")


def test_quadratic_scan_refused_in_milliseconds(tmp_path):
    # 20,000 open lists, then 479,000 numbers: libyaml's scanner walked every open level for each
    # token (112 s)
    path = tmp_path / "answers.yaml"
    path.write_text("answers:\n  q1: " + "[" * 20_000 + "1," * 479_000 + "]" * 20_000 + "\n")
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    r = run("grade", str(path), "--format", "json")
    assert time.monotonic() - started < 5
    refused(r, path, ":2: the YAML is nested more than 64 levels deep (column 69)")


def test_depth_limit_can_be_lowered_and_raised_safely(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("answers:\n  q1: " + "[" * 10 + "45" + "]" * 10 + "\n")
    refused(
        invoke("grade", str(path), "--limit", "depth=8"),
        path,
        ":2: the YAML is nested more than 8 levels deep (column 13)",
    )
    assert invoke("grade", str(path), "--limit", "depth=12", "--format", "json").exit_code == 1
    r = invoke(
        "grade", str(path), "--limit", "depth=1000000"
    )  # past what the loader can build safely
    assert r.exit_code == 2 and f"limit depth must be at most {yamlio.MAX_DEPTH}" in r.output
    path.write_text(
        "answers:\n  q1: " + "[" * N + "]" * N + "\n"
    )  # a library caller's limit is held to MAX_DEPTH
    deepest = yamlio.MAX_DEPTH
    with pytest.raises(
        yamlio.InputError,
        match=f"nested more than {deepest} levels deep \\(column {deepest + 5}\\)",
    ):
        yamlio.loads(path.read_text(), str(path), yamlio.Limits(depth=1_000_000))


def test_nesting_within_the_limit_is_read(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("answers:\n  q1: " + "[" * 62 + "45" + "]" * 62 + "\n  q7: [126, 126, 16]\n")
    r = invoke("grade", str(path), "--format", "json")
    assert r.exit_code == 1
    q = {q["id"]: q for q in json.loads(r.output)["questions"]}
    assert q["q7"]["status"] == "correct" and q["q1"]["status"] in ("incorrect", "invalid")


def test_nesting_bound_is_an_upper_bound():
    # the cheap count may only over-estimate: whenever it says "shallow", libyaml agrees
    banks = [p.read_text() for p in (ROOT / "questions").glob("*.yaml")]
    samples = [
        (ROOT / "answers.example.yaml").read_text(),
        *banks,
        "a:\n- b:\n  - c:\n    - d\n",
        "- - - - x\n",
        "? ? ? x\n",
        "[a: [b: [c: d]]]\n",
        '{"a":{"b":{"c":1}}}\n',
        "-\t-\t- x\n",
        "- \u2028- x\n",
        "[[[a]]]\n",
        "&a [*a]\n",
        "?\n?\n",
    ]
    for text in samples:
        try:
            events = list(yaml.parse(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError:
            continue
        depth = deepest = 0
        for e in events:
            depth += isinstance(e, yaml.CollectionStartEvent) - isinstance(
                e, yaml.CollectionEndEvent
            )
            deepest = max(deepest, depth)
        assert yamlio._nesting_bound(text, 0) >= deepest, text


# ------------------------------------------------------------ 3: merge keys (<<)


def doubling_nested(n: int) -> str:
    """Each mapping merges the previous one twice, defined inside it: 2**n pairs in a few hundred
    bytes."""
    s = "&a0 {k: 1}"
    for i in range(1, n + 1):
        s = f"&a{i} {{<<: [{s}, *a{i - 1}], k{i}: 1}}"
    return "x: " + s + "\nanswers: {q1: 45 45; 54 54}\n"


def doubling_flat(n: int) -> str:
    lines = ["a0: &a0 {k: 1}"]
    lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: 1}}" for i in range(1, n + 1)]
    return "\n".join(lines) + "\nanswers: {q1: 45 45; 54 54}\n"


@pytest.mark.parametrize(
    "n,message",
    [
        (
            26,
            ":1: merge keys (<<) expand to more than 200,000 values (column 125)",
        ),  # used to take 18 s and 1.4 GB
        (
            30,
            ":1: merge keys (<<) expand to more than 200,000 values (column 169)",
        ),  # used to run out of memory
        (60, ":1: the YAML is nested more than 64 levels deep (column 355)"),
    ],
)
def test_merge_bomb_refused_before_merging(n, message, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(doubling_nested(n))
    assert path.stat().st_size < 2_000
    refused(run("grade", str(path), "--format", "json"), path, message)


def test_merge_bomb_in_a_bank(tmp_path):
    bank = tmp_path / "bank.yaml"

    def as_bank(text: str) -> str:
        return "assignment: x\n" + text.replace("answers: {q1: 45 45; 54 54}", "questions: []")

    bank.write_text(as_bank(doubling_nested(30)))
    r = run("check-bank", str(bank))
    assert r.returncode == 2
    assert r.stdout.startswith(
        f"{bank}:2: error: merge keys (<<) expand to more than 2,000,000 values (column 136)\n"
    )
    bank.write_text(as_bank(doubling_flat(40)))
    r = run("check-bank", str(bank))
    assert r.returncode == 2 and "more than 100,000 alias uses (*name)" in r.stdout.splitlines()[0]


def test_flat_doubling_and_long_merge_chains(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(doubling_flat(30))
    refused(run("grade", str(path)), path, ":5: more than 1,000 alias uses (*name) (column 30)")
    lines = ["a0: &a0 {k: 1}"] + [f"a{i}: &a{i} {{<<: *a{i - 1}}}" for i in range(1, 5000)]
    path.write_text("\n".join(lines) + "\nanswers: {q1: 45 45; 54 54}\n")
    refused(run("grade", str(path)), path, ":1: more than 1,000 alias uses (*name) (column 13)")
    r = run(
        "grade", str(path), "--limit", "aliases=100000", "--format", "json"
    )  # a long chain, one merge at a time
    assert r.returncode == 1 and json.loads(r.stdout)["questions"][0]["status"] == "correct"
    nested = "{k: 1}"
    for _ in range(70):
        nested = "{<<: " + nested + "}"
    path.write_text("answers:\n  q1: " + nested + "\n")
    refused(
        run("grade", str(path)),
        path,
        ":2: the YAML is nested more than 64 levels deep (column 317)",
    )


def test_merge_chain_counts_as_depth():
    # merging recurses along a chain of mappings not merged yet: the chain is held to the depth
    # limit
    node = yaml.compose("m: " + "{<<: " * 8 + "{k: 1}" + "}" * 8 + "\n", Loader=yaml.SafeLoader)
    loader = yamlio._Loader("", yamlio.Limits(depth=5))
    with pytest.raises(
        yaml.MarkedYAMLError, match="merge keys \\(<<\\) are chained more than 5 levels deep"
    ):
        loader.construct_document(node)
    assert yamlio._Loader("", yamlio.Limits(depth=9)).construct_document(node) == {"m": {"k": 1}}


def test_merge_semantics_kept():
    doc = yamlio.loads(
        "base: &b {x: 1, y: 2}\nother: &o {y: 5, z: 6}\n"
        "m: {<<: *b, y: 3}\n"
        "n: {<<: [*b, *o], w: 0}\n"
        "p:\n  <<: *b\n  x: 9\n"
    )
    assert doc["m"] == {"x": 1, "y": 3}  # the mapping's own keys override merged ones
    assert doc["n"] == {
        "x": 1,
        "y": 2,
        "z": 6,
        "w": 0,
    }  # the first merged mapping wins over later ones
    assert doc["p"] == {"x": 9, "y": 2} and doc["p"].line_of("x") == 7
    with pytest.raises(
        yamlio.InputError, match=r":2: duplicate key 'y' \(first at line 2, again at line 2\)"
    ):
        yamlio.loads("b: &b {y: 1}\nm: {<<: *b, y: 2, y: 3}\n")
    with pytest.raises(
        yamlio.InputError, match=r":1: expected a mapping or list of mappings for merging"
    ):
        yamlio.loads("m: {<<: 3}\n")
    assert yamlio.loads("m: &m {<<: *m}\n") == {"m": {}}  # a mapping merged into itself: no loop


# ------------------------------------------------------------ 4: aliases of long strings


def test_alias_amplification_refused(tmp_path):
    # 14 KB: 990 uses of a 10,000-character string were read as 5 million numbers (43 s, 823 MB)
    path = tmp_path / "answers.yaml"
    numbers = " ".join(["1"] * 5000)
    path.write_text(f'x: &s "{numbers}"\nanswers: {{q1: [' + ", ".join(["*s"] * 990) + "]}\n")
    r = run("grade", str(path), "--format", "json")
    refused(r, path, ":2: the YAML holds more than 1,000,000 characters of text (aliases expanded)")
    r = run("--bank", str(path), "list")
    assert r.returncode == 2 and "question bank cannot be used" in r.stderr


def test_aliases_within_the_file_size_are_read(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("m: &m 45 45; 54 54\nanswers:\n  q1: *m\n  q3: *m\n")
    r = invoke("grade", str(path), "--format", "json")
    assert r.exit_code == 1
    q = {q["id"]: q for q in json.loads(r.output)["questions"]}
    assert (q["q1"]["status"], q["q3"]["status"]) == ("correct", "incorrect")
    text = f'x: &s "{"a" * 900}"\nanswers: {{q4: [' + ", ".join(["*s"] * 200) + "]}\n"
    assert len(yamlio.loads(text)["answers"]["q4"]) == 200  # 180,000 characters: under 1,000,000
    with pytest.raises(
        yamlio.InputError, match=r"^<input>:2: the YAML holds more than 100,000 characters of text"
    ):
        yamlio.loads(text, limits=yamlio.Limits(bytes=100_000))


def test_aliased_chains_are_measured_without_recursion():
    text = (
        "a0: &a0 [1]\n"
        + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 900))
        + "answers: {q1: *a899}\n"
    )
    with pytest.raises(
        yamlio.InputError,
        match=r"^<input>:64: the YAML is nested more than 64 levels deep \(aliases",
    ):
        yamlio.loads(text)


# ------------------------------------------------------------ 5: only regular files


@pytest.fixture
def fifo():
    folder = Path(tempfile.mkdtemp(prefix="cnncheck-"))
    path = folder / "answers.yaml"
    os.mkfifo(path)
    yield path
    path.unlink()
    folder.rmdir()


def test_fifo_refused_not_waited_on(fifo, tmp_path):
    r = run("grade", str(fifo), "--format", "json")  # used to wait for a writer forever
    refused(r, fifo, ": not a regular file: a FIFO (named pipe)")
    good = tmp_path / "good.yaml"
    good.write_text("answers:\n  q1: [[45, 45], [54, 54]]\n")
    r = run("grade", str(good), str(fifo), "--format", "csv")  # the other files are still graded
    assert r.returncode == 2
    rows = r.stdout.splitlines()
    assert rows[1].startswith(f"{good},,cs577-hw4,1,")
    assert rows[2].startswith(f"{fifo},") and rows[2].endswith(
        "not a regular file: a FIFO (named pipe)"
    )


def test_fifo_as_the_bank(fifo):
    want = (
        f"cnncheck: error: the question bank cannot be used: {fifo}: "
        f"not a regular file: a FIFO (named pipe)\n"
    )
    r = run("list", env={"CNNCHECK_BANK": str(fifo)})
    assert r.returncode == 2 and r.stderr == want
    r = run("--bank", str(fifo), "list")
    assert r.returncode == 2 and r.stderr == want
    r = run("check-bank", str(fifo))
    assert r.returncode == 2 and r.stdout.startswith(
        f"{fifo}: error: not a regular file: a FIFO (named pipe)\n"
    )


def test_devices_and_sockets_refused():
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)
    refused(
        invoke("grade", "/dev/zero"), Path("/dev/zero"), ": not a regular file: a character device"
    )
    folder = Path(
        tempfile.mkdtemp(prefix="cnncheck-")
    )  # a short path: sockets' names are limited to 108 bytes
    path = folder / "s.yaml"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        refused(invoke("grade", str(path)), path, ": not a regular file: a socket")
        with pytest.raises(yamlio.InputError, match="not a regular file: a socket"):
            yamlio.load_file(path)
    finally:
        server.close()
        path.unlink()
        folder.rmdir()


def test_huge_byte_limit_reads_only_the_file(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("answers:\n  q1: [[45, 45], [54, 54]]\n")
    r = invoke("grade", str(path), "--limit", "bytes=100000000000", "--format", "json")
    assert r.exit_code == 1 and json.loads(r.output)["questions"][0]["status"] == "correct"
    assert yamlio.load_file(path, yamlio.Limits(bytes=10**30))["answers"]["q1"] == [
        [45, 45],
        [54, 54],
    ]
    assert (
        yamlio.read_limited(path, 5) == b"answer"
    )  # one byte more than the limit says "too large"
    refused(invoke("grade", str(tmp_path / "none.yaml")), tmp_path / "none.yaml", ": no such file")
    with pytest.raises(yamlio.InputError, match="is a folder, not a file"):
        yamlio.load_file(tmp_path)


# ------------------------------------------------------------ 6, 7: numbers as people write them

NUMBERS = {  # scalar -> what it reads as (YAML 1.1 would say otherwise where marked)
    "4:20.0": "4:20.0",  # YAML 1.1: 260.0
    "2:08.0": "2:08.0",  # 128.0
    "-1:04.5": "-1:04.5",  # -64.5
    "1:30": "1:30",  # 90
    "190:20:30": "190:20:30",  # 685230
    "017": 17,  # 15
    "-017": -17,
    "1_000": 1000,
    "1_000.5": 1000.5,
    ".5": 0.5,
    "+12": 12,
    "+12.5": 12.5,
    "0b101": 5,
    "0x1A": 26,
    "-0x1A": -26,
    "0x_1A": 26,
    "1.0e+3": 1000.0,
    "1__0": "1__0",  # 10
    "1_": "1_",  # 1
    "1._5": "1._5",  # 1.5
    "._5": "._5",  # 0.5
    "1e-3": "1e-3",  # a string in YAML 1.1 too
    "0o17": "0o17",
    "!!float 4:20.0": "4:20.0",
    "!!int 1:30": "1:30",
    "!!float abc": "abc",
    "!!timestamp 2024-13-45": "2024-13-45",
}


@pytest.mark.parametrize("scalar", sorted(NUMBERS))
def test_numbers_read_as_written(scalar):
    got = yamlio.loads(f"v: {scalar}\n")["v"]
    want = NUMBERS[scalar]
    assert got == want and type(got) is type(want), (got, want)
    if isinstance(want, str):  # kept as written: a string, so held to the string limit
        shorter = yamlio.Limits(string=len(want) - 1)
        with pytest.raises(
            yamlio.InputError, match=f"^<input>:1: a string is longer than {shorter.string} "
        ):
            yamlio.loads(f"v: {scalar}\n", limits=shorter)


def test_base_60_floats_are_not_graded_as_numbers(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("answers:\n  q1: 4:20.0\n  q7: [2:08.0, 1:04.0, 1:04.0]\n")
    r = invoke("grade", str(path), "--format", "json")
    assert r.exit_code == 1
    q = {q["id"]: q for q in json.loads(r.output)["questions"]}
    assert q["q1"]["status"] == "invalid" and "got '4:20.0'" in q["q1"]["message"]
    assert q["q7"]["status"] == "invalid" and "got '2:08.0'" in q["q7"]["message"]


@pytest.mark.parametrize(
    "prefix,digit", [("0x", "f"), ("-0x", "F"), ("0b", "1"), ("0", "7"), ("", "9"), ("+0x", "a")]
)
def test_huge_integers_stay_text(prefix, digit, tmp_path):
    text = prefix + digit * 5000
    value = yamlio.loads(f"v: {text}\nw: !!int {text}\n")
    assert value == {"v": text, "w": text}
    short = prefix + digit * (yamlio.MAX_INT_TEXT - len(prefix))
    number = yamlio.loads(f"v: {short}\n")["v"]
    assert isinstance(number, int) and len(str(number)) < 4300
    with pytest.raises(
        yamlio.InputError, match=r"^<input>:1: a string is longer than 10,000 characters"
    ):
        yamlio.loads(f"v: {prefix}{digit * 10_001}\n")  # kept as text, so held to the string limit
    path = tmp_path / "answers.yaml"
    path.write_text(f"answers:\n  q1: {text}\n  q7: [126, 126, 16]\n")
    r = invoke(
        "grade", str(path), "--format", "json"
    )  # the whole run stopped: "internal error: ValueError"
    assert r.exit_code == 1
    q = {q["id"]: q for q in json.loads(r.output)["questions"]}
    assert q["q1"]["status"] == "invalid" and q["q7"]["status"] == "correct"
    r = invoke("grade", str(path), "--format", "table")
    assert r.exit_code == 1 and "internal error" not in r.output


def test_huge_integer_as_the_student(tmp_path):
    path = tmp_path / "answers.yaml"
    name = "0x" + "f" * 150
    path.write_text(f"student: {name}\nanswers:\n  q1: 45 45; 54 54\n")
    r = invoke("grade", str(path), "--format", "json")
    assert r.exit_code == 1 and json.loads(r.output)["student"] == name
    path.write_text("student: 0x" + "f" * 5000 + "\nanswers:\n  q1: 45 45; 54 54\n")
    refused(invoke("grade", str(path)), path, ":1: student: must be a name of 1 to 200 characters")
