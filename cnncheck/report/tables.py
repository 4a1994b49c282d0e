"""Reports as rich renderables. Reporters build; only the CLI prints.

Student text is always a :class:`~rich.text.Text` built from :func:`safe`
strings, never markup, so ``[bold red]`` in an answer file is shown as written.
"""

from __future__ import annotations

import numpy as np
from rich import box
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from ..bank import Assignment, Question
from ..forms import Expected
from ..grading import Report
from .values import describe_raw, grid_rows, num, safe

THEME = Theme({
    "correct": "bold green", "partial": "bold yellow", "incorrect": "bold red", "missing": "dim",
    "invalid": "bold magenta", "wrong": "bold red", "label": "cyan", "title": "bold",
})
WRONG_MARK = "*"  # after a cell that differs, so the diff shows without colour too


def grid(value, wrong: np.ndarray | None = None, channels: tuple[str, ...] | None = None) -> Text:
    """An answer as small aligned grids: a count, a shape, a vector, a matrix or a stack of them."""
    if isinstance(value, tuple):
        return _shape_text(value, wrong)
    arr = np.asarray(value)
    if arr.ndim == 0:
        return Text(f"{int(arr):,}" if arr.dtype.kind in "iuO" else num(arr.item()))
    if arr.ndim <= 2:
        return _matrix(arr, wrong)
    out = Text()
    for c in range(arr.shape[0]):  # one block per channel or filter; a 4-D filter bank nests
        if c:
            out.append("\n")
        out.append(f"{channels[c] if channels and c < len(channels) else f'[{c}]'}\n", style="label")
        out.append_text(grid(arr[c], None if wrong is None else wrong[c]))
    return out


def _shape_text(shape: tuple, wrong) -> Text:
    out = Text()
    for i, n in enumerate(shape):
        if i:
            out.append("×")
        out.append(str(n), style="wrong" if wrong is not None and wrong[i] else "")
    return out


def _matrix(m: np.ndarray, wrong: np.ndarray | None) -> Text:
    rows = grid_rows(m, wrong)
    widths = [max(len(rows[i][j][0]) for i in range(len(rows))) for j in range(len(rows[0]))]
    mark = wrong is not None and bool(np.any(wrong))
    out = Text()
    for i, row in enumerate(rows):
        if i:
            out.append("\n")
        for j, (cell, bad) in enumerate(row):
            out.append(" " if j else "")
            out.append(cell.rjust(widths[j]), style="wrong" if bad else "")
            if mark:
                out.append(WRONG_MARK if bad else " ", style="wrong")
    return out


def _points(x: float) -> str:
    return num(round(x, 3))


def grade_table(report: Report) -> Group:
    a = report.assignment
    head = Text()
    head.append(a.id, style="title")
    if a.title != a.id:
        head.append(f" · {safe(a.title)}")
    head.append("\nstudent: ")
    head.append(safe(report.student) if report.student else "(not given)")
    head.append(f" · {safe(report.path)}")
    table = Table(box=box.SIMPLE_HEAVY, show_lines=True, expand=False)
    for name, justify in (("Q", "left"), ("kind", "left"), ("your answer", "left"), ("expected", "left"),
                          ("result", "left"), ("points", "right")):
        table.add_column(name, justify=justify)
    for r in report.results:
        q = r.question
        if r.status in ("invalid", "missing"):
            given = Text(describe_raw(r.answer)) if r.status == "invalid" else Text("—", style="missing")
        else:
            given = grid(r.answer, r.wrong, q.expected.channels)
        verdict = Text(r.status, style=r.status)
        if r.message:
            verdict.append("\n" + safe(r.message, 300), style="")
        table.add_row(q.id, q.kind.name, given, grid(q.expected.value, None, q.expected.channels), verdict,
                      f"{_points(r.score)}/{_points(r.max_score)}")
    table.add_section()
    total = Text(f"{_points(report.score)}/{_points(report.max_score)}", style="correct" if report.full_marks else "incorrect")
    table.add_row(Text("total", style="title"), "", "", "", "", total)
    parts: list = [head, table]
    if any(r.wrong is not None and r.wrong.any() for r in report.results):
        parts.append(Text(f"{WRONG_MARK} marks a cell that differs from the expected answer", style="dim"))
    for note in report.notes:
        parts.append(Text("note: " + safe(note, 300), style="dim"))
    return Group(*parts)


def question_panel(q: Question) -> Panel:
    body = Table.grid(padding=(0, 2))
    body.add_column(style="label", justify="right")
    body.add_column()
    if q.prompt:
        body.add_row("prompt", Text(q.prompt))
    for label, value in q.kind.describe(q.params):
        if isinstance(value, Expected):
            shown = grid(value.value, None, value.channels)
        else:
            shown = grid(value) if isinstance(value, np.ndarray) else Text(str(value))
        body.add_row(label, shown)
    body.add_row(Text("answer", style="title"), grid(q.expected.value, None, q.expected.channels))
    pts = _points(q.points)
    return Panel(body, title=f"[title]{escape(q.id)}[/] · {q.kind.name} · {pts} point{'s' if pts != '1' else ''}",
                 title_align="left", expand=False)


def solve_view(assignment: Assignment, ids: list[str]) -> Group:
    head = Text(assignment.id, style="title")
    if assignment.title != assignment.id:
        head.append(f" · {assignment.title}", style="")
    return Group(head, *(question_panel(assignment.questions[qid]) for qid in ids))


def list_view(assignments: list[Assignment], default: str) -> Group:
    parts = []
    for a in assignments:
        table = Table(title=f"{a.id}{' (default)' if a.id == default else ''} · {a.title}", title_justify="left",
                      box=box.SIMPLE, caption=safe(a.path, 200), caption_justify="left")
        table.add_column("Q", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("points", justify="right", no_wrap=True)
        table.add_column("prompt")
        for q in a.questions.values():
            table.add_row(q.id, q.kind.name, _points(q.points), safe(" ".join(q.prompt.split()), 40))
        parts.append(table)
    return Group(*parts)
