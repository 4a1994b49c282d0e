"""The working as pictures (``cnncheck/report/pictures.py``): each SVG against the numbers it
claims, the solve page in a real browser, and nothing fetched or run from what a bank says.

The references here are plain loops written from the definitions (PyTorch's rules, SEMANTICS.md
A.1-A.3): which input cells output cell (i, j) reads, padding and dilation included, and its
value. A transposed convolution's reference is its scatter-add (``full[i·s + d·m] += x[i]·w[m]``,
then ``padding`` cut from each side): the picture draws the direct convolution it equals, so the
two meet only if the spreading, the padding and the rotated kernel are all right.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from cnncheck.bank import load_bank
from cnncheck.forms import num
from cnncheck.kinds import KINDS
from cnncheck.report.pictures import picture_for, picture_for_question, solve_page

from .browser import keep_screenshot, open_page

SVG = "{http://www.w3.org/2000/svg}"


# ------------------------------------------------------------------ reading a picture


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root[0].tag == f"{SVG}title" and root[0].text
    assert root[1].tag == f"{SVG}desc" and root[1].text
    return root


def windows(root: ET.Element) -> list[dict]:
    """What each window of a picture claims: its output cell and value, the cells its taps
    highlight on channel 1 (with their weights, and the input cells under a transposed
    convolution's), and the grid's cells by class."""
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "cnp-window":
            continue
        k = int(g.get("data-window"))
        taps = [
            r
            for r in g.iter(f"{SVG}rect")
            if r.get("class") == "cnp-tap" and r.get("data-channel") == "0"
        ]
        assert all(int(t.get("data-window")) == k for t in taps)
        cells = {}
        for r in g.iter(f"{SVG}rect"):
            cls = r.get("class", "")
            if cls in ("cnp-in", "cnp-pad", "cnp-gap"):
                # the first grid of the window is channel 1's: keep the first class seen
                cells.setdefault((int(r.get("data-row")), int(r.get("data-col"))), cls)
        now = [r for r in g.iter(f"{SVG}rect") if "cnp-now" in r.get("class", "").split()]
        assert len(now) == 1
        out.append(
            {
                "k": k,
                "out": (int(g.get("data-out-row")), int(g.get("data-out-col"))),
                "now": (int(now[0].get("data-row")), int(now[0].get("data-col"))),
                "value": float(g.get("data-value")),
                "now_value": float(now[0].get("data-value")),
                "taps": [(int(t.get("data-row")), int(t.get("data-col"))) for t in taps],
                "weights": [float(t.get("data-weight", "nan")) for t in taps],
                "inputs": {
                    (int(t.get("data-input-row")), int(t.get("data-input-col")))
                    for t in taps
                    if t.get("data-input-row") is not None
                },
                "cells": cells,
            }
        )
    assert [w["k"] for w in out] == list(range(len(out)))
    return out


def first_cells(Ho: int, Wo: int, n: int = 4) -> list[tuple[int, int]]:
    """The output cells the text working works first: row by row."""
    return [(i, j) for i in range(Ho) for j in range(Wo)][:n]


# ------------------------------------------------------------------ plain-loop references


def conv_reference(x, w, bias, stride, pads, dilation):
    """x (C, H, W), w (C, kh, kw) (filter 1, cross-correlation), pads ((top, bottom), (left,
    right)). Returns (Ho, Wo) and for each output cell: the cells it reads in kernel order (row,
    col, weight) and its value."""
    C, H, W = x.shape
    kh, kw = w.shape[1:]
    (top, bottom), (left, right) = pads
    Ho = (H + top + bottom - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    Wo = (W + left + right - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    cells = {}
    for i in range(Ho):
        for j in range(Wo):
            reads, total = [], bias
            for m in range(kh):
                for n in range(kw):
                    r = i * stride[0] - top + m * dilation[0]
                    c = j * stride[1] - left + n * dilation[1]
                    reads.append((r, c, w[0, m, n]))
                    if 0 <= r < H and 0 <= c < W:
                        for ch in range(C):
                            total += x[ch, r, c] * w[ch, m, n]
            cells[(i, j)] = (reads, total)
    return (Ho, Wo), cells


def pool_reference(x, op, k, stride, pad, dilation, ceil_mode, count_include_pad):
    """PyTorch's pooling of channel 1, by loops: (Ho, Wo) and per output cell the cells its
    window covers and its value."""
    H, W = x.shape

    def size(n, k, s, p, d):
        span = n + 2 * p - d * (k - 1) - 1
        o = (-(-span // s) if ceil_mode else span // s) + 1
        if ceil_mode and (o - 1) * s >= n + p:  # a last window starting in the right padding
            o -= 1
        return o

    Ho, Wo = (
        size(H, k[0], stride[0], pad[0], dilation[0]),
        size(W, k[1], stride[1], pad[1], dilation[1]),
    )
    cells = {}
    for i in range(Ho):
        for j in range(Wo):
            rows = [i * stride[0] - pad[0] + m * dilation[0] for m in range(k[0])]
            cols = [j * stride[1] - pad[1] + n * dilation[1] for n in range(k[1])]
            inside = [x[r, c] for r in rows for c in cols if 0 <= r < H and 0 <= c < W]
            if op == "max":
                value = max(inside)
            else:
                # the divisor: the window cut to the padded input, or to the input itself
                hs, ws = rows[0], cols[0]
                he, we = min(hs + k[0], H + pad[0]), min(ws + k[1], W + pad[1])
                if not count_include_pad:
                    hs, ws, he, we = max(hs, 0), max(ws, 0), min(he, H), min(we, W)
                value = sum(inside) / ((he - hs) * (we - ws))
            cells[(i, j)] = ([(r, c) for r in rows for c in cols], value)
    return (Ho, Wo), cells


def transposed_reference(x, w, bias, stride, pad, output_padding, dilation):
    """x (C, H, W), w (C, kh, kw) (filter 1): the scatter-add, cropped. Returns (Ho, Wo) and per
    output cell its value and {input cell: the weight that carries it there}."""
    C, H, W = x.shape
    kh, kw = w.shape[1:]
    Ho = (H - 1) * stride[0] - 2 * pad[0] + dilation[0] * (kh - 1) + output_padding[0] + 1
    Wo = (W - 1) * stride[1] - 2 * pad[1] + dilation[1] * (kw - 1) + output_padding[1] + 1
    out = np.full((Ho, Wo), float(bias))
    carried: dict = {(i, j): {} for i in range(Ho) for j in range(Wo)}
    for i in range(H):
        for j in range(W):
            for m in range(kh):
                for n in range(kw):
                    y = i * stride[0] + dilation[0] * m - pad[0]
                    z = j * stride[1] + dilation[1] * n - pad[1]
                    if 0 <= y < Ho and 0 <= z < Wo:
                        carried[(y, z)][(i, j)] = w[0, m, n]
                        for c in range(C):
                            out[y, z] += x[c, i, j] * w[c, m, n]
    return (Ho, Wo), {cell: (carried[cell], out[cell]) for cell in carried}


# ------------------------------------------------------------------ questions


def bank(tmp_path: Path, questions: dict, name: str = "pics"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(json.dumps({"assignment": name, "questions": questions}, indent=1))
    return load_bank(path).get(name)


def engine_value(q, cell) -> float:
    """The engine's value of an output cell of filter (channel) 1."""
    v = np.asarray(q.expected.value)
    v = v.reshape(-1, *v.shape[-2:]) if v.ndim >= 2 else v.reshape(1, 1, -1)
    return float(v[0][cell])


def working_line(q, label: str) -> str:
    """The text working's step for an output cell (of filter 1, when there are several)."""
    lines = [
        s.text
        for s in q.kind.explain(q.params, q.expected)
        if s.text.startswith((label, f"filter 1, {label}"))
    ]
    assert len(lines) == 1, lines
    return lines[0]


def check_conv(q, x, w, bias, stride, pads, dilation, one_d=False):
    """The picture of a convolution question against the plain loops."""
    (Ho, Wo), ref = conv_reference(x, w, bias, stride, pads, dilation)
    drawn = windows(parse(picture_for_question(q)))
    assert [d["out"] for d in drawn] == first_cells(Ho, Wo)
    C, H, W = x.shape
    for d in drawn:
        reads, total = ref[d["out"]]
        assert d["taps"] == [(r, c) for r, c, _ in reads]  # in kernel order, padding included
        assert d["weights"] == [float(wt) for _, _, wt in reads]
        assert d["now"] == d["out"]
        assert d["value"] == d["now_value"] == engine_value(q, d["out"])
        assert math.isclose(d["value"], total, rel_tol=1e-12, abs_tol=1e-12)
        for (r, c), cls in d["cells"].items():  # the padding shaded, the input not
            assert cls == ("cnp-in" if 0 <= r < H and 0 <= c < W else "cnp-pad"), (r, c)
        label = f"out[{d['out'][1]}]" if one_d else f"out[{d['out'][0]}, {d['out'][1]}]"
        assert working_line(q, label).endswith(f"= {num(d['value'])}")
    return drawn


HW4 = load_bank().get("cs577-hw4")


@pytest.mark.parametrize("qid", ["q1", "q2", "q3"])
def test_bank_conv2d_pictures_show_the_cells_each_output_reads(qid):
    """q1: no padding; q2: padding 1; q3: padding 1 and dilation 2 (taps two apart)."""
    q = HW4.questions[qid]
    assert len(picture_for_question(q).encode()) < 100_000
    p = q.params
    pad = p.padding if isinstance(p.padding, int) else None
    assert pad is not None and p.convention == "cross-correlation" and p.bias is None
    drawn = check_conv(q, p.image, p.weight[0], 0, p.stride, ((pad, pad), (pad, pad)), p.dilation)
    if qid == "q3":  # dilation 2: the first window reads rows and columns -1, 1, 3
        assert drawn[0]["taps"][:3] == [(-1, -1), (-1, 1), (-1, 3)]


CONV1D = {
    "c1": {"image": [4, 1, -1, 3, 2, 5, 0, 2], "filter": [-2, 1, 3], "padding": 1, "stride": 2,
           "bias": 2},
    "c2": {"image": [[3, 1, 2, 0, 1, 4, 2], [1, 0, 2, 3, 1, 0, 2]], "filter": [1, -1, 2],
           "dilation": 2, "padding": [2, 1], "convention": "convolution"},
}  # fmt: skip


@pytest.mark.parametrize("qid", list(CONV1D))
def test_conv1d_pictures(tmp_path, qid):
    d = CONV1D[qid]
    q = bank(tmp_path, {qid: {"kind": "conv1d", **d}}).questions[qid]
    x = np.array(d["image"], dtype=float)
    x = x[None] if x.ndim == 1 else x
    w = np.array(d["filter"], dtype=float)
    if d.get("convention") == "convolution":
        w = w[::-1]
    w = np.broadcast_to(w, (x.shape[0], w.shape[0]))
    pad = d.get("padding", 0)
    left, right = (pad, pad) if isinstance(pad, int) else pad
    drawn = check_conv(
        q,
        x[:, None, :],
        w[:, None, :],
        d.get("bias", 0),
        (1, d.get("stride", 1)),
        ((0, 0), (left, right)),
        (1, d.get("dilation", 1)),
        one_d=True,
    )
    assert all(r == 0 for w_ in drawn for r, _ in w_["taps"])  # one row: a signal


def test_conv2d_with_several_filters_and_channels_draws_filter_1(tmp_path):
    rng = np.random.default_rng(7)
    x, w = rng.integers(-3, 4, (5, 6, 7)), rng.integers(-2, 3, (2, 5, 3, 2))
    d = {"image": x.tolist(), "filter": w.tolist(), "stride": [2, 1], "padding": [[1, 0], [2, 1]],
         "bias": [3, -1]}  # fmt: skip
    q = bank(tmp_path, {"m": {"kind": "conv2d", **d}}).questions["m"]
    check_conv(q, x, w[0], 3, (2, 1), ((1, 0), (2, 1)), (1, 1))
    root = parse(picture_for_question(q))
    channels = {t.get("data-channel") for t in root.iter(f"{SVG}rect") if t.get("data-channel")}
    assert channels == {"0", "1", "2"}  # three of the five channels drawn, the rest summed
    assert "2 more channels" in ET.tostring(root, encoding="unicode")


POOLS = {
    "max-dilated": {"image": [[1, 3, 2, 0, 5], [4, 0, 1, 2, 1], [2, 6, 0, 3, 2], [1, 2, 4, 0, 3],
                              [3, 1, 0, 2, 4]], "size": 2, "dilation": 2, "stride": 1,
                    "padding": 1},
    "avg-ceil": {"image": [[1, 3, 2, 0, 5, 1], [4, 0, 1, 2, 1, 3], [2, 6, 0, 3, 2, 0],
                           [1, 2, 4, 0, 3, 2], [3, 1, 0, 2, 4, 1], [0, 2, 1, 3, 1, 2]],
                 "op": "avg", "size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
    "avg-no-pad-count": {"image": [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]],
                         "op": "avg", "size": 2, "padding": 1, "count_include_pad": False},
    "rgb": {"image": {"R": [[1, 3, 2], [4, 0, 1], [2, 6, 0]], "G": [[0, 1, 5], [2, 2, 1],
                                                                  [3, 0, 4]]}, "size": 2,
            "stride": 1},
}  # fmt: skip


@pytest.mark.parametrize("qid", list(POOLS))
def test_pool2d_pictures(tmp_path, qid):
    d = POOLS[qid]
    q = bank(tmp_path, {qid: {"kind": "pool2d", **d}}).questions[qid]
    image = d["image"]
    x = np.array(next(iter(image.values())) if isinstance(image, dict) else image, dtype=float)
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    k = pair(d["size"])
    (Ho, Wo), ref = pool_reference(
        x,
        d.get("op", "max"),
        k,
        pair(d.get("stride", d["size"])),
        pair(d.get("padding", 0)),
        pair(d.get("dilation", 1)),
        d.get("ceil_mode", False),
        d.get("count_include_pad", True),
    )
    drawn = windows(parse(picture_for_question(q)))
    assert [w["out"] for w in drawn] == first_cells(Ho, Wo)
    H, W = x.shape
    for w in drawn:
        cells, value = ref[w["out"]]
        assert w["taps"] == cells
        assert w["value"] == w["now_value"] == engine_value(q, w["out"])
        assert math.isclose(w["value"], value, rel_tol=1e-12)
        for (r, c), cls in w["cells"].items():
            assert cls == ("cnp-in" if 0 <= r < H and 0 <= c < W else "cnp-pad"), (r, c)
    if qid == "avg-ceil":  # ceil_mode: the last window of row 0 reaches past the padding
        assert max(c for _, c in drawn[3]["taps"]) == W + 1


TRANSPOSED = {
    "s2-p1-op1": {"image": [[1, 2], [3, 4]], "filter": [[1, 2], [3, 5]], "stride": 2,
                  "padding": 1, "output_padding": 1, "bias": 1},
    "dilated": {"image": [[1, 0, 2], [2, 1, 3]], "filter": [[1, -1], [2, 3]], "dilation": 2},
    "s3-p2": {"image": [[2, -1, 3], [0, 4, 1], [1, 1, -2]], "filter": [[1, 2, 0], [-1, 3, 1],
                                                                      [2, 0, 1]], "stride": 3,
              "padding": 2},
    "cut": {"image": [[1, 2, 3], [4, 5, 6]], "filter": [[1, 2], [3, 4]], "stride": [2, 3],
            "padding": [2, 1], "output_padding": [1, 2]},  # padding > d·(k−1): cells cut
    "rgb": {"image": {"R": [[1, 2], [0, 1]], "G": [[2, 0], [1, 3]]},
            "filter": [[[1, 0], [0, 2]], [[0, 1], [1, 0]]], "stride": 2},
}  # fmt: skip


@pytest.mark.parametrize("qid", list(TRANSPOSED))
def test_transposed_pictures_draw_the_direct_convolution_that_equals_the_scatter(tmp_path, qid):
    d = TRANSPOSED[qid]
    q = bank(tmp_path, {qid: {"kind": "conv_transpose2d", **d}}).questions[qid]
    image = d["image"]
    x = np.array(list(image.values()) if isinstance(image, dict) else [image], dtype=float)
    w = np.array(d["filter"], dtype=float)
    w = np.broadcast_to(w, (x.shape[0], *w.shape[-2:]))
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    s, p = pair(d.get("stride", 1)), pair(d.get("padding", 0))
    op, dil = pair(d.get("output_padding", 0)), pair(d.get("dilation", 1))
    (Ho, Wo), ref = transposed_reference(x, w, d.get("bias", 0), s, p, op, dil)
    root = parse(picture_for_question(q))
    drawn = windows(root)
    assert [t["out"] for t in drawn] == first_cells(Ho, Wo)
    kh, kw = w.shape[1:]
    H, W = x.shape[1:]
    for t in drawn:
        carried, value = ref[t["out"]]
        # the taps on input cells are exactly the input cells the scatter sends to this cell
        assert t["inputs"] == set(carried)
        # each with the weight that carries it (the kernel rotated 180°)
        for (r, c), weight in zip(t["taps"], t["weights"]):
            if (
                r >= 0
                and c >= 0
                and r % s[0] == 0
                and c % s[1] == 0
                and (r // s[0], c // s[1]) in carried
            ):
                assert weight == carried[(r // s[0], c // s[1])]
        # a stride-1 window of the dilated kernel, over the grid of the spread input
        (r0, c0) = t["taps"][0]
        assert t["taps"] == [
            (r0 + m * dil[0], c0 + n * dil[1]) for m in range(kh) for n in range(kw)
        ]
        assert (r0, c0) == (
            t["out"][0] - (dil[0] * (kh - 1) - p[0]),
            t["out"][1] - (dil[1] * (kw - 1) - p[1]),
        )
        assert t["value"] == t["now_value"] == engine_value(q, t["out"])
        assert math.isclose(t["value"], value, rel_tol=1e-12, abs_tol=1e-12)
        for (r, c), cls in t["cells"].items():  # spread input, zeros between, padding around
            inside = 0 <= r < (H - 1) * s[0] + 1 and 0 <= c < (W - 1) * s[1] + 1
            on_input = inside and r % s[0] == 0 and c % s[1] == 0
            assert cls == ("cnp-in" if on_input else "cnp-gap" if inside else "cnp-pad"), (r, c)


# ------------------------------------------------------------------ every kind, any size


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_has_a_picture_or_none(tmp_path, name):
    """The four sliding-window kinds draw each of their examples; the others draw nothing."""
    kind = KINDS[name]
    a = bank(tmp_path, {f"q{i}": {"kind": name, **d} for i, d in enumerate(kind.examples)})
    for q in a.questions.values():
        svg = picture_for_question(q)
        if name in ("conv2d", "conv1d", "pool2d", "conv_transpose2d"):
            root = parse(svg)
            assert windows(root)
        else:
            assert svg is None


def test_picture_for_a_graded_result(tmp_path):
    from cnncheck.grading import grade_answer

    q = HW4.questions["q3"]
    result = grade_answer(q, [[0, 0], [0, 0]])
    assert picture_for(result) == picture_for_question(q)
    assert picture_for(grade_answer(HW4.questions["q4"], "template matching")) is None


LARGE = {  # "shape": the image's, drawn at random
    "128x128": {"kind": "conv2d", "filter": [[1, 0, -1], [2, 0, -2], [1, 0, -1]], "padding": 1,
                "shape": (3, 128, 128)},
    "big-kernel": {"kind": "conv2d", "filter": np.ones((16, 16), int).tolist(), "dilation": 2,
                   "padding": 3, "shape": (3, 40, 40)},
    "pool-1000": {"kind": "pool2d", "size": 3, "stride": 1, "shape": (1000, 1000)},
    "transposed-big": {"kind": "conv_transpose2d", "filter": np.ones((9, 9), int).tolist(),
                       "stride": 7, "padding": 3, "shape": (4, 40, 40)},
}  # fmt: skip


@pytest.mark.parametrize("qid", list(LARGE))
def test_large_questions_give_small_pictures(tmp_path, qid):
    """At most the first rows and columns are drawn, with "…": never megabytes of SVG."""
    d = dict(LARGE[qid])
    rng = np.random.default_rng(3)
    d["image"] = rng.integers(0, 10, d.pop("shape")).tolist()
    q = bank(tmp_path, {qid: d}).questions[qid]
    svg = picture_for_question(q)
    assert len(svg.encode()) < 200_000, len(svg)  # a bank's own questions: about 15-90 KB
    root = parse(svg)
    assert windows(root)
    assert "…" in svg and "drawn in part" in root[1].text


# ------------------------------------------------------------------ the page


def all_kinds_bank(tmp_path):
    return bank(
        tmp_path,
        {
            "conv1d": {"kind": "conv1d", **CONV1D["c1"]},
            "pool": {"kind": "pool2d", **POOLS["avg-ceil"]},
            "transposed": {"kind": "conv_transpose2d", **TRANSPOSED["s2-p1-op1"]},
            "text": {"kind": "text", "prompt": "Why pool?", "rubric": [
                {"idea": "invariance to small shifts", "points": 1,
                 "phrases": ["small shifts", "invariance"]}]},
        },
        "kinds",
    )  # fmt: skip


NETWORK = re.compile(
    r"(?i)<script|<link|<iframe|<img|<object|<embed|@import|url\(|\bsrc=|"
    r"href=\"(?!#)|https?://(?!www\.w3\.org/2000/svg\")"
)


def test_the_solve_page_in_a_browser(tmp_path):
    """Debian's Chromium loads the page: nothing in the console, every picture there, each with its
    words; a screenshot for people to look at."""
    pages = {
        "solve-hw4": (HW4, ["q1", "q2", "q3", "q11"], 4),
        "solve-kinds": (all_kinds_bank(tmp_path), ["conv1d", "pool", "transposed", "text"], 3),
    }
    for name, (a, qids, pictures) in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(solve_page(a, qids), encoding="utf-8")
        page = open_page(path, tmp_path / f"{name}.png", (1280, 5200))
        assert page.console == []
        assert page.dom.count('role="img"') == pictures
        assert page.dom.count("<title>") == pictures + 1  # the page's and each picture's
        assert page.dom.count("<desc>") == pictures
        assert page.dom.count('<section class="question"') == len(qids)
        assert page.dom.count('class="cnp-window"') == 4 * pictures
        assert page.screenshot.stat().st_size > 50_000  # drawn, not blank
        keep_screenshot(page.screenshot, f"{name}.png")


def test_the_page_fetches_nothing_and_shows_the_working(tmp_path):
    page = solve_page(all_kinds_bank(tmp_path), ["conv1d", "pool", "transposed", "text"])
    assert not NETWORK.search(page), NETWORK.search(page)
    for q in ("conv1d", "pool", "transposed"):
        assert f">{q} <small>" in page
    # the text working, line by line, as the terminal shows it
    a = all_kinds_bank(tmp_path)
    for qid in ("conv1d", "pool"):
        q = a.questions[qid]
        for step in q.kind.explain(q.params, q.expected):
            import html

            assert html.escape(step.text, quote=True) in page


def test_hostile_text_is_shown_not_run(tmp_path):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> & \x1b[31m'
    a = bank(
        tmp_path,
        {
            "q1": {"kind": "conv2d", "prompt": hostile,
                   "image": {hostile: [[1, 2], [3, 4]], "G</text><svg onload=alert(1)>": [
                       [0, 1], [1, 0]]},
                   "filter": [[1, 0], [0, 1]]},
        },
    )  # fmt: skip
    page = solve_page(a, ["q1"], student='"><script>alert(2)</script>')
    assert "<script" not in page and "<img" not in page and "<svg onload" not in page
    assert "\x1b" not in page and "\\x1b[31m" in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    svg = picture_for_question(a.questions["q1"])
    root = parse(svg)  # still well-formed XML
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t and t.startswith("<script>alert") for t in labels)  # the name, as text
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    shown = open_page(path, tmp_path / "hostile.png", (1000, 1400))
    assert shown.console == []  # nothing ran: an alert or an error would be logged
    assert "<script" not in shown.dom.split("<body>", 1)[1]


def test_the_page_without_explain_has_no_working(tmp_path):
    """``cnncheck solve`` without ``--explain``: prompts, parameters and answers only."""
    page = solve_page(HW4, ["q3"], explain=False)
    assert "<svg" not in page and "Working" not in page
    assert "<h3>Answer</h3>" in page and "dilated convolution" in page
