"""The command line: parse options, call one function, render, pick the exit code."""

from __future__ import annotations

import signal
import sys
import time

import click

from . import __version__

EXIT_OK = 0  # full marks (grade), or done
EXIT_BELOW = 1  # graded below full marks
EXIT_ERROR = 2  # the answer file, the bank or the command line cannot be used

STARTED = time.monotonic()  # as the command starts: a run's execution time on Gradescope
FORMATS = ("table", "json")
GRADE_FORMATS = (
    "table",
    "json",
    "junit",
    "gradescope",
    "classroom50",
    "github",
    "markdown",
    "html",
    "csv",
)
FEEDBACK = click.Choice(["score", "verdict", "hints", "full"])
# One instance of each path type for every option (each new one looks its name up in gettext's
# catalogues, a search of the disk, when the command line is built)
PATH = click.Path()
FILE = click.Path(dir_okay=False)


class CnncheckError(click.ClickException):
    """A user-facing error: one line on stderr, exit 2."""

    exit_code = EXIT_ERROR

    def show(self, file=None):
        click.echo(f"cnncheck: error: {self.format_message()}", err=True)


class Stopped(CnncheckError):
    """Ctrl-C (exit 130) or SIGTERM (exit 143): one line, the workers already stopped."""

    def __init__(self, signum: int):
        super().__init__("interrupted" if signum == signal.SIGINT else "terminated")
        self.exit_code = 128 + signum


class Group(click.Group):
    """Turns library errors into one-line messages; anything unexpected too, unless --debug."""

    def invoke(self, ctx):
        from .bank import BankError
        from .yamlio import InputError

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (
            KeyboardInterrupt
        ) as e:  # Ctrl-C, or batch.Interrupted (SIGTERM while a class is graded)
            raise Stopped(getattr(e, "signum", signal.SIGINT)) from None
        except BrokenPipeError:  # `cnncheck grade class/ | head`: the reader has what it wanted
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush
            raise click.exceptions.Exit(128 + signal.SIGPIPE) from None
        except BankError as e:
            if len(e.problems) == 1:
                raise CnncheckError(f"the question bank cannot be used: {e.problems[0]}") from None
            lines = "\n  ".join(str(p) for p in e.problems)
            raise CnncheckError(
                f"the question bank cannot be used ({len(e.problems)} problems):\n  {lines}"
            ) from None
        except InputError as e:
            raise CnncheckError(str(e)) from None
        except Exception as e:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            raise CnncheckError(
                f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback)"
            ) from None


class State:
    """What the group's options give every command: the bank (loaded on first use) and --debug."""

    def __init__(self, bank_path: str | None, debug: bool):
        self.bank_path, self.debug, self._bank = bank_path, debug, None

    @property
    def bank(self):
        if self._bank is None:
            from .bank import load_bank

            self._bank = load_bank(self.bank_path)
        return self._bank

    def grading_bank(self, paths, assignment: str | None, limits, platform: str | None = None):
        """The bank to grade ``paths`` against: for one answer file, only the bank file of its
        assignment is parsed (``bank.load_bank_for``); for a class, the whole bank."""
        if self._bank is None:
            from .bank import load_bank_for

            # Gradescope's files are found where its harness puts them (run_grade): whole bank
            one = len(paths) == 1 and platform != "gradescope"
            self._bank = load_bank_for(
                self.bank_path, paths[0] if one else None, assignment=assignment, limits=limits
            )
        return self._bank


pass_state = click.make_pass_decorator(State)


# ------------------------------------------------------------ options shared by commands


def format_option(
    choices=("table", "json"), default: str | None = "table", help: str = "Output format."
):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=default is not None,
        help=help,
    )


def output_option(help: str = "Write to FILE (atomically) instead of the terminal."):
    return click.option("-o", "--output", type=FILE, metavar="FILE", help=help)


def _bank_after_command(ctx, param, value):
    if value is not None:
        ctx.ensure_object(
            State
        ).bank_path = value  # `cnncheck grade --bank B ...` as people type it
    return value


