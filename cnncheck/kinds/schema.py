"""The JSON Schema of bank files, generated from the kinds' declared keys.

``cnncheck schema bank`` prints :func:`bank_schema`; ``cnncheck/schemas/bank.schema.json`` is its
output, committed so that editors can point at it (a test keeps the two equal). Regenerate it with
``python -m cnncheck.kinds.schema``.

Each :class:`~.base.Key` type maps to one schema fragment (:data:`TYPES`). A question's own keys may
be drawn per student, so each accepts a draw (``#/$defs/draw``) as well; the common keys may not.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..forms.claims import LEXICON
from . import KINDS
from .base import CARRY_LEVELS, COMMON, COMMON_NAMES, FIXED_NAMES, Key

DRAW = {"$ref": "#/$defs/draw"}
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "bank.schema.json"
_COMMON = {k.name: k for k in COMMON}
PARTIAL_UNITS = [u for u in _COMMON["partial"].choices if u != "none"]
FEEDBACK_LEVELS = list(_COMMON["feedback"].choices)


def _int(minimum: int) -> dict:
    return {"type": "integer", "minimum": minimum}


def _list(items: dict, n: int | None = None) -> dict:
    return {"type": "array", "items": items, "minItems": n or 1} | ({"maxItems": n} if n else {})


def _pair(minimum: int) -> dict:
    return {"oneOf": [_int(minimum), _list(_int(minimum), 2)]}


def _nested(depth: int) -> dict:
    """Nested lists of numbers, ``depth`` deep: [..], [[..]], ..."""
    out: dict = {"type": "number"}
    for _ in range(depth):
        out = _list(out)
    return out


def _drawn(fragment: dict) -> dict:
    return {"anyOf": [fragment, DRAW]}


KERNEL = {
    "oneOf": [
        _int(1),
        _list(_int(1), 2),
        _list(_drawn(_int(1)), 3),
        {"type": "string", "pattern": "^\\s*\\d+(\\s*[x×]\\s*\\d+){0,2}\\s*$"},
    ]
}
NUMBER = {"type": "number", "minimum": 0}
_PHRASES = {"oneOf": [{"type": "string"}, _list({"type": "string"})]}
RUBRIC = _list(
    {
        "type": "object",
        "required": ["idea"],
        "anyOf": [{"required": ["phrases"]}, {"required": ["all"]}],
        "additionalProperties": False,
        "properties": {
            "idea": {"type": "string", "minLength": 1},
            "points": NUMBER,
            "phrases": _PHRASES,
            "all": {**_list(_PHRASES), "minItems": 2},
            "wrong": _PHRASES,
            "roles": {
                "type": "object",
                "additionalProperties": False,
                "properties": {role: {"enum": list(f)} for role, f in LEXICON.items()},
            },
        },
    }
)

# Key type -> its schema fragment (before draws); a function takes the key (for its choices).
TYPES = {
    "kind": lambda key: {"enum": list(KINDS)},
    "text": {"type": "string"},
    "number": NUMBER,
    "tolerance": {
        "oneOf": [
            NUMBER,
            {
                "type": "object",
                "properties": {"abs": NUMBER, "rel": NUMBER},
                "additionalProperties": False,
            },
        ]
    },
    "partial": lambda key: {"oneOf": [{"enum": list(key.choices)}, {"type": "boolean"}]},
    "choice": lambda key: {"enum": list(key.choices)},
    "bool": {"type": "boolean"},
    "count": _int(1),
    "pair": _pair(1),
    "pair0": _pair(0),
    "padding2d": {
        "oneOf": [
            _int(0),
            _list(_int(0), 2),
            _list(_list(_int(0), 2), 2),
            {"enum": ["valid", "same"]},
        ]
    },
    "padding1d": {"oneOf": [_int(0), _list(_int(0), 2), {"enum": ["valid", "same"]}]},
    "image2d": {
        "oneOf": [
            _nested(2),
            _nested(3),
            {"type": "object", "minProperties": 1, "additionalProperties": _drawn(_nested(2))},
        ]
    },
    "image1d": {"oneOf": [_nested(1), _nested(2)]},
    "filter2d": {"oneOf": [_nested(2), _nested(3), _nested(4)]},
    "filter1d": {"oneOf": [_nested(1), _nested(2), _nested(3)]},
    "bias": {"oneOf": [{"type": "number"}, _list({"type": "number"})]},
    "shape": _list(_drawn(_int(1)), 3),
    "kernel": KERNEL,
    "layer": lambda key: _layer(),
    "layers": lambda key: _list(_layer()),
    "rubric": RUBRIC,
    "uses": {
        "oneOf": [
            {"type": "string", "minLength": 1},
            _list({"type": "string", "minLength": 1}),
            {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
        ]
    },
}


def fragment(key: Key) -> dict:
    """The schema of one key's value (without draws)."""
    if key.type not in TYPES:
        raise ValueError(f"key {key.name!r} has type {key.type!r}; types are {', '.join(TYPES)}")
    t = TYPES[key.type]
    return t(key) if callable(t) else t


