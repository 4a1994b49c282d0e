"""What every question kind offers, and the readers its definitions share.

A kind is a :class:`Kind`: ``parse`` a definition (a mapping from the bank)
into parameters, ``solve`` them with the engine into an :class:`Expected`,
``describe`` the parameters for ``cnncheck solve``. Readers raise
:class:`DefinitionError` naming the key at fault; the bank adds file and line.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import forms
from ..engine import _exact

# Bounds on what a question may ask, so that solving it (and its named mistakes) takes well under a
# second and a few hundred MB at most, and every answer is exact. A question is worked by hand.
# any size, count or step: image sides, channels, filters, units, kernel, stride, padding...
MAX_SIZE = 10_000
MAX_VALUE = 10**12  # a number in an image, filter or bias, in magnitude
# values in any array the engine builds: the padded input, the im2col matrix, the output
MAX_CELLS = 10_000_000
MAX_WORK = 100_000_000  # multiply-adds of one solution (float64 BLAS: a few hundredths of a second)
MAX_ANSWER = (
    _exact.F64_EXACT
)  # |an answer's value| < 2**53: exact in float64, as it is compared, and in JSON


class DefinitionError(ValueError):
    """A question definition that cannot be used; ``key`` names where."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


def did_you_mean(word, choices) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Key(NamedTuple):
    """One key of a question definition, as a kind declares it.

    ``type`` names a type of ``kinds/schema.py`` (``TYPES``: count, pair, padding2d, image2d,
    layer, ...), from which the bank's JSON Schema is generated; ``doc`` and ``default`` make the
    docs' table of keys (``kinds/docs.py``). ``default`` is what the docs show for a key left
    out (a value, or words such as "the size"); the kind's ``parse`` applies it.
    """

    name: str
    type: str
    doc: str = ""
    default: object = None
    required: bool = False
    choices: tuple = ()  # for type "choice"


# The keys every question may have, whatever its kind. None of them may be drawn at random.
COMMON = (
    Key("kind", "kind", "one of the kinds below", required=True),
    Key("prompt", "text", "the question as the student reads it; shown by `cnncheck solve`"),
    Key("points", "number", "what the question is worth", 1),
    Key(
        "tolerance",
        "tolerance",
        "for non-integer answers: a number (absolute) or `{abs: ..., rel: ...}`",
        "exact",
    ),
    Key(
        "partial",
        "partial",
        "`cells` (arrays), `dimensions` (shapes), `rows` (tables), `ideas` "
        "(text) or `none`; overrides the bank's",
        "the bank's",
        choices=("cells", "dimensions", "rows", "ideas", "none"),
    ),
    Key(
        "feedback",
        "choice",
        "`score`, `verdict`, `hints` or `full`: shows at most this much of this question",
        "the bank's",
        choices=("score", "verdict", "hints", "full"),
    ),
)
COMMON_NAMES = frozenset(k.name for k in COMMON)

# Error carried forward: the keys of a kind whose answer can build on another question's answer
# (``takes``). Like the common keys, they may not be drawn at random.
CARRY_LEVELS = {
    "full": 1.0,
    "half": 0.5,
    "none": 0.0,
}  # the share of the points a carried answer earns
USES = Key(
    "uses",
    "uses",
    "a question id (or a list, or `{id: key}`) whose answer this question builds on: graded again "
    "on the student's own answer to it (error carried forward)",
)
CARRY_FORWARD = Key(
    "carry_forward",
    "choice",
    "what an answer right for the student's own upstream answer earns: `full`, `half` or `none`; "
    "overrides the bank's",
    "the bank's (`half`)",
    choices=tuple(CARRY_LEVELS),
)
FIXED_NAMES = frozenset(("uses", "carry_forward"))  # kind keys that may not be drawn


# A picture draws the input channels side by side, at most this many; the rest are summed in words
DRAWN_CHANNELS = 3


class Window(NamedTuple):
    """One window of a :class:`Picture`: the cells it reads and the output cell it gives."""

    label: str  # the output cell as the text working names it: out[0, 1]
    out: tuple[int, int]  # its row and column in the output
    taps: tuple[tuple[int, int], ...]  # the cells read, in kernel order, in the grid's coordinates
    value: object  # the output cell's value, the engine's
    parts: tuple = ()  # a convolution's: what each channel drawn adds (its window ⊙ its kernel)
    others: object = None  # a convolution's: what the channels not drawn add together
    divisor: int | None = None  # average pooling's


