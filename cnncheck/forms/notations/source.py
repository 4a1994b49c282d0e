"""The answer as it stands in the file, when YAML's value lost something the student meant.

* A plain scalar on several lines (``q2: 45 45`` then ``54 54`` below, without ``|``): YAML folds
  the lines into one, ``45 45 54 54``; the rows are still in the file.
* A folded block (``>``) folds them too.
* A double-quoted string turns ``\\b`` into a backspace and ``\\e`` into an escape character, so
  ``"\\begin{bmatrix} ...\\end{bmatrix}"`` arrives as control characters: LaTeX written in double
  quotes is read as written, with a note on how to write it next time.

The YAML boundary keeps a :class:`Source` for the scalars where this can happen (see
``yamlio``); everything else reads the value as YAML gave it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..core import Unparsed


class Source(NamedTuple):
    """A scalar as written: its YAML style (``None`` plain, ``'"'``, ``"'"``, ``'|'``, ``'>'``)
    and its text in the file, from its first character to its last."""

    style: str | None
    text: str


# a backslash and a letter YAML reads as an escape, followed by more letters: a LaTeX command
_LATEX_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[abefrtv][A-Za-z]")
DOUBLE_QUOTE_NOTE = (
    "read as written: in double quotes YAML turns \\b, \\t, \\f and \\e into control "
    "characters; write LaTeX in single quotes or after |"
)


def as_written(value: str, source: Source | None) -> tuple[str, str | None]:
    """The text to read for a string answer, and a note when it is not YAML's value."""
    if source is None:
        return value, None
    style, text = source
    if not style and "\n" in text:  # a plain scalar YAML folded: its lines are its rows
        return "\n".join(line.strip() for line in text.split("\n")), None
    if style == ">":  # a folded block: the lines under its header
        return "\n".join(line.strip() for line in text.split("\n")[1:]), None
    if style == '"' and _LATEX_ESCAPE.search(text):
        inner = text[1:-1] if text.endswith('"') else text[1:]
        return inner.replace('\\"', '"'), DOUBLE_QUOTE_NOTE
    return value, None


def text_of(raw, source: Source | None, notes: list[str]):
    """What a form reads: the lines of an answer YAML could not parse, a string as written in the
    file, or anything else as YAML gave it; what the reader had to do is added to ``notes``."""
    if isinstance(raw, Unparsed):
        notes.append(raw.note())
        raw = raw.readable_text()
    if isinstance(raw, str):
        raw, note = as_written(raw, source)
        notes += [note] if note else []
    return raw
