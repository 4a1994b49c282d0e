"""The engine against published worked examples and against plain loops."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from cnncheck import engine as E

from . import reference as ref

# ------------------------------------------------------------ published worked examples


def test_d2l_cross_correlation():
    # Dive into Deep Learning, 7.2 "Convolutions for Images": corr2d(X, K)
    X = np.arange(9).reshape(1, 3, 3)
    K = np.array([[[[0, 1], [2, 3]]]])
    assert_array_equal(E.conv2d(X, K), [[[19, 25], [37, 43]]])


def test_d2l_multiple_input_channels():
    # d2l 7.4: two input channels summed into one output
    X = np.array([[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]])
    K = np.array([[[[0, 1], [2, 3]], [[1, 2], [3, 4]]]])
    assert_array_equal(E.conv2d(X, K), [[[56, 72], [104, 120]]])


def test_d2l_pooling():
    # d2l 7.5: max and average pooling of arange(9) with a 2x2 window, stride 1
    X = np.arange(9).reshape(1, 3, 3)
    assert_array_equal(E.max_pool2d(X, 2, stride=1), [[[4, 5], [7, 8]]])
    assert_array_equal(E.avg_pool2d(X, 2, stride=1), [[[2.0, 3.0], [5.0, 6.0]]])


def test_d2l_padding_and_stride_shapes():
    # d2l 7.3: 8x8 input
    x = np.zeros((1, 8, 8), dtype=int)
    assert E.conv2d(x, np.zeros((1, 1, 3, 3), int), padding=1).shape == (1, 8, 8)
    assert E.conv2d(x, np.zeros((1, 1, 3, 3), int), padding=1, stride=2).shape == (1, 4, 4)
    assert E.conv2d(x, np.zeros((1, 1, 3, 5), int), padding=(0, 1), stride=(3, 4)).shape == (
        1,
        2,
        2,
    )


def test_d2l_transposed_convolution():
    # d2l 14.10: trans_conv(X, K) for X = K = [[0, 1], [2, 3]]
    X = np.array([[[0, 1], [2, 3]]])
    K = np.array([[[[0, 1], [2, 3]]]])
    assert_array_equal(E.conv_transpose2d(X, K), [[[0, 0, 1], [0, 4, 6], [4, 12, 9]]])
    # ... with stride 2
    assert_array_equal(
        E.conv_transpose2d(X, K, stride=2),
        [[[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]]],
    )


@pytest.mark.parametrize(
    "i, k, s, p, d, o",
    [
        # Dumoulin & Visin, "A guide to convolution arithmetic", relationships 1-6 and 15
        (4, 3, 1, 0, 1, 2),
        (5, 4, 1, 2, 1, 6),
        (5, 3, 1, 1, 1, 5),
        (5, 3, 1, 2, 1, 7),
        (5, 3, 2, 0, 1, 2),
        (5, 3, 2, 1, 1, 3),
        (6, 3, 2, 1, 1, 3),
        (7, 3, 1, 0, 2, 3),
        # cs231n: 7x7 input, 3x3 filter at stride 1 and 2; AlexNet's first layer on 227
        (7, 3, 1, 0, 1, 5),
        (7, 3, 2, 0, 1, 3),
        (227, 11, 4, 0, 1, 55),
    ],
)
def test_conv_output_size_published(i, k, s, p, d, o):
    assert E.conv_output_size(i, k, s, p, d) == o
    assert E.conv2d(
        np.ones((1, i, i), int), np.ones((1, 1, k, k), int), stride=s, padding=p, dilation=d
    ).shape == (1, o, o)


@pytest.mark.parametrize(
    "i_t, k, s, p, a, o",
    [
        # Dumoulin & Visin, relationships 8-14: transposed convolutions (a is output_padding)
        (2, 3, 1, 0, 0, 4),
        (6, 4, 1, 2, 0, 5),
        (5, 3, 1, 1, 0, 5),
        (7, 3, 1, 2, 0, 5),
        (2, 3, 2, 0, 0, 5),
        (3, 3, 2, 1, 0, 5),
        (3, 3, 2, 1, 1, 6),
    ],
)
def test_conv_transpose_output_size_published(i_t, k, s, p, a, o):
    assert E.conv_transpose_output_size(i_t, k, s, p, a) == o
    out = E.conv_transpose2d(
        np.ones((1, i_t, i_t), int),
        np.ones((1, 1, k, k), int),
        stride=s,
        padding=p,
        output_padding=a,
    )
    assert out.shape == (1, o, o)


@pytest.mark.parametrize(
    "i, k, s, p, floor_o, ceil_o",
    [
        # SEMANTICS.md A.2: PyTorch's ceil_mode drops a last window that starts in the right padding
        (5, 2, 2, 1, 3, 3),
        (3, 2, 2, 1, 2, 2),
        (8, 3, 3, 1, 3, 3),
        (5, 2, 2, 0, 2, 3),
        (6, 3, 3, 1, 2, 3),
        (10, 3, 2, 0, 4, 5),
        (4, 3, 2, 1, 2, 3),
    ],
)
def test_pool_ceil_mode_published(i, k, s, p, floor_o, ceil_o):
    assert E.pool_output_size(i, k, s, p) == floor_o
    assert E.pool_output_size(i, k, s, p, ceil_mode=True) == ceil_o
    x = np.arange(i * i).reshape(1, i, i)
    assert E.max_pool2d(x, k, stride=s, padding=p, ceil_mode=True).shape == (1, ceil_o, ceil_o)


def test_avg_pool_divisor_counts_padding():
    # SEMANTICS.md A.2: ones(4,4), k3 s1 p1: corner 4/9 with count_include_pad, 1 without
    x = np.ones((1, 4, 4), int)
    assert E.avg_pool2d(x, 3, stride=1, padding=1)[0, 0, 0] == pytest.approx(4 / 9, abs=1e-15)
    assert E.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)[0, 0, 0] == 1.0


def test_max_pool_padding_never_wins():
    x = -np.arange(1, 10).reshape(1, 3, 3)
    assert_array_equal(
        E.max_pool2d(x, 3, stride=1, padding=1)[0], [[-1, -1, -2], [-1, -1, -2], [-4, -4, -5]]
    )


def test_same_padding_puts_the_extra_on_the_right():
    # PyTorch: total d*(k-1), left total//2; k=2, d=3 pads (1, 2)
    assert E.same_padding(2, 3) == (1, 2)
    x = np.arange(16).reshape(1, 4, 4)
    w = np.array([[[[1, 2], [3, 4]]]])
    assert_array_equal(E.conv2d(x, w, padding="same"), E.conv2d(x, w, padding=((0, 1), (0, 1))))
    with pytest.raises(ValueError, match="not supported for strided"):
        E.conv2d(x, w, padding="same", stride=(1, 2))


def test_parameter_counts_published():
    assert E.dense_params(500 * 500 * 3, 100) == 75_000_100
    assert E.conv2d_params(1, 10, (5, 5)) == 260
    assert E.conv2d_params(3, 96, (11, 11)) == 34_944  # cs231n: AlexNet's first layer, with sharing
    assert E.conv2d_params(3, 10, (5, 5)) == 760  # cs231n: 10 5x5x3 filters
    assert E.conv2d_params(4, 8, (3, 3), groups=2) == 152  # SEMANTICS.md A.7, verified in torch
    assert E.conv2d_params(32, 32, (3, 3), groups=32) == 320
    assert E.conv2d_params(6, 9, (3, 5), groups=3) == 279
    assert E.conv2d_params(32, 64, (1, 1)) == 2112


def test_receptive_fields_published():
    L = E.RFLayer
    assert E.receptive_field([L(3), L(3)])[-1][0] == 5
    # VGG16's first block: conv3, conv3, pool2/2 -> 3, 5, 6 (Araujo et al., Distill 2019)
    assert [r for r, _ in E.receptive_field([L(3), L(3), L(2, 2)])] == [1, 3, 5, 6]
    # AlexNet conv1 (11/4) then pool (3/2): 11, then 11 + 2*4 = 19
    assert E.receptive_field([L(11, 4), L(3, 2)])[-1] == (19, 8)
    assert E.receptive_field([L(3, 1, 2)])[-1][0] == 5  # dilation 2: effective kernel 5


def test_padding_for_output():
    assert E.padding_for_output(4, 2, 5) == 1
    assert E.padding_for_output(32, 5, 32) == 2
    assert E.padding_for_output(5, 3, 4) is None  # 3, 5, 7, ...: 4 is unreachable
    assert E.padding_for_output(5, 3, 1) is None or E.conv_output_size(5, 3, 1, 0) != 1


# ------------------------------------------------------------ validation messages


def test_conv2d_refuses_bad_arguments():
    x, w = np.ones((2, 4, 4), int), np.ones((1, 2, 3, 3), int)
    with pytest.raises(ValueError, match="filters have 3 channels but the image has 2"):
        E.conv2d(x, np.ones((1, 3, 3, 3), int))
    with pytest.raises(ValueError, match="stride must be at least 1"):
        E.conv2d(x, w, stride=0)
    with pytest.raises(ValueError, match="padding must not be negative"):
        E.conv2d(x, w, padding=-1)
    with pytest.raises(ValueError, match="larger than the padded input"):
        E.conv2d(x, w, dilation=3)
    with pytest.raises(ValueError, match=r"image must have shape \(C, H, W\)"):
        E.conv2d(np.ones((4, 4)), w)
    with pytest.raises(ValueError, match="must be smaller than either stride"):
        E.conv_transpose2d(x, np.ones((2, 1, 3, 3)), stride=2, output_padding=2)
    with pytest.raises(ValueError, match="at most half the window"):
        E.max_pool2d(x, 3, padding=2)


# ------------------------------------------------------------ exactness


def test_integer_inputs_give_int64():
    out = E.conv2d(np.ones((1, 3, 3), int), np.ones((1, 1, 2, 2), int))
    assert out.dtype == np.int64


@pytest.mark.parametrize("scale", [2**10, 2**20, 2**30, 2**40])
def test_exact_beyond_float_precision(scale):
    # values whose sums pass 2**24 (float32) and 2**53 (float64): still exact
    rng = np.random.default_rng(scale)
    x = rng.integers(-scale, scale, (3, 6, 6))
    w = rng.integers(-scale, scale, (2, 3, 3, 3))
    want = ref.conv2d(x.tolist(), w.tolist())
    got = E.conv2d(x, w)
    assert [[[int(v) for v in row] for row in m] for m in got] == want


BOUNDS = [2**24 - 1, 2**24, 2**24 + 1, 2**53 - 1, 2**53, 2**53 + 1, 2**63 - 1, 2**63 + 1]


@pytest.mark.parametrize(
    "kernel, stride, padding", [(1, (1, 1), 0), (1, (2, 3), 0), (3, (2, 2), 1)]
)
def test_exact_at_the_dtype_bounds(kernel, stride, padding):
    # bound = max|x| * max_f sum|w_f| + max|b|: each value of BOUNDS once, just below, at and
    # just above each dtype's limit, one call after the other (dtypes change between calls),
    # and an output cell that reaches the bound itself
    rng = np.random.default_rng(kernel)
    C = 3
    w = np.zeros((2, C, kernel, kernel), dtype=np.int64)
    w[0, :, 0, 0] = 1
    w[1, :, 0, 0] = [1, -1, 1]
    for bound in BOUNDS:
        m, b = divmod(bound, C)  # C*m + b == bound, 0 <= b < C
        x = m - rng.integers(0, 5, (C, 7, 8))
        x[:, padding, padding] = m  # read by tap (0, 0) of output (0, 0), or (1, 1) if padded
        bias = [b, -b]
        pads = ((padding, padding), (padding, padding))
        want = ref.conv2d(x.tolist(), w.tolist(), stride, pads, (1, 1), bias)
        got = E.conv2d(x, w, stride=stride, padding=padding, bias=bias)
        assert [[[int(v) for v in row] for row in f] for f in got] == want
        assert max(max(row) for row in want[0]) == bound
        assert got.dtype == (np.int64 if bound < 2**63 else object)


def test_results_outlive_later_calls():
    # conv2d works in memory kept between calls: what it returned must not be part of it
    rng = np.random.default_rng(5)
    calls = [((4, 9, 9), (3, 4, 1, 1), {}), ((4, 9, 9), (3, 4, 3, 3), {"stride": 2, "padding": 1})]
    results = []
    for xs, ws, kw in calls * 2:
        x, w = rng.integers(-9, 10, xs), rng.integers(-9, 10, ws)
        got = E.conv2d(x, w, **kw)
        results.append((got, got.copy()))
        E.conv2d(x * 0.5, w, **kw)  # float64 this time, in the same memory
    for got, copy in results:
        assert_array_equal(got, copy)


def test_exact_past_int64():
    x = np.array([[[2**62, 2**62]]], dtype=object)
    w = np.array([[[[3, 5]]]], dtype=object)
    assert E.conv2d(x, w)[0, 0, 0] == 8 * 2**62


# ------------------------------------------------------------ against plain loops

shapes = st.tuples(
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 7),
    st.integers(1, 7),
    st.integers(1, 3),
    st.integers(1, 3),
)


@settings(max_examples=150, deadline=None)
@given(
    dims=shapes,
    s=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    d=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    p=st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2), st.integers(0, 2)),
    seed=st.integers(0, 2**16),
    with_bias=st.booleans(),
)
def test_conv2d_matches_loops(dims, s, d, p, seed, with_bias):
    C, F, H, W, kh, kw = dims
    rng = np.random.default_rng(seed)
    x, w = rng.integers(-9, 10, (C, H, W)), rng.integers(-9, 10, (F, C, kh, kw))
    bias = rng.integers(-9, 10, F) if with_bias else None
    pads = ((p[0], p[1]), (p[2], p[3]))
    if (
        E.conv_output_size(H, kh, s[0], pads[0], d[0]) < 1
        or E.conv_output_size(W, kw, s[1], pads[1], d[1]) < 1
    ):
        with pytest.raises(ValueError):
            E.conv2d(x, w, stride=s, padding=pads, dilation=d, bias=bias)
        return
    want = ref.conv2d(x.tolist(), w.tolist(), s, pads, d, None if bias is None else bias.tolist())
    assert E.conv2d(x, w, stride=s, padding=pads, dilation=d, bias=bias).tolist() == want


@settings(max_examples=100, deadline=None)
@given(
    dims=shapes,
    s=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    d=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    p=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    op=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    seed=st.integers(0, 2**16),
)
def test_conv_transpose2d_matches_loops(dims, s, d, p, op, seed):
    C, F, H, W, kh, kw = dims
    op = tuple(min(op[a], max(s[a], d[a]) - 1) for a in range(2))
    rng = np.random.default_rng(seed)
    x, w = rng.integers(-9, 10, (C, H, W)), rng.integers(-9, 10, (C, F, kh, kw))
    Ho = E.conv_transpose_output_size(H, kh, s[0], p[0], op[0], d[0])
    Wo = E.conv_transpose_output_size(W, kw, s[1], p[1], op[1], d[1])
    if Ho < 1 or Wo < 1:
        return
    want = ref.conv_transpose2d(x.tolist(), w.tolist(), s, p, op, d)
    assert (
        E.conv_transpose2d(x, w, stride=s, padding=p, output_padding=op, dilation=d).tolist()
        == want
    )


@settings(max_examples=200, deadline=None)
@given(
    C=st.integers(1, 2),
    H=st.integers(1, 8),
    W=st.integers(1, 8),
    k=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    s=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    pfrac=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    d=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    ceil=st.booleans(),
    cip=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_pooling_matches_loops(C, H, W, k, s, pfrac, d, ceil, cip, seed):
    p = (min(pfrac[0], k[0] // 2), min(pfrac[1], k[1] // 2))
    x = np.random.default_rng(seed).integers(-20, 20, (C, H, W))
    try:
        want_max = ref.pool2d(x.tolist(), "max", k, s, p, d, ceil)
    except ValueError:  # a window entirely in the padding: refused
        want_max = []
    if not want_max or not want_max[0] or not want_max[0][0]:
        with pytest.raises(ValueError):
            E.max_pool2d(x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
        return
    assert E.max_pool2d(x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil).tolist() == want_max
    want_avg = ref.pool2d(x.tolist(), "avg", k, s, p, (1, 1), ceil, cip)
    if want_avg and want_avg[0] and want_avg[0][0]:
        got = E.avg_pool2d(x, k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=cip)
        # the engine divides the exact integer sum once: the correctly rounded quotient
        assert got.tolist() == [[[float(v) for v in row] for row in m] for m in want_avg]


@settings(max_examples=100, deadline=None)
@given(
    C=st.integers(1, 3),
    F=st.integers(1, 3),
    L=st.integers(1, 10),
    k=st.integers(1, 4),
    s=st.integers(1, 3),
    p=st.integers(0, 3),
    d=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_conv1d_is_conv2d_of_height_one(C, F, L, k, s, p, d, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.integers(-9, 10, (C, L)), rng.integers(-9, 10, (F, C, k))
    if E.conv_output_size(L, k, s, p, d) < 1:
        return
    want = ref.conv2d(x[:, None].tolist(), w[:, :, None].tolist(), (1, s), ((0, 0), (p, p)), (1, d))
    assert E.conv1d(x, w, stride=s, padding=p, dilation=d).tolist() == [m[0] for m in want]


@settings(max_examples=100, deadline=None)
@given(
    i=st.integers(1, 40),
    k=st.integers(1, 7),
    s=st.integers(1, 5),
    d=st.integers(1, 3),
    o=st.integers(1, 40),
)
def test_padding_for_output_is_the_smallest(i, k, s, d, o):
    p = E.padding_for_output(i, k, o, s, d)
    sizes = [E.conv_output_size(i, k, s, q, d) for q in range(0, o * s + d * k + 2)]
    if p is None:
        assert o not in sizes
    else:
        assert sizes[p] == o and o not in sizes[:p]


def test_avg_pool_fraction_exact():
    x = np.array([[[1, 2, 2]]])
    out = E.avg_pool2d(x, (1, 3))
    assert out[0, 0, 0] == float(Fraction(5, 3))


def test_engine_imports_only_numpy():
    code = (
        "import sys, cnncheck.engine; "
        "bad = [m for m in ('yaml', 'click', 'rich') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
