"""Grading many answer files: a class folder, a CI checkout, a list of paths.

Each file is graded against its own assignment; a file that cannot be used
becomes a :class:`FileError` row and the rest are still graded. With many
files, the work is spread over the machine's cores (fork), after the bank has
solved every question and computed its mistake answers once, so no worker
computes them again.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import yamlio
from .answers import load_submission
from .bank import Bank, BankError
from .grading import FileError, QuestionResult, Report, grade, internal_error
from .roster import Roster, is_placeholder, who_is_graded
from .yamlio import InputError

if TYPE_CHECKING:
    from .platforms import Identity
    from .review import Scores

PARALLEL_FROM = 200  # files; below this, starting workers costs more than it saves


def submission_files(paths: list[str]) -> list[str]:
    """Files as given, and every ``*.yaml`` / ``*.yml`` inside each folder (recursively, sorted).

    A name inside a folder that is not a regular file (a FIFO, a dangling link) is listed too: it
    becomes an error row, so a class run shows every submission it was given."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                str(f) for f in path.rglob("*") if f.suffix in (".yaml", ".yml") and not f.is_dir()
            )
            out.extend(found)
        else:
            out.append(str(p))
    return out


def grade_file(
    bank: Bank,
    path: str,
    *,
    assignment: str | None = None,
    limits: yamlio.Limits = yamlio.ANSWER_LIMITS,
    cache: dict | None = None,
    debug: bool = False,
    identity: Identity | None = None,
    roster: Roster | None = None,
) -> Report | FileError:
    """One file: a report, or the reason it could not be graded. ``cache``: see
    :func:`grading.grade`; ``debug``: an unexpected error is raised (for its traceback), not made
    the file's error row; ``identity``: whose submission this is, as the platform says (its
    ``student:`` is then not trusted); ``roster``: the class, whose ids a student is graded as
    (see :func:`roster.who_is_graded`)."""
    try:
        submission = load_submission(path, limits)
        if assignment and submission.assignment and submission.assignment != assignment:
            return FileError(
                path,
                f"assignment: names {submission.assignment!r}, but this run grades "
                f"{assignment!r} (-a): a file cannot choose what it is graded against",
                submission.line_of_assignment,
            )
        a = bank.get(
            submission.assignment or assignment, path=path, line=submission.line_of_assignment
        )
        if identity is not None or roster is not None or is_placeholder(submission.student):
            try:
                student, notes = who_is_graded(submission.student, a.random, identity, roster)
            except InputError as e:
                return FileError(path, e.message, submission.line_of_student)
            submission = submission._replace(student=student, notes=submission.notes + tuple(notes))
        return grade(a, submission, cache, debug=debug)
    except InputError as e:
        if e.path not in (
            None,
            path,
        ):  # located in the bank, e.g. no well-posed variant for this student
            return FileError(path, f"cannot be graded: {e}")
        return FileError(path, e.message, e.line)
    except BankError as e:
        return FileError(path, f"its assignment cannot be used: {e.problems[0]}")
    except Exception as e:  # a bug in cnncheck: this file's row says so, and the class goes on
        if debug:
            raise
        return FileError(path, f"cnncheck could not grade this file ({internal_error(e)})")


# ------------------------------------------------------------ many files, on every core

_BANK: Bank | None = None  # the parent's bank, inherited by forked workers
FILE_SECONDS = 60  # a file whose grading takes longer is stopped and becomes an error row
# What a worker keeps between files (remembered answers, the JSON of values reports share) grows
# with the class: past WORKER_MEMORY bytes more than it started with, a fresh worker forked from
# the parent takes over between chunks, so a class of any size grades in the same memory. Where a
# worker's memory cannot be read (no /proc), it makes way after FILES_PER_WORKER files.
WORKER_MEMORY = 14 * 2**20
FILES_PER_WORKER = 3000
CHUNK = 250  # files sent to a worker at most at once: its memory is looked at between chunks


_RESULT_FIELDS = tuple(f.name for f in fields(QuestionResult) if f.name != "question")


def _compact(outcome):
    """A report without its Question objects, to send back from a worker."""
    if not outcome.ok:
        return outcome
    rows = [(r.id, {name: getattr(r, name) for name in _RESULT_FIELDS}) for r in outcome.results]
    return (outcome.assignment.id, outcome.student, outcome.path, outcome.notes, rows)


def _expand(bank: Bank, compact) -> Report | FileError:
    if isinstance(compact, FileError):
        return compact
    aid, student, path, notes, rows = compact
    a = bank.get(aid).for_student(student)  # the variant the worker graded against
    results = tuple(QuestionResult(question=a.questions[qid], **values) for qid, values in rows)
    return Report(a, student, path, results, notes)


class Tally(NamedTuple):
    """What the exit code needs of a graded submission, when its report was rendered where it was
    graded."""

    path: str
    score: float
    max_score: float
    full_marks: bool
    pending: float = 0.0
    student: str | None = None
    ok = True


