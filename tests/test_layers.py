"""The layer classes: each type's shape, parameters and size formula against the engine's single
formulas and hand-computed cases; conv1d, a height-1 conv2d, against a plain-loop reference."""

from __future__ import annotations

import itertools
import random
from math import prod

import numpy as np
import pytest

from cnncheck import engine
from cnncheck.kinds import KINDS
from cnncheck.kinds.base import DefinitionError
from cnncheck.kinds.layers import (
    LAYERS,
    Conv2d,
    ConvTranspose2d,
    Dense,
    Flatten,
    Pool2d,
    parse_layer,
)

from . import reference


def layer(**d):
    return parse_layer(d, "the layer")


def test_every_layer_type_has_a_class():
    assert set(LAYERS) == {"conv2d", "conv_transpose2d", "pool2d", "dense", "flatten"}
    assert all(cls.type == name for name, cls in LAYERS.items())
    assert type(layer(type="pool2d", size=2)) is Pool2d
    assert type(layer(type="conv_transpose2d", filters=2, kernel=3)) is ConvTranspose2d


@pytest.mark.parametrize(
    "i,k,s,p,d",
    [
        (32, 5, 1, 0, 1),
        (32, 5, 2, 1, 1),
        (227, 11, 4, 0, 1),
        (28, 3, 1, 1, 2),
        (7, 3, 3, 2, 1),
        (10, 4, 3, 0, 2),
    ],
)
def test_conv2d_output_shape_is_the_engines(i, k, s, p, d):
    conv = layer(type="conv2d", filters=8, kernel=k, stride=s, padding=p, dilation=d)
    o = engine.conv_output_size(i, k, s, p, d)
    assert o == (i + 2 * p - d * (k - 1) - 1) // s + 1  # the formula, written out once, here
    assert conv.output_shape((3, i, i)) == (8, o, o)
    assert conv.size_formula("H", i, o).endswith(f"= {o}")


def test_hand_computed_shapes():
    assert layer(type="conv2d", filters=96, kernel=11, stride=4).output_shape((3, 227, 227)) == (
        96,
        55,
        55,
    )
    assert layer(type="conv2d", filters=4, kernel=3, padding="same").output_shape((2, 9, 7)) == (
        4,
        9,
        7,
    )
    assert layer(type="pool2d", size=2).output_shape((6, 28, 28)) == (6, 14, 14)
    assert layer(type="pool2d", size=3, stride=2, ceil_mode=True).output_shape((1, 6, 6)) == (
        1,
        3,
        3,
    )
    assert layer(type="pool2d", size=3, stride=2).output_shape((1, 6, 6)) == (1, 2, 2)
    up = layer(type="conv_transpose2d", filters=4, kernel=3, stride=2, padding=1, output_padding=1)
    assert up.output_shape((8, 16, 16)) == (4, 32, 32)


