"""Per-student variants: random parameters, drawn reproducibly from the assignment, the question
and the student, offline, with no server.

In a question definition, any value may be a draw instead of a fixed value:

* ``{random: [4, 4], range: [0, 9]}``: an integer array of that shape, values 0 to 9;
* ``{choice: [1, 2]}``: one of the listed values (any YAML values, lists included);
* ``{range: [1, 5]}``: one integer from 1 to 5.

Draws may nest (``image: {R: {random: [4, 4], range: [0, 3]}, G: ...}``, or a drawn shape:
``{random: [{range: [2, 5]}, 3], range: [0, 1]}``). The numbers come from
SHA-256 of ``assignment / question / student / attempt`` (not NumPy's generators, whose streams
may change between releases), so a student's variant is the same on every machine. A draw that
makes the question ill-posed is redrawn with the next attempt number.
"""

from __future__ import annotations

import re

DRAW_KEYS = ({"random", "range"}, {"choice"}, {"range"})
ATTEMPTS = 100  # draws tried before a question is declared impossible to pose
MAX_DRAWN = (
    2_000  # numbers one variant may draw: a question drawn per student is worked by hand, and a
)
# question whose draws are ill-posed is drawn up to ATTEMPTS times per student


class DrawError(ValueError):
    """A draw that is not well formed (checked when the bank loads)."""


def is_draw(v) -> bool:
    return isinstance(v, dict) and set(v) in DRAW_KEYS


def has_draws(v) -> bool:
    if isinstance(v, dict):
        if set(v) in DRAW_KEYS:  # is_draw
            return True
        v = v.values()
    elif not isinstance(v, list):
        return False
    return any(has_draws(x) for x in v if isinstance(x, (dict, list)))


class Stream:
    """Uniform integers from SHA-256 in counter mode: the same sequence on every machine."""

    def __init__(self, *parts: str):
        from hashlib import sha256  # imported by the first question with draws, not at start-up

        self._sha256 = sha256
        self._key = sha256("\x00".join(parts).encode("utf-8")).digest()
        self._counter = 0

    @property
    def drawn(self) -> int:
        """How many 64-bit numbers the stream has given so far."""
        return self._counter

    def _next64(self) -> int:
        block = self._sha256(self._key + self._counter.to_bytes(8, "big")).digest()
        self._counter += 1
        return int.from_bytes(block[:8], "big")

    def integer(self, lo: int, hi: int) -> int:
        """Uniform on [lo, hi], by rejection (no modulo bias)."""
        span = hi - lo + 1
        limit = (2**64 // span) * span
        while True:
            x = self._next64()
            if x < limit:
                return lo + x % span


def _bounds(spec, where: str) -> tuple[int, int]:
    r = spec.get("range")
    if not (
        isinstance(r, list)
        and len(r) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in r)
        and r[0] <= r[1]
    ):
        raise DrawError(
            f"{where}: range must be [low, high], two whole numbers with low <= high, got {r!r}"
        )
    return r[0], r[1]


def _array(stream: Stream, shape: list[int], lo: int, hi: int):
    if len(shape) == 1:
        return [stream.integer(lo, hi) for _ in range(shape[0])]
    return [_array(stream, shape[1:], lo, hi) for _ in range(shape[0])]


def resolve(v, stream: Stream, where: str = "the question"):
    """``v`` with every draw replaced by a drawn value."""
    if is_draw(v):
        if "choice" in v:
            options = v["choice"]
            if not isinstance(options, list) or not options:
                raise DrawError(f"{where}: choice must be a non-empty list")
            return resolve(options[stream.integer(0, len(options) - 1)], stream, where)
        lo, hi = _bounds(v, where)
        if "random" not in v:
            return stream.integer(lo, hi)
        shape = resolve(v["random"], stream, where)  # the shape itself may be drawn
        if not (
            isinstance(shape, list)
            and shape
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in shape)
        ):
            raise DrawError(
                f"{where}: random must be a shape such as [4, 4] or [3, 4, 4], got {shape!r}"
            )
        size = 1
        for n in shape:
            size *= n
        if size + stream.drawn > MAX_DRAWN:
            raise DrawError(
                f"{where}: a variant draws at most {MAX_DRAWN:,} numbers in all, and this array "
                f"holds {size:,}"
            )
        return _array(stream, shape, lo, hi)
    if isinstance(v, dict):
        out = type(v)()
        if hasattr(v, "line"):
            out.line, out.key_lines = v.line, v.key_lines
        for k, x in v.items():
            out[k] = resolve(x, stream, f"{where}, {k}")
        return out
    if isinstance(v, list):
        return [resolve(x, stream, where) for x in v]
    return v


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*(?:\.\w+)*)\}")


def drawn_values(drawn: dict, template: dict) -> dict:
    """Every drawn value by the names a prompt may give it: its key (``stride``, ``input_shape``;
    for a key nested in a layer, ``kernel``, the first in reading order after the question's own
    keys) and its path (``layer.kernel``, ``layers.2.filters``, lists counted from 1). Only values
    that hold draws."""
    out: dict = {}
    queue = [("", template, drawn)]
    while queue:  # breadth first: a question's own key wins over a layer's key of the same name
        prefix, t, v = queue.pop(0)
        if isinstance(t, dict) and isinstance(v, dict) and not is_draw(t):
            items = [(str(k), t[k], v[k]) for k in t if k in v]
        elif isinstance(t, list) and isinstance(v, list) and len(t) == len(v):
            items = [(str(i + 1), x, y) for i, (x, y) in enumerate(zip(t, v))]
        else:
            continue
        for name, x, y in items:
            if not has_draws(x):
                continue
            path = f"{prefix}.{name}" if prefix else name
            out.setdefault(path, y)
            if not name.isdigit():
                out.setdefault(name, y)
            if not is_draw(x):
                queue.append((path, x, y))
    return out


def fill_prompt(prompt: str, drawn: dict, template: dict) -> str:
    """``{stride}`` in a prompt becomes the drawn value of ``stride`` (only values that were draws);
    a draw nested in a layer is ``{kernel}`` or ``{layer.kernel}``."""
    values = drawn_values(drawn, template)

    def sub(m):
        if m.group(1) not in values:
            return m.group(0)
        value = values[m.group(1)]
        return str(value) if isinstance(value, (int, float, str)) else _short(value)

    return _PLACEHOLDER.sub(sub, prompt)


def unknown_placeholders(prompt: str, template: dict) -> list[str]:
    """The ``{name}`` of a prompt that name no drawn value (printed as written on every sheet)."""
    names = set(drawn_values(template, template))
    return [m.group(1) for m in _PLACEHOLDER.finditer(prompt) if m.group(1) not in names]


def _short(value) -> str:
    if (
        isinstance(value, list)
        and len(value) <= 4
        and all(isinstance(x, (int, float)) for x in value)
    ):
        return "×".join(str(x) for x in value)
    return "(see below)"
