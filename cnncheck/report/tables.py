"""Reports as rich renderables. Reporters build; only the CLI prints.

Student text is always a :class:`~rich.text.Text` built from :func:`safe`
strings, never markup, so ``[bold red]`` in an answer file is shown as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from ..bank import Assignment, Question
from ..forms import Expected, form_of
from ..forms.array import WRONG_MARK  # noqa: F401 (the mark reporters and tests name)
from ..forms.text import BY_HAND  # noqa: F401
from ..grading import Report, carried_working
from .feedback import run_level, views
from .values import describe_raw, num, safe, safe_lines, shown_path

if TYPE_CHECKING:
    from rich.panel import Panel

THEME = Theme(
    {
        "correct": "bold green",
        "partial": "bold yellow",
        "incorrect": "bold red",
        "missing": "dim",
        "invalid": "bold magenta",
        "manual": "bold cyan",
        "review": "bold cyan",
        "wrong": "bold red",
        "label": "cyan",
        "title": "bold",
    }
)


def grid(value, wrong: np.ndarray | None = None, channels=None, form=None) -> Text:
    """A value as its form shows it (an answer's form is its question's): small aligned grids for
    counts, shapes, vectors, matrices and stacks of them, which keep their rows whole (no
    wrapping); written answers and rubrics wrap."""
    return (form or form_of(value)).rich(value, wrong, channels)


MARKS = {  # a verdict's sign, so it shows without colour too
    "correct": "✓",
    "partial": "~",
    "incorrect": "✗",
    "invalid": "!",
    "missing": "–",
    "manual": "?",
    "review": "?",
}
GAP = 2  # spaces between columns
MIN_PROSE = 30  # a narrower terminal still gets prose this wide


def _width(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


_NEWLINE = Text("\n")


def _fitted(line: Text, console, options):
    """What rich renders for ``line``: at once when it fits the width on one line (no tab, no line
    break, justified by default), the same segments ``Text`` gives after word-wrapping it, which
    for such a line changes nothing; else the Text itself, to be wrapped."""
    plain = line.plain
    if (
        (line.justify or options.justify or "default") == "default"
        and "\n" not in plain
        and "\t" not in plain
        and 0 < options.max_width
        and cell_len(plain) <= options.max_width
    ):
        return _NEWLINE.join([line]).render(console, end=line.end)
    return (line,)


class _Row:
    """One question: grids side by side on its first lines, prose at full width below."""

    def __init__(self, qid: str, answer, expected, verdict, points: str, prose: list):
        self.qid, self.answer, self.expected = qid, answer, expected
        self.verdict, self.points, self.prose = verdict, points, prose


class QuestionTable:
    """The graded questions laid out for the terminal's width, 80 columns first.

    Numbers and matrices stand in a grid (Q, your answer, expected, result, points); prose (a
    written answer, what is wrong, the likely mistake) goes below its row at the full width.
    When the grids do not fit side by side, the expected answer moves below its row, then the
    student's. Every mark is a character (``*`` on a wrong cell, a sign before each verdict), so
    nothing depends on colour.
    """

    def __init__(self, rows: list[_Row], show_expected: bool, show_result: bool, total: Text):
        self.rows, self.show_expected, self.show_result = rows, show_expected, show_result
        self.total = total

    def _columns(self, width: int, below: set) -> list[tuple[str, int]]:
        cols = [("Q", max([1] + [len(r.qid) for r in self.rows]))]
        for name, attr in (("your answer", "answer"), ("expected", "expected")):
            if name == "expected" and not self.show_expected:
                continue
            if attr in below:
                continue
            grids = [_width(getattr(r, attr)) for r in self.rows if getattr(r, attr) is not None]
            cols.append((name, max([len(name)] + grids)))
        if self.show_result:
            cols.append(("result", max([6] + [_width(r.verdict) for r in self.rows])))
        cols.append(("points", max([6] + [len(r.points) for r in self.rows])))
        return cols

    def __rich_console__(self, console, options):
        def fit(line: Text):
            return _fitted(line, console, options)

        width = options.max_width
        below: set = set()
        cols = self._columns(width, below)
        for attr in ("expected", "answer"):  # too wide side by side: below its row instead
            if sum(w for _, w in cols) + GAP * (len(cols) - 1) <= width:
                break
            below.add(attr)
            cols = self._columns(width, below)
        span = sum(w for _, w in cols) + GAP * (len(cols) - 1)
        indent = cols[0][1] + GAP
        prose_width = max(MIN_PROSE, width - indent)
        head = Text()
        for i, (name, w) in enumerate(cols):
            head.append(" " * (GAP if i else 0))
            head.append(name.rjust(w) if name == "points" else name.ljust(w), style="title")
        yield from fit(head)
        yield from fit(Text("─" * min(span, width), style="dim"))
        for r in self.rows:
            cells = {"Q": Text(r.qid), "points": Text(r.points)}
            if "answer" not in below and r.answer is not None:
                cells["your answer"] = r.answer
            if "expected" not in below and r.expected is not None:
                cells["expected"] = r.expected
            if self.show_result:
                cells["result"] = r.verdict
            lines = {name: cells[name].split("\n") if name in cells else [] for name, _ in cols}
            height = max(len(v) for v in lines.values()) or 1
            for k in range(height):
                line = Text()
                for i, (name, w) in enumerate(cols):
                    part = lines[name][k] if k < len(lines[name]) else Text("")
                    pad = " " * (w - _width(part))
                    line.append(" " * (GAP if i else 0))
                    if name == "points":
                        line.append(pad)
                        line.append_text(part)
                    else:
                        line.append_text(part)
                        line.append(pad)
                line.rstrip()
                yield from fit(line)
            prose = list(r.prose)
            for attr, label in (("answer", "your answer"), ("expected", "expected")):
                grid_value = getattr(r, attr)
                if attr in below and grid_value is not None:
                    prose.insert(0 if attr == "answer" else min(1, len(prose)), (label, grid_value))
            for item in prose:
                if isinstance(item, tuple):  # a grid moved below: its label, then its rows
                    label, value = item
                    yield from fit(Text(" " * indent + label + ":", style="label"))
                    for part in value.split("\n"):
                        yield from fit(Text(" " * (indent + 2)).append_text(part))
                    continue
                for part in item.wrap(console, prose_width):
                    part.rstrip()
                    yield from fit(Text(" " * indent).append_text(part))
        yield from fit(Text("─" * min(span, width), style="dim"))
        line = Text("total", style="title")
        first = self.total.split("\n")
        line.append(" " * max(1, span - 5 - _width(first[0])))
        line.append_text(first[0])
        yield from fit(line)
        for extra in first[1:]:
            yield from fit(Text(" " * max(0, span - _width(extra))).append_text(extra))


def _points(x: float) -> str:
    return num(round(x, 3))


def _verdict(status) -> Text:
    return Text(f"{MARKS.get(str(status), '')} {status}".strip(), style=str(status))


def grade_table(report: Report, feedback: str | None = None, explain: bool = False) -> Group:
    """The graded table, showing what the feedback level allows; with ``explain``, the working
    under each answer that is not right (only where the level is ``full``)."""
    level = run_level(report, feedback)
    shown = views(report, level)
    a = report.assignment
    head = Text()
    head.append(safe(a.id, 200), style="title")
    if a.title != a.id:
        head.append(f" · {safe(a.title)}")
    head.append("\nstudent: ")
    head.append(safe(report.student, 200) if report.student else "(not given)")
    head.append(f" · {shown_path(report.path)}")
    rows = []
    for v in shown:
        prose: list = []
        answer = expected = None
        if v.answer is None:
            answer = Text("—", style="missing")
        elif not v.readable:
            prose.append(Text("your answer: ", style="label").append(describe_raw(v.answer)))
        else:
            shown_answer = grid(v.answer, v.wrong, v.channels, v.form)
            if shown_answer.no_wrap:
                answer = shown_answer
            else:  # words: quoted below the row
                prose.append(Text("“").append_text(shown_answer).append("”"))
        if v.expected is not None:
            shown_expected = grid(v.expected, None, v.channels, v.form)
            if shown_expected.no_wrap:
                expected = shown_expected
            elif not (v.status and v.message):  # the message names the ideas: never twice
                prose.append(Text("expected: ", style="label").append_text(shown_expected))
        verdict = _verdict(v.status) if v.status is not None else Text("")
        if v.carried_from and v.score < v.max_score:  # right for their own upstream: part credit
            verdict = Text(f"{MARKS['partial']} carried", style="partial")
        for extra in (v.message, v.diagnosis):
            if extra and not (v.answer is None and extra == "no answer"):  # "– missing" says it
                prose.append(Text(safe(extra, 300)))
        points = f"{_points(v.score)}/{_points(v.max_score)}"
        rows.append(_Row(safe(v.id, 200), answer, expected, verdict, points, prose))
    total = Text(
        f"{_points(report.score)}/{_points(report.max_score)}",
        style="correct" if report.full_marks else "incorrect",
    )
    if report.pending:  # neither earned nor lost until a TA decides
        total.append(f"\n{_points(report.pending)} pending", style="manual")
    show_expected = any(v.expected is not None for v in shown)
    show_result = any(v.status is not None for v in shown)
    parts: list = [head, Text(""), QuestionTable(rows, show_expected, show_result, total)]
    if any(v.wrong is not None and v.wrong.any() for v in shown):
        parts.append(Text(f"{WRONG_MARK} marks a cell that is not right", style="dim"))
    for note in report.notes:
        parts.append(Text("note: " + safe(note, 300), style="dim"))
    if explain:
        for v, r in zip(shown, report.results):
            if v.level == "full" and r.carried_from:
                parts.append(carried_panel(r))
            if v.level == "full" and not r.status.done:
                parts.append(working_panel(r.question, f"{r.id}: the working"))
    return Group(*parts)


def batch_view(outcomes: list, feedback: str | None = None, explain: bool = False) -> Group:
    """Each submission's table (or the reason it could not be graded), then a line for the class."""

    parts: list = []
    for i, o in enumerate(outcomes):
        if i:
            parts.append(Text(""))
        if not o.ok:
            parts.append(Text(f"✗ {safe(str(o), 500)}", style="invalid"))
        else:
            parts.append(grade_table(o, feedback, explain))
    if len(outcomes) > 1:
        errors = sum(not o.ok for o in outcomes)
        full = sum(o.ok and o.full_marks for o in outcomes)
        parts.append(
            Text(
                f"\n{len(outcomes)} submissions: {full} with full marks, "
                f"{len(outcomes) - full - errors} below, {errors} unreadable",
                style="title",
            )
        )
    return Group(*parts)


