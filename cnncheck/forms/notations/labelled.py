"""Answers with words around them, and matrices with labels, as students write them by hand.

One value among words (counts and shapes):

* ``Output tensor = 126 x 126 x 16``, ``126x126x16 (no padding)``, ``P = 1``;
* working before the result: ``5*5*1*10 + 10 = 260`` is read after its last ``=``;
* ``260 parameters``, ``5x5`` for a receptive field of 5 (``a x a`` of one number, said in a note).

Two values, such as ``with padding 128x128x16, without 126x126x16``, are never chosen between:
:func:`one_value` refuses them ("two answers: give one").

Labelled blocks (arrays): lines such as ``R: 1 1; 1 1`` or ``Red =`` above a matrix, or matrices
separated by blank lines, become one block each, with their labels (:func:`blocks`).
"""

from __future__ import annotations

import re

from ..core import AnswerError

# a shape 126x126x16, a tuple (126, 126, 16), or a number (signs, decimals, exponents, 75M)
_SHAPE = r"\d+(?:\s*[x×X*]\s*\d+)+"
_TUPLE = r"[(\[]\s*\d+(?:\s*,\s*\d+)+\s*,?\s*[)\]]"
_NUMBER = (
    r"[-+]?(?:\d{1,3}(?:[,\u202f ']\d{3})+(?![\d])|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
    r"|\.\d+)(?:\s*(?:k|K|M|mln|million|thousand|B|bn|billion)\b)?(?:\s*/\s*\d+)?"
)
_VALUE = re.compile(rf"{_TUPLE}|{_SHAPE}|{_NUMBER}")
_ASIDE = re.compile(r"\([^()]*[A-Za-z][^()]*\)")  # (no padding), (stride 2): a remark
_POWER = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[x×*·]|\\times|\\cdot)\s*10\s*\^\s*\{?\s*([-+]?\d+)\}?")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPER_POWER = re.compile(r"(\d+(?:\.\d+)?)\s*[x×*·]\s*10([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_WORD = re.compile(r"[A-Za-z]{2,}")
# words that may stand around an answer: they name it, they never change it
_FILLER = {
    "the", "output", "outputs", "tensor", "shape", "size", "volume", "is", "are", "of", "answer",
    "result", "params", "parameters", "parameter", "weights", "total", "count", "number",
    "trainable", "learnable", "feature", "map", "maps", "dimensions", "dimension", "dims",
    "receptive", "field", "padding", "pad", "pixels", "pixel", "units", "values", "so", "we",
    "get", "gives", "give", "final", "layer", "activation", "activations", "it", "equals",
    "and", "therefore", "thus", "hence", "in", "out", "rf", "each", "side", "per", "with",
    "without", "no", "same", "valid", "zero", "padded", "after", "conv", "convolution",
    "pooling", "filters", "kernels", "channels", "ans", "approximately", "about", "roughly",
}  # fmt: skip


def powers(text: str) -> str:
    """``7.5 x 10^7``, ``7.5·10⁷`` and ``7.5 \\times 10^{7}`` as ``7.5e7``."""
    text = _SUPER_POWER.sub(lambda m: f"{m.group(1)}e{m.group(2).translate(_SUPERSCRIPT)}", text)
    return _POWER.sub(lambda m: f"{m.group(1)}e{m.group(2)}", text)


def one_value(text: str) -> tuple[str, bool]:
    """The one value a sentence gives, as text, and whether words had to be set aside.

    Raises :class:`AnswerError` for two different values, or for words that say more than a
    label (``not 126x126x16``)."""
    t = powers(" ".join(text.split()))
    if "=" in t:
        t = t.rsplit("=", 1)[1]  # the working before the last '=' led to the result after it
    t = _ASIDE.sub(" ", t)
    found = [m.group(0) for m in _VALUE.finditer(t)]
    if not found:
        raise AnswerError(f"found no number in {_short(text)}")
    rest = _VALUE.sub(" ", t)
    words = {w.lower() for w in _WORD.findall(rest)} - _FILLER
    distinct = list(dict.fromkeys(_canonical(v) for v in found))
    if len(distinct) > 1:
        shown = ", ".join(found[:3])
        raise AnswerError(f"two answers ({shown}): give one")
    if words:
        raise AnswerError(
            f"cannot tell what {_short(text)} says: words such as "
            f"{', '.join(sorted(words)[:3])!r} around the answer; write the answer alone"
        )
    leftover = re.sub(r"[\s:,.;]", "", _WORD.sub("", rest))
    if leftover:
        raise AnswerError(f"cannot read {_short(text)}")
    return found[0], t.strip() != found[0]


def _canonical(v: str) -> str:
    return re.sub(r"[\s()\[\]]", "", v).replace("×", "x").replace("X", "x").replace("*", "x")


# ---------------------------------------------------------------- labelled blocks

_LABEL = re.compile(
    r"^\s*(?P<label>[A-Za-z][A-Za-z ]{0,20}?(?:\s*\d{1,3})?|\d{1,3}|\[\d{1,3}\])"
    r"\s*[:=]\s*(?P<rest>.*)$"
)


def blocks(text: str) -> list[tuple[str | None, str]]:
    """A written answer split into (label, rows text) blocks: at a label line (``R:``,
    ``Red =``, ``filter 2:``) or a blank line. One block without a label: the whole text."""
    out: list[tuple[str | None, list[str]]] = []
    current: tuple[str | None, list[str]] | None = None
    for line in text.split("\n"):
        m = _LABEL.match(line)
        if m:
            current = (m.group("label").strip(), [m.group("rest")] if m.group("rest") else [])
            out.append(current)
        elif not line.strip():
            if current is not None and any(r.strip() for r in current[1]):
                current = None  # a blank line ends a block that has rows
        else:
            if current is None:
                current = (None, [])
                out.append(current)
            current[1].append(line)
    return [(label, "\n".join(rows)) for label, rows in out if any(r.strip() for r in rows)]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 60 else text[:57] + "...")