def _tally(outcome):
    return (
        Tally(
            outcome.path,
            outcome.score,
            outcome.max_score,
            outcome.full_marks,
            outcome.pending,
            outcome.student,
        )
        if outcome.ok
        else outcome
    )


class _Options(NamedTuple):
    assignment: str | None
    limits: yamlio.Limits
    render: Callable | None
    debug: bool
    scores: Scores | None = None  # a filled review sheet, applied as each file is graded
    identity: Identity | None = None  # whose submission it is, as the platform says
    roster: Roster | None = None


def _one(bank: Bank, path: str, o: _Options, cache: dict):
    """Grade one file: ``(tally, rendered)`` with ``o.render``, else the outcome itself."""
    outcome = grade_file(
        bank,
        path,
        assignment=o.assignment,
        limits=o.limits,
        cache=cache,
        debug=o.debug,
        identity=o.identity,
        roster=o.roster,
    )
    if o.scores is not None and outcome.ok:  # a TA's points, before anything is rendered
        from .review import apply_scores

        try:
            outcome = apply_scores(outcome, o.scores)
        except Exception as e:  # a bug in cnncheck: this file's row says so, the class goes on
            if o.debug:
                raise
            why = f"cnncheck could not apply the review sheet ({internal_error(e)})"
            outcome = FileError(path, why)
    if o.render is None:
        return outcome
    render = o.render
    try:
        return _tally(outcome), render(outcome)
    except Exception as e:  # a renderer's bug: this file's row says so, the class goes on
        if o.debug:
            raise
        failed = FileError(path, f"cnncheck could not render this report ({internal_error(e)})")
        return failed, render(failed)


