"""cnncheck: a checker for the arithmetic of convolutional networks.

The engine (``cnncheck.engine``) is pure NumPy; the bank, grading and
reporters build on it; ``cnncheck.cli`` is a thin client of all of them.
"""

__version__ = "0.1.0"
