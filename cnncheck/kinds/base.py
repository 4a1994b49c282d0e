"""What every question kind offers, and the readers its definitions share.

A kind is a :class:`Kind`: ``parse`` a definition (a mapping from the bank)
into parameters, ``solve`` them with the engine into an :class:`Expected`,
``describe`` the parameters for ``cnncheck solve``. Readers raise
:class:`DefinitionError` naming the key at fault; the bank adds file and line.
"""

from __future__ import annotations

import numpy as np

from .. import forms


class DefinitionError(ValueError):
    """A question definition that cannot be used; ``key`` names where."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


def did_you_mean(word, choices) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Kind:
    """A question kind. Subclasses set ``name``, ``keys``, ``form`` and implement the methods."""

    name: str = ""
    keys: frozenset[str] = frozenset()  # keys a definition of this kind may have, beyond the common ones
    required: frozenset[str] = frozenset()
    form: forms.Form = forms.ARRAY
    partial_default: bool = False  # partial credit without the bank asking for it

    def parse(self, d: dict, convention: str):  # -> parameters (any frozen value)
        raise NotImplementedError

    def solve(self, params) -> forms.Expected:
        raise NotImplementedError

    def describe(self, params) -> list[tuple[str, object]]:
        """(label, value) pairs for display; a value is a str, an ndarray, or an Expected (an array with channel names)."""
        raise NotImplementedError

    def variants(self, params) -> list:
        """The answers classic mistakes give: a list of ``teaching.Variant``."""
        return []

    def warnings(self, params) -> list[str]:
        """Legal but suspicious choices in a definition, for ``cnncheck check-bank``."""
        return []

    def explain(self, params, expected: forms.Expected) -> list:
        """The working, as a good TA writes it: a list of ``teaching.Step``."""
        raise NotImplementedError


# ------------------------------------------------------------ readers


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def get_int(d: dict, key: str, default=None, *, minimum: int | None = None) -> int:
    v = d.get(key, default)
    if v is None:
        raise DefinitionError(f"{key} is required", key)
    if not _is_int(v):
        raise DefinitionError(f"{key} must be a whole number, got {v!r}", key)
    if minimum is not None and v < minimum:
        raise DefinitionError(f"{key} must be at least {minimum}, got {v}", key)
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
        raise DefinitionError(f"{key} must be at least {minimum}, got {v[0] if v[0] == v[1] else list(v)}", key)
    return (v[0], v[1])


def get_choice(d: dict, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
    v = d.get(key, default)
    if v not in choices:
        raise DefinitionError(f"{key} must be one of {', '.join(choices)}, got {v!r}{did_you_mean(v, choices)}", key)
    return v


def get_padding2d(d: dict, key: str = "padding"):
    """n, [ph, pw], [[top, bottom], [left, right]], 'valid' or 'same' (validated later against the kernel)."""
    v = d.get(key, 0)
    if isinstance(v, str):
        if v not in ("valid", "same"):
            raise DefinitionError(f"{key} must be a number, a pair, 'valid' or 'same', got {v!r}", key)
        return v
    if _is_int(v):
        out = v
    elif isinstance(v, (list, tuple)) and len(v) == 2 and all(_is_int(x) for x in v):
        out = (v[0], v[1])
    elif (isinstance(v, (list, tuple)) and len(v) == 2
          and all(isinstance(x, (list, tuple)) and len(x) == 2 and all(_is_int(y) for y in x) for x in v)):
        out = (tuple(v[0]), tuple(v[1]))
    else:
        raise DefinitionError(f"{key} must be n, [ph, pw], [[top, bottom], [left, right]], 'valid' or 'same', got {v!r}", key)
    flat = [out] if _is_int(out) else [y for x in out for y in (x if isinstance(x, tuple) else (x,))]
    if min(flat) < 0:
        raise DefinitionError(f"{key} must not be negative, got {v!r}", key)
    return out


def get_array(d: dict, key: str, *, ndims: tuple[int, ...]) -> np.ndarray:
    """Nested lists of numbers with one of ``ndims`` dimensions, rectangular."""
    if key not in d:
        raise DefinitionError(f"{key} is required", key)
    v = d[key]
    try:
        nested = _numbers(v)
        arr = forms._to_array(nested)
    except forms.AnswerError as e:
        raise DefinitionError(f"{key}: {e}", key) from None
    if arr.ndim not in ndims:
        want = " or ".join(str(n) for n in ndims)
        raise DefinitionError(f"{key} must have {want} dimensions, got {arr.ndim} ({forms.fmt_shape(arr.shape)})", key)
    return arr


def _numbers(v):
    if isinstance(v, list):
        return [_numbers(x) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return forms.number(v)
    raise forms.AnswerError(f"expected numbers, found {forms._describe(v)}")


def get_image(d: dict, key: str = "image", *, spatial: int = 2):
    """An image as (C, H, W) (or (C, L) when ``spatial`` is 1), with channel names when given by name.

    Accepts [H][W] / [L], [C][H][W] / [C][L], or a mapping of channel names to matrices.
    Returns (array, names or None, single) where ``single`` is true for an image given without channels.
    """
    v = d.get(key)
    if isinstance(v, dict):
        if not v:
            raise DefinitionError(f"{key} has no channels", key)
        names = tuple(str(k) for k in v)
        chans = [get_array({key: m}, key, ndims=(spatial,)) for m in v.values()]
        shapes = {c.shape for c in chans}
        if len(shapes) > 1:
            raise DefinitionError(f"{key}: the channels differ in size ({', '.join(forms.fmt_shape(s) for s in shapes)})", key)
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
    if isinstance(v, dict) and set(v) <= {"abs", "rel"} and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 for x in v.values()
    ):
        return forms.Tolerance(abs=float(v.get("abs", 0.0)), rel=float(v.get("rel", 0.0)))
    raise DefinitionError(f"tolerance must be a non-negative number or {{abs: ..., rel: ...}}, got {v!r}", "tolerance")
