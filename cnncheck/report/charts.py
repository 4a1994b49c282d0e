"""Charts as inline SVG for the HTML class report: a histogram, stacked bars, shares.

Each chart is one ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` naming what it shows;
the page puts the same numbers in a table beside it. Every bar carries its numbers as text (a count
over it or in it, a ``<title>`` a pointer shows) and as ``data-*`` attributes; stacked parts differ
by pattern as well as by colour, with a legend, so nothing depends on telling colours apart. Sizes
are in a ``viewBox``: the page scales a chart to its width. Labels are escaped here; callers pass
plain text.
"""

from __future__ import annotations

from html import escape

WIDTH = 640
FONT = 12  # px, in viewBox units
CHAR = 7  # the width of a character of FONT, near enough to lay out labels

# A stacked chart's parts: fill colour, and a pattern drawn over it in white or black (None: plain)
PARTS = {
    "correct": ("#2e7d32", None),
    "partial": ("#f2b400", "M0,8 L8,0"),  # diagonal lines
    "incorrect": ("#c62828", "M0,0 L8,8 M0,8 L8,0"),  # crossed
    "invalid": ("#7b1fa2", "dots"),
    "missing": ("#eeeeee", None),  # pale, outlined
    "pending": ("#0277bd", "M0,4 L8,4"),  # level lines
}


def _svg(cid: str, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg role="img" aria-labelledby="{cid}-t {cid}-d" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" class="chart" id="{cid}">'
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{c}>{escape(text)}</text>'


def histogram(
    cid: str, bars: list[tuple[str, int]], *, title: str, desc: str, x_label: str, y_label: str
) -> str:
    """Vertical bars, one per ``(label, count)``, the count written over each bar."""
    left, right, top, plot = 44, 8, 20, 180
    height = top + plot + 44
    most = max([c for _, c in bars] + [1])
    step = (WIDTH - left - right) / max(1, len(bars))
    every = 1 if step >= CHAR * max([len(lb) for lb, _ in bars] + [1]) + 4 else 2
    body = [
        f'<line x1="{left}" y1="{top + plot}" x2="{WIDTH - right}" y2="{top + plot}" '
        'class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot}" class="axis"/>',
        _text(left - 6, top + plot + 4, "0", "end"),
        _text(left - 6, top + 4, str(most), "end"),
        # the y label, turned to read upwards
        f'<text x="14" y="{top + plot / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot / 2:.1f})">{escape(y_label)}</text>',
        _text(left + (WIDTH - left - right) / 2, height - 6, x_label, "middle"),
    ]
    for i, (label, count) in enumerate(bars):
        h = plot * count / most
        x = left + i * step + step * 0.1
        w = step * 0.8
        y = top + plot - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" class="bar" '
            f'data-label="{escape(label)}" data-count="{count}">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        if count:
            body.append(_text(x + w / 2, y - 4, str(count), "middle"))
        if i % every == 0 or i == len(bars) - 1:
            body.append(_text(x + w / 2, top + plot + 16, label, "middle"))
    return _svg(cid, height, title, desc, body)


def _patterns(cid: str) -> str:
    out = []
    for name, (fill, mark) in PARTS.items():
        if mark is None:
            continue
        ink = "#000" if name == "partial" else "#fff"
        drawn = (
            f'<circle cx="4" cy="4" r="1.5" fill="{ink}"/>'
            if mark == "dots"
            else f'<path d="{mark}" stroke="{ink}" stroke-width="1.5"/>'
        )
        out.append(
            f'<pattern id="{cid}-{name}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{fill}"/>{drawn}</pattern>'
        )
    return "<defs>" + "".join(out) + "</defs>"


def _fill(cid: str, part: str) -> str:
    fill, mark = PARTS[part]
    return f"url(#{cid}-{part})" if mark else fill


def stacked(
    cid: str,
    rows: list[tuple[str, list[int]]],
    parts: list[tuple[str, str]],
    *,
    title: str,
    desc: str,
) -> str:
    """A horizontal bar per ``(label, counts)``, split into ``parts`` (``(key, legend text)``,
    keys of :data:`PARTS`) in proportion to the counts; counts written in parts wide enough."""
    label_w = min(160, CHAR * max([len(lb) for lb, _ in rows] + [2]) + 8)
    left, right, row_h, legend_h = label_w, 8, 24, 44
    plot = WIDTH - left - right
    height = legend_h + row_h * len(rows) + 8
    body = [_patterns(cid)]
    for i, (key, text) in enumerate(parts):  # the legend: a swatch and its words
        lx, ly = (i % 3) * (WIDTH / 3), 6 + (i // 3) * 18
        body.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="14" height="14" fill="{_fill(cid, key)}" '
            'class="part"/>'
        )
        body.append(_text(lx + 20, ly + 11, text))
    for r, (label, counts) in enumerate(rows):
        y = legend_h + r * row_h
        body.append(_text(left - 6, y + row_h / 2 + 4, label, "end"))
        total = sum(counts) or 1
        x = float(left)
        for (key, text), n in zip(parts, counts):
            w = plot * n / total
            if n:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                    f'fill="{_fill(cid, key)}" class="part" data-row="{escape(label)}" '
                    f'data-part="{key}" data-count="{n}">'
                    f"<title>{escape(label)}: {n} {escape(text)}</title></rect>"
                )
                if w >= CHAR * len(str(n)) + 6:
                    body.append(_text(x + w / 2, y + row_h / 2 + 4, str(n), "middle", "halo"))
            x += w
    return _svg(cid, height, title, desc, body)


def shares(
    cid: str, groups: list[tuple[str, list[tuple[str, int, int]]]], *, title: str, desc: str
) -> str:
    """For each group (a heading and its rows ``(label, part, whole)``), a bar per row whose
    filled length is ``part / whole``, with "part of whole (percent)" written after it."""
    labels = [lb for _, rows in groups for lb, _, _ in rows]
    label_w = min(180, CHAR * max([len(lb) for lb in labels] + [2]) + 8)
    left, note_w, row_h, head_h = label_w, 120, 22, 20
    plot = WIDTH - left - note_w
    height = sum(head_h + row_h * len(rows) for _, rows in groups) + 8
    body = []
    y = 0.0
    for heading, rows in groups:
        body.append(_text(4, y + 15, heading, cls="head"))
        y += head_h
        for label, part, whole in rows:
            share = part / whole if whole else 0.0
            body.append(_text(left - 6, y + row_h / 2 + 4, label, "end"))
            body.append(
                f'<rect x="{left}" y="{y + 3:.1f}" width="{plot}" height="{row_h - 6}" '
                'class="track"/>'
            )
            body.append(
                f'<rect x="{left}" y="{y + 3:.1f}" width="{plot * share:.1f}" '
                f'height="{row_h - 6}" class="bar" data-group="{escape(heading)}" '
                f'data-label="{escape(label)}" '
                f'data-part="{part}" data-whole="{whole}">'
                f"<title>{escape(heading)} {escape(label)}: {part} of {whole}</title></rect>"
            )
            body.append(
                _text(left + plot + 6, y + row_h / 2 + 4, f"{part} of {whole} ({share:.0%})")
            )
            y += row_h
    return _svg(cid, int(height), title, desc, body)