bank_option = click.option(
    "--bank",
    "_bank",
    metavar="PATH",
    type=PATH,
    expose_value=False,
    is_eager=True,
    callback=_bank_after_command,
    help="A question bank: the same as `cnncheck --bank PATH ...`.",
)


assignment_option = click.option(
    "-a",
    "--assignment",
    metavar="ID",
    help="Grade every file against this assignment (a file naming another is an error row); "
    "without it, each file against the one it names, else the bank's default.",
)


def assignment_argument(f):
    """[ASSIGNMENT], or ``-a ID`` as grade and solve take it: the assignment a command is about
    (read with :func:`_the_assignment`)."""
    f = click.option(
        "-a",
        "--assignment",
        "assignment_flag",
        metavar="ID",
        help="The assignment, as grade and solve take it (the same as ASSIGNMENT).",
    )(f)
    return click.argument("assignment", required=False, metavar="[ASSIGNMENT]")(f)


def _the_assignment(positional: str | None, flag: str | None) -> str | None:
    if positional is not None and flag is not None and positional != flag:
        raise click.UsageError(f"two assignments given: {positional} and -a {flag}")
    return positional if positional is not None else flag


limit_option = click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=N",
    help="Raise or lower a limit on the answer file: bytes (1,000,000), depth (64), "
    "values (200,000), string (10,000 characters), aliases (1,000). Repeatable.",
)
jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    help="Worker processes for many files (default: the cores).",
)


def _answer_limits(limits):
    from .yamlio import parse_limits

    try:
        return parse_limits(list(limits))
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--limit") from None


def _console(err: bool = False):
    from rich.console import Console

    from .report.tables import THEME

    # no highlighting or emoji codes: what a student wrote is shown exactly as written
    return Console(theme=THEME, highlight=False, emoji=False, stderr=err, soft_wrap=False)


def _print_json(data) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--bank",
    "bank_path",
    envvar="CNNCHECK_BANK",
    metavar="PATH",
    type=PATH,
    help="A question bank: a YAML file or a folder of them (default: the built-in bank). "
    "Env: CNNCHECK_BANK.",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
@click.version_option(__version__, "--version", prog_name="cnncheck")
@click.pass_context
def cli(ctx, bank_path, debug):
    """Check the arithmetic of convolutional networks: solve questions, grade answers.

    \b
    Examples:
      cnncheck grade answers.yaml
      cnncheck solve q3
      cnncheck list
    """
    ctx.obj = State(bank_path, debug)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=PATH, metavar="PATH...")
