"""LaTeX, as homework is typed: matrices, ``\\times``, powers of ten, math delimiters.

:func:`to_plain` turns it into the plain notation the other readers know:

* ``\\begin{bmatrix} 45 & 45 \\\\ 54 & 54 \\end{bmatrix}`` (also ``pmatrix``, ``vmatrix``,
  ``matrix``, ``array`` with its column spec) becomes ``45 45; 54 54``; several matrices become
  blocks separated by a blank line, each keeping a label written before it (``R = ...``);
* ``126 \\times 126 \\times 16`` becomes ``126 x 126 x 16``; ``7.5 \\times 10^{7}`` and
  ``7.5 \\cdot 10^7`` become ``7.5e7``;
* ``$...$``, ``$$...$$``, ``\\(...\\)`` and ``\\[...\\]`` are dropped, as are ``\\left``,
  ``\\right``, ``\\,`` and ``\\text{...}`` around words.

Text without a backslash or a ``$`` is returned unchanged.
"""

from __future__ import annotations

import re

_ENVIRONMENT = re.compile(
    r"\\begin\{(bmatrix|pmatrix|vmatrix|Bmatrix|matrix|array|smallmatrix)\}"
    r"(?:\{[^{}]*\})?(.*?)\\end\{\1\}",
    re.DOTALL,
)
_POWER = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:\\times|\\cdot|\*|x|×|·)\s*10\s*\^\s*\{?\s*([-+]?\d+)\s*\}?"
)
_DELIMITERS = re.compile(r"\$\$|\$|\\\(|\\\)|\\\[|\\\]")
_DROPPED = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)\b|(?<!\\)\\[,;:! ]|\\quad\b|\\qquad\b")
_WORDS = re.compile(r"\\(?:text|mathrm|mathbf|textbf|operatorname|mbox)\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\[dt]?frac\s*(?:\{([^{}]*)\}\s*\{([^{}]*)\}|(\d)\s*(\d))")
_TIMES = re.compile(r"\\times\b|\\cdot\b")


def looks_like(text: str) -> bool:
    return "\\" in text or "$" in text


def _matrix(body: str) -> str:
    rows = [r for r in re.split(r"\\\\|\\cr\b", body) if r.strip() and r.strip() != "\\hline"]
    return "; ".join(" ".join(c.strip() for c in r.replace("\\hline", "").split("&")) for r in rows)


def to_plain(text: str) -> str:
    if not looks_like(text):
        return text
    t = _DROPPED.sub(" ", _WORDS.sub(r" \1 ", text))
    if _ENVIRONMENT.search(t):
        parts, last = [], 0
        for m in _ENVIRONMENT.finditer(t):
            before = t[last : m.start()]
            parts.append((before, _matrix(m.group(2))))
            last = m.end()
        blocks = []
        for before, matrix in parts:
            label = _DELIMITERS.sub(" ", before).strip(" \n,;=:&[](){}|")
            label = re.sub(r"[=:]\s*$", "", label).strip()
            blocks.append(f"{label}: {matrix}" if label else matrix)
        trailing = _DELIMITERS.sub(" ", t[last:]).strip(" \n,;.[](){}|")
        t = "\n\n".join(blocks) + (f"\n\n{trailing}" if trailing else "")
    t = _POWER.sub(lambda m: f"{m.group(1)}e{m.group(2)}", t)
    t = _TIMES.sub(" x ", t)
    t = _DELIMITERS.sub(" ", t)
    t = _DROPPED.sub(" ", t)
    t = _FRAC.sub(lambda m: f"({m.group(1) or m.group(3)})/({m.group(2) or m.group(4)})", t)
    t = t.replace("{,}", ",").replace("{", "").replace("}", "")
    return "\n".join(" ".join(line.split()) for line in t.split("\n")).strip()