def working(q: Question) -> Table:
    """A question's worked solution: one line per step, grids under the steps that show a value."""
    body = Table.grid(padding=(0, 1))
    body.add_column()
    for step in q.kind.explain(q.params, q.expected):
        body.add_row(Text(safe_lines(step.text, 2000)))
        if step.value is not None:
            v = step.value
            shown = grid(v.value, None, v.channels) if isinstance(v, Expected) else grid(v)
            body.add_row(
                Text("  ").append_text(shown) if "\n" not in shown.plain else _indent(shown)
            )
    return body


def carried_panel(r) -> Panel:
    """The working of an answer credited by carrying forward, on the student's own numbers."""
    from rich.panel import Panel

    body = Table.grid(padding=(0, 1))
    body.add_column()
    for step in carried_working(r):
        body.add_row(Text(safe_lines(step.text, 2000)))
        if step.value is not None:
            v = step.value
            shown = grid(v.value, None, v.channels) if isinstance(v, Expected) else grid(v)
            body.add_row(_indent(shown))
    title = Text(f"{r.id}: the working, carried forward from {r.carried_from}", style="title")
    return Panel(body, title=title, title_align="left", expand=False)


def _indent(text: Text) -> Text:
    out = Text()
    for i, line in enumerate(text.split("\n")):
        out.append("\n" if i else "")
        out.append("  ")
        out.append_text(line)
    return out


