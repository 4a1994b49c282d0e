"""Fuzzing answer files: whatever arrives ends in a report or a clean error, in bounded time.

Two generators: structured documents (random trees of mappings, lists, numbers,
strings, dates, and answer-shaped values: matrices, shapes, counts) dumped as
YAML, and byte-level mutations of real answer files. Each document goes
through the real command line, in a table and as JSON.

The suite runs a bounded share (CNNCHECK_FUZZ_EXAMPLES examples per
generator, 150 by default, the same ones every run); set the variable higher
for a long run, which then explores new examples each time.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnncheck.cli import cli

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("CNNCHECK_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=N,
    deadline=None,
    derandomize="CNNCHECK_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=list(HealthCheck),
    database=None,
)
QIDS = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12"]
BOUND_SECONDS = 20  # a hang, not a speed target: a document normally takes milliseconds
_DIR = Path(tempfile.mkdtemp(prefix="cnncheck-fuzz-"))


def check_document(data: bytes) -> None:
    """The properties every answer file must have, whatever its bytes."""
    path = _DIR / "answers.yaml"
    path.write_bytes(data)
    for fmt in ("json", "table"):
        started = time.monotonic()
        r = CliRunner().invoke(cli, ["grade", str(path), "--format", fmt], env={"COLUMNS": "100"})
        assert time.monotonic() - started < BOUND_SECONDS
        assert r.exit_code in (0, 1, 2), (r.exit_code, r.output, data[:200])
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        out = r.output
        assert "internal error" not in out and "Traceback" not in out, (out, data[:300])
        assert "\x1b" not in out
        if r.exit_code == 2:
            assert out.startswith(f"cnncheck: error: {path}") and out.count("\n") == 1, out
        elif fmt == "json":
            report = json.loads(out)
            assert [q["id"] for q in report["questions"]] == QIDS
            assert report["max_score"] == 18 and 0 <= report["score"] <= 18


# ------------------------------------------------------------ structured documents

numbers = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-9, 60),
)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.text(max_size=40),
    st.dates(),
    st.sampled_from(
        [
            "126x126x16",
            "63 x 63 x 16",
            "45 45; 54 54",
            "75,000,100",
            "−7",
            "1e-3",
            "4/9",
            "1/0",
            "[[45, 45], [54, 54]]",
            "[bold]x[/]",
            "\x1b[31m",
            "R",
            "nan",
            ".inf",
            "1:30",
        ]
    ),
)
matrices = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(numbers, min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)
shapes = st.lists(st.integers(-5, 300), min_size=0, max_size=5).map(lambda s: "x".join(map(str, s)))
answers_values = st.one_of(
    matrices,
    shapes,
    leaves,
    st.dictionaries(st.sampled_from(["R", "G", "B", "r", "X"]), matrices, max_size=4),
)
trees = st.recursive(
    leaves,
    lambda kids: st.one_of(
        st.lists(kids, max_size=6),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), kids, max_size=5),
    ),
    max_leaves=40,
)
documents = st.one_of(
    trees,
    st.fixed_dictionaries(
        {
            "answers": st.dictionaries(
                st.one_of(st.sampled_from(QIDS + ["Q1", "q99", "answers"]), st.text(max_size=6)),
                st.one_of(answers_values, trees),
                max_size=8,
            )
        },
        optional={
            "student": trees,
            "assignment": st.one_of(st.sampled_from(["cs577-hw4", "cs577-hw2", "nope"]), trees),
            "extra": trees,
        },
    ),
)


@SETTINGS
@given(doc=documents, flow=st.booleans(), unicode=st.booleans())
def test_fuzz_structured_documents(doc, flow, unicode):
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=unicode, sort_keys=False)
    data = text.encode("utf-8")
    if isinstance(doc, dict) and doc.get("assignment") == "cs577-hw2":
        data = data.replace(b"cs577-hw2", b"cs577-hw4")  # keep the six questions the checks expect
    check_document(data)


# ------------------------------------------------------------ byte-level mutations

SEEDS = [
    (ROOT / "answers.example.yaml").read_bytes(),
    b"student: jdoe\nanswers:\n  q1: [[45, 45], [54, 54]]\n"
    b"  q2: |\n    18 27 27 18\n    30 45 45 30\n"
    b"  q3: 24 24; 20 20\n  q7: 126x126x16\n  q8: 63x63x16\n"
    b"  q11: {R: [[1, 1], [1, 1]], G: '2 2; 2 2', B: [[2, 2], [4, 4]]}\n",
    b"a0: &a [1, 2]\nanswers:\n  q1: *a\n  q7: !!str 126x126x16\n  q8: [63, 63, 16]\n",
]
mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "repeat"]),
    st.integers(0, 10_000),
    st.binary(min_size=1, max_size=8),
    st.integers(1, 64),
)


def mutate(seed: bytes, edits) -> bytes:
    data = bytearray(seed)
    for op, pos, chunk, length in edits:
        pos = pos % (len(data) + 1)
        if op == "insert":
            data[pos:pos] = chunk
        elif op == "delete":
            del data[pos : pos + length]
        elif op == "replace":
            data[pos : pos + len(chunk)] = chunk
        else:
            data[pos:pos] = data[pos : pos + length] * 3
    return bytes(data)


@SETTINGS
@given(seed=st.sampled_from(SEEDS), edits=st.lists(mutation, min_size=1, max_size=6))
def test_fuzz_byte_mutations(seed, edits):
    check_document(mutate(seed, edits))


# ------------------------------------------------------------ hostile families at the YAML boundary
# Each family aims at one way a file once crashed or stalled the loader (tests/test_yaml_limits.py
# pins the exact message of each); here random variations of it go through check_document.

FAMILY = settings(SETTINGS, max_examples=max(1, N // 8))
FLOW = {"flow sequence": ("[", "]"), "flow mapping": ("{a: ", "}"), "flow mixed": ("[{a: ", "}]")}
BLOCK = (
    "dashes on one line",
    "complex keys",
    "block sequence by indentation",
    "block mapping by indentation",
    "mapping of sequences",
)


def nested(form: str, depth: int) -> list[str]:
    """A value nested ``depth`` levels deep, as lines indented from column 0."""
    if form in FLOW:
        opening, closing = FLOW[form]
        return [opening * depth + "1" + closing * depth]
    if form == "dashes on one line":
        return ["- " * depth + "1"]
    if form == "complex keys":
        return ["? " * depth + "a"]
    if form == "block sequence by indentation":
        return [" " * i + "-" for i in range(depth)] + [" " * depth + "1"]
    if form == "block mapping by indentation":
        return [" " * i + "a:" for i in range(depth)] + [" " * depth + "1"]
    lines = [" " * (2 * (i // 2)) + ("- a:" if i % 2 else "a:") for i in range(depth)]
    return lines + [" " * depth + " 1"]


def place(lines: list[str], where: str) -> str:
    if where == "top":
        return "\n".join(lines) + "\n"
    key = {"answer": "answers:\n  q1:", "student": "student:", "extra": "notes:"}[where]
    body = "\n".join("    " + line for line in lines)
    tail = "" if where == "answer" else "answers:\n  q7: 126x126x16\n"
    return f"{key}\n{body}\n{tail}"


@FAMILY
@given(
    form=st.sampled_from(sorted(FLOW) + list(BLOCK)),
    where=st.sampled_from(["answer", "top", "student", "extra"]),
    depth=st.one_of(st.integers(0, 80), st.sampled_from([65, 200, 1_000, 30_000])),
)
def test_fuzz_deep_nesting(form, where, depth):
    if "indentation" in form or form == "mapping of sequences":
        depth = min(depth, 300)  # indentation grows with depth: 300 levels is already 45 KB
    check_document(place(nested(form, depth), where).encode())


MERGES = ("chain", "doubling", "doubling nested", "merge list", "chain nested")


def merges(kind: str, n: int) -> tuple[str, str]:
    """Anchored mappings a0..an merged in one of several shapes: (the text before answers:, *an)."""
    if kind == "chain":
        lines = ["a0: &a0 {k: 1}"] + [
            f"a{i}: &a{i} {{<<: *a{i - 1}, k{i}: {i}}}" for i in range(1, n + 1)
        ]
    elif kind == "doubling":
        lines = ["a0: &a0 {k: 1}"]
        lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: 1}}" for i in range(1, n + 1)]
    elif kind == "merge list":
        lines = [f"a{i}: &a{i} {{k{i}: {i}}}" for i in range(n + 1)]
        lines.append(f"all: &a{n + 1} {{<<: [{', '.join(f'*a{i}' for i in range(n + 1))}]}}")
        n += 1
    else:
        s = "&a0 {k: 1}"
        for i in range(1, n + 1):
            twice = kind == "doubling nested"
            s = f"&a{i} {{<<: [{s}, *a{i - 1}], k{i}: 1}}" if twice else f"&a{i} {{<<: {s}}}"
        lines = ["x: " + s]
    return "\n".join(lines) + "\n", f"*a{n}"


@FAMILY
@given(
    kind=st.sampled_from(MERGES),
    n=st.one_of(st.integers(0, 40), st.sampled_from([64, 200, 3_000])),
    use=st.sampled_from(
        ["{q1: ALIAS}", "{q1: {<<: ALIAS, R: [[1, 1], [1, 1]]}}", "{q7: 126x126x16}", "[ALIAS]"]
    ),
)
def test_fuzz_merge_keys(kind, n, use):
    if kind != "chain" and kind != "merge list":
        n = min(n, 64)  # doubling: 2**64 pairs if anything expanded them
    before, alias = merges(kind, n)
    check_document((before + "answers: " + use.replace("ALIAS", alias) + "\n").encode())


@FAMILY
@given(
    length=st.integers(1, 9_999),
    uses=st.one_of(st.integers(1, 50), st.integers(50, 999)),
    words=st.sampled_from(["1 ", "45 ", "x", "1; ", "[1, 2] "]),
    shape=st.sampled_from(["list", "rows", "mapping", "answers"]),
)
def test_fuzz_aliased_long_strings(length, uses, words, shape):
    text = (words * (length // len(words) + 1))[:length].strip() or "1"
    refs = ", ".join(["*s"] * uses)
    body = {
        "list": f"{{q1: [{refs}]}}",
        "rows": f"{{q2: [[{refs}]]}}",
        "mapping": "{q11: {" + ", ".join(f"c{i}: *s" for i in range(uses)) + "}}",
        "answers": "{" + ", ".join(f"{q}: *s" for q in QIDS) + "}",
    }[shape]
    check_document(f's: &s "{text}"\nanswers: {body}\n'.encode())


@FAMILY
@given(
    prefix=st.sampled_from(
        ["", "+", "-", "0", "0x", "-0x", "0b", "+0b", "0o", "!!int ", "!!int 0x", "!!float "]
    ),
    digits=st.sampled_from([1, 50, 99, 100, 101, 400, 4_300, 4_301, 5_000, 20_000]),
    digit=st.sampled_from("0179af_"),
    where=st.sampled_from(["answer", "list", "student", "key", "matrix"]),
)
def test_fuzz_huge_integers(prefix, digits, digit, where):
    number = prefix + "1" + digit * (digits - 1)
    doc = {
        "answer": f"answers:\n  q8: {number}\n",
        "list": f"answers:\n  q7: [{number}, {number}, 16]\n",
        "student": f"student: {number}\nanswers:\n  q7: 126x126x16\n",
        "key": f"answers:\n  {number}: 1\n  q7: 126x126x16\n",
        "matrix": f"answers:\n  q1: [[{number}, 45], [54, 54]]\n",
    }[where]
    check_document(doc.encode())


@FAMILY
@given(
    parts=st.lists(st.integers(0, 99), min_size=2, max_size=4),
    sign=st.sampled_from(["", "-", "+"]),
    fraction=st.sampled_from(["", ".0", ".5", ".", "_0"]),
    count=st.integers(1, 4),
    where=st.sampled_from(["q1", "q7", "q8"]),
)
def test_fuzz_base_60_values(parts, sign, fraction, count, where):
    value = sign + ":".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) + fraction
    check_document(f"answers:\n  {where}: [{', '.join([value] * count)}]\n  q2: {value}\n".encode())
