"""The arithmetic of convolutional networks, in pure NumPy.

Everything here takes arrays and ints and returns arrays and ints; nothing
reads files, prints or imports anything but NumPy. Semantics are PyTorch's.
Integer inputs give exact integer results (see ``_exact``); average pooling
divides exact integer sums once, in float64.
"""

from .conv import conv1d, conv2d, conv_transpose2d
from .counts import RFLayer, conv2d_params, conv_transpose2d_params, dense_params, receptive_field
from .pool import avg_pool2d, avg_pool_extent, max_pool2d
from .shapes import (
    conv_output_size,
    conv_transpose_output_size,
    effective_kernel,
    line_padding,
    normalize_padding,
    output_padding_fits,
    padding_for_output,
    pair,
    pool_output_size,
    pool_padding_fits,
    same_padding,
)

__all__ = [
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "max_pool2d",
    "avg_pool2d",
    "avg_pool_extent",
    "conv2d_params",
    "conv_transpose2d_params",
    "dense_params",
    "RFLayer",
    "receptive_field",
    "conv_output_size",
    "conv_transpose_output_size",
    "pool_output_size",
    "effective_kernel",
    "pool_padding_fits",
    "output_padding_fits",
    "same_padding",
    "padding_for_output",
    "normalize_padding",
    "line_padding",
    "pair",
]