def _layer() -> dict:
    from .layers import OPTIONS

    return {
        "type": "object",
        "required": [k.name for k in OPTIONS if k.required],
        "properties": {k.name: fragment(k) if k.required else _drawn(fragment(k)) for k in OPTIONS},
        "additionalProperties": False,
    }


def _property(key: Key) -> dict:
    fixed = key.name in COMMON_NAMES or key.name in FIXED_NAMES
    out = fragment(key) if fixed else _drawn(fragment(key))
    return out | ({"description": key.doc} if key.doc else {})


def kind_branch(name: str) -> dict:
    """The schema of one kind's questions: the common keys and the kind's own, and no others."""
    kind = KINDS[name]
    spec = {k.name: k for k in COMMON if k.name != "kind"} | {k.name: k for k in kind.spec}
    properties = {"kind": {"const": name}} | {n: _property(k) for n, k in spec.items()}
    required = ["kind"] + [n for n, k in spec.items() if k.required]
    return {
        "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
        "then": {"properties": properties, "required": required, "additionalProperties": False},
    }


def bank_schema() -> dict:
    """The JSON Schema of one bank file, from the registry (imports every kind)."""
    rng = {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "cnncheck-bank.schema.json",
        "title": "cnncheck question bank",
        "description": "One assignment of a cnncheck question bank (see docs/banks.md).",
        "type": "object",
        "required": ["assignment", "questions"],
        "additionalProperties": False,
        "properties": {
            "assignment": {
                "type": ["string", "integer"],
                "description": "the id answer files name",
            },
            "title": {"type": "string"},
            "default": {"type": "boolean", "description": "the assignment used when none is named"},
            "convention": {"enum": ["cross-correlation", "convolution"]},
            "partial": {
                "oneOf": [
                    {"enum": PARTIAL_UNITS},
                    {"type": "array", "items": {"enum": PARTIAL_UNITS}},
                ]
            },
            "feedback": {"enum": FEEDBACK_LEVELS},
            "carry_forward": {
                "enum": list(CARRY_LEVELS),
                "description": "what an answer right for the student's own upstream answer earns",
            },
            "questions": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"$ref": "#/$defs/question"},
            },
        },
        "$defs": {
            "question": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": fragment(_COMMON["kind"])},
                "allOf": [kind_branch(name) for name in KINDS],
            },
            "draw": {
                "description": "a value drawn per student: {random: shape, range: [low, high]}, "
                "{choice: [...]} or {range: [low, high]}",
                "type": "object",
                "oneOf": [
                    {
                        "required": ["random", "range"],
                        "additionalProperties": False,
                        "properties": {
                            "random": {"type": "array", "minItems": 1},
                            "range": {"$ref": "#/$defs/range"},
                        },
                    },
                    {
                        "required": ["choice"],
                        "additionalProperties": False,
                        "properties": {"choice": {"type": "array", "minItems": 1}},
                    },
                    {
                        "required": ["range"],
                        "additionalProperties": False,
                        "properties": {"range": {"$ref": "#/$defs/range"}},
                    },
                ],
            },
            "range": rng,
        },
    }


def schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(bank_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
