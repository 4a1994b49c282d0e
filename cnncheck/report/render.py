"""One entry point from graded outcomes to the chosen format: a string, or rich renderables for the table."""

from __future__ import annotations

import json


def render(outcomes: list, fmt: str, *, feedback: str | None = None, explain: bool = False, summary: bool = False):
    """``fmt`` is table, json, junit, gradescope or github. Returns a str, or a rich renderable for tables."""
    from ..batch import FileError

    if summary:
        from .summary import summarize, summary_view

        stats = summarize(outcomes)
        return _json(stats) if fmt == "json" else summary_view(stats)
    if fmt == "json":
        from .jsonout import grade_json

        memo: dict = {}
        items = [{"file": o.path, "error": o.message, "line": o.line} if isinstance(o, FileError)
                 else grade_json(o, feedback, memo) for o in outcomes]
        if len(items) == 1:
            return _json(items[0])
        # a class: one compact line per submission (and the C encoder: fast, and a tenth of the size)
        return "[\n" + ",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in items) + "\n]\n"
    if fmt == "junit":
        from .junit import junit_xml

        return junit_xml(outcomes, feedback)
    if fmt == "gradescope":
        from .gradescope import gradescope_results

        return _json(gradescope_results(outcomes[0], feedback))
    if fmt == "github":
        from .github import github_commands

        return github_commands(outcomes, feedback)
    from .tables import batch_view

    return batch_view(outcomes, feedback, explain)


def _json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
