"""The registry of question kinds: ``kind:`` in a bank looks a name up here.

Adding a kind is one module with a ``KIND`` and one line below.
"""

from __future__ import annotations

from . import conv1d, conv2d, conv_transpose2d, output_shape, padding, params, pool2d, receptive_field
from .base import DefinitionError, Kind, did_you_mean

KINDS: dict[str, Kind] = {
    m.KIND.name: m.KIND
    for m in (conv2d, conv1d, pool2d, conv_transpose2d, output_shape, params, receptive_field, padding)
}

__all__ = ["KINDS", "Kind", "DefinitionError", "did_you_mean"]