class Picture(NamedTuple):
    """What a picture of a sliding window draws, in the numbers of the text working.

    The grid's coordinates are the input's: (0, 0) is its first cell, and the zero padding lies at
    rows and columns below 0 and from H (W) on. A transposed convolution is drawn as the direct
    convolution it equals (SEMANTICS.md A.3): input cell (i, j) spread to (i·sh, j·sw) with
    zeros between (``spread``), padded, and read at stride 1 by the kernel rotated 180°.
    """

    kind: str  # "convolution", "pooling" or "transposed"
    channels: tuple[tuple[str, np.ndarray], ...]  # the channels drawn: (name, (H, W) input)
    n_channels: int  # the input's channels, drawn or not
    rows: tuple[int, int]  # the grid: its first row and the row after its last
    cols: tuple[int, int]
    kernel: tuple[int, int]  # (kh, kw)
    stride: tuple[int, int]  # the window's steps over the grid
    dilation: tuple[int, int]
    output: np.ndarray  # (Ho, Wo): the output map drawn (filter 1, channel 1), the engine's
    windows: tuple[Window, ...]  # the first windows, as the text working takes them
    weights: tuple[np.ndarray, ...] = ()  # a convolution's: per channel drawn, (kh, kw) weights
    spread: tuple[int, int] = (1, 1)  # a transposed convolution's stride
    fill: str = "0"  # what a padded cell holds: "0", or "−∞" for max pooling
    op: str = "sum"  # "sum", "max" or "avg"
    bias: object = None  # added to every output cell of the map drawn
    one_d: bool = False  # conv1d: a row, indexed by column only
    notes: tuple[str, ...] = ()  # sentences the picture says in words (a flip, output_padding)


class Kind:
    """A question kind. Subclasses set ``name``, ``keys``, ``form``, ``mistakes`` and ``examples``,
    and implement the methods.

    ``keys`` is declared as a tuple of :class:`Key`; the class then keeps it as ``spec`` and derives
    ``keys`` and ``required`` (frozensets of names, what the bank checks a definition against).
    """

    name: str = ""
    spec: tuple[Key, ...] = ()
    keys: frozenset[str] = (
        frozenset()
    )  # keys a definition of this kind may have, beyond the common ones
    required: frozenset[str] = frozenset()
    form: forms.Form = forms.ARRAY
    partial_default: bool = False  # partial credit without the bank asking for it
    mistakes: dict[
        str, str
    ] = {}  # mistake key -> its sentence: every key ``mistake_answers`` may give
    examples: tuple[dict, ...] = ()  # small definitions (without kind:), for the meta-test
    maps: str = "filter"  # an array answer of several maps has one per filter (or channel)
    # ``uses:``: the kinds whose answer this kind can take, and the key of its definition that
    # answer stands for (a padding question's answer is a conv1d's ``padding``); a kind that takes
    # any has the keys ``uses`` and ``carry_forward`` without declaring them
    takes: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("keys")
        if isinstance(declared, tuple):
            if cls.takes and USES not in declared:  # a kind that builds on others: its two keys
                declared += (USES, CARRY_FORWARD)
            cls.spec = declared
            cls.keys = frozenset(k.name for k in declared)
            cls.required = frozenset(k.name for k in declared if k.required)

    def answer_form(self, params, expected: forms.Expected) -> str:
        """The expected form of an answer, in words, without giving it away (for templates)."""
        return self.form.describe(expected, self.maps)

    def parse(self, d: dict, convention: str):  # -> parameters (any frozen value)
        raise NotImplementedError

    def solve(self, params) -> forms.Expected:
        raise NotImplementedError

    def describe(self, params) -> list[tuple[str, object]]:
        """(label, value) pairs for display; a value is a str, an ndarray, or an Expected (an array
        with channel names)."""
        raise NotImplementedError

    def mistake_answers(self, params) -> list:
        """The answers classic mistakes give: a list of ``teaching.MistakeAnswer``."""
        return []

    def warnings(self, params) -> list[str]:
        """Legal but suspicious choices in a definition, for ``cnncheck check-bank``."""
        return []

    def explain(self, params, expected: forms.Expected) -> list:
        """The working, as a good TA writes it: a list of ``teaching.Step``."""
        raise NotImplementedError

    def substitute(self, d: dict, key: str, value, axes: str | None = None) -> dict:
        """The definition ``d`` with ``key`` standing for an upstream question's answer ``value``
        (error carried forward); the kind's ``parse`` then checks it as any definition. A shape
        (``axes`` names its dimensions, ``HWC``) is put in the order of this definition's own
        ``layout``; None when it cannot be."""
        if isinstance(value, tuple) and axes:
            want = str(d.get("layout", "chw")).upper()
            if len(value) != len(axes) or sorted(axes) != sorted(want):
                return None
            value = [value[axes.index(a)] for a in want]
        return {**d, key: value}

    def carried_rows(self, params, got) -> tuple:
        """For an answer whose rows each build on the row above (a model summary): per row of
        ``got``, and its total, the value the canonical computation gives from the student's own
        rows above it, where the row above is readable and wrong; else None. ``()``: the kind's
        answers have no such rows."""
        return ()

    def picture(self, params, expected: forms.Expected) -> Picture | None:
        """What a picture of the working draws (``report/pictures.py``), or None: kinds without
        a sliding window have no picture."""
        return None


