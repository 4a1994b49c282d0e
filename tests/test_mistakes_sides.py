"""Named mistakes on both sides of a condition: a mistake tried only when a layer is padded (or
strided, or biased) has its twin on the other side, where students make it too.

Each question is built from a small YAML definition; each wrong answer is worked out by hand in the
test (the arithmetic in a comment), graded, and must be named.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml

from cnncheck.bank import load_question
from cnncheck.grading import grade_answer


def question(text: str):
    d = yaml.safe_load(textwrap.dedent(text))
    return load_question("q", d, "cross-correlation", "test.yaml", 1)


# The issue's case: a 128×128×32 input (H×W×C), 16 filters 3×3, stride 1, no padding.
ISSUE = """
    kind: output_shape
    input_shape: [128, 128, 32]
    layout: hwc
    layer: {type: conv2d, filters: 16, kernel: 3}
"""
# 3×32×32, 8 filters 5×5, stride 2, no padding: ⌊(32 − 5) / 2⌋ + 1 = 14
STRIDED = """
    kind: output_shape
    input_shape: [3, 32, 32]
    layer: {type: conv2d, filters: 8, kernel: 5, stride: 2}
"""
# 3×32×32, 8 filters 5×5, padding 3: 32 + 6 − 5 + 1 = 34
PADDED = """
    kind: output_shape
    input_shape: [3, 32, 32]
    layer: {type: conv2d, filters: 8, kernel: 5, padding: 3}
"""
# 2×10×10, pool 3×3 stride 2 with ceil_mode: ⌈(10 − 3) / 2⌉ + 1 = 5 (the last window starts at
# 8, inside the input)
CEIL = """
    kind: output_shape
    input_shape: [2, 10, 10]
    layer: {type: pool2d, size: 3, stride: 2, ceil_mode: true}
"""
# 4 channels in, 8 filters 3×3, no bias: 8·4·3·3 = 288
CONV_NO_BIAS = """
    kind: params
    in_channels: 4
    layer: {type: conv2d, filters: 8, kernel: 3, bias: false}
"""
# 2×4×4 flattened is 32 values, 10 units, no bias: 32·10 = 320
DENSE_NO_BIAS = """
    kind: params
    input_shape: [2, 4, 4]
    layer: {type: dense, units: 10, bias: false}
"""


def net(padding: int, bias: bool = True) -> str:
    return f"""
    kind: network
    input_shape: [1, 8, 8]
    layers:
      - {{type: conv2d, filters: 2, kernel: 3, padding: {padding}, bias: {str(bias).lower()}}}
      - {{type: flatten}}
      - {{type: dense, units: 3}}
    """


# 2×10×10 after the conv, then pool 3×3 stride 2 ceil_mode: ⌈7 / 2⌉ + 1 = 5
NET_CEIL = """
    kind: network
    input_shape: [1, 12, 12]
    layers:
      - {type: conv2d, filters: 2, kernel: 3}
      - {type: pool2d, size: 3, stride: 2, ceil_mode: true}
      - {type: flatten}
      - {type: dense, units: 3}
"""
IMAGE = "[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]"
# 4×4 image, 3×3 kernel (a diagonal of ones), stride 2, no padding: one window,
# 1 + 6 + 11 = 18
CONV_STRIDED = f"""
    kind: conv2d
    image: {IMAGE}
    filter: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    stride: 2
"""
# [1..5], kernel [1, 1, 1], stride 2: windows at 0 and 2, 1+2+3 = 6, 3+4+5 = 12
CONV1D_STRIDED = """
    kind: conv1d
    image: [1, 2, 3, 4, 5]
    filter: [1, 1, 1]
    stride: 2
"""

# avg pooling 2×2, stride 2, padding 1 on IMAGE: 3×3 windows of rows/columns {−1, 0}, {1, 2},
# {3, 4}, holding the real cells {1}, {2, 3}, {4}, {5, 9}, {6, 7, 10, 11}, {8, 12}, {13},
# {14, 15}, {16}
AVG_PADDED = f"""
    kind: pool2d
    image: {IMAGE}
    op: avg
    size: 2
    padding: 1
