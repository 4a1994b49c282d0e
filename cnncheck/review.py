"""The review loop: what a person should look at, as a sheet a TA fills in, and the filled sheet
taken back into a grade run.

``cnncheck review CLASS/`` lists every answer a TA should see (answers waiting for a person,
answers that could not be read, written answers the rubric scored only in part) as a CSV sheet,
one row per answer, with empty ``points`` and ``comment`` columns. ``cnncheck grade CLASS/
--scores SHEET`` applies the filled rows: each reviewed answer gets the TA's points, in every
format. A row is matched to its answer by the student (or, for a file that names no student, the
file as shown), the assignment and the question, and holds the answer's ``answer_key``, a short
hash of what the student wrote: when the answer has changed since, the review no longer applies,
and the report says so.

Pure but for :func:`read_scores` and the ``write_sheet_*`` functions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
from dataclasses import replace
from typing import NamedTuple

from .forms import Unparsed, num
from .grading import CORRECT, INCORRECT, INVALID, PARTIAL, QuestionResult, Report
from .textsafe import safe, safe_lines, shown_path
from .yamlio import InputError

COLUMNS = (
    "file", "student", "assignment", "question", "status", "suggested", "max_points", "why",
    "prompt", "answer", "answer_key", "points", "comment",
)  # fmt: skip
NEEDED = ("file", "student", "assignment", "question", "answer_key", "points")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection
TA = "graded by a TA"
MAX_SHEET_BYTES = 50_000_000
MAX_COMMENT = 2000


# ------------------------------------------------------------ what a person should look at


def barely_passed(r: QuestionResult) -> bool:
    """A written answer the rubric scored by itself that earned some, not all, of its points."""
    return r.question.kind.form.name == "text" and r.status is PARTIAL and 0 < r.score < r.max_score


def needs_review(report: Report) -> list[QuestionResult]:
    """The results of ``report`` a person should look at, in the assignment's order: answers
    waiting for a TA, answers that could not be read, and barely passed written answers."""
    return [
        r for r in report.results if r.status.pending or r.status is INVALID or barely_passed(r)
    ]


# ------------------------------------------------------------ the sheet


def answer_text(r: QuestionResult) -> str:
    """The answer as the student wrote it (a written answer), or as its form writes the value it
    was read as (an array, a shape, a count), or the raw value when it could not be read."""
    a = r.answer
    if not r.readable or a is None:
        return _raw_text(a)
    if isinstance(a, str):
        return a
    return r.question.kind.form.text(a, r.question.expected.channels)


def _raw_text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, Unparsed):
        return raw.text
    if isinstance(raw, dict):
        return "{" + ", ".join(f"{_raw_text(k)}: {_raw_text(v)}" for k, v in raw.items()) + "}"
    if isinstance(raw, list):
        return "[" + ", ".join(_raw_text(v) for v in raw) + "]"
    return str(raw)


def answer_key(assignment: str, question: str, answer: str) -> str:
    """A short stable hash of an answer to one question: a changed answer gets another key."""
    data = "\n".join((assignment, question, answer)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:12]


def result_key(report: Report, r: QuestionResult) -> str:
    return answer_key(report.assignment.id, r.id, answer_text(r))


def _who(report: Report) -> tuple[str, str]:
    """Whose answers: the student, when the file names one, else the file as shown."""
    if report.student:
        return ("student", safe(report.student, 200))
    return ("file", os.path.normpath(shown_path(report.path)))


def _why(r: QuestionResult) -> str:
    if barely_passed(r):
        return f"the rubric gave {num(round(r.score, 3))} of {num(r.max_score)}: {r.message}"
    return r.message


def _suggested(r: QuestionResult) -> float | None:
    if r.status.pending:
        return r.suggested
    return r.score  # what the grade run gives it as it stands (0 for an unreadable answer)


class Row(NamedTuple):
    """One answer for a TA: who, which question, what the rubric suggests and why, the prompt and
    the answer; ``points`` and ``comment`` are the TA's."""

    file: str
    student: str
    assignment: str
    question: str
    status: str
    suggested: str
    max_points: str
    why: str
    prompt: str
    answer: str
    answer_key: str
    points: str = ""
    comment: str = ""


