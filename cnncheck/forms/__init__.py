"""Answer forms: read what a student wrote, compare it with the canonical answer, show either.

Five forms cover every kind: an array (a matrix, a vector, or one matrix per channel or filter),
a shape (``126x126x16``), a count (``75,000,100``), a layer table (network questions) and text
(answers in words). Each is a :class:`Form`: it reads, compares, describes what an answer looks
like, and renders a value as text, as a rich renderable and as JSON, so reporters never sort
values by type. Reading is lenient about notation, as a careful TA is (the readers of each
notation family live in :mod:`.notations`), and strict about values: whatever cannot be read
raises :class:`AnswerError` saying what was wrong, and no notation turns a wrong value right.
Nothing here touches YAML, files or the terminal.
"""

from __future__ import annotations

from .array import ARRAY, MAX_DEPTH, MIN_ELEMENTS, ArrayForm, to_array
from .core import (
    MAX_MAGNITUDE,
    AnswerError,
    Check,
    Expected,
    Form,
    Reading,
    Tolerance,
    Unparsed,
    describe_value,
    fmt_shape,
    num,
    number,
    read_number,
)
from .notations.source import Source
from .shape import COUNT, SHAPE, CountForm, ShapeForm
from .table import TABLE, LayerTable, TableForm
from .text import TEXT, Rubric, TextForm


def form_of(value) -> Form:
    """The form that shows a value a kind describes or explains (an input image, a step's
    shape): not an answer, whose form its kind names."""
    if isinstance(value, LayerTable):
        return TABLE
    if isinstance(value, tuple):
        return SHAPE
    if value is None or isinstance(value, (str, Rubric)):
        return TEXT
    return ARRAY


__all__ = [
    "ARRAY", "COUNT", "MAX_DEPTH", "MAX_MAGNITUDE", "MIN_ELEMENTS", "SHAPE", "TABLE",
    "TEXT", "AnswerError", "ArrayForm", "Check", "CountForm", "Expected", "Form", "LayerTable",
    "Reading", "Rubric", "ShapeForm", "Source", "TableForm", "TextForm", "Tolerance", "Unparsed",
    "describe_value", "fmt_shape", "form_of", "num", "number", "read_number", "to_array",
]  # fmt: skip