"""
# every window divided by 4, padding counted: 1/4, 5/4, 4/4; 14/4, 34/4, 20/4; 13/4, 29/4, 16/4
COUNTED = [[0.25, 1.25, 1], [3.5, 8.5, 5], [3.25, 7.25, 4]]
# each divided by its real cells only: 1/1, 5/2, 4/1; 14/2, 34/4, 20/2; 13/1, 29/2, 16/1
NOT_COUNTED = [[1, 2.5, 4], [7, 8.5, 10], [13, 14.5, 16]]


def table(rows, total):
    return {"layers": [[shape, n] for shape, n in rows], "total": total}


# (definition, the right answer, a wrong answer worked out by hand, the mistake it must be named)
CASES = [
    # 'same' padding keeps the size at stride 1: 128×128, and 16 channels
    (ISSUE, "126x126x16", "128x128x16", "padding_added"),
    # the output keeps the input's 32 channels: (128 − 3 + 1) = 126, 126×126×32
    (ISSUE, "126x126x16", "126x126x32", "channels_kept"),
    # 'same' at stride 2, as Keras pads it: ⌈32 / 2⌉ = 16
    (STRIDED, "8x14x14", "8x16x16", "padding_added"),
    # 'same' instead of padding 3: 32 (padding 3 on one side would give 32 + 3 − 5 + 1 = 31)
    (PADDED, "8x34x34", "8x32x32", "same_padding"),
    # rounded down: ⌊7 / 2⌋ + 1 = 4
    (CEIL, "2x5x5", "2x4x4", "floor_instead_of_ceil"),
    # 288 weights + 8 biases the layer does not have
    (CONV_NO_BIAS, 288, 296, "bias_added"),
    # 320 weights + 10 biases
    (DENSE_NO_BIAS, 320, 330, "bias_added"),
    # padding 1 forgotten: 2×6×6 (params 2·9 + 2 = 20), 72 values, 72·3 + 3 = 219;
    # total 20 + 219 = 239, against 2×8×8, 128, 128·3 + 3 = 387; 20 + 387 = 407
    (
        net(1),
        table([("2x8x8", 20), ("128", 0), ("3", 387)], 407),
        table([("2x6x6", 20), ("72", 0), ("3", 219)], 239),
        "padding_forgotten",
    ),
    # padding added where there is none: the padded net's rows above
    (
        net(0),
        table([("2x6x6", 20), ("72", 0), ("3", 219)], 239),
        table([("2x8x8", 20), ("128", 0), ("3", 387)], 407),
        "padding_added",
    ),
    # bias: false, biases counted: conv 2·9 = 18 → 20; total 18 + 219 = 237 → 20 + 219 = 239
    (
        net(0, bias=False),
        table([("2x6x6", 18), ("72", 0), ("3", 219)], 237),
        table([("2x6x6", 20), ("72", 0), ("3", 219)], 239),
        "bias_added",
    ),
    # conv 2·9 + 2 = 20 → 2×10×10; pool ⌈7 / 2⌉ + 1 = 5 → 50 values, 50·3 + 3 = 153; total 173.
    # Rounded down: ⌊7 / 2⌋ + 1 = 4 → 32 values, 32·3 + 3 = 99; total 119
    (
        NET_CEIL,
        table([("2x10x10", 20), ("2x5x5", 0), ("50", 0), ("3", 153)], 173),
        table([("2x10x10", 20), ("2x4x4", 0), ("32", 0), ("3", 99)], 119),
        "floor_instead_of_ceil",
    ),
    # TensorFlow's 'same' at stride 2: ⌈4 / 2⌉ = 2 outputs, total padding (2 − 1)·2 + 3 − 4 = 1,
    # put bottom/right. The windows of the padded input start at rows/columns 0 and 2:
    # 1 + 6 + 11 = 18, 3 + 8 + 0 = 11, 9 + 14 + 0 = 23, 11 + 16 + 0 = 27
    (CONV_STRIDED, [[18]], [[18, 11], [23, 27]], "same_padding"),
    # 'same' at stride 2: ⌈5 / 2⌉ = 3 outputs, total padding (3 − 1)·2 + 3 − 5 = 2, one each side:
    # [0 1 2 3 4 5 0]: 0+1+2 = 3, 2+3+4 = 9, 4+5+0 = 9
    (CONV1D_STRIDED, [6, 12], [3, 9, 9], "same_padding"),
    (AVG_PADDED, COUNTED, NOT_COUNTED, "padding_not_counted"),
    (AVG_PADDED + "    count_include_pad: false\n", NOT_COUNTED, COUNTED, "padding_counted"),
]
IDS = [f"{i}-{mistake}" for i, (*_, mistake) in enumerate(CASES)]


@pytest.mark.parametrize("definition, right, wrong, mistake", CASES, ids=IDS)
def test_the_mistake_is_named(definition, right, wrong, mistake):
    q = question(definition)
    r = grade_answer(q, wrong)
    assert r.status == "incorrect", r.message
    assert mistake in r.mistakes, (r.mistakes, r.answer)


@pytest.mark.parametrize("definition, right, wrong, mistake", CASES, ids=IDS)
def test_the_right_answer_has_no_mistake(definition, right, wrong, mistake):
    r = grade_answer(question(definition), right)
    assert r.status == "correct" and r.mistakes == (), r.message


def test_the_issues_case_names_each_mistake_alone():
    q = question(ISSUE)
    assert grade_answer(q, "126x126x16").status == "correct"
    assert grade_answer(q, "128x128x16").mistakes == ("padding_added",)
    assert grade_answer(q, "126x126x32").mistakes == ("channels_kept",)


def test_a_mistake_is_not_tried_on_the_side_where_it_cannot_happen():
    # no padding to forget, no bias to add, no ceil_mode to drop: those mistakes are never tried
    names = {v.mistake for v in question(ISSUE).mistake_answers}
    assert {"padding_forgotten", "same_padding", "floor_instead_of_ceil"}.isdisjoint(names)
    padded = {v.mistake for v in question(PADDED).mistake_answers}
    assert "padding_added" not in padded
    biased = question(CONV_NO_BIAS.replace("bias: false", "bias: true"))
    assert "bias_added" not in {v.mistake for v in biased.mistake_answers}