def sheet_rows(outcomes, scores: Scores | None = None) -> list[Row]:
    """A row for every answer of ``outcomes`` (reports; files that could not be graded are left
    out) a person should look at. With ``scores`` (an earlier sheet), a row whose answer has not
    changed since comes with its points and comment filled in."""
    rows = []
    for o in outcomes:
        if not o.ok:
            continue
        who = _who(o)
        for r in needs_review(o):
            key = result_key(o, r)
            done = scores.rows.get((who, o.assignment.id, r.id)) if scores else None
            if done is not None and done.answer_key != key:
                done = None
            suggested = _suggested(r)
            rows.append(
                Row(
                    shown_path(o.path),
                    safe(o.student or "", 200),
                    safe(o.assignment.id, 200),
                    safe(r.id, 200),
                    str(r.status),
                    num(round(suggested, 6)) if suggested is not None else "",
                    num(r.max_score),
                    safe_lines(_why(r), 5000),
                    safe_lines(r.question.prompt, 5000),
                    safe_lines(answer_text(r), 10_000),
                    key,
                    num(done.points) if done else "",
                    done.comment if done else "",
                )
            )
    return rows


def _cell(text: str) -> str:
    """A cell no spreadsheet runs as a formula: ``'`` before it, which shows it as text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def sheet_csv(rows: list[Row]) -> str:
    """The sheet as CSV: a header of :data:`COLUMNS`, one row per answer."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for row in rows:
        w.writerow([_cell(c) for c in row])
    return buf.getvalue()


def _md(text: str) -> str:
    """Text shown as text inside a line of Markdown: what Markdown or HTML could act on, escaped."""
    out = []
    for c in text:
        out.append("\\" + c if c in "\\`*_[]<>|~&" else c)
    return "".join(out)


def _fenced(text: str) -> str:
    """A code block that holds ``text`` as it is (its fence longer than any run of backticks)."""
    run = best = 0
    for c in text:
        run = run + 1 if c == "`" else 0
        best = max(best, run)
    fence = "`" * max(3, best + 1)
    return f"{fence}text\n{text}\n{fence}"


def sheet_markdown(rows: list[Row], sheet: str | None = None) -> str:
    """The sheet as a readable page: one section per answer, with the question, the student's
    answer, the suggested points and why. ``sheet``: the CSV file the points go in."""
    where = f" in `{sheet}`" if sheet and "`" not in sheet else ""
    lines = [
        "# Answers to review",
        "",
        f"{len(rows)} answer{'s' if len(rows) != 1 else ''} to review. Write each one's points "
        f"(and a comment, if you like) in the `points` and `comment` columns of its row{where}, "
        "then grade with `cnncheck grade ... --scores SHEET.csv`.",
    ]
    for n, row in enumerate(rows, 1):
        who = row.student or row.file
        suggested = (
            f"{row.suggested} of {row.max_points} points"
            if row.suggested
            else f"none (worth {row.max_points} points)"
        )
        lines += [
            "",
            f"## {n}. {_md(who)}: {_md(row.assignment)} {_md(row.question)} ({row.status})",
            "",
            f"- file: {_md(row.file)}",
            f"- suggested: {suggested}",
            f"- why: {_md(' '.join(row.why.split()))}" if row.why.strip() else "- why: -",
            f"- answer key: `{row.answer_key}`",
        ]
        if row.points:
            lines.append(f"- points given: {_md(row.points)}")
        lines += ["", "**Question.** " + _md(" ".join(row.prompt.split())), "", "**Answer.**", ""]
        lines.append(_fenced(row.answer) if row.answer.strip() else "(nothing readable)")
    return "\n".join(lines) + "\n"


def write_sheet_csv(path, rows: list[Row]) -> None:
    """:func:`sheet_csv`, written atomically to ``path``."""
    from .fileio import write_atomic

    write_atomic(path, sheet_csv(rows))


def write_sheet_markdown(path, rows: list[Row], sheet: str | None = None) -> None:
    """:func:`sheet_markdown`, written atomically to ``path``."""
    from .fileio import write_atomic

    write_atomic(path, sheet_markdown(rows, sheet))


# ------------------------------------------------------------ the filled sheet, back


class Score(NamedTuple):
    """A TA's decision on one answer."""

    points: float
    comment: str
    answer_key: str
    line: int


class Scores(NamedTuple):
    """A filled sheet: (who, assignment, question) -> :class:`Score`, where ``who`` is
    ``("student", id)`` or ``("file", path as shown)``."""

    path: str
    rows: dict


