"""Grading many answer files: a class folder, a CI checkout, a list of paths.

Each file is graded against its own assignment; a file that cannot be used
becomes a :class:`FileError` row and the rest are still graded. With many
files, the work is spread over the machine's cores (fork), after the bank has
solved every question and computed its mistake variants once, so no worker
computes them again.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from . import yamlio
from .answers import load_submission
from .bank import Bank, BankError
from .grading import QuestionResult, Report, grade
from .yamlio import InputError

PARALLEL_FROM = 200  # files; below this, starting workers costs more than it saves


class FileError(NamedTuple):
    """An answer file that could not be graded."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return str(InputError(self.message, self.path, self.line))


def submission_files(paths: list[str]) -> list[str]:
    """Files as given, and every ``*.yaml`` / ``*.yml`` inside each folder (recursively, sorted)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(str(f) for f in path.rglob("*") if f.suffix in (".yaml", ".yml") and f.is_file())
            out.extend(found)
        else:
            out.append(str(p))
    return out


def grade_file(bank: Bank, path: str, *, assignment: str | None = None, limits: yamlio.Limits = yamlio.ANSWER_LIMITS,
               cache: dict | None = None) -> Report | FileError:
    """One file: a report, or the reason it could not be graded. ``cache``: see :func:`grading.grade`."""
    try:
        submission = load_submission(path, limits)
        a = bank.get(submission.assignment or assignment, path=path, line=submission.line_of_assignment)
    except InputError as e:
        return FileError(path, e.message, e.line)
    except BankError as e:
        return FileError(path, f"its assignment cannot be used: {e.problems[0]}")
    return grade(a, submission, cache)


# ------------------------------------------------------------ many files, on every core

_BANK: Bank | None = None  # the parent's bank, inherited by forked workers


def _compact(outcome):
    """A report without its Question objects, to send back from a worker."""
    if isinstance(outcome, FileError):
        return outcome
    rows = [(r.id, r.status, r.score, r.answer, r.message, r.wrong, r.line, r.mistakes, r.hint) for r in outcome.results]
    return (outcome.assignment.id, outcome.student, outcome.path, outcome.notes, rows)


def _expand(bank: Bank, compact) -> Report | FileError:
    if isinstance(compact, FileError):
        return compact
    aid, student, path, notes, rows = compact
    a = bank.get(aid).for_student(student)  # the variant the worker graded against
    results = tuple(QuestionResult(a.questions[qid], status, score, answer, message, wrong, line, mistakes, hint)
                    for qid, status, score, answer, message, wrong, line, mistakes, hint in rows)
    return Report(a, student, path, results, notes)


class Tally(NamedTuple):
    """What the exit code needs of a graded submission, when its report was rendered where it was graded."""

    path: str
    score: float
    max_score: float
    full_marks: bool


def _tally(outcome):
    return outcome if isinstance(outcome, FileError) else Tally(outcome.path, outcome.score, outcome.max_score,
                                                                 outcome.full_marks)


def _work(job):
    paths, assignment, limits, render = job
    cache: dict = {}
    out = []
    for p in paths:
        outcome = grade_file(_BANK, p, assignment=assignment, limits=limits, cache=cache)
        out.append((_tally(outcome), render(outcome)) if render else (_compact(outcome), None))
    return out


def grade_files(bank: Bank, files: list[str], *, assignment: str | None = None,
                limits: yamlio.Limits = yamlio.ANSWER_LIMITS, jobs: int | None = None,
                render=None) -> list[Report | FileError] | tuple[list, list]:
    """Every file, in order. ``jobs``: worker processes (default: the cores, for many files).

    With ``render`` (a picklable function of one outcome), returns ``(tallies, rendered)``: each
    report rendered where it was graded, on every core, and a :class:`Tally` (or the FileError) of
    each for the exit code.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(files) < PARALLEL_FROM or not _can_fork():
        cache: dict = {}
        outcomes = [grade_file(bank, f, assignment=assignment, limits=limits, cache=cache) for f in files]
        return ([_tally(o) for o in outcomes], [render(o) for o in outcomes]) if render else outcomes
    _prepare(bank)
    global _BANK
    _BANK = bank
    import multiprocessing

    size = max(16, len(files) // (jobs * 4))
    chunks = [(files[i:i + size], assignment, limits, render) for i in range(0, len(files), size)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        parts = pool.map(_work, chunks)
    if render:
        return [t for part in parts for t, _ in part], [r for part in parts for _, r in part]
    return [_expand(bank, c) for part in parts for c, _ in part]


def select(outcome, questions: list[str]):
    """A report narrowed to some questions (``grade --question``); error rows as they are."""
    if isinstance(outcome, FileError) or not questions:
        return outcome
    from .kinds import did_you_mean

    known = outcome.assignment.questions
    for qid in questions:
        if qid not in known:
            raise InputError(f"{outcome.assignment.id} has no question {qid!r}{did_you_mean(qid, known)}")
    return replace(outcome, results=tuple(r for r in outcome.results if r.id in questions))


def exit_code(outcomes: list, fail_under: float | None = None) -> int:
    """2 if any file could not be graded; else 0 when every submission passes (full marks, or at least
    ``fail_under`` percent of the points), 1 otherwise. Outcomes are reports or tallies."""
    if any(isinstance(o, FileError) for o in outcomes):
        return 2

    def passes(r) -> bool:
        if fail_under is None:
            return r.full_marks
        return r.max_score == 0 or 100 * r.score / r.max_score >= fail_under - 1e-9
    return 0 if all(passes(o) for o in outcomes) else 1


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _prepare(bank: Bank) -> None:
    """Solve every usable assignment and its mistake variants once, before the workers fork."""
    for aid in bank.ids:
        try:
            a = bank.get(aid)
        except BankError:
            continue  # its files become error rows, in the workers as here
        for q in a.questions.values():
            q.variants