@assignment_option
@format_option(
    GRADE_FORMATS,
    help="table, json, junit (JUnit XML), gradescope (results.json, one submission), "
    "classroom50 (result.json, one submission), github (annotations), markdown (a CI job's "
    "summary), html (a class report to look at, one file), csv (a gradebook).",
)
@click.option(
    "--feedback",
    type=FEEDBACK,
    default=None,
    help="What to reveal: score (points only), verdict (+ status), hints (+ wrong cells, likely "
    "mistake), full (+ expected answers). Default: the bank's, else full.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Add the working under each answer that is not right (feedback full).",
)
@limit_option
@click.option(
    "-q",
    "--question",
    "questions",
    multiple=True,
    metavar="ID",
    help="Grade only this question (repeatable); the exit code then speaks of these only.",
)
@output_option("Write the report to FILE (atomically) instead of the terminal.")
@click.option(
    "--csv",
    "csv_path",
    type=FILE,
    metavar="FILE",
    help="Also write a gradebook: one row per submission, the points of each question.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Class statistics per question instead of one report per submission.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    callback=lambda ctx, param, v: _finite(v),
    metavar="PERCENT",
    help="Exit 0 when every submission reaches PERCENT of its points (default: full marks).",
)
@jobs_option
@click.option(
    "--scores",
    "scores_path",
    type=FILE,
    metavar="FILE",
    help="A review sheet a TA filled in (cnncheck review): its points are final in every format.",
)
@click.option(
    "--platform",
    type=click.Choice(["gradescope", "classroom50", "github", "gitlab"]),
    envvar="CNNCHECK_PLATFORM",
    help="Where this run grades one submission: the student is who the platform says "
    "(Gradescope's metadata, Classroom 50's OWNER, GITHUB_ACTOR, GITLAB_USER_LOGIN, or "
    "CNNCHECK_STUDENT), never the file's student:. Env: CNNCHECK_PLATFORM.",
)
@click.option(
    "--roster",
    "roster_path",
    type=FILE,
    envvar="CNNCHECK_ROSTER",
    metavar="FILE",
    help="The class (CSV: id, name, email, section, github, gitlab, LMS ids): unknown, "
    "placeholder and duplicate students are reported; each is graded under their id. "
    "Env: CNNCHECK_ROSTER.",
)
@click.option(
    "--lms",
    type=click.Choice(["canvas", "moodle", "blackboard"]),
    help="With --csv: write the gradebook this LMS imports (with --roster), and the "
    "submissions it leaves out, with the reason, to FILE.apart.csv (docs/gradebooks.md).",
)
@click.option(
    "--lms-column",
    metavar="HEADER",
    help="With --lms: the grade column's header as the LMS's own export writes it, e.g. "
    "'HW4 (12345)' (default: the assignment id).",
)
@click.option(
    "--lms-match",
    type=click.Choice(["username", "idnumber", "email"]),
    help="With --lms moodle: the user field the file carries (default: the first the roster has).",
)
@click.option(
    "--similarity",
    is_flag=True,
    help="For a TA, on a class: the pairs of students whose answers agree more than chance makes "
    "likely (rare wrong answers, another's variant, files or wording alike), with the evidence; "
    "in --summary and --format html, else on stderr. Never in a student's report.",
)
@bank_option
@pass_state
def grade(
    state: State,
    paths,
    assignment,
    fmt,
    feedback,
    explain,
    limits,
    questions,
    output,
    csv_path,
    summary,
    fail_under,
    jobs,
    scores_path,
    platform,
    roster_path,
    lms,
    lms_column,
    lms_match,
    similarity,
):
    """Grade answer files against the bank: files, or folders of *.yaml files.

    Exits 0 when every submission has full marks (or --fail-under), 1 when
    any has less, 2 when a file or the bank cannot be used (the other files
    are still graded).

    \b
    Examples:
      cnncheck grade answers.yaml
      cnncheck grade answers.yaml --format json
      cnncheck grade answers.yaml --feedback hints --explain
      cnncheck grade class/ --summary --csv grades.csv
      cnncheck grade class/ --format html -o report.html
      cnncheck grade answers.yaml --format junit -o report.xml
      cnncheck grade class/ --scores reviewed.csv
      cnncheck grade class/ --roster roster.csv --lms canvas --csv canvas.csv
    """
    from .run import GradeOptions, run_grade

    answer_limits = _answer_limits(limits)
    scores = None
    if scores_path:
        from .review import read_scores

        scores = read_scores(scores_path)
    identity = roster = None
    if platform:
        from .platforms import identify

        identity = identify(platform)
    if roster_path:
        from .roster import read_roster

        roster = read_roster(roster_path)
    gradebook = _gradebook_options(csv_path, lms, lms_column, lms_match, roster, questions)
    _terminate_as_interrupt()
    options = GradeOptions(
        assignment,
        answer_limits,
        jobs,
        tuple(questions),
        fail_under,
        state.debug,
        scores,
        platform,
        identity,
        roster,
        similarity=similarity,
    )
    bank = state.grading_bank(paths, assignment, answer_limits, platform)
    run = run_grade(bank, list(paths), options)
    if similarity:
        _check_similarity(len(run.files), fmt, summary)
    if fmt in ("gradescope", "classroom50") and len(run.files) > 1:
        raise click.UsageError(
            f"--format {fmt} writes the results of one submission: give one answer file"
        )
    graded_against = None
    if fmt == "classroom50":
        from .platforms.classroom50 import submission

        submission()  # what the runner must have set, checked before anything is graded
        graded_against = _assignment_or_none(state.bank, assignment)
    _check_outputs(run.files, output, csv_path, scores=scores_path)
    if gradebook:
        _check_outputs(run.files, output, gradebook["apart"], second="the apart list")
    each = fmt == "table" or fmt == "json" and len(run.files) > 1
    if each and not (summary or questions):  # rendered where graded, shown at once
        from functools import partial

        from .report.render import with_entry

        renderer = _one_renderer(fmt, feedback, explain, output)
        run.render_each(partial(with_entry, render=renderer) if csv_path else renderer)
        entries = _stream(run, fmt, output)
        if csv_path:
            _write_gradebook(csv_path, entries, gradebook)
        _say_similarity(run.similarity())
        _say_duplicates(run)
        sys.exit(run.exit_code)
    from .report.render import render

    outcomes = run.all()
    if (
        len(outcomes) == 1
        and not outcomes[0].ok
        and fmt in ("table", "json")
        and not (summary or csv_path or output)
    ):
        raise CnncheckError(str(outcomes[0]))
    for o in outcomes:
        if not o.ok:
            _say(o)
    similar = run.similarity()
    in_report = summary or fmt == "html"  # the class report carries it; else it goes to stderr
    result = render(
        outcomes,
        fmt,
        feedback=feedback,
        explain=explain,
        summary=summary,
        seconds=time.monotonic() - STARTED,
        assignment=graded_against,
        similarity=similar if in_report else None,
    )
    if csv_path:
        _write_gradebook(csv_path, outcomes, gradebook)
    if output:
        from .fileio import write_atomic

        write_atomic(output, result if isinstance(result, str) else _plain(result))
    elif isinstance(result, str):
        click.echo(result, nl=False)
    else:
        _console().print(result)
    _say_similarity(None if in_report else similar)
    _say_duplicates(run)
    sys.exit(run.exit_code)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=PATH, metavar="PATH...")
