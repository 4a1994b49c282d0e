"""The working of a sliding window as a picture: SVG, hand-written, and a page to show it in.

Drawn as Dumoulin & Visin draw convolution arithmetic: the input grid with its zero padding
shaded, the kernel's taps over each of the first windows (a dilated kernel's taps with gaps
between), the window's step from the one before (the stride), and the output cell it gives. A
kind says what to draw (``Kind.picture``: a :class:`~cnncheck.kinds.base.Picture`, in the numbers
of its text working); this module only lays it out. Each window is one equation of pictures:
the channels drawn, plus what the others and the bias add, equal the output cell.

Every cell carries ``data-row`` and ``data-col`` (the input's coordinates: the padding lies below
0 and from H on), every tap ``data-window``, ``data-channel`` and its ``data-weight`` too (and a
transposed convolution's tap on an input cell ``data-input-row`` and ``data-input-col``), each
window's group its output cell and ``data-value``: a test reads what a picture claims. Large
inputs are drawn in part, with "…": a picture stays small whatever the question.
"""

from __future__ import annotations

import html

import numpy as np

from ..forms import Expected, form_of, num
from ..textsafe import safe, safe_lines

MAX_SIDE = 12  # input rows (columns) drawn at most; past them, "…"
CONTEXT = 8  # rows (columns) drawn of a larger input at least, the windows' and a few more
MAX_OUT = 8  # output rows (columns) drawn at most
MAX_CELLS = 1200  # cells in one picture at most: fewer windows are drawn past it
GAP, SIGN, LINE = 12, 26, 16  # px: between blocks, a "+" column, a line of text
CHAR = 6.6  # px: the width of a character at the 12px font, to size text blocks

STYLE = (  # font sizes are attributes (font-size="12"), which a cell's own size overrides
    ".cnp text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:#1b1b1b}"
    ".cnp .cnp-h{font-weight:600;font-size:13px}.cnp .cnp-s{fill:#555}"
    ".cnp .cnp-f{fill:#8a8a8a}.cnp .cnp-w{fill:#0a3566;text-anchor:end;font-weight:600}"
    ".cnp .cnp-sign{font-size:18px;text-anchor:middle;dominant-baseline:central}"
    ".cnp .cnp-op{font-size:14px;text-anchor:middle;dominant-baseline:central}"
    ".cnp-in{fill:#dceaf7;stroke:#5d86b3}"
    ".cnp-pad{fill:#f1f1f1;stroke:#9a9a9a;stroke-dasharray:3 2}"
    ".cnp-gap{fill:#fafafa;stroke:#b0b0b0;stroke-dasharray:1 2}"
    ".cnp-tap{fill:#1f5fa8;fill-opacity:.42;stroke:#0a3566;stroke-width:2}"
    ".cnp-prev{fill:none;stroke:#b35900;stroke-width:2;stroke-dasharray:5 3}"
    ".cnp-out{fill:#fff;stroke:#55a07e}.cnp-done{fill:#d8f0e4}"
    ".cnp-now{fill:#7fcca6;stroke:#17603f;stroke-width:2.5}"
)


# ------------------------------------------------------------------ the API


def picture_for(result) -> str | None:
    """The SVG of a graded result's question (a ``grading.QuestionResult``), or None for a kind
    without a picture."""
    return picture_for_question(result.question)


def picture_for_question(question, *, scale: float = 1.0) -> str | None:
    """The SVG of a question's working, or None for a kind without a picture. ``scale``: the size
    it is shown at, over its own (a page shows it larger than a file)."""
    pic = question.kind.picture(question.params, question.expected)
    if pic is None:
        return None
    return svg(pic, f"{question.id} · {question.kind.name}", scale)


# ------------------------------------------------------------------ layout


def _esc(text, limit: int = 300) -> str:
    return html.escape(safe(text, limit), quote=True)


def _f(v: float) -> str:
    return f"{round(v, 1):g}"


def _exact(v) -> str:
    """A value for a data attribute: every digit (an int's, or a float's repr)."""
    if isinstance(v, (int, np.integer)) or (
        isinstance(v, (float, np.floating)) and float(v).is_integer() and abs(v) < 2**53
    ):
        return str(int(v))
    return repr(float(v)) if isinstance(v, (float, np.floating)) else str(v)


