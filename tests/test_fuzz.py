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
SETTINGS = settings(max_examples=N, deadline=None, derandomize="CNNCHECK_FUZZ_EXAMPLES" not in os.environ,
                    suppress_health_check=list(HealthCheck), database=None)
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

numbers = st.one_of(st.integers(-(2**70), 2**70), st.floats(allow_nan=True, allow_infinity=True), st.integers(-9, 60))
leaves = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=40), st.dates(),
                   st.sampled_from(["126x126x16", "63 x 63 x 16", "45 45; 54 54", "75,000,100", "−7", "1e-3", "4/9",
                                    "1/0", "[[45, 45], [54, 54]]", "[bold]x[/]", "\x1b[31m", "R", "nan", ".inf", "1:30"]))
matrices = st.integers(1, 5).flatmap(lambda rows: st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(numbers, min_size=cols, max_size=cols), min_size=rows, max_size=rows)))
shapes = st.lists(st.integers(-5, 300), min_size=0, max_size=5).map(lambda s: "x".join(map(str, s)))
answers_values = st.one_of(matrices, shapes, leaves, st.dictionaries(st.sampled_from(["R", "G", "B", "r", "X"]), matrices,
                                                                     max_size=4))
trees = st.recursive(leaves, lambda kids: st.one_of(st.lists(kids, max_size=6),
                                                    st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), kids,
                                                                    max_size=5)), max_leaves=40)
documents = st.one_of(
    trees,
    st.fixed_dictionaries(
        {"answers": st.dictionaries(st.one_of(st.sampled_from(QIDS + ["Q1", "q99", "answers"]), st.text(max_size=6)),
                                    st.one_of(answers_values, trees), max_size=8)},
        optional={"student": trees, "assignment": st.one_of(st.sampled_from(["cs577-hw4", "cs577-hw2", "nope"]), trees),
                  "extra": trees}),
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
    b"student: jdoe\nanswers:\n  q1: [[45, 45], [54, 54]]\n  q2: |\n    18 27 27 18\n    30 45 45 30\n"
    b"  q3: 24 24; 20 20\n  q7: 126x126x16\n  q8: 63x63x16\n  q11: {R: [[1, 1], [1, 1]], G: '2 2; 2 2', B: [[2, 2], [4, 4]]}\n",
    b"a0: &a [1, 2]\nanswers:\n  q1: *a\n  q7: !!str 126x126x16\n  q8: [63, 63, 16]\n",
]
mutation = st.tuples(st.sampled_from(["insert", "delete", "replace", "repeat"]), st.integers(0, 10_000),
                     st.binary(min_size=1, max_size=8), st.integers(1, 64))


def mutate(seed: bytes, edits) -> bytes:
    data = bytearray(seed)
    for op, pos, chunk, length in edits:
        pos = pos % (len(data) + 1)
        if op == "insert":
            data[pos:pos] = chunk
        elif op == "delete":
            del data[pos:pos + length]
        elif op == "replace":
            data[pos:pos + len(chunk)] = chunk
        else:
            data[pos:pos] = data[pos:pos + length] * 3
    return bytes(data)


@SETTINGS
@given(seed=st.sampled_from(SEEDS), edits=st.lists(mutation, min_size=1, max_size=6))
def test_fuzz_byte_mutations(seed, edits):
    check_document(mutate(seed, edits))
