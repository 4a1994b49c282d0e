"""The tables of keys in ``docs/banks.md``, generated from the kinds' declared keys.

Each table sits between ``<!-- keys:NAME -->`` and ``<!-- /keys -->``, NAME a kind, ``common``
(the keys of every question) or ``layer`` (the options of a layer). ``python -m
cnncheck.kinds.docs`` rewrites them in place; a test fails when the committed docs differ from
what the kinds declare.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import KINDS
from .base import COMMON, Key

DOCS_FILE = Path(__file__).resolve().parent.parent.parent / "docs" / "banks.md"
BLOCK = re.compile(r"(<!-- keys:(\w+) -->\n).*?(<!-- /keys -->)", re.S)


def _default(key: Key) -> str:
    if key.required:
        return "required"
    v = key.default
    if v is None:
        return "none"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, str) and v in key.choices:
        return f"`{v}`"
    return str(v)


def key_table(keys: tuple[Key, ...]) -> str:
    rows = [f"| `{k.name}` | {k.doc} | {_default(k)} |" for k in keys]
    return "\n".join(["| key | meaning | default |", "|---|---|---|", *rows]) + "\n"


def spec_of(name: str) -> tuple[Key, ...]:
    if name == "common":
        return COMMON
    if name == "layer":
        from .layers import OPTIONS

        return OPTIONS
    if name not in KINDS:
        raise ValueError(f"<!-- keys:{name} --> names no kind")
    return KINDS[name].spec


def rewrite(text: str) -> str:
    """``text`` with every table of keys regenerated."""
    return BLOCK.sub(lambda m: m.group(1) + key_table(spec_of(m.group(2))) + m.group(3), text)


def tables_in(text: str) -> list[str]:
    """The names whose tables ``text`` holds, in order."""
    return [m.group(2) for m in BLOCK.finditer(text)]


def main(path: Path = DOCS_FILE) -> None:
    text = path.read_text(encoding="utf-8")
    new = rewrite(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    state = "rewritten" if new != text else "up to date"
    print(f"{path}: {len(tables_in(new))} tables of keys, {state}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_FILE)