def _rect(x, y, w, h, cls: str, **data) -> str:
    attrs = "".join(f' data-{k.replace("_", "-")}="{v}"' for k, v in data.items())
    return f'<rect class="{cls}" x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}"{attrs}/>'


def _text(x, y, s: str, cls: str = "", size: float | None = None) -> str:
    """A line of text; ``size``: its own font size (else the group's)."""
    klass = f' class="{cls}"' if cls else ""
    font = f' font-size="{_f(size)}"' if size else ""
    return f'<text x="{_f(x)}" y="{_f(y)}"{klass}{font}>{_esc(s)}</text>'


def _region(lo: int, hi: int, need: int) -> tuple[int, int]:
    """The rows (or columns) of [lo, hi) drawn: all when they fit, else the windows' and a few more,
    at most :data:`MAX_SIDE`."""
    if hi - lo <= MAX_SIDE:
        return lo, hi
    return lo, min(hi, max(need + 1, lo + CONTEXT), lo + MAX_SIDE)


class _Layout:
    """What every panel of a picture shares: the part of the grid drawn, the cells' sizes."""

    def __init__(self, pic, n_windows: int):
        windows = pic.windows[:n_windows]
        need_r = max((r for w in windows for r, _ in w.taps), default=pic.rows[0])
        need_c = max((c for w in windows for _, c in w.taps), default=pic.cols[0])
        self.rows = _region(*pic.rows, need_r)
        self.cols = _region(*pic.cols, need_c)
        Ho, Wo = pic.output.shape
        self.out = (min(Ho, MAX_OUT), min(Wo, MAX_OUT))
        side = max(self.rows[1] - self.rows[0], self.cols[1] - self.cols[0], *self.out)
        self.cell = 28 if side <= 7 else 24 if side <= 10 else 20  # a cell's height
        self.font = round(self.cell * 0.46, 1)  # a value's
        self.n_windows = n_windows
        # a cell's width: wider for long numbers (0.3333), up to twice its height
        shown = [
            num(v)
            for _, image in pic.channels
            for r in range(*self.rows)
            for c in range(*self.cols)
            for what, v in (_cell(pic, image, r, c),)
            if what == "in"
        ]
        self.cw = self._width(shown)
        self.ow = self._width([num(w.value) for w in windows])

    def _width(self, texts) -> float:
        longest = max((len(t) for t in texts), default=1)
        return round(min(max(self.cell, longest * 0.6 * self.font / 0.85), 2 * self.cell), 1)

    def cells(self, pic) -> int:
        """How many cells the picture draws."""
        grid = (self.rows[1] - self.rows[0]) * (self.cols[1] - self.cols[0])
        return self.n_windows * (len(pic.channels) * grid + self.out[0] * self.out[1])


def _layout(pic) -> _Layout:
    n = len(pic.windows)
    layout = _Layout(pic, n)
    while n > 1 and layout.cells(pic) > MAX_CELLS:
        n //= 2
        layout = _Layout(pic, n)
    return layout


