"""Arrays as programs print them, pasted into an answer file.

* Python and JSON: ``[[45, 45], [54, 54]]``, tuples ``((45, 45), (54, 54))``;
* NumPy: ``[[45 45]\\n [54 54]]`` (no commas), ``array([[45, 45], [54, 54]])``, with
  ``dtype=...``; 3-D arrays with blank lines between the matrices;
* PyTorch: ``tensor([[45., 45.], [54., 54.]])``, with ``dtype=`` or ``grad_fn=<...>``;
* MATLAB and Octave: ``[45 45; 54 54]``, ``[45, 45; 54, 54]``;
* 1-D forms: ``[4 -7 -3 5 -6]``.

:func:`read` gives nested lists of number strings (the numbers are read by the form), or None
when the text is not a bracketed array. An array NumPy abbreviated (``...``) is refused: its
values are not all there.
"""

from __future__ import annotations

import re

from ..core import AnswerError, quoted

_WRAPPER = re.compile(
    r"^\s*(?:(?:np|numpy|torch)\.)?(?:array|tensor|asarray|Tensor|matrix|Size)\s*\((.*)\)\s*$",
    re.DOTALL,
)
_KEYWORDS = re.compile(r",\s*(?:dtype|grad_fn|device|requires_grad)\s*=.*$", re.DOTALL)
_TOKEN = re.compile(r"\[|\]|\(|\)|;|,|[^\s\[\]();,]+")


def unwrap(text: str) -> str:
    """``array(...)`` or ``tensor(...)`` without its name and keyword arguments."""
    m = _WRAPPER.match(text)
    if not m:
        return text
    return _KEYWORDS.sub("", m.group(1)).strip()


def read(text: str, max_depth: int):
    """Nested lists of number strings from a bracketed array, or None if ``text`` is not one."""
    t = unwrap(text.strip())
    if not t.startswith(("[", "(")):
        return None
    if "..." in t or "…" in t:
        raise AnswerError(
            "the array was printed abbreviated (...): some values are missing; "
            "print it whole (numpy.set_printoptions(threshold=sys.maxsize)) or write every value"
        )
    stack: list[list] = [[]]
    rows: list[list | None] = [None]  # the rows a list split with ';' (MATLAB) has so far
    closers = []
    for token in _TOKEN.findall(t):
        if token in "[(":
            if len(stack) > max_depth:
                raise AnswerError(f"nested more than {max_depth} levels deep")
            stack.append([])
            rows.append(None)
            closers.append("]" if token == "[" else ")")
        elif token in "])":
            if len(stack) == 1 or closers.pop() != token:
                raise AnswerError(f"the brackets of {quoted(text)} do not match")
            items, split = stack.pop(), rows.pop()
            if split is not None:
                items = [*split, items] if items else split
            stack[-1].append(items)
        elif token == ";":
            if len(stack) == 1:
                raise AnswerError(f"cannot read {quoted(text)}: ';' outside the brackets")
            rows[-1] = [*(rows[-1] or []), stack[-1]]
            stack[-1] = []
        elif token != ",":
            stack[-1].append(token)
    if len(stack) != 1:
        raise AnswerError(f"the brackets of {quoted(text)} are not closed")
    top = stack[0]
    if len(top) != 1:
        raise AnswerError(f"cannot read {quoted(text)}: text after the closing bracket")
    return top[0]