def working_panel(q: Question, title: str) -> Panel:
    from rich.panel import Panel

    return Panel(working(q), title=Text(title, style="title"), title_align="left", expand=False)


def question_panel(q: Question, explain: bool = False, answer: bool = True) -> Panel:
    from rich.panel import Panel

    body = Table.grid(padding=(0, 2))
    body.add_column(style="label", justify="right")
    body.add_column()
    if q.prompt:
        body.add_row("prompt", Text(safe_lines(q.prompt, 2000)))
    for label, value in q.kind.describe(q.params):
        if isinstance(value, Expected):
            shown = grid(value.value, None, value.channels)
        else:
            shown = (
                grid(value) if isinstance(value, np.ndarray) else Text(safe_lines(str(value), 2000))
            )
        body.add_row(Text(safe(label, 200)), shown)
    if explain:
        body.add_row(Text("working", style="title"), working(q))
    if answer:
        body.add_row(
            Text("answer", style="title"),
            grid(q.expected.value, None, q.expected.channels, q.kind.form),
        )
    pts = _points(q.points)
    title = Text(safe(q.id, 200), style="title")
    title.append(f" · {q.kind.name} · {pts} point{'s' if pts != '1' else ''}")
    return Panel(body, title=title, title_align="left", expand=False)


def solve_view(assignment: Assignment, ids: list[str], explain: bool = False) -> Group:
    head = Text(safe(assignment.id, 200), style="title")
    if assignment.title != assignment.id:
        head.append(f" · {safe(assignment.title)}", style="")
    return Group(head, *(question_panel(assignment.questions[qid], explain) for qid in ids))


def sheet_view(assignment: Assignment, student: str | None) -> Group:
    """A student's question sheet: prompts and parameters, no answers."""
    head = Text(safe(assignment.title), style="title")
    head.append(
        f"\nassignment {safe(assignment.id, 200)}"
        + (f" · student {safe(student, 200)}" if student else ""),
        style="",
    )
    return Group(head, *(question_panel(q, answer=False) for q in assignment.questions.values()))


def list_view(assignments: list[Assignment], default: str) -> Group:
    parts = []
    for a in assignments:
        title = Text(
            f"{safe(a.id, 200)}{' (default)' if a.id == default else ''} · {safe(a.title)}"
        )
        table = Table(
            title=title,
            title_justify="left",
            box=box.SIMPLE,
            caption=Text(shown_path(a.path)),
            caption_justify="left",
        )
        table.add_column("Q", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("points", justify="right", no_wrap=True)
        table.add_column("prompt")
        for q in a.questions.values():
            prompt = Text(safe(" ".join(q.prompt.split()), 40))
            table.add_row(Text(safe(q.id, 200)), q.kind.name, _points(q.points), prompt)
        parts.append(table)
    return Group(*parts)
