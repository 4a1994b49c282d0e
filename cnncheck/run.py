"""Running a grade: paths -> every submission's outcome, in order, and the exit code.

The command line calls :func:`run_grade` and renders what it yields; so can any other client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import yamlio
from .bank import Bank
from .batch import exit_code, iter_outcomes, select, submission_files
from .yamlio import InputError

if TYPE_CHECKING:
    from .platforms import Identity
    from .review import Scores
    from .roster import Roster


@dataclass(frozen=True)
class GradeOptions:
    """What a grade run takes besides the bank and the paths (the CLI's options, the API's
    defaults)."""

    assignment: str | None = (
        None  # every file graded against it (a file naming another: an error row)
    )
    limits: yamlio.Limits = yamlio.ANSWER_LIMITS
    jobs: int | None = None  # worker processes for many files (default: the cores)
    questions: tuple[str, ...] = ()  # only these questions
    fail_under: float | None = None  # percent of the points that passes (default: full marks)
    debug: bool = False  # an unexpected error is raised, not made a row
    scores: Scores | None = None  # a TA's filled review sheet, applied to every report
    platform: str | None = None  # where the run grades (``platforms``): its files, its identity
    identity: Identity | None = None  # whose submission it is, as the platform says (one file)
    roster: Roster | None = None  # the class: ids checked, each student graded under their id
    similarity: bool = False  # keep each submission's fingerprint for :meth:`GradeRun.similarity`


class GradeRun:
    """A run's outcomes, in file order, as they come; :attr:`exit_code` once they all have.

    Nothing is graded until it is iterated. Iterating yields each outcome (a ``Report`` or a
    ``FileError``), or after :meth:`render_each` a pair ``(tally, rendered text)``, where the tally
    (or the FileError) is what the exit code needs.
    """

    def __init__(self, bank: Bank, files: list[str], options: GradeOptions):
        self.bank, self.files, self.options = bank, files, options
        self.outcomes: list = []  # the reports (or tallies) so far
        self._render: Callable | None = None
        self.fingerprints = None  # with options.similarity: a ``similarity.Collector``
        if options.similarity:
            from .similarity import Collector

            self.fingerprints = Collector()

    def render_each(self, render: Callable) -> None:
        """Render each outcome with ``render`` where its file is graded (on every core), so a
        class's reports stream out one at a time. Not with ``options.questions``."""
        if self.options.questions:
            raise ValueError(
                "a run narrowed to some questions renders its reports once they are narrowed"
            )
        if self.fingerprints is not None:  # each fingerprint made where its file is graded
            from functools import partial

            from .similarity import with_fingerprint

            render = partial(with_fingerprint, render=render)
        self._render = render

    @property
    def rendered_each(self) -> bool:
        return self._render is not None

    def __iter__(self) -> Iterator:
        o = self.options
        items = iter_outcomes(
            self.bank,
            self.files,
            assignment=o.assignment,
            limits=o.limits,
            jobs=o.jobs,
            render=self._render,
            debug=o.debug,
            scores=o.scores,
            identity=o.identity,
            roster=o.roster,
        )
        for item in items:
            if o.platform == "gradescope":
                item = _gradescope_missing(item)
            if self._render is None and o.questions:
                item = select(item, list(o.questions))
            if self.fingerprints is not None:
                item = self._fingerprint(item)
            self.outcomes.append(item if self._render is None else item[0])
            yield item

    def _fingerprint(self, item):
        """Keep the outcome's fingerprint (made where it was graded, when rendered there)."""
        if self._render is not None:
            tally, (rendered, fp) = item
            self.fingerprints.add(fp)
            return tally, rendered
        if item.ok:
            from .similarity import fingerprint

            try:
                self.fingerprints.add(fingerprint(item))
            except Exception:  # a bug here must not cost the class its grades
                if self.options.debug:
                    raise
        return item

    def similarity(self) -> dict | None:
        """With ``options.similarity``, once the run is over: the pairs whose answers agree more
        than chance makes likely (``similarity.analyse``)."""
        return self.fingerprints.analyse() if self.fingerprints is not None else None

    def all(self) -> list:
        """Every outcome, once the run is over."""
        for _ in self:
            pass
        return self.outcomes

    @property
    def duplicates(self) -> dict[str, list[str]]:
        """Students graded more than once in this run: id -> the files, in order."""
        files: dict[str, list[str]] = {}
        for o in self.outcomes:
            student = getattr(o, "student", None)
            if o.ok and student:
                files.setdefault(student.casefold(), []).append(o.path)
        return {k: v for k, v in files.items() if len(v) > 1}

    @property
    def exit_code(self) -> int:
        """2 if any file could not be graded; 0 when every submission passes; 1 otherwise."""
        return exit_code(self.outcomes, self.options.fail_under)


def run_grade(bank: Bank, paths: list[str], options: GradeOptions = GradeOptions()) -> GradeRun:
    """Grade every answer file in ``paths`` (files, or folders of ``*.yaml``) against ``bank``."""
    files = submission_files(list(paths))
    if not files:
        raise InputError("no answer files (*.yaml, *.yml) there", ", ".join(map(str, paths)))
    if options.platform == "gradescope":
        from .platforms.gradescope import locate

        files = [locate(f) for f in files]
    if options.identity is not None and len(files) > 1:
        raise InputError(
            f"the platform names one student ({options.identity.source}), and {len(files)} "
            "answer files were given: grade a class without --platform"
        )
    return GradeRun(bank, files, options)


def _gradescope_missing(item):
    """A missing answer file on Gradescope says what the submission holds instead."""
    import os

    if type(item) is tuple or item.ok or os.path.lexists(item.path):  # (tally, rendered): as is
        return item
    from .grading import FileError
    from .platforms.gradescope import missing_answers

    return FileError(item.path, missing_answers(item.path))