def _cell(pic, image: np.ndarray, r: int, c: int) -> tuple[str, object]:
    """What a grid cell holds: ("in", its value), ("gap", 0) between spread input cells, or
    ("pad", the fill)."""
    sh, sw = pic.spread
    H, W = image.shape
    if 0 <= r < (H - 1) * sh + 1 and 0 <= c < (W - 1) * sw + 1:
        if r % sh == 0 and c % sw == 0:
            return "in", image[r // sh, c // sw]
        return "gap", 0
    return "pad", pic.fill


def _fit(text: str, base: float, room: float) -> float:
    """The font size for ``text`` in ``room`` px: ``base`` when it fits, smaller when not, 0 when
    it would be too small to read."""
    size = min(base, round(room / (0.6 * max(len(text), 1)), 1))
    return size if size >= 6 else 0


def _font(size: float, base: float) -> float | None:
    """A text's own font size, or None when it is its group's."""
    return None if size == base else size


def _input_grid(pic, lay: _Layout, channel: int, k: int, x0: float, y0: float) -> list[str]:
    """Channel ``channel`` of the input, window ``k``'s taps on it, the window before dashed."""
    (r0, r1), (c0, c1), ch, cw = lay.rows, lay.cols, lay.cell, lay.cw
    image = pic.channels[channel][1]
    win = pic.windows[k]
    base, wbase = lay.font, round(ch * 0.32, 1)  # values', weights' font sizes
    cells, marks, texts, labels = [], [], [], []
    at, x0, y0 = _at(x0, y0), 0, 0  # the grid's own coordinates
    for r in range(r0, r1):
        for c in range(c0, c1):
            what, value = _cell(pic, image, r, c)
            x, y = x0 + (c - c0) * cw, y0 + (r - r0) * ch
            cells.append(_rect(x, y, cw, ch, f"cnp-{what}", row=r, col=c))
            shown = num(value) if what == "in" else str(value)
            size = _fit(shown, base, cw * 0.9)
            if size:
                cy = y + ch * (0.42 if pic.weights else 0.5)
                klass = "" if what == "in" else "cnp-f"
                texts.append(_text(x + cw / 2, cy, shown, klass, _font(size, base)))
    if r1 < pic.rows[1]:
        texts.append(_text(x0 + (c1 - c0) * cw / 2, y0 + (r1 - r0) * ch + 9, "⋮"))
    if c1 < pic.cols[1]:
        texts.append(_text(x0 + (c1 - c0) * cw + 8, y0 + (r1 - r0) * ch / 2, "…"))
    if k:
        box = _box(pic.windows[k - 1].taps, lay)
        if box:
            (ra, rb), (ca, cb) = box
            x, y = x0 + (ca - c0) * cw + 3, y0 + (ra - r0) * ch + 3
            marks.append(_rect(x, y, (cb - ca) * cw - 6, (rb - ra) * ch - 6, "cnp-prev"))
    weights = pic.weights[channel].ravel() if pic.weights else None
    for t, (r, c) in enumerate(win.taps):
        if not (r0 <= r < r1 and c0 <= c < c1):
            continue  # a window larger than the part drawn: its first cells only
        x, y = x0 + (c - c0) * cw, y0 + (r - r0) * ch
        data = {"row": r, "col": c, "window": k, "channel": channel}
        if pic.kind == "transposed" and _cell(pic, image, r, c)[0] == "in":
            data.update(input_row=r // pic.spread[0], input_col=c // pic.spread[1])
        if weights is not None:
            data["weight"] = _exact(weights[t])
        marks.append(_rect(x, y, cw, ch, "cnp-tap", **data))
        if weights is not None:
            shown = "×" + num(weights[t])
            size = _fit(shown, wbase, cw * 0.95)
            if size:
                labels.append(_text(x + cw - 2, y + ch - 3, shown, "cnp-w", _font(size, wbase)))
    return [
        f"<g{at}>",
        *cells,
        *marks,
        f'<g font-size="{_f(base)}"{CENTRED}>{"".join(texts)}</g>',
        f'<g font-size="{_f(wbase)}">{"".join(labels)}</g>' if labels else "",
        "</g>",
    ]


CENTRED = ' text-anchor="middle" dominant-baseline="central"'  # a cell's value, in its middle


def _at(x: float, y: float) -> str:
    return f' transform="translate({_f(x)},{_f(y)})"'


def _box(taps, lay: _Layout):
    """The rows and columns a window spans, within the part drawn; None when none of it is."""
    (r0, r1), (c0, c1) = lay.rows, lay.cols
    rows = [r for r, _ in taps]
    cols = [c for _, c in taps]
    ra, rb = max(min(rows), r0), min(max(rows) + 1, r1)
    ca, cb = max(min(cols), c0), min(max(cols) + 1, c1)
    return ((ra, rb), (ca, cb)) if ra < rb and ca < cb else None


def _output_grid(pic, lay: _Layout, k: int, x0: float, y0: float) -> list[str]:
    """The output: the cells of windows 1..k filled in, window k's outlined."""
    ch, cw, base = lay.cell, lay.ow, lay.font
    at, x0, y0 = _at(x0, y0), 0, 0  # the grid's own coordinates
    done = {w.out: w.value for w in pic.windows[: k + 1]}
    now = pic.windows[k].out
    cells, texts = [], []
    for i in range(lay.out[0]):
        for j in range(lay.out[1]):
            x, y = x0 + j * cw, y0 + i * ch
            if (i, j) != now:
                cls = "cnp-out" + (" cnp-done" if (i, j) in done else "")
                cells.append(_rect(x, y, cw, ch, cls, row=i, col=j))
            if (i, j) in done:
                shown = num(done[(i, j)])
                size = _fit(shown, base, cw * 0.9)
                if size:
                    texts.append(_text(x + cw / 2, y + ch / 2, shown, "", _font(size, base)))
    # the current cell last, so that its outline is drawn over its neighbours'
    i, j = now
    value = _exact(pic.windows[k].value)
    cells.append(
        _rect(x0 + j * cw, y0 + i * ch, cw, ch, "cnp-out cnp-now", row=i, col=j, value=value)
    )
    Ho, Wo = pic.output.shape
    if lay.out[0] < Ho:
        texts.append(_text(x0 + lay.out[1] * cw / 2, y0 + lay.out[0] * ch + 9, "⋮"))
    if lay.out[1] < Wo:
        texts.append(_text(x0 + lay.out[1] * cw + 8, y0 + lay.out[0] * ch / 2, "…"))
    return [f"<g{at}>", *cells, f'<g font-size="{_f(base)}"{CENTRED}>{"".join(texts)}</g></g>']


def _equation(pic, k: int) -> str:
    """The window's value as the text working writes it: out[0, 0] = 4 + 8 + 12 = 24, or
    out[0, 0] = max(1, 3, 4, 0) = 4."""
    win = pic.windows[k]
    if pic.op in ("max", "avg"):
        image = pic.channels[0][1]
        cells = [v for what, v in (_cell(pic, image, r, c) for r, c in win.taps) if what == "in"]
        if len(cells) > 9:
            words = "the largest of" if pic.op == "max" else "the sum of"
            shown = f"{words} its {len(cells)} cells"
        else:
            values = ", ".join(num(v) for v in cells)
            shown = f"max({values})" if pic.op == "max" else f"({values.replace(', ', ' + ')})"
        divisor = f" / {win.divisor}" if pic.op == "avg" else ""
        return f"{win.label} = {shown}{divisor} = {num(win.value)}"
    terms = [num(v) for v in win.parts]
    if win.others is not None:
        terms.append(num(win.others))
    if pic.bias is not None:
        terms.append(num(pic.bias))
    sum_ = " + ".join(terms).replace("+ -", "− ")
    if len(terms) > 1:
        return f"{win.label} = {sum_} = {num(win.value)}"
    return f"{win.label} = {num(win.value)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _step(pic, k: int) -> str:
    """How the window moved from the one before: the stride's step."""
    if not k:
        return "the first window"
    (i0, j0), (i1, j1) = pic.windows[k - 1].out, pic.windows[k].out
    sh, sw = pic.stride
    unit = "value" if pic.one_d else "column"
    if i1 == i0:
        return f"the window moves {_plural((j1 - j0) * sw, unit)} right (stride {sw})"
    return (
        f"the window moves {_plural((i1 - i0) * sh, 'row')} down (stride {sh}) and back to the left"
    )


def _block_label(pic, channel: int) -> str:
    name = pic.channels[channel][0]
    if pic.kind == "transposed":
        base = "input, spread and padded"
        return f"{name}: {base}" if name else base
    return name or ("input, padded" if _padded(pic) else "input")


def _padded(pic) -> bool:
    """Whether the grid has cells around the input (spread out, for a transposed convolution)."""
    H, W = pic.channels[0][1].shape
    H, W = (H - 1) * pic.spread[0] + 1, (W - 1) * pic.spread[1] + 1
    return pic.rows[0] < 0 or pic.cols[0] < 0 or pic.rows[1] > H or pic.cols[1] > W


def _panel(pic, lay: _Layout, k: int) -> tuple[float, float, str]:
    """Window ``k``: the channels drawn, + the others and the bias, = the output. Returns its
    width, height and SVG (at the origin)."""
    win = pic.windows[k]
    els = [_text(0, 14, _equation(pic, k), "cnp-h"), _text(0, 31, _step(pic, k), "cnp-s")]
    top = 42 + LINE  # the grids, under their labels
    gh = (lay.rows[1] - lay.rows[0]) * lay.cell + (14 if lay.rows[1] < pic.rows[1] else 0)
    gw = (lay.cols[1] - lay.cols[0]) * lay.cw
    oh, ow = lay.out[0] * lay.cell, lay.out[1] * lay.ow
    mid = top + max(gh, oh) / 2
    x = 0.0
    for c in range(len(pic.channels)):
        if c:
            els.append(_text(x + SIGN / 2, mid, "+", "cnp-sign"))
            x += SIGN
        els.append(_text(x, top - 5, _block_label(pic, c)))
        els += _input_grid(pic, lay, c, k, x, top)
        if win.parts:
            els.append(_text(x, top + gh + LINE + 6, f"sum of products: {num(win.parts[c])}"))
        x += max(gw + GAP + (14 if lay.cols[1] < pic.cols[1] else 0), 150 if win.parts else 0)
    extra = []
    if win.others is not None:
        rest = pic.n_channels - len(pic.channels)
        extra.append(f"{_plural(rest, 'more channel')}: {num(win.others)}")
    if pic.bias is not None:
        extra.append(f"bias {num(pic.bias)}")
    for words in extra:
        els.append(_text(x + SIGN / 2 - GAP / 2, mid, "+", "cnp-sign"))
        x += SIGN
        els.append(_text(x, mid + 4, words))
        x += len(words) * CHAR + GAP
    if pic.op == "sum":
        els.append(_text(x + SIGN / 2 - GAP / 2, mid, "=", "cnp-sign"))
        x += SIGN
    else:
        els.append(_text(x + 22, mid, f"{pic.op} →", "cnp-op"))
        x += 50
    Ho, Wo = pic.output.shape
    label = f"output, {Wo}" if pic.one_d else f"output, {Ho}×{Wo}"
    els.append(_text(x, top - 5, label))
    els += _output_grid(pic, lay, k, x, top)
    width = max(
        x + max(ow + 20, len(label) * CHAR + 8),
        len(_equation(pic, k)) * 7.2,
        len(_step(pic, k)) * CHAR + 10,
        260,
    )
    height = top + max(gh, oh) + (LINE + 14 if win.parts else 14)
    return width, height, "".join(els)


def _legend(pic) -> tuple[float, str]:
    """A key to the colours, with words (never colour alone): returns its height and SVG."""
    fill = (
        "padding: −∞, never the largest"
        if pic.fill != "0"
        else "zero padding"
        if pic.kind != "pooling"
        else "padding, 0"
    )
    items = [("cnp-in", "input")]
    if _padded(pic):
        items.append(("cnp-pad", fill))
    if pic.spread != (1, 1):
        items.append(("cnp-gap", "zero between spread input cells"))
    taps = "the window's taps" + (" (× weight)" if pic.weights else "")
    items += [("cnp-tap", taps), ("cnp-prev", "the window before"), ("cnp-now", "its output")]
    els, x = [], 0.0
    for cls, words in items:
        back = _rect(x, 0, 16, 16, "cnp-in") if cls in ("cnp-tap", "cnp-prev") else ""
        els.append(back + _rect(x, 0, 16, 16, cls) + _text(x + 22, 12, words))
        x += 22 + len(words) * CHAR + 18
    return x, "".join(els)


def _summary(pic) -> str:
    """One line: what is convolved with what, and what comes out."""
    H, W = pic.channels[0][1].shape
    Ho, Wo = pic.output.shape
    kh, kw = pic.kernel
    what = {"convolution": "a convolution", "pooling": f"{pic.op} pooling"}.get(
        pic.kind, "a transposed convolution"
    )
    chans = f", {pic.n_channels} channels" if pic.n_channels > 1 else ""
    if pic.one_d:
        parts = [f"{what}: an input of {_plural(W, 'value')}{chans}", f"a kernel of {kw}"]
        result = f"an output of {_plural(Wo, 'value')}"
    else:
        window = "window" if pic.op != "sum" else "kernel"
        parts = [f"{what}: a {H}×{W} input{chans}", f"a {kh}×{kw} {window}"]
        result = f"a {Ho}×{Wo} output"
    if pic.dilation != (1, 1):
        parts.append(f"dilation {_pair(pic.dilation, pic.one_d)}")
    if pic.kind == "transposed":
        parts.append(f"stride {_pair(pic.spread, pic.one_d)} (the spread)")
    else:
        parts.append(f"stride {_pair(pic.stride, pic.one_d)}")
    return ", ".join(parts) + f" → {result}"


def _pair(v, one_d: bool = False) -> str:
    if one_d:
        return str(v[1])
    return str(v[0]) if v[0] == v[1] else f"{v[0]}×{v[1]}"


def _notes(pic, lay: _Layout) -> list[str]:
    """The kind's notes, and what a large question leaves out of its picture."""
    notes = list(pic.notes)
    if lay.n_windows < len(pic.windows):
        notes.append(f"The first {_plural(lay.n_windows, 'window')} of the working are drawn.")
    if lay.rows[1] < pic.rows[1] or lay.cols[1] < pic.cols[1]:
        notes.append("The input is drawn in part: “…” marks what is left out.")
    return notes


def svg(pic, title: str, scale: float = 1.0) -> str:
    """A :class:`~cnncheck.kinds.base.Picture` as one SVG document (a string): the first windows,
    one under another (side by side when narrow), a key, and the notes; a ``<title>`` and a
    ``<desc>`` say it in words. ``scale``: its size shown, over its own."""
    lay = _layout(pic)
    panels = [_panel(pic, lay, k) for k in range(lay.n_windows)]
    legend_w, legend = _legend(pic)
    notes = _notes(pic, lay)
    head = _summary(pic)
    pw = max(w for w, _, _ in panels)
    per_row = 2 if pw * 2 + 30 <= 1000 and len(panels) > 1 else 1
    body, y, row_h = [], 30.0, 0.0
    for k, (w, h, inner) in enumerate(panels):
        col = k % per_row
        if col == 0 and k:
            y += row_h + 22
            row_h = 0.0
        win = pic.windows[k]
        body.append(
            f'<g class="cnp-window" data-window="{k}" data-out-row="{win.out[0]}" '
            f'data-out-col="{win.out[1]}" data-value="{_exact(win.value)}" '
            f'transform="translate({_f(10 + col * (pw + 30))},{_f(y)})">{inner}</g>'
        )
        row_h = max(row_h, h)
    y += row_h + 16
    body.append(f'<g class="cnp-legend" transform="translate(10,{_f(y)})">{legend}</g>')
    y += 34
    for note in notes:
        body.append(_text(10, y, note, "cnp-s"))
        y += LINE + 2
    width = max(
        10 + per_row * pw + (per_row - 1) * 30 + 10,
        legend_w + 20,
        len(head) * CHAR + 20,
        max((len(n) * CHAR + 20 for n in notes), default=0),
    )
    height = y + 4
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cnp" role="img" '
        f'data-kind="{pic.kind}" width="{_f(width * scale)}" height="{_f(height * scale)}" '
        'font-size="12" '
        f'viewBox="0 0 {_f(width)} {_f(height)}">'
        f"<title>{_esc(title)}: the first windows of the working</title>"
        f"<desc>{_esc(describe(pic, lay), 20_000)}</desc>"
        f"<style>{STYLE}</style>" + _text(10, 18, head, "cnp-h") + "".join(body) + "</svg>"
    )


# ------------------------------------------------------------------ in words


def _list(values) -> str:
    v = sorted(set(values))
    return ", ".join(str(x) for x in v)


def describe(pic, lay: _Layout | None = None) -> str:
    """The picture in words, for a screen reader (the SVG's ``<desc>``)."""
    lay = lay or _layout(pic)
    H, W = pic.channels[0][1].shape
    out = [_summary(pic) + "."]
    if len(pic.channels) > 1:  # (a single channel drawn of several is in the kind's notes)
        names = ", ".join(n for n, _ in pic.channels)
        out.append(f"Drawn side by side: channels {names} of {pic.n_channels}.")
    if pic.kind != "transposed" and _padded(pic):
        top, left = -pic.rows[0], -pic.cols[0]
        bottom, right = pic.rows[1] - H, pic.cols[1] - W
        if pic.one_d:
            out.append(f"Padding ({pic.fill}): {left} left, {right} right.")
        else:
            out.append(
                f"Padding ({pic.fill}): {top} row(s) above, {bottom} below, "
                f"{left} column(s) left, {right} right."
            )
    out += _notes(pic, lay)
    for k, win in enumerate(pic.windows[: lay.n_windows]):
        rows = [r for r, _ in win.taps]
        cols = [c for _, c in win.taps]
        image = pic.channels[0][1]
        pads = sum(_cell(pic, image, r, c)[0] != "in" for r, c in win.taps)
        where = (
            f"positions {_list(cols)}"
            if pic.one_d
            else f"rows {_list(rows)} × columns {_list(cols)}"
        )
        zero = "padding or zeros" if pic.kind == "transposed" else "padding"
        out.append(
            f"{_equation(pic, k)}: {_step(pic, k)}, its {len(win.taps)} taps on {where}"
            + (f" ({pads} on {zero})" if pads else "")
            + "."
        )
    rest = pic.output.size - lay.n_windows
    if rest > 0:
        out.append(f"The other {_plural(rest, 'output cell')} follow likewise.")
    return " ".join(out)


# ------------------------------------------------------------------ the page

PAGE_STYLE = """
:root{color-scheme:light}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;
margin:0;background:#fff}
main{max-width:1100px;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:0 0 .5rem}
h2 small{font-weight:400;color:#555;font-size:.9rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
.sub{color:#555;margin:0 0 1rem}
section.question{border-top:2px solid #d0d7de;padding:1rem 0 1.5rem}
.prompt{white-space:pre-wrap;margin:.2rem 0 .8rem}
table.given{border-collapse:collapse;margin:.4rem 0}
table.given th{text-align:right;vertical-align:top;padding:.15rem .8rem .15rem 0;color:#0a5;
font-weight:600}
table.given td{padding:.15rem 0;vertical-align:top}
.value{display:inline-flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:flex-start}
.value figure{margin:0}.value figcaption{font-size:.85rem;color:#555}
table.m{border-collapse:collapse;font-variant-numeric:tabular-nums}
table.m td{border:1px solid #c8d1da;padding:.05rem .45rem;text-align:right;min-width:1.4rem}
ol.steps{padding-left:1.6rem}ol.steps li{margin:.25rem 0}ol.steps p{margin:0}
.cut{color:#555;font-size:.85rem}
figure.picture{margin:1rem 0;overflow-x:auto}
figure.picture svg{max-width:100%;height:auto}
figure.picture figcaption{color:#555;font-size:.9rem}
pre{white-space:pre-wrap;margin:0;font:inherit}
@media print{section.question{break-inside:avoid-page}figure.picture{break-inside:avoid}}
"""
MAX_TABLE = 16  # rows (columns) of a matrix shown on the page; past them, "…"
PAGE_SCALE = 1.25  # a picture on the page, beside its 15px text, over its own size


def _h(text, limit: int = 2000) -> str:
    return html.escape(safe_lines(text, limit), quote=True)


def _matrix(m: np.ndarray) -> str:
    """A 1-D or 2-D array as a table, at most :data:`MAX_TABLE` rows and columns."""
    m = m.reshape(1, -1) if m.ndim == 1 else m
    rows, cols = m.shape
    body = []
    for row in m[:MAX_TABLE]:
        cells = "".join(f"<td>{html.escape(num(v))}</td>" for v in row[:MAX_TABLE])
        more = "<td>…</td>" if cols > MAX_TABLE else ""
        body.append(f"<tr>{cells}{more}</tr>")
    if rows > MAX_TABLE:
        body.append("<tr>" + "<td>⋮</td>" * (min(cols, MAX_TABLE) + (cols > MAX_TABLE)) + "</tr>")
    cut = (
        f'<p class="cut">{rows}×{cols}: the first {min(rows, MAX_TABLE)} rows and '
        f"{min(cols, MAX_TABLE)} columns shown</p>"
        if rows > MAX_TABLE or cols > MAX_TABLE
        else ""
    )
    return f'<table class="m"><tbody>{"".join(body)}</tbody></table>{cut}'


def _value(value, channels=None, form=None) -> str:
    """A value a kind describes or explains, or an answer, as HTML."""
    if isinstance(value, Expected):
        return _value(value.value, value.channels, form)
    if isinstance(value, np.ndarray):
        if value.ndim <= 2:
            return _matrix(value)
        shown = min(value.shape[0], MAX_TABLE)
        parts = []
        for c in range(shown):
            name = channels[c] if channels and c < len(channels) else f"[{c}]"
            inner = _value(value[c]) if value.ndim > 3 else _matrix(value[c])
            parts.append(f"<figure><figcaption>{_h(name, 200)}</figcaption>{inner}</figure>")
        if value.shape[0] > shown:
            parts.append(f'<p class="cut">… {value.shape[0] - shown} more</p>')
        return f'<div class="value">{"".join(parts)}</div>'
    return f"<pre>{_h((form or form_of(value)).text(value, channels), 10_000)}</pre>"


def _question(q, n: int, explain: bool) -> str:
    pts = num(q.points)
    head = (
        f"<h2>{_h(q.id, 200)} <small>{_h(q.kind.name, 100)} · {pts} "
        f"point{'s' if pts != '1' else ''}</small></h2>"
    )
    parts = [
        f'<section class="question" id="q{n}" aria-labelledby="q{n}-h">',
        head.replace("<h2>", f'<h2 id="q{n}-h">', 1),
    ]
    if q.prompt:
        parts.append(f'<p class="prompt">{_h(q.prompt)}</p>')
    rows = "".join(
        f'<tr><th scope="row">{_h(label, 200)}</th><td>{_value(value)}</td></tr>'
        for label, value in q.kind.describe(q.params)
    )
    parts.append(f'<table class="given"><tbody>{rows}</tbody></table>')
    if explain:
        parts += _working(q)
    parts.append(
        f"<h3>Answer</h3>{_value(q.expected.value, q.expected.channels, q.kind.form)}</section>"
    )
    return "".join(parts)


def _working(q) -> list[str]:
    """The text working, step by step as the terminal shows it, and the picture."""
    parts = []
    steps = q.kind.explain(q.params, q.expected)
    items = "".join(
        f"<li><p>{_h(s.text)}</p>{_value(s.value) if s.value is not None else ''}</li>"
        for s in steps
    )
    parts.append(f'<h3>Working</h3><ol class="steps">{items}</ol>')
    drawing = picture_for_question(q, scale=PAGE_SCALE)
    if drawing is not None:
        parts.append(
            f'<figure class="picture">{drawing}<figcaption>The working as a picture: the first '
            "windows, each window's taps over the input and the output cell it gives."
            "</figcaption></figure>"
        )
    return parts


def solve_page(assignment, questions, student: str | None = None, *, explain: bool = True) -> str:
    """A self-contained HTML page (inline CSS, no script, nothing fetched) with each question's
    prompt, parameters, text working, picture and answer. ``questions``: ids of the assignment
    (or Question objects); ``student``: whose variant, for questions that differ per student;
    ``explain``: False leaves the working and the pictures out (``cnncheck solve`` without
    ``--explain``)."""
    a = assignment.for_student(student)
    qs = [a.questions[q] if isinstance(q, str) else q for q in questions]
    title = a.title if a.title != a.id else a.id
    sub = f"assignment {_h(a.id, 200)}" + (f" · student {_h(student, 200)}" if student else "")
    nav = ""
    if len(qs) > 1:
        links = " · ".join(f'<a href="#q{n}">{_h(q.id, 200)}</a>' for n, q in enumerate(qs))
        nav = f'<nav aria-label="questions"><p>{links}</p></nav>'
    body = "".join(_question(q, n, explain) for n, q in enumerate(qs))
    only = f" · {_h(qs[0].id, 200)}" if len(qs) == 1 else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_h(a.id, 200)}{only}: the working</title>"
        f"<style>{PAGE_STYLE}</style></head><body><main>"
        f'<h1>{_h(title, 500)}</h1><p class="sub">{sub}</p>{nav}{body}'
        "</main></body></html>\n"
    )