@pytest.mark.parametrize(
    "i,k,s,p,d,ceil",
    list(itertools.product((6, 7, 13), (2, 3), (1, 2, 3), (0, 1), (1, 2), (False, True))),
)
def test_pool2d_output_shape_is_the_engines(i, k, s, p, d, ceil):
    if p > k // 2:
        return
    pool = layer(type="pool2d", size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    o = engine.pool_output_size(i, k, s, p, d, ceil)
    if o < 1:
        with pytest.raises(DefinitionError, match="does not fit"):
            pool.output_shape((1, i, i))
        return
    assert pool.output_shape((2, i, i)) == (2, o, o)
    assert engine.max_pool2d(
        np.zeros((1, i, i)), k, stride=s, padding=p, dilation=d, ceil_mode=ceil
    ).shape[1:] == (o, o)
    bracket = "⌈" if ceil else "⌊"
    assert pool.size_formula("W", i, o) == (
        f"W = {bracket}({i} + 2·{p} − {d}·({k}−1)+1) / {s}{'⌉' if ceil else '⌋'} + 1 = {o}"
        if d != 1
        else f"W = {bracket}({i} + 2·{p} − {k}) / {s}{'⌉' if ceil else '⌋'} + 1 = {o}"
    )


@pytest.mark.parametrize(
    "i,k,s,p,op,d", [(5, 3, 2, 1, 1, 1), (4, 2, 2, 0, 0, 1), (3, 3, 1, 0, 0, 2), (6, 4, 3, 1, 2, 1)]
)
def test_conv_transpose2d_output_shape_is_the_engines(i, k, s, p, op, d):
    up = layer(
        type="conv_transpose2d",
        filters=2,
        kernel=k,
        stride=s,
        padding=p,
        output_padding=op,
        dilation=d,
    )
    o = engine.conv_transpose_output_size(i, k, s, p, op, d)
    assert o == (i - 1) * s - 2 * p + d * (k - 1) + op + 1
    assert up.output_shape((1, i, i)) == (2, o, o)
    x = np.ones((1, i, i), dtype=np.int64)
    w = np.ones((1, 2, k, k), dtype=np.int64)
    assert engine.conv_transpose2d(
        x, w, stride=s, padding=p, output_padding=op, dilation=d
    ).shape == (2, o, o)
    assert up.size_formula("H", i, o) == f"H = ({i}−1)·{s} − 2·{p} + {d}·({k}−1) + {op} + 1 = {o}"


def test_each_rule_refuses_in_the_layer_as_in_the_engine():
    with pytest.raises(DefinitionError, match="at most half the window"):
        layer(type="pool2d", size=2, padding=2).output_shape((1, 8, 8))
    with pytest.raises(ValueError, match="at most half the window"):
        engine.max_pool2d(np.zeros((1, 8, 8)), 2, padding=2)
    with pytest.raises(DefinitionError, match="smaller than either stride or dilation"):
        layer(
            type="conv_transpose2d", filters=1, kernel=3, stride=2, output_padding=2
        ).output_shape((1, 4, 4))
    assert not engine.output_padding_fits(2, 2, 1) and engine.output_padding_fits(1, 1, 2)
    assert engine.pool_padding_fits(1, 3) and not engine.pool_padding_fits(2, 3)


@pytest.mark.parametrize(
    "d,c,inputs,expected",
    [
        ({"type": "conv2d", "filters": 10, "kernel": 5}, 1, 0, 260),
        ({"type": "conv2d", "filters": 64, "kernel": 3}, 3, 0, 1792),
        (
            {"type": "conv2d", "filters": 8, "kernel": 3, "groups": 4, "bias": False},
            8,
            0,
            8 * 2 * 9,
        ),
        ({"type": "conv_transpose2d", "filters": 4, "kernel": 2}, 6, 0, 4 * 6 * 4 + 4),
        ({"type": "dense", "units": 100}, 3, 500 * 500 * 3, 75_000_100),
        ({"type": "dense", "units": 10, "bias": False}, 1, 84, 840),
        ({"type": "pool2d", "size": 2}, 16, 0, 0),
        ({"type": "flatten"}, 16, 0, 0),
    ],
)
def test_params_against_the_engine_and_by_hand(d, c, inputs, expected):
    lay = layer(**d)
    assert lay.params(c, inputs) == expected
    if isinstance(lay, Dense):
        assert expected == engine.dense_params(inputs, lay.units, bias=lay.bias)
    elif isinstance(lay, Conv2d):
        assert expected == engine.conv2d_params(
            c, lay.filters, lay.kernel, bias=lay.bias, groups=lay.groups
        )


def test_lenet5_layer_by_layer():
    """LeNet-5 composed from the classes: the shapes and the 61,706 parameters of test_network."""
    stack = [
        layer(type="conv2d", filters=6, kernel=5, padding=2),
        layer(type="pool2d", size=2),
        layer(type="conv2d", filters=16, kernel=5),
        layer(type="pool2d", size=2),
        layer(type="flatten"),
        layer(type="dense", units=120),
        layer(type="dense", units=84),
        layer(type="dense", units=10),
    ]
    shape, rows = (1, 28, 28), []
    for n, lay in enumerate(stack):
        count = lay.params(*lay.fan_in(shape, f"layer {n + 1}"))
        shape = lay.next_shape(shape, f"layer {n + 1}")
        rows.append((shape, count))
    assert [n for _, n in rows] == [156, 0, 2416, 0, 0, 48120, 10164, 850]
    assert rows[4][0] == (400,) and sum(n for _, n in rows) == 61_706


def test_describe_and_label():
    assert (
        layer(type="conv2d", filters=6, kernel=5, padding=2).describe()
        == "conv2d, 6 filters 5×5, padding 2"
    )
    assert layer(type="pool2d", size=2).describe() == "pool 2×2, stride 2"
    assert (
        layer(type="pool2d", size=3, stride=2, ceil_mode=True).describe()
        == "pool 3×3, stride 2, ceil_mode"
    )
    assert layer(type="dense", units=10, bias=False).describe() == "dense, 10 units, no bias"
    assert layer(type="flatten").describe() == "flatten"
    assert Flatten().label == "flatten"
    up = layer(type="conv_transpose2d", filters=4, kernel=3, stride=2, output_padding=1)
    assert up.describe() == "conv_transpose2d, 4 filters 3×3, stride 2, output_padding 1"


def test_warnings_only_where_a_window_slides():
    conv = layer(type="conv2d", filters=1, kernel=3, stride=2)
    assert conv.warnings((8, 8), "layer 1") == [
        "layer 1: the stride leaves the last row and the last column of the padded input uncovered"
    ]
    assert (
        layer(type="conv_transpose2d", filters=1, kernel=3, stride=2).warnings((8, 8), "layer 1")
        == []
    )
    assert layer(type="dense", units=3).warnings((8, 8), "layer 1") == []


def test_a_flat_input_and_a_dense_without_flatten_are_refused():
    with pytest.raises(DefinitionError, match="needs a flatten before it"):
        layer(type="dense", units=3).fan_in((2, 4, 4), "layer 1")
    with pytest.raises(DefinitionError, match="needs a C×H×W input"):
        layer(type="pool2d", size=2).fan_in((32,), "layer 2")
    assert layer(type="flatten").next_shape((2, 4, 5), "layer 1") == (40,)


# ------------------------------------------------------------ conv1d, a height-1 conv2d


def conv1d_reference(x, w, stride, pads, dilation, bias):
    """x[C][L], w[F][C][k]: the plain-loop conv2d reference on a 1×L image."""
    out = reference.conv2d(
        [[row] for row in x],
        [[[k] for k in f] for f in w],
        (1, stride),
        ((0, 0), pads),
        (1, dilation),
        bias,
    )
    return [rows[0] for rows in out]


def test_conv1d_is_a_height_1_conv2d_against_the_reference():
    kind = KINDS["conv1d"]
    rng = random.Random(577)
    checked = 0
    for _ in range(300):
        C, L, k, F = rng.randint(1, 3), rng.randint(1, 9), rng.randint(1, 4), rng.randint(1, 3)
        s, dil = rng.randint(1, 3), rng.randint(1, 3)
        pad = rng.choice([0, 1, 2, [1, 0], [0, 2], "same", "valid"])
        x = [[rng.randint(-4, 4) for _ in range(L)] for _ in range(C)]
        w = [[[rng.randint(-3, 3) for _ in range(k)] for _ in range(C)] for _ in range(F)]
        bias = [rng.randint(-2, 2) for _ in range(F)] if rng.random() < 0.5 else None
        d = {"image": x, "filter": w, "stride": s, "dilation": dil, "padding": pad}
        if bias:
            d["bias"] = bias
        try:
            p = kind.parse(d, "cross-correlation")
        except DefinitionError:
            assert pad == "same" and s != 1
            continue
        assert p.image.shape == (C, 1, L) and p.weight.shape == (F, C, 1, k) and p.stride == (1, s)
        total = dil * (k - 1)
        pads = (
            (total // 2, total - total // 2)
            if pad == "same"
            else (0, 0)
            if pad == "valid"
            else tuple(pad)
            if isinstance(pad, list)
            else (pad, pad)
        )
        if L + sum(pads) < dil * (k - 1) + 1:
            continue  # the kernel does not fit: refused when solved
        got = kind.solve(p).value
        assert got.tolist() == conv1d_reference(x, w, s, pads, dil, bias)
        assert (
            got.tolist()
            == engine.conv1d(
                x,
                w,
                stride=s,
                padding=pad if not isinstance(pad, list) else tuple(pad),
                dilation=dil,
                bias=bias,
            ).tolist()
        )
        checked += 1
    assert checked > 150


def test_conv1d_shows_itself_in_one_dimension():
    kind = KINDS["conv1d"]
    p = kind.parse({"image": [4, 1, -1, 3], "filter": [-2, 1], "padding": 1}, "cross-correlation")
    rows = dict(kind.describe(p))
    assert rows["image"].tolist() == [4, 1, -1, 3] and rows["filter"].tolist() == [-2, 1]
    assert rows["padding"] == "1" and rows["stride"] == "1"
    steps = [s.text for s in kind.explain(p, kind.solve(p))]
    assert steps[0] == "Pad the input with zeros: 1 left, 1 right"
    assert steps[1] == "Lout = ⌊(4 + 2 − 2) / 1⌋ + 1 = 5"
    assert steps[2] == "out[0] = sum([0 4] ⊙ K) = 4"
    q = kind.parse(
        {"image": [1, 2, 3, 4, 5, 6], "filter": [1, 1, 1], "stride": 2}, "cross-correlation"
    )
    assert kind.warnings(q) == [
        "the convolution: the stride leaves the last value of the padded input uncovered"
    ]
    mistakes = {v.mistake for v in kind.mistake_answers(p)}
    assert {"padding_forgotten", "padding_one_side", "padding_amount", "kernel_flipped"} <= mistakes
    assert prod(kind.solve(p).value.shape) == 5


def test_the_average_divisor_and_the_1d_padding_live_in_the_engine():
    # a 3-wide window, padding 1, on 4 cells: starts -1, 1, 3 (stride 2)
    starts = np.array([-1, 1, 3])
    assert engine.avg_pool_extent(starts, 3, 4, 1).tolist() == [3, 3, 2]
    assert engine.avg_pool_extent(starts, 3, 4, 1, count_include_pad=False).tolist() == [2, 3, 1]
    got = engine.avg_pool2d(
        np.ones((1, 4, 4)), 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False
    )
    assert got.tolist() == [[[1.0] * 3] * 3]
    assert engine.line_padding(2) == ((0, 0), (2, 2))
    assert engine.line_padding([1, 0]) == ((0, 0), (1, 0))
    assert engine.line_padding("same") == "same"
    with pytest.raises(ValueError, match="padding must be n"):
        engine.line_padding([1, 2, 3])