@assignment_option
@output_option("Write the sheet (CSV) to FILE (atomically) instead of the terminal.")
@click.option(
    "--markdown",
    "markdown_path",
    type=FILE,
    metavar="FILE",
    help="Also write the sheet as a page to read: one section per answer, with the question, "
    "the answer, the suggested points and why.",
)
@click.option(
    "--scores",
    "scores_path",
    type=FILE,
    metavar="FILE",
    help="An earlier filled sheet: the answers it reviewed, if unchanged, keep their points.",
)
@limit_option
@jobs_option
@bank_option
@pass_state
def review(state: State, paths, assignment, output, markdown_path, scores_path, limits, jobs):
    """Write the answers a TA should look at as a sheet to fill in (CSV).

    One row per answer waiting for a TA (review, manual), answer that could
    not be read, and written answer the rubric scored in part: the question,
    the answer, the suggested points and why, and empty points and comment
    columns. Fill them in and grade with --scores: the TA's points are final.

    \b
    Examples:
      cnncheck review class/ -o review.csv --markdown review.md
      cnncheck grade class/ --scores review.csv
    """
    from .review import read_scores, sheet_csv, sheet_rows, write_sheet_csv, write_sheet_markdown
    from .run import GradeOptions, run_grade

    options = GradeOptions(assignment, _answer_limits(limits), jobs, debug=state.debug)
    scores = read_scores(scores_path) if scores_path else None
    run = run_grade(state.grading_bank(paths, assignment, options.limits), list(paths), options)
    # -o may rewrite the --scores sheet it was given (its filled rows are carried over); the
    # Markdown page may not
    _check_outputs(run.files, None, markdown_path, second="--markdown", scores=scores_path)
    _check_outputs(run.files, output, markdown_path, second="--markdown")
    _terminate_as_interrupt()
    outcomes = run.all()
    for o in outcomes:
        if not o.ok:
            _say(o)
    rows = sheet_rows(outcomes, scores)
    if markdown_path:
        write_sheet_markdown(markdown_path, rows, output)
    graded = sum(o.ok for o in outcomes)
    line = (
        f"{len(rows)} answer{'s' if len(rows) != 1 else ''} to review in "
        f"{len({(r.file, r.student) for r in rows})} of {graded} submission"
        f"{'s' if graded != 1 else ''}"
    )
    if output:
        write_sheet_csv(output, rows)
        from .textsafe import shown_path

        click.echo(f"{line}: {shown_path(output)}")
    else:
        click.echo(sheet_csv(rows), nl=False)
        click.echo(line, err=True)
    sys.exit(EXIT_ERROR if not all(o.ok for o in outcomes) else EXIT_OK)


