"""GitHub Actions workflow commands: an annotation on the line of each answer that is not right.

``::error file=answers.yaml,line=12,title=q8 incorrect::...`` makes a pull
request show the mistake inline. Values are escaped as the Actions toolkit
escapes them: ``%``, CR and LF in messages; also ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from ..forms import num
from ..grading import Status
from .feedback import run_level, views
from .plain import view_lines
from .values import safe, shown_path


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props) -> str:
    """One workflow command; nothing raw in it (control characters escaped, each line of the message
    cut)."""
    inner = ",".join(f"{k}={_prop(safe(str(v), 1000))}" for k, v in props.items() if v is not None)
    message = _data("\n".join(safe(line, 1000) for line in message.split("\n")))
    return f"::{kind} {inner}::{message}" if inner else f"::{kind}::{message}"


def github_commands(outcomes: list, feedback: str | None = None) -> str:

    out = []
    for o in outcomes:
        if not o.ok:
            out.append(
                _command(
                    "error",
                    safe(o.message, 500),
                    file=shown_path(o.path),
                    line=o.line,
                    title="cnncheck: unusable answer file",
                )
            )
            continue
        level = run_level(o, feedback)
        for v, r in zip(views(o, level), o.results):
            if r.status is Status.CORRECT or level == "score":
                continue
            if r.status.pending:
                out.append(
                    _command(
                        "notice",
                        f"{v.id} is graded by hand",
                        file=shown_path(o.path),
                        line=v.line,
                        title=f"{v.id} awaits a TA",
                    )
                )
                continue
            lines = [safe(line, 500) for line in view_lines(v, inline=True)[1:]]
            out.append(
                _command(
                    "error" if r.status is not Status.PARTIAL else "warning",
                    "\n".join(lines),
                    file=shown_path(o.path),
                    line=v.line,
                    title=f"{v.id} {v.status}",
                )
            )
        who = safe(o.student, 200) if o.student else shown_path(o.path)
        out.append(
            _command(
                "notice",
                f"{who}: {num(round(o.score, 3))}/{num(o.max_score)} points on {o.assignment.id}",
                title="cnncheck",
            )
        )
    return "\n".join(out) + "\n"
