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

from ..core import MINUSES, AnswerError, quoted

# a shape 126x126x16, a tuple (126, 126, 16), or a number (signs, decimals, exponents, 75M)
_SHAPE = r"\d+(?:\s*[x×X*]\s*\d+)+"
_TUPLE = r"[(\[]\s*\d+(?:\s*,\s*\d+)+\s*,?\s*[)\]]"
_NUMBER = (
    r"[-+]?(?:\d{1,3}(?:[,\u202f ']\d{3})+(?![\d])|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
    r"|\.\d+)(?:\s*(?:k|K|M|mln|million|thousand|B|bn|billion)\b)?(?:\s*/\s*\d+)?"
)
_VALUE = re.compile(rf"{_TUPLE}|{_SHAPE}|{_NUMBER}")
# (no padding): a remark in words; with a number in it, (or 128x128x16), it may be a second answer
_ASIDE = re.compile(r"\([^()0-9]*[A-Za-z][^()0-9]*\)")
_WORKING_ASIDE = re.compile(r"\(\s*=\s*([^()=]*(?:\([^()]*\)[^()=]*)*)\)")  # (= 500·500·3 + 100)
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
    "pooling", "filters", "kernels", "channels", "ans", "on",
}  # fmt: skip


def powers(text: str) -> str:
    """``7.5 x 10^7``, ``7.5·10⁷`` and ``7.5 \\times 10^{7}`` as ``7.5e7``."""
    text = _SUPER_POWER.sub(lambda m: f"{m.group(1)}e{m.group(2).translate(_SUPERSCRIPT)}", text)
    return _POWER.sub(lambda m: f"{m.group(1)}e{m.group(2)}", text)


def one_value(text: str, form: str = "count") -> tuple[str, bool]:
    """The one value a sentence gives, as text, and whether words or working were set aside.

    ``form`` is "count" or "shape". Working written as an equation (``5*5*1*10 + 10 = 260``,
    ``260 = 5*5*1*10 + 10``, ``126x126x16 = 254,016 values``) is checked: its sides must agree.
    Raises :class:`AnswerError` for two different values, for working that does not give the
    result, or for words that say more than a label (``not 126x126x16``)."""
    t = powers(" ".join(text.translate(MINUSES).split()))
    t = _WORKING_ASIDE.sub(lambda m: f" = {m.group(1)}", t)
    t = _ASIDE.sub(" ", t).strip().rstrip(".").strip()
    if "=" in t:
        chained = _chain(t, form)
        if chained is not None:
            return chained, True
    found = [m.group(0) for m in _VALUE.finditer(t)]
    if not found:
        raise AnswerError(f"found no number in {quoted(text)}")
    rest = _VALUE.sub(" ", t)
    words = {w.lower() for w in _WORD.findall(rest)} - _FILLER
    distinct = list(dict.fromkeys(_canonical(v) for v in found))
    if len(distinct) > 1:
        shown = ", ".join(found[:3])
        raise AnswerError(f"two answers or more ({shown}): give one")
    if words:
        raise AnswerError(
            f"cannot tell what {quoted(text)} says: words such as "
            f"{', '.join(sorted(words)[:3])!r} around the answer; write the answer alone"
        )
    leftover = re.sub(r"[\s:,.;=]", "", _WORD.sub("", rest))
    if leftover:
        raise AnswerError(f"cannot read {quoted(text)}")
    return found[0], t.strip() != found[0]


_ARITHMETIC = re.compile(r"[\d\s+\-*/x×X·().^]+")
_THOUSANDS_IN = re.compile(r"\b\d{1,3}(?:[, ']\d{3})+\b")
_UNITS = re.compile(r"\b(?:parameters|params|weights|values|pixels|units)\b", re.IGNORECASE)
_LABEL_ONLY = re.compile(r"[A-Za-z][A-Za-z _]{0,40}")


