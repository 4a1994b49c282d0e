"""One entry point from graded outcomes to the chosen format: a string, or rich renderables for the table."""

from __future__ import annotations

import json


def json_line(outcome, feedback: str | None = None, memo: dict | None = None) -> str:
    """One submission's report as one compact JSON line (for a class: see :func:`render`).
    ``memo``: shared between calls, the JSON of values many reports have in common."""
    from ..batch import FileError
    from .jsonout import grade_json

    item = ({"file": outcome.path, "error": outcome.message, "line": outcome.line} if isinstance(outcome, FileError)
            else grade_json(outcome, feedback, memo))
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def render(outcomes: list, fmt: str, *, feedback: str | None = None, explain: bool = False, summary: bool = False,
           lines: list[str] | None = None):
    """``fmt`` is table, json, junit, gradescope or github. Returns a str, or a rich renderable for tables.

    ``lines``: the submissions' JSON lines, when the workers that graded them rendered them too.
    """
    from ..batch import FileError

    if summary:
        from .summary import summarize, summary_view

        stats = summarize(outcomes)
        return _json(stats) if fmt == "json" else summary_view(stats)
    if fmt == "json":
        from .jsonout import grade_json

        if lines is not None:  # rendered where each file was graded
            return "[\n" + ",\n".join(lines) + "\n]\n"
        if len(outcomes) == 1:
            o = outcomes[0]
            return _json({"file": o.path, "error": o.message, "line": o.line} if isinstance(o, FileError)
                         else grade_json(o, feedback))
        # a class: one compact line per submission (the C encoder: fast, and a tenth of the size)
        memo: dict = {}
        lines = [json_line(o, feedback, memo) for o in outcomes]
        return "[\n" + ",\n".join(lines) + "\n]\n"
    if fmt == "junit":
        from .junit import junit_xml

        return junit_xml(outcomes, feedback)
    if fmt == "gradescope":
        from .gradescope import gradescope_results

        return _json(gradescope_results(outcomes[0], feedback))
    if fmt == "csv":
        from .csvout import gradebook_csv

        return gradebook_csv(outcomes)
    if fmt == "github":
        from .github import github_commands

        return github_commands(outcomes, feedback)
    from .tables import batch_view

    return batch_view(outcomes, feedback, explain)


def _json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