# ------------------------------------------------------------ readers


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _at_most(key: str, v: int, maximum: int = MAX_SIZE) -> None:
    if v > maximum:
        raise DefinitionError(f"{key} must be at most {maximum:,}, got {v:,}", key)


def get_int(
    d: dict, key: str, default=None, *, minimum: int | None = None, maximum: int = MAX_SIZE
) -> int:
    v = d.get(key, default)
    if v is None:
        raise DefinitionError(f"{key} is required", key)
    if not _is_int(v):
        raise DefinitionError(f"{key} must be a whole number, got {v!r}", key)
    if minimum is not None and v < minimum:
        raise DefinitionError(f"{key} must be at least {minimum}, got {v}", key)
    _at_most(key, v, maximum)
    return v


def get_bool(d: dict, key: str, default: bool) -> bool:
    v = d.get(key, default)
    if not isinstance(v, bool):
        raise DefinitionError(f"{key} must be true or false, got {v!r}", key)
    return v


def get_pair(d: dict, key: str, default=1, *, minimum: int = 1) -> tuple[int, int]:
    v = d.get(key, default)
    if _is_int(v):
        v = (v, v)
    if not (isinstance(v, (list, tuple)) and len(v) == 2 and all(_is_int(x) for x in v)):
        raise DefinitionError(f"{key} must be a whole number or a pair [h, w], got {v!r}", key)
    if min(v) < minimum:
        raise DefinitionError(
            f"{key} must be at least {minimum}, got {v[0] if v[0] == v[1] else list(v)}", key
        )
    _at_most(key, max(v))
    return (v[0], v[1])


