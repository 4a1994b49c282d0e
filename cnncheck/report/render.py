"""One entry point from graded outcomes to the chosen format: a string, or rich renderables for the
table."""

from __future__ import annotations

from typing import NamedTuple


def json_line(outcome, feedback: str | None = None, memo: dict | None = None) -> str:
    """One submission's report as one compact JSON line (for a class: see :func:`render`).
    ``memo``: shared between calls, the JSON of values many reports have in common."""
    import json

    from .jsonout import grade_json

    item = error_json(outcome) if not outcome.ok else grade_json(outcome, feedback, memo)
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def error_json(error) -> dict:
    """An error row as JSON: the file as shown everywhere (escaped), the reason, the line."""
    from ..textsafe import safe, shown_path

    return {"file": shown_path(error.path), "error": safe(error.message, 2000), "line": error.line}


class Screen(NamedTuple):
    """How a table is laid out where it will be shown: a worker renders it to text the same way."""

    width: int = 120
    color_system: str | None = None  # None: plain text (a file, NO_COLOR)
    force_terminal: bool = False

    @classmethod
    def of(cls, console) -> Screen:
        return cls(
            console.width, None if console.no_color else console.color_system, console.is_terminal
        )

    def console(self, file):
        from rich.console import Console

        from .tables import THEME

        # no highlighting or emoji codes: what a student wrote is shown exactly as written
        return Console(
            file=file,
            width=self.width,
            color_system=self.color_system,
            force_terminal=self.force_terminal,
            theme=THEME,
            highlight=False,
            emoji=False,
            soft_wrap=False,
            legacy_windows=False,
        )


def table_text(
    outcome, screen: Screen = Screen(), feedback: str | None = None, explain: bool = False
) -> str:
    """One submission's table (or its error row) as text for ``screen``: rendered where it was
    graded."""
    import io

    from rich.text import Text

    from .tables import grade_table
    from .values import safe

    buf = io.StringIO()
    screen.console(buf).print(
        Text(f"✗ {safe(str(outcome), 500)}", style="invalid")
        if not outcome.ok
        else grade_table(outcome, feedback, explain)
    )
    return buf.getvalue()


def with_entry(outcome, render) -> tuple:
    """``render(outcome)`` and the outcome's gradebook row, both made where the file is graded."""
    from .csvout import gradebook_entry

    return render(outcome), gradebook_entry(outcome)


def class_line(tallies: list) -> str:
    """The line under a class's tables."""

    errors = sum(not t.ok for t in tallies)
    full = sum(t.ok and t.full_marks for t in tallies)
    return (
        f"{len(tallies)} submissions: {full} with full marks, "
        f"{len(tallies) - full - errors} below, {errors} unreadable"
    )


def render(
    outcomes: list,
    fmt: str,
    *,
    feedback: str | None = None,
    explain: bool = False,
    summary: bool = False,
    seconds: float | None = None,
    assignment=None,
    similarity: dict | None = None,
):
    """``fmt`` is table, json, junit, gradescope or github. Returns a str, or a rich renderable for
    tables. ``seconds``: how long the run has taken (Gradescope's ``execution_time``);
    ``assignment``: what the run grades against, for an unreadable file's questions;
    ``similarity``: the pairs ``grade --similarity`` lists, for the class's summary and its HTML
    report only (a TA's, never a student's)."""

    if summary:
        from .summary import summarize, summary_view

        stats = summarize(outcomes)
        if similarity is not None:
            stats["similarity"] = similarity
        return _json(stats) if fmt == "json" else summary_view(stats)
    if fmt == "json":
        from .jsonout import grade_json

        if len(outcomes) == 1:
            o = outcomes[0]
            return _json(error_json(o) if not o.ok else grade_json(o, feedback))
        # a class: one compact line per submission (the C encoder: fast, and a tenth of the size)
        memo: dict = {}
        lines = [json_line(o, feedback, memo) for o in outcomes]
        return "[\n" + ",\n".join(lines) + "\n]\n"
    if fmt == "junit":
        from .junit import junit_xml

        return junit_xml(outcomes, feedback)
    if fmt == "gradescope":
        from .gradescope import gradescope_results

        return _json(gradescope_results(outcomes[0], feedback, seconds))
    if fmt == "classroom50":
        from .classroom50 import classroom50_result

        return _json(classroom50_result(outcomes[0], feedback, assignment))
    if fmt == "csv":
        from .csvout import gradebook_csv

        return gradebook_csv(outcomes)
    if fmt == "html":
        from .html import html_report

        return html_report(outcomes, feedback, explain, similarity=similarity)
    if fmt == "markdown":
        from .markdown import markdown_report

        return markdown_report(outcomes, feedback)
    if fmt == "github":
        from .github import github_commands

        return github_commands(outcomes, feedback)
    from .tables import batch_view

    return batch_view(outcomes, feedback, explain)


def _json(data) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
