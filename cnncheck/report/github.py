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


MAX_PER_LEVEL = 10  # annotations GitHub shows per step, per level


def _capped(commands: list[tuple[str, str, dict, str]]) -> list[str]:
    """``(level, message, props, label)`` as workflow commands, at most 10 per level; the label
    names the command in the tenth's list of the rest."""
    total: dict[str, int] = {}
    for c in commands:
        total[c[0]] = total.get(c[0], 0) + 1
    seen: dict[str, int] = {}
    rest: dict[str, list[str]] = {}
    out = []
    for level, message, props, label in commands:
        i = seen[level] = seen.get(level, 0) + 1
        if total[level] <= MAX_PER_LEVEL or i < MAX_PER_LEVEL:
            out.append(_command(level, message, **props))
        else:
            rest.setdefault(level, []).append(label)
    for level, labels in rest.items():
        shown = ", ".join(labels[:20]) + (" ..." if len(labels) > 20 else "")
        out.append(
            _command(
                level,
                f"{len(labels)} more: {shown}. The job summary shows them all.",
                title=f"cnncheck: {len(labels)} more {level}s",
            )
        )
    return out


def github_commands(outcomes: list, feedback: str | None = None) -> str:

    out: list[tuple[str, str, dict]] = []
    for o in outcomes:
        if not o.ok:
            out.append(
                (
                    "error",
                    safe(o.message, 500),
                    dict(
                        file=shown_path(o.path), line=o.line, title="cnncheck: unusable answer file"
                    ),
                    shown_path(o.path),
                )
            )
            continue
        level = run_level(o, feedback)
        for v, r in zip(views(o, level), o.results):
            if r.status is Status.CORRECT or level == "score":
                continue
            if r.status.pending:
                out.append(
                    (
                        "notice",
                        f"{v.id} is graded by hand",
                        dict(file=shown_path(o.path), line=v.line, title=f"{v.id} awaits a TA"),
                        f"{v.id} ({shown_path(o.path)}:{v.line})",
                    )
                )
                continue
            lines = [safe(line, 500) for line in view_lines(v, inline=True)[1:]]
            out.append(
                (
                    "error" if r.status is not Status.PARTIAL else "warning",
                    "\n".join(lines),
                    dict(file=shown_path(o.path), line=v.line, title=f"{v.id} {v.status}"),
                    f"{v.id} ({shown_path(o.path)}" + (f":{v.line})" if v.line else ")"),
                )
            )
        who = safe(o.student, 200) if o.student else shown_path(o.path)
        out.append(
            (
                "notice",
                f"{who}: {num(round(o.score, 3))}/{num(o.max_score)} points on {o.assignment.id}",
                dict(title="cnncheck"),
                f"{who} ({num(round(o.score, 3))}/{num(o.max_score)})",
            )
        )
    return "\n".join(_capped(out)) + "\n"