def get_choice(d: dict, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
    v = d.get(key, default)
    if v not in choices:
        raise DefinitionError(
            f"{key} must be one of {', '.join(choices)}, got {v!r}{did_you_mean(v, choices)}", key
        )
    return v


def get_padding2d(d: dict, key: str = "padding"):
    """n, [ph, pw], [[top, bottom], [left, right]], 'valid' or 'same' (validated later against the
    kernel)."""
    v = d.get(key, 0)
    if isinstance(v, str):
        if v not in ("valid", "same"):
            raise DefinitionError(
                f"{key} must be a number, a pair, 'valid' or 'same', got {v!r}", key
            )
        return v
    if _is_int(v):
        out = v
    elif isinstance(v, (list, tuple)) and len(v) == 2 and all(_is_int(x) for x in v):
        out = (v[0], v[1])
    elif (
        isinstance(v, (list, tuple))
        and len(v) == 2
        and all(
            isinstance(x, (list, tuple)) and len(x) == 2 and all(_is_int(y) for y in x) for x in v
        )
    ):
        out = (tuple(v[0]), tuple(v[1]))
    else:
        raise DefinitionError(
            f"{key} must be n, [ph, pw], [[top, bottom], [left, right]], 'valid' or 'same', "
            f"got {v!r}",
            key,
        )
    flat = (
        [out] if _is_int(out) else [y for x in out for y in (x if isinstance(x, tuple) else (x,))]
    )
    if min(flat) < 0:
        raise DefinitionError(f"{key} must not be negative, got {v!r}", key)
    _at_most(key, max(flat))
    return out


def get_array(d: dict, key: str, *, ndims: tuple[int, ...]) -> np.ndarray:
    """Nested lists of numbers with one of ``ndims`` dimensions, rectangular."""
    if key not in d:
        raise DefinitionError(f"{key} is required", key)
    v = d[key]
    try:
        nested = _numbers(v)
        arr = forms.to_array(nested)
    except forms.AnswerError as e:
        raise DefinitionError(f"{key}: {e}", key) from None
    if arr.ndim not in ndims:
        want = " or ".join(str(n) for n in ndims)
        raise DefinitionError(
            f"{key} must have {want} dimensions, got {arr.ndim} ({forms.fmt_shape(arr.shape)})", key
        )
    if max(arr.shape) > MAX_SIZE:
        raise DefinitionError(
            f"{key} is {forms.fmt_shape(arr.shape)}: a side is at most {MAX_SIZE:,}", key
        )
    return arr


def _numbers(v):
    if isinstance(v, list):
        return [_numbers(x) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if abs(v) > MAX_VALUE:
            shown = (
                f"{v:.3g}"
                if isinstance(v, float)
                else str(v)
                if abs(v) < 10**30
                else f"a {len(str(abs(v)))}-digit number"
            )
            raise forms.AnswerError(
                f"{shown} is too large: a question's numbers are at most 10^12 in magnitude"
            )
        return forms.number(v)
    raise forms.AnswerError(f"expected numbers, found {forms.describe_value(v)}")


def check_size(arrays: dict[str, int], work: int, key: str | None = None) -> None:
    """Refuse a question whose arrays (``{what: values}``) exceed :data:`MAX_CELLS` or whose
    solution takes more than :data:`MAX_WORK` multiply-adds. ``key``: the definition key to blame
    for the first array."""
    for i, (what, n) in enumerate(arrays.items()):
        if n > MAX_CELLS:
            raise DefinitionError(
                f"{what} would hold {n:,} values; a question's arrays hold at most {MAX_CELLS:,}",
                key if i == 0 else None,
            )
    if work > MAX_WORK:
        raise DefinitionError(
            f"solving it takes {work:,} multiply-adds; a question takes at most {MAX_WORK:,}"
        )


def check_answer(expected: forms.Expected) -> None:
    """Refuse an answer with a value of :data:`MAX_ANSWER` (2**53) or more: past it, float64 (which
    compares answers within a tolerance) and JSON readers no longer hold every integer."""
    v = expected.value
    if isinstance(v, np.ndarray):
        values = [np.max(np.abs(v))] if v.size and v.dtype != object else [abs(x) for x in v.flat]
    elif isinstance(v, forms.LayerTable):
        values = [abs(n) for shape, params in v.rows for n in (*shape, params)] + [
            abs(v.total or 0)
        ]
    elif isinstance(v, tuple):
        values = [abs(n) for n in v]
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        values = [abs(v)]
    else:
        return
    largest = max(values, default=0)
    if largest >= MAX_ANSWER:
        shown = f"{float(largest):.3g}" if largest < 1e300 else "more than 1e300"
        raise DefinitionError(
            f"the answer reaches {shown}: answers stay below 2**53 ({MAX_ANSWER:,}), "
            f"the integers float64 and JSON hold exactly"
        )


def check_exact(
    x: np.ndarray, per_value: float, bias: np.ndarray | None = None, key: str = "image"
) -> None:
    """Refuse numbers so large that an output value could reach :data:`MAX_ANSWER` (2**53).

    ``per_value``: the most one output value sums per unit of input (``max_f sum|w_f|`` for a
    convolution, the window's cells for pooling). ``max|x| * per_value + max|bias|`` is the engine's
    own bound (``engine/_exact.py``): below 2**53 every answer and named mistake is exact in
    float64, and integer inputs never leave the engine's int64 and float paths.
    """
    xmax = float(np.max(np.abs(x))) if x.size else 0.0
    bmax = float(np.max(np.abs(bias))) if bias is not None and bias.size else 0.0
    bound = xmax * float(per_value) + bmax
    if bound >= MAX_ANSWER:
        raise DefinitionError(
            f"the numbers are too large: an output value could reach {bound:.3g}, and answers "
            f"stay below 2**53 ({MAX_ANSWER:,}) so that they are exact",
            key,
        )


def get_image(d: dict, key: str = "image", *, spatial: int = 2):
    """An image as (C, H, W) (or (C, L) when ``spatial`` is 1), with channel names when given by
    name.

    Accepts [H][W] / [L], [C][H][W] / [C][L], or a mapping of channel names to matrices.
    Returns (array, names or None, single) where ``single`` is true for an image given without
    channels.
    """
    v = d.get(key)
    if isinstance(v, dict):
        if not v:
            raise DefinitionError(f"{key} has no channels", key)
        names = tuple(str(k) for k in v)
        chans = [get_array({key: m}, key, ndims=(spatial,)) for m in v.values()]
        shapes = {c.shape for c in chans}
        if len(shapes) > 1:
            raise DefinitionError(
                f"{key}: the channels differ in size "
                f"({', '.join(forms.fmt_shape(s) for s in shapes)})",
                key,
            )
        dtype = np.float64 if any(c.dtype == np.float64 for c in chans) else chans[0].dtype
        return np.stack([c.astype(dtype) for c in chans]), names, False
    arr = get_array(d, key, ndims=(spatial, spatial + 1))
    if arr.ndim == spatial:
        return arr[None], None, True
    return arr, None, False


def get_tolerance(d: dict) -> forms.Tolerance:
    v = d.get("tolerance")
    if v is None:
        return forms.Tolerance()
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0:
        return forms.Tolerance(abs=float(v), rel=0.0)
    if (
        isinstance(v, dict)
        and set(v) <= {"abs", "rel"}
        and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 for x in v.values()
        )
    ):
        return forms.Tolerance(abs=float(v.get("abs", 0.0)), rel=float(v.get("rel", 0.0)))
    raise DefinitionError(
        f"tolerance must be a non-negative number or {{abs: ..., rel: ...}}, got {v!r}", "tolerance"
    )
