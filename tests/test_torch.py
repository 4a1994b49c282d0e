"""Every array operation against PyTorch, element for element, on random configurations.

Skipped when torch is not installed; ``.ci/run`` installs it so CI always runs these.
Integer inputs are compared exactly (torch in float64, whose sums of these
small integers are exact); the cases PyTorch refuses must be refused too.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from cnncheck import engine as E

if os.environ.get("CNNCHECK_REQUIRE_TORCH"):
    import torch  # CI installs it: a missing torch there is a failure, not a skip
else:
    torch = pytest.importorskip("torch")
F = torch.nn.functional
pytestmark = pytest.mark.torch

N = 1000  # random configurations per operation


def _t(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64)


def _both(ours, theirs):
    """Run both; return (ours or None, theirs or None) where None means refused."""
    try:
        a = ours()
    except ValueError:
        a = None
    try:
        b = theirs()
    except (RuntimeError, ValueError):
        b = None
    return a, b


def _check(rng_seed, make):
    rng = np.random.default_rng(rng_seed)
    compared = refused = 0
    for _ in range(N):
        desc, ours, theirs = make(rng)
        a, b = _both(ours, theirs)
        assert (a is None) == (b is None), (
            f"{desc}: ours refused={a is None}, torch refused={b is None}"
        )
        if a is None:
            refused += 1
            continue
        b = b.numpy()
        assert a.shape == b.shape, f"{desc}: shape {a.shape} vs torch {b.shape}"
        if a.dtype.kind in "iu":
            assert np.array_equal(a, b), desc
        else:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=desc)
        compared += 1
    assert compared >= N * 0.6  # most configurations are valid ones, really compared


def _pair(rng, lo, hi):
    v = int(rng.integers(lo, hi + 1))
    return v if rng.random() < 0.5 else (v, int(rng.integers(lo, hi + 1)))


def test_conv2d_against_torch():
    def make(rng):
        C, Fn = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        H, W = int(rng.integers(1, 10)), int(rng.integers(1, 10))
        kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        s, d = _pair(rng, 1, 3), _pair(rng, 1, 3)
        r = rng.random()
        p = "same" if r < 0.1 else "valid" if r < 0.15 else _pair(rng, 0, 3)
        x, w = rng.integers(-9, 10, (C, H, W)), rng.integers(-9, 10, (Fn, C, kh, kw))
        b = rng.integers(-9, 10, Fn) if rng.random() < 0.5 else None
        desc = f"x{x.shape} w{w.shape} s={s} p={p} d={d} bias={b is not None}"
        return (
            desc,
            lambda: E.conv2d(x, w, stride=s, padding=p, dilation=d, bias=b),
            lambda: F.conv2d(_t(x)[None], _t(w), None if b is None else _t(b), s, p, d)[0],
        )

    _check(1, make)


def test_conv2d_asymmetric_padding_against_torch():
    def make(rng):
        C, H, W = int(rng.integers(1, 3)), int(rng.integers(1, 8)), int(rng.integers(1, 8))
        k, s = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        top, bottom, left, right = (int(v) for v in rng.integers(0, 3, 4))
        x, w = rng.integers(-9, 10, (C, H, W)), rng.integers(-9, 10, (2, C, k, k))
        desc = f"x{x.shape} k={k} s={s} pads={(top, bottom, left, right)}"
        return (
            desc,
            lambda: E.conv2d(x, w, stride=s, padding=((top, bottom), (left, right))),
            lambda: F.conv2d(F.pad(_t(x)[None], (left, right, top, bottom)), _t(w), None, s, 0),
        )

    _check(2, lambda rng: (lambda d, o, t: (d, o, lambda: t()[0]))(*make(rng)))


def test_conv1d_against_torch():
    def make(rng):
        C, Fn, L = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 12))
        k, s, d = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        r = rng.random()
        p = "same" if r < 0.1 else int(rng.integers(0, 4))
        x, w = rng.integers(-9, 10, (C, L)), rng.integers(-9, 10, (Fn, C, k))
        desc = f"x{x.shape} w{w.shape} s={s} p={p} d={d}"
        return (
            desc,
            lambda: E.conv1d(x, w, stride=s, padding=p, dilation=d),
            lambda: F.conv1d(_t(x)[None], _t(w), None, s, p, d)[0],
        )

    _check(3, make)


def test_conv_transpose2d_against_torch():
    def make(rng):
        C, Fn = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        H, W = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        s, d, p = _pair(rng, 1, 3), _pair(rng, 1, 3), _pair(rng, 0, 2)
        op = _pair(rng, 0, 2)
        x, w = rng.integers(-9, 10, (C, H, W)), rng.integers(-9, 10, (C, Fn, kh, kw))
        b = rng.integers(-9, 10, Fn) if rng.random() < 0.3 else None
        desc = f"x{x.shape} w{w.shape} s={s} p={p} op={op} d={d}"
        return (
            desc,
            lambda: E.conv_transpose2d(
                x, w, stride=s, padding=p, output_padding=op, dilation=d, bias=b
            ),
            lambda: F.conv_transpose2d(
                _t(x)[None], _t(w), None if b is None else _t(b), s, p, op, 1, d
            )[0],
        )

    _check(4, make)


def _pool_padding(rng, k):
    """Mostly legal padding (at most half the window); one time in ten, one too many, which both
    refuse."""
    extra = 1 if rng.random() < 0.1 else 0
    return tuple(int(rng.integers(0, k[a] // 2 + 1)) + extra for a in range(2))


def test_max_pool2d_against_torch():
    def make(rng):
        C, H, W = int(rng.integers(1, 4)), int(rng.integers(1, 10)), int(rng.integers(1, 10))
        k = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        s, d = _pair(rng, 1, 4), _pair(rng, 1, 2)
        p = _pool_padding(rng, k)
        ceil = bool(rng.random() < 0.5)
        x = rng.integers(-50, 50, (C, H, W))
        desc = f"x{x.shape} k={k} s={s} p={p} d={d} ceil={ceil}"

        def theirs():
            out = F.max_pool2d(_t(x)[None], k, s, p, d, ceil_mode=ceil)[0]
            if torch.isinf(
                out
            ).any():  # a window entirely in the padding: cnncheck refuses such questions
                raise RuntimeError("window in padding")
            return out

        return (
            desc,
            lambda: E.max_pool2d(x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil),
            theirs,
        )

    _check(5, make)


def test_avg_pool2d_against_torch():
    def make(rng):
        C, H, W = int(rng.integers(1, 4)), int(rng.integers(1, 10)), int(rng.integers(1, 10))
        k = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        s = _pair(rng, 1, 4)
        p = _pool_padding(rng, k)
        ceil, cip = bool(rng.random() < 0.5), bool(rng.random() < 0.7)
        x = rng.integers(-50, 50, (C, H, W))
        desc = f"x{x.shape} k={k} s={s} p={p} ceil={ceil} cip={cip}"
        return (
            desc,
            lambda: E.avg_pool2d(x, k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=cip),
            lambda: F.avg_pool2d(_t(x)[None], k, s, p, ceil_mode=ceil, count_include_pad=cip)[0],
        )

    _check(6, make)


def test_float_inputs_against_torch():
    rng = np.random.default_rng(7)
    for _ in range(200):
        x, w = rng.normal(size=(3, 9, 9)), rng.normal(size=(4, 3, 3, 3))
        np.testing.assert_allclose(
            E.conv2d(x, w, padding=1, stride=2),
            F.conv2d(_t(x)[None], _t(w), None, 2, 1)[0].numpy(),
            rtol=1e-10,
            atol=1e-12,
        )


def test_output_sizes_against_torch_modules():
    # the shape formulas alone, on sizes too large to convolve quickly
    rng = np.random.default_rng(8)
    for _ in range(N):
        i, k, s, p, d = (
            int(rng.integers(1, 300)),
            int(rng.integers(1, 12)),
            int(rng.integers(1, 6)),
            int(rng.integers(0, 6)),
            int(rng.integers(1, 4)),
        )
        meta = torch.empty(1, 1, i, 1, device="meta")
        try:
            want = F.conv2d(meta, torch.empty(1, 1, k, 1, device="meta"), None, s, p, d).shape[2]
        except RuntimeError:
            want = None
        got = E.conv_output_size(i, k, s, p, d)
        assert (got if got >= 1 else None) == want, (i, k, s, p, d)


def test_builtin_bank_against_torch():
    from cnncheck.bank import load_bank

    a = load_bank().get("cs577-hw4")
    img = _t(a.questions["q1"].params.image)[None]
    ones = torch.ones(1, 3, 3, 3, dtype=torch.float64)
    for qid, kw in (("q1", {}), ("q2", {"padding": 1}), ("q3", {"padding": 1, "dilation": 2})):
        assert np.array_equal(
            a.questions[qid].expected.value, F.conv2d(img, ones, **kw)[0, 0].numpy()
        )
    assert np.array_equal(a.questions["q11"].expected.value, F.max_pool2d(img, 2, 2)[0].numpy())
