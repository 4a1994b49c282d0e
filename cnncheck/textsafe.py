"""Text that came from outside (answers, names, file paths) made safe to show.

The lowest layer: the YAML boundary, the reporters and the command line all show untrusted text
through :func:`safe`, so a control character, an ANSI escape or a file name that is not valid
UTF-8 (Python keeps its bytes as lone surrogates) never reaches a terminal, a CSV cell or a
UTF-8 file raw.
"""

from __future__ import annotations

MAX_SHOWN = 120  # characters of an unreadable answer shown back
MAX_PATH = 1000  # characters of a file path shown back


def safe(text: str, limit: int = MAX_SHOWN) -> str:
    """Printable text: control characters and lone surrogates escaped (``\\x1b``, ``\\udcff``), long
    text cut."""
    text = str(text)
    if text.isprintable():  # the common case, in C
        out = text
    else:
        out = "".join(
            c
            if c.isprintable() or c == " "
            else c.encode("unicode_escape", "backslashreplace").decode("ascii")
            for c in text
        )
    return out if len(out) <= limit else out[: limit - 1] + "…"


def shown_path(path) -> str:
    """A file path as every report and message shows it."""
    return safe(str(path), MAX_PATH)


def safe_lines(text: str, limit: int = MAX_SHOWN) -> str:
    """Like :func:`safe`, but new lines are kept (each line cut at ``limit``): prompts, written
    answers."""
    return "\n".join(safe(line, limit) for line in str(text).splitlines())
