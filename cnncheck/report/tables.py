"""Reports as rich renderables. Reporters build; only the CLI prints.

Student text is always a :class:`~rich.text.Text` built from :func:`safe`
strings, never markup, so ``[bold red]`` in an answer file is shown as written.
"""

from __future__ import annotations

import numpy as np
from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from ..bank import Assignment, Question
from ..forms import Expected, form_of
from ..forms.array import WRONG_MARK  # noqa: F401 (the mark reporters and tests name)
from ..forms.text import BY_HAND  # noqa: F401
from ..grading import Report
from .feedback import run_level, views
from .values import describe_raw, num, safe, safe_lines, shown_path

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


class _Rigid:
    """A grid in a table cell: measured at its full width, so columns shrink around it, never
    through it."""

    def __init__(self, text: Text):
        self.text = text

    def __rich_console__(self, console, options):
        yield self.text

    def __rich_measure__(self, console, options):
        from rich.cells import cell_len
        from rich.measure import Measurement

        width = max((cell_len(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(width, width)


def cell(text: Text):
    """A table cell for grid(): rigid for grids, wrapping for prose."""
    return _Rigid(text) if text.no_wrap else text


def _points(x: float) -> str:
    return num(round(x, 3))


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
    show_expected = any(v.expected is not None for v in shown)
    show_result = any(v.status is not None for v in shown)
    table = Table(box=box.SIMPLE_HEAVY, show_lines=True, expand=False, pad_edge=False)
    columns = [("Q", "left"), ("kind", "left"), ("your answer", "left")]
    columns += [("expected", "left")] if show_expected else []
    columns += [("result", "left")] if show_result else []
    for name, justify in columns + [("points", "right")]:
        grids = name in ("your answer", "expected")  # each grid says whether it wraps (see grid())
        table.add_column(
            name,
            justify=justify,
            no_wrap=not grids and name != "result",
            min_width={"points": 6, "kind": 7}.get(name, 0) if not grids else None,
        )
    for v in shown:
        if not v.readable:
            given = (
                Text(describe_raw(v.answer)) if v.answer is not None else Text("—", style="missing")
            )
        else:
            given = cell(grid(v.answer, v.wrong, v.channels, v.form))
        row = [Text(safe(v.id, 200)), Text(v.kind), given]
        if show_expected:
            row.append(
                cell(grid(v.expected, None, v.channels, v.form))
                if v.expected is not None
                else Text("")
            )
        if show_result:
            verdict = Text(v.status or "", style=v.status or "")
            for extra in (v.message, v.diagnosis):
                if extra:
                    verdict.append("\n" + safe(extra, 300), style="")
            row.append(verdict)
        row.append(Text(f"{_points(v.score)}/{_points(v.max_score)}"))
        table.add_row(*row)
    table.add_section()
    total = Text(
        f"{_points(report.score)}/{_points(report.max_score)}",
        style="correct" if report.full_marks else "incorrect",
    )
    if report.pending:  # neither earned nor lost until a TA decides
        total.append(f"\n{_points(report.pending)} pending", style="manual")
    table.add_row(Text("total", style="title"), *[""] * (len(columns) - 1), total)
    parts: list = [head, table]
    if any(v.wrong is not None and v.wrong.any() for v in shown):
        parts.append(Text(f"{WRONG_MARK} marks a cell that is not right", style="dim"))
    for note in report.notes:
        parts.append(Text("note: " + safe(note, 300), style="dim"))
    if explain:
        for v, r in zip(shown, report.results):
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


def _indent(text: Text) -> Text:
    out = Text()
    for i, line in enumerate(text.split("\n")):
        out.append("\n" if i else "")
        out.append("  ")
        out.append_text(line)
    return out


def working_panel(q: Question, title: str) -> Panel:
    return Panel(working(q), title=Text(title, style="title"), title_align="left", expand=False)


def question_panel(q: Question, explain: bool = False, answer: bool = True) -> Panel:
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
