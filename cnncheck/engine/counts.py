"""Parameter counts and receptive fields: integer arithmetic on layer descriptions."""

from __future__ import annotations

from typing import NamedTuple

from .shapes import effective_kernel

__all__ = ["conv2d_params", "conv_transpose2d_params", "dense_params", "RFLayer", "receptive_field"]


def _positive(name: str, v: int) -> None:
    if not isinstance(v, int) or isinstance(v, bool) or v < 1:
        raise ValueError(f"{name} must be a positive int, got {v!r}")


def conv2d_params(
    in_channels: int, filters: int, kernel: tuple[int, int], *, bias: bool = True, groups: int = 1
) -> int:
    """``filters * (in_channels/groups) * kh * kw`` weights, plus ``filters`` biases.

    >>> conv2d_params(1, 10, (5, 5))
    260
    """
    for name, v in (
        ("in_channels", in_channels),
        ("filters", filters),
        ("groups", groups),
        ("kernel height", kernel[0]),
        ("kernel width", kernel[1]),
    ):
        _positive(name, v)
    if in_channels % groups or filters % groups:
        raise ValueError(
            f"in_channels ({in_channels}) and filters ({filters}) must both be divisible "
            f"by groups ({groups})"
        )
    return filters * (in_channels // groups) * kernel[0] * kernel[1] + (filters if bias else 0)


def conv_transpose2d_params(
    in_channels: int, filters: int, kernel: tuple[int, int], *, bias: bool = True, groups: int = 1
) -> int:
    """``in_channels * (filters/groups) * kh * kw`` weights, plus ``filters`` biases (the same count
    as conv2d)."""
    return conv2d_params(in_channels, filters, kernel, bias=bias, groups=groups)


def dense_params(inputs: int, units: int, *, bias: bool = True) -> int:
    """``inputs * units`` weights plus ``units`` biases.

    >>> dense_params(500 * 500 * 3, 100)
    75000100
    """
    _positive("inputs", inputs)
    _positive("units", units)
    return inputs * units + (units if bias else 0)


class RFLayer(NamedTuple):
    """One layer of a receptive-field stack: a conv or a pooling window."""

    kernel: int
    stride: int = 1
    dilation: int = 1


def receptive_field(layers: list[RFLayer]) -> list[tuple[int, int]]:
    """The forward recurrence, one ``(r, j)`` per layer, input first.

    ``r_0 = 1, j_0 = 1``; ``r_l = r_{l-1} + (k_eff - 1) * j_{l-1}``; ``j_l = j_{l-1} * s_l``
    (Araujo et al., Distill 2019). The last ``r`` is the side of one output
    unit's receptive field on the input.

    >>> receptive_field([RFLayer(3), RFLayer(3)])[-1]
    (5, 1)
    """
    r, j = 1, 1
    steps = [(r, j)]
    for layer in layers:
        for name in ("kernel", "stride", "dilation"):
            _positive(name, getattr(layer, name))
        r = r + (effective_kernel(layer.kernel, layer.dilation) - 1) * j
        j = j * layer.stride
        steps.append((r, j))
    return steps