def _check_outputs(
    files: list[str],
    output: str | None,
    csv_path: str | None,
    *,
    second: str = "--csv",
    scores: str | None = None,
) -> None:
    """Refuse output paths that would destroy an input or each other, before anything is graded.
    ``second``: the option that names ``csv_path``; ``scores``: a filled review sheet (--scores),
    never written over by a report."""
    import os

    for option, path in (("-o", output), (second, csv_path)):
        if path is not None and not path.strip():
            raise click.BadParameter("needs a file name", param_hint=option)
    if (
        output
        and csv_path
        and (os.path.realpath(output) == os.path.realpath(csv_path) or _same(output, csv_path))
    ):
        raise click.UsageError(f"-o and {second} name the same file: give each its own")
    for option, path in (("-o", output), (second, csv_path)):
        if path and scores and (os.path.realpath(path) == os.path.realpath(scores)):
            raise click.UsageError(
                f"{option} {path} is the review sheet given to --scores: write the report "
                "somewhere else"
            )
    import errno

    for path in (output, csv_path):  # a run of a whole class is not graded only to fail at the end
        folder = os.path.dirname(os.path.realpath(path)) if path else None
        if folder and not os.path.isdir(folder):
            from .fileio import OutputError

            raise OutputError(path, f"cannot write: {os.strerror(errno.ENOENT)}")
    for option, path in (("-o", output), (second, csv_path)):
        if path and os.path.exists(path):
            clash = next((f for f in files if _same(path, f)), None)
            if clash is not None:
                raise click.UsageError(
                    f"{option} {path} is one of the answer files being graded; "
                    f"write the report somewhere else"
                )


def _say(error) -> None:
    """A file that cannot be graded: one line on stderr, besides its row in the report."""
    click.echo(f"cnncheck: error: {error}", err=True)


def _gradebook_options(csv_path, lms, column, match, roster, questions) -> dict | None:
    """What --lms needs, checked before anything is graded."""
    if (column or match) and not lms:
        raise click.UsageError("--lms-column and --lms-match go with --lms")
    if not lms:
        return None
    if not csv_path:
        raise click.UsageError("--lms writes the gradebook --csv names: give --csv FILE")
    if questions:
        raise click.UsageError(
            "--lms imports whole assignments: a total narrowed with -q would replace the LMS's"
        )
    import os

    from .report.lms import check_lms_options

    try:
        lms = check_lms_options(lms, roster=roster, column=column, match=match)
    except ValueError as e:
        raise CnncheckError(str(e)) from None
    apart = os.path.splitext(csv_path)[0] + ".apart.csv"
    return {"lms": lms, "roster": roster, "column": column, "match": match, "apart": apart}


def _write_gradebook(csv_path: str, rows, gradebook: dict | None) -> None:
    """--csv: the generic gradebook, or with --lms the LMS's import and the rows it leaves out."""
    from .fileio import write_atomic

    if gradebook is None:
        from .report.csvout import gradebook_csv

        write_atomic(csv_path, gradebook_csv(rows))
        return
    from .report.lms import lms_gradebook

    g = gradebook
    try:
        book = lms_gradebook(
            rows, g["lms"], roster=g["roster"], column=g["column"], match=g["match"]
        )
    except ValueError as e:
        raise CnncheckError(str(e)) from None
    write_atomic(csv_path, book.text)
    write_atomic(g["apart"], book.apart_csv())
    for note in book.notes:
        click.echo(f"cnncheck: note: {note}", err=True)
    click.echo(
        f"cnncheck: {csv_path}: {book.students} students for {g['lms'].capitalize()}; "
        f"{len(book.apart)} left out, with the reason, in {g['apart']}",
        err=True,
    )


def _assignment_or_none(bank, assignment):
    """The assignment a run grades against (the bank's default without -a), if it can be used."""
    from .bank import BankError
    from .yamlio import InputError

    try:
        return bank.get(assignment)
    except (BankError, InputError):
        return None


