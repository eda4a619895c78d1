"""The sysdesign-kit engine: plugin manager and hooks, implementation swap, grading model,
virtual clock, simulated cluster and command line."""

from pathlib import Path

__version__ = "0.1.0"

#: The kit's checkout: ``exercises/``, ``solutions/``, ``tests/`` live under it.
KIT_ROOT = Path(__file__).resolve().parent.parent
