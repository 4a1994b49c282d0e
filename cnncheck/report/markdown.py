"""A report as GitHub-flavoured Markdown: what a student reads in a CI job's summary.

``cnncheck grade answers.yaml --format markdown >> "$GITHUB_STEP_SUMMARY"``: per submission the
points, one table row per question (its verdict and points, and for an answer that is not right
what the feedback level allows: the wrong cells, the likely mistake, the expected answer), and
the notes. What a student wrote is shown as text, never as markup: every Markdown punctuation
character is escaped and ``<``, ``>``, ``&`` are entities, so an answer cannot make a link, an
image or HTML. GitHub drops a step's summary larger than 1 MiB, so the text stops short of it,
with a line saying so.
"""

from __future__ import annotations

import re

from ..forms import num
from ..grading import Status
from .feedback import run_level, views
from .plain import view_lines
from .values import safe, shown_path

MAX_BYTES = 1024 * 1024 - 4096  # GitHub's limit for one step's summary, with room to say "cut"
_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
MARK = {
    Status.CORRECT: "✅",
    Status.PARTIAL: "🟡",
    Status.INCORRECT: "❌",
    Status.INVALID: "⚠️",
    Status.MISSING: "➖",
}


def md(text: str) -> str:
    """Untrusted text as Markdown that shows it as written (one line: new lines as <br>)."""
    text = safe(str(text).replace("\r\n", "\n"), 2000)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PUNCT.sub(r"\\\1", text).replace("\n", "<br>")


def _submission(o, feedback: str | None) -> list[str]:
    if not o.ok:
        line = f" (line {o.line})" if o.line else ""
        return [f"### ⚠️ {md(shown_path(o.path))}", "", f"Not graded{line}: {md(o.message)}", ""]
    level = run_level(o, feedback)
    who = f" · {md(o.student)}" if o.student else ""
    decided = o.max_score - o.pending
    head = f"### {md(o.assignment.id)}{who}: {num(round(o.score, 3))}/{num(decided)} points"
    out = [head, "", f"graded {md(shown_path(o.path))}", ""]
    if o.pending:
        out += [f"{num(o.pending)} more points wait for a TA.", ""]
    out += ["| question | result | points | what to look at |", "|---|---|---:|---|"]
    for v, r in zip(views(o, level), o.results):
        if r.status.pending:
            verdict = "⏳ awaiting a TA"
        elif v.status is None:
            verdict = "✅" if r.status is Status.CORRECT else "·"
        else:
            verdict = f"{MARK.get(r.status, '')} {v.status}".strip()
        detail = ""
        if r.status is not Status.CORRECT and not r.status.pending and level != "score":
            lines = view_lines(v, inline=True)[1:]
            detail = "<br>".join(md(line) for line in lines)
        line = f" (line {v.line})" if v.line else ""
        points = f"{num(round(v.score, 3))}/{num(v.max_score)}"
        out.append(f"| {md(v.id)}{line} | {verdict} | {points} | {detail} |")
    out.append("")
    out += [f"> {md(n)}" for n in o.notes] + ([""] if o.notes else [])
    return out


def markdown_report(outcomes: list, feedback: str | None = None) -> str:
    parts: list[str] = []
    size = 0
    for i, o in enumerate(outcomes):
        text = "\n".join(_submission(o, feedback)) + "\n"
        n = len(text.encode("utf-8"))
        if size + n > MAX_BYTES:
            parts.append(
                f"*{len(outcomes) - i} more submissions not shown: a job summary holds 1 MiB.*\n"
            )
            break
        parts.append(text)
        size += n
    return "\n".join(parts)