def _number(text: str) -> float | None:
    t = text.strip()
    if t.count(",") == 1 and "." not in t:  # 1,5: a spreadsheet's decimal comma
        t = t.replace(",", ".")
    try:
        x = float(t)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def read_scores(path) -> Scores:
    """Read a filled sheet: the rows whose ``points`` are filled in. Raises :class:`InputError`
    (``path:line: message``) for a file that is not such a sheet, and for points that are not a
    number from 0 to the answer's ``max_points``."""
    from .sheets import read_sheet

    name, header, lines = read_sheet(path, MAX_SHEET_BYTES, "sheet")
    header = [h.lower() for h in header]
    missing = [c for c in NEEDED if c not in header]
    if missing:
        raise InputError(
            f"not a review sheet: no {', '.join(missing)} column (write one with cnncheck review; "
            f"its columns: {', '.join(COLUMNS)})",
            name,
            1,
        )
    col = {c: header.index(c) for c in COLUMNS if c in header}
    rows: dict = {}
    for line, cells in lines:

        def get(c: str) -> str:
            i = col.get(c)
            return _uncell(cells[i].strip()) if i is not None and i < len(cells) else ""

        if not get("points"):
            continue
        qid, aid = get("question"), get("assignment")
        where = f"{aid} {qid}" + (f" of {get('student')}" if get("student") else "")
        points = _number(get("points"))
        if points is None:
            raise InputError(
                f"points: {safe(get('points'), 40)!r} is not a number ({where})", name, line
            )
        top = _number(get("max_points")) if "max_points" in col else None
        if points < 0 or (top is not None and points > top + 1e-9):
            most = f" to {num(top)}" if top is not None else " or more"
            raise InputError(
                f"points: {num(points)} is outside 0{most}, the points {qid} is worth ({where})",
                name,
                line,
            )
        if not qid or not aid or not get("answer_key"):
            raise InputError(
                "a row with points needs its question, assignment and answer_key", name, line
            )
        who = ("student", get("student")) if get("student") else ("file", get("file"))
        if who == ("file", ""):
            raise InputError("a row with points needs its student or its file", name, line)
        if who[0] == "file":
            who = ("file", os.path.normpath(who[1]))
        key = (who, aid, qid)
        if key in rows:
            raise InputError(
                f"{where} is scored twice (first on line {rows[key].line})", name, line
            )
        comment = " ".join(get("comment").split())[:MAX_COMMENT]
        rows[key] = Score(points, comment, get("answer_key").lower(), line)
    return Scores(name, rows)


def apply_scores(report: Report, scores: Scores | None) -> Report:
    """``report`` with the TA's points on each answer the sheet reviewed: final (correct, partial
    or incorrect; no longer pending), its message ``graded by a TA`` and the comment. A review of
    an answer that has changed since is not applied: the report says so in a note."""
    if not scores or not scores.rows or not report.ok:
        return report
    who = _who(report)
    results, notes = [], []
    for r in report.results:
        done = scores.rows.get((who, report.assignment.id, r.id))
        if done is None:
            results.append(r)
            continue
        if done.answer_key != result_key(report, r):
            notes.append(
                f"the answer to {r.id} changed since it was reviewed "
                f"({shown_path(scores.path)}, line {done.line}): the review no longer applies"
            )
            results.append(r)
            continue
        if done.points > r.max_score + 1e-9:
            notes.append(
                f"the review of {r.id} gives {num(done.points)} points, but {r.id} is worth "
                f"{num(r.max_score)} ({shown_path(scores.path)}, line {done.line}): "
                "the review no longer applies"
            )
            results.append(r)
            continue
        results.append(_graded(r, done))
    if not notes and all(a is b for a, b in zip(results, report.results)):
        return report
    return replace(report, results=tuple(results), notes=report.notes + tuple(notes))


def _graded(r: QuestionResult, done: Score) -> QuestionResult:
    """A TA's points on ``r``: final, no longer pending; an answer that could not be read is still
    shown as written (``reviewed_from``)."""
    points = min(max(done.points, 0.0), r.max_score)
    if points >= r.max_score - 1e-9:
        status = CORRECT
    elif points <= 1e-9:
        status = INCORRECT
    else:
        status = PARTIAL
    message = TA + (f": {done.comment}" if done.comment else "")
    return replace(
        r,
        status=status,
        reviewed_from=r.reviewed_from or r.status,
        score=points,
        message=message,
        hint=message,
        wrong=None,
        mistakes=(),
        suggested=None,
    )