def _chain(t: str, form: str) -> str | None:
    """The result of working written as an equation, when every side is a label (first only) or
    arithmetic and the arithmetic agrees; None when the text is not such an equation (the caller
    then reads it as words). Raises AnswerError when the sides disagree."""
    parts = [p.strip() for p in t.split("=")]
    if parts and _LABEL_ONLY.fullmatch(parts[0]):
        parts = parts[1:]  # "Output tensor = ...", "P = 1"
    sides = []
    for part in parts:
        plain = _UNITS.sub(" ", part).strip()
        plain = _THOUSANDS_IN.sub(lambda m: re.sub(r"[, ']", "", m.group(0)), plain)
        if not plain or not _ARITHMETIC.fullmatch(plain):
            return None
        sides.append(plain)
    if not sides:
        return None
    shapes = [s for s in sides if re.fullmatch(_SHAPE, s)]
    if form == "shape":
        if len({_canonical(s) for s in shapes}) != 1:
            return None
        shape = shapes[0]
        product = _evaluate(re.sub(r"[x×X]", "*", shape))
        for side in sides:
            if side not in shapes and _evaluate(side) != product:
                raise AnswerError(f"the working does not agree: {quoted(t)}")
        return shape
    values = [_evaluate(s) for s in sides]
    if any(v != values[-1] for v in values):
        raise AnswerError(f"the working does not give the result: {quoted(t)}")
    result = sides[-1] if not re.search(r"[+\-*/x×X·()^]", sides[-1].lstrip("-+")) else None
    result = result or next(
        (s for s in sides if not re.search(r"[+*/x×X·()^]", s.lstrip("-+"))), None
    )
    if result is None:
        v = values[-1]
        result = str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    return result


def _evaluate(expr: str):
    """Arithmetic on exact fractions: + - * / ^ and parentheses; anything else is refused."""
    import ast
    from fractions import Fraction

    source = re.sub(r"[x×X·]", "*", expr).replace("^", "**")
    if len(source) > 200:
        raise AnswerError("the working is too long to check")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise AnswerError(f"cannot read the working {quoted(expr)}") from None

    def value(node):
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = value(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a, b = value(node.left), value(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            if isinstance(node.op, ast.Div) and b != 0:
                return a / b
            if (
                isinstance(node.op, ast.Pow)
                and b.denominator == 1
                and abs(b) <= 64
                and abs(a) < 10**6
            ):
                return a ** int(b)
        raise AnswerError(f"cannot read the working {quoted(expr)}")

    return value(tree)


def _canonical(v: str) -> str:
    return re.sub(r"[\s()\[\]]", "", v).replace("×", "x").replace("X", "x").replace("*", "x")


# ---------------------------------------------------------------- labelled blocks

_LABEL = re.compile(
    r"^\s*(?P<label>[A-Za-z][A-Za-z ]{0,20}?(?:\s*\d{1,3})?|\d{1,3}|\[\d{1,3}\])"
    r"\s*[:=]\s*(?P<rest>.*)$"
)


# R = [[...]], G = [[...]] on one line: a label after a closing bracket starts a new block
_INLINE_LABELS = re.compile(r"(?<=[\])])\s*[,;]?\s+(?=[A-Za-z][A-Za-z ]{0,20}\s*[:=])")
# a label alone on its line, as `cnncheck solve` prints channels: R, Red channel, [0]
_BARE_LABEL = re.compile(
    r"^\s*(?P<label>[A-Za-z][A-Za-z ]{0,20}?(?:\s*\d{1,3})?|\[\d{1,3}\])\s*(?P<rest>)$"
)


def has_inline_labels(text: str) -> bool:
    return bool(_INLINE_LABELS.search(text))


def blocks(text: str) -> list[tuple[str | None, str]]:
    """A written answer split into (label, rows text) blocks: at a label line (``R:``,
    ``Red =``, ``filter 2:``) or a blank line. One block without a label: the whole text."""
    out: list[tuple[str | None, list[str]]] = []
    current: tuple[str | None, list[str]] | None = None
    for line in _INLINE_LABELS.sub("\n", text).split("\n"):
        m = _LABEL.match(line) or _BARE_LABEL.match(line)
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