# what a student may see: --similarity is never added to these
STUDENT_FORMATS = ("junit", "gradescope", "classroom50", "github", "markdown")


def _check_similarity(files: int, fmt: str, summary: bool) -> None:
    """--similarity compares a class's submissions, for a TA: refused on one file, and with a
    format a student reads (unless --summary replaces it), before anything is graded."""
    if files < 2:
        raise click.UsageError(
            "--similarity compares the submissions of a class: give a folder or several answer "
            "files"
        )
    if fmt in STUDENT_FORMATS and not summary:
        raise click.UsageError(
            f"--similarity is for a TA and never goes into --format {fmt}, which students "
            "read: use it with --summary, --format html, or a class's table, json or csv "
            "(the list then goes to stderr)"
        )


def _say_similarity(similar: dict | None) -> None:
    """--similarity beside a class's reports: its list on stderr, where a class run's other
    notes for the TA go, so the reports on stdout (or -o) stay as they are and a pipe of them
    carries nothing of it."""
    if similar is None:
        return
    from .report.summary import similarity_lines

    click.echo("\n".join(similarity_lines(similar)), err=True)


def _say_duplicates(run) -> None:
    """Students graded more than once in a class run: a warning each, on stderr."""
    from .textsafe import safe, shown_path

    for student, files in run.duplicates.items():
        shown = ", ".join(shown_path(f) for f in files[:5]) + (" ..." if len(files) > 5 else "")
        click.echo(
            f"cnncheck: warning: {safe(student, 80)!r} was graded {len(files)} times: {shown}",
            err=True,
        )


def _terminate_as_interrupt() -> None:
    """SIGTERM (a CI runner's cancel) ends a grade run as Ctrl-C does: workers stopped, one line,
    143."""
    import threading

    if threading.current_thread() is threading.main_thread():
        from .batch import Interrupted

        def handler(signum, frame):
            raise Interrupted(signum)

        signal.signal(signal.SIGTERM, handler)


