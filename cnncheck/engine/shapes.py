"""Output-size arithmetic: the one place each size formula lives.

Every function here works on one spatial dimension and plain ints, so the
array operations, the shape questions and the tests share one definition.
The rules are PyTorch's (``torch.nn.Conv2d``, ``MaxPool2d``, ``AvgPool2d``,
``ConvTranspose2d``).
"""

from __future__ import annotations

__all__ = [
    "conv_output_size",
    "pool_output_size",
    "conv_transpose_output_size",
    "effective_kernel",
    "pool_padding_fits",
    "output_padding_fits",
    "same_padding",
    "padding_for_output",
    "pair",
    "normalize_padding",
    "line_padding",
]


def pair(value, name: str) -> tuple[int, int]:
    """``n`` or ``(a, b)`` as a pair of ints, for stride, dilation, kernel sizes."""
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return (value, value)
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return (value[0], value[1])
    raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")


def effective_kernel(k: int, d: int = 1) -> int:
    """Extent of a kernel of size ``k`` with dilation ``d``: ``d*(k-1) + 1``."""
    return d * (k - 1) + 1


def conv_output_size(i: int, k: int, s: int = 1, pad: int | tuple[int, int] = 0, d: int = 1) -> int:
    """``floor((i + pad_l + pad_r - d*(k-1) - 1) / s) + 1``.

    ``pad`` is the padding on each side (an int) or ``(left, right)``.
    Returns 0 or less when the kernel does not fit; callers check.
    """
    pl, pr = (pad, pad) if isinstance(pad, int) else pad
    return (i + pl + pr - effective_kernel(k, d)) // s + 1


def pool_output_size(
    i: int, k: int, s: int, p: int = 0, d: int = 1, ceil_mode: bool = False
) -> int:
    """Pooling output size, with PyTorch's ``ceil_mode`` rule.

    With ``ceil_mode`` the division rounds up, but a last window that would
    start in the right padding is dropped (``aten/src/ATen/native/Pool.h``).
    """
    # Python's // rounds towards -infinity, like Pool.h's div_rtn
    out = (i + 2 * p - effective_kernel(k, d) + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= i + p:
        out -= 1
    return out


def conv_transpose_output_size(
    i: int, k: int, s: int = 1, p: int = 0, output_padding: int = 0, d: int = 1
) -> int:
    """``(i - 1)*s - 2*p + d*(k-1) + output_padding + 1``."""
    return (i - 1) * s - 2 * p + effective_kernel(k, d) + output_padding


def pool_padding_fits(p: int, k: int) -> bool:
    """PyTorch's pooling rule: the padding is at most half the window ``k``, whatever the
    dilation."""
    return p <= k // 2


def output_padding_fits(output_padding: int, s: int, d: int) -> bool:
    """PyTorch's transposed-convolution rule: ``output_padding`` below the stride or the
    dilation."""
    return output_padding < s or output_padding < d


def same_padding(k: int, d: int = 1) -> tuple[int, int]:
    """PyTorch's ``padding='same'`` split: ``d*(k-1)`` in all, the odd one right/bottom."""
    total = effective_kernel(k, d) - 1
    return (total // 2, total - total // 2)


def padding_for_output(i: int, k: int, o: int, s: int = 1, d: int = 1) -> int | None:
    """Smallest symmetric padding ``p >= 0`` with ``conv_output_size(i, k, s, p, d) == o``.

    The output size never decreases as ``p`` grows, so the search stops at the
    first ``p`` whose output passes ``o``. ``None`` when no padding gives ``o``.
    """
    if o < 1:
        return None
    p = 0
    while True:
        got = conv_output_size(i, k, s, p, d)
        if got == o:
            return p
        if got > o:
            return None
        p += 1


def normalize_padding(
    padding, kernel: tuple[int, int], dilation: tuple[int, int], stride: tuple[int, int]
):
    """Padding as ``((top, bottom), (left, right))``.

    Accepts ``n``, ``(ph, pw)``, ``((top, bottom), (left, right))``, ``'valid'``
    and ``'same'`` (stride 1 only, as in PyTorch).
    """
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0), (0, 0))
        if padding == "same":
            if stride != (1, 1):
                raise ValueError(
                    f"padding 'same' is not supported for strided convolutions "
                    f"(stride {stride[0]}x{stride[1]}), as in PyTorch"
                )
            return (same_padding(kernel[0], dilation[0]), same_padding(kernel[1], dilation[1]))
        raise ValueError(f"padding must be a number, a pair, 'valid' or 'same', got {padding!r}")
    if isinstance(padding, int) and not isinstance(padding, bool):
        pads = ((padding, padding), (padding, padding))
    elif isinstance(padding, (tuple, list)) and len(padding) == 2:
        if all(isinstance(v, int) and not isinstance(v, bool) for v in padding):
            pads = ((padding[0], padding[0]), (padding[1], padding[1]))
        elif all(isinstance(v, (tuple, list)) and len(v) == 2 for v in padding) and all(
            isinstance(x, int) and not isinstance(x, bool) for v in padding for x in v
        ):
            pads = (tuple(padding[0]), tuple(padding[1]))
        else:
            raise ValueError(
                f"padding must be n, [ph, pw] or [[top, bottom], [left, right]], got {padding!r}"
            )
    else:
        raise ValueError(
            f"padding must be n, [ph, pw] or [[top, bottom], [left, right]], got {padding!r}"
        )
    if any(v < 0 for side in pads for v in side):
        raise ValueError(f"padding must not be negative, got {padding!r}")
    return pads


def line_padding(padding):
    """A 1-D padding as the padding of a height-1 conv2d: ``n`` or ``(left, right)`` become
    ``((0, 0), (left, right))``; ``'valid'`` and ``'same'`` stay as they are."""
    if isinstance(padding, str):
        return padding
    if isinstance(padding, int) and not isinstance(padding, bool):
        return ((0, 0), (padding, padding))
    if isinstance(padding, (tuple, list)) and len(padding) == 2:
        return ((0, 0), tuple(padding))
    raise ValueError(f"padding must be n, [left, right], 'valid' or 'same', got {padding!r}")
