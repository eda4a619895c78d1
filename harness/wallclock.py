"""Real (wall) time for the harness's own measurements.

This module is on freezegun's ignore list, so these aliases keep reading the real clock while
learner code sees the virtual one. Never use it to decide a test's outcome.

Import the module and call through it (``from sysdesign import wallclock``;
``wallclock.wall_seconds()``): a name imported into another module with
``from sysdesign.wallclock import wall_seconds`` is an alias freezegun finds and replaces.
"""

from time import perf_counter as wall_seconds  # noqa: F401  (re-exported)
from time import sleep as real_sleep  # noqa: F401  (re-exported)