def iter_outcomes(
    bank: Bank,
    files: list[str],
    *,
    assignment: str | None = None,
    limits: yamlio.Limits = yamlio.ANSWER_LIMITS,
    jobs: int | None = None,
    render=None,
    debug: bool = False,
    scores: Scores | None = None,
    identity: Identity | None = None,
    roster: Roster | None = None,
) -> Iterator:
    """Every file's outcome, in order, each as soon as it and the files before it are graded.

    Outcomes are reports or :class:`FileError` rows; with ``render`` (a picklable function of one
    outcome) each is ``(tally, rendered)``: rendered where it was graded, with a :class:`Tally` (or
    the FileError) for the exit code. Many files are graded on every core (``jobs``, default the
    cores); a worker that dies or hangs on a file makes that file an error row and the run goes on.
    ``debug``: see :func:`grade_file`; ``scores``: a filled review sheet (``review.Scores``) whose
    points each report takes as soon as it is graded; ``identity``, ``roster``: see
    :func:`grade_file`.
    """
    options = _Options(assignment, limits, render, debug, scores, identity, roster)
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(files) < PARALLEL_FROM or not _can_fork():
        cache: dict = {}
        for f in files:
            yield _one(bank, f, options, cache)
        return
    _prepare(bank)
    global _BANK
    _BANK = bank
    size = max(16, min(len(files) // (jobs * 4), CHUNK))
    chunks = [list(range(i, min(i + size, len(files)))) for i in range(0, len(files), size)]
    done: dict[int, object] = {}
    nxt = 0
    gc.collect()
    gc.freeze()  # what the workers inherit is never traversed there, so its pages stay shared
    try:
        with _Pool(min(jobs, len(chunks)), files, options) as pool:
            for index, result in pool.run(chunks):
                done[index] = result if render is not None else _expand(bank, result)
                while nxt in done:
                    yield done.pop(nxt)
                    nxt += 1
    finally:
        gc.unfreeze()


def grade_files(
    bank: Bank,
    files: list[str],
    *,
    assignment: str | None = None,
    limits: yamlio.Limits = yamlio.ANSWER_LIMITS,
    jobs: int | None = None,
) -> list[Report | FileError]:
    """Every file's outcome, in order: see :func:`iter_outcomes`."""
    return list(iter_outcomes(bank, files, assignment=assignment, limits=limits, jobs=jobs))


def _worker(conn, files: list[str], options: _Options) -> None:
    """A forked worker: grade the chunks it is sent, one result per file as soon as it is ready."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle, once
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    cache: dict = {}
    try:
        while (chunk := conn.recv()) is not None:
            for i in chunk:
                result = _one(_BANK, files[i], options, cache)
                conn.send((i, result if options.render is not None else _compact(result)))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass  # the parent is gone or stopping
    finally:
        conn.close()
        os._exit(0)  # no atexit handlers or buffers inherited from the parent


class _Worker:
    def __init__(self, ctx, files, options):
        import multiprocessing.connection  # noqa: F401  (wait())

        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, files, options), daemon=True)
        self.process.start()
        child.close()
        self.chunk: list[int] = []  # the files sent and not yet answered, in order
        self.since = time.monotonic()  # when it last answered
        self.graded = 0  # files answered
        self.born = _resident(self.process.pid)  # its memory when forked, if it can be read

    def worn(self) -> bool:
        """Whether it should make way for a fresh worker: it has grown by WORKER_MEMORY (or, where
        its memory cannot be read, graded FILES_PER_WORKER files)."""
        now = _resident(self.process.pid) if self.born is not None else None
        if now is None:
            return self.graded >= FILES_PER_WORKER
        return now - self.born > WORKER_MEMORY

    def send(self, chunk: list[int]) -> None:
        self.chunk, self.since = list(chunk), time.monotonic()
        self.conn.send(chunk)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class _Pool:
    """Forked workers fed chunks of files; each answers file by file, so when one dies (a signal,
    the out-of-memory killer) or stalls past :data:`FILE_SECONDS`, the file it was on is known: it
    becomes an error row, the rest of its chunk is graded by a new worker, and the run always
    finishes. A worker grown by :data:`WORKER_MEMORY` makes way for a new one between chunks."""

    def __init__(self, jobs: int, files: list[str], options):
        import multiprocessing

        self.ctx = multiprocessing.get_context("fork")
        self.files, self.options, self.jobs = files, options, jobs
        self.workers: list[_Worker] = []

    def __enter__(self):
        self._old_term = None
        if threading.current_thread() is threading.main_thread():
            self._old_term = signal.signal(signal.SIGTERM, _terminated)
        return self

    def __exit__(self, *exc):
        for w in self.workers:
            w.stop()
        self.workers = []
        if self._old_term is not None:
            signal.signal(signal.SIGTERM, self._old_term)
        return False

    def run(self, chunks: list[list[int]]) -> Iterator[tuple[int, object]]:
        from multiprocessing.connection import wait

        queue = list(reversed(chunks))  # pop() from the end: the first chunk first
        while queue or any(w.chunk for w in self.workers):
            for w in [w for w in self.workers if not w.chunk and queue and w.worn()]:
                w.stop()  # idle, and grown past its share: a fresh one instead
                self.workers.remove(w)
            while len(self.workers) < self.jobs and queue:
                self.workers.append(_Worker(self.ctx, self.files, self.options))
            for w in self.workers:
                if not w.chunk and queue:
                    w.send(queue.pop())
            busy = [w for w in self.workers if w.chunk]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0)
            now = time.monotonic()
            for w in busy:
                try:
                    while w.conn in ready and w.conn.poll():
                        i, result = w.conn.recv()
                        w.chunk.remove(i)
                        w.since = now
                        w.graded += 1
                        yield i, result
                except (EOFError, OSError):
                    pass  # it died mid-answer: handled below
                if not w.chunk:
                    continue
                if not w.process.is_alive() or w.process.exitcode is not None:
                    why = _death(w.process.exitcode)
                elif now - w.since > FILE_SECONDS:
                    why = f"grading it took longer than {FILE_SECONDS} s; it was stopped"
                else:
                    continue
                lost, rest = w.chunk[0], w.chunk[1:]
                w.stop()
                self.workers.remove(w)
                error = FileError(self.files[lost], f"cnncheck could not grade this file: {why}")
                render = self.options.render
                yield lost, (error, render(error)) if render is not None else error
                if rest:
                    queue.append(rest)


def _resident(pid: int) -> int | None:
    """A process's resident memory in bytes, where /proc tells it (Linux), else None."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the process grading it was killed ({name})"
    return f"the process grading it stopped (exit code {code})"


class Interrupted(KeyboardInterrupt):
    """SIGTERM during a class run, raised like Ctrl-C: the workers are stopped, and the command
    exits 143."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _terminated(signum, frame):
    raise Interrupted(signum)


def select(outcome, questions: list[str]):
    """A report narrowed to some questions (``grade --question``); error rows as they are."""
    if not outcome.ok or not questions:
        return outcome
    from .kinds import did_you_mean

    known = outcome.assignment.questions
    for qid in questions:
        if qid not in known:
            raise InputError(
                f"{outcome.assignment.id} has no question {qid!r}{did_you_mean(qid, known)}"
            )
    return replace(outcome, results=tuple(r for r in outcome.results if r.id in questions))


def exit_code(outcomes: list, fail_under: float | None = None) -> int:
    """2 if any file could not be graded; else 0 when every submission passes (full marks, or at
    least ``fail_under`` percent of the points decided: those waiting for a TA are left out),
    1 otherwise. Outcomes are reports or tallies."""
    if not all(o.ok for o in outcomes):
        return 2

    def passes(r) -> bool:
        """Over the points decided so far: points waiting for a TA are neither earned nor lost."""
        if fail_under is None:
            return r.full_marks
        decided = r.max_score - r.pending
        return decided <= 0 or 100 * r.score / decided >= fail_under - 1e-9

    return 0 if all(passes(o) for o in outcomes) else 1


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _prepare(bank: Bank) -> None:
    """Solve every usable assignment and its mistake answers once, before the workers fork."""
    for aid in bank.ids:
        try:
            a = bank.get(aid)
        except BankError:
            continue  # its files become error rows, in the workers as here
        for q in a.questions.values():
            q.mistake_answers
