"""The registry of question kinds: ``kind:`` in a bank looks a name up here.

Adding a kind is one module with a ``KIND`` and one line in ``_MODULES``
(or, from outside the package, one call to :func:`register`). A kind's
module is imported the first time a bank uses it, which keeps start-up light.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module

from .base import DefinitionError, Kind, did_you_mean

_MODULES = {  # kind name -> module in this package
    "conv2d": "conv2d",
    "conv1d": "conv1d",
    "pool2d": "pool2d",
    "conv_transpose2d": "conv_transpose2d",
    "output_shape": "output_shape",
    "params": "params",
    "receptive_field": "receptive_field",
    "padding": "padding",
    "network": "network",
    "text": "text",
}


class _Registry(Mapping):
    def __getitem__(self, name: str) -> Kind:
        if not isinstance(name, str) or name not in _MODULES:
            raise KeyError(name)
        module = _MODULES[name]
        return import_module(module if "." in module else f"{__name__}.{module}").KIND

    def __iter__(self):
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and name in _MODULES


KINDS: Mapping[str, Kind] = _Registry()


def register(name: str, module: str) -> None:
    """Register a kind: ``module`` (a dotted path, imported on first use) has a ``KIND``."""
    from .teaching import MISTAKES

    _MODULES[name] = module
    MISTAKES.forget()


def unregister(name: str) -> None:
    """Forget a kind :func:`register` added."""
    from .teaching import MISTAKES

    _MODULES.pop(name, None)
    MISTAKES.forget()


__all__ = ["KINDS", "Kind", "DefinitionError", "did_you_mean", "register", "unregister"]