def _same(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _one_renderer(fmt: str, feedback: str | None, explain: bool, output: str | None):
    """The function each worker renders one outcome with: a JSON line, or a table as text."""
    from functools import partial

    from .report.render import Screen, json_line, table_text

    if fmt == "json":
        return partial(json_line, feedback=feedback, memo={})
    return partial(
        table_text,
        screen=Screen() if output else Screen.of(_console()),
        feedback=feedback,
        explain=explain,
    )


def _stream(run, fmt: str, output: str | None) -> list:
    """Write each rendered report as it comes (to stdout, or collected for -o); returns the
    gradebook rows that came with them (with --csv).

    A single file that cannot be used at all is one line on stderr (exit 2), as for any error."""
    from .report.render import class_line

    count = len(run.files)
    pieces: list[str] = []
    emit = pieces.append if output else (lambda text: click.echo(text, nl=False))
    if fmt == "json":
        emit("[\n")
    entries = []
    for i, (tally, text) in enumerate(run):
        if count == 1 and not tally.ok and not output:
            raise CnncheckError(str(tally))
        if not tally.ok:
            _say(tally)
        if isinstance(text, tuple):  # with its gradebook row
            text, entry = text
            entries.append(entry)
        emit((",\n" if i else "") + text if fmt == "json" else ("\n" if i else "") + text)
    if fmt == "json":
        emit("\n]\n")
    elif count > 1:
        emit("\n" + _table_line(class_line(run.outcomes), output) + "\n")
    if output:
        from .fileio import write_atomic

        write_atomic(output, "".join(pieces))
    return entries


def _table_line(text: str, output: str | None) -> str:
    """A line in the table's title style, as text for the terminal or the file."""
    import io

    from rich.text import Text

    from .report.render import Screen

    buf = io.StringIO()
    (Screen() if output else Screen.of(_console())).console(buf).print(Text(text, style="title"))
    return buf.getvalue().rstrip("\n")


def _finite(value: float | None) -> float | None:
    import math

    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a percentage from 0 to 100")
    return value


def _plain(renderable) -> str:
    """A rich renderable as plain text, for a file."""
    import io

    from rich.console import Console

    from .report.tables import THEME

    buf = io.StringIO()
    Console(
        file=buf, width=120, theme=THEME, color_system=None, highlight=False, emoji=False
    ).print(renderable)
    return buf.getvalue()


def _resolve(bank, ids: tuple[str, ...], assignment: str | None, all_: bool):
    """Question ids (``q3`` or ``ASSIGNMENT:q3``) -> (assignment, [ids])."""
    from .kinds import did_you_mean

    if not ids and not all_:
        raise click.UsageError("name the questions to solve (e.g. cnncheck solve q3) or give --all")
    if ids and all_:
        raise click.UsageError("give question ids or --all, not both")
    prefixes = {i.split(":", 1)[0] for i in ids if ":" in i}
    if len(prefixes) > 1 or (prefixes and assignment and prefixes != {assignment}):
        raise click.UsageError("questions from one assignment at a time")
    a = bank.get(assignment or (prefixes.pop() if prefixes else None))
    qids = [i.split(":", 1)[1] if ":" in i else i for i in ids] if ids else list(a.questions)
    for qid in qids:
        if qid not in a.questions:
            raise CnncheckError(
                f"{a.id} has no question {qid!r}{did_you_mean(qid, a.questions)}; "
                f"its questions are {', '.join(a.questions)}"
            )
    return a, qids


@cli.command()
@click.argument("ids", nargs=-1, metavar="[IDS]...")
@click.option("--all", "all_", is_flag=True, help="Solve every question of the assignment.")
@click.option(
    "-a", "--assignment", metavar="ID", help="The assignment (default: the bank's default)."
)
@format_option(
    ("table", "json", "html", "svg"),
    "table",
    "table, json, html (one page: the working with its pictures) or svg (one question's picture).",
)
@output_option()
@click.option("--explain", is_flag=True, help="Show the working, step by step.")
@click.option(
    "--student",
    metavar="ID",
    help="Solve this student's variant (for questions that differ per student).",
)
@bank_option
@pass_state
def solve(state: State, ids, all_, assignment, fmt, output, explain, student):
    """Show the canonical answer of questions, with their prompts and parameters.

    \b
    Examples:
      cnncheck solve q3
      cnncheck solve q3 --explain
      cnncheck solve q3 --explain --format html -o q3.html
      cnncheck solve q3 --format svg -o q3.svg
      cnncheck solve cs577-hw2:q7
      cnncheck solve --all -a cs577-hw2 --format json
      cnncheck solve q3 --student jdoe
    """
    a, qids = _resolve(state.bank, ids, assignment, all_)
    a = a.for_student(student)
    if fmt in ("html", "svg"):
        from .report.pictures import picture_for_question, solve_page

        if fmt == "html":
            text = solve_page(a, qids, student, explain=explain)
        elif len(qids) != 1:
            raise click.UsageError("--format svg draws one question's picture: give one id")
        else:
            q = a.questions[qids[0]]
            text = picture_for_question(q)
            if text is None:
                raise CnncheckError(
                    f"{q.id} is a {q.kind.name} question, which has no picture "
                    "(conv2d, conv1d, pool2d and conv_transpose2d have one)"
                )
        if output:
            from .fileio import write_atomic

            write_atomic(output, text)
        else:
            click.echo(text, nl=False)
        return
    if output:
        raise click.UsageError("-o writes --format html or svg")
    if fmt == "json":
        from .report.jsonout import solve_json

        _print_json(solve_json(a, qids, explain))
    else:
        from .report.tables import solve_view

        _console().print(solve_view(a, qids, explain))


@cli.command(name="list")
@format_option()
@bank_option
@pass_state
def list_(state: State, fmt):
    """List the assignments and questions in the bank.

    \b
    Example:
      cnncheck list
      cnncheck --bank my-course/ list
    """
    bank = state.bank
    assignments = list(bank.assignments.values())
    if fmt == "json":
        from .report.jsonout import list_json

        _print_json(list_json(assignments, bank.default))
    else:
        from .report.tables import list_view

        _console().print(list_view(assignments, bank.default))


@cli.command()
@assignment_argument
@click.option(
    "--student",
    metavar="ID",
    help="The student's id, written into the file (and their variant's forms).",
)
@output_option()
@bank_option
@pass_state
def template(state: State, assignment, assignment_flag, student, output):
    """Write an answer file to fill in: every question id, with its prompt and the form of its
    answer.

    \b
    Examples:
      cnncheck template > answers.yaml
      cnncheck template cs577-hw2 --student jdoe -o hw2.yaml
    """
    from .report.template import answer_template

    assignment = _the_assignment(assignment, assignment_flag)
    text = answer_template(state.bank.get(assignment).for_student(student), student)
    if output:
        from .fileio import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


@cli.command()
@assignment_argument
@click.option(
    "--student",
    metavar="ID",
    help="Whose sheet: questions that differ per student are drawn for this id.",
)
@format_option(
    ("table", "markdown"),
    None,
    "table (the terminal) or markdown (default: markdown for -o FILE.md, else table).",
)
@output_option()
@bank_option
@pass_state
def generate(state: State, assignment, assignment_flag, student, fmt, output):
    """Print a student's question sheet: every prompt with its parameters, no answers.

    Variants are drawn from the assignment, the question and the student id,
    so the same sheet comes out anywhere, offline.

    \b
    Examples:
      cnncheck generate --student jdoe
      cnncheck generate cs577-hw4 --student jdoe -o jdoe.md
    """
    a = state.bank.get(_the_assignment(assignment, assignment_flag)).for_student(student)
    fmt = fmt or ("markdown" if output and output.endswith(".md") else "table")
    if fmt == "markdown":
        from .report.template import question_sheet

        text = question_sheet(a, student)
        if output:
            from .fileio import write_atomic

            write_atomic(output, text)
        else:
            click.echo(text, nl=False)
        return
    from .report.tables import sheet_view

    if output:
        from .fileio import write_atomic

        write_atomic(output, _plain(sheet_view(a, student)))
    else:
        _console().print(sheet_view(a, student))


@cli.command()
@click.argument("which", type=click.Choice(["bank", "answers"]))
def schema(which):
    """Print the JSON Schema of bank files or answer files, for editors.

    With the YAML language server (VS Code's YAML extension, for one), a
    modeline on a file's first line turns on checking and completion:
    # yaml-language-server: $schema=./bank.schema.json

    \b
    Examples:
      cnncheck schema bank > bank.schema.json
      cnncheck schema answers > answers.schema.json
    """
    from pathlib import Path

    if which == "bank":  # generated from the kinds' declared keys
        from .kinds.schema import schema_text

        click.echo(schema_text(), nl=False)
        return
    click.echo(
        (Path(__file__).parent / "schemas" / f"{which}.schema.json").read_text(encoding="utf-8"),
        nl=False,
    )


@cli.command(name="check-bank")
@click.argument("path", required=False, type=PATH)
@format_option()
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@bank_option
@pass_state
def check_bank_command(state: State, path, fmt, strict):
    """Check a question bank: every problem, with its file, line and question, and warnings.

    Warnings flag legal but suspicious definitions: a stride that leaves rows
    uncovered, a kernel larger than the unpadded input, an answer no answer
    file can hold. Exits 2 on errors, 1 on warnings with --strict, else 0.

    \b
    Examples:
      cnncheck check-bank my-course/
      cnncheck --bank my-course/hw1.yaml check-bank --strict
    """
    from .bank import BankError, load_bank
    from .checks import Finding, check_bank
    from .report.values import safe

    try:
        bank = load_bank(path or state.bank_path)
        findings, n = check_bank(bank), len(bank.ids)
    except BankError as e:
        findings, n = [Finding("error", p.path, p.line, p.message) for p in e.problems], 0
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if fmt == "json":
        _print_json(
            {"errors": errors, "warnings": warnings, "findings": [f._asdict() for f in findings]}
        )
    else:
        for f in findings:
            click.echo(safe(str(f), 1000))
        summary = (
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )
        click.echo(summary + (f" in {n} assignment{'s' if n != 1 else ''}" if n else ""))
    sys.exit(EXIT_ERROR if errors else EXIT_BELOW if strict and warnings else EXIT_OK)


def main() -> None:
    cli(prog_name="cnncheck")
