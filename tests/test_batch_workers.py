"""A class graded on forked workers that make way for fresh ones: the same outcomes, in order."""

from __future__ import annotations

import itertools

from cnncheck import batch
from cnncheck.bank import load_bank
from cnncheck.report.render import render

ANSWERS = [
    "  q1: [[45, 45], [54, 54]]\n  q7: 126x126x16\n",
    "  q1: 45 45; 45 45\n  q8: 64x64x16\n",
    '  q4: "The filter is a template, and the output is large where a patch resembles it."\n',
    '  q12: "Pooling makes it smaller, not robust (n)."\n',
]


def _class(tmp_path) -> list[str]:
    for i in range(batch.PARALLEL_FROM + 60):
        body = ANSWERS[i % len(ANSWERS)].replace("(n)", f"({i})")
        text = f"assignment: cs577-hw4\nstudent: s{i:04d}\nanswers:\n{body}"
        (tmp_path / f"s{i:04d}.yaml").write_text(text if i % 53 else "answers: [")
    return batch.submission_files([str(tmp_path)])


def _started(monkeypatch) -> list[int]:
    """The pids of the workers started from now on."""
    started: list[int] = []
    start = batch._Worker.__init__

    def counted(self, *args):
        start(self, *args)
        started.append(self.process.pid)

    monkeypatch.setattr(batch._Worker, "__init__", counted)
    return started


def test_a_worker_grown_past_its_memory_makes_way_and_the_class_is_graded_the_same(
    tmp_path, monkeypatch
):
    files = _class(tmp_path)
    serial = batch.grade_files(load_bank(), files, jobs=1)
    started = _started(monkeypatch)
    grows = itertools.count()  # each look at a worker finds 1 GB more than the last
    monkeypatch.setattr(batch, "_resident", lambda pid: next(grows) * 2**30)
    monkeypatch.setattr(batch, "CHUNK", 16)
    parallel = batch.grade_files(load_bank(), files, jobs=2)
    chunks = -(-len(files) // 16)  # one worker for each chunk
    assert len(started) == len(set(started)) == chunks
    assert render(parallel, "json") == render(serial, "json")


def test_a_worker_within_its_memory_grades_on(tmp_path, monkeypatch):
    files = _class(tmp_path)
    started = _started(monkeypatch)
    monkeypatch.setattr(batch, "_resident", lambda pid: 50 * 2**20 + batch.WORKER_MEMORY)
    batch.grade_files(load_bank(), files, jobs=2)
    assert len(started) == 2


def test_where_memory_cannot_be_read_a_worker_makes_way_after_its_files(tmp_path, monkeypatch):
    files = _class(tmp_path)
    serial = batch.grade_files(load_bank(), files, jobs=1)
    started = _started(monkeypatch)
    monkeypatch.setattr(batch, "_resident", lambda pid: None)
    monkeypatch.setattr(batch, "CHUNK", 16)
    monkeypatch.setattr(batch, "FILES_PER_WORKER", 40)  # a worker takes 3 chunks
    parallel = batch.grade_files(load_bank(), files, jobs=2)
    assert len(started) >= len(files) // 48
    assert render(parallel, "json") == render(serial, "json")
